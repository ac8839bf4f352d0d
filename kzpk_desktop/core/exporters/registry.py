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
from .qdpx import write_qdpx
from .tables import write_articles_csv, write_claims_csv
from .webanno import write_webanno

Progress = Callable[[int], bool]


@dataclass(frozen=True)
class Format:
    name: str
    extension: str
    title: str
    write: Callable[..., int]  # (store, path, flt, options, progress) -> records written
    unit: str  # what the count counts
    filters: bool = True  # honours span filters (status, label, verdict, ...)
    csv_options: bool = False  # BOM, formula neutralisation, columns


def _claims_where(flt: ExportFilter) -> tuple[str, list[Any]]:
    where, params = flt.sql()
    return where.replace("WHERE ", "").replace("ann.", "c."), params


FORMATS: dict[str, Format] = {f.name: f for f in (
    Format("csv", "csv", "CSV — one row per annotation (pandas, R, spreadsheets)",
           lambda s, p, f, o, pr: write_csv(s, p, f, columns=o.get("columns") or _all_columns(),
                                            bom=o.get("bom", False), safe=o.get("safe", True), progress=pr),
           "annotations", csv_options=True),
    Format("claims-csv", "csv", "Claims table — one row per claim with speaker, agreements, verdict, evidence",
           lambda s, p, f, o, pr: write_claims_csv(s, p, *_claims_where(f), bom=o.get("bom", False),
                                                   safe=o.get("safe", True)),
           "claims", csv_options=True),
    Format("articles-csv", "csv", "Articles CSV — one row per article with counts and review status",
           lambda s, p, f, o, pr: write_articles_csv(s, p, bom=o.get("bom", False), safe=o.get("safe", True),
                                                     progress=pr),
           "articles", filters=False, csv_options=True),
    Format("jsonl", "jsonl", "JSONL — one record per article with text, spans, entities, relations (re-importable)",
           lambda s, p, f, o, pr: write_jsonl(s, p, article_ids=set(f.article_id) or None, progress=pr),
           "articles", filters=False),
    Format("webanno", "jsonld", "W3C Web Annotation JSON-LD (position and quote selectors)",
           lambda s, p, f, o, pr: write_webanno(s, p, f), "annotations"),
    Format("brat", "zip", "brat standoff (.txt + .ann per article, zipped)",
           lambda s, p, f, o, pr: write_brat(s, p, f), "annotations"),
    Format("claimreview", "jsonld", "schema.org ClaimReview JSON-LD (claims with a verdict)",
           lambda s, p, f, o, pr: write_claimreview(s, p), "claim reviews", filters=False),
    Format("qdpx", "qdpx", "REFI-QDA project for QualCoder, ATLAS.ti, MAXQDA, NVivo",
           lambda s, p, f, o, pr: write_qdpx(s, p, f), "annotations"),
    Format("averitec", "json", "AVeriTeC-style JSON (claims, question–answer evidence, 4 labels)",
           lambda s, p, f, o, pr: write_averitec(s, p), "claims", filters=False),
)}


def _all_columns() -> tuple[str, ...]:
    from .csv_export import COLUMN_NAMES

    return COLUMN_NAMES


def export(store: Store, fmt: str, path: str | Path | None, flt: ExportFilter | None = None,
           options: dict[str, Any] | None = None, progress: Progress | None = None) -> int:
    """Write one export; returns how many records (see ``Format.unit``) were written."""
    if fmt not in FORMATS:
        raise ValueError(f"Unknown export format '{fmt}' (choose from {', '.join(FORMATS)}).")
    return FORMATS[fmt].write(store, path, flt or ExportFilter(), options or {}, progress)
