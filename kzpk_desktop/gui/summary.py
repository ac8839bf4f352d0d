"""Review summary: counts by decision, verdict, label, article and reviewer, as tables and bars."""

from __future__ import annotations

from PySide6.QtCore import QRectF, Qt
from PySide6.QtGui import QColor, QPainter, QPaintEvent
from PySide6.QtWidgets import (
    QComboBox,
    QDialog,
    QHBoxLayout,
    QHeaderView,
    QLabel,
    QTableWidget,
    QTableWidgetItem,
    QTabWidget,
    QVBoxLayout,
    QWidget,
)

from ..core import review as rv
from ..core.store import Store

DIMENSIONS = (
    ("decision", "Decision"),
    ("verdict", "Verdict"),
    ("label", "Label"),
    ("article", "Article"),
    ("reviewer", "Reviewer"),
)
BAR = QColor("#4C9BE8")


class BarChart(QWidget):
    """Horizontal bars, label and count on each: readable at a glance, no charting module needed."""

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.data: list[tuple[str, int]] = []
        self.setMinimumHeight(120)

    def set_data(self, data: list[tuple[str, int]]) -> None:
        self.data = data
        self.setMinimumHeight(24 * len(data) + 16)
        self.update()

    def paintEvent(self, event: QPaintEvent) -> None:
        p = QPainter(self)
        p.setRenderHint(QPainter.RenderHint.Antialiasing)
        if not self.data:
            p.drawText(self.rect(), Qt.AlignmentFlag.AlignCenter, "Nothing to show yet.")
            return
        top = max(n for _, n in self.data) or 1
        label_w = min(260, max(p.fontMetrics().horizontalAdvance(k) for k, _ in self.data) + 12)
        width = max(10, self.width() - label_w - 60)
        for i, (key, n) in enumerate(self.data):
            y = 8 + i * 24
            text = key if len(key) < 40 else key[:39] + "…"
            p.setPen(self.palette().windowText().color())
            p.drawText(QRectF(0, y, label_w - 8, 20), Qt.AlignmentFlag.AlignRight | Qt.AlignmentFlag.AlignVCenter, text)
            w = width * n / top
            p.setPen(Qt.PenStyle.NoPen)
            p.setBrush(BAR)
            p.drawRoundedRect(QRectF(label_w, y + 3, max(w, 2), 14), 3, 3)
            p.setPen(self.palette().windowText().color())
            p.drawText(QRectF(label_w + w + 6, y, 50, 20), Qt.AlignmentFlag.AlignVCenter, str(n))
        p.end()


class SummaryDialog(QDialog):
    def __init__(self, store: Store, parent: QWidget | None = None, session_id: int | None = None) -> None:
        super().__init__(parent)
        self.setObjectName("summaryView")
        self.setWindowTitle("Review summary")
        self.store = store
        self.scope = QComboBox(objectName="summaryScope")
        self.scope.addItem("Whole corpus (current state of every span)", None)
        for s in store.review.sessions():
            ended = "open" if s.ended_at is None else "ended"
            self.scope.addItem(
                f"Session {s.id} · {s.reviewer} · {s.started_at[:16].replace('T', ' ')} "
                f"· {s.position}/{s.size} · {ended}",
                s.id,
            )
        if session_id is not None:
            self.scope.setCurrentIndex(max(0, self.scope.findData(session_id)))
        self.tabs = QTabWidget(objectName="summaryTabs")
        self.tables: dict[str, QTableWidget] = {}
        self.charts: dict[str, BarChart] = {}
        for key, title in DIMENSIONS:
            page = QWidget()
            row = QHBoxLayout(page)
            table = QTableWidget(0, 2, objectName=f"summaryTable_{key}")
            table.setHorizontalHeaderLabels([title, "Count"])
            table.verticalHeader().hide()
            table.setEditTriggers(QTableWidget.EditTrigger.NoEditTriggers)
            table.horizontalHeader().setSectionResizeMode(0, QHeaderView.ResizeMode.Stretch)
            chart = BarChart()
            row.addWidget(table, 2)
            row.addWidget(chart, 3)
            self.tables[key], self.charts[key] = table, chart
            self.tabs.addTab(page, title)
        self.total = QLabel(objectName="summaryTotal")
        layout = QVBoxLayout(self)
        layout.addWidget(self.scope)
        layout.addWidget(self.tabs, 1)
        layout.addWidget(self.total)
        self.scope.currentIndexChanged.connect(self.refresh)
        self.resize(900, 520)
        self.refresh()

    def refresh(self) -> None:
        data = rv.summary(self.store, self.scope.currentData())
        for key, _ in DIMENSIONS:
            rows = data[key]
            table = self.tables[key]
            table.setRowCount(len(rows))
            for r, (k, n) in enumerate(rows):
                table.setItem(r, 0, QTableWidgetItem(k.replace("_", " ") if key != "article" else k))
                item = QTableWidgetItem(str(n))
                item.setTextAlignment(Qt.AlignmentFlag.AlignRight | Qt.AlignmentFlag.AlignVCenter)
                table.setItem(r, 1, item)
            self.charts[key].set_data([(k.replace("_", " ") if key != "article" else k, n) for k, n in rows])
        total = sum(n for _, n in data["decision"])
        what = "decisions in this session" if self.scope.currentData() is not None else "spans in the corpus"
        self.total.setText(f"{total} {what}")
