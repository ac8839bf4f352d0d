"""``kzpk`` subcommands for team work: review decide, merge, conflicts, agreement, publish.

Kept apart from ``cli.py`` (which only registers them) so parallel work on other commands
merges cleanly. Every write goes through an operation, like the desktop app's.
"""

from __future__ import annotations

import argparse
import getpass
import json
import os
import sys
from pathlib import Path
from typing import Any

from .core.errors import KzpkError
from .core.store import Store

EXIT_OK, EXIT_ERROR = 0, 1


def annotator_name(args: argparse.Namespace) -> str:
    """Who is working: ``--as``, else the name the desktop app stored, else the OS user."""
    for attr in ("as_local", "as_name"):  # ``review decide --as`` wins over the global ``--as``
        if getattr(args, attr, None):
            return str(getattr(args, attr)).strip()
    stored = _stored_annotator()
    if stored:
        return stored
    try:
        return getpass.getuser()
    except (KeyError, OSError):
        return os.environ.get("USER") or os.environ.get("USERNAME") or "unknown"


def _stored_annotator() -> str:
    """The name the desktop app keeps in its settings (QSettings, the same file on every OS)."""
    try:
        from PySide6.QtCore import QSettings
    except ImportError:  # pragma: no cover - PySide6 is a dependency
        return ""
    settings = QSettings(QSettings.Format.IniFormat, QSettings.Scope.UserScope, "kzpk", "kzpk_desktop")
    return str(settings.value("annotator", "") or "").strip()


def _dump(obj: Any) -> None:
    json.dump(obj, sys.stdout, ensure_ascii=False, indent=2)
    print()


def cmd_review_decide(store: Store, args: argparse.Namespace) -> int:
    from .core import review as rv
    from .core.operations.base import run
    from .core.operations.review import RecordDecision

    if not store.annotations.exists(args.annotation_id):
        raise KzpkError(f"There is no annotation with id {args.annotation_id}.")
    who = annotator_name(args)
    decision = rv.Decision(args.status, args.verdict, args.confidence)
    run(store, RecordDecision(args.annotation_id, decision, who))
    print(f"{args.annotation_id}: {args.status}" + (f", {args.verdict}" if args.verdict else "") + f" (by {who})")
    return EXIT_OK


def cmd_merge(store: Store, args: argparse.Namespace) -> int:
    from .core.backups import make_backup
    from .core.team.merge import merge

    other = Path(args.other)
    if not args.dry_run:
        make_backup(store.path)  # a merge is not undone step by step: the backup is the way back
    report = merge(store, other, annotator_name(args), dry_run=args.dry_run)
    if args.json:
        _dump(report.as_json())
    else:
        for cid, kind, uid, reason in report.conflicts:
            print(f"conflict  {cid:>5}  {kind} {uid}: {reason}")
        for offer in report.offers:
            print(
                f"offer     {offer.conflict_id:>5}  {offer.kind} “{offer.name}” is new on both sides "
                f"(mine {offer.mine_uuid}, theirs {offer.theirs_uuid}); merge with kzpk conflicts resolve"
            )
        print(report.summary())
    return EXIT_OK


def cmd_conflicts(store: Store, args: argparse.Namespace) -> int:
    from .core.store.team import TeamRepo

    rows = TeamRepo(store).conflicts(pending_only=not args.all)
    if args.json:
        _dump(
            [
                {
                    "id": c.id,
                    "kind": c.kind,
                    "uuid": c.uuid,
                    "reason": c.reason,
                    "peer": c.peer_uuid,
                    "mine": c.mine,
                    "theirs": c.theirs,
                    "queued_at": c.queued_at,
                    "resolved_at": c.resolved_at,
                    "resolved_by": c.resolved_by,
                    "resolution": c.resolution,
                }
                for c in rows
            ]
        )
        return EXIT_OK
    for c in rows:
        state = f"  [{c.resolution} by {c.resolved_by}]" if c.resolution else ""
        print(f"{c.id}\t{c.kind}\t{c.uuid}\t{c.reason}{state}")
    if not rows:
        print("no conflicts waiting", file=sys.stderr)
    return EXIT_OK


def cmd_conflicts_resolve(store: Store, args: argparse.Namespace) -> int:
    from .core.operations.base import run
    from .core.team.conflicts import ResolveConflict

    run(store, ResolveConflict(args.id, args.take, annotator_name(args)))
    print(f"conflict {args.id} resolved: took {args.take}")
    return EXIT_OK


def cmd_agreement(store: Store, args: argparse.Namespace) -> int:
    from .core.team.agreement import Figure, measure

    if args.label and args.label not in {lab.id for lab in store.labels.all()}:
        raise KzpkError(f"There is no label '{args.label}'.")
    if (
        args.article is not None
        and store.conn.execute("SELECT 1 FROM articles WHERE id = ?", (args.article,)).fetchone() is None
    ):
        raise KzpkError(f"There is no article {args.article}.")
    result = measure(store, args.label, args.article)
    if args.json:
        _dump(result.as_json())
        return EXIT_OK

    def show(f: Figure) -> str:
        return f"{f.value:.3f}" if f.value is not None else f"n/a ({f.reason})"

    print(f"annotators: {', '.join(result.annotators) or '(none)'}")
    for label, la in result.spans.items():
        print(
            f"{label}: alpha_u {show(la.alpha_u)}; Fleiss kappa {show(la.fleiss_kappa)}; "
            f"{la.n_units} characters, {la.n_tokens} tokens in {la.n_articles} articles, {la.n_coders} coders"
        )
        for pair, f in la.cohen_kappa.items():
            print(f"  Cohen kappa {pair}: {show(f)}")
    v, st = result.verdicts, result.statuses
    print(f"verdicts: alpha ordinal {show(v.alpha)} over {v.n_items} claims, {v.n_reviewers} reviewers")
    print(f"statuses: alpha nominal {show(st.alpha)} over {st.n_items} spans, {st.n_reviewers} reviewers")
    print(f"{len(result.disagreements)} disagreement(s) (--json lists them)")
    return EXIT_OK


def cmd_adjudicate(store: Store, args: argparse.Namespace) -> int:
    from .core.operations.base import run
    from .core.team.adjudication import adjudicate

    article_id: int | None = None
    start: int | None = None
    end: int | None = None
    label: str | None = None
    if args.none:
        try:
            article, first, last, label = args.none.split(":", 3)
            article_id, start, end = int(article), int(first), int(last)
        except ValueError:
            raise KzpkError(
                f"--none takes ARTICLE:START:END:LABEL (for example 3:120:164:claim), not '{args.none}'."
            ) from None
    if bool(args.annotation_ids) == bool(args.none):
        raise KzpkError("give the span ids to take into the gold layer, or --none ARTICLE:START:END:LABEL.")
    op = adjudicate(
        store, args.annotation_ids, annotator_name(args), article_id=article_id, label=label, start=start, end=end
    )
    run(store, op)
    print(op.text)
    return EXIT_OK


def cmd_publish(store: Store, args: argparse.Namespace) -> int:
    from .core.team.publish import publish

    pub = publish(store, Path(args.out), reviewed_only=args.reviewed_only, license_name=args.license)
    print(
        f"wrote {pub.counts.annotations} annotations, {pub.counts.articles} articles and "
        f"{pub.counts.evidence} evidence items to {pub.database} (read-only) and {pub.metadata}"
    )
    print(f"serve it with: datasette serve {pub.database} -m {pub.metadata}")
    return EXIT_OK


def register(sub: argparse._SubParsersAction) -> None:  # type: ignore[type-arg]
    """Add the team subcommands to ``kzpk``'s parser."""
    from .core import review as rv

    s = sub.add_parser("review", help="scripted review: record one reviewer's decision")
    rsub = s.add_subparsers(dest="review_command", required=True, metavar="ACTION")
    d = rsub.add_parser("decide", help="record a decision on one span, as the review window does")
    d.add_argument("annotation_id")
    d.add_argument("--status", required=True, choices=rv.DECISIONS)
    d.add_argument("--verdict", choices=rv.VERDICTS, help="claims only")
    d.add_argument("--confidence", choices=rv.CONFIDENCE)
    d.add_argument("--as", dest="as_local", help="reviewer name (overrides the global --as)")
    d.set_defaults(func=cmd_review_decide)

    s = sub.add_parser("merge", help="merge a colleague's copy of the database into this one")
    s.add_argument("other", metavar="OTHER.db")
    s.add_argument("--dry-run", action="store_true", help="report what would change, change nothing")
    s.add_argument("--json", action="store_true", help="the report as one JSON object")
    s.set_defaults(func=cmd_merge)

    s = sub.add_parser("conflicts", help="merge conflicts waiting for a decision")
    s.add_argument("--json", action="store_true", help="both versions of each, as JSON")
    s.add_argument("--all", action="store_true", help="resolved ones too")
    s.set_defaults(func=cmd_conflicts)
    csub = s.add_subparsers(dest="conflicts_command", metavar="ACTION")
    r = csub.add_parser("resolve", help="keep my version or take theirs")
    r.add_argument("id", type=int)
    r.add_argument("--take", required=True, choices=("mine", "theirs"))
    r.set_defaults(func=cmd_conflicts_resolve)

    s = sub.add_parser("adjudicate", help="take coders' spans (A's, B's, both) or --none into the gold layer")
    s.add_argument("annotation_ids", nargs="*", metavar="ANNOTATION_ID")
    s.add_argument("--none", metavar="ARTICLE:START:END:LABEL", help="neither: no gold span of LABEL there")
    s.set_defaults(func=cmd_adjudicate)

    s = sub.add_parser("publish", help="a read-only copy of the dataset with metadata.json, for Datasette")
    s.add_argument("--out", required=True, metavar="DIR")
    s.add_argument("--reviewed-only", action="store_true", help="only spans a reviewer decided on")
    s.add_argument("--license", default="CC-BY-4.0", help="licence of the published data (default: CC-BY-4.0)")
    s.set_defaults(func=cmd_publish)

    s = sub.add_parser("agreement", help="inter-annotator agreement on spans, verdicts and statuses")
    s.add_argument("--label", help="only this label")
    s.add_argument("--article", type=int, help="only this article id")
    s.add_argument("--json", action="store_true", help="one JSON object with every figure, its n and the disagreements")
    s.set_defaults(func=cmd_agreement)
