"""The window on damaged, foreign and undecodable databases: no exception, one sentence,
refused files untouched, damaged ones open read-only with a banner and offer a backup."""

from __future__ import annotations

import shutil
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest
from PySide6.QtCore import Qt

from tests.gui.conftest import Answers
from tests.reliability.damaged import Case, build, make_sound
from tests.reliability.test_damaged_corpus import snapshot, unchanged

SAMPLE = (
    "btree_articles",
    "wal_checksum",
    "dropped_entities",
    "newer_schema_in_wal",
    "other_sqlite_utils_program",
    "header_magic",
    "directory",
    "bad_utf8_title",
)


@pytest.fixture(scope="module")
def cases(tmp_path_factory: pytest.TempPathFactory) -> Iterator[dict[str, Case]]:
    folder = tmp_path_factory.mktemp("gui-damaged")
    found = {c.name: c for c in build(make_sound(folder / "template.db"), folder / "cases")}
    yield {name: found[name] for name in SAMPLE}


@pytest.mark.parametrize("name", SAMPLE)
def test_the_window_on_a_damaged_or_foreign_database(
    qtbot: Any, answers: Answers, cases: dict[str, Case], name: str
) -> None:
    from kzpk_desktop.app import create_main_window

    case = cases[name]
    before = snapshot(case.path)
    answers.confirm = False
    with qtbot.captureExceptions() as exceptions:
        w = create_main_window(case.path)
        qtbot.addWidget(w)
        w.show()
        if case.kind == "damaged":
            assert w.store is not None and w.store.readonly
            banner = w.db.readonly_label
            assert banner.isVisible() and banner.text().startswith("Read-only: ")
            assert banner.textFormat() == Qt.TextFormat.PlainText
            assert "damaged" in answers.errors[0] and case.path.name in answers.errors[0]
            # an unreadable article says so in a sentence too
            assert all("damaged" in e and case.path.name in e for e in answers.errors)
            readable = next((r for r in range(w.article_model.rowCount()) if w.article_model.index(r, 2).data()), None)
            if readable is not None:  # readable rows stay readable; a write is refused
                w.annotating.open_article_row(readable)
                assert w.reader.text()
                w.reader.select_span(0, 5)
                assert not w.annotating.tag_selection("claim")
                assert "read-only" in answers.errors[-1] and w.store.annotations.count() == 40
        elif case.kind == "refused":
            assert w.store is None
            assert len(answers.errors) == 1 and case.path.name in answers.errors[0]
        else:  # bad UTF-8 in a title: listed with U+FFFD, nothing refused
            assert w.store is not None and not w.store.readonly and answers.errors == []
            titles = [w.article_model.index(r, 2).data() for r in range(w.article_model.rowCount())]
            assert any("\ufffd" in str(t) for t in titles), titles
        w.close()
    assert not exceptions, exceptions
    if case.kind in ("refused", "damaged"):
        assert unchanged(before, snapshot(case.path))


def test_a_damaged_database_open_read_only_offers_and_restores_its_backup(
    qtbot: Any, answers: Answers, cases: dict[str, Case], tmp_path: Path
) -> None:
    from kzpk_desktop.app import create_main_window
    from kzpk_desktop.core.backups import backup_dir, make_backup

    damaged = tmp_path / "work.db"
    shutil.copy(cases["btree_articles"].path, damaged)
    template = cases["btree_articles"].path.parent.parent / "template.db"
    folder = backup_dir(damaged)
    folder.mkdir(parents=True)
    make_backup(template, folder / "20260101T000000000000Z.db")
    answers.confirm = True
    w = create_main_window(damaged)
    qtbot.addWidget(w)
    assert "damaged" in answers.errors[0]
    assert w.store is not None and not w.store.readonly and w.store.integrity.check() == []
    assert w.article_model.rowCount() == 5
    assert [p.name for p in tmp_path.iterdir() if ".before-restore-" in p.name]  # the damaged file kept aside
    w.close()


def test_switching_to_a_damaged_database_stops_checkpoints_and_backups(
    qtbot: Any, answers: Answers, cases: dict[str, Case], tmp_path: Path
) -> None:
    """Open a sound database, then a damaged one: the first one's checkpoint and backup
    timers must not run a read-write checkpoint or a backup over the damaged file."""
    from kzpk_desktop.app import create_main_window
    from kzpk_desktop.core.backups import list_backups

    sound = tmp_path / "sound.db"
    shutil.copy(cases["btree_articles"].path.parent.parent / "template.db", sound)
    damaged = tmp_path / "damaged.db"
    shutil.copy(cases["wal_checksum"].path, damaged)
    shutil.copy(f"{cases['wal_checksum'].path}-wal", f"{damaged}-wal")
    before = snapshot(damaged)
    w = create_main_window(sound)
    qtbot.addWidget(w)
    assert w.db._checkpoint_timer.isActive()
    assert w.db.open_database(damaged)
    assert w.store is not None and w.store.readonly
    assert "write-ahead log" in answers.errors[-1] and damaged.name in answers.errors[-1]
    assert not w.db._checkpoint_timer.isActive() and not w.db._backup_timer.isActive()
    assert w.db.checkpoint_now() is None and w.db.backup_now() is None
    qtbot.wait(50)
    w.close()
    assert unchanged(before, snapshot(damaged)) and list_backups(damaged) == []
