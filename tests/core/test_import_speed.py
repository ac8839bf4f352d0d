"""The fast import (issue 20) stores exactly what the import stored before, and parsing in
worker processes gives the same outcome, file for file, as parsing in this process."""

from __future__ import annotations

import json
import os
import sqlite3
import subprocess
import sys
import threading
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest

from kzpk_desktop.core.articles import OPEN_DATABASE_REFUSAL, article_from_bytes, extract_metadata, iter_candidate_files
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


_KILL_A_WORKER = """
import os, sys
from pathlib import Path
import kzpk_desktop.core.import_workers as iw
from kzpk_desktop.core.importer import import_paths
from kzpk_desktop.core.store import Store

parse, parent = iw.parse_chunk, os.getpid()

def dies_on_f00400(chunk):
    if os.getpid() != parent and any(c.name.endswith("f00400.txt") for c in chunk):
        os._exit(9)  # a worker killed (out of memory, kill -9) in the middle of the import
    return parse(chunk)

iw.parse_chunk = dies_on_f00400
report = import_paths(Store.open(Path(sys.argv[2])), [Path(sys.argv[1])], batch_size=50, workers=1)
print(len(report.imported), len(report.results), report.failure)
"""


def _many(folder: Path, n: int) -> Path:
    folder.mkdir()
    for i in range(n):
        (folder / f"f{i:05d}.txt").write_text(f"Report {i} from Gwadar\n\nThe port handled {i} containers.\n")
    return folder


def test_a_worker_that_dies_does_not_stop_the_import(tmp_path: Path) -> None:
    """(Its own single-threaded process: the worker is forked and inherits the fault.)"""
    folder = _many(tmp_path / "in", 3000)
    r = subprocess.run(
        [sys.executable, "-c", _KILL_A_WORKER, str(folder), str(tmp_path / "k.db")],
        cwd=ROOT,
        capture_output=True,
        text=True,
        timeout=300,
    )
    assert r.returncode == 0, r.stderr[-2000:]
    assert r.stdout == "3000 3000 None\n"
    with sqlite3.connect(tmp_path / "k.db") as conn:
        assert conn.execute("SELECT count(*) FROM articles").fetchone() == (3000,)


def test_workers_get_batches_while_the_folder_is_still_walked(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    """The first batch goes to a worker once PROCESS_MIN_FILES files were met, not after the walk."""
    import kzpk_desktop.core.import_workers as iw

    folder = _many(tmp_path / "in", PROCESS_MIN_FILES + 1500)
    walked = [0]
    first_handed_out_at: list[int] = []
    real_submit = iw._submit

    def counting(pool: Any, chunk: Any) -> Any:
        if not first_handed_out_at and isinstance(pool, iw.ProcessPoolExecutor):
            first_handed_out_at.append(walked[0])
        return real_submit(pool, chunk)

    def walk(paths: Any) -> Iterator[Any]:
        for cand in iter_candidate_files(paths):
            walked[0] += 1
            yield cand

    monkeypatch.setattr(iw, "_submit", counting)
    monkeypatch.setattr("kzpk_desktop.core.importer.iter_candidate_files", walk)
    report = import_paths(
        Store.open(tmp_path / "w.db"), [folder], batch_size=500, workers=None if (os.cpu_count() or 1) > 1 else 1
    )
    assert len(report.imported) == PROCESS_MIN_FILES + 1500
    assert first_handed_out_at and first_handed_out_at[0] <= PROCESS_MIN_FILES + 500 < walked[0]
