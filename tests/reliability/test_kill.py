"""Nothing lost: writers killed with SIGKILL at random moments.

Short by default (well under a minute); ``KZPK_LONG_RELIABILITY=1`` runs at least 500
kills and prints the figures recorded in docs/reliability.md.
"""

from __future__ import annotations

import csv
import os
import random
import shutil
import signal
import sqlite3
import subprocess
import sys
import threading
import time
from pathlib import Path

import pytest

from kzpk_desktop.core.importer import import_paths
from kzpk_desktop.core.schema import KNOWN_MIGRATIONS, migrations
from kzpk_desktop.core.store import Store
from tests.conftest import SEEDS

ROOT = Path(__file__).resolve().parents[2]
LONG = os.environ.get("KZPK_LONG_RELIABILITY") == "1"
KILLS = 500 if LONG else 25
BUDGET_S = 1200 if LONG else 40


def spawn(*args: str) -> subprocess.Popen[str]:
    return subprocess.Popen(
        [sys.executable, "-m", "tests.reliability.writer", *args],
        cwd=ROOT,
        stdout=subprocess.PIPE,
        stderr=subprocess.PIPE,
        text=True,
    )


def read_lines(proc: subprocess.Popen[str], sink: list[str]) -> threading.Thread:
    def pump() -> None:
        assert proc.stdout is not None
        for line in proc.stdout:
            sink.append(line.strip())

    t = threading.Thread(target=pump, daemon=True)
    t.start()
    return t


def wait_for(lines: list[str], token: str, timeout: float = 30) -> None:
    deadline = time.monotonic() + timeout
    while token not in lines:
        assert time.monotonic() < deadline, f"writer never said {token}"
        time.sleep(0.005)


def kill(proc: subprocess.Popen[str], pump: threading.Thread) -> None:
    proc.send_signal(signal.SIGKILL)
    proc.wait(timeout=30)
    pump.join(timeout=5)


def kill_at_random(max_delay: float, rnd: random.Random, *args: str) -> list[str]:
    """Start a writer, let it work for a random moment, SIGKILL it; returns what it printed."""
    lines: list[str] = []
    proc = spawn(*args)
    pump = read_lines(proc, lines)
    wait_for(lines, "READY")
    time.sleep(rnd.uniform(0.0, max_delay))
    kill(proc, pump)
    return lines


def sound(db: Path) -> None:
    with sqlite3.connect(db) as conn:
        assert conn.execute("PRAGMA integrity_check").fetchone()[0] == "ok"
    store = Store.open(db)
    try:
        assert store.integrity.check() == []
    finally:
        store.close()


@pytest.fixture
def corpus(tmp_path: Path) -> Path:
    db = tmp_path / "kill.db"
    store = Store.open(db)
    import_paths(store, [SEEDS])
    store.close()
    return db


def test_acknowledged_annotations_survive_sigkill(corpus: Path) -> None:
    rnd = random.Random(1234)
    acked: set[str] = set()
    kills = 0
    started = time.monotonic()
    while kills < KILLS and time.monotonic() - started < BUDGET_S:
        lines = kill_at_random(0.15, rnd, str(corpus), "annotate")
        kills += 1
        acked.update(line.split()[1] for line in lines if line.startswith("ACK "))
        with sqlite3.connect(corpus) as conn:
            present = {r[0] for r in conn.execute("SELECT id FROM annotations")}
        lost = acked - present
        assert not lost, f"{len(lost)} acknowledged annotations lost after kill {kills}"
        if kills % 10 == 0 or kills == KILLS:
            sound(corpus)
    sound(corpus)
    r = subprocess.run(
        [sys.executable, "-m", "kzpk_desktop.cli", "--db", str(corpus), "check"],
        cwd=ROOT,
        capture_output=True,
        text=True,
        timeout=120,
    )
    assert r.returncode == 0, r.stderr
    assert kills >= min(KILLS, 10) and len(acked) > kills
    print(
        f"\nkill loop: {kills} kills, {len(acked)} acknowledged writes checked, 0 lost "
        f"({time.monotonic() - started:.0f} s)"
    )


def test_a_kill_during_migration_leaves_old_or_new_schema_never_half(tmp_path: Path) -> None:
    rnd = random.Random(99)
    template = tmp_path / "old.db"
    from sqlite_utils import Database

    db = Database(template)
    migrations.apply(db, stop_before="m007_progress_table_and_cheap_span_checks")
    db.close()
    with sqlite3.connect(template) as conn:  # enough rows that the migration takes a while
        for i in range(400):
            conn.execute(
                "INSERT INTO articles (title, text, sha256, imported_at) VALUES (?, ?, ?, 'x')",
                (f"t{i}", "word " * 400, f"h{i}"),
            )
    outcomes = {"old": 0, "new": 0}
    for k in range(12 if not LONG else 100):
        db_path = tmp_path / f"m{k}.db"
        shutil.copy(template, db_path)
        kill_at_random(0.25, rnd, str(db_path), "migrate")
        with sqlite3.connect(db_path) as conn:
            applied = [r[0] for r in conn.execute("SELECT name FROM _sqlite_migrations ORDER BY id")]
            cols = {r[1] for r in conn.execute("PRAGMA table_info(articles)")}
            has_progress = conn.execute(
                "SELECT count(*) FROM sqlite_master WHERE name = 'article_progress'"
            ).fetchone()[0]
            assert conn.execute("PRAGMA integrity_check").fetchone()[0] == "ok"
        m7 = "m007_progress_table_and_cheap_span_checks" in applied
        assert m7 == bool(has_progress) == ("n_annotations" not in cols)  # each step all or nothing
        outcomes["new" if applied == list(KNOWN_MIGRATIONS) else "old"] += 1
        sound(db_path)  # and whatever state it was left in opens, upgrades and checks clean
    assert sum(outcomes.values()) >= 12


def test_a_kill_during_export_leaves_the_old_file_or_a_complete_new_one(corpus: Path, tmp_path: Path) -> None:
    from kzpk_desktop.core import annotations as ann

    store = Store.open(corpus)
    text = store.articles.text(2)
    for i in range(0, 2000, 10):
        ann.create_annotation(store, 2, i, i + 5, "claim")
    n = store.annotations.count()
    store.close()
    out = tmp_path / "export.csv"
    out.write_text("previous,file\n", encoding="utf-8")
    rnd = random.Random(7)
    seen = {"old": 0, "new": 0}
    for _ in range(15 if not LONG else 100):
        kill_at_random(0.2, rnd, str(corpus), "export", str(out))
        content = out.read_text(encoding="utf-8")
        if content == "previous,file\n":
            seen["old"] += 1
        else:
            rows = list(csv.DictReader(content.splitlines()))
            assert len(rows) == n, "a half-written export under the final name"
            seen["new"] += 1
    assert text and sum(seen.values()) >= 15
    from kzpk_desktop.core.exporters.csv_export import write_csv

    store = Store.open(corpus)
    write_csv(store, out)  # the next successful export sweeps the killed runs' temporary files
    store.close()
    assert [p.name for p in tmp_path.iterdir() if p.name.endswith(".part")] == []
