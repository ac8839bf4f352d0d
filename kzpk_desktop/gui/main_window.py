"""The annotation desk: article browser | reader | annotation panel, with menus and undo."""

from __future__ import annotations

import getpass
from datetime import datetime
from pathlib import Path
from typing import TYPE_CHECKING, Any

from PySide6.QtCore import QByteArray, QLockFile, QSettings, Qt, QTimer
from PySide6.QtGui import QAction, QCloseEvent, QKeySequence, QUndoStack
from PySide6.QtWidgets import (
    QApplication,
    QComboBox,
    QLabel,
    QMainWindow,
    QSplitter,
    QToolBar,
    QVBoxLayout,
    QWidget,
)

from .. import __version__
from ..core import annotations as ann
from ..core import entities as ent
from ..core import review as rv
from ..core.commands import (
    CreateAnnotation,
    CreateRelation,
    DeleteAnnotation,
    DeleteRelation,
    EditAnnotation,
    LinkNewEntity,
)
from ..core.errors import KzpkError, NotFoundError
from ..core.offsets import snap_to_words
from ..core.relations import build_relation
from ..core.store import Store
from .annotation_panel import AnnotationPanel
from .article_model import STATUS_TEXT, ArticleTableModel
from .ask import ask
from .entity_browser import EntityBrowser
from .icons import icon, label_icon
from .jobs import Progress, run_in_background, start_job
from .panels import ArticlePanel
from .reader import ReaderView
from .undo import CoreUndoCommand

if TYPE_CHECKING:
    from ..core.importer import ImportReport
    from .history import HistoryDialog
    from .review_window import ReviewWindow
    from .summary import SummaryDialog

MAX_RECENT = 8
DEFAULT_ACTION_NAMES = {"claim": "actionTagClaim", "actor": "actionTagActor",
                        "agreement": "actionTagAgreement"}


def app_settings() -> QSettings:
    return QSettings(QSettings.Format.IniFormat, QSettings.Scope.UserScope, "kzpk", "kzpk_desktop")


def tag_action_name(label_id: str) -> str:
    return DEFAULT_ACTION_NAMES.get(label_id) or "actionTag" + "".join(
        part.capitalize() for part in label_id.split("_"))


class MainWindow(QMainWindow):
    def __init__(self, store: Store | None, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setObjectName("mainWindow")
        self.setWindowIcon(icon("kzpk-desktop"))
        self._lock: QLockFile | None = None
        if store is not None and not self._claim(store.path):
            store.close()
            store = None
        self.store = store
        self.settings = app_settings()
        self.annotator = str(self.settings.value("annotator", "") or _default_user())
        self.article_id: int | None = None
        self.undo_stack = QUndoStack(self)
        self.undo_stack.setObjectName("undoStack")
        self.tag_actions: dict[str, QAction] = {}
        self._jobs: list[Any] = []

        self.article_model = ArticleTableModel(store, self)
        self.articles = ArticlePanel(self.article_model)
        self.reader = ReaderView()
        self.annotations = AnnotationPanel()
        self.annotations.set_store(store)
        self.entity_browser = EntityBrowser(self)
        self.entity_browser.set_store(store)
        self._link_source: str | None = None
        self._closing = False
        self._checkpointing = False
        self._checkpoint_timer = QTimer(self)
        self._checkpoint_timer.timeout.connect(self.checkpoint_now)
        self._backed_up_at = -1
        self._backup_timer = QTimer(self)
        self._backup_timer.timeout.connect(self._scheduled_backup)
        self._repaint_timer = QTimer(self, singleShot=True)
        self._repaint_timer.timeout.connect(self._repaint_lists)
        self._total: int | None = None  # spans in the corpus, kept by deltas (a count(*) per tag is slow)
        self.header_title = QLabel(objectName="articleTitle")
        self.header_title.setProperty("role", "articleTitle")
        self.header_title.setWordWrap(True)
        self.header_title.setTextFormat(Qt.TextFormat.PlainText)
        self.header_meta = QLabel(objectName="articleMeta")
        self.header_meta.setProperty("role", "muted")
        self.header_meta.setTextFormat(Qt.TextFormat.PlainText)

        self._build_layout()
        self._build_actions()
        self._build_menus_and_toolbar()
        self._build_status_bar()
        self._connect()
        self._load_labels()
        self._restore_layout()
        self._show_article(None)
        self._update_title()

    # --- construction ---------------------------------------------------------------------
    def _build_layout(self) -> None:
        center = QWidget(objectName="readerPane")
        lay = QVBoxLayout(center)
        lay.setContentsMargins(4, 10, 4, 6)
        lay.setSpacing(2)
        lay.addWidget(self.header_title)
        lay.addWidget(self.header_meta)
        lay.addWidget(self.reader, 1)
        self.splitter = QSplitter(Qt.Orientation.Horizontal, objectName="mainSplitter")
        self.splitter.addWidget(self.articles)
        self.splitter.addWidget(center)
        self.splitter.addWidget(self.annotations)
        self.splitter.setStretchFactor(0, 0)
        self.splitter.setStretchFactor(1, 1)
        self.splitter.setStretchFactor(2, 0)
        self.splitter.setSizes([470, 640, 330])
        self.splitter.setChildrenCollapsible(False)
        self.articles.setMinimumWidth(240)
        center.setMinimumWidth(260)
        self.annotations.setMinimumWidth(220)
        self.setCentralWidget(self.splitter)
        self.addDockWidget(Qt.DockWidgetArea.RightDockWidgetArea, self.entity_browser)
        self.entity_browser.hide()

    def _action(self, name: str, text: str, slot: Any, shortcut: Any = None, icon_name: str = "",
                tip: str = "", scope: list[QWidget] | None = None) -> QAction:
        """A window action; with ``scope`` its keys act only while one of those widgets has focus."""
        action = QAction(text, self)
        action.setObjectName(name)
        if icon_name:
            action.setIcon(icon(icon_name))
        if shortcut is not None:
            action.setShortcuts(shortcut if isinstance(shortcut, list) else [QKeySequence(shortcut)])
        if tip:
            action.setStatusTip(tip)
            action.setToolTip(f"{text.replace('&', '')} — {tip}")
        action.triggered.connect(slot)
        if scope is None:
            self.addAction(action)
        else:
            action.setShortcutContext(Qt.ShortcutContext.WidgetWithChildrenShortcut)
            for widget in scope:
                widget.addAction(action)
        return action

    def _build_actions(self) -> None:
        A = self._action
        K = QKeySequence.StandardKey
        self.actionNew = A("actionNewDatabase", "&New database…", self.new_database, K.New, "new")
        self.actionOpen = A("actionOpenDatabase", "&Open database…", self.open_database_dialog,
                            K.Open, "open")
        self.actionImport = A("actionImport", "&Import articles…", self.import_files_dialog,
                              "Ctrl+I", "import", "Import .txt or .md files")
        self.actionImportFolder = A("actionImportFolder", "Import &folder…", self.import_folder_dialog,
                                    "Ctrl+Shift+I", "import")
        self.actionExport = A("actionExport", "&Export dataset…", self.export_dialog, "Ctrl+E", "export",
                              "CSV or JSONL of the annotations")
        self.actionQuit = A("actionQuit", "&Quit", self.close, K.Quit)
        self.actionBackup = A("actionBackupNow", "&Back up now", self.backup_now, None, "",
                              "Copy the database to the rolling backups folder")
        self.actionRestore = A("actionRestoreBackup", "&Restore from backup…", self.restore_backup_dialog)
        self.actionMerge = A("actionMergeDatabase", "&Merge a colleague's database…", self.merge_dialog, None, "",
                             "Bring a coder's copy into this one; items changed on both sides wait for you")
        self.actionConflicts = A("actionMergeConflicts", "Merge &conflicts…", self.show_conflicts)
        self.actionUndo = self.undo_stack.createUndoAction(self, "&Undo")
        self.actionUndo.setObjectName("actionUndo")
        self.actionUndo.setShortcuts([QKeySequence(K.Undo)])
        self.actionUndo.setIcon(icon("undo"))
        self.actionUndo.setIconText("Undo")
        self.actionRedo = self.undo_stack.createRedoAction(self, "&Redo")
        self.actionRedo.setObjectName("actionRedo")
        self.actionRedo.setShortcuts([QKeySequence(K.Redo), QKeySequence("Ctrl+Y")])
        self.actionRedo.setIcon(icon("redo"))
        self.actionRedo.setIconText("Redo")
        self.addActions([self.actionUndo, self.actionRedo])
        desk = [self.reader, self.annotations.view]
        self.actionDelete = A("actionDeleteAnnotation", "&Delete annotation", self.delete_annotation,
                              [QKeySequence(Qt.Key.Key_Delete), QKeySequence(Qt.Key.Key_Backspace)],
                              "delete", "Remove the selected annotation (undoable)", scope=desk)
        self.actionDelete.setIconText("Delete")
        self.actionSnap = A("actionSnapWords", "&Snap selections to words", self._toggle_snap,
                            None, "snap", "Widen selections to whole words, trim spaces")
        self.actionSnap.setCheckable(True)
        self.actionSnap.setIconText("Snap to words")
        self.actionSnap.setChecked(self.settings.value("snap_words", True, type=bool))
        self.actionAddLabel = A("actionAddLabel", "Add &label…", self.add_label_dialog, None, "label-add")
        self.actionMarkAnnotated = A("actionMarkAnnotated", "Mark article &annotated", self.mark_annotated,
                                     "Ctrl+Return", "", "Set this article's progress to Annotated")
        self.actionPrefs = A("actionPreferences", "&Preferences…", self.preferences, K.Preferences)
        self.actionFind = A("actionFocusSearch", "&Find articles", self.articles.search.setFocus, K.Find,
                            "search")
        self.actionNextArticle = A("actionNextArticle", "Next article", lambda: self._step_article(1),
                                   "Ctrl+Down")
        self.actionPrevArticle = A("actionPreviousArticle", "Previous article",
                                   lambda: self._step_article(-1), "Ctrl+Up")
        self.actionLink = A("actionLinkSpans", "&Link to another span…", self.start_link, "L", "",
                            "Then click the target: claim → actor (said by), agreement → actor (party), "
                            "claim → agreement (about)", scope=desk)
        self.actionCancelLink = A("actionCancelLink", "Cancel link", self.cancel_link, "Esc")
        self.actionNewEntity = A("actionNewEntity", "&New entity from span", self.new_entity_from_span, "N", "",
                                 "Create the actor or agreement this span names and link it", scope=desk)
        self.actionFindMentions = A("actionFindMentions", "Find more &mentions", self.find_mentions, "Ctrl+M", "search",
                                    "Unannotated occurrences of the selected span's entity")
        self.actionEntities = self.entity_browser.toggleViewAction()
        self.actionEntities.setObjectName("actionShowEntities")
        self.actionEntities.setShortcut(QKeySequence("Ctrl+Shift+E"))
        self.actionEntities.setText("&Entities")
        self.addAction(self.actionEntities)
        self.actionStartReview = A("actionStartReview", "Start &review session…", self.start_review, "Ctrl+R",
                                   "review", "Go through claims one by one: decide, give a verdict and evidence")
        self.actionStartReview.setIconText("Review")
        self.actionSummary = A("actionReviewSummary", "Review &summary", self.show_summary, "Ctrl+Shift+S", "",
                               "Counts by verdict, label, article and reviewer")
        self.actionHistory = A("actionShowHistory", "Annotation &history", self.show_history, "Ctrl+H", "",
                               "Every change to the selected annotation: who, when, old and new values")
        self.actionCurate = A("actionCurate", "&Curate this article…", self.show_curation, "Ctrl+Shift+G", "",
                              "Each coder's spans in a lane: take A's, B's, both or neither into the gold layer")
        self.actionAgreement = A("actionAgreement", "&Agreement report", self.show_agreement, None, "",
                                 "How far coders and reviewers agree: α and κ per label, verdicts, statuses")
        self.review_window: ReviewWindow | None = None
        self.actionShortcuts = A("actionShortcuts", "&Keyboard shortcuts", self.show_shortcuts, "F1", "help")
        self.actionAbout = A("actionAbout", "&About kzpk_desktop", self.show_about)
        self.actionGuide = A("actionUserGuide", "&User guide", self.open_user_guide, None, "help")
        self.actionWelcome = A("actionWelcome", "&Welcome", self.show_welcome)

    def _build_tag_actions(self, labels: list[dict[str, Any]]) -> None:
        for action in self.tag_actions.values():
            self.reader.removeAction(action)
            action.deleteLater()
        self.tag_actions = {}
        for lab in labels:
            keys = [QKeySequence(k) for k in (lab.get("shortcut"), lab.get("alt_shortcut")) if k]
            action = QAction(label_icon(lab["id"], lab["color"]), f"Tag as {lab['name']}", self)
            action.setObjectName(tag_action_name(lab["id"]))
            action.setIconText(lab["name"])
            action.setShortcuts(keys)
            # Single-key shortcuts act only in the reader, so typing in the search box is safe.
            action.setShortcutContext(Qt.ShortcutContext.WidgetWithChildrenShortcut)
            hint = " / ".join(k.toString() for k in keys)
            action.setToolTip(f"Tag the selection as {lab['name']}" + (f" ({hint})" if hint else ""))
            action.setStatusTip(lab.get("description") or "")
            action.triggered.connect(lambda _checked=False, lid=lab["id"]: self.tag_selection(lid))
            self.reader.addAction(action)
            self.tag_actions[lab["id"]] = action
        self.reader.context_actions = [*self.tag_actions.values(), self.actionDelete, self.actionLink,
                                       self.actionNewEntity, self.actionHistory]
        if hasattr(self, "annotate_menu"):
            self._fill_annotate_menu()
            self._fill_toolbar()

    def _build_menus_and_toolbar(self) -> None:
        bar = self.menuBar()
        m = bar.addMenu("&File")
        m.addActions([self.actionNew, self.actionOpen])
        self.recent_menu = m.addMenu("Open &recent")
        self.recent_menu.setObjectName("recentMenu")
        m.addSeparator()
        m.addActions([self.actionImport, self.actionImportFolder, self.actionExport])
        m.addSeparator()
        m.addActions([self.actionBackup, self.actionRestore])
        m.addActions([self.actionMerge, self.actionConflicts])
        m.addSeparator()
        m.addAction(self.actionQuit)
        m = bar.addMenu("&Edit")
        m.addActions([self.actionUndo, self.actionRedo])
        m.addSeparator()
        m.addActions([self.actionDelete, self.actionSnap])
        m.addSeparator()
        m.addActions([self.actionFind, self.actionNextArticle, self.actionPrevArticle])
        m.addSeparator()
        m.addAction(self.actionPrefs)
        self.annotate_menu = bar.addMenu("&Annotate")
        m = bar.addMenu("&Review")
        m.addActions([self.actionStartReview, self.actionSummary, self.actionHistory, self.actionCurate,
                      self.actionAgreement])
        m = bar.addMenu("&View")
        m.addAction(self.actionEntities)
        m = bar.addMenu("&Help")
        m.addActions([self.actionShortcuts, self.actionGuide, self.actionWelcome])
        m.addSeparator()
        m.addAction(self.actionAbout)
        self.toolbar = QToolBar("Main toolbar", objectName="mainToolbar")
        self.toolbar.setToolButtonStyle(Qt.ToolButtonStyle.ToolButtonTextBesideIcon)
        self.toolbar.setMovable(False)
        self.addToolBar(self.toolbar)
        self._fill_annotate_menu()
        self._fill_toolbar()
        self._fill_recent_menu()

    def _fill_annotate_menu(self) -> None:
        m = self.annotate_menu
        m.clear()
        m.addActions(list(self.tag_actions.values()))
        m.addSeparator()
        m.addActions([self.actionDelete, self.actionLink, self.actionNewEntity, self.actionFindMentions])
        m.addSeparator()
        m.addActions([self.actionMarkAnnotated, self.actionAddLabel])

    def _fill_toolbar(self) -> None:
        t = self.toolbar
        t.clear()
        t.addActions([self.actionImport, self.actionExport])
        t.addSeparator()
        t.addActions([self.actionUndo, self.actionRedo])
        t.addSeparator()
        t.addActions(list(self.tag_actions.values()))
        t.addAction(self.actionDelete)
        t.addSeparator()
        t.addAction(self.actionStartReview)
        t.addAction(self.actionSnap)

    def _build_status_bar(self) -> None:
        sb = self.statusBar()
        sb.setObjectName("statusBar")
        self.position_label = QLabel(objectName="statusPosition")
        self.counts_label = QLabel(objectName="statusCounts")
        self.saved_label = QLabel(objectName="saveState")
        for w in (self.position_label, self.counts_label, self.saved_label):
            sb.addPermanentWidget(w)
        self.annotator_filter = QComboBox(objectName="annotatorFilter")
        self.annotator_filter.setToolTip("Whose spans to show: everyone's, mine, or one colleague's")
        self.annotator_filter.addItem("Everyone's spans", None)
        self.annotator_filter.activated.connect(lambda _i: self._annotator_filter_changed())
        sb.addPermanentWidget(self.annotator_filter)

    # --- whose spans are shown (team work) ------------------------------------------------
    def _fill_annotator_filter(self) -> None:
        from ..core.store.team import annotator_names

        combo, keep = self.annotator_filter, self.annotator_filter.currentData()
        names = annotator_names(self.store, self.article_id) if self.store and self.article_id is not None else []
        combo.clear()
        combo.addItem("Everyone's spans", None)
        combo.addItem(f"Mine ({self.annotator})", self.annotator)
        for name in names:
            if name != self.annotator:
                combo.addItem(f"{name}'s spans", name)
        combo.setCurrentIndex(max(combo.findData(keep), 0) if keep is not None else 0)

    OUTLINE_COLORS = ("#1565c0", "#c62828", "#2e7d32", "#6a1b9a", "#ef6c00", "#00838f", "#4e342e", "#ad1457")

    def _outline_annotators(self) -> None:
        """Everyone's spans, from two or more coders: a distinct outline colour per coder."""
        names = sorted(self.reader.shown_annotators()) if self.annotator_filter.currentData() is None else []
        colors = dict(zip(names, self.OUTLINE_COLORS, strict=False)) if len(names) >= 2 else {}
        self.reader.set_annotator_outlines(colors)

    def _visible(self, rows: list[dict[str, Any]]) -> list[dict[str, Any]]:
        who = self.annotator_filter.currentData()
        return rows if who is None else [r for r in rows if r["annotator"] == who]

    def _annotator_filter_changed(self) -> None:
        if self.article_id is not None:
            self.open_article(self.article_id)

    def _connect(self) -> None:
        self.articles.articleActivated.connect(self.open_article)
        self.reader.annotationClicked.connect(self._annotation_clicked)
        self.annotations.annotationSelected.connect(self.reader.focus_annotation)
        self.annotations.view.selectionModel().currentRowChanged.connect(lambda *_: self._update_actions())
        self.annotations.editRequested.connect(self.edit_annotation)
        self.annotations.newEntityRequested.connect(lambda _id: self.new_entity_from_span())
        self.annotations.relationDeleteRequested.connect(self.delete_relation)
        self.annotations.message.connect(lambda m: self.statusBar().showMessage(m, 6000))
        self.annotations.annotationSelected.connect(self._maybe_finish_link)
        eb = self.entity_browser
        eb.mentionActivated.connect(self.open_annotation)
        eb.findRequested.connect(self.find_mentions_of)
        eb.editRequested.connect(self.edit_entity)
        eb.mergeRequested.connect(self.merge_entity)
        eb.acceptRequested.connect(self.accept_suggestions)
        eb.rejectRequested.connect(self.reject_suggestions)
        self.article_model.modelReset.connect(self._update_status)
        self.article_model.layoutChanged.connect(self._update_status)

    # --- database -------------------------------------------------------------------------
    def _claim(self, path: Path) -> bool:
        """One window per database: a second one (or a second app) is refused clearly.

        The lock file records the owner's process; a lock left by a crashed app is stale and
        QLockFile takes it over.
        """
        self._release()
        lock = QLockFile(str(path) + ".lock")
        lock.setStaleLockTime(0)  # never stale by age, only when its process is gone
        if lock.tryLock(200):
            self._lock = lock
            return True
        info = lock.getLockInfo()  # PySide6: (pid, host, app); other bindings prefix a success flag
        owner = ""
        if isinstance(info, tuple) and len(info) >= 3 and info[0] is not False:
            pid, host = info[-3], info[-2]
            owner = f" (process {pid} on {host})"
        ask.error(self, "Database already open", f"'{path}' is already open in another kzpk_desktop window"
                  f"{owner}. Close it there first: two windows writing one file would confuse each other's "
                  "undo history.")
        return False

    def _release(self) -> None:
        if self._lock is not None:
            self._lock.unlock()
            self._lock = None

    def set_store(self, store: Store | None) -> None:
        """Switch to another database; the undo history belongs to the old one."""
        if store is not None and (self.store is None or store.path != self.store.path) and not self._claim(store.path):
            store.close()
            return
        if self.store is not None and self.store is not store:
            self.store.close()
        if store is None:
            self._release()
        self.store = store
        self._total = None
        self.undo_stack.clear()
        self.article_model.set_store(store)
        self.annotations.set_store(store)
        self.entity_browser.set_store(store)
        self._load_labels()
        self._show_article(None)
        self._update_title()
        if store is not None:
            self._remember_db(store.path)
            self.after_open()

    BACKUP_DELAY_MS = 5000
    BACKUP_EVERY_MS = 30 * 60 * 1000

    def after_open(self) -> None:
        """Background care for a freshly opened database: integrity, backups, a network warning."""
        if self.store is None:
            return
        from ..core.locality import network_warning

        warning = network_warning(self.store.path)
        if warning:
            ask.info(self, "Database on a network share", warning)
        self.verify_in_background()
        from ..core.backups import newest_age_s

        age = newest_age_s(self.store.path)
        if age is None or age > self.BACKUP_EVERY_MS / 1000:
            QTimer.singleShot(self.BACKUP_DELAY_MS, self.backup_now)
        self._backed_up_at = self.store.conn.total_changes
        self._backup_timer.start(self.BACKUP_EVERY_MS)
        self.store.defer_checkpoints()
        self._checkpoint_timer.start(self.CHECKPOINT_EVERY_MS)

    CHECKPOINT_EVERY_MS = 5000

    def checkpoint_now(self) -> Any:
        """Fold the WAL into the database off the GUI thread (see Store.defer_checkpoints)."""
        if self.store is None or self._closing or self._checkpointing:
            return None
        from ..core.store import checkpoint

        path = self.store.path
        self._checkpointing = True

        def done(_result: object) -> None:
            self._checkpointing = False

        job = run_in_background(self, lambda _p: checkpoint(path), done, lambda m, d: done(None))
        self._track(job)
        return job

    def backup_now(self) -> Any:
        """A rolling backup (online backup API) off the GUI thread."""
        if self.store is None or self._closing:
            return None
        from ..core.backups import make_backup

        path = self.store.path
        job = run_in_background(self, lambda _p: make_backup(path),
                                lambda dest: self.statusBar().showMessage(f"Backup saved: {dest.name}", 4000),
                                lambda m, d: self.statusBar().showMessage(f"Backup failed: {m}", 8000))
        self._track(job)
        return job

    def _scheduled_backup(self) -> None:
        """Every 30 minutes, if this window changed anything since the last backup."""
        if self.store is not None and self.store.conn.total_changes != self._backed_up_at:
            self._backed_up_at = self.store.conn.total_changes
            self.backup_now()

    def restore_backup_dialog(self) -> bool:
        """Choose a backup, confirm, and put it in place (the current file is kept aside)."""
        if self.store is None:
            return False
        from ..core.backups import list_backups

        found = list_backups(self.store.path)
        if not found:
            ask.info(self, "Restore from backup", "There is no backup of this database yet.")
            return False
        names = [f"{b.stem}  ({b.stat().st_size // 1024:,} KB)" for b in found]
        choice = ask.choose(self, "Restore from backup", "Backup to restore (newest first):", names)
        if not choice:
            return False
        chosen = found[names.index(choice)]
        if not ask.confirm(self, "Restore from backup", f"Replace the open database with the backup from "
                           f"{chosen.stem}? The current file is kept beside it, renamed."):
            return False
        return self.restore_backup(chosen)

    def restore_backup(self, backup: Path) -> bool:
        from ..core.backups import restore

        assert self.store is not None
        path = self.store.path
        self.set_store(None)
        try:
            aside = restore(path, backup)
        except KzpkError as err:
            ask.error(self, "Restore failed", str(err))
            self.open_database(path)
            return False
        ok = self.open_database(path)
        self.statusBar().showMessage(f"Restored from {backup.name}; the previous file is {aside.name}.", 10000)
        return ok

    VERIFY_DELAY_MS = 2000  # let start-up finish first: the scan competes for the CPU

    def verify_in_background(self, delay_ms: int | None = None) -> None:
        """Big databases skip the full integrity scan at open (about 1.5 s per GB): run it
        shortly after, off the GUI thread, and stop editing at once if it finds damage."""
        if self.store is None or self.store.verified_at_open:
            return
        path = self.store.path
        QTimer.singleShot(self.VERIFY_DELAY_MS if delay_ms is None else delay_ms,
                          lambda: self._start_verify(path))

    def _start_verify(self, expected: Path) -> Any:
        if self.store is None or self.store.path != expected or self._closing:
            return None
        db_path = self.store.path
        running: dict[str, Any] = {}

        def work(_progress: Progress) -> bool:
            store = Store.open(db_path)
            running["conn"] = store.conn
            try:
                store.verify()
            finally:
                running.clear()
                store.close()
            return True

        def damaged(message: str, details: str) -> None:
            if self.store is not None and self.store.path == db_path:
                self.set_store(None)
                ask.error(self, "Database damaged", f"{message} It was closed to protect it.", details)

        def failed(message: str, details: str) -> None:
            if "interrupted" not in message:  # closing the window interrupts the scan: not damage
                damaged(message, details)

        job = run_in_background(self, work, lambda _ok: self.statusBar().showMessage(
            "Integrity check passed.", 4000), failed)
        job.cancel_hooks.append(lambda: running.get("conn") and running["conn"].interrupt())
        self._track(job)
        return job

    def _track(self, job: Any) -> None:
        """Keep running jobs (close waits for them); drop the finished (deleted) ones."""
        from shiboken6 import isValid

        self._jobs = [j for j in self._jobs if isValid(j)] + [job]

    def _load_labels(self) -> None:
        labels = self.store.labels() if self.store else []
        self.reader.set_labels(labels)
        self.annotations.set_labels(labels)
        self._build_tag_actions(labels)
        self._update_actions()

    def open_database(self, path: str | Path) -> bool:
        try:
            store = Store.open(path)
        except KzpkError as err:
            ask.error(self, "Cannot open database", str(err))
            return False
        self.set_store(store)
        self.statusBar().showMessage(f"Opened {path}", 4000)
        return True

    def new_database(self) -> None:
        path = ask.save_file(self, "New database", "kzpk databases (*.db *.sqlite)", "kzpk-project.db")
        if not path:
            return
        if Path(path).exists():
            ask.error(self, "New database", f"'{path}' already exists; choose a new file name "
                      "(existing databases are opened with File ▸ Open).")
            return
        self.open_database(path)

    def open_database_dialog(self) -> None:
        path = ask.open_file(self, "Open database", "kzpk databases (*.db *.sqlite);;All files (*)")
        if path:
            self.open_database(path)

    def _remember_db(self, path: Path) -> None:
        path_s = str(Path(path).resolve())
        recent = [p for p in (self.settings.value("recent", []) or []) if p != path_s]
        recent.insert(0, path_s)
        self.settings.setValue("recent", recent[:MAX_RECENT])
        self.settings.setValue("last_db", path_s)
        self._fill_recent_menu()

    def _fill_recent_menu(self) -> None:
        self.recent_menu.clear()
        recent = self.settings.value("recent", []) or []
        if isinstance(recent, str):
            recent = [recent]
        for p in recent:
            act = self.recent_menu.addAction(p)
            act.triggered.connect(lambda _c=False, path=p: self.open_database(path))
        self.recent_menu.setEnabled(bool(recent))

    # --- import / export ------------------------------------------------------------------
    def import_files_dialog(self) -> None:
        files = ask.open_files(self, "Import articles", "Text articles (*.txt *.md);;All files (*)")
        if files:
            self.import_paths(files)

    def import_folder_dialog(self) -> None:
        folder = ask.directory(self, "Import a folder of articles")
        if folder:
            self.import_paths([folder])

    def import_paths(self, paths: list[str]) -> Any:
        """Import in a worker thread with its own connection; returns the job."""
        if self.store is None:
            ask.error(self, "Import", "Open or create a database first.")
            return None
        db_path = self.store.path

        from ..core.importer import import_paths  # parsing code: loaded on first import only

        def work(progress: Progress) -> ImportReport:
            store = Store.open(db_path)
            try:
                return import_paths(store, paths, progress=progress)
            finally:
                store.close()

        job = start_job(self, "Importing articles", work, self._import_done,
                        lambda m, d: ask.error(self, "Import failed", m, d))
        self._track(job)
        return job

    def _import_done(self, report: ImportReport) -> None:
        self._total = None
        self.article_model.reload()
        self._update_status()
        details = "\n".join([*(f"Refused {n}: {r}" for n, r in report.refused),
                             *(f"Skipped {n}: duplicate of {w}" for n, w in report.duplicates),
                             *(f"Note on {n}: {r}" for n, r in report.notes)])
        self.last_import = report
        self.statusBar().showMessage(f"Import: {report.summary()}", 8000)
        if report.refused or report.duplicates:
            ask.info(self, "Import finished", f"Import: {report.summary()}.", details)

    def export_dialog(self) -> None:
        from .dialogs import ExportDialog
        if self.store is None:
            return
        dialog = ExportDialog(self.store.labels(), self.article_id, self)
        if dialog.exec():
            self.export(dialog.options())

    def export(self, opts: dict[str, Any]) -> Any:
        """Export in a worker thread; the file is written atomically."""
        from ..core.exporters.registry import FORMATS, export
        assert self.store is not None
        db_path, path = self.store.path, opts["path"]

        def work(progress: Progress) -> int:
            store = Store.open(db_path)
            try:
                unit = FORMATS[opts["format"]].unit
                return export(store, opts["format"], path, opts.get("filter"), opts,
                              progress=lambda n: progress(n, 0, f"{n:,} {unit}"))
            finally:
                store.close()

        def done(n: int) -> None:
            self.last_export = (path, n)
            self.statusBar().showMessage(f"Exported {n:,} records to {path}", 8000)

        job = start_job(self, "Exporting", work, done, lambda m, d: ask.error(self, "Export failed", m, d))
        self._track(job)
        return job

    # --- reading --------------------------------------------------------------------------
    def open_article(self, article_id: int) -> None:
        if self.store is None:
            return
        try:
            article = self.store.article(article_id)
        except KzpkError as err:
            ask.error(self, "Cannot open article", str(err))
            return
        self.article_id = article_id
        self._fill_annotator_filter()
        rows = self._visible(self.store.annotations_for_article(article_id))
        self.reader.set_article(article["text"], rows)
        self._outline_annotators()
        self.annotations.set_annotations(rows)
        self._show_suggestions()
        self._show_article(article)
        self._update_status()

    def open_article_row(self, row: int) -> None:
        self.articles.select_row(row)

    def _step_article(self, delta: int) -> None:
        idx = self.articles.view.currentIndex()
        self.articles.select_row((idx.row() + delta) if idx.isValid() else 0)

    def _show_article(self, article: dict[str, Any] | None) -> None:
        if article is None:
            self.article_id = None
            self.reader.set_article("", [])
            self.annotations.set_annotations([])
            has_db = self.store is not None
            self.header_title.setText("No article open" if has_db else "No database open")
            self.header_meta.setText("Pick an article from the list, or import your own with Ctrl+I."
                                     if has_db else "Use File ▸ Open database or File ▸ New database.")
        else:
            self.header_title.setText(article["title"])
            bits = [article["source"] or "unknown source",
                    article["date"] or "no date found",
                    STATUS_TEXT.get(article["status"], article["status"]),
                    f"{len(article['text']):,} characters",
                    article["file_name"] or ""]
            self.header_meta.setText("  ·  ".join(b for b in bits if b))
        self._update_actions()

    def _annotation_clicked(self, annotation_id: str) -> None:
        if self._maybe_finish_link(annotation_id):
            return
        self.annotations.select(annotation_id, emit=False)
        self.reader.focus_annotation(annotation_id)
        self._update_actions()

    # --- annotating -----------------------------------------------------------------------
    def tag_selection(self, label_id: str) -> bool:
        """Turn the reader's selection into an annotation, saved at once (undoable)."""
        if self.store is None or self.article_id is None:
            self.statusBar().showMessage("Open an article first.", 4000)
            return False
        start, end = self.reader.selected_span()
        if start == end:
            self.statusBar().showMessage("Select some text in the article first, then press the label's key.", 4000)
            return False
        if self.actionSnap.isChecked():
            start, end = snap_to_words(self.reader.text(), start, end)
        try:
            row = ann.build_annotation(self.store, self.article_id, start, end, label_id,
                                       annotator=self.annotator)
        except KzpkError as err:
            self.statusBar().showMessage(str(err), 6000)
            QApplication.beep()
            return False
        ok = self._push(CreateAnnotation(self.store, row, self.annotator))
        if ok:
            self.annotations.select(row["id"], emit=False)
            self.reader.focus_annotation(row["id"])
            self._update_actions()  # delete, link and new-entity now apply to the new span
        return ok

    def delete_annotation(self) -> bool:
        current = self.annotations.current()
        if self.store is None or current is None:
            self.statusBar().showMessage("Select an annotation to delete.", 4000)
            return False
        return self._push(DeleteAnnotation(self.store, current["id"], self.annotator))

    def edit_annotation(self, annotation_id: str, changes: dict[str, Any]) -> bool:
        if self.store is None:
            return False
        return self._push(EditAnnotation(self.store, annotation_id, changes, self.annotator))

    def _push(self, command: Any) -> bool:
        wrapped = CoreUndoCommand(command, self._changed)
        self.undo_stack.push(wrapped)
        if wrapped.error is not None:
            ask.error(self, "Not saved", str(wrapped.error))
            return False
        return True

    def _changed(self, article_id: int, ranges: list[tuple[int, int]], ids: list[str]) -> None:
        """After a committed change: re-read only the touched rows and repaint only their ranges."""
        assert self.store is not None
        self._paint_lists_next_frame()
        self.article_model.refresh_article(article_id)
        if article_id == self.article_id:
            upserts, removed = [], []
            for annotation_id in dict.fromkeys(ids):
                try:
                    upserts.append(self.store.annotation(annotation_id))
                except NotFoundError:
                    removed.append(annotation_id)
            hidden = [r["id"] for r in upserts if r not in self._visible([r])]  # another annotator's
            upserts = [r for r in upserts if r["id"] not in hidden]
            removed += hidden
            before = self.annotations.model.rowCount()
            self.reader.apply_changes(upserts, removed, ranges)
            self._outline_annotators()
            self.annotations.apply_changes(upserts, removed)
            if self._total is not None:
                self._total += self.annotations.model.rowCount() - before
        else:
            self._total = None  # a change elsewhere (undo after switching article): recount once
        self.saved_label.setText(f"✓ Saved {datetime.now():%H:%M:%S}")
        self.entity_browser.mark_stale()
        self._update_status()
        self._update_actions()

    LIST_REPAINT_DELAY_MS = 40

    def _paint_lists_next_frame(self) -> None:
        """The highlight is drawn in this frame; the two lists' pixels follow in the next one.

        Their models are already up to date (selection, keyboard and tests see the new
        rows at once); only repainting ~10 ms of table text is moved out of the frame in
        which the researcher sees the span appear.
        """
        for widget in (self.annotations, self.articles.view):
            widget.setUpdatesEnabled(False)
        if not self._repaint_timer.isActive():
            self._repaint_timer.start(self.LIST_REPAINT_DELAY_MS)

    def _repaint_lists(self) -> None:
        for widget in (self.annotations, self.articles.view):
            widget.setUpdatesEnabled(True)  # schedules their repaint

    # --- entities and links ---------------------------------------------------------------
    def start_link(self) -> bool:
        """Link mode: the selected span is the source; the next span clicked is the target."""
        current = self.annotations.current()
        if current is None:
            self.statusBar().showMessage("Select the span to link from (a claim or an agreement) first.", 5000)
            return False
        self._link_source = current["id"]
        self.statusBar().showMessage(f"Link from “{' '.join(current['text'].split())[:40]}”: click the target "
                                     "span (Esc cancels).")
        return True

    def cancel_link(self) -> None:
        if self._link_source is not None:
            self._link_source = None
            self.statusBar().showMessage("Link cancelled.", 3000)

    def _maybe_finish_link(self, target_id: str) -> bool:
        source = self._link_source
        if source is None or target_id == source or self.store is None:
            return False
        self._link_source = None
        try:
            row = build_relation(self.store, source, target_id, self.annotator)
        except KzpkError as err:
            self.statusBar().showMessage(str(err), 8000)
            return True
        if self._push(CreateRelation(self.store, row, self.annotator, self.store.annotation(source)["article_id"])):
            self.annotations.select(source, emit=False)
            self.statusBar().showMessage(f"Linked: {row['type'].replace('_', ' ')}.", 5000)
        return True

    def delete_relation(self, relation_id: str) -> bool:
        if self.store is None or self.article_id is None:
            return False
        return self._push(DeleteRelation(self.store, relation_id, self.annotator, self.article_id))

    def new_entity_from_span(self) -> bool:
        current = self.annotations.current()
        if self.store is None or current is None:
            self.statusBar().showMessage("Select an actor or agreement span first.", 5000)
            return False
        if current["label"] not in ent.ENTITY_KINDS:
            self.statusBar().showMessage("Only actor and agreement spans name an entity.", 5000)
            return False
        command = LinkNewEntity(self.store, current["id"], self.annotator)
        ok = self._push(command)
        if ok and command.entity_id is not None:
            self.entity_browser.reload()
            self.entity_browser.select_entity(command.entity_id)
        return ok

    def open_annotation(self, article_id: int, annotation_id: str) -> None:
        """Open an article at a span, clearing list filters if they hide the article."""
        if not self.articles.select_article(article_id):
            self.articles.search.clear()
            self.articles.date_from.clear()
            self.articles.date_to.clear()
            self.articles.status.setCurrentIndex(0)
            self.articles.apply_filter()
            self.articles.select_article(article_id)
        if self.article_id != article_id:
            self.open_article(article_id)
        self.annotations.select(annotation_id, emit=False)
        self.reader.focus_annotation(annotation_id)

    def find_mentions(self) -> None:
        current = self.annotations.current()
        if current is None or current.get("entity_id") is None:
            self.statusBar().showMessage("Select a span linked to an entity (or pick one under View ▸ Entities).",
                                         6000)
            return
        self.find_mentions_of(current["entity_id"])

    def find_mentions_of(self, entity_id: int) -> list[ent.Suggestion]:
        assert self.store is not None
        self.entity_browser.show()
        self.entity_browser.select_entity(entity_id)
        found = ent.find_mentions(self.store, entity_id,
                                  case_insensitive=self.entity_browser.case_insensitive.isChecked())
        titles = {s.article_id: self.store.article(s.article_id)["title"] for s in found}
        self.entity_browser.set_suggestions(found, titles)
        self._show_suggestions()
        self.statusBar().showMessage(f"{len(found)} unannotated mention(s) of "
                                     f"{self.store.entity(entity_id)['name']}.", 6000)
        return found

    def _show_suggestions(self) -> None:
        here = [(s.start, s.end) for s in self.entity_browser.suggestions_list() if s.article_id == self.article_id]
        self.reader.set_suggestions(here)

    def accept_suggestions(self, suggestions: list[ent.Suggestion]) -> int:
        """Each accepted suggestion becomes a linked span; several at once are one undo step."""
        if self.store is None or not suggestions:
            return 0
        accepted: list[ent.Suggestion] = []
        self.undo_stack.beginMacro(f"Accept {len(suggestions)} suggestion(s)")
        try:
            for s in suggestions:
                try:
                    row = ent.suggestion_annotation(self.store, s, self.annotator)
                except KzpkError as err:
                    self.statusBar().showMessage(str(err), 6000)
                    continue
                if self._push(CreateAnnotation(self.store, row, self.annotator)):
                    accepted.append(s)
        finally:
            self.undo_stack.endMacro()
        self.entity_browser.drop_suggestions(accepted)
        self._show_suggestions()
        return len(accepted)

    def reject_suggestions(self, suggestions: list[ent.Suggestion]) -> None:
        if self.store is None:
            return
        for s in suggestions:
            self.store.reject_suggestion(s.entity_id, s.article_id, s.start, s.end)
        self.entity_browser.drop_suggestions(suggestions)
        self._show_suggestions()

    def edit_entity(self, entity_id: int) -> None:
        from .entity_browser import EntityDialog
        assert self.store is not None
        dialog = EntityDialog(self.store, entity_id, self)
        if dialog.exec():
            changes, aliases, parties = dialog.changes()
            try:
                self.store.update_entity(entity_id, changes, self.annotator, aliases=aliases, parties=parties)
            except KzpkError as err:
                ask.error(self, "Entity not saved", str(err))
            self.entity_browser.reload()
            if self.article_id is not None:
                self.annotations.set_annotations(self._visible(self.store.annotations_for_article(self.article_id)))

    def merge_entity(self, entity_id: int) -> bool:
        """Merge another entity's mentions and names into this one (asks which, then confirms)."""
        assert self.store is not None
        me = self.store.entity(entity_id)
        others = [e for e in self.store.entities(me["kind"]) if e["id"] != entity_id]
        if not others:
            self.statusBar().showMessage(f"There is no other {me['kind']} to merge.", 5000)
            return False
        names = [f"{e['name']} ({e['mentions']} mentions) #{e['id']}" for e in others]
        choice = ask.choose(self, "Merge entities", f"Merge into “{me['name']}”:", names)
        if not choice:
            return False
        drop = int(choice.rsplit("#", 1)[1])
        if not ask.confirm(self, "Merge entities", f"Fold “{self.store.entity(drop)['name']}” into “{me['name']}”? "
                           "Its mentions and names move over; this cannot be undone."):
            return False
        try:
            self.store.merge_entities(entity_id, drop, self.annotator)
        except KzpkError as err:
            ask.error(self, "Merge failed", str(err))
            return False
        self.entity_browser.reload()
        self.entity_browser.select_entity(entity_id)
        if self.article_id is not None:
            self.annotations.set_annotations(self._visible(self.store.annotations_for_article(self.article_id)))
        return True

    # --- review ---------------------------------------------------------------------------
    def first_run(self) -> None:
        """Once: a short welcome (labels and keys), then who is annotating."""
        if not self.settings.value("welcomed", False, type=bool):
            self.settings.setValue("welcomed", True)
            self.show_welcome()
        self.ensure_annotator()

    def show_welcome(self) -> None:
        from .dialogs import welcome_text

        labels = self.store.labels() if self.store else []
        ask.info(self, "Welcome to kzpk_desktop", welcome_text(labels))

    def open_user_guide(self) -> bool:
        from PySide6.QtCore import QUrl
        from PySide6.QtGui import QDesktopServices

        from ..core.paths import docs_dir

        guide = docs_dir() / "user-guide.md"
        if not guide.exists():
            ask.error(self, "User guide", f"The user guide was not found at {guide}.")
            return False
        return QDesktopServices.openUrl(QUrl.fromLocalFile(str(guide)))

    def ensure_annotator(self) -> str:
        """Ask once for the researcher's name (it is recorded on every change)."""
        if not self.settings.value("annotator"):
            name = ask.text(self, "Who is annotating?", "Your name (recorded on every change and decision):",
                            self.annotator)
            if name and name.strip():
                self.annotator = name.strip()
            self.settings.setValue("annotator", self.annotator)
        return self.annotator

    def start_review(self) -> ReviewWindow | None:
        """Resume the reviewer's open session if they want, else choose a scope and start one."""
        if self.store is None:
            return None
        pending = rv.open_session(self.store, self.annotator)
        if pending is not None and not pending.done and ask.confirm(
                self, "Resume review", f"Resume your session on {pending.scope.describe()} at "
                f"{pending.progress()}? (No starts a new session.)"):
            return self.open_review(pending)
        if pending is not None:
            rv.end_session(self.store, pending)
        from .review_window import ScopeDialog

        dialog = ScopeDialog(self.store.labels(), self.article_id, self)
        if not dialog.exec():
            return None
        return self.start_review_session(dialog.scope())

    def start_review_session(self, scope: rv.Scope) -> ReviewWindow | None:
        assert self.store is not None
        try:
            session = rv.start_session(self.store, self.annotator, scope)
        except KzpkError as err:
            ask.error(self, "Cannot start review", str(err))
            return None
        if not session.queue:
            rv.end_session(self.store, session)
            ask.info(self, "Nothing to review", f"No spans match: {scope.describe()}.")
            return None
        return self.open_review(session)

    def open_review(self, session: rv.Session) -> ReviewWindow:
        from .review_window import ReviewWindow
        assert self.store is not None
        if self.review_window is not None:
            self.review_window.close()
        self.review_window = ReviewWindow(self.store, session, self.annotator, self)
        self.review_window.decided.connect(self._reviewed)
        self.review_window.show()
        self.review_window.raise_()
        self.review_window.activateWindow()  # its single-key shortcuts act in the active window
        return self.review_window

    def _reviewed(self, annotation_id: str) -> None:
        assert self.store is not None
        row = self.store.annotation(annotation_id)
        self._changed(row["article_id"], [], [annotation_id])
        if row["article_id"] == self.article_id:
            self._show_article(self.store.article(self.article_id))

    def show_summary(self) -> SummaryDialog | None:
        from .summary import SummaryDialog
        if self.store is None:
            return None
        dialog = SummaryDialog(self.store, self)
        dialog.show()
        return dialog

    def merge_dialog(self) -> Any:
        if self.store is None:
            return None
        path = ask.open_file(self, "Merge a colleague's database", "kzpk databases (*.db *.sqlite);;All files (*)")
        return self.merge_database(Path(path)) if path else None

    def merge_database(self, other: Path) -> Any:
        """Back up, merge ``other`` (opened read-only) in one transaction, then show what came in."""
        from ..core.backups import make_backup
        from ..core.team.merge import merge

        assert self.store is not None
        try:
            make_backup(self.store.path)
            report = merge(self.store, other, self.ensure_annotator())
        except KzpkError as err:
            ask.error(self, "Merge failed", str(err))
            return None
        self.undo_stack.clear()  # steps recorded before the merge may no longer apply cleanly
        self.article_model.reload()
        if self.article_id is not None:
            self.open_article(self.article_id)
        self.statusBar().showMessage(f"Merged {other.name}: {report.summary()}", 10000)
        if report.conflicts or report.offers:
            ask.info(self, "Merge finished", f"Merged {other.name}: {report.summary()}.",
                     "Resolve them in File ▸ Merge conflicts…")
            self.show_conflicts()
        return report

    def show_conflicts(self) -> Any:
        from .team_dialogs import ConflictsDialog
        if self.store is None:
            return None

        def refresh() -> None:
            self.article_model.reload()
            if self.article_id is not None:
                self.open_article(self.article_id)

        dialog = ConflictsDialog(self.store, self.ensure_annotator(), self, on_resolved=refresh)
        dialog.show()
        return dialog

    def show_agreement(self) -> Any:
        from .team_dialogs import AgreementDialog
        if self.store is None:
            return None
        dialog = AgreementDialog(self.store, self)
        dialog.show()
        return dialog

    def show_curation(self) -> Any:
        """The open article's places, one lane per coder (team adjudication, gui/curation.py)."""
        from .curation import CurationWindow
        if self.store is None or self.article_id is None:
            return None
        dialog = CurationWindow(self.store, self.article_id, self.ensure_annotator(), self)
        dialog.show()
        return dialog

    def show_history(self) -> HistoryDialog | None:
        from .history import HistoryDialog
        current = self.annotations.current()
        if self.store is None or current is None:
            self.statusBar().showMessage("Select an annotation to see its history.", 4000)
            return None
        dialog = HistoryDialog(self.store, current["id"], self)
        dialog.show()
        return dialog

    def mark_annotated(self) -> None:
        if self.store is not None and self.article_id is not None:
            self.store.set_article_status(self.article_id, "annotated", self.annotator)
            self.article_model.refresh_article(self.article_id)
            self._show_article(self.store.article(self.article_id))

    def add_label_dialog(self) -> None:
        from .dialogs import LabelDialog
        if self.store is None:
            return
        dialog = LabelDialog(self.store.labels(), self)
        while dialog.exec():
            label = dialog.label()
            if label is not None:
                self.add_label(label)
                break

    def add_label(self, label: dict[str, Any]) -> None:
        assert self.store is not None
        try:
            self.store.add_label(label)
        except KzpkError as err:
            ask.error(self, "Add label", str(err))
            return
        self._load_labels()
        if self.article_id is not None:
            self.open_article(self.article_id)

    # --- preferences, status, layout ------------------------------------------------------
    def _toggle_snap(self, checked: bool) -> None:
        self.settings.setValue("snap_words", checked)

    def preferences(self) -> None:
        from .dialogs import PreferencesDialog
        dialog = PreferencesDialog(self.annotator, self.actionSnap.isChecked(), self)
        if dialog.exec():
            self.annotator = dialog.annotator.text().strip() or self.annotator
            self.settings.setValue("annotator", self.annotator)
            self.actionSnap.setChecked(dialog.snap.isChecked())
            self._toggle_snap(dialog.snap.isChecked())

    def show_about(self) -> None:
        from .dialogs import about

        about(self)

    def show_shortcuts(self) -> None:
        from .dialogs import ShortcutsDialog
        actions = [*self.tag_actions.values(), self.actionDelete, self.actionLink, self.actionCancelLink,
                   self.actionNewEntity, self.actionFindMentions, self.actionEntities,
                   self.entity_browser.actionAccept, self.entity_browser.actionReject,
                   self.actionUndo, self.actionRedo,
                   self.actionMarkAnnotated, self.actionStartReview, self.actionSummary, self.actionHistory,
                   self.actionFind, self.actionNextArticle,
                   self.actionPrevArticle, self.actionImport, self.actionImportFolder, self.actionExport,
                   self.actionNew, self.actionOpen, self.actionPrefs, self.actionShortcuts, self.actionQuit]
        ShortcutsDialog(actions, self).exec()

    def _update_actions(self) -> None:
        has_article = self.article_id is not None
        for action in self.tag_actions.values():  # enabled with an article open; no selection -> a hint
            action.setEnabled(has_article)
        self.actionDelete.setEnabled(self.annotations.current() is not None)
        has_db = self.store is not None
        for a in (self.actionImport, self.actionImportFolder, self.actionExport, self.actionAddLabel,
                  self.actionBackup, self.actionRestore, self.actionMerge, self.actionConflicts):
            a.setEnabled(has_db)
        self.actionMarkAnnotated.setEnabled(has_article)
        self.actionCurate.setEnabled(has_article)
        self.actionAgreement.setEnabled(has_db)
        self.actionStartReview.setEnabled(has_db)
        self.actionSummary.setEnabled(has_db)
        current = self.annotations.current()
        self.actionLink.setEnabled(current is not None)
        self.actionNewEntity.setEnabled(current is not None and current["label"] in ent.ENTITY_KINDS)

    def _update_status(self) -> None:
        model = self.article_model
        row = model.row_of(self.article_id) if self.article_id is not None else None
        pos = f"Article {row + 1:,} of {model.rowCount():,}" if row is not None \
            else f"{model.rowCount():,} articles"
        self.position_label.setText(pos)
        n_here = len(self.annotations.model.rows())
        if self._total is None and self.store is not None:
            self._total = self.store.annotation_count()
        total = self._total or 0
        self.counts_label.setText(f"{n_here} here · {total:,} in corpus")
        if not self.saved_label.text():
            self.saved_label.setText("✓ All changes saved" if self.store else "")

    def _update_title(self) -> None:
        where = self.store.path.name if self.store else "no database"
        self.setWindowTitle(f"kzpk_desktop {__version__} — {where}")

    def _restore_layout(self) -> None:
        geometry = self.settings.value("geometry")
        if isinstance(geometry, QByteArray):
            self.restoreGeometry(geometry)
        else:
            self.resize(1440, 900)
        state = self.settings.value("window_state")
        if isinstance(state, QByteArray):
            self.restoreState(state)
        split = self.settings.value("splitter")
        if isinstance(split, QByteArray):
            self.splitter.restoreState(split)

    def save_layout(self) -> None:
        self.settings.setValue("geometry", self.saveGeometry())
        self.settings.setValue("window_state", self.saveState())
        self.settings.setValue("splitter", self.splitter.saveState())
        if self.store is not None:
            self.settings.setValue("last_db", str(Path(self.store.path).resolve()))
        self.settings.sync()

    def closeEvent(self, event: QCloseEvent) -> None:
        self._closing = True
        for job in list(self._jobs):
            try:
                if job.isRunning():
                    job.cancel()
                    job.wait(5000)
            except RuntimeError:  # already deleted
                pass
        self._backup_timer.stop()
        self._checkpoint_timer.stop()
        self.save_layout()
        self.articles.stop_pending()
        self.article_model.set_store(None)
        if self.store is not None:
            self.store.close()
            self.store = None
        self._release()
        super().closeEvent(event)


def _default_user() -> str:
    try:
        return getpass.getuser()
    except Exception:
        return ""


__all__ = ["MainWindow", "app_settings", "tag_action_name"]
