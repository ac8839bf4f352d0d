"""Every action of every window, and every dialog, on a real database: no exception.

The actions are found at run time (``findChildren(QAction)`` over every window, again
after each one, so the review window, rebuilt tag actions and recent-file entries are
reached too); a new action that crashes fails here. Modal dialogs return at once: the
``ask`` seam answers, and ``QDialog.exec`` shows the dialog, triggers its own actions and
presses its own buttons, then answers "OK" the first time and "Cancel" after. Every
dialog class the GUI defines must have been opened. Destructive actions (restore a
backup, new and open database, quit) run last, on this test's throwaway copy.
"""

from __future__ import annotations

import importlib
import inspect
import pkgutil
import shutil
from pathlib import Path
from typing import Any

import pytest
from PySide6.QtCore import QTimer
from PySide6.QtGui import QAction
from PySide6.QtWidgets import (
    QAbstractButton,
    QApplication,
    QDialog,
    QDialogButtonBox,
    QMessageBox,
    QWidget,
)
from shiboken6 import getCppPointer, isValid

import kzpk_desktop.gui
from tests.conftest import SEEDS
from tests.gui.test_review_gui import make_claims

LAST = ("actionRestoreBackup", "actionNewDatabase", "actionOpenDatabase", "actionQuit")


def gui_dialog_classes() -> set[str]:
    """Every QDialog subclass defined in kzpk_desktop.gui."""
    found = set()
    for info in pkgutil.iter_modules(kzpk_desktop.gui.__path__):
        module = importlib.import_module(f"kzpk_desktop.gui.{info.name}")
        for name, obj in inspect.getmembers(module, inspect.isclass):
            if issubclass(obj, QDialog) and obj.__module__ == module.__name__:
                found.add(name)
    return found


def key(obj: Any) -> int:
    return int(getCppPointer(obj)[0])


def in_closed_dialog(action: QAction) -> bool:
    """An action of a dialog that was closed (and awaits deletion): no key can reach it."""
    parent = action.parent()
    while parent is not None:
        if isinstance(parent, QDialog) and not parent.isVisible():
            return True
        parent = parent.parent()
    return False


class Driver:
    """Answers every question and records what was shown."""

    def __init__(self, qtbot: Any, tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
        self.qtbot, self.tmp = qtbot, tmp_path
        self.opened: set[str] = set()
        self.messages: list[str] = []
        self.pressed: set[int] = set()
        self._answered: set[int] = set()
        folder = tmp_path / "to_import"
        folder.mkdir()
        shutil.copy(next(SEEDS.glob("*.txt")), folder / "again.txt")
        (folder / "new.txt").write_text(
            "A fresh article\n\nAstana and Islamabad signed a memorandum.\n", encoding="utf-8"
        )
        self.import_file = str(folder / "new.txt")
        self.folder = str(folder)
        from kzpk_desktop.gui.ask import ask

        say = self.messages.append
        monkeypatch.setattr(ask, "error", lambda _p, t, text, details="": say(f"error: {text}"))
        monkeypatch.setattr(ask, "info", lambda _p, t, text, details="": say(f"info: {t}"))
        monkeypatch.setattr(ask, "about", lambda _p, t, _html: say(f"about: {t}"), raising=False)
        monkeypatch.setattr(ask, "open_files", lambda *a: [self.import_file])
        monkeypatch.setattr(ask, "open_file", lambda *a: str(self.db))
        monkeypatch.setattr(
            ask,
            "save_file",
            lambda _p, t, f, start="": str(tmp_path / f"saved-{len(self.messages)}-{Path(start or 'x').name}"),
        )
        monkeypatch.setattr(ask, "directory", lambda *a: self.folder)
        monkeypatch.setattr(ask, "confirm", lambda *a: True)
        monkeypatch.setattr(ask, "choose", lambda _p, _t, _l, items: items[0] if items else None)
        monkeypatch.setattr(ask, "text", lambda *a, **k: "Tester")
        monkeypatch.setattr(ask, "color", lambda *a: "#abcdef", raising=False)
        monkeypatch.setattr(QDialog, "exec", lambda dialog: self.fake_exec(dialog))
        monkeypatch.setattr(QDialog, "open", lambda dialog: self.fake_exec(dialog))  # (window-modal dialogs)
        monkeypatch.setattr(QMessageBox, "exec", lambda dialog: self.fake_exec(dialog))
        self.db = Path()

    def fake_exec(self, dialog: QDialog) -> int:
        """Show the dialog, use everything in it, then OK the first time and Cancel after."""
        self.opened.add(type(dialog).__name__)
        dialog.show()
        QApplication.processEvents()
        self.use(dialog)
        first = key(dialog) not in self._answered
        self._answered.add(key(dialog))
        if isValid(dialog):
            dialog.hide()
        return int(QDialog.DialogCode.Accepted if first else QDialog.DialogCode.Rejected)

    def use(self, window: QWidget) -> None:
        """Trigger each of its actions and press each of its buttons (OK/Cancel rows excepted)."""
        for action in window.findChildren(QAction):
            if isValid(action) and key(action) not in self.pressed and action.objectName() not in LAST:
                self.pressed.add(key(action))
                action.trigger()
        for button in window.findChildren(QAbstractButton):
            if not isValid(button) or key(button) in self.pressed or not button.isEnabled():
                continue
            if isinstance(button.parent(), QDialogButtonBox) or not button.isVisibleTo(window):
                continue
            self.pressed.add(key(button))
            button.click()
        QApplication.processEvents()


def wait_for_jobs(qtbot: Any, window: Any) -> None:
    def idle() -> bool:
        return all(not isValid(j) or j.isFinished() for j in window.db._jobs)

    qtbot.waitUntil(idle, timeout=20000)
    QApplication.processEvents()


def windows() -> list[QWidget]:
    return [w for w in QApplication.topLevelWidgets() if isValid(w) and w.isVisible()]


def prepare(window: Any) -> None:
    """Give every action something to act on: an article open, a span selected, text selected."""
    if window.store is None or not isValid(window):
        return
    if window.article_id is None and window.article_model.rowCount():
        window.annotating.open_article_row(0)
    if not window.annotations.model.rowCount():  # go to an article with spans, if there is one
        row = window.store.conn.execute(
            "SELECT article_id, id FROM annotations ORDER BY label = 'claim' DESC LIMIT 1"
        ).fetchone()
        if row is not None:
            window.annotating.open_annotation(*row)
    if window.annotations.model.rowCount():
        window.annotations.select(window.annotations.model.annotation(0).id, emit=False)
    if window.reader.text():
        window.reader.select_span(0, min(9, len(window.reader.text())))
    window._update_actions()
    for action in window.findChildren(QAction):
        action.setEnabled(True)  # disabled ones run too: a disabled state may not be stale


def test_every_action_and_every_dialog_runs_without_an_exception(
    qtbot: Any, seeded_db: Path, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    from PySide6.QtGui import QDesktopServices

    from kzpk_desktop.app import create_main_window

    driver = Driver(qtbot, tmp_path, monkeypatch)
    driver.db = seeded_db
    # the user guide opens in another program: never start one from a test
    monkeypatch.setattr(QDesktopServices, "openUrl", lambda url: driver.messages.append(f"open {url}") or True)
    window = create_main_window(seeded_db)
    qtbot.addWidget(window)
    window.show()
    qtbot.waitExposed(window)
    stuck: list[str] = []  # a modal loop run inside Qt (a static QMessageBox helper) is closed, and counted

    def close_stuck_modal() -> None:
        modal = QApplication.activeModalWidget()
        if modal is not None:
            stuck.append(type(modal).__name__)
            modal.close()

    timer = QTimer(interval=500)
    timer.timeout.connect(close_stuck_modal)
    timer.start()
    with qtbot.captureExceptions() as errors:
        window.annotator = "Tester"
        make_claims(window)  # claims, an actor span: review, history and links have data
        assert window.annotating.new_entity_from_span()  # the actor span names an entity
        window.entity_browser.show()
        window.entity_browser.reload()
        window.entity_browser.tree.setCurrentItem(window.entity_browser.tree.topLevelItem(0).child(0))
        window.db.backup_now()  # a backup to restore at the end
        wait_for_jobs(qtbot, window)
        done: set[int] = set()
        rounds = 0
        while True:
            rounds += 1
            assert rounds < 400, "actions keep appearing"
            pending = [
                a
                for w in windows()
                for a in w.findChildren(QAction)
                if isValid(a) and key(a) not in done and a.objectName() not in LAST and not in_closed_dialog(a)
            ]
            if not pending:
                break
            action = pending[0]
            done.add(key(action))
            prepare(window)
            action.setEnabled(True)
            action.trigger()
            wait_for_jobs(qtbot, window)
            for w in windows():  # non-modal windows opened by it (review, history, summary)
                if isinstance(w, QDialog):
                    driver.opened.add(type(w).__name__)
                if w is not window:
                    driver.use(w)
                    wait_for_jobs(qtbot, window)
        for w in windows():  # panels of the main window: entity browser, annotation form
            driver.use(w)
            wait_for_jobs(qtbot, window)
        names = [a.objectName() for a in window.findChildren(QAction)]
        for name in LAST:  # destructive ones last, on this throwaway copy
            assert name in names
            prepare(window)
            window.findChild(QAction, name).trigger()
            wait_for_jobs(qtbot, window)
    timer.stop()
    assert [f"{e[0].__name__}: {e[1]}" for e in errors] == []
    assert stuck == []
    assert gui_dialog_classes() - driver.opened == set()
    assert len(done) >= 40
    assert not window.isVisible()  # Quit closed it
