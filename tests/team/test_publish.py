"""Publishing for Datasette: the copy is read-only, and Datasette serves it in-process."""

from __future__ import annotations

import asyncio
import json
import stat
from pathlib import Path
from typing import Any

from datasette.app import Datasette

from kzpk_desktop.core import review as rv
from kzpk_desktop.core.operations.base import run
from kzpk_desktop.core.operations.review import RecordDecision
from kzpk_desktop.core.store import Store
from tests.cli.test_cli import kzpk


def serve(db: Path, meta: Path, *paths: str) -> list[Any]:
    async def go() -> list[Any]:
        ds = Datasette(files=[str(db)], metadata=json.loads(meta.read_text(encoding="utf-8")))
        await ds.invoke_startup()
        out = []
        for path in paths:
            response = await ds.client.get(path)
            assert response.status_code == 200, (path, response.text[:300])
            out.append(response.json())
        return out

    return asyncio.run(go())


def test_publish_and_serve_with_datasette(seed: dict[str, object], tmp_path: Path) -> None:
    store = Store.open(seed["path"])  # type: ignore[arg-type]
    run(store, RecordDecision(str(seed["a1"]), rv.Decision("accepted", None, "high"), "rita"))
    store.close()
    out = tmp_path / "pub"
    r = kzpk("--db", str(seed["path"]), "publish", "--out", str(out))
    assert r.returncode == 0, r.stderr
    assert "wrote 3 annotations" in r.stdout
    db, meta = out / "kzpk.db", out / "metadata.json"
    assert not db.stat().st_mode & (stat.S_IWUSR | stat.S_IWGRP | stat.S_IWOTH)
    rows, table = serve(db, meta, "/kzpk/annotations.json?_shape=array&_sort=id", "/kzpk/annotations.json")
    assert sorted(r["id"] for r in rows) == sorted([seed["a1"], seed["a2"], seed["a3"]])
    by_id = {r["id"]: r for r in rows}
    assert (by_id[seed["a1"]]["reviewed"], by_id[seed["a1"]]["status"], by_id[seed["a1"]]["reviewer"]) == (
        1,
        "accepted",
        "rita",
    )
    assert by_id[seed["a2"]]["reviewed"] == 0 and by_id[seed["a2"]]["text"] == "Kazakhstan"
    assert set(table["facet_results"]) == {"label", "verdict", "outlet", "annotator"}
    assert [(f["value"], f["count"]) for f in table["facet_results"]["annotator"]["results"]] == [("seed", 3)]
    metadata = json.loads(meta.read_text(encoding="utf-8"))
    assert metadata["license"] == "CC-BY-4.0" and metadata["databases"]["kzpk"]["tables"]["annotations"]["facets"]

    # --reviewed-only: only the decided span, and the publication is replaced as a whole
    r = kzpk("--db", str(seed["path"]), "publish", "--out", str(out), "--reviewed-only")
    assert r.returncode == 0, r.stderr
    (rows,) = serve(db, meta, "/kzpk/annotations.json?_shape=array")
    assert [r["id"] for r in rows] == [seed["a1"]]
    r = kzpk("--db", str(seed["path"]), "publish", "--out", str(out), "--license", "WTFPL")
    assert r.returncode == 1 and r.stderr.startswith("kzpk: Unknown licence 'WTFPL'")
