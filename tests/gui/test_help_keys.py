"""F1 and Help ▸ Keyboard shortcuts open the keyboard map, every time, without a crash."""

from __future__ import annotations

from typing import Any

import pytest
from PySide6.QtCore import Qt
from PySide6.QtWidgets import QDialog, QTableWidget

from kzpk_desktop.core.rows import Label
from tests.gui.test_desk import action


@pytest.fixture
def shown_dialogs(monkeypatch: pytest.MonkeyPatch) -> list[tuple[str, list[tuple[str, str]]]]:
    """Replace QDialog.exec: record the dialog's name and its table rows, then close it."""
    shown: list[tuple[str, list[tuple[str, str]]]] = []

    def fake_exec(dialog: QDialog) -> int:
        table = dialog.findChild(QTableWidget)
        rows = (
            [(table.item(r, 0).text(), table.item(r, 1).text()) for r in range(table.rowCount())]
            if table is not None
            else []
        )
        shown.append((dialog.objectName(), rows))
        dialog.reject()
        return 0

    monkeypatch.setattr(QDialog, "exec", fake_exec)
    return shown


def test_f1_opens_the_keyboard_map_every_time(window: Any, qtbot: Any, shown_dialogs: list[Any]) -> None:
    window.activateWindow()
    qtbot.waitUntil(window.isActiveWindow, timeout=3000)
    window.reader.setFocus()
    with qtbot.captureExceptions() as errors:
        qtbot.keyClick(window.reader, Qt.Key.Key_F1)
        qtbot.keyClick(window.reader, Qt.Key.Key_F1)
    assert [e[1] for e in errors] == []
    assert [name for name, _ in shown_dialogs] == ["shortcutsDialog", "shortcutsDialog"]
    rows = dict(shown_dialogs[0][1])
    assert rows["Undo"] == "Ctrl+Z" and rows["Redo"].split(", ").count("Ctrl+Y") == 1
    assert rows["Keyboard shortcuts"] == "F1"


def test_help_menu_entry_opens_it_after_the_toolbar_was_refilled(
    window: Any, qtbot: Any, shown_dialogs: list[Any]
) -> None:
    window.annotating.add_label(
        Label("statistic", "Statistic", "#123456", "4", None, "")
    )  # refills menus and toolbar again
    with qtbot.captureExceptions() as errors:
        action(window, "actionShortcuts").trigger()
    assert [e[1] for e in errors] == []
    assert [name for name, _ in shown_dialogs] == ["shortcutsDialog"]
    assert dict(shown_dialogs[0][1])["Tag as Statistic"] == "4"

    # the window-owned undo and redo actions still follow the stack
    undo, redo = action(window, "actionUndo"), action(window, "actionRedo")
    assert undo is window.registry["actionUndo"] and undo.text() == "&Undo Add label Statistic"  # (undoable too)
    assert not redo.isEnabled()
    window.reader.select_span(0, 5)
    assert window.annotating.tag_selection("claim")
    assert undo.isEnabled() and undo.text().startswith("&Undo Tag claim")
    undo.trigger()
    assert undo.text() == "&Undo Add label Statistic" and redo.isEnabled()
    assert window.annotations.model.rowCount() == 0
    redo.trigger()
    assert window.annotations.model.rowCount() == 1
