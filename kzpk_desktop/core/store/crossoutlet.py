"""SQL for the cross-outlet features: articles with their linked entities, claim spans,
dated spans, prior fact-checks (FTS5, bm25) and evidence provenance.

Self-contained functions taking the ``Store`` (not a mixin), so the store redesign can
move them into a repository without touching the big mixins.
"""

from __future__ import annotations

import re
from collections.abc import Iterator, Sequence
from dataclasses import dataclass
from typing import Any

from ..errors import NotFoundError, StoreError
from .base import StoreBase, utc_now


@dataclass(frozen=True)
class ArticleRow:
    id: int
    title: str
    source: str | None
    date: str | None
    text: str
    entity_ids: tuple[int, ...] = ()
    entity_names: tuple[str, ...] = ()


@dataclass(frozen=True)
class SpanRow:
    """A claim or agreement span with what the cross-outlet views need of its article."""

    id: str
    article_id: int
    label: str
    start: int
    end: int
    text: str
    verdict: str | None
    status: str
    article_date: str | None
    article_source: str | None
    entity_id: int | None
    entity_name: str | None
    entity_date: str | None  # an agreement's own date, when the entity records one
    linked: tuple[str, ...] = ()  # names of entities linked through relations (speaker, agreement)
    about: tuple[str, ...] = ()  # names of the agreements a claim is about
    before: str = ""  # up to 200 characters of text before the span (for its sentence)
    after: str = ""  # ... and after it


@dataclass(frozen=True)
class PriorCheck:
    url: str
    claim: str
    rating: str
    publisher: str
    date: str
    entities: str = ""


@dataclass(frozen=True)
class PriorCheckMatch:
    id: int
    url: str
    claim: str
    rating: str
    publisher: str
    date: str
    score: float  # -bm25: larger is better


@dataclass(frozen=True)
class EvidenceRow:
    id: int
    annotation_id: str
    position: int
    url: str
    quote: str
    stance: str
    note: str
    retrieved_at: str | None
    published_at: str | None
    archive_url: str | None
    archived_file: str | None


_ARTICLE_SQL = """
    SELECT a.id, a.title, a.source, a.date, a.text,
           (SELECT group_concat(DISTINCT ann.entity_id) FROM annotations ann
              WHERE ann.article_id = a.id AND ann.entity_id IS NOT NULL) AS entity_ids,
           (SELECT group_concat(e.name, char(31)) FROM entities e WHERE e.id IN
              (SELECT ann.entity_id FROM annotations ann WHERE ann.article_id = a.id)) AS entity_names
    FROM articles a {where} ORDER BY a.id
"""


def _article_row(row: tuple[Any, ...]) -> ArticleRow:
    ids = tuple(sorted(int(x) for x in row[5].split(","))) if row[5] else ()
    names = tuple(sorted(set(row[6].split("\x1f")))) if row[6] else ()
    return ArticleRow(int(row[0]), row[1], row[2], row[3], row[4], ids, names)


def iter_articles(store: StoreBase) -> Iterator[ArticleRow]:
    """Every article with the entities linked in it, streamed by id (never all texts at once)."""
    for row in store.conn.execute(_ARTICLE_SQL.format(where="")):
        yield _article_row(row)


def iter_articles_by_date(store: StoreBase) -> Iterator[ArticleRow]:
    """Every article, undated ones first, then by date and id: the order stories stream in."""
    order = "ORDER BY (a.date IS NOT NULL AND length(a.date) >= 10), a.date, a.id"
    for row in store.conn.execute(_ARTICLE_SQL.format(where="").replace("ORDER BY a.id", order)):
        yield _article_row(row)


def articles_by_id(store: StoreBase, ids: Sequence[int]) -> list[ArticleRow]:
    """The named articles in the order given; an unknown id is one clear error."""
    out: list[ArticleRow] = []
    for article_id in ids:
        row = store.conn.execute(_ARTICLE_SQL.format(where="WHERE a.id = ?"), (article_id,)).fetchone()
        if row is None:
            raise NotFoundError(f"There is no article with id {article_id}.")
        out.append(_article_row(row))
    return out


def articles_near(store: StoreBase, article_id: int, days: int = 3, limit: int = 100) -> list[ArticleRow]:
    """The article and the ``limit`` dated nearest it within ``days`` (the compare picker's
    candidates and the story it belongs to); an undated article has only itself. The date range
    is a string range on ISO dates, so the index on ``articles.date`` serves it."""
    from datetime import date, timedelta

    own = articles_by_id(store, [article_id])[0]
    if not own.date or len(own.date) < 10:
        return [own]
    try:
        day = date.fromisoformat(own.date[:10])
    except ValueError:
        return [own]
    low, high = (day - timedelta(days=days)).isoformat(), (day + timedelta(days=days)).isoformat() + "\uffff"
    where = "WHERE a.date >= ? AND a.date <= ? AND length(a.date) >= 10"
    nearest = "ORDER BY abs(julianday(substr(a.date, 1, 10)) - julianday(?)), a.id LIMIT ?"
    sql = _ARTICLE_SQL.format(where=where).replace("ORDER BY a.id", nearest)
    rows = [_article_row(r) for r in store.conn.execute(sql, (low, high, day.isoformat(), int(limit)))]
    return rows if any(r.id == article_id for r in rows) else [own, *rows]


def spans(
    store: StoreBase,
    labels: Sequence[str] = ("claim",),
    annotation_id: str | None = None,
    *,
    date_from: str | None = None,
    date_to: str | None = None,
    limit: int | None = None,
) -> list[SpanRow]:
    """Spans of the given labels with verdict, article date/source and linked entity names.

    ``date_from``/``date_to`` keep articles published in that range (ISO at any precision:
    '2025-09' to '2025-09' is the whole month); ``limit`` caps the rows, so a view on a corpus
    of a million spans reads a window of it."""
    marks = ",".join("?" * len(labels))
    params: list[Any] = [*labels]
    one = ""
    if annotation_id is not None:
        one, params = "AND s.id = ?", [*params, annotation_id]
    if date_from:
        one, params = one + " AND a.date >= ?", [*params, date_from]
    if date_to:
        one, params = one + " AND a.date <= ?", [*params, date_to + "\uffff"]
    sql = f"""
        SELECT s.id, s.article_id, s.label, s.start, s."end", s.text, s.verdict, s.status, a.date, a.source,
               s.entity_id, e.name, e.date,
               (SELECT group_concat(coalesce(te.name, t.text), char(31)) FROM relations r
                  JOIN annotations t ON t.id = r.target_id LEFT JOIN entities te ON te.id = t.entity_id
                  WHERE r.source_id = s.id) AS linked,
               (SELECT group_concat(coalesce(te.name, t.text), char(31)) FROM relations r
                  JOIN annotations t ON t.id = r.target_id LEFT JOIN entities te ON te.id = t.entity_id
                  WHERE r.source_id = s.id AND r.type = 'about') AS about,
               substr(a.text, max(s.start - 200, 0) + 1, s.start - max(s.start - 200, 0)) AS before,
               substr(a.text, s."end" + 1, 200) AS after
        FROM annotations s JOIN articles a ON a.id = s.article_id LEFT JOIN entities e ON e.id = s.entity_id
        WHERE s.label IN ({marks}) {one}
        ORDER BY s.article_id, s.start, s."end", s.id {"LIMIT ?" if limit is not None else ""}
    """
    if limit is not None:
        params.append(int(limit))
    return [
        SpanRow(
            r[0],
            int(r[1]),
            r[2],
            int(r[3]),
            int(r[4]),
            r[5],
            r[6],
            r[7],
            r[8],
            r[9],
            r[10],
            r[11],
            r[12],
            tuple(r[13].split("\x1f")) if r[13] else (),
            tuple(r[14].split("\x1f")) if r[14] else (),
            r[15] or "",
            r[16] or "",
        )
        for r in store.conn.execute(sql, params)
    ]


def has_span(store: StoreBase, article_id: int, start: int, end: int, label: str) -> bool:
    """Whether the article already has a span of this label at exactly these offsets (the compare
    window's tag key pressed twice must not make a second claim)."""
    row = store.conn.execute(
        'SELECT 1 FROM annotations WHERE article_id = ? AND start = ? AND "end" = ? AND label = ? LIMIT 1',
        (article_id, start, end, label),
    ).fetchone()
    return row is not None


def span(store: StoreBase, annotation_id: str) -> SpanRow:
    for row in spans(store, ("claim", "actor", "agreement"), annotation_id):
        return row
    raise NotFoundError(f"There is no span with id {annotation_id}.")


# --- prior fact-checks ---------------------------------------------------------------------
def insert_prior_checks(
    store: StoreBase,
    items: Sequence[PriorCheck],
    who: str = "",
    at: str | None = None,
    ids: Sequence[int] | None = None,
) -> list[int]:
    """Add fact-checks not already present (same URL and claim); returns the new row ids.
    ``at`` and ``ids`` (one per item) put removed rows back exactly as they were (an undo).

    One change-log row for the whole batch: an import of 10,000 items is one step."""
    if ids is not None and len(ids) != len(items):
        raise ValueError("one id per prior fact-check, or none")
    out: list[int] = []
    now = at or utc_now()
    with store.transaction() as c:
        for n, it in enumerate(items):
            pid = None if ids is None else ids[n]
            if pid is not None and c.execute("SELECT 1 FROM prior_checks WHERE id = ?", (pid,)).fetchone():
                pid = None  # the id went to another import meanwhile: a new one (OR IGNORE is for duplicates only)
            cur = c.execute(
                "INSERT OR IGNORE INTO prior_checks (id, url, claim, rating, publisher, date, entities, imported_at) "
                "VALUES (?, ?, ?, ?, ?, ?, ?, ?)",
                (pid, it.url, it.claim, it.rating, it.publisher, it.date, it.entities, now),
            )
            if cur.rowcount:
                out.append(int(cur.lastrowid or 0))
        if out:
            store._log(
                c,
                who,
                "insert",
                "prior_checks",
                f"{out[0]}..{out[-1]}",
                None,
                {"count": len(out), "ids": [out[0], out[-1]]},
            )
    return out


def delete_prior_checks(store: StoreBase, ids: Sequence[int], who: str = "") -> list[tuple[int, PriorCheck, str]]:
    """Remove imported fact-checks (the undo of an import); returns what was removed, each with
    its id and import time, so that a redo puts back the same rows."""
    removed: list[tuple[int, PriorCheck, str]] = []
    with store.transaction() as c:
        for pid in ids:
            row = c.execute(
                "SELECT url, claim, rating, publisher, date, entities, imported_at FROM prior_checks WHERE id = ?",
                (pid,),
            ).fetchone()
            if row is not None:
                removed.append((pid, PriorCheck(*row[:6]), row[6]))
                c.execute("DELETE FROM prior_checks WHERE id = ?", (pid,))
        if removed:
            store._log(c, who, "delete", "prior_checks", f"{ids[0]}..{ids[-1]}", {"count": len(removed)}, None)
    return removed


def prior_check_count(store: StoreBase) -> int:
    return int(store.conn.execute("SELECT count(*) FROM prior_checks").fetchone()[0])


_WORD = re.compile(r"\w+", re.UNICODE)
# Words in nearly every claim: leaving them out keeps the OR query to the rows that matter.
_STOP_WORDS = (
    "the and for that with this from have has had was were are its their his her they will would "
    "said says not but also into over than more been being which who whom what when where"
)
_STOP = frozenset(_STOP_WORDS.split())


def match_prior_checks(store: StoreBase, words: Sequence[str], limit: int = 10) -> list[PriorCheckMatch]:
    """bm25 over claim text and entity names; any of the words may match (OR), best first."""
    terms = sorted({w.lower() for w in words if len(w) > 2 and w.lower() not in _STOP})
    if not terms:
        return []
    query = " OR ".join('"' + t.replace('"', '""') + '"' for t in terms)
    sql = """
        SELECT p.id, p.url, p.claim, p.rating, p.publisher, p.date, bm25(prior_checks_fts, 1.0, 0.5) AS rank
        FROM prior_checks_fts JOIN prior_checks p ON p.id = prior_checks_fts.rowid
        WHERE prior_checks_fts MATCH ? ORDER BY rank LIMIT ?
    """
    return [
        PriorCheckMatch(int(r[0]), r[1], r[2], r[3], r[4], r[5], round(-float(r[6]), 4))
        for r in store.conn.execute(sql, (query, int(limit)))
    ]


def query_words(text: str) -> list[str]:
    return _WORD.findall(text)


# --- evidence provenance -------------------------------------------------------------------
_EVIDENCE_COLS = (
    "id",
    "annotation_id",
    "position",
    "url",
    "quote",
    "stance",
    "note",
    "retrieved_at",
    "published_at",
    "archive_url",
    "archived_file",
)
PROVENANCE_FIELDS = ("retrieved_at", "published_at", "archive_url", "archived_file")


def evidence(store: StoreBase, annotation_id: str) -> list[EvidenceRow]:
    sql = f"SELECT {', '.join(_EVIDENCE_COLS)} FROM evidence WHERE annotation_id = ? ORDER BY position"
    return [EvidenceRow(*r) for r in store.conn.execute(sql, (annotation_id,))]


def evidence_item(store: StoreBase, evidence_id: int) -> EvidenceRow:
    row = store.conn.execute(
        f"SELECT {', '.join(_EVIDENCE_COLS)} FROM evidence WHERE id = ?", (evidence_id,)
    ).fetchone()
    if row is None:
        raise NotFoundError(f"There is no evidence item with id {evidence_id}.")
    return EvidenceRow(*row)


def set_evidence_provenance(
    store: StoreBase, evidence_id: int, values: dict[str, str | None], who: str = ""
) -> EvidenceRow:
    """Set retrieved/published dates and the archived copy of one evidence item; returns the row before."""
    unknown = set(values) - set(PROVENANCE_FIELDS)
    if unknown:
        raise StoreError(f"Unknown evidence field(s): {', '.join(sorted(unknown))}.")
    before = evidence_item(store, evidence_id)
    with store.transaction() as c:
        sets = ", ".join(f"{k} = ?" for k in values)
        c.execute(f"UPDATE evidence SET {sets} WHERE id = ?", [*values.values(), evidence_id])
        store._log(
            c, who, "update", "evidence", str(evidence_id), {k: getattr(before, k) for k in values}, dict(values)
        )
    return before
