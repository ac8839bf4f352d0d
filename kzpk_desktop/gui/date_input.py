"""Date boxes read through the one parser (core.dates.parse_user_date), refusals shown.

A filter box that quietly ignores a date it cannot read looks applied while it filters
nothing; every box that takes a date reads it here and says what is wrong instead.
"""

from __future__ import annotations

from typing import TYPE_CHECKING

from PySide6.QtCore import Qt
from PySide6.QtWidgets import QLabel, QLineEdit, QWidget

if TYPE_CHECKING:
    from ..core.dates import DateError


def date_error_label(parent: QWidget | None = None) -> QLabel:
    """A hidden plain-text label that shows a refused date's sentence under the boxes."""
    label = QLabel(parent, objectName="dateError")
    label.setTextFormat(Qt.TextFormat.PlainText)
    label.setWordWrap(True)
    label.setStyleSheet("color: palette(link-visited);")
    label.hide()
    return label


def read_date_boxes(*boxes: tuple[QLineEdit, str]) -> tuple[str | None, ...]:
    """Each (box, name) read as an ISO date or None when blank; raises DateError (the first
    refusal) after marking every box: a refused box gets the sentence as its tooltip."""
    from ..core.dates import USER_DATE_FORMS, DateError, parse_user_date  # dateutil: not at start-up

    values: list[str | None] = []
    first: DateError | None = None
    for box, what in boxes:
        if box.property("dateHint") is None:
            box.setProperty("dateHint", box.toolTip() or f"{what}: {USER_DATE_FORMS}")
        try:
            values.append(parse_user_date(box.text(), what))
        except DateError as err:
            first = first or err
            box.setProperty("dateInvalid", True)
            box.setToolTip(str(err))
            values.append(None)
        else:
            box.setProperty("dateInvalid", False)
            box.setToolTip(str(box.property("dateHint")))
    if first is not None:
        raise first
    return tuple(values)
