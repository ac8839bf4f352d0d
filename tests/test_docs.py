"""The docs cannot drift: data dictionary, README columns, CLI commands, quick start."""

from __future__ import annotations

import re
import subprocess
from pathlib import Path

from kzpk_desktop.cli import build_parser
from kzpk_desktop.core.exporters.csv_export import COLUMN_NAMES
from kzpk_desktop.core.exporters.dictionary import render

ROOT = Path(__file__).resolve().parent.parent
README = (ROOT / "README.md").read_text(encoding="utf-8")


def test_data_dictionary_is_generated_from_the_code() -> None:
    committed = (ROOT / "docs" / "data-dictionary.md").read_text(encoding="utf-8")
    assert committed == render(), "run: python -m kzpk_desktop.core.exporters.dictionary > docs/data-dictionary.md"


def test_readme_lists_every_csv_column_in_order() -> None:
    listed = re.search(r"`(annotation_id,[^`]*)`", README)
    assert listed
    assert tuple(c.strip() for c in listed.group(1).replace("\n", " ").split(",")) == COLUMN_NAMES


def test_readme_documents_every_cli_command() -> None:
    sub = next(a for a in build_parser()._actions if a.dest == "command")
    for name in sub.choices:  # type: ignore[union-attr]
        assert f"kzpk [--db PATH] {name}" in README, name


def test_quick_start_is_two_commands() -> None:
    block = README.split("## Quick start", 1)[1].split("##", 1)[0]
    commands = re.findall(r"```bash\n(.*?)\n```", block, flags=re.S)
    # A venv in each line: Debian 12 and Ubuntu 24.04 refuse pip outside one (PEP 668).
    assert commands == [
        "python3 -m venv .venv && .venv/bin/pip install . && .venv/bin/kzpk-desktop",
        'python3 -m venv .venv && .venv/bin/pip install ".[test]" && .venv/bin/python -m pytest',
    ]
    ci = (ROOT / ".ci" / "run").read_text()
    extract = re.search(r"mapfile -t QUICK < <\((awk .*?) README.md\)", ci)
    assert extract is not None  # .ci/run reads the commands from the README, so runs them verbatim
    found = subprocess.run(
        ["bash", "-c", f"{extract.group(1)} README.md"], cwd=ROOT, capture_output=True, text=True, check=True
    ).stdout.splitlines()
    assert found == commands
    assert 'bash -c "${QUICK[0]}"' in ci and 'bash -c "${QUICK[1]}"' in ci


def test_readme_keyboard_table_is_the_action_registry() -> None:
    from kzpk_desktop.core.label_file import default_labels
    from kzpk_desktop.gui.actions import keyboard_markdown

    readme = (ROOT / "README.md").read_text(encoding="utf-8")
    assert keyboard_markdown(default_labels()) in readme
