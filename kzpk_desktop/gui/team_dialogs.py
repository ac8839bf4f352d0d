"""The merge conflict queue: both versions side by side, keep mine or take theirs.

Versions are shown as plain text (pretty-printed fields), never as rich text. Each
resolution is an operation with its change-log row, so the history is kept.
"""

from __future__ import annotations

import json
from collections.abc import Callable

from PySide6.QtCore import Qt
from PySide6.QtWidgets import (
    QDialog,
    QHBoxLayout,
    QLabel,
    QListWidget,
    QListWidgetItem,
    QPlainTextEdit,
    QPushButton,
    QVBoxLayout,
    QWidget,
)

from ..core.errors import KzpkError
from ..core.operations.base import run
from ..core.store import Store
from ..core.store.team import Conflict, TeamRepo
from ..core.team.conflicts import ResolveConflict


def _show(version: object) -> str:
    if version is None:
        return "(deleted on this side)"
    return json.dumps(version, ensure_ascii=False, indent=2, sort_keys=True)


class ConflictsDialog(QDialog):
    def __init__(self, store: Store, who: str, parent: QWidget | None = None,
                 on_resolved: Callable[[], None] | None = None) -> None:
        super().__init__(parent)
        self.setObjectName("conflictsDialog")
        self.setWindowTitle("Merge conflicts")
        self.resize(1000, 600)
        self.store, self.who, self.on_resolved = store, who, on_resolved
        self.list = QListWidget(objectName="conflictList")
        self.mine = QPlainTextEdit(objectName="conflictMine")
        self.theirs = QPlainTextEdit(objectName="conflictTheirs")
        for edit in (self.mine, self.theirs):
            edit.setReadOnly(True)
        self.status = QLabel(objectName="conflictStatus")
        self.status.setTextFormat(Qt.TextFormat.PlainText)
        self.keep = QPushButton("Keep &mine", objectName="conflictKeepMine")
        self.take = QPushButton("Take &theirs", objectName="conflictTakeTheirs")
        self.keep.clicked.connect(lambda: self.resolve("mine"))
        self.take.clicked.connect(lambda: self.resolve("theirs"))
        sides = QHBoxLayout()
        for title, edit in (("Mine (this database)", self.mine), ("Theirs (the colleague's copy)", self.theirs)):
            col = QVBoxLayout()
            col.addWidget(QLabel(title))
            col.addWidget(edit)
            sides.addLayout(col)
        buttons = QHBoxLayout()
        buttons.addWidget(self.status, 1)
        buttons.addWidget(self.keep)
        buttons.addWidget(self.take)
        layout = QHBoxLayout(self)
        layout.addWidget(self.list, 1)
        right = QVBoxLayout()
        right.addLayout(sides)
        right.addLayout(buttons)
        layout.addLayout(right, 3)
        self.list.currentRowChanged.connect(self._show_current)
        self.conflicts: list[Conflict] = []
        self.reload()

    def reload(self) -> None:
        self.conflicts = TeamRepo(self.store).conflicts()
        self.list.clear()
        for c in self.conflicts:
            self.list.addItem(QListWidgetItem(f"{c.id} · {c.kind} · {c.reason}"))
        self.status.setText(f"{len(self.conflicts)} conflict(s) waiting" if self.conflicts else "No conflicts waiting.")
        for button in (self.keep, self.take):
            button.setEnabled(bool(self.conflicts))
        if self.conflicts:
            self.list.setCurrentRow(0)
        else:
            self.mine.clear()
            self.theirs.clear()

    def _show_current(self, row: int) -> None:
        if 0 <= row < len(self.conflicts):
            c = self.conflicts[row]
            self.mine.setPlainText(_show(c.mine))
            self.theirs.setPlainText(_show(c.theirs))

    def resolve(self, take: str) -> bool:
        row = self.list.currentRow()
        if not 0 <= row < len(self.conflicts):
            return False
        try:
            run(self.store, ResolveConflict(self.conflicts[row].id, take, self.who))
        except KzpkError as err:
            self.status.setText(str(err))
            return False
        self.reload()
        if self.on_resolved is not None:
            self.on_resolved()
        return True
