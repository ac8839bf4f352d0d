"""The merge reads in full only the rows that differ: ``differing`` names exactly the ids whose
revision differs or that only theirs holds, plus mine that theirs deleted; a merge of copies
that differ in nothing reads no item at all."""

from __future__ import annotations

from pathlib import Path

from kzpk_desktop.core.store import Store
from kzpk_desktop.core.store.team import differing, open_readonly
from tests.team.test_merge import copy, diverge


def ids(path: Path, table: str, col: str) -> set[str]:
    s = Store.open(path)
    try:
        return {r[0] for r in s.conn.execute(f"SELECT {col} FROM {table}")}
    finally:
        s.close()


def test_differing_names_exactly_the_changed_ids(seed: dict[str, object], tmp_path: Path) -> None:
    paths = diverge(seed, tmp_path)
    a_spans = ids(paths["A"], "annotations", "id")
    b_spans = ids(paths["B"], "annotations", "id")
    new_in_b = b_spans - a_spans - {seed["a2"]}  # a2 was deleted in A, kept (edited) in B
    mine = Store.open(paths["A"])
    theirs = open_readonly(paths["B"])
    try:
        found = differing(mine.conn, theirs)
    finally:
        theirs.close()
        mine.close()
    # a1 edited on both sides, a2 deleted in A and edited in B, a3 deleted in B, plus B's new span
    assert found["annotation"] == frozenset({seed["a1"], seed["a2"], seed["a3"], *new_in_b})
    assert len(new_in_b) == 1
    assert found["relation"] == frozenset()
    assert found["evidence"] == frozenset()
    assert found["decision"] == frozenset()
    assert "entity" not in found  # entities are always read whole (same-name offers need them)


def test_identical_copies_differ_in_nothing(seed: dict[str, object], tmp_path: Path) -> None:
    a, b = copy(seed, tmp_path, "A"), copy(seed, tmp_path, "B")
    mine = Store.open(a)
    theirs = open_readonly(b)
    try:
        found = differing(mine.conn, theirs)
    finally:
        theirs.close()
        mine.close()
    assert found == {k: frozenset() for k in ("annotation", "relation", "evidence", "decision")}
