"""Saved web pages (.html, .htm): main text with trafilatura, publication date with htmldate.

Navigation, ads, comments and footers are left out by trafilatura. The title, site name,
canonical URL and author come from the page's own markup (``<meta>``, Open Graph, JSON-LD):
the publisher's declaration, so they are the ``document`` tier. The date is read by
htmldate from markup only (``extensive_search=False``): it never guesses a date from
the URL or from any number in the text.
"""

from __future__ import annotations

import json
import re
from pathlib import Path
from typing import Any

from .base import Extracted, Fields, ImportRefused, Provenance, file_hash, library_version, tidy_text

MIN_WORDS = 8
_LANG = re.compile(rb"<html\b[^>]*?\blang\s*=\s*[\"']?([A-Za-z]{2,3})(?:[-_][A-Za-z0-9]+)?", re.IGNORECASE)


_JSON_LD = re.compile(rb"<script[^>]*application/ld\+json[^>]*>(.*?)</script>", re.IGNORECASE | re.DOTALL)


def _publisher(data: bytes) -> str | None:
    """``publisher.name`` of the page's JSON-LD (trafilatura reads the site name from
    ``og:site_name`` and similar, not from there)."""
    for m in _JSON_LD.finditer(data):
        try:
            found = json.loads(m.group(1).decode("utf-8", "replace"))
        except ValueError:
            continue
        stack = [found]
        while stack:
            node = stack.pop()
            if isinstance(node, list):
                stack.extend(node)
            elif isinstance(node, dict):
                pub = node.get("publisher")
                if isinstance(pub, dict) and isinstance(pub.get("name"), str) and pub["name"].strip():
                    return str(pub["name"]).strip()
                stack.extend(v for v in node.values() if isinstance(v, dict | list))
    return None


def read(path: Path, data: bytes) -> Extracted:
    import htmldate
    import trafilatura

    if not data.strip():
        raise ImportRefused("the page is empty")
    try:
        doc: Any = trafilatura.bare_extraction(
            data, with_metadata=True, include_comments=False, include_tables=True, favor_precision=True
        )
    except Exception as err:  # trafilatura raises many kinds on broken markup
        raise ImportRefused(f"the page could not be parsed ({type(err).__name__})") from None
    text = tidy_text(doc.text or "") if doc is not None else ""
    # trafilatura falls back to any text it finds ("Home" from a menu): fewer words than a
    # sentence is not an article.
    if len(text.split()) < MIN_WORDS:
        raise ImportRefused("the page has no main text (only navigation, scripts or markup)")
    try:
        date = htmldate.find_date(data, extensive_search=False, original_date=True)
    except Exception:  # a date we cannot read is a date we leave empty
        date = None
    lang = _LANG.search(data[:4096])
    document = Fields(
        title=(doc.title or None),
        date=date,
        source=(doc.sitename or _publisher(data) or None),
        url=(doc.url or None),
        language=lang.group(1).decode("ascii").lower() if lang else None,
        author=(doc.author or None),
        origin="html-meta",
    )
    fmt = "html"
    prov = Provenance(
        fmt,
        path.name,
        file_hash(data),
        "trafilatura+htmldate",
        f"{library_version('trafilatura')}+{library_version('htmldate')}",
    )
    return Extracted(text=text, provenance=prov, document=document)
