"""Search words cut into the article index's own terms, by the index's own tokenizer.

The article index keeps no word positions (``detail=column``, schema step m015), so a query
may hold only one-term phrases: ``"foo_bar"`` is two terms to FTS5 (``_`` separates) and
is then refused as a phrase. Cutting the words with Python's ``\\w`` differs from FTS5's
``unicode61`` in more than ``_`` (it keeps 21 letters that SQLite's Unicode 6.1 tables call
marks), so the words are cut by SQLite itself: written into a private in-memory FTS5 table
with the same tokenizer and read back through ``fts5vocab``. What is typed then finds
exactly the articles whose text holds those terms.
"""

from __future__ import annotations

import sqlite3
import threading
from collections.abc import Sequence

from ..schema import ARTICLE_TOKENIZE

_lock = threading.Lock()  # one connection for every thread (a call takes ~17 us)
_conn: sqlite3.Connection | None = None


def _tokenizer() -> sqlite3.Connection:
    global _conn
    if _conn is None:
        conn = sqlite3.connect(":memory:", isolation_level=None, check_same_thread=False)
        conn.execute(f"CREATE VIRTUAL TABLE words USING fts5(w, tokenize='{ARTICLE_TOKENIZE}')")
        conn.execute("CREATE VIRTUAL TABLE terms USING fts5vocab(words, 'instance')")
        _conn = conn
    return _conn


def index_terms(words: str) -> list[str]:
    """The terms the article index would store for ``words``, in order (case folded,
    diacritics removed, separators dropped); repeats kept."""
    if not words or words.isspace():
        return []
    if not words.isascii():  # a lone surrogate (pasted from a broken file) cannot go to SQLite
        words = words.encode("utf-8", "replace").decode("utf-8")
    with _lock:
        conn = _tokenizer()
        conn.execute("BEGIN")
        try:
            conn.execute("INSERT INTO words (rowid, w) VALUES (1, ?)", (words,))
            return [row[0] for row in conn.execute('SELECT term FROM terms ORDER BY "offset"')]
        finally:
            conn.execute("ROLLBACK")  # (nothing stays: the next words start from an empty table)


def _quoted(term: str) -> str:
    return '"' + term.replace('"', '""') + '"'


def fts_query(words: str) -> str | None:
    """User words -> a safe FTS5 query: every term quoted, all of them required, the last one
    a prefix (the list narrows while a word is still being typed). ``None`` for no terms."""
    terms = index_terms(words)
    if not terms:
        return None
    quoted = [_quoted(t) for t in terms]
    quoted[-1] += "*"
    return " ".join(quoted)


def any_of_queries(phrases: Sequence[str]) -> str | None:
    """Articles holding every term of at least one phrase (a superset of those holding the
    phrase as written: the caller checks the text itself)."""
    groups = []
    for phrase in phrases:
        terms = list(dict.fromkeys(index_terms(phrase)))
        if terms:
            groups.append("(" + " AND ".join(map(_quoted, terms)) + ")")
    return " OR ".join(groups) or None
