"""After an import: one row per file met, with what became of it (plain text only).

A summary line ("7 imported, 3 refused") hid which files were refused and why; the
researcher needs the list to fix or re-export those files. Names and reasons come from
the file system (untrusted), so every cell and label is plain text.
"""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

from PySide6.QtCore import QAbstractTableModel, QModelIndex, QPersistentModelIndex, Qt
from PySide6.QtWidgets import (
    QAbstractItemView,
    QDialog,
    QDialogButtonBox,
    QHeaderView,
    QLabel,
    QTableView,
    QVBoxLayout,
    QWidget,
)

if TYPE_CHECKING:
    from ..core.importer import ImportReport

_ROOT = QModelIndex()
OUTCOME_TEXT = {"imported": "Imported", "duplicate": "Duplicate", "refused": "Refused", "not saved": "Not saved"}


class ImportResultsModel(QAbstractTableModel):
    """Rows made on demand: a 100,000-file import must not build 300,000 items up front."""

    HEADERS = ("File", "Outcome", "Details")

    def __init__(self, report: ImportReport, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        notes: dict[str, list[str]] = {}
        for name, note in report.notes:
            notes.setdefault(name, []).append(note)
        self._results = report.results
        self._notes = notes

    def rowCount(self, parent: QModelIndex | QPersistentModelIndex = _ROOT) -> int:
        return 0 if parent.isValid() else len(self._results)

    def columnCount(self, parent: QModelIndex | QPersistentModelIndex = _ROOT) -> int:
        return 0 if parent.isValid() else 3

    def row_text(self, row: int) -> tuple[str, str, str]:
        result = self._results[row]
        detail = result.detail
        if result.outcome == "imported":
            detail = "; ".join([f"article {result.article_id}", *self._notes.get(result.name, [])])
        return result.name, OUTCOME_TEXT[result.outcome], detail

    def data(self, index: QModelIndex | QPersistentModelIndex, role: int = Qt.ItemDataRole.DisplayRole) -> Any:
        if not index.isValid():
            return None
        if role == Qt.ItemDataRole.DisplayRole:  # item views draw it as plain text; no tooltip (rich-text guess)
            return self.row_text(index.row())[index.column()]
        return None

    def headerData(self, section: int, orientation: Qt.Orientation, role: int = Qt.ItemDataRole.DisplayRole) -> Any:
        if role == Qt.ItemDataRole.DisplayRole and orientation == Qt.Orientation.Horizontal:
            return self.HEADERS[section]
        return None


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
        self.model = ImportResultsModel(report, self)
        self.table = QTableView(objectName="importResults")
        self.table.setModel(self.model)
        self.table.setEditTriggers(QAbstractItemView.EditTrigger.NoEditTriggers)
        self.table.setSelectionBehavior(QAbstractItemView.SelectionBehavior.SelectRows)
        self.table.verticalHeader().setVisible(False)
        self.table.setWordWrap(False)
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
        return [tuple(self.model.index(r, c).data() for c in range(3)) for r in range(self.model.rowCount())]


def show_import_report(parent: QWidget, report: ImportReport) -> ImportReportDialog:
    dialog = ImportReportDialog(report, parent)
    dialog.setAttribute(Qt.WidgetAttribute.WA_DeleteOnClose)
    dialog.show()
    return dialog
