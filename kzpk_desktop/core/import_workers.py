"""Where an import's files are parsed: a helper thread for small imports, worker processes
for large ones.

Parsing (decoding, hashing, reading the metadata) is Python work that holds the GIL, so a
thread can only overlap it with SQLite's writing; on two cores the import then ran at about
the speed of one. Worker processes (one per core but the one this process writes on) parse
batch after batch while this process writes, in the order the files were met; when this
process would wait for a batch, it parses a later one no worker has started. Workers cost
~0.1-0.3 s to start, so only imports of at least ``PROCESS_MIN_FILES`` files use them. A
worker that dies (killed, out of memory) does not stop the import: the batches it had not
returned are parsed here instead.
"""

from __future__ import annotations

import multiprocessing
import os
import threading
from collections import deque
from collections.abc import Iterable, Iterator, Sequence
from concurrent.futures import Future, ProcessPoolExecutor, ThreadPoolExecutor
from concurrent.futures.process import BrokenProcessPool
from contextlib import contextmanager
from itertools import chain, islice

from .articles import OPEN_DATABASE_REFUSAL, Article, Candidate, ImportRefused
from .dates import could_be_dateparser_date
from .store.connection import is_database_among, open_database_keys

PROCESS_MIN_FILES = 2000  # below this, starting worker processes costs more than they save
Parsed = list[Article | str]  # per file: the article, or the sentence saying why it was refused

_open_keys: frozenset[tuple[int, int]] | None = None  # set in a worker that did not fork from us


def parse_chunk(chunk: Sequence[Candidate]) -> Parsed:
    """Read and parse files (an Article, or the reason it was refused)."""
    out: Parsed = []
    for cand in chunk:
        if cand.refusal:
            out.append(cand.refusal)
            continue
        if _open_keys and is_database_among(cand.target or cand.path, _open_keys):
            out.append(OPEN_DATABASE_REFUSAL)
            continue
        try:
            out.append(cand.read())
        except ImportRefused as err:
            out.append(str(err))
    return out


def _start_worker(keys: frozenset[tuple[int, int]] | None) -> None:
    """A worker started fresh (not forked) does not know this process's open databases."""
    global _open_keys
    _open_keys = keys


def worker_count(n_files: int, workers: int | None) -> int:
    """0 = parse in a thread here; ``workers`` None = decide by the number of files and cores."""
    if workers is not None:
        return max(0, workers)
    cores = os.cpu_count() or 1
    return 0 if n_files < PROCESS_MIN_FILES or cores < 2 else min(cores - 1, 8)  # (one core writes)


Chunks = list[list[Candidate]]


def _cut(found: Iterable[Candidate], size: int) -> Iterator[list[Candidate]]:
    it = iter(found)
    while chunk := list(islice(it, size)):
        yield chunk


@contextmanager
def parsed_chunks(
    found: Iterable[Candidate], batch_size: int, workers: int | None
) -> Iterator[tuple[Chunks, Iterator[Parsed]]]:
    """Walk ``found`` (the files met) into chunks of ``batch_size``; yields them with an
    iterator of each chunk parsed, in order, while the caller writes the one before. Worker
    processes get the first chunks while the walk goes on (walking 10,000 files takes
    ~0.1 s, 5 % of their import). ``workers``: see :func:`worker_count`, decided once
    ``PROCESS_MIN_FILES`` files were met. Leaving the ``with`` (done, cancelled, failed)
    drops the work not yet started."""
    it = iter(found)
    head = list(islice(it, PROCESS_MIN_FILES))
    n_workers = worker_count(len(head), workers)
    chunks: Chunks
    if n_workers <= 0:
        chunks = list(_cut([*head, *it], batch_size))
        with ThreadPoolExecutor(max_workers=1, thread_name_prefix="kzpk-parse") as pool:
            try:
                yield chunks, _in_order(pool, chunks, deque(), 1, share=False)
            finally:
                pool.shutdown(wait=True, cancel_futures=True)
        return
    # fork is fast and keeps every cache warm, but is only safe with no other thread running
    # (the GUI imports from a job thread beside Qt's): then a fork server starts the workers.
    # (Windows has neither fork nor a fork server: its workers are spawned)
    methods = multiprocessing.get_all_start_methods()
    forked = threading.active_count() == 1 and "fork" in methods
    context = multiprocessing.get_context("fork" if forked else "forkserver" if "forkserver" in methods else "spawn")
    if forked:  # load the date parser's word list once here, not once in every worker (~0.1 s each)
        could_be_dateparser_date("1 January 2020", ("en",))
    elif context.get_start_method() == "forkserver":  # the server imports the parsing code once
        multiprocessing.set_forkserver_preload([__name__])
    pool_p = ProcessPoolExecutor(
        max_workers=n_workers,
        mp_context=context,
        initializer=_start_worker,
        initargs=(None if forked else open_database_keys(),),
    )
    ahead = 2 * n_workers + 2
    try:
        chunks = []
        pending: deque[Future[Parsed] | Parsed] = deque()
        for chunk in _cut(chain(head, it), batch_size):
            chunks.append(chunk)
            if len(pending) < ahead:
                pending.append(_submit(pool_p, chunk))
        yield chunks, _in_order(pool_p, chunks, pending, ahead, share=True)
    finally:
        pool_p.shutdown(wait=True, cancel_futures=True)


def _submit(pool: ProcessPoolExecutor | ThreadPoolExecutor, chunk: Sequence[Candidate]) -> Future[Parsed]:
    """The chunk's parse in the pool. Once a worker has died the pool refuses new work; the
    refusal comes back as the future's result, and this process then parses the rest."""
    try:
        return pool.submit(parse_chunk, chunk)
    except BrokenProcessPool as err:
        failed: Future[Parsed] = Future()
        failed.set_exception(err)
        return failed


def _in_order(
    pool: ProcessPoolExecutor | ThreadPoolExecutor,
    chunks: Sequence[Sequence[Candidate]],
    pending: deque[Future[Parsed] | Parsed],
    ahead: int,
    share: bool,
) -> Iterator[Parsed]:
    """Keep ``ahead`` chunks in work (results wait in memory only that far ahead of the writes);
    ``pending``: the first chunks' work, already handed out.

    ``share``: while the next chunk is still being parsed elsewhere, this process takes a later
    chunk no worker has started and parses it itself, instead of waiting idle."""
    pending.extend(_submit(pool, c) for c in chunks[len(pending) : ahead])
    submitted = len(pending)
    for i in range(len(chunks)):
        head = pending[0]
        while share and isinstance(head, Future) and not head.done():
            later = next(
                (j for j in range(len(pending) - 1, 0, -1) if isinstance(f := pending[j], Future) and f.cancel()),
                None,
            )
            if later is None:
                break
            if submitted < len(chunks):  # the workers' queue stays as long as before
                pending.append(_submit(pool, chunks[submitted]))
                submitted += 1
            pending[later] = parse_chunk(chunks[i + later])
        pending.popleft()
        try:
            parsed = head.result() if isinstance(head, Future) else head
        except BrokenProcessPool:  # a worker died: parse the rest here
            yield from (parse_chunk(chunk) for chunk in chunks[i:])
            return
        if submitted < len(chunks):
            pending.append(_submit(pool, chunks[submitted]))
            submitted += 1
        yield parsed
