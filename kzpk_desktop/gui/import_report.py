"""After an import: one row per file met, with what became of it (plain text only).

A summary line ("7 imported, 3 refused") hid which files were refused and why; the
researcher needs the list to fix or re-export those files. Names and reasons come from
the file system (untrusted), so every cell and label is plain text.
"""

from __future__ import annotations

from typing import TYPE_CHECKING

from PySide6.QtCore import Qt
from PySide6.QtWidgets import (
    QAbstractItemView,
    QDialog,
    QDialogButtonBox,
    QHeaderView,
    QLabel,
    QTableWidget,
    QTableWidgetItem,
    QVBoxLayout,
    QWidget,
)

if TYPE_CHECKING:
    from ..core.importer import ImportReport

OUTCOME_TEXT = {"imported": "Imported", "duplicate": "Duplicate", "refused": "Refused", "not saved": "Not saved"}


class ImportReportDialog(QDialog):
    """Non-modal: the list can stay open beside the desk while the researcher reads articles."""

    def __init__(self, report: ImportReport, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setObjectName("importReport")
        self.setWindowTitle("Import results")
        self.resize(820, 460)
        self.summary = QLabel(f"Import: {report.summary()}.", objectName="importSummary")
        self.summary.setTextFormat(Qt.TextFormat.PlainText)
        self.failure = QLabel(report.failure or "", objectName="importFailure")
        self.failure.setTextFormat(Qt.TextFormat.PlainText)
        self.failure.setWordWrap(True)
        self.failure.setVisible(bool(report.failure))
        notes: dict[str, list[str]] = {}
        for name, note in report.notes:
            notes.setdefault(name, []).append(note)
        self.table = QTableWidget(len(report.results), 3, objectName="importResults")
        self.table.setHorizontalHeaderLabels(["File", "Outcome", "Details"])
        self.table.setEditTriggers(QAbstractItemView.EditTrigger.NoEditTriggers)
        self.table.setSelectionBehavior(QAbstractItemView.SelectionBehavior.SelectRows)
        self.table.verticalHeader().setVisible(False)
        for row, result in enumerate(report.results):
            detail = result.detail
            if result.outcome == "imported":
                detail = "; ".join([f"article {result.article_id}", *notes.get(result.name, [])])
            for col, text in enumerate((result.name, OUTCOME_TEXT[result.outcome], detail)):
                item = QTableWidgetItem(text)  # QTableWidgetItem never interprets markup
                item.setToolTip(text if col != 1 else "")
                self.table.setItem(row, col, item)
        header = self.table.horizontalHeader()
        header.setSectionResizeMode(0, QHeaderView.ResizeMode.Interactive)
        header.setSectionResizeMode(2, QHeaderView.ResizeMode.Stretch)
        self.table.setColumnWidth(0, 320)
        buttons = QDialogButtonBox(QDialogButtonBox.StandardButton.Close)
        buttons.rejected.connect(self.close)
        layout = QVBoxLayout(self)
        layout.addWidget(self.summary)
        layout.addWidget(self.failure)
        layout.addWidget(self.table, 1)
        layout.addWidget(buttons)

    def rows(self) -> list[tuple[str, str, str]]:
        """The table as text (what the researcher sees), row by row."""
        return [tuple(self.table.item(r, c).text() for c in range(3))  # type: ignore[misc]
                for r in range(self.table.rowCount())]


def show_import_report(parent: QWidget, report: ImportReport) -> ImportReportDialog:
    dialog = ImportReportDialog(report, parent)
    dialog.setAttribute(Qt.WidgetAttribute.WA_DeleteOnClose)
    dialog.show()
    return dialog
