"""Team benchmark: merge two diverged copies, and agreement over many spans (issue 18's targets).

    python3 -m benchmarks.team --db /work/bench/corpus.db --changes 10000 --repeats 3
    python3 -m benchmarks.team --articles 10000 --annotations 100000 --changes 1000   # builds a corpus

Copies the corpus (SQLite's backup API, read-only on the source: it is never written), upgrades
the copy, makes two copies A and B of it and on each side edits the note of ``--changes`` spans
and adds ``--changes`` new spans (through SQL, which the triggers stamp like the app). Each
repeat merges A into a fresh copy of B, timed; then agreement is timed ``--repeats`` times on a
copy whose spans are split between two coders (``--double-coded`` of the articles coded twice).
Beside each figure the baseline of the same run: the bare reads any merge or agreement must do
(every span's id and revision on both sides; every coded span's offsets), so a loaded machine
shows up in both. Prints ours against the target with met / not met and exits 1 on a miss.
"""

from __future__ import annotations

import argparse
import random
import statistics
import sys
import tempfile
import time
import uuid
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path

from benchmarks.make_corpus import build
from kzpk_desktop.core.backups import make_backup
from kzpk_desktop.core.store import Store
from kzpk_desktop.core.store.connection import connect
from kzpk_desktop.core.team.agreement import measure
from kzpk_desktop.core.team.merge import merge

MERGE_TARGET_S = 60.0
AGREEMENT_TARGET_S = 10.0


@dataclass(frozen=True)
class Timing:
    name: str
    samples: tuple[float, ...]
    target: float
    baseline: tuple[float, ...]
    cpu: tuple[float, ...] = ()  # this process's CPU seconds per sample: what a shared machine's load does not inflate

    @property
    def median(self) -> float:
        return statistics.median(self.samples)

    @property
    def met(self) -> bool:
        return max(self.samples) < self.target

    def line(self) -> str:
        s = self.samples
        base = statistics.median(self.baseline) if self.baseline else float("nan")
        cpu = statistics.median(self.cpu) if self.cpu else float("nan")
        return (
            f"{self.name:<10} ours median {self.median:6.2f} s (min {min(s):.2f}, max {max(s):.2f}, n={len(s)})"
            f"  target < {self.target:.0f} s  {'met' if self.met else 'NOT MET'}"
            f"  (baseline median {base:.2f} s; CPU median {cpu:.2f} s)"
        )


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


def split_coders(path: Path, double_coded: float) -> None:
    """Articles with ``article_id % every == 0`` get two coders (alternate spans), the rest one."""
    every = max(1, round(1 / double_coded)) if double_coded > 0 else 0
    store = Store.open(path)
    with store.transaction() as c:
        c.execute(
            "UPDATE annotations SET annotator = CASE WHEN ? > 0 AND article_id % ? = 0 AND rowid % 2 "
            "THEN 'bob' ELSE 'ann' END",
            (every, max(every, 1)),
        )
    store.close()


def timed(fn: Callable[[], object]) -> float:
    t0 = time.perf_counter()
    fn()
    return time.perf_counter() - t0


def scan_revs(*paths: Path) -> None:
    """Baseline for merging: every span's id and revision read from both files."""
    for p in paths:
        conn = connect(p, readonly=True)
        try:
            for _ in conn.execute("SELECT id, rev FROM annotations"):
                pass
        finally:
            conn.close()


def scan_spans(path: Path) -> None:
    """Baseline for agreement: every coder's span offsets read once."""
    conn = connect(path, readonly=True)
    try:
        for _ in conn.execute('SELECT article_id, annotator, label, start, "end" FROM annotations'):
            pass
    finally:
        conn.close()


def main(argv: list[str] | None = None) -> int:
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("--db", type=Path, help="an existing corpus to copy (never written); else one is built")
    ap.add_argument("--articles", type=int, default=10_000)
    ap.add_argument("--annotations", type=int, default=100_000)
    ap.add_argument("--changes", type=int, default=1_000)
    ap.add_argument("--repeats", type=int, default=3)
    ap.add_argument(
        "--double-coded",
        type=float,
        default=1.0,
        help="share of articles coded by two coders for the agreement run (default: all)",
    )
    ap.add_argument("--skip-merge", action="store_true")
    ap.add_argument("--skip-agreement", action="store_true")
    ap.add_argument("--workdir", type=Path, help="where the copies go (default: a temporary folder)")
    args = ap.parse_args(argv)
    if args.repeats < 1:
        print("--repeats must be at least 1.", file=sys.stderr)
        return 2
    if args.db is not None and not args.db.is_file():
        print(f"There is no corpus at '{args.db}'.", file=sys.stderr)
        return 2
    with tempfile.TemporaryDirectory(dir=args.workdir) as tmp_s:
        tmp = Path(tmp_s)
        seed = tmp / "seed.db"
        if args.db is not None:
            make_backup(args.db, seed, keep=0)
        else:
            build(seed, args.articles, args.annotations, quiet=True)
        Store.open(seed).close()  # upgrade once, so both copies share ids
        results: list[Timing] = []
        store = Store.open(seed)
        n_articles, n_spans = store.articles.count(), store.annotations.count()
        store.close()
        print(f"{n_articles:,} articles, {n_spans:,} spans, {args.changes:,} changes per side", flush=True)
        if not args.skip_merge:
            a, b = tmp / "a.db", tmp / "b.db"
            make_backup(seed, a, keep=0)
            make_backup(seed, b, keep=0)
            diverge(a, args.changes, 1, "ann")
            diverge(b, args.changes, 2, "bob")
            samples, base, cpu = [], [], []
            for i in range(args.repeats):
                target = tmp / f"b{i}.db"
                make_backup(b, target, keep=0)
                store = Store.open(target)
                t0, c0 = time.perf_counter(), time.process_time()
                summary = merge(store, a, "bench").summary()
                samples.append(time.perf_counter() - t0)
                cpu.append(time.process_time() - c0)
                store.close()
                base.append(timed(lambda t=target: scan_revs(a, t)))
                print(f"  merge {i + 1}: {samples[-1]:.2f} s, CPU {cpu[-1]:.2f} s ({summary})", flush=True)
                target.unlink()
            results.append(Timing("merge", tuple(samples), MERGE_TARGET_S, tuple(base), tuple(cpu)))
        if not args.skip_agreement:
            coded = tmp / "coded.db"
            make_backup(seed, coded, keep=0)
            split_coders(coded, args.double_coded)
            store = Store.open(coded)
            samples, base, cpu = [], [], []
            for i in range(args.repeats):
                t0, c0 = time.perf_counter(), time.process_time()
                result = measure(store)
                samples.append(time.perf_counter() - t0)
                cpu.append(time.process_time() - c0)
                base.append(timed(lambda: scan_spans(coded)))
                units = sum(la.n_units for la in result.spans.values())
                print(
                    f"  agreement {i + 1}: {samples[-1]:.2f} s, CPU {cpu[-1]:.2f} s "
                    f"({args.double_coded:.0%} of articles double-coded, {units:,} character units, "
                    f"{len(result.disagreements):,} disagreements)",
                    flush=True,
                )
            store.close()
            results.append(Timing("agreement", tuple(samples), AGREEMENT_TARGET_S, tuple(base), tuple(cpu)))
    for r in results:
        print(r.line())
    return 0 if all(r.met for r in results) else 1


if __name__ == "__main__":
    sys.exit(main())
