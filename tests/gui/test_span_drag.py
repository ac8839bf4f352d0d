"""Resizing a span by dragging its ends in the reader, with real mouse events on its viewport.

Qt positions are UTF-16 units; the stored offsets are code points. The spans here sit after
an emoji (two UTF-16 units each) and inside Urdu text, so a wrong conversion moves the end
by a character and the assertions on the stored text catch it.
"""

from __future__ import annotations

from typing import Any

from PySide6.QtCore import QEvent, QPoint, QPointF, Qt
from PySide6.QtGui import QMouseEvent
from PySide6.QtTest import QTest
from PySide6.QtWidgets import QApplication, QWidget

from tests.gui.test_desk import open_article

LEFT = Qt.MouseButton.LeftButton
NONE = Qt.KeyboardModifier.NoModifier


def caret_point(window: Any, cp: int) -> QPoint:
    """The middle of the caret drawn before code point ``cp`` (viewport pixels)."""
    return window.reader._caret_rect(cp).center()


def move(viewport: QWidget, to: QPoint, buttons: Qt.MouseButton = Qt.MouseButton.NoButton) -> None:
    """A mouse-move event at ``to`` on the viewport. (QTest.mouseMove goes through the screen
    cursor, which the offscreen platform places a toolbar's height off.)"""
    event = QMouseEvent(
        QEvent.Type.MouseMove, QPointF(to), QPointF(viewport.mapToGlobal(to)), Qt.MouseButton.NoButton, buttons, NONE
    )
    QApplication.sendEvent(viewport, event)


def drag(window: Any, qtbot: Any, src: QPoint, dst: QPoint) -> None:
    viewport = window.reader.viewport()
    QTest.mousePress(viewport, LEFT, NONE, src)
    move(viewport, QPoint((src.x() + dst.x()) // 2, dst.y()), LEFT)
    move(viewport, dst, LEFT)
    QTest.mouseRelease(viewport, LEFT, NONE, dst)
    qtbot.wait(5)


def tag(window: Any, start: int, end: int, label: str) -> str:
    window.reader.select_span(start, end)
    assert window.annotating.tag_selection(label)
    return window.annotations.current().id


def test_dragging_the_end_after_an_emoji_moves_it_keeping_note_and_history(window: Any, qtbot: Any) -> None:
    open_article(window, "crlf_emoji")
    window.registry["actionSnapWords"].setChecked(False)
    text = window.reader.text()
    i = text.index("as the first flight")  # after 👍🏽 (two astral code points, four UTF-16 units)
    span_id = tag(window, i, i + 6, "claim")  # "as the"
    assert window.annotating.edit_annotation(span_id, {"note": "who cheered?"})
    window.annotating.annotation_clicked(span_id)  # focused: its ends can be grabbed
    new_end = i + len("as the first")
    viewport = window.reader.viewport()
    move(viewport, caret_point(window, i + 6))  # hovering an end: the pointer offers a drag
    assert viewport.cursor().shape() == Qt.CursorShape.SizeHorCursor
    move(viewport, caret_point(window, i + 3))
    assert viewport.cursor().shape() == Qt.CursorShape.IBeamCursor
    QTest.mousePress(viewport, LEFT, NONE, caret_point(window, i + 6))
    move(viewport, caret_point(window, new_end), LEFT)
    outline = window.reader.extraSelections()[-1]  # the outline follows the mouse (in UTF-16 units)
    to16 = window.reader._map.to_doc
    assert (outline.cursor.selectionStart(), outline.cursor.selectionEnd()) == (to16(i), to16(new_end))
    assert to16(i) == i + 3  # 🛫, 👍 and 🏽 before it: two UTF-16 units each
    assert window.store.annotations.get(span_id).end == i + 6  # nothing saved before the release
    QTest.mouseRelease(viewport, LEFT, NONE, caret_point(window, new_end))
    row = window.store.annotations.get(span_id)
    assert (row.start, row.end, row.text, row.note) == (i, new_end, "as the first", "who cheered?")
    assert text[row.start : row.end] == row.text
    assert window.reader._rows[span_id].end == new_end
    assert window.annotations.current().text == "as the first"
    # the start, dragged left over the emoji and its skin tone, lands before them
    emoji = text.index("👍🏽")
    window.annotating.annotation_clicked(span_id)
    drag(window, qtbot, caret_point(window, i), caret_point(window, emoji))
    row = window.store.annotations.get(span_id)
    assert (row.start, row.end, row.text) == (emoji, new_end, "👍🏽 as the first")
    assert [h.action for h in window.store.history.entries("annotation", span_id)].count("resize") == 2
    window.annotating.undo()
    window.annotating.undo()
    row = window.store.annotations.get(span_id)
    assert (row.start, row.end, row.text, row.note) == (i, i + 6, "as the", "who cheered?")


def test_dragging_an_urdu_span_end_and_a_press_elsewhere_only_selects(window: Any, qtbot: Any) -> None:
    open_article(window, "urdu")
    window.registry["actionSnapWords"].setChecked(False)
    text = window.reader.text()
    i = text.index("اسحاق ڈار")
    span_id = tag(window, i, i + 5, "actor")  # "اسحاق": the name was meant
    window.annotating.annotation_clicked(span_id)
    drag(window, qtbot, caret_point(window, i + 5), caret_point(window, i + 9))
    row = window.store.annotations.get(span_id)
    assert (row.start, row.end, row.text) == (i, i + 9, "اسحاق ڈار")
    # a press away from both ends selects text as always and resizes nothing
    window.annotating.annotation_clicked(span_id)
    drag(window, qtbot, caret_point(window, 2), caret_point(window, 6))
    assert window.reader.selected_span() == (2, 6)
    row = window.store.annotations.get(span_id)
    assert (row.start, row.end) == (i, i + 9)


def test_a_dragged_end_snaps_to_its_word_when_snapping_is_on(window: Any, qtbot: Any) -> None:
    open_article(window, "001")
    window.registry["actionSnapWords"].setChecked(True)
    text = window.reader.text()
    i = text.index("Ishaq Dar")
    span_id = tag(window, i, i + 5, "actor")
    window.annotating.annotation_clicked(span_id)
    drag(window, qtbot, caret_point(window, i + 5), caret_point(window, i + 7))  # into "Dar"
    row = window.store.annotations.get(span_id)
    assert (row.start, row.end, row.text) == (i, i + 9, "Ishaq Dar")


def test_holding_a_dragged_end_below_the_page_scrolls_and_grows_the_span(window: Any, qtbot: Any) -> None:
    """An end dragged past the bottom edge keeps scrolling while held there, so a claim can run
    on beyond the visible page; back inside the page the scrolling stops."""
    window.resize(900, 420)  # a short reader: 003 does not fit
    open_article(window, "003")
    window.registry["actionSnapWords"].setChecked(False)
    reader = window.reader
    bar = reader.verticalScrollBar()
    bar.setValue(0)
    text = reader.text()
    viewport = reader.viewport()
    i = reader.codepoint_at(QPoint(5, viewport.height() - 25))  # on the page's last full line
    page_end = reader.codepoint_at(QPoint(viewport.width() - 5, viewport.height() - 1))
    span_id = tag(window, i, i + 8, "claim")
    window.annotating.annotation_clicked(span_id)
    bar.setValue(0)
    qtbot.wait(20)
    QTest.mousePress(viewport, LEFT, NONE, caret_point(window, i + 8))
    below = QPoint(viewport.width() // 2, viewport.height() + 30)
    move(viewport, below, LEFT)
    qtbot.waitUntil(lambda: bar.value() >= 8, timeout=3000)  # held still: it keeps scrolling
    move(viewport, QPoint(viewport.width() // 2, viewport.height() // 2), LEFT)
    qtbot.wait(150)
    settled = bar.value()
    qtbot.wait(200)
    assert bar.value() == settled  # inside the page: no more scrolling
    target = reader.codepoint_at(QPoint(viewport.width() // 2, viewport.height() // 2))
    QTest.mouseRelease(viewport, LEFT, NONE, QPoint(viewport.width() // 2, viewport.height() // 2))
    row = window.store.annotations.get(span_id)
    assert row.start == i and row.end == target > page_end  # beyond what was visible
    assert text[row.start : row.end] == row.text
