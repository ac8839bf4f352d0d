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
import re
import shutil
import sqlite3
import subprocess
import sys
import tempfile
import time
from dataclasses import asdict
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

from benchmarks.figures import Figure, Runs, table
from benchmarks.memory import export_memory_check, run_sampled

ROOT = Path(__file__).resolve().parent.parent
MB = 1024
SECTIONS = ("startup", "gui", "csv", "import", "stories", "team", "peers")


def probe(*args: str) -> list[str]:
    return [sys.executable, "-m", "benchmarks.probe", *args]


def bench_startup(db: Path, runs: int, env: dict[str, str]) -> list[Figure]:
    app: list[float] = []
    bare: list[float] = []
    app_mb: list[float] = []
    for warm in (probe("bare", str(db)), probe("app", str(db))):  # untimed: compiles both's bytecode
        run_sampled(warm, "READY", env=env, cwd=ROOT)
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


def _import_rate(folder: Path, db: Path, env: dict[str, str]) -> float:
    """Files per second of ``import_paths`` into a fresh database, in a fresh process
    (benchmarks/import_once.py)."""
    r = subprocess.run(
        [sys.executable, "-m", "benchmarks.import_once", str(folder), str(db)],
        cwd=ROOT,
        env=env,
        capture_output=True,
        text=True,
        timeout=600,
    )
    m = re.search(r"^files/s ([\d.]+)$", r.stdout, re.MULTILINE)
    if r.returncode or not m:
        raise RuntimeError(f"benchmarks.import_once failed (exit {r.returncode}): {(r.stdout + r.stderr)[-600:]}")
    return float(m.group(1))


def bench_import(n_files: int, n_html: int, runs: int, tmp: Path, env: dict[str, str]) -> list[Figure]:
    from benchmarks.make_corpus import write_files, write_html_files
    from kzpk_desktop.core.articles import read_article
    from kzpk_desktop.core.importer import _row

    folder = tmp / "files"
    write_files(folder, n_files, seed=11)
    html_folder = tmp / "html"
    write_html_files(html_folder, n_html)
    ours: list[float] = []
    base: list[float] = []
    html_rates: list[float] = []
    for i in range(runs):
        ours.append(_import_rate(folder, tmp / f"import{i}.db", env))
        html_rates.append(_import_rate(html_folder, tmp / f"html{i}.db", env))
        rows = [asdict(_row(read_article(p))) for p in sorted(folder.iterdir())]
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
    )
    html = Figure(
        f"import {n_html:,} saved web pages (.html: trafilatura + htmldate), same runs",
        "files/s",
        tuple((r,) for r in html_rates),
        "— (reported beside the plain-text rate)",
        True,
        tuple((r,) for r in ours),
        "our plain-text import in the same runs",
        informational=True,
    )
    return [Figure(**{**f.__dict__, "met": f.summary.median >= 5000}), html]


def _child(cmd: list[str], tmp: Path, timeout: float) -> tuple[int, str]:
    """Run a benchmark script in its own process; (exit status, stdout and stderr)."""
    r = subprocess.run(
        cmd, cwd=ROOT, capture_output=True, text=True, timeout=timeout, env={**os.environ, "TMPDIR": str(tmp)}
    )
    return r.returncode, r.stdout + r.stderr


def bench_stories(n_articles: int, tmp: Path) -> list[Figure]:
    """``benchmarks/stories.py`` (its own corpus with planted events) in its own process, once."""
    rc, out = _child([sys.executable, "-m", "benchmarks.stories", "--articles", str(n_articles)], tmp, 1800)
    m = re.search(r"stories over ([\d,]+) articles: ([\d.]+) s .*?planted events found whole: (\d+)/(\d+)", out)
    if not m:
        raise RuntimeError(f"benchmarks.stories printed no result (exit {rc}): {out[-600:]}")
    elapsed = float(m.group(2))
    return [
        Figure(
            f"stories over {m.group(1)} articles (find_stories; its own generated corpus)",
            "s",
            ((elapsed,),),
            "< 2 min",
            elapsed < 120,
            note=f"planted events found whole {m.group(3)}/{m.group(4)}",
        )
    ]


def bench_team(db: Path, n_articles: int, n_annotations: int, changes: int, repeats: int, tmp: Path) -> list[Figure]:
    """``benchmarks/team.py`` (merge of two diverged copies, agreement) in its own process.

    Its command line is its interface: with ``--db`` it copies this run's corpus, else it builds
    one of the same size; both of its output forms are read."""
    cmd = [sys.executable, "-m", "benchmarks.team", "--changes", str(changes)]
    helptext = _child([*cmd, "--help"], tmp, 60)[1]
    if "--db" in helptext:
        cmd += ["--db", str(db), "--repeats", str(repeats)]
    else:
        cmd += ["--articles", str(n_articles), "--annotations", str(n_annotations)]
    rc, out = _child(cmd, tmp, 3600)
    figures: list[Figure] = []
    what = {
        "merge": f"merge two copies with {changes:,} changes each (A into B)",
        "agreement": "agreement over every span",
    }
    targets = {"merge": 60.0, "agreement": 10.0}
    for m in re.finditer(
        r"^(merge|agreement)\s+ours median\s+([\d.]+) s \(min ([\d.]+), max ([\d.]+), n=(\d+)\).*?"
        r"baseline median ([\d.]+|nan) s",
        out,
        re.M,
    ):
        name = m.group(1)
        samples = tuple(float(x) for x in re.findall(rf"^  {name} \d+: ([\d.]+) s", out, re.M)) or (float(m.group(2)),)
        base = () if m.group(6) == "nan" else ((float(m.group(6)),),)
        figures.append(
            Figure(
                what[name],
                "s",
                (samples,),
                f"< {targets[name]:.0f} s (every repeat)",
                max(samples) < targets[name],
                base,
                "bare reads of the same rows (team.py's baseline)" if base else "",
            )
        )
    if not figures:  # the older output: one timing each
        for name, pattern in (
            ("merge", r"^merge A into B: ([\d.]+) s"),
            ("agreement", r"^agreement over [\d,]+ spans .*?: ([\d.]+) s"),
        ):
            found = re.search(pattern, out, re.M)
            if found:
                t = float(found.group(1))
                figures.append(Figure(what[name], "s", ((t,),), f"< {targets[name]:.0f} s", t < targets[name]))
    if not figures:
        raise RuntimeError(f"benchmarks.team printed no result (exit {rc}): {out[-600:]}")
    return figures


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
    ap.add_argument("--html-files", type=int, default=1_000)
    ap.add_argument("--quick", action="store_true", help="smoke run: do not wait for start-up timers")
    ap.add_argument(
        "--only",
        default=",".join(SECTIONS),
        help=f"comma-separated sections to run (default: all of {','.join(SECTIONS)})",
    )
    ap.add_argument("--story-articles", type=int, default=None, help="default: --articles")
    ap.add_argument("--changes", type=int, default=10_000, help="changes per side for the merge")
    ap.add_argument("--taguette", type=Path, default=None, help="taguette executable (default: .taguette-venv)")
    ap.add_argument("--peer-docs", type=int, default=20)
    ap.add_argument("--peer-spans", type=int, default=50, help="highlights per peer document")
    ap.add_argument("--gui-only", action="store_true", help="start-up and the GUI figures only (= --only startup,gui)")
    args = ap.parse_args(argv)
    only = ["startup", "gui"] if args.gui_only else [x.strip() for x in args.only.split(",") if x.strip()]
    unknown = sorted(set(only) - set(SECTIONS))
    if unknown:
        print(f"Unknown section(s): {', '.join(unknown)}; choose from {', '.join(SECTIONS)}.", file=sys.stderr)
        return 2
    tmp = Path(tempfile.mkdtemp(prefix="kzpk-bench-"))
    db = Path(args.db) if args.db else tmp / "corpus.db"
    if not db.exists():
        from benchmarks.make_corpus import build

        print(f"generating {args.articles:,} articles and {args.annotations:,} annotations in {db} …", file=sys.stderr)
        build(db, args.articles, args.annotations, quiet=True)
    env = {
        **{k: v for k, v in os.environ.items() if k != "PYTHONDONTWRITEBYTECODE"},
        "QT_QPA_PLATFORM": "offscreen",
        "XDG_CONFIG_HOME": str(tmp / "config"),
        "KZPK_DATA_DIR": str(tmp / "data"),
        # Children run with compiled bytecode, as an installed app does (pip compiles it at
        # install), kept in the temporary folder so the source tree stays clean. Without it
        # (this sandbox sets PYTHONDONTWRITEBYTECODE) every start compiled the app's modules,
        # while the bare window's PySide6 had its bytecode from the install.
        "PYTHONPYCACHEPREFIX": str(tmp / "bytecode"),
    }
    peer_note = ""
    try:
        figures: list[Figure] = []
        if "startup" in only:
            figures += bench_startup(db, args.runs, env)
        if "gui" in only:
            figures += bench_gui(db, args.runs, args.tags, env, args.quick)
        if "csv" in only:
            figures += bench_csv(db, args.runs, env, tmp)
        if "import" in only:
            figures += bench_import(args.import_files, args.html_files, args.runs, tmp, env)
        if "stories" in only:
            figures += bench_stories(args.story_articles or args.articles, tmp)
        if "team" in only:
            figures += bench_team(db, args.articles, args.annotations, args.changes, 3, tmp)
        if "peers" in only:
            from benchmarks.peers import DEFAULT_TAGUETTE, taguette_figures

            peer_figures, peer_note = taguette_figures(
                args.taguette or DEFAULT_TAGUETTE, args.peer_docs, args.peer_spans, 1, tmp
            )
            figures += peer_figures
        with sqlite3.connect(db) as conn:
            n_art = conn.execute("SELECT count(*) FROM articles").fetchone()[0]
            n_ann = conn.execute("SELECT count(*) FROM annotations").fetchone()[0]
    finally:
        shutil.rmtree(tmp, ignore_errors=True)
    header = (
        f"{n_art:,} articles, {n_ann:,} annotations; {args.runs} runs per figure; {machine()}; "
        f"{datetime.now(UTC):%Y-%m-%d %H:%M} UTC; load average {' '.join(f'{x:.2f}' for x in os.getloadavg())}"
    )
    print(table(figures, header))
    if peer_note:
        print(f"\npeers: {peer_note}")
    targeted = [f for f in figures if not f.informational]
    missed = [f.what for f in targeted if not f.met]
    print(
        f"\n{len(targeted) - len(missed)} of {len(targeted)} targets met"
        + (f"; missed: {'; '.join(missed)}" if missed else "")
    )
    return 1 if missed else 0


if __name__ == "__main__":
    sys.exit(main())
