"""One module per export format; every writer streams rows and writes atomically."""

from __future__ import annotations

import os
import tempfile
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path
from typing import IO

OFFSET_UNIT = "unicode_codepoint"  # offsets index Python str (code points) of the stored text


@contextmanager
def atomic_output(path: str | Path | None, *, newline: str | None = "",
                  encoding: str = "utf-8") -> Iterator[IO[str]]:
    """Write to a temporary file beside ``path`` and rename it over ``path`` at the end.

    A failure (or a kill) never leaves half a file under the final name. ``None`` means
    standard output.
    """
    if path is None or str(path) == "-":
        import sys

        yield sys.stdout
        sys.stdout.flush()
        return
    target = Path(path)
    fd, tmp = tempfile.mkstemp(prefix=f".{target.name}.", suffix=".part", dir=target.parent or ".")
    try:
        with os.fdopen(fd, "w", encoding=encoding, newline=newline) as fh:
            yield fh
            fh.flush()
            os.fsync(fh.fileno())
        os.replace(tmp, target)
    except BaseException:
        Path(tmp).unlink(missing_ok=True)
        raise
