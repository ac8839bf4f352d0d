"""Across outlets: the compare and timeline windows, fed by the pure core
(``core.crossoutlet``) and read through ``core.store.crossoutlet``; tagging a difference as a
claim runs ``CreateAnnotation`` through the desk, so Ctrl+Z (here or in the desk) undoes it.

The crossoutlet queries and windows load on first use, not with the window (issue 20)."""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable
from typing import TYPE_CHECKING, Any

from PySide6.QtCore import Qt
from PySide6.QtWidgets import QApplication, QWidget

from ..core import annotations as ann
from ..core import operations as ops
from ..core.errors import KzpkError
from .ask import ask
from .desk import Desk

if TYPE_CHECKING:  # the views and the core they use load datasketch and dateparser: not at start-up
    from ..core.crossoutlet.timeline import Timeline, TimelineItem
    from .compare_view import ComparePicker, CompareWindow, TagSpan
    from .timeline_view import TimelineWindow


MAX_SIDE_BY_SIDE = 5  # articles in one compare window: more columns are too narrow to read
TIMELINE_CAP = 5000  # spans read at once; the window says so when there are more


def _live(widget: QWidget | None) -> Any:
    from shiboken6 import isValid

    return widget if widget is not None and isValid(widget) else None


class CrossOutletCoordinator:
    def __init__(self, desk: Desk) -> None:
        self.desk = desk
        # the window hands in the desk's "open this span" (a coordinator never calls another)
        self.open_annotation: Callable[[int, str], None] = lambda _a, _s: None
        self.compare_window: CompareWindow | None = None
        self.timeline_window: TimelineWindow | None = None
        self.picker: ComparePicker | None = None
        desk.db.storeChanged.connect(lambda _store: self.close_all())

    def close_all(self) -> None:
        """Another database: the windows showed the old one's articles."""
        for w in (self.compare_window, self.timeline_window, self.picker):
            if _live(w) is not None:
                w.close()  # type: ignore[union-attr]
        self.compare_window = self.timeline_window = self.picker = None

    # --- compare ----------------------------------------------------------------------------------
    def compare_dialog(self) -> ComparePicker | None:
        """Pick the reports to set beside the open article: those of its story come ticked."""
        d = self.desk
        if d.store is None or d.article_id is None:
            d.status("Open an article first, then compare it with other reports.", 4000)
            return None
        from ..core.crossoutlet.compare import story_mates
        from ..core.store import crossoutlet as q
        from .compare_view import ComparePicker

        QApplication.setOverrideCursor(Qt.CursorShape.WaitCursor)  # ~0.2 s on a 100k corpus
        try:
            nearby = q.articles_near(d.store, d.article_id)
            mates = story_mates(d.article_id, nearby, d.store.articles.text)
        except KzpkError as err:
            ask.error(d.window, "Cannot compare", str(err))
            return None
        finally:
            QApplication.restoreOverrideCursor()
        own = next(a for a in nearby if a.id == d.article_id)
        if len(nearby) < 2:
            ask.info(
                d.window,
                "Nothing to compare",
                "No other article is dated within three days of this one."
                if own.date
                else "This article has no date, so no reports of the same day can be proposed.",
            )
            return None
        article_id = d.article_id
        # a big story (a wire copy reprinted everywhere) is marked, not ticked: too many columns
        ticked = mates if len(mates) < MAX_SIDE_BY_SIDE else ()
        self.picker = ComparePicker(own, nearby, mates, ticked, d.window)
        self.picker.accepted.connect(lambda: self._picked(article_id))
        self.picker.open()
        return self.picker

    def _picked(self, article_id: int) -> None:
        picker = _live(self.picker)
        if picker is None:
            return
        chosen = picker.chosen()
        if not chosen:
            self.desk.status("Tick at least one article to compare with.", 4000)
            return
        if len(chosen) + 1 > MAX_SIDE_BY_SIDE:
            ask.error(
                self.desk.window,
                "Too many to compare",
                f"Side by side, at most {MAX_SIDE_BY_SIDE} articles stay readable: tick at most "
                f"{MAX_SIDE_BY_SIDE - 1} (you ticked {len(chosen)}).",
            )
            return
        self.open_compare([article_id, *chosen])

    def compare_story(self, article_ids: list[int]) -> CompareWindow | None:
        """A story from the stories panel side by side; a story of more articles than fit shows
        its first few (the panel lists them independent sources first) and says so."""
        if len(article_ids) < 2:
            self.desk.status("A story of one article: nothing to compare it with.", 4000)
            return None
        if len(article_ids) > MAX_SIDE_BY_SIDE:
            self.desk.status(
                f"This story has {len(article_ids)} articles: comparing the first {MAX_SIDE_BY_SIDE}.", 6000
            )
        return self.open_compare(article_ids[:MAX_SIDE_BY_SIDE])

    def open_compare(self, article_ids: list[int]) -> CompareWindow | None:
        from ..core.crossoutlet.compare import compare
        from ..core.store import crossoutlet as q
        from .compare_view import CompareWindow

        d = self.desk
        if d.store is None:
            return None
        try:
            articles = q.articles_by_id(d.store, article_ids)
            result = compare(articles)
        except (KzpkError, ValueError) as err:
            ask.error(d.window, "Cannot compare", str(err))
            return None
        if (old := _live(self.compare_window)) is not None:
            old.close()
        self.compare_window = CompareWindow(articles, result, self.tag_claims, self.undo, d.window)
        self.compare_window.show()
        self.compare_window.raise_()
        self.compare_window.activateWindow()  # its single-key shortcuts act in the active window
        return self.compare_window

    def tag_claims(self, spans: list[TagSpan]) -> bool:
        """Each marked mention becomes a claim span; all of them are one undoable step."""
        d = self.desk
        if d.store is None:
            return False
        from ..core.store import crossoutlet as q

        store = d.store
        fresh = [t for t in spans if not q.has_span(store, t.article_id, t.start, t.end, "claim")]
        if not fresh:
            if (window := _live(self.compare_window)) is not None:
                window.status.setText("Already tagged as a claim in every article: nothing added.")
            return False
        try:
            rows = [
                ann.build_annotation(
                    store, t.article_id, t.start, t.end, "claim", annotator=d.annotator, expected_text=t.text
                )
                for t in fresh
            ]
        except KzpkError as err:
            ask.error(d.window, "Not tagged", str(err))
            return False
        op = ops.combine(
            (ops.CreateAnnotation(row, d.annotator) for row in rows),
            f"Tag {len(rows)} claims " + " / ".join(repr(t.text) for t in fresh),
        )
        ok = d.run(op)
        if ok and (tl := _live(self.timeline_window)) is not None:
            tl.refresh()
        return ok

    def undo(self, back: bool) -> None:
        """Ctrl+Z / Ctrl+Shift+Z in these windows: the desk's one history."""
        history = self.desk.history
        if history is None or not (history.can_undo if back else history.can_redo):
            QApplication.beep()
            return
        try:
            history.undo() if back else history.redo()
        except KzpkError as err:
            self.desk.status(str(err), 10000)
            QApplication.beep()
            return
        if (tl := _live(self.timeline_window)) is not None:
            tl.refresh()

    # --- timeline ---------------------------------------------------------------------------------
    def _load_timeline(self, date_from: str | None, date_to: str | None) -> tuple[Timeline, bool]:
        """The timeline of the articles published in the range; True when the cap cut it short
        (reading dates from text costs ~0.2 ms a span: a million would take minutes)."""
        from ..core.crossoutlet.timeline import Timeline, build_timeline
        from ..core.store import crossoutlet as q

        store = self.desk.store
        if store is None:
            return Timeline((), ()), False
        QApplication.setOverrideCursor(Qt.CursorShape.WaitCursor)
        try:
            rows = q.spans(store, ("claim", "agreement"), date_from=date_from, date_to=date_to, limit=TIMELINE_CAP + 1)
            return build_timeline(rows[:TIMELINE_CAP]), len(rows) > TIMELINE_CAP
        finally:
            QApplication.restoreOverrideCursor()

    def _default_dates(self) -> tuple[str, str]:
        """A month either side of the open article; the whole corpus when none is open."""
        article = self.desk.state.article
        date = str(article.date or "") if article else ""
        try:
            day = dt.date.fromisoformat(date[:10])
        except ValueError:
            return "", ""
        span = dt.timedelta(days=30)
        return (day - span).isoformat(), (day + span).isoformat()

    def show_timeline(self) -> TimelineWindow | None:
        from .timeline_view import TimelineWindow

        if self.desk.store is None:
            return None
        if (tl := _live(self.timeline_window)) is not None:
            tl.refresh()
        else:
            self.timeline_window = tl = TimelineWindow(
                self._load_timeline, self.open_item, self._default_dates(), self.desk.window
            )
        tl.show()
        tl.raise_()
        tl.activateWindow()
        return tl  # type: ignore[no-any-return]

    def open_item(self, item: TimelineItem) -> None:
        """Enter on an entry: the desk opens the article with the span selected and in view."""
        if item.annotation_id is None:
            return
        self.open_annotation(item.article_id, item.annotation_id)
        window = self.desk.window
        window.raise_()
        window.activateWindow()
        self.desk.reader.setFocus()
