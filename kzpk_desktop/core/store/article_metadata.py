"""An article's editable metadata and provenance: read one, write some (with history).

Kept apart from the articles repository so the metadata-edit feature's SQL stays in one place.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass, fields
from typing import TYPE_CHECKING

from ..errors import NotFoundError, StoreError
from ..rows import FieldChanges, Value

if TYPE_CHECKING:
    from . import Store

PROVENANCE_COLUMNS = (
    "url",
    "language",
    "author",
    "format",
    "original_sha256",
    "extractor",
    "extractor_version",
    "title_source",
    "date_source",
)
METADATA_COLUMNS = (
    "title",
    "date",
    "date_raw",
    "date_precision",
    "source",
    "url",
    "language",
    "author",
    "title_source",
    "date_source",
)


@dataclass(frozen=True)
class ArticleMetadata:
    """The stored values a researcher can correct, and where the title and date came from."""

    title: str
    date: str | None
    date_raw: str | None
    date_precision: str | None
    source: str | None
    url: str | None
    language: str | None
    author: str | None
    title_source: str | None
    date_source: str | None

    def values(self) -> FieldChanges:
        return {f.name: getattr(self, f.name) for f in fields(self)}


def article_metadata(store: Store, article_id: int) -> ArticleMetadata:
    row = store.conn.execute(
        f"SELECT {', '.join(METADATA_COLUMNS)} FROM articles WHERE id = ?", (article_id,)
    ).fetchone()
    if row is None:
        raise NotFoundError(f"There is no article with id {article_id}.")
    return ArticleMetadata(*row)


def write_article_metadata(
    store: Store, article_id: int, values: Mapping[str, Value], who: str = ""
) -> ArticleMetadata:
    """Set some metadata columns in one transaction with a history row; returns the old values."""
    bad = set(values) - set(METADATA_COLUMNS)
    if bad:
        raise StoreError(f"These article fields cannot be edited: {', '.join(sorted(bad))}.")
    with store.transaction() as c:
        before = article_metadata(store, article_id)
        old = {k: getattr(before, k) for k in values}
        if old != values:
            sets = ", ".join(f"{k} = ?" for k in values)
            c.execute(f"UPDATE articles SET {sets} WHERE id = ?", [*values.values(), article_id])
            store._log(c, who, "update", "article", str(article_id), old, dict(values))
            store._articles_version += 1
    return before
