"""The review window never loses typed input, and typing keys edit instead of navigating.

Every path is driven with real key presses: J/K/S, arrows, Esc, closing the window,
closing the app, and typing into the evidence table.
"""

from __future__ import annotations

import sqlite3
from pathlib import Path
from typing import Any

from PySide6.QtCore import Qt
from PySide6.QtWidgets import QApplication, QLineEdit

from kzpk_desktop.core import review as rv
from tests.gui.conftest import Answers
from tests.gui.test_review_gui import make_claims

URL = "https://www.mofa.gov.pk/pr-2025-09-09"


def start(window: Any, qtbot: Any) -> Any:
    window.annotator = "Bilal"
    make_claims(window)
    review = window.review.start_review_session(rv.Scope())
    qtbot.waitExposed(review)
    qtbot.waitUntil(review.isActiveWindow, timeout=3000)
    review.context.setFocus()
    return review


def press(qtbot: Any, key: Any, widget: Any = None) -> None:
    qtbot.keyClick(widget or QApplication.focusWidget(), key)


def stored(db: Path, annotation_id: str) -> tuple[Any, ...]:
    with sqlite3.connect(db) as conn:
        row = conn.execute(
            "SELECT verdict, confidence, reviewed_at, status FROM annotations WHERE id = ?", (annotation_id,)
        ).fetchone()
        evidence = conn.execute("SELECT count(*) FROM evidence WHERE annotation_id = ?", (annotation_id,)).fetchone()
    return (*row, evidence[0])


def type_evidence(review: Any, qtbot: Any, url: str) -> QLineEdit:
    """Ctrl+N opens a URL cell editor; the URL is typed key by key."""
    press(qtbot, Qt.Key.Key_N, review.context)  # plain N is no shortcut: nothing happens
    qtbot.keyClick(review.context, Qt.Key.Key_N, Qt.KeyboardModifier.ControlModifier)
    editor = QApplication.focusWidget()
    assert isinstance(editor, QLineEdit) and review.evidence.isAncestorOf(editor)
    qtbot.keyClicks(editor, url)
    return editor


def test_j_k_and_s_keep_a_typed_verdict_and_evidence_as_a_draft(window: Any, qtbot: Any, seeded_db: Path) -> None:
    review = start(window, qtbot)
    first = review.session.current()
    press(qtbot, Qt.Key.Key_4)  # verdict: false
    editor = type_evidence(review, qtbot, URL)
    press(qtbot, Qt.Key.Key_Tab, editor)  # commit the cell; Tab leaves the table
    review.context.setFocus()
    press(qtbot, Qt.Key.Key_J)
    assert review.progress_label.text() == "2 of 4"
    assert stored(seeded_db, first) == (None, None, None, "unreviewed", 0)  # not decided
    press(qtbot, Qt.Key.Key_S)
    press(qtbot, Qt.Key.Key_Left)
    press(qtbot, Qt.Key.Key_K)
    assert review.session.current() == first
    assert review.verdict.currentData() == "false"
    assert review.form_state().evidence[0].url == URL
    assert "draft is back" in review.status_line.text()
    press(qtbot, Qt.Key.Key_R)  # deciding saves the draft's contents and drops the draft
    assert stored(seeded_db, first) == ("false", None, stored(seeded_db, first)[2], "rejected", 1)
    assert review.drafts.get(first) is None


def test_right_arrow_and_letters_in_the_evidence_table_edit_instead_of_moving(
    window: Any, qtbot: Any, seeded_db: Path
) -> None:
    review = start(window, qtbot)
    first = review.session.current()
    editor = type_evidence(review, qtbot, "https://a.org/xy")
    press(qtbot, Qt.Key.Key_Left, editor)
    press(qtbot, Qt.Key.Key_Left, editor)
    press(qtbot, Qt.Key.Key_Right, editor)
    press(qtbot, Qt.Key.Key_J, editor)
    press(qtbot, Qt.Key.Key_A, editor)
    press(qtbot, Qt.Key.Key_3, editor)
    assert editor.text() == "https://a.org/xja3y"
    press(qtbot, Qt.Key.Key_Return, editor)  # cell committed; the table keeps the focus
    qtbot.waitUntil(lambda: QApplication.focusWidget() is review.evidence, timeout=2000)
    assert review.evidence.currentColumn() == 0
    press(qtbot, Qt.Key.Key_Right)  # moves to the quote cell, not to the next claim
    assert review.evidence.currentColumn() == 1 and review.session.current() == first
    press(qtbot, Qt.Key.Key_A)  # starts typing the quote: no "accept"
    editor = QApplication.focusWidget()
    assert isinstance(editor, QLineEdit) and editor.text() == "a"
    qtbot.keyClicks(editor, "greed")
    press(qtbot, Qt.Key.Key_Escape, editor)  # closes the cell editor, keeping the text
    assert review.isVisible() and review.evidence.item(0, 1).text() == "agreed"
    assert review.progress_label.text() == "1 of 4"
    assert stored(seeded_db, first) == (None, None, None, "unreviewed", 0)
    press(qtbot, Qt.Key.Key_Tab)  # leave the table: the keys act again
    press(qtbot, Qt.Key.Key_A)
    assert review.progress_label.text() == "2 of 4"
    assert stored(seeded_db, first)[3:] == ("accepted", 1)


def test_esc_keeps_the_draft_and_resuming_brings_it_back(window: Any, qtbot: Any, answers: Answers) -> None:
    review = start(window, qtbot)
    first = review.session.current()
    press(qtbot, Qt.Key.Key_2)  # partly supported
    review.confidence.setCurrentIndex(review.confidence.findData("high"))
    press(qtbot, Qt.Key.Key_Escape)
    assert not review.isVisible()
    answers.confirm = True  # resume the session
    again = window.review.start_review()
    assert again is not None and again.session.current() == first
    assert (again.verdict.currentData(), again.confidence.currentData()) == ("partly_supported", "high")


def test_closing_the_window_or_the_app_keeps_the_draft(
    window: Any, qtbot: Any, seeded_db: Path, answers: Answers
) -> None:
    from kzpk_desktop.app import create_main_window

    review = start(window, qtbot)
    first = review.session.current()
    editor = type_evidence(review, qtbot, URL)  # still being typed: the editor is open
    qtbot.keyClicks(editor, "/more")
    window.close()  # the whole app closes with the cell editor open
    assert stored(seeded_db, first) == (None, None, None, "unreviewed", 0)
    again = create_main_window(seeded_db)
    qtbot.addWidget(again)
    again.annotator = "Bilal"
    answers.confirm = True
    resumed = again.review.start_review()
    assert resumed is not None and resumed.session.current() == first
    assert [e.url for e in resumed.form_state().evidence] == [URL + "/more"]
    resumed.close()  # closing again with the draft unchanged keeps it
    assert resumed.drafts.get(first) is not None
    again.close()


def test_undoing_every_edit_leaves_no_draft_behind(window: Any, qtbot: Any) -> None:
    review = start(window, qtbot)
    first = review.session.current()
    press(qtbot, Qt.Key.Key_5)
    press(qtbot, Qt.Key.Key_J)
    assert review.drafts.get(first) is not None
    press(qtbot, Qt.Key.Key_K)
    review.verdict.setCurrentIndex(0)  # back to "no verdict", as stored
    press(qtbot, Qt.Key.Key_J)
    assert review.drafts.get(first) is None


def test_opening_another_database_closes_the_review_window_and_keeps_its_draft(
    window: Any, qtbot: Any, seeded_db: Path
) -> None:
    from shiboken6 import isValid

    review = start(window, qtbot)
    first = review.session.current()
    press(qtbot, Qt.Key.Key_6)  # unverifiable
    summary = window.review.show_summary()
    with qtbot.captureExceptions() as errors:
        assert window.db.open_database(seeded_db)  # File ▸ Open recent: the same file, a new connection
        qtbot.waitUntil(lambda: not isValid(review) and not isValid(summary), timeout=3000)
    assert errors == []
    assert window.review.live_window() is None
    again = window.review.start_review()
    assert again is not None and again.session.current() == first
    assert again.verdict.currentData() == "unverifiable"
    qtbot.waitUntil(again.isActiveWindow, timeout=3000)
    again.context.setFocus()
    press(qtbot, Qt.Key.Key_J)
    assert again.progress_label.text() == "2 of 4"
