"""The one gateway to SQLite: connection, pragmas, transactions, and all SQL.

Every public write runs in its own ``BEGIN IMMEDIATE`` transaction (or a savepoint of
an enclosing one), so once a method returns, the change is durable in the WAL.
"""

from __future__ import annotations

import json
import re
import sqlite3
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from datetime import UTC, datetime
from pathlib import Path
from typing import Any, Self

from .._sqlite_utils import Database
from ..errors import StoreError
from ..schema import KNOWN_MIGRATIONS, MIGRATION_SET, migrations

SQLITE_MAGIC = b"SQLite format 3\x00"
BUSY_TIMEOUT_MS = 5000
ARTICLE_LIST_COLUMNS = ("a.id", "a.date", "a.source", "a.title", "p.n_annotations", "p.status")
ARTICLES_JOIN = "articles a JOIN article_progress p ON p.article_id = a.id"
ARTICLE_SORT_KEYS = {
    "id": "a.id",
    "date": "a.date",
    "source": "a.source COLLATE NOCASE",
    "title": "a.title COLLATE NOCASE",
    "n_annotations": "p.n_annotations",
    "status": "p.status",
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
                 "updated_at", "uuid")  # uuid: the same entity in every copy (merging), kept by undo
RELATION_FIELDS = ("id", "type", "source_id", "target_id", "annotator", "created_at")
EXPECTED_TRIGGERS = (
    "annotations_span_frozen", "articles_text_frozen", "articles_progress_insert",
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


# quick_check reads every page: ~1.5 s per GB here. Up to this size it runs at open (well
# under 0.5 s); above it the GUI runs verify() in the background right after opening.
QUICK_CHECK_AT_OPEN_BYTES = 256 * 1024 * 1024


def _raise_if_damaged(path: Path, conn: sqlite3.Connection) -> None:
    try:
        result = [r[0] for r in conn.execute("PRAGMA quick_check").fetchall()]
    except sqlite3.OperationalError:
        raise  # interrupted (the window closed): not damage
    except sqlite3.DatabaseError as err:
        result = [str(err)]
    if result != ["ok"]:
        raise StoreError(f"'{path}' is damaged (integrity check: {'; '.join(result[:3])}); "
                         "it was left untouched. Restore it from a backup.")


def checkpoint(path: str | Path) -> int:
    """Copy committed WAL pages into the database from a connection of its own (PASSIVE: never
    waits for or blocks writers). Returns the WAL size in pages; meant for a worker thread."""
    conn = sqlite3.connect(str(path), timeout=1)
    try:
        _busy, log_pages, _done = conn.execute("PRAGMA wal_checkpoint(PASSIVE)").fetchone()
        return int(log_pages)
    finally:
        conn.close()


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
    if getattr(flt, "gold", False):
        where.append("ann.curated_by IS NOT NULL")
    return ("WHERE " + " AND ".join(where)) if where else "", params


def _q(name: str) -> str:
    return f'"{name}"'


def migration_set() -> str:
    return MIGRATION_SET


class StoreBase:
    """Connection, pragmas, transactions, settings, labels and the change log."""

    def __init__(self, db: Database, path: Path) -> None:
        self.db = db
        self.path = path
        self._text_cache: tuple[int, str] | None = None
        self._articles_version = 0  # bumped by this connection's article inserts (list-order cache)
        self._sorted_cache: dict[tuple[str, bool], tuple[tuple[int, int, int], list[int]]] = {}

    # --- opening -------------------------------------------------------------------------
    @classmethod
    def open(cls, path: str | Path, *, create: bool = True) -> Self:
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
    def _prepare(cls, conn: sqlite3.Connection, path: Path, exists: bool) -> Self:
        conn.execute(f"PRAGMA busy_timeout = {BUSY_TIMEOUT_MS}")
        if exists:
            if path.stat().st_size <= QUICK_CHECK_AT_OPEN_BYTES:
                _raise_if_damaged(path, conn)
            else:  # cheap structural read now; the full scan is left to verify()
                conn.execute("SELECT count(*) FROM sqlite_master").fetchone()
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
        db.execute("PRAGMA synchronous = NORMAL")  # WAL + NORMAL: durable across app crashes
        # Big corpora: a 64 MB page cache keeps index inserts and list queries off the disk
        # (the default 2 MB cache thrashes at 10^6 spans).
        db.execute("PRAGMA cache_size = -65536")
        if migrations.pending(db):
            try:
                migrations.apply(db)
            except sqlite3.Error as err:
                raise StoreError(f"Could not upgrade '{path}': {err}. It was left as it was.") from None
        return cls(db, path)

    @property
    def verified_at_open(self) -> bool:
        """Small databases are fully checked at open; big ones need :meth:`verify` (slow)."""
        return self.path.stat().st_size <= QUICK_CHECK_AT_OPEN_BYTES

    def defer_checkpoints(self) -> None:
        """Stop this connection checkpointing the WAL inside a commit (it fsyncs the database
        file: a stall of tens of ms on a big file). The caller runs :func:`checkpoint` elsewhere."""
        self.conn.execute("PRAGMA wal_autocheckpoint = 0")

    def verify(self) -> None:
        """Run ``PRAGMA quick_check`` over the whole file; raises StoreError if damaged.

        Safe to call from a worker thread with its own Store (it only reads).
        """
        _raise_if_damaged(self.path, self.conn)

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
        except sqlite3.OperationalError as err:  # disk full, I/O error, busy: one clear sentence
            if conn.in_transaction:
                conn.execute("ROLLBACK")
            raise _friendly(err, self.path) from None
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

    def add_label(self, label: dict[str, Any], who: str = "") -> None:
        with self.transaction() as c:
            if c.execute("SELECT 1 FROM labels WHERE id = ?", (label["id"],)).fetchone():
                raise StoreError(f"A label with id '{label['id']}' already exists.")
            pos = label.get("position")
            if pos is None:
                pos = c.execute("SELECT coalesce(max(position), -1) + 1 FROM labels").fetchone()[0]
            row = {"description": "", "shortcut": None, "alt_shortcut": None, **label, "position": pos}
            cols = list(row)
            c.execute(f"INSERT INTO labels ({', '.join(cols)}) VALUES ({', '.join('?' * len(cols))})",
                      [row[k] for k in cols])
            self._log(c, who, "create", "label", str(label["id"]), None, row)

    def update_label(self, label_id: str, changes: dict[str, Any], who: str = "") -> dict[str, Any]:
        """Change a label's name, colour, keys or description; returns the values it had."""
        allowed = {"name", "color", "shortcut", "alt_shortcut", "description"}
        bad = set(changes) - allowed
        if bad:
            raise StoreError(f"These label fields cannot be edited: {', '.join(sorted(bad))}.")
        with self.transaction() as c:
            row = c.execute("SELECT name, color, shortcut, alt_shortcut, description FROM labels WHERE id = ?",
                            (label_id,)).fetchone()
            if row is None:
                raise StoreError(f"There is no label '{label_id}'.")
            before = dict(zip(("name", "color", "shortcut", "alt_shortcut", "description"), row, strict=True))
            before = {k: before[k] for k in changes}
            if changes:
                c.execute(f"UPDATE labels SET {', '.join(f'{k} = ?' for k in changes)} WHERE id = ?",
                          [*changes.values(), label_id])
                self._log(c, who, "update", "label", label_id, before, dict(changes))
        return before

    def delete_label(self, label_id: str, who: str = "") -> dict[str, Any]:
        """Remove an unused label (for undoing "add label"); refuses while spans use it."""
        with self.transaction() as c:
            if c.execute("SELECT 1 FROM annotations WHERE label = ? LIMIT 1", (label_id,)).fetchone():
                raise StoreError(f"spans are tagged '{label_id}' now; delete or relabel them first.")
            rows = list(self.db.query("SELECT * FROM labels WHERE id = ?", [label_id]))
            if not rows:
                raise StoreError(f"There is no label '{label_id}'.")
            c.execute("DELETE FROM labels WHERE id = ?", (label_id,))
            self._log(c, who, "delete", "label", label_id, rows[0], None)
        return rows[0]

    def _log(self, c: sqlite3.Connection, who: str, action: str, entity: str, entity_id: str,
             before: dict[str, Any] | None, after: dict[str, Any] | None) -> None:
        c.execute(
            "INSERT INTO changes(at, who, action, entity, entity_id, before, after) "
            "VALUES (?, ?, ?, ?, ?, ?, ?)",
            (utc_now(), who, action, entity, entity_id,
             json.dumps(before, ensure_ascii=False) if before is not None else None,
             json.dumps(after, ensure_ascii=False) if after is not None else None),
        )
