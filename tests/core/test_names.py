"""One name normaliser for entities: every script's case, compatibility forms, spaces."""

from __future__ import annotations

import sqlite3
from pathlib import Path

import pytest

from kzpk_desktop.core import entities as ent
from kzpk_desktop.core.errors import StoreError
from kzpk_desktop.core.names import name_key
from kzpk_desktop.core.schema import migrations
from kzpk_desktop.core.store import Store


def test_keys_fold_case_in_every_script_and_compatibility_forms() -> None:
    assert name_key("АСТАНА") == name_key("Астана") == "астана"
    assert name_key("ＫＡＺＡＫＨＳＴＡＮ") == name_key("Kazakhstan")
    assert name_key("  Ishaq \t Dar ") == "ishaq dar"
    assert name_key("Straße") == name_key("STRASSE")
    assert name_key("اسحاق ڈار") == "اسحاق ڈار"
    assert name_key("Астана") != name_key("Алматы")


def test_the_store_refuses_a_second_entity_under_the_same_key(store: Store) -> None:
    first = ent.create_entity(store, "actor", "Астана", aliases=["Nur-Sultan"])
    with pytest.raises(StoreError, match="already"):
        ent.create_entity(store, "actor", "АСТАНА")
    assert store.entities.by_name("actor", "АСТАНА") == first
    assert store.entities.by_name("actor", "ＮＵＲ-ＳＵＬＴＡＮ") == first  # aliases match by the same key
    assert store.entities.by_name("agreement", "Астана") is None


def test_an_old_database_with_near_twins_upgrades_and_check_names_them(tmp_path: Path) -> None:
    path = tmp_path / "old.db"
    store = Store.open(path)
    store.close()
    conn = sqlite3.connect(path)  # go back to the schema before m010, with twins it allowed (NOCASE is ASCII-only)
    conn.executescript("""
        DROP INDEX idx_entities_kind_key; DROP INDEX idx_alias_key;
        ALTER TABLE entities DROP COLUMN name_key; ALTER TABLE entity_aliases DROP COLUMN alias_key;
        CREATE UNIQUE INDEX idx_entities_kind_name ON entities(kind, name COLLATE NOCASE);
        CREATE INDEX idx_alias ON entity_aliases(alias COLLATE NOCASE);
        DELETE FROM _sqlite_migrations WHERE name = 'm010_name_keys';
        INSERT INTO entities (kind, name, notes, created_at, updated_at) VALUES
            ('actor', 'Астана', '', 'x', 'x'), ('actor', 'АСТАНА', '', 'x', 'x');
    """)
    conn.commit()
    conn.close()
    store = Store.open(path)
    assert "m010_name_keys" in {m.name for m in migrations.applied(store.db)}
    problems = store.integrity.check()
    assert any("same name as actor 1" in p for p in problems), problems
    store.close()
