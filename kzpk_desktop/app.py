"""QApplication bootstrap and ``create_main_window(db_path)`` (the GUI contract)."""

from __future__ import annotations

import argparse
import logging
import os
import sys
import traceback
from collections.abc import Sequence
from pathlib import Path
from types import TracebackType

from PySide6.QtWidgets import QApplication, QMainWindow

from . import __version__
from .core.errors import KzpkError
from .core.paths import default_db_path, resources_dir, user_data_dir
from .core.project import open_project
from .core.store import Store

log = logging.getLogger("kzpk_desktop")


def _debian_package(soname: str) -> str:
    """``libxcb-icccm.so.4`` -> ``libxcb-icccm4`` (Debian's library package naming)."""
    if soname.startswith("libglib-2.0"):
        return "libglib2.0-0"
    base, _, version = soname.partition(".so.")
    base = base.lower()
    return f"{base}{'-' if base[-1].isdigit() else ''}{version.split('.')[0]}"


def missing_platform_libraries() -> list[str]:
    """Debian packages of the libraries Qt's xcb (X11) plugin needs and cannot find here.

    Qt itself only ever names ``libxcb-cursor0`` (even when that is installed and another
    library is missing), so ask the dynamic linker: ``ldd`` on the plugin and its helper.
    """
    import ctypes
    import shutil
    import subprocess

    from PySide6.QtCore import QLibraryInfo

    plugins = Path(QLibraryInfo.path(QLibraryInfo.LibraryPath.PluginsPath))
    libs = Path(QLibraryInfo.path(QLibraryInfo.LibraryPath.LibrariesPath))
    targets = [plugins / "platforms" / "libqxcb.so", *libs.glob("libQt6XcbQpa.so*")]
    missing: list[str] = []
    if shutil.which("ldd"):
        for target in (t for t in targets if t.exists()):
            out = subprocess.run(["ldd", str(target)], capture_output=True, text=True, timeout=30).stdout
            missing += [line.split()[0] for line in out.splitlines() if "not found" in line]
    try:
        ctypes.CDLL("libxcb-cursor.so.0")  # loaded at run time by the plugin, so ldd cannot see it
    except OSError:
        missing.append("libxcb-cursor.so.0")
    return sorted({_debian_package(m) for m in missing})


def platform_failure_sentence(messages: list[str]) -> str:
    """One sentence for a Qt platform plugin that cannot load: what to install, or why."""
    wanted = os.environ.get("QT_QPA_PLATFORM", "")
    packages = missing_platform_libraries() if wanted in ("", "xcb") and sys.platform.startswith("linux") else []
    if packages:
        return (
            "kzpk-desktop: Qt cannot load its X11 (xcb) platform plugin because libraries are missing; on "
            f"Debian/Ubuntu install them with: sudo apt-get install {' '.join(packages)}."
        )
    if not os.environ.get("DISPLAY") and not os.environ.get("WAYLAND_DISPLAY"):
        return (
            "kzpk-desktop: there is no display to open a window on (neither DISPLAY nor WAYLAND_DISPLAY "
            "is set); run it in a desktop session, or set QT_QPA_PLATFORM=offscreen to run without one."
        )
    if any("could not connect to display" in m.lower() for m in messages):
        return (
            f"kzpk-desktop: cannot connect to the display '{os.environ.get('DISPLAY', '')}' (is an X server "
            "running there, and may this user use it?); or set QT_QPA_PLATFORM=offscreen to run without one."
        )
    detail = next((m for m in messages if "Could not load" in m), "")
    return (
        f"kzpk-desktop: Qt cannot start its platform plugin{f' ({detail})' if detail else ''}; on "
        f"Debian/Ubuntu install: sudo apt-get install {' '.join(QT_XCB_PACKAGES)}."
    )


# What Qt 6's xcb plugin links against (libqxcb.so, libQt6XcbQpa.so) plus libxcb-cursor0,
# which it opens at run time: the Debian/Ubuntu packages, for the generic hint.
QT_XCB_PACKAGES = (
    "libxcb-cursor0",
    "libxcb-icccm4",
    "libxcb-keysyms1",
    "libxcb-image0",
    "libxcb-randr0",
    "libxcb-render-util0",
    "libxcb-shape0",
    "libxcb-xkb1",
    "libxkbcommon-x11-0",
    "libegl1",
    "libgl1",
    "libfontconfig1",
    "libdbus-1-3",
)


def _new_application(argv: list[str]) -> QApplication:
    """QApplication(), but a platform plugin that cannot load ends the process with one
    sentence on stderr and exit status 1 (Qt would print advice that names the wrong
    package, then abort, which Python cannot catch)."""
    from PySide6.QtCore import QtMsgType, qInstallMessageHandler

    seen: list[str] = []

    def handler(kind: QtMsgType, _context: object, message: str) -> None:
        if kind == QtMsgType.QtFatalMsg:
            print(platform_failure_sentence(seen), file=sys.stderr, flush=True)
            os._exit(1)  # Qt would abort (and dump core) right after this
        seen.append(message)

    previous = qInstallMessageHandler(handler)
    try:
        app = QApplication(argv)
    finally:
        qInstallMessageHandler(previous)
    for message in seen:  # started after all: Qt's warnings go where they would have gone
        if "propagateSizeHints" not in message:
            print(message, file=sys.stderr)
    return app


def ensure_app(argv: Sequence[str] | None = None) -> QApplication:
    app = QApplication.instance()
    if app is None:
        app = _new_application(list(argv or sys.argv[:1]))
    assert isinstance(app, QApplication)
    if not app.property("kzpk_styled"):
        app.setApplicationName("kzpk_desktop")
        app.setOrganizationName("kzpk")
        app.setApplicationVersion(__version__)
        app.setDesktopFileName("kzpk-desktop")
        app.setStyle("Fusion")
        qss = resources_dir() / "style.qss"
        if qss.exists():
            app.setStyleSheet(qss.read_text(encoding="utf-8"))
        app.setProperty("kzpk_styled", True)
    return app


def _open_store(db_path: str | Path | None) -> tuple[Store | None, str | None]:
    """The store to show, or an error sentence. ``None`` means the seeded default database."""
    try:
        return open_project(db_path), None
    except KzpkError as err:
        return None, str(err)


def create_main_window(db_path: str | Path | None = None) -> QMainWindow:
    """Build the whole window on a database, without starting an event loop.

    A database that cannot be opened (corrupt, not SQLite, newer schema) gives an error
    dialog and an empty window from which another database can be opened.
    """
    ensure_app()
    from .gui.ask import ask
    from .gui.main_window import MainWindow

    store, error = _open_store(db_path)
    try:
        window = MainWindow(store)
    except KzpkError as err:  # e.g. a big database whose damage shows on the first query
        if store is not None:
            store.close()
        store, error = None, str(err)
        window = MainWindow(None)
    if error:
        ask.error(window, "Cannot open database", error)
        _offer_restore(window, db_path, error)
    elif window.store is not None and window.store.damage:
        _offer_restore_of_open(window)
    if window.store is not None and window.article_model.rowCount() and not window.annotating.reopen_last():
        window.annotating.open_article_row(0)  # (the last article, where they were, else the first)
    _freeze_startup_objects()
    return window


def _freeze_startup_objects() -> None:
    """Keep the cyclic garbage collector's full passes out of the researcher's keystrokes.

    A full pass walks every tracked object: with the window, Qt wrappers and the store's
    cached orders built, one took ~9 ms, landing inside a tag or an article open now and then
    (the tag's p99, issue 20). Objects alive after start-up stay alive, so they are moved out
    of the collector's sight; later passes walk only what came since. No collect first: that
    would add its own pass to start-up.
    """
    import gc

    gc.freeze()
    gc.set_threshold(10_000, 50, 20)  # (700, 10, 10): a young pass every 700 objects, many per open


def _offer_restore_of_open(window: QMainWindow) -> None:
    """A damaged database opened read-only: say what is damaged, offer the newest backup."""
    from .core.backups import list_backups
    from .gui.ask import ask

    store = window.store  # type: ignore[attr-defined]
    found = list_backups(store.path)
    ask.error(window, "Database damaged", str(store.readonly_reason), "\n".join(store.damage))
    if found and ask.confirm(
        window,
        "Restore from backup",
        f"Restore the newest backup ({found[0].stem})? The damaged file is kept beside it, renamed.",
    ):
        window.db.restore_backup(found[0])  # type: ignore[attr-defined]


def _offer_restore(window: QMainWindow, db_path: str | Path | None, error: str) -> None:
    """A damaged database with backups: offer the newest one (the damaged file is kept aside)."""
    if db_path is None or "damaged" not in error:
        return
    from .core.backups import list_backups, restore
    from .gui.ask import ask

    found = list_backups(db_path)
    if found and ask.confirm(
        window,
        "Restore from backup",
        f"Restore the newest backup ({found[0].stem})? The damaged file is kept beside it, renamed.",
    ):
        try:
            restore(db_path, found[0])
        except KzpkError as err:
            ask.error(window, "Restore failed", str(err))
            return
        window.db.open_database(db_path)  # type: ignore[attr-defined]


def _install_excepthook() -> None:
    """An unexpected error shows a dialog and goes to a log file; the app keeps running."""
    log_dir = user_data_dir()
    log_dir.mkdir(parents=True, exist_ok=True)
    log_file = log_dir / "kzpk-desktop.log"
    if not any(isinstance(h, logging.FileHandler) and Path(h.baseFilename) == log_file for h in log.handlers):
        handler = logging.FileHandler(log_file, encoding="utf-8")
        handler.setFormatter(logging.Formatter("%(asctime)s %(levelname)s %(message)s"))
        log.addHandler(handler)
        log.setLevel(logging.INFO)

    def hook(kind: type[BaseException], value: BaseException, tb: TracebackType | None) -> None:
        details = "".join(traceback.format_exception(kind, value, tb))
        log.error("unexpected error\n%s", details)
        from .gui.ask import ask

        ask.error(
            QApplication.activeWindow(),
            "Unexpected error",
            f"Something went wrong: {value}. Your saved work is safe; details were logged to {log_file}.",
            details,
        )

    sys.excepthook = hook


def main(argv: Sequence[str] | None = None) -> int:
    parser = argparse.ArgumentParser(prog="kzpk-desktop", description="The kzpk annotation desk.")
    parser.add_argument("--version", action="version", version=f"kzpk-desktop {__version__}")
    parser.add_argument("--db", help=f"project database (default: last used, else {default_db_path()})")
    parser.add_argument("--quit-after", type=int, metavar="MS", help=argparse.SUPPRESS)  # smoke tests
    args, qt_args = parser.parse_known_args(argv)
    app = ensure_app([sys.argv[0], *qt_args])
    _install_excepthook()
    db = args.db
    if db is None:
        from .gui.main_window import app_settings

        last = app_settings().value("last_db")
        if last and Path(str(last)).exists():
            db = str(last)
    window = create_main_window(db)
    window.show()
    from PySide6.QtCore import QTimer

    if args.quit_after is not None:
        QTimer.singleShot(args.quit_after, window.close)
    else:
        QTimer.singleShot(0, window.help.first_run)  # type: ignore[attr-defined]
    return app.exec()


if __name__ == "__main__":
    sys.exit(main())
