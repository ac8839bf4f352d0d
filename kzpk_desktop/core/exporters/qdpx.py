"""REFI-QDA project (.qdpx): the exchange format of QualCoder, ATLAS.ti, MAXQDA and NVivo.

A zip with ``project.qde`` (XML, urn:QDA-XML:project:1.0) and one UTF-8 text per article
under ``Sources/``. Labels become codes, linked entities become child codes under their
label, and each span is a PlainTextSelection coded with both. Positions are code points
with an exclusive end (``text[start:end]``), as QualCoder reads them. GUIDs derive from
our ids and dates from the data, so exporting twice gives the same bytes. Characters XML 1.0
forbids are left out of names and notes (reported); the source texts keep them.
"""

from __future__ import annotations

import re
import uuid
from collections import defaultdict
from dataclasses import dataclass, field
from pathlib import Path
from xml.sax.saxutils import escape, quoteattr

from ... import __version__
from ..rows import ExportRow
from ..store import Store
from . import OFFSET_UNIT, ProgressFn, Ticker, binary_output, zip_bytes
from .filters import ExportFilter

NS = "urn:QDA-XML:project:1.0"
EPOCH = "1980-01-01T00:00:00Z"  # when nothing in the data carries a date
# Characters XML 1.0 forbids (everything outside Char, https://www.w3.org/TR/xml/#charsets).
XML_ILLEGAL = re.compile("[^\t\n\r\x20-\ud7ff\ue000-\ufffd\U00010000-\U0010ffff]")
RGB = re.compile("#(?:[0-9A-Fa-f]{6}|[0-9A-Fa-f]{3})")
_ROOT = uuid.UUID("6f1d7c1e-2b1a-4e8e-9a51-6b7a2c1f0d11")


def guid(kind: str, key: object) -> str:
    return str(uuid.uuid5(_ROOT, f"{kind}:{key}"))


def _dt(value: str | None) -> str:
    """An xsd:dateTime from the data (never the clock): the same database exports the same bytes."""
    return (value or EPOCH).replace("Z", "")[:19] + "Z"


@dataclass
class _Xml:
    """Escapes text for XML 1.0, dropping (and counting) the characters it cannot hold."""

    dropped: dict[str, int] = field(default_factory=dict)

    def clean(self, value: str) -> str:
        for ch in XML_ILLEGAL.findall(value):
            self.dropped[ch] = self.dropped.get(ch, 0) + 1
        return XML_ILLEGAL.sub("", value)

    def text(self, value: str) -> str:
        return escape(self.clean(value), {"\r": "&#13;"})

    def attr(self, value: str) -> str:
        return quoteattr(self.clean(value))

    def report(self) -> str | None:
        if not self.dropped:
            return None
        listed = ", ".join(f"U+{ord(ch):04X} ×{n}" for ch, n in sorted(self.dropped.items()))
        return (
            f"{sum(self.dropped.values())} character(s) that XML 1.0 cannot hold were left out of "
            f"project.qde names and notes ({listed}); the texts under Sources/ keep them, so every "
            "position is unchanged."
        )


def _color(value: str | None) -> str:
    return f' color="{value}"' if value and RGB.fullmatch(value) else ""


def write_qdpx(
    store: Store,
    path: str | Path | None,
    flt: ExportFilter | None = None,
    name: str = "kzpk export",
    progress: ProgressFn | None = None,
    notices: list[str] | None = None,
) -> int:
    """The project; elements in the order Project-mrt2019.xsd prescribes (a test validates it)."""
    where, params = (flt or ExportFilter()).sql()
    by_article: dict[int, list[ExportRow]] = defaultdict(list)
    users: set[str] = set()
    entities: dict[int, tuple[str, str]] = {}
    ticker = Ticker(progress)
    newest = ""
    for row in store.review.iter_export_rows(where, params):
        by_article[row.article_id].append(row)
        users.add(row.annotator or "unknown")
        if row.entity_id is not None:
            entities[row.entity_id] = (row.label, row.entity or "")  # (a linked entity has a name)
        newest = max(newest, row.updated_at or "", row.created_at or "")
        ticker.tick()
    x = _Xml()
    labels = store.labels.all()
    user_xml = "".join(f'<User guid="{guid("user", u)}" name={x.attr(u)}/>' for u in sorted(users))
    codes = []
    for lab in labels:
        children = "".join(
            f'<Code guid="{guid("entity", eid)}" name={x.attr(ename)} isCodable="true"{_color(lab.color)}/>'
            for eid, (label, ename) in sorted(entities.items())
            if label == lab.id
        )
        desc = f"<Description>{x.text(lab.description)}</Description>" if lab.description else ""
        codes.append(
            f'<Code guid="{guid("label", lab.id)}" name={x.attr(lab.name)} isCodable="true"'
            f"{_color(lab.color)}>{desc}{children}</Code>"
        )
    sources, files = [], []
    for aid, rows in sorted(by_article.items()):
        article = store.articles.get(aid)
        newest = max(newest, article.imported_at or "")
        sguid = guid("article", article.sha256)
        files.append((f"Sources/{sguid}.txt", article.text.encode("utf-8")))
        selections = []
        for r in rows:
            user = guid("user", r.annotator or "unknown")
            codings = [guid("label", r.label)] + ([guid("entity", r.entity_id)] if r.entity_id else [])
            coding_xml = "".join(
                f'<Coding guid="{guid("coding", r.annotation_id + c)}" creatingUser="{user}">'
                f'<CodeRef targetGUID="{c}"/></Coding>'
                for c in codings
            )
            notes = "; ".join(
                n
                for n in (
                    r.note,
                    r.verdict and f"verdict: {r.verdict}",
                    r.status != "unreviewed" and f"status: {r.status}",
                )
                if n
            )
            desc = f"<Description>{x.text(notes)}</Description>" if notes else ""
            quote = " ".join(r.text.split())[:60]
            selections.append(
                f'<PlainTextSelection guid="{guid("span", r.annotation_id)}" name={x.attr(quote)} '
                f'startPosition="{r.start}" endPosition="{r.end}" creatingUser="{user}" '
                f'creationDateTime="{_dt(r.created_at)}">{desc}{coding_xml}</PlainTextSelection>'
            )
        sources.append(
            f'<TextSource guid="{sguid}" name={x.attr(article.title)} '
            f'plainTextPath="internal://{sguid}.txt" creationDateTime="{_dt(article.imported_at)}">'
            + "".join(selections)
            + "</TextSource>"
        )
    report = x.report()
    description = f"Positions are {OFFSET_UNIT}s, end exclusive." + (f" {report}" if report else "")
    xml = (
        '<?xml version="1.0" encoding="utf-8"?>\n'
        f'<Project xmlns="{NS}" name={quoteattr(name)} origin="kzpk_desktop {__version__}" '
        f'creationDateTime="{_dt(newest or None)}">'
        + (f"<Users>{user_xml}</Users>" if users else "")
        + (f"<CodeBook><Codes>{''.join(codes)}</Codes></CodeBook>" if codes else "")
        + (f"<Sources>{''.join(sources)}</Sources>" if sources else "")
        + f"<Description>{escape(description)}</Description></Project>\n"
    )
    data = zip_bytes([("project.qde", xml.encode("utf-8")), *files])
    n = ticker.finish()
    with binary_output(path) as fh:
        fh.write(data)
    if report and notices is not None:
        notices.append(report)
    return n
