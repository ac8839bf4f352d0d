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


# Kept out of start-up (issue 20: bare window + 0.3 s at 100k articles). Heavy libraries:
# numpy, scipy (through datasketch) and rapidfuzz cost 0.1-0.6 s to import; sqlite-utils
# (with click, dateutil, pluggy) ~60 ms, needed only to apply a migration; importlib.metadata
# came with sqlite-utils' plugin discovery; hashlib with the backups, checked a moment after
# the window opens. The app's own modules below load when their
# window, dialog, panel's work, reader, exporter or merge is first used.
NOT_AT_START = (
    "numpy",
    "scipy",
    "datasketch",
    "rapidfuzz",
    "krippendorff",
    "pandas",
    "sqlite_utils",
    "click",
    "dateutil",
    "pluggy",
    "importlib.metadata",
    "hashlib",
    "kzpk_desktop.core.backups",
    "kzpk_desktop.core.crossoutlet.claims",
    "kzpk_desktop.core.crossoutlet.compare",
    "kzpk_desktop.core.crossoutlet.features",
    "kzpk_desktop.core.crossoutlet.prior_checks",
    "kzpk_desktop.core.crossoutlet.stories",
    "kzpk_desktop.core.crossoutlet.timeline",
    "kzpk_desktop.core.store.crossoutlet",
    "kzpk_desktop.core.store.team_layers",
    "kzpk_desktop.core.exporters",
    "kzpk_desktop.core.readers",
    "kzpk_desktop.core.importer",
    "kzpk_desktop.core.team.merge",
    "kzpk_desktop.gui.claims_view",
    "kzpk_desktop.gui.compare_view",
    "kzpk_desktop.gui.curation",
    "kzpk_desktop.gui.dialogs",
    "kzpk_desktop.gui.prior_checks_view",
    "kzpk_desktop.gui.review_window",
    "kzpk_desktop.gui.stories_view",
    "kzpk_desktop.gui.team_dialogs",
    "kzpk_desktop.gui.timeline_view",
)

SHOW_THE_WINDOW = """
import sys
from PySide6.QtCore import QEvent, QObject
from kzpk_desktop.app import create_main_window, ensure_app

app = ensure_app(sys.argv[:1])
window = create_main_window(sys.argv[1])
painted = []

class Probe(QObject):
    def eventFilter(self, obj, event):
        if event.type() == QEvent.Type.Paint:
            painted.append(1)
        return False

probe = Probe()
window.articles.view.viewport().installEventFilter(probe)
window.show()
while not painted:
    app.processEvents()
app.processEvents()
assert window.article_model.rowCount() == 3 and window.article_id is not None
print(sorted(m for m in sys.argv[2].split(",") if m in sys.modules))
window.close()
"""


def test_starting_the_window_loads_only_what_the_first_paint_needs(tmp_path: Path) -> None:
    """The window opened on an up-to-date database, shown and painted with its articles,
    has loaded none of :data:`NOT_AT_START` (in a fresh process, as the researcher starts it)."""
    from kzpk_desktop.core.store import Store
    from kzpk_desktop.core.store.imports import NewArticle

    db = tmp_path / "desk.db"
    store = Store.open(db)  # created (and migrated) here, so the child opens it up to date
    rows = [
        NewArticle(
            title=f"Article {i}",
            source="s",
            date=f"2025-01-0{i + 1}",
            date_raw=None,
            date_precision="day",
            text=f"Text of article {i}.",
            file_name=f"{i}.txt",
            sha256=f"{i:064x}",
            encoding="utf-8",
            imported_at="2025-01-10T00:00:00Z",
        )
        for i in range(3)
    ]
    store.articles.insert_articles(rows)
    store.close()
    env = {
        **os.environ,
        "QT_QPA_PLATFORM": "offscreen",
        "XDG_CONFIG_HOME": str(tmp_path / "config"),
        "KZPK_DATA_DIR": str(tmp_path / "data"),
    }
    result = subprocess.run(
        [sys.executable, "-c", SHOW_THE_WINDOW, str(db), ",".join(NOT_AT_START)],
        capture_output=True,
        text=True,
        timeout=120,
        env=env,
    )
    assert result.returncode == 0, result.stderr
    assert result.stdout.strip().splitlines()[-1] == "[]"
