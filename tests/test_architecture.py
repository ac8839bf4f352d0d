"""The layers hold: no Qt in the core (every module, exporters included), no SQL in the GUI,
coordinators never import each other or the window, and the window stays small."""

from __future__ import annotations

import ast
import os
import pkgutil
import subprocess
import sys
from pathlib import Path

import pytest

import kzpk_desktop.core as core

PKG = Path(__file__).resolve().parent.parent / "kzpk_desktop"
COORDINATORS = (
    "annotating",
    "article_details",
    "crossoutlet_coord",
    "entities_coord",
    "review_coord",
    "team_coord",
    "transfer",
)


def test_every_core_module_imports_without_qt() -> None:
    names = [m.name for m in pkgutil.walk_packages(core.__path__, prefix="kzpk_desktop.core.")]
    names += ["kzpk_desktop.cli"]
    assert "kzpk_desktop.core.exporters.csv_export" in names and "kzpk_desktop.core.operations.base" in names
    code = (
        "import importlib, sys\n"
        f"for n in {names!r}: importlib.import_module(n)\n"
        "bad = sorted(m for m in sys.modules if m.startswith(('PySide6', 'shiboken6', 'PyQt')))\n"
        "print(bad); sys.exit(1 if bad else 0)\n"
    )
    result = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, timeout=120)
    assert result.returncode == 0, result.stdout + result.stderr


def _imports(path: Path) -> set[str]:
    tree = ast.parse(path.read_text(encoding="utf-8"))
    out: set[str] = set()
    for node in ast.walk(tree):
        if isinstance(node, ast.ImportFrom):
            out.add("." * node.level + (node.module or ""))
        elif isinstance(node, ast.Import):
            out.update(a.name for a in node.names)
    return out


def test_no_sql_in_the_gui() -> None:
    offenders = []
    for path in sorted((PKG / "gui").glob("*.py")):
        tree = ast.parse(path.read_text(encoding="utf-8"))
        for node in ast.walk(tree):
            if isinstance(node, ast.Attribute) and node.attr in {
                "execute",
                "executemany",
                "executescript",
                "conn",
                "query",
            }:
                offenders.append(f"{path.name}:{node.lineno} .{node.attr}")
        if {"sqlite3", "sqlite_utils"} & {i.split(".")[0] for i in _imports(path)}:
            offenders.append(f"{path.name} imports sqlite")
    assert offenders == []


def test_coordinators_depend_downward_only() -> None:
    for name in COORDINATORS:
        imported = {i.lstrip(".") for i in _imports(PKG / "gui" / f"{name}.py")}
        assert not imported & {*COORDINATORS, "main_window"}, (
            f"{name} imports {imported & {*COORDINATORS, 'main_window'}}"
        )
    assert not {i.lstrip(".") for i in _imports(PKG / "gui" / "actions.py")} & {*COORDINATORS, "main_window"}


def test_the_window_is_small_and_no_module_is_big() -> None:
    assert len((PKG / "gui" / "main_window.py").read_text(encoding="utf-8").splitlines()) < 400
    big = {
        str(p.relative_to(PKG)): n
        for p in PKG.rglob("*.py")
        if (n := len(p.read_text(encoding="utf-8").splitlines())) > 600
    }
    assert big == {}


def test_the_store_is_composed_of_repositories_that_do_not_inherit_each_other() -> None:
    from kzpk_desktop.core.store import Repository, Store, StoreBase

    assert Store.__bases__ == (StoreBase,)  # no mixins: every query lives in a repository
    repos = Repository.__subclasses__()
    assert {r.__name__ for r in repos} >= {
        "ArticlesRepository",
        "AnnotationsRepository",
        "EntitiesRepository",
        "ReviewRepository",
        "HistoryRepository",
        "LabelsRepository",
        "SettingsRepository",
        "IntegrityRepository",
    }
    for repo in repos:
        assert repo.__bases__ == (Repository,), f"{repo.__name__} inherits {repo.__bases__}"
        assert not repo.__subclasses__(), f"{repo.__name__} is inherited by {repo.__subclasses__()}"
    for name in ("articles", "annotations", "entities", "review", "history", "labels", "settings", "integrity"):
        assert f"self.{name} = " in Path(PKG / "core" / "store" / "__init__.py").read_text(encoding="utf-8")
    assert not [n for n in vars(StoreBase) if n in {"labels", "get_setting", "article_text", "annotation"}]


def test_the_row_classes_name_the_store_columns_and_cannot_be_changed_in_place() -> None:
    import dataclasses

    from kzpk_desktop.core import rows
    from kzpk_desktop.core.store import ANNOTATION_FIELDS, ENTITY_FIELDS, RELATION_FIELDS

    assert rows.Annotation.FIELDS == ANNOTATION_FIELDS
    assert rows.Relation.FIELDS == RELATION_FIELDS
    assert rows.Entity.FIELDS == ENTITY_FIELDS
    span = rows.Annotation("a", 1, 0, 5, "claim", "Hello")
    with pytest.raises(dataclasses.FrozenInstanceError):
        span.text = "other"  # type: ignore[misc]
    assert span.replace(note="n").note == "n" and span.note == ""


def test_starting_the_window_loads_no_heavy_library() -> None:
    """Start-up is budgeted (bare window + 0.3 s at 100k articles): numpy, scipy (through
    datasketch) and rapidfuzz cost 0.1-0.6 s to import, so the modules the window imports load
    them only when stories, clusters or agreement are computed."""
    code = (
        "import sys; import kzpk_desktop.app, kzpk_desktop.gui.main_window; "
        "print(sorted(m for m in ('numpy', 'scipy', 'datasketch', 'rapidfuzz', 'krippendorff', 'pandas') "
        "if m in sys.modules))"
    )
    env = {**os.environ, "QT_QPA_PLATFORM": "offscreen"}
    result = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, timeout=120, env=env)
    assert result.returncode == 0, result.stderr
    assert result.stdout.strip() == "[]"
