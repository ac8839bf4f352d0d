"""The curation window from the main window's Review menu."""

from __future__ import annotations

from PySide6.QtCore import Qt

from kzpk_desktop.core import annotations as ann
from kzpk_desktop.gui.curation import CurationWindow


def test_curate_action_opens_the_window_for_the_open_article(qtbot, window) -> None:  # type: ignore[no-untyped-def]
    window.open_article(2)
    store = window.store
    text = store.article_text(2)
    i = text.index("Kazakhstan")
    ann.create_annotation(store, 2, i, i + 10, "actor", annotator="ann")
    ann.create_annotation(store, 2, i, i + 4, "actor", annotator="bob")
    window.actionCurate.trigger()
    dialog = window.findChild(CurationWindow)
    assert dialog is not None and dialog.article_id == 2 and dialog.coders == ("ann", "bob")
    qtbot.keyClick(dialog.table, Qt.Key.Key_A)
    assert store.conn.execute("SELECT annotator, start, curated_by IS NOT NULL FROM annotations "
                              "WHERE gold_of IS NOT NULL").fetchall() == [("ann", i, 1)]
    dialog.close()
