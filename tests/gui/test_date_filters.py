"""Date boxes in the GUI use the one parser: a date it cannot read is refused, in words."""

from __future__ import annotations

from pathlib import Path
from typing import Any

from PySide6.QtCore import Qt

from kzpk_desktop.gui.dialogs import ExportDialog
from kzpk_desktop.gui.review_window import ScopeDialog


def test_article_filter_shows_a_refused_date_and_keeps_the_list(window: Any, qtbot: Any) -> None:
    model, panel = window.article_model, window.articles
    qtbot.keyClicks(panel.date_from, "2025")
    qtbot.waitUntil(lambda: model.rowCount() == 4, timeout=3000)  # three of 2025, one of 2026
    panel.date_to.setFocus()
    qtbot.keyClicks(panel.date_to, "yesterday")
    expected = (
        "To date: 'yesterday' is not a date; write 2025, 2025-09, 2025-09-09 or a day-first "
        "date such as 09/09/2025 or 9.9.2025."
    )
    qtbot.waitUntil(lambda: panel.date_error.text() == expected, timeout=3000)
    assert panel.date_error.isVisible() and panel.date_error.textFormat() == Qt.TextFormat.PlainText
    assert panel.date_to.property("dateInvalid") is True
    assert panel.date_to.toolTip() == "Published on or before: 2025, 2025-09 or 2025-09-30"  # never the typed text
    assert model.rowCount() == 4  # the last valid filter stays: not "every row" as before
    for _ in "yesterday":
        qtbot.keyClick(panel.date_to, Qt.Key.Key_Backspace)
    qtbot.keyClicks(panel.date_to, "09/09/2025")  # day first, the same parser as the CLI
    qtbot.waitUntil(lambda: not panel.date_error.isVisible(), timeout=3000)
    qtbot.waitUntil(lambda: model.rowCount() == 3, timeout=3000)
    assert panel.date_to.property("dateInvalid") is False


def test_export_dialog_refuses_an_impossible_date(window: Any, qtbot: Any, answers: Any, tmp_path: Path) -> None:
    dialog = ExportDialog(window.store.labels.all(), None, window)
    dialog.format.setCurrentIndex(dialog.format.findData("csv"))
    dialog.path.setText(str(tmp_path / "x.csv"))
    qtbot.keyClicks(dialog.date_from, "2025-13-45")
    dialog._accept()
    assert answers.errors == [
        "Articles from: '2025-13-45' is not a real calendar date; write 2025, 2025-09, "
        "2025-09-09 or a day-first date such as 09/09/2025 or 9.9.2025."
    ]
    assert dialog.result() == 0
    dialog.date_from.clear()
    qtbot.keyClicks(dialog.date_from, "1.9.2025")
    dialog._accept()
    assert dialog.result() == 1 and dialog.options().filter.date_from == "2025-09-01"


def test_review_scope_refuses_garbage_dates(window: Any, qtbot: Any, answers: Any) -> None:
    dialog = ScopeDialog(window.store.labels.all(), None, window)
    qtbot.keyClicks(dialog.date_to, "last week")
    dialog.accept()
    assert answers.errors == [
        "Articles to: 'last week' is not a date; write 2025, 2025-09, 2025-09-09 or a "
        "day-first date such as 09/09/2025 or 9.9.2025."
    ]
    assert dialog.result() == 0
