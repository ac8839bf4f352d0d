"""Fact-checking: start or resume a review session, the summary and the history of a span."""

from __future__ import annotations

from typing import TYPE_CHECKING

from ..core import review as rv
from ..core.errors import KzpkError
from .ask import ask
from .desk import Desk

if TYPE_CHECKING:
    from .history import HistoryDialog
    from .review_window import ReviewWindow
    from .summary import SummaryDialog


class ReviewCoordinator:
    def __init__(self, desk: Desk) -> None:
        self.desk = desk
        self.window: ReviewWindow | None = None

    def live_window(self) -> ReviewWindow | None:
        """The open review window, if Qt has not deleted it (switching databases closes it)."""
        from shiboken6 import isValid

        return self.window if self.window is not None and isValid(self.window) else None

    def start_review(self) -> ReviewWindow | None:
        """Resume the reviewer's open session if they want, else choose a scope and start one."""
        d = self.desk
        if d.store is None:
            return None
        pending = rv.open_session(d.store, d.annotator)
        if (
            pending is not None
            and not pending.done
            and ask.confirm(
                d.window,
                "Resume review",
                f"Resume your session on {pending.scope.describe()} at "
                f"{pending.progress()}? (No starts a new session.)",
            )
        ):
            return self.open_review(pending)
        if pending is not None:
            rv.end_session(d.store, pending)
        from .review_window import ScopeDialog

        dialog = ScopeDialog(d.store.labels.all(), d.article_id, d.window)
        if not dialog.exec():
            return None
        return self.start_review_session(dialog.scope())

    def start_review_session(self, scope: rv.Scope) -> ReviewWindow | None:
        d = self.desk
        assert d.store is not None
        try:
            session = rv.start_session(d.store, d.annotator, scope)
        except KzpkError as err:
            ask.error(d.window, "Cannot start review", str(err))
            return None
        if not session.queue:
            rv.end_session(d.store, session)
            ask.info(d.window, "Nothing to review", f"No spans match: {scope.describe()}.")
            return None
        return self.open_review(session)

    def open_review(self, session: rv.Session) -> ReviewWindow:
        from .review_window import ReviewWindow

        d = self.desk
        assert d.store is not None
        if (old := self.live_window()) is not None:
            old.close()
        self.window = ReviewWindow(d.store, session, d.annotator, d.window)
        self.window.run_op = d.run  # decisions go through the desk's history: undoable there
        self.window.show()
        self.window.raise_()
        self.window.activateWindow()  # its single-key shortcuts act in the active window
        return self.window

    def show_summary(self) -> SummaryDialog | None:
        from .summary import SummaryDialog

        if self.desk.store is None:
            return None
        dialog = SummaryDialog(self.desk.store, self.desk.window)
        dialog.show()
        return dialog

    def show_history(self) -> HistoryDialog | None:
        from .history import HistoryDialog

        current = self.desk.annotations.current()
        if self.desk.store is None or current is None:
            self.desk.status("Select an annotation to see its history.", 4000)
            return None
        dialog = HistoryDialog(self.desk.store, current.id, self.desk.window)
        dialog.show()
        return dialog
