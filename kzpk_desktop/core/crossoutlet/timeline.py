"""Timeline: events, agreements and claims placed in time, from article dates and from dates
mentioned in the spans ("on Tuesday" resolved with ``dateparser`` against the article date);
one event given different dates by different outlets is flagged."""

from __future__ import annotations

import re
from collections import defaultdict
from dataclasses import dataclass
from datetime import date, datetime, timedelta
from typing import TypedDict

import dateparser

from ..store.crossoutlet import SpanRow

_MONTH = (
    r"(?:Jan(?:uary)?|Feb(?:ruary)?|Mar(?:ch)?|Apr(?:il)?|May|June?|July?|Aug(?:ust)?|"
    r"Sep(?:t(?:ember)?)?|Oct(?:ober)?|Nov(?:ember)?|Dec(?:ember)?)"
)
DATE_MENTION = re.compile(
    rf"\b(?:\d{{1,2}}(?:st|nd|rd|th)?\s+{_MONTH}(?:,?\s+\d{{4}})?|{_MONTH}\s+\d{{1,2}}(?:st|nd|rd|th)?(?:,?\s+\d{{4}})?"
    rf"|\d{{4}}-\d{{2}}-\d{{2}}|(?:on\s+)?(?:Monday|Tuesday|Wednesday|Thursday|Friday|Saturday|Sunday)"
    rf"|yesterday|today|last\s+week|in\s+{_MONTH}(?:\s+\d{{4}}|\s+(?:this|next|last)\s+year)?)\b",
    re.IGNORECASE,
)


_WEEKDAYS = ("monday", "tuesday", "wednesday", "thursday", "friday", "saturday", "sunday")


@dataclass(frozen=True)
class TimelineItem:
    date: str  # ISO day
    kind: str  # claim, agreement or article
    text: str
    article_id: int
    annotation_id: str | None
    source: str | None
    date_text: str  # what the date was read from ("on Tuesday", "the article date", ...)
    key: str  # the event this item belongs to (entity name, or the span text)
    start: int = 0  # the span's offsets in its article (code points), to open it there
    end: int = 0


@dataclass(frozen=True)
class DateConflict:
    key: str
    dates: tuple[tuple[str, int, str | None], ...]  # (date, article id, source)


@dataclass(frozen=True)
class Timeline:
    items: tuple[TimelineItem, ...]
    conflicts: tuple[DateConflict, ...]


class _DateparserSettings(TypedDict, total=False):
    """The dateparser settings used here (a datetime among them: not a JSON document)."""

    PREFER_DATES_FROM: str
    PREFER_DAY_OF_MONTH: str
    RETURN_AS_TIMEZONE_AWARE: bool
    RELATIVE_BASE: datetime


def resolve(mention: str, base: str | None) -> str | None:
    """A date mention as an ISO day, relative words read against the article date."""
    settings: _DateparserSettings = {
        "PREFER_DATES_FROM": "past",
        "PREFER_DAY_OF_MONTH": "first",
        "RETURN_AS_TIMEZONE_AWARE": False,
    }
    if base and len(base) >= 10:
        settings["RELATIVE_BASE"] = datetime.fromisoformat(base[:10])
    text = re.sub(r"^on\s+", "", mention.strip(), flags=re.IGNORECASE)
    text = re.sub(r"^in\s+", "", text, flags=re.IGNORECASE)
    if base and len(base) >= 10 and text.lower() in _WEEKDAYS:
        # "on Tuesday" in a report: the latest such day on or before the article date (news reports
        # the past; dateparser would pick the Tuesday before an article dated on a Tuesday)
        day = date.fromisoformat(base[:10])
        return (day - timedelta(days=(day.weekday() - _WEEKDAYS.index(text.lower())) % 7)).isoformat()
    relative_year = re.fullmatch(r"(\w+)\s+(this|next|last)\s+year", text, flags=re.IGNORECASE)
    if relative_year and base and len(base) >= 10:
        # "in November this year" in a September report is the coming November, not the last one
        year = int(base[:4]) + {"this": 0, "next": 1, "last": -1}[relative_year.group(2).lower()]
        text = f"{relative_year.group(1)} {year}"
    parsed = dateparser.parse(text, languages=["en"], settings=settings)
    return parsed.date().isoformat() if parsed else None


def _in_sentence(s: SpanRow) -> re.Match[str] | None:
    """The date mention nearest the span within its sentence ("signed on Tuesday a memorandum")."""
    before = re.split(r"[.!?\n]", s.before)[-1]
    after = re.split(r"[.!?\n]", s.after)[0]
    found = list(DATE_MENTION.finditer(before))
    return found[-1] if found else DATE_MENTION.search(after)


def build_timeline(spans: list[SpanRow]) -> Timeline:
    """One item per dated span; spans of one event (same linked entity, or an agreement's name)
    dated differently by different articles are conflicts."""
    items: list[TimelineItem] = []
    for s in spans:
        m = DATE_MENTION.search(s.text) or _in_sentence(s)
        when = resolve(m.group(0), s.article_date) if m else None
        how = m.group(0) if m and when else ""
        if when is None and s.entity_date and len(s.entity_date) >= 10:
            when, how = s.entity_date[:10], "the agreement's date"
        if when is None and s.article_date and len(s.article_date) >= 10:
            when, how = s.article_date[:10], "the article date"
        if when is None:
            continue
        key = (s.entity_name or next(iter(s.about), None) or " ".join(s.text.split())).strip()
        items.append(
            TimelineItem(
                when, s.label, " ".join(s.text.split()), s.article_id, s.id, s.article_source, how, key, s.start, s.end
            )
        )
    items.sort(key=lambda i: (i.date, i.article_id, i.text))
    by_key: dict[str, list[TimelineItem]] = defaultdict(list)
    for it in items:
        if it.date_text != "the article date":
            by_key[it.key.lower()].append(it)
    conflicts = []
    for group in by_key.values():
        if len({i.date for i in group}) > 1 and len({i.article_id for i in group}) > 1:
            conflicts.append(
                DateConflict(group[0].key, tuple(sorted({(i.date, i.article_id, i.source) for i in group})))
            )
    conflicts.sort(key=lambda c: c.key.lower())
    return Timeline(tuple(items), tuple(conflicts))
