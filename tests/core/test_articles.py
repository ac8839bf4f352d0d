"""Article import: seed metadata, decoding, newline policy and refusals with reasons."""

from __future__ import annotations

import codecs
from pathlib import Path

import pytest

from kzpk_desktop.core.articles import (
    MAX_FILE_BYTES,
    ImportRefused,
    article_from_bytes,
    content_hash,
    read_article,
)
from kzpk_desktop.core.importer import import_paths
from kzpk_desktop.core.store import Store
from tests.conftest import SEEDS

SEED_EXPECTED = {
    "000_777e0314580206e0.txt": (
        "Pakistan, Kazakhstan vow to deepen defence ties, expand military cooperation",
        "Pakistan Today",
        "2026-02-03",
    ),
    "001_9e39f2c7ba389bba.txt": (
        "Dar, Kazakh Counterpart Co-chair High-level Talks To Boost Bilateral Ties",
        "UrduPoint",
        "2025-09-09",
    ),
    "002_49f785e1636573fa.txt": (
        "During a recent phone discussion with Kazakhstan’s President, Pakistan’s Prime Minister "
        "highlighted the importance of Pakistan’s relationship with Kazakhstan.",
        "TDI",
        "2023-06-10",
    ),
    "003_f61ae2352f1f75e9.txt": (
        "Pakistan, Kazakhstan Agree to Expand Bilateral Ties, Boost Regional Connectivity",
        None,
        "2025-09-09",
    ),
    "004_5ad9f082630478ce.txt": (
        "Pakistan and Kazakhstan on Tuesday signed the Action Plan of Cooperation to boost bilateral ties, "
        "according to a statement by the Foreign Office.",
        None,
        "2025-09-09",
    ),
}


@pytest.mark.parametrize("name", sorted(SEED_EXPECTED))
def test_every_seed_has_the_right_title_source_and_date(name: str) -> None:
    article = read_article(SEEDS / name)
    title, source, date = SEED_EXPECTED[name]
    assert article.title == title
    assert article.source == source
    assert article.date == date
    assert article.date_precision == "day"
    assert article.encoding == "utf-8"
    assert article.text == (SEEDS / name).read_bytes().decode("utf-8")  # seeds have LF only, no BOM


def test_seed_dates_keep_the_raw_string_they_came_from() -> None:
    assert read_article(SEEDS / "003_f61ae2352f1f75e9.txt").date_raw == "Tue Sep 09 2025"
    assert read_article(SEEDS / "001_9e39f2c7ba389bba.txt").date_raw == "2025-09-09"


def test_seeds_are_byte_identical_to_the_shared_corpus() -> None:
    shared = SEEDS.parent.parent / "shared" / "seeds"
    if not shared.is_dir():
        pytest.skip("../shared/seeds not beside this checkout")
    ours = {p.name: p.read_bytes() for p in SEEDS.iterdir()}
    theirs = {p.name: p.read_bytes() for p in shared.iterdir()}
    assert ours == theirs


def test_newline_policy_and_bom_drop() -> None:
    data = codecs.BOM_UTF8 + b"Headline of the article here\r\n\r\nLine one\rLine two\r\n"
    article = article_from_bytes(data, "x.txt")
    assert article.text == "Headline of the article here\n\nLine one\nLine two\n"
    assert article.encoding == "utf-8-sig"
    assert article.sha256 == content_hash(article.text)


def test_no_date_is_left_empty_and_said() -> None:
    article = article_from_bytes(b"A headline with four words\n\nBody text without any year.\n", "n.txt")
    assert article.date is None
    assert "no publication date found" in article.notes


def test_month_precision_is_not_padded_with_todays_day() -> None:
    article = article_from_bytes(b"Talks continue in the capital\n\nPublished March 2020\n", "m.txt")
    assert article.date in (None, "2020-03")


@pytest.mark.parametrize(
    ("name", "encoding"),
    [
        ("good_utf8.txt", "utf-8"),
        ("good_utf8_bom.txt", "utf-8-sig"),
        ("good_utf16_bom.txt", "utf-16-le (BOM)"),
        ("good_utf16_nobom.txt", "utf-16-le"),
        ("good_cp1252.txt", "cp1252"),
    ],
)
def test_encodings_are_decoded_and_recorded(data_dir: Path, name: str, encoding: str) -> None:
    article = read_article(data_dir / name)
    assert article.encoding == encoding
    assert "\r" not in article.text and "\ufeff" not in article.text


def test_cp1252_fallback_decodes_smart_quotes(data_dir: Path) -> None:
    article = read_article(data_dir / "good_cp1252.txt")
    assert article.title == "Minister’s remarks on the café summit"
    assert "“framework”" in article.text and "—" in article.text


@pytest.mark.parametrize(
    ("name", "reason"),
    [
        ("empty.txt", "empty"),
        ("whitespace.txt", "only whitespace"),
        ("invalid_utf8.txt", "neither UTF-8 nor Windows-1252"),
        ("nul_bytes.txt", "NUL bytes"),
        ("image.txt", "PNG image"),
        ("document.pdf", "PDF"),
    ],
)
def test_bad_files_are_refused_with_a_reason(data_dir: Path, name: str, reason: str) -> None:
    with pytest.raises(ImportRefused, match=reason):
        read_article(data_dir / name)


def test_oversized_file_is_refused_without_reading_it(tmp_path: Path) -> None:
    big = tmp_path / "big.txt"
    with big.open("wb") as fh:
        fh.truncate(MAX_FILE_BYTES + 1)
    with pytest.raises(ImportRefused, match="over the 20 MB limit"):
        read_article(big)


def test_a_batch_imports_good_files_and_refuses_bad_ones_one_by_one(data_dir: Path, tmp_path: Path) -> None:
    store = Store.open(tmp_path / "b.db")
    report = import_paths(store, [data_dir, SEEDS / "000_777e0314580206e0.txt", tmp_path / "missing.txt"])
    refused = {Path(name).name: reason for name, reason in report.refused}
    assert set(refused) == {
        "empty.txt",
        "whitespace.txt",
        "invalid_utf8.txt",
        "nul_bytes.txt",
        "image.txt",
        "document.pdf",
        "missing.txt",
    }
    assert refused["document.pdf"].startswith("it is a damaged PDF")  # read as PDF now, and broken
    assert refused["missing.txt"] == "no such file or folder"
    imported = {Path(name).name for name, _ in report.imported}
    assert "good_cp1252.txt" in imported and "000_777e0314580206e0.txt" in imported
    assert store.articles.count() == len(report.imported) == 13
    store.close()


def test_duplicates_by_content_are_skipped_with_a_message(tmp_path: Path) -> None:
    store = Store.open(tmp_path / "d.db")
    copy = tmp_path / "copy.txt"
    copy.write_bytes((SEEDS / "001_9e39f2c7ba389bba.txt").read_bytes())
    utf16 = tmp_path / "utf16.txt"  # same text in another encoding is the same article
    utf16.write_bytes(codecs.BOM_UTF16_LE + copy.read_text(encoding="utf-8").encode("utf-16-le"))
    report = import_paths(store, [SEEDS, copy, utf16])
    assert len(report.imported) == 5
    assert {Path(n).name for n, _ in report.duplicates} == {"copy.txt", "utf16.txt"}
    again = import_paths(store, [SEEDS])
    assert (len(again.imported), len(again.duplicates)) == (0, 5)
    assert "already in the database" in again.duplicates[0][1]
    store.close()


def test_batch_import_is_atomic(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    """A failure halfway through a batch leaves nothing of that batch behind."""
    store = Store.open(tmp_path / "a.db")
    real_execute = store.conn.execute
    real_executemany = store.conn.executemany
    calls = {"n": 0}

    class Boom(Exception):
        pass

    def failing(conn_method):  # the 4th article insert fails
        def wrapper(sql, *args):
            if sql.startswith("INSERT INTO articles"):
                calls["n"] += 1
                if calls["n"] == 4:
                    raise Boom("disk on fire")
            return conn_method(sql, *args)

        return wrapper

    def failing_many(sql, rows):  # a batch insert: the 4th row fails, after three went in
        def counted():
            for row in rows:
                calls["n"] += 1
                if calls["n"] == 4:
                    raise Boom("disk on fire")
                yield row

        return real_executemany(sql, counted() if sql.startswith("INSERT INTO articles") else rows)

    class ConnProxy:
        def __init__(self, conn):
            self._conn = conn
            self.execute = failing(real_execute)
            self.executemany = failing_many

        def __getattr__(self, name):
            return getattr(self._conn, name)

    proxy = ConnProxy(store.db.conn)
    monkeypatch.setattr(type(store), "conn", property(lambda self: proxy))
    with pytest.raises(Boom):
        import_paths(store, [SEEDS])
    monkeypatch.undo()
    assert calls["n"] == 4
    assert store.articles.count() == 0
    store.close()
