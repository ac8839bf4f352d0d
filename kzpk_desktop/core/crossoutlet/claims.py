"""Claim clusters: claim spans in different articles that state the same thing, with their
verdicts side by side. A verdict given to one claim can be *proposed* for the others; a
proposal is only data until the reviewer applies it, which runs ``RecordDecision``."""

from __future__ import annotations

from dataclasses import dataclass

from rapidfuzz import fuzz, process

from .. import review as rv
from ..operations.review import RecordDecision
from ..store import Store
from ..store.crossoutlet import SpanRow
from .features import numbers
from .stories import _Union


@dataclass(frozen=True)
class ClaimCluster:
    id: int
    claims: tuple[SpanRow, ...]
    score: float  # weakest similarity (0–100) that joined the cluster

    @property
    def verdicts(self) -> tuple[str, ...]:
        return tuple(sorted({c.verdict for c in self.claims if c.verdict}))

    @property
    def conflicting(self) -> bool:
        return len(self.verdicts) > 1


@dataclass(frozen=True)
class VerdictProposal:
    annotation_id: str
    verdict: str
    because_of: str  # the claim whose verdict is proposed

    def operation(self, store: Store, reviewer: str) -> RecordDecision:
        """What applying the proposal runs: the same decision path as any review. The claim's
        evidence and confidence go with it (a decision replaces the evidence it is given)."""
        evidence = store.review.evidence_for(self.annotation_id)
        confidence = store.annotations.get(self.annotation_id).confidence
        return RecordDecision(self.annotation_id, rv.Decision("accepted", self.verdict, confidence, evidence), reviewer)


def _figures(text: str) -> frozenset[str]:
    return frozenset(n for _a, _b, n in numbers(text))


def claim_clusters(claims: list[SpanRow], min_score: float = 75.0) -> list[ClaimCluster]:
    """Join claims from different articles whose texts match (token-set similarity at least
    ``min_score``) and whose figures, if both give any, are the same."""
    texts = [" ".join(c.text.split()).lower() for c in claims]
    union = _Union()
    weakest: dict[tuple[int, int], float] = {}
    if len(claims) > 1:
        matrix = process.cdist(texts, texts, scorer=fuzz.token_set_ratio, score_cutoff=min_score, workers=1)
        for i in range(len(claims)):
            for j in range(i + 1, len(claims)):
                s = float(matrix[i][j])
                if s < min_score or claims[i].article_id == claims[j].article_id:
                    continue
                fi, fj = _figures(claims[i].text), _figures(claims[j].text)
                if fi and fj and fi != fj:
                    continue
                union.join(i, j)
                weakest[(i, j)] = s
    groups = [g for g in union.groups(range(len(claims))) if len(g) > 1]
    out = []
    for n, g in enumerate(groups, 1):
        score = min(s for (i, j), s in weakest.items() if i in g)
        out.append(ClaimCluster(n, tuple(claims[i] for i in g), round(score, 1)))
    return out


def propose_verdicts(cluster: ClaimCluster) -> list[VerdictProposal]:
    """The one verdict the cluster has, proposed for its claims without one; none when verdicts
    conflict (the reviewer must settle that first)."""
    if len(cluster.verdicts) != 1:
        return []
    verdict = cluster.verdicts[0]
    source = next(c.id for c in cluster.claims if c.verdict == verdict)
    return [VerdictProposal(c.id, verdict, source) for c in cluster.claims if not c.verdict]
