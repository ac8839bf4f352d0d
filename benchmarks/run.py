"""Benchmark the desk at scale: what the researcher waits for, each figure beside a baseline
measured in the same run, with the target and whether this run met it.

    python -m benchmarks.run --db /tmp/corpus.db                     # 100,000 articles, 1,000,000 spans
    python -m benchmarks.run --db /tmp/c10k.db --articles 10000 --annotations 100000   # reduced scale
    python -m benchmarks.run --quick ...                             # smoke: one run, nothing waited for

Every figure is the median and p99 of its samples pooled over ``--runs`` runs (at least 5 for
a report), with the min and max of the per-run medians. The GUI runs (tag, open, search, filter,
sort) each run in a fresh process, as do start-up and export, whose peak resident memory is
sampled from outside while they work. The exit status is 1 if a target was missed.
"""

from __future__ import annotations

import argparse
import contextlib
import json
import os
import platform
import shutil
import sqlite3
import sys
import tempfile
import time
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

from benchmarks.figures import Figure, Runs, table
from benchmarks.memory import export_memory_check, run_sampled

ROOT = Path(__file__).resolve().parent.parent
MB = 1024


def probe(*args: str) -> list[str]:
    return [sys.executable, "-m", "benchmarks.probe", *args]


def bench_startup(db: Path, runs: int, env: dict[str, str]) -> list[Figure]:
    app: list[float] = []
    bare: list[float] = []
    app_mb: list[float] = []
    for _ in range(runs):
        bare.append(run_sampled(probe("bare", str(db)), "READY", env=env, cwd=ROOT).ready_s)
        r = run_sampled(probe("app", str(db)), "READY", env=env, cwd=ROOT)
        app.append(r.ready_s)
        app_mb.append(r.peak_kb / MB)
    fig = Figure(
        "app start to a filled, painted article list",
        "s",
        tuple((t,) for t in app),
        "<= bare window + 0.3 s",
        False,
        tuple((t,) for t in bare),
        "bare PySide6 window",
    )
    met = fig.summary.median <= fig.base_summary.median + 0.3  # type: ignore[union-attr]
    return [Figure(**{**fig.__dict__, "met": met})]


def bench_gui(db: Path, runs: int, tags: int, env: dict[str, str], quick: bool) -> list[Figure]:
    results: list[dict[str, Any]] = []
    peaks: list[float] = []
    for i in range(runs):
        cmd = [sys.executable, "-m", "benchmarks.gui_bench", str(db), "--tags", str(tags), "--seed", str(3 + i)]
        r = run_sampled([*cmd, "--no-settle"] if quick else cmd, "RESULT", env=env, cwd=ROOT)
        results.append(json.loads(r.line[len("RESULT ") :].rsplit(" ", 1)[0]))
        peaks.append(r.peak_kb / MB)

    def runs_of(key: str) -> Runs:
        return tuple(tuple(res[key]) for res in results)

    def fig(
        what: str, key: str, target_s: float, stat: str, base: str = "", base_name: str = "", target: str = ""
    ) -> Figure:
        f = Figure(
            what,
            "s",
            runs_of(key),
            target or f"{stat} < {target_s * 1000:.0f} ms",
            False,
            runs_of(base) if base else (),
            base_name,
            stat=stat,
        )
        return Figure(**{**f.__dict__, "met": getattr(f.summary, stat) < target_s})

    n = results[0]["heavy_spans"]
    out = [
        fig(
            "tag a span: key press to reader, span table and list painted",
            "tag",
            0.016,
            "p99",
            "tag_base",
            "INSERT + COMMIT, WAL, synchronous=NORMAL",
        ),
        fig(
            f"open an article with {n:,} spans, first in the process (cold), to painted",
            "open_cold",
            0.050,
            "median",
            "open_base",
            "same text in a bare QPlainTextEdit",
        ),
        fig(
            f"open an article with {n:,} spans again (warm), to painted",
            "open_warm",
            0.050,
            "p99",
            "open_base",
            "same text in a bare QPlainTextEdit",
        ),
        fig(
            "search, first time for the word (cold): last key to list painted",
            "search_cold",
            0.100,
            "p99",
            "search_base_cold",
            "bare FTS5 MATCH",
        ),
        fig(
            "search, same word again (warm): last key to list painted",
            "search_warm",
            0.100,
            "p99",
            "search_base_warm",
            "bare FTS5 MATCH",
        ),
        fig(
            "filter the list by status, order not cached (cold), to painted",
            "filter_cold",
            0.200,
            "p99",
            "sort_base",
            "bare SELECT id ORDER BY title",
        ),
        fig(
            "filter the list by status, order cached (warm), to painted",
            "filter_warm",
            0.200,
            "p99",
            "sort_base",
            "bare SELECT id ORDER BY title",
        ),
        fig(
            "sort the list by title, order not cached (cold), to painted",
            "sort_cold",
            0.200,
            "p99",
            "sort_base",
            "bare SELECT id ORDER BY title",
        ),
        fig(
            "sort the list by title, order cached (warm), to painted",
            "sort_warm",
            0.200,
            "p99",
            "sort_base",
            "bare SELECT id ORDER BY title",
        ),
    ]
    out.append(
        Figure(
            "peak resident memory of the GUI during the runs above",
            "MB",
            tuple((p,) for p in peaks),
            "max < 400 MB",
            max(peaks) < 400,
            note=f"max {max(peaks):,.0f} MB",
        )
    )
    return out


def bench_csv(db: Path, runs: int, env: dict[str, str], tmp: Path) -> list[Figure]:
    ours: list[float] = []
    base: list[float] = []
    n = 0
    for _ in range(runs):
        r = run_sampled(probe("csv", str(db), str(tmp / "ours.csv")), "DONE", env=env, cwd=ROOT)
        ours.append(r.ready_s)
        n = int(r.fields[0])
        base.append(run_sampled(probe("rawcsv", str(db), str(tmp / "raw.csv")), "DONE", env=env, cwd=ROOT).ready_s)
    check = export_memory_check(
        probe("csv", str(db), str(tmp / "ours.csv")),
        probe("csvhalf", str(db), str(tmp / "half.csv")),
        env=env,
        cwd=ROOT,
    )
    speed = Figure(
        f"CSV export of all {n:,} annotations (whole process)",
        "s",
        tuple((t,) for t in ours),
        ">= 0.8x the floor's speed (time <= 1.25x)",
        False,
        tuple((t,) for t in base),
        "raw sqlite3 + csv.writer, same rows",
    )
    speed = Figure(**{**speed.__dict__, "met": speed.summary.median <= 1.25 * speed.base_summary.median})  # type: ignore[union-attr]
    memory = Figure(
        "CSV export: peak memory, all rows vs about half",
        "MB",
        ((check.full_peak_kb / MB,),),
        "flat: growth outside SQLite <= 4 MB + 64 B/row",
        check.flat,
        ((check.half_peak_kb / MB,),),
        "same export, half the rows",
        note=check.describe(),
    )
    return [speed, memory]


def bench_import(n_files: int, runs: int, tmp: Path) -> list[Figure]:
    from benchmarks.make_corpus import write_files
    from kzpk_desktop.core.articles import read_article
    from kzpk_desktop.core.importer import _row, import_paths
    from kzpk_desktop.core.store import Store

    folder = tmp / "files"
    write_files(folder, n_files, seed=11)
    ours: list[float] = []
    base: list[float] = []
    for i in range(runs):
        store = Store.open(tmp / f"import{i}.db")
        t = time.perf_counter()
        report = import_paths(store, [folder])
        ours.append(n_files / (time.perf_counter() - t))
        if len(report.imported) != n_files:
            raise RuntimeError(report.summary())
        store.close()
        (tmp / f"import{i}.db").unlink()
        rows = [_row(read_article(p)) for p in sorted(folder.iterdir())]
        cols = list(rows[0])
        raw = sqlite3.connect(tmp / f"raw{i}.db")
        raw.execute("PRAGMA journal_mode = WAL")
        raw.execute("PRAGMA synchronous = NORMAL")
        raw.execute(f"CREATE TABLE a ({', '.join(cols)})")
        t = time.perf_counter()
        raw.executemany(f"INSERT INTO a VALUES ({', '.join('?' * len(cols))})", [list(r.values()) for r in rows])
        raw.commit()
        base.append(n_files / (time.perf_counter() - t))
        raw.close()
    f = Figure(
        f"import {n_files:,} plain-text files (core work)",
        "files/s",
        tuple((r,) for r in ours),
        ">= 5,000 files/s",
        False,
        tuple((r,) for r in base),
        "raw executemany of the same rows",
        note="HTML rate not measured",
    )
    return [Figure(**{**f.__dict__, "met": f.summary.median >= 5000})]


def machine() -> str:
    cpu = ""
    with contextlib.suppress(OSError, StopIteration):
        cpu = next(
            ln.split(":", 1)[1].strip()
            for ln in Path("/proc/cpuinfo").read_text().splitlines()
            if ln.startswith("model name")
        )
    return f"{platform.node()}, {os.cpu_count()} cores{f' ({cpu})' if cpu else ''}, Python {sys.version.split()[0]}"


def main(argv: list[str] | None = None) -> int:
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("--db", help="corpus database (generated there if missing)")
    ap.add_argument("--articles", type=int, default=100_000)
    ap.add_argument("--annotations", type=int, default=1_000_000)
    ap.add_argument("--import-files", type=int, default=10_000)
    ap.add_argument("--runs", type=int, default=5, help="runs per figure (a report needs at least 5)")
    ap.add_argument("--tags", type=int, default=30, help="tags timed per GUI run")
    ap.add_argument("--quick", action="store_true", help="smoke run: do not wait for start-up timers")
    ap.add_argument("--gui-only", action="store_true", help="start-up and the GUI figures only (no export, import)")
    args = ap.parse_args(argv)
    tmp = Path(tempfile.mkdtemp(prefix="kzpk-bench-"))
    db = Path(args.db) if args.db else tmp / "corpus.db"
    if not db.exists():
        from benchmarks.make_corpus import build

        print(f"generating {args.articles:,} articles and {args.annotations:,} annotations in {db} …", file=sys.stderr)
        build(db, args.articles, args.annotations, quiet=True)
    env = {
        **os.environ,
        "QT_QPA_PLATFORM": "offscreen",
        "XDG_CONFIG_HOME": str(tmp / "config"),
        "KZPK_DATA_DIR": str(tmp / "data"),
    }
    try:
        figures = bench_startup(db, args.runs, env)
        figures += bench_gui(db, args.runs, args.tags, env, args.quick)
        if not args.gui_only:
            figures += bench_csv(db, args.runs, env, tmp)
            figures += bench_import(args.import_files, args.runs, tmp)
        with sqlite3.connect(db) as conn:
            n_art = conn.execute("SELECT count(*) FROM articles").fetchone()[0]
            n_ann = conn.execute("SELECT count(*) FROM annotations").fetchone()[0]
    finally:
        shutil.rmtree(tmp, ignore_errors=True)
    header = (
        f"{n_art:,} articles, {n_ann:,} annotations; {args.runs} runs per figure; {machine()}; "
        f"{datetime.now(UTC):%Y-%m-%d %H:%M} UTC"
    )
    print(table(figures, header))
    missed = [f.what for f in figures if not f.met]
    print(
        f"\n{len(figures) - len(missed)} of {len(figures)} targets met"
        + (f"; missed: {'; '.join(missed)}" if missed else "")
    )
    return 1 if missed else 0


if __name__ == "__main__":
    sys.exit(main())
