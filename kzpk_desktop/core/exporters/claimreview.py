"""schema.org ClaimReview JSON-LD for claims that have a verdict (what fact-checkers publish)."""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

from ..review import VERDICT_SCALE
from ..store import Store
from . import OFFSET_UNIT, atomic_output
from .tables import claim_rows

# Ordinal truth rating (5 best): only for verdicts that sit on a true/false line.
RATING = {"supported": 5, "partly_supported": 4, "unsupported": 3, "misleading": 2, "false": 1}
LABELS = {v: label for v, label, _ in VERDICT_SCALE}


def review_item(row: dict[str, Any], text: str, evidence: list[dict[str, Any]]) -> dict[str, Any]:
    rating: dict[str, Any] = {"@type": "Rating", "alternateName": LABELS[row["verdict"]],
                              "name": row["verdict"]}
    if row["verdict"] in RATING:
        rating.update(ratingValue=RATING[row["verdict"]], bestRating=5, worstRating=1)
    s, e = row["start"], row["end"]
    claim: dict[str, Any] = {
        "@type": "Claim",
        "appearance": {"@type": "NewsArticle", "headline": row["article_title"],
                       **({"datePublished": row["article_date"]} if row["article_date"] else {}),
                       **({"publisher": {"@type": "Organization", "name": row["article_source"]}}
                          if row["article_source"] else {})},
        "kzpk:position": {"articleId": row["article_id"], "start": s, "end": e, "offsetUnit": OFFSET_UNIT,
                          "exact": row["claim"], "prefix": text[max(0, s - 32) : s], "suffix": text[e : e + 32]},
    }
    if row["speaker"]:
        claim["author"] = [{"@type": "Thing", "name": n} for n in row["speaker"].split(" | ")]
    if row["article_date"]:
        claim["datePublished"] = row["article_date"]
    item: dict[str, Any] = {
        "@context": {"@vocab": "https://schema.org/", "kzpk": "urn:kzpk:"},
        "@type": "ClaimReview",
        "identifier": row["claim_id"],
        "claimReviewed": " ".join(row["claim"].split()),
        "reviewRating": rating,
        "itemReviewed": claim,
        "author": {"@type": "Person", "name": row["reviewer"] or "unknown"},
    }
    if row["reviewed_at"]:
        item["datePublished"] = row["reviewed_at"][:10]
    if evidence:
        item["citation"] = [{"@type": "CreativeWork", "url": ev["url"], "text": ev["quote"],
                             "kzpk:stance": ev["stance"], "description": ev["note"]} for ev in evidence]
    return item


def write_claimreview(store: Store, path: str | Path | None) -> int:
    rows = [r for r in claim_rows(store, "c.verdict IS NOT NULL")]
    items = [review_item(r, store.article_text(int(r["article_id"])), store.evidence_for(str(r["claim_id"])))
             for r in rows]
    with atomic_output(path, newline="\n") as fh:
        json.dump(items, fh, ensure_ascii=False, indent=1)
        fh.write("\n")
    return len(items)
