"""What the review window shows across outlets for the claim on show: the best matching earlier
fact-checks (offline, from imported ClaimReview files) and the provenance of each evidence item.

Earlier fact-checks: rating, publisher, date, the claim they checked and their URL, all as
plain text; a URL is opened in the browser only when the reviewer asks (Ctrl+L or the button).
Provenance: when each evidence item was retrieved, when it was itself published, and an
archived copy (an archive URL, or a saved file kept beside the database); edited in place
through ``SetEvidenceProvenance`` (undoable), and evidence published after the claim's article
date is flagged.
"""

from __future__ import annotations

from collections.abc import Callable

from PySide6.QtCore import Qt, QUrl, Signal
from PySide6.QtGui import QBrush, QDesktopServices, QFont, QPalette
from PySide6.QtWidgets import (
    QAbstractItemView,
    QHBoxLayout,
    QHeaderView,
    QLabel,
    QPushButton,
    QTableWidget,
    QTableWidgetItem,
    QVBoxLayout,
    QWidget,
)

from ..core.crossoutlet import prior_checks as pc
from ..core.errors import KzpkError
from ..core.exporters.averitec import published_after
from ..core.store import Store
from ..core.store import crossoutlet as q
from .plain import plain_label, plain_tip

MATCHES = 5
LATE = "⚠ published after the article"


def _item(text: str, editable: bool = False) -> QTableWidgetItem:
    item = QTableWidgetItem(text)
    flags = item.flags() & ~Qt.ItemFlag.ItemIsEditable
    item.setFlags(flags | Qt.ItemFlag.ItemIsEditable if editable else flags)
    if text:
        item.setToolTip(plain_tip(text))
    return item


class PriorChecksPanel(QWidget):
    """The best earlier fact-checks for one claim, best first."""

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setObjectName("priorChecksPanel")
        self.open_url: Callable[[QUrl], bool] = QDesktopServices.openUrl  # a test swaps it
        self.summary = plain_label(QLabel(objectName="priorChecksSummary"))
        self.summary.setProperty("role", "muted")
        self.summary.setWordWrap(True)
        self.table = QTableWidget(0, 5, objectName="priorChecksTable")
        self.table.setHorizontalHeaderLabels(["Rating", "Publisher", "Date", "Claim checked", "URL"])
        self.table.verticalHeader().hide()
        self.table.setSelectionBehavior(QAbstractItemView.SelectionBehavior.SelectRows)
        self.table.setSelectionMode(QAbstractItemView.SelectionMode.SingleSelection)
        self.table.setEditTriggers(QAbstractItemView.EditTrigger.NoEditTriggers)
        self.table.setTabKeyNavigation(False)
        header = self.table.horizontalHeader()
        header.setSectionResizeMode(3, QHeaderView.ResizeMode.Stretch)
        for col in (0, 1, 2):
            header.setSectionResizeMode(col, QHeaderView.ResizeMode.ResizeToContents)
        header.setSectionResizeMode(4, QHeaderView.ResizeMode.Interactive)
        header.resizeSection(4, 220)
        self.open_button = QPushButton("Open link in browser (Ctrl+L)", objectName="priorCheckOpen")
        self.open_button.clicked.connect(self.open_current)
        row = QHBoxLayout()
        row.addWidget(self.summary, 1)
        row.addWidget(self.open_button)
        lay = QVBoxLayout(self)
        lay.setContentsMargins(0, 0, 0, 0)
        lay.addLayout(row)
        lay.addWidget(self.table, 1)

    def clear(self, sentence: str = "") -> None:
        self.table.setRowCount(0)
        self.summary.setText(sentence)
        self.open_button.setEnabled(False)

    def show_for(self, store: Store, annotation_id: str) -> None:
        try:
            found = pc.match(store, annotation_id, MATCHES)
        except KzpkError:
            self.clear("Earlier fact-checks are matched for claims, actors and agreements.")
            return
        self.table.setRowCount(0)
        for m in found.matches:
            r = self.table.rowCount()
            self.table.insertRow(r)
            for col, text in enumerate((m.rating or "—", m.publisher or "—", m.date or "—", m.claim, m.url)):
                self.table.setItem(r, col, _item(text))
        n = len(found.matches)
        total = q.prior_check_count(store)
        self.summary.setText(
            f"{n} earlier fact-check{'s' if n != 1 else ''} match, best first ({total:,} imported)"
            if n
            else (
                f"No earlier fact-check matches this claim ({total:,} imported)."
                if total
                else "No earlier fact-checks imported: Review ▸ Import fact-checks (ClaimReview)…"
            )
        )
        self.open_button.setEnabled(bool(n))
        if n:
            self.table.selectRow(0)

    def current_url(self) -> str:
        r = self.table.currentRow()
        item = self.table.item(r, 4) if r >= 0 else None
        return item.text() if item is not None else ""

    def open_current(self) -> bool:
        """Open the selected fact-check's URL in the browser (web addresses only)."""
        url = QUrl(self.current_url())
        if url.scheme() not in ("http", "https"):
            self.summary.setText("Only http and https links are opened; this fact-check has none.")
            return False
        return bool(self.open_url(url))


class ProvenancePanel(QWidget):
    """Each stored evidence item of one claim: retrieved, published, archived copy; late ones flagged."""

    changeRequested = Signal(int, str, str)  # evidence id, field, new value ("" clears it)
    keepFileRequested = Signal(int)  # evidence id: choose a saved copy to keep with the database

    COLUMNS = ("url", "retrieved_at", "published_at", "archive_url", "archived_file")

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setObjectName("evidenceProvenance")
        self._filling = False
        self.ids: list[int] = []
        self.summary = plain_label(QLabel(objectName="provenanceSummary"))
        self.summary.setProperty("role", "muted")
        self.summary.setWordWrap(True)
        self.table = QTableWidget(0, 6, objectName="provenanceTable")
        self.table.setHorizontalHeaderLabels(
            ["Evidence URL", "Retrieved", "Published", "Archive URL", "Saved copy", "Check"]
        )
        self.table.verticalHeader().hide()
        self.table.setTabKeyNavigation(False)
        header = self.table.horizontalHeader()
        header.setSectionResizeMode(0, QHeaderView.ResizeMode.Stretch)
        header.setSectionResizeMode(3, QHeaderView.ResizeMode.Stretch)
        for col in (1, 2, 4, 5):
            header.setSectionResizeMode(col, QHeaderView.ResizeMode.ResizeToContents)
        self.table.itemChanged.connect(self._edited)
        self.keep_button = QPushButton("Keep a saved copy…", objectName="provenanceKeepFile")
        self.keep_button.clicked.connect(self._keep)
        row = QHBoxLayout()
        row.addWidget(self.summary, 1)
        row.addWidget(self.keep_button)
        lay = QVBoxLayout(self)
        lay.setContentsMargins(0, 0, 0, 0)
        lay.addLayout(row)
        lay.addWidget(self.table, 1)

    def show_for(self, store: Store, annotation_id: str) -> None:
        """Re-read the claim's evidence items and its article's date."""
        try:
            article = store.articles.get(store.annotations.get(annotation_id).article_id)
        except KzpkError:
            self.table.setRowCount(0)
            return
        items = q.evidence(store, annotation_id)
        article_date = (article.date or "")[:10]
        flag = QBrush(self.palette().color(QPalette.ColorRole.LinkVisited))
        bold = QFont(self.table.font())
        bold.setBold(True)
        self._filling = True
        try:
            self.table.setRowCount(0)
            self.ids = [e.id for e in items]
            late = 0
            for e in items:
                r = self.table.rowCount()
                self.table.insertRow(r)
                for col, field in enumerate(self.COLUMNS):
                    self.table.setItem(r, col, _item(getattr(e, field) or "", editable=col > 0))
                after = published_after(e.published_at, article_date)
                late += after
                check = _item(f"{LATE} ({article_date})" if after else "")
                if after:
                    check.setForeground(flag)
                    check.setFont(bold)
                    self.table.item(r, 2).setForeground(flag)
                self.table.setItem(r, 5, check)
        finally:
            self._filling = False
        self.keep_button.setEnabled(bool(items))
        self.summary.setText(
            "No evidence saved for this claim yet: decide it with evidence (A/R/W), then record its provenance here."
            if not items
            else f"Article dated {article_date or 'unknown'} · {len(items)} evidence item"
            f"{'s' if len(items) != 1 else ''}"
            + (f" · {late} published after the article" if late else "")
            + " · dates as 2025-09-09; edit a cell to change it (undoable)"
        )

    def late_rows(self) -> list[int]:
        return [r for r in range(self.table.rowCount()) if (self.table.item(r, 5) or _item("")).text()]

    def _edited(self, item: QTableWidgetItem) -> None:
        if self._filling or item.column() == 0 or item.column() >= 5:
            return
        self.changeRequested.emit(self.ids[item.row()], self.COLUMNS[item.column()], item.text().strip())

    def _keep(self) -> None:
        r = self.table.currentRow()
        if 0 <= r < len(self.ids):
            self.keepFileRequested.emit(self.ids[r])
        elif self.ids:
            self.keepFileRequested.emit(self.ids[0])
