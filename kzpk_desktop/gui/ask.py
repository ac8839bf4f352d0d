"""Every modal question the GUI asks goes through here, so tests can answer instead.

Messages often quote stored text (a title, a name, a file name), so every box shows
its text as plain text (see ``plain``); only :meth:`Ask.about` takes markup, and it is
given the app's own words.
"""

from __future__ import annotations

from typing import TYPE_CHECKING

from PySide6.QtCore import Qt
from PySide6.QtWidgets import QWidget

from .plain import plain_labels

if TYPE_CHECKING:
    from PySide6.QtWidgets import QInputDialog, QMessageBox

# The dialog classes are imported where a question is asked: PySide6 builds a class's Python
# enums when the class is first fetched from its module, and a window that starts without a
# question need not pay for them (issue 20's start-up).


def _box(
    icon: QMessageBox.Icon,
    parent: QWidget | None,
    title: str,
    text: str,
    buttons: QMessageBox.StandardButton,
    details: str = "",
) -> QMessageBox:
    from PySide6.QtWidgets import QMessageBox

    box = QMessageBox(icon, title, text, buttons, parent)
    box.setTextFormat(Qt.TextFormat.PlainText)
    if details:
        box.setDetailedText(details)  # always plain in Qt
    return box


def _input(parent: QWidget | None, title: str, label: str) -> QInputDialog:
    from PySide6.QtWidgets import QInputDialog

    dialog = QInputDialog(parent)
    dialog.setWindowTitle(title)
    dialog.setLabelText(label)
    return dialog


class Ask:
    """Replace attributes of :data:`ask` in tests (e.g. ``monkeypatch.setattr(ask, "error", ...)``)."""

    def error(self, parent: QWidget | None, title: str, text: str, details: str = "") -> None:
        from PySide6.QtWidgets import QMessageBox

        _Button = QMessageBox.StandardButton
        _box(QMessageBox.Icon.Critical, parent, title, text, _Button.Ok, details).exec()

    def info(self, parent: QWidget | None, title: str, text: str, details: str = "") -> None:
        from PySide6.QtWidgets import QMessageBox

        _Button = QMessageBox.StandardButton
        _box(QMessageBox.Icon.Information, parent, title, text, _Button.Ok, details).exec()

    def about(self, parent: QWidget | None, title: str, app_html: str) -> None:
        """The About box: markup written by the app itself, never stored text."""
        from PySide6.QtWidgets import QMessageBox

        QMessageBox.about(parent, title, app_html)

    def open_files(self, parent: QWidget | None, title: str, filters: str) -> list[str]:
        from PySide6.QtWidgets import QFileDialog

        files, _ = QFileDialog.getOpenFileNames(parent, title, "", filters)
        return files

    def open_file(self, parent: QWidget | None, title: str, filters: str) -> str:
        from PySide6.QtWidgets import QFileDialog

        path, _ = QFileDialog.getOpenFileName(parent, title, "", filters)
        return path

    def save_file(self, parent: QWidget | None, title: str, filters: str, start: str = "") -> str:
        from PySide6.QtWidgets import QFileDialog

        path, _ = QFileDialog.getSaveFileName(parent, title, start, filters)
        return path

    def directory(self, parent: QWidget | None, title: str) -> str:
        from PySide6.QtWidgets import QFileDialog

        return QFileDialog.getExistingDirectory(parent, title)

    def confirm(self, parent: QWidget | None, title: str, text: str) -> bool:
        from PySide6.QtWidgets import QMessageBox

        _Button = QMessageBox.StandardButton
        box = _box(QMessageBox.Icon.Question, parent, title, text, _Button.Yes | _Button.No)
        return box.exec() == _Button.Yes

    def choose(self, parent: QWidget | None, title: str, label: str, items: list[str]) -> str | None:
        dialog = _input(parent, title, label)
        dialog.setComboBoxItems(items)
        dialog.setComboBoxEditable(False)
        plain_labels(dialog)
        return dialog.textValue() if dialog.exec() else None

    def text(self, parent: QWidget | None, title: str, label: str, value: str = "") -> str | None:
        from PySide6.QtWidgets import QLineEdit

        dialog = _input(parent, title, label)
        dialog.setTextEchoMode(QLineEdit.EchoMode.Normal)
        dialog.setTextValue(value)
        plain_labels(dialog)
        return dialog.textValue() if dialog.exec() else None

    def color(self, parent: QWidget | None, title: str, initial: str) -> str | None:
        """A colour as ``#rrggbb``, or None when cancelled."""
        from PySide6.QtGui import QColor
        from PySide6.QtWidgets import QColorDialog

        chosen = QColorDialog.getColor(QColor(initial), parent, title)
        return chosen.name() if chosen.isValid() else None


ask = Ask()
