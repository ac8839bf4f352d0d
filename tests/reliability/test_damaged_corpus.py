"""Zero tracebacks over a generated corpus of damaged, foreign and unreadable databases.

Every read-only command and ``import`` runs on every file in a real ``kzpk`` subprocess:
one sentence (naming the file) instead of a traceback, the documented exit status, and a
refused or damaged file (and its -wal) byte-identical afterwards. A file locked by another
process for 10 s is read normally and refused for writing with a sentence.
``KZPK_LONG_RELIABILITY=1`` adds a damaged copy for every third page and 13 damaged WALs.
"""

from __future__ import annotations

import json
import os
import pwd
import re
import shutil
import subprocess
import sys
import tempfile
import time
from collections.abc import Iterator
from concurrent.futures import ThreadPoolExecutor
from pathlib import Path

import pytest

from tests.conftest import SEEDS
from tests.reliability.damaged import Case, build, make_sound

ROOT = Path(__file__).resolve().parents[2]
LONG = os.environ.get("KZPK_LONG_RELIABILITY") == "1"
READ_COMMANDS = (
    ["articles"],
    ["articles", "--json"],
    ["entities"],
    ["entities", "--json"],
    ["export", "--format", "csv"],
    ["export", "--format", "jsonl"],
    ["export", "--format", "claims-csv"],
    ["check"],
    ["backups"],
    ["backup"],
)
LONG_EXTRA = (
    ["export", "--format", "webanno"],
    ["export", "--format", "articles-csv"],
    ["export", "--format", "qdpx", "-o", "{tmp}/out.qdpx"],
    ["backup", "-o", "{tmp}/copy.db"],
)
IMPORT = ["import", str(SEEDS / next(p.name for p in sorted(SEEDS.iterdir()) if p.suffix == ".txt"))]
ALLOWED_STDERR = re.compile(r"^(kzpk: |problem: |refused  |\d+ problem\(s\) found in |no backups of |wrote \d+ )")


def _as_nobody() -> None:
    os.setgid(65534)
    os.setuid(65534)


def nobody_env() -> dict[str, str]:
    env = dict(os.environ)
    env["PYTHONPATH"] = os.pathsep.join([str(ROOT), *(p for p in sys.path if p.endswith("site-packages"))])
    return env


def nobody_python() -> str:
    """This Python, or the same version at a path 'nobody' may run (pyenv lives under /root),
    able to import the checkout (which may sit in a folder only root may enter)."""
    for candidate in (sys.executable, f"/usr/bin/python{sys.version_info.major}.{sys.version_info.minor}"):
        try:
            subprocess.run(
                [candidate, "-c", "import kzpk_desktop.cli, tests.reliability.cli_batch"],
                check=True,
                capture_output=True,
                preexec_fn=_as_nobody,
                timeout=60,
                cwd=ROOT,
                env=nobody_env(),
            )
            return candidate
        except (OSError, subprocess.CalledProcessError):
            continue
    pytest.skip(
        "running as root, and 'nobody' cannot run this Python on this checkout (its folders are closed to other users)"
    )
    raise AssertionError  # (unreachable)


def snapshot(path: Path) -> dict[str, bytes | None]:
    out: dict[str, bytes | None] = {}
    for suffix in ("", "-wal"):
        p = Path(f"{path}{suffix}")
        out[suffix] = p.read_bytes() if p.is_file() and os.access(p, os.R_OK) else None
    return out


def run(case: Case, command: list[str], tmp: Path) -> subprocess.CompletedProcess[str]:
    """One command in a real ``kzpk`` process."""
    return run_all(case, [command], tmp, batch=False)[0]


def run_all(
    case: Case, commands: list[list[str]], tmp: Path, batch: bool = True
) -> list[subprocess.CompletedProcess[str]]:
    """Each command in a process of its own: ``python -m kzpk_desktop.cli`` (long mode), or a
    child forked from one process that imported the CLI once (default: 5x faster)."""
    argvs = [["--db", str(case.path), *[a.replace("{tmp}", str(tmp)) for a in c]] for c in commands]
    env = dict(os.environ)
    preexec = None
    python = sys.executable
    if case.unreadable and os.getuid() == 0:
        preexec = _as_nobody
        python = nobody_python()
        env["KZPK_DATA_DIR"] = str(case.path.parent / "data")
        env["HOME"] = str(case.path.parent)
        env["PYTHONPATH"] = nobody_env()["PYTHONPATH"]
    if batch and not LONG:
        r = subprocess.run(
            [python, "-m", "tests.reliability.cli_batch", json.dumps({"commands": argvs})],
            cwd=ROOT,
            capture_output=True,
            text=True,
            timeout=300,
            env=env,
            preexec_fn=preexec,
        )
        assert r.returncode == 0, r.stderr
        return [
            subprocess.CompletedProcess(a, x["rc"], x["stdout"], x["stderr"])
            for a, x in zip(argvs, json.loads(r.stdout), strict=True)
        ]
    return [
        subprocess.run(
            [python, "-m", "kzpk_desktop.cli", *a],
            cwd=ROOT,
            capture_output=True,
            text=True,
            timeout=120,
            env=env,
            preexec_fn=preexec,
        )
        for a in argvs
    ]


def sweep(case: Case, tmp: Path) -> list[str]:
    """Run every command on one file; returns what went wrong, as sentences."""
    wrong: list[str] = []
    before = snapshot(case.path)
    reads = [*READ_COMMANDS, *(LONG_EXTRA if LONG else ())]
    results = run_all(case, reads, tmp)
    if not unchanged(before, snapshot(case.path)):  # read commands never migrate or write, on any file
        wrong.append(f"{case.name}: a read-only command changed the file or its -wal")
    commands = [*reads, IMPORT]
    results += run_all(case, [IMPORT], tmp)
    first = [x for x in results[0].stderr.splitlines() if x.strip()]
    found_kind = (
        "damaged"
        if any("read-only" in x for x in first)
        else "refused"
        if results[0].returncode == 1 and len(first) == 1
        else "sound"
    )  # the flipped bytes were in unused space: nothing to see
    for command, r in zip(commands, results, strict=True):
        what = f"{case.name}: kzpk {' '.join(command[:3])}"
        err_lines = [x for x in r.stderr.splitlines() if x.strip()]
        if "Traceback" in r.stderr or "Traceback" in r.stdout:
            wrong.append(f"{what}: traceback\n{r.stderr[-2000:]}")
            continue
        bad = [x for x in err_lines if not ALLOWED_STDERR.match(x)]
        if bad:
            wrong.append(f"{what}: unexpected stderr {bad[:3]}")
        writing = command[0] == "import"
        # a write, or a rolling backup (a damaged copy would push the good ones out): refused
        refuses_damage = writing or command == ["backup"]
        kind = case.kind
        if kind == "damaged_or_refused":  # random flips: what the first command met decides
            kind = found_kind
        if kind == "refused" or (kind == "damaged" and refuses_damage):
            if r.returncode != 1 or len(err_lines) != 1 or case.path.name not in err_lines[0]:
                wrong.append(
                    f"{what}: expected one sentence naming the file and exit 1, got {r.returncode} {err_lines}"
                )
            elif case.match and case.match not in err_lines[0]:
                wrong.append(f"{what}: the sentence lacks '{case.match}': {err_lines[0]}")
        elif kind == "damaged":
            if command == ["check"]:
                if r.returncode != 3 or not err_lines:
                    wrong.append(f"{what}: expected exit 3 with problems, got {r.returncode} {err_lines[:3]}")
            elif (
                r.returncode not in (0, 1)
                or not err_lines
                or "read-only" not in err_lines[0]
                or case.path.name not in err_lines[0]
                or len(err_lines) > 2
            ):
                wrong.append(
                    f"{what}: expected a read-only warning naming the file, got {r.returncode} {err_lines[:3]}"
                )
            elif case.match and case.match not in err_lines[0]:
                wrong.append(f"{what}: the warning lacks '{case.match}': {err_lines[0]}")
        elif kind == "old":
            expected = 0 if writing else 1
            if r.returncode != expected or (
                not writing and (len(err_lines) != 1 or "older schema" not in err_lines[0])
            ):
                wrong.append(f"{what}: expected exit {expected} (older schema), got {r.returncode} {err_lines[:3]}")
        elif kind == "empty":
            if writing and r.returncode != 0:
                wrong.append(f"{what}: import into an empty file should create the database: {err_lines}")
            if not writing and (r.returncode != 1 or len(err_lines) != 1 or "empty" not in err_lines[0]):
                wrong.append(f"{what}: expected 'empty', got {r.returncode} {err_lines}")
        else:  # sound
            ok = (0, 3) if command == ["check"] else (0,)
            if r.returncode not in ok or any(x.startswith("kzpk: ") and "warning" not in x for x in err_lines):
                wrong.append(f"{what}: expected success, got {r.returncode} {err_lines[:3]}")
    if (
        case.kind in ("refused", "damaged") or (case.kind == "damaged_or_refused" and found_kind != "sound")
    ) and not unchanged(before, snapshot(case.path)):
        wrong.append(f"{case.name}: the file or its -wal was modified")
    return wrong


def unchanged(before: dict[str, bytes | None], after: dict[str, bytes | None]) -> bool:
    """The file byte-identical, and its -wal too (a read-only connection may leave an empty
    -wal where there was none: SQLite needs one to share the WAL index)."""
    return after[""] == before[""] and (
        after["-wal"] == before["-wal"] or (before["-wal"] is None and after["-wal"] == b"")
    )


@pytest.fixture(scope="module")
def corpus(tmp_path_factory: pytest.TempPathFactory) -> Iterator[list[Case]]:
    folder = tmp_path_factory.mktemp("damaged")
    sound = make_sound(folder / "template.db")
    open_folder = Path(tempfile.mkdtemp(prefix="kzpk-unreadable-"))
    open_folder.chmod(0o777)
    try:
        yield build(sound, folder / "cases", open_folder, big=LONG)
    finally:
        shutil.rmtree(open_folder, ignore_errors=True)


def test_no_traceback_and_no_change_over_the_damaged_corpus(corpus: list[Case], tmp_path: Path) -> None:
    corpus = [c for c in corpus if not c.unreadable]  # (its own test below)
    started = time.monotonic()
    with ThreadPoolExecutor(max_workers=3) as pool:
        results = list(pool.map(lambda c: sweep(c, tmp_path), corpus))
    wrong = [w for ws in results for w in ws]
    n_runs = len(corpus) * (len(READ_COMMANDS) + 1 + (len(LONG_EXTRA) if LONG else 0))
    assert not wrong, f"{len(wrong)} wrong outcomes:\n" + "\n".join(wrong[:40])
    assert {c.kind for c in corpus} >= {"refused", "damaged", "sound", "old", "empty"}
    assert len(corpus) >= 24
    print(
        f"\ndamaged corpus: {len(corpus)} files, {n_runs} command runs, 0 tracebacks "
        f"({time.monotonic() - started:.0f} s)"
    )


def test_an_unreadable_file_is_refused_with_a_sentence(corpus: list[Case], tmp_path: Path) -> None:
    """File permissions that forbid reading: root reads anything, so as root the commands run
    as 'nobody' (skipped if this Python cannot be run as 'nobody', e.g. under /root)."""
    case = next(c for c in corpus if c.unreadable)
    if os.getuid() == 0:
        try:
            pwd.getpwuid(65534)
        except KeyError:
            pytest.skip("running as root, and there is no user 'nobody' to drop to")
        nobody_python()
    assert sweep(case, tmp_path) == []


def test_a_database_locked_for_10_s_by_another_process(corpus: list[Case], tmp_path: Path) -> None:
    sound = next(c for c in corpus if c.name == "sound")
    locked = tmp_path / "locked.db"
    shutil.copy(sound.path, locked)
    holder = subprocess.Popen(
        [
            sys.executable,
            "-c",
            "import sqlite3, sys, time\nc = sqlite3.connect(sys.argv[1], isolation_level=None)\n"
            "c.execute('BEGIN EXCLUSIVE')\nc.execute(\"INSERT INTO settings VALUES ('held', 'x')\")\n"
            "print('LOCKED', flush=True)\ntime.sleep(10)\n",
            str(locked),
        ],
        stdout=subprocess.PIPE,
        text=True,
    )
    try:
        assert holder.stdout is not None and holder.stdout.readline().strip() == "LOCKED"
        case = Case("locked", locked, "sound")
        reads = run(case, ["articles"], tmp_path)
        assert reads.returncode == 0 and "Traceback" not in reads.stderr and len(reads.stdout.splitlines()) == 5
        started = time.monotonic()
        writes = run(case, IMPORT, tmp_path)
        waited = time.monotonic() - started
        assert holder.poll() is None, "the lock was released before the import gave up"
    finally:
        holder.kill()
        holder.wait(timeout=30)
    err = [x for x in writes.stderr.splitlines() if x.strip()]
    # one line per file not saved, then one sentence: busy, naming the file
    assert writes.returncode == 1 and "busy" in err[-1] and "Traceback" not in writes.stderr, writes.stderr
    assert all(x.startswith("not saved ") for x in err[:-1]), writes.stderr
    assert 4 < waited < 10  # it waited the busy timeout (5 s), then said so


def test_lost_wal_frames_are_counted_exactly(corpus: list[Case], tmp_path: Path) -> None:
    """60 commits in the -wal, one frame's page flipped: SQLite applies those before it and
    silently drops the rest; the open says how many transactions were lost."""
    from kzpk_desktop.core.store import Store
    from kzpk_desktop.core.store.connection import scan_wal

    case = next(c for c in corpus if c.name == "wal_checksum")
    db = tmp_path / "wal.db"
    shutil.copy(case.path, db)
    shutil.copy(f"{case.path}-wal", f"{db}-wal")
    scan = scan_wal(db)
    store = Store.open(db)
    try:
        visible = store.conn.execute("SELECT count(*) FROM settings WHERE key LIKE 'k%'").fetchone()[0]
        assert store.readonly and 0 < visible < 60
        assert scan is not None and scan.lost_commits == 60 - visible
        assert f"{scan.lost_frames} committed page write(s) in {60 - visible} transaction(s)" in store.damage[0]
    finally:
        store.close()


def test_importing_the_open_database_itself_is_refused_without_reading_it(corpus: list[Case], tmp_path: Path) -> None:
    """`kzpk --db x.db import x.db` once read the live file with a plain descriptor (and so
    dropped the connection's locks); it is refused by name now."""
    db = tmp_path / "self.db"
    shutil.copy(next(c for c in corpus if c.name == "sound").path, db)
    r = run(Case("self", db, "sound"), ["import", str(db)], tmp_path)
    assert "Traceback" not in r.stderr
    assert f"{db}: it is the open database itself" in r.stderr and r.stderr.startswith("refused")
