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

from .dates import parse_date
from .outlets import guess_language, outlet_for_url
from .readers import MAX_FILE_BYTES, Extracted, ImportRefused, read_data
from .readers import SUPPORTED_SUFFIXES as READER_SUFFIXES
from .readers.text import decode_bytes, normalise_newlines, read_bytes
from .text_metadata import TITLE_MAX, TextMetadata, _shorten, _strip_markup, extract_metadata

__all__ = [
    "MAX_FILE_BYTES",
    "TITLE_MAX",
    "Article",
    "ImportRefused",
    "TextMetadata",
    "_strip_markup",
    "decode_bytes",
    "extract_metadata",
    "normalise_newlines",
]

SUPPORTED_SUFFIXES = READER_SUFFIXES
OPEN_DATABASE_REFUSAL = "it is the open database itself (or its -wal/-shm), not an article"


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
        raise ImportRefused(OPEN_DATABASE_REFUSAL)
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
