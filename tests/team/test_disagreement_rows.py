"""Disagreements are typed rows read by attribute, with the JSON image the report writes."""

from __future__ import annotations

from kzpk_desktop.core.store import Store
from kzpk_desktop.core.team.agreement import measure
from kzpk_desktop.core.team.disagreements import ScaleDisagreement, SpanDisagreement
from kzpk_desktop.gui.team_dialogs import disagreement_line
from tests.team.test_agreement import small  # noqa: F401  (the fixture)


def test_disagreements_are_typed_rows_with_their_json_image(small: tuple[Store, dict[str, str]]) -> None:  # noqa: F811
    store, ids = small
    name = {v: k for k, v in ids.items()}
    result = measure(store)
    spans = [d for d in result.disagreements if isinstance(d, SpanDisagreement)]
    assert [(d.label, d.article_id, d.start, d.end, d.text, d.marked_by, d.not_marked_by) for d in spans] == [
        ("actor", 1, 0, 4, "one ", ("ann",), ("bob",)),
        ("actor", 1, 13, 18, " four", ("bob",), ("ann",)),
    ]
    scale = [d for d in result.disagreements if isinstance(d, ScaleDisagreement)]
    assert sorted((d.kind, name[d.annotation_id], d.values) for d in scale) == [
        ("status", "c2", (("rita", "rejected"), ("sam", "needs_work"))),
        ("verdict", "c2", (("rita", "false"), ("sam", "misleading"))),
        ("verdict", "c3", (("rita", "partly_supported"), ("sam", "supported"))),
    ]
    image = result.disagreements.as_json()
    assert image == [d.as_json() for d in result.disagreements] == result.as_json()["disagreements"]
    assert image[0] == {
        "kind": "span",
        "label": "actor",
        "article_id": 1,
        "start": 0,
        "end": 4,
        "text": "one ",
        "marked_by": ["ann"],
        "not_marked_by": ["bob"],
    }
    c2 = next(d for d in scale if d.kind == "verdict" and name[d.annotation_id] == "c2")
    assert c2.as_json() == {
        "kind": "verdict",
        "annotation_id": ids["c2"],
        "values": {"rita": "false", "sam": "misleading"},
    }
    assert disagreement_line(c2) == f"verdict of {ids['c2']}: rita false, sam misleading"
    assert disagreement_line(spans[1]) == "article 1 actor 13–18 “ four”: marked by bob, not by ann"
