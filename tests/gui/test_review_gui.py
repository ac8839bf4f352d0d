"""A fact-checking session on the seed corpus, run from the keyboard."""

from __future__ import annotations

import sqlite3
from pathlib import Path
from typing import Any

from PySide6.QtCore import Qt
from PySide6.QtWidgets import QTableWidget

from kzpk_desktop.core import review as rv
from tests.gui.conftest import Answers
from tests.gui.test_desk import open_article

CLAIMS = [
    ("001", "the first such visit since 2003"),
    ("001", "milestone achievement"),
    ("004", "bilateral trade was growing and surged to $239 million"),
    ("002", "flight operations between the two countries will begin shortly"),
]


def make_claims(window: Any) -> list[str]:
    ids = []
    for prefix, needle in CLAIMS:
        open_article(window, prefix)
        text = window.reader.text()
        i = text.index(needle)
        window.reader.select_span(i, i + len(needle))
        assert window.annotating.tag_selection("claim")
        ids.append(window.annotations.current_id())
    text = window.reader.text()
    window.reader.select_span(0, 9)
    window.annotating.tag_selection("actor")  # not a claim: outside the default scope
    return ids


def key(w: Any, qtbot: Any, k: Any) -> None:
    qtbot.waitUntil(w.isActiveWindow, timeout=3000)
    qtbot.keyClick(w, k)


def test_whole_session_by_keyboard(window: Any, qtbot: Any, seeded_db: Path, answers: Answers) -> None:
    window.annotator = "Bilal"
    make_claims(window)
    review = window.review.start_review_session(rv.Scope())
    qtbot.waitExposed(review)
    assert review.progress_label.text() == "1 of 4"
    first = review.session.current()
    assert (
        review.context.extraSelections()[0].cursor.selectedText()
        == "flight operations between the two countries will begin shortly"
    )  # 2023 article first
    key(review, qtbot, Qt.Key.Key_1)  # verdict 1 = supported
    assert review.verdict.currentData() == "supported"
    key(review, qtbot, Qt.Key.Key_A)
    assert review.progress_label.text() == "2 of 4"
    key(review, qtbot, Qt.Key.Key_4)  # false
    review.set_evidence(0, "https://www.mofa.gov.pk/pr-2025-09-09", "signed the Action Plan", "refutes", "MoFA")
    key(review, qtbot, Qt.Key.Key_R)
    key(review, qtbot, Qt.Key.Key_S)  # skip the third
    assert review.progress_label.text() == "4 of 4"
    key(review, qtbot, Qt.Key.Key_K)  # back to it
    assert review.progress_label.text() == "3 of 4"
    key(review, qtbot, Qt.Key.Key_W)
    key(review, qtbot, Qt.Key.Key_7)
    key(review, qtbot, Qt.Key.Key_A)
    assert review.progress_label.text() == "Done: 4 of 4"
    with sqlite3.connect(seeded_db) as conn:
        rows = conn.execute(
            "SELECT status, verdict, reviewer, reviewed_at IS NOT NULL, evidence_url FROM annotations "
            "WHERE label = 'claim' ORDER BY reviewed_at"
        ).fetchall()
        ended = conn.execute("SELECT ended_at IS NOT NULL FROM review_sessions").fetchone()
        decisions = conn.execute("SELECT count(*) FROM review_decisions").fetchone()
    assert [(r[0], r[1], r[2], r[3]) for r in rows] == [
        ("accepted", "supported", "Bilal", 1),
        ("rejected", "false", "Bilal", 1),
        ("needs_work", None, "Bilal", 1),
        ("accepted", "opinion", "Bilal", 1),
    ]
    assert rows[1][4] == "https://www.mofa.gov.pk/pr-2025-09-09"
    assert ended == (1,) and decisions == (4,)
    assert window.store.annotations.get(first).reviewed_at is not None
    # 004's only span was decided: "Reviewed"; 002 still has an unreviewed actor span
    model = window.article_model
    status = {
        window.store.articles.get(model.article_id(r)).file_name[:3]: model.index(r, 4).data()
        for r in range(model.rowCount())
    }
    assert (status["004"], status["002"]) == ("Reviewed", "In progress")


def test_scope_limits_the_queue(window: Any, answers: Answers) -> None:
    make_claims(window)
    aid = open_article(window, "001")
    review = window.review.start_review_session(rv.Scope(article_id=aid))
    assert len(review.session.queue) == 2
    review.close()
    review = window.review.start_review_session(rv.Scope(label=None, date_from="2025-09-09", date_to="2025-09-09"))
    assert len(review.session.queue) == 3  # the 2025-09-09 claims; the actor span is in the 2023 article


def test_invalid_evidence_url_is_refused_with_a_message(window: Any, qtbot: Any, answers: Answers) -> None:
    make_claims(window)
    review = window.review.start_review_session(rv.Scope())
    current = review.session.current()
    review.set_evidence(0, "www.dawn.com/news/123")
    key(review, qtbot, Qt.Key.Key_A)
    assert answers.errors and "not a web address" in answers.errors[-1]
    assert review.progress_label.text() == "1 of 4"
    assert window.store.annotations.get(current).reviewed_at is None


def test_interrupted_session_resumes_where_it_stopped(
    qtbot: Any, window: Any, seeded_db: Path, answers: Answers
) -> None:
    from kzpk_desktop.app import create_main_window

    window.annotator = "Bilal"
    make_claims(window)
    review = window.review.start_review_session(rv.Scope())
    key(review, qtbot, Qt.Key.Key_A)
    key(review, qtbot, Qt.Key.Key_A)
    queue = review.session.queue
    window.close()  # the app is closed mid-session
    again = create_main_window(seeded_db)
    qtbot.addWidget(again)
    again.annotator = "Bilal"
    answers.confirm = True
    resumed = again.review.start_review()
    assert resumed is not None and resumed.session.queue == queue
    assert resumed.progress_label.text() == "3 of 4"
    resumed.close()
    again.close()


def test_history_shows_each_change_in_order(window: Any, qtbot: Any) -> None:
    ids = make_claims(window)
    open_article(window, "004")
    window.annotations.select(ids[2])
    window.annotating.edit_annotation(ids[2], {"note": "source?"})
    review = window.review.start_review_session(rv.Scope(article_id=window.article_id))
    key(review, qtbot, Qt.Key.Key_3)
    key(review, qtbot, Qt.Key.Key_A)
    review.close()
    window.annotations.select(ids[2])
    dialog = window.review.show_history()
    table = dialog.findChild(QTableWidget, "historyTable")
    actions = [table.item(r, 2).text() for r in range(table.rowCount())]
    assert actions == ["create", "update", "review"]
    assert table.item(1, 3).text() == "note: — → source?"
    assert "status: unreviewed → accepted" in table.item(2, 3).text()
    assert "verdict: — → unsupported" in table.item(2, 3).text()
    dialog.close()


def test_summary_counts_match_the_database(window: Any, qtbot: Any, seeded_db: Path) -> None:
    make_claims(window)
    review = window.review.start_review_session(rv.Scope())
    for k in (Qt.Key.Key_1, Qt.Key.Key_A, Qt.Key.Key_4, Qt.Key.Key_R, Qt.Key.Key_A):
        key(review, qtbot, k)
    review.close()
    dialog = window.review.show_summary()
    verdicts = dialog.tables["verdict"]
    shown = {verdicts.item(r, 0).text(): int(verdicts.item(r, 1).text()) for r in range(verdicts.rowCount())}
    with sqlite3.connect(seeded_db) as conn:
        truth = dict(
            conn.execute(
                "SELECT verdict, count(*) FROM annotations WHERE verdict IS NOT NULL GROUP BY verdict"
            ).fetchall()
        )
        statuses = dict(conn.execute("SELECT status, count(*) FROM annotations GROUP BY status").fetchall())
    assert shown == {k.replace("_", " "): n for k, n in truth.items()} == {"supported": 1, "false": 1}
    decisions = dialog.tables["decision"]
    assert {
        decisions.item(r, 0).text().replace(" ", "_"): int(decisions.item(r, 1).text())
        for r in range(decisions.rowCount())
    } == statuses
    assert dialog.charts["verdict"].data == [("false", 1), ("supported", 1)]
    dialog.scope.setCurrentIndex(1)  # the session just run
    assert dialog.total.text() == "3 decisions in this session"
    dialog.close()


def test_the_app_asks_once_for_the_annotator(window: Any, answers: Answers) -> None:
    window.settings.remove("annotator")
    answers.name = "Aigerim S."
    assert window.help.ensure_annotator() == "Aigerim S."
    answers.name = "Someone else"
    assert window.help.ensure_annotator() == "Aigerim S."  # asked only once
    open_article(window, "001")
    window.reader.select_span(0, 5)
    window.annotating.tag_selection("claim")
    assert window.annotations.current().annotator == "Aigerim S."
