"""W3C Web Annotation JSON-LD: one AnnotationCollection, each span with a TextPositionSelector
(code points) and a TextQuoteSelector (exact, prefix, suffix) so it can be re-anchored."""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

from ..store import Store
from . import OFFSET_UNIT, atomic_output
from .filters import ExportFilter

QUOTE_WIDTH = 32
CONTEXT = ["http://www.w3.org/ns/anno.jsonld",
           {"kzpk": "urn:kzpk:", "offsetUnit": "kzpk:offsetUnit", "articleId": "kzpk:articleId",
            "articleTitle": "kzpk:articleTitle", "status": "kzpk:status"}]


def annotation(row: dict[str, Any], text: str, sha256: str) -> dict[str, Any]:
    s, e = row["start"], row["end"]
    bodies: list[dict[str, Any]] = [{"type": "TextualBody", "purpose": "tagging", "value": row["label"]}]
    if row["entity"]:
        bodies.append({"type": "SpecificResource", "purpose": "identifying",
                       "source": f"urn:kzpk:entity:{row['entity_id']}", "value": row["entity"]})
    if row["verdict"]:
        bodies.append({"type": "TextualBody", "purpose": "assessing", "value": row["verdict"]})
    if row["note"]:
        bodies.append({"type": "TextualBody", "purpose": "commenting", "value": row["note"]})
    item: dict[str, Any] = {
        "id": f"urn:uuid:{row['annotation_id']}",
        "type": "Annotation",
        "motivation": "assessing" if row["verdict"] else "tagging",
        "created": row["created_at"],
        "modified": row["updated_at"],
        "creator": {"type": "Person", "name": row["annotator"] or "unknown"},
        "status": row["status"],
        "body": bodies,
        "target": {
            "source": f"urn:sha256:{sha256}",
            "articleId": row["article_id"],
            "articleTitle": row["article_title"],
            "selector": [
                {"type": "TextPositionSelector", "start": s, "end": e},
                {"type": "TextQuoteSelector", "exact": row["text"],
                 "prefix": text[max(0, s - QUOTE_WIDTH) : s], "suffix": text[e : e + QUOTE_WIDTH]},
            ],
        },
    }
    return item


def write_webanno(store: Store, path: str | Path | None, flt: ExportFilter | None = None) -> int:
    where, params = (flt or ExportFilter()).sql()
    items = []
    hashes: dict[int, str] = {}
    for row in store.iter_export_rows(where, params):
        aid = row["article_id"]
        if aid not in hashes:
            hashes[aid] = store.article(aid)["sha256"]
        items.append(annotation(row, store.article_text(aid), hashes[aid]))
    doc = {"@context": CONTEXT, "type": "AnnotationCollection", "label": "kzpk_desktop annotations",
           "offsetUnit": OFFSET_UNIT, "total": len(items), "first": {"type": "AnnotationPage", "items": items}}
    with atomic_output(path, newline="\n") as fh:
        json.dump(doc, fh, ensure_ascii=False, indent=1)
        fh.write("\n")
    return len(items)
