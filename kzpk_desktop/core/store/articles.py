"""Articles: batch inserts, the lazy list's ids and pages, full-text search, status."""

from __future__ import annotations

import sqlite3
from collections.abc import Iterable, Iterator, Sequence
from itertools import starmap
from typing import Any

from ..errors import NotFoundError, StoreError
from ..rows import Article, ArticleSummary, ArticleTableRow
from .base import (
    ARTICLE_LIST_COLUMNS,
    ARTICLE_SORT_KEYS,
    ARTICLES_JOIN,
    ArticleFilter,
    Repository,
    date_range,
    fts_query,
)
from .id_lists import read_ids
from .imports import NewArticle, insert_record, insert_rows

# Article's fields in order (a later schema step's extra columns stay out of ``Article(*row)``).
_ARTICLE_SELECT = ", ".join(("p." if f in ("n_annotations", "status") else "a.") + f for f in Article.FIELDS)
_SORTED_SQL = {
    "a.": "SELECT id FROM articles ORDER BY {key} {dir}, id {dir}",
    "p.": "SELECT article_id FROM article_progress ORDER BY {key} {dir}, article_id {dir}",
}


class ArticlesRepository(Repository):
    """Articles: their text, metadata, progress status and the list's order and filters."""

    # --- articles -------------------------------------------------------------------------
    def known_hashes(self, hashes: Iterable[str]) -> set[str]:
        hashes = list(hashes)
        found: set[str] = set()
        for i in range(0, len(hashes), 500):
            chunk = hashes[i : i + 500]
            marks = ",".join("?" * len(chunk))
            found.update(
                r[0] for r in self.conn.execute(f"SELECT sha256 FROM articles WHERE sha256 IN ({marks})", chunk)
            )
        return found

    def insert_articles(self, rows: Sequence[NewArticle]) -> list[int]:
        """Insert a batch of new articles in one transaction; returns their ids, in order.
        (The benchmark corpus builder and tests: a text already stored is an IntegrityError.)"""
        with self.transaction() as c:
            ids = insert_rows(c, rows)
        self.store._articles_version += 1
        return [ids[r.sha256] for r in rows]

    def get(self, article_id: int) -> Article:
        """Every stored field of an article, with its span count and progress status."""
        cur = self.conn.execute(
            f"SELECT a.*, p.n_annotations, p.status FROM {ARTICLES_JOIN} WHERE a.id = ?", (article_id,)
        )
        row = cur.fetchone()
        if row is None:
            raise NotFoundError(f"There is no article with id {article_id}.")
        return Article.from_named([d[0] for d in cur.description], row)

    def article_listing(self) -> list[ArticleSummary]:
        """Metadata of every article (no text), by id: what ``kzpk articles`` prints."""
        cur = self.conn.execute(
            "SELECT a.id, a.title, a.source, a.date, a.date_precision, a.date_source, a.url, a.language, a.author, "
            "a.format, a.file_name, a.sha256, a.encoding, "
            f"p.status, p.n_annotations FROM {ARTICLES_JOIN} ORDER BY a.id"
        )
        return list(map(ArticleSummary._make, cur))

    def text(self, article_id: int) -> str:
        if self.store._text_cache and self.store._text_cache[0] == article_id:
            return self.store._text_cache[1]
        row = self.conn.execute("SELECT text FROM articles WHERE id = ?", (article_id,)).fetchone()
        if row is None:
            raise NotFoundError(f"There is no article with id {article_id}.")
        text = str(row[0])
        self.store._text_cache = (article_id, text)
        return text

    def iter_articles(self) -> Iterator[Article]:
        """Every article with its text and progress, by id (streamed)."""
        cur = self.conn.execute(f"SELECT {_ARTICLE_SELECT} FROM {ARTICLES_JOIN} ORDER BY a.id")
        return starmap(Article, cur)

    def article_id_by_hash(self, sha256: str) -> int | None:
        row = self.conn.execute("SELECT id FROM articles WHERE sha256 = ?", (sha256,)).fetchone()
        return int(row[0]) if row else None

    def insert_article_record(
        self, record: NewArticle, *, keep_id: int | None = None, status: str | None = None
    ) -> int:
        """One article as exported elsewhere (JSONL): its id is kept when free here."""
        with self.transaction() as c:
            new_id = insert_record(c, record, keep_id)
            self.store._articles_version += 1
            if status is not None:
                c.execute("UPDATE article_progress SET status = ? WHERE article_id = ?", (status, new_id))
        return new_id

    def count(self) -> int:
        return int(self.conn.execute("SELECT count(*) FROM articles").fetchone()[0])

    # The list shows one sort order of all articles, narrowed by filters. Each order is
    # one indexed scan, cached until articles (or, for progress orders, spans) change; a
    # filter is a set of ids intersected with it. 100k ids: tens of ms, not a join per row.
    def _sorted_ids(self, sort: str, descending: bool) -> list[int]:
        key = ARTICLE_SORT_KEYS.get(sort, "a.date")
        progress = key.startswith("p.")
        stamp = (
            self.store._articles_version,
            self.conn.execute("PRAGMA data_version").fetchone()[0],
            self.conn.total_changes if progress else 0,
        )
        cache_key = (key, descending)
        cached = self.store._sorted_cache.get(cache_key)
        if cached is not None and cached[0] == stamp:
            return cached[1]
        direction = "DESC" if descending else "ASC"
        sql = _SORTED_SQL[key[:2]].format(key=key[2:], dir=direction)
        ids = read_ids(self.conn, sql)
        if len(self.store._sorted_cache) >= 4:
            self.store._sorted_cache.pop(next(iter(self.store._sorted_cache)))
        self.store._sorted_cache[cache_key] = (stamp, ids)
        return ids

    def _filter_ids(self, flt: ArticleFilter) -> set[int] | None:
        """The ids a filter lets through, or None when it filters nothing."""
        sets: list[set[int]] = []
        query = fts_query(flt.search) if flt.search else None
        if query:
            sets.append(
                {r[0] for r in self.conn.execute("SELECT rowid FROM articles_fts WHERE articles_fts MATCH ?", (query,))}
            )
        if flt.status:
            sets.append(
                {
                    r[0]
                    for r in self.conn.execute(
                        "SELECT article_id FROM article_progress WHERE status = ?", (flt.status,)
                    )
                }
            )
        if flt.source:
            sets.append({r[0] for r in self.conn.execute("SELECT id FROM articles WHERE source = ?", (flt.source,))})
        if flt.date_from or flt.date_to:
            where: list[str] = []
            params: list[Any] = []
            date_range("date", flt.date_from, flt.date_to, where, params)
            sets.append(
                {r[0] for r in self.conn.execute(f"SELECT id FROM articles WHERE {' AND '.join(where)}", params)}
            )
        if not sets:  # (a search of punctuation alone has no words to look for)
            return None
        sets.sort(key=len)
        return sets[0].intersection(*sets[1:])

    def article_ids(self, flt: ArticleFilter | None = None, sort: str = "date", descending: bool = True) -> list[int]:
        """Only the ids, in display order: the list model fetches row data lazily."""
        flt = flt or ArticleFilter()
        try:
            allowed = self._filter_ids(flt)
            ordered = self._sorted_ids(sort, descending)
        except sqlite3.OperationalError as err:
            raise StoreError(f"Search failed: {err}.") from None
        except sqlite3.DatabaseError as err:
            raise StoreError(f"'{self.path}' is damaged ({err}); restore it from a backup.") from None
        if allowed is None:
            return list(ordered)
        return [i for i in ordered if i in allowed]

    def article_rows(self, ids: Sequence[int]) -> dict[int, tuple[Any, ...]]:
        """List columns for a page of ids (at most a few hundred at a time)."""
        if not ids:
            return {}
        marks = ",".join("?" * len(ids))
        sql = f"SELECT {', '.join(ARTICLE_LIST_COLUMNS)} FROM {ARTICLES_JOIN} WHERE a.id IN ({marks})"
        return {r[0]: r for r in self.conn.execute(sql, list(ids))}

    def status(self, article_id: int) -> str:
        row = self.conn.execute("SELECT status FROM article_progress WHERE article_id = ?", (article_id,)).fetchone()
        if row is None:
            raise NotFoundError(f"There is no article with id {article_id}.")
        return str(row[0])

    def set_status(self, article_id: int, status: str, who: str = "") -> None:
        with self.transaction() as c:
            old = c.execute("SELECT status FROM article_progress WHERE article_id = ?", (article_id,)).fetchone()
            if old is None:
                raise NotFoundError(f"There is no article with id {article_id}.")
            c.execute("UPDATE article_progress SET status = ? WHERE article_id = ?", (status, article_id))
            self._log(c, who, "update", "article", str(article_id), {"status": old[0]}, {"status": status})

    def iter_article_table(self) -> Iterator[ArticleTableRow]:
        """One row per article: metadata, span counts by label, review progress."""
        sql = """
            SELECT a.id AS article_id, a.title, a.source, a.date, a.date_precision, a.date_source, a.url,
                   a.language, a.author, a.format, a.file_name, a.sha256,
                   length(a.text) AS characters, p.status, p.n_annotations AS annotations,
                   count(CASE WHEN x.label = 'claim' THEN 1 END) AS claims,
                   count(CASE WHEN x.label = 'actor' THEN 1 END) AS actors,
                   count(CASE WHEN x.label = 'agreement' THEN 1 END) AS agreements,
                   count(x.reviewed_at) AS reviewed,
                   count(x.id) - count(x.reviewed_at) AS unreviewed
            FROM articles a JOIN article_progress p ON p.article_id = a.id
            LEFT JOIN annotations x ON x.article_id = a.id
            GROUP BY a.id ORDER BY a.id
        """
        return map(ArticleTableRow._make, self.conn.execute(sql))
