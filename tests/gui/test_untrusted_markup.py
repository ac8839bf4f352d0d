"""Untrusted text (titles, notes, names, quotes, URLs, labels, history) is never rendered as markup.

Markup is planted in every text field of every table; every view is opened, every tooltip
asked for and shown, and every QLabel holding the text inspected. The ``<img>`` points at
a named pipe: a watcher process notices if anything opens it for reading (and lets the
reader go at once, so a regression fails instead of freezing).
"""

from __future__ import annotations

import os
import sqlite3
import subprocess
import sys
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest
from PySide6.QtCore import QPoint, Qt, QTimer
from PySide6.QtGui import QAction, QTextDocument
from PySide6.QtGui import Qt as GuiQt
from PySide6.QtWidgets import QApplication, QDialog, QLabel, QMessageBox, QToolTip

from kzpk_desktop.core import entities as ent
from kzpk_desktop.core import review as rv
from kzpk_desktop.core.importer import import_paths
from kzpk_desktop.core.rows import Label
from kzpk_desktop.core.store import Store
from tests.conftest import SEEDS
from tests.gui.conftest import Answers

BOLD = "<b>bold</b>"


WATCHER = r"""
import errno, os, sys, time
fifo, log = sys.argv[1], sys.argv[2]
while True:
    try:
        fd = os.open(fifo, os.O_WRONLY | os.O_NONBLOCK)
    except OSError as err:
        if err.errno != errno.ENXIO:
            raise
        time.sleep(0.002)
        continue
    with open(log, "a") as f:
        f.write("opened\n")
    os.close(fd)  # the reader sees end of file at once
    time.sleep(0.01)
"""


class PipeWatch:
    """Records whether anyone opened ``path`` (a FIFO) for reading.

    The watcher is a separate process: a reader blocked in open() inside Qt may hold the
    GIL, and the watcher is what releases it.
    """

    def __init__(self, path: Path) -> None:
        os.mkfifo(path)
        self.path, self._log = path, path.with_suffix(".log")
        self._proc = subprocess.Popen([sys.executable, "-c", WATCHER, str(path), str(self._log)])

    @property
    def opened(self) -> int:
        return len(self._log.read_text().splitlines()) if self._log.exists() else 0

    def stop(self) -> None:
        self._proc.kill()
        self._proc.wait(5)


@pytest.fixture
def pipe(tmp_path: Path) -> Iterator[PipeWatch]:
    watch = PipeWatch(tmp_path / "image.fifo")
    yield watch
    watch.stop()


@pytest.fixture
def payload(pipe: PipeWatch) -> str:
    return f"<img src={pipe.path}> {BOLD} <a href=file:///etc/passwd>x</a> &amp; <i>it</i>"


def shown_as(tip: str) -> str:
    """What a tooltip shows: Qt renders it as rich text when it looks like markup."""
    if not GuiQt.mightBeRichText(tip):
        return tip
    doc = QTextDocument()
    doc.setHtml(tip)
    return doc.toPlainText()


def assert_literal_tip(tip: str, payload: str) -> None:
    assert BOLD not in tip and "<img" not in tip, tip
    assert payload in shown_as(tip), (tip, shown_as(tip))


@pytest.fixture
def planted_db(tmp_path: Path, payload: str) -> Path:
    """The seed corpus plus one article whose every text field holds markup."""
    src = tmp_path / "src"
    src.mkdir()
    (src / "markup.txt").write_text(
        f"Plain heading\n\nThe minister said {payload} in Astana today.\n", encoding="utf-8"
    )
    path = tmp_path / "markup.db"
    store = Store.open(path)
    import_paths(store, [SEEDS, src])
    store.labels.add(Label("evil", payload, "#123456", "4", None, payload))
    store.close()
    with sqlite3.connect(path) as conn:  # a hostile import: title, source and file name
        conn.execute(
            "UPDATE articles SET title = ?, source = ?, file_name = ? WHERE file_name = 'markup.txt'",
            (f"Title {payload}", f"Source {payload}", f"{payload}.txt"),
        )
    return path


def plant_through_the_app(window: Any, payload: str) -> dict[str, Any]:
    """Spans, a note, an entity with aliases and notes, evidence and a review, all holding markup."""
    store = window.store
    aid = store.conn.execute("SELECT id FROM articles WHERE title LIKE 'Title %'").fetchone()[0]
    assert window.articles.select_article(aid)
    window.annotator = f"Annotator {payload}"
    text = window.reader.text()
    start = text.index(payload)
    window.reader.select_span(start, start + len(payload))
    window.registry["actionSnapWords"].setChecked(False)
    assert window.annotating.tag_selection("claim")
    claim = window.annotations.current_id()
    assert window.annotating.edit_annotation(claim, {"note": f"Note {payload}"})
    window.reader.select_span(start, start + len(payload))
    assert window.annotating.tag_selection("actor")
    actor = window.annotations.current_id()
    eid = ent.create_entity(
        store, "actor", f"Name {payload}", aliases=[f"Alias {payload}"], notes=f"Notes {payload}", who=window.annotator
    )
    assert window.annotating.edit_annotation(actor, {"entity_id": eid})
    rv.decide(
        store,
        None,
        claim,
        rv.Decision(
            "accepted",
            "false",
            "high",
            [rv.Evidence("https://example.org/<b>bold</b>&amp;", f"Quote {payload}", "refutes", f"Evidence {payload}")],
        ),
        window.annotator,
    )
    bold = text.index(BOLD)
    window.reader.select_span(bold, bold + len(BOLD))
    assert window.annotating.tag_selection("evil")  # the undo text quotes the span: "Tag evil “<b>bold</b>”"
    window.annotating.open_article(aid)
    return {"article": aid, "claim": claim, "actor": actor, "entity": eid, "start": start}


@pytest.fixture
def planted(qtbot: Any, planted_db: Path, answers: Answers, payload: str) -> Iterator[tuple[Any, dict[str, Any]]]:
    from kzpk_desktop.app import create_main_window

    window = create_main_window(planted_db)
    qtbot.addWidget(window)
    window.show()
    qtbot.waitExposed(window)
    ids = plant_through_the_app(window, payload)
    yield window, ids
    window.close()


def show_tip(qtbot: Any, tip: str, widget: Any) -> None:
    QToolTip.showText(widget.mapToGlobal(QPoint(5, 5)), tip, widget)
    qtbot.wait(30)  # the tip label lays out (and would load images) on show
    QToolTip.hideText()


def assert_no_label_renders_markup() -> list[str]:
    """Every QLabel anywhere that holds planted markup shows it as plain text."""
    holding = [w for w in QApplication.allWidgets() if isinstance(w, QLabel) and BOLD in w.text()]
    rich = [w.objectName() or w.text()[:40] for w in holding if w.textFormat() != Qt.TextFormat.PlainText]
    assert rich == []
    return [w.objectName() for w in holding]


def test_every_view_shows_planted_markup_as_text(
    planted: tuple[Any, dict[str, Any]], qtbot: Any, payload: str, pipe: PipeWatch
) -> None:
    window, ids = planted
    tips: list[str] = []
    # the article list: every cell's tooltip
    model = window.article_model
    row = model.row_of(ids["article"])
    for col in range(model.columnCount()):
        tip = model.index(row, col).data(Qt.ItemDataRole.ToolTipRole)
        if tip:
            tips.append(tip)
    assert_literal_tip(model.index(row, 2).data(Qt.ItemDataRole.ToolTipRole), f"Title {payload}")
    assert_literal_tip(model.index(row, 1).data(Qt.ItemDataRole.ToolTipRole), f"Source {payload}")
    # the annotation list: every row's tooltip (quote, label name, note)
    amodel = window.annotations.model
    for r in range(amodel.rowCount()):
        tips.extend(
            t for c in range(amodel.columnCount()) if (t := amodel.index(r, c).data(Qt.ItemDataRole.ToolTipRole))
        )
    claim_tip = amodel.index(amodel.row_of(ids["claim"]), 1).data(Qt.ItemDataRole.ToolTipRole)
    assert_literal_tip(claim_tip, f"Note {payload}")
    assert payload in shown_as(claim_tip)
    # the reader's hover tooltip
    reader_tip = window.reader.tooltip_at(ids["start"] + 3)
    assert_literal_tip(reader_tip, f"Note {payload}")
    assert f"{payload}" in shown_as(reader_tip)  # the label's name, the quote
    tips.append(reader_tip)
    # the tag action for the label named with markup (toolbar tooltip)
    evil = window.findChild(QAction, "actionTagEvil")
    assert_literal_tip(evil.toolTip(), f"Tag the selection as {payload}")
    tips.append(evil.toolTip())
    undo = window.findChild(QAction, "actionUndo")  # its toolbar button shows the undo text
    assert_literal_tip(undo.toolTip(), f"Undo Tag evil “{BOLD}”")
    tips.append(undo.toolTip())
    # the annotation panel's form: quote, meta line (annotator), links
    window.annotations.select(ids["claim"])
    window.annotations.select(ids["actor"])
    # the entity browser: tree tooltips, mentions
    window.entity_browser.show()
    window.entity_browser.reload()
    assert window.entity_browser.select_entity(ids["entity"])
    item = window.entity_browser.tree.currentItem()
    assert_literal_tip(item.toolTip(0), f"Aliases: Alias {payload}")
    tips.append(item.toolTip(0))
    # dialogs that quote stored text
    from kzpk_desktop.gui.entity_browser import EntityDialog
    from kzpk_desktop.gui.history import HistoryDialog
    from kzpk_desktop.gui.summary import SummaryDialog

    dialogs: list[QDialog] = [
        EntityDialog(window.store, ids["entity"], window),
        HistoryDialog(window.store, ids["claim"], window),
        SummaryDialog(window.store, window),
    ]
    review = window.review.start_review_session(rv.Scope(label=None, only_unreviewed=False))
    assert review is not None
    dialogs.append(review)
    for d in dialogs:
        d.show()
        qtbot.waitExposed(d)
    for tip in tips:
        show_tip(qtbot, tip, window.reader)
    qtbot.wait(50)
    holding = assert_no_label_renders_markup()
    assert {"articleTitle", "articleMeta", "annotationQuote", "annotationMeta", "reviewSource", "reviewStatus"} <= set(
        holding
    )
    assert review.source.text().startswith(f"Title {payload} · Source {payload}")
    assert (
        window.findChild(QLabel, "annotationMeta").text().endswith("UTC")
        and f"by Annotator {payload}" in window.findChild(QLabel, "annotationMeta").text()
    )
    for d in dialogs:
        d.close()
    assert pipe.opened == 0


def test_message_boxes_and_questions_show_stored_text_plainly(
    qtbot: Any, monkeypatch: pytest.MonkeyPatch, payload: str, pipe: PipeWatch
) -> None:
    from kzpk_desktop.gui.ask import Ask

    seen: list[list[tuple[str, Qt.TextFormat]]] = []

    def fake_exec(dialog: QDialog) -> int:
        dialog.show()
        qtbot.waitExposed(dialog)
        qtbot.wait(20)
        seen.append([(lab.text(), lab.textFormat()) for lab in dialog.findChildren(QLabel) if BOLD in lab.text()])
        dialog.reject()
        return 0

    monkeypatch.setattr(QDialog, "exec", fake_exec)
    monkeypatch.setattr(QMessageBox, "exec", fake_exec)
    stuck: list[str] = []  # a modal loop run inside Qt (a static helper) is closed, and counted

    def close_stuck_modal() -> None:
        modal = QApplication.activeModalWidget()
        if modal is not None:
            stuck.append(type(modal).__name__)
            modal.close()

    timer = QTimer(interval=200)
    timer.timeout.connect(close_stuck_modal)
    timer.start()
    real = Ask()
    real.error(None, "Error", f"Cannot open {payload}")
    real.info(None, "Info", f"Imported {payload}")
    real.confirm(None, "Merge", f"Fold {payload}?")
    real.choose(None, "Merge", f"Merge into {payload}:", [payload])
    real.text(None, "Name", f"Who is {payload}?", payload)
    timer.stop()
    assert stuck == [] and len(seen) == 5
    assert [fmt for box in seen for _, fmt in box] == [Qt.TextFormat.PlainText] * 5
    assert pipe.opened == 0


def test_the_welcome_quotes_label_names_as_text(window: Any, answers: Answers, payload: str) -> None:
    window.store.labels.add(Label("evil", payload, "#123456", "4", None, payload))
    window._load_labels()
    window.help.show_welcome()
    text = answers.infos[-1][0]
    assert not GuiQt.mightBeRichText(text)
    assert f"■ {payload}  [4]  {payload}" in text.splitlines()


def test_the_pipe_watch_notices_an_unescaped_tooltip(qtbot: Any, payload: str, pipe: PipeWatch) -> None:
    """The detector itself: raw markup in a tooltip does make Qt open the file."""
    from PySide6.QtWidgets import QWidget

    w = QWidget()
    qtbot.addWidget(w)
    w.show()
    qtbot.waitExposed(w)
    show_tip(qtbot, payload, w)
    qtbot.waitUntil(lambda: pipe.opened > 0, timeout=3000)
