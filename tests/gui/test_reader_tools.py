"""The reader's tools, driven with real key presses: find, zoom, resize a span, right-to-left
paragraphs, Enter from the list, reopening where the researcher was, suggestion context."""

from __future__ import annotations

import sqlite3
from pathlib import Path
from typing import Any

from PySide6.QtCore import Qt
from PySide6.QtGui import QTextCursor

from kzpk_desktop.gui.reader import FOCUS_ALPHA
from tests.gui.test_desk import open_article


def test_ctrl_f_finds_every_hit_and_a_label_key_tags_the_current_one(window: Any, qtbot: Any, seeded_db: Path) -> None:
    open_article(window, "001")
    window.registry["actionSnapWords"].setChecked(False)  # tag exactly what was found
    text = window.reader.text()
    expected = [i for i in range(len(text)) if text.startswith("kazakhstan", i) or text.startswith("Kazakhstan", i)]
    window.reader.setFocus()
    qtbot.keyClick(window.reader, Qt.Key.Key_F, Qt.KeyboardModifier.ControlModifier)
    assert window.find_bar.isVisible() and window.find_bar.edit.hasFocus()
    qtbot.keyClicks(window.find_bar.edit, "kazakhstan")
    assert [s for s, _e in window.find_bar.hits] == expected and len(expected) > 2
    assert window.reader._find_hits == window.find_bar.hits  # all highlighted
    first = window.find_bar.current
    qtbot.keyClick(window.find_bar.edit, Qt.Key.Key_Return)
    assert window.find_bar.current == (first + 1) % len(expected)
    assert window.find_bar.count.text() == f"{window.find_bar.current + 1} of {len(expected)}"
    qtbot.keyClick(window.find_bar.edit, Qt.Key.Key_Return, Qt.KeyboardModifier.ShiftModifier)
    assert window.find_bar.current == first
    qtbot.keyClick(window.find_bar.edit, Qt.Key.Key_Escape)
    assert not window.find_bar.isVisible() and window.reader.hasFocus()
    qtbot.keyClick(window.reader, Qt.Key.Key_1)
    start = expected[first]
    with sqlite3.connect(seeded_db) as conn:
        assert conn.execute('SELECT start, "end", text, label FROM annotations').fetchall() == [
            (start, start + 10, text[start : start + 10], "claim")
        ]


def test_zoom_keys_change_the_reading_size_and_it_is_remembered(window: Any, qtbot: Any, seeded_db: Path) -> None:
    from kzpk_desktop.app import create_main_window

    base = window.reader.font().pointSizeF()
    window.reader.setFocus()
    ctrl = Qt.KeyboardModifier.ControlModifier
    qtbot.keyClick(window.reader, Qt.Key.Key_Equal, ctrl)
    qtbot.keyClick(window.reader, Qt.Key.Key_Equal, ctrl)
    assert window.reader.font().pointSizeF() == base + 2
    qtbot.keyClick(window.reader, Qt.Key.Key_Minus, ctrl)
    assert window.reader.font().pointSizeF() == base + 1
    qtbot.keyClick(window.reader, Qt.Key.Key_0, ctrl)
    assert window.reader.font().pointSizeF() == base
    qtbot.keyClick(window.reader, Qt.Key.Key_Equal, ctrl)
    window.close()
    again = create_main_window(seeded_db)
    qtbot.addWidget(again)
    assert again.reader.font().pointSizeF() == base + 1  # remembered
    again.close()


def test_shift_alt_arrows_resize_the_selected_span_keeping_its_note_links_and_history(
    window: Any, qtbot: Any, seeded_db: Path
) -> None:
    open_article(window, "001")
    text = window.reader.text()
    i = text.index("Ishaq Dar")
    window.reader.select_span(i, i + 5)  # "Ishaq": the researcher meant the whole name
    window.registry["actionSnapWords"].setChecked(False)
    assert window.annotating.tag_selection("actor")
    span_id = window.annotations.current().id
    assert window.annotating.edit_annotation(span_id, {"note": "Pakistan's FM"})
    window.reader.setFocus()
    for _ in range(4):
        qtbot.keyClick(
            window.reader, Qt.Key.Key_Right, Qt.KeyboardModifier.ShiftModifier | Qt.KeyboardModifier.AltModifier
        )
    row = window.store.annotations.get(span_id)
    assert (row.start, row.end, row.text, row.note) == (i, i + 9, "Ishaq Dar", "Pakistan's FM")
    assert window.reader._rows[span_id].end == i + 9 and window.annotations.current().text == "Ishaq Dar"
    qtbot.keyClick(
        window.reader,
        Qt.Key.Key_Left,
        Qt.KeyboardModifier.ControlModifier | Qt.KeyboardModifier.ShiftModifier | Qt.KeyboardModifier.AltModifier,
    )
    assert window.store.annotations.get(span_id).start == i - 1
    window.annotating.undo()
    window.annotating.undo()
    assert window.store.annotations.get(span_id).end == i + 8
    history = window.store.history.entries("annotation", span_id)
    assert [h.action for h in history].count("resize") == 7  # 4 + 1, and each undo is a resize too


def test_urdu_paragraphs_are_aligned_right(window: Any) -> None:
    open_article(window, "urdu")
    block = window.reader.document().begin()
    seen = []
    while block.isValid():
        if block.text().strip():
            seen.append((block.textDirection(), block.blockFormat().alignment() & Qt.AlignmentFlag.AlignRight))
        block = block.next()
    rtl = [align for direction, align in seen if direction == Qt.LayoutDirection.RightToLeft]
    assert rtl and all(rtl)
    assert any(direction == Qt.LayoutDirection.LeftToRight and not align for direction, align in seen) or len(
        rtl
    ) == len(seen)


def test_enter_in_the_article_list_goes_into_the_text(window: Any, qtbot: Any) -> None:
    view = window.articles.view
    view.setFocus()
    qtbot.keyClick(view, Qt.Key.Key_Down)
    opened = window.article_id
    qtbot.keyClick(view, Qt.Key.Key_Return)
    assert window.reader.hasFocus() and window.article_id == opened is not None


def test_relaunch_reopens_the_last_article_where_it_was_scrolled(window: Any, qtbot: Any, seeded_db: Path) -> None:
    from kzpk_desktop.app import create_main_window

    aid = open_article(window, "004")
    window.resize(900, 300)
    qtbot.wait(10)
    bar = window.reader.verticalScrollBar()
    bar.setValue(bar.maximum() // 2)
    where = window.reader.top_position()
    assert where > 0
    window.close()
    again = create_main_window(seeded_db)
    qtbot.addWidget(again)
    assert again.article_id == aid
    again.show()
    qtbot.waitUntil(
        lambda: (
            again.reader.top_position() == where
            or again.reader.verticalScrollBar().value() == again.reader.verticalScrollBar().maximum() > 0
        ),
        timeout=3000,
    )
    assert again.reader.top_position() <= where
    again.close()


def test_a_focused_claim_leaves_the_agreement_inside_it_visible(window: Any) -> None:
    open_article(window, "001")
    text = window.reader.text()
    i = text.index("Action Plan")
    window.registry["actionSnapWords"].setChecked(False)
    window.reader.select_span(i - 20, i + 40)
    assert window.annotating.tag_selection("claim")
    claim = window.annotations.current().id
    window.reader.select_span(i, i + 11)
    assert window.annotating.tag_selection("agreement")
    window.annotating.annotation_clicked(claim)
    outline = window.reader.extraSelections()[-1]
    assert outline.format.background().color().alpha() == FOCUS_ALPHA <= 100
    cursor = QTextCursor(window.reader.document())
    cursor.setPosition(i + 3)
    inner = cursor.charFormat().background().color()
    assert inner.isValid() and inner.alpha() > 0  # the agreement's own colour is still painted


def test_suggestions_carry_the_sentence_around_them(window: Any) -> None:
    from kzpk_desktop.core import entities as ent

    dar = ent.create_entity(window.store, "actor", "Ishaq Dar")
    found = window.entities.find_mentions_of(dar)
    assert found and all("Dar" in s.context and len(s.context) <= 205 for s in found)
    item = window.entity_browser.suggestions.item(0)
    assert found[0].context in item.text()
