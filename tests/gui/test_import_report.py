"""The GUI's import report: every file with its outcome, names and reasons as plain text."""

from __future__ import annotations

import os
from pathlib import Path
from typing import Any

from PySide6.QtCore import Qt
from PySide6.QtWidgets import QLabel

from kzpk_desktop.gui.import_report import ImportReportDialog

ARTICLE = "A headline long enough to be a title here\n\nBody text {n}.\n"


def _report_dialog(window: Any, qtbot: Any, paths: list[str]) -> ImportReportDialog:
    job = window.transfer.import_paths(paths)
    with qtbot.waitSignal(job.succeeded, timeout=20000):
        pass
    qtbot.waitUntil(lambda: bool(window.findChildren(ImportReportDialog)), timeout=5000)
    return window.findChildren(ImportReportDialog)[-1]


def test_the_report_lists_every_file_with_its_outcome(window: Any, qtbot: Any, tmp_path: Path) -> None:
    root = tmp_path / "c"
    root.mkdir()
    (root / "<b>bold <img src=x>.txt").write_text(ARTICLE.format(n=1), encoding="utf-8")
    fd = os.open(os.fsencode(root) + b"/caf\xe9.txt", os.O_WRONLY | os.O_CREAT, 0o644)
    os.write(fd, ARTICLE.format(n=2).encode())
    os.close(fd)
    os.mkfifo(root / "pipe.txt")
    (tmp_path / "private.txt").write_text(ARTICLE.format(n=3), encoding="utf-8")
    (root / "out.txt").symlink_to(tmp_path / "private.txt")
    dialog = _report_dialog(window, qtbot, [str(root)])
    assert dialog.rows() == [
        (
            f"{root}/<b>bold <img src=x>.txt",
            "Imported",
            f"article {window.transfer.last_import.imported[0][1]}; no publication date found; no source recognised",
        ),
        (
            f"{root}/caf\ufffd.txt",
            "Imported",
            f"article {window.transfer.last_import.imported[1][1]}; no publication date found; no source recognised",
        ),
        (
            f"{root}/out.txt",
            "Refused",
            f"it is a symbolic link to '{tmp_path}/private.txt', outside the folder being "
            "imported; name the link itself to import it",
        ),
        (f"{root}/pipe.txt", "Refused", "it is a named pipe (FIFO), not a text file"),
    ]
    assert dialog.summary.text() == "Import: 2 imported, 2 refused."
    assert dialog.model.index(0, 0).data(Qt.ItemDataRole.ToolTipRole) is None  # tooltips guess rich text
    assert not dialog.failure.isVisible()
    for label in dialog.findChildren(QLabel):
        assert label.textFormat() == Qt.TextFormat.PlainText
    qtbot.keyClick(dialog, Qt.Key.Key_Escape)
    assert not dialog.isVisible()


def test_a_failed_write_is_shown_with_what_was_saved(window: Any, qtbot: Any, tmp_path: Path, monkeypatch: Any) -> None:
    """The second batch's write fails (as on a full disk): the first batch stays and is named."""
    import sqlite3

    from kzpk_desktop.core import importer

    root = tmp_path / "c"
    root.mkdir()
    for n in range(5):
        (root / f"{n}.txt").write_text(ARTICLE.format(n=n), encoding="utf-8")
    real = importer.insert_new_articles
    calls = {"n": 0}

    def full_on_second(store: Any, rows: Any, who: str = "") -> Any:
        calls["n"] += 1
        if calls["n"] == 2:
            with store.transaction() as c:  # the real store boundary, failing as SQLite does
                c.execute("SELECT 1")
                raise sqlite3.OperationalError("database or disk is full")
        return real(store, rows, who)

    monkeypatch.setattr(importer, "BATCH_SIZE", 2)
    monkeypatch.setattr(importer, "insert_new_articles", full_on_second)
    before = window.article_model.rowCount()
    dialog = _report_dialog(window, qtbot, [str(root)])
    expected = (
        "2 files were imported before the import stopped (database or disk is full); the other 3 files "
        "were not. Importing the same files again skips those already saved as duplicates."
    )
    assert dialog.failure.isVisible() and dialog.failure.text() == expected
    assert window.statusBar().currentMessage() == expected
    assert [outcome for _n, outcome, _d in dialog.rows()] == ["Imported"] * 2 + ["Not saved"] * 3
    assert window.article_model.rowCount() == before + 2
