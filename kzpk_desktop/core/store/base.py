"""The one gateway to SQLite: connection, pragmas, transactions, and all SQL.

Every public write runs in its own ``BEGIN IMMEDIATE`` transaction (or a savepoint of
an enclosing one), so once a method returns, the change is durable in the WAL.
"""

from __future__ import annotations

import json
import os
import sqlite3
import stat
from collections.abc import Iterator
from contextlib import AbstractContextManager, contextmanager
from dataclasses import dataclass
from datetime import UTC, datetime
from pathlib import Path
from typing import TYPE_CHECKING, Any, Self

from ..errors import StoreError
from ..jsonvalue import JSONObject
from ..rows import FieldChanges, HistoryEntry, Label
from ..schema import KNOWN_MIGRATIONS, MIGRATION_SET, migrations
from .connection import BUSY_TIMEOUT_MS, connect
from .fts import fts_query as fts_query
from .lazy_db import connection_pragmas, savepoint, sqlite_utils_database
from .ownership import READABLE_WITHOUT, DatabaseInfo, damaged_sentence, inspect, quick_check

if TYPE_CHECKING:
    from .._sqlite_utils import Database

SQLITE_MAGIC = b"SQLite format 3\x00"
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
    "id",
    "article_id",
    "start",
    "end",
    "label",
    "text",
    "note",
    "annotator",
    "status",
    "created_at",
    "updated_at",
    "verdict",
    "evidence_url",
    "evidence_note",
    "reviewer",
    "reviewed_at",
    "entity_id",
    "claim_type",
    "confidence",
)
EDITABLE_FIELDS = frozenset(
    {
        "label",
        "note",
        "status",
        "verdict",
        "evidence_url",
        "evidence_note",
        "reviewer",
        "reviewed_at",
        "annotator",
        "entity_id",
        "claim_type",
        "confidence",
    }
)
ENTITY_FIELDS = (
    "id",
    "kind",
    "name",
    "actor_type",
    "country",
    "role",
    "agreement_type",
    "agreement_status",
    "date",
    "date_raw",
    "date_precision",
    "notes",
    "created_at",
    "updated_at",
    "uuid",
)  # uuid: the same entity in every copy (merging), kept by undo
RELATION_FIELDS = ("id", "type", "source_id", "target_id", "annotator", "created_at")
# every column of an evidence row, provenance included: undo and redo copy rows whole
EVIDENCE_ROW = (
    "id",
    "annotation_id",
    "position",
    "url",
    "quote",
    "stance",
    "note",
    "uuid",
    "author",
    "retrieved_at",
    "published_at",
    "archive_url",
    "archived_file",
)
EVIDENCE_PROVENANCE = ("retrieved_at", "published_at", "archive_url", "archived_file")
_EVIDENCE_SELECT = f"SELECT {', '.join(EVIDENCE_ROW)} FROM evidence WHERE annotation_id = ?"
_EVIDENCE_INSERT = f"INSERT INTO evidence ({', '.join(EVIDENCE_ROW)}) VALUES ({', '.join('?' * len(EVIDENCE_ROW))})"
EXPECTED_TRIGGERS = (
    "annotations_span_moves_whole",
    "articles_text_frozen",
    "articles_progress_insert",
    "annotations_count_insert",
    "annotations_count_delete",
    "changes_append_only_update",
    "changes_append_only_delete",
)


def utc_now() -> str:
    return datetime.now(UTC).isoformat(timespec="milliseconds").replace("+00:00", "Z")


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
    damage = quick_check(conn)
    if damage:
        raise StoreError(f"{damaged_sentence(path, damage)}; it was left untouched. Restore it from a backup.")


def checkpoint(path: str | Path) -> int:
    """Copy committed WAL pages into the database from a connection of its own (PASSIVE: never
    waits for or blocks writers). Returns the WAL size in pages; meant for a worker thread."""
    conn = connect(path, timeout_ms=1000)
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


def date_range(column: str, date_from: str | None, date_to: str | None, where: list[str], params: list[Any]) -> None:
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
    for column, values in (
        ("ann.status", flt.status),
        ("ann.label", flt.label),
        ("ann.verdict", flt.verdict),
        ("ann.article_id", flt.article_id),
        ("ann.annotator", flt.annotator),
    ):
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
    """The state every repository shares: one connection, its transactions, the change log
    writer (:meth:`_log`), the read-only refusal and the per-connection caches.

    ``Store`` is this plus its repositories; a repository gets this object, never another
    repository's base, so each concern's SQL stays in its own class.
    """

    def __init__(self, db: Database | sqlite3.Connection, path: Path) -> None:
        # The sqlite-utils wrapper is made on first use of ``db``: opening an up-to-date
        # database needs only the connection (and start-up saves loading sqlite-utils).
        self._db: Database | None = None if isinstance(db, sqlite3.Connection) else db
        self._conn: sqlite3.Connection = db if isinstance(db, sqlite3.Connection) else db.conn
        self.path = path
        self._text_cache: tuple[int, str] | None = None
        self._articles_version = 0  # bumped by this connection's article inserts (list-order cache)
        self._sorted_cache: dict[tuple[str, bool], tuple[tuple[int, int, int], list[int]]] = {}
        self.damage: tuple[str, ...] = ()  # what the checks at open found wrong (then read-only)
        self.readonly_reason: str | None = None  # the sentence every refused write raises

    # --- opening -------------------------------------------------------------------------
    @classmethod
    def open(cls, path: str | Path, *, create: bool = True, readonly: bool = False) -> Self:
        """Open (and upgrade) a project database, refusing anything that is not one of ours.

        Ownership, version and soundness are decided first on a read-only connection (see
        :mod:`.ownership`), so a refused file is never modified. ``readonly`` opens with
        ``mode=ro`` and never migrates. A damaged database opens read-only too, with
        :attr:`damage` saying what is wrong: its readable rows stay readable and exportable.
        """
        path = Path(path)
        try:
            st: os.stat_result | None = path.stat()
        except FileNotFoundError:
            st = None
        except OSError as err:  # a folder we may not enter, a symlink loop, ...
            raise StoreError(f"Cannot open '{path}': {err.strerror or err}.") from None
        if st is not None and stat.S_ISDIR(st.st_mode):
            raise StoreError(f"'{path}' is a folder, not a database file.")
        exists = st is not None and st.st_size > 0
        if not exists and (readonly or not create):
            raise StoreError(
                f"'{path}' is empty: there is no kzpk database in it yet."
                if path.exists()
                else f"No database at '{path}'."
            )
        info = inspect(path, QUICK_CHECK_AT_OPEN_BYTES) if exists else None
        if info is not None and (readonly or info.damage):
            return cls._open_readonly(path, info)
        if not exists:
            try:
                path.parent.mkdir(parents=True, exist_ok=True)
            except OSError as err:
                raise StoreError(f"Cannot create '{path}': {err.strerror or err}.") from None
        try:
            conn = connect(path, timeout_ms=BUSY_TIMEOUT_MS)
        except sqlite3.Error as err:
            raise StoreError(f"Cannot open '{path}': {err}.") from None
        try:
            return cls._prepare(conn, path, info.pending if info is not None else KNOWN_MIGRATIONS)
        except StoreError:
            conn.close()
            raise
        except sqlite3.DatabaseError as err:
            conn.close()
            if "not a database" in str(err) or "malformed" in str(err):
                raise StoreError(
                    f"'{path}' is damaged ({err}); it was left untouched. Restore it from a backup."
                ) from None
            raise _friendly(err, path) from None

    @classmethod
    def _open_readonly(cls, path: Path, info: DatabaseInfo) -> Self:
        if info.empty:
            raise StoreError(f"'{path}' is an empty SQLite database: there is no kzpk data in it yet.")
        missing = [m for m in info.pending if m not in READABLE_WITHOUT]
        if missing:
            why = f"{damaged_sentence(path, info.damage)} and it" if info.damage else f"'{path}'"
            raise StoreError(
                f"{why} uses an older schema (steps {', '.join(missing)} are not applied) that this "
                "command cannot read without upgrading it; open it once in kzpk-desktop or run "
                f"'kzpk --db {path} upgrade', then try again."
                + (" Restore it from a backup instead, since it is damaged." if info.damage else "")
            )
        try:
            conn = connect(path, readonly=True, timeout_ms=BUSY_TIMEOUT_MS)
            if info.damage:
                conn.damaged_path = str(path)
            connection_pragmas(conn)
        except sqlite3.Error as err:
            raise StoreError(f"Cannot open '{path}': {err}.") from None
        store = cls(conn, path)
        store.damage = info.damage
        store.readonly_reason = (
            f"{damaged_sentence(path, info.damage)}, so it is open read-only: nothing can be saved to it. "
            "Restore it from a backup (File ▸ Restore from backup, or 'kzpk restore'), or copy what is "
            "readable with 'kzpk export --format jsonl -o FILE'."
            if info.damage
            else f"'{path}' is open read-only here; nothing can be saved to it."
        )
        return store

    @classmethod
    def _prepare(cls, conn: sqlite3.Connection, path: Path, pending: tuple[str, ...]) -> Self:
        """Pragmas, WAL, and the schema steps ``pending`` (as the read-only inspection found
        them); sqlite-utils is loaded only when there are steps to apply."""
        connection_pragmas(conn)
        if conn.execute("PRAGMA journal_mode").fetchone()[0] != "wal":
            isolation = conn.isolation_level
            conn.isolation_level = None  # journal_mode cannot change inside a transaction
            try:
                conn.execute("PRAGMA journal_mode = wal")
            finally:
                conn.isolation_level = isolation
        conn.execute("PRAGMA synchronous = NORMAL")  # WAL + NORMAL: durable across app crashes
        if not pending:
            return cls(conn, path)
        db = sqlite_utils_database(conn)
        if migrations.pending(db):
            try:
                migrations.apply(db)
            except sqlite3.Error as err:
                raise StoreError(f"Could not upgrade '{path}': {err}. It was left as it was.") from None
        return cls(db, path)

    @property
    def readonly(self) -> bool:
        """True when every write is refused (opened read-only, or damaged)."""
        return self.readonly_reason is not None

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

        Safe to call from a worker thread with its own Store (it only reads); raises
        ``InterruptedError`` when :meth:`interrupt` stopped it (the window closed): not damage.
        """
        try:
            _raise_if_damaged(self.path, self.conn)
        except sqlite3.OperationalError as err:
            if "interrupt" in str(err):
                raise InterruptedError("The integrity check was interrupted.") from None
            raise StoreError(f"'{self.path}' could not be checked: {err}.") from None

    def close(self) -> None:
        self._conn.close()

    @property
    def db(self) -> Database:
        """sqlite-utils over the connection (migrations, query helpers), made on first use."""
        if self._db is None:
            self._db = sqlite_utils_database(self._conn)
        return self._db

    @property
    def total_changes(self) -> int:
        """Rows this connection changed since it opened (the GUI backs up only after changes)."""
        return int(self.conn.total_changes)

    def interrupt(self) -> None:
        """Stop a long query running on this connection in another thread (closing the window)."""
        self.conn.interrupt()

    @property
    def conn(self) -> sqlite3.Connection:
        return self._conn

    @contextmanager
    def transaction(self) -> Iterator[sqlite3.Connection]:
        """``BEGIN IMMEDIATE``: take the write lock before reading, so no upgrade deadlock."""
        if self.readonly_reason is not None:
            raise StoreError(self.readonly_reason)
        conn = self.conn
        if conn.in_transaction:
            with savepoint(conn):
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

    def _log(
        self,
        c: sqlite3.Connection,
        who: str,
        action: str,
        entity: str,
        entity_id: str,
        before: JSONObject | None,
        after: JSONObject | None,
    ) -> None:
        c.execute(
            "INSERT INTO changes(at, who, action, entity, entity_id, before, after) VALUES (?, ?, ?, ?, ?, ?, ?)",
            (
                utc_now(),
                who,
                action,
                entity,
                entity_id,
                json.dumps(before, ensure_ascii=False) if before is not None else None,
                json.dumps(after, ensure_ascii=False) if after is not None else None,
            ),
        )


class Repository:
    """One concern's SQL over the shared :class:`StoreBase`. Repositories never inherit each
    other: one that needs another's rows gets that repository passed in explicitly."""

    def __init__(self, store: StoreBase) -> None:
        self.store = store

    @property
    def conn(self) -> sqlite3.Connection:
        return self.store.conn

    @property
    def db(self) -> Database:
        return self.store.db

    @property
    def path(self) -> Path:
        return self.store.path

    def transaction(self) -> AbstractContextManager[sqlite3.Connection]:
        return self.store.transaction()

    def _log(
        self,
        c: sqlite3.Connection,
        who: str,
        action: str,
        entity: str,
        entity_id: str,
        before: JSONObject | None,
        after: JSONObject | None,
    ) -> None:
        self.store._log(c, who, action, entity, entity_id, before, after)


class SettingsRepository(Repository):
    """Project settings: one text value per key."""

    def get(self, key: str, default: str | None = None) -> str | None:
        row = self.conn.execute("SELECT value FROM settings WHERE key = ?", (key,)).fetchone()
        return row[0] if row else default

    def set(self, key: str, value: str) -> None:
        with self.transaction() as c:
            c.execute(
                "INSERT INTO settings(key, value) VALUES (?, ?) ON CONFLICT(key) DO UPDATE SET value = excluded.value",
                (key, value),
            )


class LabelsRepository(Repository):
    """The label set (span kinds with colours and keys), in display order."""

    def all(self) -> list[Label]:
        cols = ", ".join(Label.FIELDS)
        return [Label.from_row(r) for r in self.conn.execute(f"SELECT {cols} FROM labels ORDER BY position, id")]

    def add(self, label: Label, who: str = "") -> None:
        with self.transaction() as c:
            if c.execute("SELECT 1 FROM labels WHERE id = ?", (label.id,)).fetchone():
                raise StoreError(f"A label with id '{label.id}' already exists.")
            pos = label.position
            if pos is None:
                pos = c.execute("SELECT coalesce(max(position), -1) + 1 FROM labels").fetchone()[0]
            placed = label.replace(position=pos)
            row = placed.as_dict()
            cols = list(row)
            c.execute(
                f"INSERT INTO labels ({', '.join(cols)}) VALUES ({', '.join('?' * len(cols))})", [row[k] for k in cols]
            )
            self._log(c, who, "create", "label", str(label.id), None, placed.as_json())

    def update(self, label_id: str, changes: FieldChanges, who: str = "") -> FieldChanges:
        """Change a label's name, colour, keys or description; returns the values it had."""
        allowed = {"name", "color", "shortcut", "alt_shortcut", "description"}
        bad = set(changes) - allowed
        if bad:
            raise StoreError(f"These label fields cannot be edited: {', '.join(sorted(bad))}.")
        with self.transaction() as c:
            row = c.execute(
                "SELECT name, color, shortcut, alt_shortcut, description FROM labels WHERE id = ?", (label_id,)
            ).fetchone()
            if row is None:
                raise StoreError(f"There is no label '{label_id}'.")
            old = dict(zip(("name", "color", "shortcut", "alt_shortcut", "description"), row, strict=True))
            before: FieldChanges = {k: old[k] for k in changes}
            if changes:
                c.execute(
                    f"UPDATE labels SET {', '.join(f'{k} = ?' for k in changes)} WHERE id = ?",
                    [*changes.values(), label_id],
                )
                self._log(c, who, "update", "label", label_id, dict(before), dict(changes))
        return before

    def delete(self, label_id: str, who: str = "") -> Label:
        """Remove an unused label (for undoing "add label"); refuses while spans use it."""
        with self.transaction() as c:
            if c.execute("SELECT 1 FROM annotations WHERE label = ? LIMIT 1", (label_id,)).fetchone():
                raise StoreError(f"spans are tagged '{label_id}' now; delete or relabel them first.")
            found = c.execute(f"SELECT {', '.join(Label.FIELDS)} FROM labels WHERE id = ?", (label_id,)).fetchone()
            if found is None:
                raise StoreError(f"There is no label '{label_id}'.")
            label = Label.from_row(found)
            c.execute("DELETE FROM labels WHERE id = ?", (label_id,))
            self._log(c, who, "delete", "label", label_id, label.as_json(), None)
        return label


class HistoryRepository(Repository):
    """The append-only change log (written by ``StoreBase._log`` inside every write)."""

    def entries(self, entity: str, entity_id: str) -> list[HistoryEntry]:
        return [
            HistoryEntry.from_row(r)
            for r in self.conn.execute(
                "SELECT id, at, who, action, before, after FROM changes WHERE entity = ? AND entity_id = ? ORDER BY id",
                (entity, entity_id),
            )
        ]
