"""Import refuses per file, never per folder: one outcome for every file met (issue 14, §5)."""

from __future__ import annotations

import os
import socket
import sqlite3
import threading
from pathlib import Path

import pytest

from kzpk_desktop.core.importer import ImportReport, import_paths
from kzpk_desktop.core.store import Store

ARTICLE = "A headline long enough to be a title here\n\nBody text of article {n}, with some words.\n"


def write(path: Path, n: int) -> Path:
    path.write_text(ARTICLE.format(n=n), encoding="utf-8")
    return path


def outcomes(report: ImportReport, root: Path) -> dict[str, tuple[str, str]]:
    """{path relative to root: (outcome, detail)}; every file must appear once."""
    found: dict[str, tuple[str, str]] = {}
    for r in report.results:
        rel = os.path.relpath(r.name, root)
        assert rel not in found, f"{rel} reported twice"
        found[rel] = (r.outcome, r.detail)
    return found


@pytest.fixture
def messy(tmp_path: Path) -> Path:
    """A folder holding one of every kind of thing a folder can hold."""
    root = tmp_path / "corpus"
    (root / "sub").mkdir(parents=True)
    write(root / "good.txt", 1)
    write(root / "sub" / "notes.md", 2)
    (root / "report.pdf").write_bytes(b"%PDF-1.4")  # a PDF cut short: refused by the PDF reader
    write(root / ".hidden.txt", 3)
    (root / ".git").mkdir()
    write(root / ".git" / "inside.txt", 4)
    os.mkfifo(root / "pipe.txt")
    sock = socket.socket(socket.AF_UNIX)
    sock.bind(str(root / "sock.txt"))
    sock.close()
    (root / "broken.txt").symlink_to(root / "gone.txt")
    outside = write(tmp_path / "secret.txt", 5)
    (root / "outside.txt").symlink_to(outside)
    (root / "outside_dir").symlink_to(tmp_path)
    (root / "inside.txt").symlink_to(root / "good.txt")
    (root / "loop_a.txt").symlink_to(root / "loop_b.txt")
    (root / "loop_b.txt").symlink_to(root / "loop_a.txt")
    (root / "sub" / "up").symlink_to(root)
    return root


def test_every_file_in_a_folder_gets_an_outcome(messy: Path, tmp_path: Path) -> None:
    store = Store.open(tmp_path / "p.db")
    report = import_paths(store, [messy])
    got = outcomes(report, messy)
    secret = tmp_path / "secret.txt"
    assert got == {
        ".git": ("refused", "hidden folders are not imported"),
        ".hidden.txt": ("refused", "hidden files are not imported"),
        "broken.txt": ("refused", "it is a broken symbolic link (its target does not exist)"),
        "good.txt": ("imported", ""),
        "inside.txt": ("duplicate", f"the same text as {messy / 'good.txt'}"),
        "loop_a.txt": ("refused", "it is a symbolic link loop"),
        "loop_b.txt": ("refused", "it is a symbolic link loop"),
        "outside.txt": (
            "refused",
            f"it is a symbolic link to '{secret}', outside the folder being imported; "
            "name the link itself to import it",
        ),
        "outside_dir": (
            "refused",
            f"it is a symbolic link to '{tmp_path}', outside the folder being imported; "
            "name the link itself to import it",
        ),
        "pipe.txt": ("refused", "it is a named pipe (FIFO), not a text file"),
        "report.pdf": ("refused", "it is a damaged PDF (Stream has ended unexpectedly)"),
        "sock.txt": ("refused", "it is a socket, not a text file"),
        "sub/notes.md": ("imported", ""),
        "sub/up": ("refused", "it is a link to a folder inside this import; its files are imported from there"),
    }
    texts = sorted(r[0] for r in store.conn.execute("SELECT text FROM articles"))
    assert texts == [ARTICLE.format(n=1), ARTICLE.format(n=2)]  # never the secret beside the folder
    assert report.summary() == "2 imported, 1 duplicates skipped, 11 refused"
    store.close()


def test_a_link_named_on_the_command_line_is_followed(tmp_path: Path) -> None:
    outside = write(tmp_path / "elsewhere.txt", 7)
    link = tmp_path / "folder" / "link.txt"
    link.parent.mkdir()
    link.symlink_to(outside)
    store = Store.open(tmp_path / "p.db")
    report = import_paths(store, [link, Path("/dev/null"), tmp_path / "folder" / "missing.txt"])
    assert [(r.outcome, r.detail) for r in report.results] == [
        ("imported", ""),
        ("refused", "it is a device file, not a text file"),
        ("refused", "no such file or folder"),
    ]
    assert store.articles.text(report.results[0].article_id or 0) == ARTICLE.format(n=7)
    store.close()


def test_a_file_name_that_is_not_utf8_is_imported_alone_and_shown_readably(tmp_path: Path) -> None:
    root = tmp_path / "latin1"
    root.mkdir()
    write(root / "a.txt", 1)
    fd = os.open(os.fsencode(root) + b"/caf\xe9 \xff.txt", os.O_WRONLY | os.O_CREAT, 0o644)
    os.write(fd, ARTICLE.format(n=2).encode())
    os.close(fd)
    os.mkdir(os.fsencode(root) + b"/dir\xe9")
    os.symlink(b"nowhere", os.fsencode(root) + b"/dir\xe9/bad\xfe.txt")
    write(root / "z.txt", 3)
    store = Store.open(tmp_path / "p.db")
    report = import_paths(store, [root])
    got = outcomes(report, root)
    assert got == {
        "a.txt": ("imported", ""),
        "caf\ufffd \ufffd.txt": ("imported", ""),
        "z.txt": ("imported", ""),
        "dir\ufffd/bad\ufffd.txt": ("refused", "it is a broken symbolic link (its target does not exist)"),
    }
    names = sorted(r[0] for r in store.conn.execute("SELECT file_name FROM articles"))
    assert names == ["a.txt", "caf\ufffd \ufffd.txt", "z.txt"]
    store.close()


def test_unreadable_files_and_folders_are_refused_one_by_one(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    root = tmp_path / "perm"
    (root / "closed").mkdir(parents=True)
    write(root / "closed" / "x.txt", 1)
    write(root / "secret.txt", 2).chmod(0)
    write(root / "open.txt", 3)
    (root / "closed").chmod(0)
    if os.geteuid() == 0:  # root reads whatever the mode: deny at the same OS calls instead
        denied = {str(root / "closed"), str(root / "secret.txt")}
        real_scandir, real_open = os.scandir, os.open

        def scandir(path: object) -> object:
            if str(path) in denied:
                raise PermissionError(13, "Permission denied", str(path))
            return real_scandir(path)  # type: ignore[arg-type]

        def open_(path: object, flags: int, *args: object) -> int:
            if str(path) in denied:
                raise PermissionError(13, "Permission denied", str(path))
            return real_open(path, flags, *args)  # type: ignore[arg-type]

        monkeypatch.setattr(os, "scandir", scandir)
        monkeypatch.setattr(os, "open", open_)
    try:
        store = Store.open(tmp_path / "p.db")
        got = outcomes(import_paths(store, [root]), root)
        store.close()
    finally:
        (root / "closed").chmod(0o755)
    assert got == {
        "closed": ("refused", "the folder cannot be listed (permission denied); nothing in it was imported"),
        "open.txt": ("imported", ""),
        "secret.txt": ("refused", "permission denied when reading it"),
    }


def test_two_stores_importing_one_folder_at_once_import_each_file_once(tmp_path: Path) -> None:
    root = tmp_path / "many"
    root.mkdir()
    for n in range(400):
        write(root / f"{n:03d}.txt", n)
    db = tmp_path / "p.db"
    Store.open(db).close()
    reports: list[ImportReport] = []
    errors: list[BaseException] = []
    start = threading.Barrier(2)

    def run() -> None:
        store = Store.open(db)
        try:
            start.wait()
            reports.append(import_paths(store, [root], batch_size=20))
        except BaseException as err:  # the test reports it
            errors.append(err)
        finally:
            store.close()

    threads = [threading.Thread(target=run) for _ in range(2)]
    for t in threads:
        t.start()
    for t in threads:
        t.join(120)
    assert errors == []
    a, b = (outcomes(r, root) for r in reports)
    assert set(a) == set(b) == {f"{n:03d}.txt" for n in range(400)}
    for name in a:
        assert sorted((a[name][0], b[name][0])) == ["duplicate", "imported"], name
    with sqlite3.connect(db) as conn:
        assert conn.execute("SELECT count(*), count(DISTINCT sha256) FROM articles").fetchone() == (400, 400)


def test_a_file_swapped_for_a_link_after_listing_is_not_followed(tmp_path: Path) -> None:
    from kzpk_desktop.core.articles import ImportRefused, iter_candidate_files

    root = tmp_path / "race"
    root.mkdir()
    victim = write(root / "a.txt", 1)
    secret = write(tmp_path / "secret.txt", 2)
    (cand,) = list(iter_candidate_files([root]))
    assert cand.refusal is None
    victim.unlink()
    victim.symlink_to(secret)  # between listing and reading
    with pytest.raises(ImportRefused, match=r"^it became a symbolic link while the folder was being read$"):
        cand.read()


@pytest.mark.skipif(os.geteuid() != 0, reason="only root can make a device node")
def test_a_device_node_inside_a_folder_is_refused_unopened(tmp_path: Path) -> None:
    import stat

    root = tmp_path / "dev"
    root.mkdir()
    os.mknod(root / "zero.txt", stat.S_IFCHR | 0o644, os.makedev(1, 5))  # /dev/zero: reading never ends
    write(root / "b.txt", 1)
    store = Store.open(tmp_path / "p.db")
    assert outcomes(import_paths(store, [root]), root) == {
        "b.txt": ("imported", ""),
        "zero.txt": ("refused", "it is a device file, not a text file"),
    }
    store.close()
