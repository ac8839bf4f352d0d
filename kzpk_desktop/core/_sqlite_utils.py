"""sqlite-utils, loaded only when something needs it (a migration to apply, a query helper).

Loading sqlite-utils costs ~60 ms (click, dateutil, pluggy and its own modules): a fifth
of the window's start-up budget (issue 20), spent on every start although an up-to-date
database needs none of it. So the schema records its steps in :class:`LazyMigrations`,
which hands them to ``sqlite_utils.Migrations`` on first use, and ``Database`` is imported
from here on first access (``from ._sqlite_utils import Database`` inside a function).

sqlite-utils imports numpy and pandas at load time, when installed, only to map their
scalar types to column types; this application never writes them. On the benchmark
machine that import costs ~0.2 s. The two names are blocked only while sqlite-utils
loads, and only if nothing imported them already (then it uses them as usual).
"""

from __future__ import annotations

import sys
from collections.abc import Callable, Iterable
from dataclasses import dataclass
from types import ModuleType
from typing import TYPE_CHECKING, Any, TypeVar

if TYPE_CHECKING:
    from sqlite_utils import Database, Migrations

_BLOCK = ("numpy", "pandas")
_F = TypeVar("_F", bound=Callable[..., Any])


def load() -> ModuleType:
    """The ``sqlite_utils`` module, imported (once) without numpy and pandas."""
    if "sqlite_utils" in sys.modules:
        return sys.modules["sqlite_utils"]
    blocked = [name for name in _BLOCK if name not in sys.modules]
    for name in blocked:
        sys.modules[name] = None  # type: ignore[assignment]  # makes `import numpy` raise ImportError
    try:
        import sqlite_utils
    finally:
        for name in blocked:
            if sys.modules.get(name) is None:
                del sys.modules[name]
    return sqlite_utils


def __getattr__(name: str) -> Any:
    """``Database`` and ``Migrations`` load sqlite-utils when first asked for."""
    if name in ("Database", "Migrations"):
        return getattr(load(), name)
    raise AttributeError(f"module {__name__!r} has no attribute {name!r}")


@dataclass(frozen=True)
class Step:
    """One recorded migration step (``name``, as sqlite-utils' own steps have)."""

    name: str
    fn: Callable[..., Any]
    transactional: bool


class LazyMigrations:
    """``sqlite_utils.Migrations`` with the same decorator, its steps recorded until they are
    first checked or applied; then the real ``Migrations`` is built and does the work."""

    def __init__(self, name: str) -> None:
        self.name = name
        self._migrations: list[Step] = []
        self._real: Migrations | None = None

    def __call__(self, *, name: str | None = None, transactional: bool = True) -> Callable[[_F], _F]:
        def inner(fn: _F) -> _F:
            step_name = name or fn.__name__
            if any(m.name == step_name for m in self._migrations):
                raise ValueError(f"Migration '{step_name}' is already registered in set '{self.name}'")
            self._migrations.append(Step(step_name, fn, transactional))
            self._real = None
            return fn

        return inner

    def _loaded(self) -> Migrations:
        if self._real is None:
            real = load().Migrations(self.name)
            for step in self._migrations:
                real(name=step.name, transactional=step.transactional)(step.fn)
            self._real = real
        return self._real

    def pending(self, db: Database) -> list[Any]:
        return list(self._loaded().pending(db))

    def applied(self, db: Database) -> list[Any]:
        return list(self._loaded().applied(db))

    def apply(self, db: Database, *, stop_before: str | Iterable[str] | None = None) -> None:
        self._loaded().apply(db, stop_before=stop_before)


__all__ = ["Database", "LazyMigrations", "Migrations", "load"]
