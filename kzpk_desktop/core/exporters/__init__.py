"""One module per export format, and the plumbing they share: where bytes go, cancel, zips.

Output follows Unix conventions: ``-`` (or ``None``) is standard output; a path that
exists and is not a regular file (a named pipe, a device, ``/dev/stdout``, the
``/dev/fd/N`` of ``-o >(cmd)``) is written to directly; a regular file is written
beside its target and renamed over it at the end, so a failure, a Cancel or a kill
never leaves half a file under the final name. New files get ``0666`` minus the umask,
like any tool. Every exporter reports progress through a :class:`Ticker`; a callback
returning ``False`` raises :class:`ExportCancelled` before anything is committed.
"""

from __future__ import annotations

import glob
import io
import os
import secrets
import stat
import sys
import zipfile
from collections.abc import Callable, Iterable, Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from pathlib import Path
from typing import BinaryIO, TextIO

OFFSET_UNIT = "unicode_codepoint"  # offsets index Python str (code points) of the stored text
BOM = b"\xef\xbb\xbf"
ZIP_EPOCH = (1980, 1, 1, 0, 0, 0)  # the earliest date a zip entry can carry: same bytes every export
TICK_EVERY = 200  # records between progress callbacks (plus one before the first and one at the end)

ProgressFn = Callable[[int], bool]


class ExportCancelled(InterruptedError):
    """The user pressed Cancel; no file was written (or the old one was kept)."""

    def __init__(self) -> None:
        super().__init__("Export cancelled; no file was written.")


@dataclass
class Ticker:
    """Counts records and asks the progress callback, at a bounded rate, whether to go on."""

    callback: ProgressFn | None = None
    n: int = 0

    def _ask(self) -> None:
        if self.callback is not None and not self.callback(self.n):
            raise ExportCancelled()

    def tick(self, k: int = 1) -> None:
        before = self.n
        self.n += k
        if before == 0 or before // TICK_EVERY != self.n // TICK_EVERY:
            self._ask()

    def finish(self) -> int:
        """The last chance to cancel, before the file is committed; returns the count."""
        self._ask()
        return self.n


def is_stdout(path: str | Path | None) -> bool:
    return path is None or str(path) == "-"


def _direct(path: Path) -> bool:
    """Write straight to it: it exists and is not a regular file, or it names a stream."""
    if str(path).startswith(("/dev/", "/proc/")):
        return True
    try:
        return not stat.S_ISREG(os.stat(path).st_mode)
    except FileNotFoundError:
        return False


@contextmanager
def _atomic_file(target: Path) -> Iterator[BinaryIO]:
    """Write beside ``target`` and rename over it at the end (the old file stays until then).

    The temporary file is created with mode 0666 so that the kernel applies the umask,
    as it would for any file a tool creates (``mkstemp`` would force 0600).
    """
    if target.is_symlink():
        target = Path(os.path.realpath(target))
    parent = target.parent
    while True:
        tmp = parent / f".{target.name}.{secrets.token_hex(4)}.part"
        try:
            fd = os.open(tmp, os.O_WRONLY | os.O_CREAT | os.O_EXCL | getattr(os, "O_CLOEXEC", 0), 0o666)
            break
        except FileExistsError:
            continue
    try:
        with os.fdopen(fd, "wb") as fh:
            yield fh
            fh.flush()
            os.fsync(fh.fileno())
        os.replace(tmp, target)
    except BaseException:
        tmp.unlink(missing_ok=True)
        raise
    for stale in parent.glob(f".{glob.escape(target.name)}.*.part"):  # left by killed runs
        stale.unlink(missing_ok=True)


@contextmanager
def binary_output(path: str | Path | None) -> Iterator[BinaryIO]:
    """Where an export's bytes go: stdout, a stream written directly, or a regular file atomically."""
    if is_stdout(path):
        sys.stdout.flush()
        out = sys.stdout.buffer
        yield out
        out.flush()
        return
    target = Path(path)  # type: ignore[arg-type]
    if _direct(target):
        with open(target, "wb") as fh:
            yield fh
        return
    with _atomic_file(target) as fh:
        yield fh


@contextmanager
def text_output(path: str | Path | None, *, bom: bool = False, newline: str = "") -> Iterator[TextIO]:
    """UTF-8 text (``newline=""``: the writer's own line ends) with an optional BOM, wherever it goes."""
    with binary_output(path) as raw:
        if bom:
            raw.write(BOM)
        fh = io.TextIOWrapper(raw, encoding="utf-8", newline=newline)
        try:
            yield fh
            fh.flush()
        finally:
            fh.detach()


def zip_bytes(entries: Iterable[tuple[str, bytes]]) -> bytes:
    """A zip whose bytes depend only on the entries: fixed dates, modes and order as given."""
    buf = io.BytesIO()
    with zipfile.ZipFile(buf, "w", zipfile.ZIP_DEFLATED) as z:
        for name, data in entries:
            info = zipfile.ZipInfo(name, date_time=ZIP_EPOCH)
            info.compress_type = zipfile.ZIP_DEFLATED
            info.external_attr = 0o644 << 16
            info.create_system = 3  # unix, whatever machine wrote it
            z.writestr(info, data)
    return buf.getvalue()
