"""The claim clusters panel: claims in different articles that state the same thing, their
verdicts side by side, conflicting verdicts flagged.

A verdict given to one claim of a cluster is *proposed* for the others (the "Proposed"
column); nothing changes until the reviewer presses ``P`` on a claim, which runs the same
``RecordDecision`` as any review through the desk (``outlets_coord``): undoable with Ctrl+Z,
recorded in the history. Enter on a claim opens it in the reader.
"""

from __future__ import annotations

from dataclasses import dataclass, replace
from typing import TYPE_CHECKING

from PySide6.QtCore import Qt, Signal
from PySide6.QtGui import QBrush, QFont, QKeyEvent, QPalette
from PySide6.QtWidgets import (
    QDockWidget,
    QHBoxLayout,
    QHeaderView,
    QLabel,
    QPushButton,
    QTreeWidget,
    QTreeWidgetItem,
    QVBoxLayout,
    QWidget,
)

from ..core import review as rv
from .plain import plain_label, plain_tip
from .stories_view import children

if TYPE_CHECKING:  # the clustering loads with the first clusters shown, not at start-up
    from ..core.crossoutlet.claims import ClaimCluster, VerdictProposal
    from ..core.store.crossoutlet import SpanRow

ClaimRole = Qt.ItemDataRole.UserRole + 1  # a claim row's annotation id
ArticleRole = Qt.ItemDataRole.UserRole + 2
VERDICT_NAMES = {value: label for value, label, _meaning in rv.VERDICT_SCALE}
CONFLICT = "⚠ conflicting verdicts"


def verdict_name(verdict: str | None) -> str:
    return VERDICT_NAMES.get(verdict or "", verdict or "—")


@dataclass(frozen=True)
class ClaimsResult:
    clusters: tuple[ClaimCluster, ...]

    def proposals(self) -> dict[str, VerdictProposal]:
        from ..core.crossoutlet.claims import propose_verdicts

        return {p.annotation_id: p for k in self.clusters for p in propose_verdicts(k)}

    def claim_ids(self) -> set[str]:
        return {c.id for k in self.clusters for c in k.claims}

    def with_claims(self, rows: dict[str, SpanRow]) -> ClaimsResult:
        """The same clusters with some claims re-read (a verdict given, or undone)."""
        return ClaimsResult(tuple(replace(k, claims=tuple(rows.get(c.id, c) for c in k.claims)) for k in self.clusters))


class ClaimsTree(QTreeWidget):
    enterPressed = Signal(QTreeWidgetItem)

    def keyPressEvent(self, event: QKeyEvent) -> None:
        item = self.currentItem()
        if event.key() in (Qt.Key.Key_Return, Qt.Key.Key_Enter) and item is not None:
            self.enterPressed.emit(item)
            return
        super().keyPressEvent(event)


class ClaimsView(QDockWidget):
    refreshRequested = Signal()
    annotationOpenRequested = Signal(int, str)  # article id, annotation id

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__("Claim clusters", parent)
        self.setObjectName("claimsDock")
        self.result: ClaimsResult | None = None
        self._proposals: dict[str, VerdictProposal] = {}
        body = QWidget(objectName="claimsPanel")
        self.refresh = QPushButton("Find clusters", objectName="claimsRefresh")
        self.refresh.clicked.connect(self.refreshRequested)
        self.summary = plain_label(QLabel("Press Find clusters to group the claims.", objectName="claimsSummary"))
        self.summary.setProperty("role", "muted")
        self.summary.setWordWrap(True)
        self.tree = ClaimsTree(objectName="claimsTree")
        self.tree.setHeaderLabels(["Claim", "Outlet", "Date", "Verdict", "Proposed"])
        self.tree.setUniformRowHeights(True)
        self.tree.setAlternatingRowColors(True)
        header = self.tree.header()
        header.setSectionResizeMode(0, QHeaderView.ResizeMode.Stretch)
        header.setStretchLastSection(False)
        for col in range(1, 5):
            header.setSectionResizeMode(col, QHeaderView.ResizeMode.ResizeToContents)
        self.tree.enterPressed.connect(self._enter)
        self.tree.itemDoubleClicked.connect(lambda item, _col: self._enter(item))
        keys = plain_label(
            QLabel(
                "P applies the proposed verdict to the selected claim (Ctrl+Z undoes it) · Enter opens the claim",
                objectName="claimsKeys",
            )
        )
        keys.setProperty("role", "muted")
        keys.setWordWrap(True)
        row = QHBoxLayout()
        row.addWidget(self.refresh)
        row.addWidget(self.summary, 1)
        lay = QVBoxLayout(body)
        lay.setContentsMargins(6, 6, 6, 6)
        lay.addLayout(row)
        lay.addWidget(self.tree, 1)
        lay.addWidget(keys)
        self.setWidget(body)

    def busy(self, running: bool) -> None:
        self.refresh.setEnabled(not running)
        if running:
            self.summary.setText("Comparing claims…")

    def show_failure(self, sentence: str) -> None:
        self.busy(False)
        self.summary.setText(sentence)

    def set_result(self, result: ClaimsResult) -> None:
        """Fill the tree, keeping the selected claim selected (a verdict applied, or undone)."""
        self.busy(False)
        current = self.current_claim()
        self.result = result
        self._proposals = result.proposals()
        self.tree.clear()
        bold = QFont(self.tree.font())
        bold.setBold(True)
        flag = QBrush(self.palette().color(QPalette.ColorRole.LinkVisited))
        keep: QTreeWidgetItem | None = None
        for k in result.clusters:
            verdicts = ", ".join(verdict_name(v) for v in k.verdicts) or "no verdict yet"
            top = QTreeWidgetItem(
                [
                    f"Cluster {k.id}: {len(k.claims)} claims (similarity ≥ {k.score:.0f})",
                    "",
                    "",
                    CONFLICT if k.conflicting else verdicts,
                    "",
                ]
            )
            top.setFont(0, bold)
            if k.conflicting:
                top.setFont(3, bold)
                top.setForeground(3, flag)
                top.setToolTip(3, plain_tip(f"Verdicts in this cluster: {verdicts}"))
            self.tree.addTopLevelItem(top)
            for c in k.claims:
                proposal = self._proposals.get(c.id)
                item = QTreeWidgetItem(
                    [
                        " ".join(c.text.split()),
                        c.article_source or "unknown outlet",
                        (c.article_date or "")[:10] or "no date",
                        verdict_name(c.verdict),
                        f"→ {verdict_name(proposal.verdict)} (P)" if proposal else "",
                    ]
                )
                item.setData(0, ClaimRole, c.id)
                item.setData(0, ArticleRole, c.article_id)
                item.setToolTip(0, plain_tip(f"{c.text}\nclaim {c.id} in article {c.article_id}"))
                if proposal is not None:
                    why = f"Proposed from claim {proposal.because_of}; press P to apply it (undoable)"
                    item.setToolTip(4, plain_tip(why))
                if k.conflicting and c.verdict:
                    item.setForeground(3, flag)
                top.addChild(item)
                if c.id == current:
                    keep = item
            top.setExpanded(True)
        n, conflicts = len(result.clusters), sum(k.conflicting for k in result.clusters)
        self.summary.setText(
            f"{n} cluster{'s' if n != 1 else ''}, {conflicts} with conflicting verdicts, "
            f"{len(self._proposals)} verdict{'s' if len(self._proposals) != 1 else ''} proposed"
            if n
            else "No two claims in different articles state the same thing."
        )
        if keep is not None:
            self.tree.setCurrentItem(keep)
        elif (first := self.tree.topLevelItem(0)) is not None:
            self.tree.setCurrentItem(first)

    def current_claim(self) -> str | None:
        item = self.tree.currentItem()
        value = item.data(0, ClaimRole) if item is not None else None
        return str(value) if value is not None else None

    def current_proposal(self) -> VerdictProposal | None:
        claim = self.current_claim()
        return self._proposals.get(claim) if claim is not None else None

    def claim_items(self) -> list[QTreeWidgetItem]:
        return [c for top in children(self.tree.invisibleRootItem()) for c in children(top)]

    def _enter(self, item: QTreeWidgetItem) -> None:
        claim = item.data(0, ClaimRole)
        if claim is not None:
            self.annotationOpenRequested.emit(int(item.data(0, ArticleRole)), str(claim))
        else:
            item.setExpanded(not item.isExpanded())
