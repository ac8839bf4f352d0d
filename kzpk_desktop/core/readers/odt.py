"""OpenDocument text (.odt) with odfpy: headings and paragraphs in order. Its meta.xml
``dc:title``/``meta:creation-date`` are written by the office suite: ``embedded`` tier."""

from __future__ import annotations

import io
import zipfile
from pathlib import Path
from xml.parsers.expat import ExpatError

from .base import Extracted, Fields, ImportRefused, Provenance, file_hash, library_version, tidy_text


def read(path: Path, data: bytes) -> Extracted:
    from odf import dc, meta, teletype
    from odf.namespaces import TEXTNS
    from odf.opendocument import load

    try:
        doc = load(io.BytesIO(data))
    except (zipfile.BadZipFile, KeyError, ExpatError, ValueError) as err:
        raise ImportRefused(f"it is not a readable OpenDocument file (a damaged or non-ODT zip: {err})") from None
    blocks = {(TEXTNS, "p"), (TEXTNS, "h")}
    lines: list[str] = []

    def walk(node: object) -> None:
        for child in getattr(node, "childNodes", ()):
            if getattr(child, "qname", None) in blocks:
                lines.append(teletype.extractText(child))
                lines.append("")
            else:
                walk(child)

    walk(doc.text)
    text = tidy_text("\n".join(lines))
    if not text.strip():
        raise ImportRefused("the OpenDocument file holds no text")

    def first(kind: type) -> str | None:
        found = doc.meta.getElementsByType(kind)
        value = teletype.extractText(found[0]).strip() if found else ""
        return value or None

    created = first(meta.CreationDate)
    embedded = Fields(
        title=first(dc.Title),
        date=created[:10] if created else None,
        author=first(dc.Creator),
        language=first(dc.Language),
        origin="odt-meta",
    )
    prov = Provenance("odt", path.name, file_hash(data), "odfpy", library_version("odfpy"))
    return Extracted(text=text, provenance=prov, embedded=embedded)
