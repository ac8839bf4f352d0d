"""Long work (import, export) off the GUI thread, with a progress dialog and cancel.

The job gets its own database connection (SQLite connections are per thread) and a
``progress(done, total, what) -> keep_going`` callback.
"""

from __future__ import annotations

import traceback
from collections.abc import Callable
from typing import Any

from PySide6.QtCore import QThread, Signal
from PySide6.QtWidgets import QLabel, QProgressDialog, QWidget

from ..core.errors import KzpkError
from .plain import plain_label

Progress = Callable[[int, int, str], bool]
UNEXPECTED = "Unexpected error"  # how a job's failure from a bug (not bad input) begins


def is_bug(sentence: str) -> bool:
    """Whether a job's failure sentence reports a bug, whose traceback helps a bug report."""
    return sentence.startswith(UNEXPECTED)


class Job(QThread):
    progressed = Signal(int, int, str)
    succeeded = Signal(object)
    failed = Signal(str, str)  # sentence, details

    def __init__(self, fn: Callable[[Progress], Any], parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self._fn = fn
        self._cancelled = False
        self.cancel_hooks: list[Callable[[], object]] = []  # e.g. Store.interrupt

    @property
    def cancelled(self) -> bool:
        return self._cancelled

    def cancel(self) -> None:
        self._cancelled = True
        for hook in self.cancel_hooks:
            hook()

    def _progress(self, done: int, total: int, what: str) -> bool:
        self.progressed.emit(done, total, what)
        return not self._cancelled

    def run(self) -> None:
        try:
            result = self._fn(self._progress)
        except InterruptedError as err:
            self.failed.emit(str(err), "")
        except (KzpkError, OSError, ValueError) as err:
            self.failed.emit(str(err), traceback.format_exc())
        except Exception as err:  # a bug: report it, keep the app alive
            self.failed.emit(f"{UNEXPECTED}: {err}", traceback.format_exc())
        else:
            self.succeeded.emit(result)


def start_job(
    parent: QWidget,
    title: str,
    fn: Callable[[Progress], Any],
    on_success: Callable[[Any], None],
    on_failure: Callable[[str, str], None],
) -> Job:
    """Run ``fn`` in a thread behind a modal-less progress dialog (shown after 400 ms)."""
    dialog = QProgressDialog(title, "Cancel", 0, 0, parent)
    dialog.setLabel(plain_label(QLabel(title)))  # the progress text names files being read
    dialog.setObjectName("progressDialog")
    dialog.setWindowTitle(title)
    dialog.setMinimumDuration(400)
    dialog.setAutoClose(False)
    dialog.setAutoReset(False)

    def progressed(done: int, total: int, what: str) -> None:
        dialog.setMaximum(max(total, 0))
        dialog.setValue(min(done, total) if total else 0)
        if what:
            dialog.setLabelText(f"{title}\n{what}")

    def finish() -> None:
        dialog.blockSignals(True)  # closing a progress dialog emits canceled: not the user's Cancel
        dialog.close()
        dialog.deleteLater()

    def succeeded(result: Any) -> None:
        finish()
        on_success(result)

    def failed(message: str, details: str) -> None:
        finish()
        on_failure(message, details)

    job = run_in_background(parent, fn, succeeded, failed, progressed=progressed)
    dialog.canceled.connect(job.cancel)
    return job


def run_in_background(
    parent: QWidget,
    fn: Callable[[Progress], Any],
    on_success: Callable[[Any], None],
    on_failure: Callable[[str, str], None],
    progressed: Callable[[int, int, str], None] | None = None,
) -> Job:
    """Run ``fn`` in a thread; every slot is connected before it starts, so nothing is missed."""
    job = Job(fn, parent)
    if progressed is not None:
        job.progressed.connect(progressed)
    job.succeeded.connect(on_success)
    job.failed.connect(on_failure)
    job.finished.connect(job.deleteLater)
    job.start()
    return job
