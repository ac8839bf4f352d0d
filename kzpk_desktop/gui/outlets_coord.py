"""Across outlets in the window: the stories panel, the claim clusters panel and the import of
earlier fact-checks (ClaimReview).

Finding stories and clusters reads the whole corpus, so it runs in a background job with its
own connection, progress and Cancel; applying a proposed verdict and importing fact-checks
are operations run through the desk (undoable, in the history).
"""

from __future__ import annotations

from collections.abc import Callable
from typing import TYPE_CHECKING, Any

from PySide6.QtCore import Qt

from ..core import operations as ops
from ..core.crossoutlet import DEFAULT_STORY_THRESHOLD
from ..core.errors import KzpkError
from ..core.store import Store
from .ask import ask
from .desk import Desk
from .jobs import Job, Progress, is_bug, start_job

if TYPE_CHECKING:
    from .claims_view import ClaimsResult, ClaimsView
    from .stories_view import StoriesResult, StoriesView

# The story finder, the claim clustering, the ClaimReview reader and their queries load on
# first use (in the jobs and handlers below), not with the window: issue 20's start-up.
THRESHOLD_KEY = "stories_threshold"
# Whether a panel was open when the window last closed: then both are built at start-up, before
# the window's saved layout is restored; otherwise when first shown or used (issue 20).
PANELS_SHOWN_KEY = "outlet_panels_shown"
STEP = 200  # articles between progress reports (and chances to cancel)


def _threshold(value: object) -> float:
    try:
        t = float(str(value))
    except ValueError:
        return DEFAULT_STORY_THRESHOLD
    return t if 0 < t <= 1 else DEFAULT_STORY_THRESHOLD


def stories_job(db_path: Any, threshold: float) -> Callable[[Progress], StoriesResult]:
    """The work of one run: both passes over the corpus report progress and can be cancelled."""

    def work(progress: Progress) -> StoriesResult:
        from ..core.crossoutlet.stories import StoryOptions, find_stories
        from ..core.store import crossoutlet as q
        from .stories_view import StoriesResult, StoryArticle

        store = Store.open(db_path)
        try:
            total = store.articles.count()
            passes = [0]

            def articles() -> Any:
                passes[0] += 1
                what = "Counting names and figures" if passes[0] == 1 else "Pairing articles"
                for i, art in enumerate(q.iter_articles_by_date(store)):
                    if i % STEP == 0 and not progress(i + (passes[0] - 1) * total, 2 * total, what):
                        raise InterruptedError("Finding stories was cancelled.")
                    yield art

            stories = find_stories(articles, store.articles.text, StoryOptions(threshold=threshold))
            meta = {}
            for s in stories:
                for article_id in s.article_ids:
                    a = store.articles.get(article_id)
                    meta[article_id] = StoryArticle(article_id, a.title, a.source, a.date)
            return StoriesResult(tuple(stories), meta, threshold)
        finally:
            store.close()

    return work


def claims_job(db_path: Any) -> Callable[[Progress], ClaimsResult]:
    def work(progress: Progress) -> ClaimsResult:
        from ..core.crossoutlet import claims as cl
        from ..core.store import crossoutlet as q
        from .claims_view import ClaimsResult

        store = Store.open(db_path)
        try:
            progress(0, 0, "Reading claims")
            claims = q.spans(store, ("claim",))
            what = f"Comparing {len(claims):,} claims"
            # only pairs sharing rare words are scored (400,000 claims in minutes, not n²); the
            # search reports every 1,000 claims and stops when Cancel was pressed
            clusters = cl.claim_clusters(claims, progress=lambda done, total: progress(done, total, what))
            return ClaimsResult(tuple(clusters))
        finally:
            store.close()

    return work


class OutletsCoordinator:
    def __init__(self, desk: Desk) -> None:
        self.desk = desk
        self._panels: tuple[StoriesView, ClaimsView] | None = None
        self._when_built: list[Callable[[StoriesView, ClaimsView], object]] = []
        self.jobs: dict[str, Job] = {}
        # told after fact-checks were imported or a review changed (an undo from the main window):
        # the review window re-reads its earlier fact-checks and evidence provenance
        self.review_listeners: list[Callable[[], object]] = []
        if desk.settings.value(PANELS_SHOWN_KEY, False, type=bool):
            self._build()  # before the saved layout is restored, which shows it again

    # --- the two panels, built when first needed ------------------------------------------
    def _build(self) -> tuple[StoriesView, ClaimsView]:
        if self._panels is not None:
            return self._panels
        from .claims_view import ClaimsView
        from .stories_view import StoriesView

        window = self.desk.window
        stories = StoriesView(_threshold(self.desk.settings.value(THRESHOLD_KEY, DEFAULT_STORY_THRESHOLD)), window)
        claims = ClaimsView(window)
        for dock in (stories, claims):
            window.addDockWidget(Qt.DockWidgetArea.BottomDockWidgetArea, dock)
            dock.hide()
        window.tabifyDockWidget(stories, claims)
        for dock in (stories, claims):
            window.restoreDockWidget(dock)  # built after the layout was restored: its saved place
        stories.findRequested.connect(self.find_stories)
        claims.refreshRequested.connect(self.find_claims)
        self._panels = (stories, claims)
        for tell in self._when_built:
            tell(stories, claims)
        return self._panels

    def when_built(self, tell: Callable[[StoriesView, ClaimsView], object]) -> None:
        """``tell`` the panels once they exist (now, if they do): the window wires their actions."""
        self._when_built.append(tell)
        if self._panels is not None:
            tell(*self._panels)

    @property
    def stories(self) -> StoriesView:
        return self._build()[0]

    @property
    def claims(self) -> ClaimsView:
        return self._build()[1]

    def remember_panels(self) -> None:
        """At close: whether a panel is open, so the next start builds them in time to show it."""
        shown = self._panels is not None and any(p.isVisible() for p in self._panels)
        self.desk.settings.setValue(PANELS_SHOWN_KEY, shown)

    # --- stories --------------------------------------------------------------------------
    def show_stories(self) -> StoriesView:
        self.stories.show()
        self.stories.raise_()
        self.stories.tree.setFocus()
        if self.stories.result is None and "stories" not in self.jobs:
            self.find_stories(self.stories.threshold.value())
        return self.stories

    def find_stories(self, threshold: float) -> Job | None:
        d = self.desk
        if d.store is None:
            return None
        d.settings.setValue(THRESHOLD_KEY, threshold)
        return self._start("stories", "Finding stories", stories_job(d.store.path, threshold), self.stories)

    def compare_story(self) -> bool:
        if not self.stories.request_compare():
            self.desk.status("Select a story (or one of its articles) in the stories panel to compare its articles.")
            return False
        return True

    # --- claim clusters -------------------------------------------------------------------
    def show_claims(self) -> ClaimsView:
        self.claims.show()
        self.claims.raise_()
        self.claims.tree.setFocus()
        if self.claims.result is None and "claims" not in self.jobs:
            self.find_claims()
        return self.claims

    def find_claims(self) -> Job | None:
        d = self.desk
        if d.store is None:
            return None
        return self._start("claims", "Comparing claims", claims_job(d.store.path), self.claims)

    def apply_proposal(self) -> bool:
        """The verdict proposed for the selected claim, given now: a review decision (undoable)."""
        d = self.desk
        proposal = self.claims.current_proposal()
        if d.store is None or proposal is None:
            d.status("Select a claim with a proposed verdict (the Proposed column) in the claim clusters panel.")
            return False
        try:
            op = proposal.operation(d.store, d.annotator)
        except KzpkError as err:
            ask.error(d.window, "Verdict not applied", str(err))
            return False
        if d.run(op):
            d.status(f"Verdict applied to claim {proposal.annotation_id} (Ctrl+Z undoes it).")
            return True
        return False

    def changed(self, changes: ops.Changes) -> None:
        """After any operation (a verdict applied, an undo): re-read the shown claims it touched."""
        if changes.review or changes.prior_checks:  # (an import of fact-checks, or its undo)
            for tell in self.review_listeners:
                tell()
        if self._panels is None:  # no clusters shown: nothing to re-read
            return
        result, store = self.claims.result, self.desk.store
        if result is None or store is None or not changes.review & result.claim_ids():
            return
        from ..core.store import crossoutlet as q

        rows = {}
        for claim_id in changes.review & result.claim_ids():
            try:
                rows[claim_id] = q.span(store, claim_id)
            except KzpkError:
                continue  # deleted since: the next Find clusters drops it
        self.claims.set_result(result.with_claims(rows))

    # --- earlier fact-checks --------------------------------------------------------------
    def import_prior_checks_dialog(self) -> int | None:
        files = ask.open_files(
            self.desk.window, "Import fact-checks (ClaimReview JSON-LD)", "ClaimReview (*.json *.jsonld);;All files (*)"
        )
        return self.import_prior_checks(files) if files else None

    def import_prior_checks_folder(self) -> int | None:
        folder = ask.directory(self.desk.window, "Import a folder of fact-checks (ClaimReview JSON-LD)")
        return self.import_prior_checks([folder]) if folder else None

    def import_prior_checks(self, paths: list[str]) -> int | None:
        """Read every file first (one that is not JSON stops the import with one sentence; a
        malformed item is left out and named), then import them as one undoable step."""
        from ..core.crossoutlet import prior_checks as pc
        from ..core.store import crossoutlet as q

        d = self.desk
        if d.store is None:
            ask.error(d.window, "Import fact-checks", "Open or create a database first.")
            return None
        try:
            read = pc.read_paths(paths)
        except (KzpkError, OSError) as err:
            ask.error(d.window, "Fact-checks not imported", str(err))
            return None
        items, skipped = read.checks, read.skipped
        before = q.prior_check_count(d.store)
        if not d.run(pc.ImportPriorChecks(items, d.annotator)):
            return None
        added = q.prior_check_count(d.store) - before
        summary = (
            f"{added} fact-checks imported, {len(items) - added} already present "
            f"({before + added:,} in the index). Ctrl+Z undoes the import."
        )
        d.status(summary, 10000)
        if skipped:
            n = len(skipped)
            ask.info(
                d.window,
                "Fact-checks imported",
                f"{summary}\n\n{n} item{'s' if n > 1 else ''} could not be read and "
                f"{'were' if n > 1 else 'was'} left out: see Show Details.",
                "\n".join(skipped),
            )
        return added

    # --- shared ---------------------------------------------------------------------------
    def store_changed(self, _store: Store | None) -> None:
        """Another database: what the panels show belongs to the old one."""
        if self._panels is None:  # not built yet: they will start empty
            return
        for view, sentence in (
            (self.stories, "Press Find stories to group the articles."),
            (self.claims, "Press Find clusters to group the claims."),
        ):
            view.result = None
            view.tree.clear()
            view.show_failure(sentence)

    def _start(self, name: str, title: str, work: Callable[[Progress], Any], view: Any) -> Job | None:
        if name in self.jobs:
            return self.jobs[name]
        d = self.desk
        view.busy(True)
        path = d.store.path if d.store is not None else None

        def done(result: Any) -> None:
            self.jobs.pop(name, None)
            if d.store is not None and d.store.path == path:  # not a database closed meanwhile
                view.set_result(result)
            else:
                view.busy(False)

        def failed(sentence: str, details: str) -> None:
            self.jobs.pop(name, None)
            view.show_failure(sentence)
            if is_bug(sentence):  # the details help report it
                ask.error(d.window, title, sentence, details)

        job = start_job(d.window, title, work, done, failed)
        d.db.track(job)
        self.jobs[name] = job
        return job
