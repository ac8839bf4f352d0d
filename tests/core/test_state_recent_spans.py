"""Going back to an article reads its spans again only when the database changed (issue 20)."""

from __future__ import annotations

import dataclasses
from typing import Any

import pytest

from kzpk_desktop.core import annotations as ann
from kzpk_desktop.core.state import ArticleState
from kzpk_desktop.core.store import Store


def span_queries(store: Any) -> list[str]:
    seen: list[str] = []
    store.conn.set_trace_callback(lambda sql: seen.append(sql) if "FROM annotations" in sql else None)
    return seen


def ids(state: ArticleState) -> list[str]:
    return [r.id for r in state.spans()]


def test_an_unchanged_article_is_not_read_again(store: Any) -> None:
    a, b = (r[0] for r in store.conn.execute("SELECT id FROM articles ORDER BY id LIMIT 2"))
    text = store.articles.text(a)
    first = ann.create_annotation(store, a, 0, 5, "claim", annotator="ann")
    state = ArticleState()
    state.open(store, a)
    state.open(store, b)
    seen = span_queries(store)
    state.open(store, a)
    assert seen == [] and ids(state) == [first.id]
    with pytest.raises(dataclasses.FrozenInstanceError):  # views cannot alter the kept rows
        state.spans()[0].note = "changed by a view"  # type: ignore[misc]
    state.open(store, b)
    state.open(store, a)
    assert state.spans()[0].note == "" and seen == []
    second = ann.create_annotation(store, a, 6, 11, "claim", annotator="ann")  # this connection writes
    state.open(store, a)
    assert len(seen) == 1 and ids(state) == [first.id, second.id]
    assert state.spans()[1].text == text[6:11]


def test_a_change_by_another_connection_is_read(store: Any) -> None:
    a = store.conn.execute("SELECT min(id) FROM articles").fetchone()[0]
    state = ArticleState()
    state.open(store, a)
    assert ids(state) == []
    other = Store.open(store.path)
    try:
        made = ann.create_annotation(other, a, 0, 5, "claim", annotator="bob")
    finally:
        other.close()
    state.open(store, None)
    state.open(store, a)
    assert ids(state) == [made.id]
