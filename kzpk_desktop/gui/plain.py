"""Stored and imported text shown in Qt is never read as markup.

Titles, notes, names, quotes and URLs come from files and other people. A QLabel in
its default ``AutoText`` mode, a QMessageBox, and every tooltip run ``Qt::mightBeRichText``
on what they are given, so a title holding ``<img src=/dev/zero>`` would make Qt open that
file. Labels that show such text are switched to ``Qt.PlainText`` (:func:`plain_label`);
tooltips cannot be, so their text is escaped here and wrapped in a paragraph that keeps
spaces and line breaks (:func:`plain_tip`). This is the one place the GUI does either.
"""

from __future__ import annotations

import html
from typing import TypeVar

from PySide6.QtCore import Qt
from PySide6.QtWidgets import QLabel, QWidget

_W = TypeVar("_W", bound=QWidget)

_TIP_OPEN = "<p style='white-space:pre-wrap'>"


def escape(text: object) -> str:
    """``text`` as literal characters inside markup the GUI writes itself."""
    return html.escape(str(text), quote=True)


def plain_tip(text: object) -> str:
    """A tooltip (or ToolTipRole value) that Qt shows as exactly ``text``; "" stays "" (no tip)."""
    text = "" if text is None else str(text)
    return f"{_TIP_OPEN}{escape(text)}</p>" if text else ""


def tip_html(*parts: str) -> str:
    """Join tooltip markup built with :func:`escape` into one paragraph block (see ``reader``)."""
    return f"{_TIP_OPEN}{''.join(parts)}</p>"


def plain_label(label: QLabel) -> QLabel:
    """Make ``label`` show its text literally, whatever it holds."""
    label.setTextFormat(Qt.TextFormat.PlainText)
    return label


def plain_labels(widget: _W) -> _W:
    """Every QLabel inside ``widget`` (a message box, an input or progress dialog) as plain text."""
    for label in widget.findChildren(QLabel):
        plain_label(label)
    return widget


__all__ = ["escape", "plain_label", "plain_labels", "plain_tip", "tip_html"]
