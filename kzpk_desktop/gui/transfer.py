"""Import and export: background jobs with their own connection, progress and Cancel."""

from __future__ import annotations

from dataclasses import replace
from typing import TYPE_CHECKING, Any

from ..core import operations as ops
from ..core.store import Store
from .ask import ask
from .desk import Desk
from .jobs import Progress, start_job

if TYPE_CHECKING:
    from ..core.exporters.options import ExportRequest
    from ..core.importer import ImportReport


class TransferCoordinator:
    def __init__(self, desk: Desk) -> None:
        self.desk = desk
        self.last_import: ImportReport | None = None
        self.last_export: tuple[str, int] | None = None

    def import_files_dialog(self) -> None:
        files = ask.open_files(
            self.desk.window,
            "Import articles",
            "Articles (*.txt *.md *.html *.htm *.pdf *.docx *.odt *.epub);;All files (*)",
        )
        if files:
            self.import_paths(files)

    def import_folder_dialog(self) -> None:
        folder = ask.directory(self.desk.window, "Import a folder of articles")
        if folder:
            self.import_paths([folder])

    def import_paths(self, paths: list[str]) -> Any:
        """Import in a worker thread with its own connection; returns the job."""
        d = self.desk
        if d.store is None:
            ask.error(d.window, "Import", "Open or create a database first.")
            return None
        db_path = d.store.path

        from ..core.importer import import_paths  # parsing code: loaded on first import only

        def work(progress: Progress) -> ImportReport:
            store = Store.open(db_path)
            try:
                return import_paths(store, paths, progress=progress)
            finally:
                store.close()

        return d.db.track(
            start_job(
                d.window,
                "Importing articles",
                work,
                self._import_done,
                lambda m, details: ask.error(d.window, "Import failed", m, details),
            )
        )

    def _import_done(self, report: ImportReport) -> None:
        from .import_report import show_import_report

        d = self.desk
        ids = [article_id for _name, article_id in report.imported]
        if d.history is not None and d.store is not None and ids:  # one undo step: Ctrl+Z takes it back
            step = ops.imported(ids, d.annotator)
            d.history.record(step.inverse.text, step)  # "Import N articles", as its undo and redo say
        else:
            d.article_model.reload()
        self.last_import = report
        d.status(report.failure or f"Import: {report.summary()}", 8000)
        show_import_report(d.window, report)  # every file with its outcome, in a window of its own

    def export_dialog(self) -> None:
        from .dialogs import ExportDialog

        d = self.desk
        if d.store is None:
            return
        dialog = ExportDialog(d.store.labels.all(), d.article_id, d.window)
        if dialog.exec():
            self.export(dialog.options())

    def export(self, request: ExportRequest) -> Any:
        """Export in a worker thread; the file is written atomically."""
        from ..core.exporters.registry import FORMATS, export

        d = self.desk
        assert d.store is not None
        db_path, path = d.store.path, request.path
        notices: list[str] = []  # e.g. characters XML cannot hold, dropped from a REFI-QDA project

        def work(progress: Progress) -> int:
            store = Store.open(db_path)
            try:
                unit = FORMATS[request.format].unit
                return export(
                    store,
                    request.format,
                    path,
                    request.filter,
                    replace(request.options, notices=notices),
                    progress=lambda n: progress(n, 0, f"{n:,} {unit}"),
                )
            finally:
                store.close()

        def done(n: int) -> None:
            self.last_export = (path, n)
            d.status(" ".join([f"Exported {n:,} records to {path}.", *notices]), 12000)

        return d.db.track(
            start_job(
                d.window, "Exporting", work, done, lambda m, details: ask.error(d.window, "Export failed", m, details)
            )
        )
