"""The rows of team work: mergeable items, portable articles, a copy's snapshot and a queued
conflict (the SQL that reads and writes them is in ``team.py``).

An item's ``data`` is the JSON image of its row (``JSONObject``), not a dataclass per kind: the
merge compares and copies every column but the local ones, whatever migrations added (a
column new in a later schema step travels without touching the merge), the conflict queue
stores each side as JSON text and gives it back to ``TeamRepo.upsert`` when resolved, and
the change log records it as JSON. Articles and labels, whose columns the merge names, are
dataclasses: an import's :class:`~kzpk_desktop.core.store.imports.NewArticle` and
:class:`~kzpk_desktop.core.rows.Label`.
"""

from __future__ import annotations

import dataclasses
from collections.abc import Mapping
from dataclasses import dataclass, field
from typing import ClassVar

from ..jsonvalue import JSONObject
from ..rows import Label
from .imports import NewArticle


@dataclass(frozen=True)
class Item:
    """One mergeable row in a file-independent form: integer keys replaced by stable ids."""

    kind: str
    uuid: str
    rev: str
    data: JSONObject  # the row's columns but local ones, and "_"-prefixed stable references


@dataclass(frozen=True)
class Snapshot:
    """Everything a merge needs to know about one database file."""

    db_uuid: str
    items: Mapping[str, Mapping[str, Item]]  # kind -> uuid -> item
    ancestors: Mapping[tuple[str, str], frozenset[str]]  # (kind, uuid) -> revisions it replaced
    tombstones: Mapping[tuple[str, str], str | None]  # (kind, uuid) -> revision when deleted
    article_hashes: frozenset[str]  # every article's sha256
    articles: Mapping[str, NewArticle]  # sha256 -> article, without its local id (those read: see ``snapshot``)
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


Conflict.FIELDS = tuple(f.name for f in dataclasses.fields(Conflict))
