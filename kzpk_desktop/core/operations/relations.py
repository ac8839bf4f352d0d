"""Typed links between spans (said by, party, about)."""

from __future__ import annotations

from dataclasses import dataclass

from ..errors import NotFoundError
from ..rows import Relation
from ..store import Store
from .base import Changes, OperationError, OpResult


def _changes(store: Store, rel: Relation) -> Changes:
    spans = []
    for end in (rel.source_id, rel.target_id):
        try:
            row = store.annotations.get(end)
        except NotFoundError:
            continue
        spans.append((row.article_id, row.start, row.end))
    return Changes(
        relations=frozenset({rel.id}),
        annotations=frozenset({rel.source_id, rel.target_id}),
        spans=tuple(spans),
    )


@dataclass(frozen=True)
class CreateRelation:
    row: Relation  # built by relations.build_relation
    who: str

    @property
    def text(self) -> str:
        return f"Link {self.row.type.replace('_', ' ')}"

    def apply(self, store: Store) -> OpResult:
        for end in (self.row.source_id, self.row.target_id):
            if not store.annotations.exists(end):
                raise OperationError("one of the linked spans was deleted since.")
        store.annotations.insert_relation(self.row, self.who)
        return OpResult(_changes(store, self.row), DeleteRelation(self.row.id, self.who))


@dataclass(frozen=True)
class DeleteRelation:
    relation_id: str
    who: str

    @property
    def text(self) -> str:
        return "Remove link"

    def apply(self, store: Store) -> OpResult:
        if not store.annotations.relation_exists(self.relation_id):
            raise OperationError("the link was removed already.")
        row = store.annotations.delete_relation(self.relation_id, self.who)
        return OpResult(_changes(store, row), CreateRelation(row, self.who))
