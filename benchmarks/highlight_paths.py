"""Measure the two ways to draw highlights in a QPlainTextEdit, in one run.

    QT_QPA_PLATFORM=offscreen python benchmarks/highlight_paths.py [--mb 5] [--spans 10000]

Path A (used by the reader): one char format per flat segment, merged in one edit block.
Path B: one QTextEdit.ExtraSelection per span. Prints medians of 5 runs and the ratio.
"""

from __future__ import annotations

import argparse
import os
import random
import statistics
import time

os.environ.setdefault("QT_QPA_PLATFORM", "offscreen")

from PySide6.QtGui import QColor, QTextCharFormat, QTextCursor
from PySide6.QtWidgets import QApplication, QPlainTextEdit, QTextEdit

from kzpk_desktop.core.rows import Annotation, Label
from kzpk_desktop.gui.reader import ReaderView


def make(mb: float, n: int, seed: int = 7) -> tuple[str, list[Annotation]]:
    rnd = random.Random(seed)
    words = [
        "Pakistan",
        "Kazakhstan",
        "agreement",
        "minister",
        "trade",
        "corridor",
        "Gwadar",
        "Astana",
        "👍🏽",
        "تجارت",
        "Қазақстан",
    ]
    parts, size = [], 0
    while size < mb * 1_000_000:  # paragraphs of ~60 words, like news text
        para = " ".join(rnd.choice(words) for _ in range(60))
        parts.append(para)
        size += len(para) + 2
    text = "\n\n".join(parts)
    spans = []
    for i in range(n):
        s = rnd.randrange(0, len(text) - 200)
        e = s + rnd.randint(3, 120)
        spans.append(Annotation(str(i), 1, s, e, rnd.choice(["claim", "actor", "agreement"]), text[s:e]))
    return text, spans


def path_formats(reader: ReaderView, text: str, spans: list[Annotation]) -> float:
    reader.setPlainText("")
    t = time.perf_counter()
    reader.set_article(text, spans)
    QApplication.processEvents()
    return time.perf_counter() - t


def path_extra(edit: QPlainTextEdit, text: str, spans: list[Annotation]) -> float:
    edit.setPlainText(text)
    QApplication.processEvents()
    t = time.perf_counter()
    sels = []
    for sp in spans:
        sel = QTextEdit.ExtraSelection()
        cur = QTextCursor(edit.document())
        cur.setPosition(sp.start)
        cur.setPosition(sp.end, QTextCursor.MoveMode.KeepAnchor)
        sel.cursor = cur  # type: ignore[attr-defined]
        fmt = QTextCharFormat()
        fmt.setBackground(QColor(232, 163, 61, 90))
        sel.format = fmt  # type: ignore[attr-defined]
        sels.append(sel)
    edit.setExtraSelections(sels)
    QApplication.processEvents()
    return time.perf_counter() - t


def main() -> None:
    ap = argparse.ArgumentParser()
    ap.add_argument("--mb", type=float, default=5)
    ap.add_argument("--spans", type=int, default=10_000)
    ap.add_argument("--runs", type=int, default=5)
    args = ap.parse_args()
    app = QApplication.instance() or QApplication([])
    text, spans = make(args.mb, args.spans)
    reader = ReaderView()
    reader.set_labels(
        [Label(k, k, c) for k, c in (("claim", "#E8A33D"), ("actor", "#4C9BE8"), ("agreement", "#5FB87A"))]
    )
    reader.resize(900, 700)
    reader.show()
    edit = QPlainTextEdit()
    edit.resize(900, 700)
    edit.show()
    plain = QPlainTextEdit()  # baseline: the same text with no highlights at all
    plain.resize(900, 700)
    plain.show()
    base = []
    for _ in range(args.runs):
        plain.setPlainText("")
        t = time.perf_counter()
        plain.setPlainText(text)
        QApplication.processEvents()
        base.append(time.perf_counter() - t)
    a = [path_formats(reader, text, spans) for _ in range(args.runs)]
    b = [path_extra(edit, text, spans) for _ in range(args.runs)]
    ma, mb_, mbase = statistics.median(a), statistics.median(b), statistics.median(base)
    print(f"{len(text):,} chars, {len(spans):,} spans, median of {args.runs}")
    print(
        f"A char formats (reader, incl. setPlainText {mbase * 1000:.0f} ms): {ma * 1000:.0f} ms "
        f"-> highlights alone ~{(ma - mbase) * 1000:.0f} ms"
    )
    print(f"B ExtraSelections (highlights only):                   {mb_ * 1000:.0f} ms")
    print(f"ratio B / A(highlights alone): {mb_ / max(ma - mbase, 1e-6):.1f}x")
    app.quit()


if __name__ == "__main__":
    main()
