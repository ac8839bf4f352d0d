"""Every export format read back with the standard library; offsets checked against the text."""

from __future__ import annotations

import csv
import json
import zipfile
from pathlib import Path
from xml.etree import ElementTree as ET

import pytest

from kzpk_desktop.core import annotations as ann
from kzpk_desktop.core.exporters.filters import ExportFilter
from kzpk_desktop.core.exporters.registry import FORMATS, export
from kzpk_desktop.core.exporters.tables import ARTICLE_COLUMNS, CLAIM_COLUMNS
from kzpk_desktop.core.exporters.webanno import text_iri
from kzpk_desktop.core.store import Store
from tests.conftest import article_id_by_file
from tests.core.conftest import HOSTILE


def read_csv(path: Path) -> list[dict[str, str]]:
    with path.open(newline="", encoding="utf-8") as fh:
        return list(csv.DictReader(fh))


def test_claims_table_joins_speaker_agreements_verdict_and_evidence(annotated: Store, tmp_path: Path) -> None:
    out = tmp_path / "claims.csv"
    assert export(annotated, "claims-csv", out) == 2
    rows = read_csv(out)
    assert list(rows[0]) == [c for c, _ in CLAIM_COLUMNS]
    claim = next(r for r in rows if r["verdict"])
    assert claim["speaker"] == "Mohammad Ishaq Dar"
    assert claim["about_agreements"] == "Action Plan of Cooperation"
    assert (claim["verdict"], claim["confidence"], claim["reviewer"]) == ("supported", "high", "Chen")
    assert claim["evidence_count"] == "2"
    assert claim["evidence_urls"] == "https://mofa.gov.pk/a | https://example.org/b?x=1&y=2"
    assert claim["evidence_stances"] == "supports | refutes"
    assert claim["note"] == 'He said "milestone",\nthen left'
    emoji = next(r for r in rows if "👍🏽" in r["claim"])
    assert emoji["note"] == HOSTILE[0] and emoji["speaker"] == ""  # exact by default
    for r in rows:
        text = annotated.articles.text(int(r["article_id"]))
        assert text[int(r["start"]) : int(r["end"])] == r["claim"]
        assert not r["evidence_urls"].startswith("[")  # no JSON inside cells
    assert export(annotated, "claims-csv", out, ExportFilter(verdict=("supported",))) == 1


def test_articles_csv_counts_spans_and_reviews(annotated: Store, tmp_path: Path) -> None:
    out = tmp_path / "articles.csv"
    assert export(annotated, "articles-csv", out) == 7
    rows = {r["article_id"]: r for r in read_csv(out)}
    assert list(next(iter(rows.values()))) == [c for c, _ in ARTICLE_COLUMNS]
    r = rows["2"]
    assert (r["annotations"], r["claims"], r["actors"], r["agreements"]) == ("3", "1", "1", "1")
    assert (r["reviewed"], r["unreviewed"]) == ("1", "2")
    assert int(r["characters"]) == len(annotated.articles.text(2))
    assert rows["1"]["annotations"] == "0" and rows["1"]["source"] == "Pakistan Today"


def test_web_annotation_selectors_re_anchor_every_span(annotated: Store, tmp_path: Path) -> None:
    out = tmp_path / "wa.jsonld"
    assert export(annotated, "webanno", out) == 5
    doc = json.loads(out.read_text(encoding="utf-8"))
    assert doc["type"] == "AnnotationCollection" and doc["id"].startswith("urn:uuid:")
    assert doc["@context"] == "http://www.w3.org/ns/anno.jsonld"
    items = doc["first"]["items"]
    assert doc["total"] == len(items) == 5
    texts = {
        text_iri(annotated.articles.get(a.id).sha256): annotated.articles.text(a.id)
        for a in annotated.articles.article_listing()
    }
    for item in items:
        pos, quote = item["target"]["selector"]
        assert (pos["type"], quote["type"]) == ("TextPositionSelector", "TextQuoteSelector")
        text = texts[item["target"]["source"]["id"]]
        assert text[pos["start"] : pos["end"]] == quote["exact"]
        assert text.find(quote["prefix"] + quote["exact"] + quote["suffix"]) == pos["start"] - len(quote["prefix"])
        assert item["id"].startswith("urn:uuid:") and item["target"]["source"]["id"].startswith("ni:///sha-256;")
    claim = next(i for i in items if i["motivation"] == "assessing")
    assert {b["purpose"]: b["value"] for b in claim["body"]}["assessing"] == "supported"
    dar = next(i for i in items if i["target"]["selector"][1]["exact"] == "Mohammad Ishaq Dar")
    (ident,) = [b for b in dar["body"] if b["purpose"] == "identifying"]
    assert ident["type"] == "SpecificResource" and "value" not in ident
    assert ident["source"]["label"] == "Mohammad Ishaq Dar"


def parse_ann(text: str) -> tuple[dict[str, tuple[str, list[tuple[int, int]], str]], list[tuple[str, str, str]]]:
    spans, rels = {}, []
    for line in text.splitlines():
        key, rest = line.split("\t", 1)
        if key.startswith("T"):
            head, shown = rest.split("\t")
            typ, offsets = head.split(" ", 1)
            frags = [tuple(map(int, f.split())) for f in offsets.split(";")]
            spans[key] = (typ, frags, shown)
        elif key.startswith("R"):
            typ, a1, a2 = rest.split()
            rels.append((typ, a1.split(":")[1], a2.split(":")[1]))
    return spans, rels


def test_brat_standoff_offsets_fragments_and_relations(annotated: Store, tmp_path: Path) -> None:
    emoji_id = article_id_by_file(annotated, "crlf_emoji")
    etext = annotated.articles.text(emoji_id)
    s = etext.index("landed.")
    ann.create_annotation(annotated, emoji_id, s, etext.index("Families") + 8, "claim")  # crosses a line break
    out = tmp_path / "brat.zip"
    assert export(annotated, "brat", out) == 6
    z = zipfile.ZipFile(out)
    assert "annotation.conf" in z.namelist() and "said_by\tArg1:Claim, Arg2:Actor" in z.read("annotation.conf").decode()
    total = 0
    for name in z.namelist():
        if not name.endswith(".ann"):
            continue
        text = z.read(name[:-4] + ".txt").decode("utf-8")
        assert text == annotated.articles.text(int(name[:-4]))
        spans, rels = parse_ann(z.read(name).decode("utf-8"))
        total += len(spans)
        for _typ, frags, shown in spans.values():
            assert shown == " ".join(text[a:b] for a, b in frags)
            assert all("\n" not in text[a:b] for a, b in frags)
        if name == "000002.ann":
            assert sorted(r[0] for r in rels) == ["about", "said_by"]
    assert total == 6
    emoji_ann = next(n for n in z.namelist() if n.endswith(".ann") and "👍🏽" in z.read(n).decode())
    spans, _ = parse_ann(z.read(emoji_ann).decode())
    assert any(len(frags) == 2 for _, frags, _ in spans.values())  # the span crossing a line break


def test_claimreview_for_reviewed_claims(annotated: Store, tmp_path: Path) -> None:
    out = tmp_path / "cr.jsonld"
    assert export(annotated, "claimreview", out) == 1
    (item,) = json.loads(out.read_text(encoding="utf-8"))
    assert item["@type"] == "ClaimReview" and item["reviewRating"]["alternateName"] == "Supported"
    assert (item["reviewRating"]["ratingValue"], item["reviewRating"]["bestRating"]) == (5, 5)
    assert item["itemReviewed"]["author"] == {"@type": "Person", "name": "Mohammad Ishaq Dar"}
    assert item["itemReviewed"]["appearance"]["publisher"]["name"] == "UrduPoint"
    assert item["url"] == "#" + item["identifier"] and item["itemReviewed"]["datePublished"] == "2025-09-09"
    assert [c["url"] for c in item["citation"]] == ["https://mofa.gov.pk/a", "https://example.org/b?x=1&y=2"]
    assert item["author"] == {"@type": "Person", "name": "Chen"}
    assert "kzpk:" not in json.dumps(item)


def test_refi_qda_project_codes_every_span_at_its_code_points(annotated: Store, tmp_path: Path) -> None:
    out = tmp_path / "p.qdpx"
    assert export(annotated, "qdpx", out) == 5
    z = zipfile.ZipFile(out)
    ns = {"q": "urn:QDA-XML:project:1.0"}
    root = ET.fromstring(z.read("project.qde"))
    codes = {c.get("guid"): c.get("name") for c in root.iter("{urn:QDA-XML:project:1.0}Code")}
    assert {"Claim", "Actor", "Agreement", "Mohammad Ishaq Dar", "Action Plan of Cooperation"} <= set(codes.values())
    n = 0
    for source in root.findall(".//q:TextSource", ns):
        path = source.get("plainTextPath").replace("internal://", "Sources/")
        text = z.read(path).decode("utf-8")
        for sel in source.findall("q:PlainTextSelection", ns):
            n += 1
            span = text[int(sel.get("startPosition")) : int(sel.get("endPosition"))]
            assert " ".join(span.split())[:60] == sel.get("name")
            coded = {codes[ref.get("targetGUID")] for ref in sel.iter("{urn:QDA-XML:project:1.0}CodeRef")}
            if span == "Mohammad Ishaq Dar":
                assert coded == {"Actor", "Mohammad Ishaq Dar"}
    assert n == 5
    again = tmp_path / "q.qdpx"
    export(annotated, "qdpx", again)
    assert again.read_bytes() == out.read_bytes()  # stable GUIDs and dates: exporting twice gives the same bytes


@pytest.mark.parametrize("fmt", sorted(FORMATS))
def test_every_format_writes_atomically_and_names_its_unit(annotated: Store, tmp_path: Path, fmt: str) -> None:
    out = tmp_path / f"x.{FORMATS[fmt].extension}"
    n = export(annotated, fmt, out)
    assert out.exists() and n >= 1 and FORMATS[fmt].unit
    assert [p.name for p in tmp_path.iterdir() if p.name.endswith(".part")] == []
    with pytest.raises(ValueError, match="Unknown export format"):
        export(annotated, "docx", out)


def test_claim_items_refuse_a_claim_without_verdict_in_one_sentence(annotated: Store) -> None:
    from kzpk_desktop.core.exporters.averitec import averitec_item
    from kzpk_desktop.core.exporters.claimreview import Publisher, review_item

    row = next(r for r in annotated.annotations.iter_claims() if r.verdict is None)
    with pytest.raises(ValueError, match=rf"^Claim {row.claim_id} has no verdict; a ClaimReview needs one\.$"):
        review_item(row, [], [], Publisher("Desk", "Organization", None))
    with pytest.raises(ValueError, match=rf"^Claim {row.claim_id} has no verdict; an AVeriTeC item needs one\.$"):
        averitec_item(row, [])
