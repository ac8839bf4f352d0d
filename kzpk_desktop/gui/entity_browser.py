"""The entity browser: every actor and agreement, their mentions, and suggested new ones.

A dock beside the desk. Clicking a mention opens the article at the span; "Find more
mentions" lists unannotated occurrences of the names and aliases, accepted with Y (or
Enter) and rejected with N, one by one or all at once.
"""

from __future__ import annotations

from typing import Any

from PySide6.QtCore import Qt, Signal
from PySide6.QtGui import QAction, QKeySequence
from PySide6.QtWidgets import (
    QCheckBox,
    QComboBox,
    QDialog,
    QDockWidget,
    QFormLayout,
    QHBoxLayout,
    QLabel,
    QLineEdit,
    QListWidget,
    QListWidgetItem,
    QPlainTextEdit,
    QPushButton,
    QSplitter,
    QTreeWidget,
    QTreeWidgetItem,
    QVBoxLayout,
    QWidget,
)

from ..core.entities import Suggestion
from ..core.rows import FieldChanges
from ..core.schema import ACTOR_TYPES, AGREEMENT_STATUSES, AGREEMENT_TYPES
from ..core.store import Store
from .plain import plain_label, plain_tip

EntityRole = Qt.ItemDataRole.UserRole + 10


class EntityDialog(QDialog):
    """Edit an entity's name, aliases and kind-specific attributes."""

    def __init__(self, store: Store, entity_id: int, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setObjectName("entityDialog")
        self.store = store
        self.entity = store.entities.get(entity_id)
        kind = self.entity.kind
        self.setWindowTitle(f"Edit {kind}: {self.entity.name}")
        self.name = QLineEdit(self.entity.name, objectName="entityName")
        self.aliases = QPlainTextEdit("\n".join(self.entity.aliases), objectName="entityAliases")
        self.aliases.setPlaceholderText("One alias per line, e.g. Ishaq Dar")
        self.aliases.setFixedHeight(80)
        form = QFormLayout(self)
        form.addRow("Name", self.name)
        form.addRow("Aliases", self.aliases)
        self.fields: dict[str, QComboBox | QLineEdit] = {}
        if kind == "actor":
            self._combo("actor_type", "Kind", ACTOR_TYPES, form)
            self._line("country", "Country", form)
            self._line("role", "Role", form)
        else:
            self._combo("agreement_type", "Type", AGREEMENT_TYPES, form)
            self._combo("agreement_status", "Status", AGREEMENT_STATUSES, form)
            self._line("date_raw", "Date", form)
            self.parties = {a.id: QCheckBox(a.name) for a in store.entities.all("actor")}
            box = QVBoxLayout()
            for aid, check in self.parties.items():
                check.setChecked(aid in self.entity.parties)
                box.addWidget(check)
            form.addRow("Parties", box)
        self._line("notes", "Notes", form)
        from .dialogs import _ok_buttons

        form.addRow(_ok_buttons(self))

    def _combo(self, key: str, label: str, values: tuple[str, ...], form: QFormLayout) -> None:
        box = QComboBox(objectName=f"entity_{key}")
        box.addItem("—", None)
        for v in values:
            box.addItem(v.replace("_", " "), v)
        box.setCurrentIndex(max(0, box.findData(getattr(self.entity, key))))
        self.fields[key] = box
        form.addRow(label, box)

    def _line(self, key: str, label: str, form: QFormLayout) -> None:
        edit = QLineEdit(getattr(self.entity, key) or "", objectName=f"entity_{key}")
        self.fields[key] = edit
        form.addRow(label, edit)

    def changes(self) -> tuple[FieldChanges, list[str], list[int] | None]:
        """(field changes, aliases, parties or None) as the dialog now says."""
        from ..core.dates import parse_date

        changes: FieldChanges = {"name": " ".join(self.name.text().split())}
        for key, widget in self.fields.items():
            changes[key] = widget.currentData() if isinstance(widget, QComboBox) else widget.text().strip() or None
        if "date_raw" in changes:
            parsed = parse_date(str(changes["date_raw"] or ""))
            changes.update(
                date=parsed.iso if parsed else None,
                date_precision=parsed.precision if parsed else None,
                date_raw=changes["date_raw"] if parsed else None,
            )
        changes["notes"] = changes.get("notes") or ""
        aliases = [a.strip() for a in self.aliases.toPlainText().splitlines() if a.strip()]
        parties = [aid for aid, c in self.parties.items() if c.isChecked()] if hasattr(self, "parties") else None
        return changes, aliases, parties


class EntityBrowser(QDockWidget):
    mentionActivated = Signal(int, str)  # article id, annotation id
    findRequested = Signal(int)  # entity id
    editRequested = Signal(int)
    mergeRequested = Signal(int)
    acceptRequested = Signal(list)  # [Suggestion]
    rejectRequested = Signal(list)

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__("Entities", parent)
        self.setObjectName("entityBrowser")
        self.store: Store | None = None
        self.tree = QTreeWidget(objectName="entityTree")
        self.tree.setHeaderLabels(["Entity", "Mentions"])
        self.tree.setRootIsDecorated(True)
        self.tree.setColumnWidth(0, 220)
        self.mentions = QListWidget(objectName="mentionList")
        self.suggestions = QListWidget(objectName="suggestionList")
        self.suggestion_label = plain_label(
            QLabel("Suggestions: select an entity and press Find more mentions (Ctrl+M).")
        )
        self.suggestion_label.setWordWrap(True)
        self.suggestion_label.setProperty("role", "muted")
        self.case_insensitive = QCheckBox("Ignore case", objectName="ignoreCase")
        self.case_insensitive.setChecked(True)
        self.find_button = QPushButton("Find more mentions", objectName="findMentionsButton")
        self.edit_button = QPushButton("Edit…", objectName="editEntityButton")
        self.merge_button = QPushButton("Merge into…", objectName="mergeEntityButton")
        self.accept_all = QPushButton("Accept all", objectName="acceptAllButton")
        self.actionAccept = QAction("Accept suggestion", self.suggestions, objectName="actionAcceptSuggestion")
        self.actionAccept.setShortcuts([QKeySequence(Qt.Key.Key_Y), QKeySequence(Qt.Key.Key_Return)])
        self.actionReject = QAction("Reject suggestion", self.suggestions, objectName="actionRejectSuggestion")
        self.actionReject.setShortcuts([QKeySequence(Qt.Key.Key_N), QKeySequence(Qt.Key.Key_Delete)])
        for a in (self.actionAccept, self.actionReject):
            a.setShortcutContext(Qt.ShortcutContext.WidgetShortcut)
            self.suggestions.addAction(a)
        self.suggestions.setContextMenuPolicy(Qt.ContextMenuPolicy.ActionsContextMenu)

        buttons = QHBoxLayout()
        for b in (self.edit_button, self.merge_button):
            buttons.addWidget(b)
        find_row = QHBoxLayout()
        find_row.addWidget(self.find_button)
        find_row.addWidget(self.case_insensitive)
        find_row.addStretch(1)
        find_row.addWidget(self.accept_all)
        top = QWidget()
        tl = QVBoxLayout(top)
        tl.setContentsMargins(0, 0, 0, 0)
        tl.addWidget(self.tree)
        tl.addLayout(buttons)
        middle = QWidget()
        ml = QVBoxLayout(middle)
        ml.setContentsMargins(0, 0, 0, 0)
        ml.addWidget(QLabel("Mentions (click to open)"))
        ml.addWidget(self.mentions)
        bottom = QWidget()
        bl = QVBoxLayout(bottom)
        bl.setContentsMargins(0, 0, 0, 0)
        bl.addLayout(find_row)
        bl.addWidget(self.suggestion_label)
        bl.addWidget(self.suggestions)
        split = QSplitter(Qt.Orientation.Vertical)
        for w in (top, middle, bottom):
            split.addWidget(w)
        self.setWidget(split)
        self._suggestions: list[Suggestion] = []

        self.tree.currentItemChanged.connect(lambda *_: self._show_mentions())
        self.mentions.itemClicked.connect(self._open_mention)
        self.mentions.itemActivated.connect(self._open_mention)
        self.find_button.clicked.connect(self._find)
        self.edit_button.clicked.connect(lambda: self._with_entity(self.editRequested.emit))
        self.merge_button.clicked.connect(lambda: self._with_entity(self.mergeRequested.emit))
        self.actionAccept.triggered.connect(lambda: self._decide(self.acceptRequested))
        self.actionReject.triggered.connect(lambda: self._decide(self.rejectRequested))
        self.accept_all.clicked.connect(lambda: self.acceptRequested.emit(list(self._suggestions)))

    def set_store(self, store: Store | None) -> None:
        self.store = store
        self.set_suggestions([])
        self._stale = True
        if self.isVisible():
            self.reload()

    def mark_stale(self) -> None:
        """Counts changed: reload now if shown, else the next time the dock is shown."""
        self._stale = True
        if self.isVisible():
            self.reload()

    def showEvent(self, event: Any) -> None:
        super().showEvent(event)
        if getattr(self, "_stale", False):
            self.reload()

    def current_entity(self) -> int | None:
        item = self.tree.currentItem()
        value = item.data(0, EntityRole) if item is not None else None
        return int(value) if value is not None else None

    def reload(self) -> None:
        """Rebuild the tree (entities are few compared with spans), keeping the selection."""
        self._stale = False
        keep = self.current_entity()
        self.tree.clear()
        if self.store is None:
            return
        for kind, title in (("actor", "Actors"), ("agreement", "Agreements")):
            top = QTreeWidgetItem([title, ""])
            top.setFlags(top.flags() & ~Qt.ItemFlag.ItemIsSelectable)
            self.tree.addTopLevelItem(top)
            for e in self.store.entities.all(kind):
                item = QTreeWidgetItem([e.name, str(e.mentions)])
                item.setData(0, EntityRole, e.id)
                item.setToolTip(0, plain_tip(f"Aliases: {' | '.join(e.aliases)}" if e.aliases else e.name))
                top.addChild(item)
                if e.id == keep:
                    self.tree.setCurrentItem(item)
            top.setExpanded(True)

    def select_entity(self, entity_id: int) -> bool:
        if getattr(self, "_stale", False):
            self.reload()
        for i in range(self.tree.topLevelItemCount()):
            top = self.tree.topLevelItem(i)
            for j in range(top.childCount() if top is not None else 0):
                child = top.child(j) if top is not None else None
                if child is not None and child.data(0, EntityRole) == entity_id:
                    self.tree.setCurrentItem(child)
                    return True
        return False

    def _show_mentions(self) -> None:
        self.mentions.clear()
        eid = self.current_entity()
        if eid is None or self.store is None:
            return
        for m in self.store.entities.mentions(eid):
            item = QListWidgetItem(f"{m.article_date or '—'}  “{m.text}” · {m.article_title[:60]}")
            item.setData(Qt.ItemDataRole.UserRole, (m.article_id, m.id))
            self.mentions.addItem(item)

    def _open_mention(self, item: QListWidgetItem) -> None:
        article_id, annotation_id = item.data(Qt.ItemDataRole.UserRole)
        self.mentionActivated.emit(article_id, annotation_id)

    def _with_entity(self, emit: Any) -> None:
        eid = self.current_entity()
        if eid is not None:
            emit(eid)

    def _find(self) -> None:
        self._with_entity(self.findRequested.emit)

    def set_suggestions(self, suggestions: list[Suggestion], titles: dict[int, str] | None = None) -> None:
        self._suggestions = list(suggestions)
        self.suggestions.clear()
        for s in self._suggestions:
            title = (titles or {}).get(s.article_id, f"article {s.article_id}")
            item = QListWidgetItem(f"“{s.text}” · {title[:60]} · {s.start}–{s.end}\n    {s.context}")
            item.setToolTip(plain_tip(s.context))
            self.suggestions.addItem(item)
        n = len(self._suggestions)
        self.suggestion_label.setText(
            f"{n} suggestion{'s' if n != 1 else ''}: Y or Enter accepts, N rejects."
            if n
            else "No unannotated mentions found."
        )
        self.accept_all.setEnabled(bool(n))
        if n:
            self.suggestions.setCurrentRow(0)

    def suggestions_list(self) -> list[Suggestion]:
        return list(self._suggestions)

    def _decide(self, signal: Any) -> None:
        row = self.suggestions.currentRow()
        if 0 <= row < len(self._suggestions):
            signal.emit([self._suggestions[row]])

    def drop_suggestions(self, done: list[Suggestion]) -> None:
        """Remove decided suggestions and move to the next one."""
        row = self.suggestions.currentRow()
        remaining = [s for s in self._suggestions if s not in done]
        titles = {}
        if self.store is not None:
            titles = {s.article_id: self.store.articles.get(s.article_id).title for s in remaining}
        self.set_suggestions(remaining, titles)
        if remaining:
            self.suggestions.setCurrentRow(min(max(row, 0), len(remaining) - 1))
