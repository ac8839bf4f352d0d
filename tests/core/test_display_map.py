"""Display-only line breaks for very long lines: positions still convert exactly."""

from __future__ import annotations

from hypothesis import given, settings
from hypothesis import strategies as st

from kzpk_desktop.core.offsets import DisplayMap, Utf16Map

ALPHABET = st.sampled_from(["a", "b", " ", "\n", "é", "\u0301", "🙂", "👨\u200d👩", "\u2029", "\t", "x"])


def u16_units(s: str) -> list[str]:
    """The text as Qt's document holds it: one entry per UTF-16 unit (pairs as halves)."""
    out: list[str] = []
    for ch in s:
        out.extend([ch, ch] if ord(ch) > 0xFFFF else [ch])
    return out


@settings(max_examples=300, deadline=None)
@given(st.lists(ALPHABET, max_size=120).map("".join), st.integers(min_value=3, max_value=17))
def test_every_position_round_trips_through_the_display_text(text: str, max_line: int) -> None:
    m = DisplayMap(text, max_line)
    shown = m.display_text()
    assert len(shown) == len(text) + len(m.breaks)
    assert all(len(line) <= max_line for line in shown.split("\n"))
    assert (
        "".join(shown[i] for i in range(len(shown)) if i not in {b + k for k, b in enumerate(m.breaks)}) == text
    )  # remove the breaks: the text
    units = u16_units(shown)
    for cp in range(len(text) + 1):
        doc = m.to_doc(cp)
        assert m.to_codepoint(doc) == cp
        if cp < len(text):
            assert units[doc] == text[cp]
    for a in range(len(text) + 1):
        for b in range(a, len(text) + 1):
            assert m.span_to_codepoints(m.to_doc(a), m.to_doc(b)) == (a, b)
    for k, b in enumerate(m.breaks):  # the positions on either side of a break both mean b
        sep = Utf16Map(text).to_utf16(b) + k
        assert m.to_codepoint(sep) == b == m.to_codepoint(sep + 1)


def test_long_lines_break_after_a_space_and_short_ones_not_at_all() -> None:
    text = "alpha beta gamma delta epsilon\nshort\n" + "x" * 25
    m = DisplayMap(text, 12)
    assert m.display_text() == "alpha beta \ngamma delta \nepsilon\nshort\n" + "x" * 12 + "\n" + "x" * 12 + "\nx"
    assert DisplayMap("short text", 12).breaks == []
    assert DisplayMap("abcdefghijklm" + "\u0301" * 3 + "z", 14).breaks == [12]  # not before a combining mark


def test_a_million_characters_without_a_space_are_mapped_quickly() -> None:
    import time

    text = "abcdefghi🙂" * 100_000
    t0 = time.perf_counter()
    m = DisplayMap(text)
    shown = m.display_text()
    took = time.perf_counter() - t0
    assert len(m.breaks) == 99 and len(shown) == len(text) + 99
    assert m.to_codepoint(m.to_doc(987_654)) == 987_654
    assert took < 1.0
