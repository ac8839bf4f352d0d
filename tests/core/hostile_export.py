"""A database whose spans break naive exporters: formula prefixes, every line break brat and
``str.splitlines`` know, characters XML 1.0 forbids, values spreadsheets convert, overlaps."""

from __future__ import annotations

from pathlib import Path

from kzpk_desktop.core import annotations as ann
from kzpk_desktop.core import entities as ent
from kzpk_desktop.core import review as rv
from kzpk_desktop.core.importer import import_paths
from kzpk_desktop.core.relations import build_relation
from kzpk_desktop.core.store import Store

BREAKS = "\x0c\x85\u2028\u2029\x0b\x1c\x1d\x1e\r"
TEXT = (
    "Hostile cells\n date 2025-09-09 Open Menu\n\n"
    "=SUM(1+1) total; +1 up; -2 down; @mention; \tTab start.\n"
    "Breaks: a\x0cb c\x85d e\u2028f g\u2029h i\x0bj k\x1cl m\x1dn o\x1ep.\n"
    "XML-illegal: q\x01r s\x1fs end.\n"
    "Said by Mohammad Ishaq Dar and the Ministry of Foreign Affairs.\n"
)
# Notes a spreadsheet would turn into a boolean, number, date or formula.
NOTES = ["false", "007", "2025-09-09", "=1+1", "TRUE", "1e5", "  two  spaces ", "line\nbreak", "bell\x07"]


def build(store: Store, folder: Path) -> dict[str, str]:
    """Import the hostile article into ``store`` and annotate it; returns span ids by name."""
    folder.mkdir(parents=True, exist_ok=True)
    (folder / "hostile.txt").write_bytes(TEXT.encode("utf-8"))
    report = import_paths(store, [folder / "hostile.txt"])
    assert len(report.imported) == 1, report.refused
    aid = report.imported[0][1]
    text = store.articles.text(aid)
    assert "\x0c" in text and "\x01" in text  # the importer keeps them

    def span(needle: str, label: str, note: str = "", occurrence: int = 0, length: int | None = None) -> str:
        i = text.index(needle) if not occurrence else text.index(needle, text.index(needle) + 1)
        row = ann.create_annotation(store, aid, i, i + (length or len(needle)), label, annotator="Aigerim", note=note)
        return str(row.id)

    ids = {
        "formula": span("=SUM(1+1) total", "claim", NOTES[0]),
        "plus": span("+1 up", "claim", NOTES[1]),
        "minus": span("-2 down", "claim", NOTES[2]),
        "at": span("@mention", "claim", NOTES[3]),
        "tab": span("\tTab start.", "claim", NOTES[4]),
        "breaks": span("a\x0cb c\x85d e\u2028f g\u2029h i\x0bj k\x1cl m\x1dn o\x1ep", "claim", NOTES[5]),
        "illegal": span("q\x01r s\x1fs", "actor", NOTES[6]),
        "cross": span("total; +1", "agreement", NOTES[7]),  # crosses "=SUM(1+1) total" and "+1 up"
        "equal": span("+1 up", "actor", NOTES[8]),  # same offsets as "plus"
        "contain": span("SUM(1+1)", "actor"),  # inside "=SUM(1+1) total"
        "dar": span("Mohammad Ishaq Dar", "actor"),
        "mofa": span("Ministry of Foreign Affairs", "actor"),
    }
    dar = store.entities.by_name("actor", "Mohammad Ishaq Dar") or ent.create_entity(
        store, "actor", "Mohammad Ishaq Dar", actor_type="person"
    )
    mofa = ent.create_entity(store, "actor", "Ministry of Foreign Affairs", actor_type="organisation")
    ann.edit_annotation(store, ids["dar"], "t", entity_id=dar)
    ann.edit_annotation(store, ids["mofa"], "t", entity_id=mofa)
    store.annotations.insert_relation(build_relation(store, ids["formula"], ids["dar"], "Bilal"), "Bilal")
    store.annotations.insert_relation(build_relation(store, ids["breaks"], ids["mofa"], "Bilal"), "Bilal")
    rv.decide(
        store,
        None,
        ids["formula"],
        rv.Decision(
            "accepted", "false", "high", [rv.Evidence("https://mofa.gov.pk/a", "=not a formula", "refutes", "007")]
        ),
        "Chen",
    )
    rv.decide(store, None, ids["breaks"], rv.Decision("needs_work", "unverifiable"), "Chen")
    return ids
