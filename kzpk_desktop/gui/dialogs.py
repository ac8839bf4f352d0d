"""Small dialogs: add a label, preferences, export options, keyboard map, about."""

from __future__ import annotations

import re
from typing import Any

from PySide6.QtGui import QColor, QKeySequence
from PySide6.QtWidgets import (
    QCheckBox,
    QColorDialog,
    QComboBox,
    QDialog,
    QDialogButtonBox,
    QFormLayout,
    QHBoxLayout,
    QLabel,
    QLineEdit,
    QMessageBox,
    QPushButton,
    QTableWidget,
    QTableWidgetItem,
    QVBoxLayout,
    QWidget,
)

from .. import __version__
from ..core.schema import ANNOTATION_STATUSES
from .ask import ask

RESERVED_KEYS = {"L", "N"}  # link spans, new entity from span


def _form_dialog(dialog: QDialog, form: QFormLayout) -> QDialogButtonBox:
    """Lay out ``form`` above OK/Cancel wired to accept/reject; returns the buttons."""
    buttons = _ok_buttons(dialog)
    layout = QVBoxLayout(dialog)
    layout.addLayout(form)
    layout.addWidget(buttons)
    return buttons


def _ok_buttons(dialog: QDialog, ok_text: str = "OK") -> QDialogButtonBox:
    """OK/Cancel wired to accept/reject, for dialogs that lay themselves out."""
    buttons = QDialogButtonBox(QDialogButtonBox.StandardButton.Ok | QDialogButtonBox.StandardButton.Cancel)
    buttons.button(QDialogButtonBox.StandardButton.Ok).setText(ok_text)
    buttons.accepted.connect(dialog.accept)
    buttons.rejected.connect(dialog.reject)
    return buttons


class LabelDialog(QDialog):
    """Add a label: name, colour and a one-key shortcut."""

    def __init__(self, existing: list[dict[str, Any]], parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setWindowTitle("Add label")
        self.setObjectName("labelDialog")
        self._existing = existing
        self.name = QLineEdit(objectName="labelName")
        self.name.setPlaceholderText("e.g. Statistic")
        self.color = "#B07CD8"
        self.color_button = QPushButton(objectName="labelColor")
        self.color_button.clicked.connect(self._pick_color)
        self.shortcut = QLineEdit(objectName="labelShortcut")
        self.shortcut.setMaxLength(1)
        self.shortcut.setPlaceholderText("one key, e.g. 4")
        self.description = QLineEdit(objectName="labelDescription")
        form = QFormLayout()
        form.addRow("Name", self.name)
        form.addRow("Colour", self.color_button)
        form.addRow("Shortcut", self.shortcut)
        form.addRow("Description", self.description)
        _form_dialog(self, form)
        self._paint_color()

    def _pick_color(self) -> None:
        chosen = QColorDialog.getColor(QColor(self.color), self, "Label colour")
        if chosen.isValid():
            self.color = chosen.name()
            self._paint_color()

    def _paint_color(self) -> None:
        self.color_button.setText(self.color)
        self.color_button.setStyleSheet(f"background:{self.color}; color:#111; padding:4px 12px;")

    def label(self) -> dict[str, Any] | None:
        """The new label, or None (with a message) when the input is not usable."""
        name = self.name.text().strip()
        label_id = re.sub(r"[^a-z0-9_]+", "_", name.lower()).strip("_")
        key = self.shortcut.text().strip().upper() or None
        if not label_id:
            ask.error(self, "Add label", "Give the label a name made of letters or digits.")
            return None
        if any(lab["id"] == label_id for lab in self._existing):
            ask.error(self, "Add label", f"A label called '{name}' already exists.")
            return None
        taken = {str(lab.get(k) or "").upper() for lab in self._existing
                 for k in ("shortcut", "alt_shortcut")}
        if key and key in taken | RESERVED_KEYS:
            ask.error(self, "Add label", f"The key '{key}' is already used (labels, L = link, N = new entity).")
            return None
        return {"id": label_id, "name": name, "color": self.color, "shortcut": key,
                "alt_shortcut": None, "description": self.description.text().strip()}


class PreferencesDialog(QDialog):
    def __init__(self, annotator: str, snap: bool, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setWindowTitle("Preferences")
        self.setObjectName("preferencesDialog")
        self.annotator = QLineEdit(annotator, objectName="annotatorName")
        self.snap = QCheckBox("Snap selections to whole words", objectName="snapWords")
        self.snap.setChecked(snap)
        form = QFormLayout()
        form.addRow("Your name (recorded on every change)", self.annotator)
        form.addRow(self.snap)
        _form_dialog(self, form)


class ExportDialog(QDialog):
    """Format, filters and destination for an export."""

    FORMATS = (("csv", "CSV — one row per annotation (spreadsheets, pandas, R)"),
               ("jsonl", "JSONL — one record per article with text and spans (re-importable)"))

    def __init__(self, labels: list[dict[str, Any]], parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setWindowTitle("Export dataset")
        self.setObjectName("exportDialog")
        self.format = QComboBox(objectName="exportFormat")
        for key, text in self.FORMATS:
            self.format.addItem(text, key)
        self.status_boxes = {s: QCheckBox(s.replace("_", " "), objectName=f"exportStatus_{s}")
                             for s in ANNOTATION_STATUSES}
        self.label_boxes = {lab["id"]: QCheckBox(lab["name"], objectName=f"exportLabel_{lab['id']}")
                            for lab in labels}
        for box in (*self.status_boxes.values(), *self.label_boxes.values()):
            box.setChecked(True)
        self.bom = QCheckBox("Add a byte-order mark (for Excel)", objectName="exportBom")
        self.safe = QCheckBox("Neutralise cells a spreadsheet would run as formulas",
                              objectName="exportSafe")
        self.safe.setChecked(True)
        self.path = QLineEdit(objectName="exportPath")
        browse = QPushButton("Browse…")
        browse.clicked.connect(self._browse)
        statuses = QHBoxLayout()
        for box in self.status_boxes.values():
            statuses.addWidget(box)
        labels_row = QHBoxLayout()
        for box in self.label_boxes.values():
            labels_row.addWidget(box)
        dest = QHBoxLayout()
        dest.addWidget(self.path, 1)
        dest.addWidget(browse)
        form = QFormLayout()
        form.addRow("Format", self.format)
        form.addRow("Statuses", statuses)
        form.addRow("Labels", labels_row)
        form.addRow("", self.bom)
        form.addRow("", self.safe)
        form.addRow("Save to", dest)
        buttons = _form_dialog(self, form)
        buttons.button(QDialogButtonBox.StandardButton.Ok).setText("Export")
        buttons.accepted.disconnect()
        buttons.accepted.connect(self._accept)
        self.format.currentIndexChanged.connect(self._format_changed)

    def _format_changed(self) -> None:
        csv = self.format.currentData() == "csv"
        for w in (self.bom, self.safe, *self.status_boxes.values(), *self.label_boxes.values()):
            w.setEnabled(csv)

    def _browse(self) -> None:
        ext = self.format.currentData()
        path = ask.save_file(self, "Export to", f"{ext.upper()} files (*.{ext})", f"kzpk-export.{ext}")
        if path:
            self.path.setText(path)

    def _accept(self) -> None:
        if not self.path.text().strip():
            ask.error(self, "Export", "Choose where to save the export.")
            return
        self.accept()

    def options(self) -> dict[str, Any]:
        return {
            "format": self.format.currentData(),
            "path": self.path.text().strip(),
            "status": tuple(s for s, b in self.status_boxes.items() if b.isChecked()),
            "label": tuple(lab for lab, b in self.label_boxes.items() if b.isChecked()),
            "bom": self.bom.isChecked(),
            "safe": self.safe.isChecked(),
        }


class ShortcutsDialog(QDialog):
    """The keyboard map, built from the live actions so it never goes stale."""

    def __init__(self, actions: list[Any], parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setWindowTitle("Keyboard shortcuts")
        self.setObjectName("shortcutsDialog")
        rows = [(a.text().replace("&", ""), ", ".join(s.toString(QKeySequence.SequenceFormat.NativeText)
                                                      for s in a.shortcuts()))
                for a in actions if a.shortcuts()]
        table = QTableWidget(len(rows), 2, self)
        table.setHorizontalHeaderLabels(["Action", "Keys"])
        table.verticalHeader().hide()
        table.setEditTriggers(QTableWidget.EditTrigger.NoEditTriggers)
        for i, (name, keys) in enumerate(rows):
            table.setItem(i, 0, QTableWidgetItem(name))
            table.setItem(i, 1, QTableWidgetItem(keys))
        table.resizeColumnsToContents()
        table.horizontalHeader().setStretchLastSection(True)
        layout = QVBoxLayout(self)
        hint = QLabel("Label keys work while the article text has focus: select text, press the key.")
        hint.setWordWrap(True)
        layout.addWidget(hint)
        layout.addWidget(table)
        self.resize(460, 420)


def about(parent: QWidget) -> None:
    QMessageBox.about(
        parent, "About kzpk_desktop",
        f"<h3>kzpk_desktop {__version__}</h3>"
        "<p>Read, tag and fact-check news about Pakistan–Kazakhstan relations.</p>"
        "<p>Every annotation is saved to SQLite the moment it is made. "
        "Offsets are Unicode code points into the stored article text.</p>",
    )


