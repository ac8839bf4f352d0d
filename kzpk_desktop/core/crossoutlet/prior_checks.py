"""Prior fact-checks, offline: ClaimReview JSON-LD read from files or folders (this app's own
``--format claimreview`` export, single items, ``@graph`` documents and the DataFeed shape
fact-checkers publish) into an FTS5 index, and the best earlier checks for a claim (bm25)."""

from __future__ import annotations

import json
from collections.abc import Iterator
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from ..errors import KzpkError
from ..operations.base import Changes, OpResult
from ..store import Store
from ..store import crossoutlet as q
from ..store.base import utc_now
from ..store.crossoutlet import PriorCheck, PriorCheckMatch


class PriorCheckError(KzpkError):
    """A file that is not ClaimReview JSON-LD."""


def _name(value: Any) -> str:
    if isinstance(value, list):
        return ", ".join(filter(None, (_name(v) for v in value)))
    if isinstance(value, dict):
        return str(value.get("name") or value.get("alternateName") or "")
    return str(value or "")


def _reviews(node: Any) -> Iterator[dict[str, Any]]:
    """Every ClaimReview in a JSON-LD document, however it is wrapped."""
    if isinstance(node, list):
        for x in node:
            yield from _reviews(x)
    elif isinstance(node, dict):
        kind = node.get("@type")
        kinds = kind if isinstance(kind, list) else [kind]
        if "ClaimReview" in kinds:
            yield node
            return
        for key in ("@graph", "dataFeedElement", "item", "itemListElement"):
            if key in node:
                yield from _reviews(node[key])


def parse_review(item: dict[str, Any]) -> PriorCheck | None:
    claim = " ".join(str(item.get("claimReviewed") or "").split())
    if not claim:
        return None
    rating = item.get("reviewRating") or {}
    if isinstance(rating, list):
        rating = rating[0] if rating else {}
    rating_text = str(rating.get("alternateName") or rating.get("name") or rating.get("ratingValue") or "")
    reviewed = item.get("itemReviewed") or {}
    if isinstance(reviewed, list):
        reviewed = reviewed[0] if reviewed else {}
    url = str(item.get("url") or "")
    if not url and item.get("identifier"):
        url = f"urn:kzpk:claim:{item['identifier']}"
    publisher = _name(item.get("publisher")) or _name(item.get("author"))
    entities = " ".join(
        filter(
            None,
            (
                _name(reviewed.get("author")),
                _name(item.get("about")),
                _name(reviewed.get("about")),
                _name(item.get("mentions")),
                str(item.get("keywords") or ""),
            ),
        )
    )
    return PriorCheck(url, claim, rating_text, publisher, str(item.get("datePublished") or "")[:10], entities)


def read_path(path: str | Path) -> list[PriorCheck]:
    """All ClaimReview items in a file, or in the .json/.jsonld files under a folder."""
    p = Path(path)
    if not p.exists():
        raise PriorCheckError(f"'{p}' does not exist.")
    files = sorted(f for f in p.rglob("*") if f.suffix.lower() in (".json", ".jsonld")) if p.is_dir() else [p]
    out: list[PriorCheck] = []
    for f in files:
        try:
            doc = json.loads(f.read_text(encoding="utf-8-sig"))
        except (UnicodeDecodeError, json.JSONDecodeError) as err:
            raise PriorCheckError(f"'{f}' is not JSON ({err}).") from None
        found = [r for r in (parse_review(x) for x in _reviews(doc)) if r is not None]
        if not found and not p.is_dir():
            raise PriorCheckError(f"'{f}' holds no ClaimReview item with a claimReviewed text.")
        out.extend(found)
    if not out:
        raise PriorCheckError(f"No ClaimReview item with a claimReviewed text in '{p}'.")
    return out


@dataclass(frozen=True)
class ImportPriorChecks:
    items: tuple[PriorCheck, ...]
    who: str = ""
    at: str = field(default_factory=utc_now)  # the import time, the same on a redo
    ids: tuple[int, ...] | None = None  # an undo of a removal puts the rows back under their ids

    @property
    def text(self) -> str:
        return f"Import {len(self.items)} prior fact-checks"

    def apply(self, store: Store) -> OpResult:
        ids = q.insert_prior_checks(store, self.items, self.who, self.at, self.ids)
        return OpResult(Changes(prior_checks=frozenset(ids)), RemovePriorChecks(tuple(ids), self.who, self.text))


@dataclass(frozen=True)
class RemovePriorChecks:
    ids: tuple[int, ...]
    who: str = ""
    label: str = "Remove prior fact-checks"

    @property
    def text(self) -> str:
        return self.label

    def apply(self, store: Store) -> OpResult:
        removed = q.delete_prior_checks(store, self.ids, self.who)
        back = ImportPriorChecks(
            tuple(check for _id, check, _at in removed),
            self.who,
            removed[0][2] if removed else utc_now(),  # one import, one time
            tuple(pid for pid, _c, _at in removed),
        )
        return OpResult(Changes(prior_checks=frozenset(pid for pid, _c, _at in removed)), back)


@dataclass(frozen=True)
class PriorCheckMatches:
    annotation_id: str
    matches: tuple[PriorCheckMatch, ...]


def match(store: Store, annotation_id: str, limit: int = 10) -> PriorCheckMatches:
    """The best earlier fact-checks for a claim: bm25 over its text and linked entity names."""
    span = q.span(store, annotation_id)
    words = q.query_words(" ".join([span.text, span.entity_name or "", *span.linked]))
    return PriorCheckMatches(annotation_id, tuple(q.match_prior_checks(store, words, limit)))
