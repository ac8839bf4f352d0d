"""Import files and folders into a store: batch-atomic, one outcome for every file.

Every file met ends as exactly one :class:`FileResult`: imported, a duplicate, refused
(with the reason) or not saved (the write failed; the sentence says what was saved).
"""

from __future__ import annotations

import sqlite3
from collections.abc import Callable, Iterable
from dataclasses import dataclass, field
from pathlib import Path
from typing import Literal

from .articles import Article, iter_candidate_files
from .errors import StoreError
from .import_workers import parsed_chunks
from .store import Store, utc_now
from .store.article_metadata import PROVENANCE_COLUMNS
from .store.imports import NewArticle, insert_new_articles

BATCH_SIZE = 500
Progress = Callable[[int, int, str], bool]  # (done, total, current file) -> keep going?
Outcome = Literal["imported", "duplicate", "refused", "not saved"]


@dataclass(frozen=True)
class FileResult:
    """What became of one file; ``name`` is printable (see articles.display_name)."""

    name: str
    outcome: Outcome
    detail: str = ""  # the reason, what it duplicates, or why it was not saved
    article_id: int | None = None

    def line(self) -> str:
        """One line of the CLI's and the GUI's report."""
        if self.outcome == "imported":
            return f"imported   {self.name} (article {self.article_id})"
        return f"{self.outcome:<10} {self.name}: {self.detail}"


@dataclass
class ImportReport:
    results: list[FileResult] = field(default_factory=list)  # one per file, in order met
    imported: list[tuple[str, int]] = field(default_factory=list)  # (file, article id)
    duplicates: list[tuple[str, str]] = field(default_factory=list)  # (file, what it duplicates)
    refused: list[tuple[str, str]] = field(default_factory=list)  # (file, reason)
    not_saved: list[tuple[str, str]] = field(default_factory=list)  # (file, why): the write failed
    notes: list[tuple[str, str]] = field(default_factory=list)  # (file, metadata note)
    cancelled: bool = False
    failure: str | None = None  # the write failure, saying exactly what was saved

    def add(self, result: FileResult) -> None:
        self.results.append(result)
        pair = (result.name, result.detail)
        if result.outcome == "imported":
            assert result.article_id is not None
            self.imported.append((result.name, result.article_id))
        else:
            {"duplicate": self.duplicates, "refused": self.refused, "not saved": self.not_saved}[result.outcome].append(
                pair
            )

    def summary(self) -> str:
        parts = [f"{len(self.imported)} imported"]
        if self.duplicates:
            parts.append(f"{len(self.duplicates)} duplicates skipped")
        if self.refused:
            parts.append(f"{len(self.refused)} refused")
        if self.not_saved:
            parts.append(f"{len(self.not_saved)} not saved")
        if self.cancelled:
            parts.append("cancelled")
        return ", ".join(parts)


def _new_article(article: Article, imported_at: str) -> NewArticle:
    return NewArticle(
        title=article.title,
        source=article.source,
        date=article.date,
        date_raw=article.date_raw,
        date_precision=article.date_precision,
        text=article.text,
        file_name=article.file_name,
        sha256=article.sha256,
        encoding=article.encoding,
        imported_at=imported_at,
        **{k: getattr(article, k) for k in PROVENANCE_COLUMNS},
    )


def _row(article: Article) -> NewArticle:
    """An article as the row the store inserts (the benchmark corpus builder and tests insert
    these in bulk with ``store.articles.insert_articles``)."""
    return _new_article(article, utc_now())


def _write_failure(err: Exception) -> str:
    """The database's own words for a failed write ('database or disk is full'), without the
    store's 'Nothing was changed', which is only true of the batch that failed."""
    cause = err.__context__ if isinstance(err, StoreError) else err
    if isinstance(cause, sqlite3.Error):
        name = getattr(cause, "sqlite_errorname", "")
        if name == "SQLITE_FULL":
            return "the disk filled up"
        if name.startswith("SQLITE_IOERR_WRITE"):
            return "the database file could not be written: the disk is full or over a size limit"
        if name.startswith(("SQLITE_BUSY", "SQLITE_LOCKED")) or "locked" in str(cause):
            if isinstance(err, StoreError):  # the store's sentence names the file
                return str(err).split(". Nothing was changed")[0].rstrip(".")
            return "the database is busy: another program or window is writing to it; try again in a moment"
        return str(cause)
    return str(err).split(". Nothing was changed")[0].rstrip(".")


def _failure_sentence(saved: int, lost: int, cause: str) -> str:
    """Exactly what a failed import saved: never 'Nothing was changed' after committed batches."""

    def files(n: int) -> str:
        return "1 file was" if n == 1 else f"{n} files were"

    return (
        f"{files(saved)} imported before the import stopped ({cause}); the other {files(lost)} not. "
        "Importing the same files again skips those already saved as duplicates."
    )


def import_paths(
    store: Store,
    paths: Iterable[str | Path],
    progress: Progress | None = None,
    batch_size: int | None = None,
    who: str = "",
    workers: int | None = None,
) -> ImportReport:
    """Read every candidate file; each batch of new articles is one transaction.

    The next batches are parsed while this thread writes the current one: in a helper
    thread for small imports, in worker processes for large ones (``workers``: how many;
    None decides by the number of files, 0 keeps parsing in this process; see
    core/import_workers.py). A failed write (disk full, I/O error, busy) stops the import;
    the batches already committed stay, and ``report.failure`` says how many files were
    saved and how many not.
    """
    report = ImportReport()
    batch_size = batch_size or BATCH_SIZE
    seen: dict[str, str] = {}
    done = 0
    found = iter_candidate_files(Path(p) for p in paths)
    with parsed_chunks(found, batch_size, workers) as (chunks, parsed_in_order):
        n_files = sum(map(len, chunks))
        for k, (chunk, parsed) in enumerate(zip(chunks, parsed_in_order, strict=True)):
            # results in the order the files were met: refusals now, new articles after the write
            slots: list[FileResult | None] = [None] * len(chunk)
            pending: list[tuple[int, Article]] = []
            for i, (cand, outcome) in enumerate(zip(chunk, parsed, strict=True)):
                if progress and not progress(done, n_files, cand.name):
                    report.cancelled = True
                    for j in range(i, len(chunk)):
                        slots[j] = FileResult(chunk[j].name, "not saved", "the import was cancelled before this file")
                    break
                done += 1
                if isinstance(outcome, str):
                    slots[i] = FileResult(cand.name, "refused", outcome)
                elif outcome.sha256 in seen:
                    slots[i] = FileResult(cand.name, "duplicate", f"the same text as {seen[outcome.sha256]}")
                else:
                    seen[outcome.sha256] = cand.name
                    report.notes.extend((cand.name, n) for n in outcome.notes)
                    pending.append((i, outcome))
            try:
                now = utc_now()  # (the batch is one transaction: its files are imported at one moment)
                written = insert_new_articles(store, [_new_article(a, now) for _, a in pending], who)
            except (StoreError, sqlite3.Error) as err:
                cause = _write_failure(err)
                lost = [chunk[i] for i, _ in pending] + [c for later in chunks[k + 1 :] for c in later]
                why = f"the import stopped before this file was saved ({cause})"
                for i, _ in pending:
                    slots[i] = FileResult(chunk[i].name, "not saved", why)
                for result in slots:
                    if result is not None:
                        report.add(result)
                for c in lost[len(pending) :]:
                    report.add(FileResult(c.name, "not saved", why))
                report.failure = _failure_sentence(len(report.imported), len(lost), cause)
                break
            for (i, _article), out in zip(pending, written, strict=True):
                slots[i] = (
                    FileResult(chunk[i].name, "imported", article_id=out.article_id)
                    if out.inserted
                    else FileResult(
                        chunk[i].name,
                        "duplicate",
                        f"the same text as article {out.article_id}, already in the database",
                        out.article_id,
                    )
                )
            for result in slots:
                if result is not None:
                    report.add(result)
            if report.cancelled:
                for later in chunks[k + 1 :]:
                    for c in later:
                        report.add(FileResult(c.name, "not saved", "the import was cancelled before this file"))
                break
    if progress and not report.cancelled and not report.failure:
        progress(n_files, n_files, "")
    return report


def open_default_store(db_path: Path, seeds: Path) -> tuple[Store, ImportReport | None]:
    """Open a database; a brand-new one is filled from the seed corpus."""
    is_new = not db_path.exists() or db_path.stat().st_size == 0
    store = Store.open(db_path)
    report = None
    if is_new or (store.articles.count() == 0 and store.settings.get("seeded") is None):
        report = import_paths(store, [seeds])
        store.settings.set("seeded", utc_now())
    return store, report
