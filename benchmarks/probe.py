"""Child processes for the benchmark: start-up and CSV export, each measured as a whole process.

python -m benchmarks.probe bare|app DB          prints READY <rows> <peak KB> once interactive
python -m benchmarks.probe csv|csvhalf|rawcsv DB OUT    prints DONE <rows> <SQLite peak KB> <peak KB>
"""

from __future__ import annotations

import csv
import os
import resource
import sqlite3
import sys


def peak_kb() -> int:
    """This process's own peak (VmHWM): ru_maxrss survives fork+exec on Linux, so a child
    would report its parent's peak."""
    try:
        with open("/proc/self/status") as fh:
            for line in fh:
                if line.startswith("VmHWM:"):
                    return int(line.split()[1])
    except OSError:
        pass
    return resource.getrusage(resource.RUSAGE_SELF).ru_maxrss


def _show_until_painted(app: object, window: object, target: object) -> None:
    """Show the window and run the event loop until ``target`` has had its first Paint event."""
    from PySide6.QtCore import QEvent, QObject

    painted = [False]

    class Probe(QObject):
        def eventFilter(self, obj: object, event: QEvent) -> bool:
            if event.type() == QEvent.Type.Paint:
                painted[0] = True
            return False

    probe = Probe()
    target.installEventFilter(probe)  # type: ignore[attr-defined]
    window.show()  # type: ignore[attr-defined]
    while not painted[0]:
        app.processEvents()  # type: ignore[attr-defined]
    app.processEvents()  # type: ignore[attr-defined]  # back from the paint: pixels in the backing store


def sqlite_highwater_kb() -> int:
    """Peak bytes SQLite itself allocated (its page cache above all) in this process, in KB:
    bounded by ``cache_size``, so the flat-memory check leaves it out. 0 if unavailable."""
    import ctypes
    import ctypes.util

    try:
        lib = ctypes.CDLL(ctypes.util.find_library("sqlite3") or "libsqlite3.so.0")
        lib.sqlite3_memory_highwater.restype = ctypes.c_int64
        return int(lib.sqlite3_memory_highwater(0)) // 1024
    except (OSError, AttributeError):
        return 0


def startup(mode: str, db: str) -> None:
    os.environ.setdefault("QT_QPA_PLATFORM", "offscreen")
    from PySide6.QtWidgets import QApplication, QMainWindow, QWidget

    if mode == "bare":
        app = QApplication(sys.argv[:1])
        w = QMainWindow()
        w.setCentralWidget(QWidget())
        w.resize(1440, 900)
        _show_until_painted(app, w, w.centralWidget())
        rows = 0
    else:
        from kzpk_desktop.app import create_main_window, ensure_app

        app = ensure_app(sys.argv[:1])
        w = create_main_window(db)
        w.resize(1440, 900)
        _show_until_painted(app, w, w.articles.view.viewport())  # type: ignore[attr-defined]
        model = w.article_model  # type: ignore[attr-defined]
        rows = model.rowCount()
        assert rows and model.index(0, 2).data()  # the list is filled and its first page fetched
    print(f"READY {rows} {peak_kb()}", flush=True)
    w.close()  # as a user would: stops background work (the big-database integrity scan) cleanly


RAW_SQL = """
SELECT ann.id, ann.article_id, a.title, a.source, a.date, ann.label, ann.start, ann."end", ann.text,
       substr(a.text, max(ann.start - 40, 0) + 1, ann.start - max(ann.start - 40, 0)),
       substr(a.text, ann."end" + 1, 40), e.name, ann.verdict, ann.evidence_url, ann.evidence_note, ann.note,
       ann.status, ann.annotator, ann.reviewer, ann.reviewed_at, ann.created_at, ann.updated_at, ann.entity_id,
       ann.claim_type, a.file_name, ann.confidence, ann.curated_by, ann.curated_at
FROM annotations ann JOIN articles a ON a.id = ann.article_id LEFT JOIN entities e ON e.id = ann.entity_id
ORDER BY ann.article_id, ann.start, ann."end", ann.id
"""


def export(mode: str, db: str, out: str) -> None:
    if mode == "rawcsv":  # the baseline: the same rows, plain csv.writer, nothing else
        conn = sqlite3.connect(db)
        n = 0
        with open(out, "w", newline="", encoding="utf-8") as fh:
            w = csv.writer(fh)
            for row in conn.execute(RAW_SQL):
                w.writerow(row)
                n += 1
    else:  # "csv": every row; "csvhalf": half of them (streaming means the same peak)
        from kzpk_desktop.core.exporters.csv_export import write_csv
        from kzpk_desktop.core.exporters.filters import ExportFilter
        from kzpk_desktop.core.store import Store

        store = Store.open(db)
        flt = None
        if mode == "csvhalf":  # the first half of the articles: half the rows
            top = store.conn.execute("SELECT max(id) FROM articles").fetchone()[0]
            flt = ExportFilter(article_id=tuple(range(1, top // 2 + 1)))
        n = write_csv(store, out, flt)
        store.close()
    print(f"DONE {n} {sqlite_highwater_kb()} {peak_kb()}", flush=True)


if __name__ == "__main__":
    if sys.argv[1] in ("bare", "app"):
        startup(sys.argv[1], sys.argv[2])
    else:
        export(sys.argv[1], sys.argv[2], sys.argv[3])
