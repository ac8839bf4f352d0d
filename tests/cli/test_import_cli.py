"""``kzpk import``: a line for every file, concurrent imports, and a write failure mid-import."""

from __future__ import annotations

import os
import resource
import signal
import sqlite3
import subprocess
import sys
from pathlib import Path

from tests.cli.test_cli import kzpk

ARTICLE = "A headline long enough to be a title here\n\nBody text of article {n}: {filler}\n"


def corpus(folder: Path, n: int, words: int = 20) -> Path:
    folder.mkdir()
    for i in range(n):
        filler = " ".join(f"w{i}x{j}" for j in range(words))
        (folder / f"{i:04d}.txt").write_text(ARTICLE.format(n=i, filler=filler), encoding="utf-8")
    return folder


def test_one_line_per_file_with_unreadable_names_shown_readably(tmp_path: Path) -> None:
    root = corpus(tmp_path / "c", 2)
    fd = os.open(os.fsencode(root) + b"/caf\xe9.txt", os.O_WRONLY | os.O_CREAT, 0o644)
    os.write(fd, b"Another headline that is long enough\n\nText.\n")
    os.close(fd)
    os.mkfifo(root / "fifo.txt")
    (root / "dangling.md").symlink_to(root / "nowhere")
    db = str(tmp_path / "p.db")
    r = kzpk("--db", db, "import", str(root))
    assert r.returncode == 0, r.stderr
    out = [ln for ln in r.stdout.splitlines() if not ln.startswith("note ")]
    assert out == [
        f"imported   {root}/0000.txt (article 1)",
        f"imported   {root}/0001.txt (article 2)",
        f"imported   {root}/caf\ufffd.txt (article 3)",
        "3 imported, 2 refused",
    ]
    assert r.stderr.splitlines() == [
        f"refused    {root}/dangling.md: it is a broken symbolic link (its target does not exist)",
        f"refused    {root}/fifo.txt: it is a named pipe (FIFO), not a text file",
    ]
    r = kzpk("--db", db, "import", str(root / "0001.txt"))
    assert r.stdout.splitlines() == [
        f"duplicate  {root}/0001.txt: the same text as article 2, already in the database",
        "0 imported, 1 duplicates skipped",
    ]


def test_two_processes_importing_one_folder_serialise_cleanly(tmp_path: Path) -> None:
    root = corpus(tmp_path / "c", 600)
    db = str(tmp_path / "p.db")
    assert kzpk("--db", db, "upgrade").returncode == 0  # create it first: both runs then only open it
    for attempt in range(3):
        cmd = [sys.executable, "-m", "kzpk_desktop.cli", "--db", db, "import", str(root)]
        procs = [
            subprocess.Popen(cmd, stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True, encoding="utf-8")
            for _ in range(2)
        ]
        results = [p.communicate(timeout=120) for p in procs]
        for p, (_out, err) in zip(procs, results, strict=True):
            assert p.returncode == 0, err
            assert "Traceback" not in err and "IntegrityError" not in err
        counts = [out.splitlines()[-1] for out, _ in results]
        imported = sum(int(c.split(" imported")[0]) for c in counts)
        assert imported == (600 if attempt == 0 else 0), counts
        for out, _err in results:
            lines = [ln for ln in out.splitlines()[:-1] if not ln.startswith("note ")]
            assert len(lines) == 600 and all(ln.startswith(("imported ", "duplicate ")) for ln in lines)
    with sqlite3.connect(db) as conn:
        assert conn.execute("SELECT count(*), count(DISTINCT sha256) FROM articles").fetchone() == (600, 600)


def _limit_file_size() -> None:
    """In the child: files may not grow past 3 MB (a full disk, for SQLite), and going over
    returns EFBIG instead of killing the process."""
    signal.signal(signal.SIGXFSZ, signal.SIG_IGN)
    resource.setrlimit(resource.RLIMIT_FSIZE, (3_000_000, 3_000_000))


def test_a_write_failure_mid_import_says_exactly_what_was_saved(tmp_path: Path) -> None:
    root = corpus(tmp_path / "c", 1200, words=120)
    db = tmp_path / "p.db"
    r = subprocess.run(
        [sys.executable, "-m", "kzpk_desktop.cli", "--db", str(db), "import", str(root)],
        capture_output=True,
        text=True,
        encoding="utf-8",
        timeout=120,
        preexec_fn=_limit_file_size,
    )
    assert r.returncode == 1
    assert "Nothing was changed" not in r.stderr and "Traceback" not in r.stderr
    with sqlite3.connect(db) as conn:
        saved = conn.execute("SELECT count(*) FROM articles").fetchone()[0]
        assert conn.execute("PRAGMA integrity_check").fetchone() == ("ok",)
    assert saved in (500, 1000), saved  # whole batches of 500 were committed, the failing one rolled back
    assert r.stderr.splitlines()[-1] == (
        f"kzpk: {saved} files were imported before the import stopped (the database file could not be "
        f"written: the disk is full or over a size limit); the other {1200 - saved} files were not. "
        "Importing the same files again skips those already saved as duplicates."
    )
    lines = r.stdout.splitlines()
    assert lines[-1] == f"{saved} imported, {1200 - saved} not saved"
    assert sum(ln.startswith("imported ") for ln in lines) == saved
    assert sum(ln.startswith("not saved ") for ln in r.stderr.splitlines()) == 1200 - saved
    again = kzpk("--db", str(db), "import", str(root))  # room again: the rest goes in, the saved are duplicates
    assert again.returncode == 0
    assert again.stdout.splitlines()[-1] == f"{1200 - saved} imported, {saved} duplicates skipped"


def test_import_annotations_lists_every_problem_and_writes_nothing(tmp_path: Path) -> None:
    import json

    db = str(tmp_path / "p.db")
    assert kzpk("--db", db, "import", str(corpus(tmp_path / "c", 2))).returncode == 0
    good = tmp_path / "good.jsonl"
    assert kzpk("--db", db, "export", "--format", "jsonl", "-o", str(good)).returncode == 0
    recs = [json.loads(line) for line in good.read_text(encoding="utf-8").split("\n") if line]
    recs[0]["article"]["status"] = "finished"
    recs[1]["annotations"] = [{"id": "x"}]
    bad = tmp_path / "bad.jsonl"
    bad.write_bytes(b"\n".join(json.dumps(r).encode() for r in recs) + b"\n\xff{\n")
    target = str(tmp_path / "fresh.db")
    r = kzpk("--db", target, "import-annotations", str(bad))
    assert r.returncode == 1 and r.stdout == ""
    lines = r.stderr.splitlines()
    assert lines[0] == "kzpk: bad.jsonl was not imported: 22 problems found; nothing was changed."
    assert lines[1] == (
        "line 1: article.status is 'finished', which is not one of: not_started, in_progress, annotated, reviewed."
    )
    assert lines[2] == "line 2: annotations[0] lacks 'start'."
    assert lines[-1] == "line 3: is not valid UTF-8 (byte 0xff at column 1)."
    assert len(lines) == 23 and "Traceback" not in r.stderr  # line 2 lacks 20 of the 21 span fields
    with sqlite3.connect(target) as conn:
        assert conn.execute("SELECT count(*) FROM articles").fetchone() == (0,)
    r = kzpk("--db", target, "import-annotations", str(good))
    assert r.returncode == 0 and r.stdout.startswith("2 articles added, 0 matched"), r.stderr
