"""import-annotations validates the whole file before it writes (issue 14, §6)."""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from kzpk_desktop.core.exporters.jsonl import read_jsonl, write_jsonl
from kzpk_desktop.core.exporters.jsonl_schema import MAX_PROBLEMS, JsonlInvalid
from kzpk_desktop.core.store import Store


def _records(store: Store, tmp_path: Path) -> list[dict[str, Any]]:
    out = tmp_path / "valid.jsonl"
    write_jsonl(store, out)
    return [json.loads(line) for line in out.read_text(encoding="utf-8").split("\n") if line]


def _state(store: Store) -> tuple[int, ...]:
    """Everything import-annotations could write, counted."""
    return tuple(
        store.conn.execute(f"SELECT count(*) FROM {t}").fetchone()[0]
        for t in ("articles", "annotations", "entities", "relations", "evidence", "labels", "changes")
    )


def _write(path: Path, records: list[Any]) -> Path:
    path.write_text("\n".join(r if isinstance(r, str) else json.dumps(r) for r in records) + "\n", encoding="utf-8")
    return path


def _refused(fresh: Store, path: Path) -> JsonlInvalid:
    before = _state(fresh)
    with pytest.raises(JsonlInvalid) as caught:
        read_jsonl(fresh, path)
    assert _state(fresh) == before, "a refused file wrote something"
    return caught.value


def test_unknown_vocabulary_is_refused_with_line_numbers_and_nothing_written(annotated: Store, tmp_path: Path) -> None:
    recs = _records(annotated, tmp_path)
    n = next(i for i, r in enumerate(recs) if r["relations"])  # the article with claims and links
    bad = json.loads(json.dumps(recs[n]))
    claim = next(a for a in bad["annotations"] if a["label"] == "claim" and a["evidence"])
    claim["status"] = "approved"
    claim["verdict"] = "true-ish"
    claim["confidence"] = "certain"
    claim["evidence"][0]["stance"] = "agrees"
    bad["relations"][0]["type"] = "quoted_by"
    bad["article"]["status"] = "done"
    other = json.loads(json.dumps(recs[n]))
    next(a for a in other["annotations"] if a["label"] == "actor")["label"] = "person"
    lines = [*recs[:n], bad, *recs[n + 1 :], other]
    fresh = Store.open(tmp_path / "fresh.db")
    err = _refused(fresh, _write(tmp_path / "bad.jsonl", lines))
    c = bad["annotations"].index(claim)
    bad_line, other_line = n + 1, len(lines)
    a = next(i for i, x in enumerate(other["annotations"]) if x["label"] == "person")
    r = next(i for i, x in enumerate(other["relations"]) if x["type"] == "said_by")
    assert err.problems == [
        f"line {bad_line}: annotations[{c}].confidence is 'certain', which is not one of: low, medium, high, null.",
        f"line {bad_line}: annotations[{c}].evidence[0].stance is 'agrees', which is not one of: supports, refutes.",
        f"line {bad_line}: annotations[{c}].status is 'approved', which is not one of: unreviewed, accepted, "
        "rejected, needs_work.",
        f"line {bad_line}: annotations[{c}].verdict is 'true-ish', which is not one of: supported, partly_supported, "
        "unsupported, false, misleading, unverifiable, opinion, null.",
        f"line {bad_line}: article.status is 'done', which is not one of: not_started, in_progress, annotated, "
        "reviewed.",
        f"line {bad_line}: relations[0].type is 'quoted_by', which is not one of: said_by, party, about.",
        f"line {other_line}: annotations[{a}].label is 'person', which is not a label of this project "
        "(actor, agreement, claim); add the label first.",
        f"line {other_line}: relations[{r}] is 'said_by', which does not link a claim to a person.",
    ]
    assert str(err).startswith("bad.jsonl was not imported: 8 problems found; nothing was changed.\nline ")
    fresh.close()


def test_every_problem_is_listed_up_to_a_cap(annotated: Store, tmp_path: Path) -> None:
    recs = _records(annotated, tmp_path)
    lines: list[Any] = [recs[0]] + ["{not json", "[1, 2]", "null", '{"format": "kzpk-jsonl"}'] * 40
    fresh = Store.open(tmp_path / "fresh.db")
    err = _refused(fresh, _write(tmp_path / "many.jsonl", lines))
    assert err.total == 40 * 6  # the bare object lacks three keys: one problem each
    assert len(err.problems) == MAX_PROBLEMS
    assert err.problems[:7] == [
        "line 2: is not valid JSON at column 2 (Expecting property name enclosed in double quotes).",
        "line 3: is an array, not a JSON object (a kzpk-jsonl record).",
        "line 4: is null, not a JSON object (a kzpk-jsonl record).",
        "line 5: the record lacks 'version'.",
        "line 5: the record lacks 'offset_unit'.",
        "line 5: the record lacks 'article'.",
        "line 6: is not valid JSON at column 2 (Expecting property name enclosed in double quotes).",
    ]
    assert err.problems[-1] == "line 35: is an array, not a JSON object (a kzpk-jsonl record)."
    assert str(err).startswith(
        f"many.jsonl was not imported: 240 problems found (the first {MAX_PROBLEMS} are listed); nothing was changed."
    )
    fresh.close()


@pytest.mark.parametrize(
    ("line", "problem"),
    [
        (b'{"format": NaN}', "line 1: is not valid JSON (NaN is not a JSON number)."),
        (b'{"format": -Infinity}', "line 1: is not valid JSON (-Infinity is not a JSON number)."),
        (b'{"version": 1e999}', "line 1: is not valid JSON (the number 1e999 is too large)."),
        (
            b'{"version": ' + b"9" * 5000 + b"}",
            "line 1: is not valid JSON (Exceeds the limit (4300 digits) for integer string conversion).",
        ),
        (b"[" * 100000 + b"]" * 100000, "line 1: is nested too deeply to be a record."),
        (b'{"format": "kzpk-jsonl", "ver', "line 1: is not valid JSON at column 26 (Unterminated string starting at)."),
        (b'{"format": "caf\xe9"}', "line 1: is not valid UTF-8 (byte 0xe9 at column 16)."),
        (b'"just a string"', "line 1: is 'just a string', not a JSON object (a kzpk-jsonl record)."),
        (b"", "line 1: the file holds no records."),
    ],
)
def test_malformed_lines_are_one_sentence_each(tmp_path: Path, line: bytes, problem: str) -> None:
    path = tmp_path / "m.jsonl"
    path.write_bytes(line + b"\n")
    fresh = Store.open(tmp_path / "fresh.db")
    assert _refused(fresh, path).problems == [problem]
    fresh.close()


def test_references_offsets_and_types_are_checked(annotated: Store, tmp_path: Path) -> None:
    recs = _records(annotated, tmp_path)
    rec = next(r for r in recs if r["relations"])
    claim = next(i for i, a in enumerate(rec["annotations"]) if a["label"] == "claim")
    actor = next(i for i, a in enumerate(rec["annotations"]) if a["label"] == "actor")
    target = {"actor": "an actor", "agreement": "an agreement"}[
        next(a["label"] for a in rec["annotations"] if a["id"] == rec["relations"][0]["target_id"])
    ]
    cases: list[tuple[Any, str]] = [
        (
            lambda r: r["annotations"][claim].update(start=5.0),
            f"annotations[{claim}].start must be an integer, not 5.0",
        ),
        (lambda r: r["annotations"][claim].update(end=True), f"annotations[{claim}].end must be an integer, not true"),
        (
            lambda r: r["annotations"][claim].update(end=2**70),
            f"annotations[{claim}].end must be at most {2**63 - 1}, not {2**70}",
        ),
        (
            lambda r: r["annotations"][claim].update(start=r["annotations"][claim]["start"] + 1),
            f"annotations[{claim}] (span '{rec['annotations'][claim]['id']}') does not match the article text at its "
            "offsets",
        ),
        (
            lambda r: r["annotations"][actor].update(verdict="false"),
            f"annotations[{actor}] has a verdict but is an actor span, and only claims take a verdict",
        ),
        (
            lambda r: r["annotations"][claim]["evidence"][0].update(url="javascript:alert(1)"),
            f"annotations[{claim}].evidence[0].url is 'javascript:alert(1)', not an http or https address",
        ),
        (
            lambda r: r["annotations"][actor].update(entity_id=999),
            f"annotations[{actor}].entity_id 999 is not one of the record's entities",
        ),
        (
            lambda r: r["relations"][0].update(type="party"),
            f"relations[0] is 'party', which does not link a claim to {target}",
        ),
        (
            lambda r: r["relations"][0].update(target_id="nope"),
            "relations[0].target_id is neither in this file nor in the database",
        ),
        (
            lambda r: r["article"].update(text=r["article"]["text"] + " "),
            "article.sha256 does not match the article text",
        ),
        (
            lambda r: r["article"].update(title="\ud800"),
            "article.title holds a lone UTF-16 surrogate escape, which is not text",
        ),
        (lambda r: r["article"].update(extra=1), "article has unknown field 'extra'"),
        (
            lambda r: r["entities"][0].update(kind="person"),
            "entities[0].kind is 'person', which is not one of: actor, agreement",
        ),
        (lambda r: r.pop("article"), "the record lacks 'article'"),
        (
            lambda r: r["entities"].append(dict(r["entities"][0], name="Other")),
            f"entities uses the id '{rec['entities'][0]['id']}' more than once",
        ),
    ]
    fresh = Store.open(tmp_path / "fresh.db")
    for mutate, problem in cases:
        bad = json.loads(json.dumps(rec))
        mutate(bad)
        err = _refused(fresh, _write(tmp_path / "r.jsonl", [bad]))
        assert err.problems == [f"line 1: {problem}."], problem
    fresh.close()


def test_a_valid_file_still_imports_after_validation(annotated: Store, tmp_path: Path) -> None:
    first = tmp_path / "first.jsonl"
    write_jsonl(annotated, first)
    fresh = Store.open(tmp_path / "fresh.db")
    report = read_jsonl(fresh, first)
    assert (report.articles_added, report.annotations_added, report.relations_added) == (7, 5, 2)
    second = tmp_path / "second.jsonl"
    write_jsonl(fresh, second)
    assert second.read_bytes() == first.read_bytes()
    fresh.close()


_JSON = st.recursive(
    st.none()
    | st.booleans()
    | st.integers(min_value=-(2**80), max_value=2**80)
    | st.floats(allow_nan=False)
    | st.text(max_size=12),
    lambda inner: st.lists(inner, max_size=3) | st.dictionaries(st.text(max_size=6), inner, max_size=3),
    max_leaves=8,
)


def _paths(value: Any, prefix: tuple[Any, ...] = ()) -> list[tuple[Any, ...]]:
    found = [prefix]
    if isinstance(value, dict):
        for k, v in value.items():
            found += _paths(v, (*prefix, k))
    elif isinstance(value, list):
        for i, v in enumerate(value):
            found += _paths(v, (*prefix, i))
    return found


def _mutate(rec: dict[str, Any], path: tuple[Any, ...], how: str, new: Any) -> Any:
    if not path:
        return new
    parent = rec
    for part in path[:-1]:
        parent = parent[part]
    if how == "delete":
        del parent[path[-1]]
    elif how == "nest":
        wrapped = parent[path[-1]]
        for _ in range(60):
            wrapped = [wrapped]
        parent[path[-1]] = wrapped
    else:
        parent[path[-1]] = new
    return rec


def test_hundreds_of_malformed_inputs_give_no_traceback(annotated: Store, tmp_path: Path) -> None:
    """Mutants of real records (wrong types, missing keys, deep nesting, huge numbers, nulls,
    non-objects) and byte damage (truncation, invalid UTF-8, NaN/Infinity) are each refused
    with sentences, or imported whole: never an exception of another kind, never half a file."""
    recs = _records(annotated, tmp_path)
    fresh = Store.open(tmp_path / "fresh.db")
    path = tmp_path / "fuzz.jsonl"
    seen = {"refused": 0, "imported": 0}

    @settings(max_examples=400, deadline=None, suppress_health_check=list(HealthCheck), database=None)
    @given(
        which=st.integers(0, len(recs) - 1),
        pick=st.integers(0, 10**6),
        how=st.sampled_from(["set", "set", "delete", "nest"]),
        new=_JSON,
        damage=st.sampled_from(["none", "none", "truncate", "bad-utf8", "nan", "infinity", "huge", "cr"]),
        cut=st.integers(0, 10**6),
    )
    def run(which: int, pick: int, how: str, new: Any, damage: str, cut: int) -> None:
        rec = json.loads(json.dumps(recs[which]))
        paths = _paths(rec)
        path_to = paths[pick % len(paths)]
        if how == "delete" and not path_to:
            how = "set"
        mutated = _mutate(rec, path_to, how, new)
        line = json.dumps(mutated, ensure_ascii=False).encode("utf-8")
        if damage == "truncate":
            line = line[: cut % max(1, len(line))]
        elif damage == "bad-utf8":
            at = cut % max(1, len(line))
            line = line[:at] + b"\xff\xfe" + line[at:]
        elif damage in ("nan", "infinity", "huge"):
            token = {"nan": b"NaN", "infinity": b"Infinity", "huge": b"1" + b"0" * 400}[damage]
            line = line.replace(b'"version": 1', b'"version": ' + token, 1)
        elif damage == "cr":
            line = line.replace(b", ", b",\r", 3)
        path.write_bytes(line + b"\n")
        before = _state(fresh)
        try:
            read_jsonl(fresh, path)
        except JsonlInvalid as err:
            assert _state(fresh) == before
            assert err.problems and all(p.startswith("line 1: ") and p.endswith(".") for p in err.problems)
            seen["refused"] += 1
        else:
            seen["imported"] += 1

    run()
    assert seen["refused"] >= 300, seen
    fresh.close()
