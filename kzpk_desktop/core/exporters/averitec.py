"""AVeriTeC-style JSON: claim, claimant, claim date, question–answer evidence pairs with source
URLs, the verdict on AVeriTeC's four labels, and a justification.

Mapping from the 7-point scale of ``core/review.py`` (documented in docs/cross-outlet.md):

=================  =====================================
supported          Supported
false              Refuted
partly_supported   Conflicting Evidence/Cherrypicking
misleading         Conflicting Evidence/Cherrypicking
unsupported        Not Enough Evidence
unverifiable       Not Enough Evidence
opinion            (not exported: not a checkable claim)
=================  =====================================

Evidence published after the claim's article date cannot have informed the claim and may
leak the answer: every such answer carries ``"published_after_claim": true`` and the claim
lists those URLs in ``"evidence_published_after_claim"``.
"""

from __future__ import annotations

import json
from pathlib import Path
from urllib.parse import urlparse

from ..jsonvalue import JSONObject, JSONValue
from ..review import VERDICT_SCALE
from ..rows import ClaimRow
from ..store import Store
from ..store import crossoutlet as q
from . import ProgressFn, Ticker, text_output

AVERITEC_LABELS = {
    "supported": "Supported",
    "false": "Refuted",
    "partly_supported": "Conflicting Evidence/Cherrypicking",
    "misleading": "Conflicting Evidence/Cherrypicking",
    "unsupported": "Not Enough Evidence",
    "unverifiable": "Not Enough Evidence",
}
MEANING = {v: meaning for v, _label, meaning in VERDICT_SCALE}


def _dmy(iso: str | None) -> str:
    """AVeriTeC writes claim dates as dd-mm-yyyy."""
    if not iso or len(iso) < 10:
        return ""
    y, m, d = iso[:10].split("-")
    return f"{d}-{m}-{y}"


def published_after(evidence_date: str | None, claim_date: str | None) -> bool:
    return bool(evidence_date and claim_date and evidence_date[:10] > claim_date[:10])


def averitec_item(row: ClaimRow, evidence: list[q.EvidenceRow]) -> JSONObject:
    questions: list[JSONValue] = []
    late: list[JSONValue] = []
    for ev in evidence:
        host = urlparse(ev.url).netloc or ev.url
        question = ev.note.strip() if ev.note.strip().endswith("?") else f"What does {host} report about this claim?"
        after = published_after(ev.published_at, row.article_date)
        if after:
            late.append(ev.url)
        answer = " ".join((ev.quote or ev.note).split())
        questions.append(
            {
                "question": question,
                "answers": [
                    {
                        "answer": answer,
                        "answer_type": "Extractive" if ev.quote else "Abstractive",
                        "source_url": ev.url,
                        "source_medium": "Web text",
                        "cached_source_url": ev.archive_url or "",
                        "stance": ev.stance,
                        "retrieved_at": ev.retrieved_at or "",
                        "published_at": ev.published_at or "",
                        "published_after_claim": after,
                    }
                ],
            }
        )
    verdict = row.verdict
    if verdict is None:
        raise ValueError(f"Claim {row.claim_id} has no verdict; an AVeriTeC item needs one.")
    justification = " ".join(row.note.split()) or f"{verdict}: {MEANING[verdict]}"
    return {
        "claim": " ".join(row.claim.split()),
        "claim_id": row.claim_id,
        "speaker": row.speaker or "",
        "claim_date": _dmy(row.article_date),
        "reporting_source": row.article_source or "",
        "original_claim_url": "",
        "claim_types": [row.claim_type] if row.claim_type else [],
        "label": AVERITEC_LABELS[verdict],
        "kzpk_verdict": verdict,
        "justification": justification,
        "questions": questions,
        "evidence_published_after_claim": late,
    }


def write_averitec(store: Store, path: str | Path | None, progress: ProgressFn | None = None) -> int:
    """Claims with a verdict AVeriTeC can express; returns how many were written (Cancel stops
    before anything is written)."""
    ticker = Ticker(progress)
    items: list[JSONValue] = []
    for r in store.annotations.iter_claims("c.verdict IS NOT NULL"):
        if r.verdict in AVERITEC_LABELS:
            items.append(averitec_item(r, q.evidence(store, r.claim_id)))
            ticker.tick()
    ticker.finish()
    with text_output(path, newline="\n") as fh:
        json.dump(items, fh, ensure_ascii=False, indent=1)
        fh.write("\n")
    return len(items)
