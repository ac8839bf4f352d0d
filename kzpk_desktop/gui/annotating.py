"""Annotating: open articles, tag, edit, delete and link spans, undo and redo.

Every change runs an operation through the desk; the views follow the open-article state,
which the history's ``Changes`` feed (see ``MainWindow._changed``).
"""

from __future__ import annotations

from collections.abc import Callable

from PySide6.QtCore import QTimer
from PySide6.QtWidgets import QApplication

from ..core import annotations as ann
from ..core import entities as ent
from ..core import operations as ops
from ..core.errors import KzpkError
from ..core.offsets import snap_to_words
from ..core.relations import build_relation
from ..core.rows import FieldChanges, Label
from .ask import ask
from .desk import Desk


class AnnotatingCoordinator:
    def __init__(self, desk: Desk) -> None:
        self.desk = desk
        self.snap: Callable[[], bool] = lambda: True  # the window hands in its "snap to words" toggle
        self.link_source: str | None = None

    # --- reading ------------------------------------------------------------------------------
    def open_article(self, article_id: int) -> None:
        d = self.desk
        if d.store is None:
            return
        self.remember_place()
        try:
            d.state.open(d.store, article_id)
        except KzpkError as err:
            ask.error(d.window, "Cannot open article", str(err))
            return
        self.remember_place()

    def open_article_row(self, row: int) -> None:
        self.desk.articles.select_row(row)

    def step_article(self, delta: int) -> None:
        idx = self.desk.articles.view.currentIndex()
        self.desk.articles.select_row((idx.row() + delta) if idx.isValid() else 0)

    def open_annotation(self, article_id: int, annotation_id: str) -> None:
        """Open an article at a span, clearing list filters if they hide the article."""
        p = self.desk.articles
        if not p.select_article(article_id):
            p.search.clear()
            p.date_from.clear()
            p.date_to.clear()
            p.status.setCurrentIndex(0)
            p.apply_filter()
            p.select_article(article_id)
        if self.desk.article_id != article_id:
            self.open_article(article_id)
        self.desk.annotations.select(annotation_id, emit=False)
        self.desk.reader.focus_annotation(annotation_id)

    def annotation_clicked(self, annotation_id: str) -> None:
        if self.finish_link(annotation_id):
            return
        self.desk.annotations.select(annotation_id, emit=False)
        self.desk.reader.focus_annotation(annotation_id)

    # --- changing -----------------------------------------------------------------------------
    def tag_selection(self, label_id: str) -> bool:
        """Turn the reader's selection into an annotation, saved at once (undoable)."""
        d = self.desk
        if d.store is None or d.article_id is None:
            d.status("Open an article first.", 4000)
            return False
        start, end = d.reader.selected_span()
        if start == end:
            d.status("Select some text in the article first, then press the label's key.", 4000)
            return False
        if self.snap():
            start, end = snap_to_words(d.reader.text(), start, end)
        try:
            row = ann.build_annotation(d.store, d.article_id, start, end, label_id, annotator=d.annotator)
        except KzpkError as err:
            d.status(str(err), 6000)
            QApplication.beep()
            return False
        ok = d.run(ops.CreateAnnotation(row, d.annotator))
        if ok:
            d.annotations.select(row.id, emit=False)
            d.reader.focus_annotation(row.id)
        return ok

    def delete_annotation(self) -> bool:
        current = self.desk.annotations.current()
        if current is None:
            self.desk.status("Select an annotation to delete.", 4000)
            return False
        return self.desk.run(ops.DeleteAnnotation(current.id, self.desk.annotator))

    def edit_annotation(self, annotation_id: str, changes: FieldChanges) -> bool:
        return self.desk.run(ops.EditAnnotation(annotation_id, changes, self.desk.annotator))

    def undo(self) -> bool:
        return self._step(undo=True)

    def redo(self) -> bool:
        return self._step(undo=False)

    def _step(self, undo: bool) -> bool:
        history = self.desk.history
        if history is None:
            return False
        try:
            history.undo() if undo else history.redo()
        except KzpkError as err:  # e.g. the span it would restore was changed since: say so, change nothing
            self.desk.status(str(err), 10000)
            QApplication.beep()
            return False
        return True

    def mark_annotated(self) -> None:
        if self.desk.article_id is not None:
            self.desk.run(ops.SetArticleStatus(self.desk.article_id, "annotated", self.desk.annotator))

    def add_label_dialog(self) -> None:
        from .dialogs import LabelDialog

        if self.desk.store is None:
            return
        dialog = LabelDialog(self.desk.store.labels.all(), self.desk.window)
        while dialog.exec():
            label = dialog.label()
            if label is not None:
                self.add_label(label)
                break

    def add_label(self, label: Label) -> bool:
        return self.desk.run(ops.AddLabel(label, self.desk.annotator))

    def resize_span(self, d_start: int, d_end: int) -> bool:
        """Move the selected span's start or end (Shift+Alt+arrows): one undoable step each."""
        d = self.desk
        current = d.annotations.current()
        if current is None:
            d.status("Select a span to resize.", 4000)
            return False
        return self.resize_to(current.id, current.start + d_start, current.end + d_end, snap=False)

    def resize_to(self, annotation_id: str, start: int, end: int, snap: bool = True) -> bool:
        """Give a span new ends (dragged in the reader): attributes, links and history stay.
        With "snap to words" on, only the end that moved is widened to its word."""
        d = self.desk
        row = d.state.span(annotation_id)
        if row is None:
            return False
        if snap and self.snap():
            s, e = snap_to_words(d.reader.text(), start, end)
            start = s if start != row.start else start
            end = e if end != row.end else end
        ok = d.run(ops.ResizeAnnotation(annotation_id, start, end, d.annotator))
        if ok:
            d.annotations.select(annotation_id, emit=False)
            d.reader.focus_annotation(annotation_id)
        return ok

    # --- where the researcher was ------------------------------------------------------------
    def _place_key(self) -> str | None:
        store = self.desk.store
        return None if store is None else "last_article/" + str(store.path.resolve()).replace("/", "|")

    def remember_place(self) -> None:
        """The open article and how far it was scrolled, per database (reopened on relaunch)."""
        key = self._place_key()
        if key is not None and self.desk.article_id is not None:
            self.desk.settings.setValue(key, f"{self.desk.article_id}:{self.desk.reader.top_position()}")

    def reopen_last(self) -> bool:
        """Open the article the researcher had open last time in this database, where they were."""
        key = self._place_key()
        value = str(self.desk.settings.value(key, "") or "") if key else ""
        article_id, _, scroll = value.partition(":")
        if not article_id.isdigit() or not self.desk.articles.select_article(int(article_id)):
            return False
        if self.desk.article_id != int(article_id):
            self.open_article(int(article_id))
        if scroll.isdigit():  # again once the window is laid out (before that the scroll range is too short)
            reader = self.desk.reader
            reader.scroll_to_top_position(int(scroll))
            QTimer.singleShot(0, lambda: reader.scroll_to_top_position(int(scroll)))
        return True

    # --- links and entities of a span ---------------------------------------------------------
    def start_link(self) -> bool:
        """Link mode: the selected span is the source; the next span clicked is the target."""
        current = self.desk.annotations.current()
        if current is None:
            self.desk.status("Select the span to link from (a claim or an agreement) first.", 5000)
            return False
        self.link_source = current.id
        self.desk.status(f"Link from “{' '.join(current.text.split())[:40]}”: click the target span (Esc cancels).", 0)
        return True

    def cancel_link(self) -> None:
        if self.link_source is not None:
            self.link_source = None
            self.desk.status("Link cancelled.", 3000)

    def finish_link(self, target_id: str) -> bool:
        d, source = self.desk, self.link_source
        if source is None or target_id == source or d.store is None:
            return False
        self.link_source = None
        try:
            row = build_relation(d.store, source, target_id, d.annotator)
        except KzpkError as err:
            d.status(str(err), 8000)
            return True
        if d.run(ops.CreateRelation(row, d.annotator)):
            d.annotations.select(source, emit=False)
            d.status(f"Linked: {row.type.replace('_', ' ')}.", 5000)
        return True

    def delete_relation(self, relation_id: str) -> bool:
        return self.desk.run(ops.DeleteRelation(relation_id, self.desk.annotator))

    def new_entity_from_span(self) -> bool:
        d = self.desk
        current = d.annotations.current()
        if d.store is None or current is None:
            d.status("Select an actor or agreement span first.", 5000)
            return False
        if current.label not in ent.ENTITY_KINDS:
            d.status("Only actor and agreement spans name an entity.", 5000)
            return False
        ok = d.run(ops.LinkNewEntity(current.id, d.annotator))
        entity_id = d.store.annotations.get(current.id).entity_id if ok else None
        if entity_id is not None:
            d.entity_browser.reload()
            d.entity_browser.select_entity(entity_id)
        return ok
