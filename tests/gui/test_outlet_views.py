"""Across outlets in the window (issue 19), on the seed corpus, driven by real key presses:
the stories panel, claim clusters with a proposed verdict, earlier fact-checks and evidence
provenance in the review window."""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

import pytest
from PySide6.QtCore import Qt, QUrl
from PySide6.QtWidgets import QWidget

from kzpk_desktop.core import annotations as ann
from kzpk_desktop.core import operations as ops
from kzpk_desktop.core import review as rv
from kzpk_desktop.core.store import crossoutlet as q
from kzpk_desktop.gui.claims_view import CONFLICT, ClaimRole
from kzpk_desktop.gui.prior_checks_view import LATE
from kzpk_desktop.gui.stories_view import ArticleRole, StoriesView
from tests.conftest import article_id_by_file
from tests.core.test_crossoutlet import _noise
from tests.gui.conftest import Answers

# the same 9 September 2025 signing, worded three ways by three outlets (001, 004, 003)
SIGNING = [
    ("001", "signing of an Action Plan of Cooperation between the foreign ministries of Pakistan and Kazakhstan"),
    (
        "004",
        "signed the Action Plan of Cooperation between the Ministry of Foreign Affairs of Pakistan and the "
        "Ministry of Foreign Affairs of Kazakhstan",
    ),
    ("003", "signed an action plan for cooperation between the foreign ministries of the two countries"),
]
PLANTED = "https://factcheck.example/pk-kz-action-plan"


def press(qtbot: Any, widget: QWidget, key: Any, modifiers: Any = Qt.KeyboardModifier.NoModifier) -> None:
    top = widget.window()
    top.activateWindow()
    qtbot.waitUntil(top.isActiveWindow, timeout=3000)
    qtbot.keyClick(widget, key, modifiers)


def tag(window: Any, prefix: str, phrase: str) -> str:
    """A claim span made through the desk (so it is in the window's undo history)."""
    store = window.store
    article_id = article_id_by_file(store, prefix)
    i = store.articles.text(article_id).index(phrase)
    row = ann.build_annotation(store, article_id, i, i + len(phrase), "claim", annotator="A")
    assert window.desk.run(ops.CreateAnnotation(row, "A"))
    return str(row.id)


def test_stories_panel_groups_the_three_reports_and_enter_opens_one(window: Any, qtbot: Any) -> None:
    ids = {p: article_id_by_file(window.store, p) for p in ("000", "001", "002", "003", "004")}
    press(qtbot, window.reader, Qt.Key.Key_O, Qt.KeyboardModifier.ControlModifier | Qt.KeyboardModifier.ShiftModifier)
    view = window.outlets.stories
    assert view.isVisible()
    qtbot.waitUntil(lambda: view.result is not None, timeout=60_000)
    assert view.tree.topLevelItemCount() == 1
    top = view.tree.topLevelItem(0)
    story = view.result.stories[0]
    assert sorted(story.article_ids) == sorted([ids["001"], ids["003"], ids["004"]])
    assert [top.text(c) for c in (1, 2, 3)] == ["2025-09-09", "3", "3 outlets, 3 independent"]
    assert top.text(0) == story.label and "Ishaq Dar" in story.label
    assert top.text(4) == f"{story.score:.2f}"
    shown = {int(i.data(0, ArticleRole)): i for i in view.article_items()}
    assert set(shown) == {ids["001"], ids["003"], ids["004"]}
    assert shown[ids["001"]].text(2) == "UrduPoint"
    assert ids["000"] not in shown and ids["002"] not in shown
    # the keyboard: down to the first article row, Enter opens it in the reader
    view.tree.setFocus()
    view.tree.setCurrentItem(top)
    assert not top.isExpanded()
    press(qtbot, view.tree, Qt.Key.Key_Right)  # expand the story
    assert top.isExpanded()
    press(qtbot, view.tree, Qt.Key.Key_Down)  # "Source 1"
    press(qtbot, view.tree, Qt.Key.Key_Down)  # its article
    first = int(view.tree.currentItem().data(0, ArticleRole))
    press(qtbot, view.tree, Qt.Key.Key_Return)
    assert window.article_id == first
    assert window.reader.hasFocus()
    # C compares the story's articles side by side in the Compare window
    view.tree.setFocus()
    with qtbot.waitSignal(view.compareRequested, timeout=3000) as asked:
        press(qtbot, view.tree, Qt.Key.Key_C)
    assert asked.args == [list(story.article_ids)]
    compare = window.crossoutlet.compare_window
    assert compare is not None and compare.isVisible()
    assert [a.id for a in compare.articles] == list(story.article_ids)


def test_the_story_threshold_is_the_users_and_remembered(window: Any, qtbot: Any) -> None:
    view = window.outlets.show_stories()
    qtbot.waitUntil(lambda: view.result is not None, timeout=60_000)
    assert view.tree.topLevelItemCount() == 1
    view.threshold.setFocus()
    view.threshold.selectAll()
    qtbot.keyClicks(view.threshold, "0.95")
    qtbot.keyClick(view.threshold, Qt.Key.Key_Tab)
    first = view.result
    qtbot.mouseClick(view.find_button, Qt.MouseButton.LeftButton)
    qtbot.waitUntil(lambda: view.result is not first, timeout=60_000)
    assert view.result.threshold == 0.95 and view.tree.topLevelItemCount() == 0
    assert view.summary.text().startswith("No two articles score 0.95 or more")
    again = StoriesView(float(str(window.settings.value("stories_threshold"))))
    assert again.threshold.value() == 0.95


def test_a_proposed_verdict_is_applied_only_by_the_key_and_undone_by_ctrl_z(
    window: Any, qtbot: Any, answers: Answers
) -> None:
    first, fourth, third = (tag(window, p, phrase) for p, phrase in SIGNING)
    assert window.desk.run(ops.RecordDecision(first, rv.Decision("accepted", "supported"), "R"))
    press(qtbot, window.reader, Qt.Key.Key_L, Qt.KeyboardModifier.ControlModifier | Qt.KeyboardModifier.ShiftModifier)
    view = window.outlets.claims
    qtbot.waitUntil(lambda: view.result is not None, timeout=30_000)
    rows = {str(i.data(0, ClaimRole)): i for i in view.claim_items()}
    assert set(rows) == {first, third, fourth}
    assert [rows[first].text(3), rows[first].text(4)] == ["Supported", ""]
    assert [rows[third].text(3), rows[third].text(4)] == ["—", "→ Supported (P)"]
    assert window.store.annotations.get(third).verdict is None  # proposed, not applied
    view.tree.setFocus()
    view.tree.setCurrentItem(rows[third])
    press(qtbot, view.tree, Qt.Key.Key_P)
    after = window.store.annotations.get(third)
    assert (after.verdict, after.status, after.reviewer) == ("supported", "accepted", window.annotator)
    assert window.store.annotations.get(fourth).verdict is None  # only the selected claim
    rows = {str(i.data(0, ClaimRole)): i for i in view.claim_items()}
    assert [rows[third].text(3), rows[third].text(4)] == ["Supported", ""]
    assert window.history.undo_text.startswith("Review")
    press(qtbot, window.reader, Qt.Key.Key_Z, Qt.KeyboardModifier.ControlModifier)
    assert window.store.annotations.get(third).verdict is None
    rows = {str(i.data(0, ClaimRole)): i for i in view.claim_items()}
    assert [rows[third].text(3), rows[third].text(4)] == ["—", "→ Supported (P)"]
    # another verdict in the cluster: flagged, and nothing is proposed any more
    assert window.desk.run(ops.RecordDecision(fourth, rv.Decision("accepted", "false"), "R"))
    top = view.tree.topLevelItem(0)
    assert top.text(3) == CONFLICT
    rows = {str(i.data(0, ClaimRole)): i for i in view.claim_items()}
    assert rows[third].text(4) == ""
    view.tree.setCurrentItem(rows[third])
    view.tree.setFocus()
    press(qtbot, view.tree, Qt.Key.Key_P)
    assert window.store.annotations.get(third).verdict is None
    # Enter on a claim opens it in the reader
    press(qtbot, view.tree, Qt.Key.Key_Return)
    assert window.article_id == article_id_by_file(window.store, "003")
    assert window.annotations.current_id() == third


def _review(window: Any, qtbot: Any, scope: rv.Scope) -> Any:
    review = window.review.start_review_session(scope)
    qtbot.waitExposed(review)
    return review


def test_imported_fact_checks_show_the_planted_match_first(
    window: Any, qtbot: Any, answers: Answers, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    from kzpk_desktop.gui.ask import ask

    claim = tag(window, *SIGNING[0])
    planted = {
        "@type": "ClaimReview",
        "url": PLANTED,
        "claimReviewed": "Pakistan and Kazakhstan signed an Action Plan of Cooperation between their foreign ministries",
        "reviewRating": {"@type": "Rating", "alternateName": "True"},
        "author": {"@type": "Organization", "name": "Soch Fact Check"},
        "datePublished": "2025-09-12",
    }
    good = tmp_path / "checks.jsonld"
    good.write_text(json.dumps({"@graph": [*_noise(300), planted]}), encoding="utf-8")
    bad = tmp_path / "notes.json"
    bad.write_text(json.dumps({"title": "not a fact-check"}), encoding="utf-8")
    chosen = [str(bad)]
    monkeypatch.setattr(ask, "open_files", lambda *a: chosen)
    shift_ctrl = Qt.KeyboardModifier.ControlModifier | Qt.KeyboardModifier.ShiftModifier
    press(qtbot, window.reader, Qt.Key.Key_K, shift_ctrl)
    assert answers.errors == [f"'{bad}' holds no ClaimReview item with a claimReviewed text."]
    assert q.prior_check_count(window.store) == 0
    chosen[:] = [str(good)]
    press(qtbot, window.reader, Qt.Key.Key_K, shift_ctrl)
    assert q.prior_check_count(window.store) == 301
    assert window.statusBar().currentMessage().startswith("301 fact-checks imported, 0 already present")
    review = _review(window, qtbot, rv.Scope(article_id=article_id_by_file(window.store, "001")))
    assert review.session.current() == claim
    table = review.prior_checks.table
    assert [table.item(0, c).text() for c in range(5)] == [
        "True",
        "Soch Fact Check",
        "2025-09-12",
        planted["claimReviewed"],
        PLANTED,
    ]
    assert table.rowCount() == 5 and review.prior_checks.summary.text().startswith("5 earlier fact-checks match")
    opened: list[QUrl] = []
    review.prior_checks.open_url = lambda url: opened.append(url) or True
    assert opened == []  # nothing is opened until asked
    press(qtbot, review.context, Qt.Key.Key_L, Qt.KeyboardModifier.ControlModifier)
    assert [u.toString() for u in opened] == [PLANTED]
    press(qtbot, window.reader, Qt.Key.Key_Z, Qt.KeyboardModifier.ControlModifier)  # the import is one step
    assert q.prior_check_count(window.store) == 0
    assert table.rowCount() == 0  # the open review window follows the undo
    redo = Qt.KeyboardModifier.ControlModifier | Qt.KeyboardModifier.ShiftModifier
    press(qtbot, window.reader, Qt.Key.Key_Z, redo)
    assert q.prior_check_count(window.store) == 301 and table.rowCount() == 5
    assert table.item(0, 4).text() == PLANTED
    review.close()


def test_evidence_provenance_edited_in_review_and_late_evidence_flagged(
    window: Any, qtbot: Any, answers: Answers, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    from kzpk_desktop.gui.ask import ask

    claim = tag(window, *SIGNING[0])  # article dated 2025-09-09
    evidence = [rv.Evidence("https://www.mofa.gov.pk/pr", "signed the Action Plan", "supports")]
    assert window.desk.run(ops.RecordDecision(claim, rv.Decision("accepted", "supported", None, evidence), "R"))
    review = _review(window, qtbot, rv.Scope(article_id=article_id_by_file(window.store, "001"), only_unreviewed=False))
    review.outlet_tabs.setCurrentWidget(review.provenance)
    panel = review.provenance
    table = panel.table
    assert table.rowCount() == 1 and panel.late_rows() == []

    def type_into(col: int, text: str) -> None:
        table.setFocus()
        table.setCurrentCell(0, col)
        press(qtbot, table, Qt.Key.Key_F2)
        editor = review.focusWidget()
        assert table.state() == table.State.EditingState
        editor.selectAll()
        qtbot.keyClicks(editor, text)
        qtbot.keyClick(editor, Qt.Key.Key_Return)
        qtbot.waitUntil(lambda: table.state() != table.State.EditingState, timeout=3000)  # Qt commits queued

    type_into(2, "2025-09-15")  # published six days after the article
    (row,) = q.evidence(window.store, claim)
    assert row.published_at == "2025-09-15"
    assert panel.late_rows() == [0]
    assert table.item(0, 5).text() == f"{LATE} (2025-09-09)"
    assert "1 published after the article" in panel.summary.text()
    type_into(1, "2025-09-20")
    type_into(3, "https://web.archive.org/web/2025/https://www.mofa.gov.pk/pr")
    (row,) = q.evidence(window.store, claim)
    assert (row.retrieved_at, row.archive_url) == (
        "2025-09-20",
        "https://web.archive.org/web/2025/https://www.mofa.gov.pk/pr",
    )
    type_into(2, "blursday")  # refused with one sentence; the cell shows the stored date again
    assert len(answers.errors) == 1 and "blursday" in answers.errors[0]
    assert table.item(0, 2).text() == "2025-09-15"
    saved = tmp_path / "mofa-pr.html"
    saved.write_text("<html>the press release</html>", encoding="utf-8")
    monkeypatch.setattr(ask, "open_file", lambda *a: str(saved))
    qtbot.mouseClick(panel.keep_button, Qt.MouseButton.LeftButton)
    (row,) = q.evidence(window.store, claim)
    assert row.archived_file == "desk.evidence/mofa-pr.html"
    assert (window.store.path.parent / row.archived_file).read_text(encoding="utf-8") == saved.read_text()
    assert table.item(0, 4).text() == "desk.evidence/mofa-pr.html"
    undo = Qt.KeyboardModifier.ControlModifier
    press(qtbot, window.reader, Qt.Key.Key_Z, undo)  # each edit is one step of the window's history
    (row,) = q.evidence(window.store, claim)
    assert (row.archived_file, row.archive_url) == (None, "https://web.archive.org/web/2025/https://www.mofa.gov.pk/pr")
    assert table.item(0, 4).text() == ""  # the open review window follows the undo
    review.close()
    press(qtbot, window.reader, Qt.Key.Key_Z, undo)
    (row,) = q.evidence(window.store, claim)
    assert (row.archive_url, row.retrieved_at, row.published_at) == (None, "2025-09-20", "2025-09-15")


def test_finding_stories_reports_progress_over_both_passes_and_cancels(seeded_db: Path) -> None:
    from kzpk_desktop.gui.outlets_coord import stories_job

    calls: list[tuple[int, int, str]] = []
    result = stories_job(seeded_db, 0.3)(lambda done, total, what: calls.append((done, total, what)) or True)
    assert calls == [(0, 20, "Counting names and figures"), (10, 20, "Pairing articles")]
    assert len(result.stories) == 1 and result.threshold == 0.3
    assert sorted(a.source or "" for a in result.articles.values()) == ["", "", "UrduPoint"]
    with pytest.raises(InterruptedError, match=r"^Finding stories was cancelled\.$"):
        stories_job(seeded_db, 0.3)(lambda done, total, what: False)


def test_claims_job_has_no_cap_and_reports_progress_and_cancels(window: Any, qtbot: Any) -> None:
    """Claim clusters once refused more than 5,000 claims (every pair compared); the blocked
    search has no cap, so the job reports the search's own progress and stops on Cancel."""
    from kzpk_desktop.gui.outlets_coord import claims_job

    for prefix, phrase in SIGNING:
        tag(window, prefix, phrase)
    calls: list[tuple[int, int, str]] = []
    result = claims_job(window.db.store.path)(lambda done, total, what: calls.append((done, total, what)) or True)
    assert calls == [(0, 0, "Reading claims"), (0, 3, "Comparing 3 claims"), (3, 3, "Comparing 3 claims")]
    assert [len(k.claims) for k in result.clusters] == [3]
    with pytest.raises(InterruptedError, match=r"^Comparing claims was cancelled\.$"):
        claims_job(window.db.store.path)(lambda done, total, what: False)


def test_fact_checks_holding_markup_are_shown_as_text(
    window: Any, qtbot: Any, answers: Answers, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    from kzpk_desktop.gui.ask import ask
    from kzpk_desktop.gui.plain import plain_tip

    claim = tag(window, *SIGNING[0])
    raw = {
        "claim": "<b>Pakistan</b> and Kazakhstan signed an Action Plan of Cooperation <img src='/dev/zero'>",
        "publisher": "<i>Checks</i> &amp; Co",
        "url": "https://factcheck.example/<b>x</b>",
    }
    path = tmp_path / "markup.json"
    item = {"@type": "ClaimReview", "claimReviewed": raw["claim"], "url": raw["url"]}
    path.write_text(json.dumps({**item, "author": {"name": raw["publisher"]}}), encoding="utf-8")
    monkeypatch.setattr(ask, "directory", lambda *a: str(tmp_path))
    press(qtbot, window.reader, Qt.Key.Key_K, Qt.KeyboardModifier.ControlModifier | Qt.KeyboardModifier.AltModifier)
    assert q.prior_check_count(window.store) == 1
    review = _review(window, qtbot, rv.Scope(article_id=article_id_by_file(window.store, "001")))
    assert review.session.current() == claim
    table = review.prior_checks.table
    assert [table.item(0, c).text() for c in (1, 3, 4)] == [raw["publisher"], raw["claim"], raw["url"]]
    assert table.item(0, 3).toolTip() == plain_tip(raw["claim"])
    opened: list[QUrl] = []
    review.prior_checks.open_url = lambda url: opened.append(url) or True
    review.prior_checks.table.selectRow(0)
    assert review.prior_checks.open_current() and opened[0].scheme() == "https"
    review.close()


def test_the_panels_are_built_on_first_use_and_one_open_at_close_opens_again(
    window: Any, qtbot: Any, seeded_db: Path
) -> None:
    """Start-up leaves the stories and claims panels unbuilt (issue 20) unless one was open when
    the window last closed: then the next window builds them before restoring its layout."""
    from kzpk_desktop.app import create_main_window

    assert window.outlets._panels is None
    press(qtbot, window.reader, Qt.Key.Key_O, Qt.KeyboardModifier.ControlModifier | Qt.KeyboardModifier.ShiftModifier)
    assert window.outlets._panels is not None and window.outlets.stories.isVisible()
    qtbot.waitUntil(lambda: window.outlets.stories.result is not None, timeout=60_000)
    window.close()

    def reopen() -> Any:
        w = create_main_window(seeded_db)
        qtbot.addWidget(w)
        w.show()
        qtbot.waitExposed(w)
        return w

    again = reopen()
    assert again.outlets._panels is not None
    assert again.outlets.stories.isVisible() and not again.outlets.claims.isVisible()
    again.outlets.stories.hide()
    again.close()
    third = reopen()
    assert third.outlets._panels is None
    third.close()


def test_a_feed_with_one_malformed_item_imports_the_rest_and_names_it(
    window: Any, qtbot: Any, answers: Answers, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    from kzpk_desktop.gui.ask import ask

    feed = tmp_path / "feed.json"
    good = _noise(3)
    bad = {**good[1], "reviewRating": ["False"]}
    feed.write_text(json.dumps({"@graph": [good[0], bad, good[2]]}), encoding="utf-8")
    monkeypatch.setattr(ask, "open_files", lambda *a: [str(feed)])
    press(qtbot, window.reader, Qt.Key.Key_K, Qt.KeyboardModifier.ControlModifier | Qt.KeyboardModifier.ShiftModifier)
    assert q.prior_check_count(window.store) == 2 and answers.errors == []
    ((text, details),) = answers.infos
    assert text.startswith("2 fact-checks imported, 0 already present")
    assert text.endswith("1 item could not be read and was left out: see Show Details.")
    assert details == f"'{feed}': Expected reviewRating of ClaimReview 2 to be a JSON object, found str."
