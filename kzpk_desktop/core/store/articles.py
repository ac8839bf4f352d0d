"""Articles: batch inserts, the lazy list's ids and pages, full-text search, status."""

from __future__ import annotations

import sqlite3
from collections.abc import Iterable, Iterator, Sequence
from typing import Any

from ..errors import NotFoundError, StoreError
from .base import (
    ARTICLE_LIST_COLUMNS,
    ARTICLE_SORT_KEYS,
    ArticleFilter,
    StoreBase,
    date_range,
    fts_query,
)


class ArticlesMixin(StoreBase):
    # --- articles -------------------------------------------------------------------------
    def known_hashes(self, hashes: Iterable[str]) -> set[str]:
        hashes = list(hashes)
        found: set[str] = set()
        for i in range(0, len(hashes), 500):
            chunk = hashes[i : i + 500]
            marks = ",".join("?" * len(chunk))
            found.update(r[0] for r in self.conn.execute(
                f"SELECT sha256 FROM articles WHERE sha256 IN ({marks})", chunk))
        return found

    def insert_articles(self, rows: Sequence[dict[str, Any]]) -> list[int]:
        """Insert a batch of new articles in one transaction; returns their ids."""
        cols = ("title", "source", "date", "date_raw", "date_precision", "text", "file_name",
                "sha256", "encoding", "imported_at")
        sql = f"INSERT INTO articles ({', '.join(cols)}) VALUES ({', '.join('?' * len(cols))})"
        ids: list[int] = []
        with self.transaction() as c:
            for row in rows:
                cur = c.execute(sql, [row.get(k) for k in cols])
                ids.append(int(cur.lastrowid or 0))
        return ids

    def article(self, article_id: int) -> dict[str, Any]:
        row = self.conn.execute("SELECT * FROM articles WHERE id = ?", (article_id,)).fetchone()
        if row is None:
            raise NotFoundError(f"There is no article with id {article_id}.")
        cols = [d[0] for d in self.conn.execute("SELECT * FROM articles LIMIT 0").description]
        return dict(zip(cols, row, strict=True))

    def article_text(self, article_id: int) -> str:
        if self._text_cache and self._text_cache[0] == article_id:
            return self._text_cache[1]
        row = self.conn.execute("SELECT text FROM articles WHERE id = ?", (article_id,)).fetchone()
        if row is None:
            raise NotFoundError(f"There is no article with id {article_id}.")
        self._text_cache = (article_id, row[0])
        return row[0]

    def article_count(self) -> int:
        return self.conn.execute("SELECT count(*) FROM articles").fetchone()[0]

    def _article_where(self, flt: ArticleFilter) -> tuple[str, list[Any]]:
        where, params = [], []
        query = fts_query(flt.search) if flt.search else None
        if query:
            where.append("id IN (SELECT rowid FROM articles_fts WHERE articles_fts MATCH ?)")
            params.append(query)
        if flt.status:
            where.append("status = ?")
            params.append(flt.status)
        if flt.source:
            where.append("source = ?")
            params.append(flt.source)
        date_range("date", flt.date_from, flt.date_to, where, params)
        return (" WHERE " + " AND ".join(where)) if where else "", params

    def article_ids(self, flt: ArticleFilter | None = None, sort: str = "date",
                    descending: bool = True) -> list[int]:
        """Only the ids, in display order: the list model fetches row data lazily."""
        flt = flt or ArticleFilter()
        where, params = self._article_where(flt)
        key = ARTICLE_SORT_KEYS.get(sort, "date")
        direction = "DESC" if descending else "ASC"
        sql = f"SELECT id FROM articles{where} ORDER BY {key} {direction}, id {direction}"
        try:
            return [r[0] for r in self.conn.execute(sql, params)]
        except sqlite3.OperationalError as err:
            raise StoreError(f"Search failed: {err}.") from None

    def article_rows(self, ids: Sequence[int]) -> dict[int, tuple[Any, ...]]:
        """List columns for a page of ids (at most a few hundred at a time)."""
        if not ids:
            return {}
        marks = ",".join("?" * len(ids))
        sql = f"SELECT {', '.join(ARTICLE_LIST_COLUMNS)} FROM articles WHERE id IN ({marks})"
        return {r[0]: r for r in self.conn.execute(sql, list(ids))}

    def set_article_status(self, article_id: int, status: str, who: str = "") -> None:
        with self.transaction() as c:
            old = c.execute("SELECT status FROM articles WHERE id = ?", (article_id,)).fetchone()
            if old is None:
                raise NotFoundError(f"There is no article with id {article_id}.")
            c.execute("UPDATE articles SET status = ? WHERE id = ?", (status, article_id))
            self._log(c, who, "update", "article", str(article_id),
                      {"status": old[0]}, {"status": status})

    def iter_article_table(self) -> Iterator[dict[str, Any]]:
        """One row per article: metadata, span counts by label, review progress."""
        sql = """
            SELECT a.id AS article_id, a.title, a.source, a.date, a.date_precision, a.file_name, a.sha256,
                   length(a.text) AS characters, a.status, a.n_annotations AS annotations,
                   count(CASE WHEN x.label = 'claim' THEN 1 END) AS claims,
                   count(CASE WHEN x.label = 'actor' THEN 1 END) AS actors,
                   count(CASE WHEN x.label = 'agreement' THEN 1 END) AS agreements,
                   count(x.reviewed_at) AS reviewed,
                   count(x.id) - count(x.reviewed_at) AS unreviewed
            FROM articles a LEFT JOIN annotations x ON x.article_id = a.id
            GROUP BY a.id ORDER BY a.id
        """
        cur = self.conn.execute(sql)
        cols = [d[0] for d in cur.description]
        for row in cur:
            yield dict(zip(cols, row, strict=True))
