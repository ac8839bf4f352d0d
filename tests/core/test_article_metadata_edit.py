"""EditArticleMetadata: validated, one transaction with a history row, exact Changes, undoable;
the FTS index follows a title change; exports carry the edited values."""

from __future__ import annotations

import csv
import io
import json

import pytest

from kzpk_desktop.core.errors import KzpkError
from kzpk_desktop.core.exporters.jsonl import write_jsonl
from kzpk_desktop.core.exporters.tables import write_articles_csv
from kzpk_desktop.core.operations import Changes, EditArticleMetadata, UndoHistory, run
from kzpk_desktop.core.store import ArticleFilter, Store
from kzpk_desktop.core.store.article_metadata import article_metadata


def _history(store: Store) -> list[tuple[str, str, str, dict, dict]]:
    return [
        (r[0], r[1], r[2], json.loads(r[3]), json.loads(r[4]))
        for r in store.conn.execute(
            "SELECT who, entity, entity_id, before, after FROM changes WHERE entity = 'article' AND action != 'import' "
            "ORDER BY id"
        )
    ]


def test_edit_sets_every_field_logs_it_and_undo_restores_exactly(store: Store) -> None:
    before = article_metadata(store, 5)
    history = UndoHistory(store)
    changes = history.do(
        EditArticleMetadata(
            5,
            {
                "title": "  Pakistan and  Kazakhstan sign visa deal ",
                "date": "2025-09",
                "source": "Dawn",
                "url": "https://www.dawn.com/news/1",
                "language": "EN",
                "author": "Staff Reporter",
            },
            "Aigerim",
        )
    )
    assert changes == Changes(articles=frozenset({5}))
    after = article_metadata(store, 5)
    assert (after.title, after.title_source) == ("Pakistan and Kazakhstan sign visa deal", "user")
    assert (after.date, after.date_precision, after.date_raw, after.date_source) == (
        "2025-09",
        "month",
        "2025-09",
        "user",
    )
    assert (after.source, after.url, after.language, after.author) == (
        "Dawn",
        "https://www.dawn.com/news/1",
        "en",
        "Staff Reporter",
    )
    [(who, entity, eid, old, new)] = _history(store)
    assert (who, entity, eid) == ("Aigerim", "article", "5")
    assert old["title"] == before.title and new["title"] == "Pakistan and Kazakhstan sign visa deal"
    assert old["date"] == "2025-09-09" and new["date_precision"] == "month"

    assert history.undo() == Changes(articles=frozenset({5}))
    assert article_metadata(store, 5) == before
    history.redo()
    assert article_metadata(store, 5) == after


def test_day_first_date_and_clearing_fields(store: Store) -> None:
    run(store, EditArticleMetadata(2, {"date": "03/04/2025", "source": ""}, "x"))
    meta = article_metadata(store, 2)
    assert (meta.date, meta.date_precision, meta.source) == ("2025-04-03", "day", None)
    run(store, EditArticleMetadata(2, {"date": "14 March 2025"}, "x"))
    assert article_metadata(store, 2).date == "2025-03-14"
    run(store, EditArticleMetadata(2, {"date": ""}, "x"))
    meta = article_metadata(store, 2)
    assert (meta.date, meta.date_precision, meta.date_raw, meta.date_source) == (None, None, None, None)


def test_an_edit_that_changes_nothing_reports_no_changes(store: Store) -> None:
    title = article_metadata(store, 1).title
    run(store, EditArticleMetadata(1, {"title": title + " x"}, "x"))
    assert run(store, EditArticleMetadata(1, {"title": title + " x"}, "x")).changes == Changes()


@pytest.mark.parametrize(
    ("changes", "message"),
    [
        ({"title": "  "}, "An article's title cannot be empty."),
        ({"date": "sometime soon"}, "'sometime soon' is not a date (use 2025, 2025-09, 2025-09-14 or 14 March 2025)."),
        ({"url": "dawn.com/news"}, "'dawn.com/news' is not a web address (it must start with http:// or https://)."),
        ({"language": "English"}, "'english' is not a language code (use an ISO 639 code such as en, ru, ur or kk)."),
        ({"status": "done"}, "Unknown article field(s) status (expected title, date, source, url, language, author)."),
    ],
)
def test_bad_values_are_refused_and_nothing_is_written(store: Store, changes: dict, message: str) -> None:
    before = article_metadata(store, 1)
    with pytest.raises(KzpkError) as err:
        run(store, EditArticleMetadata(1, changes, "x"))
    assert str(err.value) == message
    assert article_metadata(store, 1) == before and _history(store) == []


def test_missing_article_is_refused(store: Store) -> None:
    with pytest.raises(KzpkError, match=r"^There is no article with id 99\.$"):
        run(store, EditArticleMetadata(99, {"title": "A new title"}, "x"))


def test_full_text_search_follows_a_title_change(store: Store) -> None:
    assert store.articles.article_ids(ArticleFilter(search="Zanzibarian")) == []
    run(store, EditArticleMetadata(3, {"title": "Zanzibarian envoy visits Astana"}, "x"))
    assert store.articles.article_ids(ArticleFilter(search="Zanzibarian")) == [3]


def test_exports_carry_the_edited_values(store: Store) -> None:
    run(
        store,
        EditArticleMetadata(
            4,
            {
                "title": "Edited headline for export",
                "date": "2024",
                "source": "TASS",
                "url": "https://tass.com/x",
                "language": "ru",
                "author": "Ivan Petrov",
            },
            "x",
        ),
    )
    buf = io.StringIO()
    jsonl_path = store.path.parent / "out.jsonl"
    write_jsonl(store, jsonl_path)
    rec = next(
        json.loads(line)["article"]
        for line in jsonl_path.read_text(encoding="utf-8").splitlines()
        if json.loads(line)["article"]["id"] == 4
    )
    assert {
        k: rec[k]
        for k in (
            "title",
            "date",
            "date_precision",
            "source",
            "url",
            "language",
            "author",
            "title_source",
            "date_source",
        )
    } == {
        "title": "Edited headline for export",
        "date": "2024",
        "date_precision": "year",
        "source": "TASS",
        "url": "https://tass.com/x",
        "language": "ru",
        "author": "Ivan Petrov",
        "title_source": "user",
        "date_source": "user",
    }
    csv_path = store.path.parent / "articles.csv"
    write_articles_csv(store, csv_path)
    buf = io.StringIO(csv_path.read_text(encoding="utf-8"))
    row = next(r for r in csv.DictReader(buf) if r["article_id"] == "4")
    assert (
        row["title"],
        row["date"],
        row["source"],
        row["url"],
        row["language"],
        row["author"],
        row["date_source"],
    ) == ("Edited headline for export", "2024", "TASS", "https://tass.com/x", "ru", "Ivan Petrov", "user")
