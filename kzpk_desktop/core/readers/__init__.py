"""One reader per file format behind one interface: ``read(path) -> Extracted``.

Each reader module has ``read(path, data) -> Extracted`` and raises
:class:`ImportRefused` with a sentence when the file cannot be an article. Readers are
imported on first use, so importing plain text never loads lxml or pypdf.
"""

from __future__ import annotations

import importlib
from pathlib import Path

from .base import MAX_FILE_BYTES, Extracted, Fields, ImportRefused, Provenance

READERS = {
    ".txt": "text",
    ".md": "text",
    ".html": "html",
    ".htm": "html",
    ".pdf": "pdf",
    ".docx": "docx",
    ".odt": "odt",
    ".epub": "epub",
}
SUPPORTED_SUFFIXES = tuple(READERS)


def reader_for(path: Path) -> str:
    """The reader module's name for a file; plain text for anything not listed (a file named
    explicitly on the command line is read as text, and refused if it is not)."""
    return READERS.get(path.suffix.lower(), "text")


def read_file_bytes(path: Path) -> bytes:
    try:
        size = path.stat().st_size
        if size > MAX_FILE_BYTES:
            raise ImportRefused(f"it is {size / 1048576:.1f} MB, over the {MAX_FILE_BYTES // 1048576} MB limit")
        return path.read_bytes()
    except PermissionError:
        raise ImportRefused("permission denied when reading it") from None
    except IsADirectoryError:
        raise ImportRefused("it is a folder") from None
    except OSError as err:
        raise ImportRefused(f"it cannot be read ({err.strerror or err})") from None


def read(path: Path) -> Extracted:
    """Read one file with the reader its suffix names."""
    return read_data(path, read_file_bytes(path))


def read_data(path: Path, data: bytes) -> Extracted:
    """Extract a file's bytes, already read (safely: see ``articles.read_article``), with the
    reader its suffix names; ``path`` gives only the name and the suffix."""
    module = importlib.import_module(f"{__name__}.{reader_for(path)}")
    result: Extracted = module.read(path, data)
    return result


__all__ = [
    "MAX_FILE_BYTES",
    "READERS",
    "SUPPORTED_SUFFIXES",
    "Extracted",
    "Fields",
    "ImportRefused",
    "Provenance",
    "read",
    "read_data",
    "read_file_bytes",
    "reader_for",
]
