"""Entity operations: create, edit, merge (and unmerge), split, link a span to a new entity,
and rejecting suggested mentions."""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass

from .. import entities as ent
from ..rows import Entity, FieldChanges
from ..store import Store
from ..store.entities import MergeRecord
from .annotations import EditAnnotation
from .base import Changes, Operation, OperationError, OpResult, Sequence_


def _mention_changes(store: Store, annotation_ids: Sequence[str]) -> Changes:
    spans = []
    for aid in annotation_ids:
        if store.annotations.exists(aid):
            row = store.annotations.get(aid)
            spans.append((row.article_id, row.start, row.end))
    return Changes(annotations=frozenset(annotation_ids), spans=tuple(spans))


@dataclass(frozen=True, slots=True)
class EntityAttributes:
    """What a new entity carries besides its kind and name: the keyword arguments of
    :func:`entities.create_entity`, each a column of ``entities`` or a row of its alias and
    party tables (validated there), never a free JSON object."""

    aliases: tuple[str, ...] = ()
    actor_type: str | None = None
    country: str | None = None
    role: str | None = None
    agreement_type: str | None = None
    agreement_status: str | None = None
    date: str | None = None  # as typed; parsed with its precision on create
    parties: tuple[int, ...] = ()  # actor ids, for an agreement
    notes: str = ""


@dataclass(frozen=True)
class CreateEntity:
    """A new actor or agreement, validated by :func:`entities.create_entity`."""

    kind: str
    name: str
    who: str
    attributes: EntityAttributes = EntityAttributes()

    @property
    def text(self) -> str:
        return f"New {self.kind} “{self.name}”"

    def apply(self, store: Store) -> OpResult:
        a = self.attributes
        entity_id = ent.create_entity(
            store,
            self.kind,
            self.name,
            who=self.who,
            aliases=a.aliases,
            actor_type=a.actor_type,
            country=a.country,
            role=a.role,
            agreement_type=a.agreement_type,
            agreement_status=a.agreement_status,
            date=a.date,
            parties=a.parties,
            notes=a.notes,
        )
        # (an agreement's parties change too: they are now party to it)
        return OpResult(
            Changes(entities=frozenset({entity_id, *a.parties})), DeleteEntity(entity_id, self.who, self.text)
        )


@dataclass(frozen=True)
class DeleteEntity:
    """Remove an entity no span is linked to (the undo of creating it)."""

    entity_id: int
    who: str
    label_text: str = "Delete entity"

    @property
    def text(self) -> str:
        return self.label_text

    def apply(self, store: Store) -> OpResult:
        if not store.entities.id_taken(self.entity_id):
            raise OperationError("the entity no longer exists (was it merged into another?).")
        row = store.entities.get(self.entity_id)
        mentions = store.entities.mentions(self.entity_id)
        if mentions:
            raise OperationError(f"“{row.name}” is linked to {len(mentions)} span(s) now; unlink them first.")
        parties = store.entities.entity_parties_rows(self.entity_id)
        aliases = row.aliases
        store.entities.delete(self.entity_id, self.who)
        return OpResult(
            Changes(entities=frozenset({self.entity_id, *(i for pair in parties for i in pair)})),
            RestoreEntity(row.replace(aliases=(), parties=()), aliases, tuple(parties), self.who, self.label_text),
        )


@dataclass(frozen=True)
class RestoreEntity:
    row: Entity
    aliases: tuple[str, ...]
    parties: tuple[tuple[int, int], ...]
    who: str
    label_text: str = "Restore entity"

    @property
    def text(self) -> str:
        return self.label_text

    def apply(self, store: Store) -> OpResult:
        store.entities.insert_entity_row(self.row, self.aliases, self.parties, self.who)
        entity_id = self.row.id
        return OpResult(
            Changes(entities=frozenset({entity_id, *(i for pair in self.parties for i in pair)})),
            DeleteEntity(entity_id, self.who, self.label_text),
        )


@dataclass(frozen=True)
class EditEntity:
    """Change an entity's fields, aliases or parties (``None`` leaves them as they are)."""

    entity_id: int
    changes: FieldChanges
    who: str
    aliases: tuple[str, ...] | None = None
    parties: tuple[int, ...] | None = None

    @property
    def text(self) -> str:
        return "Edit entity"

    def apply(self, store: Store) -> OpResult:
        if not store.entities.id_taken(self.entity_id):
            raise OperationError("the entity no longer exists (was it merged into another?).")
        before = store.entities.get(self.entity_id)
        old = before.as_dict()
        changes = {k: v for k, v in self.changes.items() if old.get(k) != v and k != "updated_at"}
        if "name" in changes:
            changes["name"] = " ".join(str(changes["name"]).split())
            if not changes["name"]:
                raise OperationError("an entity needs a name.")
        stamp = {"updated_at": self.changes["updated_at"]} if "updated_at" in self.changes else {}
        store.entities.update(
            self.entity_id,
            {**changes, **stamp},
            self.who,
            aliases=list(self.aliases) if self.aliases is not None else None,
            parties=list(self.parties) if self.parties is not None else None,
        )
        undo_fields = {k: old[k] for k in changes}
        if changes:
            undo_fields["updated_at"] = before.updated_at
        inverse = EditEntity(
            self.entity_id,
            undo_fields,
            self.who,
            tuple(before.aliases) if self.aliases is not None else None,
            tuple(before.parties) if self.parties is not None else None,
        )
        parties = set(self.parties or ()) | set(before.parties if self.parties is not None else ())
        return OpResult(Changes(entities=frozenset({self.entity_id, *parties})), inverse)


@dataclass(frozen=True)
class MergeEntities:
    """Fold ``drop`` into ``keep`` (mentions, names, parties). Undoable."""

    keep_id: int
    drop_id: int
    who: str
    stamp: str | None = None  # a redo repeats the first merge's timestamp

    @property
    def text(self) -> str:
        return "Merge entities"

    def apply(self, store: Store) -> OpResult:
        record = store.entities.merge(self.keep_id, self.drop_id, self.who, self.stamp)
        moved = [aid for aid, _ in record.moved]
        parties = {x for pair in (*record.dropped_parties, *record.added_parties) for x in pair}
        changes = _mention_changes(store, moved) | Changes(
            entities=frozenset({self.keep_id, self.drop_id, *parties}),
            suggestions=frozenset({self.drop_id}) if record.rejected else frozenset(),
        )
        return OpResult(changes, UnmergeEntities(record, self.who))


@dataclass(frozen=True)
class UnmergeEntities:
    record: MergeRecord
    who: str

    @property
    def text(self) -> str:
        return "Merge entities"

    def apply(self, store: Store) -> OpResult:
        store.entities.unmerge(self.record, self.who)
        drop_id = int(self.record.dropped.id)
        moved = [aid for aid, _ in self.record.moved]
        parties = {x for pair in (*self.record.dropped_parties, *self.record.added_parties) for x in pair}
        changes = _mention_changes(store, moved) | Changes(
            entities=frozenset({self.record.keep_id, drop_id, *parties}),
            suggestions=frozenset({drop_id}) if self.record.rejected else frozenset(),
        )
        return OpResult(changes, MergeEntities(self.record.keep_id, drop_id, self.who, self.record.stamp))


@dataclass(frozen=True)
class LinkNewEntity:
    """Link a span to the entity it names, creating the entity if there is none (one undo step)."""

    annotation_id: str
    who: str

    @property
    def text(self) -> str:
        return "Link to entity"

    def apply(self, store: Store) -> OpResult:
        row = store.annotations.get(self.annotation_id)
        entity_id, created = ent.entity_for_span(store, row, self.who)
        link = EditAnnotation(self.annotation_id, {"entity_id": entity_id}, self.who, self.text).apply(store)
        changes = link.changes | Changes(entities=frozenset({entity_id}))
        undo: list[Operation] = [link.inverse]
        if created:
            undo.append(DeleteEntity(entity_id, self.who, self.text))
        return OpResult(changes, Sequence_(tuple(undo), self.text))


@dataclass(frozen=True)
class SplitEntity:
    """Move some mentions of an entity to a new entity of the same kind (the reverse of a merge)."""

    entity_id: int
    annotation_ids: tuple[str, ...]
    new_name: str
    who: str

    @property
    def text(self) -> str:
        return f"Split “{self.new_name}” off"

    def apply(self, store: Store) -> OpResult:
        kind = store.entities.get(self.entity_id).kind
        linked = {m.id for m in store.entities.mentions(self.entity_id)}
        stray = [a for a in self.annotation_ids if a not in linked]
        if stray or not self.annotation_ids:
            raise OperationError("choose spans that are linked to this entity.")
        created = CreateEntity(kind, self.new_name, self.who).apply(store)
        new_id = next(iter(created.changes.entities))
        steps = [EditAnnotation(a, {"entity_id": new_id}, self.who).apply(store) for a in self.annotation_ids]
        changes = created.changes | Changes(entities=frozenset({self.entity_id}))
        for s in steps:
            changes |= s.changes
        undo = Sequence_((*(s.inverse for s in reversed(steps)), created.inverse), self.text)
        return OpResult(changes, undo)


@dataclass(frozen=True)
class RejectSuggestion:
    """Remember that a suggested mention is not one (it is not proposed again)."""

    entity_id: int
    article_id: int
    start: int
    end: int
    who: str
    undo: bool = False  # True: take a rejection back

    @property
    def text(self) -> str:
        return "Reject suggestion"

    def apply(self, store: Store) -> OpResult:
        if self.undo:
            store.entities.unreject_suggestion(self.entity_id, self.article_id, self.start, self.end, self.who)
        elif not store.entities.reject_suggestion(self.entity_id, self.article_id, self.start, self.end, self.who):
            raise OperationError("that suggestion was rejected already.")
        changes = Changes(suggestions=frozenset({self.entity_id}), spans=((self.article_id, self.start, self.end),))
        return OpResult(
            changes,
            RejectSuggestion(self.entity_id, self.article_id, self.start, self.end, self.who, undo=not self.undo),
        )
