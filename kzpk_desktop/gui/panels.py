"""The two side panels: article browser (filters + list) and annotation panel (list + form)."""

from __future__ import annotations

from typing import Any

from PySide6.QtCore import QItemSelectionModel, Qt, QTimer, Signal
from PySide6.QtWidgets import (
    QComboBox,
    QFormLayout,
    QFrame,
    QHBoxLayout,
    QLabel,
    QLineEdit,
    QTableView,
    QVBoxLayout,
    QWidget,
)

from ..core.dates import parse_date
from ..core.schema import ANNOTATION_STATUSES
from ..core.store import ArticleFilter
from .annotation_model import AnnotationIdRole, AnnotationTableModel
from .article_model import STATUS_TEXT, ArticleIdRole, ArticleTableModel
from .icons import icon, label_icon
from .table_base import configure_row_table

SEARCH_DEBOUNCE_MS = 180


def _partial_iso(text: str) -> str | None:
    """'2025', 'Sep 2025', '2025-09-09' -> ISO at the precision typed (for range filters)."""
    found = parse_date(text) if text.strip() else None
    return found.iso if found else None


def _panel_layout(panel: QWidget, title: str, count: QLabel,
                  margins: tuple[int, int, int, int]) -> QVBoxLayout:
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
        layout.addWidget(self.view, 1)

        self._debounce = QTimer(self, singleShot=True, interval=SEARCH_DEBOUNCE_MS)
        self._debounce.timeout.connect(self.apply_filter)
        self.search.textChanged.connect(self._debounce.start)
        self.date_from.textChanged.connect(self._debounce.start)
        self.date_to.textChanged.connect(self._debounce.start)
        self.status.currentIndexChanged.connect(self.apply_filter)
        self.view.selectionModel().currentRowChanged.connect(self._current_changed)
        model.modelReset.connect(self._update_count)
        self._update_count()

    def current_filter(self) -> ArticleFilter:
        return ArticleFilter(search=self.search.text().strip(), status=self.status.currentData(),
                             date_from=_partial_iso(self.date_from.text()),
                             date_to=_partial_iso(self.date_to.text()))

    def apply_filter(self) -> None:
        """Re-query ids with the filters (debounced: one query per pause in typing)."""
        self._debounce.stop()
        keep = self.current_article_id()
        self.model.set_filter(self.current_filter())
        if keep is not None:
            self.select_article(keep, emit=False)

    def stop_pending(self) -> None:
        """Drop a debounced filter that has not run yet (the window is closing)."""
        self._debounce.stop()

    def _update_count(self) -> None:
        self.count_label.setText(f"{self.model.rowCount():,}")

    def _current_changed(self, current: Any, _previous: Any) -> None:
        if current.isValid():
            self.articleActivated.emit(int(current.data(ArticleIdRole)))

    def current_article_id(self) -> int | None:
        idx = self.view.currentIndex()
        return int(idx.data(ArticleIdRole)) if idx.isValid() else None

    def select_row(self, row: int) -> None:
        if 0 <= row < self.model.rowCount():
            self.view.setCurrentIndex(self.model.index(row, 0))

    def select_article(self, article_id: int, emit: bool = True) -> bool:
        row = self.model.row_of(article_id)
        if row is None:
            return False
        sm = self.view.selectionModel()
        if not emit:
            sm.blockSignals(True)
        sm.setCurrentIndex(self.model.index(row, 0), QItemSelectionModel.SelectionFlag.ClearAndSelect
                           | QItemSelectionModel.SelectionFlag.Rows)
        if not emit:
            sm.blockSignals(False)
        self.view.scrollTo(self.model.index(row, 0))
        return True


class AnnotationPanel(QWidget):
    """Annotation list in text order, with a form to edit label, status and note."""

    annotationSelected = Signal(str)
    editRequested = Signal(str, dict)  # annotation id, {field: new value}

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setObjectName("annotationPanel")
        self.model = AnnotationTableModel(self)
        self.view = QTableView(objectName="annotationList")
        self.view.setAccessibleName("Annotations in this article")
        self.view.setModel(self.model)
        configure_row_table(self.view, stretch_column=1, widths={0: 104, 2: 84})

        self.count_label = QLabel()
        self.count_label.setProperty("role", "muted")
        self.label_box = QComboBox(objectName="annotationLabel")
        self.status_box = QComboBox(objectName="annotationStatus")
        for status in ANNOTATION_STATUSES:
            self.status_box.addItem(status.replace("_", " ").capitalize(), status)
        self.note_edit = QLineEdit(objectName="annotationNote")
        self.note_edit.setPlaceholderText("Note (Enter to save)")
        self.quote = QLabel(objectName="annotationQuote")
        self.quote.setWordWrap(True)
        self.quote.setTextFormat(Qt.TextFormat.PlainText)
        self.quote.setProperty("role", "quote")
        self.meta = QLabel(objectName="annotationMeta")
        self.meta.setProperty("role", "muted")
        self.meta.setWordWrap(True)

        self.form = QFrame(objectName="annotationForm")
        self.form.setProperty("role", "card")
        form = QFormLayout(self.form)
        form.setContentsMargins(10, 10, 10, 10)
        form.addRow(self.quote)
        form.addRow("Label", self.label_box)
        form.addRow("Status", self.status_box)
        form.addRow("Note", self.note_edit)
        form.addRow(self.meta)
        self.form.setEnabled(False)

        layout = _panel_layout(self, "Annotations", self.count_label, (6, 10, 10, 6))
        layout.addWidget(self.view, 3)
        layout.addWidget(self.form, 0)

        self.view.selectionModel().currentRowChanged.connect(self._current_changed)
        self.label_box.activated.connect(lambda _i: self._emit_edit("label", self.label_box.currentData()))
        self.status_box.activated.connect(lambda _i: self._emit_edit("status", self.status_box.currentData()))
        self.note_edit.editingFinished.connect(lambda: self._emit_edit("note", self.note_edit.text()))

    def set_labels(self, labels: list[dict[str, Any]]) -> None:
        self.model.set_labels(labels)
        self.label_box.clear()
        for lab in labels:
            self.label_box.addItem(label_icon(lab["id"], lab["color"]), lab["name"], lab["id"])

    def set_annotations(self, rows: list[dict[str, Any]], keep: str | None = None) -> None:
        keep = keep or self.current_id()
        self.model.set_rows(rows)
        n = len(rows)
        self.count_label.setText(f"{n} span{'s' if n != 1 else ''}")
        row = self.model.row_of(keep) if keep else None
        if row is not None:
            self.select(keep, emit=False)
        else:
            self._show(None)

    def current_id(self) -> str | None:
        idx = self.view.currentIndex()
        return idx.data(AnnotationIdRole) if idx.isValid() else None

    def current(self) -> dict[str, Any] | None:
        idx = self.view.currentIndex()
        return self.model.annotation(idx.row()) if idx.isValid() else None

    def select(self, annotation_id: str, emit: bool = True) -> None:
        row = self.model.row_of(annotation_id)
        if row is None:
            return
        sm = self.view.selectionModel()
        sm.blockSignals(not emit)
        sm.setCurrentIndex(self.model.index(row, 0), QItemSelectionModel.SelectionFlag.ClearAndSelect
                           | QItemSelectionModel.SelectionFlag.Rows)
        sm.blockSignals(False)
        self.view.scrollTo(self.model.index(row, 0))
        self._show(self.model.annotation(row))

    def _current_changed(self, current: Any, _previous: Any) -> None:
        row = self.model.annotation(current.row()) if current.isValid() else None
        self._show(row)
        if row:
            self.annotationSelected.emit(row["id"])

    def _show(self, row: dict[str, Any] | None) -> None:
        self.form.setEnabled(row is not None)
        if row is None:
            self.quote.setText("Select text in the article and press 1, 2 or 3 to tag it.")
            self.meta.clear()
            self.note_edit.clear()
            return
        quote = " ".join(row["text"].split())
        self.quote.setText(f"“{quote}”")
        self.label_box.setCurrentIndex(max(0, self.label_box.findData(row["label"])))
        self.status_box.setCurrentIndex(max(0, self.status_box.findData(row["status"])))
        if not self.note_edit.hasFocus():
            self.note_edit.setText(row["note"])
        self.meta.setText(f"Characters {row['start']}–{row['end']} · by {row['annotator'] or 'unknown'}"
                          f" · {row['updated_at'][:16].replace('T', ' ')} UTC")

    def _emit_edit(self, field: str, value: Any) -> None:
        row = self.current()
        if row is not None and row[field] != value:
            self.editRequested.emit(row["id"], {field: value})
