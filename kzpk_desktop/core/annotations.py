"""Spans and their invariants: the only way annotations are made, edited or removed.

The span text is never taken from the caller: it is sliced from the stored article
text, so ``text[start:end] == span text`` holds by construction (and the store's write
gateway checks it again before every insert; ``kzpk check`` verifies stored rows).
"""

from __future__ import annotations

import uuid
from typing import Any

from .errors import SpanError, StoreError
from .rows import Annotation, DeletedAnnotation, Value
from .schema import ANNOTATION_STATUSES
from .store import Store, utc_now


def validate_span(text: str, start: int, end: int) -> None:
    """Reject spans that cannot be stored, with a sentence that says why."""
    if not isinstance(start, int) or not isinstance(end, int):
        raise SpanError("Span offsets must be whole numbers.")
    if end < start:
        raise SpanError(f"The span is reversed (start {start} is after end {end}).")
    if end == start:
        raise SpanError("The span is empty: select some text first.")
    if start < 0 or end > len(text):
        raise SpanError(f"The span {start}-{end} lies outside the article (which has {len(text)} characters).")
    if not text[start:end].strip():
        raise SpanError("The span holds only whitespace.")


def build_annotation(
    store: Store,
    article_id: int,
    start: int,
    end: int,
    label: str,
    *,
    annotator: str = "",
    note: str = "",
    status: str = "unreviewed",
    expected_text: str | None = None,
    annotation_id: str | None = None,
) -> Annotation:
    """A complete, validated annotation row (not yet saved)."""
    text = store.articles.text(article_id)
    validate_span(text, start, end)
    span = text[start:end]
    if expected_text is not None and expected_text != span:
        raise SpanError(
            f"The selected text {expected_text!r} does not match the article at {start}-{end} "
            f"({span!r}); nothing was saved."
        )
    if label not in {lab.id for lab in store.labels.all()}:
        raise SpanError(f"There is no label '{label}'.")
    if status not in ANNOTATION_STATUSES:
        raise SpanError(f"Unknown status '{status}' (expected one of {', '.join(ANNOTATION_STATUSES)}).")
    now = utc_now()
    return Annotation(
        id=annotation_id or str(uuid.uuid4()),
        article_id=article_id,
        start=start,
        end=end,
        label=label,
        text=span,
        note=note,
        annotator=annotator,
        status=status,
        created_at=now,
        updated_at=now,
    )


def create_annotation(store: Store, article_id: int, start: int, end: int, label: str, **kwargs: Any) -> Annotation:
    """Validate and save one span at once; returns the saved row."""
    row = build_annotation(store, article_id, start, end, label, **kwargs)
    store.annotations.insert_annotations([row], who=kwargs.get("annotator", ""))
    return row


def restore_annotation(store: Store, deleted: DeletedAnnotation, who: str) -> None:
    """Put back a deleted annotation exactly as it was (same id, timestamps, fields, links)."""
    row = deleted.annotation
    text = store.articles.text(row.article_id)
    validate_span(text, row.start, row.end)
    if text[row.start : row.end] != row.text:
        raise SpanError("The annotation no longer matches its article text; it was not restored.")
    store.annotations.insert_annotations([deleted], who=who)


def edit_annotation(store: Store, annotation_id: str, who: str, **changes: Value) -> Annotation:
    if "status" in changes and changes["status"] not in ANNOTATION_STATUSES:
        raise SpanError(f"Unknown status '{changes['status']}'.")
    if "label" in changes and changes["label"] not in {lab.id for lab in store.labels.all()}:
        raise SpanError(f"There is no label '{changes['label']}'.")
    if "label" in changes or changes.get("entity_id") is not None:
        merged = store.annotations.get(annotation_id).replace(**changes)
        if merged.entity_id is not None:
            kind = store.entities.get(merged.entity_id).kind
            if merged.label != kind:
                raise SpanError(
                    f"A {merged.label} span cannot be linked to an {kind}"
                    + (" (unlink it first)." if "label" in changes else ".")
                )
    return store.annotations.update(annotation_id, changes, who)


def delete_annotation(store: Store, annotation_id: str, who: str) -> DeletedAnnotation:
    """Delete and return the row as it was (for undo)."""
    return store.annotations.delete(annotation_id, who)


__all__ = [
    "SpanError",
    "StoreError",
    "build_annotation",
    "create_annotation",
    "delete_annotation",
    "edit_annotation",
    "restore_annotation",
    "validate_span",
]
