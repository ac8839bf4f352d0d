"""Resolving one queued merge conflict: take my version or theirs, as an operation.

The chosen version gets a fresh revision that descends from both sides' revisions, so the
next merge in either direction sees it as newer than both and does not ask again.
"""

from __future__ import annotations

import uuid
from dataclasses import dataclass

from ..operations.base import Changes, OperationError, OpResult
from ..store import Store
from ..store.team import Item, TeamRepo

TAKES = ("mine", "theirs")


@dataclass(frozen=True)
class ResolveConflict:
    conflict_id: int
    take: str
    who: str

    @property
    def text(self) -> str:
        return f"Resolve conflict {self.conflict_id} ({self.take})"

    def apply(self, store: Store) -> OpResult:
        if self.take not in TAKES:
            raise OperationError(f"--take must be 'mine' or 'theirs', not '{self.take}'.")
        repo = TeamRepo(store)
        conflict = repo.conflict(self.conflict_id)
        if conflict.resolved_at is not None:
            raise OperationError(f"conflict {self.conflict_id} was resolved already "
                                 f"({conflict.resolution}, by {conflict.resolved_by}).")
        kind, uid = conflict.kind, conflict.uuid
        changes = Changes()
        if conflict.reason == "same name on both sides":
            theirs = conflict.theirs or {}
            my_uuid = str(conflict.mine_rev)  # for an offer, mine_rev holds my entity's id
            if repo.current("entity", my_uuid) is None:
                raise OperationError("my entity of that name was deleted since.")
            if self.take == "theirs":
                repo.update_entity_fields(my_uuid, {k: v for k, v in theirs.items() if k != "_mentions"})
            repo.alias_entity(uid, my_uuid)
            repo.repoint_mentions(theirs.get("_mentions", ()), my_uuid)
            ids = repo.entity_ids()
            changes = Changes(entities=frozenset({ids[my_uuid]}))
        else:
            current = repo.current(kind, uid)
            fresh = uuid.uuid4().hex
            wanted = conflict.mine if self.take == "mine" else conflict.theirs
            tomb = conflict.mine_rev if conflict.reason == "deleted here, changed there" else conflict.theirs_rev
            if wanted is None:  # keep the deletion
                if current is not None:
                    repo.delete(kind, uid, self.who, current.data)
                repo.add_tombstone(kind, uid, None)
                store.conn.execute("UPDATE tombstones SET rev = ? WHERE kind = ? AND uuid = ?",
                                   (conflict.theirs_rev if self.take == "mine" else conflict.mine_rev, kind, uid))
            else:
                item = Item(kind, uid, fresh, wanted)
                repo.upsert(item, repo.article_ids(), repo.entity_ids(), self.who,
                            current.data if current is not None else None)
                repo.add_revs(kind, uid, (conflict.mine_rev, conflict.theirs_rev))
                if conflict.reason != "changed on both sides":
                    repo.add_revs(kind, uid, (f"del:{tomb}",))
            if kind == "annotation":
                changes = Changes(annotations=frozenset({uid}), review=frozenset({uid}))
        repo.mark_resolved(self.conflict_id, self.take, self.who)
        return OpResult(changes, _Unresolvable(self.text))


@dataclass(frozen=True)
class _Unresolvable:
    label: str

    @property
    def text(self) -> str:
        return self.label

    def apply(self, store: Store) -> OpResult:
        raise OperationError("a resolved conflict cannot be reopened; edit the item again instead.")
