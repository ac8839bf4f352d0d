"""Adjudication driven by key presses in the curation window (pytest-qt, real database)."""

from __future__ import annotations

from PySide6.QtCore import Qt

from kzpk_desktop.core import annotations as ann
from kzpk_desktop.core.operations.base import UndoHistory
from kzpk_desktop.core.store import Store
from kzpk_desktop.gui.curation import CurationWindow
from tests.team.helpers import span


def gold(store: Store) -> list[tuple[str, int, int]]:
    return store.conn.execute(
        'SELECT annotator, start, "end" FROM annotations WHERE curated_by = ? ORDER BY start, annotator', ("judy",)
    ).fetchall()


def test_keys_take_a_b_both_neither_and_undo(qtbot, seed: dict[str, object]) -> None:  # type: ignore[no-untyped-def]
    store = Store.open(seed["path"])  # type: ignore[arg-type]
    text = store.articles.text(3)
    i = text.index("Pakistan")
    span(store, 3, "Pakistan", "actor", "ann")
    ann.create_annotation(store, 3, i, i + len("Pakistan") + 4, "actor", annotator="bob")
    k = text.index("Kazakhstan")
    span(store, 3, "Kazakhstan", "actor", "ann")  # ann and bob agree here
    ann.create_annotation(store, 3, k, k + len("Kazakhstan"), "actor", annotator="bob")
    window = CurationWindow(store, 3, "judy", UndoHistory(store))
    qtbot.addWidget(window)
    window.show()
    assert window.coders == ("ann", "bob")
    assert sorted(p.disagreement for p in window.places) == [False, True]
    row = next(r for r, p in enumerate(window.places) if p.disagreement)
    window.table.selectRow(row)
    first = window.table.item(row, 0).text()
    assert first.startswith("≠ actor")
    assert window.table.item(row, 1).text().startswith("Pakistan [")

    qtbot.keyClick(window.table, Qt.Key.Key_B)
    assert gold(store) == [("bob", i, i + 12)]
    window.table.selectRow(row)
    qtbot.keyClick(window.table, Qt.Key.Key_A)
    assert gold(store) == [("ann", i, i + 8)]
    window.table.selectRow(row)
    qtbot.keyClick(window.table, Qt.Key.Key_Equal)
    assert gold(store) == [("ann", i, i + 8), ("bob", i, i + 12)]
    window.table.selectRow(row)
    qtbot.keyClick(window.table, Qt.Key.Key_N)
    assert gold(store) == []
    qtbot.keyClick(window.table, Qt.Key.Key_Z, Qt.KeyboardModifier.ControlModifier)
    assert gold(store) == [("ann", i, i + 8), ("bob", i, i + 12)]
    qtbot.keyClick(window.table, Qt.Key.Key_Z, Qt.KeyboardModifier.ControlModifier)
    qtbot.keyClick(window.table, Qt.Key.Key_Z, Qt.KeyboardModifier.ControlModifier)
    assert gold(store) == [("bob", i, i + 12)]
    assert window.table.item(row, 3).text() == f"{text[i : i + 12]} [{i}–{i + 12}]"  # the gold lane shows it
    # originals untouched: four coder spans, plus one gold copy
    assert store.conn.execute("SELECT count(*) FROM annotations WHERE curated_by IS NULL").fetchone()[0] == 7
    window.close()
    store.close()
