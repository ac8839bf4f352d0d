"""The store: opening, migrations, refusals, the span invariant, the change log, search, check."""

from __future__ import annotations

import json
import sqlite3
from pathlib import Path

import pytest
from sqlite_utils import Database

from kzpk_desktop.core import annotations as ann
from kzpk_desktop.core.errors import SpanError, StoreError
from kzpk_desktop.core.importer import import_paths
from kzpk_desktop.core.label_file import default_labels
from kzpk_desktop.core.schema import KNOWN_MIGRATIONS, migrations
from kzpk_desktop.core.store import ArticleFilter, Store, fts_query
from tests.conftest import SEEDS, article_id_by_file


def test_new_database_has_wal_foreign_keys_labels_and_all_steps(db_path: Path) -> None:
    store = Store.open(db_path)
    assert store.conn.execute("PRAGMA journal_mode").fetchone()[0] == "wal"
    assert store.conn.execute("PRAGMA foreign_keys").fetchone()[0] == 1
    assert store.conn.execute("PRAGMA busy_timeout").fetchone()[0] == 5000
    assert store.applied_migrations() == list(KNOWN_MIGRATIONS)
    assert [(lab.id, lab.shortcut, lab.alt_shortcut) for lab in store.labels.all()] == [
        ("claim", "1", "C"),
        ("actor", "2", "A"),
        ("agreement", "3", "G"),
    ]
    store.close()


def test_default_labels_are_label_rows_and_a_broken_file_is_one_sentence(tmp_path: Path) -> None:
    labels = default_labels()
    assert [(lab.id, lab.name, lab.color, lab.shortcut, lab.alt_shortcut, lab.position) for lab in labels] == [
        ("claim", "Claim", "#E8A33D", "1", "C", 0),
        ("actor", "Actor", "#4C9BE8", "2", "A", 1),
        ("agreement", "Agreement", "#5FB87A", "3", "G", 2),
    ]
    assert labels[2].description == "An accord, MoU, action plan or other instrument between parties."
    broken = tmp_path / "labels.json"
    broken.write_text(
        json.dumps({"labels": [{"id": "claim", "name": "Claim", "color": "#E8A33D"}, {"id": "x", "name": "X"}]}),
        encoding="utf-8",
    )
    with pytest.raises(ValueError, match=r"^Label 2 in labels\.json has no 'color'\.$"):
        default_labels(broken)
    broken.write_text(json.dumps({"labels": {"id": "claim"}}), encoding="utf-8")
    with pytest.raises(ValueError, match=r"^Expected 'labels' in labels\.json to be a JSON array, found dict\.$"):
        default_labels(broken)


def test_migrates_a_version_0_database_keeping_its_rows(db_path: Path) -> None:
    """A database made by the first release (only step 1) upgrades and keeps its data."""
    db = Database(db_path)
    migrations.apply(db, stop_before="m002_fts")
    db.execute(
        "INSERT INTO articles (title, text, sha256, imported_at) "
        "VALUES ('Old', 'Old text about Gwadar', 'abc', '2024-01-01')"
    )
    db.execute(
        'INSERT INTO annotations (id, article_id, start, "end", label, text, created_at, updated_at) '
        "VALUES ('u1', 1, 15, 21, 'actor', 'Gwadar', 'x', 'x')"
    )
    db.close()
    store = Store.open(db_path)
    assert store.applied_migrations() == list(KNOWN_MIGRATIONS)
    assert store.annotations.get("u1").text == "Gwadar"
    assert store.annotations.get("u1").verdict is None  # new column from step 3
    assert store.articles.article_ids(ArticleFilter(search="gwadar")) == [1]  # FTS built over old rows
    assert store.integrity.check() == []
    store.close()


def test_refuses_a_database_from_a_newer_version(db_path: Path) -> None:
    Store.open(db_path).close()
    with sqlite3.connect(db_path) as conn:
        conn.execute(
            "INSERT INTO _sqlite_migrations (migration_set, name, applied_at) "
            "VALUES ('kzpk_desktop', 'm999_future', 'later')"
        )
    before = db_path.read_bytes()
    with pytest.raises(StoreError, match=r"newer version.*m999_future"):
        Store.open(db_path)
    assert db_path.read_bytes() == before


def test_refuses_a_file_that_is_not_sqlite_and_leaves_it(tmp_path: Path) -> None:
    bogus = tmp_path / "notes.db"
    bogus.write_text("these are my notes, not a database")
    with pytest.raises(StoreError, match="not an SQLite file"):
        Store.open(bogus)
    assert bogus.read_text() == "these are my notes, not a database"


def test_refuses_a_corrupt_database(store: Store, db_path: Path, tmp_path: Path) -> None:
    store.conn.execute("PRAGMA wal_checkpoint(TRUNCATE)")
    store.close()
    data = bytearray(db_path.read_bytes())
    page = 4096
    for offset in range(page + 100, len(data), 97):  # scribble over every page but the header
        data[offset] = (data[offset] + 77) % 256
    broken = tmp_path / "broken.db"
    broken.write_bytes(bytes(data))
    with pytest.raises(StoreError, match="damaged"):
        Store.open(broken)


def test_refuses_another_programs_database(tmp_path: Path) -> None:
    other = tmp_path / "other.db"
    with sqlite3.connect(other) as conn:
        conn.execute("CREATE TABLE recipes (id INTEGER PRIMARY KEY)")
    with pytest.raises(StoreError, match="another program"):
        Store.open(other)


def test_locked_database_fails_with_a_clear_message(store: Store, db_path: Path, monkeypatch) -> None:
    monkeypatch.setattr("kzpk_desktop.core.store.base.BUSY_TIMEOUT_MS", 100)
    blocker = sqlite3.connect(db_path)
    blocker.execute("BEGIN IMMEDIATE")
    try:
        store.conn.execute("PRAGMA busy_timeout = 100")
        with pytest.raises(StoreError, match="busy"):
            ann.create_annotation(store, 1, 0, 5, "claim")
    finally:
        blocker.rollback()
        blocker.close()
    assert store.annotations.count() == 0


def test_span_invariant_holds_for_created_spans_and_bad_spans_are_rejected(store: Store) -> None:
    aid = article_id_by_file(store, "001")
    text = store.articles.text(aid)
    i = text.index("Mohammad Ishaq Dar")
    row = ann.create_annotation(store, aid, i, i + 18, "actor", annotator="Aigerim")
    saved = store.annotations.get(row.id)
    assert saved.text == text[saved.start : saved.end] == "Mohammad Ishaq Dar"
    assert (saved.annotator, saved.status, saved.label) == ("Aigerim", "unreviewed", "actor")
    for start, end, message in [
        (10, 10, "empty"),
        (20, 10, "reversed"),
        (-1, 4, "outside"),
        (0, len(text) + 1, "outside"),
    ]:
        with pytest.raises(SpanError, match=message):
            ann.create_annotation(store, aid, start, end, "claim")
    with pytest.raises(SpanError, match="no label"):
        ann.create_annotation(store, aid, i, i + 5, "nonsense")
    with pytest.raises(SpanError, match="does not match"):
        ann.create_annotation(store, aid, i, i + 5, "actor", expected_text="Ishaq")
    assert store.annotations.count() == 1


def test_the_database_itself_refuses_a_mismatched_span(store: Store) -> None:
    row = ann.build_annotation(store, 1, 0, 5, "claim")
    row = row.replace(text="XXXXX")
    with pytest.raises(StoreError, match="does not match the article text"):
        store.annotations.insert_annotations([row], who="")
    assert store.annotations.count() == 0


def test_overlapping_and_nested_spans_are_allowed(store: Store) -> None:
    aid = article_id_by_file(store, "001")
    text = store.articles.text(aid)
    i = text.index("Action Plan of Cooperation between")
    outer = ann.create_annotation(store, aid, i, i + 60, "claim")
    inner = ann.create_annotation(store, aid, i, i + 26, "agreement")
    cross = ann.create_annotation(store, aid, i + 20, i + 70, "claim")
    ids = [r.id for r in store.annotations.for_article(aid)]
    assert set(ids) == {outer.id, inner.id, cross.id}
    assert store.articles.get(aid).n_annotations == 3
    assert store.articles.get(aid).status == "in_progress"


def test_edit_delete_restore_and_the_append_only_change_log(store: Store) -> None:
    row = ann.create_annotation(store, 1, 0, 5, "claim", annotator="A")
    ann.edit_annotation(store, row.id, "B", note="check with MoFA", status="needs_work")
    deleted = ann.delete_annotation(store, row.id, "B")
    assert store.annotations.count() == 0
    ann.restore_annotation(store, deleted, "B")
    assert deleted.relations == ()
    assert store.annotations.get(row.id) == deleted.annotation
    history = store.history.entries("annotation", row.id)
    assert [(h.action, h.who) for h in history] == [
        ("create", "A"),
        ("update", "B"),
        ("delete", "B"),
        ("create", "B"),
    ]
    assert '"needs_work"' in (history[1].after or "") and '"unreviewed"' in (history[1].before or "")
    with pytest.raises(sqlite3.DatabaseError, match="append-only"):
        store.conn.execute("DELETE FROM changes")
    with pytest.raises(SpanError, match="Unknown status"):
        ann.edit_annotation(store, row.id, "B", status="maybe")
    with pytest.raises(StoreError, match="cannot be edited"):
        store.annotations.update(row.id, {"start": 3}, "B")


def test_a_spans_offsets_and_text_move_together_or_not_at_all(store: Store) -> None:
    row = ann.create_annotation(store, 1, 0, 5, "claim")
    with pytest.raises(sqlite3.DatabaseError, match="change together"):  # another program, offsets alone
        store.conn.execute("UPDATE annotations SET start = 1 WHERE id = ?", (row.id,))
    with pytest.raises(sqlite3.DatabaseError, match="change together"):
        store.conn.execute("UPDATE annotations SET article_id = 2 WHERE id = ?", (row.id,))
    store.conn.execute("UPDATE annotations SET note = 'fine' WHERE id = ?", (row.id,))
    before = store.annotations.move(row.id, 0, 9, "A")  # the store's way: text sliced from the article
    moved = store.annotations.get(row.id)
    assert (before.end, moved.end, moved.text) == (5, 9, store.articles.text(1)[0:9])
    assert moved.note == "fine" and moved.created_at == row.created_at
    with pytest.raises(StoreError, match="outside the article"):
        store.annotations.move(row.id, 5, 5, "A")


def test_progress_lives_beside_the_article_and_survives_migration(store: Store) -> None:
    ann.create_annotation(store, 3, 0, 5, "claim")
    assert (store.articles.get(3).n_annotations, store.articles.get(3).status) == (1, "in_progress")
    assert "n_annotations" not in store.db["articles"].columns_dict
    assert store.db["article_progress"].count == store.articles.count()


def test_article_text_is_frozen_once_spans_point_into_it(store: Store) -> None:
    ann.create_annotation(store, 1, 0, 5, "claim")
    with pytest.raises(sqlite3.DatabaseError, match="cannot change"):
        store.conn.execute("UPDATE articles SET text = 'new' WHERE id = 1")


def test_full_text_search_filters_and_sorting(store: Store) -> None:
    by_file = {store.articles.get(i).file_name[:3]: i for i in store.articles.article_ids()}
    assert set(store.articles.article_ids(ArticleFilter(search="Ishaq Dar"))) == {
        by_file[k] for k in ("001", "003", "004")
    }
    assert store.articles.article_ids(ArticleFilter(search="Kosan")) == [by_file["000"]]  # prefix match
    assert store.articles.article_ids(ArticleFilter(search='"; DROP TABLE articles; --')) == []
    assert store.articles.article_ids(ArticleFilter(search="tête")) == [by_file["004"]]
    assert store.articles.article_ids(ArticleFilter(date_from="2025", date_to="2025")) == sorted(
        [by_file["001"], by_file["003"], by_file["004"]], reverse=True
    )
    assert store.articles.article_ids(ArticleFilter(date_to="2023-12-31")) == [by_file["002"]]
    assert store.articles.article_ids(ArticleFilter(status="in_progress")) == []
    oldest_first = store.articles.article_ids(sort="date", descending=False)
    assert oldest_first[0] == by_file["002"] and oldest_first[-1] == by_file["000"]
    assert fts_query("  ") is None and fts_query('a "b"') == '"a" "b"*'


def test_check_reports_planted_offset_and_foreign_key_corruption(store: Store, db_path: Path) -> None:
    row = ann.create_annotation(store, 1, 0, 5, "claim")
    assert store.integrity.check() == []
    store.close()
    with sqlite3.connect(db_path) as conn:  # plant corruption the way a buggy tool would
        conn.execute("DROP TRIGGER annotations_span_moves_whole")
        conn.execute("UPDATE annotations SET start = 1 WHERE id = ?", (row.id,))
        conn.execute(
            'INSERT INTO annotations (id, article_id, start, "end", label, text, created_at, '
            "updated_at) VALUES ('orphan', 999, 0, 1, 'claim', 'x', 'x', 'x')"
        )
    store = Store.open(db_path)
    problems = store.integrity.check()
    store.close()
    joined = "\n".join(problems)
    assert f"annotation {row.id} (article 1, 1-5)" in joined
    assert "annotations row" in joined and "missing row in articles" in joined
    assert "annotations_span_moves_whole" in joined


def test_import_then_reopen_keeps_everything(db_path: Path) -> None:
    store = Store.open(db_path)
    import_paths(store, [SEEDS])
    ann.create_annotation(store, 2, 10, 20, "claim")
    store.close()
    again = Store.open(db_path)
    assert (again.articles.count(), again.annotations.count()) == (5, 1)
    again.close()


def test_cached_list_orders_follow_every_kind_of_change(store: Store, db_path: Path, tmp_path: Path) -> None:
    by_count = store.articles.article_ids(sort="n_annotations", descending=True)
    assert store.articles.article_ids(sort="n_annotations", descending=True) is not by_count  # callers get a copy
    target = by_count[-1]
    ann.create_annotation(store, target, 0, 5, "claim")  # spans change the progress orders
    assert store.articles.article_ids(sort="n_annotations", descending=True)[0] == target
    first_by_title = store.articles.article_ids(sort="title", descending=False)
    extra = tmp_path / "zz.txt"
    extra.write_text("Aaa first headline by title order\n\nBody text here.\n", encoding="utf-8")
    import_paths(store, [extra])  # this connection's inserts
    assert store.articles.article_ids(sort="title", descending=False)[0] not in first_by_title
    other = Store.open(db_path)  # another connection (the import worker's) writes
    more = tmp_path / "aa.txt"
    more.write_text("AAA even earlier headline in title order\n\nText.\n", encoding="utf-8")
    import_paths(other, [more])
    other.close()
    assert len(store.articles.article_ids(sort="title", descending=False)) == 7
    assert store.articles.get(store.articles.article_ids(sort="title", descending=False)[0]).title.startswith(
        "AAA even"
    )
    assert (
        store.articles.article_ids(ArticleFilter(search="!!!")) == store.articles.article_ids()
    )  # no words: no constraint
