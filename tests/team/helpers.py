"""Small helpers shared by the team tests."""

from __future__ import annotations

from kzpk_desktop.core import annotations as ann
from kzpk_desktop.core.store import Store


def span(store: Store, article_id: int, needle: str, label: str, who: str) -> str:
    """Tag the first occurrence of ``needle`` in an article; returns the new span's id."""
    text = store.articles.text(article_id)
    i = text.index(needle)
    return ann.create_annotation(store, article_id, i, i + len(needle), label, annotator=who).id
