"""Where things live: the user's data folder, the default database, seeds and resources.

Seeds and resources sit at the repository top level in a checkout and under
``kzpk_desktop/_data`` in an installed wheel; both are looked up here and nowhere else.
"""

from __future__ import annotations

import os
import sys
from pathlib import Path

APP_DIR_NAME = "kzpk_desktop"
_PACKAGE_DIR = Path(__file__).resolve().parent.parent


def user_data_dir() -> Path:
    """The per-user data folder (XDG on Linux, AppData on Windows, Application Support on macOS)."""
    override = os.environ.get("KZPK_DATA_DIR")
    if override:
        return Path(override)
    if sys.platform.startswith("win"):
        base = Path(os.environ.get("APPDATA", Path.home() / "AppData" / "Roaming"))
    elif sys.platform == "darwin":
        base = Path.home() / "Library" / "Application Support"
    else:
        base = Path(os.environ.get("XDG_DATA_HOME") or Path.home() / ".local" / "share")
    return base / APP_DIR_NAME


def default_db_path() -> Path:
    return user_data_dir() / "kzpk.db"


def _bundled(name: str) -> Path:
    installed = _PACKAGE_DIR / "_data" / name
    if installed.is_dir():
        return installed
    frozen = Path(getattr(sys, "_MEIPASS", "")) / name
    if getattr(sys, "frozen", False) and frozen.is_dir():
        return frozen
    return _PACKAGE_DIR.parent / name


def seeds_dir() -> Path:
    return _bundled("seeds")


def resources_dir() -> Path:
    return _bundled("resources")


def docs_dir() -> Path:
    return _bundled("docs")
