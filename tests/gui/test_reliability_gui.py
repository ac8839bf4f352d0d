"""Second instances, backups and restore, network shares, disk full, and the error guard."""

from __future__ import annotations

import logging
import os
import sqlite3
import subprocess
import sys
from pathlib import Path
from typing import Any

import pytest
from PySide6.QtCore import QLockFile

from tests.gui.conftest import Answers
from tests.gui.test_desk import open_article, rows


def test_a_second_window_on_the_same_database_is_refused(
    qtbot: Any, window: Any, seeded_db: Path, answers: Answers
) -> None:
    from kzpk_desktop.app import create_main_window

    second = create_main_window(seeded_db)
    qtbot.addWidget(second)
    assert second.store is None
    assert "already open in another kzpk_desktop window" in answers.errors[-1]
    assert f"process {os.getpid()}" in answers.errors[-1]
    second.close()
    assert window.store is not None  # the first keeps working
    open_article(window, "001")
    window.reader.select_span(0, 10)
    assert window.annotating.tag_selection("claim")


def test_a_stale_lock_from_a_crashed_app_is_taken_over(qtbot: Any, seeded_db: Path, answers: Answers) -> None:
    from kzpk_desktop.app import create_main_window

    # a lock file left by a process that no longer exists (as after a crash)
    code = (
        "from PySide6.QtCore import QLockFile; import os, sys; l = QLockFile(sys.argv[1]); "
        "l.setStaleLockTime(0); assert l.tryLock(0); os._exit(0)"
    )
    subprocess.run([sys.executable, "-c", code, str(seeded_db) + ".lock"], check=True)
    assert Path(str(seeded_db) + ".lock").exists()
    w = create_main_window(seeded_db)
    qtbot.addWidget(w)
    assert w.store is not None and answers.errors == []
    w.close()
    probe = QLockFile(str(seeded_db) + ".lock")
    assert probe.tryLock(10)  # released on close
    probe.unlock()


def test_backup_and_restore_from_the_gui(qtbot: Any, window: Any, seeded_db: Path, answers: Answers) -> None:
    open_article(window, "001")
    window.reader.select_span(0, 10)
    window.annotating.tag_selection("claim")
    job = window.db.backup_now()
    with qtbot.waitSignal(job.succeeded, timeout=10000):
        pass
    window.reader.select_span(20, 40)
    window.annotating.tag_selection("actor")  # made after the backup
    assert len(rows(seeded_db)) == 2
    from kzpk_desktop.core.backups import list_backups

    answers.choice = list_backups(seeded_db)[0].stem  # the newest
    assert window.db.restore_backup_dialog()
    assert [r[3] for r in rows(seeded_db)] == ["claim"]
    aside = [
        p for p in seeded_db.parent.iterdir() if ".before-restore-" in p.name and not p.name.endswith(("-wal", "-shm"))
    ]
    assert len(aside) == 1  # the replaced file is kept, with its -wal (its latest changes)
    assert len(rows(aside[0])) == 2
    assert window.store is not None and window.article_model.rowCount() == 10


def test_a_damaged_database_offers_its_latest_backup(qtbot: Any, seeded_db: Path, answers: Answers) -> None:
    from kzpk_desktop.app import create_main_window
    from kzpk_desktop.core.backups import make_backup

    make_backup(seeded_db)
    data = bytearray(seeded_db.read_bytes())
    for offset in range(4096 + 100, len(data), 97):
        data[offset] = (data[offset] + 77) % 256
    seeded_db.write_bytes(bytes(data))
    Path(str(seeded_db) + "-wal").unlink(missing_ok=True)
    answers.confirm = True
    w = create_main_window(seeded_db)
    qtbot.addWidget(w)
    assert "damaged" in answers.errors[0]
    assert w.store is not None and w.article_model.rowCount() == 10  # restored and opened
    w.close()


def test_a_network_share_is_warned_about(
    qtbot: Any, seeded_db: Path, answers: Answers, monkeypatch: pytest.MonkeyPatch
) -> None:
    from kzpk_desktop.app import create_main_window

    monkeypatch.setattr("kzpk_desktop.core.locality.filesystem_type", lambda _p: "nfs4")
    w = create_main_window(seeded_db)
    qtbot.addWidget(w)
    assert any("network filesystem (nfs4)" in text for text, _ in answers.infos)
    w.close()


def test_disk_full_while_tagging_says_so_and_saves_nothing(window: Any, seeded_db: Path, answers: Answers) -> None:
    open_article(window, "001")
    pages = window.store.conn.execute("PRAGMA page_count").fetchone()[0]
    window.store.conn.execute(f"PRAGMA max_page_count = {pages}")  # the "disk" is now full
    text = window.reader.text()
    i = text.index("Murat Nurtleu")
    before = len(window.history)
    saved = 0
    for _ in range(40):  # enough rows to need a new page
        window.reader.select_span(i, i + 13)
        if not window.annotating.tag_selection("actor"):
            break
        saved += 1
    assert answers.errors and "full" in answers.errors[-1]
    assert len(window.history) - before == saved  # the failed one is not on the undo stack
    with sqlite3.connect(seeded_db) as conn:
        assert conn.execute("SELECT count(*) FROM annotations").fetchone()[0] == saved
        assert conn.execute("PRAGMA integrity_check").fetchone()[0] == "ok"


@pytest.mark.qt_no_exception_capture
def test_an_unexpected_error_shows_a_dialog_is_logged_and_the_app_goes_on(
    qtbot: Any, window: Any, answers: Answers, tmp_path: Path
) -> None:
    from kzpk_desktop.app import _install_excepthook
    from kzpk_desktop.core.paths import user_data_dir

    old = sys.excepthook
    _install_excepthook()
    try:
        window.articles.articleActivated.connect(lambda _id: 1 / 0)
        open_article(window, "004")
        qtbot.waitUntil(lambda: bool(answers.errors), timeout=3000)
    finally:
        sys.excepthook = old
        for h in logging.getLogger().handlers:
            h.flush()
    assert "Something went wrong: division by zero" in answers.errors[-1]
    log = user_data_dir() / "kzpk-desktop.log"
    assert "ZeroDivisionError" in log.read_text(encoding="utf-8")
    open_article(window, "001")  # still working
    window.reader.select_span(0, 10)
    assert window.annotating.tag_selection("claim")
