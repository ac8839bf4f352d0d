"""The one gateway to SQLite: connection, pragmas, transactions, and all SQL.

Every public write runs in its own ``BEGIN IMMEDIATE`` transaction (or a savepoint of
an enclosing one), so once a method returns, the change is durable in the WAL.
"""

from __future__ import annotations

import json
import re
import sqlite3
from collections.abc import Iterable, Iterator, Sequence
from contextlib import contextmanager
from dataclasses import dataclass
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

from sqlite_utils import Database

from .errors import NotFoundError, StoreError
from .schema import KNOWN_MIGRATIONS, MIGRATION_SET, RELATION_TYPES, migrations

SQLITE_MAGIC = b"SQLite format 3\x00"
BUSY_TIMEOUT_MS = 5000
ARTICLE_LIST_COLUMNS = ("id", "date", "source", "title", "n_annotations", "status")
ARTICLE_SORT_KEYS = {
    "id": "id",
    "date": "date",
    "source": "source COLLATE NOCASE",
    "title": "title COLLATE NOCASE",
    "n_annotations": "n_annotations",
    "status": "status",
}
ANNOTATION_FIELDS = (
    "id", "article_id", "start", "end", "label", "text", "note", "annotator", "status",
    "created_at", "updated_at", "verdict", "evidence_url", "evidence_note", "reviewer",
    "reviewed_at", "entity_id", "claim_type", "confidence",
)
EDITABLE_FIELDS = frozenset(
    {"label", "note", "status", "verdict", "evidence_url", "evidence_note", "reviewer",
     "reviewed_at", "annotator", "entity_id", "claim_type", "confidence"}
)
ENTITY_FIELDS = ("id", "kind", "name", "actor_type", "country", "role", "agreement_type",
                 "agreement_status", "date", "date_raw", "date_precision", "notes", "created_at",
                 "updated_at")
RELATION_FIELDS = ("id", "type", "source_id", "target_id", "annotator", "created_at")
EXPECTED_TRIGGERS = (
    "annotations_span_insert", "annotations_span_update", "articles_text_frozen",
    "annotations_count_insert", "annotations_count_delete",
    "changes_append_only_update", "changes_append_only_delete",
)


def utc_now() -> str:
    return datetime.now(UTC).isoformat(timespec="milliseconds").replace("+00:00", "Z")


def fts_query(words: str) -> str | None:
    """User words -> a safe FTS5 query: every token quoted, the last one a prefix."""
    tokens = re.findall(r"\w+", words, flags=re.UNICODE)
    if not tokens:
        return None
    quoted = [f'"{t}"' for t in tokens]
    quoted[-1] += "*"
    return " ".join(quoted)


@dataclass(frozen=True)
class ArticleFilter:
    search: str = ""
    status: str | None = None
    date_from: str | None = None  # ISO, inclusive
    date_to: str | None = None  # ISO, inclusive
    source: str | None = None


def _friendly(err: sqlite3.Error, path: Path | str) -> StoreError:
    msg = str(err)
    if "locked" in msg or "busy" in msg:
        return StoreError(
            f"The database '{path}' is busy: another program or window is writing to it. "
            "Nothing was changed; try again in a moment."
        )
    if "disk is full" in msg or "disk I/O" in msg:
        return StoreError(f"Could not write to '{path}': {msg}. Nothing was changed.")
    if "readonly" in msg:
        return StoreError(f"The database '{path}' is read-only here. Nothing was changed.")
    return StoreError(f"Database error in '{path}': {msg}.")


class Store:
    """An open project database. Create with :meth:`open`."""

    def __init__(self, db: Database, path: Path) -> None:
        self.db = db
        self.path = path
        self._text_cache: tuple[int, str] | None = None

    # --- opening -------------------------------------------------------------------------
    @classmethod
    def open(cls, path: str | Path, *, create: bool = True) -> Store:
        """Open (and upgrade) a project database, refusing anything that is not one of ours."""
        path = Path(path)
        exists = path.exists() and path.stat().st_size > 0
        if path.is_dir():
            raise StoreError(f"'{path}' is a folder, not a database file.")
        if not exists and not create:
            raise StoreError(f"No database at '{path}'.")
        if exists:
            with path.open("rb") as fh:
                if fh.read(16) != SQLITE_MAGIC:
                    raise StoreError(
                        f"'{path}' is not a kzpk database (it is not an SQLite file); "
                        "it was left untouched."
                    )
        else:
            path.parent.mkdir(parents=True, exist_ok=True)
        try:
            conn = sqlite3.connect(str(path), timeout=BUSY_TIMEOUT_MS / 1000)
        except sqlite3.Error as err:
            raise StoreError(f"Cannot open '{path}': {err}.") from None
        try:
            store = cls._prepare(conn, path, exists)
        except StoreError:
            conn.close()
            raise
        except sqlite3.DatabaseError as err:
            conn.close()
            if "not a database" in str(err) or "malformed" in str(err):
                raise StoreError(
                    f"'{path}' is damaged ({err}); it was left untouched. "
                    "Restore it from a backup."
                ) from None
            raise _friendly(err, path) from None
        return store

    @classmethod
    def _prepare(cls, conn: sqlite3.Connection, path: Path, exists: bool) -> Store:
        conn.execute(f"PRAGMA busy_timeout = {BUSY_TIMEOUT_MS}")
        if exists:
            result = [r[0] for r in conn.execute("PRAGMA quick_check").fetchall()]
            if result != ["ok"]:
                raise StoreError(
                    f"'{path}' is damaged (integrity check: {'; '.join(result[:3])}); "
                    "it was left untouched. Restore it from a backup."
                )
        db = Database(conn)
        tables = set(db.table_names())
        if exists and tables and "_sqlite_migrations" not in tables:
            raise StoreError(
                f"'{path}' is an SQLite database of another program, not a kzpk database; "
                "it was left untouched."
            )
        applied = {m.name for m in migrations.applied(db)} if tables else set()
        unknown = sorted(applied - set(KNOWN_MIGRATIONS))
        if unknown:
            raise StoreError(
                f"'{path}' was created by a newer version of kzpk_desktop (schema steps "
                f"{', '.join(unknown)} are unknown here). Upgrade the application to open it."
            )
        db.execute("PRAGMA foreign_keys = ON")
        if db.journal_mode != "wal":
            db.enable_wal()
        db.execute("PRAGMA synchronous = NORMAL")
        if migrations.pending(db):
            try:
                migrations.apply(db)
            except sqlite3.Error as err:
                raise StoreError(f"Could not upgrade '{path}': {err}. It was left as it was.") from None
        return cls(db, path)

    def close(self) -> None:
        self.db.close()

    @property
    def conn(self) -> sqlite3.Connection:
        return self.db.conn

    @contextmanager
    def transaction(self) -> Iterator[sqlite3.Connection]:
        """``BEGIN IMMEDIATE``: take the write lock before reading, so no upgrade deadlock."""
        conn = self.conn
        if conn.in_transaction:
            with self.db.atomic():
                yield conn
            return
        try:
            conn.execute("BEGIN IMMEDIATE")
        except sqlite3.OperationalError as err:
            raise _friendly(err, self.path) from None
        try:
            yield conn
        except BaseException:
            if conn.in_transaction:
                conn.execute("ROLLBACK")
            raise
        try:
            conn.execute("COMMIT")
        except sqlite3.Error as err:
            if conn.in_transaction:
                conn.execute("ROLLBACK")
            raise _friendly(err, self.path) from None

    def applied_migrations(self) -> list[str]:
        return [m.name for m in migrations.applied(self.db)]

    # --- settings -------------------------------------------------------------------------
    def get_setting(self, key: str, default: str | None = None) -> str | None:
        row = self.conn.execute("SELECT value FROM settings WHERE key = ?", (key,)).fetchone()
        return row[0] if row else default

    def set_setting(self, key: str, value: str) -> None:
        with self.transaction() as c:
            c.execute("INSERT INTO settings(key, value) VALUES (?, ?) "
                      "ON CONFLICT(key) DO UPDATE SET value = excluded.value", (key, value))

    # --- labels ---------------------------------------------------------------------------
    def labels(self) -> list[dict[str, Any]]:
        return list(self.db.query("SELECT * FROM labels ORDER BY position, id"))

    def add_label(self, label: dict[str, Any]) -> None:
        with self.transaction() as c:
            if c.execute("SELECT 1 FROM labels WHERE id = ?", (label["id"],)).fetchone():
                raise StoreError(f"A label with id '{label['id']}' already exists.")
            pos = c.execute("SELECT coalesce(max(position), -1) + 1 FROM labels").fetchone()[0]
            self.db["labels"].insert({"description": "", **label, "position": pos})

    # --- articles -------------------------------------------------------------------------
    def known_hashes(self, hashes: Iterable[str]) -> set[str]:
        hashes = list(hashes)
        found: set[str] = set()
        for i in range(0, len(hashes), 500):
            chunk = hashes[i : i + 500]
            marks = ",".join("?" * len(chunk))
            found.update(r[0] for r in self.conn.execute(
                f"SELECT sha256 FROM articles WHERE sha256 IN ({marks})", chunk))
        return found

    def insert_articles(self, rows: Sequence[dict[str, Any]]) -> list[int]:
        """Insert a batch of new articles in one transaction; returns their ids."""
        cols = ("title", "source", "date", "date_raw", "date_precision", "text", "file_name",
                "sha256", "encoding", "imported_at")
        sql = f"INSERT INTO articles ({', '.join(cols)}) VALUES ({', '.join('?' * len(cols))})"
        ids: list[int] = []
        with self.transaction() as c:
            for row in rows:
                cur = c.execute(sql, [row.get(k) for k in cols])
                ids.append(int(cur.lastrowid or 0))
        return ids

    def article(self, article_id: int) -> dict[str, Any]:
        row = self.conn.execute("SELECT * FROM articles WHERE id = ?", (article_id,)).fetchone()
        if row is None:
            raise NotFoundError(f"There is no article with id {article_id}.")
        cols = [d[0] for d in self.conn.execute("SELECT * FROM articles LIMIT 0").description]
        return dict(zip(cols, row, strict=True))

    def article_text(self, article_id: int) -> str:
        if self._text_cache and self._text_cache[0] == article_id:
            return self._text_cache[1]
        row = self.conn.execute("SELECT text FROM articles WHERE id = ?", (article_id,)).fetchone()
        if row is None:
            raise NotFoundError(f"There is no article with id {article_id}.")
        self._text_cache = (article_id, row[0])
        return row[0]

    def article_count(self) -> int:
        return self.conn.execute("SELECT count(*) FROM articles").fetchone()[0]

    def _article_where(self, flt: ArticleFilter) -> tuple[str, list[Any]]:
        where, params = [], []
        query = fts_query(flt.search) if flt.search else None
        if query:
            where.append("id IN (SELECT rowid FROM articles_fts WHERE articles_fts MATCH ?)")
            params.append(query)
        if flt.status:
            where.append("status = ?")
            params.append(flt.status)
        if flt.source:
            where.append("source = ?")
            params.append(flt.source)
        date_range("date", flt.date_from, flt.date_to, where, params)
        return (" WHERE " + " AND ".join(where)) if where else "", params

    def article_ids(self, flt: ArticleFilter = ArticleFilter(), sort: str = "date",
                    descending: bool = True) -> list[int]:
        """Only the ids, in display order: the list model fetches row data lazily."""
        where, params = self._article_where(flt)
        key = ARTICLE_SORT_KEYS.get(sort, "date")
        direction = "DESC" if descending else "ASC"
        sql = f"SELECT id FROM articles{where} ORDER BY {key} {direction}, id {direction}"
        try:
            return [r[0] for r in self.conn.execute(sql, params)]
        except sqlite3.OperationalError as err:
            raise StoreError(f"Search failed: {err}.") from None

    def article_rows(self, ids: Sequence[int]) -> dict[int, tuple[Any, ...]]:
        """List columns for a page of ids (at most a few hundred at a time)."""
        if not ids:
            return {}
        marks = ",".join("?" * len(ids))
        sql = f"SELECT {', '.join(ARTICLE_LIST_COLUMNS)} FROM articles WHERE id IN ({marks})"
        return {r[0]: r for r in self.conn.execute(sql, list(ids))}

    def set_article_status(self, article_id: int, status: str, who: str = "") -> None:
        with self.transaction() as c:
            old = c.execute("SELECT status FROM articles WHERE id = ?", (article_id,)).fetchone()
            if old is None:
                raise NotFoundError(f"There is no article with id {article_id}.")
            c.execute("UPDATE articles SET status = ? WHERE id = ?", (status, article_id))
            self._log(c, who, "update", "article", str(article_id),
                      {"status": old[0]}, {"status": status})

    # --- annotations ----------------------------------------------------------------------
    def _log(self, c: sqlite3.Connection, who: str, action: str, entity: str, entity_id: str,
             before: dict[str, Any] | None, after: dict[str, Any] | None) -> None:
        c.execute(
            "INSERT INTO changes(at, who, action, entity, entity_id, before, after) "
            "VALUES (?, ?, ?, ?, ?, ?, ?)",
            (utc_now(), who, action, entity, entity_id,
             json.dumps(before, ensure_ascii=False) if before is not None else None,
             json.dumps(after, ensure_ascii=False) if after is not None else None),
        )

    def _annotation(self, c: sqlite3.Connection, annotation_id: str) -> dict[str, Any] | None:
        cur = c.execute(f"SELECT {', '.join(_q(f) for f in ANNOTATION_FIELDS)} "
                        "FROM annotations WHERE id = ?", (annotation_id,))
        row = cur.fetchone()
        return dict(zip(ANNOTATION_FIELDS, row, strict=True)) if row else None

    def annotation(self, annotation_id: str) -> dict[str, Any]:
        row = self._annotation(self.conn, annotation_id)
        if row is None:
            raise NotFoundError(f"There is no annotation with id {annotation_id}.")
        return row

    def annotations_for_article(self, article_id: int) -> list[dict[str, Any]]:
        cur = self.conn.execute(
            f"SELECT {', '.join(_q(f) for f in ANNOTATION_FIELDS)} FROM annotations "
            'WHERE article_id = ? ORDER BY start, "end", created_at', (article_id,))
        return [dict(zip(ANNOTATION_FIELDS, r, strict=True)) for r in cur]

    def insert_annotations(self, rows: Sequence[dict[str, Any]], who: str,
                           log: bool = True) -> None:
        """Insert complete annotation rows (validated by the caller) in one transaction.

        A row may carry ``"_relations"`` (from :meth:`delete_annotation`): they are put back
        too, once both of their ends exist again.
        """
        cols = list(ANNOTATION_FIELDS)
        sql = (f"INSERT INTO annotations ({', '.join(_q(c) for c in cols)}) "
               f"VALUES ({', '.join('?' * len(cols))})")
        try:
            with self.transaction() as c:
                c.executemany(sql, ([row.get(k) for k in cols] for row in rows))
                if log:
                    for row in rows:
                        self._log(c, who, "create", "annotation", row["id"],
                                  None, {k: v for k, v in row.items() if not k.startswith("_")})
                for row in rows:
                    for rel in row.get("_relations", ()):
                        self._insert_relation(c, rel, who)
        except sqlite3.IntegrityError as err:
            raise StoreError(f"The annotation was not saved: {err}.") from None

    def update_annotation(self, annotation_id: str, changes: dict[str, Any], who: str) -> dict[str, Any]:
        bad = set(changes) - EDITABLE_FIELDS
        if bad:
            raise StoreError(f"These annotation fields cannot be edited: {', '.join(sorted(bad))}.")
        with self.transaction() as c:
            before = self._annotation(c, annotation_id)
            if before is None:
                raise NotFoundError(f"There is no annotation with id {annotation_id}.")
            changes = {k: v for k, v in changes.items() if before[k] != v}
            if not changes:
                return before
            changes["updated_at"] = utc_now()
            sets = ", ".join(f"{_q(k)} = ?" for k in changes)
            try:
                c.execute(f"UPDATE annotations SET {sets} WHERE id = ?",
                          [*changes.values(), annotation_id])
            except sqlite3.IntegrityError as err:
                raise StoreError(f"The change was not saved: {err}.") from None
            after = {**before, **changes}
            self._log(c, who, "update", "annotation", annotation_id,
                      {k: before[k] for k in changes}, {k: after[k] for k in changes})
        return after

    def delete_annotation(self, annotation_id: str, who: str) -> dict[str, Any]:
        """Delete a span and (by cascade) its relations; the row returned carries them
        under ``"_relations"`` so an undo can restore both."""
        with self.transaction() as c:
            before = self._annotation(c, annotation_id)
            if before is None:
                raise NotFoundError(f"There is no annotation with id {annotation_id}.")
            relations = self._relations(c, "source_id = ? OR target_id = ?", [annotation_id, annotation_id])
            c.execute("DELETE FROM annotations WHERE id = ?", (annotation_id,))
            for rel in relations:
                self._log(c, who, "delete", "relation", rel["id"], rel, None)
            self._log(c, who, "delete", "annotation", annotation_id, before, None)
        return {**before, "_relations": relations}

    # --- relations ------------------------------------------------------------------------
    def _relations(self, c: sqlite3.Connection, where: str, params: Sequence[Any]) -> list[dict[str, Any]]:
        cur = c.execute(f"SELECT {', '.join(RELATION_FIELDS)} FROM relations WHERE {where} "
                        "ORDER BY created_at, id", list(params))
        return [dict(zip(RELATION_FIELDS, r, strict=True)) for r in cur]

    def _insert_relation(self, c: sqlite3.Connection, rel: dict[str, Any], who: str) -> None:
        c.execute(f"INSERT INTO relations ({', '.join(RELATION_FIELDS)}) VALUES "
                  f"({', '.join('?' * len(RELATION_FIELDS))})", [rel[k] for k in RELATION_FIELDS])
        self._log(c, who, "create", "relation", rel["id"], None, rel)

    def insert_relation(self, rel: dict[str, Any], who: str) -> None:
        try:
            with self.transaction() as c:
                self._insert_relation(c, rel, who)
        except sqlite3.IntegrityError as err:
            if "UNIQUE" in str(err):
                raise StoreError("These two spans are already linked that way.") from None
            raise StoreError(f"The link was not saved: {err}.") from None

    def delete_relation(self, relation_id: str, who: str) -> dict[str, Any]:
        with self.transaction() as c:
            found = self._relations(c, "id = ?", [relation_id])
            if not found:
                raise NotFoundError(f"There is no relation with id {relation_id}.")
            c.execute("DELETE FROM relations WHERE id = ?", (relation_id,))
            self._log(c, who, "delete", "relation", relation_id, found[0], None)
        return found[0]

    def relations_for_article(self, article_id: int) -> list[dict[str, Any]]:
        return self._relations(self.conn, "source_id IN (SELECT id FROM annotations WHERE article_id = ?)",
                               [article_id])

    def relations_of(self, annotation_id: str) -> list[dict[str, Any]]:
        return self._relations(self.conn, "source_id = ? OR target_id = ?", [annotation_id, annotation_id])

    def iter_relations(self) -> Iterator[dict[str, Any]]:
        cur = self.conn.execute(f"SELECT {', '.join(RELATION_FIELDS)} FROM relations ORDER BY id")
        for r in cur:
            yield dict(zip(RELATION_FIELDS, r, strict=True))

    # --- entities -------------------------------------------------------------------------
    def _entity_row(self, c: sqlite3.Connection, entity_id: int) -> dict[str, Any] | None:
        row = c.execute(f"SELECT {', '.join(ENTITY_FIELDS)} FROM entities WHERE id = ?",
                        (entity_id,)).fetchone()
        return dict(zip(ENTITY_FIELDS, row, strict=True)) if row else None

    def entity(self, entity_id: int) -> dict[str, Any]:
        row = self._entity_row(self.conn, entity_id)
        if row is None:
            raise NotFoundError(f"There is no entity with id {entity_id}.")
        row["aliases"] = [a for (a,) in self.conn.execute(
            "SELECT alias FROM entity_aliases WHERE entity_id = ? ORDER BY alias", (entity_id,))]
        row["parties"] = [p for (p,) in self.conn.execute(
            "SELECT actor_id FROM agreement_parties WHERE agreement_id = ? ORDER BY actor_id", (entity_id,))]
        return row

    def entities(self, kind: str | None = None) -> list[dict[str, Any]]:
        """Every entity with its mention count, by kind then name."""
        where, params = ("WHERE e.kind = ?", [kind]) if kind else ("", [])
        cur = self.conn.execute(
            f"SELECT {', '.join('e.' + f for f in ENTITY_FIELDS)}, "
            "(SELECT count(*) FROM annotations a WHERE a.entity_id = e.id) AS mentions, "
            "(SELECT group_concat(alias, ' | ') FROM entity_aliases x WHERE x.entity_id = e.id) AS aliases "
            f"FROM entities e {where} ORDER BY e.kind, e.name COLLATE NOCASE", params)
        cols = [*ENTITY_FIELDS, "mentions", "aliases"]
        return [dict(zip(cols, r, strict=True)) for r in cur]

    def entity_by_name(self, kind: str, name: str) -> int | None:
        """Exact (case-insensitive) match on the canonical name or an alias."""
        row = self.conn.execute(
            "SELECT id FROM entities WHERE kind = ? AND name = ? COLLATE NOCASE UNION ALL "
            "SELECT e.id FROM entity_aliases x JOIN entities e ON e.id = x.entity_id "
            "WHERE e.kind = ? AND x.alias = ? COLLATE NOCASE LIMIT 1", (kind, name, kind, name)).fetchone()
        return int(row[0]) if row else None

    def entity_names(self, kind: str) -> list[tuple[int, str, str]]:
        """(id, text to match, canonical name) for names and aliases: the completer's list."""
        cur = self.conn.execute(
            "SELECT id, name, name FROM entities WHERE kind = ? UNION ALL "
            "SELECT e.id, x.alias, e.name FROM entity_aliases x JOIN entities e ON e.id = x.entity_id "
            "WHERE e.kind = ? ORDER BY 2 COLLATE NOCASE", (kind, kind))
        return [(int(i), t, n) for i, t, n in cur]

    def insert_entity(self, fields: dict[str, Any], aliases: Sequence[str], parties: Sequence[int],
                      who: str) -> int:
        cols = [k for k in ENTITY_FIELDS if k in fields]
        try:
            with self.transaction() as c:
                cur = c.execute(f"INSERT INTO entities ({', '.join(cols)}) VALUES ({', '.join('?' * len(cols))})",
                                [fields[k] for k in cols])
                entity_id = int(cur.lastrowid or 0)
                self._set_aliases(c, entity_id, aliases)
                self._set_parties(c, entity_id, parties)
                self._log(c, who, "create", "entity", str(entity_id), None,
                          {**fields, "aliases": list(aliases), "parties": list(parties)})
        except sqlite3.IntegrityError as err:
            if "UNIQUE" in str(err):
                raise StoreError(f"There is already an {fields.get('kind')} called '{fields.get('name')}'.") from None
            raise StoreError(f"The entity was not saved: {err}.") from None
        return entity_id

    def _set_aliases(self, c: sqlite3.Connection, entity_id: int, aliases: Sequence[str]) -> None:
        c.execute("DELETE FROM entity_aliases WHERE entity_id = ?", (entity_id,))
        c.executemany("INSERT OR IGNORE INTO entity_aliases (entity_id, alias) VALUES (?, ?)",
                      [(entity_id, a) for a in aliases])

    def _set_parties(self, c: sqlite3.Connection, entity_id: int, parties: Sequence[int]) -> None:
        c.execute("DELETE FROM agreement_parties WHERE agreement_id = ?", (entity_id,))
        c.executemany("INSERT OR IGNORE INTO agreement_parties (agreement_id, actor_id) VALUES (?, ?)",
                      [(entity_id, p) for p in parties])

    def update_entity(self, entity_id: int, changes: dict[str, Any], who: str,
                      aliases: Sequence[str] | None = None, parties: Sequence[int] | None = None) -> None:
        try:
            with self.transaction() as c:
                before = self._entity_row(c, entity_id)
                if before is None:
                    raise NotFoundError(f"There is no entity with id {entity_id}.")
                changes = {k: v for k, v in changes.items() if k in ENTITY_FIELDS and k != "id"}
                if changes:
                    changes["updated_at"] = utc_now()
                    sets = ", ".join(f"{k} = ?" for k in changes)
                    c.execute(f"UPDATE entities SET {sets} WHERE id = ?", [*changes.values(), entity_id])
                if aliases is not None:
                    self._set_aliases(c, entity_id, aliases)
                    changes["aliases"] = list(aliases)
                if parties is not None:
                    self._set_parties(c, entity_id, parties)
                    changes["parties"] = list(parties)
                self._log(c, who, "update", "entity", str(entity_id),
                          {k: before.get(k) for k in changes}, changes)
        except sqlite3.IntegrityError as err:
            raise StoreError(f"The entity was not saved: {err}.") from None

    def mentions(self, entity_id: int) -> list[dict[str, Any]]:
        """Every span linked to an entity, with its article title, in corpus order."""
        return list(self.db.query(
            'SELECT ann.id, ann.article_id, ann.start, ann."end", ann.label, ann.text, ann.status, '
            "a.title AS article_title, a.date AS article_date FROM annotations ann "
            "JOIN articles a ON a.id = ann.article_id WHERE ann.entity_id = ? "
            "ORDER BY a.date, ann.article_id, ann.start", [entity_id]))

    def merge_entities(self, keep_id: int, drop_id: int, who: str) -> None:
        """Fold ``drop`` into ``keep``: mentions, aliases (its name too) and parties move over."""
        if keep_id == drop_id:
            raise StoreError("Choose two different entities to merge.")
        with self.transaction() as c:
            keep, drop = self._entity_row(c, keep_id), self._entity_row(c, drop_id)
            if keep is None or drop is None:
                raise NotFoundError("One of the entities to merge no longer exists.")
            if keep["kind"] != drop["kind"]:
                raise StoreError(f"An {keep['kind']} cannot be merged with an {drop['kind']}.")
            moved = [r[0] for r in c.execute("SELECT id FROM annotations WHERE entity_id = ?", (drop_id,))]
            c.execute("UPDATE annotations SET entity_id = ?, updated_at = ? WHERE entity_id = ?",
                      (keep_id, utc_now(), drop_id))
            names = [drop["name"], *(a for (a,) in c.execute(
                "SELECT alias FROM entity_aliases WHERE entity_id = ?", (drop_id,)))]
            c.executemany("INSERT OR IGNORE INTO entity_aliases (entity_id, alias) VALUES (?, ?)",
                          [(keep_id, n) for n in names if n.casefold() != keep["name"].casefold()])
            c.execute("INSERT OR IGNORE INTO agreement_parties SELECT ?, actor_id FROM agreement_parties "
                      "WHERE agreement_id = ?", (keep_id, drop_id))
            c.execute("INSERT OR IGNORE INTO agreement_parties SELECT agreement_id, ? FROM agreement_parties "
                      "WHERE actor_id = ? AND agreement_id != ?", (keep_id, drop_id, keep_id))
            c.execute("DELETE FROM entities WHERE id = ?", (drop_id,))
            self._log(c, who, "merge", "entity", str(keep_id), {"merged": drop, "annotations": moved},
                      {"kept": keep_id})

    def delete_entity(self, entity_id: int, who: str) -> None:
        with self.transaction() as c:
            before = self._entity_row(c, entity_id)
            if before is None:
                raise NotFoundError(f"There is no entity with id {entity_id}.")
            c.execute("DELETE FROM entities WHERE id = ?", (entity_id,))
            self._log(c, who, "delete", "entity", str(entity_id), before, None)

    # --- suggestions ------------------------------------------------------------------------
    def articles_matching_phrases(self, phrases: Sequence[str]) -> list[int]:
        """Articles whose FTS index holds any of the phrases (a cheap pre-filter)."""
        terms = []
        for phrase in phrases:
            tokens = re.findall(r"\w+", phrase)
            if tokens:
                terms.append('"' + " ".join(tokens) + '"')
        if not terms:
            return []
        query = " OR ".join(terms)
        return [r[0] for r in self.conn.execute(
            "SELECT rowid FROM articles_fts WHERE articles_fts MATCH ? ORDER BY rowid", (query,))]

    def spans_in_article(self, article_id: int, labels: Sequence[str] | None = None) -> list[tuple[int, int]]:
        where, params = "article_id = ?", [article_id]
        if labels:
            where += f" AND label IN ({','.join('?' * len(labels))})"
            params.extend(labels)
        return [(s, e) for s, e in self.conn.execute(f'SELECT start, "end" FROM annotations WHERE {where}', params)]

    def rejected_suggestions(self, entity_id: int) -> set[tuple[int, int, int]]:
        return {(a, s, e) for a, s, e in self.conn.execute(
            'SELECT article_id, start, "end" FROM rejected_suggestions WHERE entity_id = ?', (entity_id,))}

    def reject_suggestion(self, entity_id: int, article_id: int, start: int, end: int) -> None:
        with self.transaction() as c:
            c.execute('INSERT OR IGNORE INTO rejected_suggestions (entity_id, article_id, start, "end") '
                      "VALUES (?, ?, ?, ?)", (entity_id, article_id, start, end))

    # --- review ---------------------------------------------------------------------------
    def review_queue(self, *, label: str | None, article_id: int | None, date_from: str | None,
                     date_to: str | None, only_unreviewed: bool) -> list[str]:
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
        sql = ("SELECT ann.id FROM annotations ann JOIN articles a ON a.id = ann.article_id "
               + ("WHERE " + " AND ".join(where) if where else "")
               + ' ORDER BY a.date IS NULL, a.date, a.id, ann.start, ann."end"')
        return [r[0] for r in self.conn.execute(sql, params)]

    def insert_session(self, reviewer: str, scope: str, queue: str) -> int:
        with self.transaction() as c:
            cur = c.execute("INSERT INTO review_sessions (reviewer, started_at, scope, queue) VALUES (?, ?, ?, ?)",
                            (reviewer, utc_now(), scope, queue))
            sid = int(cur.lastrowid or 0)
            self._log(c, reviewer, "start", "review_session", str(sid), None, {"scope": json.loads(scope)})
        return sid

    def session(self, session_id: int) -> dict[str, Any]:
        rows = list(self.db.query("SELECT * FROM review_sessions WHERE id = ?", [session_id]))
        if not rows:
            raise NotFoundError(f"There is no review session {session_id}.")
        return rows[0]

    def sessions(self) -> list[dict[str, Any]]:
        return list(self.db.query("SELECT id, reviewer, started_at, ended_at, scope, position, "
                                  "json_array_length(queue) AS size FROM review_sessions ORDER BY id DESC"))

    def open_session(self, reviewer: str) -> dict[str, Any] | None:
        rows = list(self.db.query("SELECT * FROM review_sessions WHERE reviewer = ? AND ended_at IS NULL "
                                  "ORDER BY id DESC LIMIT 1", [reviewer]))
        return rows[0] if rows else None

    def set_session_position(self, session_id: int, position: int) -> None:
        with self.transaction() as c:
            c.execute("UPDATE review_sessions SET position = ? WHERE id = ?", (position, session_id))

    def end_session(self, session_id: int) -> None:
        with self.transaction() as c:
            c.execute("UPDATE review_sessions SET ended_at = ? WHERE id = ? AND ended_at IS NULL",
                      (utc_now(), session_id))

    def evidence_for(self, annotation_id: str) -> list[dict[str, Any]]:
        return list(self.db.query("SELECT url, quote, stance, note FROM evidence WHERE annotation_id = ? "
                                  "ORDER BY position", [annotation_id]))

    def insert_evidence(self, annotation_id: str, items: Sequence[dict[str, Any]]) -> None:
        """Evidence items as exported (JSONL import); appended after any already there."""
        if not items:
            return
        with self.transaction() as c:
            start = c.execute("SELECT coalesce(max(position) + 1, 0) FROM evidence WHERE annotation_id = ?",
                              (annotation_id,)).fetchone()[0]
            c.executemany("INSERT INTO evidence (annotation_id, position, url, quote, stance, note) "
                          "VALUES (?, ?, ?, ?, ?, ?)",
                          [(annotation_id, start + i, e["url"], e.get("quote", ""), e.get("stance", "supports"),
                            e.get("note", "")) for i, e in enumerate(items)])

    def decisions_for(self, annotation_id: str) -> list[dict[str, Any]]:
        return list(self.db.query("SELECT * FROM review_decisions WHERE annotation_id = ? ORDER BY id",
                                  [annotation_id]))

    def record_decision(self, annotation_id: str, reviewer: str, status: str, verdict: str | None,
                        confidence: str | None, evidence: Sequence[dict[str, Any]], session_id: int | None,
                        new_position: int | None) -> None:
        """One transaction: the annotation's review state, its evidence, the decision row, the session."""
        now = utc_now()
        with self.transaction() as c:
            before = self._annotation(c, annotation_id)
            if before is None:
                raise NotFoundError(f"There is no annotation with id {annotation_id}.")
            old_evidence = self.evidence_for(annotation_id)
            first = evidence[0] if evidence else {}
            changes = {"status": status, "verdict": verdict, "confidence": confidence, "reviewer": reviewer,
                       "reviewed_at": now, "evidence_url": first.get("url"),
                       "evidence_note": first.get("note") or first.get("quote") or None, "updated_at": now}
            c.execute(f"UPDATE annotations SET {', '.join(f'{_q(k)} = ?' for k in changes)} WHERE id = ?",
                      [*changes.values(), annotation_id])
            c.execute("DELETE FROM evidence WHERE annotation_id = ?", (annotation_id,))
            c.executemany("INSERT INTO evidence (annotation_id, position, url, quote, stance, note) "
                          "VALUES (?, ?, ?, ?, ?, ?)",
                          [(annotation_id, i, e["url"], e.get("quote", ""), e.get("stance", "supports"),
                            e.get("note", "")) for i, e in enumerate(evidence)])
            c.execute("INSERT INTO review_decisions (session_id, annotation_id, reviewer, decided_at, status, "
                      "verdict, confidence) VALUES (?, ?, ?, ?, ?, ?, ?)",
                      (session_id, annotation_id, reviewer, now, status, verdict, confidence))
            if session_id is not None and new_position is not None:
                c.execute("UPDATE review_sessions SET position = max(position, ?) WHERE id = ?",
                          (new_position, session_id))
            remaining = c.execute("SELECT count(*) FROM annotations WHERE article_id = ? AND reviewed_at IS NULL",
                                  (before["article_id"],)).fetchone()[0]
            if remaining == 0:
                c.execute("UPDATE articles SET status = 'reviewed' WHERE id = ?", (before["article_id"],))
            self._log(c, reviewer, "review", "annotation", annotation_id,
                      {**{k: before[k] for k in changes if k in before}, "evidence": old_evidence},
                      {**changes, "evidence": list(evidence), "session": session_id})

    def review_summary(self, session_id: int | None = None) -> dict[str, list[tuple[str, int]]]:
        """Counts by decision/status, verdict, label, article and reviewer."""
        if session_id is not None:
            base = ("FROM review_decisions d JOIN annotations ann ON ann.id = d.annotation_id "
                    "JOIN articles a ON a.id = ann.article_id WHERE d.session_id = ?")
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

    def history(self, entity: str, entity_id: str) -> list[dict[str, Any]]:
        return list(self.db.query(
            "SELECT id, at, who, action, before, after FROM changes "
            "WHERE entity = ? AND entity_id = ? ORDER BY id", [entity, entity_id]))

    def annotation_count(self) -> int:
        return self.conn.execute("SELECT count(*) FROM annotations").fetchone()[0]

    def iter_export_rows(self, where: str = "", params: Sequence[Any] = (),
                         context_width: int = 40) -> Iterator[dict[str, Any]]:
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
                   ann.annotator, ann.reviewer, ann.reviewed_at, ann.created_at, ann.updated_at
            FROM annotations ann JOIN articles a ON a.id = ann.article_id
            LEFT JOIN entities e ON e.id = ann.entity_id
            {where}
            ORDER BY ann.article_id, ann.start, ann."end", ann.id
        """
        cur = self.conn.execute(sql, list(params))
        cols = [d[0] for d in cur.description]
        for row in cur:
            yield dict(zip(cols, row, strict=True))

    def iter_articles(self) -> Iterator[dict[str, Any]]:
        cur = self.conn.execute("SELECT * FROM articles ORDER BY id")
        cols = [d[0] for d in cur.description]
        for row in cur:
            yield dict(zip(cols, row, strict=True))

    # --- integrity ------------------------------------------------------------------------
    def check(self) -> list[str]:
        """Every problem found, as sentences; an empty list means the database is sound."""
        problems: list[str] = []
        c = self.conn
        integrity = [r[0] for r in c.execute("PRAGMA integrity_check").fetchall()]
        if integrity != ["ok"]:
            problems.extend(f"SQLite integrity: {msg}" for msg in integrity[:20])
        missing = set(KNOWN_MIGRATIONS) - set(self.applied_migrations())
        if missing:
            problems.append(f"schema steps not applied: {', '.join(sorted(missing))}")
        triggers = {r[0] for r in c.execute("SELECT name FROM sqlite_master WHERE type='trigger'")}
        for name in EXPECTED_TRIGGERS:
            if name not in triggers:
                problems.append(f"safety trigger '{name}' is missing from the schema")
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
            "JOIN annotations t ON t.id = r.target_id LIMIT 10000").fetchall()
        for rid, rtype, slab, tlab in bad_relations:
            if RELATION_TYPES.get(rtype) != (slab, tlab):
                problems.append(f"relation {rid}: '{rtype}' cannot link a {slab} to a {tlab}")
        bad_links = c.execute(
            "SELECT ann.id, ann.label, e.kind FROM annotations ann JOIN entities e ON e.id = ann.entity_id "
            "WHERE e.kind != ann.label LIMIT 100").fetchall()
        for ann_id, label, kind in bad_links:
            problems.append(f"annotation {ann_id}: a {label} span is linked to an {kind}")
        bad_counts = c.execute(
            "SELECT a.id FROM articles a WHERE a.n_annotations != "
            "(SELECT count(*) FROM annotations x WHERE x.article_id = a.id) LIMIT 100"
        ).fetchall()
        for (art,) in bad_counts:
            problems.append(f"article {art}: its annotation count is out of date")
        return problems


def date_range(column: str, date_from: str | None, date_to: str | None, where: list[str],
               params: list[Any]) -> None:
    """Inclusive range over ISO dates of any precision: a 'to' of 2025-09 keeps 2025-09-30."""
    if date_from:
        where.append(f"{column} >= ?")
        params.append(date_from)
    if date_to:
        where.append(f"{column} <= ?")
        params.append(date_to + "\uffff")


def export_where(flt: Any) -> tuple[str, list[Any]]:
    """An ``ExportFilter`` as a WHERE clause over ``annotations ann JOIN articles a``."""
    where: list[str] = []
    params: list[Any] = []
    for column, values in (("ann.status", flt.status), ("ann.label", flt.label),
                           ("ann.verdict", flt.verdict), ("ann.article_id", flt.article_id),
                           ("ann.annotator", flt.annotator)):
        if values:
            where.append(f"{column} IN ({','.join('?' * len(values))})")
            params.extend(values)
    date_range("a.date", flt.date_from, flt.date_to, where, params)
    return ("WHERE " + " AND ".join(where)) if where else "", params


def _q(name: str) -> str:
    return f'"{name}"'


def migration_set() -> str:
    return MIGRATION_SET
