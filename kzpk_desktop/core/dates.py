"""The one place python-dateutil is called.

``dateutil.parser.parse("March 2020")`` silently fills the missing day from today. We
parse twice with two different defaults: whatever differs between the two results was
not in the string, so we know the precision we really found and never invent a day.
"""

from __future__ import annotations

import re
import unicodedata
from collections.abc import Iterator
from dataclasses import dataclass
from datetime import datetime
from functools import lru_cache
from typing import TYPE_CHECKING

from .errors import KzpkError

if TYPE_CHECKING:
    from dateparser.date import DateDataParser

_DEFAULT_A = datetime(2000, 1, 1)
_DEFAULT_B = datetime(2001, 2, 2)
# A year 1800-2199 standing alone: r"\b(1[89]\d\d|2[01]\d\d)\b" written to start with literals,
# which lets the regex engine skip to a "1" or "2" (5x faster over a paragraph: the import asks
# this of every line that might hold a date).
YEAR = re.compile(r"(?:1[89]|2[01])(?<!\w..)\d\d(?!\w)")
_YEAR = YEAR


@dataclass(frozen=True)
class ParsedDate:
    """A date as found: ISO text at the precision really present, plus the raw string."""

    iso: str  # "2025-09-09", "2025-09" or "2025"
    precision: str  # "day" | "month" | "year"
    raw: str


_MONTHS = {
    name: i
    for i, names in enumerate(
        (
            ("jan", "january"),
            ("feb", "february"),
            ("mar", "march"),
            ("apr", "april"),
            ("may",),
            ("jun", "june"),
            ("jul", "july"),
            ("aug", "august"),
            ("sep", "sept", "september"),
            ("oct", "october"),
            ("nov", "november"),
            ("dec", "december"),
        ),
        start=1,
    )
    for name in names
}
_MONTH = r"(?P<month>[A-Za-z]{3,9})\.?"
_DAY = r"(?P<day>\d{1,2})(?:st|nd|rd|th)?"
_WEEKDAY = r"(?:(?:mon|tue|wed|thu|fri|sat|sun)[a-z]*,?\s+)?"
_TIME = r"(?:\s*[|,]?\s*\d{1,2}:\d{2}(?::\d{2})?\s*(?:[ap]\.?m\.?)?)?"
_FAST = [
    re.compile(p, re.IGNORECASE)
    for p in (
        r"^(?P<year>\d{4})-(?P<mon>\d{2})-(?P<day>\d{2})(?:[T ]\d{2}:\d{2}.*)?$",
        rf"^{_WEEKDAY}{_DAY}\s+{_MONTH},?\s+(?P<year>\d{{4}}){_TIME}$",
        rf"^{_WEEKDAY}{_MONTH}\s+{_DAY},?\s+(?P<year>\d{{4}}){_TIME}$",
        rf"^{_MONTH}\s+(?P<year>\d{{4}})$",
        r"^(?P<year>\d{4})$",
    )
]


def _fast(cleaned: str, raw: str) -> ParsedDate | None:
    """Exact readings of the common unambiguous shapes (dateutil's fuzzy parse, run twice to
    learn the precision, costs ~0.45 ms a date: a third of import time)."""
    for pattern in _FAST:
        m = pattern.match(cleaned)
        if not m:
            continue
        parts = m.groupdict()
        year = int(parts["year"])
        if parts.get("mon"):
            month: int | None = int(parts["mon"])
        elif parts.get("month"):
            month = _MONTHS.get(parts["month"].lower())
            if month is None:
                return None  # not a month name: let dateutil decide
        else:
            month = None
        day = int(parts["day"]) if parts.get("day") else None
        try:
            if day is not None:
                datetime(year, month or 1, day)
                return ParsedDate(f"{year:04d}-{month:02d}-{day:02d}", "day", raw)
            if month is not None:
                datetime(year, month, 1)
                return ParsedDate(f"{year:04d}-{month:02d}", "month", raw)
        except ValueError:
            return None
        return ParsedDate(f"{year:04d}", "year", raw)
    return None


def parse_date(raw: str, *, dayfirst: bool = False) -> ParsedDate | None:
    """Parse a date string; ``None`` when it holds no year (we never guess a year)."""
    cleaned = raw.strip()
    if not cleaned or not _YEAR.search(cleaned):
        return None
    if not dayfirst:
        fast = _fast(cleaned, raw)
        if fast is not None:
            return fast
    return _with_dateutil(cleaned, raw, dayfirst)


def _with_dateutil(cleaned: str, raw: str, dayfirst: bool = False) -> ParsedDate | None:
    """The general path: parse twice with different defaults to see what was really there."""
    from dateutil import parser as _parser  # ~15 ms to load: at the first such date, not at start-up

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


class DateError(KzpkError):
    """A date typed by a user (filter box, command-line option) that is not one of the forms
    ``parse_user_date`` accepts; ``str()`` says what was typed and what would be accepted."""


USER_DATE_FORMS = "2025, 2025-09, 2025-09-09 or a day-first date such as 09/09/2025 or 9.9.2025"
_USER_ISO = re.compile(r"^(?P<year>\d{4})(?:-(?P<month>\d{1,2})(?:-(?P<day>\d{1,2}))?)?$")
_USER_DAY_FIRST = re.compile(r"^(?P<day>\d{1,2})(?P<sep>[/.])(?P<month>\d{1,2})(?P=sep)(?P<year>\d{4})$")


def parse_user_date(raw: str, what: str = "Date") -> str | None:
    """A date typed by a user in a filter or on the command line: ISO at the precision typed
    ('2025', '2025-09', '2025-09-09'); ``None`` when the box is blank.

    The only parser for typed dates (GUI filters and every CLI date option), and strict on
    purpose: a filter that silently drops a date it cannot read ('yesterday', '2025-13-45')
    returns every row while looking applied. Numeric dates with slashes or dots read day
    first (03/04/2025 = 3 April 2025). Anything else raises :class:`DateError`.
    """
    text = raw.strip()
    if not text:
        return None
    shown = text if len(text) <= 40 else text[:40] + "…"
    m = _USER_ISO.match(text) or _USER_DAY_FIRST.match(text)
    if m is None:
        raise DateError(f"{what}: '{shown}' is not a date; write {USER_DATE_FORMS}.")
    year = int(m.group("year"))
    month = int(m.group("month")) if m.group("month") else None
    day = int(m.group("day")) if m.group("day") else None
    try:
        datetime(max(year, 1), month or 1, day or 1)
        if year < 1:
            raise ValueError("year 0")
    except ValueError:
        raise DateError(f"{what}: '{shown}' is not a real calendar date; write {USER_DATE_FORMS}.") from None
    if day is not None:
        return f"{year:04d}-{month:02d}-{day:02d}"
    if month is not None:
        return f"{year:04d}-{month:02d}"
    return f"{year:04d}"


# --- dates as news prints them, in English, Russian, Kazakh and Urdu ---------------------

_NUMERIC = re.compile(r"^(?P<d>\d{1,2})[./-](?P<m>\d{1,2})[./-](?P<y>\d{4})(?:[ ,T|]+\d{1,2}:\d{2}.*)?$")
_KK_YEAR_FIRST = re.compile(r"^(?P<y>\d{4})\s*ж(?:ыл(?:ғы|ы)?)?\.?\s+(?P<d>\d{1,2})\s+(?P<m>\S+)(?P<rest>.*)$")
_NON_LATIN = re.compile(r"[^\x00-\u024f]")
_DATE_LANGUAGES = ["ru", "kk", "ur", "en"]
_ALL_LANGUAGES = tuple(_DATE_LANGUAGES)


@lru_cache(maxsize=2)
def _date_data_parser(languages: tuple[str, ...] = tuple(_DATE_LANGUAGES)) -> DateDataParser:
    """Built once per language set (constructing one per call cost ~0.1 ms and its caches)."""
    from dateparser.date import DateDataParser

    return DateDataParser(
        languages=list(languages),
        settings={"DATE_ORDER": "DMY", "REQUIRE_PARTS": ["year"], "PREFER_DATES_FROM": "past"},
    )


_LETTER_RUN = re.compile(r"[^\W\d_]+")
# What dateparser's sanitize_date needs to remove or merge letters: "...on: " prefixes, periods
# ("a.m."), the Russian "г." and ", в", Croatian " u", Roman-numeral years. Without any of them,
# a word unknown before sanitising is still there after it.
_SANITIZE_TAKES_LETTERS = re.compile(r"[:.гвГВ]|\bu\b|\b[MDCLXVI]+\b")


def _letter_runs(value: object) -> Iterator[str]:
    """Every run of letters in a (nested) piece of dateparser's locale data or regexes."""
    if isinstance(value, str):
        yield from _LETTER_RUN.findall(value)
    elif isinstance(value, re.Pattern) or hasattr(value, "pattern"):
        yield from _letter_runs(getattr(value, "pattern", ""))
    elif isinstance(value, dict):
        for k, v in value.items():
            yield from _letter_runs(k)
            yield from _letter_runs(v)
    elif isinstance(value, list | tuple | set | frozenset):
        for v in value:
            yield from _letter_runs(v)


@lru_cache(maxsize=8192)
def _folded(word: str) -> str:
    """Lower case without combining marks, as dateparser compares words (its NORMALIZE)."""
    return "".join(c for c in unicodedata.normalize("NFKD", word.lower()) if unicodedata.category(c) != "Mn")


@lru_cache(maxsize=4)
def _dateparser_words(languages: tuple[str, ...]) -> frozenset[str]:
    """Every word dateparser could read in these languages: a superset, on purpose.

    dateparser accepts a string only if each of its words (between non-letters, digits or
    ``_``) is a word of an applicable locale, a time zone name, or taken away by its own
    sanitising and simplification rules. So every letter run anywhere in that data (month
    and weekday names, skip words, relative phrases, simplification and time-zone patterns,
    the parser's hard-coded tokens) is collected; a string with a word outside the set cannot
    parse, and asking dateparser about it cost ~0.5 ms (three such strings per dateline)."""
    import dateparser.date as dp_date
    import dateparser.languages.dictionary as dp_dictionary
    import dateparser.languages.locale as dp_locale
    import dateparser.timezone_parser as dp_tz_parser
    from dateparser.languages.loader import default_loader
    from dateparser.timezones import timezone_info_list

    sources: list[object] = [timezone_info_list]
    for module in (dp_date, dp_dictionary, dp_locale, dp_tz_parser):
        sources += [
            v
            for k, v in vars(module).items()
            if not k.startswith("__") and (isinstance(v, str | list | tuple | dict) or hasattr(v, "pattern"))
        ]
    for locale in default_loader.get_locales(languages=list(languages), use_given_order=True):
        sources += [locale.info, locale._native.info]
    return frozenset(w for word in _letter_runs(sources) for w in (word.lower(), _folded(word)))


def could_be_dateparser_date(cleaned: str, languages: tuple[str, ...]) -> bool:
    """False when dateparser could not read ``cleaned`` in these languages: it holds a word
    (after dateparser's own sanitising) that none of them knows, such as the place and the
    outlet in "KARACHI, 17 January 2026 ,Dawn"."""
    known = _dateparser_words(languages)
    unknown = [w for w in _LETTER_RUN.findall(cleaned.lower()) if w not in known and _folded(w) not in known]
    if not unknown:
        return True
    if not _SANITIZE_TAKES_LETTERS.search(cleaned):  # sanitising cannot take the unknown word away
        return False
    from dateparser.date import sanitize_date

    return all(w in known or _folded(w) in known for w in _LETTER_RUN.findall(sanitize_date(cleaned).lower()))


def _dateparser_date(cleaned: str, raw: str) -> ParsedDate | None:
    """Month names in Russian, Kazakh and Urdu (and English), day before month; the period
    dateparser reports is the precision we keep (it fills a missing day, we drop it).

    A string in Latin letters only is tried as English alone: the other three languages are
    written in other scripts, and trying each language's words took most of an import's time."""
    languages = _ALL_LANGUAGES if _NON_LATIN.search(cleaned) else ("en",)
    if not could_be_dateparser_date(cleaned, languages):
        return None
    try:
        found = _date_data_parser(languages).get_date_data(cleaned)
    except (ValueError, OverflowError, TypeError):
        return None
    when = found.date_obj
    if when is None or not _YEAR.search(cleaned):
        return None
    if found.period == "year":
        return ParsedDate(f"{when.year:04d}", "year", raw)
    if found.period == "month":
        return ParsedDate(f"{when.year:04d}-{when.month:02d}", "month", raw)
    return ParsedDate(f"{when.year:04d}-{when.month:02d}-{when.day:02d}", "day", raw)


# dateparser costs ~4 ms a call: it only sees strings holding a month name it could read.
_MONTH_WORD = re.compile(
    r"(?i)\b(?:jan|feb|mar|apr|may|jun|jul|aug|sep|oct|nov|dec|"
    r"январ|феврал|март|апрел|ма[йяе]|июн|июл|август|сентябр|октябр|ноябр|декабр|"
    r"қаңтар|ақпан|наурыз|сәуір|мамыр|маусым|шілде|тамыз|қыркүйек|қазан|қараша|желтоқсан)|"
    r"جنوری|فروری|مارچ|اپریل|مئی|جون|جولائی|اگست|ستمبر|اکتوبر|نومبر|دسمبر"
)


_GODA = re.compile(r"\s+(?:года|г)\.?(?=$|[\s,])")
_ORDINAL = re.compile(r"(?<=\d)(?:st|nd|rd|th)\b")
_DIGITS_ONLY = re.compile(r"[\d\s./:-]+")
_THREE_LETTERS = re.compile(r"[A-Za-z]{3}")
_TIME_WORDS = re.compile(r"(?i)\b(?:[ap]\.?m\.?|pkt|gmt|utc|pst)\b")


@lru_cache(maxsize=4096)
def parse_news_date(raw: str) -> ParsedDate | None:
    """A line that *is* a date as news prints it: "14 марта 2025, 12:30", "Updated 15 Mar, 2025
    10:42am" (label already removed), "2025 жылғы 12 сәуір", "جمعہ 7 مارچ 2025", "12/03/2025"
    (day first, as in Pakistan and Kazakhstan). ``None`` without a year: never guessed."""
    cleaned = " ".join(raw.replace("|", " ").split()).strip(" ,.;:–—-")
    if not cleaned or len(cleaned) > 48 or not _YEAR.search(cleaned):  # length first: paragraphs come here too
        return None
    m = _NUMERIC.match(cleaned)
    if m:
        try:
            datetime(int(m["y"]), int(m["m"]), int(m["d"]))
        except ValueError:
            return None
        return ParsedDate(f"{int(m['y']):04d}-{int(m['m']):02d}-{int(m['d']):02d}", "day", raw)
    m = _KK_YEAR_FIRST.match(cleaned)
    if m:
        cleaned = f"{m['d']} {m['m']} {m['y']}{m['rest']}"
    if _NON_LATIN.search(cleaned):  # (Latin text holds no Russian "года"/"г.")
        cleaned = _GODA.sub("", cleaned)
    latin = _NON_LATIN.search(cleaned) is None
    if latin:
        fast = _fast(_ORDINAL.sub("", cleaned), raw)  # ISO, "7 March 2025", ...
        if fast is not None:
            return fast
    if not _MONTH_WORD.search(cleaned):
        return _with_dateutil(cleaned, raw, dayfirst=True) if _DIGITS_ONLY.fullmatch(cleaned) else None
    if latin:
        if _THREE_LETTERS.search(_TIME_WORDS.sub("", cleaned)):
            return _dateparser_date(cleaned, raw)  # month names; dateutil's fuzzy mode takes any word
        return _with_dateutil(cleaned, raw, dayfirst=True)
    return _dateparser_date(cleaned, raw)
