"""A writer process for the kill tests: creates annotations through the core API and
acknowledges each one on stdout only after its transaction committed.

    python -m tests.reliability.writer DB annotate|migrate|export [OUT]
"""

from __future__ import annotations

import random
import sys

from kzpk_desktop.core import annotations as ann
from kzpk_desktop.core.store import Store


def annotate(db: str) -> None:
    store = Store.open(db)
    rnd = random.Random()
    ids = [r[0] for r in store.conn.execute("SELECT id FROM articles")]
    print("READY", flush=True)
    while True:
        aid = rnd.choice(ids)
        text = store.article_text(aid)
        start = rnd.randrange(0, len(text) - 30)
        end = start + rnd.randint(1, 25)
        if not text[start:end].strip():
            continue
        row = ann.create_annotation(store, aid, start, end, rnd.choice(["claim", "actor", "agreement"]),
                                    annotator="writer")
        print(f"ACK {row['id']}", flush=True)  # only after create_annotation returned: committed


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


if __name__ == "__main__":
    {"annotate": lambda: annotate(sys.argv[1]), "migrate": lambda: migrate(sys.argv[1]),
     "export": lambda: export(sys.argv[1], sys.argv[3])}[sys.argv[2]]()
