"""Undoable operations without Qt: apply, revert, apply again."""

from __future__ import annotations

from kzpk_desktop.core import annotations as ann
from kzpk_desktop.core.commands import CreateAnnotation, DeleteAnnotation, EditAnnotation
from kzpk_desktop.core.store import Store


def test_create_delete_edit_revert_cleanly(store: Store) -> None:
    row = ann.build_annotation(store, 2, 100, 120, "claim", annotator="A")
    create = CreateAnnotation(store, row, "A")
    create.apply()
    assert store.annotation(row["id"])["text"] == store.article_text(2)[100:120]
    assert create.affected() == (2, [(100, 120)], [row["id"]])
    edit = EditAnnotation(store, row["id"], {"label": "actor", "note": "n"}, "A")
    edit.apply()
    assert (store.annotation(row["id"])["label"], store.annotation(row["id"])["note"]) == ("actor", "n")
    edit.revert()
    assert (store.annotation(row["id"])["label"], store.annotation(row["id"])["note"]) == ("claim", "")
    delete = DeleteAnnotation(store, row["id"], "A")
    delete.apply()
    assert store.annotation_count() == 0
    delete.revert()
    restored = store.annotation(row["id"])
    assert restored["created_at"] == row["created_at"] and restored["text"] == row["text"]
    create.revert()
    assert store.annotation_count() == 0
    create.apply()
    assert store.annotation_count() == 1
    assert store.article(2)["n_annotations"] == 1
