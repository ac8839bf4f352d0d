"""Is this file one of ours, of which version, and is it sound? Decided read-only.

Everything here reads through a ``mode=ro`` connection (``immutable`` when the file has no
``-wal``, so that not even an empty ``-wal`` is created beside a file we then refuse), after
SQLite has applied the ``-wal``: a newer schema whose change still sits in the ``-wal`` is
seen, and refusing a database changes neither it nor its ``-wal``.
"""

from __future__ import annotations

import sqlite3
from dataclasses import dataclass
from pathlib import Path

from ..errors import StoreError
from ..schema import KNOWN_MIGRATIONS, MIGRATION_SET
from .connection import APPLICATION_ID, connect, scan_wal

# quick_check reads every page: ~1.5 s per GB here. Up to this size it runs at open (well
# under 0.5 s); above it the GUI runs verify() in the background right after opening.
QUICK_CHECK_AT_OPEN_BYTES = 256 * 1024 * 1024
# Steps a read-only open can do without: they change no table a reader reads.
# (m015 only shrinks the article index: every search reads the older index the same way)
READABLE_WITHOUT = frozenset({"m009_application_id", "m015_article_index_without_positions"})
MIGRATIONS_TABLE = "_sqlite_migrations"
# The tables each schema step creates: once the step is applied, one missing is damage.
TABLES_OF_STEP = {
    "m001_core_tables": ("articles", "labels", "annotations", "changes", "settings"),
    "m004_entities_relations": ("entities", "entity_aliases", "agreement_parties", "relations", "rejected_suggestions"),
    "m005_review": ("review_sessions", "review_decisions", "evidence"),
    "m007_progress_table_and_cheap_span_checks": ("article_progress",),
}


@dataclass(frozen=True)
class DatabaseInfo:
    """What a read-only look at an existing file found (it is ours and not newer)."""

    empty: bool  # an SQLite file with no tables yet: ours to create
    applied: tuple[str, ...]
    damage: tuple[str, ...]  # quick_check messages and lost WAL frames; empty if sound

    @property
    def pending(self) -> tuple[str, ...]:
        return tuple(m for m in KNOWN_MIGRATIONS if m not in self.applied)


def quick_check(conn: sqlite3.Connection) -> list[str]:
    """``PRAGMA quick_check`` messages (``[]`` if sound); an unreadable page is a message too."""
    try:
        result = [str(r[0]) for r in conn.execute("PRAGMA quick_check").fetchall()]
    except sqlite3.OperationalError as err:
        if "interrupted" in str(err):
            raise  # the window closed: not damage
        result = [str(err)]
    except sqlite3.DatabaseError as err:
        result = [str(err)]
    if result == ["ok"]:
        return []
    # SQLite heads some messages with "*** in database main ***" and a newline: one line each
    return [" ".join(m.replace("*** in database main ***", "").split()) for m in result]


def damaged_sentence(path: Path, damage: tuple[str, ...] | list[str]) -> str:
    shown = "; ".join(damage[:3]) + (f"; and {len(damage) - 3} more" if len(damage) > 3 else "")
    return f"'{path}' is damaged ({shown})"


def _sql_error(path: Path, err: sqlite3.Error) -> StoreError:
    msg = str(err)
    if "not a database" in msg or "file is encrypted" in msg:
        return StoreError(f"'{path}' is not a kzpk database (it is not an SQLite file); it was left untouched.")
    if "unable to open" in msg:
        return StoreError(
            f"Cannot open '{path}': it cannot be read here (check that it is a file and its "
            "permissions); it was left untouched."
        )
    if "locked" in msg or "busy" in msg:
        return StoreError(
            f"The database '{path}' is busy: another program holds it locked. "
            "Nothing was changed; try again in a moment."
        )
    return StoreError(
        f"'{path}' is damaged: its schema cannot be read ({msg}); it was left untouched. Restore it from a backup."
    )


def inspect(path: Path, quick_check_limit: int = QUICK_CHECK_AT_OPEN_BYTES) -> DatabaseInfo:
    """Read ownership, version and soundness of an existing, non-empty file without writing.

    Raises StoreError with one sentence for a file that is not SQLite, not ours, newer than
    this program, unreadable or whose schema cannot be read.
    """
    wal = scan_wal(path)  # before our first connection: SQLite's recovery hides what it drops
    has_wal = Path(f"{path}-wal").exists()
    try:
        conn = connect(path, readonly=True, immutable=not has_wal, timeout_ms=2000)
    except sqlite3.Error as err:
        raise _sql_error(path, err) from None
    try:
        try:
            app_id = int(conn.execute("PRAGMA application_id").fetchone()[0])
            tables = {r[0] for r in conn.execute("SELECT name FROM sqlite_master WHERE type = 'table'")}
        except sqlite3.Error as err:
            raise _sql_error(path, err) from None
        if not tables and app_id in (0, APPLICATION_ID):
            return DatabaseInfo(empty=True, applied=(), damage=())
        foreign = StoreError(
            f"'{path}' is an SQLite database of another program, not a kzpk database; it was left untouched."
        )
        if app_id not in (0, APPLICATION_ID) or MIGRATIONS_TABLE not in tables:
            raise foreign
        try:
            rows = conn.execute(f"SELECT migration_set, name FROM {MIGRATIONS_TABLE} ORDER BY rowid").fetchall()
        except sqlite3.Error as err:
            raise _sql_error(path, err) from None
        sets = {str(s) for s, _ in rows}
        ours = [str(n) for s, n in rows if s == MIGRATION_SET]
        # Before m009 our files carried no application_id: then the migrations table must be
        # ours alone and start with our first step (another sqlite-utils program has its own).
        if app_id == 0 and (sets != {MIGRATION_SET} or not ours or ours[0] != KNOWN_MIGRATIONS[0]):
            raise foreign
        unknown = [n for n in ours if n not in KNOWN_MIGRATIONS]
        if unknown:
            raise StoreError(
                f"'{path}' was created by a newer version of kzpk_desktop (schema steps "
                f"{', '.join(unknown)} are unknown here); it was left untouched. Upgrade the "
                "application to open it."
            )
        damage: list[str] = [
            f"its table '{t}' is missing" for step in ours for t in TABLES_OF_STEP.get(step, ()) if t not in tables
        ]
        if wal is not None and wal.lost_frames:
            damage.append(
                f"its write-ahead log held {wal.lost_frames} committed page write(s) in "
                f"{wal.lost_commits} transaction(s) after a damaged frame, which SQLite cannot apply: "
                "the changes saved last are missing"
            )
        if path.stat().st_size <= quick_check_limit:
            damage.extend(quick_check(conn))
        return DatabaseInfo(empty=False, applied=tuple(ours), damage=tuple(damage))
    finally:
        conn.close()
