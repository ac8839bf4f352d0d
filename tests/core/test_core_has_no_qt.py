"""The core never imports Qt: import every core module in a fresh interpreter and look."""

from __future__ import annotations

import pkgutil
import subprocess
import sys

import kzpk_desktop.core as core


def test_core_modules_import_without_qt() -> None:
    names = [f"kzpk_desktop.core.{m.name}" for m in pkgutil.walk_packages(core.__path__)]
    names += ["kzpk_desktop.cli"]
    code = (
        "import importlib, sys\n"
        f"for n in {names!r}: importlib.import_module(n)\n"
        "bad = sorted(m for m in sys.modules if m.startswith(('PySide6', 'shiboken6', 'PyQt')))\n"
        "print(bad); sys.exit(1 if bad else 0)\n"
    )
    result = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, timeout=60)
    assert result.returncode == 0, result.stdout + result.stderr
    assert len(names) >= 12
