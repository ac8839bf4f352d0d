"""The operations added after the first set (article metadata, evidence provenance, prior
fact-checks, the gold layer, conflict resolution) each name exactly what they changed, and
their undo restores every table row by row: the same check as ``tests/core/test_operations``."""

from __future__ import annotations

from pathlib import Path

from kzpk_desktop.core import operations as ops
from kzpk_desktop.core import review as rv
from kzpk_desktop.core.crossoutlet import prior_checks as pc
from kzpk_desktop.core.crossoutlet.provenance import SetEvidenceProvenance, keep_file
from kzpk_desktop.core.operations.articles import EditArticleMetadata
from kzpk_desktop.core.store import Store
from kzpk_desktop.core.store import crossoutlet as q
from kzpk_desktop.core.store.team import TeamRepo
from kzpk_desktop.core.team.adjudication import adjudicate
from kzpk_desktop.core.team.conflicts import ResolveConflict
from tests.core.test_operations import _check
from tests.team.helpers import span
from tests.team.test_merge import copy, diverge, do_merge


def test_metadata_provenance_and_prior_checks(seed: dict[str, object], tmp_path: Path) -> None:
    s = Store.open(copy(seed, tmp_path, "ops"))
    try:
        _check(s, EditArticleMetadata(2, {"title": "Talks in Astana", "date": "2025-09", "author": None}, "A"))
        claim = span(s, 1, "Pakistan", "claim", "R")
        decision = rv.Decision(
            "accepted", "misleading", evidence=[rv.Evidence("https://stat.example/t", "Trade was lower.", "refutes")]
        )
        _check(s, ops.RecordDecision(claim, decision, "R"))
        (ev,) = q.evidence(s, claim)
        saved = tmp_path / "page.html"
        saved.write_text("<p>Trade was lower.</p>", encoding="utf-8")
        values = (
            ("published_at", "2025-03-01"),
            ("archive_url", "https://web.archive.org/x"),
            ("archived_file", keep_file(s.path, saved)),
        )
        _check(s, SetEvidenceProvenance(ev.id, values, "R"))
        checks = (
            q.PriorCheck("https://fc.example/1", "Trade reached $239 million", "False", "FC Desk", "2025-09-10"),
            q.PriorCheck("https://fc.example/2", "The railway opens in 2026", "Mostly true", "FC Desk", "2025-10-01"),
        )
        done = _check(s, pc.ImportPriorChecks(checks, "A"))
        assert len(done.changes.prior_checks) == 2
    finally:
        s.close()


def test_gold_layer_and_conflict_resolution(seed: dict[str, object], tmp_path: Path) -> None:
    paths = diverge(seed, tmp_path)
    do_merge(paths["A"], paths["B"])
    s = Store.open(paths["A"])
    try:
        text = s.articles.text(3)
        i = text.index("Pakistan")
        from kzpk_desktop.core import annotations as ann

        a = span(s, 3, "Pakistan", "actor", "ann")
        b = ann.create_annotation(s, 3, i, i + len("Pakistan") + 4, "actor", annotator="bob").id
        _check(s, adjudicate(s, [a], "judy"))
        _check(s, adjudicate(s, [a, b], "judy"))
        pending = TeamRepo(s).conflicts()
        assert {c.kind for c in pending} == {"annotation", "entity"}
        for conflict in pending:
            result = _check(s, ResolveConflict(conflict.id, "theirs", "ann"))
            assert result.changes.conflicts == frozenset({conflict.id})
    finally:
        s.close()


def test_a_fact_check_redo_after_its_ids_were_taken_loses_nothing(seed: dict[str, object], tmp_path: Path) -> None:
    s = Store.open(copy(seed, tmp_path, "pc"))
    try:
        history = ops.UndoHistory(s)
        checks = tuple(
            q.PriorCheck(f"https://fc.example/{n}", f"claim {n}", "False", "FC", "2025-09-10") for n in "abc"
        )
        history.do(pc.ImportPriorChecks(checks, "A"))
        history.undo()
        other = q.PriorCheck("https://fc.example/x", "another claim", "True", "FC", "2025-09-11")
        ops.run(s, pc.ImportPriorChecks((other,), "B"))  # takes id 1 meanwhile
        changes = history.redo()
        claims = [r[0] for r in s.conn.execute("SELECT claim FROM prior_checks ORDER BY claim")]
        assert claims == ["another claim", "claim a", "claim b", "claim c"]
        assert len(changes.prior_checks) == 3
        history.undo()  # takes back exactly the three again
        assert [r[0] for r in s.conn.execute("SELECT claim FROM prior_checks")] == ["another claim"]
    finally:
        s.close()
