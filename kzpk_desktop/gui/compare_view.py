"""Compare: two or more reports of one story side by side.

The table on top lines up each sentence of the first article with its best match in the
others (``core.crossoutlet.compare``); below, each article's full text in its own pane, the
current row's sentences tinted and the current difference (a figure, date or name the
reports disagree on) marked. J/F8 and K/Shift+F8 step from difference to difference; C tags
the marked text as a claim in every article that gives it, one undoable step.

Everything is plain text (``setPlainText``, table items): marks are extra selections, their
colours taken from the palette so they read in a dark theme too. Qt positions are UTF-16:
the panes convert through ``core.offsets.DisplayMap`` both ways, so a claim's stored
``text[start:end]`` is exactly the marked text, emoji or not.
"""

from __future__ import annotations

from collections.abc import Callable, Sequence
from dataclasses import dataclass

from PySide6.QtCore import Qt, QTimer
from PySide6.QtGui import QColor, QPalette, QTextCharFormat, QTextCursor
from PySide6.QtWidgets import (
    QAbstractItemView,
    QCheckBox,
    QDialog,
    QDialogButtonBox,
    QHBoxLayout,
    QHeaderView,
    QLabel,
    QListWidget,
    QListWidgetItem,
    QPlainTextEdit,
    QSplitter,
    QTableWidget,
    QTableWidgetItem,
    QTextEdit,
    QVBoxLayout,
    QWidget,
)

from ..core.crossoutlet.compare import Comparison, Difference
from ..core.offsets import DisplayMap
from ..core.store.crossoutlet import ArticleRow
from .actions import view_action

KIND_TEXT = {"number": "figure", "date": "date", "name": "name"}


@dataclass(frozen=True)
class TagSpan:
    """One marked mention, converted back from Qt positions to stored code points."""

    article_id: int
    start: int
    end: int
    text: str  # what the pane shows selected: build_annotation checks it against the article


def describe(d: Difference, quote: str = "") -> str:
    """What the reports disagree on, grouped by article: "figure: #2 $239 million ≠ #4 $250 million";
    a name only one report gives says so rather than setting it against itself."""
    per: dict[int, list[str]] = {}
    for m in d.mentions:
        per.setdefault(m.article_id, []).append(f"{quote}{m.text}{quote.replace('“', '”')}")
    kind = KIND_TEXT.get(d.kind, d.kind)
    if len(per) == 1:
        ((aid, texts),) = per.items()
        return f"{kind}s only #{aid} gives: " + ", ".join(texts)
    return f"{kind}: " + " ≠ ".join(f"#{aid} " + ", ".join(texts) for aid, texts in per.items())


def article_heading(a: ArticleRow) -> str:
    return f"#{a.id} · {a.source or 'unknown outlet'} · {a.date or 'no date'}"


def tint(color: QColor, alpha: int) -> QColor:
    c = QColor(color)
    c.setAlpha(alpha)
    return c


def soft_selection(view: QWidget) -> None:
    """A selected row in a tint of the palette's highlight, its text left readable: a solid
    highlight over many wrapped lines is a block of colour that hides what it selects. (A style
    sheet, because the application's sheet sets the selection colour and wins over a palette.)"""
    c = view.palette().color(QPalette.ColorRole.Highlight)
    view.setStyleSheet(
        f"QTableView {{ selection-background-color: rgba({c.red()}, {c.green()}, {c.blue()}, 80); "
        "selection-color: palette(text); }"
    )


class ComparePicker(QDialog):
    """Which articles to set beside the open one: those dated near it, its story's pre-ticked."""

    def __init__(
        self,
        article: ArticleRow,
        nearby: Sequence[ArticleRow],
        mates: Sequence[int],
        ticked: Sequence[int],
        parent: QWidget | None = None,
    ) -> None:
        super().__init__(parent)
        self.setObjectName("comparePicker")
        self.setWindowTitle("Compare articles")
        intro = QLabel(
            f"Set beside #{article.id} “{article.title}” ({article.source or 'unknown outlet'}). "
            + (
                "Ticked: the other reports of its story. "
                if ticked
                else f"{len(mates)} articles of its story are marked; tick the few to set side by side. "
                if mates
                else "No other report of its story was found among these; tick any to compare. "
            )
            + "Space ticks, Enter compares.",
            objectName="comparePickerIntro",
        )
        intro.setTextFormat(Qt.TextFormat.PlainText)
        intro.setWordWrap(True)
        self.list = QListWidget(objectName="comparePickerList")
        self.list.setWordWrap(True)  # whole titles, no sideways scrolling
        self.list.setHorizontalScrollBarPolicy(Qt.ScrollBarPolicy.ScrollBarAlwaysOff)
        ordered = sorted(
            (a for a in nearby if a.id != article.id), key=lambda a: (a.id not in mates, a.date or "", a.id)
        )
        for a in ordered:
            story = "same story · " if a.id in mates else ""  # first: a long title would hide it
            item = QListWidgetItem(f"{story}{article_heading(a)} — {a.title}")
            item.setData(Qt.ItemDataRole.UserRole, a.id)
            item.setFlags(item.flags() | Qt.ItemFlag.ItemIsUserCheckable)
            item.setCheckState(Qt.CheckState.Checked if a.id in ticked else Qt.CheckState.Unchecked)
            self.list.addItem(item)
        if self.list.count():
            self.list.setCurrentRow(0)
        buttons = QDialogButtonBox(QDialogButtonBox.StandardButton.Ok | QDialogButtonBox.StandardButton.Cancel)
        buttons.button(QDialogButtonBox.StandardButton.Ok).setText("Compare")
        buttons.accepted.connect(self.accept)
        buttons.rejected.connect(self.reject)
        layout = QVBoxLayout(self)
        layout.addWidget(intro)
        layout.addWidget(self.list, 1)
        layout.addWidget(buttons)
        self.resize(720, 360)

    def chosen(self) -> list[int]:
        items = (self.list.item(i) for i in range(self.list.count()))
        return [int(it.data(Qt.ItemDataRole.UserRole)) for it in items if it.checkState() == Qt.CheckState.Checked]


class ArticlePane(QPlainTextEdit):
    """One article's whole text; the marks are extra selections over display positions."""

    def __init__(self, article: ArticleRow, index: int) -> None:
        super().__init__()
        self.article = article
        self.setObjectName(f"compareText{index}")
        self.setAccessibleName(f"Article {article.id} text")
        self.setReadOnly(True)
        self.setTextInteractionFlags(
            Qt.TextInteractionFlag.TextSelectableByMouse | Qt.TextInteractionFlag.TextSelectableByKeyboard
        )
        self.map = DisplayMap(article.text)
        self.setPlainText(self.map.display_text())
        self.marks: list[QTextEdit.ExtraSelection] = []  # the current difference's, in order

    def cursor_for(self, start: int, end: int) -> QTextCursor:
        cur = QTextCursor(self.document())
        cur.setPosition(self.map.to_doc(start))
        cur.setPosition(self.map.to_doc(end), QTextCursor.MoveMode.KeepAnchor)
        return cur

    def show_marks(
        self, sentence: tuple[int, int] | None, others: list[tuple[int, int]], current: list[tuple[int, int]]
    ) -> None:
        pal = self.palette()
        highlight = pal.color(QPalette.ColorRole.Highlight)
        sels: list[QTextEdit.ExtraSelection] = []

        def add(span: tuple[int, int], fmt: QTextCharFormat) -> QTextEdit.ExtraSelection:
            sel = QTextEdit.ExtraSelection()
            sel.cursor = self.cursor_for(*span)
            sel.format = fmt
            sels.append(sel)
            return sel

        if sentence is not None:
            fmt = QTextCharFormat()
            fmt.setBackground(tint(highlight, 45))
            add(sentence, fmt)
        for span in others:  # the row's other differences: underlined, so the eye finds them
            fmt = QTextCharFormat()
            fmt.setUnderlineStyle(QTextCharFormat.UnderlineStyle.SingleUnderline)
            fmt.setUnderlineColor(highlight)
            add(span, fmt)
        self.marks = []
        for span in current:
            fmt = QTextCharFormat()
            fmt.setBackground(highlight)
            fmt.setForeground(pal.color(QPalette.ColorRole.HighlightedText))
            self.marks.append(add(span, fmt))
        self.setExtraSelections(sels)
        focus = current[0] if current else sentence
        if focus is not None:
            cur = self.cursor_for(focus[0], focus[0])
            self.setTextCursor(cur)
            self.centerCursor()

    def marked(self) -> list[TagSpan]:
        """The current difference's marks as stored offsets: Qt's UTF-16 positions converted back."""
        out = []
        for sel in self.marks:
            start, end = self.map.span_to_codepoints(sel.cursor.selectionStart(), sel.cursor.selectionEnd())
            out.append(TagSpan(self.article.id, start, end, sel.cursor.selectedText()))
        return out


class CompareWindow(QWidget):
    """Aligned sentences on top, the articles below; keys step through the differences."""

    def __init__(
        self,
        articles: Sequence[ArticleRow],
        comparison: Comparison,
        tag: Callable[[list[TagSpan]], bool],
        undo: Callable[[bool], None],
        parent: QWidget | None = None,
    ) -> None:
        super().__init__(parent, Qt.WindowType.Window)
        self.setObjectName("compareWindow")
        self.setWindowTitle("Compare: " + " · ".join(f"#{a.id} {a.source or ''}".strip() for a in articles))
        self.articles = list(articles)
        self.comparison = comparison
        self._tag = tag
        # every difference in reading order: (row, difference); -1 = none marked
        self.diffs: list[tuple[int, Difference]] = [
            (r, d) for r, row in enumerate(comparison.rows) for d in row.differences
        ]
        self.current = -1
        n_rows = sum(1 for r in comparison.rows if any(s is not None for s in r.sentences[1:]))
        self.summary = QLabel(
            f"{len(self.articles)} articles · {n_rows} of {len(comparison.rows)} sentences of #{self.articles[0].id} "
            f"matched · {len(self.diffs)} differences",
            objectName="compareSummary",
        )
        self.summary.setTextFormat(Qt.TextFormat.PlainText)
        self.show_all = QCheckBox(f"&All sentences of #{self.articles[0].id}", objectName="compareShowAll")
        self.show_all.setToolTip("Also list the sentences no other article has a match for")
        self.table = self._build_table()
        self.panes = [ArticlePane(a, i) for i, a in enumerate(self.articles)]
        lower = QSplitter(Qt.Orientation.Horizontal, objectName="compareSplitter")
        for a, pane in zip(self.articles, self.panes, strict=True):
            box = QWidget()
            lay = QVBoxLayout(box)
            lay.setContentsMargins(2, 2, 2, 2)
            head = QLabel(f"{article_heading(a)}\n{a.title}")
            head.setTextFormat(Qt.TextFormat.PlainText)
            head.setWordWrap(True)
            head.setProperty("role", "muted")
            lay.addWidget(head)
            lay.addWidget(pane, 1)
            lower.addWidget(box)
        split = QSplitter(Qt.Orientation.Vertical, objectName="compareMainSplitter")
        split.addWidget(self.table)
        split.addWidget(lower)
        split.setSizes([300, 420])
        self.difference_label = QLabel(objectName="compareDifference")
        self.difference_label.setTextFormat(Qt.TextFormat.PlainText)
        self.difference_label.setWordWrap(True)
        self.status = QLabel(objectName="compareStatus")
        self.status.setTextFormat(Qt.TextFormat.PlainText)
        self.status.setProperty("role", "muted")
        hint = QLabel(
            "J / F8 next difference · K / Shift+F8 previous · ↑↓ sentences · C tag as claim · Ctrl+Z undo",
            objectName="compareKeys",
        )
        hint.setTextFormat(Qt.TextFormat.PlainText)
        hint.setProperty("role", "muted")
        layout = QVBoxLayout(self)
        top = QHBoxLayout()
        top.addWidget(self.summary, 1)
        top.addWidget(self.show_all)
        layout.addLayout(top)
        layout.addWidget(split, 1)
        layout.addWidget(self.difference_label)
        layout.addWidget(self.status)
        layout.addWidget(hint)
        view_action("compareNextDifference", self, lambda: self.step(1))
        view_action("comparePreviousDifference", self, lambda: self.step(-1))
        view_action("compareTagClaim", self, self.tag_current)
        view_action("actionUndo", self, lambda: undo(True))
        view_action("actionRedo", self, lambda: undo(False))
        self.table.currentCellChanged.connect(lambda row, _c, _pr, _pc: self._row_changed(row))
        self.show_all.toggled.connect(self._show_rows)
        self._show_rows(False)
        self.resize(1280, 860)
        if self.diffs:
            self.go_to(0)
        elif self.table.rowCount():
            self.table.setCurrentCell(0, 0)
        self.table.setFocus()

    def _build_table(self) -> QTableWidget:
        rows = self.comparison.rows
        table: QTableWidget = QTableWidget(len(rows), len(self.articles) + 2, objectName="compareRows")
        table.setHorizontalHeaderLabels(["Match", *[article_heading(a) for a in self.articles], "Differs"])
        table.setEditTriggers(QAbstractItemView.EditTrigger.NoEditTriggers)
        table.setSelectionBehavior(QAbstractItemView.SelectionBehavior.SelectRows)
        table.setSelectionMode(QAbstractItemView.SelectionMode.SingleSelection)
        table.setWordWrap(True)
        table.setAlternatingRowColors(True)
        table.verticalHeader().hide()
        soft_selection(table)
        muted = table.palette().color(QPalette.ColorRole.PlaceholderText)
        for r, row in enumerate(rows):
            matched = any(s is not None for s in row.sentences[1:])
            found = sum(1 for s in row.sentences[1:] if s is not None)
            # the row's score is its weakest alignment: with a gap in it, say how many matched instead
            others = len(row.sentences) - 1
            score = QTableWidgetItem(
                f"{row.score:.0f}" if found == others else f"{found} of {others}" if found else "—"
            )
            score.setTextAlignment(Qt.AlignmentFlag.AlignCenter)
            table.setItem(r, 0, score)
            for c, s in enumerate(row.sentences):
                item = QTableWidgetItem(s.text if s is not None else "— no matching sentence")
                if s is None or not matched:
                    item.setForeground(muted)
                table.setItem(r, c + 1, item)
            differs = "\n".join(describe(d) for d in row.differences)
            table.setItem(r, len(self.articles) + 1, QTableWidgetItem(differs))
        header = table.horizontalHeader()
        header.setSectionResizeMode(0, QHeaderView.ResizeMode.ResizeToContents)
        for c in range(1, len(self.articles) + 2):
            header.setSectionResizeMode(c, QHeaderView.ResizeMode.Stretch)
        header.setToolTip("Match: how alike the aligned sentences are (0–100); — when no sentence matched")
        # rows fit their wrapped text once the columns have their real widths, and again after a resize
        fit = QTimer(table, singleShot=True, interval=0)
        fit.timeout.connect(table.resizeRowsToContents)
        fit.timeout.connect(lambda: table.scrollTo(table.currentIndex()))  # heights moved the current row
        header.sectionResized.connect(lambda *_a: fit.start())
        fit.start()
        return table

    def _show_rows(self, every: bool) -> None:
        """Unmatched sentences of the first article are hidden unless asked for: they only push
        the aligned rows apart (the panes below still show the whole texts)."""
        for r, row in enumerate(self.comparison.rows):
            self.table.setRowHidden(r, not every and all(s is None for s in row.sentences[1:]))

    # --- moving -------------------------------------------------------------------------------
    def step(self, delta: int) -> None:
        """To the next (previous) difference from the current one, or from the current row."""
        if not self.diffs:
            self.status.setText("These articles do not disagree on any figure, date or name.")
            return
        if self.current >= 0:
            target = self.current + delta
        else:
            row = self.table.currentRow()
            after = [i for i, (r, _d) in enumerate(self.diffs) if (r > row if delta > 0 else r < row)]
            target = (after[0] if delta > 0 else after[-1]) if after else len(self.diffs)
        if not 0 <= target < len(self.diffs):
            self.status.setText("No more differences that way.")
            return
        self.go_to(target)

    def go_to(self, index: int) -> None:
        self.current = index
        row = self.diffs[index][0]
        self.table.blockSignals(True)
        self.table.setCurrentCell(row, self.table.currentColumn() if self.table.currentColumn() >= 0 else 0)
        self.table.blockSignals(False)
        self.table.scrollTo(self.table.currentIndex())
        self._show(row)

    def _row_changed(self, row: int) -> None:
        """A row picked by hand: its first difference becomes the current one, if it has any."""
        first = next((i for i, (r, _d) in enumerate(self.diffs) if r == row), -1)
        self.current = first
        self._show(row)

    def current_difference(self) -> Difference | None:
        return self.diffs[self.current][1] if self.current >= 0 else None

    def _show(self, row: int) -> None:
        if not 0 <= row < len(self.comparison.rows):
            return
        aligned = self.comparison.rows[row]
        diff = self.current_difference()
        for pane, s in zip(self.panes, aligned.sentences, strict=True):
            aid = pane.article.id
            others = [
                (m.start, m.end)
                for d in aligned.differences
                if d is not diff
                for m in d.mentions
                if m.article_id == aid
            ]
            current = [(m.start, m.end) for m in (diff.mentions if diff else ()) if m.article_id == aid]
            pane.show_marks((s.start, s.end) if s is not None else None, others, current)
        if diff is not None:
            n = self.current + 1
            self.difference_label.setText(f"Difference {n} of {len(self.diffs)} — {describe(diff, '“')}")
        else:
            self.difference_label.setText("No difference in this row." if aligned.differences == () else "")

    def highlighted(self) -> list[str]:
        """The marked text of the current difference in every pane, in article order."""
        return [sel.cursor.selectedText() for pane in self.panes for sel in pane.marks]

    # --- tagging ------------------------------------------------------------------------------
    def tag_current(self) -> bool:
        spans = [t for pane in self.panes for t in pane.marked()]
        if not spans:
            self.status.setText("Move to a difference first (J or F8), then press C to tag it as a claim.")
            return False
        ok = self._tag(spans)
        if ok:
            self.status.setText(
                "Tagged as claim: " + ", ".join(f"“{t.text}” in #{t.article_id}" for t in spans) + ". Ctrl+Z undoes."
            )
        return ok
