"""What the researcher waits for (issue 20): the lists paint with the highlight, and a search
runs soon after the last key, measured the way benchmarks/gui_bench.py measures them."""

from __future__ import annotations

import time
from pathlib import Path
from typing import Any

from PySide6.QtCore import QCoreApplication, Qt
from PySide6.QtTest import QTest

from benchmarks.gui_bench import PaintProbe
from kzpk_desktop.core.store import ArticleFilter
from tests.gui.test_desk import open_article


def test_a_tag_paints_the_span_table_and_list_in_the_highlights_frame(window: Any, qtbot: Any, seeded_db: Path) -> None:
    aid = open_article(window, "001")
    qtbot.wait(50)
    text = window.reader.text()
    i = text.index("Murat Nurtleu")
    window.reader.select_span(i, i + 13)
    window.reader.setFocus()
    qtbot.wait(50)
    probe = PaintProbe(
        {
            "reader": window.reader.viewport(),
            "table": window.annotations.view.viewport(),
            "list": window.articles.view.viewport(),
        }
    )
    row = window.article_model.row_of(aid)
    before = window.article_model.index(row, 3).data()
    QTest.keyClick(window.reader, Qt.Key.Key_1)
    deadline = time.perf_counter() + 5
    while "reader" not in probe.painted and time.perf_counter() < deadline:
        QCoreApplication.processEvents()
    assert set(probe.painted) == {"reader", "table", "list"}  # one pass: no later frame for the lists
    assert window.article_model.index(row, 3).data() == before + 1
    assert window.annotations.model.rowCount() == 1


def test_search_runs_within_100_ms_of_the_last_key(window: Any, qtbot: Any) -> None:
    box = window.articles.search
    box.setFocus()
    QTest.keyClicks(box, "Tokaye")
    QTest.keyClick(box, "v")
    qtbot.wait(100)
    assert window.article_model.current_filter == ArticleFilter(search="Tokayev")
