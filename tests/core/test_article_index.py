"""The article index keeps no word positions (schema step m015): what is typed must still
find exactly the articles holding it, in every script, and older databases upgrade."""

from __future__ import annotations

import sqlite3
from pathlib import Path

from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from sqlite_utils import Database

from kzpk_desktop.core import entities as ent
from kzpk_desktop.core.importer import import_paths
from kzpk_desktop.core.schema import ARTICLE_TOKENIZE, KNOWN_MIGRATIONS, migrations
from kzpk_desktop.core.store import ArticleFilter, Store
from kzpk_desktop.core.store.fts import any_of_queries, fts_query, index_terms

HARD_WORDS = {
    "underscore": "budget_2025 line",
    "emoji": "Trade 👍🏽 deal 🇵🇰🇰🇿 signed",
    "crlf": "Astana\r\nforum opened",
    "urdu": "اسحاق ڈار نے آستانہ کا دورہ کیا",
    "kazakh": "Қазақстан мен Пәкістан ынтымақтастықты кеңейтуге келісті",
    "combining": "Cafe\u0301 te\u0302te Zu\u0308rich",
    "line separator": "Gwadar\u2028port opened",
    "marks SQLite reads as separators": "ᦰx\u19b1y",
}


def _positionless_table() -> sqlite3.Connection:
    conn = sqlite3.connect(":memory:")
    conn.execute(f"CREATE VIRTUAL TABLE f USING fts5(t, tokenize='{ARTICLE_TOKENIZE}', detail=column)")
    return conn


@settings(max_examples=300, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(st.text(min_size=1, max_size=40))
def test_any_words_find_the_text_that_holds_them(words: str) -> None:
    """A query built from any text is accepted by the position-less index and finds that text."""
    conn = _positionless_table()
    conn.execute("INSERT INTO f (rowid, t) VALUES (7, ?)", (words,))
    query = fts_query(words)
    if query is None:
        assert index_terms(words) == []
        return
    assert conn.execute("SELECT rowid FROM f WHERE f MATCH ?", (query,)).fetchall() == [(7,)]
    phrases = any_of_queries([words, "unrelated"])
    assert phrases is not None
    assert conn.execute("SELECT rowid FROM f WHERE f MATCH ?", (phrases,)).fetchall() == [(7,)]


def test_terms_are_the_index_own(tmp_path: Path) -> None:
    assert index_terms("Café_Ünïon 2025") == ["cafe", "union", "2025"]
    assert fts_query("foo_bar") == '"foo" "bar"*'
    assert fts_query(" \u2028 ;;") is None
    assert fts_query('x"y') == '"x" "y"*'  # the quote separates: no way to break out of a term
    assert index_terms("\u19b0x\u19b1") == ["x"]  # Python's \w keeps these; SQLite's table does not
    assert fts_query("Gwadar\ud800port") == '"gwadar" "port"*'  # a lone surrogate separates


def test_search_in_every_script_through_the_store(tmp_path: Path) -> None:
    folder = tmp_path / "in"
    folder.mkdir()
    for i, (name, words) in enumerate(HARD_WORDS.items()):
        (folder / f"{i:02d}.txt").write_bytes(f"Headline {name}\n\n{words}\n".encode())
    store = Store.open(tmp_path / "s.db")
    report = import_paths(store, [folder])
    assert len(report.imported) == len(HARD_WORDS)
    ids = {Path(name).name[:2]: aid for name, aid in report.imported}
    for i, words in enumerate(HARD_WORDS.values()):
        found = store.articles.article_ids(ArticleFilter(search=words))
        assert found == [ids[f"{i:02d}"]], words
    assert store.articles.article_ids(ArticleFilter(search="budget_20")) == [ids["00"]]  # prefix of the last
    assert store.articles.article_ids(ArticleFilter(search="пәкіс")) == [ids["04"]]
    assert store.articles.article_ids(ArticleFilter(search="Zurich tete")) == [ids["05"]]
    dar = ent.create_entity(store, "actor", "اسحاق ڈار", aliases=["budget_2025"])
    assert [s.article_id for s in ent.find_mentions(store, dar)] == [ids["00"], ids["03"]]
    store.close()


def _schema_of(path: Path) -> str:
    with sqlite3.connect(path) as conn:
        return str(conn.execute("SELECT sql FROM sqlite_master WHERE name = 'articles_fts'").fetchone()[0])


def test_an_index_with_positions_is_rebuilt_without_them(tmp_path: Path) -> None:
    """A database from before step m015 opens read-only with search working, then upgrades."""
    path = tmp_path / "old.db"
    db = Database(path)
    migrations.apply(db, stop_before="m015_article_index_without_positions")
    db.execute(
        "INSERT INTO articles (title, text, sha256, imported_at) "
        "VALUES ('Old', 'Shehbaz Sharif in Astana; foo_bar', 'abc', '2024-01-01')"
    )
    db.close()
    assert "detail=column" not in _schema_of(path)
    reader = Store.open(path, readonly=True)  # (no upgrade needed to read it)
    assert reader.articles.article_ids(ArticleFilter(search="foo_bar sharif")) == [1]
    reader.close()
    assert "detail=column" not in _schema_of(path)
    store = Store.open(path)
    assert store.applied_migrations() == list(KNOWN_MIGRATIONS)
    assert "detail=column" in _schema_of(path)
    assert Database(path)["articles"].detect_fts() == "articles_fts"  # sqlite-utils and Datasette see it
    assert store.articles.article_ids(ArticleFilter(search="foo_bar sharif")) == [1]
    assert store.articles.article_ids(ArticleFilter(search="Astan")) == [1]
    assert store.articles.article_ids(ArticleFilter(search="Tokayev")) == []
    assert store.integrity.check() == []
    store.close()
