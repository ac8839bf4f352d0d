"""Entities, links, relations, merging and mention suggestions on the seed corpus."""

from __future__ import annotations

from pathlib import Path

import pytest

from kzpk_desktop.core import annotations as ann
from kzpk_desktop.core import entities as ent
from kzpk_desktop.core import operations as ops
from kzpk_desktop.core.errors import KzpkError, SpanError, StoreError
from kzpk_desktop.core.relations import build_relation, describe, relation_type_for
from kzpk_desktop.core.rows import Annotation
from kzpk_desktop.core.store import Store
from tests.conftest import article_id_by_file


def tag(store: Store, prefix: str, needle: str, label: str, nth: int = 0, **kw: object) -> Annotation:
    aid = article_id_by_file(store, prefix)
    text = store.articles.text(aid)
    i = -1
    for _ in range(nth + 1):
        i = text.index(needle, i + 1)
    return ann.create_annotation(store, aid, i, i + len(needle), label, annotator="t", **kw)


def test_three_spellings_of_ishaq_dar_are_one_actor_with_his_mentions(store: Store) -> None:
    dar = ent.create_entity(
        store,
        "actor",
        "Mohammad Ishaq Dar",
        aliases=["Ishaq Dar", "Dar"],
        who="t",
        actor_type="person",
        country="Pakistan",
        role="Deputy Prime Minister",
    )
    spans = [
        tag(store, "001", "Mohammad Ishaq Dar", "actor"),
        tag(store, "003", "Ishaq Dar", "actor"),
        tag(store, "004", "Dar and Nurtleu"[:3], "actor"),
    ]
    for s in spans:
        ann.edit_annotation(store, s.id, "t", entity_id=dar)
    mentions = store.entities.mentions(dar)
    assert sorted(m.text for m in mentions) == ["Dar", "Ishaq Dar", "Mohammad Ishaq Dar"]
    assert {m.article_title[:20] for m in mentions} == {
        "Dar, Kazakh Counterp",
        "Pakistan, Kazakhstan",
        "Pakistan and Kazakhs",
    }
    record = store.entities.get(dar)
    assert (record.actor_type, record.country, record.aliases) == ("person", "Pakistan", ("Dar", "Ishaq Dar"))
    assert store.entities.by_name("actor", "ishaq dar") == dar


def test_the_action_plan_is_one_agreement_across_articles_with_date_and_parties(store: Store) -> None:
    pakistan = ent.create_entity(store, "actor", "Pakistan", actor_type="state")
    kazakhstan = ent.create_entity(store, "actor", "Kazakhstan", actor_type="state")
    plan = ent.create_entity(
        store,
        "agreement",
        "Action Plan of Cooperation",
        agreement_type="action_plan",
        agreement_status="signed",
        date="9 September 2025",
        parties=[pakistan, kazakhstan],
        aliases=["action plan for cooperation"],
    )
    for prefix, needle in (
        ("001", "Action Plan of Cooperation"),
        ("004", "Action Plan of Cooperation"),
        ("003", "action plan for cooperation"),
    ):
        span = tag(store, prefix, needle, "agreement")
        ann.edit_annotation(store, span.id, "t", entity_id=plan)
    record = store.entities.get(plan)
    assert (record.date, record.date_precision, record.date_raw) == ("2025-09-09", "day", "9 September 2025")
    assert record.parties == tuple(sorted([pakistan, kazakhstan]))
    assert {m.article_id for m in store.entities.mentions(plan)} == {
        article_id_by_file(store, p) for p in ("001", "003", "004")
    }
    with pytest.raises(KzpkError, match="Only actors"):
        ent.create_entity(store, "agreement", "Bad", parties=[plan])
    with pytest.raises(KzpkError, match="not a date"):
        ent.create_entity(store, "agreement", "Undated", date="someday")


def test_links_must_match_the_span_kind(store: Store) -> None:
    actor = ent.create_entity(store, "actor", "Murat Nurtleu")
    claim = tag(store, "001", "marking a significant step", "claim")
    with pytest.raises(SpanError, match="cannot be linked"):
        ann.edit_annotation(store, claim.id, "t", entity_id=actor)
    span = tag(store, "001", "Murat Nurtleu", "actor")
    ann.edit_annotation(store, span.id, "t", entity_id=actor)
    with pytest.raises(SpanError, match="unlink it first"):
        ann.edit_annotation(store, span.id, "t", label="claim")


def test_relations_are_typed_survive_reopening_and_undo(store: Store, db_path: Path) -> None:
    claim = tag(store, "001", "milestone achievement reflecting the strong political will", "claim")
    speaker = tag(store, "001", "Ishaq Dar", "actor", nth=2)
    plan = tag(store, "001", "Action Plan", "agreement", nth=1)
    assert relation_type_for("claim", "actor") == "said_by" and relation_type_for("actor", "claim") is None
    ops.run(store, ops.CreateRelation(build_relation(store, claim.id, speaker.id, "t"), "t"))
    about = build_relation(store, claim.id, plan.id, "t")
    assert about.type == "about"
    store.annotations.insert_relation(about, "t")
    with pytest.raises(StoreError, match="already linked"):
        store.annotations.insert_relation(about.replace(id="dup"), "t")
    with pytest.raises(SpanError, match="cannot be linked to a claim"):
        build_relation(store, speaker.id, claim.id, "t")
    assert describe(store, store.annotations.relations_of(speaker.id)[0], speaker.id).startswith(
        "← said by: “milestone"
    )
    store.close()

    again = Store.open(db_path)
    rels = again.annotations.relations_for_article(claim.article_id)
    assert sorted(r.type for r in rels) == ["about", "said_by"]
    delete = ops.run(again, ops.DeleteAnnotation(claim.id, "t"))  # deleting a span deletes its relations...
    assert again.annotations.relations_for_article(claim.article_id) == []
    ops.run(again, delete.inverse)  # ...and undo brings both back
    assert sorted(r.id for r in again.annotations.relations_for_article(claim.article_id)) == sorted(r.id for r in rels)
    ops.run(again, ops.DeleteRelation(rels[0].id, "t"))
    assert len(again.annotations.relations_for_article(claim.article_id)) == 1
    again.close()


def test_merging_entities_keeps_every_mention_and_name(store: Store) -> None:
    a = ent.create_entity(store, "actor", "Ishaq Dar")
    b = ent.create_entity(store, "actor", "Mohammad Ishaq Dar", aliases=["DPM Dar"])
    s1 = tag(store, "003", "Ishaq Dar", "actor")
    s2 = tag(store, "001", "Mohammad Ishaq Dar", "actor")
    ann.edit_annotation(store, s1.id, "t", entity_id=a)
    ann.edit_annotation(store, s2.id, "t", entity_id=b)
    store.entities.merge(a, b, "t")
    assert {m.id for m in store.entities.mentions(a)} == {s1.id, s2.id}
    assert store.entities.get(a).aliases == ("DPM Dar", "Mohammad Ishaq Dar")
    assert [e.id for e in store.entities.all("actor")] == [a]
    with pytest.raises(StoreError, match="two different"):
        store.entities.merge(a, a, "t")
    assert [h.action for h in store.history.entries("entity", str(a))][-1] == "merge"


def test_suggestions_find_the_remaining_mentions_and_accepting_creates_a_correct_span(store: Store) -> None:
    dar = ent.create_entity(store, "actor", "Ishaq Dar", aliases=["Mohammad Ishaq Dar"])
    first = tag(store, "001", "Mohammad Ishaq Dar", "actor")
    ann.edit_annotation(store, first.id, "t", entity_id=dar)
    found = ent.find_mentions(store, dar)
    texts = [(store.articles.get(s.article_id).file_name[:3], s.text) for s in found]
    assert ("001", "Mohammad Ishaq Dar") not in texts  # already annotated
    assert texts.count(("001", "Ishaq Dar")) == 2 and ("003", "Ishaq Dar") in texts and ("004", "Ishaq Dar") in texts
    pick = next(s for s in found if s.article_id == article_id_by_file(store, "004"))
    row = ent.suggestion_annotation(store, pick, "t")
    store.annotations.insert_annotations([row], "t")
    saved = store.annotations.get(row.id)
    assert saved.text == store.articles.text(pick.article_id)[pick.start : pick.end] == "Ishaq Dar"
    assert (saved.label, saved.entity_id) == ("actor", dar)
    store.entities.reject_suggestion(dar, found[0].article_id, found[0].start, found[0].end)
    remaining = ent.find_mentions(store, dar)
    assert len(remaining) == len(found) - 2
    assert ent.find_mentions(store, dar, case_insensitive=False) == remaining


def test_aliases_with_regex_metacharacters_are_literal(store: Store) -> None:
    weird = ent.create_entity(store, "agreement", "MoU (draft) [v2]*", aliases=["C++ accord?", ".*"])
    assert ent.find_mentions(store, weird) == []
    cpec = ent.create_entity(store, "agreement", "China-Pakistan Economic Corridor (CPEC)")
    found = ent.find_mentions(store, cpec)
    assert {s.text for s in found} == {"China-Pakistan Economic Corridor (CPEC)"}
    assert len(found) == 2


def test_link_new_entity_is_one_undoable_step(store: Store) -> None:
    span = tag(store, "001", "Shafqat Ali Khan", "actor")
    done = ops.run(store, ops.LinkNewEntity(span.id, "t"))
    entity_id = store.annotations.get(span.id).entity_id
    assert store.entities.get(entity_id).name == "Shafqat Ali Khan"
    assert entity_id in done.changes.entities
    ops.run(store, done.inverse)
    assert store.annotations.get(span.id).entity_id is None and store.entities.all() == []
    again = tag(store, "004", "Ishaq Dar", "actor")
    existing = ent.create_entity(store, "actor", "Mohammad Ishaq Dar", aliases=["Ishaq Dar"])
    ops.run(store, ops.LinkNewEntity(again.id, "t"))  # links to the existing entity by alias
    assert store.annotations.get(again.id).entity_id == existing
