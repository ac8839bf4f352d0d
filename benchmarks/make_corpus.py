"""Deterministic synthetic corpus: N news-like articles and M annotations in a project database.

    python -m benchmarks.make_corpus DB --articles 100000 --annotations 1000000 [--seed 7]
    python -m benchmarks.make_corpus --files DIR --articles 10000     # .txt files for the import benchmark

Articles are 1–20 KB (most a few KB), some with emoji, Urdu, Kazakh Cyrillic and CRLF line
ends; each goes through the core's decoding and metadata path, then the batch insert. One
"heavy" article (~120 KB) gets 2,000 annotations (the open-article benchmark); the rest are spread
with realistic label, status and verdict mixes. Same seed, same corpus.
"""

from __future__ import annotations

import argparse
import html
import random
import re
import sys
import time
import uuid
from collections.abc import Iterator
from pathlib import Path

from kzpk_desktop.core.articles import article_from_bytes
from kzpk_desktop.core.importer import _row
from kzpk_desktop.core.rows import Annotation
from kzpk_desktop.core.store import Store, utc_now
from kzpk_desktop.core.store.imports import NewArticle

HEAVY = 2000
HEAVY_BYTES = 120_000
PEOPLE = [
    "Ishaq Dar",
    "Murat Nurtleu",
    "Kassym-Jomart Tokayev",
    "Shehbaz Sharif",
    "Yerzhan Kistafin",
    "Khawaja Asif",
    "Dauren Kosanov",
    "Nurlan Sauranbayev",
    "Syed Zafar Ali Shah",
    "Asif Ali Zardari",
]
PLACES = ["Islamabad", "Astana", "Karachi", "Gwadar", "Almaty", "Lahore", "Termez", "Skardu", "Bin Qasim"]
THINGS = [
    "the Action Plan of Cooperation",
    "a transit trade accord",
    "the CAREC corridor",
    "CPEC",
    "a memorandum of understanding on railways",
    "direct flights",
    "the joint working group on IT",
    "a visa facilitation agreement",
    "the intergovernmental commission",
    "the Trans-Afghan railway",
]
VERBS = ["signed", "reviewed", "discussed", "welcomed", "proposed", "finalised", "postponed", "praised"]
NUMBERS = ["$239 million", "$1 billion", "13-member", "three ports", "two-day", "40 per cent", "2,000 tonnes"]
URDU = "پاکستان اور قازقستان نے تجارتی تعاون بڑھانے پر اتفاق کیا۔"
KAZAKH = "Қазақстан мен Пәкістан ынтымақтастықты кеңейтуге келісті."
EMOJI = ["🇰🇿", "🇵🇰", "🤝", "👍🏽", "📈", "👨‍👩‍👧"]
SOURCES = ["Pakistan Today", "UrduPoint", "TDI", "Dawn", "The Astana Times", "Kazinform"]
LABELS = (("claim", 0.4), ("actor", 0.4), ("agreement", 0.2))
STATUSES = (("unreviewed", 0.6), ("accepted", 0.25), ("rejected", 0.1), ("needs_work", 0.05))
VERDICTS = (
    ("supported", 0.35),
    ("partly_supported", 0.2),
    ("unsupported", 0.1),
    ("false", 0.1),
    ("misleading", 0.08),
    ("unverifiable", 0.1),
    ("opinion", 0.07),
)


def _pick(rnd: random.Random, weighted: tuple[tuple[str, float], ...]) -> str:
    return rnd.choices([k for k, _ in weighted], [w for _, w in weighted])[0]


def sentence(rnd: random.Random) -> str:
    s = (
        f"{rnd.choice(PEOPLE)} {rnd.choice(VERBS)} {rnd.choice(THINGS)} in {rnd.choice(PLACES)}, "
        f"saying trade had reached {rnd.choice(NUMBERS)} and that {rnd.choice(THINGS)} would follow."
    )
    return s


def article_bytes(rnd: random.Random, i: int, size: int | None = None) -> bytes:
    """One file's bytes: headline, dateline, paragraphs; varied size, script and line ends."""
    if size is None:
        size = min(20_000, max(1_000, int(rnd.lognormvariate(8.0, 0.7))))  # median ~3 KB, 1–20 KB
    year, month, day = rnd.randint(2019, 2026), rnd.randint(1, 12), rnd.randint(1, 28)
    lines = [
        f"{rnd.choice(PEOPLE)} and counterpart discuss {rnd.choice(THINGS)} (report {i})",
        "",
        f"{rnd.choice(PLACES).upper()}, {day} {['January', 'March', 'June', 'September'][month % 4]} {year} "
        f"({rnd.choice(SOURCES)}): {sentence(rnd)}",
        "",
    ]
    total = sum(len(x) for x in lines)
    flavour = rnd.random()
    while total < size:
        para = " ".join(sentence(rnd) for _ in range(rnd.randint(2, 5)))
        if flavour < 0.05:
            para += " " + URDU
        elif flavour < 0.10:
            para += " " + KAZAKH
        elif flavour < 0.15:
            para += " " + " ".join(rnd.sample(EMOJI, 2))
        lines += [para, ""]
        total += len(para) + 2
    text = "\n".join(lines)
    if 0.15 <= flavour < 0.25:
        text = text.replace("\n", "\r\n")
    return text.encode("utf-8")


def write_files(folder: Path, n: int, seed: int = 7) -> None:
    rnd = random.Random(seed)
    folder.mkdir(parents=True, exist_ok=True)
    for i in range(n):
        (folder / f"{i:06d}.txt").write_bytes(article_bytes(rnd, i))


def html_bytes(rnd: random.Random, i: int) -> bytes:
    """A saved news page: the same kind of text as ``article_bytes`` inside a site's markup
    (navigation, publication meta tags, an <article>, a footer), as a browser saves it."""
    text = article_bytes(rnd, i).decode("utf-8").replace("\r\n", "\n")
    title, *body = [ln for ln in text.split("\n") if ln.strip()]
    year, month, day = rnd.randint(2019, 2026), rnd.randint(1, 12), rnd.randint(1, 28)
    site = rnd.choice(SOURCES)
    paras = "\n".join(f"<p>{html.escape(p)}</p>" for p in body)
    page = f"""<!DOCTYPE html>
<html lang="en"><head><meta charset="utf-8"><title>{html.escape(title)} | {site}</title>
<meta property="og:title" content="{html.escape(title, quote=True)}">
<meta property="og:site_name" content="{site}">
<meta property="article:published_time" content="{year}-{month:02d}-{day:02d}T09:30:00+05:00">
</head><body>
<nav><a href="/">Home</a> <a href="/world">World</a> <a href="/business">Business</a></nav>
<article><h1>{html.escape(title)}</h1>
<div class="byline">By Staff Reporter</div>
{paras}
</article>
<aside><h3>Most read</h3><ul><li><a href="/a">Markets close higher</a></li>
<li><a href="/b">Weather</a></li></ul></aside>
<footer>&copy; {year} {site}. All rights reserved.</footer>
</body></html>
"""
    return page.encode("utf-8")


def write_html_files(folder: Path, n: int, seed: int = 13) -> None:
    rnd = random.Random(seed)
    folder.mkdir(parents=True, exist_ok=True)
    for i in range(n):
        (folder / f"{i:06d}.html").write_bytes(html_bytes(rnd, i))


def spans(rnd: random.Random, text: str, starts: list[int], k: int) -> Iterator[tuple[int, int]]:
    """k word-aligned spans of 1–8 words (overlaps allowed, as in real annotation)."""
    for _ in range(k):
        a = rnd.randrange(len(starts) - 9)
        b = starts[a + rnd.randint(1, 8)] - 1
        yield starts[a], max(starts[a] + 1, b)


def build(db_path: Path, n_articles: int, n_annotations: int, seed: int = 7, quiet: bool = False) -> dict[str, float]:
    """Create the corpus; returns timings (seconds) of its phases."""
    rnd = random.Random(seed)
    store = Store.open(db_path)
    t0 = time.perf_counter()
    ids: list[int] = []
    batch: list[NewArticle] = []
    for i in range(n_articles):
        # The first article carries the 2,000-span load: a long report (~120 KB, one span per
        # ~60 characters), not 2,000 spans piled onto a 3 KB item.
        size = HEAVY_BYTES if i == 0 and n_annotations >= HEAVY else None
        art = article_from_bytes(article_bytes(rnd, i, size), f"{i:06d}.txt")
        batch.append(_row(art))
        if len(batch) == 2000:
            ids += store.articles.insert_articles(batch)
            batch.clear()
            if not quiet:
                print(f"\r{len(ids):,} articles", end="", file=sys.stderr)
    ids += store.articles.insert_articles(batch)
    t_articles = time.perf_counter() - t0

    t1 = time.perf_counter()
    heavy = ids[0]
    per_article = {aid: 0 for aid in ids}
    per_article[heavy] = min(HEAVY, n_annotations)
    rest = n_annotations - per_article[heavy]
    others = ids[1:] or [heavy]
    for _ in range(rest):
        per_article[rnd.choice(others)] += 1
    now = utc_now()
    rows: list[Annotation] = []
    done = 0
    for aid in ids:
        k = per_article[aid]
        if not k:
            continue
        text = store.articles.text(aid)
        starts = [0] + [m.end() for m in re.finditer(r"\s+", text)]
        if len(starts) < 12:
            continue
        for s, e in spans(rnd, text, starts, k):
            label = _pick(rnd, LABELS)
            status = _pick(rnd, STATUSES)
            verdict = _pick(rnd, VERDICTS) if label == "claim" and status != "unreviewed" else None
            rows.append(
                Annotation(
                    id=str(uuid.UUID(int=rnd.getrandbits(128), version=4)),
                    article_id=aid,
                    start=s,
                    end=e,
                    label=label,
                    text=text[s:e],
                    note="",
                    annotator=rnd.choice(["Aigerim", "Bilal", "Chen"]),
                    status=status,
                    created_at=now,
                    updated_at=now,
                    verdict=verdict,
                    reviewer="Bilal" if status != "unreviewed" else None,
                    reviewed_at=now if status != "unreviewed" else None,
                )
            )
        if len(rows) >= 20000:
            store.annotations.insert_annotations(rows, who="make_corpus", log=False)
            done += len(rows)
            rows.clear()
            if not quiet:
                print(f"\r{done:,} annotations", end="", file=sys.stderr)
    store.annotations.insert_annotations(rows, who="make_corpus", log=False)
    t_annotations = time.perf_counter() - t1
    store.conn.execute("PRAGMA optimize")
    store.conn.execute("PRAGMA wal_checkpoint(TRUNCATE)")
    store.close()
    if not quiet:
        print(file=sys.stderr)
    return {"articles_s": t_articles, "annotations_s": t_annotations, "heavy_article": float(heavy)}


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("db", nargs="?", help="database to create")
    ap.add_argument("--articles", type=int, default=100_000)
    ap.add_argument("--annotations", type=int, default=1_000_000)
    ap.add_argument("--seed", type=int, default=7)
    ap.add_argument("--files", help="write .txt files to this folder instead of a database")
    args = ap.parse_args()
    if args.files:
        write_files(Path(args.files), args.articles, args.seed)
        return
    if not args.db:
        ap.error("give a database path (or --files DIR)")
    if Path(args.db).exists():
        ap.error(f"{args.db} exists; the generator only creates new databases")
    t = build(Path(args.db), args.articles, args.annotations, args.seed)
    print(
        f"{args.articles:,} articles in {t['articles_s']:.1f} s, {args.annotations:,} annotations in "
        f"{t['annotations_s']:.1f} s"
    )


if __name__ == "__main__":
    main()
