"""Another program on the same file, as a database browser or a script would be: it opens
the database read-write with plain sqlite3, reads, and closes, over and over.

    python -m tests.reliability.browser DB

Its close is what deletes a live ``-wal`` when the writer's process has lost its locks.
"""

from __future__ import annotations

import sqlite3
import sys
import time


def main(db: str) -> None:
    print("READY", flush=True)
    while True:
        try:
            conn = sqlite3.connect(db, timeout=5)
            conn.execute("SELECT count(*) FROM annotations").fetchone()
            conn.close()
        except sqlite3.Error:
            pass  # busy or mid-recovery: a browser would just retry
        time.sleep(0.002)


if __name__ == "__main__":
    main(sys.argv[1])
