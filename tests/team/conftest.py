"""A seed database that every copy in the team tests is made from."""

from __future__ import annotations

from pathlib import Path

import pytest

from kzpk_desktop.core.importer import import_paths
from kzpk_desktop.core.store import Store
from tests.conftest import SEEDS
from tests.team.helpers import span


@pytest.fixture
def seed(tmp_path: Path) -> dict[str, object]:
    path = tmp_path / "seed.db"
    s = Store.open(path)
    import_paths(s, [SEEDS])
    ids = {
        "a1": span(s, 2, "Murat Nurtleu", "actor", "seed"),
        "a2": span(s, 2, "Kazakhstan", "actor", "seed"),
        "a3": span(s, 1, "Pakistan", "actor", "seed"),
    }
    s.close()
    assert not Path(str(path) + "-wal").exists()
    return {"path": path, **ids}
