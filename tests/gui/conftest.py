"""GUI fixtures: the real main window on a real database file, with dialogs answered."""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest

from kzpk_desktop.core.importer import import_paths
from kzpk_desktop.core.store import Store
from tests.conftest import DATA, SEEDS


class Answers:
    """Records every dialog the app tried to show; tests read ``errors``/``infos``."""

    def __init__(self) -> None:
        self.errors: list[str] = []
        self.infos: list[tuple[str, str]] = []
        self.save_path = ""
        self.choice: str | None = None
        self.confirm = True

    def install(self, monkeypatch: pytest.MonkeyPatch) -> None:
        from kzpk_desktop.gui.ask import ask

        monkeypatch.setattr(ask, "error", lambda _p, _t, text, details="": self.errors.append(text))
        monkeypatch.setattr(ask, "info", lambda _p, _t, text, details="": self.infos.append((text, details)))
        monkeypatch.setattr(ask, "save_file", lambda *a, **k: self.save_path)
        monkeypatch.setattr(
            ask, "choose", lambda _p, _t, _l, items: next((i for i in items if self.choice and self.choice in i), None)
        )
        monkeypatch.setattr(ask, "confirm", lambda *a: self.confirm)
        self.name: str | None = "Tester"
        monkeypatch.setattr(ask, "text", lambda *a, **k: self.name)


@pytest.fixture
def answers(monkeypatch: pytest.MonkeyPatch) -> Answers:
    a = Answers()
    a.install(monkeypatch)
    return a


@pytest.fixture
def seeded_db(tmp_path: Path) -> Path:
    path = tmp_path / "desk.db"
    store = Store.open(path)
    import_paths(
        store,
        [
            SEEDS,
            DATA / "crlf_emoji.txt",
            DATA / "urdu.txt",
            DATA / "kazakh.txt",
            DATA / "combining_nfd.txt",
            DATA / "html_script.txt",
        ],
    )
    store.close()
    return path


@pytest.fixture
def window(qtbot: Any, seeded_db: Path, answers: Answers) -> Iterator[Any]:
    from kzpk_desktop.app import create_main_window

    w = create_main_window(seeded_db)
    qtbot.addWidget(w)
    w.show()
    qtbot.waitExposed(w)
    yield w
    w.close()


@pytest.fixture(autouse=True, scope="session")
def empty_clipboard_at_exit() -> Iterator[None]:
    """Qt's offscreen platform crashes at interpreter exit (SIGSEGV, after every test passed)
    when the clipboard still holds data: whatever a test copied is dropped at the end."""
    yield
    from PySide6.QtWidgets import QApplication

    app = QApplication.instance()
    if isinstance(app, QApplication):
        app.clipboard().clear()
