"""Find in the open article: every hit highlighted, next and previous, the current one selected
(so a label key tags it at once). The search itself is ``core.offsets.find_all``."""

from __future__ import annotations

from PySide6.QtCore import QEvent, Qt
from PySide6.QtGui import QKeyEvent
from PySide6.QtWidgets import QCheckBox, QHBoxLayout, QLabel, QLineEdit, QToolButton, QWidget

from ..core.offsets import find_all
from .reader import ReaderView


class _FindEdit(QLineEdit):
    """Enter: next hit, Shift+Enter: previous, Esc: back to the reader with the hit selected."""

    def __init__(self, bar: FindBar) -> None:
        super().__init__(objectName="findInArticle")
        self.bar = bar

    def event(self, event: QEvent) -> bool:
        # Esc and Enter belong to the find box while it has focus (Esc is also a window shortcut)
        if (
            event.type() == QEvent.Type.ShortcutOverride
            and isinstance(event, QKeyEvent)
            and event.key() in (Qt.Key.Key_Escape, Qt.Key.Key_Return, Qt.Key.Key_Enter)
        ):
            event.accept()
            return True
        return super().event(event)

    def keyPressEvent(self, event: QKeyEvent) -> None:
        if event.key() in (Qt.Key.Key_Return, Qt.Key.Key_Enter):
            self.bar.step(-1 if event.modifiers() & Qt.KeyboardModifier.ShiftModifier else 1)
        elif event.key() == Qt.Key.Key_Escape:
            self.bar.close_bar()
        else:
            super().keyPressEvent(event)


class FindBar(QWidget):
    def __init__(self, reader: ReaderView, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setObjectName("findBar")
        self.reader = reader
        self.hits: list[tuple[int, int]] = []
        self.current = -1
        self.edit = _FindEdit(self)
        self.edit.setPlaceholderText("Find in this article (Enter: next, Shift+Enter: previous, Esc: close)")
        self.edit.setClearButtonEnabled(True)
        self.case = QCheckBox("Match case", objectName="findMatchCase")
        self.count = QLabel(objectName="findCount")
        self.count.setTextFormat(Qt.TextFormat.PlainText)
        lay = QHBoxLayout(self)
        lay.setContentsMargins(0, 2, 0, 2)
        lay.addWidget(self.edit, 1)
        lay.addWidget(self.case)
        lay.addWidget(self.count)
        for text, tip, slot in (
            ("↑", "Previous (Shift+F3)", lambda: self.step(-1)),
            ("↓", "Next (F3)", lambda: self.step(1)),
            ("✕", "Close (Esc)", self.close_bar),
        ):
            button = QToolButton(text=text, toolTip=tip)
            button.clicked.connect(slot)
            lay.addWidget(button)
        self.edit.textChanged.connect(self.search)
        self.case.toggled.connect(self.search)
        self.hide()

    def open_bar(self) -> None:
        selected = self.reader.textCursor().selectedText()
        if selected and "\u2029" not in selected and len(selected) < 100:
            self.edit.setText(selected)
        self.show()
        self.edit.setFocus()
        self.edit.selectAll()
        self.search()

    def close_bar(self) -> None:
        self.hide()
        self.reader.set_find_hits([], -1)
        self.reader.setFocus()

    def search(self) -> None:
        self.hits = find_all(self.reader.text(), self.edit.text(), case_sensitive=self.case.isChecked())
        caret = self.reader.selected_span()[0]
        self.current = next((i for i, (s, _e) in enumerate(self.hits) if s >= caret), 0) if self.hits else -1
        self._show()

    def step(self, delta: int) -> None:
        if not self.hits:
            return
        if not self.isVisible():
            self.show()
        self.current = (self.current + delta) % len(self.hits)
        self._show()

    def _show(self) -> None:
        query = self.edit.text()
        if not query:
            self.count.setText("")
        elif not self.hits:
            self.count.setText("not found")
        else:
            self.count.setText(f"{self.current + 1} of {len(self.hits)}")
        self.reader.set_find_hits(self.hits, self.current)
        if self.hits:
            start, end = self.hits[self.current]
            self.reader.select_span(start, end)
            self.reader.ensureCursorVisible()
