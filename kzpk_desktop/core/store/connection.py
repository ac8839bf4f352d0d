"""The connection factory: the one place that opens SQLite connections to a project file.

Why one place: on POSIX, closing *any* descriptor of a file drops *all* of this process's
fcntl locks on it, SQLite's included. A stray ``open(db_path)`` (to peek at the header, to
copy the file) while a connection exists makes SQLite believe it holds no lock; the next
connection to close then checkpoints and deletes the live ``-wal`` under the others, and
writes that were acknowledged as saved are lost. So nothing in this package opens the
database, its ``-wal`` or its ``-shm`` with a plain descriptor while a connection to it may
exist: headers are read through SQLite (``PRAGMA application_id``), copies are made with
the backup API, and the only plain read (the WAL scan in :func:`scan_wal`) runs only while
this process holds no connection to the file (tracked here) and only ever touches the
``-wal``, on which SQLite keeps no locks.

Every connection also decodes text with replacement, so one invalid UTF-8 byte in a title
cannot crash a listing or an export (``kzpk check`` names the rows that hold such bytes).
"""

from __future__ import annotations

import os
import sqlite3
import struct
import threading
import weakref
from dataclasses import dataclass
from pathlib import Path
from typing import Any, Self
from urllib.parse import quote

from ..errors import StoreError

BUSY_TIMEOUT_MS = 5000
# PRAGMA application_id of every kzpk database: 'KZPK' in ASCII (the SQLite header's
# offset 68). Another program's SQLite file carries 0 or its own id.
APPLICATION_ID = 0x4B5A504B

_lock = threading.Lock()
_open: dict[tuple[int, int], weakref.WeakSet[Connection]] = {}


def decode_text(raw: bytes) -> str:
    """Text as stored, with any invalid UTF-8 byte shown as U+FFFD instead of raising."""
    return raw.decode("utf-8", "replace")


def _unreadable(path: str, err: sqlite3.DatabaseError) -> StoreError:
    return StoreError(
        f"Part of '{path}' cannot be read ({err}): the file is damaged and open read-only; restore it from a backup."
    )


class _GuardedCursor(sqlite3.Cursor):
    """A cursor over a damaged file: an unreadable page or a missing table is a StoreError
    sentence (which every caller already shows) rather than a raw sqlite3 error."""

    def _path(self) -> str:
        return str(getattr(self.connection, "damaged_path", "") or "the database")

    def execute(self, sql: str, parameters: Any = (), /) -> Self:
        try:
            return super().execute(sql, parameters)
        except sqlite3.DatabaseError as err:
            raise _unreadable(self._path(), err) from None

    def fetchone(self) -> Any:
        try:
            return super().fetchone()
        except sqlite3.DatabaseError as err:
            raise _unreadable(self._path(), err) from None

    def fetchmany(self, size: int | None = None) -> list[Any]:
        try:
            return super().fetchmany(self.arraysize if size is None else size)
        except sqlite3.DatabaseError as err:
            raise _unreadable(self._path(), err) from None

    def fetchall(self) -> list[Any]:
        try:
            return super().fetchall()
        except sqlite3.DatabaseError as err:
            raise _unreadable(self._path(), err) from None

    def __next__(self) -> Any:
        try:
            return super().__next__()
        except sqlite3.DatabaseError as err:
            raise _unreadable(self._path(), err) from None


class Connection(sqlite3.Connection):
    """A connection that the factory can account for (see :func:`connections_open_to`)."""

    _kzpk_key: tuple[int, int] | None = None
    damaged_path: str | None = None  # set on a damaged file's read-only connection

    def execute(self, sql: str, parameters: Any = (), /) -> sqlite3.Cursor:
        if self.damaged_path is None:
            return super().execute(sql, parameters)
        return self.cursor(_GuardedCursor).execute(sql, parameters)

    def close(self) -> None:
        try:
            super().close()
        finally:
            _forget(self)


def _file_key(path: Path) -> tuple[int, int] | None:
    try:
        st = path.stat()
    except OSError:
        return None
    return (st.st_dev, st.st_ino)


def _forget(conn: Connection) -> None:
    key = conn._kzpk_key
    if key is None:
        return
    with _lock:
        live = _open.get(key)
        if live is not None:
            live.discard(conn)
            if not live:
                del _open[key]


def connections_open_to(path: str | Path) -> int:
    """How many connections this process has open to ``path`` (garbage-collected ones close)."""
    key = _file_key(Path(path))
    if key is None:
        return 0
    with _lock:
        return len(_open.get(key, ()))


def is_open_database_file(path: str | Path) -> bool:
    """Is ``path`` a database this process has a connection to, or its ``-wal``/``-shm``?
    Reading it with a plain descriptor would drop that connection's locks (see above)."""
    with _lock:
        if not _open:
            return False
    name = os.fspath(path)
    candidates = [name, *(name[: -len(s)] for s in ("-wal", "-shm", "-journal") if name.endswith(s))]
    return any(connections_open_to(c) for c in candidates)


def open_database_keys() -> frozenset[tuple[int, int]]:
    """(device, inode) of every database this process has open: for a worker process that
    must refuse them as ``is_open_database_file`` does here (see ``is_database_among``)."""
    with _lock:
        return frozenset(key for key, live in _open.items() if live)


def is_database_among(path: str | Path, keys: frozenset[tuple[int, int]]) -> bool:
    """``is_open_database_file`` against keys taken from another process's ``open_database_keys``."""
    p = Path(path)
    candidates = [p]
    for suffix in ("-wal", "-shm", "-journal"):
        if p.name.endswith(suffix):
            candidates.append(p.with_name(p.name[: -len(suffix)]))
    return any(_file_key(c) in keys for c in candidates)


def uri_for(path: str | Path, *, readonly: bool = False, immutable: bool = False) -> str:
    """A ``file:`` URI for ``path``: ``mode=ro`` never writes the database or its -wal."""
    absolute = os.path.abspath(os.fspath(path))
    params = "mode=ro" if readonly else "mode=rwc"
    if immutable:
        params += "&immutable=1"
    return f"file:{quote(absolute)}?{params}"


def connect(
    path: str | Path,
    *,
    readonly: bool = False,
    immutable: bool = False,
    timeout_ms: int | None = None,
    check_same_thread: bool = True,
) -> Connection:
    """Open a connection to a project database (or a backup, or a copy being written).

    ``readonly`` opens with ``mode=ro``: SQLite then never writes the file or its ``-wal``
    (it may create an empty ``-wal``/``-shm`` pair to share the WAL index). ``immutable``
    reads a file no other process writes (used only when it has no ``-wal``), creating
    nothing beside it.
    """
    timeout = (BUSY_TIMEOUT_MS if timeout_ms is None else timeout_ms) / 1000
    conn = sqlite3.connect(
        uri_for(path, readonly=readonly, immutable=immutable),
        uri=True,
        timeout=timeout,
        factory=Connection,
        check_same_thread=check_same_thread,
    )
    assert isinstance(conn, Connection)
    conn.text_factory = decode_text
    conn.execute(f"PRAGMA busy_timeout = {int(timeout * 1000)}")
    key = _file_key(Path(path))
    if key is not None:
        conn._kzpk_key = key
        with _lock:
            _open.setdefault(key, weakref.WeakSet()).add(conn)
    return conn


# --- the WAL scan ----------------------------------------------------------------------------
WAL_MAGIC = (0x377F0682, 0x377F0683)
WAL_HEADER = 32
FRAME_HEADER = 24


@dataclass(frozen=True)
class WalScan:
    """What the ``-wal`` held, read before SQLite recovered it.

    ``applied_frames`` is what SQLite will replay (the valid checksum chain up to its last
    commit); ``lost_frames`` / ``lost_commits`` are committed frames of the same WAL
    generation after a frame whose checksum failed, which SQLite silently ignores (counted
    only when at least two commits follow the bad frame; see :func:`scan_wal`).
    """

    frames: int
    applied_frames: int
    lost_frames: int
    lost_commits: int


def _checksum(data: bytes, s0: int, s1: int, big_endian: bool) -> tuple[int, int]:
    words = struct.unpack((">" if big_endian else "<") + f"{len(data) // 4}I", data)
    for i in range(0, len(words), 2):
        s0 = (s0 + words[i] + s1) & 0xFFFFFFFF
        s1 = (s1 + words[i + 1] + s0) & 0xFFFFFFFF
    return s0, s1


def scan_wal(path: str | Path) -> WalScan | None:
    """Count the committed frames of ``path``'s ``-wal`` that SQLite would drop on recovery.

    Runs only when this process has no connection to the database (then closing our
    descriptor cannot drop a lock of ours, and SQLite keeps none on the ``-wal`` anyway);
    returns None when it does not run, when there is no ``-wal``, or it has no frames.
    """
    wal = Path(f"{path}-wal")
    try:
        size = wal.stat().st_size
    except OSError:
        return None
    if size <= WAL_HEADER or connections_open_to(path):
        return None
    try:
        with wal.open("rb") as fh:
            data = fh.read()
    except OSError:
        return None
    if len(data) < WAL_HEADER:
        return None
    magic, _version, page_size, _ckpt, salt1, salt2, c0, c1 = struct.unpack(">8I", data[:WAL_HEADER])
    if magic not in WAL_MAGIC or page_size < 512 or page_size & (page_size - 1):
        return None
    big_endian = magic == WAL_MAGIC[1]
    if _checksum(data[:24], 0, 0, big_endian) != (c0, c1):
        return None  # a damaged header: SQLite ignores the whole file, and so can we not count
    frame_size = FRAME_HEADER + page_size
    n_frames = (len(data) - WAL_HEADER) // frame_size
    s0, s1 = c0, c1
    applied = 0
    valid_chain = True
    lost_frames = lost_commits = 0
    pending_after_break = 0
    for i in range(n_frames):
        off = WAL_HEADER + i * frame_size
        header = data[off : off + FRAME_HEADER]
        _pgno, commit, fs1, fs2, fc0, fc1 = struct.unpack(">6I", header)
        if (fs1, fs2) != (salt1, salt2):
            if valid_chain:
                break  # the end of this generation: older frames follow, as SQLite expects
            continue
        if valid_chain:
            s0, s1 = _checksum(header[:8], s0, s1, big_endian)
            s0, s1 = _checksum(data[off + FRAME_HEADER : off + frame_size], s0, s1, big_endian)
            if (s0, s1) == (fc0, fc1):
                if commit:
                    applied = i + 1
                continue
            valid_chain = False
            pending_after_break = i + 1 - applied
            if commit:
                lost_frames, lost_commits = pending_after_break, 1
            continue
        pending_after_break += 1
        if commit:
            lost_frames = pending_after_break
            lost_commits += 1
    if lost_commits < 2:
        # One commit after the bad frame is what a writer killed inside its commit leaves when
        # it had to rewrite checksums (SQLite re-checksums overwritten frames after writing
        # the commit frame): never acknowledged, rightly dropped. Only a later commit proves
        # that the first one completed, and so that committed work is being lost.
        lost_frames = lost_commits = 0
    return WalScan(frames=n_frames, applied_frames=applied, lost_frames=lost_frames, lost_commits=lost_commits)
