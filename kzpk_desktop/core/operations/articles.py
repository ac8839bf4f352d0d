"""Article operations: progress status (and, later, metadata edits)."""

from __future__ import annotations

from dataclasses import dataclass

from ..errors import KzpkError
from ..schema import ARTICLE_STATUSES
from ..store import Store
from .base import Changes, OpResult


@dataclass(frozen=True)
class SetArticleStatus:
    article_id: int
    status: str
    who: str

    @property
    def text(self) -> str:
        return f"Mark article {self.status.replace('_', ' ')}"

    def apply(self, store: Store) -> OpResult:
        if self.status not in ARTICLE_STATUSES:
            raise KzpkError(f"Unknown article status '{self.status}' (expected {', '.join(ARTICLE_STATUSES)}).")
        before = store.article_status(self.article_id)
        store.set_article_status(self.article_id, self.status, self.who)
        changes = Changes(articles=frozenset({self.article_id})) if before != self.status else Changes()
        return OpResult(changes, SetArticleStatus(self.article_id, before, self.who))
