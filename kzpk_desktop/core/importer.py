"""Import files and folders into a store: batch-atomic, duplicates skipped, refusals kept."""

from __future__ import annotations

from collections.abc import Callable, Iterable
from concurrent.futures import ThreadPoolExecutor
from dataclasses import dataclass, field
from pathlib import Path

from .articles import Article, ImportRefused, iter_candidate_files, read_article
from .store import Store, utc_now
from .store.article_metadata import PROVENANCE_COLUMNS

BATCH_SIZE = 500
Progress = Callable[[int, int, str], bool]  # (done, total, current file) -> keep going?


@dataclass
class ImportReport:
    imported: list[tuple[str, int]] = field(default_factory=list)  # (file, article id)
    duplicates: list[tuple[str, str]] = field(default_factory=list)  # (file, what it duplicates)
    refused: list[tuple[str, str]] = field(default_factory=list)  # (file, reason)
    notes: list[tuple[str, str]] = field(default_factory=list)  # (file, metadata note)
    cancelled: bool = False

    def summary(self) -> str:
        parts = [f"{len(self.imported)} imported"]
        if self.duplicates:
            parts.append(f"{len(self.duplicates)} duplicates skipped")
        if self.refused:
            parts.append(f"{len(self.refused)} refused")
        if self.cancelled:
            parts.append("cancelled")
        return ", ".join(parts)


def _row(article: Article) -> dict[str, object]:
    return {
        "title": article.title, "source": article.source, "date": article.date,
        "date_raw": article.date_raw, "date_precision": article.date_precision,
        "text": article.text, "file_name": article.file_name, "sha256": article.sha256,
        "encoding": article.encoding, "imported_at": utc_now(),
        **{k: getattr(article, k) for k in PROVENANCE_COLUMNS},
    }


def _parse(chunk: list[tuple[Path, str | None]]) -> list[Article | str]:
    """Read and parse files (an Article, or the reason it was refused)."""
    out: list[Article | str] = []
    for path, reason in chunk:
        if reason:
            out.append(reason)
            continue
        try:
            out.append(read_article(path))
        except ImportRefused as err:
            out.append(str(err))
    return out


def import_paths(store: Store, paths: Iterable[str | Path], progress: Progress | None = None,
                 batch_size: int = BATCH_SIZE) -> ImportReport:
    """Read every candidate file; each batch of new articles is one transaction.

    A helper thread parses the next batch while this thread writes the current one:
    SQLite releases the GIL while it indexes, so the two overlap on a 2-core machine.
    """
    report = ImportReport()
    candidates = list(iter_candidate_files(Path(p) for p in paths))
    chunks = [candidates[i : i + batch_size] for i in range(0, len(candidates), batch_size)]
    pending: list[tuple[str, Article]] = []
    seen: dict[str, str] = {}

    def flush() -> None:
        if not pending:
            return
        known = store.known_hashes(a.sha256 for _, a in pending)
        fresh = []
        for name, article in pending:
            if article.sha256 in known:
                report.duplicates.append((name, "an article already in the database"))
            else:
                fresh.append((name, article))
        ids = store.insert_articles([_row(a) for _, a in fresh])
        report.imported.extend((name, i) for (name, _), i in zip(fresh, ids, strict=True))
        pending.clear()

    done = 0
    with ThreadPoolExecutor(max_workers=1, thread_name_prefix="kzpk-parse") as pool:
        future = pool.submit(_parse, chunks[0]) if chunks else None
        for k, chunk in enumerate(chunks):
            assert future is not None
            parsed = future.result()
            future = pool.submit(_parse, chunks[k + 1]) if k + 1 < len(chunks) else None
            for (path, _reason), outcome in zip(chunk, parsed, strict=True):
                if progress and not progress(done, len(candidates), path.name):
                    report.cancelled = True
                    break
                done += 1
                if isinstance(outcome, str):
                    report.refused.append((str(path), outcome))
                    continue
                if outcome.sha256 in seen:
                    report.duplicates.append((str(path), seen[outcome.sha256]))
                    continue
                seen[outcome.sha256] = str(path)
                report.notes.extend((str(path), n) for n in outcome.notes)
                pending.append((str(path), outcome))
            flush()
            if report.cancelled:
                if future is not None:
                    future.cancel()
                break
    if progress and not report.cancelled:
        progress(len(candidates), len(candidates), "")
    return report


def open_default_store(db_path: Path, seeds: Path) -> tuple[Store, ImportReport | None]:
    """Open a database; a brand-new one is filled from the seed corpus."""
    is_new = not db_path.exists() or db_path.stat().st_size == 0
    store = Store.open(db_path)
    report = None
    if is_new or (store.article_count() == 0 and store.get_setting("seeded") is None):
        report = import_paths(store, [seeds])
        store.set_setting("seeded", utc_now())
    return store, report
