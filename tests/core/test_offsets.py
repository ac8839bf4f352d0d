"""Code points <-> UTF-16, snapping and the span invariant, on hard text."""

from __future__ import annotations

import unicodedata

from hypothesis import given
from hypothesis import strategies as st

from kzpk_desktop.core.offsets import Utf16Map, context, snap_to_words

HARD = (
    "Flights 🛫 resume; families 👨‍👩‍👧 cheer 👍🏽 — "
    "پاکستان اور قازقستان — Қазақстан мен Пәкістан — Te\u0302te-a\u0300-te\u0302te 🇰🇿"
)


def utf16_len(s: str) -> int:
    return len(s.encode("utf-16-le")) // 2


def test_round_trip_on_every_position_of_hard_text() -> None:
    m = Utf16Map(HARD)
    assert m.utf16_length == utf16_len(HARD)
    for cp in range(len(HARD) + 1):
        u = m.to_utf16(cp)
        assert u == utf16_len(HARD[:cp])
        assert m.to_codepoint(u) == cp


def test_half_an_emoji_selects_nothing_of_it() -> None:
    text = "a😀b"
    m = Utf16Map(text)
    start, end = m.span_to_codepoints(1, 2)  # only the first half of the emoji
    assert start == end
    assert m.span_to_codepoints(2, 4) == (2, 3)  # starts inside the pair: the emoji is dropped
    assert m.span_to_codepoints(0, 3) == (0, 2)
    assert m.span_to_codepoints(3, 0) == (0, 2)  # reversed selections are normalised


def test_bmp_only_text_is_identity() -> None:
    m = Utf16Map("Қазақстан پاکستان")
    assert [m.to_utf16(i) for i in range(5)] == list(range(5))


@given(st.text(alphabet=st.characters(blacklist_categories=("Cs",)), max_size=60), st.data())
def test_property_utf16_selection_maps_to_a_slice_of_the_same_text(text: str, data: st.DataObject) -> None:
    m = Utf16Map(text)
    n16 = utf16_len(text)
    a = data.draw(st.integers(0, n16))
    b = data.draw(st.integers(0, n16))
    start, end = m.span_to_codepoints(a, b)
    assert 0 <= start <= end <= len(text)
    encoded = text.encode("utf-16-le")
    lo, hi = sorted((a, b))
    qt_view = encoded[2 * m.to_utf16(start) : 2 * m.to_utf16(end)].decode("utf-16-le")
    assert qt_view == text[start:end]
    if start < end:  # a non-empty result never reaches outside the selection
        assert m.to_utf16(start) >= lo and m.to_utf16(end) <= hi


@given(st.text(max_size=80), st.integers(0, 80), st.integers(0, 80))
def test_property_snap_keeps_a_valid_span_without_edge_spaces(text: str, a: int, b: int) -> None:
    start, end = snap_to_words(text, min(a, b), max(a, b))
    assert 0 <= start <= end <= len(text)
    if end > start:
        assert not text[start].isspace() and not text[end - 1].isspace()
        assert not unicodedata.combining(text[start])


def test_snap_widens_to_whole_words_and_trims_spaces() -> None:
    text = "Deputy Prime Minister Ishaq Dar met Murat Nurtleu."
    i = text.index("shaq")
    assert text[slice(*snap_to_words(text, i, i + 6))] == "Ishaq Dar"
    j = text.index(" Murat")
    assert text[slice(*snap_to_words(text, j, j + 7))] == "Murat"


def test_snap_never_splits_combining_marks_zwj_or_cyrillic() -> None:
    text = "the Te\u0302te meeting and 👨‍👩‍👧 family, Қазақстан"
    i = text.index("T")
    assert text[slice(*snap_to_words(text, i, i + 3))] == "Te\u0302te"
    k = text.index("азақ")
    assert text[slice(*snap_to_words(text, k, k + 2))] == "Қазақстан"
    z = text.index("👨")
    s, e = snap_to_words(text, z, z + 1)
    assert text[s:e] == "👨‍👩‍👧"


def test_context_is_clipped_at_the_edges() -> None:
    assert context("abcdef", 1, 3, width=2) == ("a", "de")
