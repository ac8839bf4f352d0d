"""Compare and timeline windows, driven by key presses on the seed reports of the 9 September
2025 talks (001, 003, 004) with planted details: 001 and 003 give different trade figures, 003
has emoji and Urdu before its figure (UTF-16 positions differ from code points there) and dates
the Action Plan a day earlier than 004 does."""

from __future__ import annotations

import shutil
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest
from PySide6.QtCore import Qt
from PySide6.QtWidgets import QApplication

from kzpk_desktop.core import annotations as ann
from kzpk_desktop.core import operations as ops
from kzpk_desktop.core.importer import import_paths
from kzpk_desktop.core.store import Store
from kzpk_desktop.core.store import crossoutlet as q
from tests.conftest import SEEDS

FIGURE_001 = "Bilateral trade between the two countries reached $239 million last year, officials said."
FIGURE_003 = "Bilateral trade between the two countries reached $250 million last year, officials said."
EMOJI_003 = "Reaction online was warm: 🇵🇰🤝🇰🇿 «پاکستان قازقستان دوستی زندہ باد» 🎉👏🏽."
DATE_003 = "Officials said the Action Plan of Cooperation was signed on 8 September 2025 in Islamabad."


def _seed(name: str) -> str:
    return next(SEEDS.glob(f"{name}_*.txt")).read_text(encoding="utf-8")


@pytest.fixture
def planted_db(tmp_path: Path) -> Path:
    """The five seeds, 001 and 003 with the planted sentences appended."""
    folder = tmp_path / "corpus"
    folder.mkdir()
    for path in SEEDS.glob("*.txt"):
        shutil.copy(path, folder / path.name)
    (folder / next(SEEDS.glob("001_*.txt")).name).write_text(_seed("001").rstrip() + f"\n\n{FIGURE_001}\n", "utf-8")
    (folder / next(SEEDS.glob("003_*.txt")).name).write_text(
        _seed("003").replace("icon-facebook icon-twitter icon-whatsapp", "").rstrip()
        + f"\n\n{EMOJI_003} {FIGURE_003}\n\n{DATE_003}\n",
        "utf-8",
    )
    path = tmp_path / "planted.db"
    store = Store.open(path)
    import_paths(store, [folder])
    store.close()
    return path


def ids_by_seed(store: Any) -> dict[str, int]:
    """'001' -> its article id, found by a sentence only that seed has."""
    marks = {
        "001": "Umer Jamshaid",
        "003": "Nurlan Sauranbayev",
        "004": "Yerzhan Kistafin",
    }
    out = {}
    for a in q.iter_articles(store):
        for seed, mark in marks.items():
            if mark in a.text:
                out[seed] = a.id
    return out


@pytest.fixture
def desk(qtbot: Any, planted_db: Path, answers: Any) -> Iterator[Any]:
    from kzpk_desktop.app import create_main_window

    w = create_main_window(planted_db)
    w.annotator = "Tester"
    qtbot.addWidget(w)
    w.show()
    qtbot.waitExposed(w)
    yield w
    w.crossoutlet.close_all()
    w.close()


def press(qtbot: Any, widget: Any, *keys: Any) -> None:
    for k in keys:
        qtbot.keyClick(widget, k)


def active(qtbot: Any, widget: Any) -> None:
    widget.activateWindow()
    qtbot.waitUntil(widget.isActiveWindow, timeout=3000)


def open_compare_by_keys(qtbot: Any, desk: Any, seed_ids: dict[str, int]) -> Any:
    """Open 001, Ctrl+Shift+C, untick all but 003 in the picker with the keyboard, Enter."""
    desk.annotating.open_annotation(seed_ids["001"], "")
    active(qtbot, desk)
    qtbot.keyClick(desk.reader, Qt.Key.Key_C, Qt.KeyboardModifier.ControlModifier | Qt.KeyboardModifier.ShiftModifier)
    picker = desk.crossoutlet.picker
    assert picker is not None and picker.isVisible()
    items = [picker.list.item(i) for i in range(picker.list.count())]
    ticked = {int(it.data(Qt.ItemDataRole.UserRole)) for it in items if it.checkState() == Qt.CheckState.Checked}
    assert ticked == {seed_ids["003"], seed_ids["004"]}  # the story of 001, proposed
    picker.list.setFocus()
    for i, it in enumerate(items):  # Space unticks what is not 003
        picker.list.setCurrentRow(i)
        if int(it.data(Qt.ItemDataRole.UserRole)) != seed_ids["003"] and it.checkState() == Qt.CheckState.Checked:
            press(qtbot, picker.list, Qt.Key.Key_Space)
    assert picker.chosen() == [seed_ids["003"]]
    press(qtbot, picker.list, Qt.Key.Key_Return)
    window = desk.crossoutlet.compare_window
    assert window is not None and window.isVisible()
    active(qtbot, window)
    return window


def test_compare_aligns_001_with_003_and_marks_the_differing_figure(qtbot: Any, desk: Any) -> None:
    seed_ids = ids_by_seed(desk.store)
    window = open_compare_by_keys(qtbot, desk, seed_ids)
    table = window.table
    rows = {
        table.item(r, 1).text(): table.item(r, 2).text() for r in range(table.rowCount()) if table.item(r, 2).text()
    }
    key_outcome = (
        "A key outcome of the talks was the signing of an Action Plan of Cooperation between the foreign "
        "ministries of Pakistan and Kazakhstan."
    )
    assert rows[key_outcome] == (
        "Later, the Deputy Prime Minister and his Kazakh counterpart signed an action plan for cooperation "
        "between the foreign ministries of the two countries."
    )
    assert rows["Both sides also discussed closer coordination in multilateral fora."] == "— no matching sentence"
    assert rows[FIGURE_001] == FIGURE_003
    while "figure" not in window.difference_label.text():  # J steps from difference to difference
        before = window.current
        press(qtbot, window.table, Qt.Key.Key_J)
        assert window.current == before + 1
    assert window.highlighted() == ["$239 million", "$250 million"]
    assert table.currentRow() == next(r for r in range(table.rowCount()) if table.item(r, 1).text() == FIGURE_001)
    assert table.item(table.currentRow(), 3).text() == (
        f"figure: #{seed_ids['001']} $239 million ≠ #{seed_ids['003']} $250 million"
    )
    press(qtbot, window.table, Qt.Key.Key_K)
    assert window.highlighted() != ["$239 million", "$250 million"]
    press(qtbot, window.table, Qt.Key.Key_F8)
    assert window.highlighted() == ["$239 million", "$250 million"]


def test_c_tags_the_marked_figures_as_claims_and_ctrl_z_removes_them(qtbot: Any, desk: Any) -> None:
    seed_ids = ids_by_seed(desk.store)
    window = open_compare_by_keys(qtbot, desk, seed_ids)
    while window.highlighted() != ["$239 million", "$250 million"]:
        press(qtbot, window.table, Qt.Key.Key_F8)
    text_003 = desk.store.articles.text(seed_ids["003"])
    mark = window.panes[1].marks[0].cursor
    assert mark.selectionStart() != text_003.index("$250 million")  # emoji before it: UTF-16 ≠ code points
    press(qtbot, window.table, Qt.Key.Key_C)
    claims = q.spans(desk.store, ("claim",))
    got = {(c.article_id, c.text) for c in claims}
    assert got == {(seed_ids["001"], "$239 million"), (seed_ids["003"], "$250 million")}
    for c in claims:
        assert desk.store.articles.text(c.article_id)[c.start : c.end] == c.text
    assert next(c for c in claims if c.article_id == seed_ids["003"]).start == text_003.index("$250 million")
    assert "Tagged as claim" in window.status.text()
    press(qtbot, window.table, Qt.Key.Key_C)  # again: no second claim on the same text
    assert len(q.spans(desk.store, ("claim",))) == 2
    assert window.status.text() == "Already tagged as a claim in every article: nothing added."
    qtbot.keyClick(window.table, Qt.Key.Key_Z, Qt.KeyboardModifier.ControlModifier)
    assert q.spans(desk.store, ("claim",)) == []
    qtbot.keyClick(window.table, Qt.Key.Key_Z, Qt.KeyboardModifier.ControlModifier | Qt.KeyboardModifier.ShiftModifier)
    assert {(c.article_id, c.text) for c in q.spans(desk.store, ("claim",))} == got


def _tag(store: Any, article_id: int, phrase: str, label: str, nth: int = 0) -> str:
    text = store.articles.text(article_id)
    start = -1
    for _ in range(nth + 1):
        start = text.index(phrase, start + 1)
    row = ann.build_annotation(store, article_id, start, start + len(phrase), label, annotator="Tester")
    ops.run(store, ops.CreateAnnotation(row, "Tester"))
    return str(row.id)


def test_timeline_in_date_order_flags_the_planted_date_and_enter_opens_the_span(qtbot: Any, desk: Any) -> None:
    store = desk.store
    seed_ids = ids_by_seed(store)
    plan = "Action Plan of Cooperation"
    in_004 = _tag(store, seed_ids["004"], plan, "agreement")  # "on Tuesday signed the ..." -> 9 September
    in_003 = _tag(store, seed_ids["003"], plan, "agreement")  # planted: "signed on 8 September 2025"
    _tag(store, seed_ids["001"], "the first such visit since 2003", "claim")
    _tag(store, seed_ids["003"], "recognise Kazakhstan’s independence in December 1991", "claim")
    desk.annotating.open_annotation(seed_ids["001"], "")
    active(qtbot, desk)
    qtbot.keyClick(desk.reader, Qt.Key.Key_T, Qt.KeyboardModifier.ControlModifier | Qt.KeyboardModifier.ShiftModifier)
    window = desk.crossoutlet.timeline_window
    assert window is not None and window.isVisible()
    active(qtbot, window)
    # the articles published a month either side of the open one (9 September 2025)
    assert (window.date_from.text(), window.date_to.text()) == ("2025-08-10", "2025-10-09")
    table = window.table
    listed = [tuple(table.item(r, c).text() for c in (0, 3, 4, 5, 6)) for r in range(table.rowCount())]
    assert listed == [
        (
            "1991-12-01",
            f"#{seed_ids['003']}",
            "recognise Kazakhstan’s independence in December 1991",
            "in December 1991",
            "",
        ),
        ("2025-09-08", f"#{seed_ids['003']}", plan, "8 September 2025", "⚠ also 2025-09-09"),
        ("2025-09-09", f"#{seed_ids['004']}", plan, "on Tuesday", "⚠ also 2025-09-08"),
        ("2025-11-01", f"#{seed_ids['001']}", "the first such visit since 2003", "in November 2025", ""),
    ]
    assert window.conflicts.count() == 1 and window.conflicts.item(0).text().startswith(f"⚠ {plan}: 2025-09-08 in #")
    table.setFocus()
    press(qtbot, table, Qt.Key.Key_F8)
    assert table.currentRow() == 1
    press(qtbot, table, Qt.Key.Key_F8)
    assert table.currentRow() == 2
    press(qtbot, table, Qt.Key.Key_Down, Qt.Key.Key_Up, Qt.Key.Key_Up)
    assert table.currentRow() == 1
    press(qtbot, table, Qt.Key.Key_Return)
    qtbot.waitUntil(lambda: desk.article_id == seed_ids["003"], timeout=3000)
    assert desk.annotations.current().id == in_003 != in_004
    text_003 = store.articles.text(seed_ids["003"])
    at = text_003.index(plan, text_003.index("Officials said the"))  # the planted sentence's span
    assert desk.reader.selected_span() == (at, at)  # the caret sits at the span, which is in view
    qtbot.waitUntil(lambda: QApplication.focusWidget() is desk.reader, timeout=3000)  # the desk is in front


def test_timeline_dates_narrow_it_and_a_bad_date_is_one_sentence(qtbot: Any, desk: Any) -> None:
    seed_ids = ids_by_seed(desk.store)
    _tag(desk.store, seed_ids["004"], "Action Plan of Cooperation", "agreement")
    window = desk.crossoutlet.show_timeline()
    active(qtbot, window)
    window.date_from.clear()
    window.date_to.clear()
    qtbot.keyClick(window.date_from, Qt.Key.Key_Return)
    assert window.table.rowCount() == 1 and window.summary.text().startswith("1 entry from 1 article · 0 events")
    qtbot.keyClicks(window.date_from, "2025-09-10")
    qtbot.keyClick(window.date_from, Qt.Key.Key_Return)
    assert window.table.rowCount() == 0
    assert window.summary.text().startswith("No claims or agreements in these articles")
    window.date_from.clear()
    qtbot.keyClicks(window.date_from, "soon")
    qtbot.keyClick(window.date_from, Qt.Key.Key_Return)
    assert window.date_error.isVisible() and window.date_error.text().startswith("From date: 'soon' is not a date")
