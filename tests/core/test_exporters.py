"""CSV and JSONL exports read back with the standard library."""

from __future__ import annotations

import csv
import io
import json
from pathlib import Path

import pytest

from kzpk_desktop.core.exporters.csv_export import COLUMN_NAMES, spreadsheet_cell, write_csv
from kzpk_desktop.core.exporters.filters import ExportFilter
from kzpk_desktop.core.exporters.jsonl import read_jsonl, write_jsonl
from kzpk_desktop.core.store import Store
from tests.core.conftest import HOSTILE


def _read_csv(path: Path, encoding: str = "utf-8") -> list[dict[str, str]]:
    with path.open(newline="", encoding=encoding) as fh:
        return list(csv.DictReader(fh))


def test_csv_has_the_contract_header_and_values_that_match_the_articles(annotated: Store, tmp_path: Path) -> None:
    out = tmp_path / "a.csv"
    assert write_csv(annotated, out) == 5
    raw = out.read_bytes()
    assert not raw.startswith(b"\xef\xbb\xbf")
    assert b"\r\n" in raw
    rows = _read_csv(out)
    assert tuple(rows[0].keys()) == COLUMN_NAMES
    for row in rows:
        text = annotated.articles.text(int(row["article_id"]))
        assert text[int(row["start"]) : int(row["end"])] == row["text"]
        assert text[: int(row["start"])].endswith(row["context_before"])
        assert text[int(row["end"]) :].startswith(row["context_after"])
    claim = next(r for r in rows if r["annotator"] == "Bilal" and r["label"] == "claim")
    assert claim["note"] == 'He said "milestone",\nthen left'  # quotes and newline survive RFC 4180
    assert claim["status"] == "accepted" and claim["article_date"] == "2025-09-09"
    assert (claim["verdict"], claim["reviewer"], claim["confidence"]) == ("supported", "Chen", "high")
    assert claim["evidence_url"] == "https://mofa.gov.pk/a" and claim["reviewed_at"].endswith("Z")
    assert claim["article_source"] == "UrduPoint"
    assert next(r for r in rows if r["text"] == "Mohammad Ishaq Dar")["entity"] == "Mohammad Ishaq Dar"
    assert next(r for r in rows if r["label"] == "agreement")["entity"] == "Action Plan of Cooperation"
    emoji = next(r for r in rows if "👍🏽" in r["text"])
    assert emoji["note"] == HOSTILE[0]  # the default CSV is exact: nothing is prefixed
    urdu = next(r for r in rows if r["text"] == "اسحاق ڈار")
    assert urdu["note"] == "-negative"


def test_csv_spreadsheet_mode_neutralises_and_bom_mode_adds_a_bom(annotated: Store, tmp_path: Path) -> None:
    out = tmp_path / "sheet.csv"
    write_csv(annotated, out, spreadsheet=True, bom=True)
    assert out.read_bytes().startswith(b"\xef\xbb\xbf")
    notes = {r["note"] for r in _read_csv(out, "utf-8-sig")}
    assert "'" + HOSTILE[0] in notes and "'-negative" in notes


@pytest.mark.parametrize("payload", HOSTILE)
def test_every_formula_prefix_is_neutralised(payload: str) -> None:
    assert spreadsheet_cell(payload) == "'" + payload
    assert spreadsheet_cell(42) == 42 and spreadsheet_cell("plain") == "plain"


@pytest.mark.parametrize(
    "value", ["false", "TRUE", "007", "1e5", "12%", "2025-09-09", "09/10/2025", "10:30", "1,000", "(5)", "$5", ".5"]
)
def test_spreadsheet_cells_that_a_spreadsheet_would_convert_are_marked_as_text(value: str) -> None:
    assert spreadsheet_cell(value, "verdict") == "'" + value
    assert spreadsheet_cell(value, "article_date") == value  # date columns stay dates
    assert spreadsheet_cell("2003 visit", "text") == "2003 visit" and spreadsheet_cell(5, "start") == 5


def test_csv_filters_and_column_choice(annotated: Store, tmp_path: Path) -> None:
    out = tmp_path / "f.csv"
    assert write_csv(annotated, out, ExportFilter(status=("accepted",))) == 1
    assert write_csv(annotated, out, ExportFilter(label=("actor",)), columns=("annotation_id", "text")) == 2
    rows = _read_csv(out)
    assert list(rows[0].keys()) == ["annotation_id", "text"]
    assert {r["text"] for r in rows} == {"Mohammad Ishaq Dar", "اسحاق ڈار"}
    assert write_csv(annotated, out, ExportFilter(annotator=("Bilal",), date_from="2025-01-01")) == 2
    with pytest.raises(ValueError, match="Unknown CSV column"):
        write_csv(annotated, out, columns=("nope",))


def test_a_failed_export_leaves_the_old_file_untouched(annotated: Store, tmp_path: Path) -> None:
    out = tmp_path / "keep.csv"
    out.write_text("previous export\n")

    def cancel(_n: int) -> bool:
        raise OSError("disk full")

    import kzpk_desktop.core.exporters.csv_export as mod

    original = mod.csv.writer

    class Exploding:
        def __init__(self, fh, **kw):
            self._w = original(fh, **kw)
            self.n = 0

        def writerow(self, row):
            self.n += 1
            if self.n == 3:
                raise OSError("disk full")
            return self._w.writerow(row)

        def writerows(self, rows):
            for row in rows:
                self.writerow(row)

    mod.csv.writer = Exploding  # type: ignore[assignment]
    try:
        with pytest.raises(OSError, match="disk full"):
            write_csv(annotated, out)
    finally:
        mod.csv.writer = original  # type: ignore[assignment]
    assert out.read_text() == "previous export\n"
    assert [p.name for p in tmp_path.iterdir() if p.name.startswith(".keep")] == []


def test_jsonl_round_trip_is_identical(annotated: Store, tmp_path: Path) -> None:
    first = tmp_path / "first.jsonl"
    assert write_jsonl(annotated, first) == 7
    records = [json.loads(line) for line in first.read_bytes().decode("utf-8").split("\n") if line]
    assert all(r["offset_unit"] == "unicode_codepoint" for r in records)
    for rec in records:
        text = rec["article"]["text"]
        for span in rec["annotations"]:
            assert text[span["start"] : span["end"]] == span["text"]
            assert text[: span["start"]].endswith(span["prefix"])
            assert text[span["end"] :].startswith(span["suffix"])
    fresh = Store.open(tmp_path / "fresh.db")
    report = read_jsonl(fresh, first, who="importer")
    assert (report.articles_added, report.annotations_added) == (7, 5)
    assert (report.entities_added, report.relations_added) == (3, 2)
    plan = fresh.entities.get(fresh.entities.by_name("agreement", "Action Plan of Cooperation"))
    assert [fresh.entities.get(p).name for p in plan.parties] == ["Mohammad Ishaq Dar", "Pakistan"]
    assert sorted(r.type for r in fresh.annotations.relations_for_article(2)) == ["about", "said_by"]
    claim_id = next(r.id for r in fresh.annotations.for_article(2) if r.label == "claim")
    assert [e.stance for e in fresh.review.evidence_for(claim_id)] == ["supports", "refutes"]
    second = tmp_path / "second.jsonl"
    write_jsonl(fresh, second)
    assert second.read_bytes() == first.read_bytes()
    again = read_jsonl(fresh, first)  # importing twice adds nothing
    assert (again.articles_matched, again.annotations_present, again.annotations_added) == (7, 5, 0)
    assert (again.entities_added, again.relations_added) == (0, 0)
    fresh.close()


def test_jsonl_import_refuses_a_tampered_span_and_changes_nothing(annotated: Store, tmp_path: Path) -> None:
    out = tmp_path / "t.jsonl"
    write_jsonl(annotated, out)
    lines = [line for line in out.read_bytes().decode("utf-8").split("\n") if line]
    recs = [json.loads(line) for line in lines]
    target = next(r for r in recs if r["annotations"])
    target["annotations"][0]["start"] += 1
    out.write_text("\n".join(json.dumps(r, ensure_ascii=False) for r in recs) + "\n", encoding="utf-8")
    fresh = Store.open(tmp_path / "fresh.db")
    with pytest.raises(Exception, match="does not match"):
        read_jsonl(fresh, out)
    assert (fresh.articles.count(), fresh.annotations.count()) == (0, 0)
    fresh.close()


def test_csv_to_stdout(annotated: Store, capsys: pytest.CaptureFixture[str]) -> None:
    write_csv(annotated, None, columns=("text",))
    rows = list(csv.reader(io.StringIO(capsys.readouterr().out)))
    assert rows[0] == ["text"] and len(rows) == 6
