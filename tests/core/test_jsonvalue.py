"""Parsed JSON is checked before it is trusted: the wrong shape is a sentence, not a KeyError."""

import json

import pytest

from kzpk_desktop.core.jsonvalue import as_list, as_object, as_text, text


def test_object_and_array_are_checked() -> None:
    doc = json.loads('{"url": "https://example.org", "n": 3, "items": [1, {"a": null}]}')
    obj = as_object(doc, "a review")
    assert text(obj, "url") == "https://example.org"
    assert text(obj, "n") is None  # a number is not a string
    assert text(obj, "missing") is None
    assert as_list(obj["items"], "items") == [1, {"a": None}]


@pytest.mark.parametrize(("raw", "what"), [("[1, 2]", "a review"), ('"x"', "a review"), ("null", "a review")])
def test_wrong_shape_names_what_was_expected(raw: str, what: str) -> None:
    with pytest.raises(ValueError, match=f"Expected {what} to be a JSON object"):
        as_object(json.loads(raw), what)
    with pytest.raises(ValueError, match="Expected items to be a JSON array, found dict"):
        as_list({"a": 1}, "items")


def test_as_text_refuses_what_is_not_a_string() -> None:
    assert as_text("Misleading", "the rating") == "Misleading"
    with pytest.raises(ValueError) as err:
        as_text(json.loads("3"), "the rating")
    assert str(err.value) == "Expected the rating to be a JSON string, found int."
    with pytest.raises(ValueError) as err:
        as_text(json.loads('["a"]'), "the rating")
    assert str(err.value) == "Expected the rating to be a JSON string, found list."
