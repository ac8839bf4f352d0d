"""The reader's span index (bisect over starts, bounded by the longest span) equals brute force."""

from __future__ import annotations

from typing import Any

from hypothesis import given, settings
from hypothesis import strategies as st

from kzpk_desktop.core.rows import Annotation, Label
from kzpk_desktop.gui.reader import ReaderView, _merged

SPANS = st.lists(st.tuples(st.integers(0, 200), st.integers(1, 60)), max_size=40)


@settings(max_examples=60, deadline=None)
@given(spans=SPANS, lo=st.integers(0, 260), width=st.integers(1, 80), extra=SPANS)
def test_span_lookup_matches_brute_force(
    qapp: Any, spans: list[tuple[int, int]], lo: int, width: int, extra: list[tuple[int, int]]
) -> None:
    reader = ReaderView()
    text = "x" * 300
    rows = [
        Annotation(
            id=f"a{i}",
            article_id=1,
            start=s,
            end=s + n,
            label="claim",
            text=text[s : s + n],
        )
        for i, (s, n) in enumerate(spans)
    ]
    reader.set_labels([Label("claim", "Claim", "#E8A33D")])
    reader.set_article(text, rows)
    added = [
        Annotation(
            id=f"b{i}",
            article_id=1,
            start=s,
            end=s + n,
            label="claim",
            text=text[s : s + n],
        )
        for i, (s, n) in enumerate(extra)
    ]
    reader.apply_changes(added, [r.id for r in rows[::2]], [])  # incremental changes keep the index right
    live = rows[1::2] + added
    hi = lo + width
    expected = sorted((r.start, r.end) for r in live if r.start < hi and r.end > lo)
    assert sorted((s, e) for s, e, _, _ in reader._spans_touching(lo, hi)) == expected
    assert sorted(a.id for a in reader.annotations_at(lo)) == sorted(r.id for r in live if r.start <= lo < r.end)


def test_ranges_are_merged_before_painting() -> None:
    assert _merged([(5, 9), (0, 3), (2, 4), (9, 12), (20, 21)]) == [(0, 4), (5, 12), (20, 21)]
