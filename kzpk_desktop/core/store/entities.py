"""Canonical actors and agreements, aliases, parties, mentions, merging, suggestion data."""

from __future__ import annotations

import sqlite3
from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from typing import Any

from ..errors import NotFoundError, StoreError
from ..jsonvalue import JSONObject
from ..names import name_key, same_name
from ..rows import Entity, FieldChanges, Mention, Value
from .base import (
    ENTITY_FIELDS,
    Repository,
    utc_now,
)
from .fts import any_of_queries


@dataclass(frozen=True)
class MergeRecord:
    """What a merge moved, so that an undo can put every piece back."""

    keep_id: int
    dropped: Entity
    dropped_aliases: tuple[str, ...]
    dropped_parties: tuple[tuple[int, int], ...]
    moved: tuple[tuple[str, str], ...]  # (annotation id, its updated_at before the merge)
    added_aliases: tuple[str, ...]
    added_parties: tuple[tuple[int, int], ...]
    rejected: tuple[tuple[Any, ...], ...]
    stamp: str  # when the merge touched the mentions (a redo repeats it exactly)


class EntitiesRepository(Repository):
    """Canonical actors and agreements: names, aliases, parties, mentions, merges."""

    # --- entities -------------------------------------------------------------------------
    def _entity_row(self, c: sqlite3.Connection, entity_id: int) -> Entity | None:
        row = c.execute(f"SELECT {', '.join(ENTITY_FIELDS)} FROM entities WHERE id = ?", (entity_id,)).fetchone()
        return Entity.from_row(row) if row else None

    def get(self, entity_id: int) -> Entity:
        """One entity with its aliases and (an agreement's) parties."""
        row = self._entity_row(self.conn, entity_id)
        if row is None:
            raise NotFoundError(f"There is no entity with id {entity_id}.")
        aliases = tuple(
            a
            for (a,) in self.conn.execute(
                "SELECT alias FROM entity_aliases WHERE entity_id = ? ORDER BY alias", (entity_id,)
            )
        )
        parties = tuple(
            int(p)
            for (p,) in self.conn.execute(
                "SELECT actor_id FROM agreement_parties WHERE agreement_id = ? ORDER BY actor_id", (entity_id,)
            )
        )
        return row.replace(aliases=aliases, parties=parties)

    def all(self, kind: str | None = None) -> list[Entity]:
        """Every entity with its mention count, by kind then name."""
        where, params = ("WHERE e.kind = ?", [kind]) if kind else ("", [])
        cur = self.conn.execute(
            f"SELECT {', '.join('e.' + f for f in ENTITY_FIELDS)}, "
            "(SELECT count(*) FROM annotations a WHERE a.entity_id = e.id) AS mentions, "
            "(SELECT group_concat(alias, char(31)) FROM entity_aliases x WHERE x.entity_id = e.id) AS aliases "
            f"FROM entities e {where} ORDER BY e.kind, e.name_key",
            params,
        )
        n = len(ENTITY_FIELDS)
        return [
            Entity.from_row(r[:n]).replace(
                mentions=r[n], aliases=tuple(sorted(r[n + 1].split("\x1f"))) if r[n + 1] else ()
            )
            for r in cur
        ]

    def by_name(self, kind: str, name: str) -> int | None:
        """The entity whose canonical name or an alias has the same key (``names.name_key``)."""
        key = name_key(name)
        row = self.conn.execute(
            "SELECT id FROM entities WHERE kind = ? AND name_key = ? UNION ALL "
            "SELECT e.id FROM entity_aliases x JOIN entities e ON e.id = x.entity_id "
            "WHERE e.kind = ? AND x.alias_key = ? LIMIT 1",
            (kind, key, kind, key),
        ).fetchone()
        return int(row[0]) if row else None

    def id_taken(self, entity_id: int) -> bool:
        return self.conn.execute("SELECT 1 FROM entities WHERE id = ?", (entity_id,)).fetchone() is not None

    def names(self, kind: str) -> list[tuple[int, str, str]]:
        """(id, text to match, canonical name) for names and aliases: the completer's list."""
        cur = self.conn.execute(
            "SELECT id, name, name FROM entities WHERE kind = ? UNION ALL "
            "SELECT e.id, x.alias, e.name FROM entity_aliases x JOIN entities e ON e.id = x.entity_id "
            "WHERE e.kind = ? ORDER BY 2 COLLATE NOCASE",
            (kind, kind),
        )  # display order only
        return [(int(i), t, n) for i, t, n in cur]

    def insert(self, fields: Mapping[str, Value], aliases: Sequence[str], parties: Sequence[int], who: str) -> int:
        try:
            with self.transaction() as c:
                entity_id = self._insert_entity(c, fields)
                self._set_aliases(c, entity_id, aliases)
                self._set_parties(c, entity_id, parties)
                self._log(
                    c,
                    who,
                    "create",
                    "entity",
                    str(entity_id),
                    None,
                    {**fields, "aliases": list(aliases), "parties": list(parties)},
                )
        except sqlite3.IntegrityError as err:
            if "UNIQUE" in str(err):
                raise StoreError(f"There is already an {fields.get('kind')} called '{fields.get('name')}'.") from None
            raise StoreError(f"The entity was not saved: {err}.") from None
        return entity_id

    def _set_aliases(self, c: sqlite3.Connection, entity_id: int, aliases: Sequence[str]) -> None:
        c.execute("DELETE FROM entity_aliases WHERE entity_id = ?", (entity_id,))
        self._insert_aliases(c, entity_id, aliases)

    def _insert_entity(self, c: sqlite3.Connection, fields: Mapping[str, Value]) -> int:
        """The one INSERT of an entity: its name key is computed here, never by callers."""
        cols = [k for k in ENTITY_FIELDS if k in fields]
        cur = c.execute(
            f"INSERT INTO entities ({', '.join(cols)}, name_key) VALUES ({', '.join('?' * (len(cols) + 1))})",
            [*(fields[k] for k in cols), name_key(str(fields["name"]))],
        )
        return int(cur.lastrowid or 0)

    def _insert_aliases(self, c: sqlite3.Connection, entity_id: int, aliases: Sequence[str]) -> None:
        c.executemany(
            "INSERT OR IGNORE INTO entity_aliases (entity_id, alias, alias_key) VALUES (?, ?, ?)",
            [(entity_id, a, name_key(a)) for a in aliases],
        )

    def _set_parties(self, c: sqlite3.Connection, entity_id: int, parties: Sequence[int]) -> None:
        c.execute("DELETE FROM agreement_parties WHERE agreement_id = ?", (entity_id,))
        c.executemany(
            "INSERT OR IGNORE INTO agreement_parties (agreement_id, actor_id) VALUES (?, ?)",
            [(entity_id, p) for p in parties],
        )

    def update(
        self,
        entity_id: int,
        changes: FieldChanges,
        who: str,
        aliases: Sequence[str] | None = None,
        parties: Sequence[int] | None = None,
    ) -> None:
        try:
            with self.transaction() as c:
                before = self._entity_row(c, entity_id)
                if before is None:
                    raise NotFoundError(f"There is no entity with id {entity_id}.")
                stamp = changes.get("updated_at") or utc_now()  # an undo puts the old stamp back
                fields: FieldChanges = {
                    k: v for k, v in changes.items() if k in ENTITY_FIELDS and k not in ("id", "updated_at")
                }
                if fields:
                    fields["updated_at"] = stamp
                if "name" in fields:
                    fields["name_key"] = name_key(str(fields["name"]))
                    sets = ", ".join(f"{k} = ?" for k in fields)
                    c.execute(f"UPDATE entities SET {sets} WHERE id = ?", [*fields.values(), entity_id])
                logged: JSONObject = dict(fields)
                if aliases is not None:
                    self._set_aliases(c, entity_id, aliases)
                    logged["aliases"] = list(aliases)
                if parties is not None:
                    self._set_parties(c, entity_id, parties)
                    logged["parties"] = list(parties)
                old = before.as_dict()
                self._log(c, who, "update", "entity", str(entity_id), {k: old.get(k) for k in logged}, logged)
        except sqlite3.IntegrityError as err:
            raise StoreError(f"The entity was not saved: {err}.") from None

    def mentions(self, entity_id: int) -> list[Mention]:
        """Every span linked to an entity, with its article title, in corpus order."""
        return [
            Mention(*r)
            for r in self.conn.execute(
                'SELECT ann.id, ann.article_id, ann.start, ann."end", ann.label, ann.text, ann.status, '
                "a.title AS article_title, a.date AS article_date FROM annotations ann "
                "JOIN articles a ON a.id = ann.article_id WHERE ann.entity_id = ? "
                "ORDER BY a.date, ann.article_id, ann.start",
                [entity_id],
            )
        ]

    def merge(self, keep_id: int, drop_id: int, who: str, stamp: str | None = None) -> MergeRecord:
        """Fold ``drop`` into ``keep``: mentions, aliases (its name too) and parties move over.

        Returns what :meth:`unmerge` needs to take the merge back exactly.
        """
        if keep_id == drop_id:
            raise StoreError("Choose two different entities to merge.")
        with self.transaction() as c:
            keep, drop = self._entity_row(c, keep_id), self._entity_row(c, drop_id)
            if keep is None or drop is None:
                raise NotFoundError("One of the entities to merge no longer exists.")
            if keep.kind != drop.kind:
                raise StoreError(f"An {keep.kind} cannot be merged with an {drop.kind}.")
            moved = tuple(
                (r[0], r[1])
                for r in c.execute("SELECT id, updated_at FROM annotations WHERE entity_id = ?", (drop_id,))
            )
            drop_aliases = tuple(
                a
                for (a,) in c.execute("SELECT alias FROM entity_aliases WHERE entity_id = ? ORDER BY alias", (drop_id,))
            )
            keep_aliases = {a for (a,) in c.execute("SELECT alias FROM entity_aliases WHERE entity_id = ?", (keep_id,))}
            parties = tuple(
                (a, b)
                for a, b in c.execute(
                    "SELECT agreement_id, actor_id FROM agreement_parties WHERE agreement_id = ? OR actor_id = ?",
                    (drop_id, drop_id),
                )
            )
            keep_parties = {
                (a, b)
                for a, b in c.execute(
                    "SELECT agreement_id, actor_id FROM agreement_parties WHERE agreement_id = ? OR actor_id = ?",
                    (keep_id, keep_id),
                )
            }
            rejected = tuple(
                tuple(r)
                for r in c.execute(
                    'SELECT entity_id, article_id, start, "end" FROM rejected_suggestions WHERE entity_id = ?',
                    (drop_id,),
                )
            )
            stamp = stamp or utc_now()  # a redo gives the first merge's stamp back
            c.execute(
                "UPDATE annotations SET entity_id = ?, updated_at = ? WHERE entity_id = ?", (keep_id, stamp, drop_id)
            )
            wanted = [n for n in (drop.name, *drop_aliases) if not same_name(n, keep.name)]
            added_aliases = tuple(sorted({n for n in wanted if n not in keep_aliases}))
            self._insert_aliases(c, keep_id, added_aliases)
            moved_parties = {(keep_id if a == drop_id else a, keep_id if b == drop_id else b) for a, b in parties}
            added_parties = tuple(sorted(p for p in moved_parties if p not in keep_parties and p[0] != p[1]))
            c.executemany(
                "INSERT OR IGNORE INTO agreement_parties (agreement_id, actor_id) VALUES (?, ?)", added_parties
            )
            c.execute("DELETE FROM entities WHERE id = ?", (drop_id,))
            self._log(
                c,
                who,
                "merge",
                "entity",
                str(keep_id),
                {"merged": drop.as_json(), "annotations": [m[0] for m in moved]},
                {"kept": keep_id},
            )
        return MergeRecord(keep_id, drop, drop_aliases, parties, moved, added_aliases, added_parties, rejected, stamp)

    def unmerge(self, record: MergeRecord, who: str) -> None:
        """Take a merge back: the folded entity returns with its id, names, parties and mentions."""
        drop_id = record.dropped.id
        with self.transaction() as c:
            if self._entity_row(c, record.keep_id) is None:
                raise NotFoundError("the entity it was merged into no longer exists.")
            if self._entity_row(c, drop_id) is not None:
                raise StoreError(f"entity id {drop_id} is in use again.")
            self._insert_entity(c, record.dropped.as_dict())
            self._insert_aliases(c, drop_id, record.dropped_aliases)
            c.executemany(
                "DELETE FROM entity_aliases WHERE entity_id = ? AND alias = ?",
                [(record.keep_id, a) for a in record.added_aliases],
            )
            c.executemany("DELETE FROM agreement_parties WHERE agreement_id = ? AND actor_id = ?", record.added_parties)
            c.executemany(
                "INSERT OR IGNORE INTO agreement_parties (agreement_id, actor_id) VALUES (?, ?)", record.dropped_parties
            )
            c.executemany(
                "UPDATE annotations SET entity_id = ?, updated_at = ? WHERE id = ? AND entity_id = ?",
                [(drop_id, updated, ann_id, record.keep_id) for ann_id, updated in record.moved],
            )
            c.executemany(
                'INSERT OR IGNORE INTO rejected_suggestions (entity_id, article_id, start, "end") VALUES (?, ?, ?, ?)',
                record.rejected,
            )
            self._log(c, who, "unmerge", "entity", str(drop_id), {"kept": record.keep_id}, record.dropped.as_json())

    def insert_entity_row(
        self, row: Entity, aliases: Sequence[str], parties: Sequence[tuple[int, int]], who: str
    ) -> None:
        """Put back a deleted entity exactly (same id), for undo."""
        with self.transaction() as c:
            if self._entity_row(c, row.id) is not None:
                raise StoreError(f"entity id {row.id} is in use again.")
            self._insert_entity(c, row.as_dict())
            self._insert_aliases(c, row.id, aliases)
            c.executemany("INSERT OR IGNORE INTO agreement_parties (agreement_id, actor_id) VALUES (?, ?)", parties)
            self._log(c, who, "create", "entity", str(row.id), None, row.as_json())

    def entity_parties_rows(self, entity_id: int) -> list[tuple[int, int]]:
        """(agreement, actor) rows the entity takes part in, on either side."""
        return [
            (a, b)
            for a, b in self.conn.execute(
                "SELECT agreement_id, actor_id FROM agreement_parties WHERE agreement_id = ? OR actor_id = ?",
                (entity_id, entity_id),
            )
        ]

    def delete(self, entity_id: int, who: str) -> None:
        with self.transaction() as c:
            before = self._entity_row(c, entity_id)
            if before is None:
                raise NotFoundError(f"There is no entity with id {entity_id}.")
            c.execute("DELETE FROM entities WHERE id = ?", (entity_id,))
            self._log(c, who, "delete", "entity", str(entity_id), before.as_json(), None)

    # --- suggestions ------------------------------------------------------------------------
    def articles_matching_phrases(self, phrases: Sequence[str]) -> list[int]:
        """Articles whose index holds every word of at least one phrase (a cheap pre-filter:
        the caller finds the phrases in the text)."""
        query = any_of_queries(phrases)
        if query is None:
            return []
        return [
            r[0]
            for r in self.conn.execute(
                "SELECT rowid FROM articles_fts WHERE articles_fts MATCH ? ORDER BY rowid", (query,)
            )
        ]

    def spans_in_article(self, article_id: int, labels: Sequence[str] | None = None) -> list[tuple[int, int]]:
        where, params = "article_id = ?", [article_id]
        params_: list[Any] = params
        if labels:
            where += f" AND label IN ({','.join('?' * len(labels))})"
            params_.extend(labels)
        return [(s, e) for s, e in self.conn.execute(f'SELECT start, "end" FROM annotations WHERE {where}', params_)]

    def rejected_suggestions(self, entity_id: int) -> set[tuple[int, int, int]]:
        return {
            (a, s, e)
            for a, s, e in self.conn.execute(
                'SELECT article_id, start, "end" FROM rejected_suggestions WHERE entity_id = ?', (entity_id,)
            )
        }

    def reject_suggestion(self, entity_id: int, article_id: int, start: int, end: int, who: str = "") -> bool:
        """Remember a rejected mention; False if it was already rejected."""
        with self.transaction() as c:
            cur = c.execute(
                'INSERT OR IGNORE INTO rejected_suggestions (entity_id, article_id, start, "end") VALUES (?, ?, ?, ?)',
                (entity_id, article_id, start, end),
            )
            if cur.rowcount:
                self._log(
                    c,
                    who,
                    "reject",
                    "suggestion",
                    f"{entity_id}:{article_id}:{start}-{end}",
                    None,
                    {"entity_id": entity_id, "article_id": article_id, "start": start, "end": end},
                )
            return bool(cur.rowcount)

    def unreject_suggestion(self, entity_id: int, article_id: int, start: int, end: int, who: str = "") -> None:
        with self.transaction() as c:
            c.execute(
                'DELETE FROM rejected_suggestions WHERE entity_id = ? AND article_id = ? AND start = ? AND "end" = ?',
                (entity_id, article_id, start, end),
            )
            self._log(
                c,
                who,
                "unreject",
                "suggestion",
                f"{entity_id}:{article_id}:{start}-{end}",
                {"entity_id": entity_id, "article_id": article_id, "start": start, "end": end},
                None,
            )
