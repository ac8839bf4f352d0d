"""The label schema shipped in ``resources/labels.json``: read, checked, and put in order.

A new database starts with these labels (schema step m001), and Help lists their keys."""

from __future__ import annotations

import json
from pathlib import Path

from .jsonvalue import JSONObject, as_list, as_object, text
from .paths import resources_dir
from .rows import Label


def default_labels(path: Path | None = None) -> list[Label]:
    """The label schema shipped in ``resources/labels.json``, positioned in its order."""
    path = path or resources_dir() / "labels.json"
    data = as_object(json.loads(path.read_text(encoding="utf-8")), path.name)
    items = as_list(data.get("labels"), f"'labels' in {path.name}")
    return [_label(as_object(item, f"label {i + 1} in {path.name}"), i, path.name) for i, item in enumerate(items)]


def _label(lab: JSONObject, i: int, file_name: str) -> Label:
    def required(key: str) -> str:
        value = text(lab, key)
        if not value:
            raise ValueError(f"Label {i + 1} in {file_name} has no {key!r}.")
        return value

    return Label(
        id=required("id"),
        name=required("name"),
        color=required("color"),
        shortcut=text(lab, "shortcut"),
        alt_shortcut=text(lab, "alt_shortcut"),
        description=text(lab, "description") or "",
        position=i,
    )
