"""The bad-input corpus through the whole product: import, GUI tagging, database, every export."""

from __future__ import annotations

import csv
import json
import zipfile
from pathlib import Path
from typing import Any
from xml.etree import ElementTree as ET

from PySide6.QtGui import QTextCursor

from kzpk_desktop.core.exporters.registry import export
from kzpk_desktop.core.importer import import_paths
from tests.conftest import DATA
from tests.gui.reader_positions import doc_position

EXPECTED_REFUSALS = {
    "empty.txt": "empty",
    "whitespace.txt": "only whitespace",
    "invalid_utf8.txt": "neither UTF-8",
    "nul_bytes.txt": "NUL bytes",
    "image.txt": "PNG image",
    "huge.txt": "over the 20 MB limit",
}


def test_every_bad_input_is_imported_or_refused_and_spans_stay_exact_everywhere(
    qtbot: Any, tmp_path: Path, answers: Any
) -> None:
    from kzpk_desktop.app import create_main_window
    from kzpk_desktop.core.store import Store

    corpus = tmp_path / "corpus"
    corpus.mkdir()
    for f in DATA.iterdir():
        if f.suffix == ".txt":
            (corpus / f.name).write_bytes(f.read_bytes())
    with (corpus / "huge.txt").open("wb") as fh:  # 50 MB: refused by size without being read
        fh.truncate(50 * 1024 * 1024)
    db = tmp_path / "bad.db"
    store = Store.open(db)
    report = import_paths(store, [corpus])
    store.close()
    refused = {Path(n).name: r for n, r in report.refused}
    assert set(refused) == set(EXPECTED_REFUSALS)
    for name, reason in EXPECTED_REFUSALS.items():
        assert reason in refused[name]
    imported = {Path(n).name for n, _ in report.imported}
    assert {
        "crlf_emoji.txt",
        "urdu.txt",
        "kazakh.txt",
        "combining_nfd.txt",
        "html_script.txt",
        "rtl_mixed.txt",
        "long_line.txt",
        "good_utf16_nobom.txt",
        "good_cp1252.txt",
    } <= imported

    w = create_main_window(db)
    qtbot.addWidget(w)
    w.registry["actionSnapWords"].setChecked(False)
    made = {}
    for row in range(w.article_model.rowCount()):
        w.articles.select_row(row)
        text = w.reader.text()
        # the middle third of the text, set through the real cursor in Qt's UTF-16 positions
        a, b = len(text) // 3, min(len(text), len(text) // 3 + 60)
        cursor = w.reader.textCursor()
        cursor.setPosition(doc_position(w.reader, text, a))
        cursor.setPosition(doc_position(w.reader, text, b), QTextCursor.MoveMode.KeepAnchor)
        w.reader.setTextCursor(cursor)
        if not text[a:b].strip():
            continue
        assert w.annotating.tag_selection("claim"), w.store.articles.get(w.article_id).file_name
        saved = w.annotations.current()
        assert saved.text == text[saved.start : saved.end] == text[a:b]
        made[saved.id] = saved
    assert len(made) == len(imported)
    store = w.store
    texts = {aid: store.articles.text(aid) for aid in {m.article_id for m in made.values()}}
    w.close()

    store = Store.open(db)
    out = tmp_path / "out"
    out.mkdir()
    export(store, "csv", out / "a.csv")
    with (out / "a.csv").open(newline="", encoding="utf-8") as fh:
        for r in csv.DictReader(fh):
            assert texts[int(r["article_id"])][int(r["start"]) : int(r["end"])] == r["text"]
    export(store, "jsonl", out / "a.jsonl")
    for line in (out / "a.jsonl").read_text(encoding="utf-8").splitlines():
        rec = json.loads(line)
        for span in rec["annotations"]:
            assert rec["article"]["text"][span["start"] : span["end"]] == span["text"]
    export(store, "webanno", out / "a.jsonld")
    from kzpk_desktop.core.exporters.webanno import text_iri

    by_iri = {text_iri(store.articles.get(aid).sha256): t for aid, t in texts.items()}
    for item in json.loads((out / "a.jsonld").read_text(encoding="utf-8"))["first"]["items"]:
        pos, quote = item["target"]["selector"]
        assert by_iri[item["target"]["source"]["id"]][pos["start"] : pos["end"]] == quote["exact"]
    export(store, "brat", out / "a.zip")
    z = zipfile.ZipFile(out / "a.zip")
    for name in z.namelist():
        if name.endswith(".ann"):
            text = z.read(name[:-4] + ".txt").decode("utf-8")
            for line in z.read(name).decode("utf-8").splitlines():
                if line.startswith("T"):
                    _, head, shown = line.split("\t")
                    frags = [tuple(map(int, f.split())) for f in head.split(" ", 1)[1].split(";")]
                    assert shown == " ".join(text[x:y] for x, y in frags)
    export(store, "qdpx", out / "a.qdpx")
    q = zipfile.ZipFile(out / "a.qdpx")
    root = ET.fromstring(q.read("project.qde"))
    ns = "{urn:QDA-XML:project:1.0}"
    n = 0
    for source in root.iter(f"{ns}TextSource"):
        text = q.read(source.get("plainTextPath").replace("internal://", "Sources/")).decode("utf-8")
        for sel in source.iter(f"{ns}PlainTextSelection"):
            span = text[int(sel.get("startPosition")) : int(sel.get("endPosition"))]
            assert span in {m.text for m in made.values()}
            n += 1
    assert n == len(made)
    assert store.integrity.check() == []
    store.close()
