"""The JSONL record schema, and validation of a whole file before anything is written.

``import-annotations`` reads files other people made or edited by hand. It used to trust
them: 66 of 218 malformed inputs crashed it (AttributeError, RecursionError, TypeError)
and unknown statuses, labels and verdicts went straight into the database. Every line is
now parsed strictly (no NaN/Infinity, no float where an integer belongs, UTF-8 only),
checked against :data:`RECORD_SCHEMA` with ``jsonschema``, then against the article text
and the project (offsets, hashes, labels, entity and relation references). Only a file
without a single problem is imported; otherwise every problem is reported with its line.

``python -m kzpk_desktop.core.exporters.jsonl_schema > docs/jsonl-schema.md`` regenerates
the documentation from this module; a test fails when the committed file differs.
"""

from __future__ import annotations

import json
import math
from collections import Counter
from collections.abc import Callable, Iterator
from dataclasses import dataclass
from typing import Any

from ..annotations import validate_span
from ..articles import content_hash
from ..errors import KzpkError, SpanError
from ..jsonvalue import JSONObject, JSONValue, as_list
from ..review import CONFIDENCE, STANCES, VERDICTS, ReviewError, validate_url
from ..rows import Relation
from ..schema import (
    ACTOR_TYPES,
    AGREEMENT_STATUSES,
    AGREEMENT_TYPES,
    ANNOTATION_STATUSES,
    ARTICLE_STATUSES,
    CLAIM_TYPES,
    RELATION_TYPES,
)
from ..store.article_metadata import PROVENANCE_COLUMNS
from . import OFFSET_UNIT
from .jsonl_records import JsonlRecord, parse_record

FORMAT = "kzpk-jsonl"
VERSION = 1
MAX_PROBLEMS = 50  # enough to see a pattern; a broken 100k-line file does not print 100k lines
MAX_INT = 2**63 - 1  # SQLite's INTEGER
PRECISIONS = ("day", "month", "year")


class JsonlInvalid(KzpkError):
    """A JSONL file that was not imported; ``problems`` holds one sentence per problem."""

    def __init__(self, file_name: str, problems: list[str], total: int) -> None:
        self.problems = problems
        self.total = total
        more = f" (the first {len(problems)} are listed)" if total > len(problems) else ""
        head = f"{file_name} was not imported: {total} problem{'s' if total != 1 else ''} found{more}; "
        super().__init__(head + "nothing was changed.\n" + "\n".join(problems))


def _nullable(schema: JSONObject) -> JSONObject:
    if "enum" in schema:
        return {"enum": [*as_list(schema["enum"], "enum"), None]}
    return {"type": [schema["type"], "null"], **{k: v for k, v in schema.items() if k != "type"}}


_TEXT: JSONObject = {"type": "string"}
_ID: JSONObject = {"type": "integer", "minimum": 1, "maximum": MAX_INT}
_OFFSET: JSONObject = {"type": "integer", "minimum": 0, "maximum": MAX_INT}
_SPAN_ID: JSONObject = {"type": "string", "minLength": 1, "maxLength": 200}


def _object(properties: JSONObject, required: tuple[str, ...] | None = None) -> JSONObject:
    return {
        "type": "object",
        "properties": properties,
        "additionalProperties": False,
        "required": list(required if required is not None else properties),
    }


_ARTICLE_CORE: JSONObject = {
    "id": _ID,
    "title": _TEXT,
    "source": _nullable(_TEXT),
    "date": _nullable(_TEXT),
    "date_raw": _nullable(_TEXT),
    "date_precision": _nullable({"enum": list(PRECISIONS)}),
    "file_name": _TEXT,
    "sha256": {"type": "string", "pattern": "^[0-9a-f]{64}$"},
    "encoding": _nullable(_TEXT),
    "status": {"enum": list(ARTICLE_STATUSES)},
    "text": {"type": "string", "minLength": 1},
}
# Where an article came from (web page, PDF, Word ...): optional, so files written before
# these fields existed still import.
ARTICLE_SCHEMA = _object(
    {**_ARTICLE_CORE, **{k: _nullable(_TEXT) for k in PROVENANCE_COLUMNS}}, required=tuple(_ARTICLE_CORE)
)
EVIDENCE_SCHEMA = _object(
    {"url": {"type": "string", "minLength": 1}, "quote": _TEXT, "stance": {"enum": list(STANCES)}, "note": _TEXT}
)
ANNOTATION_SCHEMA = _object(
    {
        "id": _SPAN_ID,
        "start": _OFFSET,
        "end": _OFFSET,
        "label": {"type": "string", "minLength": 1},
        "text": {"type": "string", "minLength": 1},
        "note": _TEXT,
        "annotator": _TEXT,
        "status": {"enum": list(ANNOTATION_STATUSES)},
        "created_at": _TEXT,
        "updated_at": _TEXT,
        "verdict": _nullable({"enum": list(VERDICTS)}),
        "evidence_url": _nullable(_TEXT),
        "evidence_note": _nullable(_TEXT),
        "reviewer": _nullable(_TEXT),
        "reviewed_at": _nullable(_TEXT),
        "entity_id": _nullable(_ID),
        "claim_type": _nullable({"enum": list(CLAIM_TYPES)}),
        "confidence": _nullable({"enum": list(CONFIDENCE)}),
        "prefix": _TEXT,
        "suffix": _TEXT,
        "evidence": {"type": "array", "items": EVIDENCE_SCHEMA},
    }
)
_ENTITY_CORE: JSONObject = {
    "id": _ID,
    "kind": {"enum": ["actor", "agreement"]},
    "name": {"type": "string", "minLength": 1},
    "actor_type": _nullable({"enum": list(ACTOR_TYPES)}),
    "country": _nullable(_TEXT),
    "role": _nullable(_TEXT),
    "agreement_type": _nullable({"enum": list(AGREEMENT_TYPES)}),
    "agreement_status": _nullable({"enum": list(AGREEMENT_STATUSES)}),
    "date": _nullable(_TEXT),
    "date_raw": _nullable(_TEXT),
    "date_precision": _nullable({"enum": list(PRECISIONS)}),
    "notes": _TEXT,
    "created_at": _TEXT,
    "updated_at": _TEXT,
    "aliases": {"type": "array", "items": _TEXT},
    "parties": {"type": "array", "items": _ID},
}
# the stable id that merges coders' copies match entities by: optional (older files lack it)
ENTITY_SCHEMA = _object(
    {**_ENTITY_CORE, "uuid": _nullable({"type": "string", "maxLength": 64})}, required=tuple(_ENTITY_CORE)
)
RELATION_SCHEMA = _object(
    {
        "id": _SPAN_ID,
        "type": {"enum": list(RELATION_TYPES)},
        "source_id": _SPAN_ID,
        "target_id": _SPAN_ID,
        "annotator": _TEXT,
        "created_at": _TEXT,
    }
)
RECORD_SCHEMA: JSONObject = {
    "$schema": "https://json-schema.org/draft/2020-12/schema",
    "title": f"{FORMAT} record, version {VERSION}: one article with its spans",
    **_object(
        {
            "format": {"const": FORMAT},
            "version": {"const": VERSION},
            "offset_unit": {"const": OFFSET_UNIT},
            "article": ARTICLE_SCHEMA,
            "annotations": {"type": "array", "items": ANNOTATION_SCHEMA},
            "entities": {"type": "array", "items": ENTITY_SCHEMA},
            "relations": {"type": "array", "items": RELATION_SCHEMA},
        },
        required=("format", "version", "offset_unit", "article"),
    ),
}


def _validator() -> Any:
    """Draft 2020-12, except that ``integer`` means a JSON integer: 5.0 and true are refused
    (they would index the text as a float or a bool)."""
    from jsonschema import Draft202012Validator, validators  # import-annotations only: not at start-up

    checker = Draft202012Validator.TYPE_CHECKER.redefine(
        "integer", lambda _c, v: isinstance(v, int) and not isinstance(v, bool)
    )
    cls = validators.extend(Draft202012Validator, type_checker=checker)
    return cls(RECORD_SCHEMA)


@dataclass(frozen=True)
class Line:
    """One valid record and the line it came from."""

    number: int
    record: JsonlRecord


def _short(value: Any) -> str:
    """A value as it may be quoted in a sentence: never the 20 MB text, never a deep repr."""
    if isinstance(value, dict):
        return "an object"
    if isinstance(value, list):
        return "an array"
    if value is None:
        return "null"
    if isinstance(value, bool):
        return "true" if value else "false"
    text = value if isinstance(value, str) else repr(value)
    text = text.encode("utf-8", "replace").decode("utf-8")
    shown = text if len(text) <= 40 else text[:40] + "…"
    return f"'{shown}'" if isinstance(value, str) else shown


def _where(path: Iterator[Any] | Any) -> str:
    out = ""
    for part in path:
        out += f"[{part}]" if isinstance(part, int) else (f".{part}" if out else str(part))
    return out or "the record"


_TYPE_WORDS = {
    "object": "an object",
    "array": "an array",
    "string": "a string",
    "integer": "an integer",
    "null": "null",
    "number": "a number",
    "boolean": "true or false",
}


def _sentence(error: Any) -> str:
    """A jsonschema error in words (its own messages quote whole instances)."""
    kind, where, schema = error.validator, _where(error.absolute_path), error.validator_value
    if kind == "type":
        wanted = schema if isinstance(schema, list) else [schema]
        words = (_TYPE_WORDS.get(str(w), str(w)) for w in wanted)
        return f"{where} must be {' or '.join(words)}, not {_short(error.instance)}"
    if kind == "enum":
        allowed = ", ".join("null" if v is None else str(v) for v in schema)
        return f"{where} is {_short(error.instance)}, which is not one of: {allowed}"
    if kind == "const":
        return f"{where} must be {json.dumps(schema)}, not {_short(error.instance)}"
    if kind == "required":  # one error per missing key; the key is our own schema's name
        return f"{where} lacks {error.message.removesuffix(' is a required property')}"
    if kind == "additionalProperties":
        extra = sorted(k for k in error.instance if k not in error.schema.get("properties", {}))
        return f"{where} has unknown field{'s' if len(extra) > 1 else ''} {', '.join(_short(k) for k in extra[:5])}"
    if kind in ("minimum", "maximum"):
        side = "at least" if kind == "minimum" else "at most"
        return f"{where} must be {side} {schema}, not {_short(error.instance)}"
    if kind == "minLength":
        return f"{where} must not be empty"
    if kind == "maxLength":
        return f"{where} is longer than {schema} characters"
    if kind == "pattern":
        return f"{where} is {_short(error.instance)}, not a SHA-256 in lowercase hex"
    return f"{where}: {kind} {_short(schema)} not met"


def _a(word: str) -> str:
    return f"an {word}" if word[:1].lower() in "aeiou" else f"a {word}"


def _finite(text: str) -> float:
    value = float(text)
    if not math.isfinite(value):
        raise ValueError(f"the number {text[:20]} is too large")
    return value


def _refuse_constant(name: str) -> Any:
    raise ValueError(f"{name} is not a JSON number")


def _parse(raw: bytes) -> JSONValue:
    """One line to a Python value; ValueError/RecursionError carry the reason."""
    text = raw.decode("utf-8")  # strict: invalid UTF-8 is a problem, not replacement characters
    value: JSONValue = json.loads(text, parse_constant=_refuse_constant, parse_float=_finite)
    return value


def _lone_surrogates(value: JSONValue, where: str = "") -> Iterator[str]:
    """Strings SQLite cannot store ("\\ud800" decodes to a lone surrogate, not text)."""
    if isinstance(value, str):
        try:
            value.encode("utf-8")
        except UnicodeEncodeError:
            yield f"{where or 'the record'} holds a lone UTF-16 surrogate escape, which is not text"
    elif isinstance(value, dict):
        for k, v in value.items():
            yield from _lone_surrogates(k, where)
            yield from _lone_surrogates(v, f"{where}.{k}" if where else k)
    elif isinstance(value, list):
        for i, v in enumerate(value):
            yield from _lone_surrogates(v, f"{where}[{i}]")


def _record_problems(rec: JsonlRecord, labels: set[str]) -> Iterator[str]:
    """What the schema cannot say: offsets and hashes against the text, references inside
    the record, labels of this project, relation types against the labels they link."""
    art = rec.article
    text = art.text
    if content_hash(text) != art.sha256:
        yield "article.sha256 does not match the article text"
    spans = [s.annotation for s in rec.annotations]
    entities = {e.id: e for e in rec.entities}
    for key, ids in (
        ("annotations", [s.id for s in spans]),
        ("entities", [str(e.id) for e in rec.entities]),
        ("relations", [r.id for r in rec.relations]),
    ):
        twice = sorted(i for i, n in Counter(ids).items() if n > 1)
        if twice:
            yield f"{key} uses the id {_short(twice[0])} more than once"
    span_labels = {}
    for i, (span, record) in enumerate(zip(spans, rec.annotations, strict=True)):
        where = f"annotations[{i}]"
        span_labels[span.id] = span.label
        try:
            validate_span(text, span.start, span.end)
        except SpanError as err:
            yield f"{where}: {err}"
        else:
            if text[span.start : span.end] != span.text:
                yield f"{where} (span {_short(span.id)}) does not match the article text at its offsets"
        if span.label not in labels:
            yield (
                f"{where}.label is {_short(span.label)}, which is not a label of this project "
                f"({', '.join(sorted(labels))}); add the label first"
            )
        if span.entity_id is not None and span.entity_id not in entities:
            yield f"{where}.entity_id {span.entity_id} is not one of the record's entities"
        if span.verdict is not None and span.label != "claim":
            yield f"{where} has a verdict but is {_a(span.label)} span, and only claims take a verdict"
        urls = [("evidence_url", span.evidence_url)] if span.evidence_url else []
        urls += [(f"evidence[{k}].url", e.url) for k, e in enumerate(record.evidence)]
        for field, url in urls:
            try:
                validate_url(url)
            except ReviewError:
                yield f"{where}.{field} is {_short(url)}, not an http or https address"
    for i, ent in enumerate(rec.entities):
        for party in ent.parties:
            if ent.kind != "agreement":
                yield f"entities[{i}] is an actor, and only agreements have parties"
                break
            if party not in entities or entities[party].kind != "actor":
                yield f"entities[{i}].parties names {party}, which is not an actor among the record's entities"
    for i, rel in enumerate(rec.relations):
        if rel.source_id not in span_labels:
            yield f"relations[{i}].source_id is not one of the record's annotations"
        elif rel.source_id == rel.target_id:
            yield f"relations[{i}] links a span to itself"
        elif rel.target_id in span_labels:
            pair = (span_labels[rel.source_id], span_labels[rel.target_id])
            if RELATION_TYPES[rel.type] != pair:
                yield f"relations[{i}] is '{rel.type}', which does not link {_a(pair[0])} to {_a(pair[1])}"


def validate_jsonl(
    data: bytes, file_name: str, labels: set[str], known_spans: Callable[[str], str | None] | None = None
) -> list[Line]:
    """Every record of a JSONL file, or :class:`JsonlInvalid` listing every problem by line.

    ``known_spans(id) -> label | None`` looks up spans already in the database (a relation
    may point at a span of another article that is not in this file).
    """
    validator = _validator()
    problems: list[tuple[int, str]] = []
    total = 0
    lines: list[Line] = []
    file_spans: dict[str, str] = {}
    pending_targets: list[tuple[int, int, Relation]] = []

    def problem(number: int, sentence: str) -> None:
        nonlocal total
        total += 1
        if len(problems) < 100 * MAX_PROBLEMS:  # sorted by line below, then cut
            problems.append((number, f"line {number}: {sentence}."))

    for number, raw in enumerate(data.split(b"\n"), start=1):
        if not raw.strip():
            continue
        try:
            rec = _parse(raw)
        except UnicodeDecodeError as err:
            problem(number, f"is not valid UTF-8 (byte 0x{raw[err.start]:02x} at column {err.start + 1})")
            continue
        except json.JSONDecodeError as err:
            problem(number, f"is not valid JSON at column {err.colno} ({err.msg})")
            continue
        except RecursionError:
            problem(number, "is nested too deeply to be a record")
            continue
        except ValueError as err:
            problem(number, f"is not valid JSON ({str(err).split(':')[0]})")
            continue
        if not isinstance(rec, dict):
            problem(number, f"is {_short(rec)}, not a JSON object (a {FORMAT} record)")
            continue
        try:
            errors = sorted(validator.iter_errors(rec), key=lambda e: [str(p) for p in e.absolute_path])
        except RecursionError:
            problem(number, "is nested too deeply to be a record")
            continue
        if errors:
            for verr in errors:
                problem(number, _sentence(verr))
            continue
        found = list(_lone_surrogates(rec))
        record = None if found else parse_record(rec)
        if record is not None:
            found = list(_record_problems(record, labels))
        for sentence in found:
            problem(number, sentence)
        if found or record is None:
            continue
        for span in record.annotations:
            file_spans.setdefault(span.annotation.id, span.annotation.label)
        for i, rel in enumerate(record.relations):
            pending_targets.append((number, i, rel))
        lines.append(Line(number, record))
    for number, i, rel in pending_targets:  # a target may sit on a later line or in the database
        label = file_spans.get(rel.target_id) or (known_spans(rel.target_id) if known_spans else None)
        if label is None:
            problem(number, f"relations[{i}].target_id is neither in this file nor in the database")
        elif RELATION_TYPES[rel.type][1] != label:
            problem(
                number,
                f"relations[{i}] is '{rel.type}', whose target must be "
                f"{_a(RELATION_TYPES[rel.type][1])}, not {_a(label)}",
            )
    if not lines and not total:
        problem(1, "the file holds no records")
    if total:
        problems.sort(key=lambda p: p[0])  # stable: a line's problems keep their order
        raise JsonlInvalid(file_name, [p for _, p in problems[:MAX_PROBLEMS]], total)
    return lines


def render() -> str:
    """docs/jsonl-schema.md: the rules in words, then the JSON Schema itself."""
    lines = [
        "# JSONL record schema (`kzpk import-annotations`)",
        "",
        "<!-- Generated by `python -m kzpk_desktop.core.exporters.jsonl_schema`; a test checks it. -->",
        "",
        f"A `{FORMAT}` file (version {VERSION}) holds one JSON object per line, one line per article;",
        "lines are separated by `\\n` only and blank lines are ignored. `kzpk import-annotations`",
        "checks the **whole file** first and writes nothing unless every line is valid; each problem",
        f"is reported with its line number (the first {MAX_PROBLEMS} are listed).",
        "",
        "A line is refused when:",
        "",
        "- it is not UTF-8, not JSON, not an object, or nested deeper than a record can be;",
        "- it holds `NaN`, `Infinity`, a number too large for a float, or a lone surrogate escape;",
        "- it breaks the schema below: a missing or unknown field, a wrong type (an integer field",
        "  refuses `5.0` and `true`), an integer beyond SQLite's 64-bit range, or a value outside",
        "  the controlled vocabularies (article and annotation status, verdict, confidence, claim",
        "  type, evidence stance, entity kind and types, relation type, date precision);",
        "- `article.sha256` is not the SHA-256 of `article.text` (UTF-8);",
        "- a span's `start`/`end` are not inside the text (code points), or `text` is not",
        "  `article.text[start:end]`;",
        "- a span's `label` is not a label of the receiving project (add the label first), or a",
        "  span that is not a claim carries a verdict;",
        "- an evidence URL (or `evidence_url`) is not an absolute http or https address;",
        "- a span's `entity_id`, or an agreement's `parties`, name an entity that is not among the",
        "  record's `entities` (parties must be actors; only agreements have parties);",
        "- a relation's source is not one of the record's spans, its target is neither in the file",
        "  nor in the database, it links a span to itself, or its type does not link the labels",
        "  it joins: " + "; ".join(f"`{name}` ({src} → {dst})" for name, (src, dst) in RELATION_TYPES.items()) + ".",
        "",
        "## JSON Schema (draft 2020-12)",
        "",
        "```json",
        json.dumps(RECORD_SCHEMA, indent=2, ensure_ascii=False),
        "```",
        "",
    ]
    return "\n".join(lines)


if __name__ == "__main__":
    print(render(), end="")
