"""One module per export format; every writer writes atomically (temporary file, then rename)."""

from __future__ import annotations

import glob
import os
import sys
import tempfile
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path
from typing import IO, Any, BinaryIO

OFFSET_UNIT = "unicode_codepoint"  # offsets index Python str (code points) of the stored text


@contextmanager
def _atomic_file(target: Path, mode: str, **open_kwargs: Any) -> Iterator[IO[Any]]:
    """Write beside ``target`` and rename over it at the end: a failure or a kill never
    leaves half a file under the final name (the old file, if any, stays)."""
    fd, tmp = tempfile.mkstemp(prefix=f".{target.name}.", suffix=".part", dir=target.parent or ".")
    try:
        with os.fdopen(fd, mode, **open_kwargs) as fh:
            yield fh
            fh.flush()
            os.fsync(fh.fileno())
        os.replace(tmp, target)
    except BaseException:
        Path(tmp).unlink(missing_ok=True)
        raise
    for stale in target.parent.glob(f".{glob.escape(target.name)}.*.part"):  # left by killed runs
        stale.unlink(missing_ok=True)


@contextmanager
def atomic_output(path: str | Path | None, *, newline: str | None = "",
                  encoding: str = "utf-8") -> Iterator[IO[str]]:
    """A text file written atomically; ``None`` or ``-`` means standard output."""
    if path is None or str(path) == "-":
        yield sys.stdout
        sys.stdout.flush()
        return
    with _atomic_file(Path(path), "w", encoding=encoding, newline=newline) as fh:
        yield fh


@contextmanager
def atomic_binary_output(path: str | Path | None) -> Iterator[BinaryIO]:
    """A binary file (zip archives) written atomically; these need a real file path."""
    if path is None or str(path) == "-":
        raise ValueError("This format is a zip archive: give an output file with -o.")
    with _atomic_file(Path(path), "wb") as fh:
        yield fh
