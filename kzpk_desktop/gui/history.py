"""An annotation's history: every change from the append-only log, oldest first."""

from __future__ import annotations

import json

from PySide6.QtWidgets import QDialog, QHeaderView, QTableWidget, QTableWidgetItem, QVBoxLayout, QWidget

from ..core.rows import HistoryEntry
from ..core.store import Store

HIDDEN = {"updated_at", "created_at", "id", "article_id"}


def describe_change(entry: HistoryEntry) -> str:
    """'status: unreviewed → accepted; verdict: — → supported' (or the span for create/delete)."""
    before = json.loads(entry.before) if entry.before else {}
    after = json.loads(entry.after) if entry.after else {}
    if entry.action in ("create", "delete"):
        row = after or before
        quote = " ".join(str(row.get("text", "")).split())[:60]
        return f"{row.get('label', '')} “{quote}” {row.get('start', '')}–{row.get('end', '')}"
    parts = []
    for key in sorted(set(before) | set(after)):
        if key in HIDDEN or key == "session":
            continue
        old, new = before.get(key), after.get(key)
        if old == new:
            continue
        if key == "evidence":
            old = ", ".join(e["url"] for e in old or []) or None
            new = ", ".join(e["url"] for e in new or []) or None
        parts.append(f"{key}: {old if old not in (None, '') else '—'} → {new if new not in (None, '') else '—'}")
    return "; ".join(parts) or "(no visible change)"


class HistoryDialog(QDialog):
    def __init__(self, store: Store, annotation_id: str, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setObjectName("historyDialog")
        self.setWindowTitle("Annotation history")
        entries = store.history.entries("annotation", annotation_id)
        self.table = QTableWidget(len(entries), 4, objectName="historyTable")
        self.table.setHorizontalHeaderLabels(["When (UTC)", "Who", "Action", "Change"])
        self.table.verticalHeader().hide()
        self.table.setEditTriggers(QTableWidget.EditTrigger.NoEditTriggers)
        for r, e in enumerate(entries):
            for c, value in enumerate((e.at.replace("T", " ")[:19], e.who or "—", e.action, describe_change(e))):
                self.table.setItem(r, c, QTableWidgetItem(value))
        self.table.resizeColumnsToContents()
        self.table.horizontalHeader().setSectionResizeMode(3, QHeaderView.ResizeMode.Stretch)
        layout = QVBoxLayout(self)
        layout.addWidget(self.table)
        self.resize(860, 360)
