"""Databases over the at-open check size: verified in the background, damage stops editing."""

from __future__ import annotations

import sqlite3
from pathlib import Path
from typing import Any

import pytest

from tests.gui.conftest import Answers


@pytest.fixture
def big(monkeypatch: pytest.MonkeyPatch) -> None:
    """Pretend every database is "big" so the background path runs on small test files."""
    monkeypatch.setattr("kzpk_desktop.core.store.base.QUICK_CHECK_AT_OPEN_BYTES", 0)
    monkeypatch.setattr("kzpk_desktop.gui.database.DatabaseCare.VERIFY_DELAY_MS", 10)


def damage(path: Path) -> None:
    with sqlite3.connect(path) as conn:
        conn.execute("PRAGMA wal_checkpoint(TRUNCATE)")
        root = conn.execute("SELECT rootpage FROM sqlite_master WHERE name = 'articles_fts_data'").fetchone()[0]
    data = bytearray(path.read_bytes())
    page = 4096
    start = (root - 1) * page
    data[start : start + 12] = b"\x00" * 12  # break the header of a page opening the window never reads
    path.write_bytes(bytes(data))


def test_a_sound_big_database_passes_the_background_check(
    qtbot: Any, seeded_db: Path, big: None, answers: Answers
) -> None:
    from kzpk_desktop.app import create_main_window

    w = create_main_window(seeded_db)
    qtbot.addWidget(w)
    assert w.store is not None and not w.store.verified_at_open
    qtbot.waitUntil(lambda: "Integrity check passed" in w.statusBar().currentMessage(), timeout=10000)
    assert answers.errors == [] and w.store is not None
    w.close()


def test_damage_found_in_the_background_closes_the_database(
    qtbot: Any, seeded_db: Path, big: None, answers: Answers
) -> None:
    from kzpk_desktop.app import create_main_window

    damage(seeded_db)
    w = create_main_window(seeded_db)
    qtbot.addWidget(w)
    qtbot.waitUntil(lambda: bool(answers.errors), timeout=10000)
    assert "damaged" in answers.errors[-1]
    assert w.store is None and not w.registry["actionImport"].isEnabled()
    w.close()


def test_closing_during_the_check_interrupts_it_cleanly(
    qtbot: Any, seeded_db: Path, big: None, answers: Answers
) -> None:
    from kzpk_desktop.app import create_main_window

    w = create_main_window(seeded_db)
    qtbot.addWidget(w)
    qtbot.waitUntil(lambda: bool(w.db._jobs), timeout=5000)  # the scan has been started
    w.close()  # cancels (interrupts) the scan and waits for the thread: no abort, no error dialog
    assert answers.errors == []
