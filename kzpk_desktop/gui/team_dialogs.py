"""The merge conflict queue: both versions side by side, keep mine or take theirs.

Versions are shown as plain text (pretty-printed fields), never as rich text. Each
resolution is an operation with its change-log row, so the history is kept, and it runs on
the desk's one undo history: Ctrl+Z in the main window reopens the conflict (the list follows).
"""

from __future__ import annotations

import json
from collections.abc import Callable, Sequence
from typing import Any

from PySide6.QtCore import QAbstractListModel, QModelIndex, QObject, QPersistentModelIndex, Qt
from PySide6.QtWidgets import (
    QDialog,
    QHBoxLayout,
    QLabel,
    QListView,
    QListWidget,
    QListWidgetItem,
    QPlainTextEdit,
    QPushButton,
    QVBoxLayout,
    QWidget,
)

from ..core.errors import KzpkError
from ..core.operations.base import Changes, UndoHistory
from ..core.store import Store
from ..core.store.team import TeamRepo
from ..core.store.team_rows import Conflict
from ..core.team.agreement import Agreement
from ..core.team.conflicts import ResolveConflict
from ..core.team.disagreements import Disagreement, SpanDisagreement


def _show(version: object) -> str:
    if version is None:
        return "(deleted on this side)"
    return json.dumps(version, ensure_ascii=False, indent=2, sort_keys=True)


class ConflictsDialog(QDialog):
    def __init__(
        self,
        store: Store,
        who: str,
        history: UndoHistory,
        parent: QWidget | None = None,
        on_resolved: Callable[[], None] | None = None,
    ) -> None:
        super().__init__(parent)
        self.setObjectName("conflictsDialog")
        self.setWindowTitle("Merge conflicts")
        self.resize(1000, 600)
        self.store, self.who, self.on_resolved, self.history = store, who, on_resolved, history
        history.subscribe(self._on_changes)
        self.finished.connect(lambda _r: history.unsubscribe(self._on_changes))
        self.destroyed.connect(lambda *_a, h=history, f=self._on_changes: h.unsubscribe(f))
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

    def _on_changes(self, _changes: Changes) -> None:
        """A step on the shared history (a resolution undone in the main window) may reopen one."""
        self.reload()

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
            self.history.do(ResolveConflict(self.conflicts[row].id, take, self.who))
        except KzpkError as err:
            self.status.setText(str(err))
            return False
        if self.on_resolved is not None:
            self.on_resolved()
        return True


class AgreementChart(QWidget):
    """Horizontal bars, one per figure (−1…1; the zero line marked); painted, no chart library."""

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setObjectName("agreementChart")
        self.bars: list[tuple[str, float]] = []
        self.setMinimumHeight(120)

    def set_bars(self, bars: list[tuple[str, float]]) -> None:
        self.bars = bars
        self.setMinimumHeight(24 * len(bars) + 20)
        self.update()

    def paintEvent(self, _event: object) -> None:
        from PySide6.QtGui import QColor, QPainter

        p = QPainter(self)
        try:
            label_w = 200
            width = max(self.width() - label_w - 60, 10)
            zero = label_w + width // 2
            p.drawLine(zero, 0, zero, self.height())
            for row, (name, value) in enumerate(self.bars):
                y = 10 + row * 24
                p.drawText(4, y, label_w - 8, 18, int(Qt.AlignmentFlag.AlignVCenter), name)
                length = int(abs(value) * width / 2)
                color = QColor("#2e7d32") if value >= 0.667 else QColor("#f9a825") if value >= 0 else QColor("#c62828")
                x = zero if value >= 0 else zero - length
                p.fillRect(x, y + 2, length, 14, color)
                p.drawText(label_w + width + 6, y, 54, 18, int(Qt.AlignmentFlag.AlignVCenter), f"{value:.2f}")
        finally:
            p.end()


class DisagreementsModel(QAbstractListModel):
    """One line per disagreement of an agreement report, plain text, built only when shown."""

    def __init__(self, items: Sequence[Disagreement], parent: QObject | None = None) -> None:
        super().__init__(parent)
        self._items = items

    def rowCount(self, parent: QModelIndex | QPersistentModelIndex = QModelIndex()) -> int:  # noqa: B008
        return 0 if parent.isValid() else len(self._items)

    def data(self, index: QModelIndex | QPersistentModelIndex, role: int = Qt.ItemDataRole.DisplayRole) -> Any:
        if role != Qt.ItemDataRole.DisplayRole or not index.isValid():
            return None
        return disagreement_line(self._items[index.row()])


def disagreement_line(d: Disagreement) -> str:
    """What the report says about one disagreement."""
    if isinstance(d, SpanDisagreement):
        return (
            f"article {d.article_id} {d.label} {d.start}–{d.end} “{d.text}”: "
            f"marked by {', '.join(d.marked_by)}, not by {', '.join(d.not_marked_by)}"
        )
    return f"{d.kind} of {d.annotation_id}: " + ", ".join(f"{k} {v}" for k, v in d.values)


class AgreementDialog(QDialog):
    """The figures of ``kzpk agreement`` as a table, a bar chart and the disagreements behind them."""

    def __init__(self, report: Agreement, parent: QWidget | None = None) -> None:
        from PySide6.QtWidgets import QTableWidget, QTableWidgetItem

        from ..core.team.agreement import Figure

        super().__init__(parent)
        self.setObjectName("agreementDialog")
        self.setWindowTitle("Agreement")
        self.resize(900, 700)
        self.report = report

        def show(f: Figure) -> str:
            return f"{f.value:.3f}" if f.value is not None else f"n/a: {f.reason}"

        rows: list[tuple[str, str, str]] = []
        bars: list[tuple[str, float]] = []
        for label, la in self.report.spans.items():
            rows.append(
                (f"{label}: α (characters)", show(la.alpha_u), f"{la.n_units} characters, {la.n_coders} coders")
            )
            rows.append((f"{label}: Fleiss' κ (tokens)", show(la.fleiss_kappa), f"{la.n_tokens} tokens"))
            for pair, f in la.cohen_kappa.items():
                rows.append((f"{label}: Cohen's κ {pair}", show(f), ""))
            if la.alpha_u.value is not None:
                bars.append((f"{label} α", la.alpha_u.value))
        v, st = self.report.verdicts, self.report.statuses
        rows.append(("verdicts: α ordinal", show(v.alpha), f"{v.n_items} claims, {v.n_reviewers} reviewers"))
        rows.append(("statuses: α nominal", show(st.alpha), f"{st.n_items} spans, {st.n_reviewers} reviewers"))
        bars += [
            (name, f.value) for name, f in (("verdicts α", v.alpha), ("statuses α", st.alpha)) if f.value is not None
        ]
        self.table = QTableWidget(len(rows), 3, objectName="agreementTable")
        self.table.setHorizontalHeaderLabels(["Measure", "Value", "n"])
        for r, cells in enumerate(rows):
            for col, text in enumerate(cells):
                self.table.setItem(r, col, QTableWidgetItem(text))
        self.table.resizeColumnsToContents()
        self.chart = AgreementChart(self)
        self.chart.set_bars(bars)
        # a view over the report's list, lines made as rows are drawn: a desk where every article
        # was coded twice has a million disagreements, too many to make widgets for up front
        self.disagreements = QListView(objectName="agreementDisagreements")
        self.disagreements.setUniformItemSizes(True)
        self.disagreements.setModel(DisagreementsModel(self.report.disagreements, self))
        coders = QLabel(f"Coders: {', '.join(self.report.annotators) or '(none)'}")
        coders.setTextFormat(Qt.TextFormat.PlainText)
        layout = QVBoxLayout(self)
        layout.addWidget(coders)
        layout.addWidget(self.table, 2)
        layout.addWidget(self.chart)
        layout.addWidget(QLabel(f"{len(self.report.disagreements)} disagreement(s):"))
        layout.addWidget(self.disagreements, 1)
