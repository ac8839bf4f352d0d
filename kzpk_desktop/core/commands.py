"""Undoable operations as plain objects: ``apply()`` and ``revert()``, tested without Qt.

The GUI wraps each in a QUndoCommand. ``QUndoStack.push()`` calls ``redo()`` at once,
so callers build a command and push it; they never apply the change themselves first.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any, Protocol

from . import annotations as ann
from . import entities
from .store import Store

Affected = tuple[int, list[tuple[int, int]], list[str]]


class Command(Protocol):
    text: str

    def apply(self) -> None: ...

    def revert(self) -> None: ...

    def affected(self) -> Affected:
        """(article id, changed code-point ranges, annotation ids): what views must refresh."""
        ...


@dataclass
class CreateAnnotation:
    store: Store
    row: dict[str, Any]  # built (and validated) by annotations.build_annotation
    who: str
    text: str = ""

    def __post_init__(self) -> None:
        self.text = self.text or f"Tag {self.row['label']} “{_short(self.row['text'])}”"

    def apply(self) -> None:
        self.store.insert_annotations([self.row], who=self.who)

    def revert(self) -> None:
        self.store.delete_annotation(self.row["id"], who=self.who)

    def affected(self) -> Affected:
        return self.row["article_id"], [(self.row["start"], self.row["end"])], [self.row["id"]]


@dataclass
class DeleteAnnotation:
    store: Store
    annotation_id: str
    who: str
    text: str = ""
    _row: dict[str, Any] = field(default_factory=dict)

    def __post_init__(self) -> None:
        self._row = self.store.annotation(self.annotation_id)
        self.text = self.text or f"Delete {self._row['label']} “{_short(self._row['text'])}”"

    def apply(self) -> None:
        self._row = ann.delete_annotation(self.store, self.annotation_id, self.who)

    def revert(self) -> None:
        ann.restore_annotation(self.store, self._row, self.who)

    def affected(self) -> Affected:
        return self._row["article_id"], [(self._row["start"], self._row["end"])], [self.annotation_id]


@dataclass
class EditAnnotation:
    store: Store
    annotation_id: str
    changes: dict[str, Any]
    who: str
    text: str = ""
    _before: dict[str, Any] = field(default_factory=dict)

    def __post_init__(self) -> None:
        row = self.store.annotation(self.annotation_id)
        self._before = {k: row[k] for k in self.changes}
        self._span = (row["article_id"], row["start"], row["end"])
        self.text = self.text or f"Edit {', '.join(sorted(self.changes))}"

    def apply(self) -> None:
        ann.edit_annotation(self.store, self.annotation_id, self.who, **self.changes)

    def revert(self) -> None:
        ann.edit_annotation(self.store, self.annotation_id, self.who, **self._before)

    def affected(self) -> Affected:
        return self._span[0], [(self._span[1], self._span[2])], [self.annotation_id]


@dataclass
class CreateRelation:
    store: Store
    row: dict[str, Any]  # built by relations.build_relation
    who: str
    article_id: int
    text: str = ""

    def __post_init__(self) -> None:
        self.text = self.text or f"Link {self.row['type'].replace('_', ' ')}"

    def apply(self) -> None:
        self.store.insert_relation(self.row, self.who)

    def revert(self) -> None:
        self.store.delete_relation(self.row["id"], self.who)

    def affected(self) -> Affected:
        return self.article_id, [], [self.row["source_id"], self.row["target_id"]]


@dataclass
class DeleteRelation:
    store: Store
    relation_id: str
    who: str
    article_id: int
    text: str = "Remove link"
    _row: dict[str, Any] = field(default_factory=dict)

    def apply(self) -> None:
        self._row = self.store.delete_relation(self.relation_id, self.who)

    def revert(self) -> None:
        self.store.insert_relation(self._row, self.who)

    def affected(self) -> Affected:
        return self.article_id, [], [self._row["source_id"], self._row["target_id"]] if self._row else []


@dataclass
class LinkNewEntity:
    """Create (or find) the entity a span names and link the span to it, as one undo step."""

    store: Store
    annotation_id: str
    who: str
    text: str = "Link to entity"
    entity_id: int | None = None
    _created: bool = False
    _before: Any = None

    def apply(self) -> None:
        row = self.store.annotation(self.annotation_id)
        self._before = row["entity_id"]
        self.entity_id, self._created = entities.entity_for_span(self.store, row, self.who)
        self.store.update_annotation(self.annotation_id, {"entity_id": self.entity_id}, self.who)

    def revert(self) -> None:
        self.store.update_annotation(self.annotation_id, {"entity_id": self._before}, self.who)
        if self._created and self.entity_id is not None and not self.store.mentions(self.entity_id):
            self.store.delete_entity(self.entity_id, self.who)

    def affected(self) -> Affected:
        row = self.store.annotation(self.annotation_id)
        return row["article_id"], [(row["start"], row["end"])], [self.annotation_id]


def _short(text: str, n: int = 30) -> str:
    text = " ".join(text.split())
    return text if len(text) <= n else text[: n - 1] + "…"
