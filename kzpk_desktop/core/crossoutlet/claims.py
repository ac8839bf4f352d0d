"""Claim clusters: claim spans in different articles that state the same thing, with their
verdicts side by side. A verdict given to one claim can be *proposed* for the others; a
proposal is only data until the reviewer applies it, which runs ``RecordDecision``."""

from __future__ import annotations

import math
from array import array
from collections import Counter, defaultdict
from collections.abc import Callable
from dataclasses import dataclass

from .. import review as rv
from ..operations.review import RecordDecision
from ..store import Store
from ..store.crossoutlet import SpanRow
from .features import STOP, numbers, words
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


MAX_POSTINGS = 500  # a word in more claims than this is too common to pair on
THIN = 0.5  # share of its rare tokens a claim made mostly of common words must share to be scored
SLACK = 0.25  # share of a claim looked up beyond what must be shared: candidates sharing less are not scored
CANCELLED = "Comparing claims was cancelled."


def _words_of(token: str) -> frozenset[str]:
    """The index words of one whitespace token: punctuation and a possessive ’s dropped, so
    ``million.`` and ``million``, ``Pakistan’s`` and ``Pakistan`` meet."""
    out = set()
    for w in words(token):
        w = w.strip("’'")
        while w.endswith(("’s", "'s")):
            w = w[:-2].rstrip("’'")
        if w:
            out.add(w)
    return frozenset(out)


def _need(length: int, min_score: float) -> int:
    """How many characters of a claim (token plus separator, over its deduplicated tokens) may be
    unshared while its shared tokens still give ``token_set_ratio`` at least ``min_score``.

    rapidfuzz scores one side as ``1 - (ab + 1) / (2 s + 1 + ab)`` with ``s`` the joined shared
    tokens and ``ab`` this side's joined other tokens; with ``u = ab + 1`` and ``L = s + u`` that
    is at least ``t`` exactly when ``u <= 2 (1 - t) L / (2 - t)``."""
    t = min_score / 100
    return math.floor(2 * (1 - t) * length / (2 - t) + 1e-9)  # u is whole: no rounding at the edge


def _pairs_all(texts: list[str], claims: list[SpanRow], min_score: float) -> dict[tuple[int, int], float]:
    """Every pair scored (rapidfuzz ``cdist``): n² time and memory. The reference the blocked
    search is tested against; too slow past a few thousand claims."""
    from rapidfuzz import fuzz, process

    found: dict[tuple[int, int], float] = {}
    if len(claims) < 2:
        return found
    figures = [_figures(c.text) for c in claims]
    matrix = process.cdist(texts, texts, scorer=fuzz.token_set_ratio, score_cutoff=min_score, workers=1)
    for i in range(len(claims)):
        for j in range(i + 1, len(claims)):
            s = float(matrix[i][j])
            if s < min_score or claims[i].article_id == claims[j].article_id:
                continue
            if figures[i] and figures[j] and figures[i] != figures[j]:
                continue
            found[(i, j)] = s
    return found


def _pairs_blocked(
    texts: list[str],
    claims: list[SpanRow],
    min_score: float,
    max_postings: int = MAX_POSTINGS,
    progress: Callable[[int, int], bool] | None = None,
) -> dict[tuple[int, int], float]:
    """The pairs ``_pairs_all`` finds, scoring only those that share enough rare words.

    Every claim is posted under its index words (words in more than ``max_postings`` claims left
    out). Each claim then looks up its tokens rarest first (stop words last: in a corpus of any
    size the cap leaves them out anyway, so they only matter in small ones) until the looked-up
    tokens weigh (characters plus a separator) ``SLACK`` of the claim more than may be unshared
    (``_need``). If the claim's own side of ``token_set_ratio`` reaches ``min_score``, at most
    ``need`` of that weight is unshared: so the other claim is among the postings, and the
    looked-up tokens it holds weigh at least ``looked_up - need``; only candidates with that
    much are scored. The other side is found when the other claim looks up its own tokens.
    ``progress(done, total)`` is called every 1,000 claims; when it returns False the search
    stops with ``InterruptedError``."""
    import numpy as np  # not at import time: the window imports this module at start-up
    from rapidfuzz import fuzz, process

    n = len(claims)
    known: dict[str, frozenset[str]] = {}  # each distinct token normalised once, for this search only

    def words_of(token: str) -> frozenset[str]:
        got = known.get(token)
        if got is None:
            got = known[token] = _words_of(token)
        return got

    df: Counter[str] = Counter()
    building: dict[str, array[int]] = defaultdict(lambda: array("i"))
    for i, text in enumerate(texts):  # nothing per token is kept: 400,000 claims hold ~6M
        for w in set().union(*map(words_of, set(text.split()))):
            df[w] += 1
            building[w].append(i)
    postings = {w: np.frombuffer(a, dtype=np.int32) for w, a in building.items() if df[w] <= max_postings}
    del building
    articles = np.array([c.article_id for c in claims], dtype=np.int64)
    figures = [_figures(c.text) for c in claims]
    found: dict[tuple[int, int], float] = {}
    for i in range(n):
        if progress is not None and i % 1000 == 0 and not progress(i, n):
            raise InterruptedError(CANCELLED)
        keyed = []  # (stop word?, rarity, word, weight) of each token with an indexable word
        tokens = sorted(set(texts[i].split()))
        for tok in tokens:
            usable = [(w in STOP, df[w], w) for w in words_of(tok) if df[w] <= max_postings]
            if usable:
                keyed.append((*min(usable), len(tok) + 1))
        keyed.sort()
        length = len(" ".join(tokens))
        need = _need(length, min_score)
        enough = need + math.ceil(SLACK * length)
        looked_up: dict[str, int] = {}
        weight = 0
        for _stop, _df, w, tok_weight in keyed:
            looked_up[w] = looked_up.get(w, 0) + tok_weight
            weight += tok_weight
            if weight > enough:
                break
        if not looked_up:
            continue
        lists = [postings[w] for w in looked_up]
        ids = np.concatenate(lists)
        held = np.repeat(
            np.fromiter(looked_up.values(), dtype=np.float64, count=len(looked_up)), [len(a) for a in lists]
        )
        candidates, where = np.unique(ids, return_inverse=True)
        hits = np.bincount(where, weights=held)
        # too few rare tokens to be sure of anything: ask for half of them (see claim_clusters)
        least = weight - need if weight > need else weight * THIN
        keep = (hits >= max(1, least)) & (articles[candidates] != claims[i].article_id)
        fig = figures[i]
        others = [int(j) for j in candidates[keep] if not (fig and figures[j] and figures[j] != fig)]
        if not others:
            continue
        scored = process.extract(
            texts[i], [texts[j] for j in others], scorer=fuzz.token_set_ratio, score_cutoff=min_score, limit=None
        )
        for _text, score, k in scored:
            j = others[k]
            found[(i, j) if i < j else (j, i)] = float(score)
    if progress is not None:
        progress(n, n)
    return found


def claim_clusters(
    claims: list[SpanRow], min_score: float = 75.0, progress: Callable[[int, int], bool] | None = None
) -> list[ClaimCluster]:
    """Join claims from different articles whose texts match (token-set similarity at least
    ``min_score``) and whose figures, if both give any, are the same.

    Only pairs sharing a rare word are scored (``_pairs_blocked``), so 400,000 claims take
    seconds, not the n² comparisons of every pair. What that can miss, by design: pairs whose
    similarity comes from spelling alone (typos, inflections other than a possessive: ``export``
    and ``exports`` share no word, yet ``token_set_ratio`` scores their letters), and claims
    made (almost) only of stop words and words found in more than ``MAX_POSTINGS`` claims (a
    one-word claim "Pakistan" is a subset of thousands of claims, and scores 100 against each;
    a claim whose rare tokens are too few to be sure is compared only with claims holding
    ``THIN`` of their weight). ``progress(done, total)`` is told every 1,000 claims; returning
    False stops the search with ``InterruptedError``.
    A pair whose score comes from the words it shares is never missed otherwise (see
    ``_need``); tests/core/test_claim_blocking.py checks this against every pair on random
    corpora."""
    texts = [" ".join(c.text.split()).lower() for c in claims]
    pairs = _pairs_blocked(texts, claims, min_score, progress=progress)
    union = _Union()
    for i, j in pairs:
        union.join(i, j)
    weakest: dict[int, float] = {}
    for (i, _j), s in pairs.items():
        root = union.find(i)
        weakest[root] = min(s, weakest.get(root, 100.0))
    groups = [g for g in union.groups(range(len(claims))) if len(g) > 1]
    return [
        ClaimCluster(n, tuple(claims[i] for i in g), round(weakest[union.find(g[0])], 1))
        for n, g in enumerate(groups, 1)
    ]


def propose_verdicts(cluster: ClaimCluster) -> list[VerdictProposal]:
    """The one verdict the cluster has, proposed for its claims without one; none when verdicts
    conflict (the reviewer must settle that first)."""
    if len(cluster.verdicts) != 1:
        return []
    verdict = cluster.verdicts[0]
    source = next(c.id for c in cluster.claims if c.verdict == verdict)
    return [VerdictProposal(c.id, verdict, source) for c in cluster.claims if not c.verdict]
