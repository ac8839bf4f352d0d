"""``kzpk``: headless work over the same core the desktop app uses.

Errors are one sentence on stderr with a non-zero exit status, never a traceback.
"""

from __future__ import annotations

import argparse
import json
import sqlite3
import sys
from collections.abc import Sequence
from pathlib import Path

from . import __version__
from .core.dates import USER_DATE_FORMS, parse_user_date
from .core.errors import KzpkError
from .core.exporters.filters import ExportFilter
from .core.exporters.jsonl import read_jsonl
from .core.exporters.options import ExportOptions
from .core.exporters.registry import FORMATS, export
from .core.importer import import_paths
from .core.operations.articles import EDITABLE_METADATA
from .core.paths import default_db_path
from .core.project import open_project
from .core.store import Store
from .core.store.ownership import damaged_sentence

EXIT_OK, EXIT_ERROR, EXIT_USAGE, EXIT_CHECK_FAILED = 0, 1, 2, 3
# Commands that only read: they open the database read-only (mode=ro), never migrate it and
# still work on a damaged file (with a warning), so its readable rows can be got out.
READ_ONLY_COMMANDS = frozenset({"articles", "entities", "export", "check", "backups", "backup"})


def cmd_import(store: Store, args: argparse.Namespace) -> int:
    """One line per file met, in order: imported and duplicates on stdout, refusals (and files
    a failed write did not save) on stderr; then the summary and, if a write failed, what was saved."""
    report = import_paths(store, args.paths)
    notes: dict[str, list[str]] = {}
    for name, note in report.notes:
        notes.setdefault(name, []).append(note)
    for result in report.results:
        ok = result.outcome in ("imported", "duplicate")
        print(result.line(), file=sys.stdout if ok else sys.stderr)
        if result.outcome == "imported":
            for note in notes.pop(result.name, []):
                print(f"note       {result.name}: {note}")
    sys.stdout.flush()
    print(report.summary())
    if report.failure:
        print(f"kzpk: {report.failure}", file=sys.stderr)
        return EXIT_ERROR
    return EXIT_ERROR if report.refused and not report.imported and not report.duplicates else EXIT_OK


def cmd_articles(store: Store, args: argparse.Namespace) -> int:
    rows = store.articles.article_listing()
    if args.json:
        out = [r.record() for r in rows]
        json.dump(out, sys.stdout, ensure_ascii=False, indent=2)
        print()
    else:
        for r in rows:
            print(f"{r.id}\t{r.date or '-'}\t{r.title}")
    return EXIT_OK


def cmd_article_set(store: Store, args: argparse.Namespace) -> int:
    from .core.operations import EditArticleMetadata, run

    changes = {k: getattr(args, k) for k in EDITABLE_METADATA if getattr(args, k) is not None}
    if not changes:
        print(
            "kzpk: nothing to change: give at least one of " + ", ".join(f"--{k}" for k in EDITABLE_METADATA) + ".",
            file=sys.stderr,
        )
        return EXIT_USAGE
    result = run(store, EditArticleMetadata(args.id, changes, args.who or ""))
    row = store.articles.get(args.id)
    print(
        f"article {args.id}: "
        + (
            "; ".join(
                f"{k} = {getattr(row, k) if getattr(row, k) is not None else '(empty)'}"
                for k in EDITABLE_METADATA
                if k in changes
            )
            if result.changes
            else "already had these values"
        )
    )
    return EXIT_OK


def cmd_entities(store: Store, args: argparse.Namespace) -> int:
    rows = store.entities.all(args.kind)
    if args.json:
        out = []
        for r in rows:
            full = store.entities.get(r.id)
            out.append({**full.record(), "mentions": r.mentions})
        json.dump(out, sys.stdout, ensure_ascii=False, indent=2)
        print()
    else:
        for r in rows:
            extra = f"  (also: {' | '.join(r.aliases)})" if r.aliases else ""
            print(f"{r.id}\t{r.kind}\t{r.mentions}\t{r.name}{extra}")
    return EXIT_OK


def cmd_export(store: Store, args: argparse.Namespace) -> int:
    # The one parser for typed dates: garbage is refused (DateError), never read as "no filter".
    date_from = parse_user_date(args.date_from or "", "--date-from")
    date_to = parse_user_date(args.date_to or "", "--date-to")
    fmt = FORMATS[args.format]
    if (args.bom or args.spreadsheet) and not fmt.csv_options:
        flag = "--bom" if args.bom else "--spreadsheet"
        print(f"kzpk: {flag} applies to the CSV formats only, not to {fmt.name}.", file=sys.stderr)
        return EXIT_USAGE
    if args.columns and not fmt.columns:
        print(f"kzpk: --columns applies to csv and xlsx only, not to {fmt.name}.", file=sys.stderr)
        return EXIT_USAGE
    flt = ExportFilter(
        status=tuple(args.status or ()),
        label=tuple(args.label or ()),
        verdict=tuple(args.verdict or ()),
        article_id=tuple(args.article or ()),
        annotator=tuple(args.annotator or ()),
        date_from=date_from,
        date_to=date_to,
        gold=args.gold,
    )
    out = None if args.output in (None, "-") else args.output
    if out is None and fmt.binary and sys.stdout.isatty():
        print(f"kzpk: {fmt.name} is a binary file: give -o FILE, or redirect or pipe the output.", file=sys.stderr)
        return EXIT_USAGE
    notices: list[str] = []
    options = ExportOptions(
        bom=args.bom,
        spreadsheet=args.spreadsheet,
        notices=notices,
        author=args.author,
        author_type=args.author_type,
        base_url=args.base_url,
        columns=tuple(c.strip() for c in args.columns.split(",")) if args.columns else None,
    )
    n = export(store, args.format, out, flt, options)
    for note in notices:
        print(f"kzpk: note: {note}", file=sys.stderr)
    if out:
        print(f"wrote {n} {fmt.unit} to {out}", file=sys.stderr)
    return EXIT_OK


def cmd_import_annotations(store: Store, args: argparse.Namespace) -> int:
    report = read_jsonl(store, args.file, who=args.who or "")
    print(
        f"{report.articles_added} articles added, {report.articles_matched} matched; "
        f"{report.annotations_added} annotations added, {report.annotations_present} already present; "
        f"{report.entities_added} entities and {report.relations_added} relations added"
    )
    return EXIT_OK


def cmd_backup(store: Store, args: argparse.Namespace) -> int:
    from .core.backups import make_backup

    dest = make_backup(store.path, args.output)
    print(f"backed up {store.path} to {dest}")
    return EXIT_OK


def cmd_backups(store: Store, args: argparse.Namespace) -> int:
    from .core.backups import list_backups

    found = list_backups(store.path)
    for b in found:
        print(f"{b}\t{b.stat().st_size:,} bytes")
    if not found:
        print(
            f"no backups of {store.path} yet (kzpk backup makes one; the desktop app makes them on its own)",
            file=sys.stderr,
        )
    return EXIT_OK


def cmd_restore(db_path: Path, args: argparse.Namespace) -> int:
    """Runs with the database closed: the file itself is replaced (the old one kept aside)."""
    from .core.backups import list_backups, restore

    source = Path(args.file) if args.file != "latest" else next(iter(list_backups(db_path)), None)
    if source is None:
        print(f"kzpk: there is no backup of {db_path} to restore.", file=sys.stderr)
        return EXIT_ERROR
    if not args.yes:
        print(
            f"kzpk: this replaces {db_path} with {source} (the current file is kept aside); add --yes to do it.",
            file=sys.stderr,
        )
        return EXIT_USAGE
    aside = restore(db_path, source)
    print(f"restored {db_path} from {source}; the previous file is {aside}")
    return EXIT_OK


def cmd_upgrade(store: Store, args: argparse.Namespace) -> int:
    """Opening read-write applied any pending schema steps; say which schema it has now."""
    print(f"{store.path}: schema {', '.join(store.applied_migrations())}")
    return EXIT_OK


def cmd_check(store: Store, args: argparse.Namespace) -> int:
    problems = store.integrity.check()
    if not problems:
        print(
            f"ok: {store.articles.count()} articles, {store.annotations.count()} annotations, "
            f"schema {', '.join(store.applied_migrations())}"
        )
        return EXIT_OK
    for p in problems:
        print(f"problem: {p}", file=sys.stderr)
    print(f"{len(problems)} problem(s) found in {store.path}", file=sys.stderr)
    return EXIT_CHECK_FAILED


def build_parser() -> argparse.ArgumentParser:
    p = argparse.ArgumentParser(
        prog="kzpk",
        description="Annotate and fact-check the kzpk corpus from the command line (same database as the desktop app).",
    )
    p.add_argument("--version", action="version", version=f"kzpk {__version__}")
    p.add_argument("--db", help=f"project database (default: {default_db_path()})")
    p.add_argument(
        "--as",
        dest="as_name",
        metavar="NAME",
        help="who is working (default: the annotator set in the app, else the OS user)",
    )
    sub = p.add_subparsers(dest="command", required=True, metavar="COMMAND")

    s = sub.add_parser(
        "import", help="import files or folders (.txt .md .html .htm .pdf .docx .odt .epub); duplicates are skipped"
    )
    s.add_argument("paths", nargs="+")
    s.set_defaults(func=cmd_import)

    s = sub.add_parser("articles", help="list articles: id, date, title")
    s.add_argument("--json", action="store_true", help="a JSON array of article objects")
    s.set_defaults(func=cmd_articles)

    s = sub.add_parser("article", help="change one article: kzpk article set ID --title ... --date ...")
    article_sub = s.add_subparsers(dest="article_command", required=True, metavar="ACTION")
    s = article_sub.add_parser("set", help="correct an article's metadata (an empty value clears a field)")
    s.add_argument("id", type=int, help="article id (see kzpk articles)")
    s.add_argument("--title")
    s.add_argument("--date", help="2025, 2025-09, 2025-09-14 or 14 March 2025 (day first); the precision typed is kept")
    s.add_argument("--source", help="the outlet")
    s.add_argument("--url", help="http:// or https:// address")
    s.add_argument("--language", help="ISO 639 code: en, ru, ur, kk, ...")
    s.add_argument("--author")
    s.add_argument("--who", help="name recorded in the change log")
    s.set_defaults(func=cmd_article_set)

    s = sub.add_parser("entities", help="list actors and agreements: id, kind, mentions, name")
    s.add_argument("--kind", choices=("actor", "agreement"))
    s.add_argument("--json", action="store_true", help="full records with aliases and parties")
    s.set_defaults(func=cmd_entities)

    s = sub.add_parser("export", help="export the dataset: " + ", ".join(FORMATS))
    s.add_argument(
        "--format",
        choices=list(FORMATS),
        default="csv",
        help="; ".join(f"{f.name}: {f.title}" for f in FORMATS.values()),
    )
    s.add_argument(
        "-o",
        "--output",
        help="output file; '-' or none: standard output; a pipe or device "
        "is written to directly, a regular file replaced atomically",
    )
    s.add_argument("--status", action="append", help="only this status (repeatable)")
    s.add_argument("--label", action="append", help="only this label (repeatable)")
    s.add_argument("--verdict", action="append", help="only this verdict (repeatable)")
    s.add_argument("--annotator", action="append", help="only this annotator (repeatable)")
    s.add_argument("--article", action="append", type=int, help="only this article id (repeatable)")
    s.add_argument("--date-from", help=f"articles published on or after this date ({USER_DATE_FORMS})")
    s.add_argument("--date-to", help=f"articles published on or before this date ({USER_DATE_FORMS})")
    s.add_argument("--gold", action="store_true", help="only the gold layer (spans taken in by an adjudicator)")
    s.add_argument("--columns", help="comma-separated columns for csv and xlsx (default: all)")
    s.add_argument("--bom", action="store_true", help="start the CSV with a UTF-8 BOM (for Excel)")
    cells = s.add_mutually_exclusive_group()
    cells.add_argument(
        "--spreadsheet",
        action="store_true",
        help="CSV for spreadsheets: ALTERS cells (a leading ' before formulas, numbers, dates, "
        "true/false); the default CSV is exact, and --format xlsx is exact and safe",
    )
    cells.add_argument(
        "--raw", action="store_true", help="exact cells (now the default; kept so that old scripts still run)"
    )
    s.add_argument(
        "--author", help="ClaimReview: who publishes the reviews (default: the project setting, else each reviewer)"
    )
    s.add_argument(
        "--author-type",
        choices=("organization", "person"),
        help="ClaimReview: whether --author is an Organization (default) or a Person",
    )
    s.add_argument(
        "--base-url",
        help="ClaimReview: URL prefix where the reviews will be published "
        "(url = BASE_URL + claim id; default: #claim id inside the file)",
    )
    s.set_defaults(func=cmd_export)

    s = sub.add_parser("import-annotations", help="read back a JSONL export")
    s.add_argument("file")
    s.add_argument("--who", help="name recorded in the change log")
    s.set_defaults(func=cmd_import_annotations)

    s = sub.add_parser("upgrade", help="apply pending schema steps (what opening it in the app does)")
    s.set_defaults(func=cmd_upgrade)

    s = sub.add_parser("check", help="integrity: schema, offsets, foreign keys, undecodable text")
    s.set_defaults(func=cmd_check)

    s = sub.add_parser("backup", help="a consistent copy of the database (online backup API)")
    s.add_argument("-o", "--output", help="where to write it (default: the rolling backups folder)")
    s.set_defaults(func=cmd_backup)

    s = sub.add_parser("backups", help="list the rolling backups of the database, newest first")
    s.set_defaults(func=cmd_backups)

    s = sub.add_parser("restore", help="replace the database with a backup (FILE or 'latest')")
    s.add_argument("file")
    s.add_argument("--yes", action="store_true", help="really replace it (the current file is kept aside)")
    s.set_defaults(func=None, restore=True)

    # --- cross-outlet: stories, claim clusters, compare, timeline, prior fact-checks (issue 19)
    from .cli_crossoutlet import register as register_crossoutlet

    register_crossoutlet(sub)
    # --- team work: review decide, merge, conflicts, agreement, publish (cli_team.py) ---
    from .cli_team import register as register_team

    register_team(sub)
    return p


def main(argv: Sequence[str] | None = None) -> int:
    args = build_parser().parse_args(argv)
    if getattr(args, "restore", False):
        try:
            return cmd_restore(Path(args.db) if args.db else default_db_path(), args)
        except KzpkError as err:
            print(f"kzpk: {err}", file=sys.stderr)
            return EXIT_ERROR
    readonly = args.command in READ_ONLY_COMMANDS
    try:
        store = open_project(args.db, readonly=readonly)
    except KzpkError as err:
        print(f"kzpk: {err}", file=sys.stderr)
        return EXIT_ERROR
    if store.damage and not readonly:  # a write would be refused anyway: say so before trying
        print(f"kzpk: {store.readonly_reason}", file=sys.stderr)
        store.close()
        return EXIT_ERROR
    if store.damage and args.command == "backup" and not args.output:
        print(
            f"kzpk: {damaged_sentence(store.path, store.damage)}: a copy in the rolling backups would push "
            "the good ones out; name a file with -o to copy it anyway.",
            file=sys.stderr,
        )
        store.close()
        return EXIT_ERROR
    if store.damage and args.command != "check":  # check reports the damage itself
        print(f"kzpk: warning: {store.readonly_reason}", file=sys.stderr)
    from .core.locality import network_warning

    warning = network_warning(store.path)
    if warning:
        print(f"kzpk: warning: {warning}", file=sys.stderr)
    try:
        return int(args.func(store, args))
    except (KzpkError, ValueError, InterruptedError) as err:  # ExportCancelled is an InterruptedError
        print(f"kzpk: {err}", file=sys.stderr)
        return EXIT_ERROR
    except BrokenPipeError:
        return EXIT_OK
    except sqlite3.Error as err:  # a damaged page or a missing table met while reading
        print(
            f"kzpk: could not read '{store.path}' ({err}); it may be damaged: 'kzpk check' says where.", file=sys.stderr
        )
        return EXIT_ERROR
    except OSError as err:
        print(f"kzpk: {err.strerror or err}: {getattr(err, 'filename', '') or ''}".rstrip(": "), file=sys.stderr)
        return EXIT_ERROR
    finally:
        store.close()


if __name__ == "__main__":
    sys.exit(main())
