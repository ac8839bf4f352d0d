"""An import as one undo step.

Import commits batch by batch (a crash or Cancel half-way keeps what was saved), so it runs
outside :func:`run`; when it ends, :func:`imported` gives the step the history records
(:meth:`UndoHistory.record`): its inverse removes exactly the articles it added, and the
inverse of that puts the same rows back.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass

from ..errors import KzpkError
from ..store import Store
from ..store.article_removal import StoredArticle, remove_articles, restore_articles
from .base import Changes, OperationError, OpResult


def _label(n: int) -> str:
    return f"Import {n} article{'s' if n != 1 else ''}"


@dataclass(frozen=True)
class RemoveArticles:
    """Take back an import: its articles leave the database (refused if one has spans now)."""

    ids: tuple[int, ...]
    who: str = ""

    @property
    def text(self) -> str:
        return _label(len(self.ids))

    def apply(self, store: Store) -> OpResult:
        try:
            removed = remove_articles(store, self.ids, self.who)
        except KzpkError as err:
            raise OperationError(str(err)) from None
        ids = frozenset(r.id for r in removed)
        return OpResult(Changes(articles=ids, article_set=bool(ids)), RestoreArticles(removed, self.who))


@dataclass(frozen=True)
class RestoreArticles:
    """Redo an import: the removed rows come back under their ids, exactly as they were."""

    rows: tuple[StoredArticle, ...]
    who: str = ""

    @property
    def text(self) -> str:
        return _label(len(self.rows))

    def apply(self, store: Store) -> OpResult:
        try:
            ids = restore_articles(store, self.rows, self.who)
        except KzpkError as err:
            raise OperationError(str(err)) from None
        return OpResult(Changes(articles=frozenset(ids), article_set=bool(ids)), RemoveArticles(tuple(ids), self.who))


def imported(article_ids: Sequence[int], who: str = "") -> OpResult:
    """The step a finished import leaves in the history: what it added, and how to take it back."""
    ids = tuple(article_ids)
    return OpResult(Changes(articles=frozenset(ids), article_set=bool(ids)), RemoveArticles(ids, who))
