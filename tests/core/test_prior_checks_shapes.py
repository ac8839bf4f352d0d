"""Imported ClaimReview files are untrusted: a value of the wrong shape is one sentence naming
the file, the item and the property, never a KeyError/TypeError traceback or text made up
from a list (``"['a']"``). That item is left out, named; the rest of the feed is read."""

from __future__ import annotations

import json
import subprocess
import sys
from pathlib import Path

import pytest

from kzpk_desktop.core.crossoutlet import prior_checks as pc
from kzpk_desktop.core.jsonvalue import JSONObject

GOOD: JSONObject = {
    "@type": "ClaimReview",
    "url": "https://check.example/1",
    "claimReviewed": "Lahore metro fares doubled",
    "reviewRating": {"alternateName": "False"},
    "author": {"name": "Check Desk"},
    "datePublished": "2025-09-20T08:00:00Z",
    "itemReviewed": {"@type": "Claim", "author": {"name": "A Minister"}},
}


def _import_with_the_cli(tmp_path: Path, f: Path) -> subprocess.CompletedProcess[str]:
    return subprocess.run(
        [sys.executable, "-m", "kzpk_desktop.cli", "--db", str(tmp_path / "p.db"), "prior-checks", "import", str(f)],
        capture_output=True,
        text=True,
        timeout=120,
    )


def _write(tmp_path: Path, *items: JSONObject) -> Path:
    f = tmp_path / "checks.json"
    f.write_text(json.dumps({"@graph": list(items)}), encoding="utf-8")
    return f


@pytest.mark.parametrize(
    ("key", "value", "message"),
    [
        ("reviewRating", ["False"], "Expected reviewRating of ClaimReview 2 to be a JSON object, found str."),
        ("reviewRating", 3, "Expected reviewRating of ClaimReview 2 to be a JSON object, found int."),
        ("itemReviewed", "a claim", "Expected itemReviewed of ClaimReview 2 to be a JSON object, found str."),
        ("claimReviewed", 42, "Expected claimReviewed of ClaimReview 2 to be a JSON string, found int."),
        ("claimReviewed", ["a", "b"], "Expected claimReviewed of ClaimReview 2 to be a JSON string, found list."),
        ("url", {"@id": "x"}, "Expected url of ClaimReview 2 to be a JSON string, found dict."),
        ("datePublished", 20250920, "Expected datePublished of ClaimReview 2 to be a JSON string, found int."),
        ("author", 7, "Expected author of ClaimReview 2 to be a JSON string, found int."),
        ("author", {"name": ["X"]}, "Expected the name of author of ClaimReview 2 to be a JSON string, found list."),
        (
            "reviewRating",
            {"alternateName": {"en": "False"}},
            "Expected reviewRating.alternateName of ClaimReview 2 to be a JSON string, found dict.",
        ),
    ],
)
def test_a_value_of_the_wrong_shape_is_one_sentence(tmp_path: Path, key: str, value: object, message: str) -> None:
    f = _write(tmp_path, GOOD, {**GOOD, key: value}, {**GOOD, "url": "https://check.example/3"})
    read = pc.read_path(f)
    assert [c.url for c in read.checks] == ["https://check.example/1", "https://check.example/3"]
    assert read.skipped == (f"'{f}': {message}",)
    only_bad = _write(tmp_path, {**GOOD, key: value}, {**GOOD, key: value})
    with pytest.raises(pc.PriorCheckError) as err:  # nothing readable: refused, with the reason
        pc.read_path(only_bad)
    first = message.replace("ClaimReview 2", "ClaimReview 1")
    assert str(err.value) == f"'{only_bad}': {first} (1 more item could not be read either.)"


def test_a_folder_leaves_out_a_file_that_is_not_json_and_names_it(tmp_path: Path) -> None:
    (tmp_path / "a.json").write_text("{not json", encoding="utf-8")
    good = _write(tmp_path, GOOD)
    read = pc.read_path(tmp_path)
    assert [c.url for c in read.checks] == ["https://check.example/1"] and good.exists()
    assert len(read.skipped) == 1 and read.skipped[0].startswith(f"'{tmp_path / 'a.json'}' is not JSON (")
    good.unlink()
    with pytest.raises(pc.PriorCheckError, match=r"^No ClaimReview item with a claimReviewed text in .*is not JSON"):
        pc.read_path(tmp_path)


def test_the_cli_imports_the_rest_of_a_feed_and_names_what_it_left_out(tmp_path: Path) -> None:
    f = _write(tmp_path, GOOD, {**GOOD, "reviewRating": ["False"]}, {**GOOD, "url": "https://check.example/3"})
    r = _import_with_the_cli(tmp_path, f)
    assert r.returncode == 0 and "Traceback" not in r.stderr
    assert r.stderr == f"left out: '{f}': Expected reviewRating of ClaimReview 2 to be a JSON object, found str.\n"
    assert r.stdout == "2 fact-checks imported, 0 already present (2 in the index); 1 left out (named above)\n"


def test_lists_of_objects_numbers_and_keywords_are_read_not_stringified(tmp_path: Path) -> None:
    item: JSONObject = {
        **GOOD,
        "url": None,
        "identifier": 17,
        "reviewRating": [{"ratingValue": 2}],
        "author": [{"name": "Check Desk"}, "Second Desk"],
        "keywords": ["metro", "Lahore"],
    }
    (check,) = pc.read_path(_write(tmp_path, item)).checks
    assert (check.url, check.rating, check.publisher, check.date) == (
        "urn:kzpk:claim:17",
        "2",
        "Check Desk, Second Desk",
        "2025-09-20",
    )
    assert check.entities == "A Minister metro, Lahore"


def test_a_too_deeply_nested_file_is_one_sentence(tmp_path: Path) -> None:
    f = tmp_path / "deep.json"
    f.write_text("[" * 100_000 + "]" * 100_000, encoding="utf-8")
    with pytest.raises(pc.PriorCheckError, match="is nested too deeply to be a ClaimReview file"):
        pc.read_path(f)


def test_a_name_nested_deeper_than_the_reader_recurses_is_one_sentence(tmp_path: Path) -> None:
    f = tmp_path / "deep-name.json"  # json.loads takes 900 levels; reading names recursively did not
    deep = "[" * 900 + '"x"' + "]" * 900
    f.write_text('{"@graph": [' + json.dumps(GOOD)[:-1] + ', "keywords": ' + deep + "}]}", encoding="utf-8")
    r = _import_with_the_cli(tmp_path, f)
    assert r.returncode == 1 and "Traceback" not in r.stderr
    assert r.stderr == f"kzpk: '{f}': ClaimReview 1 is nested too deeply to read.\n"


def test_the_cli_says_which_item_is_malformed_without_a_traceback(tmp_path: Path) -> None:
    f = _write(tmp_path, {**GOOD, "reviewRating": ["False"]})
    r = _import_with_the_cli(tmp_path, f)
    assert r.returncode == 1 and "Traceback" not in r.stderr
    assert r.stderr == (f"kzpk: '{f}': Expected reviewRating of ClaimReview 1 to be a JSON object, found str.\n")
