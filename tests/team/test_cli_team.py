"""The team commands through the real ``kzpk`` CLI in a subprocess."""

from __future__ import annotations

import hashlib
import json
import shutil
from pathlib import Path

from kzpk_desktop.core.store import Store
from tests.cli.test_cli import kzpk
from tests.team.test_merge import content, diverge


def test_review_decide_records_like_the_review_window(seed: dict[str, object], tmp_path: Path) -> None:
    db = str(seed["path"])
    r = kzpk(
        "--db",
        db,
        "--as",
        "global-name",
        "review",
        "decide",
        str(seed["a1"]),
        "--status",
        "needs_work",
        "--confidence",
        "low",
        "--as",
        "rita",
    )
    assert r.returncode == 0, r.stderr
    assert r.stdout.strip() == f"{seed['a1']}: needs_work (by rita)"
    r = kzpk("--db", db, "--as", "gus", "review", "decide", str(seed["a2"]), "--status", "accepted")
    assert r.returncode == 0, r.stderr
    s = Store.open(db)
    try:
        rows = s.conn.execute(
            "SELECT annotation_id, reviewer, status, confidence, uuid IS NOT NULL FROM review_decisions ORDER BY id"
        ).fetchall()
        assert rows == [(seed["a1"], "rita", "needs_work", "low", 1), (seed["a2"], "gus", "accepted", None, 1)]
        assert s.annotations.get(str(seed["a1"])).status == "needs_work"
        log = s.conn.execute(
            "SELECT who, action FROM changes WHERE entity = 'annotation' AND entity_id = ? ORDER BY id", (seed["a1"],)
        ).fetchall()
        assert log[-1] == ("rita", "review")
    finally:
        s.close()
    r = kzpk("--db", db, "review", "decide", "no-such-id", "--status", "accepted")
    assert r.returncode == 1 and r.stderr.strip() == "kzpk: There is no annotation with id no-such-id."
    r = kzpk("--db", db, "review", "decide", str(seed["a1"]), "--status", "accepted", "--verdict", "false")
    assert r.returncode == 1 and r.stderr.strip() == "kzpk: Only claims take a verdict."


def test_merge_dry_run_json_conflicts_and_resolve(seed: dict[str, object], tmp_path: Path) -> None:
    paths = diverge(seed, tmp_path)
    other_sha = hashlib.sha256(paths["B"].read_bytes()).hexdigest()
    target = tmp_path / "target.db"
    shutil.copy(paths["A"], target)
    before = content(target)

    r = kzpk("--db", str(target), "merge", str(paths["B"]), "--dry-run", "--json")
    assert r.returncode == 0, r.stderr
    dry = json.loads(r.stdout)
    assert dry["dry_run"] is True and dry["added"] == {"annotation": 1} and dry["deleted"] == {"annotation": 1}
    assert len(dry["conflicts"]) == 2 and len(dry["offers"]) == 1
    assert content(target) == before  # a dry run changes nothing

    r = kzpk("--db", str(target), "--as", "mia", "merge", str(paths["B"]), "--json")
    assert r.returncode == 0, r.stderr
    done = json.loads(r.stdout)
    assert {k: done[k] for k in ("added", "deleted", "updated")} == {k: dry[k] for k in ("added", "deleted", "updated")}
    assert hashlib.sha256(paths["B"].read_bytes()).hexdigest() == other_sha

    r = kzpk("--db", str(target), "conflicts", "--json")
    queued = json.loads(r.stdout)
    assert sorted(c["reason"] for c in queued) == [
        "changed on both sides",
        "deleted here, changed there",
        "same name on both sides",
    ]
    both = next(c for c in queued if c["reason"] == "changed on both sides")
    assert both["mine"]["note"] == "A's note" and both["theirs"]["note"] == "B's note"

    r = kzpk("--db", str(target), "--as", "mia", "conflicts", "resolve", str(both["id"]), "--take", "theirs")
    assert r.returncode == 0, r.stderr
    notes = {row[0]: row[5] for row in content(target)["annotations"]}
    assert notes[seed["a1"]] == "B's note"
    r = kzpk("--db", str(target), "conflicts", "resolve", str(both["id"]), "--take", "mine")
    assert r.returncode == 1 and "was resolved already (theirs, by mia)" in r.stderr
    r = kzpk("--db", str(target), "conflicts")
    assert len(r.stdout.strip().splitlines()) == 2

    r = kzpk("--db", str(target), "merge", str(tmp_path / "missing.db"))
    assert r.returncode == 1 and r.stderr.strip() == f"kzpk: There is no database file at '{tmp_path / 'missing.db'}'."
    r = kzpk("--db", str(target), "merge", str(target))
    assert r.returncode == 1 and r.stderr.strip() == "kzpk: a database cannot be merged into itself."


def test_the_name_set_in_the_app_is_the_default(seed: dict[str, object], tmp_path: Path) -> None:
    import os

    config = Path(os.environ["XDG_CONFIG_HOME"]) / "kzpk"
    config.mkdir(parents=True, exist_ok=True)
    (config / "kzpk_desktop.ini").write_text("[General]\nannotator=Aigerim\n", encoding="utf-8")
    r = kzpk("--db", str(seed["path"]), "review", "decide", str(seed["a1"]), "--status", "accepted")
    assert r.returncode == 0, r.stderr
    assert r.stdout.strip().endswith("(by Aigerim)")
