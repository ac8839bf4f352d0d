"""PDF with pypdf: the text layer of every page. The info dictionary's ``CreationDate``
and ``Title`` are the exporting program's, so they are only the ``embedded`` tier."""

from __future__ import annotations

import io
from datetime import datetime
from pathlib import Path

from .base import Extracted, Fields, ImportRefused, Provenance, file_hash, library_version, tidy_text


def _info_date(value: object) -> str | None:
    return value.date().isoformat() if isinstance(value, datetime) else None


def read(path: Path, data: bytes) -> Extracted:
    from pypdf import PdfReader
    from pypdf.errors import FileNotDecryptedError, PdfReadError

    try:
        reader = PdfReader(io.BytesIO(data))
        if reader.is_encrypted and not reader.decrypt(""):
            raise ImportRefused("it is an encrypted PDF that needs a password; save an unprotected copy")
        pages = list(reader.pages)
        if not pages:
            raise ImportRefused("the PDF has no pages")
        text = tidy_text("\n\n".join((p.extract_text() or "") for p in pages))
        meta = reader.metadata
    except FileNotDecryptedError:
        raise ImportRefused("it is an encrypted PDF that needs a password; save an unprotected copy") from None
    except (PdfReadError, ValueError, KeyError, TypeError, AttributeError) as err:
        raise ImportRefused(f"it is a damaged PDF ({err})") from None
    if not text.strip():
        raise ImportRefused(f"the PDF has {len(pages)} page(s) but no text layer (a scan?); run OCR on it first")
    embedded = Fields(origin="pdf-info")
    if meta is not None:
        try:
            created = _info_date(meta.creation_date)
        except (ValueError, TypeError):
            created = None
        embedded = Fields(title=(meta.title or None), date=created, author=(meta.author or None), origin="pdf-info")
    prov = Provenance("pdf", path.name, file_hash(data), "pypdf", library_version("pypdf"))
    return Extracted(text=text, provenance=prov, embedded=embedded)
