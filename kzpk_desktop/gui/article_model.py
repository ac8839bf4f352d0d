"""The article list model: holds only ids, fetches row data a page at a time.

Anki's browser does the same: a 100,000-row list costs one integer per row until a
row is actually painted.
"""

from __future__ import annotations

from collections import OrderedDict
from collections.abc import Callable
from typing import Any

from PySide6.QtCore import Qt
from PySide6.QtGui import QColor

from ..core.errors import KzpkError
from ..core.store import ArticleFilter, Store
from .plain import plain_tip
from .table_base import ColumnsTableModel, Index

COLUMNS = (("date", "Date"), ("source", "Source"), ("title", "Title"), ("n_annotations", "Spans"), ("status", "Status"))
STATUS_TEXT = {
    "not_started": "Not started",
    "in_progress": "In progress",
    "annotated": "Annotated",
    "reviewed": "Reviewed",
}
STATUS_COLOR = {"not_started": "#8a93a0", "in_progress": "#d18f1f", "annotated": "#3f8fd8", "reviewed": "#3fa066"}
EDITABLE_COLUMNS = ("date", "source", "title")  # F2 or a double-click edits these in place
PAGE = 200
MAX_PAGES = 64
ArticleIdRole = Qt.ItemDataRole.UserRole + 1


class ArticleTableModel(ColumnsTableModel):
    COLUMNS = COLUMNS

    def __init__(self, store: Store | None = None, parent: Any = None) -> None:
        super().__init__(parent)
        self._store = store
        self._ids: list[int] = []
        self._row_of: dict[int, int] | None = None
        self._pages: OrderedDict[int, dict[int, tuple[Any, ...]]] = OrderedDict()
        self._filter = ArticleFilter()
        self._sort = ("date", True)
        self._loaded = False  # the view's sortByColumn() does the first load: query once, not twice
        # (article id, column key, typed text) -> saved? The window hands in a callback that runs
        # the metadata operation: the model itself never writes.
        self.edit_field: Callable[[int, str, str], bool] | None = None

    # --- state ----------------------------------------------------------------------------
    def set_store(self, store: Store | None) -> None:
        self._store = store
        self.reload()

    def set_filter(self, flt: ArticleFilter) -> None:
        if flt != self._filter or not self._loaded:
            self._filter = flt
            self.reload()

    @property
    def current_filter(self) -> ArticleFilter:
        return self._filter

    def reload(self) -> None:
        self._loaded = True
        self.beginResetModel()
        self._ids = self._store.articles.article_ids(self._filter, *self._sort) if self._store else []
        self._row_of = None
        self._pages.clear()
        self.endResetModel()

    def article_id(self, row: int) -> int | None:
        return self._ids[row] if 0 <= row < len(self._ids) else None

    def row_of(self, article_id: int) -> int | None:
        if self._row_of is None:
            self._row_of = {aid: i for i, aid in enumerate(self._ids)}
        return self._row_of.get(article_id)

    def refresh_article(self, article_id: int) -> None:
        """Re-read one row (after its count or status changed) without a reset."""
        row = self.row_of(article_id)
        if row is None:
            return
        self._pages.pop(row // PAGE, None)
        self.dataChanged.emit(self.index(row, 0), self.index(row, len(COLUMNS) - 1))

    def _row_data(self, row: int) -> tuple[Any, ...] | None:
        page = row // PAGE
        cached = self._pages.get(page)
        if cached is None:
            ids = self._ids[page * PAGE : (page + 1) * PAGE]
            try:
                cached = self._store.articles.article_rows(ids) if self._store else {}
            except KzpkError:  # a damaged page (the file is open read-only): these rows show empty
                cached = {}
            self._pages[page] = cached
            if len(self._pages) > MAX_PAGES:
                self._pages.popitem(last=False)
        else:
            self._pages.move_to_end(page)
        return cached.get(self._ids[row])

    # --- Qt model API ---------------------------------------------------------------------
    def _row_count(self) -> int:
        return len(self._ids)

    def data(self, index: Index, role: int = Qt.ItemDataRole.DisplayRole) -> Any:
        if not self.valid_row(index):
            return None
        if role == ArticleIdRole:
            return self._ids[index.row()]
        if role == Qt.ItemDataRole.EditRole:
            row = self._row_data(index.row())
            value = None if row is None else row[1 + index.column()]
            return "" if value is None else str(value)
        if role not in (
            Qt.ItemDataRole.DisplayRole,
            Qt.ItemDataRole.ToolTipRole,
            Qt.ItemDataRole.ForegroundRole,
            Qt.ItemDataRole.TextAlignmentRole,
        ):
            return None
        row = self._row_data(index.row())
        if row is None:
            return None
        key = COLUMNS[index.column()][0]
        value = row[1 + index.column()]
        if role == Qt.ItemDataRole.TextAlignmentRole:
            if key == "n_annotations":
                return int(Qt.AlignmentFlag.AlignRight | Qt.AlignmentFlag.AlignVCenter)
            return None
        if role == Qt.ItemDataRole.ForegroundRole:
            return QColor(STATUS_COLOR[value]) if key == "status" and value in STATUS_COLOR else None
        if key == "status":
            return STATUS_TEXT.get(value, value)
        if role == Qt.ItemDataRole.ToolTipRole:
            return plain_tip(value) if key in ("title", "source") else None  # cut short in the list
        return "" if value is None else value

    def flags(self, index: Index) -> Qt.ItemFlag:
        flags = super().flags(index)
        if self.edit_field is not None and self.valid_row(index) and COLUMNS[index.column()][0] in EDITABLE_COLUMNS:
            flags |= Qt.ItemFlag.ItemIsEditable
        return flags

    def setData(self, index: Index, value: Any, role: int = Qt.ItemDataRole.EditRole) -> bool:
        """An in-place edit: handed to ``edit_field`` (an undoable operation) when it changed."""
        key = COLUMNS[index.column()][0] if index.isValid() else ""
        if (
            role != Qt.ItemDataRole.EditRole
            or self.edit_field is None
            or not self.valid_row(index)
            or key not in EDITABLE_COLUMNS
        ):
            return False
        text = "" if value is None else str(value)
        if " ".join(text.split()) == self.data(index, Qt.ItemDataRole.EditRole):
            return False
        return self.edit_field(self._ids[index.row()], key, text)

    def sort(self, column: int, order: Qt.SortOrder = Qt.SortOrder.AscendingOrder) -> None:
        if 0 <= column < len(COLUMNS):
            wanted = (COLUMNS[column][0], order == Qt.SortOrder.DescendingOrder)
            if wanted == self._sort and self._loaded:
                return
            self._sort = wanted
            if not self._loaded:
                self.reload()
                return
            self.layoutAboutToBeChanged.emit()
            self._ids = self._store.articles.article_ids(self._filter, *self._sort) if self._store else []
            self._row_of = None
            self._pages.clear()
            self.layoutChanged.emit()
