"""Files -> Article: decoding, newline policy, metadata extraction, refusals with reasons.

Stored text = decoded file, leading BOM dropped, ``\\r\\n``/``\\r`` turned into ``\\n``.
Nothing else changes (no NFC, no trimming), so offsets into it stay meaningful forever.
"""

from __future__ import annotations

import errno
import hashlib
import os
import re
import stat
from collections.abc import Iterable, Iterator
from dataclasses import dataclass
from pathlib import Path

from .dates import ParsedDate, parse_date, parse_news_date
from .outlets import guess_language, outlet_for_name, outlet_for_url
from .readers import MAX_FILE_BYTES, Extracted, ImportRefused, read_data
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
# Read from the first lines (headline, kicker, byline, date line, dateline) and the last ones
# (source line, copyright footer). Every value is taken from a line that states it; an outlet
# named without a label ("Xinhua" alone on the last line) must be in the outlet table.

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
    if not _DATELINE_PLACE.match(line):
        return None, None, None
    window = line[:110]
    outlet = None
    date = None
    for m in re.finditer(r"\(([^()]{1,60})\)|/([^/]{2,30})/", window):
        inner = (m.group(1) or m.group(2)).strip()
        parts = re.split(r"\s*/\s*|\s+[-–—]\s+|,\s*", inner)
        outlet = outlet or next((o for o in (_known_outlet(p) for p in parts) if o), None)
        date = date or next((d for d in (parse_news_date(p) for p in (inner, *parts)) if d), None)
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
            found = [d for d in map(parse_news_date, runs) if d]
            date = max(found, key=lambda d: _PRECISION_RANK[d.precision], default=None)
    rest = line[head_match.start("rest") :] if head_match else ""
    lead = re.match(r"^[\s:：]*([^:：.]{2,40}?)\s*(?:[:：.]\s+|[—–-]\s+)", rest)
    if lead and (outlet or date or head):
        lead_outlet = _known_outlet(lead.group(1))  # "— Интерфакс-Казахстан. ..."
        lead_date = None if lead_outlet else parse_news_date(lead.group(1))  # "(APP) 14 مارچ 2025: ..."
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
    head_lines = text[:6000].split("\n", 80)[:80]
    head = [ln for ln in (_strip_markup(x) for x in head_lines) if ln][:14]
    title: str | None = None
    source: str | None = None
    author: str | None = None
    url: str | None = None
    date: ParsedDate | None = None
    fallback_date: ParsedDate | None = None  # an "Updated ..." date, used when nothing says "Published"

    for i, whole in enumerate(head):
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
                found = parse_news_date(m.group("rest"))
                if found:
                    if re.match(r"(?i)(?:last\s+)?updated|обновлено|жаңарт|اپ ڈیٹ", part):
                        fallback_date = fallback_date or found
                    else:
                        date = date or found
                    used = True
                continue
            m = _INLINE_PUBLISHED.match(part)
            if m and parse_news_date(m.group("date")):
                date = date or parse_news_date(m.group("date"))
                name, _ = _author(m.group("name"))
                author = author or name
                used = True
                continue
            m = _AUTHOR_LABEL.match(part)
            if m and title is not None:
                name, outlet = _author(m.group("rest"))
                author, source = author or name, source or outlet
                used = True
                continue
            if _DESK.match(part) and title is not None:
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
            found = parse_news_date(part)
            if found:
                date = date or found
                used = True
                continue
            if title is not None and _known_outlet(part):
                source = source or _known_outlet(part)
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
        text=ex.text,
        title=_shorten(title),
        source=source,
        date=date.iso if date else None,
        date_raw=date.raw if date else None,
        date_precision=date.precision if date else None,
        sha256=content_hash(ex.text),
        file_name=name,
        encoding=ex.provenance.encoding,
        notes=tuple(notes),
        url=url,
        language=doc.language or emb.language or guess_language(ex.text),
        author=doc.author or found.author,
        format=ex.provenance.format,
        original_sha256=ex.provenance.original_sha256,
        extractor=ex.provenance.extractor,
        extractor_version=ex.provenance.extractor_version,
        title_source=title_source,
        date_source=date_source,
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
        raise ImportRefused(f"it is {len(data) / 1048576:.1f} MB, over the {MAX_FILE_BYTES // 1048576} MB limit")
    return build_article(read_bytes(data, file_name))


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
    from .store.connection import is_open_database_file

    if is_open_database_file(path):  # opening and closing it would drop the open connection's locks
        raise ImportRefused("it is the open database itself (or its -wal/-shm), not an article")
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
            raise ImportRefused(f"it is {info.st_size / 1048576:.1f} MB, over the {MAX_FILE_BYTES // 1048576} MB limit")
        with os.fdopen(fd, "rb", closefd=False) as fh:
            # read(n) allocates n bytes first: asking for the 20 MB limit cost ~50 us a file
            data = fh.read(info.st_size + 1)
            if len(data) > info.st_size:  # it grew since fstat: read on, up to just over the limit
                data += fh.read(MAX_FILE_BYTES + 1 - len(data))
    except OSError as err:
        raise ImportRefused(f"it cannot be read ({err.strerror or err})") from None
    finally:
        os.close(fd)
    if len(data) > MAX_FILE_BYTES:
        raise ImportRefused(f"it is over the {MAX_FILE_BYTES // 1048576} MB limit")
    # the reader its suffix names extracts the text (plain text, a web page, PDF, Word, ...)
    return build_article(read_data(Path(name if name is not None else display_name(path.name)), data))


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
        return None, (
            f"it is a symbolic link to '{display_name(target)}', outside the folder being imported; "
            "name the link itself to import it"
        )
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
            yield _refused(
                path,
                "hidden folders are not imported"
                if entry.is_dir(follow_symlinks=False)
                else "hidden files are not imported",
            )
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
                    yield _refused(
                        path, "it is a link to a folder inside this import; its files are imported from there"
                    )
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
