"""Review operations: a decision (status, verdict, confidence, evidence) and its undo."""

from __future__ import annotations

from dataclasses import dataclass

from .. import review as rv
from ..store import Store
from ..store.review import ReviewSnapshot
from .base import Changes, OperationError, OpResult


def _changes(store: Store, annotation_id: str, article_id: int, status_before: str) -> Changes:
    row = store.annotations.get(annotation_id)
    moved = store.articles.status(article_id) != status_before
    return Changes(
        annotations=frozenset({annotation_id}),
        review=frozenset({annotation_id}),
        spans=((article_id, row.start, row.end),),
        articles=frozenset({article_id}) if moved else frozenset(),
    )


@dataclass(frozen=True)
class RecordDecision:
    """One reviewer's decision on one span, in a session or not; the same path as ``kzpk review decide``."""

    annotation_id: str
    decision: rv.Decision
    reviewer: str
    session_id: int | None = None
    new_position: int | None = None

    @property
    def text(self) -> str:
        return f"Review: {self.decision.status.replace('_', ' ')}"

    def apply(self, store: Store) -> OpResult:
        if not store.annotations.exists(self.annotation_id):
            raise OperationError("the span was deleted since.")
        row = store.annotations.get(self.annotation_id)
        rv.validate(self.decision, row.label)
        snap = store.review.review_snapshot(self.annotation_id)
        position = store.review.session(self.session_id).position if self.session_id is not None else None
        store.review.record_decision(
            self.annotation_id,
            self.reviewer,
            self.decision.status,
            self.decision.verdict,
            self.decision.confidence,
            list(self.decision.evidence),
            self.session_id,
            self.new_position,
        )
        changes = _changes(store, self.annotation_id, row.article_id, snap.article_status)
        if self.session_id is not None:
            changes |= Changes(sessions=frozenset({self.session_id}))
        return OpResult(changes, RestoreReview(snap, self.reviewer, self.text, self.session_id, position))


@dataclass(frozen=True)
class RestoreReview:
    """A span's review state, evidence, decisions and session position put back as they were:
    the undo of a decision, and (with the state after it) its redo."""

    snapshot: ReviewSnapshot
    who: str
    label_text: str
    session_id: int | None = None
    position: int | None = None

    @property
    def text(self) -> str:
        return self.label_text

    def apply(self, store: Store) -> OpResult:
        if not store.annotations.exists(self.snapshot.annotation_id):
            raise OperationError("the span was deleted since.")
        now = store.review.review_snapshot(self.snapshot.annotation_id)
        position = store.review.session(self.session_id).position if self.session_id is not None else None
        store.review.restore_review(self.snapshot, self.who)
        if self.session_id is not None and self.position is not None:
            store.review.set_session_position(self.session_id, self.position)
        changes = _changes(store, self.snapshot.annotation_id, self.snapshot.article_id, now.article_status)
        if self.session_id is not None:
            changes |= Changes(sessions=frozenset({self.session_id}))
        return OpResult(changes, RestoreReview(now, self.who, self.label_text, self.session_id, position))
