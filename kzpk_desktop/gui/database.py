"""Database care: the one GUI module that holds the Store.

Opening and creating databases, one window per database (a lock file), the recent list,
background integrity checks, WAL checkpoints and rolling backups, restore. The rest of
the GUI asks this object for the store and listens to ``storeChanged``.
"""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path
from typing import Any

from PySide6.QtCore import QLockFile, QObject, QSettings, Qt, QTimer, Signal
from PySide6.QtWidgets import QDialog, QLabel, QMainWindow, QWidget

from ..core.errors import KzpkError
from ..core.store import Store
from .ask import ask
from .jobs import Progress, run_in_background

MAX_RECENT = 8


class DatabaseCare(QObject):
    storeChanged = Signal(object)  # the new Store, or None
    BACKUP_DELAY_MS = 5000
    BACKUP_EVERY_MS = 30 * 60 * 1000
    CHECKPOINT_EVERY_MS = 5000
    VERIFY_DELAY_MS = 2000  # let start-up finish first: the scan competes for the CPU

    def __init__(self, parent: QWidget, settings: QSettings, status: Callable[[str, int], None]) -> None:
        super().__init__(parent)
        self.parent_widget = parent
        self.settings = settings
        self.status = status
        self.store: Store | None = None
        self._lock: QLockFile | None = None
        self._jobs: list[Any] = []
        self.closing = False
        self._checkpointing = False
        self._backed_up_at = -1
        self._checkpoint_timer = QTimer(self)
        self._checkpoint_timer.timeout.connect(self.checkpoint_now)
        self._backup_timer = QTimer(self)
        self._backup_timer.timeout.connect(self._scheduled_backup)
        self.readonly_label: QLabel | None = None

    # --- owning a database -----------------------------------------------------------------
    def claim(self, path: Path) -> bool:
        """One window per database: a second one (or a second app) is refused clearly.

        The lock file records the owner's process; a lock left by a crashed app is stale and
        QLockFile takes it over.
        """
        self._release()
        lock = QLockFile(str(path) + ".lock")
        lock.setStaleLockTime(0)  # never stale by age, only when its process is gone
        if lock.tryLock(200):
            self._lock = lock
            return True
        info = lock.getLockInfo()  # PySide6: (pid, host, app); other bindings prefix a success flag
        owner = ""
        if isinstance(info, tuple) and len(info) >= 3 and info[0] is not False:
            owner = f" (process {info[-3]} on {info[-2]})"
        ask.error(
            self.parent_widget,
            "Database already open",
            f"'{path}' is already open in another kzpk_desktop window{owner}. Close it there first: two "
            "windows writing one file would confuse each other's undo history.",
        )
        return False

    def _release(self) -> None:
        if self._lock is not None:
            self._lock.unlock()
            self._lock = None

    def set_store(self, store: Store | None) -> None:
        """Switch to another database (or none); listeners rebuild from it."""
        if store is not None and (self.store is None or store.path != self.store.path) and not self.claim(store.path):
            store.close()
            return
        if self.store is not None and self.store is not store:
            self.stop_jobs()  # a job still reading the old file must not outlive it (restore replaces it)
            for dialog in self.parent_widget.findChildren(QDialog):  # review, summary, history: on the old file
                if getattr(dialog, "store", None) is self.store:
                    dialog.close()  # (the review window keeps undecided input as a draft)
                    dialog.deleteLater()
            self.store.close()
        if store is None:
            self._release()
        if self.readonly_label is not None:
            self.readonly_label.hide()
        self.store = store
        self.storeChanged.emit(store)
        if store is not None:
            self.remember(store.path)
            self.after_open()

    def open_database(self, path: str | Path) -> bool:
        try:
            store = Store.open(path)
        except KzpkError as err:
            ask.error(self.parent_widget, "Cannot open database", str(err))
            return False
        self.set_store(store)
        self.status(f"Opened {path}", 4000)
        if store.damage and self.store is store:
            ask.error(self.parent_widget, "Database damaged", str(store.readonly_reason), "\n".join(store.damage))
        return True

    def new_database(self) -> None:
        path = ask.save_file(self.parent_widget, "New database", "kzpk databases (*.db *.sqlite)", "kzpk-project.db")
        if not path:
            return
        if Path(path).exists():
            ask.error(
                self.parent_widget,
                "New database",
                f"'{path}' already exists; choose a new file name (existing databases are opened with File ▸ Open).",
            )
            return
        self.open_database(path)

    def open_database_dialog(self) -> None:
        path = ask.open_file(self.parent_widget, "Open database", "kzpk databases (*.db *.sqlite);;All files (*)")
        if path:
            self.open_database(path)

    def remember(self, path: Path) -> None:
        path_s = str(Path(path).resolve())
        recent = [p for p in self.recent() if p != path_s]
        self.settings.setValue("recent", [path_s, *recent][:MAX_RECENT])
        self.settings.setValue("last_db", path_s)

    def recent(self) -> list[str]:
        recent = self.settings.value("recent", []) or []
        if isinstance(recent, str):
            return [recent]
        return [str(p) for p in recent] if isinstance(recent, list) else []

    # --- care while open ---------------------------------------------------------------------
    def after_open(self) -> None:
        """Background care for a freshly opened database: integrity, backups, a network warning."""
        if self.store is None:
            return
        if self.store.readonly:  # damaged: no background writer, checkpoint or backup may touch it
            self._backup_timer.stop()
            self._checkpoint_timer.stop()
            self.show_readonly_banner()
            return
        from ..core.locality import network_warning

        warning = network_warning(self.store.path)
        if warning:
            ask.info(self.parent_widget, "Database on a network share", warning)
        self.verify_in_background()
        QTimer.singleShot(self.BACKUP_DELAY_MS, self._backup_if_due)
        self._backed_up_at = self.store.total_changes
        self._backup_timer.start(self.BACKUP_EVERY_MS)
        self.store.defer_checkpoints()
        self._checkpoint_timer.start(self.CHECKPOINT_EVERY_MS)

    def show_readonly_banner(self) -> None:
        """A read-only (damaged) database: say why in the status bar, for as long as it is open."""
        if self.store is None or self.store.readonly_reason is None:
            return
        if self.readonly_label is None:
            self.readonly_label = QLabel(self.parent_widget)
            self.readonly_label.setObjectName("readonlyBanner")
            self.readonly_label.setTextFormat(Qt.TextFormat.PlainText)
            self.readonly_label.setWordWrap(True)
            window = self.parent_widget
            if isinstance(window, QMainWindow):
                window.statusBar().addWidget(self.readonly_label, 1)
        self.readonly_label.setText(f"Read-only: {self.store.readonly_reason}")
        self.readonly_label.show()

    def checkpoint_now(self) -> Any:
        """Fold the WAL into the database off the GUI thread (see Store.defer_checkpoints)."""
        if self.store is None or self.store.readonly or self.closing or self._checkpointing:
            return None
        from ..core.store import checkpoint

        path = self.store.path
        self._checkpointing = True

        def done(_result: object) -> None:
            self._checkpointing = False

        return self.track(
            run_in_background(self.parent_widget, lambda _p: checkpoint(path), done, lambda m, d: done(None))
        )

    def backup_now(self) -> Any:
        """A rolling backup (online backup API) off the GUI thread; never of a damaged file
        (it would push good backups out of the rolling set)."""
        if self.store is None or self.store.readonly or self.closing:
            return None
        from ..core.backups import make_backup

        path = self.store.path
        return self.track(
            run_in_background(
                self.parent_widget,
                lambda _p: make_backup(path),
                lambda dest: self.status(f"Backup saved: {dest.name}", 4000),
                lambda m, d: self.status(f"Backup failed: {m}", 8000),
            )
        )

    def _backup_if_due(self) -> Any:
        """Shortly after opening: a backup if the newest is older than the backup interval.
        (Checked then, not at open: the backup module's hashing loads off the start-up path.)"""
        if self.store is None or self.store.readonly or self.closing:
            return None
        from ..core.backups import newest_age_s

        age = newest_age_s(self.store.path)
        if age is None or age > self.BACKUP_EVERY_MS / 1000:
            return self.backup_now()
        return None

    def _scheduled_backup(self) -> None:
        """Every 30 minutes, if this window changed anything since the last backup."""
        if self.store is not None and self.store.total_changes != self._backed_up_at:
            self._backed_up_at = self.store.total_changes
            self.backup_now()

    def restore_backup_dialog(self) -> bool:
        """Choose a backup, confirm, and put it in place (the current file is kept aside)."""
        if self.store is None:
            return False
        from ..core.backups import list_backups

        found = list_backups(self.store.path)
        w = self.parent_widget
        if not found:
            ask.info(w, "Restore from backup", "There is no backup of this database yet.")
            return False
        names = [f"{b.stem}  ({b.stat().st_size // 1024:,} KB)" for b in found]
        choice = ask.choose(w, "Restore from backup", "Backup to restore (newest first):", names)
        if not choice:
            return False
        chosen = found[names.index(choice)]
        if not ask.confirm(
            w,
            "Restore from backup",
            f"Replace the open database with the backup from "
            f"{chosen.stem}? The current file is kept beside it, renamed.",
        ):
            return False
        return self.restore_backup(chosen)

    def restore_backup(self, backup: Path) -> bool:
        from ..core.backups import restore

        assert self.store is not None
        path = self.store.path
        self.set_store(None)
        try:
            aside = restore(path, backup)
        except KzpkError as err:
            ask.error(self.parent_widget, "Restore failed", str(err))
            self.open_database(path)
            return False
        ok = self.open_database(path)
        self.status(f"Restored from {backup.name}; the previous file is {aside.name}.", 10000)
        return ok

    def verify_in_background(self, delay_ms: int | None = None) -> None:
        """Big databases skip the full integrity scan at open (about 1.5 s per GB): run it
        shortly after, off the GUI thread, and stop editing at once if it finds damage."""
        if self.store is None or self.store.verified_at_open:
            return
        path = self.store.path
        QTimer.singleShot(self.VERIFY_DELAY_MS if delay_ms is None else delay_ms, lambda: self._start_verify(path))

    def _start_verify(self, expected: Path) -> Any:
        if self.store is None or self.store.path != expected or self.closing:
            return None
        db_path = self.store.path
        running: dict[str, Store] = {}

        def work(_progress: Progress) -> bool:
            store = Store.open(db_path)
            running["store"] = store
            try:
                store.verify()
            finally:
                running.clear()
                store.close()
            return True

        def damaged(message: str, details: str) -> None:
            if self.store is not None and self.store.path == db_path:
                self.set_store(None)
                ask.error(self.parent_widget, "Database damaged", f"{message} It was closed to protect it.", details)

        def failed(message: str, details: str) -> None:
            if "interrupted" not in message:  # closing the window interrupts the scan: not damage
                damaged(message, details)

        job = run_in_background(
            self.parent_widget, work, lambda _ok: self.status("Integrity check passed.", 4000), failed
        )
        job.cancel_hooks.append(lambda: running["store"].interrupt() if "store" in running else None)
        return self.track(job)

    def track(self, job: Any) -> Any:
        """Keep running jobs (close waits for them); drop the finished (deleted) ones."""
        from shiboken6 import isValid

        self._jobs = [j for j in self._jobs if isValid(j)] + [job]
        return job

    def stop_jobs(self) -> None:
        """Cancel the background jobs and wait for them: they read the open file through their
        own connections, which must be gone before that file is closed, replaced or restored."""
        for job in list(self._jobs):
            try:
                if job.isRunning():
                    job.cancel()
                    job.wait(5000)
            except RuntimeError:  # already deleted
                pass

    def close(self) -> None:
        """Stop timers and jobs, close the store and drop the lock (the window is closing)."""
        self.closing = True
        self.stop_jobs()
        self._backup_timer.stop()
        self._checkpoint_timer.stop()
        if self.store is not None:
            self.store.close()
            self.store = None
        self._release()
