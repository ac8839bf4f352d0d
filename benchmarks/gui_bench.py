"""One run of the GUI benchmark in its own process: what the researcher waits for, key to pixels.

    python -m benchmarks.gui_bench DB [--tags N] [--seed S]     prints one JSON line: RESULT {...}

A paint probe (an event filter on the reader's, the span table's and the article list's
viewports) notes when each one gets its Paint event; a sample ends when the event loop has
returned from the last of the paints it waits for, so a list repaint the window defers to a
later frame (or a search debounce) is inside the clock. The list is visible, sorted by span count (the
column a tag changes), with the tagged article's row on screen.
"""

from __future__ import annotations

import json
import os
import random
import re
import sqlite3
import sys
import time
from collections.abc import Callable, Iterable
from pathlib import Path
from typing import Any

os.environ.setdefault("QT_QPA_PLATFORM", "offscreen")

from PySide6.QtCore import QCoreApplication, QEvent, QObject, Qt
from PySide6.QtTest import QTest
from PySide6.QtWidgets import QApplication, QPlainTextEdit, QWidget

WAIT_LIMIT_S = 10.0
SEARCH_WORDS = ("Gwadar", "Tokayev", "railway", "Skardu", "tonnes", "Termez", "memorandum", "Almaty")


class PaintProbe(QObject):
    """Notes the time of the last Paint event each watched widget received."""

    def __init__(self, widgets: dict[str, QWidget]) -> None:
        super().__init__()
        self._names = {w: name for name, w in widgets.items()}
        self.painted: dict[str, float] = {}
        for w in widgets.values():
            w.installEventFilter(self)

    def eventFilter(self, obj: QObject, event: QEvent) -> bool:
        if event.type() == QEvent.Type.Paint and obj in self._names:
            self.painted[self._names[obj]] = time.perf_counter()
        return False


def wait_painted(probe: PaintProbe, names: Iterable[str], after: Callable[[], float]) -> float:
    """Spin the event loop until each named widget has painted since ``after()``; returns when
    the loop is back from the last of those paints (the pixels are in the backing store)."""
    names = tuple(names)
    deadline = time.perf_counter() + WAIT_LIMIT_S
    while True:
        QCoreApplication.processEvents()
        since = after()
        if all(probe.painted.get(n, 0.0) > since for n in names):
            return time.perf_counter()
        if time.perf_counter() > deadline:
            missing = [n for n in names if probe.painted.get(n, 0.0) <= since]
            raise RuntimeError(f"no paint of {', '.join(missing)} within {WAIT_LIMIT_S:.0f} s")


def idle(window: Any, ms: int = 0) -> None:
    """Let pending work finish, as between two of a researcher's keys: a deferred repaint, if
    the window has one pending, then ``ms`` of event loop."""
    timer = getattr(window, "_repaint_timer", None)  # older windows deferred the lists' repaint
    deadline = time.perf_counter() + 2.0
    while timer is not None and timer.isActive() and time.perf_counter() < deadline:
        QCoreApplication.processEvents()
    end = time.perf_counter() + ms / 1000
    while True:
        QCoreApplication.processEvents()
        if time.perf_counter() >= end:
            break


def quiet(window: Any, started: float, wait_timers: bool, limit_s: float = 120.0) -> None:
    """Steady state: the start-up background work (integrity scan, first backup) done, as
    before a researcher's first tags (``wait_timers=False``: only the jobs already running)."""
    from shiboken6 import isValid

    timers_s = max(window.db.VERIFY_DELAY_MS, window.db.BACKUP_DELAY_MS) / 1000 + 0.5 if wait_timers else 0.0
    deadline = time.perf_counter() + limit_s
    while time.perf_counter() < deadline:
        QCoreApplication.processEvents()
        busy = [j for j in window.db._jobs if isValid(j) and j.isRunning()]
        if not busy and time.perf_counter() - started > timers_s:
            return
        time.sleep(0.02)


def raw_commits(db: Path, n: int) -> list[float]:
    """The tag's floor: one INSERT and COMMIT with the app's settings (WAL, synchronous=NORMAL,
    no checkpoint inside the commit), on a scratch table of the same file."""
    raw = sqlite3.connect(db, isolation_level=None)
    raw.execute("PRAGMA journal_mode = WAL")
    raw.execute("PRAGMA synchronous = NORMAL")
    raw.execute("PRAGMA wal_autocheckpoint = 0")
    raw.execute("CREATE TABLE IF NOT EXISTS bench_commit (id INTEGER PRIMARY KEY, v TEXT)")
    out = []
    for _ in range(n):
        t = time.perf_counter()
        raw.execute("BEGIN IMMEDIATE")
        raw.execute("INSERT INTO bench_commit (v) VALUES ('x')")
        raw.execute("COMMIT")
        out.append(time.perf_counter() - t)
    raw.execute("DROP TABLE bench_commit")
    raw.close()
    return out


def run(db: Path, n_tags: int, seed: int, wait_timers: bool = True) -> dict[str, Any]:
    from kzpk_desktop.app import create_main_window, ensure_app
    from kzpk_desktop.gui.article_model import COLUMNS

    _app = ensure_app(sys.argv[:1])  # keep the application object alive for the run
    started = time.perf_counter()
    w: Any = create_main_window(db)
    w.resize(1440, 900)
    w.show()
    w.activateWindow()
    QCoreApplication.processEvents()
    quiet(w, started, wait_timers)
    store = w.store
    out: dict[str, Any] = {}
    view = w.articles.view
    spans_col = [k for k, _ in COLUMNS].index("n_annotations")
    view.sortByColumn(spans_col, Qt.SortOrder.DescendingOrder)  # the tagged article's row on top
    idle(w, 50)
    heavy = w.article_model.article_id(0)
    other = w.article_model.article_id(1)
    out["heavy_spans"] = store.articles.get(heavy).n_annotations
    probe = PaintProbe({"reader": w.reader.viewport(), "table": w.annotations.view.viewport(), "list": view.viewport()})

    # --- open the 2,000-span article, to the reader and span table painted -----------------
    opens: list[float] = []
    for _ in range(6):
        w.annotating.open_article(other)
        wait_painted(probe, ("reader",), lambda: 0.0)
        idle(w, 20)
        t0 = time.perf_counter()
        w.annotating.open_article(heavy)
        opens.append(wait_painted(probe, ("reader", "table"), lambda t0=t0: t0) - t0)
        idle(w, 20)
    out["open_cold"], out["open_warm"] = opens[:1], opens[1:]
    text = store.articles.text(heavy)
    plain = QPlainTextEdit()
    plain.resize(900, 800)
    plain.show()
    bare_probe = PaintProbe({"plain": plain.viewport()})
    bare: list[float] = []
    for _ in range(6):
        plain.setPlainText("")
        idle(w, 20)
        t0 = time.perf_counter()
        plain.setPlainText(text)
        bare.append(wait_painted(bare_probe, ("plain",), lambda t0=t0: t0) - t0)
    plain.close()
    out["open_base"] = bare[1:]

    # --- tag: key press on the reader -> reader, span table and article list painted -------
    w.activateWindow()  # the bare editor was the active window: shortcuts go to the active one
    w.annotating.open_article(heavy)
    idle(w, 50)
    view.scrollTo(w.article_model.index(0, spans_col))  # the researcher sees the count change
    idle(w, 50)
    if not view.viewport().rect().intersects(view.visualRect(w.article_model.index(0, spans_col))):
        raise RuntimeError("the tagged article's row is not on screen")
    w.reader.setFocus()
    if QApplication.activeWindow() is not w:
        raise RuntimeError("the main window is not active: key presses would not reach it")
    rnd = random.Random(seed)
    starts = [0] + [m.end() for m in re.finditer(r"\s+", text)]
    tags: list[float] = []
    for _ in range(n_tags):
        i = rnd.randrange(len(starts) - 4)
        w.reader.select_span(starts[i], starts[i + 2] - 1)
        idle(w, 30)
        before = w.annotations.model.rowCount()
        t0 = time.perf_counter()
        QTest.keyClick(w.reader, Qt.Key.Key_1)
        tags.append(wait_painted(probe, ("reader", "table", "list"), lambda t0=t0: t0) - t0)
        if w.annotations.model.rowCount() != before + 1:
            raise RuntimeError("the key press did not tag the selection")
        w.annotating.undo()
        idle(w, 30)
    out["tag"] = tags
    out["tag_base"] = raw_commits(db, n_tags)

    # --- search: the last keystroke in the box -> the debounced query -> the list painted ---
    resets = [0.0]
    w.article_model.modelReset.connect(lambda: resets.__setitem__(0, time.perf_counter()))
    w.article_model.layoutChanged.connect(lambda: resets.__setitem__(0, time.perf_counter()))
    box = w.articles.search

    def reset_after(t0: float) -> float:
        """The list's new rows came after t0: paints before that showed the old list."""
        return resets[0] if resets[0] > t0 else float("inf")

    cold: list[float] = []
    warm: list[float] = []
    base_cold: list[float] = []
    base_warm: list[float] = []
    for word in SEARCH_WORDS:
        for into, base_into in ((cold, base_cold), (warm, base_warm)):
            box.clear()
            w.articles.apply_filter()
            idle(w, 30)
            box.blockSignals(True)
            box.setText(word[:-1])
            box.blockSignals(False)
            t0 = time.perf_counter()
            QTest.keyClick(box, word[-1])
            into.append(wait_painted(probe, ("list",), lambda t0=t0: reset_after(t0)) - t0)
            if resets[0] < t0:
                raise RuntimeError("the search did not re-query the list")
            t = time.perf_counter()
            store.conn.execute("SELECT rowid FROM articles_fts WHERE articles_fts MATCH ?", (f'"{word}"',)).fetchall()
            base_into.append(time.perf_counter() - t)
    box.clear()
    w.articles.apply_filter()
    idle(w, 30)
    out["search_cold"], out["search_warm"] = cold, warm
    out["search_base_cold"], out["search_base_warm"] = base_cold, base_warm

    # --- filter by status and sort by title: the control changed -> the list painted -------
    status = w.articles.status
    idx = status.findData("in_progress")
    title_col = [k for k, _ in COLUMNS].index("title")

    def timed(action: Callable[[], None]) -> float:
        idle(w, 20)
        t0 = time.perf_counter()
        action()
        return wait_painted(probe, ("list",), lambda: reset_after(t0)) - t0

    for name, on, off in (
        ("filter", lambda: status.setCurrentIndex(idx), lambda: status.setCurrentIndex(0)),
        (
            "sort",
            lambda: view.sortByColumn(title_col, Qt.SortOrder.AscendingOrder),
            lambda: view.sortByColumn(title_col, Qt.SortOrder.DescendingOrder),
        ),
    ):
        c: list[float] = []
        wm: list[float] = []
        for _ in range(3):
            store._sorted_cache.clear()  # cold: the order not cached yet
            c.append(timed(on))
            c.append(timed(off))
        for _ in range(3):  # warm: both orders cached
            wm.append(timed(on))
            wm.append(timed(off))
        out[f"{name}_cold"], out[f"{name}_warm"] = c, wm
    sort_base = []
    for _ in range(3):
        t = time.perf_counter()
        store.conn.execute("SELECT id FROM articles ORDER BY title COLLATE NOCASE").fetchall()
        sort_base.append(time.perf_counter() - t)
    out["sort_base"] = sort_base
    w.close()
    QApplication.processEvents()
    return out


def main() -> int:
    import argparse

    ap = argparse.ArgumentParser(description=__doc__)
    ap.add_argument("db")
    ap.add_argument("--tags", type=int, default=30)
    ap.add_argument("--seed", type=int, default=3)
    ap.add_argument("--no-settle", action="store_true", help="do not wait for the start-up timers (smoke run)")
    args = ap.parse_args()
    result = run(Path(args.db), args.tags, args.seed, not args.no_settle)
    from benchmarks.probe import peak_kb

    print("RESULT " + json.dumps(result) + f" {peak_kb()}", flush=True)
    return 0


if __name__ == "__main__":
    sys.exit(main())
