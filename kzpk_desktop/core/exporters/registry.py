"""Every export format in one table: what the CLI offers and the GUI's export dialog lists."""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from ..store import Store
from .averitec import write_averitec
from .brat import write_brat
from .claimreview import write_claimreview
from .csv_export import write_csv
from .filters import ExportFilter
from .jsonl import write_jsonl
from .options import ExportOptions
from .qdpx import write_qdpx
from .tables import write_articles_csv, write_claims_csv
from .webanno import write_webanno
from .xlsx import write_xlsx

Progress = Callable[[int], bool]
# (store, path, span filter, options, progress) -> records written
Writer = Callable[[Store, str | Path | None, ExportFilter, ExportOptions, Progress | None], int]


@dataclass(frozen=True)
class Format:
    name: str
    extension: str
    title: str
    write: Writer
    unit: str  # what the count counts
    filters: bool = True  # honours span filters (status, label, verdict, ...)
    csv_options: bool = False  # BOM, spreadsheet variant
    columns: bool = False  # the annotation columns can be chosen
    client: str = ""  # the program it was checked with (docs/formats.md)

    @property
    def binary(self) -> bool:
        """A zip (brat, qdpx, xlsx): never written to a terminal."""
        return self.extension in ("zip", "qdpx", "xlsx")


def _claims_where(flt: ExportFilter) -> tuple[str, list[Any]]:
    where, params = flt.sql()
    return where.replace("WHERE ", "").replace("ann.", "c."), params


FORMATS: dict[str, Format] = {
    f.name: f
    for f in (
        Format(
            "csv",
            "csv",
            "CSV — one row per annotation, exact text (pandas, R)",
            lambda s, p, f, o, pr: write_csv(
                s, p, f, columns=o.columns or _all_columns(), bom=o.bom, spreadsheet=o.spreadsheet, progress=pr
            ),
            "annotations",
            csv_options=True,
            columns=True,
            client="pandas, Python csv (strict), LibreOffice Calc",
        ),
        Format(
            "xlsx",
            "xlsx",
            "Excel workbook — one row per annotation, every text cell typed as text (spreadsheets)",
            lambda s, p, f, o, pr: write_xlsx(s, p, f, columns=o.columns or _all_columns(), progress=pr),
            "annotations",
            columns=True,
            client="LibreOffice Calc (headless conversion), openpyxl",
        ),
        Format(
            "claims-csv",
            "csv",
            "Claims table — one row per claim with speaker, agreements, verdict, evidence",
            lambda s, p, f, o, pr: write_claims_csv(
                s, p, *_claims_where(f), bom=o.bom, spreadsheet=o.spreadsheet, progress=pr
            ),
            "claims",
            csv_options=True,
            client="pandas, Python csv (strict)",
        ),
        Format(
            "articles-csv",
            "csv",
            "Articles CSV — one row per article with counts and review status",
            lambda s, p, f, o, pr: write_articles_csv(s, p, bom=o.bom, spreadsheet=o.spreadsheet, progress=pr),
            "articles",
            filters=False,
            csv_options=True,
            client="pandas, Python csv (strict)",
        ),
        Format(
            "jsonl",
            "jsonl",
            "JSONL — one record per article with text, spans, entities, relations (re-importable)",
            lambda s, p, f, o, pr: write_jsonl(s, p, article_ids=set(f.article_id) or None, progress=pr),
            "articles",
            filters=False,
            client="kzpk import-annotations, Python json",
        ),
        Format(
            "webanno",
            "jsonld",
            "W3C Web Annotation JSON-LD (position and quote selectors)",
            lambda s, p, f, o, pr: write_webanno(s, p, f, progress=pr),
            "annotations",
            client="pyld (JSON-LD expansion with the W3C context)",
        ),
        Format(
            "brat",
            "zip",
            "brat standoff (.txt + .ann per article, zipped)",
            lambda s, p, f, o, pr: write_brat(s, p, f, progress=pr),
            "annotations",
            client="brat's own .ann reading and overlap rules (re-implemented in the tests)",
        ),
        Format(
            "claimreview",
            "jsonld",
            "schema.org ClaimReview JSON-LD (claims with a verdict)",
            lambda s, p, f, o, pr: write_claimreview(s, p, o, progress=pr),
            "claim reviews",
            filters=False,
            client="pyld (JSON-LD expansion), Google Fact Check required properties",
        ),
        Format(
            "qdpx",
            "qdpx",
            "REFI-QDA project for QualCoder, ATLAS.ti, MAXQDA, NVivo",
            lambda s, p, f, o, pr: write_qdpx(s, p, f, progress=pr, notices=o.notices),
            "annotations",
            client="REFI-QDA Project-mrt2019.xsd (xmlschema), QualCoder import",
        ),
        Format(
            "averitec",
            "json",
            "AVeriTeC-style JSON (claims, question–answer evidence, 4 labels)",
            lambda s, p, f, o, pr: write_averitec(s, p, pr),
            "claims",
            filters=False,
            client="schema checked in the tests (AVeriTeC fields and labels)",
        ),
    )
}


def _all_columns() -> tuple[str, ...]:
    from .csv_export import COLUMN_NAMES

    return COLUMN_NAMES


def export(
    store: Store,
    fmt: str,
    path: str | Path | None,
    flt: ExportFilter | None = None,
    options: ExportOptions | None = None,
    progress: Progress | None = None,
) -> int:
    """Write one export; returns how many records (see ``Format.unit``) were written.

    ``progress(n)`` returning False cancels any format: ``ExportCancelled`` is raised and no
    file is written. ``options.notices``, a list, receives what the user should know.
    """
    if fmt not in FORMATS:
        raise ValueError(f"Unknown export format '{fmt}' (choose from {', '.join(FORMATS)}).")
    return FORMATS[fmt].write(store, path, flt or ExportFilter(), options or ExportOptions(), progress)
