"""The export dialog offers the new formats and options, and they reach the files."""

from __future__ import annotations

import json
import zipfile
from pathlib import Path
from typing import Any

from PySide6.QtCore import Qt

from kzpk_desktop.gui.dialogs import ExportDialog
from tests.gui.test_export_gui import claims, run


def test_xlsx_and_the_spreadsheet_csv_are_offered_and_written(window: Any, qtbot: Any, tmp_path: Path) -> None:
    aid = claims(window)
    dialog = ExportDialog(window.store.labels.all(), aid, window)
    qtbot.addWidget(dialog)
    assert dialog.format.findData("xlsx") >= 0
    dialog.format.setCurrentIndex(dialog.format.findData("xlsx"))
    assert dialog.columns.isEnabled() and not dialog.spreadsheet.isEnabled() and not dialog.author.isEnabled()
    qtbot.keyClicks(dialog.path, str(tmp_path / "sheet.xlsx"))
    opts = dialog.options()
    assert (opts.format, opts.options.spreadsheet, opts.options.bom) == ("xlsx", False, False)
    assert run(window, qtbot, opts) == 2
    assert "xl/worksheets/sheet1.xml" in zipfile.ZipFile(tmp_path / "sheet.xlsx").namelist()

    dialog.format.setCurrentIndex(dialog.format.findData("csv"))
    assert dialog.path.text().endswith("sheet.csv") and dialog.spreadsheet.isEnabled()
    assert not dialog.spreadsheet.isChecked()  # the exact CSV is the default
    dialog.spreadsheet.setFocus()
    qtbot.keyClick(dialog.spreadsheet, Qt.Key.Key_Space)
    opts = dialog.options()
    assert opts.options.spreadsheet is True
    assert run(window, qtbot, opts) == 2
    lines = (tmp_path / "sheet.csv").read_text(encoding="utf-8").splitlines()
    assert any(line.endswith(",'false") or ",'false," in line for line in lines)


def test_claimreview_author_and_base_url_reach_the_file(window: Any, qtbot: Any, tmp_path: Path) -> None:
    aid = claims(window)
    dialog = ExportDialog(window.store.labels.all(), aid, window)
    qtbot.addWidget(dialog)
    dialog.format.setCurrentIndex(dialog.format.findData("claimreview"))
    assert dialog.author.isEnabled() and dialog.base_url.isEnabled() and not dialog.bom.isEnabled()
    qtbot.keyClicks(dialog.author, "Ana Reviewer")
    dialog.author_type.setCurrentIndex(dialog.author_type.findData("Person"))
    qtbot.keyClicks(dialog.base_url, "https://facts.example.org/r/")
    qtbot.keyClicks(dialog.path, str(tmp_path / "cr.jsonld"))
    assert run(window, qtbot, dialog.options()) == 1
    (item,) = json.loads((tmp_path / "cr.jsonld").read_text(encoding="utf-8"))
    assert item["author"] == {"@type": "Person", "name": "Ana Reviewer"}
    assert item["url"] == "https://facts.example.org/r/" + item["identifier"]
