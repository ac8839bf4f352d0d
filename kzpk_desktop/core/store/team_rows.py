"""The rows of team work: mergeable items, portable articles, a copy's snapshot and a queued
conflict (the SQL that reads and writes them is in ``team.py``).

An item's ``data`` is the JSON image of its row (``JSONObject``), not a dataclass per kind: the
merge compares and copies every column but the local ones, whatever migrations added (a
column new in a later schema step travels without touching the merge), the conflict queue
stores each side as JSON text and gives it back to ``TeamRepo.upsert`` when resolved, and
the change log records it as JSON. Articles and labels, whose columns the merge names, are
dataclasses (:class:`PortableArticle`, :class:`~kzpk_desktop.core.rows.Label`).
"""

from __future__ import annotations

import dataclasses
from collections.abc import Mapping
from dataclasses import dataclass, field
from typing import ClassVar

from ..jsonvalue import JSONObject
from ..rows import Label


@dataclass(frozen=True)
class Item:
    """One mergeable row in a file-independent form: integer keys replaced by stable ids."""

    kind: str
    uuid: str
    rev: str
    data: JSONObject  # the row's columns but local ones, and "_"-prefixed stable references


@dataclass(frozen=True)
class PortableArticle:
    """An article as it travels between copies: its file-independent columns, keyed by
    ``sha256`` (never the local integer id)."""

    title: str
    source: str | None
    date: str | None
    date_raw: str | None
    date_precision: str | None
    text: str
    file_name: str | None
    sha256: str
    encoding: str | None
    imported_at: str
    # where the text came from (a colleague's URL, author, language ... travel with it)
    url: str | None = None
    language: str | None = None
    author: str | None = None
    format: str | None = None
    original_sha256: str | None = None
    extractor: str | None = None
    extractor_version: str | None = None
    title_source: str | None = None
    date_source: str | None = None

    FIELDS: ClassVar[tuple[str, ...]]  # its columns, in INSERT order

    def values(self) -> list[str | None]:
        """The columns in ``FIELDS`` order (for the INSERT)."""
        return [getattr(self, f) for f in self.FIELDS]


@dataclass(frozen=True)
class Snapshot:
    """Everything a merge needs to know about one database file."""

    db_uuid: str
    items: Mapping[str, Mapping[str, Item]]  # kind -> uuid -> item
    ancestors: Mapping[tuple[str, str], frozenset[str]]  # (kind, uuid) -> revisions it replaced
    tombstones: Mapping[tuple[str, str], str | None]  # (kind, uuid) -> revision when deleted
    article_hashes: frozenset[str]  # every article's sha256
    articles: Mapping[str, PortableArticle]  # sha256 -> article (those read: see ``snapshot``)
    labels: Mapping[str, Label]
    entity_alias: Mapping[str, str]  # an entity id from another copy -> the one it was merged into
    aliases: Mapping[str, frozenset[str]] = field(default_factory=dict)  # entity uuid -> alias names


@dataclass(frozen=True)
class Conflict:
    """A merge decision left to the user: both versions as they were when it was queued."""

    id: int
    kind: str
    uuid: str
    reason: str
    peer_uuid: str
    mine_rev: str | None
    theirs_rev: str | None
    mine: JSONObject | None  # each side's Item.data, as queued (JSON text in the table)
    theirs: JSONObject | None
    queued_at: str
    resolved_at: str | None
    resolved_by: str | None
    resolution: str | None

    FIELDS: ClassVar[tuple[str, ...]]  # the columns of ``merge_conflicts``


PortableArticle.FIELDS = tuple(f.name for f in dataclasses.fields(PortableArticle))
Conflict.FIELDS = tuple(f.name for f in dataclasses.fields(Conflict))
