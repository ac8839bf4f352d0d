"""An import is one undo step: Ctrl+Z takes back exactly the articles it added, Ctrl+Shift+Z
puts the same rows back (ids, text, metadata, status), and an undo that would take spans with
it is refused with a sentence and changes nothing."""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path

import pytest

from kzpk_desktop.core import annotations as ann
from kzpk_desktop.core import operations as ops
from kzpk_desktop.core.importer import import_paths
from kzpk_desktop.core.store import Store
from tests.conftest import SEEDS
from tests.core.test_operations import assert_exact, snapshot

HARD = "Астана 🇰🇿 and Islamabad\r\nاسلام آباد — e\u0301\u2028second line\n"


@pytest.fixture
def store(tmp_path: Path) -> Iterator[Store]:
    s = Store.open(tmp_path / "undo.db")
    import_paths(s, [SEEDS / sorted(p.name for p in SEEDS.iterdir() if p.suffix == ".txt")[0]])
    yield s
    s.close()


def _import(store: Store, tmp_path: Path, history: ops.UndoHistory) -> list[int]:
    folder = tmp_path / "new"
    folder.mkdir()
    (folder / "hard.txt").write_bytes(HARD.encode("utf-8"))
    report = import_paths(store, [folder, SEEDS])
    ids = [a for _name, a in report.imported]
    assert len(ids) == len(report.imported) >= 2  # the hard text and the seeds not yet in
    history.record(f"Import {len(ids)} articles", ops.imported(ids, "me"))
    return ids


def test_undo_takes_back_exactly_the_import_and_redo_restores_the_same_rows(store: Store, tmp_path: Path) -> None:
    history = ops.UndoHistory(store)
    heard: list[ops.Changes] = []
    history.subscribe(heard.append)
    before = snapshot(store)
    ids = _import(store, tmp_path, history)
    assert heard == [ops.Changes(articles=frozenset(ids), article_set=True)]
    after = snapshot(store)
    assert_exact(store, before, heard[-1])
    hard = next(i for i in ids if store.articles.get(i).file_name == "hard.txt")
    stored = store.articles.text(hard)
    assert "🇰🇿" in stored and "\u2028" in stored
    assert history.undo_text == f"Import {len(ids)} articles"

    changes = history.undo()
    assert changes.article_set and changes.articles == frozenset(ids)
    assert snapshot(store) == before
    assert store.conn.execute("SELECT count(*) FROM articles_fts WHERE articles_fts MATCH 'Астана'").fetchone()[0] == 0

    history.redo()
    assert snapshot(store) == after  # same ids, same text to the byte, same metadata and status
    assert store.articles.text(hard) == stored
    assert store.conn.execute("SELECT count(*) FROM articles_fts WHERE articles_fts MATCH 'Астана'").fetchone()[0] == 1


def test_an_undo_that_would_take_spans_with_it_is_refused(store: Store, tmp_path: Path) -> None:
    history = ops.UndoHistory(store)
    ids = _import(store, tmp_path, history)
    text = store.articles.text(ids[-1])
    ann.create_annotation(store, ids[-1], 0, 5, "actor", annotator="me")  # outside the history
    kept = snapshot(store)
    with pytest.raises(ops.OperationError, match=rf"article {ids[-1]} has 1 span\(s\) now") as err:
        history.undo()
    assert str(err.value).startswith(f"Cannot undo “Import {len(ids)} articles”")
    assert snapshot(store) == kept and history.can_undo
    assert store.articles.text(ids[-1]) == text


def test_a_redo_is_refused_when_the_text_was_imported_again_meanwhile(store: Store, tmp_path: Path) -> None:
    history = ops.UndoHistory(store)
    ids = _import(store, tmp_path, history)
    history.undo()
    again = import_paths(store, [tmp_path / "new"])  # e.g. `kzpk import` from a terminal
    (new_id,) = [a for _name, a in again.imported]
    kept = snapshot(store)
    with pytest.raises(ops.OperationError, match=rf"was imported again since \(now article {new_id}\)"):
        history.redo()
    assert snapshot(store) == kept and history.can_redo and len(ids) == 5


def test_an_undo_is_refused_once_a_suggestion_in_the_import_was_turned_down(store: Store, tmp_path: Path) -> None:
    history = ops.UndoHistory(store)
    ids = _import(store, tmp_path, history)
    entity = next(iter(ops.run(store, ops.CreateEntity("actor", "Astana", "me")).changes.entities))
    hard = next(i for i in ids if store.articles.get(i).file_name == "hard.txt")
    ops.run(store, ops.RejectSuggestion(entity, hard, 0, 6, "me"))
    kept = snapshot(store)
    with pytest.raises(ops.OperationError, match=rf"article {hard} has entity suggestions turned down since"):
        history.undo()
    assert snapshot(store) == kept
