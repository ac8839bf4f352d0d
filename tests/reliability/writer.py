"""A writer process for the kill tests: creates annotations through the core API and
acknowledges each one on stdout only after its transaction committed.

    python -m tests.reliability.writer DB annotate|migrate|export [OUT]
    python -m tests.reliability.writer DB forkserver ACKFILE

``forkserver`` imports everything once, then forks one GUI-like writer per ``spawn`` line
on stdin (a fresh process: the server itself never connects to the database), so that a
kill loop of hundreds of kills fits in a short test. Each writer also opens and closes a
second Store in-process every few writes, as the GUI's import and export workers do, and
appends ``ACK id`` lines to ACKFILE (one write each, after the commit).
"""

from __future__ import annotations

import os
import random
import sys
import traceback

from kzpk_desktop.core import annotations as ann
from kzpk_desktop.core.store import Store


def annotate(db: str) -> None:
    store = Store.open(db)
    rnd = random.Random()
    ids = [r[0] for r in store.conn.execute("SELECT id FROM articles")]
    print("READY", flush=True)
    while True:
        aid = rnd.choice(ids)
        text = store.articles.text(aid)
        start = rnd.randrange(0, len(text) - 30)
        end = start + rnd.randint(1, 25)
        if not text[start:end].strip():
            continue
        row = ann.create_annotation(
            store, aid, start, end, rnd.choice(["claim", "actor", "agreement"]), annotator="writer"
        )
        print(f"ACK {row.id}", flush=True)  # only after create_annotation returned: committed


def migrate(db: str) -> None:
    print("READY", flush=True)
    Store.open(db).close()
    print("DONE", flush=True)


def export(db: str, out: str) -> None:
    from kzpk_desktop.core.exporters.csv_export import write_csv

    store = Store.open(db)
    print("READY", flush=True)
    while True:
        write_csv(store, out)
        print("WROTE", flush=True)


SECOND_STORE_EVERY = 4


def annotate_with_second_store(db: str, ack_fd: int) -> None:
    store = Store.open(db)
    rnd = random.Random()
    ids = [r[0] for r in store.conn.execute("SELECT id FROM articles")]
    os.write(ack_fd, b"READY\n")
    n = 0
    while True:
        aid = rnd.choice(ids)
        text = store.articles.text(aid)
        start = rnd.randrange(0, len(text) - 30)
        end = start + rnd.randint(1, 25)
        if not text[start:end].strip():
            continue
        row = ann.create_annotation(
            store, aid, start, end, rnd.choice(["claim", "actor", "agreement"]), annotator="writer"
        )
        os.write(ack_fd, f"ACK {row.id}\n".encode())  # only after the commit returned
        n += 1
        if n % SECOND_STORE_EVERY == 0:  # the import/export worker's own connection
            second = Store.open(db)
            second.articles.count()
            second.close()


def forkserver(db: str, ack_file: str) -> None:
    print("READY", flush=True)
    for line in sys.stdin:
        cmd, *rest = line.split()
        if cmd == "spawn":
            pid = os.fork()
            if pid == 0:
                fd = os.open(ack_file, os.O_WRONLY | os.O_APPEND | os.O_CREAT, 0o644)
                try:
                    annotate_with_second_store(db, fd)
                except BaseException:
                    traceback.print_exc()
                finally:
                    os._exit(1)
            print(f"PID {pid}", flush=True)
        elif cmd == "reap":
            os.waitpid(int(rest[0]), 0)
            print("DEAD", flush=True)


if __name__ == "__main__":
    {
        "annotate": lambda: annotate(sys.argv[1]),
        "migrate": lambda: migrate(sys.argv[1]),
        "export": lambda: export(sys.argv[1], sys.argv[3]),
        "forkserver": lambda: forkserver(sys.argv[1], sys.argv[3]),
    }[sys.argv[2]]()
