"""docs/jsonl-schema.md is generated from the schema import-annotations validates against."""

from __future__ import annotations

import json
from pathlib import Path

from kzpk_desktop.core.exporters.jsonl_schema import RECORD_SCHEMA, render

ROOT = Path(__file__).resolve().parent.parent


def test_jsonl_schema_doc_is_generated_from_the_code() -> None:
    committed = (ROOT / "docs" / "jsonl-schema.md").read_text(encoding="utf-8")
    assert committed == render(), "run: python -m kzpk_desktop.core.exporters.jsonl_schema > docs/jsonl-schema.md"
    block = committed.split("```json\n", 1)[1].split("\n```", 1)[0]
    assert json.loads(block) == RECORD_SCHEMA


def test_the_schema_is_a_valid_draft_2020_12_schema() -> None:
    from jsonschema import Draft202012Validator

    Draft202012Validator.check_schema(RECORD_SCHEMA)
