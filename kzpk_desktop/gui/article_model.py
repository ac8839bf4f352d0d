"""The article list model: holds only ids, fetches row data a page at a time.

Anki's browser does the same: a 100,000-row list costs one integer per row until a
row is actually painted. A search shows its first screenful first (issue 20): the model
starts with the top ``FIRST_ROWS`` ids in list order and reads the rest, and so the
count, when the panel asks after the list has painted, or when the view scrolls past
them (``fetchMore``). ``total()`` is ``None`` until then.
"""

from __future__ import annotations

from collections import OrderedDict
from collections.abc import Callable
from typing import Any

from PySide6.QtCore import QModelIndex, Qt, Signal
from PySide6.QtGui import QColor

from ..core.errors import KzpkError
from ..core.store import ArticleFilter, Store
from ..core.store.article_pages import first_article_ids
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
FIRST_ROWS = 100  # a search's first rows: three screenfuls of a full-height list
MAX_PAGES = 64
# Rows looked up by a scan of the list before its id-to-row map is built: at start-up the map
# (~6 ms at 100k articles) is needed only when the open article is further down (issue 20).
NEAR_TOP = 2000
ArticleIdRole = Qt.ItemDataRole.UserRole + 1
# data(): each role the list answers, and where its value is in a row's cached cells
_ID, _ALIGN = -1, -2
_ROLE_SLOT = {
    Qt.ItemDataRole.DisplayRole: 0,
    Qt.ItemDataRole.EditRole: 1,
    Qt.ItemDataRole.ToolTipRole: 2,
    Qt.ItemDataRole.ForegroundRole: 3,
    Qt.ItemDataRole.TextAlignmentRole: _ALIGN,
    ArticleIdRole: _ID,
}
_STATUS_COLUMN = [k for k, _ in COLUMNS].index("status")
_SPANS_COLUMN = [k for k, _ in COLUMNS].index("n_annotations")
_RIGHT = int(Qt.AlignmentFlag.AlignRight | Qt.AlignmentFlag.AlignVCenter)
_FLAGS = Qt.ItemFlag.ItemIsEnabled | Qt.ItemFlag.ItemIsSelectable | Qt.ItemFlag.ItemNeverHasChildren
_EDITABLE_FLAGS = tuple(_FLAGS | Qt.ItemFlag.ItemIsEditable if k in EDITABLE_COLUMNS else _FLAGS for k, _ in COLUMNS)


class ArticleTableModel(ColumnsTableModel):
    COLUMNS = COLUMNS
    totalChanged = Signal()  # the whole list (and so its count) is known now

    def __init__(self, store: Store | None = None, parent: Any = None) -> None:
        super().__init__(parent)
        self._store = store
        self._ids: list[int] = []
        self._row_of: dict[int, int] | None = None
        self._pages: OrderedDict[int, dict[int, tuple[Any, ...]]] = OrderedDict()
        self._cell_cache: dict[int, tuple[tuple[Any, ...], ...]] = {}  # article id -> values per role
        self._filter = ArticleFilter()
        self._sort = ("date", True)
        self._loaded = False  # the view's sortByColumn() does the first load: query once, not twice
        self._complete = True  # False while only the first rows of a search are known
        self.keeps_selection = True  # False while a reset shows another database: nothing to keep
        # (article id, column key, typed text) -> saved? The window hands in a callback that runs
        # the metadata operation: the model itself never writes.
        self.edit_field: Callable[[int, str, str], bool] | None = None

    # --- state ----------------------------------------------------------------------------
    def set_store(self, store: Store | None) -> None:
        self._store = store
        self.keeps_selection = False
        try:
            self.reload()
        finally:
            self.keeps_selection = True

    def set_filter(self, flt: ArticleFilter) -> None:
        if flt != self._filter or not self._loaded:
            self._filter = flt
            self.reload()

    @property
    def current_filter(self) -> ArticleFilter:
        return self._filter

    def reload(self) -> None:
        """The list again from the store: its first rows now, the rest after the paint."""
        self._loaded = True
        self.beginResetModel()
        if self._store is None:
            self._ids, self._complete = [], True
        else:
            page = first_article_ids(self._store, self._filter, *self._sort, FIRST_ROWS)
            self._ids, self._complete = list(page.ids), page.complete
        self._row_of = None
        self._pages.clear()
        self._cell_cache.clear()
        self.endResetModel()
        if self._complete:
            self.totalChanged.emit()

    def total(self) -> int | None:
        """How many articles the filters let through; ``None`` until the whole list is read."""
        return len(self._ids) if self._complete else None

    def complete(self) -> None:
        """Read the whole list behind the first rows: its other rows are appended (selection
        and scroll position stay). Cheap to call again: nothing happens once it is known."""
        if self._complete:
            return
        self._complete = True
        try:
            ids = self._store.articles.article_ids(self._filter, *self._sort) if self._store else []
        except KzpkError:  # (the first rows were read a moment ago): keep them, say no more
            ids = self._ids
        n = len(self._ids)
        if ids[:n] != self._ids:  # the articles changed since the first rows were read
            self.beginResetModel()
            self._ids, self._row_of = ids, None
            self._pages.clear()
            self._cell_cache.clear()
            self.endResetModel()
        elif len(ids) > n:
            self.beginInsertRows(QModelIndex(), n, len(ids) - 1)
            self._ids, self._row_of = ids, None
            self._pages.pop(n // PAGE, None)  # the last page read was cut short at the first rows
            self.endInsertRows()
        self.totalChanged.emit()

    def canFetchMore(self, parent: Index = QModelIndex()) -> bool:  # noqa: B008
        return not parent.isValid() and not self._complete

    def fetchMore(self, parent: Index = QModelIndex()) -> None:  # noqa: B008
        """The view scrolled to the end of the first rows: the rest, all at once (so End, Page
        Down and the scroll bar then cover the whole list)."""
        if not parent.isValid():
            self.complete()

    def article_id(self, row: int) -> int | None:
        return self._ids[row] if 0 <= row < len(self._ids) else None

    def row_of(self, article_id: int, load: bool = True) -> int | None:
        """The article's row; with ``load``, the whole list is read first when the article is
        not among the rows read so far (a search's first rows)."""
        if self._row_of is None:
            try:  # near the top (where a reopened or just-tagged article usually is): no map yet
                return self._ids.index(article_id, 0, NEAR_TOP)
            except ValueError:
                self._row_of = dict(zip(self._ids, range(len(self._ids)), strict=True))
        row = self._row_of.get(article_id)
        if row is None and load and not self._complete:
            self.complete()
            return self.row_of(article_id, load=False)
        return row

    def refresh_article(self, article_id: int) -> None:
        """Re-read one row (after its count or status changed) without a reset."""
        row = self.row_of(article_id, load=False)  # a row not read yet is read fresh later
        if row is None:
            return
        page = self._pages.get(row // PAGE)
        if page is not None:  # re-read this row only, not its page of 200 (a tag: ~3 ms saved)
            try:
                fresh = self._store.articles.article_rows([article_id]) if self._store else {}
            except KzpkError:
                fresh = {}
            page.pop(article_id, None)  # (gone: the row shows empty, as a page read would)
            page.update(fresh)
        self._cell_cache.pop(article_id, None)
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

    def _cells(self, row: int) -> tuple[tuple[Any, ...], ...] | None:
        """One row's values per role, computed once: a paint asks ~25 times per row."""
        article_id = self._ids[row]
        cells = self._cell_cache.get(article_id)
        if cells is None:
            data = self._row_data(row)
            if data is None:
                return None
            values = data[1 : 1 + len(COLUMNS)]
            edit = tuple("" if v is None else str(v) for v in values)
            shown = tuple(
                STATUS_TEXT.get(v, v) if key == "status" else ("" if v is None else v)
                for (key, _), v in zip(COLUMNS, values, strict=True)
            )
            tips = tuple(
                plain_tip(v) if key in ("title", "source") else None  # cut short in the list
                for (key, _), v in zip(COLUMNS, values, strict=True)
            )
            status = values[_STATUS_COLUMN]
            colors = tuple(
                QColor(STATUS_COLOR[status]) if c == _STATUS_COLUMN and status in STATUS_COLOR else None
                for c in range(len(COLUMNS))
            )
            if len(self._cell_cache) >= PAGE * MAX_PAGES:
                self._cell_cache.clear()
            cells = self._cell_cache[article_id] = (shown, edit, tips, colors)
        return cells

    def data(self, index: Index, role: int = Qt.ItemDataRole.DisplayRole) -> Any:
        which = _ROLE_SLOT.get(role)
        if which is None or not index.isValid():
            return None
        row, column = index.row(), index.column()
        if not 0 <= row < len(self._ids):
            return None
        if which == _ID:
            return self._ids[row]
        if which == _ALIGN:
            return _RIGHT if column == _SPANS_COLUMN else None
        cells = self._cells(row)
        return None if cells is None else cells[which][column]

    def flags(self, index: Index) -> Qt.ItemFlag:
        if not self.valid_row(index):
            return super().flags(index)
        return _EDITABLE_FLAGS[index.column()] if self.edit_field is not None else _FLAGS

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
            # A reset, not a layout change: a search's first rows in the new order are not the
            # same rows; the panel selects the open article again (ArticlePanel.keep_current).
            self.reload()
