"""Overlapping spans -> flat, non-overlapping segments, each with every label covering it.

The reader paints one format per segment, so nested and crossing spans stay visible.
"""

from __future__ import annotations

from collections.abc import Sequence


def segments(
    spans: Sequence[tuple[int, int, str]], lo: int = 0, hi: int | None = None
) -> list[tuple[int, int, tuple[str, ...]]]:
    """Sweep over (start, end, label) spans; returns (start, end, labels) clipped to [lo, hi)."""
    if hi is None:
        hi = max((e for _, e, _ in spans), default=lo)
    events: list[tuple[int, int, int]] = []
    for i, (s, e, _) in enumerate(spans):
        s, e = max(s, lo), min(e, hi)
        if s < e:
            events.append((s, 1, i))
            events.append((e, 0, i))  # ends sort before starts at the same position
    events.sort()
    out: list[tuple[int, int, tuple[str, ...]]] = []
    active: dict[int, str] = {}
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
