"""Merging coders' copies made from one seed database: every change once, conflicts queued,
the other file untouched, idempotent and order-free."""

from __future__ import annotations

import hashlib
import itertools
import shutil
from pathlib import Path

from kzpk_desktop.core import annotations as ann
from kzpk_desktop.core import review as rv
from kzpk_desktop.core.operations.base import run
from kzpk_desktop.core.operations.review import RecordDecision
from kzpk_desktop.core.store import Store
from kzpk_desktop.core.store.team import TeamRepo
from kzpk_desktop.core.team.conflicts import ResolveConflict
from kzpk_desktop.core.team.merge import merge, normalise_name
from tests.team.helpers import span


def sha(path: Path) -> str:
    return hashlib.sha256(path.read_bytes()).hexdigest()


def copy(seed: dict[str, object], tmp_path: Path, name: str) -> Path:
    dest = tmp_path / f"{name}.db"
    shutil.copy(seed["path"], dest)  # type: ignore[arg-type]
    return dest


def entity(store: Store, name: str, who: str) -> None:
    from kzpk_desktop.core.store.base import utc_now

    now = utc_now()
    store.entities.insert(
        {"kind": "actor", "name": name, "notes": "", "created_at": now, "updated_at": now}, [], [], who
    )


def diverge(seed: dict[str, object], tmp_path: Path) -> dict[str, Path]:
    paths = {n: copy(seed, tmp_path, n) for n in "ABC"}
    a = Store.open(paths["A"])
    ann.edit_annotation(a, seed["a1"], "ann", note="A's note")  # type: ignore[arg-type]
    ann.delete_annotation(a, seed["a2"], "ann")  # type: ignore[arg-type]
    span(a, 3, "Pakistan", "actor", "ann")
    entity(a, "Kassym-Jomart Tokayev", "ann")
    a.close()
    b = Store.open(paths["B"])
    ann.edit_annotation(b, seed["a1"], "bob", note="B's note")  # type: ignore[arg-type]
    ann.edit_annotation(b, seed["a2"], "bob", note="kept by B")  # type: ignore[arg-type]
    ann.delete_annotation(b, seed["a3"], "bob")  # type: ignore[arg-type]
    new_b = span(b, 4, "Kazakhstan", "actor", "bob")
    entity(b, "ＫＡＳＳＹＭ-JOMART  tokayev", "bob")  # same name after NFKC + casefold
    ann.edit_annotation(b, new_b, "bob", entity_id=b.entities.by_name("actor", "ＫＡＳＳＹＭ-JOMART  tokayev"))
    b.close()
    c = Store.open(paths["C"])
    span(c, 5, "Pakistan", "actor", "cat")
    run(c, RecordDecision(seed["a3"], rv.Decision("accepted", None, "high"), "cat"))  # type: ignore[arg-type]
    c.close()
    return paths


def content(path: Path) -> dict[str, object]:
    s = Store.open(path)
    try:
        c = s.conn
        return {
            "annotations": sorted(
                c.execute(
                    'SELECT ann.id, a.sha256, ann.start, ann."end", ann.label, ann.note, ann.status, ann.verdict '
                    "FROM annotations ann JOIN articles a ON a.id = ann.article_id"
                ).fetchall()
            ),
            "entities": sorted(c.execute("SELECT uuid, kind, name FROM entities").fetchall()),
            "decisions": sorted(
                c.execute("SELECT uuid, annotation_id, reviewer, status, verdict FROM review_decisions").fetchall()
            ),
            "articles": sorted(r[0] for r in c.execute("SELECT sha256 FROM articles")),
        }
    finally:
        s.close()


def do_merge(into: Path, other: Path, who: str = "merger"):
    s = Store.open(into)
    try:
        return merge(s, other, who)
    finally:
        s.close()


def test_normalised_name() -> None:
    assert normalise_name("ＫＡＳＳＹＭ-JOMART  tokayev") == normalise_name("Kassym-Jomart Tokayev")


def test_two_copies_both_orders(seed: dict[str, object], tmp_path: Path) -> None:
    paths = diverge(seed, tmp_path)
    a_bytes, b_bytes = sha(paths["A"]), sha(paths["B"])
    ab, ba = copy({"path": paths["A"]}, tmp_path, "AB"), copy({"path": paths["B"]}, tmp_path, "BA")

    r1 = do_merge(ab, paths["B"])
    assert sha(paths["B"]) == b_bytes
    reasons = sorted((k, u, r) for _i, k, u, r in r1.conflicts)
    assert reasons == sorted(
        [("annotation", seed["a1"], "changed on both sides"), ("annotation", seed["a2"], "deleted here, changed there")]
    )
    assert len(r1.offers) == 1 and r1.offers[0].name == "ＫＡＳＳＹＭ-JOMART  tokayev"
    assert r1.deleted == {"annotation": 1} and r1.added == {"annotation": 1}

    r2 = do_merge(ba, paths["A"])
    assert sha(paths["A"]) == a_bytes
    assert sorted((k, u, r) for _i, k, u, r in r2.conflicts) == sorted(
        [("annotation", seed["a1"], "changed on both sides"), ("annotation", seed["a2"], "changed here, deleted there")]
    )

    ca, cb = content(ab), content(ba)
    # nothing overwritten silently: each side keeps its own version of a conflicted span
    notes_ab = {r[0]: r[5] for r in ca["annotations"]}
    notes_ba = {r[0]: r[5] for r in cb["annotations"]}
    assert notes_ab[seed["a1"]] == "A's note" and notes_ba[seed["a1"]] == "B's note"
    assert seed["a2"] not in notes_ab and notes_ba[seed["a2"]] == "kept by B"
    assert seed["a3"] not in notes_ab and seed["a3"] not in notes_ba

    # everything else is the same in both orders, each change present once
    def settled(c: dict[str, object]) -> list[tuple]:
        return [r for r in c["annotations"] if r[0] not in (seed["a1"], seed["a2"])]  # type: ignore[union-attr]

    assert settled(ca) == settled(cb)
    assert len(settled(ca)) == len({(r[1], r[2], r[3], r[4]) for r in settled(ca)}) == 2
    assert sorted(r[2] for r in ca["entities"]) == ["Kassym-Jomart Tokayev"]  # offered, not merged
    assert sorted(r[2] for r in cb["entities"]) == ["ＫＡＳＳＹＭ-JOMART  tokayev"]

    for merged in (ab, ba):  # offsets, foreign keys, counts: all still hold
        st = Store.open(merged)
        assert st.integrity.check() == []
        st.close()
    # twice = once: nothing new, no new conflicts, same content
    again = do_merge(ab, paths["B"])
    assert (again.added, again.updated, again.deleted, again.conflicts, again.offers) == ({}, {}, {}, (), ())
    assert content(ab) == ca
    assert sha(paths["B"]) == b_bytes


def test_resolving_makes_both_orders_equal(seed: dict[str, object], tmp_path: Path) -> None:
    paths = diverge(seed, tmp_path)
    ab, ba = copy({"path": paths["A"]}, tmp_path, "AB"), copy({"path": paths["B"]}, tmp_path, "BA")
    do_merge(ab, paths["B"])
    s = Store.open(ab)

    pending = TeamRepo(s).conflicts()
    assert len(pending) == 3  # a1, a2 and the same-name entity
    for conflict in pending:
        take = "theirs" if conflict.kind == "annotation" else "mine"
        run(s, ResolveConflict(conflict.id, take, "ann"))
    assert TeamRepo(s).conflicts() == []
    s.close()
    # B takes everything from the resolved A: then A and B hold the same content
    report = do_merge(ba, ab)
    assert report.conflicts == ()
    ca, cb = content(ab), content(ba)
    assert ca["annotations"] == cb["annotations"]
    assert {r[0]: r[5] for r in ca["annotations"]}[seed["a1"]] == "B's note"
    assert do_merge(ab, ba).conflicts == ()


def test_three_copies_every_order(seed: dict[str, object], tmp_path: Path) -> None:
    paths = diverge(seed, tmp_path)
    before = {n: sha(p) for n, p in paths.items()}
    results = []
    for order in itertools.permutations("ABC"):
        target = copy({"path": paths[order[0]]}, tmp_path, "".join(order))
        for name in order[1:]:
            do_merge(target, paths[name])
        s = Store.open(target)
        queued = {(x.kind, x.uuid) for x in TeamRepo(s).conflicts()}
        s.close()
        results.append((order, content(target), queued))
    assert {n: sha(p) for n, p in paths.items()} == before
    # a1 (edited by A and B), a2 (deleted by A, edited by B) and a3 (deleted by B, reviewed by C)
    # are conflicts in every order; everything else comes out the same whatever the order
    conflicted = {seed["a1"], seed["a2"], seed["a3"]}
    first = None
    for order, c, queued in results:
        assert {u for k, u in queued if k == "annotation"} == conflicted, order
        rows = [r for r in c["annotations"] if r[0] not in conflicted]
        got = (rows, c["articles"])
        first = first or got
        assert got == first, order
        assert len(rows) == 3  # the new spans of A, B and C, each once
        a3_kept = any(r[0] == seed["a3"] for r in c["annotations"])
        assert [(d[1], d[2], d[3]) for d in c["decisions"]] == ([(seed["a3"], "cat", "accepted")] if a3_kept else [])


def test_resolutions_undo_exactly_and_redo(seed: dict[str, object], tmp_path: Path) -> None:
    from kzpk_desktop.core.operations.base import UndoHistory

    paths = diverge(seed, tmp_path)
    ab = copy({"path": paths["A"]}, tmp_path, "AB")
    do_merge(ab, paths["B"])
    s = Store.open(ab)

    def state() -> tuple[object, ...]:
        c = s.conn
        return (
            sorted(c.execute("SELECT id, note, rev, entity_id FROM annotations").fetchall()),
            sorted(c.execute("SELECT uuid, name, rev FROM entities").fetchall()),
            sorted(c.execute("SELECT * FROM item_revs").fetchall()),
            sorted(c.execute("SELECT kind, uuid, rev FROM tombstones").fetchall()),
            sorted(c.execute("SELECT * FROM entity_uuid_alias").fetchall()),
            sorted(c.execute("SELECT id, resolution FROM merge_conflicts").fetchall()),
        )

    before = state()
    history = UndoHistory(s)
    pending = TeamRepo(s).conflicts()
    for conflict, take in zip(pending, ("theirs", "mine", "theirs"), strict=True):
        history.do(ResolveConflict(conflict.id, take, "ann"))
    after = state()
    assert after != before and TeamRepo(s).conflicts() == []
    # the offer taken: B's span of B's Tokayev now points at A's Tokayev (kept under B's name)
    linked = s.conn.execute(
        "SELECT e.name FROM annotations a JOIN entities e ON e.id = a.entity_id WHERE a.annotator = 'bob'"
    ).fetchall()
    assert linked == [("ＫＡＳＳＹＭ-JOMART  tokayev",)]
    for _ in pending:
        history.undo()
    assert state() == before
    for _ in pending:
        history.redo()
    redone = state()
    assert redone[0] == after[0], set(redone[0]) ^ set(after[0])
    assert redone[1] == after[1] and redone[5] == after[5]
    s.close()


def test_an_item_brought_over_keeps_its_revision(seed: dict[str, object], tmp_path: Path) -> None:
    """Else the next edit of it on the other side would look like a conflict."""
    paths = diverge(seed, tmp_path)
    ab = copy({"path": paths["A"]}, tmp_path, "AB")
    do_merge(ab, paths["B"])
    b = Store.open(paths["B"])
    new_b = b.conn.execute("SELECT id, rev FROM annotations WHERE annotator = 'bob'").fetchone()
    ann.edit_annotation(b, new_b[0], "bob", note="edited again by B")
    b.close()
    s = Store.open(ab)
    assert s.conn.execute("SELECT rev FROM annotations WHERE id = ?", (new_b[0],)).fetchone()[0] == new_b[1]
    s.close()
    report = do_merge(ab, paths["B"])
    assert report.conflicts == () and report.updated == {"annotation": 1}
    assert {r[0]: r[5] for r in content(ab)["annotations"]}[new_b[0]] == "edited again by B"
