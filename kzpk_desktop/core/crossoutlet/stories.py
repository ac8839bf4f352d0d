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
from collections import Counter, defaultdict, deque
from collections.abc import Callable, Iterable
from dataclasses import dataclass
from itertools import combinations
from statistics import fmean
from typing import TYPE_CHECKING

from ..store.crossoutlet import ArticleRow
from . import DEFAULT_STORY_THRESHOLD
from .features import hash32, iso_day, keys, names, shingles, words

if TYPE_CHECKING:  # datasketch imports scipy (~0.5 s): loaded when stories are first found, not at start-up
    from datasketch import LeanMinHash, MinHash

AGENCY = re.compile(
    r"\((APP|AFP|AP|Reuters|Xinhua|Kazinform|Anadolu|PTI|IANS|TASS|dpa|Sputnik|NNI|INP|Trend)\)"
    r"|[-—–]\s*(APP|AFP|Reuters|Xinhua|Kazinform|Anadolu|TASS)\s*$"
    r"|\b(Associated Press of Pakistan|Agence France-Presse|Associated Press|Reuters|Xinhua|Kazinform)\s+reported\b",
    re.MULTILINE,
)


@dataclass(frozen=True)
class StoryOptions:
    threshold: float = DEFAULT_STORY_THRESHOLD  # pair score needed to join two articles into one story
    window_days: int = 3  # reports of one event are dated within this many days of each other
    copy_jaccard: float = 0.5  # estimated shingle Jaccard at which two texts are copies
    passage_words: int = 8  # a verbatim run this long counts as a shared passage
    copy_share: float = 0.3  # ... and copied when shared passages cover this share of the shorter text
    num_perm: int = 64
    max_postings: int = 200  # a key in more articles than this within one window is too common to pair on
    min_shared_keys: int = 3  # one shared person (first and last name) is not yet one event
    copy_window_days: int = 30  # copies are looked for among articles dated this close


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
    from datasketch import LeanMinHash, MinHash

    template = _PERMUTATIONS.get(num_perm)
    if template is None:
        template = _PERMUTATIONS[num_perm] = MinHash(num_perm=num_perm, hashfunc=hash32)
    m = MinHash(num_perm=num_perm, hashfunc=hash32, permutations=template.permutations, scheme=template.scheme)
    sh = shingles(text)
    if sh:
        m.update_batch(list(sh))
    return LeanMinHash(m)


def find_stories(
    articles: Callable[[], Iterable[ArticleRow]],
    text_of: Callable[[int], str],
    options: StoryOptions = StoryOptions(),
    describe: bool = True,
) -> list[Story]:
    """Group articles into stories.

    ``articles`` returns a fresh iterator over the corpus, undated articles first, then by date
    (``store.crossoutlet.iter_articles_by_date``); it is read twice: once to count how common each
    key is, once to pair articles. The second pass keeps only what falls inside the date windows
    (the LSH index holds the last ``copy_window_days``, the key postings the last
    ``window_days``), so memory stays flat however long the corpus; ``text_of`` fetches a text
    again for scoring a candidate pair and for the copy analysis of a story's members.
    ``describe=False`` returns only members and score (no label, outlet count or copy analysis,
    which is most of the time on a big story): enough to propose what to compare.
    """
    from datasketch import MinHashLSH
    from rapidfuzz import fuzz  # (imported here: the window imports this module at start-up)

    o = options
    df: Counter[str] = Counter()
    n = 0
    for art in articles():
        df.update(keys(art.text, art.entity_ids))
        n += 1
    idf = {k: math.log((n + 1) / c) for k, c in df.items()}
    del df

    lsh = MinHashLSH(threshold=o.copy_jaccard, num_perm=o.num_perm)
    in_lsh: deque[tuple[int, int]] = deque()  # (day, id) of dated articles in the index, oldest first
    live: dict[int, tuple[_Sketch, float]] = {}  # sketch and total key idf of articles in a window
    dated_postings: dict[str, deque[tuple[int, int]]] = {}
    undated_postings: dict[str, list[int]] = defaultdict(list)
    members: dict[int, _Sketch] = {}
    kept: dict[tuple[int, int], float] = {}

    def keep(a: _Sketch, b: _Sketch, score: float) -> None:
        if score >= o.threshold:
            pair = (a.id, b.id) if a.id < b.id else (b.id, a.id)
            kept[pair] = max(kept.get(pair, 0.0), score)
            members[a.id], members[b.id] = a, b

    for count, art in enumerate(articles(), 1):
        day_ = iso_day(art.date)
        day = day_.toordinal() if day_ else None
        if day is not None:  # the oldest articles leave the copy window
            while in_lsh and in_lsh[0][0] < day - o.copy_window_days:
                _d, old = in_lsh.popleft()
                lsh.remove(old)
                live.pop(old, None)
        if count % 5000 == 0:
            _sweep(dated_postings, day, o.window_days)
        sk = _Sketch(art.id, art.source, day, _minhash(art.text, o.num_perm), art.date)
        ks = keys(art.text, art.entity_ids)
        weight = sum(idf[k] for k in ks)
        # Near-copies from the LSH index.
        for other in lsh.query(sk.minhash):
            keep(sk, live[other][0], round(sk.minhash.jaccard(live[other][0].minhash), 3))
        # Independent reports: a few informative keys shared within the date window.
        shared: dict[int, list[float]] = {}
        for k in ks:
            w = idf[k]
            if w <= 0:
                continue
            dq = dated_postings.get(k)
            if dq is not None and day is not None:
                while dq and dq[0][0] < day - o.window_days:
                    dq.popleft()
            candidates = [i for _d, i in dq] if dq is not None and len(dq) <= o.max_postings else []
            und = undated_postings.get(k)
            if und and len(und) <= o.max_postings:
                candidates += und
            if day is None and dq is not None and len(dq) > o.max_postings:
                candidates = []
            for other in candidates:
                got = shared.get(other)
                if got is None:
                    shared[other] = [1, w]
                else:
                    got[0] += 1
                    got[1] += w
            if day is None:
                undated_postings[sys.intern(k)].append(sk.id)
            else:
                dated_postings.setdefault(sys.intern(k), deque()).append((day, sk.id))
        for other, (n_shared, common) in shared.items():
            if n_shared < o.min_shared_keys or other not in live:
                continue
            other_sk, other_weight = live[other]
            key_sim = common / (min(weight, other_weight) or 1.0)
            if 0.6 * key_sim + 0.4 < o.threshold:
                continue  # cannot reach the threshold even with identical leads: skip the text fetch
            lead_a, lead_b = art.text[:400].lower(), text_of(other)[:400].lower()
            keep(sk, other_sk, round(0.6 * key_sim + 0.4 * fuzz.token_set_ratio(lead_a, lead_b) / 100, 3))
        lsh.insert(sk.id, sk.minhash, check_duplication=False)
        live[sk.id] = (sk, weight)
        if day is not None:
            in_lsh.append((day, sk.id))

    union = _Union()
    for a, b in kept:
        union.join(a, b)
    edges: dict[int, list[float]] = defaultdict(list)
    for (a, _b), score in kept.items():
        edges[union.find(a)].append(score)
    stories: list[Story] = []
    for group in union.groups(sorted(members)):
        if describe:
            stories.append(_story(len(stories) + 1, group, fmean(edges[group[0]]), members, idf, text_of, o))
        else:
            stories.append(Story(len(stories) + 1, group, round(fmean(edges[group[0]]), 3), "", 0, 0, ()))
    return stories


def _sweep(postings: dict[str, deque[tuple[int, int]]], day: int | None, window: int) -> None:
    """Drop postings that fell out of the window for keys not seen since (else they would stay)."""
    if day is None:
        return
    for k in list(postings):
        dq = postings[k]
        while dq and dq[0][0] < day - window:
            dq.popleft()
        if not dq:
            del postings[k]


def _story(
    sid: int,
    group: tuple[int, ...],
    score: float,
    sketches: dict[int, _Sketch],
    idf: dict[str, float],
    text_of: Callable[[int], str],
    o: StoryOptions,
) -> Story:
    texts = {i: text_of(i) for i in group}
    copies, agencies, passages = copy_groups(texts, {i: sketches[i].minhash for i in group}, o)
    outlets = len({(s.source or f"#{s.id}").strip().lower() for s in (sketches[i] for i in group)})
    return Story(
        sid,
        group,
        round(score, 3),
        _label(group, texts, sketches, idf),
        outlets,
        len(copies_components(group, copies)),
        tuple(g for g in copies if len(g) > 1),
        agencies,
        passages,
    )


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


def copy_groups(
    texts: dict[int, str], minhashes: dict[int, LeanMinHash] | None = None, o: StoryOptions = StoryOptions()
) -> tuple[tuple[tuple[int, ...], ...], tuple[str, ...], tuple[SharedPassage, ...]]:
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


def _label(group: tuple[int, ...], texts: dict[int, str], sketches: dict[int, _Sketch], idf: dict[str, float]) -> str:
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
    dates = Counter((sketches[i].date or "")[:10] for i in group if sketches[i].date)
    when = dates.most_common(1)[0][0] if dates else "undated"
    return f"{', '.join(picked) or 'untitled'} — {when}"
