"""The disagreements behind the agreement figures, as a sequence built on demand.

Over a million spans two coders disagree in about a million places; one dict (and two name
lists) per place made the garbage collector walk millions of containers again and again, and
took longer than every figure together. Span disagreements are therefore kept as columns
(article, offsets, the text, which coders marked it) per label and chunk, and each one
becomes a small frozen :class:`SpanDisagreement` only when it is read: ``len`` is free, and a
report that shows the first hundred builds a hundred.

The report reads them by attribute; ``as_json`` gives the JSON image ``kzpk agreement --json``
writes (``Agreement.as_json`` takes the whole list from ``Disagreements.as_json``, straight
from the columns). They also answer ``d["key"]`` and ``dict(d)`` with that image's values, for
scripts that indexed the dicts they used to be.
"""

from __future__ import annotations

import bisect
import itertools
from collections.abc import Iterator, Sequence
from dataclasses import dataclass
from typing import ClassVar, Literal, overload

import numpy as np

from ..jsonvalue import JSONObject, JSONValue


@dataclass(frozen=True, slots=True)
class SpanDisagreement:
    """A run of characters of one article that some of its coders marked with ``label`` and
    others (who worked on the article) did not."""

    KEYS: ClassVar[tuple[str, ...]] = (
        "kind",
        "label",
        "article_id",
        "start",
        "end",
        "text",
        "marked_by",
        "not_marked_by",
    )

    label: str
    article_id: int
    start: int
    end: int
    text: str
    marked_by: tuple[str, ...]
    not_marked_by: tuple[str, ...]
    kind: Literal["span"] = "span"

    def as_json(self) -> JSONObject:
        return {
            "kind": "span",
            "label": self.label,
            "article_id": self.article_id,
            "start": self.start,
            "end": self.end,
            "text": self.text,
            "marked_by": list(self.marked_by),
            "not_marked_by": list(self.not_marked_by),
        }

    def keys(self) -> tuple[str, ...]:
        """With ``__getitem__``: ``dict(d)`` is the JSON image."""
        return self.KEYS

    def __getitem__(self, key: str) -> JSONValue:
        if key == "marked_by" or key == "not_marked_by":
            names: tuple[str, ...] = getattr(self, key)
            return list(names)
        if key not in self.KEYS:
            raise KeyError(key)
        value: str | int = getattr(self, key)
        return value


@dataclass(frozen=True, slots=True)
class ScaleDisagreement:
    """A span whose reviewers gave different verdicts (``kind`` "verdict") or statuses
    ("status"): each reviewer's value, by reviewer name."""

    KEYS: ClassVar[tuple[str, ...]] = ("kind", "annotation_id", "values")

    kind: Literal["verdict", "status"]
    annotation_id: str
    values: tuple[tuple[str, str], ...]  # (reviewer, value), sorted by reviewer

    def as_json(self) -> JSONObject:
        return {"kind": self.kind, "annotation_id": self.annotation_id, "values": dict(self.values)}

    def keys(self) -> tuple[str, ...]:
        """With ``__getitem__``: ``dict(d)`` is the JSON image."""
        return self.KEYS

    def __getitem__(self, key: str) -> JSONValue:
        if key == "values":
            return dict(self.values)
        if key not in self.KEYS:
            raise KeyError(key)
        value: str = getattr(self, key)
        return value


Disagreement = SpanDisagreement | ScaleDisagreement


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

    def row(self, i: int) -> SpanDisagreement:
        marked, not_marked = self.names[int(self.pattern[i])]
        return SpanDisagreement(
            self.label,
            int(self.article_id[i]),
            int(self.start[i]),
            int(self.end[i]),
            self.text[i],
            marked,
            not_marked,
        )

    def json_rows(self) -> Iterator[JSONObject]:
        """Each run's JSON image straight from the columns (what ``row(i).as_json()`` gives,
        without building a million dataclasses on the way to ``--json``)."""
        names = [(list(marked), list(not_marked)) for marked, not_marked in self.names]
        for article_id, start, end, text, pattern in zip(
            self.article_id.tolist(),
            self.start.tolist(),
            self.end.tolist(),
            self.text,
            self.pattern.tolist(),
            strict=True,
        ):
            marked, not_marked = names[pattern]
            yield {
                "kind": "span",
                "label": self.label,
                "article_id": article_id,
                "start": start,
                "end": end,
                "text": text,
                "marked_by": list(marked),
                "not_marked_by": list(not_marked),
            }


Part = SpanRuns | ScaleDisagreement


class Disagreements(Sequence[Disagreement]):
    """Span runs and single verdict/status disagreements, in the order they were found."""

    def __init__(self, parts: Sequence[Part] = ()) -> None:
        self._parts = tuple(p for p in parts if not isinstance(p, SpanRuns) or len(p))
        self._ends = list(itertools.accumulate(len(p) if isinstance(p, SpanRuns) else 1 for p in self._parts))

    def __len__(self) -> int:
        return self._ends[-1] if self._ends else 0

    @overload
    def __getitem__(self, index: int) -> Disagreement: ...
    @overload
    def __getitem__(self, index: slice) -> Sequence[Disagreement]: ...
    def __getitem__(self, index: int | slice) -> Disagreement | Sequence[Disagreement]:
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

    def __iter__(self) -> Iterator[Disagreement]:
        for part in self._parts:
            if isinstance(part, SpanRuns):
                for i in range(len(part)):
                    yield part.row(i)
            else:
                yield part

    def as_json(self) -> list[JSONObject]:
        """Every disagreement's JSON image, in order (the report's ``disagreements`` list)."""
        out: list[JSONObject] = []
        for part in self._parts:
            if isinstance(part, SpanRuns):
                out.extend(part.json_rows())
            else:
                out.append(part.as_json())
        return out

    def __eq__(self, other: object) -> bool:
        if not isinstance(other, Sequence) or isinstance(other, str):
            return NotImplemented
        return len(self) == len(other) and all(a == b for a, b in zip(self, other, strict=True))

    __hash__ = None  # type: ignore[assignment]

    def __repr__(self) -> str:
        return f"Disagreements({len(self)})"
