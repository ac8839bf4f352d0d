"""Every modal question the GUI asks goes through here, so tests can answer instead."""

from __future__ import annotations

from PySide6.QtWidgets import QFileDialog, QInputDialog, QMessageBox, QWidget


class Ask:
    """Replace attributes of :data:`ask` in tests (e.g. ``monkeypatch.setattr(ask, "error", ...)``)."""

    def error(self, parent: QWidget | None, title: str, text: str, details: str = "") -> None:
        box = QMessageBox(QMessageBox.Icon.Critical, title, text, QMessageBox.StandardButton.Ok, parent)
        if details:
            box.setDetailedText(details)
        box.exec()

    def info(self, parent: QWidget | None, title: str, text: str, details: str = "") -> None:
        box = QMessageBox(QMessageBox.Icon.Information, title, text, QMessageBox.StandardButton.Ok, parent)
        if details:
            box.setDetailedText(details)
        box.exec()

    def open_files(self, parent: QWidget | None, title: str, filters: str) -> list[str]:
        files, _ = QFileDialog.getOpenFileNames(parent, title, "", filters)
        return files

    def open_file(self, parent: QWidget | None, title: str, filters: str) -> str:
        path, _ = QFileDialog.getOpenFileName(parent, title, "", filters)
        return path

    def save_file(self, parent: QWidget | None, title: str, filters: str, start: str = "") -> str:
        path, _ = QFileDialog.getSaveFileName(parent, title, start, filters)
        return path

    def directory(self, parent: QWidget | None, title: str) -> str:
        return QFileDialog.getExistingDirectory(parent, title)

    def confirm(self, parent: QWidget | None, title: str, text: str) -> bool:
        answer = QMessageBox.question(parent, title, text)
        return answer == QMessageBox.StandardButton.Yes

    def choose(self, parent: QWidget | None, title: str, label: str, items: list[str]) -> str | None:
        result, ok = QInputDialog.getItem(parent, title, label, items, 0, False)
        return result if ok else None

    def text(self, parent: QWidget | None, title: str, label: str, value: str = "") -> str | None:
        result, ok = QInputDialog.getText(parent, title, label, text=value)
        return result if ok else None


ask = Ask()
