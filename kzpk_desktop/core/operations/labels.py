"""Label operations: add a label to the schema, edit its name, colour or keys."""

from __future__ import annotations

from dataclasses import dataclass

from ..rows import FieldChanges, Label
from ..store import Store
from .base import Changes, OperationError, OpResult


@dataclass(frozen=True)
class AddLabel:
    label: Label
    who: str

    @property
    def text(self) -> str:
        return f"Add label {self.label.name}"

    def apply(self, store: Store) -> OpResult:
        store.labels.add(self.label, self.who)
        return OpResult(Changes(labels=frozenset({self.label.id})), DeleteLabel(self.label.id, self.who))


@dataclass(frozen=True)
class DeleteLabel:
    """Remove an unused label: the undo of adding it (refused once spans use it)."""

    label_id: str
    who: str

    @property
    def text(self) -> str:
        return f"Add label {self.label_id}"

    def apply(self, store: Store) -> OpResult:
        try:
            row = store.labels.delete(self.label_id, self.who)
        except Exception as err:
            raise OperationError(str(err)) from None
        return OpResult(Changes(labels=frozenset({self.label_id})), AddLabel(row, self.who))


@dataclass(frozen=True)
class EditLabel:
    label_id: str
    changes: FieldChanges
    who: str

    @property
    def text(self) -> str:
        return f"Edit label {self.label_id}"

    def apply(self, store: Store) -> OpResult:
        before = store.labels.update(self.label_id, self.changes, self.who)
        return OpResult(Changes(labels=frozenset({self.label_id})), EditLabel(self.label_id, before, self.who))
