"""SQL for team work's read-outs and layers: agreement inputs, the gold layer, publishing,
and who coded an article (kept apart from the merge machinery in ``team.py``)."""

from __future__ import annotations

import itertools
import sqlite3
from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import TYPE_CHECKING, Any

from .annotators import annotator_names as annotator_names  # (moved; still importable here)
from .base import StoreBase


# --- agreement inputs -------------------------------------------------------------------
@dataclass(frozen=True)
class CodedSpan:
    article_id: int
    annotator: str
    label: str
    start: int
    end: int


if TYPE_CHECKING:  # numpy costs ~0.1 s to import: not at start-up, only when agreement is measured
    import numpy as np


@dataclass(frozen=True)
class ReviewerCall:
    """One reviewer's latest decision on one span."""

    annotation_id: str
    label: str
    reviewer: str
    status: str
    verdict: str | None


def coders_by_article(store: StoreBase, article_id: int | None) -> dict[int, set[str]]:
    """Which coders tagged anything in which article (from an index alone; gold copies are the
    adjudication, not a coder)."""
    where = "curated_by IS NULL AND annotator != ''" + (" AND article_id = ?" if article_id is not None else "")
    out: dict[int, set[str]] = {}
    for coder, aid in store.conn.execute(
        f"SELECT DISTINCT annotator, article_id FROM annotations WHERE {where}",
        [article_id] if article_id is not None else [],
    ):
        out.setdefault(aid, set()).add(coder)
    return out


def coded_spans(store: StoreBase, article_ids: Sequence[int]) -> list[CodedSpan]:
    """The coders' own spans in these articles (gold copies left out)."""
    out: list[CodedSpan] = []
    for i in range(0, len(article_ids), 500):
        chunk = list(article_ids[i : i + 500])
        out.extend(
            CodedSpan(*r)
            for r in store.conn.execute(
                'SELECT article_id, annotator, label, start, "end" FROM annotations '
                f"WHERE article_id IN ({','.join('?' * len(chunk))}) AND curated_by IS NULL AND annotator != ''",
                chunk,
            )
        )
    return out


@dataclass(frozen=True)
class SpanColumns:
    """The coders' own spans as parallel integer columns (one row per span): agreement works
    on arrays, and a million spans as Python objects cost more than the arithmetic."""

    article_id: np.ndarray
    coder: np.ndarray  # index into the coders asked for
    label: np.ndarray  # index into the labels asked for
    start: np.ndarray
    end: np.ndarray


def coders(store: StoreBase, article_id: int | None) -> tuple[str, ...]:
    """Everyone who coded a span (gold copies are the adjudication, not a coder), sorted."""
    where = "curated_by IS NULL AND annotator != ''" + (" AND article_id = ?" if article_id is not None else "")
    params: list[Any] = [article_id] if article_id is not None else []
    found = store.conn.execute(f"SELECT DISTINCT annotator FROM annotations WHERE {where}", params)
    return tuple(sorted(r[0] for r in found))


def span_columns(store: StoreBase, coders: Sequence[str], labels: Sequence[str], article_id: int | None) -> SpanColumns:
    """Every coder's spans (gold copies left out), coders and labels as indices; a span of a
    label not asked for gets ``len(labels)`` (it still says who worked on the article).

    One scan, and two integers a row (article, coder and label packed in one; start and end in
    the other), unpacked with array arithmetic: the per-row cost is SQLite's and the C loop's.
    """
    n_c, n_l = len(coders), len(labels) + 1
    import numpy as np

    empty = np.empty(0, dtype=np.int64)
    if not n_c:
        return SpanColumns(empty, empty, empty, empty, empty)
    coder_case = " ".join(f"WHEN ? THEN {i}" for i in range(n_c))
    label_case = " ".join(f"WHEN ? THEN {i}" for i in range(n_l - 1))
    label_expr = f"CASE label {label_case} ELSE {n_l - 1} END" if labels else "0"
    where = "" if article_id is None else " AND article_id = ?"
    sql = (
        f"SELECT (article_id * {n_c} + CASE annotator {coder_case} END) * {n_l} + {label_expr}, "
        f'start * 4294967296 + "end" FROM annotations WHERE curated_by IS NULL '
        f"AND annotator IN ({', '.join('?' * n_c)}){where}"
    )
    params: list[Any] = [*coders, *labels, *coders, *([] if article_id is None else [article_id])]
    flat = np.fromiter(itertools.chain.from_iterable(store.conn.execute(sql, params)), dtype=np.int64)
    key, offsets = flat[0::2], flat[1::2]
    return SpanColumns(key // (n_c * n_l), (key // n_l) % n_c, key % n_l, offsets >> 32, offsets & 0xFFFFFFFF)


def article_texts(store: StoreBase, article_ids: Iterable[int]) -> dict[int, str]:
    ids = sorted(set(article_ids))
    out: dict[int, str] = {}
    for i in range(0, len(ids), 500):
        chunk = ids[i : i + 500]
        out.update(
            store.conn.execute(
                f"SELECT id, text FROM articles WHERE id IN ({','.join('?' * len(chunk))})", chunk
            ).fetchall()
        )
    return out


def latest_calls(store: StoreBase, label: str | None, article_id: int | None) -> list[ReviewerCall]:
    """Each reviewer's last decision per span (a reviewer who changed their mind counts once)."""
    where: list[str] = ["ann.curated_by IS NULL"]
    params: list[Any] = []
    if label:
        where.append("ann.label = ?")
        params.append(label)
    if article_id is not None:
        where.append("ann.article_id = ?")
        params.append(article_id)
    sql = f"""
        SELECT d.annotation_id, ann.label, d.reviewer, d.status, d.verdict
        FROM review_decisions d JOIN annotations ann ON ann.id = d.annotation_id
        WHERE {" AND ".join(where)} AND d.id = (
            SELECT max(d2.id) FROM review_decisions d2
            WHERE d2.annotation_id = d.annotation_id AND d2.reviewer = d.reviewer)
        ORDER BY d.annotation_id, d.reviewer"""
    return [ReviewerCall(*r) for r in store.conn.execute(sql, params)]


# --- the gold layer -----------------------------------------------------------------------
@dataclass(frozen=True)
class GoldMark:
    """Who put a span into the gold layer, when, and which coder's span it copies."""

    curated_by: str
    curated_at: str
    gold_of: str | None


def gold_overlapping(store: StoreBase, article_id: int, label: str, start: int, end: int) -> list[str]:
    """Gold spans of ``label`` that overlap ``[start, end)``: what a new adjudication replaces."""
    return [
        r[0]
        for r in store.conn.execute(
            "SELECT id FROM annotations WHERE article_id = ? AND label = ? AND curated_by IS NOT NULL "
            'AND start < ? AND "end" > ? ORDER BY start, id',
            (article_id, label, end, start),
        )
    ]


def gold_mark(store: StoreBase, annotation_id: str) -> GoldMark | None:
    row = store.conn.execute(
        "SELECT curated_by, curated_at, gold_of FROM annotations WHERE id = ?", (annotation_id,)
    ).fetchone()
    return GoldMark(*row) if row and row[0] is not None else None


def set_gold_mark(store: StoreBase, annotation_id: str, mark: GoldMark) -> None:
    with store.transaction() as c:
        c.execute(
            "UPDATE annotations SET curated_by = ?, curated_at = ?, gold_of = ? WHERE id = ?",
            (mark.curated_by, mark.curated_at, mark.gold_of, annotation_id),
        )
        store._log(
            c,
            mark.curated_by,
            "curate",
            "annotation",
            annotation_id,
            None,
            {"curated_by": mark.curated_by, "curated_at": mark.curated_at, "gold_of": mark.gold_of},
        )


# --- publishing -----------------------------------------------------------------------------
_PUBLISH_SCHEMA = """
CREATE TABLE articles (id INTEGER PRIMARY KEY, title TEXT NOT NULL, outlet TEXT, date TEXT, sha256 TEXT NOT NULL,
                       text TEXT NOT NULL);
CREATE TABLE annotations (id TEXT PRIMARY KEY, article_id INTEGER NOT NULL REFERENCES articles(id),
                          article_title TEXT, outlet TEXT, date TEXT, label TEXT NOT NULL, start INTEGER NOT NULL,
                          "end" INTEGER NOT NULL, text TEXT NOT NULL, annotator TEXT, status TEXT NOT NULL,
                          reviewed INTEGER NOT NULL, verdict TEXT, confidence TEXT, reviewer TEXT, reviewed_at TEXT,
                          entity TEXT, claim_type TEXT, note TEXT, gold INTEGER NOT NULL, curated_by TEXT);
CREATE TABLE evidence (annotation_id TEXT NOT NULL REFERENCES annotations(id), position INTEGER NOT NULL,
                       url TEXT NOT NULL, quote TEXT, stance TEXT, note TEXT, author TEXT);
CREATE INDEX idx_pub_ann_article ON annotations(article_id);
CREATE INDEX idx_pub_ev_ann ON evidence(annotation_id);
"""


@dataclass(frozen=True)
class PublishCounts:
    articles: int
    annotations: int
    evidence: int


def write_publication(store: StoreBase, dest: Path, reviewed_only: bool) -> PublishCounts:
    """A plain SQLite file with the dataset only (no change log, settings or merge bookkeeping)."""
    where = "WHERE ann.reviewed_at IS NOT NULL" if reviewed_only else ""
    out = sqlite3.connect(str(dest))
    try:
        out.executescript(_PUBLISH_SCHEMA)
        src = store.conn
        ann_rows = src.execute(f"""
            SELECT ann.id, ann.article_id, a.title, a.source, a.date, ann.label, ann.start, ann."end", ann.text,
                   ann.annotator, ann.status, ann.reviewed_at IS NOT NULL, ann.verdict, ann.confidence,
                   ann.reviewer, ann.reviewed_at, e.name, ann.claim_type, ann.note, ann.curated_by IS NOT NULL,
                   ann.curated_by
            FROM annotations ann JOIN articles a ON a.id = ann.article_id
            LEFT JOIN entities e ON e.id = ann.entity_id {where}
            ORDER BY ann.article_id, ann.start, ann."end", ann.id""").fetchall()
        out.executemany(f"INSERT INTO annotations VALUES ({', '.join('?' * 21)})", ann_rows)
        article_ids = sorted({r[1] for r in ann_rows}) if reviewed_only else None
        arts = src.execute("SELECT id, title, source, date, sha256, text FROM articles ORDER BY id").fetchall()
        if article_ids is not None:
            keep = set(article_ids)
            arts = [r for r in arts if r[0] in keep]
        out.executemany("INSERT INTO articles VALUES (?, ?, ?, ?, ?, ?)", arts)
        ev = src.execute(f"""
            SELECT ev.annotation_id, ev.position, ev.url, ev.quote, ev.stance, ev.note, ev.author
            FROM evidence ev JOIN annotations ann ON ann.id = ev.annotation_id {where}
            ORDER BY ev.annotation_id, ev.position""").fetchall()
        out.executemany("INSERT INTO evidence VALUES (?, ?, ?, ?, ?, ?, ?)", ev)
        out.commit()
    finally:
        out.close()
    return PublishCounts(len(arts), len(ann_rows), len(ev))
