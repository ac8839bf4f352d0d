"""What the user chose for one export, as the GUI's dialog and the CLI's flags pass it on.

A frozen dataclass rather than a dict of options: a misspelt option is a type error instead
of an option silently ignored, and every exporter sees the same names and types.
"""

from __future__ import annotations

from dataclasses import dataclass, field

from .filters import ExportFilter


@dataclass(frozen=True)
class ExportOptions:
    """Options of one export beyond its format, destination and span filter.

    Each format reads only the options it has (``Format.csv_options``, ``Format.columns``,
    ``claimreview``); the others ignore them.
    """

    bom: bool = False  # CSV: start with a UTF-8 byte order mark (Excel)
    spreadsheet: bool = False  # CSV: the spreadsheet-safe variant (no formulas)
    columns: tuple[str, ...] | None = None  # csv, xlsx: the annotation columns (None: all)
    author: str | None = None  # claimreview: who publishes the reviews (else the project setting)
    author_type: str | None = None  # claimreview: Organization or Person
    base_url: str | None = None  # claimreview: where the reviews will live
    # Receives what the user should know (e.g. characters XML cannot hold); the caller shows it.
    notices: list[str] | None = field(default=None, compare=False)


@dataclass(frozen=True)
class ExportRequest:
    """One export as the GUI asks for it: the format, where to, which spans, and the options."""

    format: str
    path: str
    filter: ExportFilter = field(default_factory=ExportFilter)
    options: ExportOptions = field(default_factory=ExportOptions)
