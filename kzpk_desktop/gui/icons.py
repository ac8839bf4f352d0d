"""Icons from ``resources/icons`` (SVG, so they stay crisp at any DPI)."""

from __future__ import annotations

from functools import cache

from PySide6.QtGui import QColor, QIcon, QPainter, QPixmap

from ..core.paths import resources_dir


@cache
def icon(name: str) -> QIcon:
    path = resources_dir() / "icons" / f"{name}.svg"
    return QIcon(str(path)) if path.exists() else QIcon()


def swatch(color: str, size: int = 14) -> QIcon:
    """A rounded colour chip for labels without an icon of their own."""
    pix = QPixmap(size * 2, size * 2)
    pix.setDevicePixelRatio(2.0)
    pix.fill(QColor(0, 0, 0, 0))
    p = QPainter(pix)
    p.setRenderHint(QPainter.RenderHint.Antialiasing)
    p.setBrush(QColor(color))
    p.setPen(QColor(color).darker(130))
    p.drawRoundedRect(1, 1, size - 2, size - 2, 3, 3)
    p.end()
    return QIcon(pix)


def label_icon(label_id: str, color: str) -> QIcon:
    found = icon(f"tag-{label_id}")
    return found if not found.isNull() else swatch(color)
