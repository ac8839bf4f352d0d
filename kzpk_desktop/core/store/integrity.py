"""`kzpk check`: every problem in a database, as sentences.

Each check runs on its own: on a damaged file (a dropped table, an unreadable page) one
that cannot run becomes a sentence saying so, and the others still report.
"""

from __future__ import annotations

import sqlite3

from ..schema import KNOWN_MIGRATIONS, RELATION_TYPES
from .base import (
    EXPECTED_TRIGGERS,
    Repository,
)
from .ownership import READABLE_WITHOUT


class IntegrityRepository(Repository):
    """`kzpk check`: reads everything, writes nothing."""

    # --- integrity ------------------------------------------------------------------------
    def check(self) -> list[str]:
        """Every problem found, as sentences; an empty list means the database is sound."""
        problems: list[str] = []
        conn = self.conn
        guarded = getattr(conn, "damaged_path", None)
        if guarded is not None:  # here a damaged page is a finding, not an error to raise
            conn.damaged_path = None  # type: ignore[attr-defined]
        try:
            for name, part in (
                ("integrity", self._check_integrity),
                ("schema", self._check_schema),
                ("rows", self._check_rows),
                ("text", self.undecodable_text),
            ):
                try:
                    problems.extend(part())
                except sqlite3.DatabaseError as err:
                    problems.append(f"the {name} checks could not run: {err}")
        finally:
            if guarded is not None:
                conn.damaged_path = guarded  # type: ignore[attr-defined]
        # What only the open could see (committed WAL frames SQLite dropped, missing tables).
        seen_at_open = [d for d in self.store.damage if not any(d in p for p in problems)]
        return seen_at_open + problems

    def undecodable_text(self) -> list[str]:
        """Rows whose text holds bytes that are not UTF-8 (shown with U+FFFD when read)."""
        c = self.conn
        tables = [
            r[0]
            for r in c.execute(
                "SELECT name FROM sqlite_master WHERE type = 'table' AND name NOT LIKE 'sqlite%' "
                "AND name NOT LIKE '%\\_fts%' ESCAPE '\\' AND sql NOT LIKE 'CREATE VIRTUAL%' "
                "AND sql NOT LIKE '%WITHOUT ROWID%' ORDER BY name"
            )
        ]  # (bookkeeping tables: ids only, no text)
        found: list[str] = []
        for table in tables:
            columns = [r[1] for r in c.execute(f'PRAGMA table_info("{table}")') if str(r[2]).upper() == "TEXT"]
            for column in columns:
                rows = c.execute(
                    f'SELECT rowid, CAST("{column}" AS BLOB) FROM "{table}" WHERE typeof("{column}") = \'text\''
                )
                for rowid, raw in rows:
                    try:
                        raw.decode("utf-8")
                    except UnicodeDecodeError as err:
                        found.append(
                            f"{table} row {rowid}: its {column} holds bytes that are not UTF-8 "
                            f"(at byte {err.start}); they read as U+FFFD"
                        )
                        if len(found) >= 100:
                            return found
        return found

    def _check_integrity(self) -> list[str]:
        integrity = [str(r[0]) for r in self.conn.execute("PRAGMA integrity_check").fetchall()]
        if integrity == ["ok"]:
            return []
        return [
            f"SQLite integrity: {' '.join(m.replace('*** in database main ***', '').split())}" for m in integrity[:20]
        ]

    def _check_schema(self) -> list[str]:
        problems: list[str] = []
        c = self.conn
        missing = set(KNOWN_MIGRATIONS) - set(self.store.applied_migrations()) - READABLE_WITHOUT
        if missing:
            problems.append(f"schema steps not applied: {', '.join(sorted(missing))}")
        triggers = {r[0] for r in c.execute("SELECT name FROM sqlite_master WHERE type='trigger'")}
        for name in EXPECTED_TRIGGERS:
            if name not in triggers:
                problems.append(f"safety trigger '{name}' is missing from the schema")
        return problems

    def _check_rows(self) -> list[str]:
        problems: list[str] = []
        c = self.conn
        for table, rowid, parent, _fk in c.execute("PRAGMA foreign_key_check").fetchall()[:100]:
            problems.append(f"{table} row {rowid} points to a missing row in {parent}")
        bad_spans = c.execute(
            'SELECT ann.id, ann.article_id, ann.start, ann."end" FROM annotations ann '
            "LEFT JOIN articles a ON a.id = ann.article_id "
            'WHERE a.id IS NOT NULL AND (ann.start < 0 OR ann."end" <= ann.start '
            'OR ann."end" > length(a.text) '
            'OR substr(a.text, ann.start + 1, ann."end" - ann.start) IS NOT ann.text) LIMIT 100'
        ).fetchall()
        for ann_id, art, start, end in bad_spans:
            problems.append(
                f"annotation {ann_id} (article {art}, {start}-{end}): its text does not match "
                "the article text at its offsets"
            )
        bad_relations = c.execute(
            "SELECT r.id, r.type, s.label, t.label FROM relations r JOIN annotations s ON s.id = r.source_id "
            "JOIN annotations t ON t.id = r.target_id LIMIT 10000"
        ).fetchall()
        for rid, rtype, slab, tlab in bad_relations:
            if RELATION_TYPES.get(rtype) != (slab, tlab):
                problems.append(f"relation {rid}: '{rtype}' cannot link a {slab} to a {tlab}")
        bad_links = c.execute(
            "SELECT ann.id, ann.label, e.kind FROM annotations ann JOIN entities e ON e.id = ann.entity_id "
            "WHERE e.kind != ann.label LIMIT 100"
        ).fetchall()
        for ann_id, label, kind in bad_links:
            problems.append(f"annotation {ann_id}: a {label} span is linked to an {kind}")
        twins = c.execute(
            "SELECT e.id, e.kind, e.name, k.id FROM entities e JOIN entities k ON k.kind = e.kind "
            "AND e.name_key = k.name_key || '#' || e.id LIMIT 100"
        ).fetchall()
        for eid, kind, name, other in twins:
            problems.append(
                f"{kind} {eid} “{name}” has the same name as {kind} {other} (in another case or form); merge them"
            )
        bad_counts = c.execute(
            "SELECT a.id, p.n_annotations FROM articles a LEFT JOIN article_progress p ON p.article_id = a.id "
            "WHERE p.n_annotations IS NOT (SELECT count(*) FROM annotations x WHERE x.article_id = a.id) LIMIT 100"
        ).fetchall()
        for art, n in bad_counts:
            problems.append(
                f"article {art}: "
                + ("its progress record is missing" if n is None else "its annotation count is out of date")
            )
        return problems
