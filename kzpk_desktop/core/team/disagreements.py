"""The disagreements behind the agreement figures, as a sequence built on demand.

Over a million spans two coders disagree in about a million places; one dict (and two name
lists) per place made the garbage collector walk millions of containers again and again, and
took longer than every figure together. Span disagreements are therefore kept as columns
(article, offsets, the text, which coders marked it) per label and chunk, and each one
becomes the same dict as before only when it is read: ``len`` is free, and a report that
shows the first hundred builds a hundred.
"""

from __future__ import annotations

import bisect
import itertools
from collections.abc import Iterator, Mapping, Sequence
from dataclasses import dataclass
from typing import Any, overload

import numpy as np


@dataclass(frozen=True)
class SpanRuns:
    """Runs of characters where the coders of an article do not all agree on one label."""

    label: str
    article_id: np.ndarray
    start: np.ndarray  # offsets in the article's text
    end: np.ndarray
    text: Sequence[str]
    pattern: np.ndarray  # index into ``names``
    names: tuple[tuple[tuple[str, ...], tuple[str, ...]], ...]  # (marked by, present but not marked by)

    def __len__(self) -> int:
        return len(self.text)

    def row(self, i: int) -> dict[str, Any]:
        marked, not_marked = self.names[int(self.pattern[i])]
        return {
            "kind": "span",
            "label": self.label,
            "article_id": int(self.article_id[i]),
            "start": int(self.start[i]),
            "end": int(self.end[i]),
            "text": self.text[i],
            "marked_by": list(marked),
            "not_marked_by": list(not_marked),
        }


Part = SpanRuns | Mapping[str, Any]


class Disagreements(Sequence[Mapping[str, Any]]):
    """Span runs and single verdict/status disagreements, in the order they were found."""

    def __init__(self, parts: Sequence[Part] = ()) -> None:
        self._parts = tuple(p for p in parts if not isinstance(p, SpanRuns) or len(p))
        self._ends = list(itertools.accumulate(len(p) if isinstance(p, SpanRuns) else 1 for p in self._parts))

    def __len__(self) -> int:
        return self._ends[-1] if self._ends else 0

    @overload
    def __getitem__(self, index: int) -> Mapping[str, Any]: ...
    @overload
    def __getitem__(self, index: slice) -> Sequence[Mapping[str, Any]]: ...
    def __getitem__(self, index: int | slice) -> Mapping[str, Any] | Sequence[Mapping[str, Any]]:
        if isinstance(index, slice):
            return [self[i] for i in range(*index.indices(len(self)))]
        n = len(self)
        if index < 0:
            index += n
        if not 0 <= index < n:
            raise IndexError("disagreement index out of range")
        k = bisect.bisect_right(self._ends, index)
        part = self._parts[k]
        if isinstance(part, SpanRuns):
            return part.row(index - (self._ends[k - 1] if k else 0))
        return part

    def __iter__(self) -> Iterator[Mapping[str, Any]]:
        for part in self._parts:
            if isinstance(part, SpanRuns):
                for i in range(len(part)):
                    yield part.row(i)
            else:
                yield part

    def __eq__(self, other: object) -> bool:
        if not isinstance(other, Sequence) or isinstance(other, str):
            return NotImplemented
        return len(self) == len(other) and all(a == b for a, b in zip(self, other, strict=True))

    __hash__ = None  # type: ignore[assignment]

    def __repr__(self) -> str:
        return f"Disagreements({len(self)})"
