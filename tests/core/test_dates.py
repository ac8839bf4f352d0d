"""Dates: explicit defaults, the precision really found, raw string kept."""

from __future__ import annotations

import pytest

from kzpk_desktop.core.dates import parse_date, parse_user_date


@pytest.mark.parametrize(
    ("raw", "iso", "precision"),
    [
        ("2026-02-03", "2026-02-03", "day"),
        ("Tue Sep 09 2025", "2025-09-09", "day"),
        ("10 June 2023", "2023-06-10", "day"),
        ("September 09, 2025 | 06:50 PM", "2025-09-09", "day"),
        ("9th Sep, 2025", "2025-09-09", "day"),
        ("March 2020", "2020-03", "month"),
        ("2020", "2020", "year"),
    ],
)
def test_parse_date_reports_true_precision(raw: str, iso: str, precision: str) -> None:
    found = parse_date(raw)
    assert found is not None
    assert (found.iso, found.precision, found.raw) == (iso, precision, raw)


@pytest.mark.parametrize("raw", ["", "no date here", "Tuesday", "June 5"])
def test_no_year_means_no_date(raw: str) -> None:
    assert parse_date(raw) is None


def test_user_dates_prefer_day_first_except_iso() -> None:
    assert parse_user_date("03/04/2025") == "2025-04-03"
    assert parse_user_date("2025-04-03") == "2025-04-03"


@pytest.mark.parametrize(
    "raw",
    [
        "2026-02-03",
        "Tue Sep 09 2025",
        "10 June 2023",
        "September 09, 2025 | 06:50 PM",
        "March 2020",
        "2020",
        "9th Sep, 2025",
        "1 Jan 2024",
        "Dec 31, 1999",
        "Wednesday, 3 April 2024",
        "Feb 29 2024",
        "May 2019",
        "Sept 9 2025",
        "2025-09-09T18:50:00",
        "31 June 2023",
    ],
)
def test_the_fast_path_agrees_with_dateutil(raw: str) -> None:
    from kzpk_desktop.core.dates import _fast, _with_dateutil

    fast = _fast(raw.strip(), raw)
    if fast is not None:
        assert fast == _with_dateutil(raw.strip(), raw)


@pytest.mark.parametrize(
    ("raw", "iso"),
    [
        ("2025", "2025"),
        ("2025-09", "2025-09"),
        ("2025-9", "2025-09"),
        ("2025-09-09", "2025-09-09"),
        ("09/09/2025", "2025-09-09"),
        ("9.9.2025", "2025-09-09"),
        ("31.12.1999", "1999-12-31"),
        ("1/2/2025", "2025-02-01"),
        ("  2024-02-29 ", "2024-02-29"),
        ("", None),
        ("   ", None),
    ],
)
def test_user_dates_accept_only_the_documented_forms(raw: str, iso: str | None) -> None:
    assert parse_user_date(raw) == iso


@pytest.mark.parametrize(
    ("raw", "reason"),
    [
        ("yesterday", "is not a date"),
        ("2025-13-45", "is not a real calendar date"),
        ("2025-02-30", "is not a real calendar date"),
        ("31/02/2025", "is not a real calendar date"),
        ("2023-02-29", "is not a real calendar date"),
        ("0000", "is not a real calendar date"),
        ("March 2020", "is not a date"),
        ("2025/09/09", "is not a date"),
        ("9-9-2025", "is not a date"),
        ("09/09/25", "is not a date"),
        ("9.9/2025", "is not a date"),
        ("2025-09-09T10:00", "is not a date"),
        ("20250", "is not a date"),
        ("-2025", "is not a date"),
        ("1e3", "is not a date"),
    ],
)
def test_user_dates_refuse_anything_else_with_a_sentence(raw: str, reason: str) -> None:
    from kzpk_desktop.core.dates import DateError
    from kzpk_desktop.core.errors import KzpkError

    with pytest.raises(DateError) as caught:
        parse_user_date(raw, "--date-to")
    message = str(caught.value)
    assert isinstance(caught.value, KzpkError)
    assert message.startswith(f"--date-to: '{raw.strip()}' {reason}; write 2025, 2025-09, 2025-09-09")
    assert message.endswith(".") and "\n" not in message
