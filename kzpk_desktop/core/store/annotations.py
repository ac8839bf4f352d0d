"""Annotations and the typed relations between them; the export row stream."""

from __future__ import annotations

import sqlite3
from collections.abc import Iterator, Sequence
from typing import Any

from ..errors import NotFoundError, StoreError
from ..rows import Annotation, ClaimRow, DeletedAnnotation, FieldChanges, Relation
from .articles import ArticlesRepository
from .base import (
    _EVIDENCE_INSERT,
    _EVIDENCE_SELECT,
    ANNOTATION_FIELDS,
    EDITABLE_FIELDS,
    RELATION_FIELDS,
    Repository,
    StoreBase,
    _q,
    utc_now,
)


class AnnotationsRepository(Repository):
    """Spans and the typed relations between them; the claim stream."""

    def __init__(self, store: StoreBase, articles: ArticlesRepository) -> None:
        super().__init__(store)
        self.articles = articles  # spans are checked against their article's text

    # --- annotations ----------------------------------------------------------------------
    def _annotation(self, c: sqlite3.Connection, annotation_id: str) -> Annotation | None:
        cur = c.execute(
            f"SELECT {', '.join(_q(f) for f in ANNOTATION_FIELDS)} FROM annotations WHERE id = ?", (annotation_id,)
        )
        row = cur.fetchone()
        return Annotation.from_row(row) if row else None

    def get(self, annotation_id: str) -> Annotation:
        row = self._annotation(self.conn, annotation_id)
        if row is None:
            raise NotFoundError(f"There is no annotation with id {annotation_id}.")
        return row

    def for_article(self, article_id: int) -> list[Annotation]:
        cur = self.conn.execute(
            f"SELECT {', '.join(_q(f) for f in ANNOTATION_FIELDS)} FROM annotations "
            'WHERE article_id = ? ORDER BY start, "end", created_at',
            (article_id,),
        )
        return [Annotation.from_row(r) for r in cur]

    def insert_annotations(self, items: Sequence[Annotation | DeletedAnnotation], who: str, log: bool = True) -> None:
        """Insert complete annotation rows (validated by the caller) in one transaction.

        A :class:`DeletedAnnotation` (from :meth:`delete`) brings its links back too, once
        both of their ends exist again, and its evidence and decision rows.
        """
        rows = [i.annotation if isinstance(i, DeletedAnnotation) else i for i in items]
        for row in rows:  # the offset invariant, checked at the gateway (O(1) str indexing)
            text = self.articles.text(row.article_id)
            s, e = row.start, row.end
            if not (isinstance(s, int) and isinstance(e, int) and 0 <= s < e <= len(text)) or text[s:e] != row.text:
                raise StoreError(
                    "The annotation was not saved: span text does not match the article text at its offsets."
                )
        cols = list(ANNOTATION_FIELDS)
        sql = f"INSERT INTO annotations ({', '.join(_q(c) for c in cols)}) VALUES ({', '.join('?' * len(cols))})"
        try:
            with self.transaction() as c:
                c.executemany(sql, ([getattr(row, k) for k in cols] for row in rows))
                if log:
                    for row in rows:
                        self._log(c, who, "create", "annotation", row.id, None, row.as_json())
                for item in items:
                    if not isinstance(item, DeletedAnnotation):
                        continue
                    for rel in item.relations:
                        if self._annotation(c, rel.source_id) and self._annotation(c, rel.target_id):
                            self._insert_relation(c, rel, who)
                    c.executemany(_EVIDENCE_INSERT, item.evidence)
                    c.executemany(
                        "INSERT INTO review_decisions (id, session_id, annotation_id, reviewer, decided_at, "
                        "status, verdict, confidence, uuid) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?)",
                        item.decisions,
                    )
        except sqlite3.IntegrityError as err:
            raise StoreError(f"The annotation was not saved: {err}.") from None

    def update(self, annotation_id: str, changes: FieldChanges, who: str) -> Annotation:
        bad = set(changes) - EDITABLE_FIELDS - {"updated_at"}
        if bad:
            raise StoreError(f"These annotation fields cannot be edited: {', '.join(sorted(bad))}.")
        with self.transaction() as c:
            before = self._annotation(c, annotation_id)
            if before is None:
                raise NotFoundError(f"There is no annotation with id {annotation_id}.")
            stamp = changes.get("updated_at") or utc_now()  # an undo puts the old stamp back
            changes = {k: v for k, v in changes.items() if getattr(before, k) != v and k != "updated_at"}
            if not changes:
                return before
            changes["updated_at"] = stamp
            sets = ", ".join(f"{_q(k)} = ?" for k in changes)
            try:
                c.execute(f"UPDATE annotations SET {sets} WHERE id = ?", [*changes.values(), annotation_id])
            except sqlite3.IntegrityError as err:
                raise StoreError(f"The change was not saved: {err}.") from None
            after = before.replace(**changes)
            self._log(
                c,
                who,
                "update",
                "annotation",
                annotation_id,
                {k: getattr(before, k) for k in changes},
                {k: getattr(after, k) for k in changes},
            )
        return after

    def move(self, annotation_id: str, start: int, end: int, who: str, updated_at: str | None = None) -> Annotation:
        """Move a span's boundaries in its article: its id, attributes, links and history stay.
        Returns the row as it was."""
        with self.transaction() as c:
            before = self._annotation(c, annotation_id)
            if before is None:
                raise NotFoundError(f"There is no annotation with id {annotation_id}.")
            text = self.articles.text(before.article_id)
            if not (isinstance(start, int) and isinstance(end, int) and 0 <= start < end <= len(text)):
                raise StoreError(f"The span cannot move to {start}-{end}: that is outside the article or empty.")
            span = text[start:end]
            if not span.strip():
                raise StoreError("The span would hold only whitespace.")
            stamp = updated_at or utc_now()
            c.execute(
                'UPDATE annotations SET start = ?, "end" = ?, text = ?, updated_at = ? WHERE id = ?',
                (start, end, span, stamp, annotation_id),
            )
            self._log(
                c,
                who,
                "resize",
                "annotation",
                annotation_id,
                {"start": before.start, "end": before.end, "text": before.text},
                {"start": start, "end": end, "text": span},
            )
        return before

    def delete(self, annotation_id: str, who: str) -> DeletedAnnotation:
        """Delete a span and (by cascade) its relations, evidence and decisions; all of
        them come back in the value returned, so an undo can restore them."""
        with self.transaction() as c:
            before = self._annotation(c, annotation_id)
            if before is None:
                raise NotFoundError(f"There is no annotation with id {annotation_id}.")
            relations = self._relations(c, "source_id = ? OR target_id = ?", [annotation_id, annotation_id])
            evidence = tuple(tuple(r) for r in c.execute(_EVIDENCE_SELECT, (annotation_id,)))
            decisions = tuple(
                tuple(r)
                for r in c.execute(
                    "SELECT id, session_id, annotation_id, reviewer, decided_at, status, verdict, confidence, uuid "
                    "FROM review_decisions WHERE annotation_id = ?",
                    (annotation_id,),
                )
            )
            c.execute("DELETE FROM annotations WHERE id = ?", (annotation_id,))
            for rel in relations:
                self._log(c, who, "delete", "relation", rel.id, rel.as_json(), None)
            self._log(c, who, "delete", "annotation", annotation_id, before.as_json(), None)
        return DeletedAnnotation(before, tuple(relations), evidence, decisions)

    # --- relations ------------------------------------------------------------------------
    def _relations(self, c: sqlite3.Connection, where: str, params: Sequence[Any]) -> list[Relation]:
        cur = c.execute(
            f"SELECT {', '.join(RELATION_FIELDS)} FROM relations WHERE {where} ORDER BY created_at, id", list(params)
        )
        return [Relation.from_row(r) for r in cur]

    def _insert_relation(self, c: sqlite3.Connection, rel: Relation, who: str) -> None:
        c.execute(
            f"INSERT INTO relations ({', '.join(RELATION_FIELDS)}) VALUES ({', '.join('?' * len(RELATION_FIELDS))})",
            [getattr(rel, k) for k in RELATION_FIELDS],
        )
        self._log(c, who, "create", "relation", rel.id, None, rel.as_json())

    def insert_relation(self, rel: Relation, who: str) -> None:
        try:
            with self.transaction() as c:
                self._insert_relation(c, rel, who)
        except sqlite3.IntegrityError as err:
            if "UNIQUE" in str(err):
                raise StoreError("These two spans are already linked that way.") from None
            raise StoreError(f"The link was not saved: {err}.") from None

    def delete_relation(self, relation_id: str, who: str) -> Relation:
        with self.transaction() as c:
            found = self._relations(c, "id = ?", [relation_id])
            if not found:
                raise NotFoundError(f"There is no relation with id {relation_id}.")
            c.execute("DELETE FROM relations WHERE id = ?", (relation_id,))
            self._log(c, who, "delete", "relation", relation_id, found[0].as_json(), None)
        return found[0]

    def relations_for_article(self, article_id: int) -> list[Relation]:
        return self._relations(
            self.conn, "source_id IN (SELECT id FROM annotations WHERE article_id = ?)", [article_id]
        )

    def relations_of(self, annotation_id: str) -> list[Relation]:
        return self._relations(self.conn, "source_id = ? OR target_id = ?", [annotation_id, annotation_id])

    def count(self) -> int:
        return int(self.conn.execute("SELECT count(*) FROM annotations").fetchone()[0])

    def exists(self, annotation_id: str) -> bool:
        return self.conn.execute("SELECT 1 FROM annotations WHERE id = ?", (annotation_id,)).fetchone() is not None

    def relation_exists(self, relation_id: str) -> bool:
        return self.conn.execute("SELECT 1 FROM relations WHERE id = ?", (relation_id,)).fetchone() is not None

    def iter_claims(self, where: str = "", params: Sequence[Any] = ()) -> Iterator[ClaimRow]:
        """Claim spans with their speaker(s) and the agreements they are about, in corpus order."""
        extra = f"AND {where}" if where else ""
        sql = f"""
            SELECT c.id AS claim_id, c.article_id, a.title AS article_title, a.source AS article_source,
                   a.date AS article_date, c.start, c."end", c.text AS claim, c.claim_type, c.status, c.verdict,
                   c.confidence, c.reviewer, c.reviewed_at, c.annotator, c.note,
                   (SELECT group_concat(coalesce(e.name, s.text), ' | ') FROM relations r
                      JOIN annotations s ON s.id = r.target_id LEFT JOIN entities e ON e.id = s.entity_id
                      WHERE r.source_id = c.id AND r.type = 'said_by') AS speaker,
                   (SELECT group_concat(s.entity_id, ' | ') FROM relations r
                      JOIN annotations s ON s.id = r.target_id
                      WHERE r.source_id = c.id AND r.type = 'said_by' AND s.entity_id IS NOT NULL)
                      AS speaker_entity_id,
                   (SELECT group_concat(coalesce(e.name, s.text), ' | ') FROM relations r
                      JOIN annotations s ON s.id = r.target_id LEFT JOIN entities e ON e.id = s.entity_id
                      WHERE r.source_id = c.id AND r.type = 'about') AS about_agreements
            FROM annotations c JOIN articles a ON a.id = c.article_id
            WHERE c.label = 'claim' {extra}
            ORDER BY c.article_id, c.start, c."end", c.id
        """
        return map(ClaimRow._make, self.conn.execute(sql, list(params)))
