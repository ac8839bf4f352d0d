"""The export dialog's choices reach the file, for every format, off the GUI thread."""

from __future__ import annotations

import csv
from pathlib import Path
from typing import Any

import pytest
from PySide6.QtCore import Qt

from kzpk_desktop.core import review as rv
from kzpk_desktop.core.exporters.options import ExportRequest
from kzpk_desktop.core.exporters.registry import FORMATS
from kzpk_desktop.gui.dialogs import ExportDialog
from tests.gui.test_desk import open_article


def claims(window: Any) -> None:
    aid = open_article(window, "001")
    text = window.reader.text()
    for needle in ("the first such visit since 2003", "milestone achievement"):
        i = text.index(needle)
        window.reader.select_span(i, i + len(needle))
        window.annotating.tag_selection("claim")
    first = window.annotations.model.rows()[0].id
    rv.decide(window.store, None, first, rv.Decision("accepted", "false"), "Chen")
    return aid


def run(window: Any, qtbot: Any, opts: ExportRequest) -> int:
    job = window.transfer.export(opts)
    with qtbot.waitSignal(job.succeeded, timeout=20000):
        pass
    return window.transfer.last_export[1]


def test_dialog_filters_and_columns_reach_the_file(window: Any, qtbot: Any, tmp_path: Path) -> None:
    aid = claims(window)
    dialog = ExportDialog(window.store.labels.all(), aid, window)
    dialog.format.setCurrentIndex(dialog.format.findData("csv"))
    dialog.label_boxes["actor"].setChecked(False)
    dialog.verdict_only.setChecked(True)
    for i in range(dialog.verdicts.count()):
        item = dialog.verdicts.item(i)
        item.setCheckState(
            Qt.CheckState.Checked if item.data(Qt.ItemDataRole.UserRole) == "false" else Qt.CheckState.Unchecked
        )
    for i in range(dialog.columns.count()):
        item = dialog.columns.item(i)
        keep = item.text() in ("annotation_id", "text", "verdict")
        item.setCheckState(Qt.CheckState.Checked if keep else Qt.CheckState.Unchecked)
    dialog.this_article.setChecked(True)
    dialog.path.setText(str(tmp_path / "only-false.csv"))
    opts = dialog.options()
    assert opts.filter.verdict == ("false",) and opts.filter.article_id == (aid,)
    assert opts.filter.label == ("claim", "agreement")
    assert run(window, qtbot, opts) == 1
    rows = list(csv.DictReader((tmp_path / "only-false.csv").open(newline="", encoding="utf-8")))
    assert list(rows[0]) == ["annotation_id", "text", "verdict"]
    assert rows[0]["text"] == "the first such visit since 2003" and rows[0]["verdict"] == "false"
    dialog.format.setCurrentIndex(dialog.format.findData("qdpx"))
    assert dialog.path.text().endswith(".qdpx") and not dialog.columns.isEnabled() and not dialog.bom.isEnabled()


@pytest.mark.parametrize("fmt", sorted(FORMATS))
def test_every_format_exports_from_the_gui(window: Any, qtbot: Any, tmp_path: Path, fmt: str) -> None:
    claims(window)
    out = tmp_path / f"export.{FORMATS[fmt].extension}"
    n = run(window, qtbot, ExportRequest(fmt, str(out)))
    assert out.exists() and out.stat().st_size > 0
    expected = {
        "csv": 2,
        "xlsx": 2,
        "claims-csv": 2,
        "articles-csv": 10,
        "jsonl": 10,
        "webanno": 2,
        "brat": 2,
        "claimreview": 1,
        "qdpx": 2,
        "averitec": 1,
    }
    assert n == expected[fmt]


def test_a_failed_export_says_why_and_leaves_no_file(window: Any, qtbot: Any, tmp_path: Path, answers: Any) -> None:
    claims(window)
    missing = tmp_path / "no-such-folder" / "x.csv"
    job = window.transfer.export(ExportRequest("csv", str(missing)))
    with qtbot.waitSignal(job.failed, timeout=20000):
        pass
    qtbot.waitUntil(lambda: bool(answers.errors), timeout=3000)
    assert "No such file or directory" in answers.errors[-1]
    assert not missing.exists()
