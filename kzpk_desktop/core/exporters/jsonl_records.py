"""A schema-valid JSONL record as typed values, read once, so the checks and the importer
use attributes rather than trusting dictionary keys of a file someone else wrote.

:func:`parse_record` runs only after ``jsonschema`` accepted the record: a value of the
wrong shape here is a bug in the schema, and says so in a sentence instead of a KeyError.
"""

from __future__ import annotations

from dataclasses import dataclass

from ..jsonvalue import JSONObject, JSONValue, as_list, as_object, as_text
from ..rows import Annotation, Evidence, Relation, Value
from ..store import ENTITY_FIELDS


@dataclass(frozen=True)
class ArticleRecord:
    id: int
    sha256: str
    text: str
    status: str
    columns: dict[str, Value]  # every field the record gives (id, text and status included)


@dataclass(frozen=True)
class SpanRecord:
    annotation: Annotation  # ``article_id`` is the exporter's: the importer rebinds it
    evidence: tuple[Evidence, ...]


@dataclass(frozen=True)
class EntityRecord:
    id: int
    kind: str
    name: str
    columns: dict[str, Value]  # ENTITY_FIELDS but the id (a missing uuid is None)
    aliases: tuple[str, ...]
    parties: tuple[int, ...]


@dataclass(frozen=True)
class JsonlRecord:
    article: ArticleRecord
    annotations: tuple[SpanRecord, ...]
    entities: tuple[EntityRecord, ...]
    relations: tuple[Relation, ...]


def _int(value: JSONValue, what: str) -> int:
    if not isinstance(value, int) or isinstance(value, bool):
        raise ValueError(f"Expected {what} to be a JSON integer, found {type(value).__name__}.")
    return value


def _opt_int(value: JSONValue, what: str) -> int | None:
    return None if value is None else _int(value, what)


def _opt_text(value: JSONValue, what: str) -> str | None:
    return None if value is None else as_text(value, what)


def _scalar(value: JSONValue, what: str) -> Value:
    if isinstance(value, (list, dict, bool)):
        raise ValueError(f"Expected {what} to be a string, a number or null, found {type(value).__name__}.")
    return value


def _objects(obj: JSONObject, key: str) -> list[JSONObject]:
    return [as_object(x, f"{key}[{i}]") for i, x in enumerate(as_list(obj.get(key, []), key))]


def _span(s: JSONObject, article_id: int, where: str) -> SpanRecord:
    def text(key: str) -> str:
        return as_text(s[key], f"{where}.{key}")

    def opt(key: str) -> str | None:
        return _opt_text(s.get(key), f"{where}.{key}")

    annotation = Annotation(
        id=text("id"),
        article_id=article_id,
        start=_int(s["start"], f"{where}.start"),
        end=_int(s["end"], f"{where}.end"),
        label=text("label"),
        text=text("text"),
        note=text("note"),
        annotator=text("annotator"),
        status=text("status"),
        created_at=text("created_at"),
        updated_at=text("updated_at"),
        verdict=opt("verdict"),
        evidence_url=opt("evidence_url"),
        evidence_note=opt("evidence_note"),
        reviewer=opt("reviewer"),
        reviewed_at=opt("reviewed_at"),
        entity_id=_opt_int(s.get("entity_id"), f"{where}.entity_id"),
        claim_type=opt("claim_type"),
        confidence=opt("confidence"),
    )
    evidence = tuple(
        Evidence(
            as_text(e["url"], f"{where}.evidence[{k}].url"),
            as_text(e.get("quote", ""), f"{where}.evidence[{k}].quote"),
            as_text(e.get("stance", "supports"), f"{where}.evidence[{k}].stance"),
            as_text(e.get("note", ""), f"{where}.evidence[{k}].note"),
        )
        for k, e in enumerate(_objects(s, "evidence"))
    )
    return SpanRecord(annotation, evidence)


def _entity(e: JSONObject, where: str) -> EntityRecord:
    return EntityRecord(
        _int(e["id"], f"{where}.id"),
        as_text(e["kind"], f"{where}.kind"),
        as_text(e["name"], f"{where}.name"),
        {k: _scalar(e.get(k), f"{where}.{k}") for k in ENTITY_FIELDS if k != "id"},
        tuple(as_text(a, f"{where}.aliases") for a in as_list(e.get("aliases", []), f"{where}.aliases")),
        tuple(_int(p, f"{where}.parties") for p in as_list(e.get("parties", []), f"{where}.parties")),
    )


def _relation(r: JSONObject, where: str) -> Relation:
    def text(key: str) -> str:
        return as_text(r[key], f"{where}.{key}")

    return Relation(
        text("id"), text("type"), text("source_id"), text("target_id"), text("annotator"), text("created_at")
    )


def parse_record(rec: JSONObject) -> JsonlRecord:
    """The typed record of a line that :data:`RECORD_SCHEMA` accepted."""
    art = as_object(rec["article"], "article")
    article_id = _int(art["id"], "article.id")
    article = ArticleRecord(
        article_id,
        as_text(art["sha256"], "article.sha256"),
        as_text(art["text"], "article.text"),
        as_text(art["status"], "article.status"),
        {k: _scalar(v, f"article.{k}") for k, v in art.items()},
    )
    return JsonlRecord(
        article,
        tuple(_span(s, article_id, f"annotations[{i}]") for i, s in enumerate(_objects(rec, "annotations"))),
        tuple(_entity(e, f"entities[{i}]") for i, e in enumerate(_objects(rec, "entities"))),
        tuple(_relation(r, f"relations[{i}]") for i, r in enumerate(_objects(rec, "relations"))),
    )
