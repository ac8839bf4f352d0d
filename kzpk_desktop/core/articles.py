"""Files -> Article: decoding, newline policy, metadata extraction, refusals with reasons.

Stored text = decoded file, leading BOM dropped, ``\\r\\n``/``\\r`` turned into ``\\n``.
Nothing else changes (no NFC, no trimming), so offsets into it stay meaningful forever.
"""

from __future__ import annotations

import codecs
import errno
import hashlib
import os
import re
import stat
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


def display_name(path: str | Path) -> str:
    """A path as text that can always be printed and stored: bytes of a file name that are not
    UTF-8 (kept by Python as lone surrogates, which neither SQLite nor a UTF-8 terminal
    accepts) become U+FFFD, so one such name cannot abort a folder import."""
    return os.fsencode(path).decode("utf-8", "replace")


def _special_file_reason(mode: int) -> str | None:
    """Why a file of this type is refused before anything opens it (a FIFO blocks an open)."""
    if stat.S_ISREG(mode):
        return None
    if stat.S_ISDIR(mode):
        return "it is a folder"
    if stat.S_ISCHR(mode) or stat.S_ISBLK(mode):
        return "it is a device file, not a text file"
    if stat.S_ISFIFO(mode):
        return "it is a named pipe (FIFO), not a text file"
    if stat.S_ISSOCK(mode):
        return "it is a socket, not a text file"
    return "it is not a regular file"


def read_article(path: Path, *, follow: bool = True, name: str | None = None) -> Article:
    """Read one file; raises ImportRefused with the reason when it cannot be an article.

    Opened non-blocking and checked with fstat on the open descriptor, so a FIFO or device
    put in place after the folder was listed is refused instead of hanging the import.
    ``follow=False`` (files found in a folder) refuses a file that became a symbolic link
    after the folder was listed, so a swapped-in link cannot lead outside the folder.
    """
    flags = os.O_RDONLY | os.O_NONBLOCK | getattr(os, "O_CLOEXEC", 0)
    if not follow:
        flags |= getattr(os, "O_NOFOLLOW", 0)
    try:
        fd = os.open(path, flags)
    except PermissionError:
        raise ImportRefused("permission denied when reading it") from None
    except IsADirectoryError:
        raise ImportRefused("it is a folder") from None
    except OSError as err:
        if err.errno == errno.ELOOP:
            if not follow:
                raise ImportRefused("it became a symbolic link while the folder was being read") from None
            raise ImportRefused("it is a symbolic link loop") from None
        if err.errno == errno.ENOENT and os.path.islink(path):
            raise ImportRefused("it is a broken symbolic link (its target does not exist)") from None
        raise ImportRefused(f"it cannot be read ({err.strerror or err})") from None
    try:
        info = os.fstat(fd)
        special = _special_file_reason(info.st_mode)
        if special:
            raise ImportRefused(special)
        if info.st_size > MAX_FILE_BYTES:
            raise ImportRefused(
                f"it is {info.st_size / 1048576:.1f} MB, over the {MAX_FILE_BYTES // 1048576} MB limit"
            )
        with os.fdopen(fd, "rb", closefd=False) as fh:
            data = fh.read(MAX_FILE_BYTES + 1)
    except OSError as err:
        raise ImportRefused(f"it cannot be read ({err.strerror or err})") from None
    finally:
        os.close(fd)
    return article_from_bytes(data, name if name is not None else display_name(path.name))


@dataclass(frozen=True)
class Candidate:
    """One path met while looking for files to import, and why it is refused (if it is)."""

    path: Path  # the path met (a link's own path), for the report
    name: str  # the path as printable text (see display_name)
    refusal: str | None = None
    target: Path | None = None  # what to open when it differs from path (a link's resolved target)
    follow: bool = True  # False inside folders: a file that turns into a link is refused

    def read(self) -> Article:
        """The article, named after the path met (not a link's target)."""
        return read_article(self.target or self.path, follow=self.follow, name=display_name(self.path.name))


def _within(target: Path, root: Path) -> bool:
    return target == root or root in target.parents


def _refused(path: Path, reason: str) -> Candidate:
    return Candidate(path, display_name(path), reason)


def _named_path(path: Path) -> Iterator[Candidate]:
    """A path named by the user: followed if it is a link (naming the link is consent)."""
    try:
        info = path.stat()
    except PermissionError:
        yield _refused(path, "it cannot be reached (permission denied)")
        return
    except OSError as err:
        if err.errno == errno.ELOOP:
            yield _refused(path, "it is a symbolic link loop")
        elif path.is_symlink():
            yield _refused(path, "it is a broken symbolic link (its target does not exist)")
        elif err.errno == errno.ENOENT:
            yield _refused(path, "no such file or folder")
        else:
            yield _refused(path, f"it cannot be reached ({err.strerror or err})")
        return
    if stat.S_ISDIR(info.st_mode):
        root = path.resolve()
        yield from _walk(path, root, {(info.st_dev, info.st_ino)})
        return
    reason = _special_file_reason(info.st_mode)
    yield Candidate(path, display_name(path), reason)


def _link_target(path: Path, root: Path) -> tuple[Path | None, str | None]:
    """Where a link met inside a folder points, or why it is refused: links are followed only
    within the folder chosen, so a link to /etc/passwd in a downloaded corpus is not imported."""
    try:
        target = path.resolve(strict=True)
    except FileNotFoundError:
        return None, "it is a broken symbolic link (its target does not exist)"
    except (RuntimeError, OSError) as err:  # RuntimeError: a loop (Python < 3.13)
        if isinstance(err, RuntimeError) or getattr(err, "errno", None) == errno.ELOOP:
            return None, "it is a symbolic link loop"
        return None, f"it is a symbolic link that cannot be followed ({getattr(err, 'strerror', None) or err})"
    if not _within(target, root):
        return None, (f"it is a symbolic link to '{display_name(target)}', outside the folder being imported; "
                      "name the link itself to import it")
    return target, None


def _walk(folder: Path, root: Path, seen: set[tuple[int, int]]) -> Iterator[Candidate]:
    """Every entry under ``folder`` in name order, each either a candidate or a refusal."""
    try:
        with os.scandir(folder) as it:
            entries = sorted(it, key=lambda e: e.name)
    except OSError as err:
        why = "permission denied" if isinstance(err, PermissionError) else (err.strerror or str(err))
        yield _refused(folder, f"the folder cannot be listed ({why}); nothing in it was imported")
        return
    for entry in entries:
        path = Path(entry.path)
        if entry.name.startswith("."):
            yield _refused(path, "hidden folders are not imported" if entry.is_dir(follow_symlinks=False)
                           else "hidden files are not imported")
            continue
        target = None
        try:
            if entry.is_symlink():
                target, reason = _link_target(path, root)
                if reason:
                    yield _refused(path, reason)
                    continue
                assert target is not None
                info = target.stat()
                if stat.S_ISDIR(info.st_mode):
                    yield _refused(path, "it is a link to a folder inside this import; "
                                         "its files are imported from there")
                    continue
            else:
                info = entry.stat(follow_symlinks=False)
        except OSError as err:
            yield _refused(path, f"it cannot be reached ({err.strerror or err})")
            continue
        if stat.S_ISDIR(info.st_mode):
            key = (info.st_dev, info.st_ino)
            if key in seen:  # a bind mount of a parent: a loop without symlinks
                yield _refused(path, "it is a folder already being imported (a loop)")
                continue
            yield from _walk(path, root, seen | {key})
            continue
        reason = _special_file_reason(info.st_mode)
        if reason is None and path.suffix.lower() not in SUPPORTED_SUFFIXES:
            reason = f"'{display_name(path.suffix or path.name)}' files are not imported (use .txt or .md)"
        yield Candidate(path, display_name(path), reason, target=target, follow=False)


def iter_candidate_files(paths: Iterable[Path]) -> Iterator[Candidate]:
    """Every file met, in a stable order, each with its refusal reason (or None).

    Nothing is skipped silently: special files, hidden files, broken or outside links and
    folders that cannot be listed each come back as a refusal with a sentence.
    """
    for path in paths:
        yield from _named_path(Path(path))
