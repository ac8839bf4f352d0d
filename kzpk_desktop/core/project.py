"""Which database a program works on: the one given, else the user's seeded default.

Kept apart from the importer so opening a given file does not load the parsing code
(~40 ms of start-up).
"""

from __future__ import annotations

from pathlib import Path

from .store import Store


def open_project(db_path: str | Path | None, *, readonly: bool = False) -> Store:
    """``db_path`` if given (opened or created), else the default database in the user's data
    folder, filled from the seeds on first use.

    ``readonly`` (the listing and export commands) never creates, migrates or writes a given
    file; only a default database that does not exist yet is created and seeded first.
    """
    from .paths import default_db_path

    if db_path:
        return Store.open(db_path, readonly=readonly)
    default = default_db_path()
    if readonly and default.exists() and default.stat().st_size > 0:
        return Store.open(default, readonly=True)
    from .importer import open_default_store
    from .paths import seeds_dir

    store, _ = open_default_store(default, seeds_dir())
    return store
