"""The fast import (issue 20) stores exactly what the import stored before, and parsing in
worker processes gives the same outcome, file for file, as parsing in this process."""

from __future__ import annotations

import json
import sqlite3
import sys
import threading
from collections.abc import Iterator
from pathlib import Path

import pytest

from kzpk_desktop.core.articles import OPEN_DATABASE_REFUSAL, article_from_bytes, extract_metadata
from kzpk_desktop.core.import_workers import PROCESS_MIN_FILES, worker_count
from kzpk_desktop.core.importer import _row, import_paths
from kzpk_desktop.core.store import Store
from kzpk_desktop.core.store.imports import insert_new_articles

ROOT = Path(__file__).resolve().parents[2]
# Recorded with the import as it was before issue 20's work (commit 2a86e30): text hash, title,
# outlet, date (ISO, raw, precision), author, URL, language, encoding, title/date origin, notes.
GOLDEN = json.loads((Path(__file__).with_name("import_golden.json")).read_text(encoding="utf-8"))
FOLDERS = ("seeds", "tests/metadata_corpus", "tests/metadata_corpus_heldout", "tests/core/crossoutlet_corpus")


@pytest.mark.parametrize("workers", [0, 2])
def test_the_corpora_are_stored_as_before(tmp_path: Path, workers: int) -> None:
    checked = 0
    for k, folder in enumerate(FOLDERS):
        store = Store.open(tmp_path / f"{workers}-{k}.db")
        report = import_paths(store, [ROOT / folder], workers=workers)
        assert [Path(name).suffix for name, _ in report.refused] in ([], [".json"])  # (the expected values)
        assert not report.not_saved and report.failure is None
        for name, article_id in report.imported:
            want = GOLDEN[f"{folder}/{Path(name).name}"]
            a = store.articles.get(article_id)
            got = [a.sha256, a.title, a.source, a.date, a.date_raw, a.date_precision, a.author, a.url, a.language]
            assert got == want[:9], name
            assert [a.encoding, a.title_source, a.date_source] == want[9:12], name
            assert [note for file, note in report.notes if file == name] == want[12], name
            checked += 1
        store.close()
    assert checked == len(GOLDEN) == 94


def _messy(root: Path) -> Path:
    """Articles, a duplicate, and files refused for four different reasons."""
    root.mkdir()
    for i in range(30):
        (root / f"a{i:02d}.txt").write_text(
            f"Headline number {i} about the corridor\n\nASTANA, 3 March 2025 (Kazinform): Talks {i} went on.\n",
            encoding="utf-8",
        )
    (root / "a99.txt").write_text((root / "a07.txt").read_text(encoding="utf-8"), encoding="utf-8")
    (root / "empty.txt").write_bytes(b"")
    (root / "binary.txt").write_bytes(b"\x89PNG\r\n\x1a\n" + bytes(range(256)))
    (root / ".hidden.txt").write_text("Hidden words here\n", encoding="utf-8")
    (root / "table.csv").write_text("a,b\n", encoding="utf-8")
    return root


def _rows(store: Store) -> list[tuple[object, ...]]:
    cols = "id, title, source, date, date_precision, text, file_name, sha256, encoding, language, format"
    return list(store.conn.execute(f"SELECT {cols} FROM articles ORDER BY id"))


@pytest.fixture
def other_thread() -> Iterator[None]:
    """A second thread alive (as in the GUI): worker processes then come from a fork server."""
    stop = threading.Event()
    t = threading.Thread(target=stop.wait)
    t.start()
    yield
    stop.set()
    t.join()


@pytest.mark.parametrize("threads", ["one thread (fork)", "two threads (fork server)"])
def test_worker_processes_give_the_same_outcome_file_for_file(
    tmp_path: Path, request: pytest.FixtureRequest, threads: str
) -> None:
    if threads.startswith("two"):
        request.getfixturevalue("other_thread")
    folder = _messy(tmp_path / "corpus")
    here, there = Store.open(tmp_path / "here.db"), Store.open(tmp_path / "there.db")
    a = import_paths(here, [folder], batch_size=7, workers=0)
    b = import_paths(there, [folder], batch_size=7, workers=2)
    assert [r.line() for r in b.results] == [r.line() for r in a.results]
    assert len(b.imported) == 30 and len(b.duplicates) == 1 and len(b.refused) == 4
    assert b.notes == a.notes
    assert _rows(there) == _rows(here)


def test_cancel_stops_worker_processes_where_the_user_did(tmp_path: Path) -> None:
    folder = _messy(tmp_path / "corpus")
    store = Store.open(tmp_path / "c.db")
    seen: list[int] = []

    def progress(done: int, total: int, name: str) -> bool:
        seen.append(done)
        return done < 12

    report = import_paths(store, [folder], progress=progress, batch_size=5, workers=2)
    assert report.cancelled and seen[-1] == 12
    assert [r.outcome for r in report.results[:12]] == ["refused"] + ["imported"] * 11  # (.hidden.txt first)
    assert {r.outcome for r in report.results[12:]} == {"not saved"}
    assert len(report.results) == 35 and store.articles.count() == 11


@pytest.mark.parametrize("threads", ["one thread (fork)", "two threads (fork server)"])
def test_a_worker_process_refuses_the_open_database(
    tmp_path: Path, request: pytest.FixtureRequest, threads: str
) -> None:
    if threads.startswith("two"):
        request.getfixturevalue("other_thread")
    folder = _messy(tmp_path / "corpus")
    db = folder / "project.txt"  # an open database named like an article
    store = Store.open(db)
    report = import_paths(store, [db, db.with_name("project.txt-wal"), folder / "a01.txt"], workers=2)
    assert [r.outcome for r in report.results] == ["refused", "refused", "imported"]
    assert report.results[0].detail == report.results[1].detail == OPEN_DATABASE_REFUSAL


def test_small_imports_stay_in_this_process() -> None:
    assert worker_count(PROCESS_MIN_FILES - 1, None) == 0
    assert worker_count(5, 0) == 0 and worker_count(5, 2) == 2


def test_body_paragraphs_never_reach_the_date_parser(monkeypatch: pytest.MonkeyPatch) -> None:
    """Each line under the headline used to be handed to the date parser whole; a line with no
    year cannot be a date, so only lines holding one are parsed (the import's main cost)."""
    body = [f"Paragraph {i} says the ministers met and agreed on several points of trade." for i in range(10)]
    text = "\n\n".join(["Ministers meet on the corridor", "ISLAMABAD (APP): The talks opened.", *body])
    module = sys.modules[extract_metadata.__module__]
    asked: list[str] = []
    real = module.parse_news_date
    monkeypatch.setattr(module, "parse_news_date", lambda s: asked.append(s) or real(s))
    found = extract_metadata(text + "\n\nIt was signed on 7 March 2025 in the capital.")
    assert (found.title, found.source) == ("Ministers meet on the corridor", "APP")
    assert not [s for s in asked if s.startswith("Paragraph")]
    assert asked == ["It was signed on 7 March 2025 in the capital."]


def test_a_batch_is_checked_for_duplicates_in_one_query(tmp_path: Path) -> None:
    store = Store.open(tmp_path / "d.db")
    rows = [_row(article_from_bytes(f"Headline {i} words\n\nBody {i}.\n".encode(), f"{i}.txt")) for i in range(100)]
    insert_new_articles(store, rows[:50])
    statements: list[str] = []
    store.conn.set_trace_callback(statements.append)
    out = insert_new_articles(store, rows)
    store.conn.set_trace_callback(None)
    assert [o.inserted for o in out] == [False] * 50 + [True] * 50
    assert [o.article_id for o in out] == list(range(1, 101))
    assert sum(s.lstrip().startswith("SELECT") for s in statements) == 2  # hashes before, new ids after
    with pytest.raises(sqlite3.IntegrityError):
        store.articles.insert_articles(rows[:1])
