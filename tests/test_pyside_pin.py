"""Regression for the PySide6 6.12.0 / CPython 3.11 'none_dealloc' abort.

That pair drops a reference to None on every Qt call that returns nothing; after a few
thousand calls the interpreter aborts. The dependency pin must never allow it, and a
few hundred thousand such calls must run clean on whatever is installed.
"""

from __future__ import annotations

import subprocess
import sys
import tomllib
from pathlib import Path

from packaging.markers import Marker  # type: ignore[import-not-found]
from packaging.requirements import Requirement  # type: ignore[import-not-found]
from packaging.version import Version  # type: ignore[import-not-found]

ROOT = Path(__file__).resolve().parent.parent
CALLS = 300_000

SCRIPT = f"""
import os, sys
os.environ.setdefault("QT_QPA_PLATFORM", "offscreen")
from PySide6.QtWidgets import QApplication
from PySide6.QtGui import QTextCursor, QTextDocument, QTextCharFormat
app = QApplication([])
doc = QTextDocument("x" * 2000)
cur = QTextCursor(doc)
fmt = QTextCharFormat()
before = sys.getrefcount(None)
for i in range({CALLS} // 3):
    cur.setPosition(i % 1000)                               # returns None
    cur.setPosition(i % 1000 + 5, QTextCursor.MoveMode.KeepAnchor)
    cur.mergeCharFormat(fmt)                                # returns None
print("ok", {CALLS})
"""


def test_many_void_qt_calls_do_not_abort_the_interpreter() -> None:
    r = subprocess.run([sys.executable, "-c", SCRIPT], capture_output=True, text=True, timeout=300)
    assert r.returncode == 0, r.stderr[-2000:]
    assert r.stdout.strip() == f"ok {CALLS}"


def test_pin_excludes_the_crashing_pair_for_every_python() -> None:
    deps = tomllib.loads((ROOT / "pyproject.toml").read_text())["project"]["dependencies"]
    pyside = [Requirement(d) for d in deps if d.lower().startswith("pyside6")]
    assert pyside
    for py in ("3.11", "3.12", "3.13"):
        env = {"python_version": py, "python_full_version": py + ".0"}
        active = [r for r in pyside if r.marker is None or Marker(str(r.marker)).evaluate(env)]
        assert len(active) == 1, py
        allows_612 = active[0].specifier.contains(Version("6.12.0"))
        assert allows_612 == (py != "3.11"), (py, str(active[0]))
