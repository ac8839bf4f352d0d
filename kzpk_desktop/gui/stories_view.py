"""The stories panel: articles that report the same event, and how many independent sources
they are ("4 outlets, 2 independent").

A dock beside the desk. The threshold spin box is the user's (remembered); finding stories
runs in the background (``outlets_coord``). Expanding a story shows its articles grouped by
copy group (one group = one source: a text and its reprints) with outlet and date, then the
passages the copies share. Enter on an article opens it in the reader; ``C`` asks to compare
the story's articles (``compareRequested``).
"""

from __future__ import annotations

from collections import Counter
from dataclasses import dataclass
from typing import TYPE_CHECKING

from PySide6.QtCore import Qt, Signal
from PySide6.QtGui import QFont, QKeyEvent
from PySide6.QtWidgets import (
    QDockWidget,
    QDoubleSpinBox,
    QHBoxLayout,
    QHeaderView,
    QLabel,
    QPushButton,
    QTreeWidget,
    QTreeWidgetItem,
    QVBoxLayout,
    QWidget,
)

from .plain import plain_label, plain_tip

if TYPE_CHECKING:  # the grouping itself loads with the first stories shown, not at start-up
    from ..core.crossoutlet.stories import Story

ArticleRole = Qt.ItemDataRole.UserRole + 1  # an article row's id
StoryRole = Qt.ItemDataRole.UserRole + 2  # the index of the story a row belongs to


@dataclass(frozen=True)
class StoryArticle:
    """What the panel shows of a story's article (read in the background job with the stories)."""

    id: int
    title: str
    source: str | None
    date: str | None


@dataclass(frozen=True)
class StoriesResult:
    stories: tuple[Story, ...]
    articles: dict[int, StoryArticle]
    threshold: float


def story_date(story: Story, articles: dict[int, StoryArticle]) -> str:
    """The date most of the story's articles give (the earliest of equally common ones)."""
    days = Counter((articles[i].date or "")[:10] for i in story.article_ids if i in articles)
    days.pop("", None)
    if not days:
        return ""
    top = max(days.values())
    return min(d for d, n in days.items() if n == top)


class StoriesTree(QTreeWidget):
    """Enter on an article row opens it (Qt's ``activated`` is not sent on every platform)."""

    enterPressed = Signal(QTreeWidgetItem)

    def keyPressEvent(self, event: QKeyEvent) -> None:
        item = self.currentItem()
        if event.key() in (Qt.Key.Key_Return, Qt.Key.Key_Enter) and item is not None:
            self.enterPressed.emit(item)
            return
        super().keyPressEvent(event)


class StoriesView(QDockWidget):
    findRequested = Signal(float)  # the threshold
    articleOpenRequested = Signal(int)
    compareRequested = Signal(list)  # article ids, in the story's order

    def __init__(self, threshold: float, parent: QWidget | None = None) -> None:
        super().__init__("Stories across outlets", parent)
        self.setObjectName("storiesDock")
        self.result: StoriesResult | None = None
        body = QWidget(objectName="storiesPanel")
        self.threshold = QDoubleSpinBox(objectName="storiesThreshold")
        self.threshold.setRange(0.05, 1.0)
        self.threshold.setSingleStep(0.05)
        self.threshold.setDecimals(2)
        self.threshold.setValue(threshold)
        tip = "Pair score (0–1) two articles need to join one story: lower finds more, looser stories"
        self.threshold.setToolTip(plain_tip(tip))
        self.find_button = QPushButton("Find stories", objectName="storiesFind")
        self.find_button.clicked.connect(lambda: self.findRequested.emit(self.threshold.value()))
        self.summary = plain_label(QLabel("Press Find stories to group the articles.", objectName="storiesSummary"))
        self.summary.setProperty("role", "muted")
        self.summary.setWordWrap(True)
        self.tree = StoriesTree(objectName="storiesTree")
        self.tree.setHeaderLabels(["Story", "Date", "Outlets", "Sources", "Score"])
        self.tree.setUniformRowHeights(True)
        self.tree.setAlternatingRowColors(True)
        header = self.tree.header()
        header.setSectionResizeMode(0, QHeaderView.ResizeMode.Stretch)
        header.setStretchLastSection(False)
        for col in range(1, 5):
            header.setSectionResizeMode(col, QHeaderView.ResizeMode.ResizeToContents)
        self.tree.enterPressed.connect(self._enter)
        self.tree.itemDoubleClicked.connect(lambda item, _col: self._enter(item))
        row = QHBoxLayout()
        row.addWidget(plain_label(QLabel("Threshold")))
        row.addWidget(self.threshold)
        row.addWidget(self.find_button)
        row.addStretch(1)
        keys = plain_label(QLabel("Enter opens an article · C compares the story's articles", objectName="storiesKeys"))
        keys.setProperty("role", "muted")
        lay = QVBoxLayout(body)
        lay.setContentsMargins(6, 6, 6, 6)
        lay.addLayout(row)
        lay.addWidget(self.summary)
        lay.addWidget(self.tree, 1)
        lay.addWidget(keys)
        self.setWidget(body)

    # --- showing --------------------------------------------------------------------------
    def busy(self, running: bool) -> None:
        self.find_button.setEnabled(not running)
        if running:
            self.summary.setText("Finding stories…")

    def show_failure(self, sentence: str) -> None:
        self.busy(False)
        self.summary.setText(sentence)

    def set_result(self, result: StoriesResult) -> None:
        """Fill the tree: one row per story; its groups and shared passages under it."""
        self.busy(False)
        self.result = result
        self.tree.clear()
        bold = QFont(self.tree.font())
        bold.setBold(True)
        for n, story in enumerate(result.stories):
            top = QTreeWidgetItem(
                [
                    story.label,
                    story_date(story, result.articles),
                    str(story.outlets),
                    story.summary(),
                    f"{story.score:.2f}",
                ]
            )
            top.setData(0, StoryRole, n)
            top.setFont(0, bold)
            top.setToolTip(0, plain_tip(story.label))
            self.tree.addTopLevelItem(top)
            self._fill_story(top, n, story, result.articles)
        count = len(result.stories)
        self.summary.setText(
            f"{count} {'story' if count == 1 else 'stories'} at threshold {result.threshold:.2f}"
            if count
            else f"No two articles score {result.threshold:.2f} or more: lower the threshold to find looser stories."
        )
        first = self.tree.topLevelItem(0)
        if first is not None:
            self.tree.setCurrentItem(first)

    def _fill_story(self, top: QTreeWidgetItem, n: int, story: Story, articles: dict[int, StoryArticle]) -> None:
        from ..core.crossoutlet.stories import copies_components

        groups = copies_components(story.article_ids, story.copies)
        for g, group_ids in enumerate(groups, 1):
            members = list(group_ids)
            kind = f"copied text: {len(members)} articles" if len(members) > 1 else "its own report"
            group = QTreeWidgetItem([f"Source {g} — {kind}"])
            group.setData(0, StoryRole, n)
            top.addChild(group)
            for article_id in members:
                a = articles.get(article_id, StoryArticle(article_id, f"Article {article_id}", None, None))
                item = QTreeWidgetItem([a.title, a.date or "no date", a.source or "unknown outlet"])
                item.setData(0, ArticleRole, a.id)
                item.setData(0, StoryRole, n)
                item.setToolTip(0, plain_tip(f"{a.title}\n{a.source or 'unknown outlet'} · article {a.id}"))
                group.addChild(item)
            group.setExpanded(True)
        if story.agencies:
            credit = QTreeWidgetItem([f"Wire agencies credited: {', '.join(story.agencies)}"])
            credit.setData(0, StoryRole, n)
            top.addChild(credit)
        if story.passages:
            shared = QTreeWidgetItem([f"Shared passages ({len(story.passages)})"])
            shared.setData(0, StoryRole, n)
            top.addChild(shared)
            for p in story.passages:
                x, y = p.article_ids
                item = QTreeWidgetItem([" ".join(p.text.split()), f"articles {x} ↔ {y}", "", f"{p.words} words"])
                item.setData(0, StoryRole, n)
                item.setToolTip(0, plain_tip(p.text))
                shared.addChild(item)

    # --- what is selected -----------------------------------------------------------------
    def story_articles(self) -> list[int]:
        """The article ids of the story the current row belongs to (none selected: [])."""
        item = self.tree.currentItem()
        if item is None or self.result is None:
            return []
        n = item.data(0, StoryRole)
        return list(self.result.stories[int(n)].article_ids) if n is not None else []

    def request_compare(self) -> bool:
        ids = self.story_articles()
        if len(ids) < 2:
            return False
        self.compareRequested.emit(ids)
        return True

    def _enter(self, item: QTreeWidgetItem) -> None:
        article_id = item.data(0, ArticleRole)
        if article_id is not None:
            self.articleOpenRequested.emit(int(article_id))
        else:
            item.setExpanded(not item.isExpanded())

    def article_items(self) -> list[QTreeWidgetItem]:
        """Every article row, in the tree's order."""
        root = self.tree.invisibleRootItem()
        return [
            a for top in children(root) for group in children(top) for a in children(group) if a.data(0, ArticleRole)
        ]


def children(item: QTreeWidgetItem) -> list[QTreeWidgetItem]:
    return [c for c in (item.child(i) for i in range(item.childCount())) if c is not None]
