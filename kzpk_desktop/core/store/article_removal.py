"""Taking back an import: remove the articles it added, and put them back exactly (a redo).

An import commits batch by batch (a crash half-way keeps what was saved), so it cannot be one
transaction; what it added becomes one undo step instead, whose inverse is this removal. The
removed rows are kept whole (every column, the progress status) so that a redo writes the
same rows under the same ids: the undo history's rule that redo restores what undo took.
"""

from __future__ import annotations

import sqlite3
from collections.abc import Sequence
from dataclasses import dataclass

from ..errors import StoreError
from .base import StoreBase

SqlValue = str | int | float | bytes | None
_CHUNK = 500  # ids per statement (SQLite's variable limit is 32,766; this keeps statements short)


@dataclass(frozen=True, slots=True)
class StoredArticle:
    """One article row as stored: its columns' values in ``columns`` order, and its status."""

    columns: tuple[str, ...]
    values: tuple[SqlValue, ...]
    status: str

    @property
    def id(self) -> int:
        return int(self.values[self.columns.index("id")] or 0)


def remove_articles(store: StoreBase, ids: Sequence[int], who: str) -> tuple[StoredArticle, ...]:
    """Delete these articles (the undo of their import) and return them whole.

    Refused, with nothing changed, when one of them has spans now (they would go with it): the
    researcher undoes or deletes those first. Articles already gone are skipped."""
    removed: list[StoredArticle] = []
    with store.transaction() as c:
        for i in range(0, len(ids), _CHUNK):
            chunk = list(ids[i : i + _CHUNK])
            marks = ",".join("?" * len(chunk))
            tagged = c.execute(
                f"SELECT article_id, count(*) FROM annotations WHERE article_id IN ({marks}) "
                "GROUP BY article_id ORDER BY article_id LIMIT 1",
                chunk,
            ).fetchone()
            if tagged is not None:
                raise StoreError(
                    f"article {tagged[0]} has {tagged[1]} span(s) now; delete or undo them before "
                    "taking back the import that added it."
                )
            rejected = c.execute(
                f"SELECT min(article_id) FROM rejected_suggestions WHERE article_id IN ({marks})",
                chunk,
            ).fetchone()
            if rejected[0] is not None:  # (they would go with it: ON DELETE CASCADE)
                raise StoreError(
                    f"article {rejected[0]} has entity suggestions turned down since; the import that "
                    "added it can no longer be taken back."
                )
            cur = c.execute(
                f"SELECT a.*, p.status FROM articles a LEFT JOIN article_progress p ON p.article_id = a.id "
                f"WHERE a.id IN ({marks}) ORDER BY a.id",
                chunk,
            )
            columns = tuple(d[0] for d in cur.description[:-1])
            for row in cur.fetchall():
                removed.append(StoredArticle(columns, tuple(row[:-1]), str(row[-1] or "not_started")))
            c.execute(f"DELETE FROM articles WHERE id IN ({marks})", chunk)  # FTS and progress follow
        if removed:
            first, last = removed[0].id, removed[-1].id
            store._log(c, who, "delete", "articles", f"{first}..{last}", {"count": len(removed)}, None)
    store._articles_version += 1
    if store._text_cache is not None and store._text_cache[0] in {r.id for r in removed}:
        store._text_cache = None
    return tuple(removed)


def restore_articles(store: StoreBase, rows: Sequence[StoredArticle], who: str) -> list[int]:
    """Put removed articles back under their ids, as they were (the redo of an import)."""
    with store.transaction() as c:
        for row in rows:
            sha = row.values[row.columns.index("sha256")]
            again = c.execute("SELECT id FROM articles WHERE sha256 = ?", (sha,)).fetchone()
            if again is not None:
                raise StoreError(
                    f"the text of article {row.id} was imported again since (now article {again[0]}); "
                    "the import cannot be redone."
                )
            if c.execute("SELECT 1 FROM articles WHERE id = ?", (row.id,)).fetchone():
                raise StoreError(f"article id {row.id} went to another article since; the import cannot be redone.")
            cols = ", ".join(f'"{col}"' for col in row.columns)
            try:
                c.execute(f"INSERT INTO articles ({cols}) VALUES ({', '.join('?' * len(row.values))})", row.values)
            except sqlite3.IntegrityError as err:  # (a constraint added since: a sentence, not a traceback)
                raise StoreError(f"article {row.id} cannot be put back ({err}); the import cannot be redone.") from err
            c.execute("UPDATE article_progress SET status = ? WHERE article_id = ?", (row.status, row.id))
        if rows:
            store._log(c, who, "insert", "articles", f"{rows[0].id}..{rows[-1].id}", None, {"count": len(rows)})
    store._articles_version += 1
    return [row.id for row in rows]
