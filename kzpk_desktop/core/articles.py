"""Files -> Article: decoding, newline policy, metadata extraction, refusals with reasons.

Stored text = decoded file, leading BOM dropped, ``\\r\\n``/``\\r`` turned into ``\\n``.
Nothing else changes (no NFC, no trimming), so offsets into it stay meaningful forever.
"""

from __future__ import annotations

import codecs
import hashlib
import re
from collections.abc import Iterable, Iterator
from dataclasses import dataclass
from pathlib import Path

from .dates import parse_date

MAX_FILE_BYTES = 20 * 1024 * 1024
SUPPORTED_SUFFIXES = (".txt", ".md")
TITLE_MAX = 160

_BINARY_MAGIC = {
    b"%PDF": "a PDF document",
    b"PK\x03\x04": "a ZIP archive (or DOCX/ODT)",
    b"\x89PNG": "a PNG image",
    b"\xff\xd8\xff": "a JPEG image",
    b"GIF8": "a GIF image",
    b"SQLite format 3": "an SQLite database",
    b"\x7fELF": "an executable",
    b"\xd0\xcf\x11\xe0": "an old Microsoft Office document",
}


class ImportRefused(Exception):
    """A file that cannot become an article; ``str()`` is the reason."""


@dataclass(frozen=True)
class Article:
    text: str
    title: str
    source: str | None
    date: str | None  # ISO at the precision found, or None
    date_raw: str | None
    date_precision: str | None
    sha256: str
    file_name: str
    encoding: str
    notes: tuple[str, ...] = ()  # what the extractor could not find, said plainly


def normalise_newlines(text: str) -> str:
    return text.replace("\r\n", "\n").replace("\r", "\n")


def content_hash(text: str) -> str:
    """SHA-256 of the stored text (UTF-8): the same article in two encodings is one article."""
    return hashlib.sha256(text.encode("utf-8")).hexdigest()


def _looks_like_bomless_utf16(data: bytes) -> str | None:
    """Mostly-ASCII UTF-16 without BOM: NULs sit on every other byte."""
    if len(data) < 4 or len(data) % 2:
        return None
    even_nuls = data[0::2].count(0) / (len(data) / 2)
    odd_nuls = data[1::2].count(0) / (len(data) / 2)
    if odd_nuls > 0.6 and even_nuls < 0.05:
        return "utf-16-le"
    if even_nuls > 0.6 and odd_nuls < 0.05:
        return "utf-16-be"
    return None


def decode_bytes(data: bytes) -> tuple[str, str]:
    """Decode file bytes; returns (text, encoding name) or raises ImportRefused."""
    if not data:
        raise ImportRefused("the file is empty")
    if data.startswith(codecs.BOM_UTF8):
        try:
            return data[len(codecs.BOM_UTF8) :].decode("utf-8"), "utf-8-sig"
        except UnicodeDecodeError as err:
            raise ImportRefused(f"it has a UTF-8 BOM but invalid UTF-8 at byte {err.start}") from None
    for bom, name in ((codecs.BOM_UTF16_LE, "utf-16-le"), (codecs.BOM_UTF16_BE, "utf-16-be")):
        if data.startswith(bom):
            try:
                return data[len(bom) :].decode(name), f"{name} (BOM)"
            except UnicodeDecodeError:
                raise ImportRefused("it has a UTF-16 BOM but is not valid UTF-16") from None
    for magic, kind in _BINARY_MAGIC.items():
        if data.startswith(magic):
            raise ImportRefused(f"it is a binary file ({kind}), not text")
    if b"\x00" in data:
        guess = _looks_like_bomless_utf16(data)
        if guess:
            try:
                return data.decode(guess), guess
            except UnicodeDecodeError:
                pass
        raise ImportRefused("it is a binary file (it contains NUL bytes), not text")
    try:
        return data.decode("utf-8"), "utf-8"
    except UnicodeDecodeError:
        pass
    try:
        text = data.decode("cp1252")
    except UnicodeDecodeError as err:
        raise ImportRefused(
            f"it is neither UTF-8 nor Windows-1252 text (undecodable byte at {err.start})"
        ) from None
    return text, "cp1252"


_CONTROL = re.compile(r"[\x00-\x08\x0e-\x1f]")  # not \t \n \v \f \r


def _check_text(text: str) -> None:
    if not text.strip():
        raise ImportRefused("the file holds only whitespace")
    sample = text[:4096]
    controls = len(_CONTROL.findall(sample))  # C speed: this runs for every imported file
    if controls > max(8, len(sample) // 100):
        raise ImportRefused("it looks like binary data (many control characters), not text")


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


def extract_metadata(text: str, file_name: str = "") -> dict[str, object]:
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

    notes = []
    if title is None:
        title = Path(file_name).stem or "(untitled)"
        notes.append("no headline found; the file name is used as title")
    if date is None:
        notes.append("no publication date found")
    if source is None:
        notes.append("no source recognised")
    return {
        "title": _shorten(title),
        "source": source,
        "date": date.iso if date else None,
        "date_raw": date.raw if date else None,
        "date_precision": date.precision if date else None,
        "notes": tuple(notes),
    }


def article_from_bytes(data: bytes, file_name: str) -> Article:
    if len(data) > MAX_FILE_BYTES:
        raise ImportRefused(
            f"it is {len(data) / 1048576:.1f} MB, over the {MAX_FILE_BYTES // 1048576} MB limit"
        )
    raw, encoding = decode_bytes(data)
    if raw.startswith("\ufeff"):
        raw = raw[1:]
    text = normalise_newlines(raw)
    _check_text(text)
    meta = extract_metadata(text, file_name)
    return Article(text=text, sha256=content_hash(text), file_name=file_name, encoding=encoding,
                   **meta)  # type: ignore[arg-type]


def read_article(path: Path) -> Article:
    """Read one file; raises ImportRefused with the reason when it cannot be an article."""
    from .store.connection import is_open_database_file

    try:
        size = path.stat().st_size
        if size > MAX_FILE_BYTES:
            raise ImportRefused(
                f"it is {size / 1048576:.1f} MB, over the {MAX_FILE_BYTES // 1048576} MB limit"
            )
        if is_open_database_file(path):  # reading it would drop the open connection's locks
            raise ImportRefused("it is the open database itself (or its -wal/-shm), not an article")
        data = path.read_bytes()
    except PermissionError:
        raise ImportRefused("permission denied when reading it") from None
    except IsADirectoryError:
        raise ImportRefused("it is a folder") from None
    except OSError as err:
        raise ImportRefused(f"it cannot be read ({err.strerror or err})") from None
    return article_from_bytes(data, path.name)


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
                    yield child, f"'{child.suffix or child.name}' files are not imported (use .txt or .md)"
        elif path.is_file():
            yield path, None
        elif not path.exists():
            yield path, "no such file or folder"
        else:
            yield path, "not a regular file"
