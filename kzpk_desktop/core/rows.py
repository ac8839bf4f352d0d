"""The rows that cross module boundaries, as frozen dataclasses.

The store's repositories return these and the operations, exporters, CLI and GUI read
their attributes, so a renamed or mistyped column is a type error, not a ``KeyError`` at
run time. Dictionaries remain only at the JSON/CSV edges (``as_dict`` for the change log
and the exporters). Field order is column order: ``from_row`` builds one from a SELECT of
``FIELDS`` without naming every column again.
"""

from __future__ import annotations

import dataclasses
from collections.abc import Sequence
from dataclasses import dataclass
from typing import Any, ClassVar, NamedTuple, Self

from .jsonvalue import JSONObject

Value = str | int | float | None  # what one SQLite column holds here
FieldChanges = dict[str, Value]  # new values of some columns of one row (an edit, an undo)


class _Row:
    """``from_row``/``as_dict``/``replace`` shared by the row classes."""

    FIELDS: ClassVar[tuple[str, ...]]

    @classmethod
    def from_row(cls, row: Sequence[Any]) -> Self:
        return cls(*row)

    def as_dict(self) -> dict[str, Value]:
        """The row's columns by name (an insert, an export's record)."""
        return {f: getattr(self, f) for f in self.FIELDS}

    def as_json(self) -> JSONObject:
        """The row as the change log's before/after image (its columns are JSON scalars)."""
        return {f: getattr(self, f) for f in self.FIELDS}

    def replace(self, **changes: Any) -> Self:
        return dataclasses.replace(self, **changes)  # type: ignore[type-var]


@dataclass(frozen=True)
class Annotation(_Row):
    """One span of an article: ``text == article_text[start:end]`` always holds."""

    id: str
    article_id: int
    start: int
    end: int
    label: str
    text: str
    note: str = ""
    annotator: str = ""
    status: str = "unreviewed"
    created_at: str = ""
    updated_at: str = ""
    verdict: str | None = None
    evidence_url: str | None = None
    evidence_note: str | None = None
    reviewer: str | None = None
    reviewed_at: str | None = None
    entity_id: int | None = None
    claim_type: str | None = None
    confidence: str | None = None


@dataclass(frozen=True)
class Relation(_Row):
    """A typed link between two spans (said_by, party, about)."""

    id: str
    type: str
    source_id: str
    target_id: str
    annotator: str = ""
    created_at: str = ""


@dataclass(frozen=True)
class DeletedAnnotation:
    """A deleted span with everything that went with it, so an undo restores it exactly:
    its links, and its evidence and review-decision rows (whole, as stored)."""

    annotation: Annotation
    relations: tuple[Relation, ...] = ()
    evidence: tuple[tuple[Value, ...], ...] = ()
    decisions: tuple[tuple[Value, ...], ...] = ()


Annotation.FIELDS = tuple(f.name for f in dataclasses.fields(Annotation))
Relation.FIELDS = tuple(f.name for f in dataclasses.fields(Relation))


@dataclass(frozen=True)
class Entity(_Row):
    """A canonical actor or agreement. ``aliases`` and ``parties`` are filled by
    ``store.entities.get``; ``mentions`` (the spans linked to it) by ``store.entities.all``."""

    id: int
    kind: str
    name: str
    actor_type: str | None = None
    country: str | None = None
    role: str | None = None
    agreement_type: str | None = None
    agreement_status: str | None = None
    date: str | None = None
    date_raw: str | None = None
    date_precision: str | None = None
    notes: str = ""
    created_at: str = ""
    updated_at: str = ""
    uuid: str | None = None
    aliases: tuple[str, ...] = ()
    parties: tuple[int, ...] = ()
    mentions: int | None = None

    def record(self) -> JSONObject:
        """The entity at a JSON edge (JSONL export, ``kzpk entities --json``): columns, names, parties."""
        return {**self.as_dict(), "aliases": list(self.aliases), "parties": list(self.parties)}


@dataclass(frozen=True)
class Mention:
    """A span linked to an entity, with where it sits (the entity browser's list)."""

    id: str
    article_id: int
    start: int
    end: int
    label: str
    text: str
    status: str
    article_title: str
    article_date: str | None


Entity.FIELDS = tuple(f.name for f in dataclasses.fields(Entity))[:15]  # the columns (not the joined extras)


@dataclass(frozen=True)
class Label(_Row):
    """A span kind with its colour and keys; ``position`` orders the list (None: append)."""

    id: str
    name: str
    color: str
    shortcut: str | None = None
    alt_shortcut: str | None = None
    description: str = ""
    position: int | None = None


Label.FIELDS = tuple(f.name for f in dataclasses.fields(Label))


@dataclass(frozen=True)
class Evidence(_Row):
    """One evidence item of a reviewed claim (a source that supports or refutes it)."""

    url: str
    quote: str = ""
    stance: str = "supports"
    note: str = ""


@dataclass(frozen=True)
class ReviewSession(_Row):
    """A review session as stored: ``scope`` and ``queue`` are its JSON (``size`` counts the
    queue; ``queue`` is empty in ``store.review.sessions()``, which lists without loading it)."""

    id: int
    reviewer: str
    started_at: str
    ended_at: str | None
    scope: str
    position: int
    size: int
    queue: str = "[]"


@dataclass(frozen=True)
class ReviewDecision(_Row):
    """One reviewer's call on one span, as logged (the span holds the current state)."""

    id: int
    session_id: int | None
    annotation_id: str
    reviewer: str
    decided_at: str
    status: str
    verdict: str | None
    confidence: str | None
    uuid: str | None


Evidence.FIELDS = tuple(f.name for f in dataclasses.fields(Evidence))
ReviewSession.FIELDS = tuple(f.name for f in dataclasses.fields(ReviewSession))
ReviewDecision.FIELDS = tuple(f.name for f in dataclasses.fields(ReviewDecision))


@dataclass(frozen=True)
class Article(_Row):
    """An article with its text, provenance, span count and progress status."""

    id: int
    title: str
    source: str | None = None
    date: str | None = None
    date_raw: str | None = None
    date_precision: str | None = None
    text: str = ""
    file_name: str | None = None
    sha256: str = ""
    encoding: str | None = None
    imported_at: str = ""
    url: str | None = None
    language: str | None = None
    author: str | None = None
    format: str | None = None
    original_sha256: str | None = None
    extractor: str | None = None
    extractor_version: str | None = None
    title_source: str | None = None
    date_source: str | None = None
    n_annotations: int = 0
    status: str = "not_started"

    @classmethod
    def from_named(cls, names: Sequence[str], row: Sequence[Any]) -> Article:
        """From a ``SELECT a.*``: columns this class does not know (added by a later schema
        step) are left out rather than breaking every read."""
        return cls(**{k: v for k, v in zip(names, row, strict=True) if k in cls.FIELDS})


Article.FIELDS = tuple(f.name for f in dataclasses.fields(Article))


# The streams below feed the CLI listing and the exporters, up to a row per span of a
# million-span corpus: immutable named tuples built straight from the SELECT's tuple
# (``Cls._make(row)``, the SELECT naming exactly the fields in order), never through a dict.
# A frozen dataclass sets its fields one by one: 1.9 us a row of 28, against 0.13 us.


class ArticleSummary(NamedTuple):
    """An article's metadata without its text: one line of ``kzpk articles``."""

    id: int
    title: str
    source: str | None
    date: str | None
    date_precision: str | None
    date_source: str | None
    url: str | None
    language: str | None
    author: str | None
    format: str | None
    file_name: str | None
    sha256: str
    encoding: str | None
    status: str
    n_annotations: int

    def record(self) -> dict[str, Value]:
        """At the JSON edge (``kzpk articles --json``): the fields, the span count last as ``annotations``."""
        out: dict[str, Value] = self._asdict()
        out["annotations"] = out.pop("n_annotations")
        return out


class ArticleTableRow(NamedTuple):
    """One row of the articles CSV: metadata, span counts by label, review progress.
    Field names are the CSV's column names."""

    article_id: int
    title: str
    source: str | None
    date: str | None
    date_precision: str | None
    date_source: str | None
    url: str | None
    language: str | None
    author: str | None
    format: str | None
    file_name: str | None
    sha256: str
    characters: int
    status: str
    annotations: int
    claims: int
    actors: int
    agreements: int
    reviewed: int
    unreviewed: int


class ExportRow(NamedTuple):
    """A span joined with its article and entity, as the exporters write it (one per span of
    the export, streamed). Field names are the annotation CSV's column names."""

    annotation_id: str
    article_id: int
    article_title: str
    article_source: str | None
    article_date: str | None
    article_file: str | None
    label: str
    start: int
    end: int
    text: str
    context_before: str
    context_after: str
    entity: str | None
    entity_id: int | None
    claim_type: str | None
    confidence: str | None
    verdict: str | None
    evidence_url: str | None
    evidence_note: str | None
    note: str
    status: str
    annotator: str
    reviewer: str | None
    reviewed_at: str | None
    created_at: str
    updated_at: str
    curated_by: str | None
    curated_at: str | None


class ClaimRow(NamedTuple):
    """A claim span with its article, speaker(s) and the agreements it is about (lists as
    ' | '-joined text). Field names are the claims CSV's column names."""

    claim_id: str
    article_id: int
    article_title: str
    article_source: str | None
    article_date: str | None
    start: int
    end: int
    claim: str
    claim_type: str | None
    status: str
    verdict: str | None
    confidence: str | None
    reviewer: str | None
    reviewed_at: str | None
    annotator: str
    note: str
    speaker: str | None
    speaker_entity_id: str | None
    about_agreements: str | None


class ClaimTableRow(NamedTuple):
    """A row of the claims CSV: the claim and its evidence items' cells (' | '-joined);
    the claim is kept whole rather than copied field by field into a wider row."""

    claim: ClaimRow
    evidence_count: int
    evidence_urls: str
    evidence_stances: str
    evidence_quotes: str


@dataclass(frozen=True)
class HistoryEntry(_Row):
    """One row of the append-only change log; ``before``/``after`` are its JSON text."""

    id: int
    at: str
    who: str
    action: str
    before: str | None
    after: str | None


HistoryEntry.FIELDS = tuple(f.name for f in dataclasses.fields(HistoryEntry))
