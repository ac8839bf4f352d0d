"""Cross-outlet analysis (issue 19): stories, copies vs independent sources, claim clusters,
compare, timeline, prior fact-checks and the AVeriTeC export, on real SQLite files."""

from __future__ import annotations

import json
from collections.abc import Iterator
from dataclasses import replace
from pathlib import Path

import pytest

from kzpk_desktop.core import annotations as ann
from kzpk_desktop.core import operations as ops
from kzpk_desktop.core import review as rv
from kzpk_desktop.core.articles import article_from_bytes
from kzpk_desktop.core.crossoutlet import claims as cl
from kzpk_desktop.core.crossoutlet import prior_checks as pc
from kzpk_desktop.core.crossoutlet.compare import compare, story_mates
from kzpk_desktop.core.crossoutlet.provenance import SetEvidenceProvenance
from kzpk_desktop.core.crossoutlet.stories import Story, StoryOptions, find_stories
from kzpk_desktop.core.crossoutlet.timeline import DATE_MENTION, build_timeline, resolve
from kzpk_desktop.core.exporters.averitec import AVERITEC_LABELS
from kzpk_desktop.core.exporters.registry import export
from kzpk_desktop.core.importer import _row
from kzpk_desktop.core.store import Store
from kzpk_desktop.core.store import crossoutlet as q
from tests.conftest import article_id_by_file

CORPUS = Path(__file__).resolve().parent / "crossoutlet_corpus"
# file -> (outlet, date) of the written corpus: a wire story (APP), its reprint, a lightly edited
# copy, an independent report of the same signing, an unrelated story; two independent reports
# of a second event three weeks later.
META = {
    "a1_wire": ("Dawn", "2025-10-14"),
    "a2_reprint": ("Pakistan Today", "2025-10-14"),
    "a3_edited": ("The Nation", "2025-10-15"),
    "a4_independent": ("The Astana Times", "2025-10-14"),
    "a5_unrelated": ("Dawn", "2025-10-14"),
    "b1_report": ("Dawn", "2025-11-02"),
    "b2_report": ("Kazinform", "2025-11-03"),
}


@pytest.fixture
def corpus(tmp_path: Path) -> Iterator[tuple[Store, dict[str, int]]]:
    s = Store.open(tmp_path / "outlets.db")
    rows = []
    for name, (source, date) in META.items():
        row = _row(article_from_bytes((CORPUS / f"{name}.txt").read_bytes(), f"{name}.txt"))
        rows.append(replace(row, source=source, date=date, date_precision="day"))
    ids = dict(zip(META, s.articles.insert_articles(rows), strict=True))
    yield s, ids
    s.close()


def _stories(store: Store, **kw: float) -> list[Story]:
    return find_stories(lambda: q.iter_articles_by_date(store), store.articles.text, StoryOptions(**kw))


def test_seed_reports_of_the_9_september_talks_form_one_story(store: Store) -> None:
    ids = {p: article_id_by_file(store, p) for p in ("000", "001", "002", "003", "004")}
    stories = _stories(store)
    holding = [s for s in stories if ids["001"] in s.article_ids]
    assert len(holding) == 1
    story = holding[0]
    assert {ids["001"], ids["003"], ids["004"]} <= set(story.article_ids)
    assert ids["000"] not in story.article_ids and ids["002"] not in story.article_ids
    assert story.label.endswith("— 2025-09-09")
    assert "Ishaq Dar" in story.label and "Murat Nurtleu" in story.label
    assert 0.3 <= story.score <= 1


def test_reprints_and_edited_copies_count_as_one_source(corpus: tuple[Store, dict[str, int]]) -> None:
    s, ids = corpus
    stories = {st.article_ids: st for st in _stories(s)}
    a = tuple(sorted(ids[n] for n in ("a1_wire", "a2_reprint", "a3_edited", "a4_independent")))
    b = tuple(sorted(ids[n] for n in ("b1_report", "b2_report")))
    assert set(stories) == {a, b}  # the unrelated Lahore story is in none
    rail = stories[a]
    assert (rail.outlets, rail.independent_sources) == (4, 2)
    assert rail.summary() == "4 outlets, 2 independent"
    assert rail.copies == (tuple(sorted(ids[n] for n in ("a1_wire", "a2_reprint", "a3_edited"))),)
    assert rail.agencies == ("APP",)
    longest = rail.passages[0]
    assert set(longest.article_ids) == {ids["a1_wire"], ids["a2_reprint"]} and longest.words > 100
    edited = [p for p in rail.passages if ids["a3_edited"] in p.article_ids]
    assert edited and all(ids["a4_independent"] not in p.article_ids for p in edited)
    visas = stories[b]
    assert (visas.outlets, visas.independent_sources, visas.copies) == (2, 2, ())


def test_threshold_is_the_users_and_the_date_window_separates_events(corpus: tuple[Store, dict[str, int]]) -> None:
    s, ids = corpus
    copies = tuple(sorted(ids[n] for n in ("a1_wire", "a2_reprint", "a3_edited")))
    strict = _stories(s, threshold=0.8)  # only copied text scores this high
    assert [(st.article_ids, st.summary()) for st in strict] == [(copies, "3 outlets, 1 independent")]
    # the two visa reports are dated a day apart: a zero-day window keeps them apart
    same_day = _stories(s, threshold=0.3, window_days=0)
    assert not any(ids["b1_report"] in st.article_ids for st in same_day)
    assert _stories(s, threshold=1.0) == []


def test_compare_aligns_sentences_and_names_the_differing_figure(tmp_path: Path) -> None:
    s = Store.open(tmp_path / "c.db")
    texts = [
        "Bilateral trade was growing and surged to $239 million, the envoy said on Tuesday.\n"
        "Both ministers signed the Action Plan of Cooperation in Islamabad.",
        "Both ministers signed the Action Plan of Cooperation in Islamabad.\n"
        "Bilateral trade was growing and reached $310 million, the envoy said on Tuesday.",
    ]
    rows = [replace(_row(article_from_bytes(t.encode(), f"{i}.txt")), date="2025-09-09") for i, t in enumerate(texts)]
    a, b = s.articles.insert_articles(rows)
    result = compare(q.articles_by_id(s, [a, b]))
    trade = next(r for r in result.rows if "trade" in r.sentences[0].text)
    assert trade.sentences[1] is not None and "$310 million" in trade.sentences[1].text
    figures = [d for d in trade.differences if d.kind == "number"]
    assert len(figures) == 1
    assert [(m.article_id, m.text) for m in figures[0].mentions] == [(a, "$239 million"), (b, "$310 million")]
    for m in figures[0].mentions:
        assert s.articles.text(m.article_id)[m.start : m.end] == m.text
    plan = next(r for r in result.rows if "Action Plan" in r.sentences[0].text)
    assert plan.score == 100.0 and plan.differences == ()
    assert [d.kind for d in result.differences] == ["number"]  # "on Tuesday" is the same day in both
    with pytest.raises(ValueError, match="at least two"):
        compare(q.articles_by_id(s, [a]))
    s.close()


def test_relative_dates_read_against_the_article_date() -> None:
    assert resolve("on Tuesday", "2025-09-09") == "2025-09-09"  # a Tuesday
    assert resolve("on Monday", "2025-09-09") == "2025-09-08"
    assert resolve("yesterday", "2025-09-09") == "2025-09-08"
    assert resolve("9th Sep, 2025", None) == "2025-09-09"
    assert resolve("in April", "2025-09-09") == "2025-04-01"  # the month before the article, not next April
    # "the forthcoming visit in November this year" (seed 003, 9 September 2025): this November
    sentence = "ahead of the forthcoming Presidential visit in November this year."
    mention = DATE_MENTION.search(sentence)
    assert mention is not None and mention.group(0) == "in November this year"
    assert resolve(mention.group(0), "2025-09-09") == "2025-11-01"
    assert resolve("in August last year", "2025-09-09") == "2024-08-01"


def test_compare_candidates_are_the_articles_dated_near_and_the_story_comes_first(store: Store) -> None:
    ids = {p: article_id_by_file(store, p) for p in ("000", "001", "002", "003", "004")}
    near = q.articles_near(store, ids["001"])
    assert sorted(a.id for a in near) == sorted([ids["001"], ids["003"], ids["004"]])  # all dated 2025-09-09
    assert sorted(story_mates(ids["001"], near, store.articles.text)) == sorted([ids["003"], ids["004"]])
    assert [a.id for a in q.articles_near(store, ids["000"])] == [ids["000"]]  # 2026: nothing near it


def _tag(store: Store, article_id: int, phrase: str, label: str = "claim") -> str:
    text = store.articles.text(article_id)
    i = text.index(phrase)
    row = ann.build_annotation(store, article_id, i, i + len(phrase), label, annotator="A")
    ops.run(store, ops.CreateAnnotation(row, "A"))
    return str(row.id)


def test_timeline_flags_one_event_dated_differently_by_two_outlets(corpus: tuple[Store, dict[str, int]]) -> None:
    s, ids = corpus
    entity_id = next(iter(ops.run(s, ops.CreateEntity("agreement", "Trans-Afghan railway MoU", "A")).changes.entities))
    spans = {}
    for name, phrase in (
        ("a1_wire", "memorandum of understanding"),
        ("a3_edited", "memorandum of understanding"),
        ("a4_independent", "railway memorandum"),
    ):
        spans[name] = _tag(s, ids[name], phrase, "agreement")
        ops.run(s, ops.EditAnnotation(spans[name], {"entity_id": entity_id}, "A"))
    lahore = _tag(s, ids["a5_unrelated"], "Torrential monsoon rain lashed Lahore on Tuesday")
    tl = build_timeline(q.spans(s, ("claim", "agreement")))
    by_id = {i.annotation_id: i for i in tl.items}
    # the wire says "on Tuesday" (14 October); the edited copy "on Monday" (13 October)
    assert (by_id[spans["a1_wire"]].date, by_id[spans["a1_wire"]].date_text) == ("2025-10-14", "on Tuesday")
    assert (by_id[spans["a3_edited"]].date, by_id[spans["a3_edited"]].date_text) == ("2025-10-13", "on Monday")
    assert (by_id[spans["a4_independent"]].date, by_id[spans["a4_independent"]].date_text) == (
        "2025-10-14",
        "the article date",
    )
    assert (by_id[lahore].date, by_id[lahore].kind) == ("2025-10-14", "claim")
    assert [i.date for i in tl.items] == sorted(i.date for i in tl.items)
    assert len(tl.conflicts) == 1
    assert tl.conflicts[0].key == "Trans-Afghan railway MoU"
    assert [(d, a) for d, a, _s in tl.conflicts[0].dates] == [
        ("2025-10-13", ids["a3_edited"]),
        ("2025-10-14", ids["a1_wire"]),
    ]


def test_claim_clusters_conflicts_and_proposals_applied_only_through_record_decision(
    corpus: tuple[Store, dict[str, int]],
) -> None:
    s, ids = corpus
    phrase = "aim to move freight worth $450 million a year by 2027"
    c1 = _tag(s, ids["a1_wire"], phrase)
    c2 = _tag(s, ids["a2_reprint"], phrase)
    c3 = _tag(s, ids["a3_edited"], phrase)
    other = _tag(s, ids["b1_report"], "Tokayev said bilateral trade could reach $1 billion")
    ops.run(s, ops.RecordDecision(c1, rv.Decision("accepted", "partly_supported"), "R"))
    clusters = cl.claim_clusters(q.spans(s))
    assert [tuple(c.id for c in k.claims) for k in clusters] == [(c1, c2, c3)]
    assert other not in {c.id for k in clusters for c in k.claims}
    k = clusters[0]
    assert not k.conflicting and k.verdicts == ("partly_supported",)
    proposals = cl.propose_verdicts(k)
    assert [(p.annotation_id, p.verdict, p.because_of) for p in proposals] == [
        (c2, "partly_supported", c1),
        (c3, "partly_supported", c1),
    ]
    assert s.annotations.get(c2).verdict is None  # proposing changes nothing
    ops.run(
        s,
        ops.RecordDecision(
            c2,
            rv.Decision(
                "needs_work", None, "low", [rv.Evidence("https://rail.example/plan", "freight target", "supports")]
            ),
            "R",
        ),
    )
    result = ops.run(s, proposals[0].operation(s, "R"))
    assert s.annotations.get(c2).verdict == "partly_supported" and c2 in result.changes.review
    assert (s.annotations.get(c2).status, s.annotations.get(c2).confidence) == ("accepted", "low")
    assert [e.url for e in s.review.evidence_for(c2)] == ["https://rail.example/plan"]  # kept, not wiped
    ops.run(s, result.inverse)
    assert s.annotations.get(c2).verdict is None
    ops.run(s, ops.RecordDecision(c3, rv.Decision("accepted", "false"), "R"))
    k = cl.claim_clusters(q.spans(s))[0]
    assert k.conflicting and k.verdicts == ("false", "partly_supported")
    assert cl.propose_verdicts(k) == []


def test_figures_that_differ_keep_claims_apart(corpus: tuple[Store, dict[str, int]]) -> None:
    s, ids = corpus
    _tag(s, ids["a1_wire"], "aim to move freight worth $450 million a year by 2027")
    text = (CORPUS / "a2_reprint.txt").read_text(encoding="utf-8").replace("$450 million", "$900 million")
    (other,) = s.articles.insert_articles(
        [replace(_row(article_from_bytes(text.encode(), "x.txt")), date="2025-10-14")]
    )
    _tag(s, other, "aim to move freight worth $900 million a year by 2027")
    assert cl.claim_clusters(q.spans(s)) == []
    _tag(s, ids["a2_reprint"], "aim to move freight worth $450 million a year by 2027")
    assert len(cl.claim_clusters(q.spans(s))) == 1


FEED = {
    "@context": "https://schema.org",
    "@type": "DataFeed",
    "dataFeedElement": [
        {
            "@type": "DataFeedItem",
            "item": [
                {
                    "@type": "ClaimReview",
                    "url": "https://factcheck.example/rail-450m",
                    "claimReviewed": "Pakistan and Kazakhstan will move freight worth $450 million a year on the Trans-Afghan railway",
                    "reviewRating": {"@type": "Rating", "alternateName": "Misleading"},
                    "author": {"@type": "Organization", "name": "Example Checks"},
                    "datePublished": "2025-10-20",
                    "itemReviewed": {"@type": "Claim", "author": {"@type": "Person", "name": "Abdul Aleem Khan"}},
                }
            ],
        }
    ],
}


def _noise(n: int) -> list[dict]:
    # the same vocabulary as the planted check (countries, money, years, trade), other statements
    topics = ["wheat", "cotton", "textiles", "gas", "electricity", "cement", "rice", "fruit", "oil", "steel"]
    partners = ["Kazakhstan", "Uzbekistan", "China", "Turkey", "Iran", "Afghanistan", "Russia"]
    return [
        {
            "@type": "ClaimReview",
            "url": f"https://noise.example/{i}",
            "claimReviewed": f"Pakistan and {partners[i % 7]} will trade {topics[i % 10]} worth ${i % 900} million "
            f"a year by {2020 + i % 12}, the minister said",
            "reviewRating": {"alternateName": ["False", "True", "Mixed"][i % 3]},
            "author": {"name": f"Checker {i % 13}"},
            "datePublished": f"2024-{1 + i % 12:02d}-01",
        }
        for i in range(n)
    ]


def test_prior_check_found_among_ten_thousand(corpus: tuple[Store, dict[str, int]], tmp_path: Path) -> None:
    s, ids = corpus
    folder = tmp_path / "checks"
    (folder / "sub").mkdir(parents=True)
    (folder / "feed.json").write_text(json.dumps(FEED), encoding="utf-8")
    (folder / "sub" / "noise.jsonld").write_text(json.dumps({"@graph": _noise(9_999)}), encoding="utf-8")
    items = pc.read_path(folder).checks
    assert len(items) == 10_000
    result = ops.run(s, pc.ImportPriorChecks(tuple(items), "A"))
    assert q.prior_check_count(s) == 10_000
    again = ops.run(s, pc.ImportPriorChecks(tuple(items[:5]), "A"))
    assert again.inverse.ids == ()  # type: ignore[attr-defined]
    claim = _tag(s, ids["a1_wire"], "aim to move freight worth $450 million a year by 2027")
    found = pc.match(s, claim, limit=5)  # its speed is benchmarks/prior_checks.py's (p99 < 100 ms)
    best = found.matches[0]
    assert (best.url, best.rating, best.publisher, best.date) == (
        "https://factcheck.example/rail-450m",
        "Misleading",
        "Example Checks",
        "2025-10-20",
    )
    assert [m.score for m in found.matches] == sorted((m.score for m in found.matches), reverse=True)
    ops.run(s, result.inverse)  # the import is one undoable step
    assert q.prior_check_count(s) == 0


def test_own_claimreview_export_reads_back_as_prior_checks(store: Store, tmp_path: Path) -> None:
    a = article_id_by_file(store, "004")
    claim = _tag(store, a, "bilateral trade was growing and surged to $239 million")
    ops.run(store, ops.RecordDecision(claim, rv.Decision("accepted", "supported"), "R"))
    out = tmp_path / "cr.jsonld"
    export(store, "claimreview", out)
    (item,) = pc.read_path(out).checks
    assert item.claim == "bilateral trade was growing and surged to $239 million"
    assert (item.url, item.rating) == (f"#{claim}", "Supported")  # the review's permalink inside the export
    bad = tmp_path / "bad.json"
    bad.write_text("{not json", encoding="utf-8")
    with pytest.raises(pc.PriorCheckError, match="is not JSON"):
        pc.read_path(bad)
    (tmp_path / "none.json").write_text("[]", encoding="utf-8")
    with pytest.raises(pc.PriorCheckError, match="no ClaimReview item"):
        pc.read_path(tmp_path / "none.json")
    (tmp_path / "empty").mkdir()
    with pytest.raises(pc.PriorCheckError, match="No ClaimReview item with a claimReviewed text in"):
        pc.read_path(tmp_path / "empty")


def test_averitec_export_maps_labels_and_flags_late_evidence(store: Store, tmp_path: Path) -> None:
    a = article_id_by_file(store, "004")  # dated 2025-09-09
    claim = _tag(store, a, "bilateral trade was growing and surged to $239 million")
    opinion = _tag(store, a, "The two countries maintain friendly diplomatic relations")
    decision = rv.Decision(
        "accepted",
        "misleading",
        evidence=[
            rv.Evidence(
                "https://stat.example/trade-2024",
                "Trade stood at $180 million in 2024.",
                "refutes",
                "What was bilateral trade in 2024?",
            ),
            rv.Evidence("https://news.example/later", "Trade hit $239 million.", "supports"),
        ],
    )
    ops.run(store, ops.RecordDecision(claim, decision, "R"))
    ops.run(store, ops.RecordDecision(opinion, rv.Decision("accepted", "opinion"), "R"))
    first, second = q.evidence(store, claim)
    ops.run(
        store,
        SetEvidenceProvenance(
            first.id,
            (
                ("published_at", "2025-03-01"),
                ("retrieved_at", "2025-09-10"),
                ("archive_url", "https://web.archive.org/x"),
            ),
            "R",
        ),
    )
    done = ops.run(store, SetEvidenceProvenance(second.id, (("published_at", "2025-10-01"),), "R"))
    assert claim in done.changes.review
    with pytest.raises(ops.OperationError, match="is not a date"):
        ops.run(store, SetEvidenceProvenance(second.id, (("published_at", "soon"),), "R"))
    out = tmp_path / "averitec.json"
    assert export(store, "averitec", out) == 1  # the opinion has no AVeriTeC label
    (item,) = json.loads(out.read_text(encoding="utf-8"))
    assert item["label"] == "Conflicting Evidence/Cherrypicking" == AVERITEC_LABELS["misleading"]
    assert (item["claim"], item["claim_date"]) == (
        "bilateral trade was growing and surged to $239 million",
        "09-09-2025",
    )
    q1, q2 = item["questions"]
    assert q1["question"] == "What was bilateral trade in 2024?"
    assert q1["answers"][0]["source_url"] == "https://stat.example/trade-2024"
    assert q1["answers"][0]["cached_source_url"] == "https://web.archive.org/x"
    assert q1["answers"][0]["published_after_claim"] is False
    assert q2["question"] == "What does news.example report about this claim?"
    assert q2["answers"][0]["published_after_claim"] is True
    assert item["evidence_published_after_claim"] == ["https://news.example/later"]
    ops.run(store, done.inverse)
    assert q.evidence(store, claim)[1].published_at is None


def test_undated_and_late_reprints(corpus: tuple[Store, dict[str, int]]) -> None:
    """Dated articles are compared for copies within the copy window; undated ones with all."""
    s, ids = corpus
    text = (CORPUS / "a1_wire.txt").read_text(encoding="utf-8")
    copies = {ids["a1_wire"], ids["a2_reprint"], ids["a3_edited"]}
    (late,) = s.articles.insert_articles(
        [
            replace(
                _row(article_from_bytes(("Two months on\n\n" + text).encode(), "l.txt")),
                date="2025-12-20",
                source="Weekly",
            )
        ]
    )
    (rail,) = [st for st in _stories(s) if ids["a1_wire"] in st.article_ids]
    assert late not in rail.article_ids and set(rail.copies[0]) == copies
    (rail,) = [st for st in _stories(s, copy_window_days=90) if ids["a1_wire"] in st.article_ids]
    assert set(rail.copies[0]) == copies | {late}
    assert (rail.outlets, rail.independent_sources) == (5, 2)
    (undated,) = s.articles.insert_articles(
        [replace(_row(article_from_bytes(("Undated\n\n" + text).encode(), "u.txt")), date=None, source="Blog")]
    )
    (rail,) = [st for st in _stories(s) if ids["a1_wire"] in st.article_ids]
    assert set(rail.copies[0]) == copies | {late, undated}  # the undated copy matches both
