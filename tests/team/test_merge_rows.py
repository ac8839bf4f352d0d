"""Articles and labels travel in a merge as typed rows, every column as it was (the import
provenance too: URL, author, language, format, extractor)."""

from __future__ import annotations

import dataclasses
import json
import shutil
from pathlib import Path

from kzpk_desktop.core.articles import article_from_bytes
from kzpk_desktop.core.importer import _row
from kzpk_desktop.core.operations.base import run
from kzpk_desktop.core.operations.labels import AddLabel
from kzpk_desktop.core.rows import Label
from kzpk_desktop.core.store import Store
from kzpk_desktop.core.store.imports import ARTICLE_IMPORT_COLUMNS, NewArticle
from kzpk_desktop.core.store.team import open_readonly, snapshot
from kzpk_desktop.core.team.merge import merge

COLS = ", ".join(ARTICLE_IMPORT_COLUMNS)
assert {"url", "author", "language", "extractor"} <= set(ARTICLE_IMPORT_COLUMNS)


def test_a_new_article_and_label_travel_whole(seed: dict[str, object], tmp_path: Path) -> None:
    a, b = tmp_path / "A.db", tmp_path / "B.db"
    shutil.copy(str(seed["path"]), a)
    shutil.copy(str(seed["path"]), b)
    theirs = Store.open(b)
    label = Label("quote", "Quote", "#123456", "Q", None, "Someone's own words", 9)
    run(theirs, AddLabel(label, "bob"))
    new = _row(article_from_bytes(b"A new article\n\nIts body.", "n.txt"))
    new = dataclasses.replace(new, url="https://news.example/n", author="A. Reporter", language="en")
    (article_id,) = theirs.articles.insert_articles([new])
    new_row = theirs.conn.execute(f"SELECT {COLS} FROM articles WHERE id = ?", (article_id,)).fetchone()
    label_row = theirs.conn.execute("SELECT * FROM labels WHERE id = 'quote'").fetchone()
    theirs.close()

    conn = open_readonly(b)
    try:
        full = snapshot(conn)
        hashes_only = snapshot(conn, article_rows=False)
    finally:
        conn.close()
    sha = new_row[ARTICLE_IMPORT_COLUMNS.index("sha256")]
    assert full.articles[sha] == NewArticle(*new_row)
    assert full.labels["quote"] == label
    assert hashes_only.articles == {} and sha in hashes_only.article_hashes
    assert hashes_only.article_hashes == frozenset(full.articles)

    mine = Store.open(a)
    report = merge(mine, b, "ann")
    assert (report.articles_added, report.labels_added) == (1, 1)
    assert mine.conn.execute(f"SELECT {COLS} FROM articles WHERE sha256 = ?", (sha,)).fetchone() == new_row
    assert mine.conn.execute("SELECT * FROM labels WHERE id = 'quote'").fetchone() == label_row
    logged = mine.conn.execute("SELECT after FROM changes WHERE action = 'merge' AND entity = 'label'").fetchall()
    assert [json.loads(r[0]) for r in logged] == [label.as_dict()]
    mine.close()
