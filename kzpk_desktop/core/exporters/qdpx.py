"""REFI-QDA project (.qdpx): the exchange format of QualCoder, ATLAS.ti, MAXQDA and NVivo.

A zip with ``project.qde`` (XML, urn:QDA-XML:project:1.0) and one UTF-8 text per article
under ``Sources/``. Labels become codes, linked entities become child codes under their
label, and each span is a PlainTextSelection coded with both. Positions are code points
with an exclusive end (``text[start:end]``), as QualCoder reads them. GUIDs are derived
from our ids, so exporting twice gives the same project.
"""

from __future__ import annotations

import io
import uuid
import zipfile
from collections import defaultdict
from datetime import UTC, datetime
from pathlib import Path
from typing import Any
from xml.sax.saxutils import escape, quoteattr

from ... import __version__
from ..store import Store
from . import OFFSET_UNIT, atomic_binary_output
from .filters import ExportFilter

NS = "urn:QDA-XML:project:1.0"
_ROOT = uuid.UUID("6f1d7c1e-2b1a-4e8e-9a51-6b7a2c1f0d11")


def guid(kind: str, key: object) -> str:
    return str(uuid.uuid5(_ROOT, f"{kind}:{key}"))


def _dt(value: str | None) -> str:
    return (value or datetime.now(UTC).isoformat()).replace("Z", "")[:19] + "Z"


def write_qdpx(store: Store, path: str | Path, flt: ExportFilter | None = None, name: str = "kzpk export") -> int:
    where, params = (flt or ExportFilter()).sql()
    by_article: dict[int, list[dict[str, Any]]] = defaultdict(list)
    users: set[str] = set()
    entities: dict[int, tuple[str, str]] = {}
    for row in store.iter_export_rows(where, params):
        by_article[row["article_id"]].append(row)
        users.add(row["annotator"] or "unknown")
        if row["entity_id"] is not None:
            entities[row["entity_id"]] = (row["label"], row["entity"])
    labels = store.labels()
    user_xml = "".join(f'<User guid="{guid("user", u)}" name={quoteattr(u)}/>' for u in sorted(users))
    codes = []
    for lab in labels:
        children = "".join(
            f'<Code guid="{guid("entity", eid)}" name={quoteattr(ename)} isCodable="true" color="{lab["color"]}"/>'
            for eid, (label, ename) in sorted(entities.items()) if label == lab["id"])
        desc = f"<Description>{escape(lab.get('description') or '')}</Description>" if lab.get("description") else ""
        codes.append(f'<Code guid="{guid("label", lab["id"])}" name={quoteattr(lab["name"])} isCodable="true" '
                     f'color="{lab["color"]}">{desc}{children}</Code>')
    sources, files = [], {}
    for aid, rows in sorted(by_article.items()):
        article = store.article(aid)
        sguid = guid("article", article["sha256"])
        files[f"Sources/{sguid}.txt"] = article["text"].encode("utf-8")
        selections = []
        for r in rows:
            user = guid("user", r["annotator"] or "unknown")
            codings = [guid("label", r["label"])] + ([guid("entity", r["entity_id"])] if r["entity_id"] else [])
            coding_xml = "".join(f'<Coding guid="{guid("coding", r["annotation_id"] + c)}" creatingUser="{user}">'
                                 f'<CodeRef targetGUID="{c}"/></Coding>' for c in codings)
            notes = "; ".join(x for x in (r["note"], r["verdict"] and f"verdict: {r['verdict']}",
                                          r["status"] != "unreviewed" and f"status: {r['status']}") if x)
            desc = f"<Description>{escape(notes)}</Description>" if notes else ""
            quote = " ".join(r["text"].split())[:60]
            selections.append(
                f'<PlainTextSelection guid="{guid("span", r["annotation_id"])}" name={quoteattr(quote)} '
                f'startPosition="{r["start"]}" endPosition="{r["end"]}" creatingUser="{user}" '
                f'creationDateTime="{_dt(r["created_at"])}">{desc}{coding_xml}</PlainTextSelection>')
        sources.append(f'<TextSource guid="{sguid}" name={quoteattr(article["title"])} '
                       f'plainTextPath="internal://{sguid}.txt" creationDateTime="{_dt(article["imported_at"])}">'
                       + "".join(selections) + "</TextSource>")
    xml = ('<?xml version="1.0" encoding="utf-8"?>\n'
           f'<Project xmlns="{NS}" name={quoteattr(name)} origin="kzpk_desktop {__version__}" '
           f'creationDateTime="{_dt(None)}">'
           f"<Description>Positions are {OFFSET_UNIT}s, end exclusive.</Description>"
           f"<Users>{user_xml}</Users><CodeBook><Codes>{''.join(codes)}</Codes></CodeBook>"
           f"<Sources>{''.join(sources)}</Sources></Project>\n")
    buf = io.BytesIO()
    with zipfile.ZipFile(buf, "w", zipfile.ZIP_DEFLATED) as z:
        z.writestr("project.qde", xml.encode("utf-8"))
        for name_, data in files.items():
            z.writestr(name_, data)
    with atomic_binary_output(path) as fh:
        fh.write(buf.getvalue())
    return sum(len(r) for r in by_article.values())
