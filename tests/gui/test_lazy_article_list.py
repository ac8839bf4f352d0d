"""A search shows its first rows at once and the whole list, with its count, after the paint
(issue 20): the rows, the count, the selection, the keys and the sort must stay right."""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest
from PySide6.QtCore import QModelIndex, Qt
from PySide6.QtTest import QTest

from kzpk_desktop.core.importer import import_paths
from kzpk_desktop.core.store import ArticleFilter, Store
from kzpk_desktop.gui.article_model import ArticleIdRole

N_ARTICLES = 90
MATCHING = [i for i in range(N_ARTICLES) if i % 3 != 1]  # 60 articles name the railway


@pytest.fixture
def many_db(tmp_path: Path) -> Path:
    folder = tmp_path / "articles"
    folder.mkdir()
    for i in range(N_ARTICLES):
        word = "railway" if i in MATCHING else "harbour"
        (folder / f"a{i:03d}.txt").write_text(
            f"Report number {i:03d} {'zulu' if i % 2 else 'alpha'}\n\nThe {word} plan, part {i}, was discussed.\n",
            encoding="utf-8",
        )
    path = tmp_path / "many.db"
    store = Store.open(path)
    assert len(import_paths(store, [folder]).imported) == N_ARTICLES
    store.close()
    return path


@pytest.fixture
def lazy_window(qtbot: Any, many_db: Path, answers: Any, monkeypatch: pytest.MonkeyPatch) -> Iterator[Any]:
    """The window over 90 articles, a search's first rows cut at 8 (not 100) so that the
    whole list is several times longer than its first rows."""
    from kzpk_desktop.app import create_main_window

    monkeypatch.setattr("kzpk_desktop.gui.article_model.FIRST_ROWS", 8)
    w = create_main_window(many_db)
    qtbot.addWidget(w)
    w.show()
    qtbot.waitExposed(w)
    yield w
    w.close()


def shown_ids(model: Any) -> list[int]:
    return [model.index(r, 0).data(ArticleIdRole) for r in range(model.rowCount())]


def search(window: Any, qtbot: Any, words: str) -> None:
    """Type ``words`` into the search box and run the debounced query now (nothing painted yet)."""
    box = window.articles.search
    box.setFocus()
    qtbot.keyClicks(box, words)
    window.articles.apply_filter()


def test_a_search_shows_its_first_rows_then_the_whole_list_and_its_count(lazy_window: Any, qtbot: Any) -> None:
    w, model = lazy_window, lazy_window.article_model
    expected = w.store.articles.article_ids(ArticleFilter(search="railway"), "date", True)
    assert len(expected) == 60
    search(w, qtbot, "railway")
    first = shown_ids(model)
    assert 8 <= len(first) < 60 and first == expected[: len(first)]  # the top of the list, in its order
    assert model.total() is None and model.canFetchMore(QModelIndex())
    assert w.article_id == expected[0]  # the window opened the newest article, which names it too
    assert w.articles.count_label.text() == "…" and w.position_label.text() == "Article 1 of …"
    qtbot.waitUntil(lambda: model.total() is not None, timeout=3000)  # after the list painted
    assert shown_ids(model) == expected and model.total() == 60 and not model.canFetchMore(QModelIndex())
    assert w.articles.count_label.text() == "60" and w.position_label.text() == "Article 1 of 60"


def test_fetching_more_appends_the_rest_and_row_n_opens_its_article(lazy_window: Any, qtbot: Any) -> None:
    w, model, view = lazy_window, lazy_window.article_model, lazy_window.articles.view
    expected = w.store.articles.article_ids(ArticleFilter(search="railway"), "date", True)
    search(w, qtbot, "railway")
    n_first = model.rowCount()
    inserted: list[tuple[int, int]] = []
    model.rowsInserted.connect(lambda _p, first, last: inserted.append((first, last)))
    model.fetchMore(QModelIndex())  # what the view calls when scrolled to the end of the rows
    assert inserted == [(n_first, 59)] and shown_ids(model) == expected
    view.setFocus()
    QTest.keyClick(view, Qt.Key.Key_End, Qt.KeyboardModifier.ControlModifier)  # the last of all 60
    qtbot.waitUntil(lambda: w.article_id == expected[-1], timeout=3000)
    assert w.position_label.text() == "Article 60 of 60"
    QTest.keyClick(view, Qt.Key.Key_Up)
    qtbot.waitUntil(lambda: w.article_id == expected[-2], timeout=3000)
    assert view.currentIndex().row() == 58


def test_keys_past_the_first_rows_reach_the_whole_list(lazy_window: Any, qtbot: Any) -> None:
    w, model, view = lazy_window, lazy_window.article_model, lazy_window.articles.view
    expected = w.store.articles.article_ids(ArticleFilter(search="railway"), "date", True)
    search(w, qtbot, "railway")
    qtbot.waitUntil(lambda: model.total() == 60, timeout=3000)
    view.setFocus()
    QTest.keyClick(view, Qt.Key.Key_Home, Qt.KeyboardModifier.ControlModifier)
    qtbot.waitUntil(lambda: w.article_id == expected[0], timeout=3000)
    for _ in range(20):  # past the 8 first rows, one key at a time
        QTest.keyClick(view, Qt.Key.Key_Down)
    qtbot.waitUntil(lambda: w.article_id == expected[20], timeout=3000)
    assert w.position_label.text() == "Article 21 of 60"


def test_the_open_article_stays_selected_when_it_is_past_the_first_rows(lazy_window: Any, qtbot: Any) -> None:
    w, model, view = lazy_window, lazy_window.article_model, lazy_window.articles.view
    expected = w.store.articles.article_ids(ArticleFilter(search="railway"), "date", True)
    deep = expected[50]
    assert w.articles.select_article(deep) and w.article_id == deep
    search(w, qtbot, "railway")
    assert model.row_of(deep, load=False) is None  # not among the first rows yet
    qtbot.waitUntil(lambda: model.total() == 60, timeout=3000)
    assert view.currentIndex().data(ArticleIdRole) == deep and view.currentIndex().row() == 50
    assert w.article_id == deep and w.position_label.text() == "Article 51 of 60"


def test_sorting_a_search_starts_the_new_order_from_the_top_and_keeps_the_article(lazy_window: Any, qtbot: Any) -> None:
    w, model, view = lazy_window, lazy_window.article_model, lazy_window.articles.view
    search(w, qtbot, "railway")
    qtbot.waitUntil(lambda: model.total() == 60, timeout=3000)
    by_date = w.store.articles.article_ids(ArticleFilter(search="railway"), "date", True)
    assert w.articles.select_article(by_date[3]) and w.article_id == by_date[3]
    header = view.horizontalHeader()
    title_col = 2
    x = header.sectionViewportPosition(title_col) + header.sectionSize(title_col) // 2
    QTest.mouseClick(header.viewport(), Qt.MouseButton.LeftButton, pos=header.rect().center().__class__(x, 5))
    by_title = w.store.articles.article_ids(ArticleFilter(search="railway"), "title", False)
    assert by_title != by_date
    qtbot.waitUntil(lambda: model.total() == 60, timeout=3000)
    assert shown_ids(model) == by_title
    titles = [model.index(r, title_col).data() for r in range(model.rowCount())]
    assert titles == sorted(titles, key=str.casefold)
    row = by_title.index(by_date[3])
    assert view.currentIndex().row() == row and w.article_id == by_date[3]
    assert w.position_label.text() == f"Article {row + 1} of 60"
