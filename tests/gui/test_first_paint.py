"""A long article paints its top first (issue 20): the highlights further down follow right
after the first paint, and are there before the researcher can scroll to them."""

from __future__ import annotations

from typing import Any

from PySide6.QtCore import Qt
from PySide6.QtGui import QTextCursor
from PySide6.QtTest import QTest

from kzpk_desktop.core.rows import Annotation, Label
from kzpk_desktop.gui.reader import FIRST_FORMAT_CHARS, ReaderView

TEXT = "".join(f"Sentence {i:05d} about the railway to Gwadar.\n" for i in range(1200))  # ~55,000 characters
NEAR, FAR = 120, 50_000


def row(i: int, start: int) -> Annotation:
    return Annotation(f"s{i}", 1, start, start + 7, "claim", TEXT[start : start + 7], annotator="ann")


def highlighted(reader: ReaderView, cp: int) -> bool:
    cursor = QTextCursor(reader.document())
    cursor.setPosition(reader._map.to_doc(cp + 1))  # the format of the character before
    return cursor.charFormat().background().style() != Qt.BrushStyle.NoBrush


def show(qtbot: Any) -> ReaderView:
    reader = ReaderView()
    qtbot.addWidget(reader)
    reader.resize(800, 600)
    reader.set_labels([Label("claim", "Claim", "#E8A33D")])
    reader.show()
    qtbot.waitExposed(reader)
    return reader


def test_the_highlights_below_the_top_follow_the_first_paint(qtbot: Any) -> None:
    assert len(TEXT) > FAR > FIRST_FORMAT_CHARS
    reader = show(qtbot)
    reader.set_article(TEXT, [row(0, NEAR), row(1, FAR)])
    assert highlighted(reader, NEAR) and not highlighted(reader, FAR)  # the top only, before the paint
    qtbot.waitUntil(lambda: highlighted(reader, FAR), timeout=3000)
    assert [highlighted(reader, cp) for cp in (FAR - 1, FAR, FAR + 6, FAR + 7)] == [False, True, True, False]


def test_scrolling_at_once_finds_the_far_highlights_drawn(qtbot: Any) -> None:
    reader = show(qtbot)
    reader.set_article(TEXT, [row(0, NEAR), row(1, FAR)])
    reader.setFocus()
    QTest.keyClick(reader, Qt.Key.Key_End, Qt.KeyboardModifier.ControlModifier)  # before any event ran
    assert reader.verticalScrollBar().value() > 0
    assert highlighted(reader, FAR) and highlighted(reader, NEAR)
