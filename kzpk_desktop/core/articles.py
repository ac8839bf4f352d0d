"""Files -> Article: decoding, newline policy, metadata extraction, refusals with reasons.

Stored text = decoded file, leading BOM dropped, ``\\r\\n``/``\\r`` turned into ``\\n``.
Nothing else changes (no NFC, no trimming), so offsets into it stay meaningful forever.
"""

from __future__ import annotations

import hashlib
import re
from collections.abc import Iterable, Iterator
from dataclasses import dataclass
from pathlib import Path

from .dates import ParsedDate, parse_date
from .outlets import guess_language, outlet_for_url
from .readers import MAX_FILE_BYTES, Extracted, ImportRefused, read
from .readers import SUPPORTED_SUFFIXES as READER_SUFFIXES
from .readers.text import decode_bytes, normalise_newlines, read_bytes

__all__ = ["MAX_FILE_BYTES", "Article", "ImportRefused", "decode_bytes", "normalise_newlines"]

SUPPORTED_SUFFIXES = READER_SUFFIXES
TITLE_MAX = 160


@dataclass(frozen=True)
class Article:
    text: str
    title: str
    source: str | None
    date: str | None  # ISO at the precision found, or None
    date_raw: str | None
    date_precision: str | None
    sha256: str  # of the stored text (UTF-8): what duplicate detection compares
    file_name: str
    encoding: str | None
    notes: tuple[str, ...] = ()  # what the extractor could not find, said plainly
    url: str | None = None
    language: str | None = None
    author: str | None = None
    format: str = "txt"
    original_sha256: str | None = None  # of the file's bytes
    extractor: str | None = None
    extractor_version: str | None = None
    title_source: str | None = None  # "text", "html-meta", "pdf-info", "file-name", ...
    date_source: str | None = None  # "text", "html-meta", "docx-core", ... or None


def content_hash(text: str) -> str:
    """SHA-256 of the stored text (UTF-8): the same article in two encodings is one article."""
    return hashlib.sha256(text.encode("utf-8")).hexdigest()


# --- metadata -----------------------------------------------------------------------------

_DATE_PREFIX = re.compile(r"^\s*date\s+(\d{4}-\d{2}-\d{2})\b\s*(.*)$", re.IGNORECASE)
_DATELINE = re.compile(
    r"^\s*(?P<place>[A-Z][A-Za-z .'-]{1,40}),\s*"
    r"(?:(?P<date>\d{1,2}\s+[A-Za-z]+\s+\d{4})\s*)?"
    r"\((?P<paren>[^)]{1,80})\)\s*:?\s*(?P<rest>.*)$"
)
_PUBLISHED = re.compile(r"\bPublished\s+(?:on\s+)?(?P<date>[A-Za-z]+\.?\s+\d{1,2},?\s+\d{4})")
_WEEKDAY_LINE = re.compile(
    r"^(?:(?:Mon|Tue|Wed|Thu|Fri|Sat|Sun)[a-z]*,?\s+)?"
    r"(?:[A-Za-z]{3,9}\.?\s+\d{1,2},?\s+\d{4}|\d{1,2}\s+[A-Za-z]{3,9},?\s+\d{4}|\d{4}-\d{2}-\d{2})"
    r"(?:\s*[|,]?\s*\d{1,2}:\d{2}\s*(?:[AP]M)?)?$",
    re.IGNORECASE,
)
_COPYRIGHT = re.compile(
    r"Copyright\s*(?:©|\(c\))?\s*(?:\d{4})?\.?\s*(?P<name>[^.\n]{2,60}?)\.?\s*All Rights Reserved",
    re.IGNORECASE,
)
_BYLINE = re.compile(r"^By\s+\S", re.IGNORECASE)
_KNOWN_SOURCES = {
    "urdupoint": "UrduPoint",
    "pakistan today": "Pakistan Today",
    "tdi": "TDI",
    "app": "APP",
    "dawn": "Dawn",
    "the express tribune": "The Express Tribune",
    "the news": "The News",
    "kazinform": "Kazinform",
    "astana times": "The Astana Times",
}


def _canonical_source(name: str) -> str:
    name = name.strip(" .:-")
    return _KNOWN_SOURCES.get(name.lower(), name)


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
    if len(words) < 4 or _BYLINE.match(line) or _WEEKDAY_LINE.match(line):
        return False
    return not line.startswith("icon-")


def extract_metadata(text: str, file_name: str = "") -> TextMetadata:
    """Title, source and date found in the text itself, with notes on what is missing."""
    # Headline, dateline and date sit in the first lines: never split a 20 MB text to find them.
    head_lines = text[:6000].split("\n", 80)[:80]
    non_empty = [ln for ln in (x.strip() for x in head_lines) if ln]
    title: str | None = None
    source: str | None = None
    date = None

    head = non_empty[:12]
    for i, line in enumerate(head):
        m = _DATE_PREFIX.match(line)
        if m and date is None:
            date = parse_date(m.group(1))
            rest = m.group(2).strip()
            if rest and _is_title_candidate(rest) and title is None:
                title = _first_sentence(rest)
            continue
        m = _DATELINE.match(line)
        if m and i < 8:
            paren = m.group("paren")
            if source is None:
                source = _canonical_source(re.split(r"\s*/\s*|\s+-\s+", paren)[0])
            if date is None:
                inner = parse_date(m.group("date") or "") or parse_date(paren)
                date = inner
            if title is None and i == 0 and m.group("rest"):
                title = _first_sentence(m.group("rest"))
            continue
        m = _PUBLISHED.search(line) if date is None and "Published" in line else None
        if m:
            date = parse_date(m.group("date"))
            continue
        if _WEEKDAY_LINE.match(line) and date is None:
            date = parse_date(line)
            continue
        if title is None and _is_title_candidate(line):
            title = line.lstrip("#").strip() if file_name.endswith(".md") else line

    tail = text[-3000:]  # copyright footers sit at the end; the pattern is slow over a whole text
    if source is None and "opyright" in tail:
        m = _COPYRIGHT.search(tail)
        if m:
            source = _canonical_source(m.group("name"))
    return TextMetadata(title=_shorten(title) if title else None, source=source, date=date)


@dataclass(frozen=True)
class TextMetadata:
    """What the plain text itself states; ``None`` where it states nothing."""

    title: str | None = None
    source: str | None = None
    date: ParsedDate | None = None
    author: str | None = None
    url: str | None = None


def build_article(ex: Extracted) -> Article:
    """Merge what the file declares with what its text states.

    Precedence, per field: the document tier (a page's ``<meta>``/JSON-LD, an EPUB's Dublin
    Core) over the text (headline, dateline, byline, footer) over the embedded tier (a
    DOCX's core properties, a PDF's info dictionary: a template's or an export's values).
    Which one won is kept in ``title_source``/``date_source``.
    """
    name = ex.provenance.original_name
    found = extract_metadata(ex.text, name)
    doc, emb = ex.document, ex.embedded

    title, title_source = _pick((doc.title, doc.origin), (found.title, "text"), (_useful_title(emb.title), emb.origin))
    notes: list[str] = []
    if title is None:
        title, title_source = Path(name).stem or "(untitled)", "file-name"
        notes.append("no headline found; the file name is used as title")

    date, date_source = None, None
    for raw, origin in ((doc.date, doc.origin), (found.date, "text"), (emb.date, emb.origin)):
        parsed = parse_date(raw) if isinstance(raw, str) else raw
        if parsed is not None:
            date, date_source = parsed, origin
            break
    if date is None:
        notes.append("no publication date found")
    url = doc.url or found.url
    source = doc.source or found.source or outlet_for_url(url)
    if source is None:
        notes.append("no source recognised")
    return Article(
        text=ex.text, title=_shorten(title), source=source, date=date.iso if date else None,
        date_raw=date.raw if date else None, date_precision=date.precision if date else None,
        sha256=content_hash(ex.text), file_name=name, encoding=ex.provenance.encoding, notes=tuple(notes),
        url=url, language=doc.language or emb.language or guess_language(ex.text), author=doc.author or found.author,
        format=ex.provenance.format, original_sha256=ex.provenance.original_sha256,
        extractor=ex.provenance.extractor, extractor_version=ex.provenance.extractor_version,
        title_source=title_source, date_source=date_source,
    )


def _pick(*candidates: tuple[str | None, str]) -> tuple[str | None, str | None]:
    for value, origin in candidates:
        if value and value.strip():
            return value.strip(), origin
    return None, None


_JUNK_TITLE = re.compile(r"^(?:microsoft word - |untitled|document\d*$|new document)", re.IGNORECASE)


def _useful_title(title: str | None) -> str | None:
    """A format-embedded title unless it is an office suite's placeholder."""
    return None if not title or _JUNK_TITLE.match(title.strip()) else title


def article_from_bytes(data: bytes, file_name: str) -> Article:
    """Plain-text bytes -> Article (the seeds, benchmarks and tests use this directly)."""
    if len(data) > MAX_FILE_BYTES:
        raise ImportRefused(
            f"it is {len(data) / 1048576:.1f} MB, over the {MAX_FILE_BYTES // 1048576} MB limit"
        )
    return build_article(read_bytes(data, file_name))


def read_article(path: Path) -> Article:
    """Read one file of any supported format; raises ImportRefused with the reason."""
    return build_article(read(path))


def iter_candidate_files(paths: Iterable[Path]) -> Iterator[tuple[Path, str | None]]:
    """Files to import, in a stable order; yields (path, refusal reason or None)."""
    for path in paths:
        if path.is_dir():
            for child in sorted(p for p in path.rglob("*") if p.is_file()):
                if child.name.startswith("."):
                    continue
                if child.suffix.lower() in SUPPORTED_SUFFIXES:
                    yield child, None
                else:
                    yield child, (f"'{child.suffix or child.name}' files are not imported "
                                  f"(use {', '.join(SUPPORTED_SUFFIXES)})")
        elif path.is_file():
            yield path, None
        elif not path.exists():
            yield path, "no such file or folder"
        else:
            yield path, "not a regular file"
