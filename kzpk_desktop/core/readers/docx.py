"""Word (.docx) with python-docx: paragraphs and table cells in document order. The core
properties (``title``, ``created``) are often a template's, so they are only ``embedded``."""

from __future__ import annotations

import io
import zipfile
from pathlib import Path

from .base import Extracted, Fields, ImportRefused, Provenance, file_hash, library_version, tidy_text


def read(path: Path, data: bytes) -> Extracted:
    import docx
    from docx.opc.exceptions import PackageNotFoundError

    try:
        document = docx.Document(io.BytesIO(data))
    except (zipfile.BadZipFile, PackageNotFoundError, KeyError, ValueError) as err:
        raise ImportRefused(f"it is not a readable Word document (a damaged or non-DOCX zip: {err})") from None
    body = document.element.body
    lines: list[str] = []
    for block in body.iterchildren():
        tag = block.tag.rsplit("}", 1)[-1]
        if tag == "p":
            lines.append("".join(t.text or "" for t in block.iter() if t.tag.endswith("}t")))
        elif tag == "tbl":
            for row in block.iter():
                if row.tag.endswith("}tr"):
                    cells = [
                        "".join(t.text or "" for t in c.iter() if t.tag.endswith("}t"))
                        for c in row.iterchildren()
                        if c.tag.endswith("}tc")
                    ]
                    lines.append("\t".join(cells))
        lines.append("")
    text = tidy_text("\n".join(lines))
    if not text.strip():
        raise ImportRefused("the Word document holds no text")
    props = document.core_properties
    embedded = Fields(
        title=props.title or None,
        date=props.created.date().isoformat() if props.created else None,
        author=props.author or None,
        language=props.language or None,
        origin="docx-core",
    )
    prov = Provenance("docx", path.name, file_hash(data), "python-docx", library_version("python-docx"))
    return Extracted(text=text, provenance=prov, embedded=embedded)
