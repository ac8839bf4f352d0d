"""The annotation panel: the article's spans in text order and a form for the selected one.

The form edits label, status, claim type, the linked entity (with completion over names
and aliases) and the note, and lists the span's typed links. It reads through the store
and asks for every change with a signal: the window turns them into undoable commands.
"""

from __future__ import annotations

from typing import Any

from PySide6.QtCore import QItemSelectionModel, QStringListModel, Qt, Signal
from PySide6.QtGui import QAction, QKeySequence
from PySide6.QtWidgets import (
    QComboBox,
    QCompleter,
    QFormLayout,
    QFrame,
    QHBoxLayout,
    QLabel,
    QLineEdit,
    QListWidget,
    QListWidgetItem,
    QTableView,
    QToolButton,
    QWidget,
)

from ..core.names import name_key
from ..core.relations import describe
from ..core.rows import Annotation, Label
from ..core.schema import ANNOTATION_STATUSES, CLAIM_TYPES
from ..core.store import Store
from .annotation_model import AnnotationIdRole, AnnotationTableModel
from .icons import label_icon
from .panels import _panel_layout
from .plain import plain_label
from .table_base import configure_row_table

ENTITY_LABELS = ("actor", "agreement")


class AnnotationPanel(QWidget):
    annotationSelected = Signal(str)
    editRequested = Signal(str, dict)  # annotation id, {field: new value}
    newEntityRequested = Signal(str)  # annotation id
    relationDeleteRequested = Signal(str)  # relation id
    message = Signal(str)
    selectionMoved = Signal()  # the current span changed, by the user or by code (actions re-check)

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setObjectName("annotationPanel")
        self.store: Store | None = None
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
        self.claim_type = QComboBox(objectName="claimType")
        self.claim_type.addItem("—", None)
        for kind in CLAIM_TYPES:
            self.claim_type.addItem(kind.capitalize(), kind)
        self.entity_edit = QLineEdit(objectName="entityEdit")
        self.entity_edit.setPlaceholderText("Type a name or alias…")
        self._entity_model = QStringListModel(self)
        self._entity_ids: dict[str, int] = {}
        completer = QCompleter(self._entity_model, self)
        completer.setCaseSensitivity(Qt.CaseSensitivity.CaseInsensitive)
        completer.setFilterMode(Qt.MatchFlag.MatchContains)
        self.entity_edit.setCompleter(completer)
        self.new_entity_button = QToolButton(objectName="newEntityButton")
        self.new_entity_button.setText("New")
        self.new_entity_button.setToolTip("Create an entity named by this span and link it (N)")
        entity_row = QHBoxLayout()
        entity_row.setSpacing(4)
        entity_row.addWidget(self.entity_edit, 1)
        entity_row.addWidget(self.new_entity_button)
        self._entity_row = entity_row
        self.note_edit = QLineEdit(objectName="annotationNote")
        self.note_edit.setPlaceholderText("Note (Enter to save)")
        self.links = QListWidget(objectName="relationList")
        self.links.setMaximumHeight(84)
        self.links.setToolTip("Links of this span. L starts a link; Delete removes the selected one.")
        self.remove_link = QAction("Remove link", self.links)
        self.remove_link.setObjectName("actionRemoveLink")
        self.remove_link.setShortcut(QKeySequence(Qt.Key.Key_Delete))
        self.remove_link.setShortcutContext(Qt.ShortcutContext.WidgetShortcut)
        self.links.addAction(self.remove_link)
        self.links.setContextMenuPolicy(Qt.ContextMenuPolicy.ActionsContextMenu)
        self.quote = QLabel(objectName="annotationQuote")
        self.quote.setWordWrap(True)
        self.quote.setTextFormat(Qt.TextFormat.PlainText)
        self.quote.setProperty("role", "quote")
        self.meta = plain_label(QLabel(objectName="annotationMeta"))
        self.meta.setProperty("role", "muted")
        self.meta.setWordWrap(True)

        self.form = QFrame(objectName="annotationForm")
        self.form.setProperty("role", "card")
        form = QFormLayout(self.form)
        form.setContentsMargins(10, 10, 10, 10)
        form.addRow(self.quote)
        form.addRow("Label", self.label_box)
        form.addRow("Status", self.status_box)
        form.addRow("Claim type", self.claim_type)
        form.addRow("Entity", entity_row)
        form.addRow("Note", self.note_edit)
        form.addRow("Links", self.links)
        form.addRow(self.meta)
        self._form_layout = form
        self._visible_rows: dict[int, bool] = {}
        self.form.setEnabled(False)

        layout = _panel_layout(self, "Annotations", self.count_label, (6, 10, 10, 6))
        layout.addWidget(self.view, 3)
        layout.addWidget(self.form, 0)

        self.view.selectionModel().currentRowChanged.connect(self._current_changed)
        self.label_box.activated.connect(lambda _i: self._emit_edit("label", self.label_box.currentData()))
        self.status_box.activated.connect(lambda _i: self._emit_edit("status", self.status_box.currentData()))
        self.claim_type.activated.connect(lambda _i: self._emit_edit("claim_type", self.claim_type.currentData()))
        self.note_edit.editingFinished.connect(lambda: self._emit_edit("note", self.note_edit.text()))
        completer.activated.connect(self._entity_chosen)
        self.entity_edit.editingFinished.connect(lambda: self._entity_chosen(self.entity_edit.text()))
        self.new_entity_button.clicked.connect(self._new_entity)
        self.remove_link.triggered.connect(self._remove_link)

    # --- data -----------------------------------------------------------------------------
    def set_store(self, store: Store | None) -> None:
        self.store = store

    def set_labels(self, labels: list[Label]) -> None:
        self.model.set_labels(labels)
        self.label_box.clear()
        for lab in labels:
            self.label_box.addItem(label_icon(lab.id, lab.color), lab.name, lab.id)

    def set_annotations(self, rows: list[Annotation], keep: str | None = None) -> None:
        keep = keep or self.current_id()
        self.model.set_rows(rows)
        n = len(rows)
        self.count_label.setText(f"{n} span{'s' if n != 1 else ''}")
        if keep and self.model.row_of(keep) is not None:
            self.select(keep, emit=False)
        else:
            self._show(None)

    def apply_changes(self, upserts: list[Annotation], removed: list[str]) -> None:
        keep = self.current_id()
        self.model.apply_changes(upserts, removed)
        n = self.model.rowCount()
        self.count_label.setText(f"{n} span{'s' if n != 1 else ''}")
        touched = {r.id for r in upserts} | set(removed)
        if keep is None or keep not in touched:
            return  # the form shows an untouched annotation: leave it (no relayout)
        if self.model.row_of(keep) is not None:
            self.select(keep, emit=False)
        else:
            self._show(None)

    def current_id(self) -> str | None:
        idx = self.view.currentIndex()
        return idx.data(AnnotationIdRole) if idx.isValid() else None

    def current(self) -> Annotation | None:
        idx = self.view.currentIndex()
        return self.model.annotation(idx.row()) if idx.isValid() else None

    def select(self, annotation_id: str, emit: bool = True) -> None:
        row = self.model.row_of(annotation_id)
        if row is None:
            return
        sm = self.view.selectionModel()
        sm.blockSignals(not emit)
        sm.setCurrentIndex(
            self.model.index(row, 0),
            QItemSelectionModel.SelectionFlag.ClearAndSelect | QItemSelectionModel.SelectionFlag.Rows,
        )
        sm.blockSignals(False)
        self.view.scrollTo(self.model.index(row, 0))
        self._show(self.model.annotation(row))
        self.selectionMoved.emit()

    def _current_changed(self, current: Any, _previous: Any) -> None:
        row = self.model.annotation(current.row()) if current.isValid() else None
        self._show(row)
        self.selectionMoved.emit()
        if row:
            self.annotationSelected.emit(row.id)

    # --- the form -------------------------------------------------------------------------
    def _show(self, row: Annotation | None) -> None:
        self.form.setEnabled(row is not None)
        self.links.clear()
        if row is None:
            self.quote.setText("Select text in the article and press 1, 2 or 3 to tag it.")
            self.meta.clear()
            self.note_edit.clear()
            self.entity_edit.clear()
            return
        quote = " ".join(row.text.split())
        self.quote.setText(f"“{quote}”")
        self.label_box.setCurrentIndex(max(0, self.label_box.findData(row.label)))
        self.status_box.setCurrentIndex(max(0, self.status_box.findData(row.status)))
        self.claim_type.setCurrentIndex(max(0, self.claim_type.findData(row.claim_type)))
        is_entity = row.label in ENTITY_LABELS
        self._row_visible(self.claim_type, row.label == "claim")
        self._row_visible(self._entity_row, is_entity)
        if not self.note_edit.hasFocus():
            self.note_edit.setText(row.note)
        if self.store is not None:
            if is_entity:
                self._load_entity_choices(row.label)
                name = self.store.entities.get(row.entity_id).name if row.entity_id else ""
                if not self.entity_edit.hasFocus():
                    self.entity_edit.setText(name)
            for rel in self.store.annotations.relations_of(row.id):
                item = QListWidgetItem(describe(self.store, rel, row.id))
                item.setData(Qt.ItemDataRole.UserRole, rel.id)
                self.links.addItem(item)
        self._row_visible(self.links, self.links.count() > 0)
        self.meta.setText(
            f"Characters {row.start}–{row.end} · by {row.annotator or 'unknown'}"
            f" · {row.updated_at[:16].replace('T', ' ')} UTC"
        )

    def _row_visible(self, row: Any, visible: bool) -> None:
        """Show or hide a form row only when that changes (each toggle relays out the panel)."""
        if self._visible_rows.get(id(row)) != visible:
            self._visible_rows[id(row)] = visible
            self._form_layout.setRowVisible(row, visible)

    def _load_entity_choices(self, kind: str) -> None:
        assert self.store is not None
        shown: list[str] = []
        self._entity_ids = {}
        for eid, text, name in self.store.entities.names(kind):
            label = text if text == name else f"{text} → {name}"  # an alias shows its canonical name
            shown.append(label)
            self._entity_ids[label] = eid
            self._entity_ids.setdefault(name_key(text), eid)
        self._entity_model.setStringList(shown)

    def _entity_chosen(self, text: str) -> None:
        row = self.current()
        if row is None or row.label not in ENTITY_LABELS:
            return
        text = text.strip()
        if not text:
            if row.entity_id is not None:
                self.editRequested.emit(row.id, {"entity_id": None})
            return
        eid = self._entity_ids.get(text) or self._entity_ids.get(name_key(text))
        if eid is None:
            self.message.emit(f"No {row.label} called '{text}' yet: press New to create it from the span.")
            return
        if eid != row.entity_id:
            self.editRequested.emit(row.id, {"entity_id": eid})

    def _new_entity(self) -> None:
        row = self.current()
        if row is not None:
            self.newEntityRequested.emit(row.id)

    def _remove_link(self) -> None:
        item = self.links.currentItem()
        if item is not None:
            self.relationDeleteRequested.emit(item.data(Qt.ItemDataRole.UserRole))

    def _emit_edit(self, field: str, value: Any) -> None:
        row = self.current()
        if row is not None and getattr(row, field) != value:
            self.editRequested.emit(row.id, {field: value})
