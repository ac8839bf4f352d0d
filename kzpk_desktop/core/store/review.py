"""Review sessions, decisions, evidence items and summary counts."""

from __future__ import annotations

import json
from collections.abc import Iterator, Sequence
from dataclasses import dataclass
from typing import Any

from ..errors import NotFoundError
from ..rows import Annotation, Evidence, ExportRow, FieldChanges, ReviewDecision, ReviewSession
from .annotations import AnnotationsRepository
from .base import (
    _EVIDENCE_INSERT,
    _EVIDENCE_SELECT,
    EVIDENCE_PROVENANCE,
    Repository,
    StoreBase,
    _q,
    date_range,
    utc_now,
)

_SESSION_SELECT = (
    "SELECT id, reviewer, started_at, ended_at, scope, position, json_array_length(queue), queue FROM review_sessions "
)
REVIEW_FIELDS = (
    "status",
    "verdict",
    "confidence",
    "reviewer",
    "reviewed_at",
    "evidence_url",
    "evidence_note",
    "updated_at",
)


@dataclass(frozen=True)
class ReviewSnapshot:
    """An annotation's review fields, evidence rows and decision ids at one moment."""

    annotation_id: str
    article_id: int
    fields: FieldChanges
    evidence: tuple[tuple[Any, ...], ...]
    decisions: tuple[tuple[Any, ...], ...]
    article_status: str


class ReviewRepository(Repository):
    """Review sessions, decisions, evidence items, summary counts and the export stream."""

    def __init__(self, store: StoreBase, annotations: AnnotationsRepository) -> None:
        super().__init__(store)
        self.annotations = annotations  # a decision reads and rewrites the span's row

    # --- review ---------------------------------------------------------------------------
    def review_queue(
        self,
        *,
        label: str | None,
        article_id: int | None,
        date_from: str | None,
        date_to: str | None,
        only_unreviewed: bool,
    ) -> list[str]:
        where: list[str] = []
        params: list[Any] = []
        if label:
            where.append("ann.label = ?")
            params.append(label)
        if article_id is not None:
            where.append("ann.article_id = ?")
            params.append(article_id)
        if only_unreviewed:
            where.append("ann.reviewed_at IS NULL")
        date_range("a.date", date_from, date_to, where, params)
        sql = (
            "SELECT ann.id FROM annotations ann JOIN articles a ON a.id = ann.article_id "
            + ("WHERE " + " AND ".join(where) if where else "")
            + ' ORDER BY a.date IS NULL, a.date, a.id, ann.start, ann."end"'
        )
        return [r[0] for r in self.conn.execute(sql, params)]

    def insert_session(self, reviewer: str, scope: str, queue: str) -> int:
        with self.transaction() as c:
            cur = c.execute(
                "INSERT INTO review_sessions (reviewer, started_at, scope, queue) VALUES (?, ?, ?, ?)",
                (reviewer, utc_now(), scope, queue),
            )
            sid = int(cur.lastrowid or 0)
            self._log(c, reviewer, "start", "review_session", str(sid), None, {"scope": json.loads(scope)})
        return sid

    def session(self, session_id: int) -> ReviewSession:
        row = self.conn.execute(_SESSION_SELECT + "WHERE id = ?", (session_id,)).fetchone()
        if row is None:
            raise NotFoundError(f"There is no review session {session_id}.")
        return ReviewSession.from_row(row)

    def sessions(self) -> list[ReviewSession]:
        """Every session, newest first, without their queues (``size`` counts them)."""
        return [
            ReviewSession.from_row(r)
            for r in self.conn.execute(
                "SELECT id, reviewer, started_at, ended_at, scope, position, json_array_length(queue) "
                "FROM review_sessions ORDER BY id DESC"
            )
        ]

    def open_session(self, reviewer: str) -> ReviewSession | None:
        row = self.conn.execute(
            _SESSION_SELECT + "WHERE reviewer = ? AND ended_at IS NULL ORDER BY id DESC LIMIT 1", (reviewer,)
        ).fetchone()
        return ReviewSession.from_row(row) if row else None

    def set_session_position(self, session_id: int, position: int) -> None:
        with self.transaction() as c:
            c.execute("UPDATE review_sessions SET position = ? WHERE id = ?", (position, session_id))

    def end_session(self, session_id: int) -> None:
        with self.transaction() as c:
            c.execute(
                "UPDATE review_sessions SET ended_at = ? WHERE id = ? AND ended_at IS NULL", (utc_now(), session_id)
            )

    def evidence_for(self, annotation_id: str) -> list[Evidence]:
        return [
            Evidence.from_row(r)
            for r in self.conn.execute(
                "SELECT url, quote, stance, note FROM evidence WHERE annotation_id = ? ORDER BY position",
                (annotation_id,),
            )
        ]

    def insert_evidence(self, annotation_id: str, items: Sequence[Evidence]) -> None:
        """Evidence items as exported (JSONL import); appended after any already there."""
        if not items:
            return
        with self.transaction() as c:
            start = c.execute(
                "SELECT coalesce(max(position) + 1, 0) FROM evidence WHERE annotation_id = ?", (annotation_id,)
            ).fetchone()[0]
            c.executemany(
                "INSERT INTO evidence (annotation_id, position, url, quote, stance, note) VALUES (?, ?, ?, ?, ?, ?)",
                [(annotation_id, start + i, e.url, e.quote, e.stance, e.note) for i, e in enumerate(items)],
            )

    def decisions_for(self, annotation_id: str) -> list[ReviewDecision]:
        return [
            ReviewDecision.from_row(r)
            for r in self.conn.execute(
                f"SELECT {', '.join(ReviewDecision.FIELDS)} FROM review_decisions WHERE annotation_id = ? ORDER BY id",
                (annotation_id,),
            )
        ]

    def record_decision(
        self,
        annotation_id: str,
        reviewer: str,
        status: str,
        verdict: str | None,
        confidence: str | None,
        evidence: Sequence[Evidence],
        session_id: int | None,
        new_position: int | None,
    ) -> None:
        """One transaction: the annotation's review state, its evidence, the decision row, the session."""
        now = utc_now()
        with self.transaction() as c:
            before = self.annotations._annotation(c, annotation_id)
            if before is None:
                raise NotFoundError(f"There is no annotation with id {annotation_id}.")
            old_evidence = self.evidence_for(annotation_id)
            first = evidence[0] if evidence else None
            changes: FieldChanges = {
                "status": status,
                "verdict": verdict,
                "confidence": confidence,
                "reviewer": reviewer,
                "reviewed_at": now,
                "evidence_url": first.url if first else None,
                "evidence_note": (first.note or first.quote or None) if first else None,
                "updated_at": now,
            }
            c.execute(
                f"UPDATE annotations SET {', '.join(f'{_q(k)} = ?' for k in changes)} WHERE id = ?",
                [*changes.values(), annotation_id],
            )
            kept = {
                row[0]: row[1:]
                for row in c.execute(  # provenance of items whose URL stays
                    f"SELECT url, {', '.join(EVIDENCE_PROVENANCE)} FROM evidence WHERE annotation_id = ?",
                    (annotation_id,),
                )
            }
            c.execute("DELETE FROM evidence WHERE annotation_id = ?", (annotation_id,))
            c.executemany(
                "INSERT INTO evidence (annotation_id, position, url, quote, stance, note) VALUES (?, ?, ?, ?, ?, ?)",
                [(annotation_id, i, e.url, e.quote, e.stance, e.note) for i, e in enumerate(evidence)],
            )
            for url, values in kept.items():
                c.execute(
                    f"UPDATE evidence SET {', '.join(f'{k} = ?' for k in EVIDENCE_PROVENANCE)} "
                    "WHERE annotation_id = ? AND url = ?",
                    (*values, annotation_id, url),
                )
            c.execute(
                "INSERT INTO review_decisions (session_id, annotation_id, reviewer, decided_at, status, "
                "verdict, confidence) VALUES (?, ?, ?, ?, ?, ?, ?)",
                (session_id, annotation_id, reviewer, now, status, verdict, confidence),
            )
            if session_id is not None and new_position is not None:
                c.execute(
                    "UPDATE review_sessions SET position = max(position, ?) WHERE id = ?", (new_position, session_id)
                )
            remaining = c.execute(
                "SELECT count(*) FROM annotations WHERE article_id = ? AND reviewed_at IS NULL", (before.article_id,)
            ).fetchone()[0]
            if remaining == 0:
                c.execute("UPDATE article_progress SET status = 'reviewed' WHERE article_id = ?", (before.article_id,))
            self._log(
                c,
                reviewer,
                "review",
                "annotation",
                annotation_id,
                {
                    **{k: getattr(before, k) for k in changes if k in Annotation.FIELDS},
                    "evidence": [e.as_json() for e in old_evidence],
                },
                {**changes, "evidence": [e.as_json() for e in evidence], "session": session_id},
            )

    def review_summary(self, session_id: int | None = None) -> dict[str, list[tuple[str, int]]]:
        """Counts by decision/status, verdict, label, article and reviewer."""
        if session_id is not None:
            base = (
                "FROM review_decisions d JOIN annotations ann ON ann.id = d.annotation_id "
                "JOIN articles a ON a.id = ann.article_id WHERE d.session_id = ?"
            )
            params: list[Any] = [session_id]
            status_col, verdict_col, reviewer_col = "d.status", "d.verdict", "d.reviewer"
        else:
            base = "FROM annotations ann JOIN articles a ON a.id = ann.article_id WHERE 1"
            params = []
            status_col, verdict_col, reviewer_col = "ann.status", "ann.verdict", "ann.reviewer"

        def counts(expr: str, extra: str = "") -> list[tuple[str, int]]:
            sql = f"SELECT {expr} AS k, count(*) {base} {extra} GROUP BY k ORDER BY count(*) DESC, k"
            return [(str(k), n) for k, n in self.conn.execute(sql, params)]

        return {
            "decision": counts(status_col),
            "verdict": counts(verdict_col, f"AND {verdict_col} IS NOT NULL"),
            "label": counts("ann.label"),
            "article": counts("a.title"),
            "reviewer": counts(reviewer_col, f"AND {reviewer_col} IS NOT NULL"),
        }

    def iter_export_rows(
        self, where: str = "", params: Sequence[Any] = (), context_width: int = 40
    ) -> Iterator[ExportRow]:
        """Annotations joined with their article, streamed (never all in memory)."""
        w = int(context_width)
        sql = f"""
            SELECT ann.id AS annotation_id, ann.article_id, a.title AS article_title,
                   a.source AS article_source, a.date AS article_date, a.file_name AS article_file,
                   ann.label, ann.start, ann."end", ann.text,
                   substr(a.text, max(ann.start - {w}, 0) + 1, ann.start - max(ann.start - {w}, 0))
                       AS context_before,
                   substr(a.text, ann."end" + 1, {w}) AS context_after,
                   e.name AS entity, ann.entity_id, ann.claim_type, ann.confidence,
                   ann.verdict, ann.evidence_url, ann.evidence_note, ann.note, ann.status,
                   ann.annotator, ann.reviewer, ann.reviewed_at, ann.created_at, ann.updated_at,
                   ann.curated_by, ann.curated_at
            FROM annotations ann JOIN articles a ON a.id = ann.article_id
            LEFT JOIN entities e ON e.id = ann.entity_id
            {where}
            ORDER BY ann.article_id, ann.start, ann."end", ann.id
        """
        return map(ExportRow._make, self.conn.execute(sql, list(params)))

    # --- undo support ---------------------------------------------------------------------
    def review_snapshot(self, annotation_id: str) -> ReviewSnapshot:
        """Everything a review decision changes about one annotation, to put it back on undo."""
        row = self.annotations._annotation(self.conn, annotation_id)
        if row is None:
            raise NotFoundError(f"There is no annotation with id {annotation_id}.")
        evidence = tuple(tuple(r) for r in self.conn.execute(_EVIDENCE_SELECT + " ORDER BY position", (annotation_id,)))
        decisions = tuple(
            tuple(r)
            for r in self.conn.execute(
                "SELECT id, session_id, annotation_id, reviewer, decided_at, status, verdict, confidence, uuid "
                "FROM review_decisions WHERE annotation_id = ? ORDER BY id",
                (annotation_id,),
            )
        )
        status = self.conn.execute(
            "SELECT status FROM article_progress WHERE article_id = ?", (row.article_id,)
        ).fetchone()
        return ReviewSnapshot(
            annotation_id,
            row.article_id,
            {k: getattr(row, k) for k in REVIEW_FIELDS},
            evidence,
            decisions,
            status[0] if status else "not_started",
        )

    def restore_review(self, snap: ReviewSnapshot, who: str) -> None:
        """Put an annotation's review state back as :meth:`review_snapshot` saw it.

        Decisions made since are removed (the change log keeps them); refuses when the
        annotation is gone.
        """
        with self.transaction() as c:
            before = self.annotations._annotation(c, snap.annotation_id)
            if before is None:
                raise NotFoundError("the annotation it reviewed was deleted since.")
            c.execute(
                f"UPDATE annotations SET {', '.join(f'{_q(k)} = ?' for k in snap.fields)} WHERE id = ?",
                [*snap.fields.values(), snap.annotation_id],
            )
            c.execute("DELETE FROM evidence WHERE annotation_id = ?", (snap.annotation_id,))
            c.executemany(_EVIDENCE_INSERT, snap.evidence)
            keep = ",".join(str(int(d[0])) for d in snap.decisions) or "-1"  # (NOT IN (NULL) never holds)
            c.execute(
                f"DELETE FROM review_decisions WHERE annotation_id = ? AND id NOT IN ({keep})", (snap.annotation_id,)
            )
            c.executemany(
                "INSERT OR IGNORE INTO review_decisions (id, session_id, annotation_id, reviewer, "
                "decided_at, status, verdict, confidence, uuid) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?)",
                snap.decisions,
            )
            c.execute(
                "UPDATE article_progress SET status = ? WHERE article_id = ?", (snap.article_status, snap.article_id)
            )
            self._log(
                c,
                who,
                "restore_review",
                "annotation",
                snap.annotation_id,
                {k: getattr(before, k) for k in snap.fields},
                dict(snap.fields),
            )
