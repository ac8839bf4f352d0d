"""The benchmark runs end to end at a small size (1,000 articles), so it cannot rot."""

from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path

import pytest

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
            "200",
            "--repeat",
            "2",
        ],
        capture_output=True,
        text=True,
        cwd=ROOT,
        env=env,
        timeout=600,
    )
    assert r.returncode in (0, 1), r.stderr[-3000:]  # 1 = a target missed: a measurement, not a crash
    table = r.stdout
    for row in (
        "app start to a filled article list",
        "open an article with",
        "tag a span",
        "full-text search",
        "sort the article list",
        "filter the article list",
        "CSV export of all 5,000",
        "import 200 text files",
        "Peak resident memory",
    ):
        assert row in table, row
    assert "1,000 articles, 5,000 annotations" in table
