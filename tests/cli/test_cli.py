"""The real ``kzpk`` CLI in a subprocess: exit codes, messages, files."""

from __future__ import annotations

import csv
import io
import json
import os
import sqlite3
import subprocess
import sys
from pathlib import Path

import pytest

from tests.conftest import DATA, SEEDS


def kzpk(*args: str, env: dict[str, str] | None = None, cwd: Path | None = None) -> subprocess.CompletedProcess[str]:
    full_env = {**os.environ, **(env or {})}
    return subprocess.run(
        [sys.executable, "-m", "kzpk_desktop.cli", *args],
        capture_output=True,
        text=True,
        timeout=120,
        env=full_env,
        cwd=cwd,
        encoding="utf-8",
    )


def test_version() -> None:
    r = kzpk("--version")
    assert r.returncode == 0 and r.stdout.startswith("kzpk 0.")


def test_import_articles_export_check_end_to_end(tmp_path: Path) -> None:
    db = str(tmp_path / "p.db")
    r = kzpk("--db", db, "import", str(SEEDS))
    assert r.returncode == 0, r.stderr
    assert r.stdout.strip().endswith("5 imported")
    assert "003_f61ae2352f1f75e9.txt: no source recognised" in r.stdout
    r = kzpk("--db", db, "import", str(SEEDS), str(DATA / "empty.txt"))
    assert r.returncode == 0
    assert "0 imported, 5 duplicates skipped, 1 refused" in r.stdout
    assert "empty.txt: the file is empty" in r.stderr

    r = kzpk("--db", db, "articles")
    lines = r.stdout.strip().splitlines()
    assert len(lines) == 5 and lines[2].startswith("3\t2023-06-10\tDuring a recent phone discussion")

    r = kzpk("--db", db, "articles", "--json")
    data = json.loads(r.stdout)
    assert {"id", "title", "source", "date", "file_name", "sha256", "annotations"} <= set(data[0])
    assert data[1]["source"] == "UrduPoint" and data[3]["date"] == "2025-09-09" and data[4]["source"] is None

    # annotate through the core, as the GUI would
    from kzpk_desktop.core import annotations as ann
    from kzpk_desktop.core.store import Store

    store = Store.open(db)
    text = store.articles.text(2)
    i = text.index("Murat Nurtleu")
    ann.create_annotation(store, 2, i, i + 13, "actor", annotator="cli-test", note="=cmd|' /C calc'!A0")
    store.close()

    out = tmp_path / "out.csv"
    r = kzpk("--db", db, "export", "--format", "csv", "-o", str(out))
    assert r.returncode == 0 and "wrote 1 annotations" in r.stderr
    rows = list(csv.DictReader(out.open(newline="", encoding="utf-8")))
    assert rows[0]["text"] == "Murat Nurtleu" and rows[0]["note"] == "=cmd|' /C calc'!A0"  # exact by default
    r = kzpk("--db", db, "export", "--format", "csv", "--spreadsheet", "-o", str(out))
    rows = list(csv.DictReader(out.open(newline="", encoding="utf-8")))
    assert r.returncode == 0 and rows[0]["note"] == "'=cmd|' /C calc'!A0"
    r = kzpk("--db", db, "export", "--label", "claim")
    assert r.returncode == 0 and len(r.stdout.strip().splitlines()) == 1  # header only

    jl = tmp_path / "out.jsonl"
    assert kzpk("--db", db, "export", "--format", "jsonl", "-o", str(jl)).returncode == 0
    db2 = str(tmp_path / "copy.db")
    r = kzpk("--db", db2, "import-annotations", str(jl))
    assert r.returncode == 0 and "5 articles added" in r.stdout and "1 annotations added" in r.stdout
    jl2 = tmp_path / "again.jsonl"
    kzpk("--db", db2, "export", "--format", "jsonl", "-o", str(jl2))
    assert jl2.read_bytes() == jl.read_bytes()

    r = kzpk("--db", db, "check")
    assert r.returncode == 0 and r.stdout.startswith("ok: 5 articles, 1 annotations")

    store = Store.open(db)
    from kzpk_desktop.core import entities as ent

    nurtleu = ent.create_entity(store, "actor", "Murat Nurtleu", aliases=["Nurtleu"], country="Kazakhstan")
    span = store.annotations.for_article(2)[0]
    ann.edit_annotation(store, span.id, "cli-test", entity_id=nurtleu)
    store.close()
    r = kzpk("--db", db, "entities")
    assert r.stdout.strip() == f"{nurtleu}\tactor\t1\tMurat Nurtleu  (also: Nurtleu)"
    data = json.loads(kzpk("--db", db, "entities", "--json").stdout)
    assert data[0]["aliases"] == ["Nurtleu"] and data[0]["mentions"] == 1 and data[0]["country"] == "Kazakhstan"
    rows = list(csv.DictReader(io.StringIO(kzpk("--db", db, "export", "--columns", "text,entity").stdout)))
    assert rows == [{"text": "Murat Nurtleu", "entity": "Murat Nurtleu"}]


def test_check_reports_planted_corruption_with_exit_3(tmp_path: Path) -> None:
    db = tmp_path / "c.db"
    assert kzpk("--db", str(db), "import", str(SEEDS)).returncode == 0
    with sqlite3.connect(db) as conn:
        conn.execute(
            'INSERT INTO annotations (id, article_id, start, "end", label, text, created_at, '
            "updated_at) VALUES ('bad', 1, 0, 4, 'claim', 'nope', 'x', 'x')"
        )
    r = kzpk("--db", str(db), "check")
    assert r.returncode == 3
    assert "annotation bad (article 1, 0-4): its text does not match" in r.stderr
    assert "problem(s) found" in r.stderr


@pytest.mark.parametrize(
    ("content", "message"),
    [
        (b"hello, not a database", "is not a kzpk database (it is not an SQLite file)"),
    ],
)
def test_bad_database_is_one_clear_sentence(tmp_path: Path, content: bytes, message: str) -> None:
    db = tmp_path / "bad.db"
    db.write_bytes(content)
    r = kzpk("--db", str(db), "articles")
    assert r.returncode == 1
    assert message in r.stderr and "Traceback" not in r.stderr
    assert db.read_bytes() == content


def test_errors_are_one_sentence_not_tracebacks(tmp_path: Path) -> None:
    db = str(tmp_path / "e.db")
    r = kzpk("--db", db, "import-annotations", str(tmp_path / "missing.jsonl"))
    assert r.returncode == 1 and "Cannot read" in r.stderr and "Traceback" not in r.stderr
    r = kzpk("--db", db, "export", "--columns", "text,bogus")
    assert r.returncode == 1 and "Unknown CSV column(s): bogus" in r.stderr
    r = kzpk("--db", db, "import", str(tmp_path / "nowhere"))
    assert r.returncode == 1 and "no such file or folder" in r.stderr
    r = kzpk("--db", db, "frobnicate")
    assert r.returncode == 2


def test_default_database_is_created_from_seeds_in_the_data_folder(tmp_path: Path) -> None:
    env = {"KZPK_DATA_DIR": str(tmp_path / "userdata")}
    r = kzpk("articles", env=env, cwd=tmp_path)  # run away from the checkout
    assert r.returncode == 0, r.stderr
    assert len(r.stdout.strip().splitlines()) == 5
    assert (tmp_path / "userdata" / "kzpk.db").exists()
    r = kzpk("check", env=env, cwd=tmp_path)
    assert r.returncode == 0 and "5 articles" in r.stdout


def test_every_format_from_the_cli(tmp_path: Path) -> None:
    db = str(tmp_path / "f.db")
    assert kzpk("--db", db, "import", str(SEEDS)).returncode == 0
    from kzpk_desktop.core import annotations as ann
    from kzpk_desktop.core.store import Store

    store = Store.open(db)
    text = store.articles.text(5)
    i = text.index("surged to $239 million")
    ann.create_annotation(store, 5, i, i + 22, "claim", annotator="cli")
    store.close()
    from kzpk_desktop.core.exporters.registry import FORMATS

    for name, fmt in FORMATS.items():
        out = tmp_path / f"x.{fmt.extension}"
        r = kzpk("--db", db, "export", "--format", name, "-o", str(out))
        assert r.returncode == 0, (name, r.stderr)
        assert r.stderr.startswith("wrote ") and fmt.unit in r.stderr and out.stat().st_size > 0
    r = kzpk("--db", db, "export", "--format", "qdpx", "--spreadsheet")
    assert r.returncode == 2 and r.stderr == "kzpk: --spreadsheet applies to the CSV formats only, not to qdpx.\n"
    r = kzpk("--db", db, "export", "--format", "claims-csv")
    assert r.returncode == 0 and "surged to $239 million" in r.stdout


def test_article_set_edits_metadata_through_the_operation(tmp_path: Path) -> None:
    db = str(tmp_path / "p.db")
    assert kzpk("--db", db, "import", str(SEEDS)).returncode == 0
    r = kzpk(
        "--db",
        db,
        "article",
        "set",
        "3",
        "--title",
        "Dar and Nurtleu talk by phone",
        "--date",
        "10/06/2023",
        "--source",
        "Dawn",
        "--url",
        "https://www.dawn.com/news/17",
        "--language",
        "en",
        "--author",
        "Staff Reporter",
        "--who",
        "Aigerim",
    )
    assert r.returncode == 0, r.stderr
    assert r.stdout.strip() == (
        "article 3: title = Dar and Nurtleu talk by phone; date = 2023-06-10; source = Dawn; "
        "url = https://www.dawn.com/news/17; language = en; author = Staff Reporter"
    )
    data = json.loads(kzpk("--db", db, "articles", "--json").stdout)[2]
    assert (
        data["title"],
        data["date"],
        data["date_precision"],
        data["source"],
        data["url"],
        data["language"],
        data["author"],
        data["date_source"],
    ) == (
        "Dar and Nurtleu talk by phone",
        "2023-06-10",
        "day",
        "Dawn",
        "https://www.dawn.com/news/17",
        "en",
        "Staff Reporter",
        "user",
    )
    with sqlite3.connect(db) as conn:
        who, entity, eid = conn.execute("SELECT who, entity, entity_id FROM changes ORDER BY id DESC").fetchone()
    assert (who, entity, eid) == ("Aigerim", "article", "3")
    out = tmp_path / "a.csv"
    assert kzpk("--db", db, "export", "--format", "articles-csv", "-o", str(out)).returncode == 0
    row = next(r for r in csv.DictReader(io.StringIO(out.read_text(encoding="utf-8"))) if r["article_id"] == "3")
    assert (row["title"], row["source"], row["author"]) == ("Dar and Nurtleu talk by phone", "Dawn", "Staff Reporter")

    r = kzpk("--db", db, "article", "set", "3", "--date", "next week")
    assert r.returncode == 1 and r.stderr.strip() == (
        "kzpk: 'next week' is not a date (use 2025, 2025-09, 2025-09-14 or 14 March 2025)."
    )
    r = kzpk("--db", db, "article", "set", "42", "--title", "Nope")
    assert r.returncode == 1 and r.stderr.strip() == "kzpk: There is no article with id 42."
    r = kzpk("--db", db, "article", "set", "3")
    assert r.returncode == 2 and "nothing to change" in r.stderr
