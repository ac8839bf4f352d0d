"""The action registry: one table of every desk action (id, text, keys, when it is enabled,
where it shows). It builds the QActions, the menus and the toolbar, feeds F1's keyboard map,
and prints the README's keyboard table (a test keeps the README equal to it).

The registry maps ids to the callables it is handed, so it imports no coordinator.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable, Mapping, Sequence
from typing import Any

from PySide6.QtCore import Qt
from PySide6.QtGui import QAction, QKeySequence
from PySide6.QtWidgets import QMainWindow, QMenu, QToolBar, QWidget

from ..core.rows import Label
from .action_specs import (
    ALWAYS,
    ARTICLE,
    MENUS,
    SPEC_BY_ID,
    SPECS,
    TOOLBAR,
    VIEW_KEY_BY_ID,
    VIEW_KEYS,
    ActionSpec,
)
from .icons import icon, label_icon
from .plain import plain_tip


def view_action(key_id: str, parent: QWidget, handler: Callable[[], Any], on: QWidget | None = None) -> QAction:
    """The QAction of a view key, its keys from :data:`VIEW_KEYS` (or a desk spec, for undo and
    redo in those windows): acting in ``parent``'s window, or only in ``on`` when given."""
    spec = VIEW_KEY_BY_ID.get(key_id)
    text, keys = (spec.text, spec.keys) if spec else (SPEC_BY_ID[key_id].text.replace("&", ""), SPEC_BY_ID[key_id].keys)
    action = QAction(text, parent)
    action.setObjectName(key_id if spec else key_id.replace("action", parent.objectName(), 1))
    action.setShortcuts([QKeySequence(k) for k in keys])
    action.setShortcutContext(
        Qt.ShortcutContext.WidgetWithChildrenShortcut if on is not None else Qt.ShortcutContext.WindowShortcut
    )
    action.triggered.connect(lambda _checked=False: handler())
    (on or parent).addAction(action)
    return action


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
    for view in VIEW_KEYS:
        rows.append((" or ".join(f"`{k}`" for k in view.keys), f"{view.view.lower()} window: {view.help}"))
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
        elif spec.scope:
            action.setShortcutContext(Qt.ShortcutContext.WidgetWithChildrenShortcut)  # bound in bind_scope
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

    def bind_scope(self, scope: str, widget: QWidget) -> None:
        """Let the actions of ``scope`` act by their keys while ``widget`` (or a child) has focus."""
        for spec in SPECS:
            if spec.scope == scope:
                widget.addAction(self.actions[spec.id])

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
        for view in VIEW_KEYS:
            keys = ", ".join(QKeySequence(k).toString(QKeySequence.SequenceFormat.NativeText) for k in view.keys)
            out.append((f"{view.view}: {view.text}", keys))
        return out


if __name__ == "__main__":  # print the README's keyboard table
    from ..core.label_file import default_labels

    print(keyboard_markdown(default_labels()))
