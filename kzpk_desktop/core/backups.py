"""Rolling backups of a project database, made with SQLite's online backup API.

A backup is a consistent copy taken while the database is in use (no lock held for long,
WAL content included). Backups live in the user's data folder, per database, newest kept.
"""

from __future__ import annotations

import hashlib
import sqlite3
from datetime import UTC, datetime
from pathlib import Path

from .errors import StoreError
from .paths import user_data_dir
from .store import Store
from .store.connection import connect, connections_open_to

KEEP = 10
KEEP_BYTES = 2 * 1024**3  # big databases keep fewer copies (at least 2)


def keep_for(db_path: str | Path) -> int:
    size = max(1, Path(db_path).stat().st_size)
    return max(2, min(KEEP, KEEP_BYTES // size))


def newest_age_s(db_path: str | Path) -> float | None:
    """Seconds since the newest backup of this database, or None if there is none."""
    found = list_backups(db_path)
    if not found:
        return None
    return datetime.now(UTC).timestamp() - found[0].stat().st_mtime


def backup_dir(db_path: str | Path) -> Path:
    """One folder per database (name plus a short hash of its full path)."""
    path = Path(db_path).resolve()
    tag = hashlib.sha256(str(path).encode()).hexdigest()[:8]
    return user_data_dir() / "backups" / f"{path.stem}-{tag}"


def list_backups(db_path: str | Path) -> list[Path]:
    """Newest first."""
    folder = backup_dir(db_path)
    return sorted(folder.glob("*.db"), reverse=True) if folder.is_dir() else []


def make_backup(db_path: str | Path, dest: str | Path | None = None, keep: int | None = None) -> Path:
    """Copy a database consistently (it may be open elsewhere); prune to ``keep`` copies."""
    src_path = Path(db_path)
    if dest is None:
        folder = backup_dir(src_path)
        folder.mkdir(parents=True, exist_ok=True)
        dest = folder / f"{datetime.now(UTC):%Y%m%dT%H%M%S%fZ}.db"
    dest = Path(dest)
    part = dest.with_name(dest.name + ".part")
    try:
        src = connect(src_path, readonly=True, timeout_ms=10_000)
        try:
            out = connect(part)
            try:
                src.backup(out, pages=4096)
            finally:
                out.close()
        finally:
            src.close()
        part.replace(dest)
    except (sqlite3.Error, OSError) as err:
        part.unlink(missing_ok=True)
        raise StoreError(f"The backup of '{src_path}' failed: {err}.") from None
    keep = keep_for(src_path) if keep is None else keep
    if keep and dest.parent == backup_dir(src_path):
        for old in list_backups(src_path)[keep:]:
            old.unlink(missing_ok=True)
    return dest


def restore(db_path: str | Path, backup: str | Path) -> Path:
    """Put a backup in place of a database; the current file is kept aside, not deleted.

    The backup is checked first, read-only (it must be a sound kzpk database, not newer than
    this program) and copied with SQLite's backup API, never with a plain file copy. The
    current file moves aside together with its ``-wal`` (which may hold its latest changes).
    Returns the path the replaced file was moved to. The database must not be open anywhere.
    """
    db_path, backup = Path(db_path), Path(backup)
    if connections_open_to(db_path):
        raise StoreError(f"'{db_path}' is still open here; close it before restoring a backup.")
    check = Store.open(backup, create=False, readonly=True)  # refuses non-databases, newer schemas
    try:
        problems = list(check.damage) or check.integrity.check()
    finally:
        check.close()
    if problems:
        raise StoreError(f"The backup '{backup.name}' has problems ({problems[0]}); nothing was restored.")
    tmp = db_path.with_name(db_path.name + ".restoring")
    tmp.unlink(missing_ok=True)
    try:
        src = connect(backup, readonly=True)
        try:
            out = connect(tmp)
            try:
                src.backup(out)
            finally:
                out.close()
        finally:
            src.close()
    except sqlite3.Error as err:
        tmp.unlink(missing_ok=True)
        raise StoreError(f"Could not copy the backup '{backup.name}': {err}; nothing was restored.") from None
    aside = db_path.with_name(f"{db_path.name}.before-restore-{datetime.now(UTC):%Y%m%dT%H%M%SZ}")
    if db_path.exists():
        db_path.replace(aside)
    for suffix in ("-wal", "-shm"):
        extra = Path(str(db_path) + suffix)
        if extra.exists():
            extra.replace(Path(str(aside) + suffix))
    tmp.replace(db_path)
    return aside
