"""A corpus of damaged, foreign and unreadable databases, generated from one sound database.

Each case says what the program must do with it:

- ``refused``: one sentence naming the file, exit 1, file (and -wal) byte-identical;
- ``damaged``: read commands warn and go on read-only, ``check`` exits 3, ``import`` is
  refused; file (and -wal) byte-identical;
- ``sound``: everything works (``import`` writes);
- ``old``: read commands refuse with the "upgrade" sentence, ``import`` upgrades and writes;
- ``empty``: read commands say it is empty, ``import`` creates the database.
"""

from __future__ import annotations

import os
import shutil
import sqlite3
import subprocess
import sys
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path

from kzpk_desktop.core import annotations as ann
from kzpk_desktop.core.importer import import_paths
from kzpk_desktop.core.store import Store
from tests.conftest import SEEDS

ROOT = Path(__file__).resolve().parents[2]
PAGE = 4096


@dataclass(frozen=True)
class Case:
    name: str
    path: Path
    kind: str  # refused | damaged | sound | old | empty
    unreadable: bool = False  # run the commands as 'nobody' (the tests run as root)
    match: str = ""  # a word the refusal or warning sentence must contain


def make_sound(path: Path) -> Path:
    """The seed corpus with 40 annotations, checkpointed and closed (no -wal left)."""
    store = Store.open(path)
    import_paths(store, [SEEDS])
    for aid in (1, 2):
        text = store.articles.text(aid)
        for i in range(0, 400, 20):
            if text[i : i + 5].strip():
                ann.create_annotation(store, aid, i, i + 5, "claim")
    store.close()
    return path


def crash_with_wal(path: Path, code: str) -> None:
    """Run ``code`` (with ``conn`` open on ``path``, autocheckpoint off) in a process that then
    dies without closing: its changes stay in the -wal, as after a crash."""
    script = (
        "import os, sqlite3, sys\n"
        "conn = sqlite3.connect(sys.argv[1])\n"
        "conn.execute('PRAGMA wal_autocheckpoint = 0')\n"
        f"{code}\n"
        "conn.commit()\n"
        "os._exit(0)\n"
    )
    subprocess.run([sys.executable, "-c", script, str(path)], check=True, timeout=60)
    assert Path(f"{path}-wal").stat().st_size > 0


def flip(path: Path, offsets: range | list[int], xor: int = 0x5A) -> None:
    data = bytearray(path.read_bytes())
    for off in offsets:
        if off < len(data):
            data[off] ^= xor
    path.write_bytes(bytes(data))


def root_page(path: Path, table: str) -> int:
    with sqlite3.connect(path) as conn:
        page = conn.execute("SELECT rootpage FROM sqlite_master WHERE name = ?", (table,)).fetchone()[0]
    conn.close()
    return int(page)


def _wal_with_many_commits(path: Path) -> None:
    crash_with_wal(
        path,
        "\n".join(
            [
                "for i in range(60):",
                "    conn.execute(\"INSERT INTO settings(key, value) VALUES (?, ?)\", (f'k{i}', 'x' * 3000))",
                "    conn.commit()",
            ]
        ),
    )


def build(sound: Path, folder: Path, open_folder: Path | None = None, big: bool = False) -> list[Case]:
    """Every case, as copies of ``sound`` (a database made by :func:`make_sound`)."""
    folder.mkdir(parents=True, exist_ok=True)
    cases: list[Case] = []

    def copy(name: str) -> Path:
        p = folder / f"{name}.db"
        shutil.copy(sound, p)
        return p

    def add(name: str, kind: str, fn: Callable[[Path], None] | None = None, **kw: object) -> None:
        p = copy(name)
        if fn is not None:
            fn(p)
        cases.append(Case(name, p, kind, **kw))  # type: ignore[arg-type]

    add("sound", "sound")
    add(
        "sound_with_wal",
        "sound",
        lambda p: crash_with_wal(p, "conn.execute(\"INSERT INTO settings(key, value) VALUES ('in_wal', 'yes')\")"),
    )
    add(
        "bad_utf8_title",
        "sound",
        lambda p: _sql(
            p,
            [
                "UPDATE articles SET title = CAST(x'4b617a616b68ff20666f72756d' AS TEXT) WHERE id = 1",
                "UPDATE annotations SET note = CAST(x'6e6f7465c3' AS TEXT) WHERE rowid = 1",
            ],
        ),
    )
    add("header_magic", "refused", lambda p: flip(p, [0, 1, 2]), match="not an SQLite file")
    add("header_page_size", "refused", lambda p: _poke(p, 16, b"\x03\x00"))
    add("header_application_id", "refused", lambda p: _poke(p, 68, b"\xde\xad\xbe\xef"), match="another program")
    add("schema_page", "refused", lambda p: flip(p, range(110, PAGE, 3)))
    add(
        "btree_articles",
        "damaged",
        lambda p: flip(p, range((root_page(p, "articles") - 1) * PAGE + 8, root_page(p, "articles") * PAGE, 7)),
        match="damaged",
    )
    add(
        "btree_zeroed_page",
        "damaged",
        lambda p: _poke(p, (root_page(p, "annotations") - 1) * PAGE, b"\x00" * PAGE),
        match="damaged",
    )

    def wal_flip(p: Path) -> None:
        _wal_with_many_commits(p)
        wal = Path(f"{p}-wal")
        flip(wal, [32 + 24 + 100 + 5 * (24 + PAGE)])  # the page data of the 6th frame

    add("wal_checksum", "damaged", wal_flip, match="write-ahead log")

    def wal_torn(p: Path) -> None:
        _wal_with_many_commits(p)
        wal = Path(f"{p}-wal")
        os.truncate(wal, wal.stat().st_size - PAGE // 2)  # a torn last frame: nothing committed lost

    add("wal_torn_tail", "sound", wal_torn)
    add("truncated_half", "damaged_or_refused", lambda p: os.truncate(p, p.stat().st_size // 2))
    add("truncated_50_bytes", "refused", lambda p: os.truncate(p, 50))
    add("dropped_entities", "damaged", lambda p: _sql(p, ["DROP TABLE entities"]), match="entities")
    add("dropped_annotations", "damaged", lambda p: _sql(p, ["DROP TABLE annotations"]), match="annotations")
    add(
        "newer_schema",
        "refused",
        lambda p: _sql(
            p,
            [
                "INSERT INTO _sqlite_migrations (migration_set, name, applied_at) VALUES ('kzpk_desktop', 'm999_future', 'x')"
            ],
        ),
        match="newer version",
    )
    add(
        "newer_schema_in_wal",
        "refused",
        lambda p: crash_with_wal(
            p,
            'conn.execute("INSERT INTO _sqlite_migrations (migration_set, name, applied_at) '
            "VALUES ('kzpk_desktop', 'm999_future', 'x')\")",
        ),
        match="newer version",
    )

    def pre_m009(p: Path) -> None:
        _sql(p, ["DELETE FROM _sqlite_migrations WHERE name = 'm009_application_id'", "PRAGMA application_id = 0"])

    add("previous_release", "sound", pre_m009)

    def old(p: Path) -> None:
        from sqlite_utils import Database

        from kzpk_desktop.core.schema import migrations

        p.unlink()
        db = Database(p)
        migrations.apply(db, stop_before="m007_progress_table_and_cheap_span_checks")
        db.execute("INSERT INTO articles (title, text, sha256, imported_at) VALUES ('Old', 'Old text', 'h', 'x')")
        db.close()

    add("old_schema", "old", old, match="older schema")

    def other_program(p: Path) -> None:
        p.unlink()
        with sqlite3.connect(p) as conn:
            conn.execute("CREATE TABLE recipes (id INTEGER PRIMARY KEY, name TEXT)")
        conn.close()

    add("other_program", "refused", other_program, match="another program")

    def other_sqlite_utils_program(p: Path) -> None:
        from sqlite_utils import Database, Migrations

        p.unlink()
        theirs = Migrations("recipes_app")

        @theirs(name="m001_core_tables")  # even a step of the same name
        def m001(db: Database) -> None:
            db["articles"].create({"id": int, "title": str}, pk="id")

        db = Database(p)
        theirs.apply(db)
        db.close()

    add("other_sqlite_utils_program", "refused", other_sqlite_utils_program, match="another program")

    def not_sqlite(p: Path) -> None:
        p.write_text("these are my notes, not a database\n" * 50, encoding="utf-8")

    add("not_sqlite", "refused", not_sqlite, match="not an SQLite file")
    add("empty_file", "empty", lambda p: p.write_bytes(b""))

    def empty_sqlite(p: Path) -> None:
        p.unlink()
        _sql(p, ["CREATE TABLE t (x)", "DROP TABLE t"])

    add("empty_sqlite", "empty", empty_sqlite)

    def symlink_loop(p: Path) -> None:
        p.unlink()
        p.symlink_to(p.name)

    add("symlink_loop", "refused", symlink_loop, match="symbolic links")

    def directory(p: Path) -> None:
        p.unlink()
        p.mkdir()

    add("directory", "refused", directory, match="folder")
    if open_folder is not None:  # a folder anyone may enter, so commands can run as 'nobody'
        p = open_folder / "unreadable.db"
        shutil.copy(sound, p)
        p.chmod(0)
        cases.append(Case("unreadable", p, "refused", unreadable=True, match="cannot be read"))
    if big:
        for i, start in enumerate(range(2 * PAGE, sound.stat().st_size, 3 * PAGE)):
            add(f"btree_page_{i}", "damaged_or_refused", lambda p, s=start: flip(p, range(s + 8, s + PAGE, 11)))
        for i in range(1, 40, 3):

            def wal_frame(p: Path, i: int = i) -> None:
                _wal_with_many_commits(p)
                flip(Path(f"{p}-wal"), [32 + 24 + 200 + i * (24 + PAGE)])

            add(f"wal_frame_{i}", "damaged", wal_frame)
    return cases


def _sql(path: Path, statements: list[str]) -> None:
    with sqlite3.connect(path) as conn:
        for sql in statements:
            conn.execute(sql)
    conn.close()


def _poke(path: Path, offset: int, data: bytes) -> None:
    with path.open("r+b") as fh:
        fh.seek(offset)
        fh.write(data)
