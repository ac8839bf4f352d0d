"""The current article's annotations, in text order, for the annotation panel."""

from __future__ import annotations

from typing import Any

from PySide6.QtCore import Qt
from PySide6.QtGui import QColor

from .icons import label_icon
from .table_base import ColumnsTableModel, Index

COLUMNS = (("label", "Label"), ("text", "Text"), ("status", "Status"))
AnnotationIdRole = Qt.ItemDataRole.UserRole + 2


class AnnotationTableModel(ColumnsTableModel):
    COLUMNS = COLUMNS

    def __init__(self, parent: Any = None) -> None:
        super().__init__(parent)
        self._rows: list[dict[str, Any]] = []
        self._labels: dict[str, dict[str, Any]] = {}

    def set_labels(self, labels: list[dict[str, Any]]) -> None:
        self._labels = {lab["id"]: lab for lab in labels}
        if self._rows:
            self.dataChanged.emit(self.index(0, 0), self.index(len(self._rows) - 1, 0))

    def set_rows(self, rows: list[dict[str, Any]]) -> None:
        self.beginResetModel()
        self._rows = list(rows)
        self.endResetModel()

    def rows(self) -> list[dict[str, Any]]:
        return self._rows

    def row_of(self, annotation_id: str) -> int | None:
        for i, r in enumerate(self._rows):
            if r["id"] == annotation_id:
                return i
        return None

    def annotation(self, row: int) -> dict[str, Any] | None:
        return self._rows[row] if 0 <= row < len(self._rows) else None

    def _row_count(self) -> int:
        return len(self._rows)

    def data(self, index: Index, role: int = Qt.ItemDataRole.DisplayRole) -> Any:
        if not self.valid_row(index):
            return None
        row = self._rows[index.row()]
        key = COLUMNS[index.column()][0]
        label = self._labels.get(row["label"], {"name": row["label"], "color": "#9a9a9a"})
        if role == AnnotationIdRole:
            return row["id"]
        if role == Qt.ItemDataRole.DisplayRole:
            if key == "label":
                return label["name"]
            if key == "text":
                return " ".join(row["text"].split())
            if key == "status":
                return row["status"].replace("_", " ")
            return row[key] or ""
        if role == Qt.ItemDataRole.DecorationRole and key == "label":
            return label_icon(row["label"], label["color"])
        if role == Qt.ItemDataRole.ToolTipRole:
            return (f"{label['name']} · {row['start']}–{row['end']} · {row['status']}\n"
                    f"“{row['text']}”" + (f"\n\n{row['note']}" if row["note"] else ""))
        if role == Qt.ItemDataRole.ForegroundRole and key == "status" and row["status"] != "unreviewed":
            return QColor({"accepted": "#3fa066", "rejected": "#d9534f"}.get(row["status"], "#d18f1f"))
        return None
