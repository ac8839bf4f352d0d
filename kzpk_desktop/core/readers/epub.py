"""EPUB with ebooklib: the whole book becomes ONE article, its chapters in spine order
separated by blank lines (split it before import if you want one article per chapter).
Dublin Core ``title``/``date``/``creator``/``publisher`` are the publisher's declaration:
the ``document`` tier."""

from __future__ import annotations

import tempfile
import zipfile
from pathlib import Path

from .base import Extracted, Fields, ImportRefused, Provenance, file_hash, library_version, tidy_text

_BLOCKS = {"h1", "h2", "h3", "h4", "h5", "h6", "p", "li", "blockquote", "pre", "dt", "dd", "td"}


def _chapter_text(content: bytes) -> str:
    from lxml import etree, html

    try:
        root = html.fromstring(content)
    except (etree.ParserError, ValueError):
        return ""
    lines = []
    for el in root.iter():
        tag = el.tag.rsplit("}", 1)[-1] if isinstance(el.tag, str) else ""
        if tag in _BLOCKS and not any(
            isinstance(a.tag, str) and a.tag.rsplit("}", 1)[-1] in _BLOCKS for a in el.iterancestors()
        ):
            lines.append(" ".join(el.text_content().split()))
            lines.append("")
    return "\n".join(lines)


def read(path: Path, data: bytes) -> Extracted:
    import ebooklib
    from ebooklib import epub

    with tempfile.TemporaryDirectory() as tmp:  # ebooklib reads from a path
        copy = Path(tmp) / "book.epub"
        copy.write_bytes(data)
        try:
            book = epub.read_epub(str(copy), options={"ignore_ncx": True})
        except (zipfile.BadZipFile, epub.EpubException, KeyError, ValueError, AttributeError) as err:
            raise ImportRefused(f"it is not a readable EPUB (a damaged or non-EPUB zip: {err})") from None
    chapters = []
    for item_id, _linear in book.spine:
        item = book.get_item_with_id(item_id)
        # The navigation document (table of contents) is not part of the text.
        if item is not None and item.get_type() == ebooklib.ITEM_DOCUMENT and not isinstance(item, epub.EpubNav):
            chapters.append(_chapter_text(item.get_content()))
    text = tidy_text("\n\n".join(chapters))
    if not text.strip():
        raise ImportRefused("the EPUB holds no text")

    def dc(name: str) -> str | None:
        values = book.get_metadata("DC", name)
        return str(values[0][0]).strip() or None if values else None

    document = Fields(
        title=dc("title"),
        date=dc("date"),
        source=dc("publisher"),
        author=dc("creator"),
        language=dc("language"),
        origin="epub-dc",
    )
    prov = Provenance("epub", path.name, file_hash(data), "ebooklib", library_version("ebooklib"))
    return Extracted(text=text, provenance=prov, document=document)
