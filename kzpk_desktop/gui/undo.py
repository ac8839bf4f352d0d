"""QUndoCommand glue around ``core.commands``.

``QUndoStack.push()`` calls ``redo()`` immediately: the core command is applied there and
only there. A failure marks the command obsolete (Qt then drops it) and is kept in
``error`` for the caller to show.
"""

from __future__ import annotations

from collections.abc import Callable

from PySide6.QtGui import QUndoCommand

from ..core.commands import Command
from ..core.errors import KzpkError

Changed = Callable[[int, list[tuple[int, int]], list[str]], None]


class CoreUndoCommand(QUndoCommand):
    def __init__(self, command: Command, changed: Changed) -> None:
        super().__init__(command.text)
        self.command = command
        self._changed = changed
        self.error: KzpkError | None = None

    def redo(self) -> None:
        self._run(self.command.apply)

    def undo(self) -> None:
        self._run(self.command.revert)

    def _run(self, step: Callable[[], None]) -> None:
        """One direction of the command, then tell the views what changed (or keep the error)."""
        try:
            step()
        except KzpkError as err:
            self.error = err
            self.setObsolete(True)
            return
        self._changed(*self.command.affected())
