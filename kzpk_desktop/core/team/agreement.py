"""Inter-annotator agreement: spans, verdicts and review statuses (docs/agreement.md).

* Spans, per label: Krippendorff's α over characters (every character of an article that two
  or more coders worked on is a unit; a coder's value is 1 if one of their spans of that
  label covers it, else 0; coders who did not work on the article are missing), and Cohen's
  κ (each pair) and Fleiss' κ (all coders) over word tokens, 1 if a span of the label
  overlaps the token.
* Verdicts: α ordinal on the 7-point scale, over claims with at least two reviewers.
* Statuses: α nominal over spans with at least two reviewers.

α always comes from the ``krippendorff`` package, given a reliability matrix
(coders × units, ``nan`` for missing). Every figure carries its n and, where it cannot be
computed, ``None`` with the reason.
"""

from __future__ import annotations

import itertools
from collections import Counter, defaultdict
from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field
from typing import Any

import krippendorff
import numpy as np

from ..review import VERDICTS
from ..schema import ANNOTATION_STATUSES
from ..store import Store
from ..store.team import CodedSpan, ReviewerCall, article_texts, coded_spans, latest_calls


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
            spans[label] = {"alpha_u": num(la.alpha_u), "fleiss_kappa": num(la.fleiss_kappa),
                            "cohen_kappa": {pair: num(f) for pair, f in la.cohen_kappa.items()},
                            "n_units": la.n_units, "n_tokens": la.n_tokens, "n_articles": la.n_articles,
                            "n_coders": la.n_coders,
                            "reasons": reasons(alpha_u=la.alpha_u, fleiss_kappa=la.fleiss_kappa,
                                               **{f"cohen_kappa {p}": f for p, f in la.cohen_kappa.items()})}
        return {
            "annotators": list(self.annotators),
            "spans": spans,
            "verdicts": {"alpha_ordinal": num(self.verdicts.alpha), "n_claims": self.verdicts.n_items,
                         "n_reviewers": self.verdicts.n_reviewers,
                         "reasons": reasons(alpha_ordinal=self.verdicts.alpha)},
            "statuses": {"alpha_nominal": num(self.statuses.alpha), "n_items": self.statuses.n_items,
                         "n_reviewers": self.statuses.n_reviewers,
                         "reasons": reasons(alpha_nominal=self.statuses.alpha)},
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
    cps = np.frombuffer(text.encode("utf-32-le"), dtype=np.uint32)
    word = _word_table()[cps].astype(np.int8)
    edges = np.diff(np.concatenate(([0], word, [0])))
    return np.flatnonzero(edges == 1), np.flatnonzero(edges == -1)


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
    return Figure(float(krippendorff.alpha(reliability_data=matrix, level_of_measurement=level)))


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


def measure(store: Store, label: str | None = None, article_id: int | None = None,
            limit: int = PACKAGE_UNIT_LIMIT) -> Agreement:
    spans = coded_spans(store, article_id)
    annotators = tuple(sorted({s.annotator for s in spans}))
    labels = [lab["id"] for lab in store.labels()] if label is None else [label]
    coded: dict[int, set[str]] = defaultdict(set)  # article -> coders who tagged anything in it
    grouped: dict[tuple[int, str, str], list[CodedSpan]] = defaultdict(list)
    for s in spans:
        coded[s.article_id].add(s.annotator)
        grouped[(s.article_id, s.label, s.annotator)].append(s)
    shared = sorted(a for a, cs in coded.items() if len(cs) >= 2)
    index = {a: i for i, a in enumerate(annotators)}
    tallies = {lab: _LabelTally(len(annotators)) for lab in labels}
    for tally in tallies.values():
        tally.pairs = {(i, j): np.zeros((2, 2), dtype=np.int64)
                       for i, j in itertools.combinations(range(len(annotators)), 2)}
    disagreements: list[dict[str, Any]] = []
    for chunk_start in range(0, len(shared), 200):
        chunk = shared[chunk_start : chunk_start + 200]
        texts = article_texts(store, chunk)
        for aid in chunk:
            _tally_article(aid, texts[aid], sorted(coded[aid]), index, labels, grouped, tallies, disagreements)
    by_label = {}
    for lab, t in tallies.items():
        cohen = {f"{annotators[i]}|{annotators[j]}": cohen_kappa(table) for (i, j), table in t.pairs.items()}
        by_label[lab] = LabelAgreement(lab, binary_alpha(t.chars, limit), fleiss_kappa(t.fleiss, len(annotators)),
                                       cohen, t.n_units, t.n_tokens, len(shared), len(annotators))
    calls = latest_calls(store, label, article_id)
    verdict_calls = [c for c in calls if c.verdict is not None]
    verdicts = _scale(verdict_calls, lambda c: c.verdict, VERDICTS, "ordinal", "verdict", disagreements)
    statuses = _scale(calls, lambda c: c.status, ANNOTATION_STATUSES, "nominal", "status", disagreements)
    return Agreement(annotators, by_label, verdicts, statuses, tuple(disagreements))


def _tally_article(article_id: int, text: str, coders: Sequence[str], index: Mapping[str, int],
                   labels: Sequence[str], grouped: Mapping[tuple[int, str, str], list[CodedSpan]],
                   tallies: Mapping[str, _LabelTally], disagreements: list[dict[str, Any]]) -> None:
    starts, ends = tokens_of(text)
    all_coders = len(coders) == len(index)
    for lab in labels:
        tally = tallies[lab]
        marks = np.zeros((len(coders), len(text)), dtype=np.int8)
        for k, coder in enumerate(coders):
            for s in grouped.get((article_id, lab, coder), ()):
                marks[k, s.start : s.end] = 1
        ones = marks.sum(axis=0, dtype=np.int64)
        for o, w in zip(*np.unique(ones, return_counts=True), strict=True):
            tally.chars[(len(coders) - int(o), int(o))] += int(w)
        tally.n_units += len(text)
        cum = np.concatenate((np.zeros((len(coders), 1), dtype=np.int64), marks.cumsum(axis=1)), axis=1)
        tok = (cum[:, ends] - cum[:, starts]) > 0  # coder × token: a span of the label overlaps it
        tally.n_tokens += len(starts)
        for a, b in itertools.combinations(range(len(coders)), 2):
            i, j = index[coders[a]], index[coders[b]]
            ta, tb = (tok[a], tok[b]) if i < j else (tok[b], tok[a])
            table = tally.pairs[(min(i, j), max(i, j))]
            table += np.bincount(ta.astype(np.int64) * 2 + tb, minlength=4).reshape(2, 2)
        if all_coders and len(starts):
            for o, w in zip(*np.unique(tok.sum(axis=0), return_counts=True), strict=True):
                tally.fleiss[int(o)] += int(w)
        disagreements.extend(_span_runs(lab, article_id, text, coders, marks, ones))


def _span_runs(label: str, article_id: int, text: str, coders: Sequence[str], marks: np.ndarray,
               ones: np.ndarray) -> list[dict[str, Any]]:
    """Character ranges where the coders of an article do not all agree on ``label``."""
    split = (ones > 0) & (ones < len(coders))
    if not split.any():
        return []
    code = np.zeros(len(text), dtype=np.int64)
    for k in range(len(coders)):
        code |= marks[k].astype(np.int64) << k
    change = np.ones(len(text), dtype=bool)
    change[1:] = (code[1:] != code[:-1]) | (split[1:] != split[:-1])
    run_starts = np.flatnonzero(change)
    run_ends = np.append(run_starts[1:], len(text))
    out: list[dict[str, Any]] = []
    for i, j in zip(run_starts.tolist(), run_ends.tolist(), strict=True):
        if split[i]:
            out.append({"kind": "span", "label": label, "article_id": article_id, "start": i, "end": j,
                        "text": text[i:j], "marked_by": [c for k, c in enumerate(coders) if marks[k, i]],
                        "not_marked_by": [c for k, c in enumerate(coders) if not marks[k, i]]})
    return out


def _scale(calls: Sequence[ReviewerCall], value: Any, scale: Sequence[str], level: str, kind: str,
           disagreements: list[dict[str, Any]]) -> ScaleAgreement:
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
