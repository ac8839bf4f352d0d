"""When Qt's platform plugin cannot load, one sentence names what to install (or why)."""

from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path

from kzpk_desktop.app import _debian_package, missing_platform_libraries

ROOT = Path(__file__).resolve().parent.parent


def test_library_sonames_map_to_debian_package_names() -> None:
    assert [
        _debian_package(s)
        for s in (
            "libxcb-icccm.so.4",
            "libxcb-keysyms.so.1",
            "libxcb-cursor.so.0",
            "libxkbcommon-x11.so.0",
            "libX11-xcb.so.1",
            "libEGL.so.1",
            "libdbus-1.so.3",
            "libxcb-render-util.so.0",
        )
    ] == [
        "libxcb-icccm4",
        "libxcb-keysyms1",
        "libxcb-cursor0",
        "libxkbcommon-x11-0",
        "libx11-xcb1",
        "libegl1",
        "libdbus-1-3",
        "libxcb-render-util0",
    ]


def test_a_platform_plugin_that_cannot_load_gives_one_sentence(tmp_path: Path) -> None:
    env = {k: v for k, v in os.environ.items() if k not in ("QT_QPA_PLATFORM", "WAYLAND_DISPLAY")}
    env.update(
        DISPLAY=":97",
        KZPK_DATA_DIR=str(tmp_path / "data"),
        XDG_CONFIG_HOME=str(tmp_path / "config"),
        QT_QPA_PLATFORM="xcb",
    )
    r = subprocess.run(
        [sys.executable, "-m", "kzpk_desktop", "--db", str(tmp_path / "x.db"), "--quit-after", "1"],
        cwd=ROOT,
        capture_output=True,
        text=True,
        env=env,
        timeout=120,
    )
    lines = [x for x in r.stderr.splitlines() if x.strip()]
    assert r.returncode == 1, r.stderr
    assert len(lines) == 1 and lines[0].startswith("kzpk-desktop: ") and "Traceback" not in r.stderr, r.stderr
    missing = missing_platform_libraries()
    if missing:  # this machine lacks some: exactly those are named (Qt itself names libxcb-cursor0)
        assert lines[0].endswith(f"sudo apt-get install {' '.join(missing)}.")
    else:  # all there, but no X server on :97
        assert "apt-get install" in lines[0] or "display" in lines[0]
