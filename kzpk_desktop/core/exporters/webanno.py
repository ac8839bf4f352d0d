"""W3C Web Annotation JSON-LD: one AnnotationCollection, each span with a TextPositionSelector
(code points, as the model defines them) and a TextQuoteSelector (exact, prefix, suffix) so it
can be re-anchored.

Only the model's own vocabulary is used (``http://www.w3.org/ns/anno.jsonld``), so every key
expands to an IRI that resolves. The model's MUSTs kept here: every Annotation, the
AnnotationCollection and its AnnotationPage have an ``id`` (an IRI); a SpecificResource
carries no ``value``. Ids derive from our ids, so exporting twice gives the same bytes.
"""

from __future__ import annotations

import base64
import json
import uuid
from pathlib import Path

from ..jsonvalue import JSONObject, JSONValue
from ..rows import ExportRow
from ..store import Store
from . import ProgressFn, Ticker, text_output
from .filters import ExportFilter

QUOTE_WIDTH = 32
CONTEXT = "http://www.w3.org/ns/anno.jsonld"
_ROOT = uuid.UUID("0b8f3c5e-6a1d-4f4e-9d2b-3c7e1a5f9e21")


def iri(kind: str, key: object) -> str:
    """A stable ``urn:uuid:`` IRI for one of our things (entity, collection, page)."""
    return f"urn:uuid:{uuid.uuid5(_ROOT, f'{kind}:{key}')}"


def text_iri(sha256_hex: str) -> str:
    """The article text named by its hash (RFC 6920 ``ni:`` URI): same text, same IRI anywhere."""
    digest = base64.urlsafe_b64encode(bytes.fromhex(sha256_hex)).rstrip(b"=").decode("ascii")
    return f"ni:///sha-256;{digest}"


def annotation(row: ExportRow, text: str, sha256: str) -> JSONObject:
    s, e = row.start, row.end
    bodies: list[JSONValue] = [{"type": "TextualBody", "purpose": "tagging", "value": row.label}]
    if row.entity_id is not None:
        bodies.append(
            {
                "type": "SpecificResource",
                "purpose": "identifying",
                "source": {"id": iri("entity", row.entity_id), "label": row.entity},
            }
        )
    if row.verdict:
        bodies.append({"type": "TextualBody", "purpose": "assessing", "value": row.verdict})
    if row.status and row.status != "unreviewed":
        bodies.append({"type": "TextualBody", "purpose": "moderating", "value": row.status})
    if row.note:
        bodies.append({"type": "TextualBody", "purpose": "commenting", "value": row.note})
    item: JSONObject = {
        "id": f"urn:uuid:{row.annotation_id}",
        "type": "Annotation",
        "motivation": "assessing" if row.verdict else "tagging",
        "created": row.created_at,
        "modified": row.updated_at,
    }
    if row.annotator:
        item["creator"] = {"type": "Person", "name": row.annotator}
    item["body"] = bodies
    item["target"] = {
        "type": "SpecificResource",
        "source": {"id": text_iri(sha256), "type": "Text", "format": "text/plain"},
        "selector": [
            {"type": "TextPositionSelector", "start": s, "end": e},
            {
                "type": "TextQuoteSelector",
                "exact": row.text,
                "prefix": text[max(0, s - QUOTE_WIDTH) : s],
                "suffix": text[e : e + QUOTE_WIDTH],
            },
        ],
    }
    return item


def write_webanno(
    store: Store, path: str | Path | None, flt: ExportFilter | None = None, progress: ProgressFn | None = None
) -> int:
    where, params = (flt or ExportFilter()).sql()
    items: list[JSONObject] = []
    hashes: dict[int, str] = {}
    ticker = Ticker(progress)
    for row in store.review.iter_export_rows(where, params):
        aid = row.article_id
        if aid not in hashes:
            hashes[aid] = store.articles.get(aid).sha256
        items.append(annotation(row, store.articles.text(aid), hashes[aid]))
        ticker.tick()
    key = ",".join(str(i["id"]) for i in items)  # the same annotations give the same collection id
    doc: JSONObject = {
        "@context": CONTEXT,
        "id": iri("collection", key),
        "type": "AnnotationCollection",
        "label": "kzpk_desktop annotations",
        "total": len(items),
        "first": {"id": iri("page", key), "type": "AnnotationPage", "startIndex": 0, "items": list(items)},
    }
    n = ticker.finish()
    with text_output(path, newline="\n") as fh:
        json.dump(doc, fh, ensure_ascii=False, indent=1)
        fh.write("\n")
    return n
