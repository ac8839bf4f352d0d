"""The annotation desk's window: it composes the parts and wires them, and does little else.

Article browser | reader | annotation panel, the entities dock, menus and toolbar from the
action registry, the status bar. Database care (``database.py``) holds the store; the
coordinators (annotating, entities, review, import/export) run operations through the
``Desk``; the views follow ``ArticleState``, which every operation's ``Changes`` feeds.
"""

from __future__ import annotations

import getpass
from datetime import datetime
from pathlib import Path

from PySide6.QtCore import QByteArray, QSettings, Qt
from PySide6.QtGui import QAction, QCloseEvent
from PySide6.QtWidgets import QLabel, QMainWindow, QSplitter, QVBoxLayout, QWidget

from .. import __version__
from ..core import entities as ent
from ..core import operations as ops
from ..core.state import ArticleDelta, ArticleState
from ..core.store import Store
from . import action_specs as cond
from . import actions as reg
from .annotating import AnnotatingCoordinator
from .annotation_panel import AnnotationPanel
from .article_details import ArticleDetailsCoordinator
from .article_model import STATUS_TEXT, ArticleTableModel
from .crossoutlet_coord import CrossOutletCoordinator
from .database import DatabaseCare
from .desk import Desk
from .entities_coord import EntitiesCoordinator
from .entity_browser import EntityBrowser
from .find_bar import FindBar
from .icons import icon
from .outlets_coord import OutletsCoordinator
from .panels import ArticlePanel
from .plain import plain_tip
from .preferences import HelpAndPreferences
from .reader import ReaderView
from .review_coord import ReviewCoordinator
from .team_coord import TeamCoordinator
from .transfer import TransferCoordinator
from .wiring import action_handlers, connect_signals

tag_action_name = reg.tag_action_name


def app_settings() -> QSettings:
    return QSettings(QSettings.Format.IniFormat, QSettings.Scope.UserScope, "kzpk", "kzpk_desktop")


class MainWindow(QMainWindow):
    def __init__(self, store: Store | None, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setObjectName("mainWindow")
        self.setWindowIcon(icon("kzpk-desktop"))
        self.settings = app_settings()
        self.db = DatabaseCare(self, self.settings, lambda m, ms: self.statusBar().showMessage(m, ms))
        self.state = ArticleState()
        self.article_model = ArticleTableModel(None, self)
        self.articles = ArticlePanel(self.article_model)
        self.reader = ReaderView()
        self.annotations = AnnotationPanel()
        self.entity_browser = EntityBrowser(self)
        self.desk = Desk(
            self,
            self.db,
            self.state,
            self.reader,
            self.annotations,
            self.articles,
            self.article_model,
            self.entity_browser,
            self.settings,
            annotator=str(self.settings.value("annotator", "") or _default_user()),
        )
        self.annotating = AnnotatingCoordinator(self.desk)
        self.entities = EntitiesCoordinator(self.desk)
        self.review = ReviewCoordinator(self.desk)
        self.transfer = TransferCoordinator(self.desk)
        self.details = ArticleDetailsCoordinator(self.desk)
        self.article_model.edit_field = self.details.edit_cell
        self.help = HelpAndPreferences(
            self.desk, lambda: self.registry["actionSnapWords"], lambda: self.registry.keyboard_map()
        )
        self.find_bar = FindBar(self.reader)
        self.team = TeamCoordinator(self.desk, self.help.ensure_annotator)
        self.outlets = OutletsCoordinator(self.desk)  # stories, claim clusters, earlier fact-checks
        self.crossoutlet = CrossOutletCoordinator(self.desk)
        self.crossoutlet.open_annotation = self.annotating.open_annotation
        self._total: int | None = None  # spans in the corpus, kept by deltas (a count(*) per tag is slow)
        self.header_title = QLabel(objectName="articleTitle")
        self.header_title.setProperty("role", "articleTitle")
        self.header_title.setWordWrap(True)
        self.header_meta = QLabel(objectName="articleMeta")
        self.header_meta.setProperty("role", "muted")
        for label in (self.header_title, self.header_meta):
            label.setTextFormat(Qt.TextFormat.PlainText)
        self.registry = reg.ActionRegistry(self, action_handlers(self), [self.reader, self.annotations.view])
        self.registry["actionSnapWords"].setChecked(bool(self.settings.value("snap_words", True, type=bool)))
        self.annotating.snap = self.registry["actionSnapWords"].isChecked
        self.reader.zoom(
            int(str(self.settings.value("reader_zoom", 0)))
            if str(self.settings.value("reader_zoom", 0)).lstrip("-").isdigit()
            else 0
        )
        self._build_layout()
        self.registry.build_menus()
        self._build_status_bar()
        connect_signals(self)
        self._restore_layout()
        self._store_changed(None)
        if store is not None:
            self.db.set_store(store)

    # --- construction ---------------------------------------------------------------------
    def _show_entities(self) -> None:
        self.entity_browser.setVisible(self.registry["actionShowEntities"].isChecked())

    def _build_layout(self) -> None:
        center = QWidget(objectName="readerPane")
        lay = QVBoxLayout(center)
        lay.setContentsMargins(4, 10, 4, 6)
        lay.setSpacing(2)
        lay.addWidget(self.header_title)
        lay.addWidget(self.header_meta)
        lay.addWidget(self.reader, 1)
        lay.addWidget(self.find_bar)
        self.splitter = QSplitter(Qt.Orientation.Horizontal, objectName="mainSplitter")
        for i, (widget, minimum) in enumerate(((self.articles, 240), (center, 260), (self.annotations, 220))):
            self.splitter.addWidget(widget)
            self.splitter.setStretchFactor(i, 1 if widget is center else 0)
            widget.setMinimumWidth(minimum)
        self.splitter.setSizes([470, 640, 330])
        self.splitter.setChildrenCollapsible(False)
        self.setCentralWidget(self.splitter)
        self.addDockWidget(Qt.DockWidgetArea.RightDockWidgetArea, self.entity_browser)
        self.entity_browser.hide()

    def _build_status_bar(self) -> None:
        sb = self.statusBar()
        sb.setObjectName("statusBar")
        self.position_label = QLabel(objectName="statusPosition")
        self.counts_label = QLabel(objectName="statusCounts")
        self.saved_label = QLabel(objectName="saveState")
        for w in (self.position_label, self.counts_label, self.saved_label, self.team.filter):
            sb.addPermanentWidget(w)

    # --- the database, the history and the open article ------------------------------------
    @property
    def store(self) -> Store | None:
        return self.db.store

    @property
    def article_id(self) -> int | None:
        return self.state.article_id

    @property
    def history(self) -> ops.UndoHistory | None:
        return self.desk.history

    @property
    def annotator(self) -> str:
        return self.desk.annotator

    @annotator.setter
    def annotator(self, name: str) -> None:
        self.desk.annotator = name

    def _store_changed(self, store: Store | None) -> None:
        """Another database (or none): a new undo history, every view rebuilt from it."""
        self.desk.history = ops.UndoHistory(store) if store is not None else None
        if self.desk.history is not None:
            self.desk.history.subscribe(self._changed)
        self._total = None
        self.article_model.set_store(store)
        self.annotations.set_store(store)
        self.entity_browser.set_store(store)
        self._load_labels()
        self.state.open(store, None)
        where = (store.path.name + (" (read-only)" if store.readonly else "")) if store else "no database"
        self.setWindowTitle(f"kzpk_desktop {__version__} — {where}")
        self._fill_recent_menu()

    def _fill_recent_menu(self) -> None:
        menu = self.registry.recent_menu
        assert menu is not None
        menu.clear()
        for p in self.db.recent():
            menu.addAction(p).triggered.connect(lambda _c=False, path=p: self.db.open_database(path))
        menu.setEnabled(bool(self.db.recent()))

    def _load_labels(self) -> None:
        labels = self.store.labels.all() if self.store else []
        self.reader.set_labels(labels)
        self.annotations.set_labels(labels)
        self.registry.set_labels(labels, self.annotating.tag_selection, self.reader)
        self.reader.context_actions = [
            *self.registry.tag_actions.values(),
            *(
                self.registry[i]
                for i in ("actionDeleteAnnotation", "actionLinkSpans", "actionNewEntity", "actionShowHistory")
            ),
        ]
        self._update_actions()

    def _changed(self, changes: ops.Changes) -> None:
        """After every committed operation (do, undo, redo): refresh only what it names.

        The lists repaint in the same frame as the highlight, and only their changed rows:
        deferring them (updates off, then on) made the researcher wait for a later frame and
        repainted the whole article list (measured in ``benchmarks/gui_bench.py``).
        """
        if changes.article_set:  # an import, or its undo: rows come or go
            self.article_model.reload()
            current = self.article_id
            if (
                self.store is not None
                and current in changes.articles
                and not self.store.articles.article_rows([current])
            ):
                self.state.open(self.store, None)  # the open article was taken back with its import
        else:
            for article_id in changes.articles | {a for a, _s, _e in changes.spans}:
                self.article_model.refresh_article(article_id)
        if changes.labels:
            self._load_labels()
        before = self.annotations.model.rowCount()
        self.state.apply(changes)
        if self._total is not None:
            self._total += self.annotations.model.rowCount() - before
        if any(a != self.article_id for a, _s, _e in changes.spans):
            self._total = None  # a change elsewhere (undo after switching article): recount once
        if changes.entities or changes.suggestions:
            self.entity_browser.mark_stale()
        self.outlets.changed(changes)
        self.saved_label.setText(f"✓ Saved {datetime.now():%H:%M:%S}")
        self._update_status()
        self._update_actions()

    def _article_delta(self, delta: ArticleDelta) -> None:
        """The open article's state moved: the reader, the span table and the header follow."""
        shown = self.team.visible  # whose spans: everyone's, mine, one colleague's
        if delta.reset:
            article = self.state.article
            self.team.fill_filter()
            self.reader.set_article(article.text if article else "", shown(self.state.spans()))
            self.annotations.set_annotations(shown(self.state.spans()))
            self.entities.show_suggestions()
        else:
            upserts = shown(list(delta.upserts))
            removed = [*delta.removed, *(r.id for r in delta.upserts if r not in upserts)]
            self.reader.apply_changes(upserts, removed, delta.ranges)
            self.annotations.apply_changes(upserts, removed)
        self.team.outline()
        if delta.reset or delta.article_changed:
            self._show_header()
            if self.find_bar.isVisible():
                self.find_bar.search()  # another article: find the same words in it
        self._update_status()
        self._update_actions()

    def _show_header(self) -> None:
        article = self.state.article
        if article is None:
            has_db = self.store is not None
            self.header_title.setText("No article open" if has_db else "No database open")
            self.header_meta.setText(
                "Pick an article from the list, or import your own with Ctrl+I."
                if has_db
                else "Use File ▸ Open database or File ▸ New database."
            )
            return
        self.header_title.setText(article.title)
        bits = [
            article.source or "unknown source",
            article.date or "no date found",
            STATUS_TEXT.get(article.status, article.status),
            f"{len(article.text):,} characters",
            article.file_name or "",
        ]
        self.header_meta.setText("  ·  ".join(b for b in bits if b))

    # --- status and layout -------------------------------------------------------------------
    def _update_actions(self) -> None:
        current = self.annotations.current()
        history = self.desk.history
        self.registry.update(
            {
                cond.DATABASE: self.store is not None,
                cond.ARTICLE: self.article_id is not None,
                cond.ANNOTATION: current is not None,
                cond.UNDO: history is not None and history.can_undo,
                cond.ENTITY_SPAN: current is not None and current.label in ent.ENTITY_KINDS,
                cond.REDO: history is not None and history.can_redo,
            }
        )
        for action, verb, what in (
            (self.registry["actionUndo"], "&Undo", history.undo_text if history is not None else ""),
            (self.registry["actionRedo"], "&Redo", history.redo_text if history is not None else ""),
        ):
            # the step's name quotes article text: no & mnemonic from it, and an escaped tooltip
            action.setText(f"{verb} {what.replace('&', '&&')}".strip())
            action.setToolTip(plain_tip(f"{verb.replace('&', '')} {what}".strip()))

    def _update_status(self) -> None:
        model = self.article_model
        row = model.row_of(self.article_id, load=False) if self.article_id is not None else None
        total = model.total()  # None until a search's whole list is read, just after the paint
        n = "…" if total is None else f"{total:,}"
        self.position_label.setText(f"Article {row + 1:,} of {n}" if row is not None else f"{n} articles")
        if self._total is None and self.store is not None:
            self._total = self.store.annotations.count()
        self.counts_label.setText(f"{self.annotations.model.rowCount()} here · {self._total or 0:,} in corpus")
        if not self.saved_label.text():
            self.saved_label.setText("✓ All changes saved" if self.store else "")

    def _restore_layout(self) -> None:
        geometry = self.settings.value("geometry")
        if isinstance(geometry, QByteArray):
            self.restoreGeometry(geometry)
        else:
            self.resize(1440, 900)
        for key, restore in (("window_state", self.restoreState), ("splitter", self.splitter.restoreState)):
            value = self.settings.value(key)
            if isinstance(value, QByteArray):
                restore(value)

    def save_layout(self) -> None:
        self.settings.setValue("geometry", self.saveGeometry())
        self.settings.setValue("window_state", self.saveState())
        self.settings.setValue("splitter", self.splitter.saveState())
        self.outlets.remember_panels()
        if self.store is not None:
            self.settings.setValue("last_db", str(Path(self.store.path).resolve()))
        self.settings.sync()

    def closeEvent(self, event: QCloseEvent) -> None:
        if (review_window := self.review.live_window()) is not None:
            review_window.close()  # keeps undecided review input as a draft while the store is open
        self.annotating.remember_place()
        self.save_layout()
        self.articles.stop_pending()
        self.article_model.set_store(None)
        self.db.close()
        super().closeEvent(event)

    def action(self, action_id: str) -> QAction:
        return self.registry[action_id]


def _default_user() -> str:
    try:
        return getpass.getuser()
    except Exception:
        return ""


__all__ = ["MainWindow", "app_settings", "tag_action_name"]
