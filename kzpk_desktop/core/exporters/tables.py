"""Two more flat tables: one row per article, and one row per claim with everything joined in.

The claims table is what a statistician wants: speaker, the agreements a claim is about,
verdict, all evidence and the review, as plain cells (lists joined with " | ", never JSON).
"""

from __future__ import annotations

from collections.abc import Iterator
from operator import attrgetter
from pathlib import Path

from ..rows import ClaimRow, ClaimTableRow
from ..store import Store
from . import ProgressFn, Ticker, text_output
from .csv_export import cells, csv_writer

LIST_SEP = " | "

ARTICLE_COLUMNS: tuple[tuple[str, str], ...] = (
    ("article_id", "Integer id of the article in this database."),
    ("title", "Headline extracted from the text (or the file name)."),
    ("source", "Publisher recognised in the text; empty if unknown."),
    ("date", "Publication date, ISO 8601 at the precision found; empty if none."),
    ("date_precision", "day, month or year; empty if no date."),
    ("date_source", "Where the date came from: text, html-meta, epub-dc, pdf-info, docx-core, odt-meta or user."),
    ("url", "Web address of the article; empty if unknown."),
    ("language", "ISO 639 language code; empty if unknown."),
    ("author", "Author where stated; empty if none."),
    ("format", "Format of the imported file: txt, md, html, pdf, docx, odt or epub."),
    ("file_name", "File the article was imported from."),
    ("sha256", "SHA-256 of the stored text (UTF-8)."),
    ("characters", "Length of the stored text in Unicode code points."),
    ("status", "Progress: not_started, in_progress, annotated or reviewed."),
    ("annotations", "Number of spans in the article."),
    ("claims", "Number of claim spans."),
    ("actors", "Number of actor spans."),
    ("agreements", "Number of agreement spans."),
    ("reviewed", "Spans with a review decision."),
    ("unreviewed", "Spans without a review decision."),
)

CLAIM_COLUMNS: tuple[tuple[str, str], ...] = (
    ("claim_id", "Stable UUID of the claim span (annotation_id in the annotation CSV)."),
    ("article_id", "Integer id of the article."),
    ("article_title", "Headline of the article."),
    ("article_source", "Publisher; empty if unknown."),
    ("article_date", "Publication date, ISO 8601 at the precision found."),
    ("start", "Start offset in Unicode code points into the stored article text."),
    ("end", "End offset (exclusive): claim == article_text[start:end]."),
    ("claim", "The exact claim text."),
    ("claim_type", "statistic, commitment, event, opinion or other; empty if not set."),
    ("speaker", "Canonical name(s) of the actor(s) the claim is said_by (the actor span's text if unlinked)."),
    ("speaker_entity_id", "Entity id(s) of the speaker(s), joined with ' | '."),
    ("about_agreements", "Canonical names of the agreements the claim is about, joined with ' | '."),
    ("status", "Review status: unreviewed, accepted, rejected or needs_work."),
    ("verdict", "Verdict on the documented scale; empty if none."),
    ("confidence", "Reviewer's confidence: low, medium or high."),
    ("evidence_count", "Number of evidence items."),
    ("evidence_urls", "Evidence URLs in order, joined with ' | '."),
    ("evidence_stances", "supports/refutes for each URL, in the same order."),
    ("evidence_quotes", "Quoted passages in the same order."),
    ("reviewer", "Who made the latest decision."),
    ("reviewed_at", "When, ISO 8601 UTC."),
    ("annotator", "Who marked the claim."),
    ("note", "Annotator's note."),
)


def write_articles_csv(
    store: Store,
    path: str | Path | None,
    *,
    bom: bool = False,
    spreadsheet: bool = False,
    progress: ProgressFn | None = None,
) -> int:
    names = [c for c, _ in ARTICLE_COLUMNS]
    ticker = Ticker(progress)
    with text_output(path, bom=bom) as fh:
        w = csv_writer(fh)
        w.writerow(names)
        values = attrgetter(*names)  # (a tuple of the fields named by the columns, in column order)
        for row in store.articles.iter_article_table():
            w.writerow(cells(values(row), names, spreadsheet))
            ticker.tick()
        return ticker.finish()


def claim_rows(store: Store, where: str = "", params: list[object] | None = None) -> Iterator[ClaimTableRow]:
    """Claims with speaker, agreements and evidence joined in (lists as ' | '-joined text),
    streamed: 400,000 rows held at once cost more in garbage-collector passes than to build."""
    for row in store.annotations.iter_claims(where, params or []):
        evidence = store.review.evidence_for(row.claim_id)
        yield ClaimTableRow(
            row,
            len(evidence),
            LIST_SEP.join(e.url for e in evidence),
            LIST_SEP.join(e.stance for e in evidence),
            LIST_SEP.join(" ".join(e.quote.split()) for e in evidence),
        )


def write_claims_csv(
    store: Store,
    path: str | Path | None,
    where: str = "",
    params: list[object] | None = None,
    *,
    bom: bool = False,
    spreadsheet: bool = False,
    progress: ProgressFn | None = None,
) -> int:
    names = [c for c, _ in CLAIM_COLUMNS]
    rows = claim_rows(store, where, params)
    claim_fields = set(ClaimRow._fields)
    # One C call per row for every cell, in column order (``claim.x`` reaches into the claim).
    values = attrgetter(*(f"claim.{c}" if c in claim_fields else c for c in names))
    ticker = Ticker(progress)
    with text_output(path, bom=bom) as fh:
        w = csv_writer(fh)
        w.writerow(names)
        for row in rows:
            w.writerow(cells(values(row), names, spreadsheet))
            ticker.tick()
        return ticker.finish()
