"""Core fixtures shared by the export tests."""

from __future__ import annotations

from pathlib import Path

import pytest

from kzpk_desktop.core import annotations as ann
from kzpk_desktop.core import entities as ent
from kzpk_desktop.core import review as rv
from kzpk_desktop.core.importer import import_paths
from kzpk_desktop.core.relations import build_relation
from kzpk_desktop.core.store import Store
from tests.conftest import article_id_by_file

HOSTILE = ['=HYPERLINK("http://evil.invalid")', "+1+1", "-2+3", "@SUM(A1)", "\tTAB", "\rCR"]


@pytest.fixture
def annotated(store: Store, data_dir: Path) -> Store:
    import_paths(store, [data_dir / "crlf_emoji.txt", data_dir / "urdu.txt"])
    aid = article_id_by_file(store, "001")
    text = store.articles.text(aid)
    i = text.index("Mohammad Ishaq Dar")
    ann.create_annotation(store, aid, i, i + 18, "actor", annotator="Aigerim")
    j = text.index("“milestone achievement")
    row = ann.create_annotation(
        store, aid, j, j + 23, "claim", annotator="Bilal", note='He said "milestone",\nthen left'
    )
    ann.edit_annotation(store, row.id, "Bilal", status="accepted")
    emoji_id = article_id_by_file(store, "crlf_emoji")
    etext = store.articles.text(emoji_id)
    k = etext.index("👍🏽")
    ann.create_annotation(store, emoji_id, k, etext.index("landed") + 6, "claim", annotator="Aigerim", note=HOSTILE[0])
    urdu_id = article_id_by_file(store, "urdu")
    utext = store.articles.text(urdu_id)
    u = utext.index("اسحاق ڈار")
    ann.create_annotation(store, urdu_id, u, u + 9, "actor", annotator="Aigerim", note="-negative")
    dar = ent.create_entity(
        store, "actor", "Mohammad Ishaq Dar", aliases=["Ishaq Dar", "اسحاق ڈار"], actor_type="person"
    )
    pk = ent.create_entity(store, "actor", "Pakistan", actor_type="state")
    plan = ent.create_entity(store, "agreement", "Action Plan of Cooperation", date="2025-09-09", parties=[dar, pk])
    speaker = next(r for r in store.annotations.for_article(aid) if r.label == "actor")
    ann.edit_annotation(store, speaker.id, "t", entity_id=dar)
    store.annotations.insert_relation(build_relation(store, row.id, speaker.id, "Bilal"), "Bilal")
    p = text.index("Action Plan of Cooperation")
    agreement = ann.create_annotation(store, aid, p, p + 26, "agreement", annotator="Bilal")
    ann.edit_annotation(store, agreement.id, "Bilal", entity_id=plan)
    store.annotations.insert_relation(build_relation(store, row.id, agreement.id, "Bilal"), "Bilal")
    rv.decide(
        store,
        None,
        row.id,
        rv.Decision(
            "accepted",
            "supported",
            "high",
            [
                rv.Evidence("https://mofa.gov.pk/a", "milestone", "supports", "MoFA"),
                rv.Evidence("https://example.org/b?x=1&y=2", "", "refutes", "=not a formula"),
            ],
        ),
        "Chen",
    )
    return store
