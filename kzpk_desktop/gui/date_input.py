"""Date boxes read through the one parser (core.dates.parse_user_date), refusals shown.

A filter box that quietly ignores a date it cannot read looks applied while it filters
nothing; every box that takes a date reads it here and says what is wrong instead.
"""

from __future__ import annotations

from typing import TYPE_CHECKING

from PySide6.QtCore import Qt
from PySide6.QtWidgets import QLabel, QLineEdit, QWidget

from .plain import plain_tip

if TYPE_CHECKING:
    from ..core.dates import DateError


def date_error_label(parent: QWidget | None = None) -> QLabel:
    """A hidden plain-text label that shows a refused date's sentence under the boxes."""
    label: QLabel = QLabel(parent)
    label.setObjectName("dateError")
    label.setTextFormat(Qt.TextFormat.PlainText)
    label.setWordWrap(True)
    label.setStyleSheet("color: palette(link-visited);")
    label.hide()
    return label


def read_date_boxes(*boxes: tuple[QLineEdit, str]) -> tuple[str | None, ...]:
    """Each (box, name) read as an ISO date or None when blank; raises DateError (the first
    refusal) after marking every box. The sentence quotes what was typed, so it is shown by
    the caller as plain text, never as a tooltip (Qt guesses rich text in tooltips)."""
    from ..core.dates import USER_DATE_FORMS, DateError, parse_user_date  # dateutil: not at start-up

    values: list[str | None] = []
    first: DateError | None = None
    for box, what in boxes:
        if not box.toolTip():
            box.setToolTip(plain_tip(f"{what}: {USER_DATE_FORMS}"))
        try:
            values.append(parse_user_date(box.text(), what))
        except DateError as err:
            first = first or err
            box.setProperty("dateInvalid", True)
            values.append(None)
        else:
            box.setProperty("dateInvalid", False)
        box.style().unpolish(box)  # re-read the style sheet: [dateInvalid="true"] draws a red frame
        box.style().polish(box)
    if first is not None:
        raise first
    return tuple(values)
