"""The one path every change travels: an operation, one transaction, its inverse, its ``Changes``.

Modelled on Anki's ``CollectionOp``/``OpChanges``: an operation knows how to apply itself to
the store and returns what it changed (so views refresh only that) and the operation that
undoes it. Undo and redo are operations too, so an undo that can no longer apply (the span
it would restore was deleted since, the entity was merged away) raises an
:class:`OperationError` with a sentence, inside a transaction that is rolled back: the data
is left exactly as it was.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable, Sequence
from dataclasses import dataclass, field
from typing import Protocol

from ..errors import KzpkError
from ..store import Store

Span = tuple[int, int, int]  # (article id, start, end): a range of an article to repaint


class OperationError(KzpkError):
    """An operation (often an undo) that cannot apply to the data as it is now."""


@dataclass(frozen=True)
class Changes:
    """What an operation changed: each view refreshes only what it shows of these.

    ``articles`` holds the articles whose row in the article list changed (metadata, span
    count, progress status); ``spans`` the text ranges whose highlight changed.
    """

    articles: frozenset[int] = frozenset()
    annotations: frozenset[str] = frozenset()
    spans: tuple[Span, ...] = ()
    relations: frozenset[str] = frozenset()
    entities: frozenset[int] = frozenset()
    labels: frozenset[str] = frozenset()
    review: frozenset[str] = frozenset()  # annotation ids whose review state or evidence changed
    sessions: frozenset[int] = frozenset()
    suggestions: frozenset[int] = frozenset()  # entity ids whose rejected-suggestion set changed
    prior_checks: frozenset[int] = frozenset()  # imported fact-checks added or removed
    conflicts: frozenset[int] = frozenset()  # merge conflicts resolved or reopened
    article_set: bool = False  # articles were added or removed: the list's rows, not only cells

    def __or__(self, other: Changes) -> Changes:
        return Changes(
            articles=self.articles | other.articles,
            annotations=self.annotations | other.annotations,
            spans=tuple(dict.fromkeys((*self.spans, *other.spans))),
            relations=self.relations | other.relations,
            entities=self.entities | other.entities,
            labels=self.labels | other.labels,
            review=self.review | other.review,
            sessions=self.sessions | other.sessions,
            suggestions=self.suggestions | other.suggestions,
            prior_checks=self.prior_checks | other.prior_checks,
            conflicts=self.conflicts | other.conflicts,
            article_set=self.article_set or other.article_set,
        )

    def __bool__(self) -> bool:
        return any(
            (
                self.articles,
                self.annotations,
                self.spans,
                self.relations,
                self.entities,
                self.labels,
                self.review,
                self.sessions,
                self.suggestions,
                self.prior_checks,
                self.conflicts,
                self.article_set,
            )
        )

    def kinds(self) -> set[str]:
        """The names of the non-empty fields ("annotations", "entities", ...)."""
        return {name for name in self.__dataclass_fields__ if getattr(self, name)}

    def touches_article(self, article_id: int) -> bool:
        return article_id in self.articles or any(a == article_id for a, _s, _e in self.spans)


NO_CHANGES = Changes()


class Operation(Protocol):
    """A change the researcher (or a script) can make. ``apply`` runs inside a transaction."""

    @property
    def text(self) -> str:
        """What the change is, for the Undo/Redo menu and the status bar."""
        ...

    def apply(self, store: Store) -> OpResult: ...


@dataclass(frozen=True)
class OpResult:
    changes: Changes
    inverse: Operation


def run(store: Store, op: Operation) -> OpResult:
    """Apply ``op`` in one transaction: all of it is saved, or none of it."""
    with store.transaction():
        return op.apply(store)


@dataclass(frozen=True)
class Sequence_:
    """Several operations as one step (one transaction, one undo): accept N suggestions, ..."""

    steps: tuple[Operation, ...]
    label: str

    @property
    def text(self) -> str:
        return self.label

    def apply(self, store: Store) -> OpResult:
        changes = NO_CHANGES
        inverses: list[Operation] = []
        for step in self.steps:
            result = step.apply(store)
            changes |= result.changes
            inverses.append(result.inverse)
        return OpResult(changes, Sequence_(tuple(reversed(inverses)), self.label))


def combine(ops: Iterable[Operation], label: str) -> Operation:
    steps = tuple(ops)
    return steps[0] if len(steps) == 1 else Sequence_(steps, label)


Listener = Callable[[Changes], None]


@dataclass
class _Step:
    text: str
    op: Operation  # what to run to move across this step (the inverse of the last run)


@dataclass
class UndoHistory:
    """Undo and redo as operations, with listeners told what each step changed.

    A failed undo or redo leaves both the data and the history as they were and raises
    :class:`OperationError` (or another ``KzpkError``) with the reason.
    """

    store: Store
    limit: int = 500
    _undo: list[_Step] = field(default_factory=list)
    _redo: list[_Step] = field(default_factory=list)
    _listeners: list[Listener] = field(default_factory=list)

    def subscribe(self, listener: Listener) -> None:
        self._listeners.append(listener)

    def unsubscribe(self, listener: Listener) -> None:
        """A window that closes stops listening (a no-op for one never subscribed)."""
        if listener in self._listeners:
            self._listeners.remove(listener)

    def _announce(self, changes: Changes) -> None:
        for listener in list(self._listeners):
            listener(changes)

    def do(self, op: Operation) -> Changes:
        """Run a new operation; it becomes the step that Undo takes back."""
        result = run(self.store, op)
        self._undo.append(_Step(op.text, result.inverse))
        del self._undo[: -self.limit]
        self._redo.clear()
        self._announce(result.changes)
        return result.changes

    def record(self, text: str, result: OpResult) -> Changes:
        """An operation that ran outside :func:`run` (an import, committed batch by batch in
        a background job) becomes the step Undo takes back, and the views hear of it."""
        self._undo.append(_Step(text, result.inverse))
        del self._undo[: -self.limit]
        self._redo.clear()
        self._announce(result.changes)
        return result.changes

    def do_all(self, ops: Sequence[Operation], label: str) -> Changes:
        return self.do(combine(ops, label)) if ops else NO_CHANGES

    def undo(self) -> Changes:
        if not self._undo:
            raise OperationError("There is nothing to undo.")
        step = self._undo[-1]
        try:
            result = run(self.store, step.op)
        except KzpkError as err:
            raise OperationError(f"Cannot undo “{step.text}”: {err}") from None
        self._undo.pop()
        self._redo.append(_Step(step.text, result.inverse))
        self._announce(result.changes)
        return result.changes

    def redo(self) -> Changes:
        if not self._redo:
            raise OperationError("There is nothing to redo.")
        step = self._redo[-1]
        try:
            result = run(self.store, step.op)
        except KzpkError as err:
            raise OperationError(f"Cannot redo “{step.text}”: {err}") from None
        self._redo.pop()
        self._undo.append(_Step(step.text, result.inverse))
        self._announce(result.changes)
        return result.changes

    def clear(self) -> None:
        self._undo.clear()
        self._redo.clear()

    @property
    def can_undo(self) -> bool:
        return bool(self._undo)

    @property
    def can_redo(self) -> bool:
        return bool(self._redo)

    @property
    def undo_text(self) -> str:
        return self._undo[-1].text if self._undo else ""

    @property
    def redo_text(self) -> str:
        return self._redo[-1].text if self._redo else ""

    def __len__(self) -> int:
        return len(self._undo)
