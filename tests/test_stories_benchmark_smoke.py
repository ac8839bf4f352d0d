"""The stories benchmark runs end to end at a small size, so it cannot rot."""

from __future__ import annotations

import subprocess
import sys
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parent.parent


@pytest.mark.slow
def test_stories_benchmark_finds_every_planted_event(tmp_path: Path) -> None:
    r = subprocess.run(
        [sys.executable, "-m", "benchmarks.stories", "--articles", "2000", "--db", str(tmp_path / "s.db")],
        capture_output=True,
        text=True,
        cwd=ROOT,
        timeout=300,
    )
    assert r.returncode == 0, r.stdout + r.stderr[-3000:]
    assert "stories over 2,000 articles:" in r.stdout
    assert "planted events found whole: 4/4 (4 articles, 2 independent)" in r.stdout
