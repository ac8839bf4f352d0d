"""Correcting an article's metadata in the window, with real key presses and mouse clicks:
the "Edit article details" dialog (Ctrl+Shift+D) and in-place edits in the article list.
Both run ``EditArticleMetadata`` on the undo history; the header and the list follow its
``Changes``."""

from __future__ import annotations

import sqlite3
from pathlib import Path
from typing import Any

from PySide6.QtCore import Qt
from PySide6.QtWidgets import QAbstractItemView, QApplication, QLineEdit

from tests.gui.test_desk import open_article

CTRL = Qt.KeyboardModifier.ControlModifier
COLUMNS = "title, title_source, date, date_raw, date_precision, date_source, source, url, language, author"


def stored(db: Path, article_id: int) -> tuple[Any, ...]:
    with sqlite3.connect(db) as conn:
        return conn.execute(f"SELECT {COLUMNS} FROM articles WHERE id = ?", (article_id,)).fetchone()


def retype(box: QLineEdit, qtbot: Any, text: str) -> None:
    qtbot.keyClick(box, Qt.Key.Key_A, CTRL)
    if text:
        qtbot.keyClicks(box, text)
    else:
        qtbot.keyClick(box, Qt.Key.Key_Delete)


def commit(view: Any, editor: QLineEdit, qtbot: Any) -> None:
    """Enter in a cell editor: the delegate commits on the next turn of the event loop."""
    qtbot.keyClick(editor, Qt.Key.Key_Return)
    qtbot.waitUntil(lambda: view.state() != QAbstractItemView.State.EditingState, timeout=2000)


def list_cells(window: Any, article_id: int) -> list[str]:
    model = window.article_model
    row = model.row_of(article_id)
    return [model.index(row, c).data() for c in range(3)]  # date, source, title


def test_ctrl_shift_d_corrects_every_field_in_one_undoable_step(window: Any, qtbot: Any, seeded_db: Path) -> None:
    aid = open_article(window, "001")
    before = stored(seeded_db, aid)
    assert before[1] == "text" and before[5] == "text"
    window.reader.setFocus()
    qtbot.keyClick(window.reader, Qt.Key.Key_D, CTRL | Qt.KeyboardModifier.ShiftModifier)
    dialog = window.details.dialog
    assert dialog is not None and dialog.isVisible()
    assert dialog.boxes["title"].text() == before[0]
    assert dialog.title_origin.text() == "Title from the text."
    assert dialog.date_origin.text() == "Date (day) from the text."
    assert dialog.title_origin.textFormat() == dialog.date_origin.textFormat() == Qt.TextFormat.PlainText
    retype(dialog.boxes["title"], qtbot, "<b>Dar</b> & Nurtleu agree")
    retype(dialog.boxes["date"], qtbot, "2025-09")
    assert dialog.date_origin.text() == "Will be stored as 2025-09 (month only), typed by you."
    retype(dialog.boxes["source"], qtbot, "Dawn")
    retype(dialog.boxes["url"], qtbot, "https://www.dawn.com/news/1940001")
    retype(dialog.boxes["language"], qtbot, "EN")
    retype(dialog.boxes["author"], qtbot, "Staff Reporter")
    qtbot.keyClick(dialog.boxes["author"], Qt.Key.Key_Return)
    assert not dialog.isVisible()
    assert stored(seeded_db, aid) == (
        "<b>Dar</b> & Nurtleu agree",
        "user",
        "2025-09",
        "2025-09",
        "month",
        "user",
        "Dawn",
        "https://www.dawn.com/news/1940001",
        "en",
        "Staff Reporter",
    )
    # the header and the list row follow the operation's Changes, shown as plain text
    assert window.header_title.text() == "<b>Dar</b> & Nurtleu agree"
    assert window.header_title.textFormat() == Qt.TextFormat.PlainText
    assert window.header_meta.text().startswith("Dawn  ·  2025-09  ·  ")
    assert list_cells(window, aid) == ["2025-09", "Dawn", "<b>Dar</b> & Nurtleu agree"]
    assert window.registry["actionUndo"].text().startswith("&Undo Edit title, date, source")
    qtbot.keyClick(window.reader, Qt.Key.Key_Z, CTRL)
    assert stored(seeded_db, aid) == before
    assert window.header_title.text() == before[0]
    assert list_cells(window, aid) == [before[2], before[6], before[0]]
    qtbot.keyClick(window.reader, Qt.Key.Key_Z, CTRL | Qt.KeyboardModifier.ShiftModifier)
    assert stored(seeded_db, aid)[0] == "<b>Dar</b> & Nurtleu agree"
    assert window.header_title.text() == "<b>Dar</b> & Nurtleu agree"


def test_the_dialog_refuses_a_date_it_cannot_read_and_saves_only_what_changed(
    window: Any, qtbot: Any, seeded_db: Path
) -> None:
    aid = open_article(window, "002")
    before = stored(seeded_db, aid)
    qtbot.keyClick(window.reader, Qt.Key.Key_D, CTRL | Qt.KeyboardModifier.ShiftModifier)
    dialog = window.details.dialog
    retype(dialog.boxes["date"], qtbot, "next week")
    assert dialog.date_origin.text() == ("'next week' is not a date (use 2025, 2025-09, 2025-09-14 or 14 March 2025).")
    qtbot.keyClick(dialog.boxes["date"], Qt.Key.Key_Return)
    assert dialog.isVisible() and dialog.error.isVisible()
    assert dialog.error.text() == dialog.date_origin.text()
    assert stored(seeded_db, aid) == before and not window.history.can_undo
    retype(dialog.boxes["date"], qtbot, before[2])  # back as it was: the date keeps its origin
    retype(dialog.boxes["author"], qtbot, "A. Correspondent")
    qtbot.keyClick(dialog.boxes["author"], Qt.Key.Key_Return)
    assert not dialog.isVisible()
    assert stored(seeded_db, aid) == (*before[:9], "A. Correspondent")
    assert window.registry["actionUndo"].text() == f"&Undo Edit author of article {aid}"


def test_f2_and_double_click_edit_title_source_and_date_in_the_list(
    window: Any, qtbot: Any, seeded_db: Path, answers: Any
) -> None:
    aid = open_article(window, "001")
    before = stored(seeded_db, aid)
    view, model = window.articles.view, window.article_model
    view.setFocus()
    qtbot.keyClick(view, Qt.Key.Key_Right)
    qtbot.keyClick(view, Qt.Key.Key_Right)
    assert view.currentIndex().column() == 2 and window.article_id == aid
    qtbot.keyClick(view, Qt.Key.Key_F2)
    editor = QApplication.focusWidget()
    assert isinstance(editor, QLineEdit) and editor.text() == before[0]
    retype(editor, qtbot, "Pakistan and Kazakhstan sign defence pact")
    commit(view, editor, qtbot)
    assert stored(seeded_db, aid)[:2] == ("Pakistan and Kazakhstan sign defence pact", "user")
    assert window.header_title.text() == "Pakistan and Kazakhstan sign defence pact"

    rect = view.visualRect(model.index(model.row_of(aid), 1))  # the Source cell
    # a real double-click: press and release, then the double-click event (QTest sends only that)
    qtbot.mouseClick(view.viewport(), Qt.MouseButton.LeftButton, pos=rect.center())
    qtbot.mouseDClick(view.viewport(), Qt.MouseButton.LeftButton, pos=rect.center())
    editor = QApplication.focusWidget()
    assert isinstance(editor, QLineEdit) and editor.text() == before[6]
    retype(editor, qtbot, "TASS")
    commit(view, editor, qtbot)
    assert stored(seeded_db, aid)[6] == "TASS"

    view.setFocus()
    qtbot.keyClick(view, Qt.Key.Key_Left)
    assert view.currentIndex().column() == 0
    qtbot.keyClick(view, Qt.Key.Key_F2)
    editor = QApplication.focusWidget()
    retype(editor, qtbot, "soon")  # refused with a sentence, nothing written
    commit(view, editor, qtbot)
    assert answers.errors == ["'soon' is not a date (use 2025, 2025-09, 2025-09-14 or 14 March 2025)."]
    assert stored(seeded_db, aid)[2:6] == before[2:6]
    view.setFocus()
    qtbot.keyClick(view, Qt.Key.Key_F2)
    editor = QApplication.focusWidget()
    retype(editor, qtbot, "2024")
    commit(view, editor, qtbot)
    assert stored(seeded_db, aid)[2:6] == ("2024", "2024", "year", "user")
    assert list_cells(window, aid) == ["2024", "TASS", "Pakistan and Kazakhstan sign defence pact"]
    assert "TASS  ·  2024  ·  " in window.header_meta.text()
    # the status and span columns stay read-only
    assert not model.flags(model.index(0, 3)) & Qt.ItemFlag.ItemIsEditable
    for _ in range(3):
        qtbot.keyClick(view, Qt.Key.Key_Z, CTRL)
    assert stored(seeded_db, aid) == before
    assert list_cells(window, aid) == [before[2], before[6], before[0]]
