"""Stories over a generated 100k-article corpus: time, peak memory, planted stories found.

    python -m benchmarks.stories --articles 100000            # target: < 2 min, memory flat
    python -m benchmarks.stories --articles 10000 --db /tmp/s.db

Not ``benchmarks.make_corpus``'s text: it is built from ten template sentences, so any two of
its articles share 25-55 % of their word 3-shingles and the whole corpus is "one story" (a load
test, not a story test). This corpus draws words from a 20,000-word Zipf vocabulary and names
from 3,000 people over seven years, 40 outlets. Every ``--every``-th article is an event with
three copies from other outlets: a reprint, a lightly edited copy (five words changed, the
last paragraph dropped) and an independent report (other words, the same three names and
figure, the same day). The run checks each planted event comes out as one story of four
articles with two independent sources.
"""

from __future__ import annotations

import argparse
import itertools
import random
import resource
import shutil
import sys
import tempfile
import time
from dataclasses import replace
from datetime import date, timedelta
from pathlib import Path

from kzpk_desktop.core.articles import article_from_bytes
from kzpk_desktop.core.crossoutlet.stories import StoryOptions, find_stories
from kzpk_desktop.core.importer import _row
from kzpk_desktop.core.store import Store
from kzpk_desktop.core.store import crossoutlet as q
from kzpk_desktop.core.store.imports import NewArticle

SYLLABLES = [
    "ka",
    "ra",
    "zan",
    "pa",
    "is",
    "tan",
    "mor",
    "li",
    "de",
    "vo",
    "shu",
    "ne",
    "tri",
    "ob",
    "al",
    "mi",
    "ter",
    "su",
    "go",
    "ben",
    "ha",
    "qu",
    "lo",
    "ex",
    "ur",
    "fa",
    "ni",
    "da",
    "we",
    "po",
]


class Corpus:
    def __init__(self, seed: int) -> None:
        self.rnd = random.Random(seed)
        words = ["".join(p) for n in (2, 3) for p in itertools.product(SYLLABLES, repeat=n)]
        self.rnd.shuffle(words)
        self.vocab = words[:20_000]
        self.cum = list(itertools.accumulate(1 / (r + 1) for r in range(len(self.vocab))))
        caps = [w.capitalize() for w in words[20_000:26_000]]
        self.people = [f"{caps[2 * i]} {caps[2 * i + 1]}" for i in range(3000)]
        self.outlets = [f"Outlet {i}" for i in range(40)]

    def sentence(self, names: list[str]) -> str:
        ws = self.rnd.choices(self.vocab, cum_weights=self.cum, k=self.rnd.randint(12, 25))
        for name in names:
            ws.insert(self.rnd.randrange(len(ws)), name)
        ws[0] = ws[0][0].upper() + ws[0][1:]
        return " ".join(ws) + "."

    def text(self, names: list[str], figure: str | None) -> str:
        paras = []
        for _ in range(self.rnd.randint(3, 7)):
            sents = [
                self.sentence(self.rnd.sample(names, k=min(len(names), self.rnd.randint(0, 2))))
                for _ in range(self.rnd.randint(2, 4))
            ]
            paras.append(" ".join(sents))
        if figure:
            paras[0] += f" Trade reached {figure}."
        return self.sentence(names[:1]) + "\n\n" + "\n\n".join(paras)

    def day(self) -> str:
        return (date(2019, 1, 1) + timedelta(days=self.rnd.randrange(2900))).isoformat()


def build_corpus(store: Store, n: int, every: int, seed: int = 7) -> list[tuple[int, ...]]:
    """Insert ``n`` articles (planted events included); returns the planted groups' ids."""
    c = Corpus(seed)
    rows: list[NewArticle] = []
    planted_at: list[int] = []
    ids: list[int] = []

    def add(text: str, day: str, outlet: str) -> None:
        row = _row(article_from_bytes(text.encode("utf-8"), f"{len(ids) + len(rows)}.txt"))
        rows.append(replace(row, date=day, date_precision="day", source=outlet))

    while len(ids) + len(rows) < n:
        if len(rows) >= 5000:  # flush: the corpus is never all in memory
            ids += store.articles.insert_articles(rows)
            rows.clear()
        day, names = c.day(), c.rnd.sample(c.people, 3)
        made = len(ids) + len(rows)
        if made % every == 0 and made + 4 <= n:
            figure = f"${c.rnd.randint(100, 999)} million"
            original = c.text(names, figure)
            words = original.split(" ")
            for i in c.rnd.sample(range(len(words)), 5):
                words[i] = c.rnd.choice(c.vocab)
            edited = " ".join(words).rsplit("\n\n", 1)[0]
            planted_at.append(made)
            outlets = c.rnd.sample(c.outlets, 4)
            add(original, day, outlets[0])
            add(original + "\n\nThis story was first published elsewhere.", day, outlets[1])
            add(edited, day, outlets[2])
            add(c.text(names, figure), day, outlets[3])
        else:
            add(c.text(names, None), day, c.rnd.choice(c.outlets))
    ids += store.articles.insert_articles(rows)
    return [tuple(ids[p : p + 4]) for p in planted_at]


def peak_rss_mb() -> float:
    return resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("--articles", type=int, default=100_000)
    ap.add_argument("--db", help="where to build the corpus (default: a temporary folder)")
    ap.add_argument("--every", type=int, default=500, help="plant copies of every N-th article")
    args = ap.parse_args()
    folder = Path(tempfile.mkdtemp(prefix="kzpk-stories-"))
    db = Path(args.db) if args.db else folder / "stories.db"
    t = time.perf_counter()
    store = Store.open(db)
    planted = build_corpus(store, args.articles, args.every)
    n = store.articles.count()
    print(
        f"corpus: {n:,} articles ({len(planted)} planted copy groups) built in {time.perf_counter() - t:.1f} s",
        file=sys.stderr,
    )
    rss_before = peak_rss_mb()
    t = time.perf_counter()
    stories = find_stories(lambda: q.iter_articles_by_date(store), store.articles.text, StoryOptions())
    elapsed = time.perf_counter() - t
    found = {s.article_ids: s for s in stories}
    recovered = sum(1 for g in planted if g in found and found[g].independent_sources == 2)
    biggest = max((len(s.article_ids) for s in stories), default=0)
    print(
        f"stories over {n:,} articles: {elapsed:.1f} s ({n / elapsed:,.0f} articles/s); "
        f"{len(stories)} stories, largest {biggest} articles; planted events found whole: "
        f"{recovered}/{len(planted)} (4 articles, 2 independent); "
        f"peak RSS {rss_before:.0f} MB before, {peak_rss_mb():.0f} MB after"
    )
    by_member = {i: s for s in stories for i in s.article_ids}
    for g in planted:
        if g not in found or found[g].independent_sources != 2:
            got = by_member.get(g[0])
            print(
                f"  planted {g}: "
                + (f"in story {got.article_ids} ({got.summary()}, copies {got.copies})" if got else "in no story")
            )
    store.close()
    if not args.db:
        shutil.rmtree(folder, ignore_errors=True)  # the corpus is ~0.5 GB at 100k
    sys.exit(0 if elapsed < 120 and recovered == len(planted) else 1)


if __name__ == "__main__":
    main()
