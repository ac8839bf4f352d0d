"""JSONL: one record per article with its text and spans. Read back by import-annotations.

Export -> import into an empty database -> export gives the identical file.
"""

from __future__ import annotations

import json
from dataclasses import dataclass, field
from pathlib import Path

from ..errors import SpanError
from ..jsonvalue import JSONObject
from ..rows import Article
from ..store import Store, utc_now
from ..store.article_metadata import PROVENANCE_COLUMNS
from ..store.imports import NewArticle
from ..store.team import entity_uuid_taken
from . import OFFSET_UNIT, ProgressFn, Ticker, text_output
from .jsonl_records import ArticleRecord, EntityRecord, JsonlRecord
from .jsonl_schema import FORMAT, VERSION, validate_jsonl

ARTICLE_FIELDS = (
    "id",
    "title",
    "source",
    "date",
    "date_raw",
    "date_precision",
    "file_name",
    "sha256",
    "encoding",
    *PROVENANCE_COLUMNS,
    "status",
    "text",
)
QUOTE_WIDTH = 32


def _record(store: Store, article: Article) -> JSONObject:
    text = article.text
    spans: list[JSONObject] = []
    anns = store.annotations.for_article(article.id)
    for ann in anns:
        s, e = ann.start, ann.end
        spans.append(
            {
                **{k: v for k, v in ann.as_dict().items() if k != "article_id"},
                "prefix": text[max(0, s - QUOTE_WIDTH) : s],
                "suffix": text[e : e + QUOTE_WIDTH],
                "evidence": [{**e.as_dict()} for e in store.review.evidence_for(ann.id)],
            }
        )
    entity_ids = {ann.entity_id for ann in anns if ann.entity_id is not None}
    records = {i: store.entities.get(i) for i in entity_ids}
    for rec in list(records.values()):  # parties of agreements travel with them
        for pid in rec.parties:
            records.setdefault(pid, store.entities.get(pid))
    return {
        "format": FORMAT,
        "version": VERSION,
        "offset_unit": OFFSET_UNIT,
        "article": {k: getattr(article, k) for k in ARTICLE_FIELDS},
        "annotations": list(spans),
        "entities": [records[i].record() for i in sorted(records)],
        "relations": [{**r.as_dict()} for r in store.annotations.relations_for_article(article.id)],
    }


def write_jsonl(
    store: Store, path: str | Path | None, *, article_ids: set[int] | None = None, progress: ProgressFn | None = None
) -> int:
    """One JSON object per line per article (articles without spans included).

    Records end with ``\n`` only; ``json.dumps`` escapes ``\n`` inside strings, so a reader
    must split on ``\n`` alone (U+2028, U+0085, ``\x0c`` ... may appear raw in the text).
    """
    ticker = Ticker(progress)
    with text_output(path, newline="\n") as fh:
        for article in store.articles.iter_articles():
            if article_ids is not None and article.id not in article_ids:
                continue
            fh.write(json.dumps(_record(store, article), ensure_ascii=False, sort_keys=True))
            fh.write("\n")
            ticker.tick()
        return ticker.finish()


@dataclass
class JsonlImportReport:
    articles_added: int = 0
    articles_matched: int = 0
    annotations_added: int = 0
    annotations_present: int = 0
    entities_added: int = 0
    relations_added: int = 0
    errors: list[str] = field(default_factory=list)


def read_jsonl(store: Store, path: str | Path, who: str = "") -> JsonlImportReport:
    """Import a JSONL export. Articles are matched by content hash; spans by id.

    The whole file is validated first (:func:`jsonl_schema.validate_jsonl`: schema, offsets,
    labels, references); a file with any problem raises JsonlInvalid listing every problem
    by line and writes nothing. A valid file is then written in one transaction.
    """
    report = JsonlImportReport()
    path = Path(path)
    try:
        data = path.read_bytes()
    except OSError as err:
        raise SpanError(f"Cannot read '{path}': {err.strerror or err}.") from None
    labels = {lab.id for lab in store.labels.all()}

    def known_span(span_id: str) -> str | None:
        return store.annotations.get(span_id).label if store.annotations.exists(span_id) else None

    lines = validate_jsonl(data, path.name, labels, known_span)
    with store.transaction():
        entity_map: dict[int, int] = {}
        for line in lines:
            _write_record(store, line.record, entity_map, who, report)
        for line in lines:  # after every span: a relation may point at a span of a later line
            for rel in line.record.relations:
                if store.annotations.relation_exists(rel.id) or any(
                    (r.type, r.source_id, r.target_id) == (rel.type, rel.source_id, rel.target_id)
                    for r in store.annotations.relations_of(rel.source_id)
                ):
                    continue
                store.annotations.insert_relation(rel, who)
                report.relations_added += 1
    return report


def _write_record(
    store: Store, rec: JsonlRecord, entity_map: dict[int, int], who: str, report: JsonlImportReport
) -> None:
    """One validated record: its article, entities, spans and evidence (relations come later)."""
    art = rec.article
    article_id, added = _ensure_article(store, art, report)
    for entity in rec.entities:
        _ensure_entity(store, entity, entity_map, who, report)
    for entity in rec.entities:
        if entity.parties:
            store.entities.update(
                entity_map[entity.id],
                {},
                who,
                parties=sorted(
                    {entity_map[p] for p in entity.parties} | set(store.entities.get(entity_map[entity.id]).parties)
                ),
            )
    for span in rec.annotations:
        if store.annotations.exists(span.annotation.id):
            report.annotations_present += 1
            continue
        entity_id = span.annotation.entity_id
        row = span.annotation.replace(
            article_id=article_id, entity_id=None if entity_id is None else entity_map[entity_id]
        )
        store.annotations.insert_annotations([row], who=who)
        store.review.insert_evidence(row.id, list(span.evidence))
        report.annotations_added += 1
    if added:  # spans moved it to in_progress; the export says where it really was
        store.articles.set_status(article_id, art.status, who)


def _ensure_entity(
    store: Store, entity: EntityRecord, entity_map: dict[int, int], who: str, report: JsonlImportReport
) -> None:
    """Match by kind and name; otherwise insert, keeping the exported id when it is free."""
    if entity.id in entity_map:
        return
    found = store.entities.by_name(entity.kind, entity.name)
    if found is None:
        fields = dict(entity.columns)
        if not store.entities.id_taken(entity.id):
            fields["id"] = entity.id
        if fields.get("uuid") and entity_uuid_taken(store, str(fields["uuid"])):
            del fields["uuid"]  # (another entity here has it: this one gets a new one)
        found = store.entities.insert(fields, entity.aliases, [], who)
        report.entities_added += 1
    entity_map[entity.id] = found


def _ensure_article(store: Store, art: ArticleRecord, report: JsonlImportReport) -> tuple[int, bool]:
    """(article id, newly added?): matched by content hash, else inserted keeping its id if free."""
    found = store.articles.article_id_by_hash(art.sha256)
    if found is not None:
        report.articles_matched += 1
        return found, False
    cols = art.columns

    def opt(key: str) -> str | None:  # (the schema has checked each is a string or null)
        value = cols.get(key)
        return value if isinstance(value, str) else None

    record = NewArticle(
        title=opt("title") or "",
        source=opt("source"),
        date=opt("date"),
        date_raw=opt("date_raw"),
        date_precision=opt("date_precision"),
        text=art.text,
        file_name=opt("file_name"),
        sha256=art.sha256,
        encoding=opt("encoding"),
        imported_at=utc_now(),
        **{k: opt(k) for k in PROVENANCE_COLUMNS},
    )
    new_id = store.articles.insert_article_record(record, keep_id=art.id, status=art.status)
    report.articles_added += 1
    return new_id, True
