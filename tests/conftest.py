"""Shared fixtures: offscreen Qt, an isolated data folder and QSettings, fresh databases."""

from __future__ import annotations

import os
import shutil
from collections.abc import Iterator
from pathlib import Path

import pytest

os.environ.setdefault("QT_QPA_PLATFORM", "offscreen")
os.environ.setdefault("QT_LOGGING_RULES", "qt.qpa.*=false")

ROOT = Path(__file__).resolve().parent.parent
SEEDS = ROOT / "seeds"
DATA = Path(__file__).resolve().parent / "data"


@pytest.fixture(autouse=True)
def isolated_user_dirs(tmp_path_factory: pytest.TempPathFactory, monkeypatch: pytest.MonkeyPatch) -> Path:
    """Never touch the real user data folder or settings."""
    home = tmp_path_factory.mktemp("home")
    monkeypatch.setenv("KZPK_DATA_DIR", str(home / "data"))
    monkeypatch.setenv("XDG_CONFIG_HOME", str(home / "config"))
    try:
        from PySide6.QtCore import QSettings
    except ImportError:  # pragma: no cover - core tests run without Qt too
        return home
    QSettings.setPath(QSettings.Format.IniFormat, QSettings.Scope.UserScope, str(home / "config"))
    return home


@pytest.fixture
def db_path(tmp_path: Path) -> Path:
    return tmp_path / "project.db"


@pytest.fixture
def store(db_path: Path) -> Iterator[object]:
    from kzpk_desktop.core.importer import import_paths
    from kzpk_desktop.core.store import Store

    s = Store.open(db_path)
    report = import_paths(s, [SEEDS])
    assert len(report.imported) == 5
    yield s
    s.close()


@pytest.fixture
def data_dir(tmp_path: Path) -> Path:
    """A private copy of tests/data (tests may add files to it)."""
    target = tmp_path / "data"
    shutil.copytree(DATA, target)
    return target


def article_id_by_file(store: object, prefix: str) -> int:
    row = store.conn.execute("SELECT id FROM articles WHERE file_name LIKE ?", (prefix + "%",)).fetchone()  # type: ignore[attr-defined]
    assert row, prefix
    return int(row[0])
