"""No acknowledged write is lost when several connections share the file.

A GUI-like writer also opens a second Store in-process every few writes (as the import and
export workers do) while another program opens and closes the database read-write over
and over (tests/reliability/browser.py); then the writer is SIGKILLed, hundreds of times.
Before the connection factory, Store.open read the header with a plain open(): closing
that descriptor dropped the writer's fcntl locks, the browser's close then deleted the live
-wal, and the writer went on "saving" into an unlinked file.

Default: 200 kills (about 30 s here); ``KZPK_LONG_RELIABILITY=1`` runs 1,000.
"""

from __future__ import annotations

import os
import random
import signal
import sqlite3
import subprocess
import sys
import time
from pathlib import Path

import pytest

from kzpk_desktop.core.importer import import_paths
from kzpk_desktop.core.store import Store
from tests.conftest import SEEDS

ROOT = Path(__file__).resolve().parents[2]
LONG = os.environ.get("KZPK_LONG_RELIABILITY") == "1"
KILLS = 1000 if LONG else 200
BUDGET_S = 1500 if LONG else 240


def start(module: str, *args: str) -> subprocess.Popen[str]:
    proc = subprocess.Popen(
        [sys.executable, "-m", module, *args], cwd=ROOT, stdin=subprocess.PIPE, stdout=subprocess.PIPE, text=True
    )
    assert proc.stdout is not None and proc.stdout.readline().strip() == "READY"
    return proc


def ask(server: subprocess.Popen[str], line: str) -> str:
    assert server.stdin is not None and server.stdout is not None
    server.stdin.write(line + "\n")
    server.stdin.flush()
    return server.stdout.readline().strip()


def acks(ack_file: Path) -> tuple[int, set[str]]:
    lines = ack_file.read_text(encoding="utf-8").splitlines() if ack_file.exists() else []
    return lines.count("READY"), {x.split()[1] for x in lines if x.startswith("ACK ") and len(x.split()) == 2}


def wait_ready(ack_file: Path, expected: int, timeout: float = 30) -> None:
    deadline = time.monotonic() + timeout
    while acks(ack_file)[0] < expected:
        assert time.monotonic() < deadline, "the writer never opened its store"
        time.sleep(0.002)


@pytest.fixture
def corpus(tmp_path: Path) -> Path:
    db = tmp_path / "shared.db"
    store = Store.open(db)
    import_paths(store, [SEEDS])
    store.close()
    return db


@pytest.mark.slow
def test_no_acknowledged_write_is_lost_while_other_connections_come_and_go(corpus: Path, tmp_path: Path) -> None:
    ack_file = tmp_path / "acks.txt"
    rnd = random.Random(4242)
    server = start("tests.reliability.writer", str(corpus), "forkserver", str(ack_file))
    browser = start("tests.reliability.browser", str(corpus))
    kills = 0
    started = time.monotonic()
    try:
        while kills < KILLS and time.monotonic() - started < BUDGET_S:
            pid = int(ask(server, "spawn").split()[1])
            wait_ready(ack_file, kills + 1)
            time.sleep(rnd.uniform(0.02, 0.12))
            os.kill(pid, signal.SIGKILL)
            assert ask(server, f"reap {pid}") == "DEAD"
            kills += 1
            _, acked = acks(ack_file)
            with sqlite3.connect(corpus, timeout=10) as conn:
                present = {r[0] for r in conn.execute("SELECT id FROM annotations")}
                integrity = conn.execute("PRAGMA integrity_check").fetchall()
            conn.close()
            lost = acked - present
            assert not lost, f"{len(lost)} of {len(acked)} acknowledged annotations lost after kill {kills}"
            assert integrity == [("ok",)], f"integrity_check after kill {kills}: {integrity[:3]}"
            if kills % 20 == 0:  # and the open sees no damage (no false alarm about the WAL)
                store = Store.open(corpus, readonly=True)
                damage = store.damage
                store.close()
                assert damage == (), f"after kill {kills}: {damage}"
    finally:
        for proc in (server, browser):
            proc.kill()
            proc.wait(timeout=30)
    elapsed = time.monotonic() - started
    _, acked = acks(ack_file)
    assert kills == KILLS, f"only {kills} kills in {elapsed:.0f} s"
    assert len(acked) > kills
    store = Store.open(corpus, readonly=True)
    try:
        assert store.integrity.check() == []
    finally:
        store.close()
    print(
        f"\nshared-file kill loop: {kills} kills, {len(acked)} acknowledged writes, 0 lost, "
        f"integrity ok after every kill ({elapsed:.0f} s)"
    )
