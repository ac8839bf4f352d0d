"""Each export loaded into the real program its users load it into (issue 17).

pandas and ``csv`` in strict mode for the CSV; LibreOffice Calc (headless) for the XLSX and the
``--spreadsheet`` CSV; pyld for both JSON-LD formats; the REFI-QDA XSD for qdpx; brat's own
reading rules for the standoff files; a JSONL round trip through every line separator.
"""

from __future__ import annotations

import csv
import io
import json
import re
import shutil
import subprocess
import zipfile
from pathlib import Path
from typing import Any

import pytest

from kzpk_desktop.core.exporters import ExportCancelled
from kzpk_desktop.core.exporters.brat import LINE_BREAKS, overlap_kind
from kzpk_desktop.core.exporters.csv_export import COLUMN_NAMES, DATE_COLUMNS
from kzpk_desktop.core.exporters.jsonl import read_jsonl
from kzpk_desktop.core.exporters.options import ExportOptions
from kzpk_desktop.core.exporters.registry import FORMATS, export
from kzpk_desktop.core.exporters.xlsx import NUMBER_COLUMNS, XML_ILLEGAL
from kzpk_desktop.core.rows import ExportRow
from kzpk_desktop.core.store import Store
from tests.conftest import ROOT
from tests.core import hostile_export

SCHEMAS = ROOT / "resources" / "schemas"
SOFFICE = shutil.which("soffice") or shutil.which("libreoffice")
needs_soffice = pytest.mark.skipif(
    SOFFICE is None,
    reason="LibreOffice (soffice) is not installed; apt-get install libreoffice-calc-nogui (.ci/run does)",
)


@pytest.fixture
def hostile(annotated: Store, tmp_path: Path) -> tuple[Store, dict[str, str]]:
    """The shared annotated fixture plus the hostile article."""
    ids = hostile_export.build(annotated, tmp_path / "hostile")
    return annotated, ids


def exact_rows(store: Store) -> list[ExportRow]:
    return list(store.review.iter_export_rows())


# --- CSV: pandas and csv strict -------------------------------------------------------------
def test_default_csv_is_exact_for_pandas_and_strict_csv(hostile: tuple[Store, dict[str, str]], tmp_path: Path) -> None:
    import pandas as pd

    store, ids = hostile
    out = tmp_path / "a.csv"
    assert export(store, "csv", out) == len(exact_rows(store)) == 17
    with out.open(newline="", encoding="utf-8") as fh:
        strict = list(csv.DictReader(fh, strict=True))
    frame = pd.read_csv(out, dtype=str, keep_default_na=False, encoding="utf-8")
    assert list(frame.columns) == list(COLUMN_NAMES) and len(frame) == len(strict) == 17
    for rows in (strict, frame.to_dict("records")):
        for row in rows:
            text = store.articles.text(int(row["article_id"]))
            assert text[int(row["start"]) : int(row["end"])] == row["text"]
    by_id = {r["annotation_id"]: r for r in strict}
    assert by_id[ids["formula"]]["text"] == "=SUM(1+1) total" and by_id[ids["formula"]]["verdict"] == "false"
    assert by_id[ids["tab"]]["text"] == "\tTab start." and by_id[ids["plus"]]["note"] == "007"
    assert by_id[ids["breaks"]]["text"].count("\x0c") == 1 and by_id[ids["illegal"]]["text"] == "q\x01r s\x1fs"
    assert [by_id[ids[k]]["note"] for k in ("formula", "plus", "minus", "at", "tab")] == hostile_export.NOTES[:5]


# --- LibreOffice ----------------------------------------------------------------------------
def soffice_to_ods(src: Path, outdir: Path, infilter: str | None = None) -> Path:
    """``soffice --headless --convert-to ods``, with a private profile so parallel runs never clash."""
    profile = outdir / "lo-profile"
    cmd = [str(SOFFICE), f"-env:UserInstallation=file://{profile}", "--headless"]
    if infilter:
        cmd.append(f"--infilter={infilter}")
    cmd += ["--convert-to", "ods", "--outdir", str(outdir), str(src)]
    r = subprocess.run(cmd, capture_output=True, text=True, timeout=180)
    ods = outdir / (src.stem + ".ods")
    assert r.returncode == 0 and ods.exists(), (r.stdout, r.stderr)
    return ods


def read_ods(path: Path) -> list[list[tuple[str, str, str]]]:
    """Every cell as (value type, displayed text, formula) read back with odfpy."""
    from odf import teletype
    from odf.opendocument import load
    from odf.table import TableCell, TableRow
    from odf.text import P

    rows = []
    for tr in load(str(path)).spreadsheet.getElementsByType(TableRow):
        row: list[tuple[str, str, str]] = []
        for cell in tr.getElementsByType(TableCell):
            repeat = int(cell.getAttribute("numbercolumnsrepeated") or 1)
            shown = "\n".join(teletype.extractText(p) for p in cell.getElementsByType(P))
            value = (cell.getAttribute("valuetype") or "", shown, cell.getAttribute("formula") or "")
            row.extend([value] * min(repeat, 64))
        while row and row[-1] == ("", "", ""):
            row.pop()
        if row:
            rows.append(row)
    return rows


def lo_text(value: str) -> str:
    """What Calc keeps of a string: ODS (XML 1.0) cannot carry control characters, and Calc 7.4
    drops a tab from a cell that also holds a line break (measured from XLSX and from CSV alike;
    the files we write hold it: a one-line cell keeps its tab)."""
    value = XML_ILLEGAL.sub("", value)
    return value.replace("\t", "") if "\n" in value or "\r" in value else value


@needs_soffice
def test_xlsx_opens_in_libreoffice_with_no_formula_and_every_cell_as_written(
    hostile: tuple[Store, dict[str, str]], tmp_path: Path
) -> None:
    store, _ = hostile
    out = tmp_path / "a.xlsx"
    assert export(store, "xlsx", out) == 17
    sheet = read_ods(soffice_to_ods(out, tmp_path))
    assert [c[1] for c in sheet[0]] == list(COLUMN_NAMES)
    rows = exact_rows(store)
    assert len(sheet) == len(rows) + 1
    for cells, row in zip(sheet[1:], rows, strict=True):
        cells += [("", "", "")] * (len(COLUMN_NAMES) - len(cells))
        for (vtype, shown, formula), name in zip(cells, COLUMN_NAMES, strict=True):
            assert formula == "", (name, shown)
            value = getattr(row, name)
            if value in (None, ""):
                assert (vtype, shown) == ("", ""), name
            elif name in NUMBER_COLUMNS:
                assert (vtype, shown) == ("float", str(value)), name
            else:
                assert vtype == "string", (name, value, vtype)
                assert shown == lo_text(value), (name, value, shown)
    verdicts = {c[COLUMN_NAMES.index("verdict")] for c in sheet[1:] if len(c) > COLUMN_NAMES.index("verdict")}
    assert ("string", "false", "") in verdicts  # not the boolean FALSE


@needs_soffice
def test_spreadsheet_csv_opens_in_libreoffice_with_no_formula_and_every_cell_as_written(
    hostile: tuple[Store, dict[str, str]], tmp_path: Path
) -> None:
    store, _ = hostile
    out = tmp_path / "sheet.csv"
    assert export(store, "csv", out, options=ExportOptions(spreadsheet=True, bom=True)) == 17
    with out.open(newline="", encoding="utf-8-sig") as fh:
        written = list(csv.reader(fh, strict=True))
    # UTF-8 chosen explicitly, as the import dialog asks (44 = comma, 34 = quote, 76 = UTF-8).
    sheet = read_ods(soffice_to_ods(out, tmp_path, "CSV:44,34,76,1"))
    assert len(sheet) == len(written) == 18
    for cells, expected in zip(sheet, written, strict=True):
        cells += [("", "", "")] * (len(expected) - len(cells))
        for (vtype, shown, formula), value, name in zip(cells, expected, COLUMN_NAMES, strict=True):
            assert formula == "", (name, value)
            if value == "":
                continue
            if name in DATE_COLUMNS and vtype == "date":
                assert shown == value, name  # ISO dates may become date cells, shown as written
                continue
            if name in ("article_id", "start", "end", "entity_id") and expected is not written[0]:
                assert (vtype, shown) == ("float", value), name
                continue
            assert vtype == "string", (name, value, vtype)
            assert shown == lo_text(value).replace("\r", "\n"), (name, value, shown)
    verdict = COLUMN_NAMES.index("verdict")
    assert ("string", "'false", "") in {row[verdict] for row in sheet[1:] if len(row) > verdict}


@needs_soffice
def test_the_exact_csv_is_not_spreadsheet_safe_which_is_why_the_other_two_exist(
    hostile: tuple[Store, dict[str, str]], tmp_path: Path
) -> None:
    """The measurement behind the design: Calc runs a leading = even when the CSV quotes it."""
    store, _ = hostile
    out = tmp_path / "exact.csv"
    export(store, "csv", out, options=ExportOptions(columns=("text",)))
    sheet = read_ods(soffice_to_ods(out, tmp_path, "CSV:44,34,76,1"))
    assert any(formula for row in sheet for _, _, formula in row)


# --- JSONL ----------------------------------------------------------------------------------
def test_jsonl_round_trips_through_every_unicode_line_separator(
    hostile: tuple[Store, dict[str, str]], tmp_path: Path
) -> None:
    store, ids = hostile
    first = tmp_path / "first.jsonl"
    export(store, "jsonl", first)
    raw = first.read_bytes().decode("utf-8")
    # json.dumps escapes the C0 controls (\x0b, \x0c, \x1c-\x1e) but leaves these raw; splitlines cuts at them
    assert all(ch in raw for ch in "\x85\u2028\u2029") and "\\f" in raw and "\\u001c" in raw
    fresh = Store.open(tmp_path / "fresh.db")
    report = read_jsonl(fresh, first, who="t")
    assert (report.articles_added, report.annotations_added) == (8, 17)
    assert fresh.annotations.get(ids["breaks"]).text == store.annotations.get(ids["breaks"]).text
    second = tmp_path / "second.jsonl"
    export(fresh, "jsonl", second)
    assert second.read_bytes() == first.read_bytes()
    fresh.close()


# --- brat -----------------------------------------------------------------------------------
def brat_read(ann: str, doc: str) -> dict[str, tuple[str, list[tuple[int, int]]]]:
    """Text-bound annotations parsed as brat's Annotations class does (server/src/annotation.py):
    ``readlines()`` on a unicode stream, ``ID\\tTYPE OFFSETS\\tTEXT``, the text compared with the
    fragments joined by one space."""
    spans = {}
    for line in io.StringIO(ann, newline=None).read().splitlines(keepends=True):
        ident, tail = line.split("\t", 1)
        assert re.fullmatch(r"[TAR#]\d+", ident), line
        if not ident.startswith("T"):
            continue
        data, sep, text_tail = tail.partition("\t")
        typ, offsets = data.split(" ", 1)
        frags = [(int(a), int(b)) for a, b in (f.split() for f in offsets.split(";"))]
        spanlen = sum(b - a for a, b in frags) + len(frags) - 1
        assert sep == "\t" and len(text_tail) >= spanlen + 1, line
        text, rest = text_tail[:spanlen], text_tail[spanlen:]
        assert text == " ".join(doc[a:b] for a, b in frags), line
        assert rest == "" or rest[0].isspace(), line
        for i, (a, b) in enumerate(frags):
            assert 0 <= a < b <= len(doc) and not any(ch in LINE_BREAKS for ch in doc[a:b])
            assert all(not (b2 > a and a2 < b) for a2, b2 in frags[:i])  # brat: fragments never overlap
        spans[ident] = (typ, frags)
    return spans


def test_brat_files_read_back_with_brats_rules_and_conf_allows_every_overlap(
    hostile: tuple[Store, dict[str, str]], tmp_path: Path
) -> None:
    store, ids = hostile
    out = tmp_path / "b.zip"
    assert export(store, "brat", out) == 17
    z = zipfile.ZipFile(out)
    conf = z.read("annotation.conf").decode("utf-8")
    (rule,) = [line for line in conf.splitlines() if line.startswith("<OVERLAP>")]
    allowed = set(rule.rsplit(":", 1)[1].split("|"))
    assert allowed == {"equal", "contain", "cross"}
    hostile_id = store.annotations.get(ids["breaks"]).article_id
    seen = 0
    for name in sorted(n for n in z.namelist() if n.endswith(".ann")):
        doc = z.read(name[:-4] + ".txt").decode("utf-8")
        assert doc == store.articles.text(int(name[:-4]))
        spans = brat_read(z.read(name).decode("utf-8"), doc)
        seen += len(spans)
        ordered = list(spans.values())
        for i, (_, a) in enumerate(ordered):
            for _, b in ordered[i + 1 :]:
                kind = overlap_kind(a, b)
                assert kind is None or kind in allowed
        if int(name[:-4]) == hostile_id:
            frags = max((f for _, f in spans.values()), key=len)
            assert len(frags) == 9  # the span crossing eight brat line breaks
    assert seen == 17


# --- REFI-QDA -------------------------------------------------------------------------------
def test_qdpx_is_valid_against_the_refi_qda_schema_and_keeps_positions(
    hostile: tuple[Store, dict[str, str]], tmp_path: Path
) -> None:
    import xmlschema

    store, ids = hostile
    schema = xmlschema.XMLSchema(SCHEMAS / "Project-mrt2019.xsd")
    out = tmp_path / "p.qdpx"
    notices: list[str] = []
    assert export(store, "qdpx", out, options=ExportOptions(notices=notices)) == 17
    z = zipfile.ZipFile(out)
    qde = z.read("project.qde")
    schema.validate(io.BytesIO(qde))
    assert notices == [
        "2 character(s) that XML 1.0 cannot hold were left out of project.qde names and notes "
        "(U+0001 ×1, U+0007 ×1); the texts under Sources/ keep them, so every position is unchanged."
    ]
    ns = "{urn:QDA-XML:project:1.0}"
    from xml.etree import ElementTree as ET

    tree = ET.fromstring(qde)
    assert [child.tag for child in tree] == [f"{ns}Users", f"{ns}CodeBook", f"{ns}Sources", f"{ns}Description"]
    by_guid = {}
    for source in tree.iter(f"{ns}TextSource"):
        text = z.read(source.get("plainTextPath").replace("internal://", "Sources/")).decode("utf-8")
        for sel in source.iter(f"{ns}PlainTextSelection"):
            by_guid[sel.get("guid")] = text[int(sel.get("startPosition")) : int(sel.get("endPosition"))]
    from kzpk_desktop.core.exporters.qdpx import guid

    assert by_guid[guid("span", ids["illegal"])] == "q\x01r s\x1fs"  # offsets right in the source text
    assert by_guid[guid("span", ids["breaks"])] == store.annotations.get(ids["breaks"]).text
    assert len(by_guid) == 17


def test_the_old_project_order_fails_the_schema() -> None:
    """The schema really checks order: a Description before Sources (the old export) is refused."""
    import xmlschema

    schema = xmlschema.XMLSchema(SCHEMAS / "Project-mrt2019.xsd")
    bad = (
        '<Project xmlns="urn:QDA-XML:project:1.0" name="x"><Description>d</Description>'
        '<Sources><TextSource guid="6f1d7c1e-2b1a-4e8e-9a51-6b7a2c1f0d11" plainTextPath="a"/></Sources></Project>'
    )
    assert not schema.is_valid(bad)


# --- JSON-LD --------------------------------------------------------------------------------
def offline_loader(url: str, options: dict[str, Any] | None = None) -> dict[str, Any]:
    """pyld document loader that serves the W3C context from resources/schemas (no network)."""
    if url.rstrip("/") in ("http://www.w3.org/ns/anno.jsonld", "https://www.w3.org/ns/anno.jsonld"):
        return {
            "contentType": "application/ld+json",
            "contextUrl": None,
            "documentUrl": url,
            "document": json.loads((SCHEMAS / "anno.jsonld").read_text(encoding="utf-8")),
        }
    raise AssertionError(f"the export needs a remote document: {url}")


IRI = re.compile(r"[a-z][a-z0-9+.-]*:\S+")


def test_web_annotation_passes_the_models_musts_and_expands_with_pyld(
    hostile: tuple[Store, dict[str, str]], tmp_path: Path
) -> None:
    from pyld import jsonld

    store, _ = hostile
    out = tmp_path / "w.jsonld"
    assert export(store, "webanno", out) == 17
    doc = json.loads(out.read_text(encoding="utf-8"))
    page = doc["first"]
    assert IRI.fullmatch(doc["id"]) and IRI.fullmatch(page["id"]) and doc["id"] != page["id"]
    assert (doc["type"], page["type"], doc["total"], page["startIndex"]) == (
        "AnnotationCollection",
        "AnnotationPage",
        17,
        0,
    )
    ids = [a["id"] for a in page["items"]]
    assert len(set(ids)) == 17 and all(IRI.fullmatch(i) for i in ids)

    def walk(node: Any) -> None:
        if isinstance(node, dict):
            assert not (node.get("type") == "SpecificResource" and "value" in node)  # a MUST NOT of the model
            for v in node.values():
                walk(v)
        elif isinstance(node, list):
            for v in node:
                walk(v)

    walk(doc)
    for item in page["items"]:
        pos, quote = item["target"]["selector"]
        assert set(pos) == {"type", "start", "end"} and 0 <= pos["start"] < pos["end"]
        assert all(isinstance(pos[k], int) for k in ("start", "end"))
        assert set(quote) == {"type", "exact", "prefix", "suffix"} and all(isinstance(v, str) for v in quote.values())
        assert item["target"]["type"] == "SpecificResource" and IRI.fullmatch(item["target"]["source"]["id"])
    context = json.loads((SCHEMAS / "anno.jsonld").read_text(encoding="utf-8"))["@context"]

    def keys(node: Any) -> set[str]:
        if isinstance(node, dict):
            return set(node) | set().union(*(keys(v) for v in node.values()))
        if isinstance(node, list):
            return set().union(*(keys(v) for v in node)) if node else set()
        return set()

    assert keys(doc) - {"@context"} <= set(context)  # every key is a term of the W3C context
    expanded = jsonld.expand(doc, {"documentLoader": offline_loader})
    flat = json.dumps(expanded)
    assert flat.count('"http://www.w3.org/ns/oa#Annotation"') == 17
    assert flat.count('"http://www.w3.org/ns/oa#TextPositionSelector"') == 17
    assert '"http://www.w3.org/ns/activitystreams#OrderedCollection"' in flat


REQUIRED_REVIEW = {"@context", "@type", "url", "claimReviewed", "author", "reviewRating", "itemReviewed"}


def test_claimreview_has_what_fact_check_consumers_require_and_expands_with_pyld(
    hostile: tuple[Store, dict[str, str]], tmp_path: Path
) -> None:
    from pyld import jsonld

    store, ids = hostile
    out = tmp_path / "cr.jsonld"
    opts = ExportOptions(author="KZPK Fact Desk", base_url="https://facts.example.org/reviews/")
    assert export(store, "claimreview", out, options=opts) == 3
    items = json.loads(out.read_text(encoding="utf-8"))
    for item in items:
        assert set(item) >= REQUIRED_REVIEW
        assert item["url"] == "https://facts.example.org/reviews/" + item["identifier"]
        assert item["author"] == {"@type": "Organization", "name": "KZPK Fact Desk"}
        rating = item["reviewRating"]
        assert rating["@type"] == "Rating" and rating["alternateName"]
        claim = item["itemReviewed"]
        assert claim["@type"] == "Claim" and claim["datePublished"]
        appearance = claim["appearance"]
        assert appearance["@type"] == "CreativeWork" and appearance["url"].startswith("https://facts.example.org/")
        assert appearance["datePublished"] == claim["datePublished"]
        for party in claim.get("author") if isinstance(claim.get("author"), list) else [claim.get("author")]:
            assert party is None or party["@type"] in ("Person", "Organization")
        assert "kzpk" not in json.dumps(item)
        expanded = jsonld.expand(item, {"documentLoader": offline_loader})
        flat = json.dumps(expanded)
        assert '"https://schema.org/ClaimReview"' in flat and '"https://schema.org/url"' in flat
    by_id = {i["identifier"]: i for i in items}
    false = by_id[ids["formula"]]
    assert false["reviewRating"]["alternateName"] == "False" and false["reviewRating"]["ratingValue"] == 1
    assert false["itemReviewed"]["author"] == {"@type": "Person", "name": "Mohammad Ishaq Dar"}
    assert false["itemReviewed"]["datePublished"] == "2025-09-09"
    assert by_id[ids["breaks"]]["itemReviewed"]["author"] == {
        "@type": "Organization",
        "name": "Ministry of Foreign Affairs",
    }
    assert "ratingValue" not in by_id[ids["breaks"]]["reviewRating"]  # unverifiable is off the truth line
    store.settings.set("claimreview.author", "Desk Person")
    store.settings.set("claimreview.author_type", "person")
    export(store, "claimreview", out)
    first = json.loads(out.read_text(encoding="utf-8"))[0]
    assert first["author"] == {"@type": "Person", "name": "Desk Person"} and first["url"] == "#" + first["identifier"]
    with pytest.raises(ValueError, match="base URL must start with https://"):
        export(store, "claimreview", out, options=ExportOptions(base_url="ftp://x"))


# --- every format ---------------------------------------------------------------------------
@pytest.mark.parametrize("fmt", sorted(FORMATS))
def test_cancel_stops_every_format_and_leaves_no_file(
    hostile: tuple[Store, dict[str, str]], tmp_path: Path, fmt: str
) -> None:
    store, _ = hostile
    out = tmp_path / f"new.{FORMATS[fmt].extension}"
    calls: list[int] = []

    def cancel(n: int) -> bool:
        calls.append(n)
        return False

    with pytest.raises(ExportCancelled, match="no file was written"):
        export(store, fmt, out, progress=cancel)
    assert calls and not out.exists()
    kept = tmp_path / f"old.{FORMATS[fmt].extension}"
    kept.write_bytes(b"previous export")
    answers = iter([True, False])  # go on once, then cancel: a later Cancel is honoured too
    with pytest.raises(ExportCancelled):
        export(store, fmt, kept, progress=lambda n: next(answers))
    assert kept.read_bytes() == b"previous export"
    assert [p.name for p in tmp_path.iterdir() if p.name.endswith(".part")] == []
    assert export(store, fmt, out, progress=lambda n: True) >= 1 and out.exists()


def test_every_format_is_byte_identical_when_exported_twice(
    hostile: tuple[Store, dict[str, str]], tmp_path: Path
) -> None:
    import time

    store, _ = hostile
    first = {f: tmp_path / f"1.{f}" for f in FORMATS}
    for fmt, path in first.items():
        export(store, fmt, path)
    time.sleep(2.1)  # zip dates have a 2-second grain; a clock-dependent export would now differ
    for fmt, path in first.items():
        again = tmp_path / f"2.{fmt}"
        export(store, fmt, again)
        assert again.read_bytes() == path.read_bytes(), fmt
        if FORMATS[fmt].extension in ("zip", "qdpx", "xlsx"):
            assert {i.date_time for i in zipfile.ZipFile(again).infolist()} == {(1980, 1, 1, 0, 0, 0)}


def test_formats_md_names_every_format_and_the_client_it_was_checked_with() -> None:
    doc = (ROOT / "docs" / "formats.md").read_text(encoding="utf-8")
    for name, fmt in FORMATS.items():
        assert f"| `{name}` | `.{fmt.extension}` |" in doc and fmt.client in doc, name


def test_a_claimreview_missing_a_required_property_is_refused() -> None:
    from kzpk_desktop.core.exporters.claimreview import check_review

    good = {
        "identifier": "c1",
        "url": "#c1",
        "claimReviewed": "x",
        "author": {"@type": "Person", "name": "A"},
        "reviewRating": {"alternateName": "False"},
        "itemReviewed": {"@type": "Claim", "appearance": {"@type": "CreativeWork", "url": "#a"}},
    }
    check_review(good)
    with pytest.raises(ValueError, match=r"^ClaimReview c1 lacks url, author; nothing was written\.$"):
        check_review({**good, "url": "", "author": {"@type": "Thing", "name": "A"}})
