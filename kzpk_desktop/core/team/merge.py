"""Merge a colleague's copy of the project into this one, item by item, without losing a change.

Every mergeable item carries a stable id and a revision token; each file remembers the
revisions an item replaced (``item_revs``) and the last revision of each deleted item
(``tombstones``). So for one item, mine ``M`` and theirs ``T``:

* same revision: nothing to do;
* ``T`` is one of the revisions ``M`` replaced: mine is newer, keep it;
* ``M`` is one of the revisions ``T`` replaced: theirs is newer, take it;
* otherwise both changed since they last agreed: the conflict queue (unless both made the
  same change);
* deleted on one side: the deletion travels if the other side did not change the item since,
  else the conflict queue (a version kept over a deletion on purpose remembers ``del:REV``).

No per-pair base is needed, so merging is idempotent and any number of copies can be merged
in any order (see docs/team.md).
"""

from __future__ import annotations

import unicodedata
from collections.abc import Callable, Mapping
from dataclasses import dataclass, field, replace
from pathlib import Path

from ..jsonvalue import JSONObject, JSONValue
from ..operations.base import Changes, OperationError, OpResult, run
from ..store import Store
from ..store.team import KIND_ORDER, TeamRepo, differing, mentions_of, open_readonly, snapshot
from ..store.team_rows import Item, Snapshot


def normalise_name(name: str) -> str:
    """Entity names equal "for a human": NFKC, case-folded, inner whitespace collapsed."""
    return " ".join(unicodedata.normalize("NFKC", name).casefold().split())


@dataclass(frozen=True)
class Offer:
    """An entity new on both sides under the same name: merging them is the user's call."""

    conflict_id: int
    kind: str
    name: str
    mine_uuid: str
    theirs_uuid: str


@dataclass(frozen=True)
class MergeReport:
    other: str
    articles_added: int = 0
    labels_added: int = 0
    added: Mapping[str, int] = field(default_factory=dict)
    updated: Mapping[str, int] = field(default_factory=dict)
    deleted: Mapping[str, int] = field(default_factory=dict)
    conflicts: tuple[tuple[int, str, str, str], ...] = ()  # (conflict id, kind, uuid, reason)
    offers: tuple[Offer, ...] = ()
    dry_run: bool = False

    def as_json(self) -> JSONObject:
        return {
            "other": self.other,
            "dry_run": self.dry_run,
            "articles_added": self.articles_added,
            "labels_added": self.labels_added,
            "added": dict(self.added),
            "updated": dict(self.updated),
            "deleted": dict(self.deleted),
            "conflicts": [{"id": i, "kind": k, "uuid": u, "reason": r} for i, k, u, r in self.conflicts],
            "offers": [
                {
                    "conflict": o.conflict_id,
                    "kind": o.kind,
                    "name": o.name,
                    "mine": o.mine_uuid,
                    "theirs": o.theirs_uuid,
                }
                for o in self.offers
            ],
        }

    def summary(self) -> str:
        def total(d: Mapping[str, int]) -> int:
            return sum(d.values())

        verb = "would add" if self.dry_run else "added"
        return (
            f"{verb} {self.articles_added} articles and {total(self.added)} items, "
            f"updated {total(self.updated)}, deleted {total(self.deleted)}; "
            f"{len(self.conflicts)} conflict(s) queued, {len(self.offers)} same-name entit(ies) offered"
        )


class _DryRun(Exception):
    """Raised inside the transaction to roll a dry run back after counting."""


def _norm_key(item: Item) -> tuple[str, str]:
    return (str(item.data.get("kind")), normalise_name(str(item.data.get("name", ""))))


def _same_content(a: Item, b: Item) -> bool:
    skip = {"updated_at", "reviewed_at"}
    return {k: v for k, v in a.data.items() if k not in skip} == {k: v for k, v in b.data.items() if k not in skip}


@dataclass(frozen=True)
class MergeDatabase:
    """Bring every change of ``other`` into this database (an operation: :func:`run` makes it
    one transaction). The report of the last apply is left in ``reports``.

    Its inverse refuses: a merge touches too much to take back item by item; ``kzpk merge``
    makes a backup first, and the backup is the way back.
    """

    other: Path
    who: str
    reports: list[MergeReport] = field(default_factory=list, compare=False, repr=False)

    @property
    def text(self) -> str:
        return f"Merge {self.other.name}"

    def apply(self, store: Store) -> OpResult:
        if self.other.resolve() == store.path.resolve():
            raise OperationError("a database cannot be merged into itself.")
        conn = open_readonly(self.other)
        try:
            conn.execute("BEGIN")  # one read transaction: theirs stays consistent throughout
            only = differing(store.conn, conn)
            mine = snapshot(store.conn, own_transaction=False, only=only, article_rows=False)
            theirs = snapshot(conn, own_transaction=False, only=only, articles_except=mine.article_hashes)
            report, changes = _merge(
                TeamRepo(store), mine, theirs, self.who, str(self.other), lambda uid: mentions_of(conn, uid)
            )
            conn.execute("ROLLBACK")
        finally:
            conn.close()
        self.reports.append(report)
        return OpResult(changes, _NoUndo(self.text))


def merge(store: Store, other: Path, who: str, dry_run: bool = False) -> MergeReport:
    """Run the merge as one transaction and report what it did (or, rolled back, would do)."""
    op = MergeDatabase(other, who)
    if not dry_run:
        run(store, op)
        return op.reports[-1]
    try:
        with store.transaction():
            op.apply(store)
            raise _DryRun
    except _DryRun:
        pass
    return replace(op.reports[-1], dry_run=True)


@dataclass(frozen=True)
class _NoUndo:
    label: str

    @property
    def text(self) -> str:
        return self.label

    def apply(self, store: Store) -> OpResult:
        raise OperationError("a merge cannot be undone step by step; restore the backup made before it.")


def _merge(
    repo: TeamRepo, mine: Snapshot, theirs: Snapshot, who: str, other: str, mentions_of: Callable[[str], list[str]]
) -> tuple[MergeReport, Changes]:
    """The item-by-item decisions. The snapshots may hold only the ids :func:`differing` named
    (every other id needs nothing), so ``mentions_of`` reads an entity's spans from theirs."""
    added: dict[str, int] = dict.fromkeys(KIND_ORDER, 0)
    updated: dict[str, int] = dict.fromkeys(KIND_ORDER, 0)
    deleted: dict[str, int] = dict.fromkeys(KIND_ORDER, 0)
    conflicts: list[tuple[int, str, str, str]] = []
    offers: list[Offer] = []
    touched_articles: set[int] = set()
    touched_annotations: set[str] = set()
    touched_entities: set[int] = set()
    touched_relations: set[str] = set()

    articles_added = 0
    for sha, article in theirs.articles.items():
        if sha not in mine.article_hashes:
            touched_articles.add(repo.insert_article(article, who))
            articles_added += 1
    labels_added = 0
    for label_id, label in theirs.labels.items():
        if label_id not in mine.labels:
            repo.insert_label(label, who)
            labels_added += 1
    article_ids = repo.article_ids()
    entity_alias = {**mine.entity_alias}

    def queue(
        kind: str, uid: str, reason: str, m: Item | None, t: Item | None, mrev: str | None, trev: str | None
    ) -> None:
        if repo.conflict_known(kind, uid, mrev, trev):
            return
        cid = repo.queue_conflict(kind, uid, reason, theirs.db_uuid, m, t, mrev, trev, who)
        conflicts.append((cid, kind, uid, reason))

    # entities first (annotations point at them), then spans, links, evidence, decisions
    mine_names = {_norm_key(e): e for e in mine.items["entity"].values()}
    for kind in KIND_ORDER:
        my_items, their_items = mine.items[kind], theirs.items[kind]
        entity_ids = repo.entity_ids()
        for alias_uuid, target in entity_alias.items():
            if target in entity_ids:
                entity_ids[alias_uuid] = entity_ids[target]
        for uid in sorted(set(my_items) | set(their_items)):
            m, t = my_items.get(uid), their_items.get(uid)
            anc_m = mine.ancestors.get((kind, uid), frozenset())
            anc_t = theirs.ancestors.get((kind, uid), frozenset())
            if m is not None and t is not None:
                if m.rev == t.rev or t.rev in anc_m:
                    continue
                if m.rev in anc_t:
                    repo.upsert(t, article_ids, entity_ids, who, m.data)
                    repo.add_revs(kind, uid, (m.rev, *anc_t))
                    updated[kind] += 1
                elif _same_content(m, t):
                    repo.add_revs(kind, uid, (t.rev, *anc_t))
                else:
                    queue(kind, uid, "changed on both sides", m, t, m.rev, t.rev)
                    continue
            elif t is not None:  # only theirs has it
                if kind == "entity" and uid in entity_alias:
                    continue
                tomb = mine.tombstones.get((kind, uid), "")
                if (kind, uid) in mine.tombstones and f"del:{tomb}" not in anc_t:
                    if t.rev == tomb or t.rev in anc_m:
                        continue  # deleted here, untouched there: the deletion stands
                    queue(kind, uid, "deleted here, changed there", None, t, tomb, t.rev)
                    continue
                if kind == "entity":
                    same = mine_names.get(_norm_key(t))
                    if same is not None:
                        if not repo.conflict_known(kind, uid, same.uuid, t.rev):
                            mentions = mentions_of(uid)
                            t_with = Item(kind, uid, t.rev, {**t.data, "_mentions": [*mentions]})
                            cid = repo.queue_conflict(
                                kind,
                                uid,
                                "same name on both sides",
                                theirs.db_uuid,
                                same,
                                t_with,
                                same.uuid,
                                t.rev,
                                who,
                            )
                            offers.append(Offer(cid, str(t.data["kind"]), str(t.data["name"]), same.uuid, uid))
                        continue
                if not _parent_present(repo, kind, t):
                    continue  # its span was deleted here (that deletion is handled on the span itself)
                if not repo.upsert(t, article_ids, entity_ids, who, None):
                    continue  # the same link exists here already
                repo.add_revs(kind, uid, anc_t)
                if kind == "entity":
                    repo.add_aliases(uid, theirs.aliases.get(uid, ()))
                    mine_names[_norm_key(t)] = t
                added[kind] += 1
            elif m is not None:  # only mine has it
                if (kind, uid) not in theirs.tombstones:
                    continue  # new here
                tomb = theirs.tombstones[(kind, uid)]
                if f"del:{tomb}" in anc_m:
                    continue  # kept here on purpose over that deletion (a resolved conflict)
                if m.rev == tomb or m.rev in anc_t:
                    repo.delete(kind, uid, who, m.data)
                    repo.add_tombstone(kind, uid, m.rev)
                    deleted[kind] += 1
                else:
                    queue(kind, uid, "changed here, deleted there", m, None, m.rev, tomb)
                    continue
            else:
                continue
            if kind == "annotation":
                touched_annotations.add(uid)
                span = t if t is not None else m
                assert span is not None  # one side holds it, else the loop continued above
                touched_articles.add(article_ids[str(span.data["_article"])])
            elif kind == "relation":
                touched_relations.add(uid)
            elif kind == "entity" and uid in (ids := repo.entity_ids()):
                touched_entities.add(ids[uid])
        if kind == "entity":  # aliases only ever grow
            for uid in set(mine.items["entity"]) & set(theirs.items["entity"]):
                extra = theirs.aliases.get(uid, frozenset()) - mine.aliases.get(uid, frozenset())
                if extra:
                    repo.add_aliases(uid, extra)
    for (kind, uid), rev in theirs.tombstones.items():  # deletions travel on through this copy
        if uid not in mine.items[kind] and (kind, uid) not in mine.tombstones:
            repo.add_tombstone(kind, uid, rev)
    repo.record_peer(theirs.db_uuid, other, who)
    report = MergeReport(
        other,
        articles_added,
        labels_added,
        {k: v for k, v in added.items() if v},
        {k: v for k, v in updated.items() if v},
        {k: v for k, v in deleted.items() if v},
        tuple(conflicts),
        tuple(offers),
    )
    changes = Changes(
        articles=frozenset(touched_articles),
        annotations=frozenset(touched_annotations),
        entities=frozenset(touched_entities),
        relations=frozenset(touched_relations),
        review=frozenset(touched_annotations),
    )
    return report, changes


def _parent_present(repo: TeamRepo, kind: str, item: Item) -> bool:
    """A link, evidence item or decision whose span is gone here is not brought back alone."""
    ends: tuple[JSONValue, ...]
    if kind == "relation":
        ends = (item.data["source_id"], item.data["target_id"])
    elif kind in ("evidence", "decision"):
        ends = (item.data["annotation_id"],)
    else:
        return True
    return all(repo.current("annotation", str(a)) is not None for a in ends)
