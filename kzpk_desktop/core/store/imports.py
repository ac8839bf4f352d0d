"""Article import writes: the duplicate check and the insert in one ``BEGIN IMMEDIATE``.

Checking hashes first and inserting later let two imports of the same folder (two windows,
or the app and ``kzpk import``) both see a file as new; the second insert then hit the
UNIQUE constraint and ended in an IntegrityError traceback. Inside the write transaction
nobody else can insert, so the hashes looked up there are final: whoever commits first
imported the file, the other reports it as a duplicate of that article.

A batch costs three statements whatever its size (look up its hashes, ``executemany`` the
new rows, read their ids back): a statement and a look-up per row cost more Python time
than SQLite spends storing and indexing the text. The FTS rows are written by the insert
trigger in the same statement, so the text is indexed in the same transaction.
"""

from __future__ import annotations

import sqlite3
from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from operator import attrgetter
from typing import TYPE_CHECKING

from .article_metadata import PROVENANCE_COLUMNS

if TYPE_CHECKING:
    from . import Store

ARTICLE_IMPORT_COLUMNS = (
    "title",
    "source",
    "date",
    "date_raw",
    "date_precision",
    "text",
    "file_name",
    "sha256",
    "encoding",
    "imported_at",
    *PROVENANCE_COLUMNS,
)
_INSERT = (
    f"INSERT INTO articles ({', '.join(ARTICLE_IMPORT_COLUMNS)}) "
    f"VALUES ({', '.join('?' * len(ARTICLE_IMPORT_COLUMNS))})"
)
_INSERT_WITH_ID = (
    f"INSERT INTO articles (id, {', '.join(ARTICLE_IMPORT_COLUMNS)}) "
    f"VALUES (?, {', '.join('?' * len(ARTICLE_IMPORT_COLUMNS))})"
)
_HASH_CHUNK = 500  # bound parameters per look-up (SQLite's limit is 32,766 since 3.32, 999 before)


@dataclass(frozen=True)
class NewArticle:
    """An article row without its local id: a parsed file, or an article arriving from a
    colleague's copy in a merge (keyed there by ``sha256``)."""

    title: str
    source: str | None
    date: str | None
    date_raw: str | None
    date_precision: str | None
    text: str
    file_name: str | None  # (always set by an import; a JSONL record may carry none)
    sha256: str
    encoding: str | None
    imported_at: str
    # where the text came from (core/readers): format, original file hash, extractor, ...
    url: str | None = None
    language: str | None = None
    author: str | None = None
    format: str | None = None
    original_sha256: str | None = None
    extractor: str | None = None
    extractor_version: str | None = None
    title_source: str | None = None
    date_source: str | None = None


@dataclass(frozen=True)
class InsertOutcome:
    """The article id a file ended as, and whether this call inserted it (else a duplicate)."""

    article_id: int
    inserted: bool


def stored_ids(c: sqlite3.Connection, hashes: Iterable[str]) -> dict[str, int]:
    """The id of every article among ``hashes`` already stored: one indexed look-up per chunk."""
    wanted = list(hashes)
    found: dict[str, int] = {}
    for i in range(0, len(wanted), _HASH_CHUNK):
        chunk = wanted[i : i + _HASH_CHUNK]
        sql = f"SELECT sha256, id FROM articles WHERE sha256 IN ({','.join('?' * len(chunk))})"
        found.update((str(h), int(i)) for h, i in c.execute(sql, chunk))
    return found


_values = attrgetter(*ARTICLE_IMPORT_COLUMNS)


def insert_rows(c: sqlite3.Connection, rows: Sequence[NewArticle]) -> dict[str, int]:
    """Insert rows whose texts are not stored (inside the caller's transaction); their ids by hash.
    A text already stored raises the UNIQUE constraint's IntegrityError, as one INSERT would."""
    c.executemany(_INSERT, map(_values, rows))
    return stored_ids(c, (r.sha256 for r in rows))


def insert_record(c: sqlite3.Connection, row: NewArticle, keep_id: int | None = None) -> int:
    """Insert one article (inside the caller's transaction) under ``keep_id`` when that id is free."""
    if keep_id is not None and c.execute("SELECT 1 FROM articles WHERE id = ?", (keep_id,)).fetchone() is None:
        cur = c.execute(_INSERT_WITH_ID, (keep_id, *_values(row)))
    else:
        cur = c.execute(_INSERT, _values(row))
    return int(cur.lastrowid or 0)


def insert_new_articles(store: Store, rows: Sequence[NewArticle], who: str = "") -> list[InsertOutcome]:
    """Insert a batch in one transaction; a row whose text is already stored (by anyone, up to
    the moment this transaction holds the write lock, or by an earlier row of this batch) is
    not inserted and gets the stored id."""
    if not rows:
        return []
    with store.transaction() as c:
        before = stored_ids(c, {r.sha256 for r in rows})
        new: dict[str, NewArticle] = {}
        for row in rows:
            if row.sha256 not in before:
                new.setdefault(row.sha256, row)
        ids = insert_rows(c, list(new.values())) if new else {}
        outcomes: list[InsertOutcome] = []
        for row in rows:
            if row.sha256 in before:
                outcomes.append(InsertOutcome(before[row.sha256], False))
            else:
                article_id = ids[row.sha256]
                first = new.pop(row.sha256, None) is not None  # a later row with the same text: a duplicate
                outcomes.append(InsertOutcome(article_id, first))
        added = [(o.article_id, r.file_name) for o, r in zip(outcomes, rows, strict=True) if o.inserted]
        if added:
            store._log(
                c,
                who,
                "import",
                "article",
                f"{added[0][0]}-{added[-1][0]}",
                None,
                {"articles": [{"id": i, "file_name": name} for i, name in added]},
            )
    store._articles_version += 1
    return outcomes
