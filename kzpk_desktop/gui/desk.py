"""What the coordinators share: the desk's widgets, the open-article state, and the one way
to change data (``run``: an operation on the undo history).

Coordinators depend on this and on nothing above it: they never call one another or the
window. The window builds one ``Desk`` and hands it to each coordinator.
"""

from __future__ import annotations

from dataclasses import dataclass, field

from PySide6.QtCore import QSettings
from PySide6.QtWidgets import QMainWindow

from ..core import operations as ops
from ..core.errors import KzpkError
from ..core.state import ArticleState
from ..core.store import Store
from .annotation_panel import AnnotationPanel
from .article_model import ArticleTableModel
from .ask import ask
from .database import DatabaseCare
from .entity_browser import EntityBrowser
from .panels import ArticlePanel
from .reader import ReaderView


@dataclass
class Desk:
    window: QMainWindow
    db: DatabaseCare
    state: ArticleState
    reader: ReaderView
    annotations: AnnotationPanel
    articles: ArticlePanel
    article_model: ArticleTableModel
    entity_browser: EntityBrowser
    settings: QSettings
    annotator: str = ""
    history: ops.UndoHistory | None = field(default=None)

    @property
    def store(self) -> Store | None:
        return self.db.store

    @property
    def article_id(self) -> int | None:
        return self.state.article_id

    def status(self, message: str, ms: int = 6000) -> None:
        self.window.statusBar().showMessage(message, ms)

    def run(self, op: ops.Operation) -> bool:
        """Run an operation (saved at once, undoable); a refusal is shown and nothing is half-done."""
        if self.history is None:
            return False
        try:
            self.history.do(op)
        except KzpkError as err:
            ask.error(self.window, "Not saved", str(err))
            return False
        return True
