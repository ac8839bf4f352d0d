"""The benchmark runs end to end at a small size (1,000 articles), so it cannot rot. Not timed:
the figures of a smoke run on a shared CI machine mean nothing; their presence does."""

from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path

import pytest

from benchmarks.figures import Figure, Summary, p99, table

ROOT = Path(__file__).resolve().parent.parent


@pytest.mark.slow
def test_benchmark_smoke_run_prints_every_row(tmp_path: Path) -> None:
    env = {**os.environ, "QT_QPA_PLATFORM": "offscreen"}
    r = subprocess.run(
        [
            sys.executable,
            "-m",
            "benchmarks.run",
            "--db",
            str(tmp_path / "bench.db"),
            "--articles",
            "1000",
            "--annotations",
            "5000",
            "--import-files",
            "100",
            "--runs",
            "1",
            "--tags",
            "3",
            "--html-files",
            "20",
            "--story-articles",
            "1000",
            "--changes",
            "50",
            "--peer-docs",
            "2",
            "--peer-spans",
            "5",
            "--quick",
        ],
        capture_output=True,
        text=True,
        cwd=ROOT,
        env=env,
        timeout=600,
    )
    assert r.returncode in (0, 1), r.stderr[-3000:]  # 1 = a target missed: a measurement, not a crash
    out = r.stdout
    for row in (
        "app start to a filled, painted article list",
        "tag a span: key press to reader",
        "open an article with 2,000 spans, first in the process (cold)",
        "again (warm)",
        "search, first time for the word (cold)",
        "search, same word again (warm)",
        "filter the list by status, order not cached (cold)",
        "sort the list by title, order cached (warm)",
        "peak resident memory of the GUI",
        "CSV export of all 5,000 annotations",
        "CSV export: peak memory, all rows vs about half",
        "import 100 plain-text files",
        "INSERT + COMMIT, WAL, synchronous=NORMAL",
        "import 20 saved web pages (.html: trafilatura + htmldate)",
        "stories over 1,000 articles",
        "merge two copies with 50 changes each",
        "agreement over every span",
        "targets met",
    ):
        assert row in out, row
    assert "1,000 articles, 5,000 annotations; 1 runs per figure" in out
    assert out.count("| yes |") + out.count("| **no** |") == 17
    assert "peer: CSV export of the same 10 highlights" in out or "\npeers: Taguette" in out


def test_summary_pools_runs_and_keeps_their_spread() -> None:
    s = Summary.of(((1.0, 2.0, 3.0), (10.0, 20.0, 30.0)))
    assert (s.n, s.runs, s.median, s.p99, s.run_min, s.run_max) == (6, 2, 6.5, 30.0, 2.0, 20.0)
    assert p99([float(i) for i in range(1, 201)]) == 198.0


def test_report_line_says_ours_baseline_target_and_met() -> None:
    f = Figure("tag", "s", ((0.010, 0.020),), "p99 < 16 ms", False, ((0.001, 0.001),), "raw commit", stat="p99")
    line = table([f], "header").splitlines()[-1]
    assert line == (
        "| tag | 15.0 ms (p99 20.0 ms; 1 run; n=2) | 1.0 ms (p99 1.0 ms; 1 run; n=2): raw commit "
        "| 20.00x | p99 < 16 ms | **no** |"
    )


def test_a_figure_without_target_says_so_and_small_ratios_keep_their_digits() -> None:
    f = Figure("peer", "s", ((0.0001,),), "— (peer comparison)", True, ((0.03,),), "Taguette", informational=True)
    assert table([f], "h").splitlines()[-1] == (
        "| peer | 0.100 ms (1 run) | 30.0 ms (1 run): Taguette | 0.0033x | — (peer comparison) | — |"
    )
