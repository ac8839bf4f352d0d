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
import re
from collections import defaultdict
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass, field
from typing import Any

import krippendorff
import numpy as np

from ..review import VERDICTS
from ..schema import ANNOTATION_STATUSES
from ..store import Store
from ..store.team import CodedSpan, ReviewerCall, article_texts, coded_spans, latest_calls

TOKEN = re.compile(r"\w+", re.UNICODE)


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


def alpha(matrix: np.ndarray, level: str) -> Figure:
    """α from a reliability matrix (coders × units), or None with the reason."""
    if matrix.size == 0 or matrix.shape[1] == 0:
        return Figure(None, "no unit was coded by two or more coders")
    pairable = (~np.isnan(matrix)).sum(axis=0) >= 2
    if not pairable.any():
        return Figure(None, "no unit was coded by two or more coders")
    values = matrix[~np.isnan(matrix)]
    if np.unique(values).size < 2:
        return Figure(None, "every unit has the same value, so α is undefined (no variation to agree on)")
    return Figure(float(krippendorff.alpha(reliability_data=matrix, level_of_measurement=level)))


def cohen_kappa(a: Sequence[int], b: Sequence[int]) -> Figure:
    n = len(a)
    if n == 0:
        return Figure(None, "the two coders share no coded token")
    x, y = np.asarray(a), np.asarray(b)
    po = float((x == y).mean())
    pe = float(x.mean() * y.mean() + (1 - x.mean()) * (1 - y.mean()))
    if pe == 1.0:
        return Figure(None, "both coders gave every token the same value, so κ is undefined")
    return Figure((po - pe) / (1 - pe))


def fleiss_kappa(ratings: np.ndarray) -> Figure:
    """``ratings``: tokens × coders of 0/1, every token rated by every coder."""
    if ratings.shape[0] == 0 or ratings.shape[1] < 2:
        return Figure(None, "no token was coded by all coders (Fleiss' κ needs the same coders on every unit)")
    n = ratings.shape[1]
    ones = ratings.sum(axis=1)
    counts = np.stack([n - ones, ones], axis=1).astype(float)
    p = counts.sum(axis=0) / counts.sum()
    pe = float((p**2).sum())
    if pe == 1.0:
        return Figure(None, "every coder gave every token the same value, so κ is undefined")
    p_i = ((counts**2).sum(axis=1) - n) / (n * (n - 1))
    return Figure((float(p_i.mean()) - pe) / (1 - pe))


def measure(store: Store, label: str | None = None, article_id: int | None = None) -> Agreement:
    spans = coded_spans(store, article_id)
    annotators = tuple(sorted({s.annotator for s in spans}))
    labels = [lab["id"] for lab in store.labels()] if label is None else [label]
    coded: dict[int, set[str]] = defaultdict(set)  # article -> coders who tagged anything in it
    for s in spans:
        coded[s.article_id].add(s.annotator)
    shared = {a: cs for a, cs in coded.items() if len(cs) >= 2}
    texts = article_texts(store, shared)
    disagreements: list[dict[str, Any]] = []
    by_label = {lab: _label_agreement(lab, [s for s in spans if s.label == lab], shared, texts, annotators,
                                      disagreements) for lab in labels}
    calls = latest_calls(store, label, article_id)
    verdict_calls = [c for c in calls if c.verdict is not None]
    verdicts = _scale(verdict_calls, lambda c: c.verdict, VERDICTS, "ordinal", "verdict", disagreements)
    statuses = _scale(calls, lambda c: c.status, ANNOTATION_STATUSES, "nominal", "status", disagreements)
    return Agreement(annotators, by_label, verdicts, statuses, tuple(disagreements))


def _marks(spans: Iterable[CodedSpan], length: int) -> np.ndarray:
    row = np.zeros(length, dtype=np.int8)
    for s in spans:
        row[s.start : s.end] = 1
    return row


def _label_agreement(label: str, spans: list[CodedSpan], shared: Mapping[int, set[str]], texts: Mapping[int, str],
                     annotators: tuple[str, ...], disagreements: list[dict[str, Any]]) -> LabelAgreement:
    index = {a: i for i, a in enumerate(annotators)}
    grouped: dict[tuple[int, str], list[CodedSpan]] = defaultdict(list)
    for s in spans:
        grouped[(s.article_id, s.annotator)].append(s)
    blocks: list[np.ndarray] = []
    token_rows: dict[str, list[np.ndarray]] = {a: [] for a in annotators}  # per coder, NaN where not coded
    for article_id in sorted(shared):
        text = texts[article_id]
        coders = sorted(shared[article_id])
        block = np.full((len(annotators), len(text)), np.nan)
        marks = {}
        for coder in coders:
            marks[coder] = _marks(grouped.get((article_id, coder), ()), len(text))
            block[index[coder]] = marks[coder]
        blocks.append(block)
        bounds = [(m.start(), m.end()) for m in TOKEN.finditer(text)]
        for coder in annotators:
            if coder in marks:
                m = marks[coder]
                token_rows[coder].append(np.array([m[s:e].max() if e > s else 0 for s, e in bounds], dtype=float))
            else:
                token_rows[coder].append(np.full(len(bounds), np.nan))
        disagreements.extend(_span_runs(label, article_id, text, coders, marks))
    matrix = np.concatenate(blocks, axis=1) if blocks else np.empty((len(annotators), 0))
    tokens = np.stack([np.concatenate(token_rows[a]) for a in annotators]) if blocks and annotators else \
        np.empty((len(annotators), 0))
    cohen: dict[str, Figure] = {}
    for a, b in itertools.combinations(annotators, 2):
        both = ~np.isnan(tokens[index[a]]) & ~np.isnan(tokens[index[b]])
        cohen[f"{a}|{b}"] = cohen_kappa(tokens[index[a]][both].astype(int), tokens[index[b]][both].astype(int))
    every = ~np.isnan(tokens).any(axis=0) if tokens.size else np.zeros(0, dtype=bool)
    fleiss = fleiss_kappa(tokens[:, every].T.astype(int)) if len(annotators) >= 2 else \
        Figure(None, "agreement needs at least two coders")
    n_units = int(((~np.isnan(matrix)).sum(axis=0) >= 2).sum()) if matrix.size else 0
    return LabelAgreement(label, alpha(matrix, "nominal"), fleiss, cohen, n_units,
                          int(tokens.shape[1]) if tokens.size else 0, len(shared), len(annotators))


def _span_runs(label: str, article_id: int, text: str, coders: Sequence[str],
               marks: Mapping[str, np.ndarray]) -> list[dict[str, Any]]:
    """Character ranges where the coders of an article do not all agree on ``label``."""
    stack = np.stack([marks[c] for c in coders])
    ones = stack.sum(axis=0)
    split = (ones > 0) & (ones < len(coders))
    out: list[dict[str, Any]] = []
    i, n = 0, len(text)
    while i < n:
        if not split[i]:
            i += 1
            continue
        j = i
        while j < n and split[j] and (stack[:, j] == stack[:, i]).all():
            j += 1
        out.append({"kind": "span", "label": label, "article_id": article_id, "start": i, "end": j,
                    "text": text[i:j], "marked_by": [c for k, c in enumerate(coders) if stack[k, i]],
                    "not_marked_by": [c for k, c in enumerate(coders) if not stack[k, i]]})
        i = j
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
