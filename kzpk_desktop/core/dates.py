"""The one place python-dateutil is called.

``dateutil.parser.parse("March 2020")`` silently fills the missing day from today. We
parse twice with two different defaults: whatever differs between the two results was
not in the string, so we know the precision we really found and never invent a day.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from datetime import datetime

from dateutil import parser as _parser

_DEFAULT_A = datetime(2000, 1, 1)
_DEFAULT_B = datetime(2001, 2, 2)
_YEAR = re.compile(r"\b(1[89]\d\d|2[01]\d\d)\b")


@dataclass(frozen=True)
class ParsedDate:
    """A date as found: ISO text at the precision really present, plus the raw string."""

    iso: str  # "2025-09-09", "2025-09" or "2025"
    precision: str  # "day" | "month" | "year"
    raw: str


def parse_date(raw: str, *, dayfirst: bool = False) -> ParsedDate | None:
    """Parse a date string; ``None`` when it holds no year (we never guess a year)."""
    cleaned = raw.strip()
    if not cleaned or not _YEAR.search(cleaned):
        return None
    try:
        a = _parser.parse(cleaned, default=_DEFAULT_A, dayfirst=dayfirst, fuzzy=True)
        b = _parser.parse(cleaned, default=_DEFAULT_B, dayfirst=dayfirst, fuzzy=True)
    except (ValueError, OverflowError):
        return None
    if a.year != b.year:
        return None
    if a.month != b.month:
        return ParsedDate(f"{a.year:04d}", "year", raw)
    if a.day != b.day:
        return ParsedDate(f"{a.year:04d}-{a.month:02d}", "month", raw)
    return ParsedDate(f"{a.year:04d}-{a.month:02d}-{a.day:02d}", "day", raw)


def parse_user_date(raw: str) -> str | None:
    """A date typed by a user (filters, CLI); ISO day text or ``None``. Day first wins ties."""
    found = parse_date(raw, dayfirst=not re.match(r"^\d{4}-", raw.strip()))
    return found.iso if found else None
