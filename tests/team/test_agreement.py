"""Agreement figures against the krippendorff package and by hand on a small case."""

from __future__ import annotations

import json
from fractions import Fraction
from pathlib import Path

import krippendorff
import numpy as np
import pytest

from kzpk_desktop.core import annotations as ann
from kzpk_desktop.core import review as rv
from kzpk_desktop.core.importer import import_paths
from kzpk_desktop.core.operations.base import run
from kzpk_desktop.core.operations.review import RecordDecision
from kzpk_desktop.core.store import Store
from kzpk_desktop.core.team.agreement import measure
from tests.cli.test_cli import kzpk

SMALL = "one two three four five six seven eight\n"


@pytest.fixture
def small(tmp_path: Path) -> tuple[Store, dict[str, str]]:
    folder = tmp_path / "texts"
    folder.mkdir()
    (folder / "a_small.txt").write_text(SMALL, encoding="utf-8")
    (folder / "b_claims.txt").write_text("Trade grew. Flights resumed. Visas were waived.\n", encoding="utf-8")
    store = Store.open(tmp_path / "agree.db")
    import_paths(store, [folder])
    small_id, claims_id = 1, 2
    assert store.articles.text(small_id) == SMALL
    ann.create_annotation(store, small_id, 0, 13, "actor", annotator="ann")  # one two three
    ann.create_annotation(store, small_id, 4, 18, "actor", annotator="bob")  # two three four
    text = store.articles.text(claims_id)
    ids = {}
    for name, sentence in (("c1", "Trade grew."), ("c2", "Flights resumed."), ("c3", "Visas were waived.")):
        i = text.index(sentence)
        ids[name] = ann.create_annotation(store, claims_id, i, i + len(sentence), "claim", annotator="ann").id
    calls = {
        "c1": (("accepted", "supported"), ("accepted", "supported")),
        "c2": (("rejected", "false"), ("needs_work", "misleading")),
        "c3": (("accepted", "partly_supported"), ("accepted", "supported")),
    }
    for name, ((s1, v1), (s2, v2)) in calls.items():
        run(store, RecordDecision(ids[name], rv.Decision(s1, v1), "rita"))
        run(store, RecordDecision(ids[name], rv.Decision("rejected", "false"), "sam"))  # changed their mind:
        run(store, RecordDecision(ids[name], rv.Decision(s2, v2), "sam"))  # only the last call counts
    return store, ids


def test_span_figures_by_hand_and_against_krippendorff(small: tuple[Store, dict[str, str]]) -> None:
    store, _ids = small
    result = measure(store, "actor")
    actor = result.spans["actor"]
    assert result.annotators == ("ann", "bob")
    # tokens: ann marks one two three, bob two three four -> 6 of 8 agree; p(1) = 3/8 each
    po, pe = Fraction(6, 8), Fraction(3, 8) ** 2 + Fraction(5, 8) ** 2
    assert actor.cohen_kappa["ann|bob"].value == pytest.approx(float((po - pe) / (1 - pe)))
    assert actor.cohen_kappa["ann|bob"].value == pytest.approx(7 / 15)
    assert actor.fleiss_kappa.value == pytest.approx(7 / 15)  # equal marginals: Fleiss = Cohen
    assert (actor.n_tokens, actor.n_units, actor.n_articles, actor.n_coders) == (8, len(SMALL), 1, 2)
    a = np.zeros(len(SMALL))
    a[0:13] = 1
    b = np.zeros(len(SMALL))
    b[4:18] = 1
    expected = krippendorff.alpha(reliability_data=np.stack([a, b]), level_of_measurement="nominal")
    assert actor.alpha_u.value == pytest.approx(expected)
    # by hand: 9 characters split, n = 80 values, 27 ones, 53 zeros: 1 - 79 * 9 / (53 * 27)
    assert actor.alpha_u.value == pytest.approx(1 - 79 * 9 / (53 * 27))
    runs = [(d["start"], d["end"], d["marked_by"]) for d in result.disagreements if d["kind"] == "span"]
    assert runs == [(0, 4, ["ann"]), (13, 18, ["bob"])]
    # big corpora: the same α from pattern counts instead of the package's row-by-row matrix
    assert measure(store, "actor", limit=0).spans["actor"].alpha_u.value == pytest.approx(expected, abs=1e-12)


def test_three_coders_with_gaps_against_krippendorff(small: tuple[Store, dict[str, str]]) -> None:
    """A third coder works on the small article only partly; another article has two coders."""
    store, _ids = small
    ann.create_annotation(store, 1, 8, 23, "actor", annotator="cat")  # three four five
    ann.create_annotation(store, 1, 24, 27, "claim", annotator="cat")  # six
    ann.create_annotation(store, 2, 0, 5, "actor", annotator="bob")  # Trade (ann coded article 2: claims)
    text2 = store.articles.text(2)
    rows = {
        "ann": [np.zeros(len(SMALL)), np.zeros(len(text2))],
        "bob": [np.zeros(len(SMALL)), np.zeros(len(text2))],
        "cat": [np.zeros(len(SMALL)), np.full(len(text2), np.nan)],
    }
    rows["ann"][0][0:13] = 1
    rows["bob"][0][4:18] = 1
    rows["cat"][0][8:23] = 1
    rows["bob"][1][0:5] = 1
    matrix = np.stack([np.concatenate(rows[c]) for c in ("ann", "bob", "cat")])
    expected = krippendorff.alpha(reliability_data=matrix, level_of_measurement="nominal")
    for limit in (10**9, 0):
        actor = measure(store, "actor", limit=limit).spans["actor"]
        assert actor.alpha_u.value == pytest.approx(expected, abs=1e-12)
        assert (actor.n_units, actor.n_articles, actor.n_coders) == (len(SMALL) + len(text2), 2, 3)
    actor = measure(store, "actor").spans["actor"]
    # Fleiss over the small article's 8 tokens only (cat did not work on article 2):
    # ann 11100000, bob 01110000, cat 00111000 -> ones per token 1,2,3,2,1,0,0,0
    n, k = 3, np.array([1, 2, 3, 2, 1, 0, 0, 0])
    p1 = k.sum() / (8 * n)
    pe = p1**2 + (1 - p1) ** 2
    p_bar = ((k**2 + (n - k) ** 2 - n) / (n * (n - 1))).mean()
    assert actor.fleiss_kappa.value == pytest.approx((p_bar - pe) / (1 - pe))
    assert set(actor.cohen_kappa) == {"ann|bob", "ann|cat", "bob|cat"}


def test_verdicts_and_statuses_against_krippendorff(small: tuple[Store, dict[str, str]]) -> None:
    store, ids = small
    result = measure(store)
    order = sorted(ids.values())
    name = {v: k for k, v in ids.items()}
    verdict = {"c1": ("supported", "supported"), "c2": ("false", "misleading"), "c3": ("partly_supported", "supported")}
    status = {"c1": ("accepted", "accepted"), "c2": ("rejected", "needs_work"), "c3": ("accepted", "accepted")}
    vm = np.array([[rv.VERDICTS.index(verdict[name[a]][r]) for a in order] for r in (0, 1)], dtype=float)
    statuses = ("unreviewed", "accepted", "rejected", "needs_work")
    sm = np.array([[statuses.index(status[name[a]][r]) for a in order] for r in (0, 1)], dtype=float)
    assert result.verdicts.alpha.value == pytest.approx(
        krippendorff.alpha(reliability_data=vm, level_of_measurement="ordinal")
    )
    assert result.statuses.alpha.value == pytest.approx(
        krippendorff.alpha(reliability_data=sm, level_of_measurement="nominal")
    )
    assert (result.verdicts.n_items, result.verdicts.n_reviewers) == (3, 2)
    disagreeing = sorted(name[d["annotation_id"]] for d in result.disagreements if d["kind"] == "verdict")
    assert disagreeing == ["c2", "c3"]
    # the claims article has one coder; in the shared article nobody tagged a claim: no α, and why
    assert result.spans["claim"].alpha_u.value is None
    assert result.spans["claim"].alpha_u.reason == (
        "every unit has the same value, so α is undefined (no variation to agree on)"
    )


def test_agreement_cli_json_shape(small: tuple[Store, dict[str, str]]) -> None:
    store, _ids = small
    path = str(store.path)
    store.close()
    r = kzpk("--db", path, "agreement", "--json", "--label", "actor")
    assert r.returncode == 0, r.stderr
    out = json.loads(r.stdout)
    assert list(out) == ["annotators", "spans", "verdicts", "statuses", "disagreements"]
    assert out["annotators"] == ["ann", "bob"]
    assert set(out["spans"]) == {"actor"}
    assert {"alpha_u", "fleiss_kappa", "cohen_kappa", "n_units"} <= set(out["spans"]["actor"])
    assert out["spans"]["actor"]["cohen_kappa"] == {"ann|bob": round(7 / 15, 6)}
    assert out["verdicts"]["alpha_ordinal"] is None and out["verdicts"]["n_claims"] == 0  # actor spans only
    assert out["verdicts"]["reasons"]["alpha_ordinal"] == "no span has a verdict from two or more reviewers"
    assert {"alpha_nominal", "n_items"} <= set(out["statuses"])
    r = kzpk("--db", path, "agreement", "--label", "nonsense")
    assert r.returncode == 1 and r.stderr.strip() == "kzpk: There is no label 'nonsense'."
    r = kzpk("--db", path, "agreement", "--article", "1")
    assert r.returncode == 0 and "Cohen kappa ann|bob: 0.467" in r.stdout


@pytest.mark.parametrize(
    "text",
    [
        "",
        "a",
        " a",
        "a ",
        "one two  three",
        "اسحاق ڈار، 2025_x!",
        "e\u0301x y",
        "Қазақстан — 👍🏽 ok\r\n",
        "  ",
        "𝐀𝐁 x𝟙 👍a",
    ],
)
def test_tokens_are_exactly_regex_word_runs(text: str) -> None:
    import re

    from kzpk_desktop.core.team.agreement import tokens_of

    lo, hi = tokens_of(text)
    assert list(zip(lo.tolist(), hi.tolist(), strict=True)) == [(m.start(), m.end()) for m in re.finditer(r"\w+", text)]
