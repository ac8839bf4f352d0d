"""Adjudication: an adjudicator takes A's, B's, both or neither span into the gold layer.

A gold span is a copy of a coder's span (new id, the coder kept as ``annotator``) marked
with ``curated_by``/``curated_at`` and ``gold_of`` (the original's id); the originals are
never touched. Deciding a place again replaces the gold spans of that label overlapping it,
so "neither" removes them. Each decision is an operation with an exact inverse.
"""

from __future__ import annotations

import dataclasses
import uuid
from collections.abc import Mapping, Sequence
from dataclasses import dataclass

from ..operations.base import Changes, OperationError, OpResult
from ..rows import Annotation, DeletedAnnotation
from ..store import Store, utc_now
from ..store.team_layers import GoldMark, gold_mark, gold_overlapping, set_gold_mark

GoldRow = tuple[Annotation | DeletedAnnotation, GoldMark]


def _span(item: Annotation | DeletedAnnotation) -> Annotation:
    return item.annotation if isinstance(item, DeletedAnnotation) else item


@dataclass(frozen=True)
class ReplaceGold:
    """Remove some gold spans and put others (complete rows with their marks) in their place."""

    remove: tuple[str, ...]
    add: tuple[GoldRow, ...]
    who: str
    label_text: str

    @property
    def text(self) -> str:
        return self.label_text

    def apply(self, store: Store) -> OpResult:
        removed: list[GoldRow] = []
        spans: list[tuple[int, int, int]] = []
        for gid in self.remove:
            mark = gold_mark(store, gid)
            if mark is None:
                raise OperationError("a gold span it would remove was deleted or changed since.")
            deleted = store.annotations.delete(gid, self.who)
            removed.append((dataclasses.replace(deleted, relations=()), mark))
            row = deleted.annotation
            spans.append((row.article_id, row.start, row.end))
        for item, mark in self.add:
            row = _span(item)
            if store.annotations.exists(row.id):
                raise OperationError("that gold span exists already.")
            store.annotations.insert_annotations([item], who=self.who)
            set_gold_mark(store, row.id, mark)
            spans.append((row.article_id, row.start, row.end))
        ids = frozenset(self.remove) | frozenset(_span(r).id for r, _m in self.add)
        changes = Changes(annotations=ids, spans=tuple(spans), articles=frozenset(a for a, _s, _e in spans))
        inverse = ReplaceGold(tuple(_span(r).id for r, _m in self.add), tuple(removed), self.who, self.label_text)
        return OpResult(changes, inverse)


def adjudicate(
    store: Store,
    take: Sequence[str],
    who: str,
    *,
    article_id: int | None = None,
    label: str | None = None,
    start: int | None = None,
    end: int | None = None,
) -> ReplaceGold:
    """The operation that makes ``take`` (coders' span ids; empty = neither) the gold layer at
    their place: ``[start, end)`` of ``label`` in the article, by default the extent of ``take``."""
    originals = [store.annotations.get(a) for a in take]
    if any(gold_mark(store, o.id) is not None for o in originals):
        raise OperationError("only coders' spans can be taken into the gold layer, not gold copies.")
    if originals:
        article_id = originals[0].article_id if article_id is None else article_id
        label = originals[0].label if label is None else label
        if any(o.article_id != article_id or o.label != label for o in originals):
            raise OperationError("the spans taken together must be in one article and carry one label.")
        start = min(o.start for o in originals) if start is None else start
        end = max(o.end for o in originals) if end is None else end
    if article_id is None or label is None or start is None or end is None:
        raise OperationError("say which place to decide: the spans to take, or an article, label and range.")
    now = utc_now()
    rows: list[GoldRow] = []
    for o in originals:
        copy = o.replace(id=str(uuid.uuid4()), created_at=now, updated_at=now)
        rows.append((copy, GoldMark(who, now, o.id)))
    who_of = ", ".join(sorted({o.annotator or "?" for o in originals})) or "neither"
    text = f"Gold: take {who_of} ({label} {start}–{end})"
    return ReplaceGold(tuple(gold_overlapping(store, article_id, label, start, end)), tuple(rows), who, text)


@dataclass(frozen=True)
class LaneSpan:
    id: str
    annotator: str
    start: int
    end: int
    text: str


@dataclass(frozen=True)
class Place:
    """One place to adjudicate: overlapping coders' spans of one label, one lane per coder."""

    article_id: int
    label: str
    start: int
    end: int
    lanes: Mapping[str, tuple[LaneSpan, ...]]  # coder -> their spans here (empty: none)
    gold: tuple[LaneSpan, ...]  # what the gold layer holds here now

    @property
    def disagreement(self) -> bool:
        shapes = {tuple((s.start, s.end) for s in spans) for spans in self.lanes.values()}
        return len(shapes) > 1


def places(store: Store, article_id: int) -> tuple[tuple[str, ...], list[Place]]:
    """The coders of an article and its places in text order: each group of coders' spans of a
    label that overlap one another (a chain of overlaps is one place)."""
    rows = store.annotations.for_article(article_id)
    marks = {r.id: gold_mark(store, r.id) for r in rows}
    coders = tuple(sorted({r.annotator for r in rows if marks[r.id] is None}))
    out: list[Place] = []
    for label in sorted({r.label for r in rows}):
        mine = sorted((r for r in rows if r.label == label and marks[r.id] is None), key=lambda r: (r.start, r.end))
        groups: list[list[Annotation]] = []
        for r in mine:
            if groups and r.start < max(x.end for x in groups[-1]):
                groups[-1].append(r)
            else:
                groups.append([r])
        for g in groups:
            start, end = min(x.start for x in g), max(x.end for x in g)
            lanes = {c: tuple(LaneSpan(x.id, c, x.start, x.end, x.text) for x in g if x.annotator == c) for c in coders}
            gold = tuple(
                LaneSpan(r.id, r.annotator, r.start, r.end, r.text)
                for r in rows
                if r.label == label and marks[r.id] is not None and r.start < end and r.end > start
            )
            out.append(Place(article_id, label, start, end, lanes, gold))
    out.sort(key=lambda p: (p.start, p.end, p.label))
    return coders, out
