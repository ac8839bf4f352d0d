"""SQL for team work: portable item snapshots for merging and the conflict queue (the gold
layer, agreement inputs and publishing are in ``team_layers.py``). Functions over a
``Store`` or a read-only connection; the rows they give are in ``team_rows.py``.
"""

from __future__ import annotations

import json
import sqlite3
from collections.abc import Iterable, Iterator, Mapping, Sequence
from pathlib import Path
from typing import Any

from ..errors import StoreError
from ..jsonvalue import JSONObject, JSONValue, as_list, as_object
from ..rows import Label
from ..schema import TEAM_ITEMS
from .base import StoreBase, utc_now
from .connection import connect
from .imports import ARTICLE_IMPORT_COLUMNS, NewArticle, insert_record
from .team_rows import Conflict, Item, Snapshot

# Columns that are local to one file (integer keys, merge bookkeeping): never compared or copied.
_LOCAL = {"rowid", "rev", "session_id"}
KIND_ORDER = ("entity", "annotation", "relation", "evidence", "decision")


def open_readonly(path: Path) -> sqlite3.Connection:
    """The other copy, opened so that SQLite itself refuses any write to it."""
    if not path.is_file():
        raise StoreError(f"There is no database file at '{path}'.")
    try:
        conn = connect(path, readonly=True)
        tables = {r[0] for r in conn.execute("SELECT name FROM sqlite_master WHERE type = 'table'")}
    except sqlite3.DatabaseError as err:
        raise StoreError(f"'{path}' is not a readable kzpk database ({err}).") from None
    if "_sqlite_migrations" not in tables:
        conn.close()
        raise StoreError(f"'{path}' is not a kzpk database.")
    if "item_revs" not in tables:
        conn.close()
        raise StoreError(
            f"'{path}' comes from an older version of kzpk_desktop: open it once with this "
            "version (that upgrades it), then merge."
        )
    return conn


def _item_rows(conn: sqlite3.Connection, kind: str, sql: str, params: Sequence[str] = ()) -> Iterator[Item]:
    """The items a ``_ITEM_SQL`` query finds: ``_uuid`` and ``rev`` taken out, the local and
    dropped columns left out, the rest (in column order) as the item's data."""
    cur = conn.execute(sql, list(params))
    cols = [d[0] for d in cur.description]
    at_uuid, at_rev = cols.index("_uuid"), cols.index("rev")
    skip = _DROP[kind] | _LOCAL | {"_uuid"}
    keep = [(i, c) for i, c in enumerate(cols) if c not in skip]
    for row in cur:
        data: JSONObject = {c: row[i] for i, c in keep}
        yield Item(kind, row[at_uuid], row[at_rev], data)


_ITEM_SQL = {
    "entity": "SELECT e.*, e.uuid AS _uuid FROM entities e",
    "annotation": "SELECT ann.*, ann.id AS _uuid, a.sha256 AS _article, e.uuid AS _entity "
    "FROM annotations ann JOIN articles a ON a.id = ann.article_id "
    "LEFT JOIN entities e ON e.id = ann.entity_id",
    "relation": "SELECT r.*, r.id AS _uuid FROM relations r",
    "evidence": "SELECT ev.*, ev.uuid AS _uuid FROM evidence ev",
    "decision": "SELECT d.*, d.uuid AS _uuid FROM review_decisions d",
}
_ITEM_KEY = {
    "entity": "e.uuid",
    "annotation": "ann.id",
    "relation": "r.id",
    "evidence": "ev.uuid",
    "decision": "d.uuid",
}
_DROP = {
    "entity": {"id"},
    "annotation": {"article_id", "entity_id"},
    "relation": set(),
    "evidence": {"id"},
    "decision": {"id"},
}
_CHUNK = 500  # ids per ``IN (...)``: well under SQLite's bound-parameter limit


def _chunks(ids: Iterable[str], size: int = _CHUNK) -> Iterator[list[str]]:
    batch: list[str] = []
    for i in ids:
        batch.append(i)
        if len(batch) == size:
            yield batch
            batch = []
    if batch:
        yield batch


def differing(mine: sqlite3.Connection, theirs: sqlite3.Connection) -> dict[str, frozenset[str]]:
    """Per kind (entities apart, which are always read whole), the ids a merge must look at:
    those theirs holds at another revision than mine or mine lacks, and those mine holds that
    theirs deleted. Every other id is the same on both sides or new here and untouched there,
    where the merge does nothing; so only these few rows are read in full.

    Only ``(id, rev)`` pairs are read (as bytes, skipping the text decoder): mine into a dict,
    theirs streamed past it.
    """
    out: dict[str, frozenset[str]] = {}
    for kind in KIND_ORDER:
        if kind == "entity":
            continue
        table, col = TEAM_ITEMS[kind]
        pairs = f"SELECT CAST({col} AS BLOB), CAST(rev AS BLOB) FROM {table}"
        revs: dict[bytes, bytes | None] = dict(mine.execute(pairs))
        found = {uid for uid, rev in theirs.execute(pairs) if revs.get(uid, b"") != rev}
        for (uid,) in theirs.execute("SELECT CAST(uuid AS BLOB) FROM tombstones WHERE kind = ?", (kind,)):
            if uid in revs:
                found.add(uid)
        del revs
        out[kind] = frozenset(u.decode("utf-8", "replace") for u in found)
    return out


def snapshot(
    conn: sqlite3.Connection,
    own_transaction: bool = True,
    only: Mapping[str, frozenset[str]] | None = None,
    article_rows: bool = True,
    articles_except: frozenset[str] = frozenset(),
) -> Snapshot:
    """Read a copy in portable form (in one read transaction, so it is consistent; or in the
    caller's, when ``own_transaction`` is false).

    ``only`` limits each kind but entities to these ids (see :func:`differing`); without
    ``article_rows`` the articles map holds only the hashes (as keys of empty rows); articles
    whose hash is in ``articles_except`` are left out.
    """
    if own_transaction:
        conn.execute("BEGIN")
    try:
        return _snapshot(conn, only, article_rows, articles_except)
    finally:
        if own_transaction:
            conn.execute("ROLLBACK")


def _items(conn: sqlite3.Connection, kind: str, ids: frozenset[str] | None) -> dict[str, Item]:
    if ids is None:
        return {item.uuid: item for item in _item_rows(conn, kind, _ITEM_SQL[kind])}
    found: dict[str, Item] = {}
    for chunk in _chunks(sorted(ids)):
        sql = f"{_ITEM_SQL[kind]} WHERE {_ITEM_KEY[kind]} IN ({', '.join('?' * len(chunk))})"
        found.update((item.uuid, item) for item in _item_rows(conn, kind, sql, chunk))
    return found


def _snapshot(
    conn: sqlite3.Connection,
    only: Mapping[str, frozenset[str]] | None,
    article_rows: bool,
    articles_except: frozenset[str],
) -> Snapshot:
    items: dict[str, dict[str, Item]] = {}
    for kind in KIND_ORDER:
        items[kind] = _items(conn, kind, None if only is None or kind == "entity" else only.get(kind, frozenset()))
    if items["entity"]:
        parties: dict[str, list[JSONValue]] = {}
        for agreement, actor in conn.execute(
            "SELECT g.uuid, a.uuid FROM agreement_parties p JOIN entities g ON g.id = p.agreement_id "
            "JOIN entities a ON a.id = p.actor_id ORDER BY 1, 2"
        ):
            parties.setdefault(agreement, []).append(actor)
        for uid, item in list(items["entity"].items()):
            items["entity"][uid] = Item("entity", uid, item.rev, {**item.data, "_parties": parties.get(uid, [])})
    aliases: dict[str, set[str]] = {}
    for uid, alias in conn.execute(
        "SELECT e.uuid, x.alias FROM entity_aliases x JOIN entities e ON e.id = x.entity_id"
    ):
        aliases.setdefault(uid, set()).add(alias)
    ancestors: dict[tuple[str, str], set[str]] = {}
    if only is None:
        for kind, uid, rev in conn.execute("SELECT kind, uuid, rev FROM item_revs"):
            ancestors.setdefault((kind, uid), set()).add(rev)
    else:
        for kind in KIND_ORDER:
            wanted = set(items[kind]) | set(only.get(kind, frozenset()))
            for chunk in _chunks(sorted(wanted)):
                for uid, rev in conn.execute(
                    f"SELECT uuid, rev FROM item_revs WHERE kind = ? AND uuid IN ({', '.join('?' * len(chunk))})",
                    [kind, *chunk],
                ):
                    ancestors.setdefault((kind, uid), set()).add(rev)
    tombstones = {(k, u): r for k, u, r in conn.execute("SELECT kind, uuid, rev FROM tombstones")}
    hashes = conn.execute("SELECT id, sha256 FROM articles").fetchall()
    articles: dict[str, NewArticle] = {}
    if article_rows:
        wanted_ids = [rid for rid, sha in hashes if sha not in articles_except]
        present = {r[1] for r in conn.execute("PRAGMA table_info(articles)")}
        # a copy a few versions older lacks the provenance columns: they travel as unknown
        cols = ", ".join(f if f in present else f"NULL AS {f}" for f in ARTICLE_IMPORT_COLUMNS)
        for i in range(0, len(wanted_ids), _CHUNK):
            chunk_ids = wanted_ids[i : i + _CHUNK]
            sql = f"SELECT {cols} FROM articles WHERE id IN ({', '.join('?' * len(chunk_ids))}) ORDER BY id"
            for r in conn.execute(sql, chunk_ids):
                article = NewArticle(*r)
                articles[article.sha256] = article
    labels = {
        label.id: label for label in map(Label.from_row, conn.execute(f"SELECT {', '.join(Label.FIELDS)} FROM labels"))
    }
    alias_map = dict(conn.execute("SELECT uuid, entity_uuid FROM entity_uuid_alias").fetchall())
    row = conn.execute("SELECT value FROM settings WHERE key = 'db_uuid'").fetchone()
    return Snapshot(
        row[0] if row else "",
        items,
        {k: frozenset(v) for k, v in ancestors.items()},
        tombstones,
        frozenset(sha for _rid, sha in hashes),
        articles,
        labels,
        alias_map,
        {k: frozenset(v) for k, v in aliases.items()},
    )


def mentions_of(conn: sqlite3.Connection, entity_uuid: str) -> list[str]:
    """The spans that point at an entity, in table order (what a same-name offer carries)."""
    return [
        r[0]
        for r in conn.execute(
            "SELECT ann.id FROM annotations ann JOIN entities e ON e.id = ann.entity_id WHERE e.uuid = ? "
            "ORDER BY ann.rowid",
            (entity_uuid,),
        )
    ]


class TeamRepo:
    """The writes of a merge, a conflict resolution and adjudication (inside the caller's
    transaction: :func:`operations.base.run` opens it)."""

    def __init__(self, store: StoreBase) -> None:
        self.store = store
        self.c = store.conn

    # --- merge writes ------------------------------------------------------------------
    def article_ids(self) -> dict[str, int]:
        return dict(self.c.execute("SELECT sha256, id FROM articles").fetchall())

    def entity_ids(self) -> dict[str, int]:
        return dict(self.c.execute("SELECT uuid, id FROM entities").fetchall())

    def insert_article(self, article: NewArticle, who: str) -> int:
        article_id = insert_record(self.c, article)
        self.store._log(self.c, who, "merge", "article", str(article_id), None, {"sha256": article.sha256})
        return article_id

    def insert_label(self, label: Label, who: str) -> None:
        row = label.as_dict()
        self.c.execute(
            f"INSERT OR IGNORE INTO labels ({', '.join(row)}) VALUES ({', '.join('?' * len(row))})",
            list(row.values()),
        )
        self.store._log(self.c, who, "merge", "label", label.id, None, label.as_json())

    def _local(self, item: Item, article_ids: Mapping[str, int], entity_ids: Mapping[str, int]) -> JSONObject:
        """The item's columns with this file's integer keys in place of its stable references."""
        data: JSONObject = {k: v for k, v in item.data.items() if not k.startswith("_")}
        if item.kind == "annotation":
            data["article_id"] = article_ids[_ref(item, "_article")]
            entity = item.data["_entity"]
            data["entity_id"] = entity_ids.get(_ref(item, "_entity")) if entity else None
        return data

    def upsert(
        self,
        item: Item,
        article_ids: Mapping[str, int],
        entity_ids: Mapping[str, int],
        who: str,
        before: JSONObject | None,
    ) -> bool:
        """Write ``item`` (with its revision, so the update trigger does not bump it); False when
        the same link already exists here under another id."""
        table, col = TEAM_ITEMS[item.kind]
        data: JSONObject = {**self._local(item, article_ids, entity_ids), "rev": item.rev}
        if item.kind == "entity":
            data = {k: v for k, v in data.items() if k != "id"}
        quoted = [f'"{k}"' for k in data]
        if before is None:
            try:
                self.c.execute(
                    f"INSERT INTO {table} ({', '.join(quoted)}) VALUES ({', '.join('?' * len(data))})",
                    list(data.values()),
                )
            except sqlite3.IntegrityError as err:
                if item.kind == "relation":  # the same link made on both sides under two ids
                    return False
                raise StoreError(f"The merge stopped at {item.kind} {item.uuid}: {err}.") from None
        else:
            sets = ", ".join(f"{q} = ?" for q in quoted if q not in ('"start"', '"end"', '"text"', '"article_id"'))
            values = [v for k, v in data.items() if k not in ("start", "end", "text", "article_id")]
            self.c.execute(f"UPDATE {table} SET {sets} WHERE {col} = ?", [*values, item.uuid])
        if item.kind == "entity":
            entity_id = self.c.execute("SELECT id FROM entities WHERE uuid = ?", (item.uuid,)).fetchone()[0]
            for party in as_list(item.data.get("_parties", []), "an agreement's parties"):
                self.c.execute(
                    "INSERT OR IGNORE INTO agreement_parties (agreement_id, actor_id) "
                    "SELECT ?, id FROM entities WHERE uuid = ?",
                    (entity_id, party),
                )
        self.store._log(
            self.c,
            who,
            "merge",
            item.kind,
            item.uuid,
            dict(before) if before else None,
            {k: v for k, v in item.data.items() if k != "text"},
        )
        return True

    def add_aliases(self, entity_uuid: str, aliases: Iterable[str]) -> None:
        self.c.executemany(
            "INSERT OR IGNORE INTO entity_aliases (entity_id, alias) SELECT id, ? FROM entities WHERE uuid = ?",
            [(a, entity_uuid) for a in aliases],
        )

    def delete(self, kind: str, uuid: str, who: str, before: JSONObject) -> None:
        table, col = TEAM_ITEMS[kind]
        self.c.execute(f"DELETE FROM {table} WHERE {col} = ?", (uuid,))
        self.store._log(self.c, who, "merge_delete", kind, uuid, dict(before), None)

    def add_revs(self, kind: str, uuid: str, revs: Iterable[str | None]) -> None:
        self.c.executemany(
            "INSERT OR IGNORE INTO item_revs (kind, uuid, rev) VALUES (?, ?, ?)", [(kind, uuid, r) for r in revs if r]
        )

    def add_tombstone(self, kind: str, uuid: str, rev: str | None) -> None:
        self.c.execute(
            "INSERT OR IGNORE INTO tombstones (kind, uuid, rev, deleted_at) VALUES (?, ?, ?, ?)",
            (kind, uuid, rev, utc_now()),
        )

    def alias_entity(self, their_uuid: str, my_uuid: str) -> None:
        self.c.execute(
            "INSERT OR REPLACE INTO entity_uuid_alias (uuid, entity_uuid) VALUES (?, ?)", (their_uuid, my_uuid)
        )

    def record_peer(self, peer_uuid: str, path: str, who: str) -> None:
        self.c.execute(
            "INSERT INTO merge_peers (peer_uuid, path, merged_at, who) VALUES (?, ?, ?, ?) "
            "ON CONFLICT(peer_uuid) DO UPDATE SET path = excluded.path, merged_at = excluded.merged_at, "
            "who = excluded.who",
            (peer_uuid, path, utc_now(), who),
        )

    # --- the conflict queue -------------------------------------------------------------
    def conflict_known(self, kind: str, uuid: str, mine_rev: str | None, theirs_rev: str | None) -> bool:
        return (
            self.c.execute(
                "SELECT 1 FROM merge_conflicts WHERE kind = ? AND uuid = ? AND mine_rev IS ? AND theirs_rev IS ?",
                (kind, uuid, mine_rev, theirs_rev),
            ).fetchone()
            is not None
        )

    def queue_conflict(
        self,
        kind: str,
        uuid: str,
        reason: str,
        peer_uuid: str,
        mine: Item | None,
        theirs: Item | None,
        mine_rev: str | None,
        theirs_rev: str | None,
        who: str,
    ) -> int:
        cur = self.c.execute(
            "INSERT INTO merge_conflicts (kind, uuid, reason, peer_uuid, mine_rev, theirs_rev, mine, theirs, "
            "queued_at) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?)",
            (
                kind,
                uuid,
                reason,
                peer_uuid,
                mine_rev,
                theirs_rev,
                json.dumps(dict(mine.data), ensure_ascii=False) if mine else None,
                json.dumps(dict(theirs.data), ensure_ascii=False) if theirs else None,
                utc_now(),
            ),
        )
        cid = int(cur.lastrowid or 0)
        self.store._log(self.c, who, "queue_conflict", kind, uuid, None, {"conflict": cid, "reason": reason})
        return cid

    def conflicts(self, *, pending_only: bool = True) -> list[Conflict]:
        rows = self.c.execute(
            f"SELECT {', '.join(Conflict.FIELDS)} FROM merge_conflicts "
            + ("WHERE resolved_at IS NULL " if pending_only else "")
            + "ORDER BY id",
        )
        return [_conflict(r) for r in rows]

    def conflict(self, conflict_id: int) -> Conflict:
        row = self.c.execute(
            f"SELECT {', '.join(Conflict.FIELDS)} FROM merge_conflicts WHERE id = ?", (conflict_id,)
        ).fetchone()
        if row is None:
            raise StoreError(f"There is no conflict {conflict_id}.")
        return _conflict(row)

    def mark_resolved(self, conflict_id: int, resolution: str | None, who: str, when: str | None = None) -> None:
        """``when`` (a resolution's own time) makes a redo write the same row as the first run."""
        at = (when or utc_now()) if resolution else None
        self.c.execute(
            "UPDATE merge_conflicts SET resolved_at = ?, resolved_by = ?, resolution = ? WHERE id = ?",
            (at, who if resolution else None, resolution, conflict_id),
        )
        self.store._log(
            self.c,
            who,
            "resolve" if resolution else "unresolve",
            "conflict",
            str(conflict_id),
            None,
            {"resolution": resolution},
        )

    def current(self, kind: str, uuid: str) -> Item | None:
        """One item of this file in portable form (for conflict resolution and its undo)."""
        where = {
            "entity": "e.uuid",
            "annotation": "ann.id",
            "relation": "r.id",
            "evidence": "ev.uuid",
            "decision": "d.uuid",
        }[kind]
        return next(_item_rows(self.c, kind, f"{_ITEM_SQL[kind]} WHERE {where} = ?", [uuid]), None)

    # --- what a conflict resolution changes, to put it back on undo ---------------------
    def tombstone(self, kind: str, uuid: str) -> tuple[bool, str | None]:
        row = self.c.execute("SELECT rev FROM tombstones WHERE kind = ? AND uuid = ?", (kind, uuid)).fetchone()
        return (row is not None, row[0] if row else None)

    def put_tombstone(self, kind: str, uuid: str, present: bool, rev: str | None) -> None:
        self.c.execute("DELETE FROM tombstones WHERE kind = ? AND uuid = ?", (kind, uuid))
        if present:
            self.add_tombstone(kind, uuid, rev)

    def revs(self, kind: str, uuid: str) -> frozenset[str]:
        return frozenset(
            r[0] for r in self.c.execute("SELECT rev FROM item_revs WHERE kind = ? AND uuid = ?", (kind, uuid))
        )

    def keep_only_revs(self, kind: str, uuid: str, keep: frozenset[str]) -> None:
        for rev in self.revs(kind, uuid) - keep:
            self.c.execute("DELETE FROM item_revs WHERE kind = ? AND uuid = ? AND rev = ?", (kind, uuid, rev))

    def alias_target(self, uuid: str) -> str | None:
        row = self.c.execute("SELECT entity_uuid FROM entity_uuid_alias WHERE uuid = ?", (uuid,)).fetchone()
        return row[0] if row else None

    def put_alias(self, uuid: str, target: str | None) -> None:
        self.c.execute("DELETE FROM entity_uuid_alias WHERE uuid = ?", (uuid,))
        if target is not None:
            self.alias_entity(uuid, target)

    def unlinked(self, annotation_ids: Iterable[str]) -> tuple[tuple[str, str, frozenset[str]], ...]:
        """Of these spans, the ones linked to no entity: (id, revision, revisions it replaced)."""
        out = []
        for a in annotation_ids:
            row = self.c.execute("SELECT entity_id, rev FROM annotations WHERE id = ?", (a,)).fetchone()
            if row and row[0] is None:
                out.append((a, row[1], self.revs("annotation", a)))
        return tuple(out)

    def unlink(self, spans: Iterable[tuple[str, str, frozenset[str]]], who: str) -> None:
        """Undo :meth:`repoint_mentions`: unlinked again, at the revision they had."""
        for a, rev, revs in spans:
            self.c.execute("UPDATE annotations SET entity_id = NULL, rev = ? WHERE id = ?", (rev, a))
            self.keep_only_revs("annotation", a, revs)
            self.store._log(self.c, who, "update", "annotation", a, None, {"entity_id": None})

    def put_item(self, kind: str, uuid: str, item: Item | None, who: str) -> None:
        """Make the item exactly ``item`` again (data and revision), or absent."""
        current = self.current(kind, uuid)
        if item is None:
            if current is not None:
                self.delete(kind, uuid, who, current.data)
            return
        self.upsert(item, self.article_ids(), self.entity_ids(), who, current.data if current else None)

    def repoint_mentions(self, new_revs: Mapping[str, str], entity_uuid: str, who: str) -> None:
        """Link a colleague's spans of an entity merged into mine to mine (unlinked ones only),
        each at the given new revision (so a redo gives the same one)."""
        entity_id = self.c.execute("SELECT id FROM entities WHERE uuid = ?", (entity_uuid,)).fetchone()[0]
        for a, rev in new_revs.items():
            row = self.c.execute("SELECT rev FROM annotations WHERE id = ? AND entity_id IS NULL", (a,)).fetchone()
            if row is None:
                continue
            self.c.execute("UPDATE annotations SET entity_id = ?, rev = ? WHERE id = ?", (entity_id, rev, a))
            self.add_revs("annotation", a, (row[0],))
            self.store._log(self.c, who, "update", "annotation", a, {"entity_id": None}, {"entity_id": entity_id})

    def update_entity_fields(self, uuid: str, data: JSONObject, rev: str | None = None) -> None:
        """Another version's fields on my entity (``rev`` given: exactly that revision, for an undo)."""
        keep: JSONObject = {k: v for k, v in data.items() if not k.startswith("_") and k not in ("uuid", "created_at")}
        if rev is not None:
            keep["rev"] = rev
        self.c.execute(
            f"UPDATE entities SET {', '.join(f'{k} = ?' for k in keep)} WHERE uuid = ?", [*keep.values(), uuid]
        )


def entity_uuid_taken(store: StoreBase, uuid: str) -> bool:
    return store.conn.execute("SELECT 1 FROM entities WHERE uuid = ?", (uuid,)).fetchone() is not None


def _ref(item: Item, key: str) -> str:
    """A stable reference (``_article``, ``_entity``) in an item's data, which is a string."""
    value = item.data[key]
    if not isinstance(value, str):
        raise StoreError(f"The {item.kind} {item.uuid} has no usable {key.strip('_')} reference ({value!r}).")
    return value


def _version(text: str | None, what: str) -> JSONObject | None:
    return as_object(json.loads(text), what) if text else None


def _conflict(r: Sequence[Any]) -> Conflict:
    """From a SELECT of ``Conflict.FIELDS``; the two versions parsed from their JSON text."""
    (cid, kind, uuid, reason, peer, mine_rev, theirs_rev, mine, theirs, queued_at, resolved_at, resolved_by, res) = r
    return Conflict(
        cid,
        kind,
        uuid,
        reason,
        peer,
        mine_rev,
        theirs_rev,
        _version(mine, f"conflict {cid}'s version here"),
        _version(theirs, f"conflict {cid}'s other version"),
        queued_at,
        resolved_at,
        resolved_by,
        res,
    )
