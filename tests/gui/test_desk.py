"""The annotation desk driven through its real widgets, on a real SQLite file."""

from __future__ import annotations

import sqlite3
from pathlib import Path
from typing import Any

import pytest
from PySide6.QtCore import QPoint, Qt
from PySide6.QtGui import QAction, QTextCursor
from PySide6.QtWidgets import QAbstractItemView, QApplication, QLineEdit, QPlainTextEdit

from kzpk_desktop.core.exporters.options import ExportOptions, ExportRequest
from kzpk_desktop.core.rows import Label
from kzpk_desktop.core.store import Store
from tests.gui.conftest import Answers

OBJECT_NAMES = (
    "actionTagClaim",
    "actionTagActor",
    "actionTagAgreement",
    "actionDeleteAnnotation",
    "actionUndo",
    "actionRedo",
    "actionExport",
)


def rows(db: Path) -> list[tuple[Any, ...]]:
    with sqlite3.connect(db) as conn:
        return conn.execute(
            'SELECT article_id, start, "end", label, text, annotator FROM annotations ORDER BY created_at'
        ).fetchall()


def open_article(window: Any, file_prefix: str) -> int:
    aid = window.store.conn.execute("SELECT id FROM articles WHERE file_name LIKE ?", (file_prefix + "%",)).fetchone()[
        0
    ]
    assert window.articles.select_article(aid)
    assert window.article_id == aid
    return aid


def select_utf16(reader: QPlainTextEdit, start16: int, end16: int) -> str:
    """Select through the real text cursor in Qt's own (UTF-16) positions."""
    cursor = reader.textCursor()
    cursor.setPosition(start16)
    cursor.setPosition(end16, QTextCursor.MoveMode.KeepAnchor)
    reader.setTextCursor(cursor)
    return cursor.selectedText()


def u16(text: str) -> int:
    return len(text.encode("utf-16-le")) // 2


def action(window: Any, name: str) -> QAction:
    found = window.findChild(QAction, name)
    assert found is not None, name
    return found


def test_contract_object_names_and_the_first_article_is_open(window: Any) -> None:
    assert isinstance(window.findChild(QAbstractItemView, "articleList"), QAbstractItemView)
    assert isinstance(window.findChild(QPlainTextEdit, "articleText"), QPlainTextEdit)
    assert isinstance(window.findChild(QAbstractItemView, "annotationList"), QAbstractItemView)
    assert isinstance(window.findChild(QLineEdit, "searchBox"), QLineEdit)
    for name in OBJECT_NAMES:
        action(window, name)
    assert window.article_model.rowCount() == 10
    # toPlainText() folds U+00A0 (the seeds have one); the raw document must equal the stored text.
    raw = window.reader.document().toRawText().replace("\u2029", "\n")
    assert raw == window.store.articles.text(window.article_id)
    assert "\u00a0" in raw
    assert window.reader.isReadOnly()


def test_models_pass_the_qt_model_tester(window: Any, qtmodeltester: Any) -> None:
    qtmodeltester.check(window.article_model)
    open_article(window, "001")
    text = window.reader.text()
    i = text.index("Murat Nurtleu")
    window.reader.select_span(i, i + 13)
    action(window, "actionTagActor").trigger()
    qtmodeltester.check(window.annotations.model)


@pytest.mark.parametrize(
    ("action_name", "label"),
    [("actionTagClaim", "claim"), ("actionTagActor", "actor"), ("actionTagAgreement", "agreement")],
)
def test_each_tag_action_saves_the_selection_at_once(
    window: Any, seeded_db: Path, action_name: str, label: str
) -> None:
    aid = open_article(window, "001")
    text = window.reader.text()
    i = text.index("Action Plan of Cooperation")
    selected = select_utf16(window.reader, u16(text[:i]), u16(text[: i + 26]))
    action(window, action_name).trigger()
    saved = rows(seeded_db)
    assert saved == [(aid, i, i + 26, label, selected, window.annotator)]
    assert window.annotations.model.rowCount() == 1
    assert "Saved" in window.saved_label.text()


def test_emoji_and_crlf_article_saves_exactly_the_selected_text(window: Any, seeded_db: Path) -> None:
    aid = open_article(window, "crlf_emoji")
    text = window.reader.text()
    assert "\r" not in text
    start = text.index("👍🏽")
    end = text.index("landed") + len("landed")
    selected = select_utf16(window.reader, u16(text[:start]), u16(text[:end]))
    action(window, "actionTagClaim").trigger()
    (row,) = rows(seeded_db)
    assert row[:5] == (aid, start, end, "claim", text[start:end])
    assert row[4] == selected.replace("\u2029", "\n")
    # A later span on the next line: the CRLF was stored as one "\n", offsets stay exact.
    s2 = text.index("Families")
    select_utf16(window.reader, u16(text[:s2]), u16(text[: s2 + len("Families 👨‍👩‍👧")]))
    action(window, "actionTagActor").trigger()
    second = rows(seeded_db)[1]
    assert second[4] == "Families 👨‍👩‍👧" == text[second[1] : second[2]]


@pytest.mark.parametrize(
    ("prefix", "needle"),
    [("urdu", "اسحاق ڈار"), ("kazakh", "Мұрат Нұртілеу"), ("combining_nfd", "Te\u0302te-a\u0300-te\u0302te")],
)
def test_scripts_and_combining_marks_keep_offsets(window: Any, seeded_db: Path, prefix: str, needle: str) -> None:
    open_article(window, prefix)
    text = window.reader.text()
    i = text.index(needle)
    select_utf16(window.reader, u16(text[:i]), u16(text[: i + len(needle)]))
    action(window, "actionTagActor").trigger()
    (row,) = rows(seeded_db)
    assert row[4] == needle == text[row[1] : row[2]]


def test_half_an_emoji_never_gets_saved(window: Any, seeded_db: Path) -> None:
    window.registry["actionSnapWords"].setChecked(False)
    open_article(window, "crlf_emoji")
    text = window.reader.text()
    i = text.index("🛫")
    select_utf16(window.reader, u16(text[:i]) + 1, u16(text[:i]) + 2)  # the low surrogate alone
    action(window, "actionTagClaim").trigger()
    assert rows(seeded_db) == []


def test_keyboard_shortcuts_tag_only_in_the_reader(window: Any, qtbot: Any, seeded_db: Path) -> None:
    open_article(window, "001")
    text = window.reader.text()
    i = text.index("Murat Nurtleu")
    window.reader.select_span(i, i + 13)
    window.reader.setFocus()
    qtbot.keyClick(window.reader, Qt.Key.Key_2)
    assert rows(seeded_db)[-1][3:5] == ("actor", "Murat Nurtleu")
    j = text.index("Shafqat Ali Khan")
    window.reader.select_span(j, j + 16)
    qtbot.keyClick(window.reader, Qt.Key.Key_A)
    assert rows(seeded_db)[-1][3:5] == ("actor", "Shafqat Ali Khan")
    window.articles.search.setFocus()
    qtbot.keyClicks(window.articles.search, "23")  # typing digits in the search box tags nothing
    assert len(rows(seeded_db)) == 2


def test_snap_to_words_trims_and_widens(window: Any, seeded_db: Path) -> None:
    assert window.registry["actionSnapWords"].isChecked()
    open_article(window, "001")
    text = window.reader.text()
    i = text.index("Ishaq Dar on Tuesday")
    window.reader.select_span(i - 1, i + 7)  # " Ishaq D"
    action(window, "actionTagActor").trigger()
    assert rows(seeded_db)[-1][4] == "Ishaq Dar"


def test_undo_redo_and_delete_round_trip_through_the_database(window: Any, seeded_db: Path) -> None:
    open_article(window, "001")
    text = window.reader.text()
    i = text.index("Murat Nurtleu")
    window.reader.select_span(i, i + 13)
    action(window, "actionTagActor").trigger()
    assert len(rows(seeded_db)) == 1
    action(window, "actionUndo").trigger()
    assert rows(seeded_db) == [] and window.annotations.model.rowCount() == 0
    action(window, "actionRedo").trigger()
    assert len(rows(seeded_db)) == 1 and window.annotations.model.rowCount() == 1
    window.annotations.view.selectRow(0)
    assert window.registry["actionDeleteAnnotation"].isEnabled()
    action(window, "actionDeleteAnnotation").trigger()
    assert rows(seeded_db) == []
    action(window, "actionUndo").trigger()
    assert [r[4] for r in rows(seeded_db)] == ["Murat Nurtleu"]
    with sqlite3.connect(seeded_db) as conn:
        actions = [
            (a, e) for (a, e) in conn.execute("SELECT action, entity FROM changes WHERE action != 'import' ORDER BY id")
        ]
    # undoing the article's first span also puts its progress back to "not started"
    assert actions == [
        ("create", "annotation"),
        ("delete", "annotation"),
        ("update", "article"),
        ("create", "annotation"),
        ("delete", "annotation"),
        ("create", "annotation"),
    ]


def test_delete_key_in_the_annotation_list(window: Any, qtbot: Any, seeded_db: Path) -> None:
    open_article(window, "001")
    window.reader.select_span(0, 20)
    action(window, "actionTagClaim").trigger()
    window.annotations.view.setFocus()
    window.annotations.view.selectRow(0)
    qtbot.keyClick(window.annotations.view, Qt.Key.Key_Delete)
    assert rows(seeded_db) == []


def test_overlapping_spans_are_saved_and_drawn_distinctly(window: Any, seeded_db: Path) -> None:
    window.registry["actionSnapWords"].setChecked(False)
    open_article(window, "001")
    text = window.reader.text()
    i = text.index("A key outcome of the talks")
    claim_end = text.index("Kazakhstan.", i) + len("Kazakhstan.")
    j = text.index("Action Plan of Cooperation", i)
    window.reader.select_span(i, claim_end)
    action(window, "actionTagClaim").trigger()
    window.reader.select_span(j, j + 26)
    action(window, "actionTagAgreement").trigger()
    assert [r[3] for r in rows(seeded_db)] == ["claim", "agreement"]
    doc = window.reader.document()

    def fmt_at(cp: int) -> Any:
        c = QTextCursor(doc)
        c.setPosition(cp + 1)  # formats belong to the character before the cursor
        return c.charFormat()

    alone, both = fmt_at(i + 2), fmt_at(j + 2)
    assert alone.background().color().alpha() > 0 and not alone.fontUnderline()
    assert both.fontUnderline() and both.background().color() != alone.background().color()
    assert fmt_at(claim_end + 3).background().style() == Qt.BrushStyle.NoBrush
    # removing the inner span repaints only its range, back to the single-label format
    window.annotations.select(rows_by_label(window, "agreement"))
    action(window, "actionDeleteAnnotation").trigger()
    assert fmt_at(j + 2).background().color() == alone.background().color()
    assert not fmt_at(j + 2).fontUnderline()


def rows_by_label(window: Any, label: str) -> str:
    return next(r.id for r in window.annotations.model.rows() if r.label == label)


def test_clicking_a_highlight_selects_its_annotation(window: Any, qtbot: Any) -> None:
    open_article(window, "001")
    text = window.reader.text()
    i = text.index("Mohammad Ishaq Dar")
    window.reader.select_span(i, i + 18)
    action(window, "actionTagActor").trigger()
    window.reader.select_span(0, 5)
    action(window, "actionTagClaim").trigger()
    window.annotations.view.clearSelection()
    c = QTextCursor(window.reader.document())
    c.setPosition(i + 4)
    point = window.reader.cursorRect(c).center() + QPoint(2, 0)
    qtbot.mouseClick(window.reader.viewport(), Qt.MouseButton.LeftButton, pos=point)
    assert window.annotations.current().text == "Mohammad Ishaq Dar"
    assert window.reader.annotations_at(i + 4)[0].text == "Mohammad Ishaq Dar"


def test_editing_label_status_and_note_is_saved_and_undoable(window: Any, seeded_db: Path) -> None:
    open_article(window, "001")
    window.reader.select_span(10, 30)
    action(window, "actionTagClaim").trigger()
    window.annotations.view.selectRow(0)
    panel = window.annotations
    panel.status_box.setCurrentIndex(panel.status_box.findData("needs_work"))
    panel.status_box.activated.emit(panel.status_box.currentIndex())
    panel.note_edit.setText("verify with MoFA")
    panel.note_edit.editingFinished.emit()
    with sqlite3.connect(seeded_db) as conn:
        assert conn.execute("SELECT status, note FROM annotations").fetchone() == ("needs_work", "verify with MoFA")
    action(window, "actionUndo").trigger()
    action(window, "actionUndo").trigger()
    with sqlite3.connect(seeded_db) as conn:
        assert conn.execute("SELECT status, note FROM annotations").fetchone() == ("unreviewed", "")


def test_search_and_filters_narrow_the_article_list(window: Any, qtbot: Any) -> None:
    model = window.article_model
    qtbot.keyClicks(window.articles.search, "Kosanov")
    qtbot.waitUntil(lambda: model.rowCount() == 1, timeout=3000)
    assert "defence ties" in model.index(0, 2).data()
    window.articles.search.clear()
    qtbot.waitUntil(lambda: model.rowCount() == 10, timeout=3000)
    window.articles.date_from.setText("2025-01-01")
    window.articles.date_to.setText("2025-12-31")
    qtbot.waitUntil(lambda: model.rowCount() == 3, timeout=3000)
    window.articles.date_from.clear()
    window.articles.date_to.clear()
    qtbot.waitUntil(lambda: model.rowCount() == 10, timeout=3000)
    open_article(window, "002")
    window.reader.select_span(0, 9)
    action(window, "actionTagActor").trigger()
    status = window.articles.status
    status.setCurrentIndex(status.findData("in_progress"))
    assert model.rowCount() == 1 and model.index(0, 4).data() == "In progress"
    assert model.index(0, 3).data() == 1


def test_sorting_by_title_and_by_count(window: Any) -> None:
    view = window.articles.view
    view.sortByColumn(2, Qt.SortOrder.AscendingOrder)
    titles = [window.article_model.index(r, 2).data() for r in range(window.article_model.rowCount())]
    assert titles == sorted(titles, key=str.casefold)
    view.sortByColumn(0, Qt.SortOrder.AscendingOrder)
    dates = [window.article_model.index(r, 0).data() for r in range(window.article_model.rowCount())]
    assert dates[0] == "" or dates[0] <= dates[-1]


def test_html_in_articles_is_shown_as_literal_text(window: Any) -> None:
    open_article(window, "html_script")
    assert "<script>alert('x')</script>" in window.reader.toPlainText()
    assert window.header_title.textFormat() == Qt.TextFormat.PlainText


def test_corrupt_database_shows_an_error_instead_of_crashing(qtbot: Any, tmp_path: Path, answers: Answers) -> None:
    from kzpk_desktop.app import create_main_window

    bad = tmp_path / "corrupt.db"
    bad.write_bytes(b"SQLite format 3\x00" + b"\xde\xad\xbe\xef" * 2000)
    w = create_main_window(bad)
    qtbot.addWidget(w)
    assert answers.errors and "corrupt.db" in answers.errors[0]
    assert w.store is None and w.article_model.rowCount() == 0
    assert not w.registry["actionImport"].isEnabled()
    w.close()


def test_open_database_switches_and_remembers_it(window: Any, tmp_path: Path, answers: Answers) -> None:
    other = tmp_path / "other.db"
    assert window.db.open_database(other)
    assert window.article_model.rowCount() == 0 and window.store.path == other
    assert str(other.resolve()) in window.settings.value("recent")
    assert window.settings.value("last_db") == str(other.resolve())
    assert not window.db.open_database(tmp_path)  # a folder
    assert answers.errors


def test_layout_is_remembered(qtbot: Any, seeded_db: Path, answers: Answers) -> None:
    from kzpk_desktop.app import create_main_window

    w = create_main_window(seeded_db)
    qtbot.addWidget(w)
    w.show()
    qtbot.waitExposed(w)
    w.resize(760, 540)
    w.splitter.setSizes([250, 300, 200])
    sizes = w.splitter.sizes()
    w.close()
    w2 = create_main_window(seeded_db)
    qtbot.addWidget(w2)
    w2.show()
    qtbot.waitExposed(w2)
    assert (w2.width(), w2.height()) == (760, 540)
    assert w2.splitter.sizes() == sizes
    w2.close()


def _import_in_the_background(window: Any, qtbot: Any, folder: Path) -> Any:
    """Import ``folder`` through the desk's background job; the report window it opens."""
    from kzpk_desktop.gui.import_report import ImportReportDialog

    job = window.transfer.import_paths([str(folder)])
    with qtbot.waitSignal(job.succeeded, timeout=20000):
        pass
    qtbot.waitUntil(lambda: bool(window.findChildren(ImportReportDialog)), timeout=5000)
    return window.findChildren(ImportReportDialog)[0]


def test_import_runs_in_the_background_and_reports_refusals(
    window: Any, qtbot: Any, data_dir: Path, answers: Answers
) -> None:
    dialog = _import_in_the_background(window, qtbot, data_dir)
    assert dialog.isVisible() and answers.infos == []
    assert "refused" in dialog.summary.text() and "duplicates skipped" in dialog.summary.text()
    rows = {Path(name).name: (outcome, detail) for name, outcome, detail in dialog.rows()}
    assert rows["empty.txt"] == ("Refused", "the file is empty")
    assert len(rows) == len(window.transfer.last_import.results) == len(list(data_dir.iterdir()))
    assert window.article_model.rowCount() == 10 + len(window.transfer.last_import.imported)
    assert len(window.transfer.last_import.imported) == 7  # the 5 already in the desk are duplicates


def test_ctrl_z_takes_back_an_import_and_ctrl_shift_z_brings_it_back(
    window: Any, qtbot: Any, data_dir: Path, answers: Answers
) -> None:
    report = _import_in_the_background(window, qtbot, data_dir)
    qtbot.keyClick(report, Qt.Key.Key_Escape)  # read, closed: back to the desk
    added = [article_id for _name, article_id in window.transfer.last_import.imported]
    assert window.article_model.rowCount() == 10 + len(added) == 17
    assert window.registry["actionUndo"].text() == "&Undo Import 7 articles"
    window.annotating.open_article(added[0])
    assert window.article_id == added[0] and window.reader.text()
    window.activateWindow()
    qtbot.waitUntil(lambda: QApplication.activeWindow() is window, timeout=5000)
    ctrl = Qt.KeyboardModifier.ControlModifier
    qtbot.keyClick(window.reader, Qt.Key.Key_Z, ctrl)
    assert window.article_model.rowCount() == 10
    assert window.article_id is None and window.reader.text() == ""  # it went with its import
    other = Store.open(window.store.path)  # another connection sees it saved
    assert other.articles.count() == 10
    other.close()
    qtbot.keyClick(window.articles.view, Qt.Key.Key_Z, ctrl | Qt.KeyboardModifier.ShiftModifier)
    assert window.article_model.rowCount() == 17
    assert sorted(window.article_model.row_of(a) is not None for a in added) == [True] * 7
    assert answers.errors == []


def test_export_from_the_gui_writes_the_csv_atomically(window: Any, qtbot: Any, tmp_path: Path) -> None:
    open_article(window, "001")
    window.reader.select_span(0, 20)
    action(window, "actionTagClaim").trigger()
    out = tmp_path / "gui.csv"
    job = window.transfer.export(ExportRequest("csv", str(out), options=ExportOptions(bom=True)))
    with qtbot.waitSignal(job.succeeded, timeout=20000):
        pass
    assert out.read_bytes().startswith(b"\xef\xbb\xbfannotation_id,")
    assert window.transfer.last_export == (str(out), 1)


def test_add_label_creates_a_tag_action_with_its_key(window: Any, qtbot: Any, seeded_db: Path) -> None:
    window.annotating.add_label(Label("statistic", "Statistic", "#B07CD8", "4", None, "A number"))
    act = action(window, "actionTagStatistic")
    assert act.shortcut().toString() == "4"
    open_article(window, "004")
    text = window.reader.text()
    i = text.index("$239 million")
    window.reader.select_span(i, i + 12)
    window.reader.setFocus()
    qtbot.keyClick(window.reader, Qt.Key.Key_4)
    assert rows(seeded_db)[-1][3:5] == ("statistic", "$239 million")
    assert Store.open(seeded_db).labels.all()[-1].id == "statistic"


def test_status_bar_shows_position_counts_and_saved_state(window: Any) -> None:
    open_article(window, "001")
    window.reader.select_span(0, 20)
    action(window, "actionTagClaim").trigger()
    row = window.article_model.row_of(window.article_id)
    assert window.position_label.text() == f"Article {row + 1} of 10"
    assert window.counts_label.text() == "1 here · 1 in corpus"
    assert window.saved_label.text().startswith("✓ Saved")


def test_hovering_shows_every_annotation_there_escaped(window: Any) -> None:
    window.registry["actionSnapWords"].setChecked(False)
    open_article(window, "001")
    text = window.reader.text()
    i = text.index("Action Plan of Cooperation between")
    window.reader.select_span(i, i + 60)
    action(window, "actionTagClaim").trigger()
    window.reader.select_span(i, i + 26)
    action(window, "actionTagAgreement").trigger()
    window.annotating.edit_annotation(rows_by_label(window, "agreement"), {"note": "<script>x</script>"})
    tip = window.reader.tooltip_at(i + 3)
    assert tip.index("Agreement") < tip.index("Claim")  # innermost first
    assert "&lt;script&gt;" in tip and "<script>" not in tip
    assert window.reader.tooltip_at(0) == ""


def test_first_run_welcomes_once_and_asks_for_the_name(window: Any, answers: Answers) -> None:
    window.settings.remove("welcomed")
    window.settings.remove("annotator")
    answers.name = "Aigerim S."
    window.help.first_run()
    assert len(answers.infos) == 1 and "Claim" in answers.infos[0][0] and "Ctrl+R" in answers.infos[0][0]
    assert window.annotator == "Aigerim S."
    window.help.first_run()
    assert len(answers.infos) == 1  # once only


def test_help_menu_offers_the_keyboard_map_and_the_user_guide(window: Any) -> None:
    from kzpk_desktop.core.paths import docs_dir

    for name in ("actionShortcuts", "actionUserGuide", "actionWelcome", "actionAbout"):
        action(window, name)
    assert (docs_dir() / "user-guide.md").exists()
    shortcuts = [a.shortcut().toString() for a in window.registry.tag_actions.values()]
    assert shortcuts == ["1", "2", "3"]
