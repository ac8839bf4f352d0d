"""Which database a program works on: the one given, else the user's seeded default.

Kept apart from the importer so opening a given file does not load the parsing code
(~40 ms of start-up).
"""

from __future__ import annotations

from pathlib import Path

from .store import Store


def open_project(db_path: str | Path | None) -> Store:
    """``db_path`` if given (opened or created), else the default database in the user's data
    folder, filled from the seeds on first use."""
    if db_path:
        return Store.open(db_path)
    from .importer import open_default_store
    from .paths import default_db_path, seeds_dir

    store, _ = open_default_store(default_db_path(), seeds_dir())
    return store
