"""The agreement computation as it was before the fast path (a frozen copy, used only as the
reference that ``test_agreement_fast_path.py`` compares the shipped ``measure`` against):
spans read as one object each, every token of every shared article tested against every
coder's intervals by binary search, disagreements built segment by segment."""

from __future__ import annotations

import itertools
from collections import Counter, defaultdict
from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field
from typing import Any

import krippendorff
import numpy as np

from kzpk_desktop.core.review import VERDICTS
from kzpk_desktop.core.schema import ANNOTATION_STATUSES
from kzpk_desktop.core.store import Store
from kzpk_desktop.core.store.team_layers import (
    CodedSpan,
    ReviewerCall,
    article_texts,
    coded_spans,
    coders_by_article,
    latest_calls,
)


@dataclass(frozen=True)
class Figure:
    value: float | None
    reason: str | None = None


@dataclass(frozen=True)
class LabelAgreement:
    label: str
    alpha_u: Figure
    fleiss_kappa: Figure
    cohen_kappa: Mapping[str, Figure]
    n_units: int
    n_tokens: int
    n_articles: int
    n_coders: int


@dataclass(frozen=True)
class ScaleAgreement:
    alpha: Figure
    n_items: int
    n_reviewers: int


@dataclass(frozen=True)
class Agreement:
    annotators: tuple[str, ...]
    spans: Mapping[str, LabelAgreement]
    verdicts: ScaleAgreement
    statuses: ScaleAgreement
    disagreements: tuple[Mapping[str, Any], ...] = field(default_factory=tuple)

    def as_json(self) -> dict[str, Any]:
        def num(f: Figure) -> float | None:
            return None if f.value is None else round(f.value, 6)

        def reasons(**figures: Figure) -> dict[str, str]:
            return {k: f.reason for k, f in figures.items() if f.reason}

        spans = {}
        for label, la in self.spans.items():
            spans[label] = {
                "alpha_u": num(la.alpha_u),
                "fleiss_kappa": num(la.fleiss_kappa),
                "cohen_kappa": {pair: num(f) for pair, f in la.cohen_kappa.items()},
                "n_units": la.n_units,
                "n_tokens": la.n_tokens,
                "n_articles": la.n_articles,
                "n_coders": la.n_coders,
                "reasons": reasons(
                    alpha_u=la.alpha_u,
                    fleiss_kappa=la.fleiss_kappa,
                    **{f"cohen_kappa {p}": f for p, f in la.cohen_kappa.items()},
                ),
            }
        return {
            "annotators": list(self.annotators),
            "spans": spans,
            "verdicts": {
                "alpha_ordinal": num(self.verdicts.alpha),
                "n_claims": self.verdicts.n_items,
                "n_reviewers": self.verdicts.n_reviewers,
                "reasons": reasons(alpha_ordinal=self.verdicts.alpha),
            },
            "statuses": {
                "alpha_nominal": num(self.statuses.alpha),
                "n_items": self.statuses.n_items,
                "n_reviewers": self.statuses.n_reviewers,
                "reasons": reasons(alpha_nominal=self.statuses.alpha),
            },
            "disagreements": [dict(d) for d in self.disagreements],
        }


# Up to this many units the krippendorff package gets the (compressed) matrix row by row;
# above it the same coincidence sums are formed from the distinct patterns and their counts
# (the tests check both paths against the package on the full matrix).
PACKAGE_UNIT_LIMIT = 2_000_000
_WORD: np.ndarray | None = None


def _word_table() -> np.ndarray:
    """Which code points are word characters (``\\w``: ``str.isalnum()`` or ``_``), for all of Unicode."""
    global _WORD
    if _WORD is None:
        _WORD = np.fromiter((chr(c).isalnum() or c == 95 for c in range(0x110000)), dtype=bool, count=0x110000)
    return _WORD


def tokens_of(text: str) -> tuple[np.ndarray, np.ndarray]:
    """Starts and ends of the maximal runs of word characters (the same tokens as ``re.finditer(r"\\w+")``)."""
    if not text:
        return np.empty(0, dtype=np.int64), np.empty(0, dtype=np.int64)
    word = _word_table()[np.frombuffer(text.encode("utf-32-le"), dtype=np.uint32)]
    edges = np.flatnonzero(word[1:] != word[:-1]) + 1
    if word[0]:
        edges = np.concatenate(([0], edges))
    if word[-1]:
        edges = np.append(edges, len(word))
    return edges[0::2], edges[1::2]


def alpha(matrix: np.ndarray, level: str) -> Figure:
    """α from a reliability matrix (coders × units, ``nan`` missing), or None with the reason."""
    if matrix.size == 0 or matrix.shape[1] == 0:
        return Figure(None, "no unit was coded by two or more coders")
    pairable = (~np.isnan(matrix)).sum(axis=0) >= 2
    if not pairable.any():
        return Figure(None, "no unit was coded by two or more coders")
    values = matrix[:, pairable][~np.isnan(matrix[:, pairable])]
    if np.unique(values).size < 2:
        return Figure(None, "every unit has the same value, so α is undefined (no variation to agree on)")
    value = krippendorff.alpha(reliability_data=matrix, level_of_measurement=level)  # type: ignore[arg-type]
    return Figure(float(value))


def binary_alpha(patterns: Mapping[tuple[int, int], int], limit: int = PACKAGE_UNIT_LIMIT) -> Figure:
    """Nominal α over 0/1 units given as {(coders saying 0, coders saying 1): number of units}."""
    rows = {(z, o): w for (z, o), w in patterns.items() if z + o >= 2 and w}
    if not rows:
        return Figure(None, "no unit was coded by two or more coders")
    if all(z == 0 for z, _o in rows) or all(o == 0 for _z, o in rows):
        return Figure(None, "every unit has the same value, so α is undefined (no variation to agree on)")
    counts = np.array(list(rows), dtype=float)
    weights = np.array(list(rows.values()), dtype=np.int64)
    if weights.sum() <= limit:
        expanded = np.repeat(counts, weights, axis=0)
        return Figure(float(krippendorff.alpha(value_counts=expanded, level_of_measurement="nominal")))
    m = counts.sum(axis=1)
    o01 = float((weights * counts[:, 0] * counts[:, 1] / (m - 1)).sum())  # o_01 = o_10
    o00 = float((weights * counts[:, 0] * (counts[:, 0] - 1) / (m - 1)).sum())
    o11 = float((weights * counts[:, 1] * (counts[:, 1] - 1) / (m - 1)).sum())
    n0, n1 = o00 + o01, o11 + o01
    n = n0 + n1
    expected = 2 * n0 * n1 / (n - 1)
    return Figure(1 - 2 * o01 / expected)


def cohen_kappa(table: np.ndarray) -> Figure:
    """κ from a 2×2 table of token counts (coder A's value × coder B's value)."""
    n = float(table.sum())
    if n == 0:
        return Figure(None, "the two coders share no coded token")
    po = float(np.trace(table)) / n
    pa, pb = table[1].sum() / n, table[:, 1].sum() / n
    pe = float(pa * pb + (1 - pa) * (1 - pb))
    if pe == 1.0:
        return Figure(None, "both coders gave every token the same value, so κ is undefined")
    return Figure((po - pe) / (1 - pe))


def fleiss_kappa(ones: Mapping[int, int], n_raters: int) -> Figure:
    """Fleiss' κ over 0/1 tokens rated by all ``n_raters``, given as {raters saying 1: tokens}."""
    total = sum(ones.values())
    if n_raters < 2:
        return Figure(None, "agreement needs at least two coders")
    if total == 0:
        return Figure(None, "no token was coded by all coders (Fleiss' κ needs the same coders on every unit)")
    k = np.array(list(ones), dtype=float)
    w = np.array(list(ones.values()), dtype=float)
    p1 = float((w * k).sum() / (total * n_raters))
    pe = p1**2 + (1 - p1) ** 2
    if pe == 1.0:
        return Figure(None, "every coder gave every token the same value, so κ is undefined")
    p_i = (k**2 + (n_raters - k) ** 2 - n_raters) / (n_raters * (n_raters - 1))
    return Figure((float((w * p_i).sum() / total) - pe) / (1 - pe))


@dataclass
class _LabelTally:
    """Per label, summed over the shared articles: character and token patterns with counts."""

    n_coders: int
    chars: Counter[tuple[int, int]] = field(default_factory=Counter)  # (zeros, ones) -> characters
    pairs: dict[tuple[int, int], np.ndarray] = field(default_factory=dict)  # coder pair -> 2×2 token table
    fleiss: Counter[int] = field(default_factory=Counter)  # ones among all coders -> tokens
    n_units: int = 0
    n_tokens: int = 0


def measure(
    store: Store, label: str | None = None, article_id: int | None = None, limit: int = PACKAGE_UNIT_LIMIT
) -> Agreement:
    coded = coders_by_article(store, article_id)  # article -> coders who tagged anything in it
    annotators = tuple(sorted(set().union(*coded.values()))) if coded else ()
    labels = [lab.id for lab in store.labels.all()] if label is None else [label]
    shared = sorted(a for a, cs in coded.items() if len(cs) >= 2)
    grouped: dict[tuple[int, str, str], list[CodedSpan]] = defaultdict(list)
    for s in coded_spans(store, shared):  # only articles two or more coders worked on are read
        grouped[(s.article_id, s.label, s.annotator)].append(s)
    tallies = {lab: _LabelTally(len(annotators)) for lab in labels}
    for tally in tallies.values():
        tally.pairs = {
            (i, j): np.zeros((2, 2), dtype=np.int64) for i, j in itertools.combinations(range(len(annotators)), 2)
        }
    disagreements: list[dict[str, Any]] = []
    for chunk_start in range(0, len(shared), CHUNK_ARTICLES):
        chunk = shared[chunk_start : chunk_start + CHUNK_ARTICLES]
        _tally_chunk(chunk, article_texts(store, chunk), coded, annotators, labels, grouped, tallies, disagreements)
    by_label = {}
    for lab, t in tallies.items():
        cohen = {f"{annotators[i]}|{annotators[j]}": cohen_kappa(table) for (i, j), table in t.pairs.items()}
        by_label[lab] = LabelAgreement(
            lab,
            binary_alpha(t.chars, limit),
            fleiss_kappa(t.fleiss, len(annotators)),
            cohen,
            t.n_units,
            t.n_tokens,
            len(shared),
            len(annotators),
        )
    calls = latest_calls(store, label, article_id)
    verdict_calls = [c for c in calls if c.verdict is not None]
    verdicts = _scale(verdict_calls, lambda c: c.verdict, VERDICTS, "ordinal", "verdict", disagreements)
    statuses = _scale(calls, lambda c: c.status, ANNOTATION_STATUSES, "nominal", "status", disagreements)
    return Agreement(annotators, by_label, verdicts, statuses, tuple(disagreements))


def _union(starts: np.ndarray, ends: np.ndarray) -> tuple[np.ndarray, np.ndarray]:
    """Intervals as sorted, non-overlapping intervals (starts, ends)."""
    if not len(starts):
        return starts, ends
    order = np.argsort(starts, kind="stable")
    s, e = starts[order], np.maximum.accumulate(ends[order])
    new = np.ones(len(s), dtype=bool)
    new[1:] = s[1:] > e[:-1]
    first = np.flatnonzero(new)
    return s[first], e[np.append(first[1:] - 1, len(s) - 1)]


def _covered(starts: np.ndarray, ends: np.ndarray, lo: np.ndarray, hi: np.ndarray) -> np.ndarray:
    """For each range [lo, hi): does one of the (sorted, disjoint) intervals overlap it?"""
    if not len(starts):
        return np.zeros(len(lo), dtype=bool)
    idx = np.searchsorted(ends, lo, side="right")  # the first interval ending after lo
    ok = idx < len(starts)
    out = np.zeros(len(lo), dtype=bool)
    out[ok] = starts[idx[ok]] < hi[ok]
    return out


CHUNK_ARTICLES = 2000  # articles laid end to end and counted with a few array operations per label


def _tally_chunk(
    chunk: Sequence[int],
    texts: Mapping[int, str],
    coded: Mapping[int, set[str]],
    annotators: tuple[str, ...],
    labels: Sequence[str],
    grouped: Mapping[tuple[int, str, str], list[CodedSpan]],
    tallies: Mapping[str, _LabelTally],
    disagreements: list[dict[str, Any]],
) -> None:
    """Count the character and token patterns of a chunk of articles, per label.

    The articles are laid end to end (one separator character apart, which no coder covers),
    each coder's spans become disjoint intervals on that line, and between consecutive
    interval boundaries every character has the same pattern: so the work follows the spans,
    not the characters. Tokens are tested against the intervals by binary search.
    """
    offsets, pos = {}, 0
    for aid in chunk:
        offsets[aid] = pos
        pos += len(texts[aid]) + 1
    line = "\x00".join(texts[aid] for aid in chunk)
    tok_lo, tok_hi = tokens_of(line)
    art_lo = np.array([offsets[a] for a in chunk], dtype=np.int64)
    art_hi = art_lo + np.array([len(texts[a]) for a in chunk], dtype=np.int64)
    k = len(annotators)
    # where each coder is present: the articles they worked on
    present_iv = []
    for c in annotators:
        mask = np.array([c in coded[a] for a in chunk], dtype=bool)
        present_iv.append((art_lo[mask], art_hi[mask]))
    t_present = (
        np.stack([_covered(lo, hi, tok_lo, tok_hi) for lo, hi in present_iv])
        if k
        else np.zeros((0, len(tok_lo)), dtype=bool)
    )
    all_present = t_present.all(axis=0) if k else np.zeros(len(tok_lo), dtype=bool)
    for lab in labels:
        tally = tallies[lab]
        unions = []
        for c in annotators:
            spans = [x for a in chunk for x in grouped.get((a, lab, c), ())]
            st = np.fromiter((offsets[x.article_id] + x.start for x in spans), dtype=np.int64, count=len(spans))
            en = np.fromiter((offsets[x.article_id] + x.end for x in spans), dtype=np.int64, count=len(spans))
            unions.append(_union(st, en))
        points = np.unique(np.concatenate([art_lo, art_hi, *(u[0] for u in unions), *(u[1] for u in unions)]))
        seg_lo, seg_hi = points[:-1], points[1:]
        present = np.stack([_covered(lo, hi, seg_lo, seg_lo + 1) for lo, hi in present_iv])
        cover = np.stack([_covered(u[0], u[1], seg_lo, seg_lo + 1) for u in unions]) & present
        n_present = present.sum(axis=0)
        ones = cover.sum(axis=0)
        lengths = seg_hi - seg_lo
        keep = n_present >= 2
        key = (n_present[keep] - ones[keep]) * (k + 1) + ones[keep]
        for code, w in enumerate(np.bincount(key, weights=lengths[keep], minlength=(k + 1) ** 2).tolist()):
            if w:
                tally.chars[(code // (k + 1), code % (k + 1))] += int(w)
        tally.n_units += int(lengths[keep].sum())
        tally.n_tokens += int((t_present.sum(axis=0) >= 2).sum())
        tok = np.stack([_covered(u[0], u[1], tok_lo, tok_hi) for u in unions])  # coder × token
        for i, j in itertools.combinations(range(k), 2):
            both = t_present[i] & t_present[j]
            tally.pairs[(i, j)] += np.bincount(tok[i][both].astype(np.int64) * 2 + tok[j][both], minlength=4).reshape(
                2, 2
            )
        if all_present.any():
            for o, w in enumerate(np.bincount(tok[:, all_present].sum(axis=0), minlength=k + 1).tolist()):
                if w:
                    tally.fleiss[o] += w
        split = keep & (ones > 0) & (ones < n_present)
        if split.any():
            disagreements.extend(
                _span_runs(lab, chunk, art_lo, line, annotators, cover, present, split, seg_lo, seg_hi)
            )


def _span_runs(
    label: str,
    chunk: Sequence[int],
    art_lo: np.ndarray,
    line: str,
    annotators: tuple[str, ...],
    cover: np.ndarray,
    present: np.ndarray,
    split: np.ndarray,
    seg_lo: np.ndarray,
    seg_hi: np.ndarray,
) -> list[dict[str, Any]]:
    """Character ranges where the coders of an article do not all agree on ``label``: maximal
    runs of adjacent split segments with the same coders marking them."""
    out: list[dict[str, Any]] = []
    run: tuple[int, int, tuple[bool, ...], tuple[bool, ...]] | None = None

    def emit(lo: int, hi: int, marked: tuple[bool, ...], here: tuple[bool, ...]) -> None:
        a = int(np.searchsorted(art_lo, lo, side="right")) - 1
        base = int(art_lo[a])
        out.append(
            {
                "kind": "span",
                "label": label,
                "article_id": chunk[a],
                "start": lo - base,
                "end": hi - base,
                "text": line[lo:hi],
                "marked_by": [c for c, m in zip(annotators, marked, strict=True) if m],
                "not_marked_by": [c for c, m, p in zip(annotators, marked, here, strict=True) if p and not m],
            }
        )

    for i in np.flatnonzero(split).tolist():
        marked, here = tuple(cover[:, i].tolist()), tuple(present[:, i].tolist())
        lo, hi = int(seg_lo[i]), int(seg_hi[i])
        if run is not None and run[1] == lo and run[2] == marked and run[3] == here:
            run = (run[0], hi, marked, here)
            continue
        if run is not None:
            emit(*run)
        run = (lo, hi, marked, here)
    if run is not None:
        emit(*run)
    return out


def _scale(
    calls: Sequence[ReviewerCall],
    value: Any,
    scale: Sequence[str],
    level: str,
    kind: str,
    disagreements: list[dict[str, Any]],
) -> ScaleAgreement:
    per_item: dict[str, dict[str, str]] = defaultdict(dict)
    for c in calls:
        per_item[c.annotation_id][c.reviewer] = value(c)
    items = {a: v for a, v in per_item.items() if len(v) >= 2}
    reviewers = sorted({r for v in items.values() for r in v})
    if not items:
        return ScaleAgreement(Figure(None, f"no span has a {kind} from two or more reviewers"), 0, 0)
    matrix = np.full((len(reviewers), len(items)), np.nan)
    for j, (annotation_id, values) in enumerate(sorted(items.items())):
        for reviewer, v in values.items():
            matrix[reviewers.index(reviewer), j] = scale.index(v)
        if len(set(values.values())) > 1:
            disagreements.append({"kind": kind, "annotation_id": annotation_id, "values": dict(sorted(values.items()))})
    return ScaleAgreement(alpha(matrix, level), len(items), len(reviewers))
