"""Claim clusters over 400,000 generated claims in 100,000 articles: time, peak memory,
planted clusters found.

    python -m benchmarks.claims                            # target: < 2 min (the issue's stories target)
    python -m benchmarks.claims --claims 40000 --check 3000 # smaller, plus recall against all pairs

No database: ``claim_clusters`` takes the claims as rows, so they are made in memory. Words come
from the 20,000-word Zipf vocabulary of ``benchmarks.stories``; a fifth of the claims carry a
figure. Every ``--every``-th claim is restated in 3–5 other articles with light edits (a word
replaced, dropped or added, punctuation or a possessive attached, a capital), each edit
checked to keep ``token_set_ratio`` with the original at 80 or more, so the all-pairs search
would join every planted group: a group not found whole is a miss of the blocking. ``--check N``
also compares the blocked search with scoring every pair on an N-claim corpus of the same kind
(planted every 20th claim) and prints the recall at 75 and at 90.
"""

from __future__ import annotations

import argparse
import resource
import statistics
import sys
import time

from rapidfuzz import fuzz

from kzpk_desktop.core.crossoutlet import claims as cl
from kzpk_desktop.core.store.crossoutlet import SpanRow

from .stories import Corpus


def _edit(c: Corpus, words: list[str]) -> list[str]:
    ws = list(words)
    for _ in range(c.rnd.randint(1, 2)):
        at = c.rnd.randrange(len(ws))
        kind = c.rnd.choice(["replace", "drop", "add", "punct", "possessive", "caps"])
        if kind == "replace" and ws[at][0] not in "$0123456789":
            ws[at] = c.rnd.choices(c.vocab, cum_weights=c.cum)[0]
        elif kind == "drop" and len(ws) > 6 and ws[at][0] not in "$0123456789":
            del ws[at]
        elif kind == "add":
            ws.insert(at, c.rnd.choices(c.vocab, cum_weights=c.cum)[0])
        elif kind == "punct":
            ws[at] += c.rnd.choice([",", ".", ";"])
        elif kind == "possessive":
            ws[at] += "’s"
        elif kind == "caps":
            ws[at] = ws[at].capitalize()
    return ws


def make_claims(n: int, articles: int, every: int, seed: int = 11) -> tuple[list[SpanRow], list[tuple[str, ...]]]:
    """``n`` claims over ``articles`` articles; returns them and the planted groups' claim ids."""
    c = Corpus(seed)
    texts: list[tuple[int, str]] = []
    planted: list[tuple[str, ...]] = []
    while len(texts) < n:
        words = list(dict.fromkeys(c.rnd.choices(c.vocab, cum_weights=c.cum, k=c.rnd.randint(8, 20))))
        if c.rnd.random() < 0.2:
            figure = c.rnd.choice([f"${c.rnd.randint(1, 999)} million", f"{c.rnd.randint(1, 99)}%"])
            words[c.rnd.randrange(len(words)) : 0] = figure.split()
        article = c.rnd.randrange(articles)
        texts.append((article, " ".join(words)))
        if len(texts) % every == 0 and len(texts) + 5 <= n:
            group = [f"c{len(texts) - 1}"]
            others = c.rnd.sample([a for a in range(articles) if a != article][:50], c.rnd.randint(3, 5))
            original = " ".join(words).lower()
            for other in others:
                while True:
                    edited = " ".join(_edit(c, words))
                    if fuzz.token_set_ratio(original, edited.lower()) >= 80:
                        break
                group.append(f"c{len(texts)}")
                texts.append((c.rnd.randrange(articles) if other is None else other, edited))
            planted.append(tuple(group))
    rows = [
        SpanRow(f"c{i}", a, "claim", 0, len(t), t, None, "pending", None, None, None, None, None)
        for i, (a, t) in enumerate(texts)
    ]
    return rows, planted


def peak_rss_mb() -> float:
    return resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024


def check(n: int) -> None:
    """Recall of the blocked search against scoring every pair, on a small corpus."""
    claims, _planted = make_claims(n, max(2, n // 4), 20, seed=5)
    texts = [" ".join(x.text.split()).lower() for x in claims]
    t = time.perf_counter()
    ref = cl._pairs_all(texts, claims, 75.0)
    t_ref = time.perf_counter() - t
    t = time.perf_counter()
    got = cl._pairs_blocked(texts, claims, 75.0)
    t_got = time.perf_counter() - t
    wrong = set(got) - set(ref)
    for floor in (75, 90):
        want = {p for p, s in ref.items() if s >= floor}
        print(
            f"check on {n:,} claims, pairs at {floor}+: all pairs find {len(want):,} ({t_ref:.1f} s), "
            f"blocked {len(want & set(got)):,} ({t_got:.2f} s): recall {len(want & set(got)) / max(1, len(want)):.4f}"
        )
    if wrong:
        print(f"  {len(wrong)} pairs found that scoring all pairs does not find")
        sys.exit(1)


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("--claims", type=int, default=400_000)
    ap.add_argument("--articles", type=int, default=100_000)
    ap.add_argument("--every", type=int, default=200, help="restate every N-th claim in 3-5 other articles")
    ap.add_argument("--repeats", type=int, default=3, help="runs to take the median of (one if a run is slow)")
    ap.add_argument("--check", type=int, default=0, help="also compare with all pairs on a corpus this size")
    args = ap.parse_args()
    if args.check:
        check(args.check)
    t = time.perf_counter()
    claims, planted = make_claims(args.claims, args.articles, args.every)
    print(f"corpus: {len(claims):,} claims ({len(planted)} planted groups) made in {time.perf_counter() - t:.1f} s")
    rss_before = peak_rss_mb()
    times = []
    for run in range(args.repeats):
        t = time.perf_counter()
        clusters = cl.claim_clusters(claims)
        times.append(time.perf_counter() - t)
        if times[-1] > 30 and run == 0:
            break  # slow: once is enough
    elapsed = statistics.median(times)
    by_claim = {c.id: k for k in clusters for c in k.claims}
    whole = sum(1 for g in planted if g[0] in by_claim and tuple(c.id for c in by_claim[g[0]].claims) == g)
    inside = sum(1 for g in planted if g[0] in by_claim and set(g) <= {c.id for c in by_claim[g[0]].claims})
    biggest = max((len(k.claims) for k in clusters), default=0)
    print(
        f"claim_clusters over {len(claims):,} claims: {elapsed:.1f} s (median of {len(times)}: "
        f"{', '.join(f'{x:.1f}' for x in times)}); {len(clusters):,} clusters, largest {biggest}; "
        f"planted groups found whole: {whole}/{len(planted)}, inside one cluster: {inside}/{len(planted)}; "
        f"peak RSS {rss_before:.0f} MB before, {peak_rss_mb():.0f} MB after"
    )
    for g in planted:
        if g[0] not in by_claim or set(g) - {c.id for c in by_claim[g[0]].claims}:
            got = [c.id for c in by_claim[g[0]].claims] if g[0] in by_claim else []
            print(f"  planted {g}: in a cluster of {len(got)}: {got[:12]}")
    sys.exit(0 if elapsed < 120 and inside == len(planted) else 1)


if __name__ == "__main__":
    main()
