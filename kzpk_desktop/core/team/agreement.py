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
from typing import Any, Literal

import krippendorff
import numpy as np

from ..jsonvalue import JSONObject, JSONValue
from ..review import VERDICTS
from ..schema import ANNOTATION_STATUSES
from ..store import Store
from ..store.team_layers import ReviewerCall, SpanColumns, article_texts, coders, latest_calls, span_columns
from .disagreements import Disagreements, Part, ScaleDisagreement, SpanRuns


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
    disagreements: Disagreements = field(default_factory=Disagreements)

    def as_json(self) -> JSONObject:
        """The report for ``kzpk team agreement --json`` and the published dataset."""

        def num(f: Figure) -> float | None:
            return None if f.value is None else round(f.value, 6)

        def reasons(**figures: Figure) -> JSONObject:
            return {k: f.reason for k, f in figures.items() if f.reason}

        spans: JSONObject = {}
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
            "disagreements": list[JSONValue](self.disagreements.as_json()),
        }


# Up to this many units the krippendorff package gets the (compressed) matrix row by row;
# above it the same coincidence sums are formed from the distinct patterns and their counts
# (the tests check both paths against the package on the full matrix).
PACKAGE_UNIT_LIMIT = 2_000_000
_WORD: np.ndarray | None = None
# ASCII word characters (``[A-Za-z0-9_]``) to 1, every other byte to 0: ``bytes.translate`` runs
# at memory speed, so ASCII text (most articles) skips the code-point table.
_ASCII_WORD = bytes(1 if chr(b).isalnum() or b == 95 else 0 for b in range(128)) + bytes(128)


def _word_table() -> np.ndarray:
    """Which code points of the Basic Multilingual Plane are word characters (``\\w``:
    ``str.isalnum()`` or ``_``); built once, in ~10 ms (all of Unicode took ~0.3 s per process)."""
    global _WORD
    if _WORD is None:
        _WORD = np.fromiter((chr(c).isalnum() or c == 95 for c in range(0x10000)), dtype=bool, count=0x10000)
    return _WORD


def _word_mask(text: str) -> np.ndarray:
    """One bool per code point: is it a word character."""
    if text.isascii():
        return np.frombuffer(text.encode("ascii").translate(_ASCII_WORD), dtype=bool)
    points = np.frombuffer(text.encode("utf-32-le"), dtype=np.uint32)
    astral = points > 0xFFFF
    if not astral.any():
        return _word_table()[points]
    mask = _word_table()[np.where(astral, 0, points)]
    where = np.flatnonzero(astral)
    mask[where] = [chr(c).isalnum() for c in points[where].tolist()]  # emoji and rarer scripts, one by one
    return mask


def _line_mask(texts: Sequence[str]) -> np.ndarray:
    """The word mask of the texts laid end to end one separator apart (the separator is no word
    character), built article by article so each ASCII article takes the fast path."""
    total = sum(len(t) for t in texts) + max(len(texts) - 1, 0)
    out = np.zeros(total, dtype=bool)
    pos = 0
    for t in texts:
        if t:
            out[pos : pos + len(t)] = _word_mask(t)
        pos += len(t) + 1
    return out


def _runs(word: np.ndarray) -> tuple[np.ndarray, np.ndarray]:
    if not len(word):
        return np.empty(0, dtype=np.int64), np.empty(0, dtype=np.int64)
    edges = np.flatnonzero(word[1:] != word[:-1]) + 1
    if word[0]:
        edges = np.concatenate(([0], edges))
    if word[-1]:
        edges = np.append(edges, len(word))
    return edges[0::2], edges[1::2]


def tokens_of(text: str) -> tuple[np.ndarray, np.ndarray]:
    """Starts and ends of the maximal runs of word characters (the same tokens as ``re.finditer(r"\\w+")``)."""
    return _runs(_word_mask(text)) if text else _runs(np.zeros(0, dtype=bool))


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
    annotators = coders(store, article_id)
    labels = [lab.id for lab in store.labels.all()] if label is None else [label]
    cols = span_columns(store, annotators, labels, article_id)
    # which coder tagged anything (any label) in which article; shared: two or more coders
    pairs = np.unique(cols.article_id * max(len(annotators), 1) + cols.coder)
    pair_article, pair_coder = pairs // max(len(annotators), 1), pairs % max(len(annotators), 1)
    articles, n_coders = np.unique(pair_article, return_counts=True)
    shared = articles[n_coders >= 2]
    at = np.searchsorted(shared, pair_article)
    ok = at < len(shared)
    ok[ok] = shared[at[ok]] == pair_article[ok]
    coder_in = np.zeros((len(annotators), len(shared)), dtype=bool)  # coder × shared article: worked on it
    coder_in[pair_coder[ok], at[ok]] = True
    asked = cols.label < len(labels)
    spans = _by_chunk(
        SpanColumns(cols.article_id[asked], cols.coder[asked], cols.label[asked], cols.start[asked], cols.end[asked]),
        shared,
    )
    tallies = {lab: _LabelTally(len(annotators)) for lab in labels}
    for tally in tallies.values():
        tally.pairs = {
            (i, j): np.zeros((2, 2), dtype=np.int64) for i, j in itertools.combinations(range(len(annotators)), 2)
        }
    disagreements: list[Part] = []
    for n, chunk_start in enumerate(range(0, len(shared), CHUNK_ARTICLES)):
        end = chunk_start + CHUNK_ARTICLES
        chunk = shared[chunk_start:end].tolist()
        _tally_chunk(
            chunk,
            article_texts(store, chunk),
            coder_in[:, chunk_start:end],
            annotators,
            labels,
            spans.get(n, {}),
            tallies,
            disagreements,
        )
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
    return Agreement(annotators, by_label, verdicts, statuses, Disagreements(disagreements))


# chunk -> (label, coder) -> (article position in the chunk, start, end)
_Chunked = dict[int, dict[tuple[int, int], tuple[np.ndarray, np.ndarray, np.ndarray]]]


def _by_chunk(cols: SpanColumns, shared: np.ndarray) -> _Chunked:
    """The spans of shared articles, grouped by chunk, label and coder with one sort."""
    pos = np.searchsorted(shared, cols.article_id)
    ok = pos < len(shared)
    ok[ok] = shared[pos[ok]] == cols.article_id[ok]
    pos, coder, label, start, end = pos[ok], cols.coder[ok], cols.label[ok], cols.start[ok], cols.end[ok]
    chunk = pos // CHUNK_ARTICLES
    group = (chunk * (int(label.max(initial=0)) + 1) + label) * (int(coder.max(initial=0)) + 1) + coder
    order = np.lexsort((start, pos, group))  # by group, and within it by line offset
    pos, coder, label, start, end, chunk = (x[order] for x in (pos, coder, label, start, end, chunk))
    out: _Chunked = {}
    if not len(order):
        return out
    key = np.stack([chunk, label, coder])
    cut = np.flatnonzero((key[:, 1:] != key[:, :-1]).any(axis=0)) + 1
    for lo, hi in zip(np.concatenate(([0], cut)).tolist(), np.append(cut, len(order)).tolist(), strict=True):
        out.setdefault(int(chunk[lo]), {})[(int(label[lo]), int(coder[lo]))] = (
            pos[lo:hi] - int(chunk[lo]) * CHUNK_ARTICLES,
            start[lo:hi],
            end[lo:hi],
        )
    return out


def _union(starts: np.ndarray, ends: np.ndarray) -> tuple[np.ndarray, np.ndarray]:
    """Intervals as sorted, non-overlapping intervals (starts, ends)."""
    if not len(starts):
        return starts, ends
    if (starts[1:] >= starts[:-1]).all():  # the usual case: spans arrive sorted
        s, e = starts, np.maximum.accumulate(ends)
    else:
        order = np.argsort(starts, kind="stable")
        s, e = starts[order], np.maximum.accumulate(ends[order])
    new = np.ones(len(s), dtype=bool)
    new[1:] = s[1:] > e[:-1]
    first = np.flatnonzero(new)
    return s[first], e[np.append(first[1:] - 1, len(s) - 1)]


def _covers_point(starts: np.ndarray, ends: np.ndarray, points: np.ndarray) -> np.ndarray:
    """For each point: does one of the (sorted, disjoint) intervals contain it?"""
    out = np.zeros(len(points), dtype=bool)
    if not len(starts):
        return out
    idx = np.searchsorted(ends, points, side="right")  # the first interval ending after the point
    ok = idx < len(starts)
    out[ok] = starts[idx[ok]] <= points[ok]
    return out


def _segments(
    art_lo: np.ndarray,
    art_hi: np.ndarray,
    coder_in: np.ndarray,
    cover_iv: Sequence[tuple[np.ndarray, np.ndarray]],
) -> tuple[np.ndarray, np.ndarray, np.ndarray, np.ndarray]:
    """Cut a line at every boundary: between two consecutive cuts every position has the same
    coders present and the same coders covering. ``coder_in`` is coder × article (worked on
    it). Returns (segment starts, lengths, present coder × segment, covering coder × segment)."""
    points = np.concatenate([art_lo, art_hi, *(u[0] for u in cover_iv), *(u[1] for u in cover_iv)])
    points.sort()
    points = points[np.concatenate(([True], points[1:] != points[:-1]))]
    seg_lo = points[:-1]
    art = np.maximum(np.searchsorted(art_lo, seg_lo, side="right") - 1, 0)  # the article a segment starts in
    inside = (art_lo[art] <= seg_lo) & (seg_lo < art_hi[art])
    present = coder_in[:, art] & inside
    cover = np.stack([_covers_point(u[0], u[1], seg_lo) for u in cover_iv]) & present
    return seg_lo, np.diff(points), present, cover


CHUNK_ARTICLES = 2000  # articles laid end to end and counted with a few array operations per label


def _tally_chunk(
    chunk: Sequence[int],
    texts: Mapping[int, str],
    coder_in: np.ndarray,
    annotators: tuple[str, ...],
    labels: Sequence[str],
    spans: Mapping[tuple[int, int], tuple[np.ndarray, np.ndarray, np.ndarray]],
    tallies: Mapping[str, _LabelTally],
    disagreements: list[Part],
) -> None:
    """Count the character and token patterns of a chunk of articles, per label.

    The articles are laid end to end (one separator character apart, which no coder covers),
    each coder's spans become disjoint intervals on that line, and between consecutive
    interval boundaries every character has the same pattern: so the work follows the spans,
    not the characters. Tokens the same way, on the line of token numbers: a span covers the
    run of tokens it overlaps (two binary searches), an article the run of its tokens.
    """
    ordered = [texts[aid] for aid in chunk]
    lengths = np.fromiter((len(t) for t in ordered), dtype=np.int64, count=len(ordered))
    art_lo = np.concatenate(([0], np.cumsum(lengths + 1)[:-1])).astype(np.int64)
    art_hi = art_lo + lengths
    line = "\x00".join(ordered)
    tok_lo, tok_hi = _runs(_line_mask(ordered))
    art_tlo = np.searchsorted(tok_lo, art_lo)  # token numbers of each article: [art_tlo, art_thi)
    art_thi = np.searchsorted(tok_lo, art_hi)
    k = len(annotators)
    if k == 0:
        return
    empty = np.empty(0, dtype=np.int64)
    for li, lab in enumerate(labels):
        tally = tallies[lab]
        unions, tok_iv = [], []
        for ci in range(k):
            pos, st, en = spans.get((li, ci), (empty, empty, empty))
            u = _union(art_lo[pos] + st, art_lo[pos] + en)
            unions.append(u)
            ts = np.searchsorted(tok_hi, u[0], side="right")  # the first token ending after the start
            te = np.searchsorted(tok_lo, u[1], side="left")  # past the last token starting before the end
            keep = ts < te
            tok_iv.append(_union(ts[keep], te[keep]))
        # characters: Krippendorff's α over units
        seg_lo, seg_len, present, cover = _segments(art_lo, art_hi, coder_in, unions)
        n_present = present.sum(axis=0)
        ones = cover.sum(axis=0)
        keep = n_present >= 2
        key = (n_present[keep] - ones[keep]) * (k + 1) + ones[keep]
        for code, w in enumerate(np.bincount(key, weights=seg_len[keep], minlength=(k + 1) ** 2).tolist()):
            if w:
                tally.chars[(code // (k + 1), code % (k + 1))] += int(w)
        tally.n_units += int(seg_len[keep].sum())
        # tokens: Cohen's κ per pair, Fleiss' κ where every coder is present
        _t_lo, t_len, t_present, t_cover = _segments(art_tlo, art_thi, coder_in, tok_iv)
        tally.n_tokens += int(t_len[t_present.sum(axis=0) >= 2].sum())
        for i, j in itertools.combinations(range(k), 2):
            both = t_present[i] & t_present[j]
            cell = t_cover[i][both].astype(np.int64) * 2 + t_cover[j][both]
            tally.pairs[(i, j)] += np.bincount(cell, weights=t_len[both], minlength=4).astype(np.int64).reshape(2, 2)
        all_present = t_present.all(axis=0)
        if all_present.any():
            counts = np.bincount(t_cover[:, all_present].sum(axis=0), weights=t_len[all_present], minlength=k + 1)
            for o, w in enumerate(counts.tolist()):
                if w:
                    tally.fleiss[o] += int(w)
        split = keep & (ones > 0) & (ones < n_present)
        if split.any():
            disagreements.append(
                _span_runs(lab, chunk, art_lo, line, annotators, cover, present, split, seg_lo, seg_lo + seg_len)
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
) -> SpanRuns:
    """Character ranges where the coders of an article do not all agree on ``label``: maximal
    runs of adjacent split segments with the same coders marking them (and present)."""
    idx = np.flatnonzero(split)
    k = len(annotators)
    rows = np.concatenate([cover[:, idx], present[:, idx]]).T  # one (marked, present) pattern per segment
    if 2 * k <= 62:  # a pattern as one integer: sorting integers is far cheaper than sorting rows
        codes, pattern = np.unique(
            (rows.astype(np.int64) << np.arange(2 * k, dtype=np.int64)).sum(axis=1), return_inverse=True
        )
        patterns = ((codes[:, None] >> np.arange(2 * k, dtype=np.int64)) & 1).astype(bool)
    else:
        patterns, pattern = np.unique(rows, axis=0, return_inverse=True)
    pattern = pattern.reshape(-1)
    joins = np.zeros(len(idx), dtype=bool)
    joins[1:] = (seg_lo[idx[1:]] == seg_hi[idx[:-1]]) & (pattern[1:] == pattern[:-1])
    first = np.flatnonzero(~joins)
    last = np.append(first[1:] - 1, len(idx) - 1)
    lo, hi = seg_lo[idx[first]], seg_hi[idx[last]]
    article = np.searchsorted(art_lo, lo, side="right") - 1
    base = art_lo[article]
    names = tuple(
        (
            tuple(c for c, m in zip(annotators, row[:k].tolist(), strict=True) if m),
            tuple(c for c, m, p in zip(annotators, row[:k].tolist(), row[k:].tolist(), strict=True) if p and not m),
        )
        for row in patterns
    )
    return SpanRuns(
        label,
        np.asarray(chunk, dtype=np.int64)[article],
        lo - base,
        hi - base,
        [line[s:e] for s, e in zip(lo.tolist(), hi.tolist(), strict=True)],
        pattern[first],
        names,
    )


def _scale(
    calls: Sequence[ReviewerCall],
    value: Any,
    scale: Sequence[str],
    level: str,
    kind: Literal["verdict", "status"],
    disagreements: list[Part],
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
            disagreements.append(ScaleDisagreement(kind, annotation_id, tuple(sorted(values.items()))))
    return ScaleAgreement(alpha(matrix, level), len(items), len(reviewers))
