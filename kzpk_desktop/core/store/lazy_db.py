"""The connection without sqlite-utils: its pragmas and savepoints, and the sqlite-utils
wrapper made only when something needs it (a migration to apply, a query helper).

Loading sqlite-utils costs ~60 ms (click, dateutil, pluggy, its own modules), and making its
``Database`` scanned every installed distribution's entry points for plugins: together a
fifth of the window's start-up budget (issue 20), spent on every start although opening an
up-to-date database needs none of it.
"""

from __future__ import annotations

import sqlite3
from collections.abc import Iterator
from contextlib import contextmanager
from itertools import count
from typing import TYPE_CHECKING

if TYPE_CHECKING:
    from .._sqlite_utils import Database

_savepoints = count(1)


def sqlite_utils_database(conn: sqlite3.Connection) -> Database:
    """sqlite-utils over our connection, loaded now, without its plugin discovery (the
    application uses no sqlite-utils plugins)."""
    from .._sqlite_utils import Database

    return Database(conn, execute_plugins=False)


def connection_pragmas(conn: sqlite3.Connection) -> None:
    """What every connection of ours runs with. ``recursive_triggers`` is what sqlite-utils'
    ``Database()`` turned on; it is set here because that object is now made on demand."""
    conn.execute("PRAGMA recursive_triggers = ON")
    conn.execute("PRAGMA foreign_keys = ON")
    # Big corpora: a 64 MB page cache keeps index inserts and list queries off the disk
    # (the default 2 MB cache thrashes at 10^6 spans).
    conn.execute("PRAGMA cache_size = -65536")


@contextmanager
def savepoint(conn: sqlite3.Connection) -> Iterator[None]:
    """A nested transaction inside the open one (what sqlite-utils' ``atomic()`` does there)."""
    name = f"kzpk_{next(_savepoints)}"
    conn.execute(f"SAVEPOINT {name}")
    try:
        yield
    except BaseException:
        if conn.in_transaction:  # (a RAISE(ROLLBACK) trigger may have ended it already)
            conn.execute(f"ROLLBACK TO SAVEPOINT {name}")
            conn.execute(f"RELEASE SAVEPOINT {name}")
        raise
    conn.execute(f"RELEASE SAVEPOINT {name}")
