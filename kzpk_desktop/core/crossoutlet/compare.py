"""Two or more articles side by side: sentences aligned with ``rapidfuzz``, and the figures,
dates and names that differ between aligned sentences (a trade figure of $239 million in one
report and another figure in the next), each with its offsets so a view can tag it."""

from __future__ import annotations

import re
from collections.abc import Callable
from dataclasses import dataclass

from rapidfuzz import fuzz, process

from ..store.crossoutlet import ArticleRow
from .features import names, numbers
from .stories import find_stories
from .timeline import DATE_MENTION, resolve

_SENTENCE = re.compile(r"[^.!?\n]+(?:[.!?]+[”\"’']?|$)", re.MULTILINE)


@dataclass(frozen=True)
class Sentence:
    article_id: int
    start: int
    end: int
    text: str


@dataclass(frozen=True)
class Mention:
    article_id: int
    start: int
    end: int
    text: str


@dataclass(frozen=True)
class Difference:
    kind: str  # number, date or name
    mentions: tuple[Mention, ...]  # what each side says; offsets index the article text

    def describe(self) -> str:
        return f"{self.kind}: " + " vs ".join(f"{m.text!r} (article {m.article_id})" for m in self.mentions)


@dataclass(frozen=True)
class AlignedRow:
    sentences: tuple[Sentence | None, ...]  # one per article, in the order asked
    score: float  # 0–100, the weakest alignment in the row
    differences: tuple[Difference, ...]


@dataclass(frozen=True)
class Comparison:
    article_ids: tuple[int, ...]
    rows: tuple[AlignedRow, ...]

    @property
    def differences(self) -> tuple[Difference, ...]:
        return tuple(d for r in self.rows for d in r.differences)


def sentences(article_id: int, text: str) -> list[Sentence]:
    out = []
    for m in _SENTENCE.finditer(text):
        raw = m.group(0)
        lead = len(raw) - len(raw.lstrip())
        body = raw.strip()
        if len(body.split()) >= 4:
            start = m.start() + lead
            out.append(Sentence(article_id, start, start + len(body), body))
    return out


def _mentions(kind: str, s: Sentence, base: str | None = None) -> dict[str, Mention]:
    """Normalised value -> where it is, for the figures/dates/names of one sentence."""
    if kind == "number":
        found = [(a, b, n) for a, b, n in numbers(s.text)]
    elif kind == "date":
        # "on Tuesday" and "today" in articles dated that Tuesday are the same day
        found = [
            (m.start(), m.end(), resolve(m.group(0), base) or m.group(0).lower()) for m in DATE_MENTION.finditer(s.text)
        ]
    else:
        found = [(a, b, n.lower()) for a, b, n in names(s.text) if len(n) > 2]
    return {norm: Mention(s.article_id, s.start + a, s.start + b, s.text[a:b]) for a, b, norm in found}


def _differences(
    row: tuple[Sentence | None, ...], texts: dict[int, str], dates: dict[int, str | None]
) -> tuple[Difference, ...]:
    present = [s for s in row if s is not None]
    out: list[Difference] = []
    for kind in ("number", "date", "name"):
        per = [_mentions(kind, s, dates[s.article_id]) for s in present]
        if sum(1 for p in per if p) < 2:
            continue  # a figure only one side gives is not a disagreement about it
        if kind == "name":  # a name the other articles never mention: the reports disagree on who/where
            lowered = [texts[s.article_id].lower() for s in present]
            odd = [
                m
                for i, p in enumerate(per)
                for k, m in p.items()
                if not any(k in lowered[j] for j in range(len(present)) if j != i)
            ]
            if odd and all(p for p in per):
                out.append(Difference(kind, tuple(odd)))
            continue
        values = [frozenset(p) for p in per if p]
        if len(set(values)) > 1:
            out.append(Difference(kind, tuple(m for p in per for k, m in p.items() if not all(k in v for v in values))))
    return tuple(out)


def compare(articles: list[ArticleRow], min_score: float = 60.0) -> Comparison:
    """Align every sentence of the first article with its best match in each of the others."""
    if len(articles) < 2:
        raise ValueError("Compare needs at least two articles.")
    if len({a.id for a in articles}) != len(articles):
        raise ValueError("Name each article once to compare them.")
    pivot, others = articles[0], articles[1:]
    texts = {a.id: a.text for a in articles}
    dates = {a.id: a.date for a in articles}
    other_sents = [sentences(a.id, a.text) for a in others]
    rows: list[AlignedRow] = []
    for s in sentences(pivot.id, pivot.text):
        row: list[Sentence | None] = [s]
        worst = 100.0
        for cands in other_sents:
            best = (
                process.extractOne(
                    s.text,
                    [c.text for c in cands],
                    scorer=fuzz.token_set_ratio,
                    processor=str.lower,
                    score_cutoff=min_score,
                )
                if cands
                else None
            )
            row.append(cands[best[2]] if best else None)
            worst = min(worst, best[1] if best else 0.0)
        if any(x is not None for x in row[1:]):
            rows.append(AlignedRow(tuple(row), round(worst, 1), _differences(tuple(row), texts, dates)))
        else:
            rows.append(AlignedRow(tuple(row), 0.0, ()))
    return Comparison(tuple(a.id for a in articles), tuple(rows))


def story_mates(article_id: int, nearby: list[ArticleRow], text_of: Callable[[int], str]) -> tuple[int, ...]:
    """The other articles of ``article_id``'s story among ``nearby`` (those dated close to it):
    what the compare picker proposes. Stories are found over these few articles only, so it
    is quick on any corpus; the idf of names is then that of the window, which is enough to
    propose (the researcher confirms the choice)."""
    ordered = sorted(nearby, key=lambda a: (bool(a.date and len(a.date) >= 10), a.date or "", a.id))
    for story in find_stories(lambda: iter(ordered), text_of, describe=False):
        if article_id in story.article_ids:
            return tuple(i for i in story.article_ids if i != article_id)
    return ()
