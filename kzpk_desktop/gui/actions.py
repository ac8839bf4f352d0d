"""The action registry: one table of every desk action (id, text, keys, when it is enabled,
where it shows). It builds the QActions, the menus and the toolbar, feeds F1's keyboard map,
and prints the README's keyboard table (a test keeps the README equal to it).

The registry maps ids to the callables it is handed, so it imports no coordinator.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable, Mapping, Sequence
from dataclasses import dataclass
from typing import Any

from PySide6.QtCore import Qt
from PySide6.QtGui import QAction, QKeySequence
from PySide6.QtWidgets import QMainWindow, QMenu, QToolBar, QWidget

from ..core.rows import Label
from .icons import icon, label_icon
from .plain import plain_tip

# When an action is enabled: the window passes the truth of each condition on every update.
ALWAYS, DATABASE, ARTICLE, ANNOTATION, ENTITY_SPAN, UNDO, REDO = (
    "always",
    "database",
    "article",
    "annotation",
    "entity_span",
    "undo",
    "redo",
)


@dataclass(frozen=True)
class ActionSpec:
    id: str  # the QAction's objectName, stable for tests and scripts
    text: str
    keys: tuple[str, ...] = ()  # portable key strings ("Ctrl+I")
    icon: str = ""
    tip: str = ""
    desk: bool = False  # its keys act only while the reader or the annotation list has focus
    enabled: str = ALWAYS
    checkable: bool = False
    icon_text: str = ""
    help: str = ""  # what the keyboard map says (default: the text)


SPECS: tuple[ActionSpec, ...] = (
    ActionSpec("actionNewDatabase", "&New database…", ("Ctrl+N",), "new"),
    ActionSpec("actionOpenDatabase", "&Open database…", ("Ctrl+O",), "open"),
    ActionSpec("actionImport", "&Import articles…", ("Ctrl+I",), "import", "Import article files", enabled=DATABASE),
    ActionSpec("actionImportFolder", "Import &folder…", ("Ctrl+Shift+I",), "import", enabled=DATABASE),
    ActionSpec(
        "actionExport",
        "&Export dataset…",
        ("Ctrl+E",),
        "export",
        "CSV, spreadsheets and the standard formats",
        enabled=DATABASE,
    ),
    ActionSpec(
        "actionBackupNow", "&Back up now", (), "", "Copy the database to the rolling backups folder", enabled=DATABASE
    ),
    ActionSpec("actionRestoreBackup", "&Restore from backup…", enabled=DATABASE),
    ActionSpec(
        "actionMergeDatabase",
        "&Merge a colleague's database…",
        (),
        "",
        "Bring a coder's copy into this one; items changed on both sides wait for you",
        enabled=DATABASE,
    ),
    ActionSpec("actionMergeConflicts", "Merge &conflicts…", enabled=DATABASE),
    ActionSpec("actionQuit", "&Quit", ("Ctrl+Q",)),
    ActionSpec(
        "actionUndo",
        "&Undo",
        ("Ctrl+Z",),
        "undo",
        enabled=UNDO,
        icon_text="Undo",
        help="undo the last change (every change is undoable)",
    ),
    ActionSpec("actionRedo", "&Redo", ("Ctrl+Shift+Z", "Ctrl+Y"), "redo", enabled=REDO, icon_text="Redo"),
    ActionSpec(
        "actionDeleteAnnotation",
        "&Delete annotation",
        ("Delete", "Backspace"),
        "delete",
        "Remove the selected annotation (undoable)",
        desk=True,
        enabled=ANNOTATION,
        icon_text="Delete",
    ),
    ActionSpec(
        "actionSnapWords",
        "&Snap selections to words",
        (),
        "snap",
        "Widen selections to whole words, trim spaces",
        checkable=True,
        icon_text="Snap to words",
    ),
    ActionSpec(
        "actionFocusSearch", "&Find articles", ("Ctrl+Shift+F",), "search", help="search the articles (full text)"
    ),
    ActionSpec(
        "actionFindInArticle",
        "Find in &article…",
        ("Ctrl+F",),
        "search",
        enabled=ARTICLE,
        help="find in the open article (Enter: next, Esc: back to the text)",
    ),
    ActionSpec("actionFindNext", "Find next", ("F3",), enabled=ARTICLE),
    ActionSpec("actionFindPrevious", "Find previous", ("Shift+F3",), enabled=ARTICLE),
    ActionSpec("actionZoomIn", "Zoom &in", ("Ctrl+=", "Ctrl++"), help="larger reading text (remembered)"),
    ActionSpec("actionZoomOut", "Zoom &out", ("Ctrl+-",), help="smaller reading text"),
    ActionSpec("actionZoomReset", "&Actual size", ("Ctrl+0",), help="reading text at its normal size"),
    ActionSpec(
        "actionSpanEndRight",
        "Move span end right",
        ("Shift+Alt+Right",),
        desk=True,
        enabled=ANNOTATION,
        help="resize the selected span: its end one character right (links and history kept)",
    ),
    ActionSpec(
        "actionSpanEndLeft",
        "Move span end left",
        ("Shift+Alt+Left",),
        desk=True,
        enabled=ANNOTATION,
        help="resize: the end one character left",
    ),
    ActionSpec(
        "actionSpanStartLeft",
        "Move span start left",
        ("Ctrl+Shift+Alt+Left",),
        desk=True,
        enabled=ANNOTATION,
        help="resize: the start one character left",
    ),
    ActionSpec(
        "actionSpanStartRight",
        "Move span start right",
        ("Ctrl+Shift+Alt+Right",),
        desk=True,
        enabled=ANNOTATION,
        help="resize: the start one character right",
    ),
    ActionSpec(
        "actionEditArticle",
        "Edit article &details…",
        ("Ctrl+Shift+D",),
        "",
        "Correct the title, date, outlet, URL, language or author (undoable)",
        enabled=ARTICLE,
        help="edit the open article's title, date, outlet, URL, language, author",
    ),
    ActionSpec("actionNextArticle", "Next article", ("Ctrl+Down",)),
    ActionSpec("actionPreviousArticle", "Previous article", ("Ctrl+Up",)),
    ActionSpec("actionPreferences", "&Preferences…", ("Ctrl+,",)),
    ActionSpec(
        "actionLinkSpans",
        "&Link to another span…",
        ("L",),
        "",
        "Then click the target: claim → actor (said by), agreement → actor (party), claim → agreement (about)",
        desk=True,
        enabled=ANNOTATION,
        help="link the selected span: then click the target",
    ),
    ActionSpec("actionCancelLink", "Cancel link", ("Esc",)),
    ActionSpec(
        "actionNewEntity",
        "&New entity from span",
        ("N",),
        "",
        "Create the actor or agreement this span names and link it",
        desk=True,
        enabled=ENTITY_SPAN,
    ),
    ActionSpec(
        "actionFindMentions",
        "Find more &mentions",
        ("Ctrl+M",),
        "search",
        "Unannotated occurrences of the selected span's entity",
        enabled=ANNOTATION,
        help="find more mentions of the span's entity (Y accepts, N rejects)",
    ),
    ActionSpec(
        "actionMarkAnnotated",
        "Mark article &annotated",
        ("Ctrl+Return",),
        "",
        "Set this article's progress to Annotated",
        enabled=ARTICLE,
    ),
    ActionSpec("actionAddLabel", "Add &label…", (), "label-add", enabled=DATABASE),
    ActionSpec("actionShowEntities", "&Entities", ("Ctrl+Shift+E",), checkable=True, help="show the entities panel"),
    ActionSpec(
        "actionStartReview",
        "Start &review session…",
        ("Ctrl+R",),
        "review",
        "Go through claims one by one: decide, give a verdict and evidence",
        enabled=DATABASE,
        icon_text="Review",
    ),
    ActionSpec(
        "actionReviewSummary",
        "Review &summary",
        ("Ctrl+Shift+S",),
        "",
        "Counts by verdict, label, article and reviewer",
        enabled=DATABASE,
    ),
    ActionSpec(
        "actionShowHistory",
        "Annotation &history",
        ("Ctrl+H",),
        "",
        "Every change to the selected annotation: who, when, old and new values",
        enabled=ANNOTATION,
    ),
    ActionSpec(
        "actionCurate",
        "&Curate this article…",
        ("Ctrl+Shift+G",),
        "",
        "Each coder's spans in a lane: take A's, B's, both or neither into the gold layer",
        enabled=ARTICLE,
        help="curate the open article: each coder's spans in a lane, keys take them into the gold layer",
    ),
    ActionSpec(
        "actionAgreement",
        "&Agreement report",
        (),
        "",
        "How far coders and reviewers agree: α and κ per label, verdicts, statuses",
        enabled=DATABASE,
    ),
    ActionSpec("actionShortcuts", "&Keyboard shortcuts", ("F1",), "help"),
    ActionSpec("actionUserGuide", "&User guide", (), "help"),
    ActionSpec("actionWelcome", "&Welcome"),
    ActionSpec("actionAbout", "&About kzpk_desktop"),
)
SPEC_BY_ID = {s.id: s for s in SPECS}

# Menus and toolbar by id; "-" is a separator, "@tags" the label actions, "@recent" the recent files.
MENUS: tuple[tuple[str, tuple[str, ...]], ...] = (
    (
        "&File",
        (
            "actionNewDatabase",
            "actionOpenDatabase",
            "@recent",
            "-",
            "actionImport",
            "actionImportFolder",
            "actionExport",
            "-",
            "actionBackupNow",
            "actionRestoreBackup",
            "-",
            "actionMergeDatabase",
            "actionMergeConflicts",
            "-",
            "actionQuit",
        ),
    ),
    (
        "&Edit",
        (
            "actionUndo",
            "actionRedo",
            "-",
            "actionDeleteAnnotation",
            "actionSnapWords",
            "-",
            "actionFocusSearch",
            "actionFindInArticle",
            "actionFindNext",
            "actionFindPrevious",
            "-",
            "actionEditArticle",
            "actionNextArticle",
            "actionPreviousArticle",
            "-",
            "actionPreferences",
        ),
    ),
    (
        "&Annotate",
        (
            "@tags",
            "-",
            "actionDeleteAnnotation",
            "actionLinkSpans",
            "actionNewEntity",
            "actionFindMentions",
            "-",
            "actionSpanEndRight",
            "actionSpanEndLeft",
            "actionSpanStartLeft",
            "actionSpanStartRight",
            "-",
            "actionMarkAnnotated",
            "actionAddLabel",
        ),
    ),
    (
        "&Review",
        ("actionStartReview", "actionReviewSummary", "actionShowHistory", "-", "actionCurate", "actionAgreement"),
    ),
    ("&View", ("actionShowEntities", "-", "actionZoomIn", "actionZoomOut", "actionZoomReset")),
    ("&Help", ("actionShortcuts", "actionUserGuide", "actionWelcome", "-", "actionAbout")),
)
TOOLBAR = (
    "actionImport",
    "actionExport",
    "-",
    "actionUndo",
    "actionRedo",
    "-",
    "@tags",
    "actionDeleteAnnotation",
    "-",
    "actionStartReview",
    "actionSnapWords",
)


def tag_action_name(label_id: str) -> str:
    """``actionTagClaim`` for ``claim``: the stable object name of a label's tag action."""
    return "actionTag" + "".join(part.capitalize() for part in label_id.split("_"))


def label_keys(label: Label) -> tuple[str, ...]:
    return tuple(k for k in (label.shortcut, label.alt_shortcut) if k)


def keyboard_rows(labels: Iterable[Label]) -> list[tuple[str, str]]:
    """(keys, what it does) for every action with keys: the keyboard map (F1) and the README."""
    rows = [
        (" or ".join(f"`{k}`" for k in label_keys(lab)), f"tag the selection as **{lab.name}**")
        for lab in labels
        if label_keys(lab)
    ]
    for spec in SPECS:
        if spec.keys:
            what = spec.help or spec.text.replace("&", "").rstrip("…").lower()
            rows.append((" or ".join(f"`{k}`" for k in spec.keys), what))
    return rows


def keyboard_markdown(labels: Iterable[Label]) -> str:
    """The README's keyboard table, generated (``python -m kzpk_desktop.gui.actions``)."""
    lines = ["| Keys | Action |", "|---|---|"]
    lines += [f"| {keys} | {what} |" for keys, what in keyboard_rows(labels)]
    return "\n".join(lines)


class ActionRegistry:
    """Builds and owns the window's QActions from :data:`SPECS` and the handlers it is given."""

    def __init__(
        self, window: QMainWindow, handlers: Mapping[str, Callable[..., Any]], desk_widgets: Sequence[QWidget]
    ) -> None:
        self.window = window
        self.desk_widgets = list(desk_widgets)
        self.actions: dict[str, QAction] = {}
        self.tag_actions: dict[str, QAction] = {}
        self.labels: list[Label] = []
        missing = {s.id for s in SPECS} - set(handlers)
        if missing:
            raise ValueError(f"actions without a handler: {', '.join(sorted(missing))}")
        for spec in SPECS:
            self.actions[spec.id] = self._make(spec, handlers[spec.id])
        self.menus: dict[str, QMenu] = {}
        self.toolbar: QToolBar | None = None
        self.recent_menu: QMenu | None = None

    def _make(self, spec: ActionSpec, handler: Callable[..., Any]) -> QAction:
        action = QAction(spec.text, self.window)  # parented to the window: it lives as long as it
        action.setObjectName(spec.id)
        if spec.icon:
            action.setIcon(icon(spec.icon))
        if spec.icon_text:
            action.setIconText(spec.icon_text)
        action.setShortcuts([QKeySequence(k) for k in spec.keys])
        if spec.tip:
            action.setStatusTip(spec.tip)
            action.setToolTip(plain_tip(f"{spec.text.replace('&', '')} — {spec.tip}"))
        action.setCheckable(spec.checkable)
        action.triggered.connect(handler)
        if spec.desk:
            action.setShortcutContext(Qt.ShortcutContext.WidgetWithChildrenShortcut)
            for widget in self.desk_widgets:
                widget.addAction(action)
        else:
            self.window.addAction(action)
        return action

    def __getitem__(self, action_id: str) -> QAction:
        found = self.actions.get(action_id)
        if found is None:
            found = next((a for a in self.tag_actions.values() if a.objectName() == action_id), None)
        if found is None:
            raise KeyError(action_id)
        return found

    def set_labels(self, labels: Sequence[Label], tag: Callable[[str], Any], reader: QWidget) -> None:
        """One tag action per label (keys act only in the reader, so typing elsewhere is safe)."""
        for action in self.tag_actions.values():
            reader.removeAction(action)
            action.setParent(None)  # gone from findChild at once, not only after deleteLater runs
            action.deleteLater()
        self.tag_actions, self.labels = {}, list(labels)
        for lab in labels:
            keys = [QKeySequence(k) for k in label_keys(lab)]
            action = QAction(label_icon(lab.id, lab.color), f"Tag as {lab.name}", self.window)
            action.setObjectName(tag_action_name(lab.id))
            action.setIconText(lab.name)
            action.setShortcuts(keys)
            action.setShortcutContext(Qt.ShortcutContext.WidgetWithChildrenShortcut)
            hint = " / ".join(k.toString() for k in keys)
            action.setToolTip(plain_tip(f"Tag the selection as {lab.name}" + (f" ({hint})" if hint else "")))
            action.setStatusTip(str(lab.description or ""))
            action.triggered.connect(lambda _checked=False, lid=lab.id: tag(lid))
            reader.addAction(action)
            self.tag_actions[lab.id] = action
        if self.menus:
            self.fill_menus()

    def build_menus(self) -> None:
        bar = self.window.menuBar()
        for title, _ids in MENUS:
            menu = bar.addMenu(title)
            menu.setObjectName("menu" + title.replace("&", ""))
            self.menus[title] = menu
        self.toolbar = QToolBar("Main toolbar", objectName="mainToolbar")
        self.toolbar.setToolButtonStyle(Qt.ToolButtonStyle.ToolButtonTextBesideIcon)
        self.toolbar.setMovable(False)
        self.window.addToolBar(self.toolbar)
        self.fill_menus()

    def _fill(self, target: QMenu | QToolBar, ids: Sequence[str]) -> None:
        target.clear()
        for item in ids:
            if item == "-":
                target.addSeparator()
            elif item == "@tags":
                target.addActions(list(self.tag_actions.values()))
            elif item == "@recent" and isinstance(target, QMenu):
                self.recent_menu = target.addMenu("Open &recent")
                self.recent_menu.setObjectName("recentMenu")
            else:
                target.addAction(self.actions[item])

    def fill_menus(self) -> None:
        for title, ids in MENUS:
            self._fill(self.menus[title], ids)
        if self.toolbar is not None:
            self._fill(self.toolbar, TOOLBAR)

    def update(self, conditions: Mapping[str, bool]) -> None:
        """Enable each action by its ``enabled`` condition; tag actions need an open article."""
        for spec in SPECS:
            if spec.enabled != ALWAYS:
                self.actions[spec.id].setEnabled(bool(conditions.get(spec.enabled)))
        for action in self.tag_actions.values():
            action.setEnabled(bool(conditions.get(ARTICLE)))

    def keyboard_map(self) -> list[tuple[str, str]]:
        """(action, keys) as the platform writes them, for the F1 dialog."""
        out = []
        for action in [*self.tag_actions.values(), *self.actions.values()]:
            if action.shortcuts():
                keys = ", ".join(s.toString(QKeySequence.SequenceFormat.NativeText) for s in action.shortcuts())
                out.append((action.text().replace("&", ""), keys))
        return out


if __name__ == "__main__":  # print the README's keyboard table
    from ..core.schema import default_labels

    print(keyboard_markdown([Label(**lab) for lab in default_labels()]))
