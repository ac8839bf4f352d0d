"""Entities, links and suggestions driven through the desk's widgets."""

from __future__ import annotations

import sqlite3
from pathlib import Path
from typing import Any

from PySide6.QtCore import QPoint, Qt
from PySide6.QtGui import QTextCursor

from tests.gui.conftest import Answers
from tests.gui.test_desk import action, open_article


def tag(window: Any, needle: str, label: str, nth: int = 0) -> dict:
    text = window.reader.text()
    i = -1
    for _ in range(nth + 1):
        i = text.index(needle, i + 1)
    window.reader.select_span(i, i + len(needle))
    assert window.annotating.tag_selection(label)
    return window.annotations.current()


def click_cp(window: Any, qtbot: Any, cp: int) -> None:
    c = QTextCursor(window.reader.document())
    c.setPosition(cp)
    point = window.reader.cursorRect(c).center() + QPoint(3, 0)
    qtbot.mouseClick(window.reader.viewport(), Qt.MouseButton.LeftButton, pos=point)


def test_three_spellings_link_to_one_actor_through_the_panel(window: Any, qtbot: Any) -> None:
    open_article(window, "001")
    first = tag(window, "Mohammad Ishaq Dar", "actor")
    window.annotations.view.setFocus()
    qtbot.keyClick(window.annotations.view, Qt.Key.Key_N)  # new entity from the span, one key
    dar = window.store.annotations.get(first.id).entity_id
    assert window.store.entities.get(dar).name == "Mohammad Ishaq Dar"
    assert window.annotations.entity_edit.text() == "Mohammad Ishaq Dar"
    second = tag(window, "Ishaq Dar", "actor", nth=1)
    window.annotations.entity_edit.setText("mohammad ishaq dar")  # case-insensitive match
    window.annotations.entity_edit.editingFinished.emit()
    assert window.store.annotations.get(second.id).entity_id == dar
    open_article(window, "004")
    third = tag(window, "Dar and Nurtleu"[:3], "actor")
    window.annotations.entity_edit.setText("Mohammad Ishaq Dar")
    window.annotations.entity_edit.editingFinished.emit()
    assert window.store.annotations.get(third.id).entity_id == dar
    browser = window.entity_browser
    assert browser.select_entity(dar)
    assert browser.mentions.count() == 3
    assert browser.tree.currentItem().text(1) == "3"
    # clicking a mention opens its article at the span
    item = next(browser.mentions.item(i) for i in range(3) if "“Mohammad Ishaq Dar”" in browser.mentions.item(i).text())
    browser.mentions.itemClicked.emit(item)
    assert window.article_id == first.article_id
    assert window.annotations.current().id == first.id
    # undo unlinks; the entity created for the span disappears with its last mention
    for _ in range(3):  # unlink third, remove third, unlink second
        action(window, "actionUndo").trigger()
    assert window.store.annotations.get(second.id).entity_id is None
    assert window.store.annotations.get(first.id).entity_id == dar


def test_link_mode_creates_a_typed_relation_shown_in_the_panel_and_undoable(
    window: Any, qtbot: Any, seeded_db: Path
) -> None:
    open_article(window, "001")
    speaker = tag(window, "Ishaq Dar", "actor", nth=2)
    claim = tag(window, "milestone achievement reflecting the strong political will", "claim")
    window.annotations.select(claim.id)
    window.annotations.view.setFocus()
    qtbot.keyClick(window.annotations.view, Qt.Key.Key_L)
    assert window.annotating.link_source == claim.id
    click_cp(window, qtbot, speaker.start + 3)
    with sqlite3.connect(seeded_db) as conn:
        assert conn.execute("SELECT type, source_id, target_id FROM relations").fetchall() == [
            ("said_by", claim.id, speaker.id)
        ]
    assert window.annotations.links.count() == 1
    assert window.annotations.links.item(0).text() == "said by → Ishaq Dar"
    # a link that makes no sense is refused with a message, nothing saved
    window.annotations.select(speaker.id)
    window.annotating.start_link()
    click_cp(window, qtbot, claim.start + 3)
    assert "cannot be linked" in window.statusBar().currentMessage()
    # deleting the claim takes the link with it; undo restores both
    window.annotations.select(claim.id)
    action(window, "actionDeleteAnnotation").trigger()
    with sqlite3.connect(seeded_db) as conn:
        assert conn.execute("SELECT count(*) FROM relations").fetchone() == (0,)
    action(window, "actionUndo").trigger()
    with sqlite3.connect(seeded_db) as conn:
        assert conn.execute("SELECT type FROM relations").fetchall() == [("said_by",)]
    # removing the link from the panel is undoable too
    window.annotations.select(claim.id)
    window.annotations.links.setCurrentRow(0)
    window.annotations.remove_link.trigger()
    with sqlite3.connect(seeded_db) as conn:
        assert conn.execute("SELECT count(*) FROM relations").fetchone() == (0,)
    action(window, "actionUndo").trigger()
    with sqlite3.connect(seeded_db) as conn:
        assert conn.execute("SELECT count(*) FROM relations").fetchone() == (1,)


def test_find_more_mentions_accept_with_y_reject_with_n_and_accept_all(
    window: Any, qtbot: Any, seeded_db: Path
) -> None:
    open_article(window, "001")
    tag(window, "Mohammad Ishaq Dar", "actor")
    window.annotating.new_entity_from_span()
    dar = window.annotations.current().entity_id
    window.store.entities.update(dar, {}, "t", aliases=["Ishaq Dar"])
    window.annotations.select(window.annotations.current_id())
    action(window, "actionFindMentions").trigger()
    browser = window.entity_browser
    assert browser.isVisible()
    found = browser.suggestions_list()
    assert len(found) == 6 and {s.text for s in found} == {"Ishaq Dar"}  # 001: 2, 003: 3, 004: 1
    assert len(window.reader.suggestions()) == 2  # dashed in the open article
    browser.suggestions.setFocus()
    browser.suggestions.setCurrentRow(0)
    first = found[0]
    qtbot.keyClick(browser.suggestions, Qt.Key.Key_Y)
    with sqlite3.connect(seeded_db) as conn:
        row = conn.execute(
            'SELECT article_id, start, "end", text, label, entity_id FROM annotations '
            "WHERE start = ? AND article_id = ?",
            (first.start, first.article_id),
        ).fetchone()
    assert row == (first.article_id, first.start, first.end, "Ishaq Dar", "actor", dar)
    assert len(browser.suggestions_list()) == 5
    qtbot.keyClick(browser.suggestions, Qt.Key.Key_N)
    assert len(browser.suggestions_list()) == 4
    browser.accept_all.click()
    assert browser.suggestions_list() == []
    assert len(window.store.entities.mentions(dar)) == 1 + 1 + 4
    action(window, "actionUndo").trigger()  # "accept all" is one undo step
    assert len(window.store.entities.mentions(dar)) == 2
    window.entities.find_mentions_of(dar)
    assert len(browser.suggestions_list()) == 4  # the rejected one stays rejected


def test_merge_and_edit_entities_from_the_browser(window: Any, answers: Answers) -> None:
    open_article(window, "001")
    tag(window, "Mohammad Ishaq Dar", "actor")
    window.annotating.new_entity_from_span()
    keep = window.annotations.current().entity_id
    tag(window, "Ishaq Dar", "actor", nth=1)
    window.annotating.new_entity_from_span()
    drop = window.annotations.current().entity_id
    assert keep != drop
    answers.choice = f"#{drop}"
    assert window.entities.merge_entity(keep)
    assert {m.text for m in window.store.entities.mentions(keep)} == {"Mohammad Ishaq Dar", "Ishaq Dar"}
    assert window.store.entities.get(keep).aliases == ("Ishaq Dar",)
    assert window.entity_browser.tree.topLevelItem(0).childCount() == 1
    assert window.annotations.entity_edit.text() == "Mohammad Ishaq Dar"
