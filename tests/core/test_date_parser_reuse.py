"""dateparser took most of an import's time (issue 20's import figure): one parser is built per
language set and reused, and a string in Latin letters is tried as English alone."""

from __future__ import annotations

from typing import Any

import pytest
from dateparser import date as dp_date

from kzpk_desktop.core import dates


def test_one_parser_per_language_set_english_alone_for_latin_text(monkeypatch: pytest.MonkeyPatch) -> None:
    built: list[list[str]] = []
    real = dp_date.DateDataParser

    class Recording(real):  # type: ignore[misc, valid-type]
        def __init__(self, *args: Any, languages: list[str] | None = None, **kwargs: Any) -> None:
            built.append(list(languages or []))
            super().__init__(*args, languages=languages, **kwargs)

    monkeypatch.setattr(dp_date, "DateDataParser", Recording)
    if hasattr(dates._date_data_parser, "cache_clear"):
        dates._date_data_parser.cache_clear()
    dates.parse_news_date.cache_clear()
    got = [
        dates.parse_news_date(s)
        for s in (
            "Saturday 17 January 2026 at 10:30",  # every word one dateparser knows (see the pre-filter)
            "Sunday 3 March 2024 at 09:15",
            "Friday 9 June 2023 at 18:00",
            "14 марта 2025, 12:30",
            "2025 жылғы 12 сәуір",
        )
    ]
    assert [g.iso if g else None for g in got[3:]] == ["2025-03-14", "2025-04-12"]
    assert built == [["en"], ["ru", "kk", "ur", "en"]]
    dates._date_data_parser.cache_clear()  # not this test's recording parser for the next test
