"""How the window is wired: the handler of every registry action, and the widgets' signals.

Kept apart from ``main_window.py`` so that the window only composes its parts; both
functions take the window and touch only what it composes.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import TYPE_CHECKING, Any

if TYPE_CHECKING:
    from .claims_view import ClaimsView
    from .main_window import MainWindow
    from .stories_view import StoriesView


def action_handlers(self: MainWindow) -> dict[str, Callable[..., Any]]:
    """Each action id of the registry (``actions.SPECS``) and the callable it runs."""
    a, db, t, r, e, h = self.annotating, self.db, self.transfer, self.review, self.entities, self.help
    o = self.outlets
    return {
        "actionNewDatabase": db.new_database,
        "actionOpenDatabase": db.open_database_dialog,
        "actionImport": t.import_files_dialog,
        "actionImportFolder": t.import_folder_dialog,
        "actionExport": t.export_dialog,
        "actionBackupNow": db.backup_now,
        "actionRestoreBackup": db.restore_backup_dialog,
        "actionQuit": self.close,
        "actionUndo": a.undo,
        "actionRedo": a.redo,
        "actionDeleteAnnotation": a.delete_annotation,
        "actionSnapWords": h.toggle_snap,
        "actionFocusSearch": self.articles.search.setFocus,
        "actionFindInArticle": self.find_bar.open_bar,
        "actionFindNext": lambda: self.find_bar.step(1),
        "actionFindPrevious": lambda: self.find_bar.step(-1),
        "actionZoomIn": lambda: h.zoom(1),
        "actionZoomOut": lambda: h.zoom(-1),
        "actionZoomReset": lambda: h.zoom(None),
        "actionSpanEndRight": lambda: a.resize_span(0, 1),
        "actionSpanEndLeft": lambda: a.resize_span(0, -1),
        "actionSpanStartLeft": lambda: a.resize_span(-1, 0),
        "actionSpanStartRight": lambda: a.resize_span(1, 0),
        "actionEditArticle": self.details.edit_dialog,
        "actionNextArticle": lambda: a.step_article(1),
        "actionPreviousArticle": lambda: a.step_article(-1),
        "actionPreferences": h.preferences,
        "actionLinkSpans": a.start_link,
        "actionCancelLink": a.cancel_link,
        "actionNewEntity": a.new_entity_from_span,
        "actionFindMentions": e.find_mentions,
        "actionMarkAnnotated": a.mark_annotated,
        "actionAddLabel": a.add_label_dialog,
        "actionShowEntities": self._show_entities,
        "actionStartReview": r.start_review,
        "actionReviewSummary": r.show_summary,
        "actionShowHistory": r.show_history,
        "actionShortcuts": h.show_shortcuts,
        "actionUserGuide": h.open_user_guide,
        "actionWelcome": h.show_welcome,
        "actionAbout": h.show_about,
        "actionMergeDatabase": self.team.merge_dialog,
        "actionMergeConflicts": self.team.show_conflicts,
        "actionCurate": self.team.show_curation,
        "actionAgreement": self.team.show_agreement,
        "actionShowStories": o.show_stories,
        "actionCompareStory": o.compare_story,
        "actionClaimClusters": o.show_claims,
        "actionApplyProposedVerdict": o.apply_proposal,
        "actionImportPriorChecks": o.import_prior_checks_dialog,
        "actionImportPriorChecksFolder": o.import_prior_checks_folder,
        "actionCompareArticles": self.crossoutlet.compare_dialog,
        "actionTimeline": self.crossoutlet.show_timeline,
    }


def connect_signals(self: MainWindow) -> None:
    """The window's wiring: widgets' signals to the coordinators and views that act on them."""
    a, e = self.annotating, self.entities
    self.db.storeChanged.connect(self._store_changed)
    self.state.subscribe(self._article_delta)
    self.articles.articleActivated.connect(a.open_article)
    self.articles.view.activated.connect(lambda _index: self.reader.setFocus())  # Enter: into the text
    self.reader.annotationClicked.connect(a.annotation_clicked)
    self.reader.spanResizeRequested.connect(a.resize_to)
    self.annotations.annotationSelected.connect(self.reader.focus_annotation)
    self.annotations.selectionMoved.connect(self._update_actions)
    self.annotations.editRequested.connect(a.edit_annotation)
    self.annotations.newEntityRequested.connect(lambda _id: a.new_entity_from_span())
    self.annotations.relationDeleteRequested.connect(a.delete_relation)
    self.annotations.message.connect(lambda m: self.statusBar().showMessage(m, 6000))
    self.annotations.annotationSelected.connect(a.finish_link)
    eb = self.entity_browser
    eb.mentionActivated.connect(a.open_annotation)
    eb.findRequested.connect(e.find_mentions_of)
    eb.editRequested.connect(e.edit_entity)
    eb.mergeRequested.connect(e.merge_entity)
    eb.acceptRequested.connect(e.accept_suggestions)
    eb.rejectRequested.connect(e.reject_suggestions)
    eb.visibilityChanged.connect(self.registry["actionShowEntities"].setChecked)
    self.article_model.modelReset.connect(self._update_status)
    self.article_model.totalChanged.connect(self._update_status)
    connect_outlets(self)


def connect_outlets(self: MainWindow) -> None:
    """The stories and claim clusters panels, and earlier fact-checks in the review window."""
    o, a = self.outlets, self.annotating
    self.db.storeChanged.connect(o.store_changed)

    def open_in_reader(article_id: int) -> None:
        if not self.articles.select_article(article_id) or self.article_id != article_id:
            a.open_article(article_id)  # filtered out of the list, or not opened by selecting it
        self.reader.setFocus()

    def wire(stories: StoriesView, claims: ClaimsView) -> None:  # the panels are built on first use
        self.registry.bind_scope("stories", stories)
        self.registry.bind_scope("claims", claims)
        stories.articleOpenRequested.connect(open_in_reader)
        claims.annotationOpenRequested.connect(a.open_annotation)
        stories.compareRequested.connect(self.crossoutlet.compare_story)

    o.when_built(wire)

    def refresh_review() -> None:
        if (review := self.review.live_window()) is not None:
            review.refresh_outlets()

    o.review_listeners.append(refresh_review)
