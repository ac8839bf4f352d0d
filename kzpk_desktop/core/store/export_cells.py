"""The annotation CSV's cells straight from SQL: one query selecting exactly the output columns.

The CSV exporter used to build a dict per row from ``iter_export_rows`` and then a list of
cells from the dict: at 1,000,000 rows that Python work took about as long as the SQL and
the CSV writing together (issue 20: 1.36-1.40x a raw ``sqlite3`` + ``csv.writer`` floor).
Here the query yields tuples in the requested column order, ``NULL`` left as ``None`` (which
``csv.writer`` writes as an empty field, as the exporter always did), fetched in blocks.
"""

from __future__ import annotations

from collections.abc import Iterator, Sequence
from typing import Any

from .base import StoreBase

# Output column -> SQL expression over ``annotations ann JOIN articles a LEFT JOIN entities e``
# (the same expressions as ``iter_export_rows``; the CSV's byte-identity tests hold them together).
_EXPRESSIONS: dict[str, str] = {
    "annotation_id": "ann.id",
    "article_id": "ann.article_id",
    "article_title": "a.title",
    "article_source": "a.source",
    "article_date": "a.date",
    "article_file": "a.file_name",
    "label": "ann.label",
    "start": "ann.start",
    "end": 'ann."end"',
    "text": "ann.text",
    "entity": "e.name",
    "entity_id": "ann.entity_id",
    "claim_type": "ann.claim_type",
    "confidence": "ann.confidence",
    "verdict": "ann.verdict",
    "evidence_url": "ann.evidence_url",
    "evidence_note": "ann.evidence_note",
    "note": "ann.note",
    "status": "ann.status",
    "annotator": "ann.annotator",
    "reviewer": "ann.reviewer",
    "reviewed_at": "ann.reviewed_at",
    "created_at": "ann.created_at",
    "updated_at": "ann.updated_at",
    "curated_by": "ann.curated_by",
    "curated_at": "ann.curated_at",
}
BLOCK_ROWS = 200  # rows per fetch: the exporter asks its progress callback once per block


def _expression(column: str, context_width: int) -> str:
    w = int(context_width)
    if column == "context_before":
        return f"substr(a.text, max(ann.start - {w}, 0) + 1, ann.start - max(ann.start - {w}, 0))"
    if column == "context_after":
        return f'substr(a.text, ann."end" + 1, {w})'
    return _EXPRESSIONS[column]


def export_cell_blocks(
    store: StoreBase, columns: Sequence[str], where: str = "", params: Sequence[Any] = (), context_width: int = 40
) -> Iterator[list[tuple[Any, ...]]]:
    """Rows of exactly ``columns`` (known names only; KeyError otherwise), in export order,
    in blocks of up to ``BLOCK_ROWS``; streamed, never all in memory."""
    select = ", ".join(_expression(c, context_width) for c in columns)
    join_entities = "LEFT JOIN entities e ON e.id = ann.entity_id" if "entity" in columns else ""
    cur = store.conn.execute(
        f"""SELECT {select}
            FROM annotations ann JOIN articles a ON a.id = ann.article_id {join_entities}
            {where}
            ORDER BY ann.article_id, ann.start, ann."end", ann.id""",
        list(params),
    )
    while block := cur.fetchmany(BLOCK_ROWS):
        yield block
