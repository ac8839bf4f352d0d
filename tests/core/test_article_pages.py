"""A search's first rows (core/store/article_pages.py) are the top of the whole filtered list."""

from __future__ import annotations

from pathlib import Path

from kzpk_desktop.core.importer import import_paths
from kzpk_desktop.core.store import ArticleFilter, Store
from kzpk_desktop.core.store.article_pages import ArticlePage, first_article_ids


def make(tmp_path: Path) -> Store:
    folder = tmp_path / "articles"
    folder.mkdir()
    for i in range(60):
        word = "railway" if i % 3 else "harbour"
        extra = " Skardu" if i == 17 else ""
        (folder / f"a{i:03d}.txt").write_text(
            f"Report {i:03d}\n\nThe {word} plan{extra}, part {i}.\n", encoding="utf-8"
        )
    store = Store.open(tmp_path / "p.db")
    assert len(import_paths(store, [folder]).imported) == 60
    return store


def test_first_rows_are_the_top_of_the_list_with_every_filter(tmp_path: Path) -> None:
    store = make(tmp_path)
    for aid in store.articles.article_ids(ArticleFilter(), "id", False)[::2]:
        store.articles.set_status(aid, "in_progress")
    for flt in (ArticleFilter(search="railway"), ArticleFilter(search="railway", status="in_progress")):
        for sort, descending in (("date", True), ("title", False), ("id", True)):
            whole = store.articles.article_ids(flt, sort, descending)
            page = first_article_ids(store, flt, sort, descending, want=4)
            assert not page.complete and 4 <= len(page.ids) < len(whole)
            assert list(page.ids) == whole[: len(page.ids)]
    assert len(store.articles.article_ids(ArticleFilter(search="railway", status="in_progress"), "id", False)) == 20


def test_a_rare_word_or_no_word_comes_back_whole(tmp_path: Path) -> None:
    store = make(tmp_path)
    rare = first_article_ids(store, ArticleFilter(search="Skardu"), "date", True, want=4)
    assert rare == ArticlePage(tuple(store.articles.article_ids(ArticleFilter(search="Skardu"), "date", True)), True)
    assert len(rare.ids) == 1
    assert first_article_ids(store, ArticleFilter(), "title", False, want=4) == ArticlePage(
        tuple(store.articles.article_ids(ArticleFilter(), "title", False)), True
    )
    assert first_article_ids(store, ArticleFilter(search="zzz"), "date", True, want=4) == ArticlePage((), True)
