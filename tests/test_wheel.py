"""The built wheel carries seeds and resources, and an installed copy finds them."""

from __future__ import annotations

import os
import subprocess
import sys
import zipfile
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parent.parent


@pytest.mark.slow
def test_wheel_ships_seeds_and_resources_and_finds_them_when_installed(tmp_path: Path) -> None:
    dist = tmp_path / "dist"
    r = subprocess.run([sys.executable, "-m", "pip", "wheel", "--no-deps", "-q", "-w", str(dist), str(ROOT)],
                       capture_output=True, text=True, timeout=300)
    if r.returncode != 0 and "No matching distribution" in r.stderr:
        pytest.skip("the build backend cannot be fetched here")
    assert r.returncode == 0, r.stderr[-2000:]
    (wheel,) = dist.glob("kzpk_desktop-*.whl")
    names = set(zipfile.ZipFile(wheel).namelist())
    seeds = sorted(n for n in names if n.startswith("kzpk_desktop/_data/seeds/"))
    assert [Path(n).name for n in seeds] == sorted(p.name for p in (ROOT / "seeds").iterdir())
    assert "kzpk_desktop/_data/resources/labels.json" in names
    assert "kzpk_desktop/_data/resources/icons/kzpk-desktop.svg" in names
    assert "kzpk_desktop/core/store/__init__.py" in names
    target = tmp_path / "site"
    zipfile.ZipFile(wheel).extractall(target)
    code = ("import kzpk_desktop.core.paths as p; print(p.seeds_dir()); print(p.resources_dir()); "
            "from kzpk_desktop.cli import main; raise SystemExit(main(['articles']))")
    env = {**os.environ, "PYTHONPATH": str(target), "KZPK_DATA_DIR": str(tmp_path / "data")}
    r = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, timeout=120,
                       env=env, cwd=tmp_path)
    assert r.returncode == 0, r.stderr
    lines = r.stdout.splitlines()
    assert lines[0] == str(target / "kzpk_desktop" / "_data" / "seeds")
    assert lines[1] == str(target / "kzpk_desktop" / "_data" / "resources")
    assert len(lines) == 2 + 5  # the default database was seeded from the installed copy
