"""Entities: find more mentions, accept or reject suggestions, edit and merge entities."""

from __future__ import annotations

from ..core import entities as ent
from ..core import operations as ops
from ..core.errors import KzpkError
from .ask import ask
from .desk import Desk


class EntitiesCoordinator:
    def __init__(self, desk: Desk) -> None:
        self.desk = desk

    def find_mentions(self) -> None:
        current = self.desk.annotations.current()
        if current is None or current.entity_id is None:
            self.desk.status("Select a span linked to an entity (or pick one under View ▸ Entities).", 6000)
            return
        self.find_mentions_of(current.entity_id)

    def find_mentions_of(self, entity_id: int) -> list[ent.Suggestion]:
        d = self.desk
        assert d.store is not None
        d.entity_browser.show()
        d.entity_browser.select_entity(entity_id)
        found = ent.find_mentions(d.store, entity_id, case_insensitive=d.entity_browser.case_insensitive.isChecked())
        titles = {s.article_id: d.store.articles.get(s.article_id).title for s in found}
        d.entity_browser.set_suggestions(found, titles)
        self.show_suggestions()
        d.status(f"{len(found)} unannotated mention(s) of {d.store.entities.get(entity_id).name}.", 6000)
        return found

    def show_suggestions(self) -> None:
        d = self.desk
        here = [(s.start, s.end) for s in d.entity_browser.suggestions_list() if s.article_id == d.article_id]
        d.reader.set_suggestions(here)

    def accept_suggestions(self, suggestions: list[ent.Suggestion]) -> int:
        """Each accepted suggestion becomes a linked span; several at once are one undo step."""
        d = self.desk
        if d.store is None or not suggestions:
            return 0
        accepted: list[ent.Suggestion] = []
        steps: list[ops.Operation] = []
        for s in suggestions:
            try:
                steps.append(ops.CreateAnnotation(ent.suggestion_annotation(d.store, s, d.annotator), d.annotator))
            except KzpkError as err:
                d.status(str(err), 6000)
                continue
            accepted.append(s)
        if not steps or not d.run(ops.combine(steps, f"Accept {len(steps)} suggestion(s)")):
            return 0
        d.entity_browser.drop_suggestions(accepted)
        self.show_suggestions()
        return len(accepted)

    def reject_suggestions(self, suggestions: list[ent.Suggestion]) -> None:
        d = self.desk
        steps = [ops.RejectSuggestion(s.entity_id, s.article_id, s.start, s.end, d.annotator) for s in suggestions]
        if steps and not d.run(ops.combine(steps, f"Reject {len(steps)} suggestion(s)")):
            return
        d.entity_browser.drop_suggestions(suggestions)
        self.show_suggestions()

    def edit_entity(self, entity_id: int) -> None:
        from .entity_browser import EntityDialog

        d = self.desk
        assert d.store is not None
        dialog = EntityDialog(d.store, entity_id, d.window)
        if dialog.exec():
            changes, aliases, parties = dialog.changes()
            d.run(
                ops.EditEntity(
                    entity_id,
                    changes,
                    d.annotator,
                    tuple(aliases) if aliases is not None else None,
                    tuple(parties) if parties is not None else None,
                )
            )
            d.entity_browser.reload()

    def merge_entity(self, entity_id: int) -> bool:
        """Merge another entity's mentions and names into this one (asks which, then confirms)."""
        d = self.desk
        assert d.store is not None
        me = d.store.entities.get(entity_id)
        others = [e for e in d.store.entities.all(me.kind) if e.id != entity_id]
        if not others:
            d.status(f"There is no other {me.kind} to merge.", 5000)
            return False
        names = [f"{e.name} ({e.mentions} mentions) #{e.id}" for e in others]
        choice = ask.choose(d.window, "Merge entities", f"Merge into “{me.name}”:", names)
        if not choice:
            return False
        drop = int(choice.rsplit("#", 1)[1])
        if not ask.confirm(
            d.window,
            "Merge entities",
            f"Fold “{d.store.entities.get(drop).name}” into “{me.name}”? "
            "Its mentions and names move over (Undo takes it back).",
        ):
            return False
        if not d.run(ops.MergeEntities(entity_id, drop, d.annotator)):
            return False
        d.entity_browser.reload()
        d.entity_browser.select_entity(entity_id)
        return True
