"""Span operations: create, delete, edit (label, note, status, link ...), and their inverses."""

from __future__ import annotations

from dataclasses import dataclass, field

from .. import annotations as ann
from ..rows import Annotation, DeletedAnnotation, FieldChanges
from ..store import Store
from .base import Changes, OperationError, OpResult


def short(text: str, n: int = 30) -> str:
    """A span's text for a menu entry: one line, at most ``n`` characters."""
    text = " ".join(text.split())
    return text if len(text) <= n else text[: n - 1] + "…"


def _span_changes(item: Annotation | DeletedAnnotation) -> Changes:
    """A span made or removed: its article's row (count, progress), its range, its links."""
    row, rels = (item.annotation, item.relations) if isinstance(item, DeletedAnnotation) else (item, ())
    rel_ids = frozenset(r.id for r in rels)
    ends = {x for r in rels for x in (r.source_id, r.target_id)}  # the other ends' links changed too
    return Changes(
        articles=frozenset({row.article_id}),
        annotations=frozenset({row.id, *ends}),
        spans=((row.article_id, row.start, row.end),),
        relations=rel_ids,
        entities=frozenset({row.entity_id}) if row.entity_id is not None else frozenset(),
    )


@dataclass(frozen=True)
class CreateAnnotation:
    """Save a span built by :func:`annotations.build_annotation` (or one being restored)."""

    row: Annotation | DeletedAnnotation  # deleted: a restore, links and review rows included
    who: str
    label_text: str = ""
    restore_status: str | None = None  # the article's progress to put back (undo of a delete)

    @property
    def span(self) -> Annotation:
        return self.row.annotation if isinstance(self.row, DeletedAnnotation) else self.row

    @property
    def text(self) -> str:
        return self.label_text or f"Tag {self.span.label} “{short(self.span.text)}”"

    def apply(self, store: Store) -> OpResult:
        span = self.span
        if store.annotations.exists(span.id):
            raise OperationError("that span exists already.")
        status_before = store.articles.status(span.article_id)
        if isinstance(self.row, DeletedAnnotation):  # a restore: the row is exact
            ann.restore_annotation(store, self.row, self.who)
        else:
            store.annotations.insert_annotations([self.row], who=self.who)
        if self.restore_status is not None and store.articles.status(span.article_id) != self.restore_status:
            store.articles.set_status(span.article_id, self.restore_status, self.who)
        inverse = DeleteAnnotation(span.id, self.who, self.text, restore_status=status_before)
        return OpResult(_span_changes(self.row), inverse)


@dataclass(frozen=True)
class DeleteAnnotation:
    """Delete a span (its links, evidence and decisions go with it and come back on undo)."""

    annotation_id: str
    who: str
    label_text: str = ""
    restore_status: str | None = None  # the article's progress before the span was made (undo of a tag)

    @property
    def text(self) -> str:
        return self.label_text or "Delete annotation"

    def apply(self, store: Store) -> OpResult:
        if not store.annotations.exists(self.annotation_id):
            raise OperationError("the span was deleted already.")
        status_before = store.articles.status(store.annotations.get(self.annotation_id).article_id)
        row = ann.delete_annotation(store, self.annotation_id, self.who)
        span = row.annotation
        if self.restore_status is not None and store.articles.status(span.article_id) != self.restore_status:
            store.articles.set_status(span.article_id, self.restore_status, self.who)
        text = self.label_text or f"Delete {span.label} “{short(span.text)}”"
        return OpResult(_span_changes(row), CreateAnnotation(row, self.who, text, restore_status=status_before))


@dataclass(frozen=True)
class EditAnnotation:
    """Change editable fields of a span. ``expect`` guards an undo: the fields must still
    hold the values this step left, or the undo refuses instead of overwriting newer work."""

    annotation_id: str
    changes: FieldChanges
    who: str
    label_text: str = ""
    expect: FieldChanges | None = field(default=None)

    @property
    def text(self) -> str:
        return self.label_text or f"Edit {', '.join(sorted(self.changes))}"

    def apply(self, store: Store) -> OpResult:
        if not store.annotations.exists(self.annotation_id):
            raise OperationError("the span was deleted since.")
        row = store.annotations.get(self.annotation_id)
        wanted = dict(self.changes)
        if self.expect is not None:
            moved = [k for k, v in self.expect.items() if k != "updated_at" and getattr(row, k) != v]
            if moved:
                raise OperationError(f"the span's {', '.join(sorted(moved))} changed since.")
            if row.updated_at != self.expect.get("updated_at", row.updated_at):
                wanted.pop("updated_at", None)  # edited since in other fields: the stamp stays new
        before: FieldChanges = {k: getattr(row, k) for k in wanted if k != "updated_at"}
        after = ann.edit_annotation(store, self.annotation_id, self.who, **wanted)
        if after.updated_at != row.updated_at:
            before["updated_at"] = row.updated_at
        entities = {v for v in (before.get("entity_id"), after.entity_id) if isinstance(v, int)}
        review_keys = {"status", "verdict", "confidence", "reviewer", "reviewed_at", "evidence_url", "evidence_note"}
        changed = {k for k in before if before[k] != getattr(after, k)}
        changes = Changes(
            annotations=frozenset({self.annotation_id}),
            spans=((row.article_id, row.start, row.end),),
            entities=frozenset(entities),
            review=frozenset({self.annotation_id}) if changed & review_keys else frozenset(),
        )
        inverse = EditAnnotation(
            self.annotation_id, before, self.who, self.text, expect={k: getattr(after, k) for k in before}
        )
        if not changed:
            changes = Changes()
        return OpResult(changes, inverse)


@dataclass(frozen=True)
class ResizeAnnotation:
    """Move a span's boundaries, keeping its id, label, note, links, review and history."""

    annotation_id: str
    start: int
    end: int
    who: str
    updated_at: str | None = None  # an undo puts the old stamp back

    @property
    def text(self) -> str:
        return "Resize span"

    def apply(self, store: Store) -> OpResult:
        if not store.annotations.exists(self.annotation_id):
            raise OperationError("the span was deleted since.")
        before = store.annotations.move(self.annotation_id, self.start, self.end, self.who, self.updated_at)
        article = before.article_id
        changes = Changes(
            annotations=frozenset({self.annotation_id}),
            spans=((article, before.start, before.end), (article, self.start, self.end)),
        )
        return OpResult(
            changes,
            ResizeAnnotation(self.annotation_id, before.start, before.end, self.who, before.updated_at),
        )
