"""The current article's annotations, in text order, for the annotation panel."""

from __future__ import annotations

import bisect
from typing import Any

from PySide6.QtCore import QModelIndex, Qt
from PySide6.QtGui import QColor

from ..core.rows import Annotation, Label
from .icons import label_icon
from .plain import plain_tip
from .table_base import ColumnsTableModel, Index

COLUMNS = (("label", "Label"), ("text", "Text"), ("status", "Status"))


def sort_key(row: Annotation) -> tuple[int, int, str, str]:
    """Text order, the same as the store's: start, end, creation time, id."""
    return row.start, row.end, row.created_at, row.id


AnnotationIdRole = Qt.ItemDataRole.UserRole + 2
_HANDLED = frozenset(
    {
        Qt.ItemDataRole.DisplayRole,
        Qt.ItemDataRole.DecorationRole,
        Qt.ItemDataRole.ToolTipRole,
        Qt.ItemDataRole.ForegroundRole,
        AnnotationIdRole,
    }
)


class AnnotationTableModel(ColumnsTableModel):
    COLUMNS = COLUMNS

    def __init__(self, parent: Any = None) -> None:
        super().__init__(parent)
        self._rows: list[Annotation] = []
        self._labels: dict[str, Label] = {}
        self._keys: list[tuple[int, int, str, str]] = []
        self._key_of: dict[str, tuple[int, int, str, str]] = {}
        self._cells: dict[str, tuple[Any, ...]] = {}

    def set_labels(self, labels: list[Label]) -> None:
        self._labels = {lab.id: lab for lab in labels}
        self._cells.clear()
        if self._rows:
            self.dataChanged.emit(self.index(0, 0), self.index(len(self._rows) - 1, 0))

    def set_rows(self, rows: list[Annotation]) -> None:
        self.beginResetModel()
        self._rows = sorted(rows, key=sort_key)
        self._keys = [sort_key(r) for r in self._rows]  # parallel to _rows: bisect instead of scans
        self._key_of = {r.id: k for r, k in zip(self._rows, self._keys, strict=True)}
        self.endResetModel()

    def _remove_at(self, row: int) -> None:
        self.beginRemoveRows(QModelIndex(), row, row)
        gone = self._rows.pop(row)
        del self._keys[row]
        self._key_of.pop(gone.id, None)
        self._cells.pop(gone.id, None)
        self.endRemoveRows()

    def apply_changes(self, upserts: list[Annotation], removed: list[str]) -> None:
        """Row-level inserts, updates and removals in text order (no reset: selection and
        scroll position stay, and only the touched rows are repainted)."""
        for annotation_id in removed:
            row = self.row_of(annotation_id)
            if row is not None:
                self._remove_at(row)
        for new in upserts:
            row = self.row_of(new.id)
            key = sort_key(new)
            if row is not None and self._keys[row] == key:
                self._rows[row] = new
                self.dataChanged.emit(self.index(row, 0), self.index(row, len(COLUMNS) - 1))
                continue
            if row is not None:
                self._remove_at(row)
            at = bisect.bisect_left(self._keys, key)
            self.beginInsertRows(QModelIndex(), at, at)
            self._rows.insert(at, new)
            self._keys.insert(at, key)
            self._key_of[new.id] = key
            self.endInsertRows()

    def rows(self) -> list[Annotation]:
        return self._rows

    def row_of(self, annotation_id: str) -> int | None:
        key = self._key_of.get(annotation_id)
        if key is None:
            return None
        i = bisect.bisect_left(self._keys, key)
        return i if i < len(self._keys) and self._keys[i] == key else None

    def annotation(self, row: int) -> Annotation | None:
        return self._rows[row] if 0 <= row < len(self._rows) else None

    def _row_count(self) -> int:
        return len(self._rows)

    def data(self, index: Index, role: int = Qt.ItemDataRole.DisplayRole) -> Any:
        # Views ask for 6–8 roles per visible cell on every repaint: answer the unhandled
        # ones first, and keep each row's display values cached.
        if role not in _HANDLED or not index.isValid():
            return None
        r = index.row()
        if not 0 <= r < len(self._rows):
            return None
        row = self._rows[r]
        if role == AnnotationIdRole:
            return row.id
        cells = self._cells.get(row.id)
        if cells is None or cells[0] is not row:
            cells = self._cells[row.id] = (row, *self._display(row))
        col = index.column()
        if role == Qt.ItemDataRole.DisplayRole:
            return cells[1][col]
        if role == Qt.ItemDataRole.DecorationRole:
            return cells[2] if col == 0 else None
        if role == Qt.ItemDataRole.ForegroundRole:
            return cells[3] if col == 2 else None
        return cells[4]  # tooltip

    def _display(self, row: Annotation) -> tuple[tuple[str, str, str], Any, Any, str]:
        label = self._labels.get(row.label) or Label(row.label, row.label, "#9a9a9a")
        shown = (label.name, " ".join(row.text.split()), row.status.replace("_", " "))
        color = (
            None
            if row.status == "unreviewed"
            else QColor({"accepted": "#3fa066", "rejected": "#d9534f"}.get(row.status, "#d18f1f"))
        )
        tip = plain_tip(
            f"{label.name} · {row.start}–{row.end} · {row.status}\n“{row.text}”"
            + (f"\n\n{row.note}" if row.note else "")
        )
        return shown, label_icon(row.label, label.color), color, tip
