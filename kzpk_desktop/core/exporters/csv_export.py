"""The annotation CSV: one row per annotation, RFC 4180, UTF-8, every cell exact by default.

LibreOffice evaluates a leading ``=`` even inside quotes, so no exact CSV is spreadsheet-safe:
``spreadsheet=True`` writes the altered variant, and ``xlsx`` the exact one for spreadsheets.
"""

from __future__ import annotations

import csv
import re
from collections.abc import Sequence
from pathlib import Path
from typing import Any, TextIO

from ..store import Store
from . import ProgressFn, Ticker, text_output
from .filters import ExportFilter

# (column, meaning): the data dictionary in docs/ is checked against this list by a test.
CSV_COLUMNS: tuple[tuple[str, str], ...] = (
    ("annotation_id", "Stable UUID of the annotation; never reused."),
    ("article_id", "Integer id of the article in this database."),
    ("article_title", "Headline extracted from the article text (or the file name)."),
    ("article_source", "Publisher recognised in the text (e.g. 'Pakistan Today'); empty if unknown."),
    (
        "article_date",
        "Publication date, ISO 8601 at the precision found: YYYY-MM-DD, YYYY-MM or YYYY; empty if none was found.",
    ),
    ("label", "Label id: claim, actor, agreement (or a label added by the researcher)."),
    ("start", "Start offset, in Unicode code points, into the stored article text (0-based, inclusive)."),
    ("end", "End offset in code points (exclusive): text == article_text[start:end]."),
    ("text", "The exact annotated span."),
    ("context_before", "Up to 40 code points of article text before the span (the quote prefix)."),
    ("context_after", "Up to 40 code points of article text after the span (the quote suffix)."),
    ("entity", "Canonical name of the actor or agreement the span is linked to; empty if not linked."),
    ("verdict", "Fact-check verdict for claims (e.g. supported, false); empty if not reviewed."),
    ("evidence_url", "http(s) URL of the evidence the verdict rests on."),
    ("evidence_note", "The reviewer's note on the evidence."),
    ("note", "Free-text note by the annotator."),
    ("status", "Review status: unreviewed, accepted, rejected or needs_work."),
    ("annotator", "Name of the researcher who created the annotation."),
    ("reviewer", "Name of the researcher who reviewed it; empty if not reviewed."),
    ("reviewed_at", "When it was reviewed, ISO 8601 UTC."),
    ("created_at", "When the annotation was created, ISO 8601 UTC."),
    ("updated_at", "When the annotation was last changed, ISO 8601 UTC."),
    ("entity_id", "Id of the linked entity in this database (joins the JSONL 'entities'); empty if none."),
    ("claim_type", "For claims: statistic, commitment, event, opinion or other; empty if not set."),
    ("article_file", "File name the article was imported from."),
    ("confidence", "Reviewer's confidence in the verdict: low, medium or high; empty if not given."),
    ("curated_by", "Adjudicator who took the span into the gold layer; empty if it is not a gold span."),
    ("curated_at", "When it was taken into the gold layer, ISO 8601 UTC; empty if not a gold span."),
)
COLUMN_NAMES = tuple(name for name, _ in CSV_COLUMNS)
FORMULA_PREFIXES = ("=", "+", "-", "@", "\t", "\r")
# Columns a spreadsheet may read as dates: left as written even in spreadsheet mode.
DATE_COLUMNS = frozenset({"article_date", "reviewed_at", "created_at", "updated_at", "curated_at", "date"})
# What a spreadsheet's CSV import turns into a number, percentage, date, time or boolean.
_LITERAL = re.compile(
    r"""\s*(?:
      [-+(]?[$€£¥]?\s*(?:\d[\d,]*(?:\.\d*)?|\.\d+)(?:[eE][-+]?\d+)?\s*%?\)?
    | \d{1,4}[-/.]\d{1,2}(?:[-/.]\d{1,4})?(?:[ T]\d{1,2}:\d{2}(?::\d{2}(?:\.\d+)?)?)?Z?
    | \d{1,2}:\d{2}(?::\d{2}(?:\.\d+)?)?(?:\s*[ap]\.?m\.?)?
    | true | false
    )\s*""",
    re.IGNORECASE | re.VERBOSE,
)


def spreadsheet_cell(value: Any, column: str = "") -> Any:
    """The ``--spreadsheet`` cell: formulas neutralised, and text a spreadsheet would turn into
    a number, date or boolean (the verdict ``false``, a note ``007``) prefixed with ``'`` too.

    This alters the text (documented): exact values are in the default CSV and in XLSX.
    """
    if not isinstance(value, str) or column in DATE_COLUMNS:
        return value
    if value.startswith(FORMULA_PREFIXES) or _LITERAL.fullmatch(value):
        return "'" + value
    return value


def csv_writer(fh: TextIO) -> Any:
    """RFC 4180: CRLF record ends, quotes only where needed; the text module's ``newline=""``."""
    return csv.writer(fh, lineterminator="\r\n", quoting=csv.QUOTE_MINIMAL)


def cells(values: Sequence[Any], columns: Sequence[str], spreadsheet: bool) -> list[Any]:
    out = ["" if v is None else v for v in values]
    return [spreadsheet_cell(v, c) for v, c in zip(out, columns, strict=True)] if spreadsheet else out


def write_csv(
    store: Store,
    path: str | Path | None,
    flt: ExportFilter | None = None,
    *,
    columns: Sequence[str] = COLUMN_NAMES,
    bom: bool = False,
    spreadsheet: bool = False,
    progress: ProgressFn | None = None,
) -> int:
    """Stream the annotation CSV to ``path`` (``None``: stdout); returns the row count.

    By default every cell is exact (``text == article_text[start:end]``), for pandas and R.
    """
    unknown = [c for c in columns if c not in COLUMN_NAMES]
    if unknown:
        raise ValueError(f"Unknown CSV column(s): {', '.join(unknown)}.")
    where, params = (flt or ExportFilter()).sql()
    ticker = Ticker(progress)
    with text_output(path, bom=bom) as fh:
        writer = csv_writer(fh)
        writer.writerow(columns)
        for row in store.review.iter_export_rows(where, params):
            writer.writerow(cells([row.get(c) for c in columns], columns, spreadsheet))
            ticker.tick()
        return ticker.finish()
