"""The two side panels: article browser (filters + list) and annotation panel (list + form)."""

from __future__ import annotations

from typing import Any

from PySide6.QtCore import QEvent, QItemSelectionModel, QObject, Qt, QTimer, Signal
from PySide6.QtWidgets import (
    QAbstractItemView,
    QComboBox,
    QHBoxLayout,
    QLabel,
    QLineEdit,
    QTableView,
    QVBoxLayout,
    QWidget,
)

from ..core.store import ArticleFilter
from .article_model import STATUS_TEXT, ArticleIdRole, ArticleTableModel
from .date_input import date_error_label, read_date_boxes
from .icons import icon
from .table_base import configure_row_table

# One query per burst of keys (key repeat, a paste, an input method), short enough that the wait
# after the last key (this plus the first rows' query and the paint) stays well under 100 ms: at
# 180 ms the debounce alone broke that target. The first rows cost a few ms, so every pause in
# typing may run one; the whole list and its count wait for the paint (below).
SEARCH_DEBOUNCE_MS = 20
# The whole list is read right after the list has painted its first rows; this is the longest it
# waits when no paint comes (the list hidden or scrolled out of the window).
COMPLETE_UNPAINTED_MS = 150


def _panel_layout(panel: QWidget, title: str, count: QLabel, margins: tuple[int, int, int, int]) -> QVBoxLayout:
    """A side panel's vertical layout, headed by its title and a muted count on the right."""
    heading = QLabel(title)
    heading.setProperty("role", "panelTitle")
    head = QHBoxLayout()
    head.addWidget(heading)
    head.addStretch(1)
    head.addWidget(count)
    layout = QVBoxLayout(panel)
    layout.setContentsMargins(*margins)
    layout.setSpacing(6)
    layout.addLayout(head)
    return layout


class ArticlePanel(QWidget):
    articleActivated = Signal(int)
    _painted = Signal()  # queued: the whole list is read after the paint, not before it

    def __init__(self, model: ArticleTableModel, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setObjectName("articlePanel")
        self.model = model
        self.search = QLineEdit(objectName="searchBox")
        self.search.setPlaceholderText("Search words in titles and text…")
        self.search.setClearButtonEnabled(True)
        self.search.addAction(icon("search"), QLineEdit.ActionPosition.LeadingPosition)
        self.search.setAccessibleName("Search articles")
        self.status = QComboBox(objectName="statusFilter")
        self.status.addItem("Any status", None)
        for key, text in STATUS_TEXT.items():
            self.status.addItem(text, key)
        self.date_from = QLineEdit(objectName="dateFrom")
        self.date_from.setPlaceholderText("From date")
        self.date_from.setToolTip("Published on or after: 2025, 2025-09 or 2025-09-01")
        self.date_to = QLineEdit(objectName="dateTo")
        self.date_to.setPlaceholderText("To date")
        self.date_to.setToolTip("Published on or before: 2025, 2025-09 or 2025-09-30")
        for w in (self.date_from, self.date_to):
            w.setClearButtonEnabled(True)

        self.view = QTableView(objectName="articleList")
        self.view.setAccessibleName("Articles")
        self.view.setModel(model)
        configure_row_table(self.view, stretch_column=2, widths={0: 84, 1: 104, 3: 46, 4: 84})
        self.view.setEditTriggers(
            QAbstractItemView.EditTrigger.EditKeyPressed  # F2; Enter opens the reader
            | QAbstractItemView.EditTrigger.DoubleClicked
        )
        self.view.setSortingEnabled(True)
        self.view.sortByColumn(0, Qt.SortOrder.DescendingOrder)

        self.count_label = QLabel(objectName="articleCount")
        self.count_label.setProperty("role", "muted")

        layout = _panel_layout(self, "Articles", self.count_label, (10, 10, 6, 6))
        layout.addWidget(self.search)
        filters = QHBoxLayout()
        filters.setSpacing(6)
        filters.addWidget(self.status, 1)
        filters.addWidget(self.date_from)
        filters.addWidget(self.date_to)
        layout.addLayout(filters)
        self.date_error = date_error_label(self)
        layout.addWidget(self.date_error)
        layout.addWidget(self.view, 1)

        self._debounce = QTimer(self, singleShot=True, interval=SEARCH_DEBOUNCE_MS)
        self._debounce.timeout.connect(self.apply_filter)
        self.search.textChanged.connect(self._debounce.start)
        self.date_from.textChanged.connect(self._debounce.start)
        self.date_to.textChanged.connect(self._debounce.start)
        self.status.currentIndexChanged.connect(self.apply_filter)
        self.view.selectionModel().currentRowChanged.connect(self._current_changed)
        self._keep: int | None = None  # the article to select again once its row is known
        self._complete_timer = QTimer(self, singleShot=True, interval=COMPLETE_UNPAINTED_MS)
        self._complete_timer.timeout.connect(model.complete)
        self._painted.connect(self._complete_after_paint, Qt.ConnectionType.QueuedConnection)
        self.view.viewport().installEventFilter(self)
        model.modelAboutToBeReset.connect(self._remember_current)
        model.modelReset.connect(self._after_reset)
        model.totalChanged.connect(self._total_known)
        self._update_count()

    def current_filter(self) -> ArticleFilter:
        """The filters as typed; raises DateError (and marks the box) for a date it cannot read."""
        date_from, date_to = read_date_boxes((self.date_from, "From date"), (self.date_to, "To date"))
        return ArticleFilter(
            search=self.search.text().strip(), status=self.status.currentData(), date_from=date_from, date_to=date_to
        )

    def apply_filter(self) -> None:
        """Re-query ids with the filters (debounced: one query per pause in typing). A date
        it cannot read is shown under the boxes and the list keeps its last valid filter."""
        from ..core.dates import DateError

        self._debounce.stop()
        try:
            flt = self.current_filter()
        except DateError as err:
            self.date_error.setText(str(err))
            self.date_error.show()
            return
        self.date_error.hide()
        self.date_error.clear()
        self.model.set_filter(flt)  # the open article stays selected (_remember_current)

    def stop_pending(self) -> None:
        """Drop a debounced filter that has not run yet (the window is closing)."""
        self._debounce.stop()
        self._complete_timer.stop()

    # --- a new list: its first rows, then the rest ------------------------------------------
    def _remember_current(self) -> None:
        self._keep = self.current_article_id() if self.model.keeps_selection else None

    def _after_reset(self) -> None:
        """Select the article that was selected (it stays open) if the new list has it."""
        self._update_count()
        if self.model.total() is None:
            self._complete_timer.start()  # unless a paint comes first (eventFilter)
        if self._keep is not None and self.select_article(self._keep, emit=False, load=False):
            self._keep = None

    def _total_known(self) -> None:
        self._complete_timer.stop()
        self._update_count()
        if self._keep is not None and not self.view.currentIndex().isValid():
            self.select_article(self._keep, emit=False, load=False)  # further down than the first rows
        self._keep = None

    def eventFilter(self, obj: QObject, event: QEvent) -> bool:
        if event.type() == QEvent.Type.Paint and obj is self.view.viewport() and self.model.total() is None:
            self._painted.emit()
        return False

    def _complete_after_paint(self) -> None:
        self.model.complete()

    def _update_count(self) -> None:
        total = self.model.total()
        self.count_label.setText("…" if total is None else f"{total:,}")

    def _current_changed(self, current: Any, _previous: Any) -> None:
        if current.isValid():
            self.articleActivated.emit(int(current.data(ArticleIdRole)))

    def current_article_id(self) -> int | None:
        idx = self.view.currentIndex()
        return int(idx.data(ArticleIdRole)) if idx.isValid() else None

    def select_row(self, row: int) -> None:
        if row >= self.model.rowCount():
            self.model.complete()  # past a search's first rows: the next article is further down
        if 0 <= row < self.model.rowCount():
            self.view.setCurrentIndex(self.model.index(row, 0))

    def select_article(self, article_id: int, emit: bool = True, load: bool = True) -> bool:
        """Select (and scroll to) the article's row; ``load``: read the whole list to find it."""
        row = self.model.row_of(article_id, load=load)
        if row is None:
            return False
        sm = self.view.selectionModel()
        if not emit:
            sm.blockSignals(True)
        sm.setCurrentIndex(
            self.model.index(row, 0),
            QItemSelectionModel.SelectionFlag.ClearAndSelect | QItemSelectionModel.SelectionFlag.Rows,
        )
        if not emit:
            sm.blockSignals(False)
        self.view.scrollTo(self.model.index(row, 0))
        return True
