"""One import into a fresh database, timed in a process of its own (as ``kzpk import`` runs).

    python -m benchmarks.import_once FOLDER DB     # prints "files/s N" and deletes DB

The benchmark's own process has been through the other sections (their heap is what a
worker process forked from it would share); ``kzpk import`` runs in a process that has not.
(The window imports in its own process, with workers from a fork server: 5,233 files/s for
its first import, when the server starts, and ~6,000/s after, measured alone.) Loading the
modules and opening the database are not timed: the import itself is.
"""

from __future__ import annotations

import sys
import time
from pathlib import Path


def main(argv: list[str]) -> int:
    from kzpk_desktop.core.importer import import_paths
    from kzpk_desktop.core.store import Store

    folder, db = Path(argv[0]), Path(argv[1])
    n_files = sum(1 for p in folder.iterdir() if p.is_file())
    store = Store.open(db)
    t = time.perf_counter()
    report = import_paths(store, [folder])
    elapsed = time.perf_counter() - t
    store.close()
    for p in db.parent.glob(db.name + "*"):
        p.unlink()
    if len(report.imported) != n_files:
        print(report.summary(), file=sys.stderr)
        return 1
    print(f"files/s {n_files / elapsed:.1f}")
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
