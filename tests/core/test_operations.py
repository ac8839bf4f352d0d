"""Operations: each names exactly what it changed, and undo restores the database row by row.

The state machine applies random sequences of operations, undoes and redoes them, and
compares every table (but the append-only history) with the snapshot taken before.
"""

from __future__ import annotations

import sqlite3
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest
from hypothesis import HealthCheck, settings
from hypothesis import strategies as st
from hypothesis.stateful import RuleBasedStateMachine, initialize, invariant, precondition, rule

from kzpk_desktop.core import annotations as ann
from kzpk_desktop.core import operations as ops
from kzpk_desktop.core import review as rv
from kzpk_desktop.core.errors import KzpkError
from kzpk_desktop.core.importer import import_paths
from kzpk_desktop.core.relations import build_relation
from kzpk_desktop.core.rows import Annotation, Label
from kzpk_desktop.core.store import Store
from tests.conftest import SEEDS

# History, not data: the change log, and the merge bookkeeping (revisions an item replaced,
# tombstones), which an undo adds to like any other change.
SKIP_TABLES = {"changes", "_sqlite_migrations", "item_revs", "tombstones"}
SKIP_COLUMNS = {"rev"}

Snapshot = dict[str, list[tuple[Any, ...]]]


def snapshot(store: Store) -> Snapshot:
    names = [r[0] for r in store.conn.execute("SELECT name FROM sqlite_master WHERE type = 'table'")]
    out: Snapshot = {}
    for name in names:
        if name in SKIP_TABLES or name.startswith(("sqlite_", "articles_fts", "prior_checks_fts")):
            continue
        cols = [c for c in _cols(store, name) if c not in SKIP_COLUMNS]
        out[name] = sorted(
            store.conn.execute("SELECT " + ", ".join(f'"{c}"' for c in cols) + f' FROM "{name}"').fetchall(), key=repr
        )
    return out


def _cols(store: Store, table: str) -> list[str]:
    return [r[1] for r in store.conn.execute(f'PRAGMA table_info("{table}")') if r[1] not in SKIP_COLUMNS]


def _diff(store: Store, before: Snapshot, after: Snapshot, table: str) -> list[dict[str, Any]]:
    cols = _cols(store, table)
    a, b = set(before[table]), set(after[table])
    return [dict(zip(cols, r, strict=True)) for r in sorted(a ^ b, key=repr)]


def derived_changes(store: Store, before: Snapshot, after: Snapshot) -> dict[str, set[Any]]:
    """What changed, read off the tables: the truth a ``Changes`` value must match."""
    out: dict[str, set[Any]] = {
        k: set()
        for k in (
            "articles",
            "annotations",
            "relations",
            "entities",
            "labels",
            "review",
            "sessions",
            "suggestions",
            "prior_checks",
            "conflicts",
        )
    }
    review_cols = {"status", "verdict", "confidence", "reviewer", "reviewed_at", "evidence_url", "evidence_note"}
    old_ann = {r[0]: dict(zip(_cols(store, "annotations"), r, strict=True)) for r in before["annotations"]}
    new_ann = {r[0]: dict(zip(_cols(store, "annotations"), r, strict=True)) for r in after["annotations"]}
    for aid in set(old_ann) | set(new_ann):
        o, n = old_ann.get(aid), new_ann.get(aid)
        if o != n:
            out["annotations"].add(aid)
            if o and n and any(o[k] != n[k] for k in review_cols):
                out["review"].add(aid)
    for r in _diff(store, before, after, "relations"):
        out["relations"].add(r["id"])
        out["annotations"] |= {r["source_id"], r["target_id"]}
    for table in ("evidence", "review_decisions"):
        for r in _diff(store, before, after, table):
            out["review"].add(r["annotation_id"])
            out["annotations"].add(r["annotation_id"])
    for r in _diff(store, before, after, "entities"):
        out["entities"].add(r["id"])
    for r in _diff(store, before, after, "entity_aliases"):
        out["entities"].add(r["entity_id"])
    for r in _diff(store, before, after, "agreement_parties"):
        out["entities"] |= {r["agreement_id"], r["actor_id"]}
    for r in _diff(store, before, after, "labels"):
        out["labels"].add(r["id"])
    for r in _diff(store, before, after, "article_progress"):
        out["articles"].add(r["article_id"])
    for r in _diff(store, before, after, "articles"):
        out["articles"].add(r["id"])
    for r in _diff(store, before, after, "review_sessions"):
        out["sessions"].add(r["id"])
    for r in _diff(store, before, after, "rejected_suggestions"):
        out["suggestions"].add(r["entity_id"])
    for r in _diff(store, before, after, "entity_uuid_alias"):
        out["entities"] |= {_entity_id(store, r["uuid"]), _entity_id(store, r["entity_uuid"])} - {None}
    for r in _diff(store, before, after, "prior_checks"):
        out["prior_checks"].add(r["id"])
    for r in _diff(store, before, after, "merge_conflicts"):
        out["conflicts"].add(r["id"])
    # deleting a span removes its evidence and decisions too: that is a span change, not a review one
    out["review"] -= set(old_ann) ^ set(new_ann)
    return out


def _entity_id(store: Store, uuid: str) -> int | None:
    row = store.conn.execute("SELECT id FROM entities WHERE uuid = ?", (uuid,)).fetchone()
    return None if row is None else int(row[0])


def assert_exact(store: Store, before: Snapshot, changes: ops.Changes) -> None:
    truth = derived_changes(store, before, snapshot(store))
    named = {k: set(getattr(changes, k)) for k in truth}
    if truth["entities"] and not named["entities"] >= truth["entities"]:
        pytest.fail(f"entities {truth['entities']} changed, Changes says {named['entities']}")
    for kind in truth:
        if kind == "entities":  # an entity's mentions' ends may be named as well
            continue
        assert named[kind] == truth[kind], f"{kind}: changed {truth[kind]}, Changes says {named[kind]}"


@pytest.fixture
def seeded(tmp_path: Path) -> Iterator[Store]:
    s = Store.open(tmp_path / "ops.db")
    import_paths(s, [SEEDS])
    yield s
    s.close()


def _span(store: Store, article_id: int, word: str, label: str, who: str = "A") -> Annotation:
    text = store.articles.text(article_id)
    i = text.index(word)
    return ann.build_annotation(store, article_id, i, i + len(word), label, annotator=who)


def _check(store: Store, op: ops.Operation) -> ops.OpResult:
    """Run an operation and its undo, each checked for an exact ``Changes``; undo restores everything."""
    before = snapshot(store)
    result = ops.run(store, op)
    assert_exact(store, before, result.changes)
    middle = snapshot(store)
    back = ops.run(store, result.inverse)
    assert_exact(store, middle, back.changes)
    assert snapshot(store) == before
    again = ops.run(store, back.inverse)
    assert snapshot(store) == middle
    return again


def test_every_operation_names_exactly_what_it_changed_and_undoes_cleanly(seeded: Store) -> None:
    s = seeded
    art = 1
    text = s.articles.text(art)
    words = [w for w in ("Kazakhstan", "Pakistan", "Foreign", "Minister") if w in text]
    claim = _check(s, ops.CreateAnnotation(_span(s, art, words[0], "claim"), "A"))
    claim_id = next(iter(claim.changes.annotations))
    actor = _check(s, ops.CreateAnnotation(_span(s, art, words[1], "actor"), "A"))
    actor_id = next(iter(actor.changes.annotations))
    _check(s, ops.EditAnnotation(claim_id, {"note": "checked", "status": "accepted"}, "A"))
    claim_row = s.annotations.get(claim_id)
    _check(s, ops.ResizeAnnotation(claim_id, claim_row.start, claim_row.end + 4, "A"))
    rel = _check(s, ops.CreateRelation(build_relation(s, claim_id, actor_id, "A"), "A"))
    _check(s, ops.LinkNewEntity(actor_id, "A"))
    ent_id = s.annotations.get(actor_id).entity_id
    _check(s, ops.EditEntity(ent_id, {"country": "PK", "role": "FM"}, "A", aliases=("PK",)))
    other = ops.run(s, ops.CreateEntity("actor", "Islamabad", "A")).changes.entities
    attrs = ops.EntityAttributes(aliases=("CPEC",), agreement_type="mou", date="2025-09-09", parties=(ent_id,))
    corridor = _check(s, ops.CreateEntity("agreement", "Transit corridor MoU", "A", attrs))
    (made_id,) = corridor.changes.entities - {ent_id}  # (the party is named as changed too)
    made = s.entities.get(made_id)
    assert (made.aliases, made.agreement_type, made.date, made.date_precision, made.parties) == (
        ("CPEC",),
        "mou",
        "2025-09-09",
        "day",
        (ent_id,),
    )
    _check(s, ops.MergeEntities(ent_id, next(iter(other)), "A"))
    _check(s, ops.SplitEntity(ent_id, (actor_id,), "Pakistan (state)", "A"))
    _check(s, ops.RejectSuggestion(ent_id, art, 0, 5, "A"))
    _check(s, ops.AddLabel(Label("source", "Source", "#123456", "4"), "A"))
    _check(s, ops.EditLabel("claim", {"name": "Statement", "color": "#654321"}, "A"))
    _check(s, ops.SetArticleStatus(art, "annotated", "A"))
    decision = rv.Decision("accepted", "false", "high", [rv.Evidence("https://example.org/x", "q", "refutes")])
    _check(s, ops.RecordDecision(claim_id, decision, "R"))
    _check(s, ops.DeleteRelation(next(iter(rel.changes.relations)), "A"))
    _check(s, ops.DeleteAnnotation(claim_id, "A"))  # with its evidence, decision and link
    assert s.integrity.check() == []


def test_an_undo_that_cannot_apply_says_why_and_changes_nothing(seeded: Store) -> None:
    history = ops.UndoHistory(seeded)
    row = _span(seeded, 1, "Pakistan", "actor")
    history.do(ops.CreateAnnotation(row, "A"))
    history.do(ops.LinkNewEntity(row.id, "A"))
    linked = seeded.annotations.get(row.id).entity_id
    keep = next(iter(ops.run(seeded, ops.CreateEntity("actor", "Islamic Republic of Pakistan", "A")).changes.entities))
    ops.run(seeded, ops.MergeEntities(keep, linked, "A"))  # outside this history: another window, a script
    before = snapshot(seeded)
    with pytest.raises(ops.OperationError, match=r"Cannot undo “Link to entity”: .*entity_id changed since"):
        history.undo()
    assert snapshot(seeded) == before
    assert history.can_undo and history.undo_text == "Link to entity"


def test_history_announces_changes_to_listeners(seeded: Store) -> None:
    heard: list[ops.Changes] = []
    history = ops.UndoHistory(seeded)
    history.subscribe(heard.append)
    row = _span(seeded, 2, "Kazakhstan", "claim")
    history.do(ops.CreateAnnotation(row, "A"))
    history.undo()
    history.redo()
    assert [c.annotations for c in heard] == [frozenset({row.id})] * 3
    assert not history.can_redo and history.undo_text.startswith("Tag claim")


class OperationsMachine(RuleBasedStateMachine):
    """Random operations, undo and redo; after each undo the tables equal those before the step."""

    def __init__(self) -> None:
        super().__init__()
        self.tmp = Path(__import__("tempfile").mkdtemp())

    @initialize()
    def setup(self) -> None:
        self.store = Store.open(self.tmp / "m.db")
        import_paths(self.store, [SEEDS])
        self.history = ops.UndoHistory(self.store)
        self.before: list[Snapshot] = []  # the tables before each step on the undo stack
        self.after: list[Snapshot] = []  # the tables a redo must bring back

    def teardown(self) -> None:
        self.store.close()

    def _do(self, op: ops.Operation) -> None:
        before = snapshot(self.store)
        try:
            changes = self.history.do(op)
        except KzpkError:
            assert snapshot(self.store) == before  # a refused operation changes nothing
            return
        assert_exact(self.store, before, changes)
        self.before.append(before)
        self.after.clear()

    def _ids(self) -> list[str]:
        return [r[0] for r in self.store.conn.execute("SELECT id FROM annotations ORDER BY rowid")]

    def _entities(self) -> list[int]:
        return [r[0] for r in self.store.conn.execute("SELECT id FROM entities ORDER BY id")]

    @rule(
        article=st.integers(1, 5),
        start=st.integers(0, 2000),
        length=st.integers(1, 60),
        label=st.sampled_from(["claim", "actor", "agreement"]),
    )
    def tag(self, article: int, start: int, length: int, label: str) -> None:
        try:
            row = ann.build_annotation(self.store, article, start, start + length, label, annotator="M")
        except KzpkError:
            return
        self._do(ops.CreateAnnotation(row, "M"))

    @precondition(lambda self: bool(self._ids()))
    @rule(data=st.data())
    def delete(self, data: st.DataObject) -> None:
        self._do(ops.DeleteAnnotation(data.draw(st.sampled_from(self._ids())), "M"))

    @precondition(lambda self: bool(self._ids()))
    @rule(data=st.data(), note=st.text(max_size=5), status=st.sampled_from(ann.ANNOTATION_STATUSES))
    def edit(self, data: st.DataObject, note: str, status: str) -> None:
        self._do(ops.EditAnnotation(data.draw(st.sampled_from(self._ids())), {"note": note, "status": status}, "M"))

    @precondition(lambda self: len(self._ids()) >= 2)
    @rule(data=st.data())
    def link(self, data: st.DataObject) -> None:
        a, b = data.draw(st.lists(st.sampled_from(self._ids()), min_size=2, max_size=2, unique=True))
        try:
            row = build_relation(self.store, a, b, "M")
        except KzpkError:
            return
        self._do(ops.CreateRelation(row, "M"))

    @precondition(lambda self: bool(self._ids()))
    @rule(data=st.data(), d_start=st.integers(-3, 3), d_end=st.integers(-3, 3))
    def resize(self, data: st.DataObject, d_start: int, d_end: int) -> None:
        aid = data.draw(st.sampled_from(self._ids()))
        row = self.store.annotations.get(aid)
        self._do(ops.ResizeAnnotation(aid, row.start + d_start, row.end + d_end, "M"))

    @precondition(lambda self: bool(self._ids()))
    @rule(data=st.data())
    def name_entity(self, data: st.DataObject) -> None:
        self._do(ops.LinkNewEntity(data.draw(st.sampled_from(self._ids())), "M"))

    @precondition(lambda self: len(self._entities()) >= 2)
    @rule(data=st.data())
    def merge(self, data: st.DataObject) -> None:
        a, b = data.draw(st.lists(st.sampled_from(self._entities()), min_size=2, max_size=2, unique=True))
        self._do(ops.MergeEntities(a, b, "M"))

    @precondition(lambda self: bool(self._entities()))
    @rule(data=st.data(), alias=st.text(alphabet="abcАб ", min_size=1, max_size=6))
    def edit_entity(self, data: st.DataObject, alias: str) -> None:
        self._do(ops.EditEntity(data.draw(st.sampled_from(self._entities())), {"notes": alias}, "M", aliases=(alias,)))

    @precondition(lambda self: bool(self._ids()))
    @rule(data=st.data(), status=st.sampled_from(rv.DECISIONS), verdict=st.sampled_from([None, *rv.VERDICTS]))
    def review(self, data: st.DataObject, status: str, verdict: str | None) -> None:
        evidence = [rv.Evidence("https://example.org/e", "quote", "supports")]
        self._do(
            ops.RecordDecision(
                data.draw(st.sampled_from(self._ids())), rv.Decision(status, verdict, "low", evidence), "R"
            )
        )

    @rule(article=st.integers(1, 5), status=st.sampled_from(["not_started", "in_progress", "annotated", "reviewed"]))
    def article_status(self, article: int, status: str) -> None:
        self._do(ops.SetArticleStatus(article, status, "M"))

    @precondition(lambda self: self.history.can_undo)
    @rule()
    def undo(self) -> None:
        current = snapshot(self.store)
        self.history.undo()
        assert snapshot(self.store) == self.before[-1]
        self.before.pop()
        self.after.append(current)

    @precondition(lambda self: self.history.can_redo)
    @rule()
    def redo(self) -> None:
        current = snapshot(self.store)
        self.history.redo()
        assert snapshot(self.store) == self.after[-1]
        self.after.pop()
        self.before.append(current)

    @invariant()
    def sound(self) -> None:
        if hasattr(self, "store"):
            bad = self.store.conn.execute(
                "SELECT count(*) FROM annotations x JOIN articles a ON a.id = x.article_id "
                'WHERE substr(a.text, x.start + 1, x."end" - x.start) IS NOT x.text'
            ).fetchone()[0]
            assert bad == 0


OperationsMachine.TestCase.settings = settings(
    max_examples=40, stateful_step_count=30, deadline=None, suppress_health_check=list(HealthCheck)
)
test_operations_state_machine = OperationsMachine.TestCase


def test_snapshot_sees_a_planted_difference(seeded: Store) -> None:
    """The comparison the state machine relies on can fail."""
    before = snapshot(seeded)
    with seeded.transaction() as c:
        c.execute("UPDATE article_progress SET status = 'annotated' WHERE article_id = 1")
    assert snapshot(seeded) != before
    assert derived_changes(seeded, before, snapshot(seeded))["articles"] == {1}
    assert isinstance(seeded.conn, sqlite3.Connection)
