"""Opening a long article builds a Utf16Map: the astral characters are found by the regex
engine, not by Python code run once per character (~30 ms on the benchmark's 120 KB article)."""

from __future__ import annotations

from typing import Any

import pytest

from kzpk_desktop.core import offsets
from kzpk_desktop.core.offsets import Utf16Map


def test_the_map_is_built_without_a_python_step_per_character(monkeypatch: pytest.MonkeyPatch) -> None:
    calls = [0]

    def counting_ord(ch: Any) -> int:
        calls[0] += 1
        return ord(ch)

    monkeypatch.setattr(offsets, "ord", counting_ord, raising=False)
    text = "Astana 🇰🇿 and Islamabad 🤝 — Қазақстан, پاکستان. " * 2000
    m = Utf16Map(text)
    assert calls[0] == 0
    # the same positions a per-character scan finds, and the same conversions
    assert m._astral == [i for i, ch in enumerate(text) if ord(ch) > 0xFFFF]
    assert len(m._astral) == 6000
    assert m.utf16_length == len(text.encode("utf-16-le")) // 2
    i = text.index("🤝")
    assert m.to_utf16(i) == len(text[:i].encode("utf-16-le")) // 2
    assert m.to_codepoint(m.to_utf16(i) + 2) == i + 1
