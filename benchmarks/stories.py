"""Stories over a generated corpus: time, peak memory, and whether planted copies are found.

    python -m benchmarks.stories --articles 100000            # target: < 2 min, memory flat
    python -m benchmarks.stories --articles 10000 --db /tmp/s.db

The corpus comes from ``benchmarks.make_corpus`` (no annotations); on top of it, every 500th
article gets a reprint and a lightly edited copy (a few words changed, the last paragraph
dropped) from another outlet, dated the same day, so the run can check that each planted group
comes out as one story with one independent source.
"""

from __future__ import annotations

import argparse
import random
import resource
import sys
import tempfile
import time
from pathlib import Path

from benchmarks.make_corpus import build
from kzpk_desktop.core.articles import article_from_bytes
from kzpk_desktop.core.crossoutlet.stories import StoryOptions, find_stories
from kzpk_desktop.core.importer import _row
from kzpk_desktop.core.store import Store
from kzpk_desktop.core.store import crossoutlet as q


def plant_copies(store: Store, every: int, seed: int = 11) -> list[tuple[int, ...]]:
    """A reprint and an edited copy of every ``every``-th article; returns the planted groups."""
    rnd = random.Random(seed)
    groups: list[tuple[int, ...]] = []
    rows: list[dict[str, object]] = []
    originals = [a for a in q.iter_articles(store) if a.id % every == 1]
    for a in originals:
        words = a.text.split(" ")
        for i in rnd.sample(range(len(words)), k=min(5, len(words))):
            words[i] = words[i].upper()
        edited = " ".join(words).rsplit("\n\n", 2)[0]
        for n, text in enumerate((a.text + "\n\nReprinted.", edited)):
            row = _row(article_from_bytes(text.encode("utf-8"), f"copy{a.id}_{n}.txt"))
            rows.append({**row, "date": a.date, "source": f"Outlet {n}"})
    new_ids = store.insert_articles(rows)
    for k, a in enumerate(originals):
        groups.append((a.id, new_ids[2 * k], new_ids[2 * k + 1]))
    return groups


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
    build(db, args.articles, 0, quiet=True)
    store = Store.open(db)
    planted = plant_copies(store, args.every)
    n = store.article_count()
    print(f"corpus: {n:,} articles ({len(planted)} planted copy groups) built in {time.perf_counter() - t:.1f} s",
          file=sys.stderr)
    rss_before = peak_rss_mb()
    t = time.perf_counter()
    stories = find_stories(q.iter_articles(store), store.article_text, StoryOptions())
    elapsed = time.perf_counter() - t
    found = {s.article_ids: s for s in stories}
    recovered = sum(1 for g in planted if g in found and found[g].independent_sources == 1)
    biggest = max((len(s.article_ids) for s in stories), default=0)
    print(f"stories over {n:,} articles: {elapsed:.1f} s ({n / elapsed:,.0f} articles/s); "
          f"{len(stories)} stories, largest {biggest} articles; planted groups recovered as one source: "
          f"{recovered}/{len(planted)}; peak RSS {rss_before:.0f} MB before, {peak_rss_mb():.0f} MB after")
    store.close()
    sys.exit(0 if elapsed < 120 and recovered == len(planted) else 1)


if __name__ == "__main__":
    main()
