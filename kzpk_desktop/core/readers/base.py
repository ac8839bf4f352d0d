"""What every format reader returns, and the one refusal exception they raise.

A reader turns one file into the text we store plus what the *file* says about itself.
It keeps two tiers of metadata apart because they deserve different trust: ``document``
holds what the publisher printed or declared (a page's ``<meta>``/JSON-LD, an EPUB's
Dublin Core), ``embedded`` what the file format recorded on its own (a DOCX's ``created``
or a PDF's ``CreationDate``, often a template's or an export's date). The plain-text
metadata of the stored text sits between the two (see ``core.articles.read_article``).
"""

from __future__ import annotations

import hashlib
from dataclasses import dataclass, field
from importlib.metadata import PackageNotFoundError, version

MAX_FILE_BYTES = 20 * 1024 * 1024


class ImportRefused(Exception):
    """A file that cannot become an article; ``str()`` is the reason."""


@dataclass(frozen=True)
class Fields:
    """Metadata fields one tier found; ``None`` = not there. Dates are raw strings."""

    title: str | None = None
    date: str | None = None
    source: str | None = None
    url: str | None = None
    language: str | None = None
    author: str | None = None
    origin: str = ""  # what these came from, e.g. "html-meta", "docx-core"


@dataclass(frozen=True)
class Provenance:
    """Where the stored text came from: enough to find and re-extract the original."""

    format: str  # "txt", "md", "html", "pdf", "docx", "odt", "epub"
    original_name: str
    original_sha256: str  # of the file's bytes
    extractor: str  # the library that read it ("kzpk" for the plain-text decoder)
    extractor_version: str
    encoding: str | None = None  # only for plain text


@dataclass(frozen=True)
class Extracted:
    """One file read: stored text (offsets index into it), its metadata tiers, provenance."""

    text: str
    provenance: Provenance
    document: Fields = field(default_factory=Fields)
    embedded: Fields = field(default_factory=Fields)


def file_hash(data: bytes) -> str:
    return hashlib.sha256(data).hexdigest()


def library_version(dist: str) -> str:
    try:
        return version(dist)
    except PackageNotFoundError:  # pragma: no cover - a broken install
        return "unknown"


def tidy_text(text: str) -> str:
    """Text pulled out of a structured document: newlines normalised, blank runs squeezed,
    surrounding whitespace dropped. Done once here, before offsets exist."""
    lines = [ln.rstrip() for ln in text.replace("\r\n", "\n").replace("\r", "\n").split("\n")]
    out: list[str] = []
    for ln in lines:
        if not ln.strip():
            if out and out[-1] != "":
                out.append("")
            continue
        out.append(ln.strip() if not ln.startswith(" " * 4) else ln)
    return "\n".join(out).strip("\n")


def require_text(text: str, what: str) -> str:
    if not text.strip():
        raise ImportRefused(what)
    return text
