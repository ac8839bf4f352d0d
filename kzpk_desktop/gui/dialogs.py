"""Small dialogs: add a label, preferences, export options, keyboard map, about."""

from __future__ import annotations

import re
from pathlib import Path

from PySide6.QtCore import Qt
from PySide6.QtWidgets import (
    QCheckBox,
    QComboBox,
    QDialog,
    QDialogButtonBox,
    QFormLayout,
    QHBoxLayout,
    QLabel,
    QLineEdit,
    QListWidget,
    QListWidgetItem,
    QPushButton,
    QTableWidget,
    QTableWidgetItem,
    QVBoxLayout,
    QWidget,
)

from .. import __version__
from ..core.exporters.csv_export import CSV_COLUMNS
from ..core.exporters.filters import ExportFilter
from ..core.exporters.options import ExportOptions, ExportRequest
from ..core.exporters.registry import FORMATS
from ..core.review import VERDICT_SCALE
from ..core.rows import Label
from ..core.schema import ANNOTATION_STATUSES
from .ask import ask
from .plain import plain_tip

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

    def __init__(self, existing: list[Label], parent: QWidget | None = None) -> None:
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
        chosen = ask.color(self, "Label colour", self.color)
        if chosen:
            self.color = chosen
            self._paint_color()

    def _paint_color(self) -> None:
        self.color_button.setText(self.color)
        self.color_button.setStyleSheet(f"background:{self.color}; color:#111; padding:4px 12px;")

    def label(self) -> Label | None:
        """The new label, or None (with a message) when the input is not usable."""
        name = self.name.text().strip()
        label_id = re.sub(r"[^a-z0-9_]+", "_", name.lower()).strip("_")
        key = self.shortcut.text().strip().upper() or None
        if not label_id:
            ask.error(self, "Add label", "Give the label a name made of letters or digits.")
            return None
        if any(lab.id == label_id for lab in self._existing):
            ask.error(self, "Add label", f"A label called '{name}' already exists.")
            return None
        taken = {(k or "").upper() for lab in self._existing for k in (lab.shortcut, lab.alt_shortcut)}
        if key and key in taken | RESERVED_KEYS:
            ask.error(self, "Add label", f"The key '{key}' is already used (labels, L = link, N = new entity).")
            return None
        return Label(label_id, name, self.color, key, None, self.description.text().strip())


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
    """Format, filters, CSV options and destination for an export."""

    def __init__(self, labels: list[Label], current_article: int | None = None, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setWindowTitle("Export dataset")
        self.setObjectName("exportDialog")
        self.format = QComboBox(objectName="exportFormat")
        for f in FORMATS.values():
            self.format.addItem(f.title, f.name)
        self.status_boxes = {
            s: QCheckBox(s.replace("_", " "), objectName=f"exportStatus_{s}") for s in ANNOTATION_STATUSES
        }
        self.label_boxes = {lab.id: QCheckBox(lab.name, objectName=f"exportLabel_{lab.id}") for lab in labels}
        for box in (*self.status_boxes.values(), *self.label_boxes.values()):
            box.setChecked(True)
        self.verdict_only = QCheckBox("Only claims with these verdicts:", objectName="exportVerdictOnly")
        self.verdicts = QListWidget(objectName="exportVerdicts")
        for value, label, _ in VERDICT_SCALE:
            item = QListWidgetItem(label)
            item.setData(Qt.ItemDataRole.UserRole, value)
            item.setCheckState(Qt.CheckState.Checked)
            self.verdicts.addItem(item)
        self.verdicts.setMaximumHeight(90)
        self.verdicts.setEnabled(False)
        self.verdict_only.toggled.connect(self.verdicts.setEnabled)
        self.annotators = QLineEdit(objectName="exportAnnotators")
        self.annotators.setPlaceholderText("any (or names separated by commas)")
        self.date_from = QLineEdit(objectName="exportDateFrom")
        self.date_from.setPlaceholderText("articles from, e.g. 2025")
        self.date_to = QLineEdit(objectName="exportDateTo")
        self.date_to.setPlaceholderText("to")
        self.this_article = QCheckBox("Only the open article", objectName="exportThisArticle")
        self.this_article.setEnabled(current_article is not None)
        self._article = current_article
        self.bom = QCheckBox("Add a byte-order mark (for Excel)", objectName="exportBom")
        self.spreadsheet = QCheckBox(
            "For spreadsheets: alter cells that would run as formulas or turn into "
            "numbers, dates, true/false (XLSX is exact and safe)",
            objectName="exportSpreadsheet",
        )
        self.author = QLineEdit(objectName="exportAuthor")
        self.author.setPlaceholderText("publisher of the reviews (default: each reviewer)")
        self.author_type = QComboBox(objectName="exportAuthorType")
        self.author_type.addItem("Organization", "Organization")
        self.author_type.addItem("Person", "Person")
        self.base_url = QLineEdit(objectName="exportBaseUrl")
        self.base_url.setPlaceholderText("https://… where the reviews will be published (optional)")
        self.columns = QListWidget(objectName="exportColumns")
        for name, meaning in CSV_COLUMNS:
            item = QListWidgetItem(name)
            item.setToolTip(plain_tip(meaning))
            item.setCheckState(Qt.CheckState.Checked)
            self.columns.addItem(item)
        self.columns.setMaximumHeight(110)
        self.path = QLineEdit(objectName="exportPath")
        browse = QPushButton("Browse…")
        browse.clicked.connect(self._browse)

        def row(*widgets: QWidget) -> QHBoxLayout:
            box = QHBoxLayout()
            for w in widgets:
                box.addWidget(w)
            return box

        dates = row(self.date_from, self.date_to, self.this_article)
        dest = row(self.path, browse)
        dest.setStretch(0, 1)
        form = QFormLayout()
        form.addRow("Format", self.format)
        form.addRow("Statuses", row(*self.status_boxes.values()))
        form.addRow("Labels", row(*self.label_boxes.values()))
        form.addRow("", self.verdict_only)
        form.addRow("", self.verdicts)
        form.addRow("Annotators", self.annotators)
        form.addRow("Articles", dates)
        form.addRow("CSV", self.bom)
        form.addRow("", self.spreadsheet)
        form.addRow("Columns", self.columns)
        form.addRow("ClaimReview author", row(self.author, self.author_type))
        form.addRow("ClaimReview base URL", self.base_url)
        form.addRow("Save to", dest)
        buttons = _form_dialog(self, form)
        buttons.button(QDialogButtonBox.StandardButton.Ok).setText("Export")
        buttons.accepted.disconnect()
        buttons.accepted.connect(self._accept)
        self.format.currentIndexChanged.connect(self._format_changed)
        self._format_changed()

    def _format_changed(self) -> None:
        fmt = FORMATS[self.format.currentData()]
        for w in (self.bom, self.spreadsheet):
            w.setEnabled(fmt.csv_options)
        for w in (self.author, self.author_type, self.base_url):
            w.setEnabled(fmt.name == "claimreview")
        self.columns.setEnabled(fmt.columns)
        for w in (
            *self.status_boxes.values(),
            *self.label_boxes.values(),
            self.verdict_only,
            self.annotators,
            self.date_from,
            self.date_to,
        ):
            w.setEnabled(fmt.filters)
        self.this_article.setEnabled(self._article is not None and (fmt.filters or fmt.name == "jsonl"))
        current = self.path.text().strip()
        if current:
            self.path.setText(str(Path(current).with_suffix("." + fmt.extension)))

    def _browse(self) -> None:
        fmt = FORMATS[self.format.currentData()]
        path = ask.save_file(
            self, "Export to", f"{fmt.extension.upper()} files (*.{fmt.extension})", f"kzpk-{fmt.name}.{fmt.extension}"
        )
        if path:
            self.path.setText(path)

    def _accept(self) -> None:
        if not self.path.text().strip():
            ask.error(self, "Export", "Choose where to save the export.")
            return
        if self.columns.isEnabled() and not self._checked_columns():
            ask.error(self, "Export", "Choose at least one column.")
            return
        if self.date_from.isEnabled():
            from ..core.dates import DateError
            from .date_input import read_date_boxes

            try:
                read_date_boxes((self.date_from, "Articles from"), (self.date_to, "Articles to"))
            except DateError as err:
                ask.error(self, "Export", str(err))
                return
        self.accept()

    def _checked_columns(self) -> tuple[str, ...]:
        return tuple(
            self.columns.item(i).text()
            for i in range(self.columns.count())
            if self.columns.item(i).checkState() == Qt.CheckState.Checked
        )

    def options(self) -> ExportRequest:
        """What the user chose, for ``TransferCoordinator.export``."""
        from .date_input import read_date_boxes

        statuses = tuple(s for s, b in self.status_boxes.items() if b.isChecked())
        labels = tuple(lab for lab, b in self.label_boxes.items() if b.isChecked())
        verdicts = tuple(
            self.verdicts.item(i).data(Qt.ItemDataRole.UserRole)
            for i in range(self.verdicts.count())
            if self.verdicts.item(i).checkState() == Qt.CheckState.Checked
        )
        date_from, date_to = (
            (None, None)
            if not self.date_from.isEnabled()
            else read_date_boxes((self.date_from, "Articles from"), (self.date_to, "Articles to"))
        )
        flt = ExportFilter(
            status=() if len(statuses) == len(self.status_boxes) else statuses,
            label=() if len(labels) == len(self.label_boxes) else labels,
            verdict=verdicts if self.verdict_only.isChecked() else (),
            annotator=tuple(a.strip() for a in self.annotators.text().split(",") if a.strip()),
            article_id=(self._article,) if self.this_article.isChecked() and self._article else (),
            date_from=date_from,
            date_to=date_to,
        )
        columns = self._checked_columns()
        options = ExportOptions(
            bom=self.bom.isChecked() and self.bom.isEnabled(),
            spreadsheet=self.spreadsheet.isChecked() and self.spreadsheet.isEnabled(),
            author=self.author.text().strip() or None,
            author_type=self.author_type.currentData(),
            base_url=self.base_url.text().strip() or None,
            columns=None if len(columns) == self.columns.count() else columns,
        )
        return ExportRequest(self.format.currentData(), self.path.text().strip(), flt, options)


class ShortcutsDialog(QDialog):
    """The keyboard map, built from the live actions so it never goes stale."""

    def __init__(self, rows: list[tuple[str, str]], parent: QWidget | None = None) -> None:
        """``rows``: (action, keys) from the action registry (text, not QActions that may die)."""
        super().__init__(parent)
        self.setWindowTitle("Keyboard shortcuts")
        self.setObjectName("shortcutsDialog")
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
    ask.about(
        parent,
        "About kzpk_desktop",
        f"<h3>kzpk_desktop {__version__}</h3>"
        "<p>Read, tag and fact-check news about Pakistan–Kazakhstan relations.</p>"
        "<p>Every annotation is saved to SQLite the moment it is made. "
        "Offsets are Unicode code points into the stored article text.</p>",
    )


def welcome_text(labels: list[Label]) -> str:
    """The first-run welcome: what the labels mean and the keys that matter most.

    Plain text: label names and descriptions are the user's (or an imported file's) words.
    """
    rows = "\n".join(
        f"■ {lab.name}  [{' / '.join(k for k in (lab.shortcut, lab.alt_shortcut) if k)}]"
        + (f"  {lab.description}" if lab.description else "")
        for lab in labels
    )
    return (
        "The seed corpus is loaded: pick an article on the left, select text in the reader and "
        "press a label's key. Every span is saved the moment you make it.\n\n"
        f"{rows}\n\n"
        "Delete removes a span, Ctrl+Z undoes anything, N creates the entity a span names, "
        "L links a claim to its speaker or agreement, Ctrl+R starts a fact-checking session, "
        "Ctrl+E exports.\n\n"
        "All keys: Help ▸ Keyboard shortcuts (F1). The guide: Help ▸ User guide."
    )
