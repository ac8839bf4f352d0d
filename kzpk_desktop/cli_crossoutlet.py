"""``kzpk stories``, ``claims clusters``, ``compare``, ``timeline`` and ``prior-checks``: the
cross-outlet commands, registered by ``cli.py`` with one call (kept apart so that parallel
work on other commands merges cleanly)."""

from __future__ import annotations

import argparse
import json
import sys
import time

from .core.crossoutlet import claims as cl
from .core.crossoutlet import prior_checks as pc
from .core.crossoutlet.compare import compare
from .core.crossoutlet.stories import StoryOptions, find_stories
from .core.crossoutlet.timeline import build_timeline
from .core.jsonvalue import JSONObject, JSONReadable
from .core.operations.base import run
from .core.store import Store
from .core.store import crossoutlet as q

EXIT_OK = 0


def _dump(obj: JSONReadable) -> None:
    json.dump(obj, sys.stdout, ensure_ascii=False, indent=2)
    print()


def cmd_stories(store: Store, args: argparse.Namespace) -> int:
    if not 0 < args.threshold <= 1:
        raise ValueError(f"--threshold must be above 0 and at most 1, not {args.threshold}.")
    opts = StoryOptions(threshold=args.threshold, window_days=args.window)
    stories = find_stories(lambda: q.iter_articles_by_date(store), store.articles.text, opts)
    if args.json:
        _dump(
            {
                "stories": [
                    {
                        "id": s.id,
                        "article_ids": list(s.article_ids),
                        "score": s.score,
                        "label": s.label,
                        "outlets": s.outlets,
                        "independent_sources": s.independent_sources,
                        "copies": [list(c) for c in s.copies],
                    }
                    for s in stories
                ]
            }
        )
        return EXIT_OK
    for s in stories:
        print(f"story {s.id}  score {s.score:.3f}  {s.summary()}  articles {', '.join(map(str, s.article_ids))}")
        print(f"  {s.label}")
        for c in s.copies:
            print(f"  copies: {', '.join(map(str, c))}")
        if s.agencies:
            print(f"  agencies credited: {', '.join(s.agencies)}")
        for p in s.passages[:5]:
            print(f"  shared ({p.words} words, articles {p.article_ids[0]} and {p.article_ids[1]}): {p.text[:100]}")
    if not stories:
        print("no stories: no two articles scored at or above the threshold", file=sys.stderr)
    return EXIT_OK


def _claim_json(c: q.SpanRow) -> JSONObject:
    return {
        "annotation_id": c.id,
        "article_id": c.article_id,
        "source": c.article_source,
        "date": c.article_date,
        "text": c.text,
        "verdict": c.verdict,
        "status": c.status,
    }


def cmd_claims(store: Store, args: argparse.Namespace) -> int:
    clusters = cl.claim_clusters(q.spans(store, ("claim",)), args.min_score)
    if args.json:
        _dump(
            {
                "clusters": [
                    {
                        "id": k.id,
                        "score": k.score,
                        "conflicting": k.conflicting,
                        "verdicts": list(k.verdicts),
                        "claims": [_claim_json(c) for c in k.claims],
                        "proposals": [
                            {"annotation_id": p.annotation_id, "verdict": p.verdict, "because_of": p.because_of}
                            for p in cl.propose_verdicts(k)
                        ],
                    }
                    for k in clusters
                ]
            }
        )
        return EXIT_OK
    for k in clusters:
        flag = "  CONFLICTING VERDICTS" if k.conflicting else ""
        print(f"cluster {k.id}  score {k.score:.0f}  {len(k.claims)} claims{flag}")
        for c in k.claims:
            print(f"  {c.id}  article {c.article_id}  {c.verdict or '-':<16}  {' '.join(c.text.split())[:90]}")
        for p in cl.propose_verdicts(k):
            print(f"  proposed: {p.verdict} for {p.annotation_id} (as {p.because_of})")
    return EXIT_OK


def cmd_compare(store: Store, args: argparse.Namespace) -> int:
    result = compare(q.articles_by_id(store, args.ids))
    if args.json:
        _dump(
            {
                "article_ids": list(result.article_ids),
                "rows": [
                    {
                        "score": r.score,
                        "sentences": [
                            None
                            if s is None
                            else {"article_id": s.article_id, "start": s.start, "end": s.end, "text": s.text}
                            for s in r.sentences
                        ],
                        "differences": [
                            {
                                "kind": d.kind,
                                "mentions": [
                                    {"article_id": m.article_id, "start": m.start, "end": m.end, "text": m.text}
                                    for m in d.mentions
                                ],
                            }
                            for d in r.differences
                        ],
                    }
                    for r in result.rows
                ],
            }
        )
        return EXIT_OK
    for r in result.rows:
        if all(s is None for s in r.sentences[1:]):
            continue
        print(f"[{r.score:.0f}]")
        for s in r.sentences:
            print(f"  {s.article_id:>5}: {s.text}" if s else "        (no match)")
        for d in r.differences:
            print(f"  differs: {d.describe()}")
    return EXIT_OK


def cmd_timeline(store: Store, args: argparse.Namespace) -> int:
    tl = build_timeline(q.spans(store, ("claim", "agreement")))
    if args.json:
        _dump(
            {
                "items": [
                    {
                        "date": i.date,
                        "kind": i.kind,
                        "text": i.text,
                        "article_id": i.article_id,
                        "annotation_id": i.annotation_id,
                        "source": i.source,
                        "date_text": i.date_text,
                        "event": i.key,
                    }
                    for i in tl.items
                ],
                "conflicts": [
                    {"event": c.key, "dates": [{"date": d, "article_id": a, "source": s} for d, a, s in c.dates]}
                    for c in tl.conflicts
                ],
            }
        )
        return EXIT_OK
    for i in tl.items:
        print(f"{i.date}  {i.kind:<9}  article {i.article_id:<5}  {i.text[:90]}  ({i.date_text})")
    for c in tl.conflicts:
        print(f"conflict: {c.key}: " + "; ".join(f"{d} in article {a}" for d, a, _s in c.dates))
    return EXIT_OK


def cmd_prior_import(store: Store, args: argparse.Namespace) -> int:
    read = pc.read_paths(args.paths)
    items, skipped = read.checks, read.skipped
    result = run(store, pc.ImportPriorChecks(items, args.who or ""))
    added = len(result.inverse.ids)  # type: ignore[attr-defined]
    for sentence in skipped:
        print(f"left out: {sentence}", file=sys.stderr)
    print(
        f"{added} fact-checks imported, {len(items) - added} already present "
        f"({q.prior_check_count(store)} in the index)" + (f"; {len(skipped)} left out (named above)" if skipped else "")
    )
    return EXIT_OK


def cmd_prior_match(store: Store, args: argparse.Namespace) -> int:
    t = time.perf_counter()
    found = pc.match(store, args.annotation_id, args.limit)
    ms = (time.perf_counter() - t) * 1000
    if args.json:
        _dump(
            {
                "annotation_id": found.annotation_id,
                "matches": [
                    {
                        "url": m.url,
                        "claim": m.claim,
                        "rating": m.rating,
                        "publisher": m.publisher,
                        "date": m.date,
                        "score": m.score,
                    }
                    for m in found.matches
                ],
            }
        )
        return EXIT_OK
    for m in found.matches:
        print(f"{m.score:8.3f}  {m.rating or '-':<14}  {m.publisher or '-':<20}  {m.date or '-':<10}  {m.url}")
        print(f"          {m.claim[:110]}")
    print(f"{len(found.matches)} match(es) in {ms:.1f} ms", file=sys.stderr)
    return EXIT_OK


def register(sub: argparse._SubParsersAction[argparse.ArgumentParser]) -> None:
    """Add the cross-outlet commands to ``kzpk``'s subcommands."""
    s = sub.add_parser("stories", help="group articles reporting the same event; copies vs independent sources")
    s.add_argument(
        "--json",
        action="store_true",
        help='{"stories": [{"id", "article_ids", "score", "label", "outlets", "independent_sources", "copies"}]}',
    )
    s.add_argument(
        "--threshold",
        type=float,
        default=StoryOptions.threshold,
        help=f"pair score needed to join a story, 0–1 (default {StoryOptions.threshold})",
    )
    s.add_argument(
        "--window",
        type=int,
        default=StoryOptions.window_days,
        help=f"days between reports of one event (default {StoryOptions.window_days})",
    )
    s.set_defaults(func=cmd_stories)

    s = sub.add_parser("claims", help="claims across articles: 'kzpk claims clusters'")
    claims_sub = s.add_subparsers(dest="claims_command", required=True, metavar="WHAT")
    c = claims_sub.add_parser("clusters", help="claims in different articles that state the same thing")
    c.add_argument("--json", action="store_true")
    c.add_argument("--min-score", type=float, default=75.0, help="text similarity 0–100 (default 75)")
    c.set_defaults(func=cmd_claims)

    s = sub.add_parser("compare", help="two or more articles: aligned sentences, differing figures/dates/names")
    s.add_argument("ids", nargs="+", type=int, metavar="ID")
    s.add_argument("--json", action="store_true")
    s.set_defaults(func=cmd_compare)

    s = sub.add_parser("timeline", help="claims and agreements on a time axis; conflicting dates flagged")
    s.add_argument("--json", action="store_true")
    s.set_defaults(func=cmd_timeline)

    s = sub.add_parser("prior-checks", help="earlier fact-checks offline: import ClaimReview, match a claim")
    pc_sub = s.add_subparsers(dest="prior_command", required=True, metavar="WHAT")
    c = pc_sub.add_parser("import", help="ClaimReview JSON-LD files or folders (DataFeed, @graph, lists)")
    c.add_argument("paths", nargs="+")
    c.add_argument("--who", help="name recorded in the change log")
    c.set_defaults(func=cmd_prior_import)
    c = pc_sub.add_parser("match", help="best earlier fact-checks for a claim span")
    c.add_argument("annotation_id")
    c.add_argument("--json", action="store_true")
    c.add_argument("--limit", type=int, default=10)
    c.set_defaults(func=cmd_prior_match)
