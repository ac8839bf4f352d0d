"""Article import writes: the duplicate check and the insert in one ``BEGIN IMMEDIATE``.

Checking hashes first and inserting later let two imports of the same folder (two windows,
or the app and ``kzpk import``) both see a file as new; the second insert then hit the
UNIQUE constraint and ended in an IntegrityError traceback. ``ON CONFLICT(sha256) DO
NOTHING`` inside the write transaction makes the database decide: whoever commits first
imported the file, the other reports it as a duplicate of that article.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
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
    f"VALUES ({', '.join('?' * len(ARTICLE_IMPORT_COLUMNS))}) ON CONFLICT(sha256) DO NOTHING"
)


@dataclass(frozen=True)
class NewArticle:
    """One parsed file, as the articles table stores it."""

    title: str
    source: str | None
    date: str | None
    date_raw: str | None
    date_precision: str | None
    text: str
    file_name: str
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


def insert_new_articles(store: Store, rows: Sequence[NewArticle], who: str = "") -> list[InsertOutcome]:
    """Insert a batch in one transaction; a row whose text is already stored (by anyone, up to
    the moment this transaction holds the write lock) is not inserted and gets the stored id."""
    outcomes: list[InsertOutcome] = []
    if not rows:
        return outcomes
    with store.transaction() as c:
        for row in rows:
            cur = c.execute(_INSERT, [getattr(row, k) for k in ARTICLE_IMPORT_COLUMNS])
            if cur.rowcount == 1:
                outcomes.append(InsertOutcome(int(cur.lastrowid or 0), True))
            else:
                found = c.execute("SELECT id FROM articles WHERE sha256 = ?", (row.sha256,)).fetchone()
                outcomes.append(InsertOutcome(int(found[0]), False))
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
