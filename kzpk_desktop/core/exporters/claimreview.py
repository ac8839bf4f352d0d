"""schema.org ClaimReview JSON-LD for claims that have a verdict (what fact-checkers publish).

Each review carries what Google's Fact Check markup and other consumers require: ``url``
(``<base URL><claim id>`` when a base URL is configured, else the review's permalink inside
this file, ``#<claim id>``), ``claimReviewed``, ``author`` (an Organization or Person from
the ``--author`` option or the project setting, else the reviewer), ``reviewRating`` with
``alternateName``, and ``itemReviewed``: a ``Claim`` with its claimant (``author``, a Person
or Organization, left out when unknown), ``datePublished`` and ``appearance`` (a CreativeWork
with ``url`` and ``datePublished``). Only schema.org terms are used: nothing of ours needs a
namespace that does not resolve (offsets and evidence stance are in the JSONL and CSV exports).
"""

from __future__ import annotations

import json
from dataclasses import dataclass
from pathlib import Path

from ..jsonvalue import JSONObject, JSONValue
from ..review import VERDICT_SCALE
from ..rows import ClaimRow, Evidence
from ..store import Store
from ..store.exports import Claimant, claimants
from . import ProgressFn, Ticker, text_output
from .options import ExportOptions

CONTEXT: JSONObject = {"@vocab": "https://schema.org/"}
# Ordinal truth rating (5 best): only for verdicts that sit on a true/false line.
RATING = {"supported": 5, "partly_supported": 4, "unsupported": 3, "misleading": 2, "false": 1}
LABELS = {v: label for v, label, _ in VERDICT_SCALE}
AUTHOR_TYPES = ("Organization", "Person")
# Project settings read when no option is given (set once per project, e.g. by the GUI).
SETTING_AUTHOR, SETTING_AUTHOR_TYPE, SETTING_BASE_URL = (
    "claimreview.author",
    "claimreview.author_type",
    "claimreview.base_url",
)


@dataclass(frozen=True)
class Publisher:
    """Who publishes the reviews, and where they will live."""

    author: str | None = None
    author_type: str = "Organization"
    base_url: str | None = None

    @classmethod
    def resolve(cls, store: Store, options: ExportOptions) -> Publisher:
        author = options.author or store.settings.get(SETTING_AUTHOR)
        author_type = options.author_type or store.settings.get(SETTING_AUTHOR_TYPE) or "Organization"
        author_type = {"organization": "Organization", "organisation": "Organization", "person": "Person"}.get(
            author_type.lower(), author_type
        )
        if author_type not in AUTHOR_TYPES:
            raise ValueError(f"The ClaimReview author type must be Organization or Person, not '{author_type}'.")
        base = options.base_url or store.settings.get(SETTING_BASE_URL)
        if base and not base.startswith(("https://", "http://")):
            raise ValueError(f"The ClaimReview base URL must start with https:// or http:// (got '{base}').")
        return cls(author or None, author_type, base or None)

    def link(self, key: str) -> str:
        return f"{self.base_url}{key}" if self.base_url else f"#{key}"


def _party(c: Claimant) -> JSONObject:
    kind = "Organization" if c.actor_type in ("organisation", "state") else "Person"
    return {"@type": kind, "name": c.name}


def review_item(row: ClaimRow, evidence: list[Evidence], speakers: list[Claimant], pub: Publisher) -> JSONObject:
    if row.verdict is None:
        raise ValueError(f"Claim {row.claim_id} has no verdict; a ClaimReview needs one.")
    rating: JSONObject = {"@type": "Rating", "alternateName": LABELS[row.verdict], "name": row.verdict}
    if row.verdict in RATING:
        rating.update(ratingValue=RATING[row.verdict], bestRating=5, worstRating=1)
    article_key = f"article-{row.article_id}"
    appearance: JSONObject = {
        "@type": "CreativeWork",
        "@id": pub.link(article_key),
        "url": pub.link(article_key),
        "headline": row.article_title,
    }
    if row.article_date:
        appearance["datePublished"] = row.article_date
    if row.article_source:
        appearance["publisher"] = {"@type": "Organization", "name": row.article_source}
    claim: JSONObject = {"@type": "Claim", "appearance": appearance}
    if speakers:
        claim["author"] = [_party(s) for s in speakers] if len(speakers) > 1 else _party(speakers[0])
    if row.article_date:
        claim["datePublished"] = row.article_date
    author: JSONObject
    if pub.author:
        author = {"@type": pub.author_type, "name": pub.author}
    elif row.reviewer:
        author = {"@type": "Person", "name": row.reviewer}
    else:
        raise ValueError("A ClaimReview needs an author: give --author (or set it in Preferences).")
    link = pub.link(row.claim_id)
    item: JSONObject = {
        "@context": CONTEXT,
        "@type": "ClaimReview",
        "@id": link,
        "url": link,
        "identifier": row.claim_id,
        "claimReviewed": " ".join(row.claim.split()),
        "reviewRating": rating,
        "itemReviewed": claim,
        "author": author,
    }
    if row.reviewed_at:
        item["datePublished"] = row.reviewed_at[:10]
    if evidence:
        item["citation"] = [
            {
                "@type": "CreativeWork",
                "url": ev.url,
                **({"text": ev.quote} if ev.quote else {}),
                **({"description": ev.note} if ev.note else {}),
            }
            for ev in evidence
        ]
    return item


def _member(value: JSONValue) -> JSONObject:
    """A nested object of the review, or {} where there is none (so its checks fail by name)."""
    return value if isinstance(value, dict) else {}


def check_review(item: JSONObject) -> None:
    """Refuse to write a review that lacks what fact-check consumers require (one sentence)."""
    claim = _member(item.get("itemReviewed"))
    author = _member(item.get("author"))
    missing = [
        name
        for name, ok in (
            ("url", bool(item.get("url"))),
            ("claimReviewed", bool(item.get("claimReviewed"))),
            ("author", author.get("@type") in AUTHOR_TYPES and bool(author.get("name"))),
            ("reviewRating.alternateName", bool(_member(item.get("reviewRating")).get("alternateName"))),
            ("itemReviewed Claim", claim.get("@type") == "Claim"),
            ("itemReviewed.appearance.url", bool(_member(claim.get("appearance")).get("url"))),
        )
        if not ok
    ]
    if missing:
        raise ValueError(f"ClaimReview {item.get('identifier')} lacks {', '.join(missing)}; nothing was written.")


def write_claimreview(
    store: Store, path: str | Path | None, options: ExportOptions | None = None, progress: ProgressFn | None = None
) -> int:
    pub = Publisher.resolve(store, options or ExportOptions())
    ticker = Ticker(progress)
    items: list[JSONObject] = []
    for r in store.annotations.iter_claims("c.verdict IS NOT NULL"):  # (the evidence is read below)
        claim_id = r.claim_id
        item = review_item(r, store.review.evidence_for(claim_id), claimants(store, claim_id), pub)
        check_review(item)
        items.append(item)
        ticker.tick()
    n = ticker.finish()
    with text_output(path, newline="\n") as fh:
        json.dump(items, fh, ensure_ascii=False, indent=1)
        fh.write("\n")
    return n
