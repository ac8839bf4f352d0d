"""The "Edit article details" dialog and its coordinator: title, date, outlet, URL, language
and author corrected by the researcher, each save one undoable ``EditArticleMetadata``.

Metadata read from real articles is often wrong or missing (a template's date, a site's
name as title); the researcher fixes it here, or in place in the article list, and sees
where each stored title and date came from. Everything shown is plain text: titles and
outlets come from untrusted files.
"""

from __future__ import annotations

from collections.abc import Mapping

from PySide6.QtCore import Qt
from PySide6.QtWidgets import QDialog, QDialogButtonBox, QFormLayout, QLabel, QLineEdit, QVBoxLayout, QWidget

from ..core import operations as ops
from ..core.errors import KzpkError
from ..core.store.article_metadata import ArticleMetadata, article_metadata
from .desk import Desk

# Where a stored title or date came from (title_source, date_source), as the dialog says it.
ORIGIN_TEXT = {
    "text": "from the text",
    "html-meta": "from the page's metadata",
    "epub-dc": "from the e-book's metadata",
    "pdf-info": "from the PDF's document properties (often an export's date)",
    "docx-core": "from the Word file's properties (often a template's date)",
    "odt-meta": "from the OpenDocument file's properties",
    "file-name": "from the file name (no headline was found)",
    "user": "typed by you",
}
PRECISION_TEXT = {"day": "day", "month": "month only", "year": "year only"}
FIELDS = (
    ("title", "&Title"),
    ("date", "&Date"),
    ("source", "&Outlet / source"),
    ("url", "&URL"),
    ("language", "&Language"),
    ("author", "&Author"),
)
HINTS = {
    "date": "2025, 2025-09 or 2025-09-09",
    "url": "https://…",
    "language": "en, ru, ur, kk…",
    "source": "e.g. Dawn, TASS, The Astana Times",
}


def origin_text(origin: str | None) -> str:
    return ORIGIN_TEXT.get(origin or "", f"from {origin}" if origin else "source not recorded")


def _plain_label(name: str) -> QLabel:
    label = QLabel()
    label.setObjectName(name)
    label.setTextFormat(Qt.TextFormat.PlainText)
    label.setWordWrap(True)
    label.setProperty("role", "muted")
    return label


class ArticleDetailsDialog(QDialog):
    """Shows one article's metadata; ``changes()`` holds only the fields the researcher edited."""

    def __init__(self, article_id: int, meta: ArticleMetadata, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setObjectName("articleDetailsDialog")
        self.setWindowTitle("Article details")
        self.setMinimumWidth(520)
        self.article_id = article_id
        self.initial = {key: getattr(meta, key) or "" for key, _ in FIELDS}
        self.boxes: dict[str, QLineEdit] = {}
        form = QFormLayout()
        for key, text in FIELDS:
            box = QLineEdit(self.initial[key], objectName=f"meta_{key}")
            box.setPlaceholderText(HINTS.get(key, "not stated"))
            self.boxes[key] = box
            label = QLabel(text)
            label.setBuddy(box)
            form.addRow(label, box)
            if key == "title":
                self.title_origin = _plain_label("titleOrigin")
                self.title_origin.setText(f"Title {origin_text(meta.title_source)}.")
                form.addRow("", self.title_origin)
            elif key == "date":
                self.date_origin = _plain_label("dateOrigin")
                self.date_origin.setText(self._date_origin(meta))
                form.addRow("", self.date_origin)
        self.error = _plain_label("articleDetailsError")
        self.error.setStyleSheet("color: palette(link-visited);")
        self.error.hide()
        buttons = QDialogButtonBox(QDialogButtonBox.StandardButton.Ok | QDialogButtonBox.StandardButton.Cancel)
        buttons.accepted.connect(self.accept)
        buttons.rejected.connect(self.reject)
        layout = QVBoxLayout(self)
        layout.addLayout(form)
        layout.addWidget(self.error)
        layout.addWidget(buttons)
        self.boxes["date"].textChanged.connect(self._date_typed)

    @staticmethod
    def _date_origin(meta: ArticleMetadata) -> str:
        if not meta.date:
            return "No date was found; type one if the article states it."
        precision = PRECISION_TEXT.get(meta.date_precision or "", meta.date_precision or "")
        found = f", written “{meta.date_raw}”" if meta.date_raw and meta.date_raw != meta.date else ""
        return f"Date ({precision}) {origin_text(meta.date_source)}{found}."

    def _date_typed(self, text: str) -> None:
        """Say at once how a typed date will be stored (its precision), or why it cannot be."""
        if text.strip() == self.initial["date"]:
            return
        try:
            values = self._validated({"date": text})
        except KzpkError as err:
            self.date_origin.setText(str(err))
            return
        if values.get("date") is None:
            self.date_origin.setText("The date will be cleared.")
        else:
            self.date_origin.setText(
                f"Will be stored as {values['date']} ({PRECISION_TEXT[str(values['date_precision'])]}), typed by you."
            )

    def _validated(self, changes: Mapping[str, str]) -> dict[str, str | None]:
        return ops.EditArticleMetadata(self.article_id, changes, "").stored_values()

    def changes(self) -> dict[str, str]:
        """The edited fields only: an untouched date keeps saying where it came from."""
        return {
            key: box.text()
            for key, box in self.boxes.items()
            if " ".join(box.text().split()) != " ".join(self.initial[key].split())
        }

    def accept(self) -> None:
        """Refuse a value the operation would refuse, with its sentence; the dialog stays open."""
        try:
            self._validated(self.changes())
        except KzpkError as err:
            self.error.setText(str(err))
            self.error.show()
            return
        super().accept()


class ArticleDetailsCoordinator:
    """Runs metadata edits (from the dialog or the article list) through the desk."""

    def __init__(self, desk: Desk) -> None:
        self.desk = desk
        self.dialog: ArticleDetailsDialog | None = None

    def edit_dialog(self) -> ArticleDetailsDialog | None:
        """Open the details of the open article (window-modal; OK saves)."""
        d = self.desk
        if d.store is None or d.article_id is None:
            d.status("Open an article first.", 4000)
            return None
        article_id = d.article_id
        try:
            meta = article_metadata(d.store, article_id)
        except KzpkError as err:
            d.status(str(err), 6000)
            return None
        dialog = ArticleDetailsDialog(article_id, meta, d.window)
        dialog.setAttribute(Qt.WidgetAttribute.WA_DeleteOnClose)
        dialog.accepted.connect(lambda: self.save(article_id, dialog.changes()))
        dialog.destroyed.connect(lambda: setattr(self, "dialog", None))
        self.dialog = dialog
        dialog.open()
        return dialog

    def save(self, article_id: int, changes: Mapping[str, str | None]) -> bool:
        if not changes:
            return True
        ok = self.desk.run(ops.EditArticleMetadata(article_id, dict(changes), self.desk.annotator))
        if ok:
            self.desk.status("Article details saved (Ctrl+Z undoes).", 5000)
        return ok

    def edit_cell(self, article_id: int, key: str, value: str) -> bool:
        """An in-place edit of the article list's title, source or date cell."""
        return self.save(article_id, {key: value})
