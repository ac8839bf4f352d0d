"""Overlapping spans -> flat, non-overlapping segments, each with every label covering it.

The reader paints one format per segment, so nested and crossing spans stay visible.
"""

from __future__ import annotations

from collections.abc import Hashable, Sequence
from typing import TypeVar

K = TypeVar("K", bound=Hashable)


def segments(
    spans: Sequence[tuple[int, int, K]], lo: int = 0, hi: int | None = None
) -> list[tuple[int, int, tuple[K, ...]]]:
    """Sweep over (start, end, label) spans; returns (start, end, labels) clipped to [lo, hi).

    A label is anything hashable: the reader passes (label, coder, length) when coders'
    outlines are shown, so that they are drawn in the same formats as the highlights."""
    if hi is None:
        hi = max((e for _, e, _ in spans), default=lo)
    events: list[tuple[int, int, int]] = []
    for i, (s, e, _) in enumerate(spans):
        s, e = max(s, lo), min(e, hi)
        if s < e:
            events.append((s, 1, i))
            events.append((e, 0, i))  # ends sort before starts at the same position
    events.sort()
    out: list[tuple[int, int, tuple[K, ...]]] = []
    active: dict[int, K] = {}
    prev = lo
    for pos, kind, i in events:
        if pos > prev and active:
            labels = tuple(active[k] for k in sorted(active))
            if out and out[-1][1] == prev and out[-1][2] == labels:
                out[-1] = (out[-1][0], pos, labels)
            else:
                out.append((prev, pos, labels))
        prev = pos
        if kind:
            active[i] = spans[i][2]
        else:
            active.pop(i, None)
    return out
