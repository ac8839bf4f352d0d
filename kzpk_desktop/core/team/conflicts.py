"""Resolving one queued merge conflict: take my version or theirs, as an operation.

The chosen version gets a fresh revision that descends from both sides' revisions, so the
next merge in either direction sees it as newer than both and does not ask again.
"""

from __future__ import annotations

import hashlib
import uuid
from collections.abc import Mapping
from dataclasses import dataclass, field

from ..jsonvalue import JSONObject, as_list
from ..operations.base import Changes, OperationError, OpResult
from ..store import Store
from ..store.base import utc_now
from ..store.team import TeamRepo
from ..store.team_rows import Item

TAKES = ("mine", "theirs")


@dataclass(frozen=True)
class ResolveConflict:
    conflict_id: int
    take: str
    who: str
    fresh_rev: str = field(default_factory=lambda: uuid.uuid4().hex)  # the same on a redo
    at: str = field(default_factory=utc_now)  # ... and so is the time it was resolved

    @property
    def text(self) -> str:
        return f"Resolve conflict {self.conflict_id} ({self.take})"

    def apply(self, store: Store) -> OpResult:
        if self.take not in TAKES:
            raise OperationError(f"--take must be 'mine' or 'theirs', not '{self.take}'.")
        repo = TeamRepo(store)
        conflict = repo.conflict(self.conflict_id)
        if conflict.resolved_at is not None:
            raise OperationError(
                f"conflict {self.conflict_id} was resolved already ({conflict.resolution}, by {conflict.resolved_by})."
            )
        kind, uid = conflict.kind, conflict.uuid
        changes = Changes()
        same_name = conflict.reason == "same name on both sides"
        item_uuid = str(conflict.mine_rev) if same_name else uid  # for an offer, mine_rev holds my entity's id
        mentions = _mentions(conflict.theirs) if same_name else ()
        before = _State(
            repo.current(kind, item_uuid),
            *repo.tombstone(kind, item_uuid),
            repo.revs(kind, item_uuid),
            repo.alias_target(uid) if same_name else None,
            repo.unlinked(mentions),
        )
        if same_name:
            theirs = conflict.theirs or {}
            my_uuid = item_uuid
            if repo.current("entity", my_uuid) is None:
                raise OperationError("my entity of that name was deleted since.")
            if self.take == "theirs":
                repo.update_entity_fields(
                    my_uuid, {k: v for k, v in theirs.items() if k != "_mentions"}, rev=self.fresh_rev
                )
                repo.add_revs("entity", my_uuid, (before.item.rev if before.item else None,))
            repo.alias_entity(uid, my_uuid)
            repo.repoint_mentions(
                {a: hashlib.sha256(f"{self.fresh_rev}:{a}".encode()).hexdigest()[:32] for a in mentions},
                my_uuid,
                self.who,
            )
            ids = repo.entity_ids()
            changes = Changes(
                entities=frozenset({ids[my_uuid]}), annotations=frozenset(a for a, _rev, _revs in before.unlinked)
            )
        else:
            current = repo.current(kind, uid)
            entity_ids = repo.entity_ids()  # before: a deleted entity keeps its id in the Changes
            fresh = self.fresh_rev
            wanted = conflict.mine if self.take == "mine" else conflict.theirs
            tomb = conflict.mine_rev if conflict.reason == "deleted here, changed there" else conflict.theirs_rev
            if wanted is None:  # keep the deletion
                if current is not None:
                    repo.delete(kind, uid, self.who, current.data)
                # the deletion now covers the version it won over, so it is not asked again
                repo.put_tombstone(kind, uid, True, conflict.theirs_rev if self.take == "mine" else conflict.mine_rev)
            else:
                item = Item(kind, uid, fresh, wanted)
                repo.upsert(
                    item, repo.article_ids(), repo.entity_ids(), self.who, current.data if current is not None else None
                )
                repo.add_revs(kind, uid, (conflict.mine_rev, conflict.theirs_rev))
                if conflict.reason != "changed on both sides":
                    repo.add_revs(kind, uid, (f"del:{tomb}",))
            old_data = current.data if current is not None else None
            changes = _item_changes(repo, kind, uid, old_data, wanted, entity_ids)
        repo.mark_resolved(self.conflict_id, self.take, self.who, self.at)
        changes |= Changes(conflicts=frozenset({self.conflict_id}))  # the conflicts list shows it resolved
        return OpResult(changes, Reopen(self, kind, item_uuid, uid, before, changes))


_REVIEW_FIELDS = ("status", "verdict", "confidence", "reviewer", "reviewed_at", "evidence_url", "evidence_note")


def _item_changes(
    repo: TeamRepo,
    kind: str,
    uid: str,
    old: JSONObject | None,
    new: JSONObject | None,
    entity_ids: Mapping[str, int],
) -> Changes:
    """What taking one version of an item changed, for the views showing it."""
    row = new if new is not None else old
    if row is None or old == new:
        return Changes()
    if kind == "annotation":
        article = repo.article_ids().get(str(row["_article"]))
        review = old is not None and new is not None and any(old.get(k) != new.get(k) for k in _REVIEW_FIELDS)
        return Changes(
            annotations=frozenset({uid}),
            review=frozenset({uid}) if review else frozenset(),
            articles=frozenset({article}) if article is not None and (old is None or new is None) else frozenset(),
        )
    if kind in ("evidence", "decision"):
        parent = frozenset({str(row["annotation_id"])})
        return Changes(annotations=parent, review=parent)
    if kind == "relation":
        ends = frozenset({str(row["source_id"]), str(row["target_id"])})
        return Changes(relations=frozenset({uid}), annotations=ends)
    if kind == "entity":
        ids = {**entity_ids, **repo.entity_ids()}
        return Changes(entities=frozenset({ids[uid]}) if uid in ids else frozenset())
    return Changes()


def _mentions(theirs: JSONObject | None) -> tuple[str, ...]:
    """The colleague's spans of an entity offered under the same name (queued with it)."""
    found = as_list((theirs or {}).get("_mentions", []), "the spans of an offered entity")
    return tuple(a for a in found if isinstance(a, str))


@dataclass(frozen=True)
class _State:
    item: Item | None
    tombstoned: bool
    tomb_rev: str | None
    revs: frozenset[str]
    alias: str | None
    unlinked: tuple[tuple[str, str, frozenset[str]], ...]


@dataclass(frozen=True)
class Reopen:
    """The undo of a resolution: the item, its tombstone and revision history as they were,
    and the conflict waiting again."""

    resolution: ResolveConflict
    kind: str
    item_uuid: str
    their_uuid: str
    before: _State
    changes: Changes

    @property
    def text(self) -> str:
        return self.resolution.text

    def apply(self, store: Store) -> OpResult:
        repo = TeamRepo(store)
        conflict = repo.conflict(self.resolution.conflict_id)
        if conflict.resolution != self.resolution.take:
            raise OperationError("the conflict was resolved differently since.")
        b = self.before
        if conflict.reason == "same name on both sides":
            if b.item is not None:
                repo.update_entity_fields(self.item_uuid, b.item.data, rev=b.item.rev)
            repo.put_alias(self.their_uuid, b.alias)
            repo.unlink(b.unlinked, self.resolution.who)
        else:
            repo.put_item(self.kind, self.item_uuid, b.item, self.resolution.who)
        repo.put_tombstone(self.kind, self.item_uuid, b.tombstoned, b.tomb_rev)
        repo.keep_only_revs(self.kind, self.item_uuid, b.revs)
        repo.mark_resolved(self.resolution.conflict_id, None, self.resolution.who)
        return OpResult(self.changes, self.resolution)
