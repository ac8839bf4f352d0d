"""The action registry: every action has a handler, F1 shows the live map, keys enable right."""

from __future__ import annotations

from typing import Any

from PySide6.QtCore import Qt
from PySide6.QtGui import QKeySequence
from PySide6.QtWidgets import QDialog

from kzpk_desktop.gui import actions as reg


def test_every_spec_becomes_one_named_action_with_its_keys(window: Any) -> None:
    for spec in reg.SPECS:
        action = window.registry[spec.id]
        assert action.objectName() == spec.id
        assert action.shortcuts() == [QKeySequence(k) for k in spec.keys]
        assert all(not QKeySequence(k).isEmpty() for k in spec.keys), spec.keys
    assert {a.objectName() for a in window.registry.tag_actions.values()} == {
        "actionTagClaim",
        "actionTagActor",
        "actionTagAgreement",
    }


def test_f1_opens_the_keyboard_map_built_from_the_registry(window: Any, qtbot: Any, monkeypatch: Any) -> None:
    shown: list[Any] = []
    monkeypatch.setattr(QDialog, "exec", lambda self: shown.append(self) or 0)
    window.activateWindow()
    qtbot.keyClick(window, Qt.Key.Key_F1)
    assert len(shown) == 1 and shown[0].objectName() == "shortcutsDialog"
    rows = window.registry.keyboard_map()
    assert ("Tag as Claim", "1, C") in rows and any(name == "Undo" for name, _ in rows)
    qtbot.keyClick(window, Qt.Key.Key_F1)  # twice: the map holds text, not actions that died with a dialog
    assert len(shown) == 2


def test_actions_follow_what_is_open(window: Any) -> None:
    a = window.registry
    assert a["actionImport"].isEnabled() and not a["actionUndo"].isEnabled()
    assert not a["actionDeleteAnnotation"].isEnabled()
    window.annotating.open_article_row(0)
    window.reader.select_span(0, 8)
    assert window.annotating.tag_selection("claim")
    assert a["actionUndo"].isEnabled() and a["actionUndo"].text().startswith("&Undo Tag claim")
    assert a["actionDeleteAnnotation"].isEnabled()
