"""A validated JSONL line is read once into typed rows, equal to the rows that were exported."""

from __future__ import annotations

from pathlib import Path

from kzpk_desktop.core.exporters.jsonl import write_jsonl
from kzpk_desktop.core.exporters.jsonl_schema import validate_jsonl
from kzpk_desktop.core.store import Store
from tests.core.test_export_clients import hostile  # noqa: F401  (the fixture)


def test_validated_records_are_the_exported_rows(hostile: tuple[Store, dict[str, str]], tmp_path: Path) -> None:  # noqa: F811
    store, ids = hostile
    out = tmp_path / "all.jsonl"
    write_jsonl(store, out)
    labels = {lab.id for lab in store.labels.all()}
    lines = validate_jsonl(out.read_bytes(), out.name, labels)
    assert [line.number for line in lines] == list(range(1, len(lines) + 1))
    by_id = {s.annotation.id: s for line in lines for s in line.record.annotations}
    assert len(by_id) == 17
    for span_id, span in by_id.items():
        assert span.annotation == store.annotations.get(span_id)  # every column, article id included
        assert list(span.evidence) == store.review.evidence_for(span_id)
    assert len(by_id[ids["formula"]].evidence) == 1
    for line in lines:
        art = line.record.article
        assert (art.text, art.sha256, art.status) == (
            store.articles.text(art.id),
            store.articles.get(art.id).sha256,
            store.articles.get(art.id).status,
        )
        assert list(line.record.relations) == store.annotations.relations_for_article(art.id)
        for ent in line.record.entities:
            row = store.entities.get(ent.id)
            assert (ent.kind, ent.name, ent.aliases, ent.parties) == (row.kind, row.name, row.aliases, row.parties)
            assert ent.columns["uuid"] == row.uuid
    relations = [r for line in lines for r in line.record.relations]
    assert sorted(r.type for r in relations) == ["about", "said_by", "said_by", "said_by"]
