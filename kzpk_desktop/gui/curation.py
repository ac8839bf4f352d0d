"""Curation: one article's places, each coder's spans in a lane of their own, one key to decide.

Keys (on the table): A, B, C … take that lane's spans into the gold layer; = takes every
lane ("both"); N takes none ("neither"); Ctrl+Z / Ctrl+Shift+Z undo and redo. After a
decision the cursor moves to the next disagreement. Span texts are shown as plain text.

Decisions go through the desk's one undo history (the one the main window's Undo/Redo and
views follow), so Ctrl+Z here or in the main window takes back the same last step, and the
window redraws after any step, wherever it was taken.
"""

from __future__ import annotations

import string

from PySide6.QtCore import Qt, Signal
from PySide6.QtGui import QBrush, QColor, QKeyEvent, QKeySequence
from PySide6.QtWidgets import QDialog, QLabel, QTableWidget, QTableWidgetItem, QVBoxLayout, QWidget

from ..core.errors import KzpkError
from ..core.operations.base import Changes, UndoHistory
from ..core.store import Store
from ..core.team.adjudication import LaneSpan, Place, adjudicate, places

LANE_KEYS = string.ascii_uppercase[:8]  # A-H: at most eight coders get a key each
DISAGREE = QColor("#fdecea")


class _LaneTable(QTableWidget):
    """A table that hands decision keys to the window instead of using them to search."""

    decide = Signal(str)

    def keyPressEvent(self, event: QKeyEvent) -> None:
        if event.matches(QKeySequence.StandardKey.Undo):
            self.decide.emit("undo")
            return
        if event.matches(QKeySequence.StandardKey.Redo):
            self.decide.emit("redo")
            return
        text = event.text().upper()
        if (
            event.modifiers() in (Qt.KeyboardModifier.NoModifier, Qt.KeyboardModifier.ShiftModifier)
            and text
            and (text in LANE_KEYS or text in ("=", "N"))
        ):
            self.decide.emit(text)
            return
        super().keyPressEvent(event)


def _lane_text(spans: tuple[LaneSpan, ...]) -> str:
    return "  |  ".join(f"{s.text} [{s.start}–{s.end}]" for s in spans) or "—"


class CurationWindow(QDialog):
    def __init__(
        self, store: Store, article_id: int, adjudicator: str, history: UndoHistory, parent: QWidget | None = None
    ) -> None:
        super().__init__(parent)
        self.setObjectName("curationWindow")
        self.store, self.article_id, self.adjudicator = store, article_id, adjudicator
        self.history = history
        history.subscribe(self._on_changes)
        self.finished.connect(lambda _r: history.unsubscribe(self._on_changes))
        self.destroyed.connect(lambda *_a, h=history, f=self._on_changes: h.unsubscribe(f))
        self.setWindowTitle(f"Curation: article {article_id}")
        self.resize(1000, 600)
        self.status = QLabel(objectName="curationStatus")
        self.status.setTextFormat(Qt.TextFormat.PlainText)
        self.table = _LaneTable(objectName="curationTable")
        self.table.setSelectionBehavior(QTableWidget.SelectionBehavior.SelectRows)
        self.table.setSelectionMode(QTableWidget.SelectionMode.SingleSelection)
        self.table.setEditTriggers(QTableWidget.EditTrigger.NoEditTriggers)
        self.table.decide.connect(self._on_key)
        help_text = QLabel(
            "A, B, … take that coder's spans · = both · N neither · Ctrl+Z undo", objectName="curationHelp"
        )
        help_text.setTextFormat(Qt.TextFormat.PlainText)
        layout = QVBoxLayout(self)
        layout.addWidget(self.status)
        layout.addWidget(self.table)
        layout.addWidget(help_text)
        self.coders: tuple[str, ...] = ()
        self.places: list[Place] = []
        self.reload()
        self.table.setFocus()

    def reload(self, row: int = 0) -> None:
        self.coders, self.places = places(self.store, self.article_id)
        headers = [
            "Place",
            *(f"{LANE_KEYS[i] if i < len(LANE_KEYS) else '·'}: {c or '(no name)'}" for i, c in enumerate(self.coders)),
            "Gold",
        ]
        self.table.clear()
        self.table.setColumnCount(len(headers))
        self.table.setHorizontalHeaderLabels(headers)
        self.table.setRowCount(len(self.places))
        for r, place in enumerate(self.places):
            cells = [
                f"{'≠ ' if place.disagreement else ''}{place.label} {place.start}–{place.end}",
                *(_lane_text(place.lanes[c]) for c in self.coders),
                _lane_text(place.gold) if place.gold else "(not decided)",
            ]
            for col, text in enumerate(cells):
                item = QTableWidgetItem(text)
                if place.disagreement:
                    item.setBackground(QBrush(DISAGREE))
                self.table.setItem(r, col, item)
        self.table.resizeColumnsToContents()
        n_dis = sum(p.disagreement for p in self.places)
        n_gold = sum(bool(p.gold) for p in self.places)
        self.status.setText(
            f"{len(self.places)} places, {n_dis} disagreements, {n_gold} with gold spans; "
            f"adjudicator: {self.adjudicator}"
        )
        if self.places:
            self.table.selectRow(min(row, len(self.places) - 1))

    def _on_changes(self, changes: Changes) -> None:
        """Any step on the shared history (here, or Undo in the main window) may move the gold layer."""
        if changes.touches_article(self.article_id) or changes.annotations:
            self.reload(max(self._current(), 0))

    def _current(self) -> int:
        rows = self.table.selectionModel().selectedRows() if self.table.selectionModel() else []
        return rows[0].row() if rows else -1

    def _on_key(self, key: str) -> None:
        row = self._current()
        try:
            if key == "undo":
                if self.history.can_undo:
                    self.history.undo()
                self.reload(max(row, 0))
                return
            if key == "redo":
                if self.history.can_redo:
                    self.history.redo()
                self.reload(max(row, 0))
                return
            if row < 0:
                return
            place = self.places[row]
            if key == "N":
                take: list[str] = []
            elif key == "=":
                take = [s.id for c in self.coders for s in place.lanes[c]]
            else:
                lane = LANE_KEYS.index(key)
                if lane >= len(self.coders):
                    return
                take = [s.id for s in place.lanes[self.coders[lane]]]
            if not take and not place.gold and key != "N":
                self.status.setText("That coder has no span here; press N to decide 'neither'.")
                return
            self.history.do(
                adjudicate(
                    self.store,
                    take,
                    self.adjudicator,
                    article_id=place.article_id,
                    label=place.label,
                    start=place.start,
                    end=place.end,
                )
            )
        except KzpkError as err:
            self.status.setText(str(err))
            return
        self.reload(self._next_disagreement(row))

    def _next_disagreement(self, row: int) -> int:
        for r in range(row + 1, len(self.places)):
            if self.places[r].disagreement:
                return r
        return min(row + 1, max(len(self.places) - 1, 0))
