"""brat standoff: a zip of <article id>.txt (the stored text) and .ann files, plus annotation.conf.

brat counts offsets in characters of the .txt as Python reads it (code points), like us.
brat reads a .ann file with ``readlines()`` on a unicode stream, which breaks lines at every
character ``str.splitlines`` breaks at (``\n``, ``\r``, ``\x0b``, ``\x0c``, ``\x1c``-``\x1e``,
U+0085, U+2028, U+2029), so a span crossing any of them is written as fragments
("10 15;16 20") and its text field joins the fragments with one space, as brat expects.
Relations are R lines, notes #, verdict/status attributes A. ``annotation.conf`` allows
exactly the kinds of overlap (equal, contain, cross) that the exported spans have.
"""

from __future__ import annotations

from collections import defaultdict
from pathlib import Path

from ..rows import ExportRow, Label, Relation
from ..schema import RELATION_TYPES
from ..store import Store
from . import OFFSET_UNIT, ProgressFn, Ticker, binary_output, zip_bytes
from .filters import ExportFilter

# Every character at which str.splitlines (and so brat's readlines) ends a line.
LINE_BREAKS = frozenset("\n\r\x0b\x0c\x1c\x1d\x1e\x85\u2028\u2029")


def fragments(text: str, start: int, end: int) -> list[tuple[int, int]]:
    """Split [start, end) at every line break brat sees into non-empty pieces."""
    out, s = [], start
    for i in range(start, end):
        if text[i] in LINE_BREAKS:
            if i > s:
                out.append((s, i))
            s = i + 1
    if end > s:
        out.append((s, end))
    return out


def _type(label: str) -> str:
    return label.capitalize()


def ann_file(text: str, rows: list[ExportRow], relations: list[Relation]) -> str:
    lines, tid, n = [], {}, {"A": 0, "#": 0}
    for i, row in enumerate(rows, start=1):
        tid[row.annotation_id] = f"T{i}"
        frags = fragments(text, row.start, row.end)
        offsets = ";".join(f"{a} {b}" for a, b in frags)
        shown = " ".join(text[a:b] for a, b in frags)
        lines.append(f"T{i}\t{_type(row.label)} {offsets}\t{shown}")
        for attr, value in (("status", row.status), ("verdict", row.verdict)):
            if value and not (attr == "status" and value == "unreviewed"):
                n["A"] += 1
                lines.append(f"A{n['A']}\t{attr.capitalize()} T{i} {value}")
        note = " ".join(filter(None, [row.entity and f"entity: {row.entity}", row.note]))
        if note:
            n["#"] += 1
            lines.append(f"#{n['#']}\tAnnotatorNotes T{i}\t{' '.join(note.split())}")
    for j, rel in enumerate(relations, start=1):
        if rel.source_id in tid and rel.target_id in tid:
            lines.append(f"R{j}\t{rel.type} Arg1:{tid[rel.source_id]} Arg2:{tid[rel.target_id]}")
    return "\n".join(lines) + ("\n" if lines else "")


def overlap_kind(a: list[tuple[int, int]], b: list[tuple[int, int]]) -> str | None:
    """How brat's verifier classes two text-bound spans: None, equal, contain or cross."""
    if not (b[0][0] < a[-1][1] and b[-1][1] > a[0][0]):
        return None
    if set(a) == set(b):
        return "equal"

    def inside(x: list[tuple[int, int]], y: list[tuple[int, int]]) -> bool:
        return all(any(ys <= xs and xe <= ye for ys, ye in y) for xs, xe in x)

    return "contain" if inside(a, b) or inside(b, a) else "cross"


def overlaps(spans: list[list[tuple[int, int]]]) -> set[str]:
    """The overlap kinds present among one document's spans (sorted by start, so a sweep suffices)."""
    kinds: set[str] = set()
    ordered = sorted(s for s in spans if s)
    for i, a in enumerate(ordered):
        for b in ordered[i + 1 :]:
            if b[0][0] >= a[-1][1]:
                break
            kind = overlap_kind(a, b)
            if kind:
                kinds.add(kind)
    return kinds


def conf(labels: list[Label], overlap: set[str] = frozenset()) -> str:  # type: ignore[assignment]
    from ..review import DECISIONS, VERDICTS

    rels = "\n".join(f"{name}\tArg1:{_type(s)}, Arg2:{_type(t)}" for name, (s, t) in RELATION_TYPES.items())
    if overlap:
        kinds = "|".join(k for k in ("equal", "contain", "cross") if k in overlap)
        rels += f"\n<OVERLAP>\tArg1:<ENTITY>, Arg2:<ENTITY>, <OVL-TYPE>:{kinds}"
    return (
        f"# kzpk_desktop export; offsets are {OFFSET_UNIT}s into the .txt files (UTF-8)\n"
        "[entities]\n"
        + "\n".join(_type(lab.id) for lab in labels)
        + "\n\n[relations]\n"
        + rels
        + "\n\n[events]\n\n[attributes]\n"
        f"Status\tArg:<ENTITY>, Value:{'|'.join(DECISIONS)}\n"
        f"Verdict\tArg:Claim, Value:{'|'.join(VERDICTS)}\n"
    )


def write_brat(
    store: Store, path: str | Path | None, flt: ExportFilter | None = None, progress: ProgressFn | None = None
) -> int:
    where, params = (flt or ExportFilter()).sql()
    by_article: dict[int, list[ExportRow]] = defaultdict(list)
    ticker = Ticker(progress)
    for row in store.review.iter_export_rows(where, params):
        by_article[row.article_id].append(row)
        ticker.tick()
    entries: list[tuple[str, bytes]] = []
    overlap: set[str] = set()
    for aid, rows in sorted(by_article.items()):
        text = store.articles.text(aid)
        overlap |= overlaps([fragments(text, r.start, r.end) for r in rows])
        entries.append((f"{aid:06d}.txt", text.encode("utf-8")))
        entries.append(
            (f"{aid:06d}.ann", ann_file(text, rows, store.annotations.relations_for_article(aid)).encode("utf-8"))
        )
    data = zip_bytes([("annotation.conf", conf(store.labels.all(), overlap).encode("utf-8")), *entries])
    n = ticker.finish()
    with binary_output(path) as fh:
        fh.write(data)
    return n
