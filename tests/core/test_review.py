"""Fact-checking sessions in the core: scope, decisions, evidence, resume, status, audit, summary."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from kzpk_desktop.core import annotations as ann
from kzpk_desktop.core import review as rv
from kzpk_desktop.core.store import Store
from tests.conftest import article_id_by_file


def claims(store: Store) -> dict[str, str]:
    spans = {
        "001": ["the first such visit since 2003", "milestone achievement"],
        "004": ["bilateral trade was growing and surged to $239 million"],
        "002": ["flight operations between the two countries will begin shortly"],
    }
    out = {}
    for prefix, needles in spans.items():
        aid = article_id_by_file(store, prefix)
        text = store.articles.text(aid)
        for n in needles:
            i = text.index(n)
            out[n] = ann.create_annotation(store, aid, i, i + len(n), "claim", annotator="A").id
    i = store.articles.text(2).index("Murat Nurtleu")
    out["actor"] = ann.create_annotation(store, 2, i, i + 13, "actor", annotator="A").id
    return out


def test_queue_respects_scope_and_corpus_order(store: Store) -> None:
    ids = claims(store)
    all_claims = rv.build_queue(store, rv.Scope())
    assert all_claims[0] == ids["flight operations between the two countries will begin shortly"]  # 2023 first
    assert len(all_claims) == 4 and ids["actor"] not in all_claims
    assert rv.build_queue(store, rv.Scope(article_id=article_id_by_file(store, "004"))) == [
        ids["bilateral trade was growing and surged to $239 million"]
    ]
    assert len(rv.build_queue(store, rv.Scope(label=None))) == 5
    assert len(rv.build_queue(store, rv.Scope(date_from="2025-01-01", date_to="2025-12-31"))) == 3
    rv.decide(store, None, all_claims[0], rv.Decision("accepted", "supported"), "R")
    assert len(rv.build_queue(store, rv.Scope())) == 3
    assert len(rv.build_queue(store, rv.Scope(only_unreviewed=False))) == 4


def test_a_session_saves_decisions_with_reviewer_time_and_evidence(store: Store) -> None:
    claims(store)
    session = rv.start_session(store, "Bilal", rv.Scope())
    assert session.progress() == "1 of 4"
    first = session.current()
    rv.decide(
        store,
        session,
        first,
        rv.Decision(
            "accepted",
            "supported",
            "high",
            [
                rv.Evidence("https://mofa.gov.pk/press-release", "signed the Action Plan", "supports", "MoFA"),
                rv.Evidence("http://example.org/b", stance="refutes"),
            ],
        ),
        "Bilal",
    )
    assert session.progress() == "2 of 4"
    row = store.annotations.get(first)
    assert (row.status, row.verdict, row.confidence, row.reviewer) == (
        "accepted",
        "supported",
        "high",
        "Bilal",
    )
    assert row.reviewed_at and row.evidence_url == "https://mofa.gov.pk/press-release" and row.evidence_note == "MoFA"
    assert [e.stance for e in store.review.evidence_for(first)] == ["supports", "refutes"]
    decision = store.review.decisions_for(first)[0]
    assert (decision.session_id, decision.reviewer, decision.status) == (session.id, "Bilal", "accepted")
    rv.move(store, session, 1)  # skip
    rv.decide(store, session, session.current(), rv.Decision("rejected", "false"), "Bilal")
    counts = rv.session_counts(store, session.id)
    assert counts == {"accepted": 1, "rejected": 1}


@pytest.mark.parametrize(
    "url", ["", "javascript:alert(1)", "ftp://x.org/a", "www.dawn.com", "http://", "file:///etc/passwd"]
)
def test_invalid_evidence_urls_are_refused_and_nothing_is_saved(store: Store, url: str) -> None:
    ids = claims(store)
    target = ids["milestone achievement"]
    with pytest.raises(rv.ReviewError, match="not a web address"):
        rv.decide(store, None, target, rv.Decision("accepted", "supported", evidence=[rv.Evidence(url)]), "R")
    assert store.annotations.get(target).reviewed_at is None and store.review.decisions_for(target) == []


def test_other_invalid_decisions(store: Store) -> None:
    ids = claims(store)
    with pytest.raises(rv.ReviewError, match="Only claims"):
        rv.decide(store, None, ids["actor"], rv.Decision("accepted", "supported"), "R")
    with pytest.raises(rv.ReviewError, match="Unknown verdict"):
        rv.decide(store, None, ids["milestone achievement"], rv.Decision("accepted", "true-ish"), "R")
    with pytest.raises(rv.ReviewError, match="Unknown decision"):
        rv.decide(store, None, ids["milestone achievement"], rv.Decision("maybe"), "R")
    with pytest.raises(rv.ReviewError, match="Say who"):
        rv.start_session(store, " ", rv.Scope())


def test_an_interrupted_session_resumes_where_it_stopped(store: Store, db_path: Path) -> None:
    claims(store)
    session = rv.start_session(store, "Bilal", rv.Scope())
    rv.decide(store, session, session.current(), rv.Decision("accepted", "supported"), "Bilal")
    rv.decide(store, session, session.current(), rv.Decision("needs_work"), "Bilal")
    store.close()  # the app closes (or crashes) here
    again = Store.open(db_path)
    resumed = rv.open_session(again, "Bilal")
    assert resumed is not None and resumed.id == session.id
    assert resumed.position == 2 and resumed.progress() == "3 of 4" and resumed.queue == session.queue
    assert rv.open_session(again, "someone else") is None
    rv.end_session(again, resumed)
    assert rv.open_session(again, "Bilal") is None
    again.close()


def test_article_becomes_reviewed_when_nothing_is_left(store: Store) -> None:
    ids = claims(store)
    aid = article_id_by_file(store, "004")
    assert store.articles.get(aid).status == "in_progress"
    rv.decide(
        store,
        None,
        ids["bilateral trade was growing and surged to $239 million"],
        rv.Decision("accepted", "supported"),
        "R",
    )
    assert store.articles.get(aid).status == "reviewed"


def test_history_shows_every_change_in_order(store: Store) -> None:
    ids = claims(store)
    target = ids["milestone achievement"]
    ann.edit_annotation(store, target, "A", note="check quote")
    rv.decide(store, None, target, rv.Decision("needs_work", "unverifiable"), "R")
    rv.decide(store, None, target, rv.Decision("accepted", "supported", evidence=[rv.Evidence("https://a.org")]), "R2")
    history = store.history.entries("annotation", target)
    assert [(h.action, h.who) for h in history] == [
        ("create", "A"),
        ("update", "A"),
        ("review", "R"),
        ("review", "R2"),
    ]
    last = json.loads(history[-1].after or "{}")
    assert (last["verdict"], last["evidence"][0]["url"]) == ("supported", "https://a.org")
    assert json.loads(history[-1].before or "{}")["verdict"] == "unverifiable"


def test_summary_counts_match_the_database(store: Store) -> None:
    ids = claims(store)
    session = rv.start_session(store, "Bilal", rv.Scope())
    rv.decide(store, session, session.current(), rv.Decision("accepted", "supported"), "Bilal")
    rv.decide(store, session, session.current(), rv.Decision("rejected", "false"), "Bilal")
    rv.decide(store, None, ids["actor"], rv.Decision("accepted"), "Aigerim")
    s = rv.summary(store, session.id)
    assert dict(s["decision"]) == {"accepted": 1, "rejected": 1}
    assert dict(s["verdict"]) == {"supported": 1, "false": 1}
    assert dict(s["reviewer"]) == {"Bilal": 2}
    corpus = rv.summary(store)
    assert dict(corpus["decision"]) == {"accepted": 2, "rejected": 1, "unreviewed": 2}
    assert dict(corpus["label"]) == {"claim": 4, "actor": 1}
    assert dict(corpus["reviewer"]) == {"Bilal": 2, "Aigerim": 1}
    assert sum(n for _, n in corpus["article"]) == store.annotations.count()
