"""The benchmark's flat-memory check can fail: an exporter that keeps every row fails it, the
real streaming exporter passes it, on the same corpus and the same measurement."""

from __future__ import annotations

import os
import sys
from pathlib import Path

import pytest

from benchmarks.make_corpus import build
from benchmarks.memory import export_memory_check

ROOT = Path(__file__).resolve().parent.parent

# Run in the child before the export: the exporter's row source keeps every row it writes.
LEAK = """
import kzpk_desktop.core.exporters.csv_export as ce
kept = []
_blocks = ce.export_cell_blocks
def export_cell_blocks(*args, **kwargs):
    for block in _blocks(*args, **kwargs):
        kept.extend(list(row) for row in block)
        yield block
ce.export_cell_blocks = export_cell_blocks
"""


def export_cmd(mode: str, db: Path, out: Path, prelude: str = "") -> list[str]:
    return [
        sys.executable,
        "-c",
        f"{prelude}\nfrom benchmarks.probe import export\nexport({mode!r}, {str(db)!r}, {str(out)!r})",
    ]


@pytest.fixture(scope="module")
def corpus(tmp_path_factory: pytest.TempPathFactory) -> Path:
    db = tmp_path_factory.mktemp("bench") / "corpus.db"
    build(db, 400, 30_000, quiet=True)
    return db


@pytest.mark.slow
def test_memory_check_fails_on_an_export_that_keeps_every_row(corpus: Path, tmp_path: Path) -> None:
    env = {**os.environ, "PYTHONPATH": str(ROOT)}
    check = export_memory_check(
        export_cmd("csv", corpus, tmp_path / "a.csv", LEAK),
        export_cmd("csvhalf", corpus, tmp_path / "h.csv", LEAK),
        env=env,
        cwd=ROOT,
    )
    assert check.full_rows == 30_000
    assert check.half_rows < check.full_rows
    assert check.growth_kb > check.allowed_kb, check.describe()
    assert not check.flat


@pytest.mark.slow
def test_memory_check_passes_the_streaming_export(corpus: Path, tmp_path: Path) -> None:
    env = {**os.environ, "PYTHONPATH": str(ROOT)}
    check = export_memory_check(
        export_cmd("csv", corpus, tmp_path / "a.csv"),
        export_cmd("csvhalf", corpus, tmp_path / "h.csv"),
        env=env,
        cwd=ROOT,
    )
    assert check.full_rows == 30_000
    assert check.flat, check.describe()
