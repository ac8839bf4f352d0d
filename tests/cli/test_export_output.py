"""``kzpk export -o`` behaves like a Unix tool (issue 14 §7): ``-`` is stdout, pipes and devices
are written to directly, regular files are replaced atomically with the umask honoured."""

from __future__ import annotations

import csv
import io
import os
import shutil
import stat
import subprocess
import sys
import threading
import zipfile
from pathlib import Path

import pytest

from kzpk_desktop.core import annotations as ann
from kzpk_desktop.core.importer import import_paths
from kzpk_desktop.core.store import Store
from tests.conftest import SEEDS

BOM = b"\xef\xbb\xbf"


@pytest.fixture(scope="module")
def db(tmp_path_factory: pytest.TempPathFactory) -> Path:
    path = tmp_path_factory.mktemp("out") / "p.db"
    store = Store.open(path)
    import_paths(store, [SEEDS])
    text = store.articles.text(2)
    i = text.index("Murat Nurtleu")
    ann.create_annotation(store, 2, i, i + 13, "actor", annotator="t", note="=1+1")
    store.close()
    return path


def kzpk(db: Path, *args: str, umask: int | None = None) -> subprocess.CompletedProcess[bytes]:
    cmd = [sys.executable, "-m", "kzpk_desktop.cli", "--db", str(db), "export", *args]
    preexec = (lambda: os.umask(umask)) if umask is not None else None
    return subprocess.run(cmd, capture_output=True, timeout=120, preexec_fn=preexec)


def test_dash_is_stdout_and_bom_is_honoured_there(db: Path) -> None:
    r = kzpk(db, "-o", "-", "--bom", "--columns", "text,note")
    assert r.returncode == 0 and r.stderr == b""
    assert r.stdout.startswith(BOM + b"text,note\r\n")
    assert list(csv.reader(io.StringIO(r.stdout[3:].decode("utf-8")))) == [["text", "note"], ["Murat Nurtleu", "=1+1"]]
    plain = kzpk(db, "--columns", "text")
    assert plain.stdout == b"text\r\nMurat Nurtleu\r\n"


def test_a_zip_format_goes_to_stdout_too(db: Path) -> None:
    r = kzpk(db, "--format", "brat", "-o", "-")
    assert r.returncode == 0
    assert "000002.ann" in zipfile.ZipFile(io.BytesIO(r.stdout)).namelist()


@pytest.mark.parametrize(("umask", "mode"), [(0o022, 0o644), (0o077, 0o600), (0o002, 0o664)])
def test_new_files_honour_the_umask(db: Path, tmp_path: Path, umask: int, mode: int) -> None:
    for fmt in ("csv", "qdpx"):
        out = tmp_path / f"x.{fmt}"
        assert kzpk(db, "--format", fmt, "-o", str(out), umask=umask).returncode == 0
        assert stat.S_IMODE(out.stat().st_mode) == mode, fmt


def test_a_named_pipe_is_written_to_and_stays_a_pipe(db: Path, tmp_path: Path) -> None:
    fifo = tmp_path / "pipe"
    os.mkfifo(fifo)
    got: list[bytes] = []
    reader = threading.Thread(target=lambda: got.append(fifo.read_bytes()))
    reader.start()
    r = kzpk(db, "--columns", "text", "-o", str(fifo))
    reader.join(30)
    assert r.returncode == 0, r.stderr
    assert got == [b"text\r\nMurat Nurtleu\r\n"]
    assert stat.S_ISFIFO(fifo.stat().st_mode)
    assert [p.name for p in tmp_path.iterdir()] == ["pipe"]  # no temporary file, no regular file


def test_dev_stdout_and_process_substitution(db: Path, tmp_path: Path) -> None:
    r = kzpk(db, "--columns", "text", "-o", "/dev/stdout")
    assert r.returncode == 0 and r.stdout == b"text\r\nMurat Nurtleu\r\n"
    bash = shutil.which("bash")
    if bash is None:
        pytest.skip("bash is not installed: -o >(cmd) needs it")
    got = tmp_path / "got.csv"
    script = (
        f'"{sys.executable}" -m kzpk_desktop.cli --db "{db}" export --columns text '
        f'-o >(cat > "{got}"); status=$?; wait; exit $status'
    )
    r2 = subprocess.run([bash, "-c", script], capture_output=True, timeout=120)
    assert r2.returncode == 0, r2.stderr
    assert got.read_bytes() == b"text\r\nMurat Nurtleu\r\n"


def test_a_device_is_written_to_not_replaced(db: Path) -> None:
    r = kzpk(db, "--format", "jsonl", "-o", "/dev/null")
    assert r.returncode == 0 and Path("/dev/null").is_char_device()


def test_a_regular_file_is_replaced_atomically_through_a_symlink(db: Path, tmp_path: Path) -> None:
    real = tmp_path / "real.csv"
    real.write_text("old\n")
    link = tmp_path / "link.csv"
    link.symlink_to(real)
    assert kzpk(db, "--columns", "text", "-o", str(link)).returncode == 0
    assert link.is_symlink() and real.read_bytes() == b"text\r\nMurat Nurtleu\r\n"
    assert sorted(p.name for p in tmp_path.iterdir()) == ["link.csv", "real.csv"]


def test_options_for_another_format_are_refused_with_a_sentence(db: Path) -> None:
    r = kzpk(db, "--format", "jsonl", "--bom")
    assert r.returncode == 2 and r.stderr == b"kzpk: --bom applies to the CSV formats only, not to jsonl.\n"
    r = kzpk(db, "--format", "brat", "--columns", "text")
    assert r.returncode == 2 and r.stderr == b"kzpk: --columns applies to csv and xlsx only, not to brat.\n"
    r = kzpk(db, "--spreadsheet", "--raw")
    assert r.returncode == 2 and b"not allowed with argument" in r.stderr


def test_a_binary_format_is_not_written_to_a_terminal(db: Path) -> None:
    primary, secondary = os.openpty()
    try:
        r = subprocess.run(
            [sys.executable, "-m", "kzpk_desktop.cli", "--db", str(db), "export", "--format", "xlsx"],
            stdout=secondary,
            stderr=subprocess.PIPE,
            timeout=120,
        )
    finally:
        os.close(secondary)
        os.close(primary)
    assert r.returncode == 2
    assert r.stderr == b"kzpk: xlsx is a binary file: give -o FILE, or redirect or pipe the output.\n"
