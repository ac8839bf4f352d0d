"""Desktop integration files are well formed."""

from __future__ import annotations

import configparser
import shutil
import subprocess
from pathlib import Path
from xml.etree import ElementTree as ET

import pytest

ROOT = Path(__file__).resolve().parent.parent
METAINFO = ROOT / "packaging" / "io.github.kzpk.kzpk_desktop.metainfo.xml"


def test_desktop_entry_launches_the_gui_with_its_icon() -> None:
    entry = configparser.ConfigParser(interpolation=None)
    entry.optionxform = str  # type: ignore[assignment,method-assign]
    entry.read(ROOT / "resources" / "kzpk-desktop.desktop", encoding="utf-8")
    d = entry["Desktop Entry"]
    assert d["Type"] == "Application" and d["Exec"].split()[0] == "kzpk-desktop"
    assert d["Icon"] == "kzpk-desktop" and (ROOT / "resources" / "icons" / "kzpk-desktop.svg").exists()
    assert d["Categories"].endswith(";")


def test_metainfo_names_the_launchable_and_binaries() -> None:
    root = ET.parse(METAINFO).getroot()
    assert root.get("type") == "desktop-application"
    assert root.findtext("launchable") == "kzpk-desktop.desktop"
    assert {b.text for b in root.iter("binary")} == {"kzpk", "kzpk-desktop"}


@pytest.mark.skipif(shutil.which("appstreamcli") is None, reason="appstreamcli (Debian: appstream) not installed")
def test_metainfo_validates_with_appstreamcli() -> None:
    r = subprocess.run(["appstreamcli", "validate", "--no-net", str(METAINFO)], capture_output=True, text=True)
    assert r.returncode == 0, r.stdout + r.stderr


def test_app_icons_exist_in_every_size() -> None:
    for size in (16, 24, 32, 48, 64, 128, 256, 512):
        png = ROOT / "resources" / "icons" / "app" / f"kzpk-desktop-{size}.png"
        assert png.read_bytes()[:8] == b"\x89PNG\r\n\x1a\n"
