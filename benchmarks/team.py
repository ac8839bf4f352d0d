"""Team benchmark: merge two diverged copies, and agreement over many spans.

    python3 -m benchmarks.team --articles 10000 --annotations 100000 --changes 1000

Builds a corpus with ``make_corpus``, copies it twice, makes ``--changes`` note edits and
``--changes`` new spans on each side (through SQL, which the triggers stamp like the app),
times ``merge`` (A into B), and times ``agreement`` after giving the spans two annotators.
The issue's target is 100k articles / 1M spans / 10k changes per side under 60 s and
agreement over 1M spans under 10 s.
"""

from __future__ import annotations

import argparse
import random
import shutil
import tempfile
import time
import uuid
from pathlib import Path

from benchmarks.make_corpus import build
from kzpk_desktop.core.store import Store
from kzpk_desktop.core.team.agreement import measure
from kzpk_desktop.core.team.merge import merge


def diverge(path: Path, changes: int, seed: int, who: str) -> None:
    rnd = random.Random(seed)
    store = Store.open(path)
    ids = [r[0] for r in store.conn.execute("SELECT id FROM annotations")]
    with store.transaction() as c:
        for aid in rnd.sample(ids, changes):
            c.execute("UPDATE annotations SET note = ? WHERE id = ?", (f"edited by {who}", aid))
        rows = c.execute('SELECT article_id, start, "end", label, text FROM annotations LIMIT ?', (changes,)).fetchall()
        for article_id, start, end, label, text in rows:
            c.execute(
                'INSERT INTO annotations (id, article_id, start, "end", label, text, annotator, created_at, '
                "updated_at) VALUES (?, ?, ?, ?, ?, ?, ?, '2026-01-01', '2026-01-01')",
                (str(uuid.uuid4()), article_id, start, end, label, text, who),
            )
    store.close()


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("--articles", type=int, default=10_000)
    ap.add_argument("--annotations", type=int, default=100_000)
    ap.add_argument("--changes", type=int, default=1_000)
    ap.add_argument(
        "--double-coded",
        type=float,
        default=1.0,
        help="share of articles coded by two coders for the agreement run (default: all)",
    )
    ap.add_argument("--skip-merge", action="store_true")
    args = ap.parse_args()
    with tempfile.TemporaryDirectory() as tmp:
        seed = Path(tmp) / "seed.db"
        build(seed, args.articles, args.annotations, quiet=True)
        Store.open(seed).close()  # upgrade once, so both copies share ids
        a, b = Path(tmp) / "a.db", Path(tmp) / "b.db"
        shutil.copy(seed, a)
        shutil.copy(seed, b)
        diverge(a, args.changes, 1, "ann")
        diverge(b, args.changes, 2, "bob")
        store = Store.open(b)
        t0 = time.perf_counter()
        report = None if args.skip_merge else merge(store, a, "bench")
        t_merge = time.perf_counter() - t0
        every = max(1, round(1 / args.double_coded)) if args.double_coded > 0 else 0
        with store.transaction() as c:  # articles article_id % every == 0 get two coders, the rest one
            c.execute(
                "UPDATE annotations SET annotator = CASE WHEN ? > 0 AND article_id % ? = 0 AND rowid % 2 "
                "THEN 'bob' ELSE 'ann' END",
                (every, max(every, 1)),
            )
        t0 = time.perf_counter()
        result = measure(store)
        t_agree = time.perf_counter() - t0
        n = store.annotations.count()
        store.close()
    print(f"{args.articles:,} articles, {args.annotations:,} spans, {args.changes:,} changes per side")
    if report is not None:
        print(f"merge A into B: {t_merge:.1f} s ({report.summary()})")
    print(
        f"agreement over {n:,} spans ({args.double_coded:.0%} of articles double-coded): {t_agree:.1f} s "
        f"({sum(la.n_units for la in result.spans.values()):,} character units)"
    )


if __name__ == "__main__":
    main()
