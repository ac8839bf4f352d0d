"""Team work in the desk: merge a colleague's copy, resolve conflicts, curate a gold layer,
the agreement report, and whose spans are shown (everyone's, mine, one colleague's)."""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path
from typing import Any

from PySide6.QtWidgets import QComboBox

from ..core.errors import KzpkError
from ..core.rows import Annotation
from .ask import ask
from .desk import Desk
from .jobs import Progress, is_bug, start_job
from .plain import plain_tip

Row = Annotation
OUTLINE_COLORS = ("#1565c0", "#c62828", "#2e7d32", "#6a1b9a", "#ef6c00", "#00838f", "#4e342e", "#ad1457")


class TeamCoordinator:
    def __init__(self, desk: Desk, ensure_annotator: Callable[[], str]) -> None:
        self.desk = desk
        self.ensure_annotator = ensure_annotator
        self.agreement_dialog: Any = None  # the last agreement report shown
        self.filter = QComboBox(objectName="annotatorFilter")
        self.filter.setToolTip(plain_tip("Whose spans to show: everyone's, mine, or one colleague's"))
        self.filter.addItem("Everyone's spans", None)
        self.filter.activated.connect(lambda _i: self.desk.state.reload())  # the views follow the state

    # --- whose spans are shown -----------------------------------------------------------------
    def fill_filter(self) -> None:
        """The annotators of the open article, kept on the one chosen before."""
        from ..core.store.annotators import annotator_names

        d, combo = self.desk, self.filter
        keep = combo.currentData()
        names = annotator_names(d.store, d.article_id) if d.store is not None and d.article_id is not None else []
        combo.clear()
        combo.addItem("Everyone's spans", None)
        combo.addItem(f"Mine ({d.annotator})", d.annotator)
        for name in names:
            if name != d.annotator:
                combo.addItem(f"{name}'s spans", name)
        combo.setCurrentIndex(max(combo.findData(keep), 0) if keep is not None else 0)

    def visible(self, rows: list[Row]) -> list[Row]:
        who = self.filter.currentData()
        return rows if who is None else [r for r in rows if r.annotator == who]

    def outline(self) -> None:
        """Everyone's spans from two or more coders: a distinct outline colour per coder."""
        reader = self.desk.reader
        names = sorted(reader.shown_annotators()) if self.filter.currentData() is None else []
        reader.set_annotator_outlines(dict(zip(names, OUTLINE_COLORS, strict=False)) if len(names) >= 2 else {})

    # --- merging a colleague's copy --------------------------------------------------------------
    def merge_dialog(self) -> Any:
        if self.desk.store is None:
            return None
        path = ask.open_file(
            self.desk.window, "Merge a colleague's database", "kzpk databases (*.db *.sqlite);;All files (*)"
        )
        return self.merge_database(Path(path)) if path else None

    def merge_database(self, other: Path) -> Any:
        """Back up, merge ``other`` (opened read-only) in one transaction, then show what came in."""
        from ..core.backups import make_backup
        from ..core.team.merge import merge

        d = self.desk
        assert d.store is not None
        try:
            make_backup(d.store.path)
            report = merge(d.store, other, self.ensure_annotator())
        except KzpkError as err:
            ask.error(d.window, "Merge failed", str(err))
            return None
        if d.history is not None:
            d.history.clear()  # steps recorded before the merge may no longer apply cleanly
        self._refresh()
        d.status(f"Merged {other.name}: {report.summary()}", 10000)
        if report.conflicts or report.offers:
            ask.info(
                d.window,
                "Merge finished",
                f"Merged {other.name}: {report.summary()}.",
                "Resolve them in File ▸ Merge conflicts…",
            )
            self.show_conflicts()
        return report

    def _refresh(self) -> None:
        self.desk.article_model.reload()
        self.desk.state.reload()

    def show_conflicts(self) -> Any:
        from .team_dialogs import ConflictsDialog

        if self.desk.store is None or self.desk.history is None:
            return None
        dialog = ConflictsDialog(
            self.desk.store, self.ensure_annotator(), self.desk.history, self.desk.window, on_resolved=self._refresh
        )
        dialog.show()
        return dialog

    def show_agreement(self) -> Any:
        """Measure in the background (seconds on a million spans), then show the report; Cancel
        drops the result. The job reads through its own read-only connection."""
        d = self.desk
        if d.store is None:
            return None
        path = d.store.path

        def work(progress: Progress) -> Any:
            from ..core.store import Store
            from ..core.team.agreement import measure

            progress(0, 0, "Reading every coder's spans")
            store = Store.open(path, readonly=True)
            try:
                return measure(store)
            finally:
                store.close()

        def done(report: Any) -> None:
            from .team_dialogs import AgreementDialog

            if job.cancelled or d.store is None or d.store.path != path:
                return  # cancelled, or another database opened meanwhile
            self.agreement_dialog = AgreementDialog(report, d.window)
            self.agreement_dialog.show()

        def failed(sentence: str, details: str) -> None:
            ask.error(d.window, "Agreement", sentence, details if is_bug(sentence) else "")

        job = start_job(d.window, "Measuring agreement", work, done, failed)
        d.db.track(job)
        return job

    def show_curation(self) -> Any:
        """The open article's places, one lane per coder (team adjudication, gui/curation.py)."""
        from .curation import CurationWindow

        d = self.desk
        if d.store is None or d.article_id is None or d.history is None:
            return None
        dialog = CurationWindow(d.store, d.article_id, self.ensure_annotator(), d.history, d.window)
        dialog.show()
        return dialog
