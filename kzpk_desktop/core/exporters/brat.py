"""brat standoff: a zip of <article id>.txt (the stored text) and .ann files, plus annotation.conf.

brat counts offsets in characters of the .txt as Python reads it (code points), like us.
A span crossing a line break is written as fragments ("10 15;16 20"), since brat text
fields cannot hold newlines. Relations are R lines, notes #, verdict/status attributes A.
"""

from __future__ import annotations

import io
import zipfile
from collections import defaultdict
from pathlib import Path
from typing import Any

from ..schema import RELATION_TYPES
from ..store import Store
from . import OFFSET_UNIT, atomic_binary_output
from .filters import ExportFilter


def fragments(text: str, start: int, end: int) -> list[tuple[int, int]]:
    """Split [start, end) at newlines into non-empty pieces."""
    out, s = [], start
    for i in range(start, end):
        if text[i] == "\n":
            if i > s:
                out.append((s, i))
            s = i + 1
    if end > s:
        out.append((s, end))
    return out


def _type(label: str) -> str:
    return label.capitalize()


def ann_file(text: str, rows: list[dict[str, Any]], relations: list[dict[str, Any]]) -> str:
    lines, tid, n = [], {}, {"A": 0, "#": 0}
    for i, row in enumerate(rows, start=1):
        tid[row["annotation_id"]] = f"T{i}"
        frags = fragments(text, row["start"], row["end"])
        offsets = ";".join(f"{a} {b}" for a, b in frags)
        shown = " ".join(text[a:b] for a, b in frags)
        lines.append(f"T{i}\t{_type(row['label'])} {offsets}\t{shown}")
        for attr in ("status", "verdict"):
            if row.get(attr) and not (attr == "status" and row[attr] == "unreviewed"):
                n["A"] += 1
                lines.append(f"A{n['A']}\t{attr.capitalize()} T{i} {row[attr]}")
        note = " ".join(filter(None, [row.get("entity") and f"entity: {row['entity']}", row.get("note")]))
        if note:
            n["#"] += 1
            lines.append(f"#{n['#']}\tAnnotatorNotes T{i}\t{' '.join(note.split())}")
    for j, rel in enumerate(relations, start=1):
        if rel["source_id"] in tid and rel["target_id"] in tid:
            lines.append(f"R{j}\t{rel['type']} Arg1:{tid[rel['source_id']]} Arg2:{tid[rel['target_id']]}")
    return "\n".join(lines) + ("\n" if lines else "")


def conf(labels: list[dict[str, Any]]) -> str:
    from ..review import DECISIONS, VERDICTS

    rels = "\n".join(f"{name}\tArg1:{_type(s)}, Arg2:{_type(t)}" for name, (s, t) in RELATION_TYPES.items())
    return (f"# kzpk_desktop export; offsets are {OFFSET_UNIT}s into the .txt files (UTF-8)\n"
            "[entities]\n" + "\n".join(_type(lab["id"]) for lab in labels) + "\n\n[relations]\n" + rels
            + "\n\n[events]\n\n[attributes]\n"
            f"Status\tArg:<ENTITY>, Value:{'|'.join(DECISIONS)}\n"
            f"Verdict\tArg:Claim, Value:{'|'.join(VERDICTS)}\n")


def write_brat(store: Store, path: str | Path, flt: ExportFilter | None = None) -> int:
    where, params = (flt or ExportFilter()).sql()
    by_article: dict[int, list[dict[str, Any]]] = defaultdict(list)
    for row in store.iter_export_rows(where, params):
        by_article[row["article_id"]].append(row)
    buf = io.BytesIO()
    with zipfile.ZipFile(buf, "w", zipfile.ZIP_DEFLATED) as z:
        z.writestr("annotation.conf", conf(store.labels()))
        for aid, rows in sorted(by_article.items()):
            text = store.article_text(aid)
            z.writestr(f"{aid:06d}.txt", text.encode("utf-8"))
            z.writestr(f"{aid:06d}.ann", ann_file(text, rows, store.relations_for_article(aid)).encode("utf-8"))
    with atomic_binary_output(path) as fh:
        fh.write(buf.getvalue())
    return sum(len(r) for r in by_article.values())
