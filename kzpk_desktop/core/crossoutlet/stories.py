"""Stories: articles that report the same event, and which of them are copies of one text.

Two signals, because they find different things:

- near-copies (reprints, wire copy) share most of their word 3-shingles: MinHash LSH
  (``datasketch``) finds them without comparing every pair;
- independent reports of one event share few words (the seed reports of the 9 September 2025
  talks share 2–6 % of their shingles) but share rare names, places, figures and linked
  entities within a few days: an inverted index over those keys gives the candidates, scored
  by the idf-weighted overlap of keys and the ``rapidfuzz`` similarity of headline and lead.

Pairs scoring at least the threshold are joined (union-find) into stories. Inside a story,
copied text (long verbatim or near-verbatim passages, or the same credited wire agency) joins
articles into one source: "4 outlets, 2 independent".
"""

from __future__ import annotations

import math
import re
import sys
from array import array
from collections import Counter, defaultdict
from collections.abc import Callable, Iterable
from dataclasses import dataclass
from itertools import combinations

import numpy as np
from datasketch import LeanMinHash, MinHash, MinHashLSH
from rapidfuzz import fuzz

from ..store.crossoutlet import ArticleRow
from .features import hash32, iso_day, keys, names, shingles, words

AGENCY = re.compile(
    r"\((APP|AFP|AP|Reuters|Xinhua|Kazinform|Anadolu|PTI|IANS|TASS|dpa|Sputnik|NNI|INP|Trend)\)"
    r"|[-—–]\s*(APP|AFP|Reuters|Xinhua|Kazinform|Anadolu|TASS)\s*$"
    r"|\b(Associated Press of Pakistan|Agence France-Presse|Associated Press|Reuters|Xinhua|Kazinform)\s+reported\b",
    re.MULTILINE,
)


@dataclass(frozen=True)
class StoryOptions:
    threshold: float = 0.3  # pair score needed to join two articles into one story
    window_days: int = 3  # reports of one event are dated within this many days of each other
    copy_jaccard: float = 0.5  # estimated shingle Jaccard at which two texts are copies
    passage_words: int = 8  # a verbatim run this long counts as a shared passage
    copy_share: float = 0.3  # ... and copied when shared passages cover this share of the shorter text
    num_perm: int = 64
    max_postings: int = 200  # a key in more articles than this within one window is too common to pair on
    min_shared_keys: int = 3  # one shared person (first and last name) is not yet one event


@dataclass(frozen=True)
class SharedPassage:
    article_ids: tuple[int, int]
    text: str
    words: int


@dataclass(frozen=True)
class Story:
    id: int
    article_ids: tuple[int, ...]
    score: float
    label: str
    outlets: int
    independent_sources: int
    copies: tuple[tuple[int, ...], ...]
    agencies: tuple[str, ...] = ()
    passages: tuple[SharedPassage, ...] = ()

    def summary(self) -> str:
        return f"{self.outlets} outlets, {self.independent_sources} independent"


@dataclass(frozen=True)
class _Sketch:
    """What is kept of each article while the corpus streams past (no text, no key set)."""

    id: int
    source: str | None
    day: int | None
    minhash: LeanMinHash
    date: str | None


class _Union:
    def __init__(self) -> None:
        self.parent: dict[int, int] = {}

    def find(self, x: int) -> int:
        self.parent.setdefault(x, x)
        while self.parent[x] != x:
            self.parent[x] = self.parent[self.parent[x]]
            x = self.parent[x]
        return x

    def join(self, a: int, b: int) -> None:
        ra, rb = self.find(a), self.find(b)
        if ra != rb:
            self.parent[max(ra, rb)] = min(ra, rb)

    def groups(self, members: Iterable[int]) -> list[tuple[int, ...]]:
        out: dict[int, list[int]] = defaultdict(list)
        for m in members:
            out[self.find(m)].append(m)
        return sorted(tuple(sorted(g)) for g in out.values())


_PERMUTATIONS: dict[int, MinHash] = {}


def _minhash(text: str, num_perm: int) -> LeanMinHash:
    """A compact MinHash of the word 3-shingles; the permutations are made once, not per article."""
    template = _PERMUTATIONS.setdefault(num_perm, MinHash(num_perm=num_perm, hashfunc=hash32))
    m = MinHash(num_perm=num_perm, hashfunc=hash32, permutations=template.permutations, scheme=template.scheme)
    sh = shingles(text)
    if sh:
        m.update_batch(list(sh))
    return LeanMinHash(m)


def _within(a: _Sketch, b: _Sketch, days: int) -> bool:
    return a.day is None or b.day is None or abs(a.day - b.day) <= days


def _key_pairs(postings: dict[str, array], idf: dict[str, float], sketches: dict[int, _Sketch],
               o: StoryOptions) -> dict[tuple[int, int], list[float]]:
    """(a, b) -> [shared keys, their idf sum] for articles within the date window of each other.

    A key shared by more than ``max_postings`` articles inside one window (a country name, a
    ministry) is too common to say two reports are about one event and is skipped there."""
    shared: dict[tuple[int, int], list[float]] = {}

    def add(x: int, y: int, w: float) -> None:
        pair = (x, y) if x < y else (y, x)
        got = shared.get(pair)
        if got is None:
            shared[pair] = [1, w]
        else:
            got[0] += 1
            got[1] += w

    for k, ids in postings.items():
        w = idf[k]
        if len(ids) < 2 or w <= 0:
            continue
        dated = sorted((sketches[i].day, i) for i in ids if sketches[i].day is not None)
        lo = 0
        for hi in range(len(dated)):
            while dated[hi][0] - dated[lo][0] > o.window_days:
                lo += 1
            if hi - lo > o.max_postings:
                continue
            for m in range(lo, hi):
                add(dated[m][1], dated[hi][1], w)
        undated = [i for i in ids if sketches[i].day is None]
        if undated and len(ids) <= o.max_postings:
            seen: set[int] = set()
            for u in undated:
                seen.add(u)
                for other in ids:
                    if other not in seen:
                        add(u, other, w)
    return shared


def find_stories(articles: Iterable[ArticleRow], text_of: Callable[[int], str],
                 options: StoryOptions = StoryOptions()) -> list[Story]:
    """Group articles into stories; ``text_of`` fetches a text again for scoring candidates and
    for the copy analysis (texts are not kept while the whole corpus streams past)."""
    o = options
    lsh = MinHashLSH(threshold=o.copy_jaccard, num_perm=o.num_perm)
    sketches: dict[int, _Sketch] = {}
    postings: dict[str, array] = {}
    for art in articles:
        day = iso_day(art.date)
        sk = _Sketch(art.id, art.source, day.toordinal() if day else None, _minhash(art.text, o.num_perm), art.date)
        sketches[sk.id] = sk
        lsh.insert(sk.id, sk.minhash, check_duplication=False)
        for k in keys(art.text, art.entity_ids):
            posting = postings.get(k)
            if posting is None:
                postings[sys.intern(k)] = posting = array("l")
            posting.append(sk.id)
    n = max(len(sketches), 1)
    idf = {k: math.log((n + 1) / len(v)) for k, v in postings.items()}
    weight: dict[int, float] = defaultdict(float)  # each article's total key idf
    for k, ids in postings.items():
        for i in ids:
            weight[i] += idf[k]

    scores: dict[tuple[int, int], float] = {}
    # Near-copies from the LSH index.
    for sk in sketches.values():
        for other in lsh.query(sk.minhash):
            if other > sk.id:
                scores[(sk.id, other)] = round(sk.minhash.jaccard(sketches[other].minhash), 3)
    # Independent reports: pairs sharing a few informative keys within the date window,
    # scored by the idf-weighted key overlap and the similarity of headline and lead.
    for (a, b), (count, common) in _key_pairs(postings, idf, sketches, o).items():
        if count < o.min_shared_keys:
            continue
        key_sim = common / (min(weight[a], weight[b]) or 1.0)
        if 0.6 * key_sim + 0.4 < o.threshold:
            continue  # cannot reach the threshold even with identical leads: skip the text fetch
        lead_a, lead_b = text_of(a)[:400].lower(), text_of(b)[:400].lower()
        score = round(0.6 * key_sim + 0.4 * fuzz.token_set_ratio(lead_a, lead_b) / 100, 3)
        scores[(a, b)] = max(scores.get((a, b), 0.0), score)

    union = _Union()
    kept = {pair: s for pair, s in scores.items() if s >= o.threshold}
    for a, b in kept:
        union.join(a, b)
    members = sorted({x for pair in kept for x in pair})
    edges: dict[int, list[float]] = defaultdict(list)
    for (a, _b), score in kept.items():
        edges[union.find(a)].append(score)
    stories: list[Story] = []
    for group in union.groups(members):
        stories.append(_story(len(stories) + 1, group, float(np.mean(edges[group[0]])), sketches, idf, text_of, o))
    return stories


def _story(sid: int, group: tuple[int, ...], score: float, sketches: dict[int, _Sketch], idf: dict[str, float],
           text_of: Callable[[int], str], o: StoryOptions) -> Story:
    texts = {i: text_of(i) for i in group}
    copies, agencies, passages = copy_groups(texts, {i: sketches[i].minhash for i in group}, o)
    outlets = len({(s.source or f"#{s.id}").strip().lower() for s in (sketches[i] for i in group)})
    return Story(sid, group, round(score, 3), _label(group, texts, sketches, idf), outlets,
                 len(copies_components(group, copies)), tuple(g for g in copies if len(g) > 1),
                 agencies, passages)


def copies_components(group: tuple[int, ...], copies: tuple[tuple[int, ...], ...]) -> list[tuple[int, ...]]:
    union = _Union()
    for g in copies:
        for x in g[1:]:
            union.join(g[0], x)
    return union.groups(group)


def shared_passages(a_id: int, a: str, b_id: int, b: str, min_words: int) -> list[SharedPassage]:
    """Runs of at least ``min_words`` identical words (case and punctuation ignored), found by
    intersecting the two texts' ``min_words``-grams: linear in the texts, unlike a diff."""
    wa, wb = words(a), words(b)
    k = min_words
    grams_b = {tuple(wb[i : i + k]) for i in range(len(wb) - k + 1)}
    out: list[SharedPassage] = []
    i, n = 0, len(wa) - k + 1
    while i < n:
        if tuple(wa[i : i + k]) in grams_b:
            j = i
            while j + 1 < n and tuple(wa[j + 1 : j + 1 + k]) in grams_b:
                j += 1
            out.append(SharedPassage((a_id, b_id), " ".join(wa[i : j + k]), j - i + k))
            i = j + k
        else:
            i += 1
    return out


def agency_of(text: str) -> str | None:
    m = AGENCY.search(text)
    return next(g for g in m.groups() if g) if m else None


MAX_PASSAGES = 50  # listed per story, longest first


def copy_groups(texts: dict[int, str], minhashes: dict[int, LeanMinHash] | None = None,
                o: StoryOptions = StoryOptions()) -> tuple[tuple[tuple[int, ...], ...], tuple[str, ...],
                                                           tuple[SharedPassage, ...]]:
    """Which articles are one source: copied text (passages covering ``copy_share`` of the shorter
    one, or a shingle Jaccard of ``copy_jaccard``) or the same credited agency. Returns the
    groups (singletons included), the agencies named and the shared passages."""
    ids = sorted(texts)
    union = _Union()
    passages: list[SharedPassage] = []
    lengths = {i: len(words(texts[i])) for i in ids}
    for a, b in combinations(ids, 2):
        jac = minhashes[a].jaccard(minhashes[b]) if minhashes else None
        if jac == 0.0:
            continue  # not one shingle in common among the sampled ones: no long shared passage to find
        found = shared_passages(a, texts[a], b, texts[b], o.passage_words)
        passages.extend(found)
        covered = sum(p.words for p in found) / max(1, min(lengths[a], lengths[b]))
        if covered >= o.copy_share or (jac or 0.0) >= o.copy_jaccard:
            union.join(a, b)
    agencies: dict[str, list[int]] = defaultdict(list)
    for i in ids:
        ag = agency_of(texts[i])
        if ag:
            agencies[ag].append(i)
    for members in agencies.values():
        for x in members[1:]:
            union.join(members[0], x)
    passages.sort(key=lambda p: (-p.words, p.article_ids))
    return tuple(union.groups(ids)), tuple(sorted(agencies)), tuple(passages[:MAX_PASSAGES])


def _label(group: tuple[int, ...], texts: dict[int, str], sketches: dict[int, _Sketch],
           idf: dict[str, float]) -> str:
    """The names most members mention (rarest in the corpus first) and the most common date."""
    seen: Counter[str] = Counter()
    for i in group:
        found: set[str] = set()
        for _s, _e, n in names(texts[i]):
            parts = n.split()
            found.add(n)
            found.update(" ".join(parts[j : j + 2]) for j in range(len(parts) - 1))  # Mohammad Ishaq Dar: Ishaq Dar
        seen.update(found)

    def weight(name: str) -> float:
        return min(idf.get("n:" + w.lower().removesuffix("’s"), 0.0) for w in name.split())
    shared = [n for n, c in seen.items() if c >= 2 and len(n.split()) <= 4 and weight(n) >= 0.5]
    shared.sort(key=lambda n: (-seen[n], -min(len(n.split()), 3), -weight(n), n))
    picked: list[str] = []
    for n in shared:
        if not any(n in p or p in n for p in picked):
            picked.append(n)
        if len(picked) == 3:
            break
    dates = Counter(sketches[i].date[:10] for i in group if sketches[i].date)
    when = dates.most_common(1)[0][0] if dates else "undated"
    return f"{', '.join(picked) or 'untitled'} — {when}"
