"""Who is working, preferences, the welcome, the user guide, the keyboard map, About."""

from __future__ import annotations

from collections.abc import Callable

from PySide6.QtGui import QAction

from .ask import ask
from .desk import Desk


class HelpAndPreferences:
    def __init__(
        self, desk: Desk, snap_action: Callable[[], QAction], keyboard_map: Callable[[], list[tuple[str, str]]]
    ) -> None:
        self.desk = desk
        self.snap_action = snap_action
        self.keyboard_map = keyboard_map

    def first_run(self) -> None:
        """Once: a short welcome (labels and keys), then who is annotating."""
        settings = self.desk.settings
        if not settings.value("welcomed", False, type=bool):
            settings.setValue("welcomed", True)
            self.show_welcome()
        self.ensure_annotator()

    def show_welcome(self) -> None:
        from .dialogs import welcome_text

        store = self.desk.store
        ask.info(self.desk.window, "Welcome to kzpk_desktop", welcome_text(store.labels.all() if store else []))

    def open_user_guide(self) -> bool:
        from PySide6.QtCore import QUrl
        from PySide6.QtGui import QDesktopServices

        from ..core.paths import docs_dir

        guide = docs_dir() / "user-guide.md"
        if not guide.exists():
            ask.error(self.desk.window, "User guide", f"The user guide was not found at {guide}.")
            return False
        return QDesktopServices.openUrl(QUrl.fromLocalFile(str(guide)))

    def ensure_annotator(self) -> str:
        """Ask once for the researcher's name (it is recorded on every change)."""
        d = self.desk
        if not d.settings.value("annotator"):
            name = ask.text(
                d.window, "Who is annotating?", "Your name (recorded on every change and decision):", d.annotator
            )
            if name and name.strip():
                d.annotator = name.strip()
            d.settings.setValue("annotator", d.annotator)
        return d.annotator

    def toggle_snap(self, checked: bool) -> None:
        self.desk.settings.setValue("snap_words", checked)

    def preferences(self) -> None:
        from .dialogs import PreferencesDialog

        d = self.desk
        dialog = PreferencesDialog(d.annotator, self.snap_action().isChecked(), d.window)
        if dialog.exec():
            d.annotator = dialog.annotator.text().strip() or d.annotator
            d.settings.setValue("annotator", d.annotator)
            self.snap_action().setChecked(dialog.snap.isChecked())
            self.toggle_snap(dialog.snap.isChecked())

    def zoom(self, steps: int | None) -> None:
        """Reading text size, remembered across sessions."""
        self.desk.settings.setValue("reader_zoom", self.desk.reader.zoom(steps))

    def show_about(self) -> None:
        from .dialogs import about

        about(self.desk.window)

    def show_shortcuts(self) -> None:
        from .dialogs import ShortcutsDialog

        ShortcutsDialog(self.keyboard_map(), self.desk.window).exec()
