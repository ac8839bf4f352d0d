"""Prior fact-checks found offline: the planted check among N imported ones, and how long it takes.

    python -m benchmarks.prior_checks                      # 10,000 checks, 5 runs; target p99 < 100 ms
    python -m benchmarks.prior_checks --checks 100000      # headroom: ten times the issue's scale

The seed corpus is imported through the CLI (the real path), eight claims are tagged in it, and
N ClaimReview items are written as JSON-LD files (a DataFeed plus a large ``@graph``) and read
by the importer the app uses. For every claim one check is planted that states it in other
words; the noise shares its vocabulary (countries, money, years, trade goods, the names).

A *cold* sample is the first match on a fresh connection (SQLite's page cache empty; the OS
cache warm, as when the app has just been reopened); *warm* samples repeat the match on that
connection, as when the reviewer goes back to a claim. Each figure is the median and p99
(nearest rank) over all samples of ``--runs`` runs. The run fails (exit 1) if a p99 misses the
target or a planted check is not the best match for its claim.
"""

from __future__ import annotations

import argparse
import json
import subprocess
import sys
import tempfile
import time
from pathlib import Path

from benchmarks.figures import p99
from kzpk_desktop.core import annotations as ann
from kzpk_desktop.core import operations as ops
from kzpk_desktop.core.crossoutlet import prior_checks as pc
from kzpk_desktop.core.store import Store

ROOT = Path(__file__).resolve().parent.parent
TARGET_MS = 100.0

# (seed file prefix, phrase tagged as a claim, the planted check's wording of it)
CLAIMS = [
    ("004", "bilateral trade was growing and surged to $239 million", "Pakistan-Kazakhstan trade reached $239 million"),
    (
        "004",
        "Kazakhstan being Pakistan’s top export destination among Central Asian countries",
        "Kazakhstan is the biggest Central Asian market for Pakistani exports",
    ),
    (
        "004",
        "the two DPM/FMs also signed the Action Plan of Cooperation",
        "Dar and Nurtleu signed an Action Plan of Cooperation in Islamabad",
    ),
    (
        "001",
        "Deputy Prime Minister and Foreign Minister (DPM/FM) Senator Mohammad Ishaq Dar",
        "Ishaq Dar is both Deputy Prime Minister and Foreign Minister of Pakistan",
    ),
    (
        "003",
        "Pakistan was among the first countries to recognise Kazakhstan’s independence in December 1991",
        "Pakistan recognised Kazakhstan's independence in December 1991, among the first countries to do so",
    ),
    (
        "003",
        "formal diplomatic ties established in February 1992",
        "Pakistan and Kazakhstan established diplomatic relations in February 1992",
    ),
    (
        "003",
        "a dedicated multipurpose terminal at Gwadar was crucial for long-term trade growth",
        "A multipurpose terminal at Gwadar port is crucial for Central Asian trade",
    ),
    (
        "000",
        "Kazakhstan’s Minister of Defence, Lieutenant General Dauren Kosanov",
        "Dauren Kosanov is Kazakhstan's Minister of Defence",
    ),
]

TOPICS = ["wheat", "cotton", "textiles", "gas", "electricity", "cement", "rice", "fruit", "oil", "steel", "trade"]
PARTNERS = ["Kazakhstan", "Uzbekistan", "China", "Turkey", "Iran", "Afghanistan", "Russia", "Tajikistan"]
PEOPLE = ["Ishaq Dar", "Murat Nurtleu", "Shehbaz Sharif", "Kassym-Jomart Tokayev", "Khawaja Asif", "Yerzhan Kistafin"]
VERBS = ["will trade", "signed a deal on", "agreed to expand", "doubled exports of", "plans a corridor for"]


def noise(n: int) -> list[dict[str, object]]:
    """ClaimReview items in the claims' vocabulary that state other things."""
    return [
        {
            "@type": "ClaimReview",
            "url": f"https://noise.example/{i}",
            "claimReviewed": f"{PEOPLE[i % 6]} said Pakistan and {PARTNERS[i % 8]} {VERBS[i % 5]} "
            f"{TOPICS[i % 11]} worth ${i % 900} million a year by {1990 + i % 40}",
            "reviewRating": {"alternateName": ["False", "True", "Mixed", "Misleading"][i % 4]},
            "author": {"name": f"Checker {i % 13}"},
            "datePublished": f"{2015 + i % 10}-{1 + i % 12:02d}-01",
        }
        for i in range(n)
    ]


def planted() -> dict[str, object]:
    items = [
        {
            "@type": "ClaimReview",
            "url": f"https://factcheck.example/planted-{k}",
            "claimReviewed": wording,
            "reviewRating": {"@type": "Rating", "alternateName": "Misleading"},
            "author": {"@type": "Organization", "name": "Example Checks"},
            "datePublished": "2025-10-20",
        }
        for k, (_, _, wording) in enumerate(CLAIMS)
    ]
    return {"@context": "https://schema.org", "@type": "DataFeed", "dataFeedElement": items}


def build(folder: Path, n_checks: int) -> tuple[Path, list[str]]:
    """A seed database with the claims tagged and ``n_checks`` prior checks imported."""
    db = folder / "prior.db"
    cli = [sys.executable, "-m", "kzpk_desktop.cli", "--db", str(db), "import", str(ROOT / "seeds")]
    subprocess.run(cli, check=True, capture_output=True)
    checks = folder / "checks"
    checks.mkdir()
    (checks / "feed.json").write_text(json.dumps(planted()), encoding="utf-8")
    (checks / "noise.jsonld").write_text(json.dumps({"@graph": noise(n_checks - len(CLAIMS))}), encoding="utf-8")
    store = Store.open(db)
    try:
        items = pc.read_path(checks)
        assert len(items) == n_checks, f"read {len(items)} of {n_checks} checks"
        ops.run(store, pc.ImportPriorChecks(tuple(items), "bench"))
        claim_ids = []
        for prefix, phrase, _ in CLAIMS:
            (article_id,) = store.conn.execute(
                "SELECT id FROM articles WHERE file_name LIKE ?", (prefix + "%",)
            ).fetchone()
            text = store.articles.text(article_id)
            i = text.index(phrase)
            row = ann.build_annotation(store, article_id, i, i + len(phrase), "claim", annotator="bench")
            ops.run(store, ops.CreateAnnotation(row, "bench"))
            claim_ids.append(str(row.id))
    finally:
        store.close()
    return db, claim_ids


def main(argv: list[str] | None = None) -> int:
    ap = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    ap.add_argument("--checks", type=int, default=10_000, help="prior checks imported (default 10,000)")
    ap.add_argument("--runs", type=int, default=5, help="fresh connections (default 5)")
    ap.add_argument("--repeats", type=int, default=20, help="warm matches per claim per run (default 20)")
    args = ap.parse_args(argv)
    with tempfile.TemporaryDirectory() as tmp:
        t = time.perf_counter()
        db, claim_ids = build(Path(tmp), args.checks)
        print(f"built: {args.checks:,} prior checks, {len(claim_ids)} claims ({time.perf_counter() - t:.1f} s)")
        cold: list[float] = []
        warm: list[float] = []
        misses: list[str] = []
        for _ in range(args.runs):
            store = Store.open(db, readonly=True)
            try:
                for k, claim in enumerate(claim_ids):
                    t = time.perf_counter()
                    found = pc.match(store, claim, limit=10)
                    cold.append((time.perf_counter() - t) * 1000)
                    best = found.matches[0].url if found.matches else "nothing"
                    if best != f"https://factcheck.example/planted-{k}":
                        misses.append(f"claim {k} ({CLAIMS[k][1][:40]}…): best was {best}")
                    for _ in range(args.repeats):
                        t = time.perf_counter()
                        pc.match(store, claim, limit=10)
                        warm.append((time.perf_counter() - t) * 1000)
            finally:
                store.close()
    ok = True
    for name, samples in (("cold (first match on a fresh connection)", cold), ("warm", warm)):
        median = sorted(samples)[len(samples) // 2]
        worst = p99(samples)
        met = worst < TARGET_MS
        ok &= met
        print(
            f"match among {args.checks:,}, {name}: median {median:.1f} ms, p99 {worst:.1f} ms, "
            f"max {max(samples):.1f} ms (n={len(samples)}); "
            f"target p99 < {TARGET_MS:.0f} ms: {'met' if met else 'MISSED'}"
        )
    found_all = not misses
    print(f"planted check best for its claim: {len(CLAIMS) * args.runs - len(misses)} of {len(CLAIMS) * args.runs}")
    for line in sorted(set(misses)):
        print("  miss:", line)
    return 0 if ok and found_all else 1


if __name__ == "__main__":
    sys.exit(main())
