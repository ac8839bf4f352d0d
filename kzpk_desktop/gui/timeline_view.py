"""Timeline: claims and agreements by day (``core.crossoutlet.timeline``), what each date was
read from, and the events different outlets date differently flagged.

A table in date order (plain-text items; the conflict marks are a palette colour, so a dark
theme keeps them readable) and, below it, the list of disputed events. Enter opens the article
at the entry's span in the desk; F8 / Shift+F8 step through the disputed entries; F5 reads the
spans again.
"""

from __future__ import annotations

from collections.abc import Callable

from PySide6.QtCore import Qt, QTimer
from PySide6.QtGui import QFont, QPalette
from PySide6.QtWidgets import (
    QAbstractItemView,
    QHBoxLayout,
    QHeaderView,
    QLabel,
    QLineEdit,
    QListWidget,
    QListWidgetItem,
    QSplitter,
    QTableWidget,
    QTableWidgetItem,
    QVBoxLayout,
    QWidget,
)

from ..core.crossoutlet.timeline import DateConflict, Timeline, TimelineItem
from .actions import view_action
from .compare_view import soft_selection
from .date_input import date_error_label, read_date_boxes
from .plain import plain_tip


def plural(n: int, one: str, many: str = "") -> str:
    return f"{n:,} {one if n == 1 else many or one + 's'}"


COLUMNS = ("Date", "Kind", "Outlet", "Article", "What", "Date read from", "Conflict")


class TimelineWindow(QWidget):
    def __init__(
        self,
        load: Callable[[str | None, str | None], tuple[Timeline, bool]],
        open_span: Callable[[TimelineItem], None],
        dates: tuple[str, str] = ("", ""),
        parent: QWidget | None = None,
    ) -> None:
        super().__init__(parent, Qt.WindowType.Window)
        self.setObjectName("timelineWindow")
        self.setWindowTitle("Timeline — claims and agreements")
        self._load = load
        self._open = open_span
        self.timeline = Timeline((), ())
        self.summary = QLabel(objectName="timelineSummary")
        self.summary.setTextFormat(Qt.TextFormat.PlainText)
        self.capped = False
        # which articles: those published in this range (a million spans do not fit one table)
        self.date_from = QLineEdit(dates[0], objectName="timelineFrom")
        self.date_to = QLineEdit(dates[1], objectName="timelineTo")
        for box, hint in ((self.date_from, "Articles from"), (self.date_to, "to")):
            box.setPlaceholderText(hint)
            box.setClearButtonEnabled(True)
            box.setMaximumWidth(150)
            box.returnPressed.connect(self.refresh)
        self.date_error = date_error_label(self)
        self.table = QTableWidget(0, len(COLUMNS), objectName="timelineList")
        self.table.setHorizontalHeaderLabels(list(COLUMNS))
        self.table.setEditTriggers(QAbstractItemView.EditTrigger.NoEditTriggers)
        self.table.setSelectionBehavior(QAbstractItemView.SelectionBehavior.SelectRows)
        self.table.setSelectionMode(QAbstractItemView.SelectionMode.SingleSelection)
        self.table.setAlternatingRowColors(True)
        self.table.setWordWrap(True)
        self.table.verticalHeader().hide()
        soft_selection(self.table)
        header = self.table.horizontalHeader()
        for c in range(len(COLUMNS)):
            header.setSectionResizeMode(c, QHeaderView.ResizeMode.ResizeToContents)
        header.setSectionResizeMode(4, QHeaderView.ResizeMode.Stretch)
        self.table.doubleClicked.connect(lambda _index: self.open_current())
        # rows fit their wrapped text once the columns have their real widths, and again after a resize
        self._fit = QTimer(self.table, singleShot=True, interval=0)
        self._fit.timeout.connect(self.table.resizeRowsToContents)
        header.sectionResized.connect(lambda *_a: self._fit.start())
        self.conflicts = QListWidget(objectName="timelineConflicts")
        self.conflicts.currentRowChanged.connect(self._conflict_picked)
        conflict_box = QWidget()
        lay = QVBoxLayout(conflict_box)
        lay.setContentsMargins(0, 0, 0, 0)
        title = QLabel("Dated differently by different articles")
        title.setProperty("role", "muted")
        lay.addWidget(title)
        lay.addWidget(self.conflicts, 1)
        split = QSplitter(Qt.Orientation.Vertical, objectName="timelineSplitter")
        split.addWidget(self.table)
        split.addWidget(conflict_box)
        split.setSizes([560, 110])
        hint = QLabel(
            "↑↓ entries · Enter opens the article at the span · F8 / Shift+F8 next / previous conflict · F5 refresh",
            objectName="timelineKeys",
        )
        hint.setTextFormat(Qt.TextFormat.PlainText)
        hint.setProperty("role", "muted")
        top = QHBoxLayout()
        top.addWidget(self.summary, 1)
        top.addWidget(QLabel("Articles published"))
        top.addWidget(self.date_from)
        top.addWidget(QLabel("to"))
        top.addWidget(self.date_to)
        layout = QVBoxLayout(self)
        layout.addLayout(top)
        layout.addWidget(self.date_error)
        layout.addWidget(split, 1)
        layout.addWidget(hint)
        view_action("timelineOpen", self, self.open_current, on=self.table)
        view_action("timelineNextConflict", self, lambda: self.step_conflict(1))
        view_action("timelinePreviousConflict", self, lambda: self.step_conflict(-1))
        view_action("timelineRefresh", self, self.refresh)
        self.resize(1180, 760)
        self.refresh()

    def refresh(self) -> None:
        """Read the spans again (after tagging elsewhere), keeping the current entry if it is still there."""
        from ..core.dates import DateError  # dateutil: not at start-up

        keep = self.current_item()
        try:
            date_from, date_to = read_date_boxes((self.date_from, "From date"), (self.date_to, "To date"))
        except DateError as err:
            self.date_error.setText(str(err))
            self.date_error.show()
            return
        self.date_error.hide()
        self.timeline, self.capped = self._load(date_from, date_to)
        self._fill()
        if keep is not None:
            for r, it in enumerate(self.timeline.items):
                if it.annotation_id == keep.annotation_id:
                    self.table.setCurrentCell(r, 0)
                    break

    def _disputed(self) -> dict[str, DateConflict]:
        return {c.key.lower(): c for c in self.timeline.conflicts}

    def _fill(self) -> None:
        tl = self.timeline
        disputed = self._disputed()
        pal = self.table.palette()
        # a tint of the highlight behind bold text: readable on a light and a dark palette alike
        flag = pal.color(QPalette.ColorRole.Highlight)
        flag.setAlpha(70)
        bold = QFont(self.table.font())
        bold.setBold(True)
        self.table.setRowCount(len(tl.items))
        for r, it in enumerate(tl.items):
            conflict = disputed.get(it.key.lower()) if it.date_text != "the article date" else None
            other = sorted({d for d, a, _s in conflict.dates if d != it.date}) if conflict else []
            values = (
                it.date,
                it.kind,
                it.source or "unknown outlet",
                f"#{it.article_id}",
                it.text,
                it.date_text,
                ("⚠ also " + ", ".join(other)) if other else "",
            )
            for c, value in enumerate(values):
                item = QTableWidgetItem(value)
                if c == 6 and conflict is not None and other:
                    item.setBackground(flag)
                    item.setFont(bold)
                    dates = ", ".join(f"{d} in #{a}" for d, a, _s in conflict.dates)
                    item.setToolTip(plain_tip(f"{it.key}: {dates}"))  # the key is article text
                self.table.setItem(r, c, item)
        self.conflicts.clear()
        for dispute in tl.conflicts:
            text = f"⚠ {dispute.key}: " + "; ".join(
                f"{d} in #{a} ({s or 'unknown outlet'})" for d, a, s in dispute.dates
            )
            self.conflicts.addItem(QListWidgetItem(text))
        if not tl.conflicts:
            none = QListWidgetItem("No event is dated differently by different articles.")
            none.setFlags(Qt.ItemFlag.NoItemFlags)
            self.conflicts.addItem(none)
        articles = len({i.article_id for i in tl.items})
        self.summary.setText(
            f"{plural(len(tl.items), 'entry', 'entries')} from {plural(articles, 'article')} · {len(tl.conflicts)} "
            f"{'event' if len(tl.conflicts) == 1 else 'events'} dated differently"
            + (f" · only the first {len(tl.items):,} spans read: narrow the dates" if self.capped else "")
            if tl.items
            else "No claims or agreements in these articles: tag some, or widen the dates (then F5)."
        )
        self._fit.start()
        if tl.items and self.table.currentRow() < 0:
            self.table.setCurrentCell(0, 0)

    # --- moving and opening ---------------------------------------------------------------------
    def current_item(self) -> TimelineItem | None:
        r = self.table.currentRow()
        return self.timeline.items[r] if 0 <= r < len(self.timeline.items) else None

    def flagged_rows(self) -> list[int]:
        return [r for r in range(self.table.rowCount()) if (self.table.item(r, 6) or QTableWidgetItem()).text()]

    def step_conflict(self, delta: int) -> None:
        rows = self.flagged_rows()
        here = self.table.currentRow()
        ahead = [r for r in rows if (r > here if delta > 0 else r < here)]
        if ahead:
            self.table.setCurrentCell(ahead[0] if delta > 0 else ahead[-1], 0)
            self.table.setFocus()

    def _conflict_picked(self, index: int) -> None:
        if not 0 <= index < len(self.timeline.conflicts):
            return
        key = self.timeline.conflicts[index].key.lower()
        for r, it in enumerate(self.timeline.items):
            if it.key.lower() == key and it.date_text != "the article date":
                self.table.setCurrentCell(r, 0)
                break

    def open_current(self) -> None:
        item = self.current_item()
        if item is not None:
            self._open(item)
