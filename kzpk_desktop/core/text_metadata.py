"""What a plain text states about itself: headline, date, outlet, author and URL.

Read from the first lines (headline, kicker, byline, date line, dateline) and the last ones
(source line, copyright footer). Every value is taken from a line that states it; an outlet
named without a label ("Xinhua" alone on the last line) must be in the outlet table.

This runs for every imported file, so each line is first asked cheaply whether it *could*
hold a value (a year for a date, a separator for a dateline); the full readers run only on
lines that pass, and reading stops once every field is found.
"""

from __future__ import annotations

import re
from dataclasses import dataclass

from .dates import YEAR, ParsedDate, parse_date, parse_news_date
from .outlets import outlet_for_name, outlet_for_url

TITLE_MAX = 160

_DATE_PREFIX = re.compile(r"^\s*date\s+(\d{4}-\d{2}-\d{2})\b\s*(.*)$", re.IGNORECASE)
_DATE_LABEL = re.compile(
    r"^(?:(?:last\s+)?updated(?:\s+on)?|published(?:\s+on)?|posted(?:\s+on)?|date|dated|"
    r"опубликовано|обновлено|дата публикации|дата|"
    r"жарияланған(?:\s+уақыты|\s+күні)?|жаңартылды|жаңартылған(?:\s+уақыты|\s+күні)?|"
    r"اپ ڈیٹ|شائع شدہ|شائع|تاریخ اشاعت|اشاعت)\s*[:：]?\s+(?P<rest>.+)$",
    re.IGNORECASE,
)
_SOURCE_LABEL = re.compile(
    r"^(?:source|courtesy|via|источник|по материалам|материал подготовлен по данным|дереккөз|ақпарат көзі|"
    r"ذریعہ|بشکریہ|ماخذ)\s*[:：]?\s+(?P<rest>.+)$",
    re.IGNORECASE,
)
_AUTHOR_LABEL = re.compile(
    r"^(?:by|author|written by|reporter|автор|текст|авторы|رپورٹ|تحریر|از)\s*[:：]?\s+(?P<rest>.+)$",
    re.IGNORECASE,
)
_PHOTO = re.compile(r"^(?:photo|фото|сурет|تصویر)\s*[:：]", re.IGNORECASE)
_URL = re.compile(r"(?P<url>https?://[^\s<>\"]+)")
_INLINE_PUBLISHED = re.compile(r"^(?P<name>[^|]{3,40}?)\s+Published\s+(?P<date>.+)$")
_DESK = re.compile(
    r"^(?:our|staff|special|news|web|from our)\b.*\b(?:correspondent|reporter|desk|report)$|"
    r"^(?:staff|web desk|news desk|editorial|agencies|monitoring desk)$|"
    r"^(?:нөмірдің|наш|собственный) корреспондент$|^نمائندہ",
    re.IGNORECASE,
)
_COPYRIGHT = re.compile(r"^(?:copyright\s*)?(?:©|\(c\)|copyright)\s*(?P<rest>.+)$", re.IGNORECASE)
_DASH_FOOTER = re.compile(r"^[—–-]\s*(?P<rest>.{2,50})$")
_DATELINE_HEAD = re.compile(r"^(?P<head>.{2,90}?)(?:\s*[:：]\s+|\s+[—–-]\s+|\)\s*|\s*/\s*\.\s+)(?P<rest>\S.*)$")
_DATELINE_PLACE = re.compile(r"^[A-ZА-ЯЁӘҒҚҢӨҰҮҺІ\u0600-\u06ff][\w .'-]{1,30}?[,.\s(]")
_KICKER = re.compile(r"^[^\W\d_a-zа-яёәғқңөұүһі]+$")  # one upper-case word: WORLD, ПОЛИТИКА
_TITLE_WORDS_MIN = 2
_HEADING_MARK = re.compile(r"^#{1,6}\s+")
_EMPHASIS = re.compile(r"(\*\*|__|\*|_)")
_PRECISION_RANK = {"year": 0, "month": 1, "day": 2}
# Any of the labelled-line readers (photo credit, "date 2025-..", "Published:", "By", a desk,
# "Source:"), as one pattern: one call tells a body line from a line worth the readers below.
_ANY_LABEL = re.compile(
    "|".join(
        f"(?:{p.pattern.replace('(?P<rest>', '(?:')})"
        for p in (_PHOTO, _DATE_PREFIX, _DATE_LABEL, _AUTHOR_LABEL, _DESK, _SOURCE_LABEL)
    ),
    re.IGNORECASE,
)


def _plain_line(line: str) -> bool:
    """No label, URL, "Published" or " | " parts: then the line reader's only readings are a
    date, a known outlet or a dateline (the same, and in the same order, as for any line)."""
    return " | " not in line and "http" not in line and "Published" not in line and not _ANY_LABEL.match(line)


_HEAD_LINES = 14  # headline, kicker, byline, date line and dateline come before the 14th line
# what the dateline readers below look for: "(APP)", "/ТАСС/", "ISLAMABAD:", "ASTANA – ..."
# (two searches that each start with a character set: ~4x faster than one with "|")
_DATELINE_MARK = re.compile(r"[:：()/]")
_DATELINE_DASH = re.compile(r"[—–-](?<=\s.)(?=\s)")


def _news_date(raw: str) -> ParsedDate | None:
    """``parse_news_date``, without its cache key, split and join for the many strings that hold
    no year (body paragraphs, place names): it returns ``None`` for those."""
    return parse_news_date(raw) if YEAR.search(raw) else None


def _canonical_source(name: str) -> str | None:
    """An outlet from a labelled line: the table's name for it, else the name as printed."""
    name = name.strip(" .:-—–*_«»\"'")
    if not name or len(name) > 60:
        return None
    return outlet_for_name(name) or outlet_for_url(name if "." in name and " " not in name else None) or name


def _known_outlet(text: str) -> str | None:
    """An outlet in the table named by a bare chunk of text (no label to vouch for it)."""
    chunk = text.strip(" .:-—–*_«»\"'/()[]|")
    if not chunk or len(chunk) > 50:
        return None
    return outlet_for_name(chunk) or (outlet_for_url(chunk) if re.fullmatch(r"[\w-]+(?:\.[\w-]+)+", chunk) else None)


def _strip_markup(line: str) -> str:
    """Markdown emphasis and heading marks around a line (``# Title``, ``*By X*``, ``**Published:**``)."""
    line = line.strip()
    if "#" not in line and "*" not in line and "_" not in line:  # most lines: nothing to take off
        return line
    line = _HEADING_MARK.sub("", line)
    return _EMPHASIS.sub("", line).strip()


def _shorten(line: str) -> str:
    line = line.strip()
    if len(line) <= TITLE_MAX:
        return line
    cut = line[:TITLE_MAX].rsplit(" ", 1)[0]
    return cut.rstrip(",;:") + "…"


def _first_sentence(text: str) -> str:
    m = re.match(r"(.+?[.!?])(\s|$)", text)
    return m.group(1) if m else text


def _is_title_candidate(line: str) -> bool:
    words = line.split()
    if len(words) < _TITLE_WORDS_MIN or line.startswith("icon-") or _URL.search(line):
        return False
    return not (len(words) <= 3 and line.isupper())


def _dateline(line: str) -> tuple[str | None, ParsedDate | None, str | None]:
    """(outlet, date, the text after the dateline) of a dateline such as "ISLAMABAD, March 14
    (APP): ...", "АСТАНА, 14 марта. /ТАСС/. ...", "لاہور (جیو نیوز) ..." or "ASTANA. KAZINFORM – ..."."""
    window = line[:110]
    if not _DATELINE_PLACE.match(line) or not (_DATELINE_MARK.search(window) or _DATELINE_DASH.search(window)):
        return None, None, None  # (every reading below needs a bracket, slash, colon or spaced dash)
    outlet = None
    date = None
    for m in re.finditer(r"\(([^()]{1,60})\)|/([^/]{2,30})/", window):
        inner = (m.group(1) or m.group(2)).strip()
        parts = re.split(r"\s*/\s*|\s+[-–—]\s+|,\s*", inner)
        outlet = outlet or next((o for o in (_known_outlet(p) for p in parts) if o), None)
        date = date or next((d for d in (_news_date(p) for p in (inner, *parts)) if d), None)
    head_match = _DATELINE_HEAD.match(window)
    head = head_match.group("head") if head_match else ""
    if head:
        chunks = [c for c in re.split(r"[,.()/|]|\s[—–-]\s", head) if c.strip()]
        outlet = outlet or next((o for o in (_known_outlet(c) for c in chunks) if o), None)
        if date is None:  # "July 8, 2025" is split at its comma: try runs of chunks, keep the most precise
            runs = (
                ",".join(chunks[i:j])
                for n in (3, 2, 1)
                for i in range(len(chunks))
                for j in (i + n,)
                if j <= len(chunks)
            )
            found = [d for d in map(_news_date, runs) if d]
            date = max(found, key=lambda d: _PRECISION_RANK[d.precision], default=None)
    rest = line[head_match.start("rest") :] if head_match else ""
    lead = re.match(r"^[\s:：]*([^:：.]{2,40}?)\s*(?:[:：.]\s+|[—–-]\s+)", rest)
    if lead and (outlet or date or head):
        lead_outlet = _known_outlet(lead.group(1))  # "— Интерфакс-Казахстан. ..."
        lead_date = None if lead_outlet else _news_date(lead.group(1))  # "(APP) 14 مارچ 2025: ..."
        if lead_outlet or lead_date:
            outlet, date = outlet or lead_outlet, date or lead_date
            rest = rest[lead.end() :]
    if head_match and (outlet or date) and not line[: len(head)].count(":") > 1:
        return outlet, date, rest.lstrip(" :：-—–")
    return outlet, date, None


def _author(value: str) -> tuple[str | None, str | None]:
    """(author, outlet) from a byline's value: "Sara Khan, The Nation" -> both."""
    parts = [p.strip() for p in re.split(r",\s+", value.strip(" *_")) if p.strip()]
    if not parts or _DESK.match(parts[0]):
        return None, next((o for o in (_known_outlet(p) for p in parts[1:]) if o), None)
    name = parts[0]
    if len(name.split()) > 5 or _YEARISH.search(name):
        return None, None
    return name, next((o for o in (_known_outlet(p) for p in parts[1:]) if o), None)


_YEARISH = re.compile(r"\d")


def extract_metadata(text: str, file_name: str = "") -> TextMetadata:
    """Title, date, outlet, author and URL stated in the text itself; ``None`` where it states none."""
    # Headline, dateline and date sit in the first lines: never split a 20 MB text to find them.
    head: list[str] = []
    for raw_line in text[:6000].split("\n", 80)[:80]:
        line = _strip_markup(raw_line)
        if line:
            head.append(line)
            if len(head) == _HEAD_LINES:
                break
    title: str | None = None
    source: str | None = None
    author: str | None = None
    url: str | None = None
    date: ParsedDate | None = None
    fallback_date: ParsedDate | None = None  # an "Updated ..." date, used when nothing says "Published"

    for i, whole in enumerate(head):
        if title is not None and date and source and author and url:
            break  # every value is kept from the first line that states it: nothing left to find
        if title is not None and _plain_line(whole):  # a body line: only a date, outlet or dateline
            if date and source:
                continue  # ... and both are kept from earlier lines: nothing this line says is used
            found = _news_date(whole)
            outlet = None if found else _known_outlet(whole)
            if found or outlet:
                date, source = date or found, source or outlet
                continue
            outlet, dl_date, _rest = _dateline(whole)
            source, date = source or outlet, date or dl_date
            continue
        if _PHOTO.match(whole):
            continue
        m = _DATE_PREFIX.match(whole)
        if m:
            date = date or parse_date(m.group(1))
            rest = m.group(2).strip()
            if rest and len(rest.split()) >= 4 and title is None:
                title = _first_sentence(rest)
            continue
        m = _URL.search(whole)
        if m and len(whole) - len(m.group("url")) < 20:
            url = url or m.group("url").rstrip(".,)")
            continue
        used = False
        for part in (p.strip() for p in whole.split(" | ")):
            m = _DATE_LABEL.match(part)
            if m:
                found = _news_date(m.group("rest"))
                if found:
                    if re.match(r"(?i)(?:last\s+)?updated|обновлено|жаңарт|اپ ڈیٹ", part):
                        fallback_date = fallback_date or found
                    else:
                        date = date or found
                    used = True
                continue
            m = _INLINE_PUBLISHED.match(part) if "Published" in part else None
            if m and _news_date(m.group("date")):
                date = date or _news_date(m.group("date"))
                name, _ = _author(m.group("name"))
                author = author or name
                used = True
                continue
            if title is not None:  # a byline or a desk line under the headline
                m = _AUTHOR_LABEL.match(part)
                if m:
                    name, outlet = _author(m.group("rest"))
                    author, source = author or name, source or outlet
                    used = True
                    continue
                if _DESK.match(part):
                    used = True
                    continue
            m = _SOURCE_LABEL.match(part)
            if m:
                url_m = _URL.search(m.group("rest"))
                if url_m:
                    url = url or url_m.group("url")
                source = source or (outlet_for_url(url_m.group("url")) if url_m else _canonical_source(m.group("rest")))
                used = True
                continue
            found = _news_date(part)
            if found:
                date = date or found
                used = True
                continue
            if title is not None:
                outlet = _known_outlet(part)
                if outlet:
                    source = source or outlet
                    used = True
        if used:
            continue
        outlet, dl_date, rest = _dateline(whole)
        if outlet or dl_date:
            source = source or outlet
            date = date or dl_date
            if title is None and i == 0 and rest:
                title = _first_sentence(rest)
            continue
        if title is None and _KICKER.match(whole):
            continue
        if title is None and _is_title_candidate(whole):
            title = whole

    if source is not None:  # the footer is read only for an outlet
        return TextMetadata(
            title=_shorten(title) if title else None, source=source, date=date or fallback_date, author=author, url=url
        )
    tail = [ln for ln in (_strip_markup(x) for x in text[-1500:].split("\n")) if ln][-6:]
    for line in reversed(tail):
        if source is not None:
            break
        m = _SOURCE_LABEL.match(line)
        if m:
            url_m = _URL.search(m.group("rest"))
            source = outlet_for_url(url_m.group("url")) if url_m else _canonical_source(m.group("rest"))
            continue
        m = _COPYRIGHT.match(line)
        if m:
            name = re.sub(r"(?i)\ball rights reserved\.?|\b(?:19|20)\d\d\b|\.$", "", m.group("rest"))
            source = _canonical_source(re.sub(r"^\W+|\W+$", "", name))
            continue
        m = _DASH_FOOTER.match(line)
        if m:
            source = _known_outlet(m.group("rest")) or source
            continue
        m = _URL.search(line)
        if m and url is None:
            url = m.group("url").rstrip(".,)")
            source = outlet_for_url(url)
            continue
        source = _known_outlet(line)
    if source is None:
        source = outlet_for_url(url)
    return TextMetadata(
        title=_shorten(title) if title else None, source=source, date=date or fallback_date, author=author, url=url
    )


@dataclass(frozen=True)
class TextMetadata:
    """What the plain text itself states; ``None`` where it states nothing."""

    title: str | None = None
    source: str | None = None
    date: ParsedDate | None = None
    author: str | None = None
    url: str | None = None
