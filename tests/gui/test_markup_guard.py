"""A grep guard: the GUI has no way to render stored text as markup except through ``plain``."""

from __future__ import annotations

import re
from pathlib import Path

import kzpk_desktop.gui

GUI = Path(kzpk_desktop.gui.__file__).parent
RICH = re.compile(r"setHtml\(|insertHtml\(|setMarkdown\(|RichText|AutoText|MarkdownText|mightBeRichText")
TIP = re.compile(r"setToolTip\(|ToolTipRole\)|QToolTip\.showText\(")
SAFE_TIP = re.compile(r"""setToolTip\((\d+,\s*)?("[^"{}]*"\)|plain_tip\()|plain_tip\(|showText\([^,]+,\s*tip,""")


def gui_lines() -> list[tuple[str, int, str]]:
    return [
        (p.name, i, line)
        for p in sorted(GUI.glob("*.py"))
        if p.name != "plain.py"
        for i, line in enumerate(p.read_text(encoding="utf-8").splitlines(), 1)
    ]


def test_no_rich_text_and_every_tooltip_is_a_literal_or_goes_through_plain_tip() -> None:
    assert [(f, i, line.strip()) for f, i, line in gui_lines() if RICH.search(line)] == []
    unsafe = [
        (f, i, line.strip())
        for f, i, line in gui_lines()
        if TIP.search(line)
        and not SAFE_TIP.search(line)
        and "_HANDLED" not in line
        and "role not in" not in line
        and "if role ==" not in line
    ]
    assert unsafe == []


def test_message_boxes_only_in_the_ask_seam() -> None:
    assert [(f, i, line.strip()) for f, i, line in gui_lines() if "QMessageBox" in line and f != "ask.py"] == []
