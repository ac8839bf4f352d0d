"""Adjudication into the gold layer: A's, B's, both, neither; undoable; originals kept."""

from __future__ import annotations

import csv
import io
from pathlib import Path

import pytest

from kzpk_desktop.core.operations.base import OperationError, UndoHistory
from kzpk_desktop.core.store import Store
from kzpk_desktop.core.team.adjudication import adjudicate
from tests.cli.test_cli import kzpk
from tests.team.helpers import span


def gold(store: Store) -> list[tuple]:
    return store.conn.execute(
        'SELECT article_id, label, start, "end", annotator, curated_by, gold_of '
        "FROM annotations WHERE curated_by IS NOT NULL ORDER BY start, annotator"
    ).fetchall()


def originals(store: Store) -> list[tuple]:
    return store.conn.execute(
        'SELECT id, start, "end", annotator, note, updated_at FROM annotations WHERE curated_by IS NULL ORDER BY id'
    ).fetchall()


@pytest.fixture
def two_coders(seed: dict[str, object]) -> tuple[Store, str, str]:
    store = Store.open(seed["path"])  # type: ignore[arg-type]
    text = store.articles.text(3)
    i = text.index("Pakistan")
    a = span(store, 3, "Pakistan", "actor", "ann")
    from kzpk_desktop.core import annotations as ann

    b = ann.create_annotation(store, 3, i, i + len("Pakistan") + 4, "actor", annotator="bob").id
    return store, a, b


def test_take_a_then_b_then_both_then_neither_and_undo(two_coders: tuple[Store, str, str]) -> None:
    store, a, b = two_coders
    before = originals(store)
    history = UndoHistory(store)
    history.do(adjudicate(store, [a], "judy"))
    ga = gold(store)
    assert [(g[4], g[5], g[6]) for g in ga] == [("ann", "judy", a)]
    history.do(adjudicate(store, [b], "judy"))  # B's overlaps A's: it replaces it
    assert [(g[4], g[6]) for g in gold(store)] == [("bob", b)]
    history.do(adjudicate(store, [a, b], "judy"))
    assert [(g[4], g[6]) for g in gold(store)] == [("ann", a), ("bob", b)]
    g0 = gold(store)
    history.do(adjudicate(store, [], "judy", article_id=3, label="actor", start=g0[0][2], end=g0[1][3]))
    assert gold(store) == []
    assert originals(store) == before  # the coders' spans are never touched
    history.undo()
    assert [(g[4], g[6]) for g in gold(store)] == [("ann", a), ("bob", b)]
    history.undo()
    history.undo()
    assert gold(store) == ga
    history.undo()
    assert gold(store) == []
    history.redo()
    assert gold(store) == ga
    assert originals(store) == before
    log = store.conn.execute("SELECT who, action FROM changes WHERE action = 'curate'").fetchall()
    assert log and {w for w, _a in log} == {"judy"}
    with pytest.raises(OperationError, match="not gold copies"):
        adjudicate(store, [gold_ids(store)[0]], "judy")
    store.close()


def gold_ids(store: Store) -> list[str]:
    return [r[0] for r in store.conn.execute("SELECT id FROM annotations WHERE curated_by IS NOT NULL")]


def test_adjudicate_cli_and_gold_export(two_coders: tuple[Store, str, str], tmp_path: Path) -> None:
    store, _a, b = two_coders
    path = str(store.path)
    store.close()
    r = kzpk("--db", path, "--as", "judy", "adjudicate", b)
    assert r.returncode == 0, r.stderr
    assert r.stdout.strip().startswith("Gold: take bob (actor ")
    r = kzpk("--db", path, "export", "--format", "csv", "--gold")
    assert r.returncode == 0, r.stderr
    rows = list(csv.DictReader(io.StringIO(r.stdout)))
    assert len(rows) == 1 and rows[0]["annotator"] == "bob"
    assert rows[0]["curated_by"] == "judy" and rows[0]["curated_at"].endswith("Z")  # the export names the adjudicator
    r = kzpk("--db", path, "export", "--format", "csv")
    assert len(list(csv.DictReader(io.StringIO(r.stdout)))) == 6  # 3 seed + ann + bob + the gold copy
    r = kzpk("--db", path, "adjudicate", "--none", "3:x:9:actor")
    assert r.returncode == 1 and "--none takes ARTICLE:START:END:LABEL" in r.stderr
    r = kzpk("--db", path, "adjudicate")
    assert r.returncode == 1 and "give the span ids" in r.stderr


def test_adjudicate_none_from_the_cli_decides_the_place_without_a_span(two_coders: tuple[Store, str, str]) -> None:
    """``--none ARTICLE:START:END:LABEL`` reaches the operation as typed arguments (no dict)."""
    store, _a, b = two_coders
    path = str(store.path)
    bob = store.annotations.get(b)
    store.close()
    assert kzpk("--db", path, "--as", "judy", "adjudicate", b).returncode == 0
    place = f"{bob.article_id}:{bob.start}:{bob.end}:{bob.label}"
    r = kzpk("--db", path, "--as", "judy", "adjudicate", "--none", place)
    assert r.returncode == 0, r.stderr
    assert r.stdout == f"Gold: take neither ({bob.label} {bob.start}–{bob.end})\n"
    s = Store.open(path)
    assert gold(s) == []  # bob's gold copy at that place is gone
    s.close()
