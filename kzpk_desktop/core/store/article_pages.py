"""The article list's first screenful, ahead of the whole filtered list (issue 20).

A search word that most articles contain (90,000 of 100,000) costs 20–40 ms just to turn
the full-text matches into Python ids, before the list can paint. The list needs only its
first few dozen rows to paint, so this module asks the index which of the first
candidates *in list order* match (one pass over the word's entries in C, the candidates
checked by SQLite), and the full list, with its count, is read after the paint.
"""

from __future__ import annotations

import json
import sqlite3
from dataclasses import dataclass, replace
from typing import TYPE_CHECKING

from ..errors import StoreError
from .base import ArticleFilter, fts_query

if TYPE_CHECKING:
    from . import Store

# How many candidates (in list order) are checked against the index for a first page of
# ``want`` rows: a word in a third of the articles or more fills it in one pass; a rarer
# word has few matches, and reading all of them at once is cheap.
CANDIDATES_PER_ROW = 3

# ``+rowid``: the candidates are checked by SQLite while the index streams its matches. A
# bare ``rowid IN`` would be handed to FTS5 as one lookup per candidate, each re-reading
# the whole entry of a prefix ("Gwadar"*): measured ~4 ms per candidate at 100k articles.
_MATCHING_CANDIDATES = (
    "SELECT rowid FROM articles_fts WHERE articles_fts MATCH ? AND +rowid IN (SELECT value FROM json_each(?))"
)


@dataclass(frozen=True)
class ArticlePage:
    """The first ids of the list in display order; ``complete``: they are all of them."""

    ids: tuple[int, ...]
    complete: bool


def first_article_ids(store: Store, flt: ArticleFilter, sort: str, descending: bool, want: int) -> ArticlePage:
    """At least ``want`` ids from the top of the filtered list (or all of them, if fewer).

    Without a search word the whole list is a copy of a cached order (plus id sets for the
    other filters) and comes back complete; with one, only the top of the list is read.
    """
    query = fts_query(flt.search) if flt.search else None
    if query is None:
        return ArticlePage(tuple(store.articles.article_ids(flt, sort, descending)), True)
    try:
        ordered = store.articles._sorted_ids(sort, descending)
        others = store.articles._filter_ids(replace(flt, search=""))
        limit = max(1, want) * CANDIDATES_PER_ROW
        candidates: list[int] = []
        for article_id in ordered:
            if others is None or article_id in others:
                candidates.append(article_id)
                if len(candidates) >= limit:
                    break
        matching = {r[0] for r in store.conn.execute(_MATCHING_CANDIDATES, (query, json.dumps(candidates)))}
    except sqlite3.OperationalError as err:
        raise StoreError(f"Search failed: {err}.") from None
    except sqlite3.DatabaseError as err:
        raise StoreError(f"'{store.path}' is damaged ({err}); restore it from a backup.") from None
    first = tuple(i for i in candidates if i in matching)
    if len(candidates) < limit:  # every candidate was checked: this is the whole list
        return ArticlePage(first, True)
    if len(first) >= want:
        return ArticlePage(first, False)
    return ArticlePage(tuple(store.articles.article_ids(flt, sort, descending)), True)  # a rare word: few ids
