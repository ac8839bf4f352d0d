"""Reproducible README screenshot: a seeded, annotated desk grabbed from the real window.

xvfb-run -a -s "-screen 0 1700x1000x24" python docs/screenshot.py docs/screenshot.png [--dark]
    [--view desk|entities|review|compare|timeline]
"""

from __future__ import annotations

import argparse
import sys
import tempfile
from pathlib import Path

from PySide6.QtCore import QTimer
from PySide6.QtGui import QColor, QPalette

from kzpk_desktop.app import create_main_window, ensure_app
from kzpk_desktop.core import annotations as ann
from kzpk_desktop.core.importer import import_paths
from kzpk_desktop.core.paths import seeds_dir
from kzpk_desktop.core.store import Store

SPANS = [  # (file prefix, text, label, status, note)
    ("001", "Mohammad Ishaq Dar", "actor", "accepted", "Deputy PM and Foreign Minister of Pakistan"),
    ("001", "Murat Nurtleu", "actor", "accepted", ""),
    ("001", "Shafqat Ali Khan", "actor", "unreviewed", ""),
    (
        "001",
        "A key outcome of the talks was the signing of an Action Plan of Cooperation between the "
        "foreign ministries of Pakistan and Kazakhstan.",
        "claim",
        "accepted",
        "MoFA press release",
    ),
    ("001", "Action Plan of Cooperation", "agreement", "unreviewed", ""),
    (
        "001",
        "the forthcoming visit of the Kazakh President to Pakistan in November 2025, the first such visit since 2003",
        "claim",
        "needs_work",
        "Check: Nazarbayev visited in 2003?",
    ),
    ("004", "bilateral trade was growing and surged to $239 million", "claim", "unreviewed", ""),
    ("004", "Yerzhan Kistafin", "actor", "unreviewed", ""),
    ("003", "Ishaq Dar", "actor", "unreviewed", ""),
    ("003", "recognise Kazakhstan’s independence in December 1991", "claim", "unreviewed", ""),
    ("003", "maintain close coordination ahead of the forthcoming Presidential visit", "claim", "unreviewed", ""),
    ("004", "Action Plan of Cooperation", "agreement", "unreviewed", ""),
    ("004", "a direct flight from Kazakhstan to Skardu", "claim", "unreviewed", ""),
]


def dark_palette() -> QPalette:
    R = QPalette.ColorRole
    colors = {
        R.Window: "#23262b",
        R.WindowText: "#e6e6e6",
        R.Base: "#1b1d21",
        R.AlternateBase: "#26292e",
        R.Text: "#e6e6e6",
        R.Button: "#2c3036",
        R.ButtonText: "#e6e6e6",
        R.Highlight: "#3d6fb4",
        R.HighlightedText: "#ffffff",
        R.Mid: "#3a3f46",
        R.PlaceholderText: "#8a93a0",
        R.ToolTipBase: "#2c3036",
        R.ToolTipText: "#e6e6e6",
    }
    p = QPalette()
    for role, color in colors.items():
        p.setColor(role, QColor(color))
    for role in (R.WindowText, R.Text, R.ButtonText):
        p.setColor(QPalette.ColorGroup.Disabled, role, QColor("#6b7079"))
    return p


def build_db(path: Path) -> None:
    store = Store.open(path)
    import_paths(store, [seeds_dir()])
    for prefix, needle, label, status, note in SPANS:
        aid = store.conn.execute("SELECT id FROM articles WHERE file_name LIKE ?", (prefix + "%",)).fetchone()[0]
        i = store.article_text(aid).index(needle)
        ann.create_annotation(store, aid, i, i + len(needle), label, annotator="Aigerim S.", status=status, note=note)
    store.close()


def setup_entities(w: object) -> None:
    """Link the seed spans to entities and open the entities panel with suggestions."""
    from kzpk_desktop.core import entities as ent
    from kzpk_desktop.core.relations import build_relation

    store = w.store  # type: ignore[attr-defined]
    rows = store.annotations_for_article(2)
    by = {r["text"]: r for r in rows}
    dar = ent.create_entity(
        store,
        "actor",
        "Mohammad Ishaq Dar",
        aliases=["Ishaq Dar", "Dar"],
        actor_type="person",
        country="Pakistan",
        role="Deputy Prime Minister",
    )
    nurtleu = ent.create_entity(store, "actor", "Murat Nurtleu", actor_type="person", country="Kazakhstan")
    plan = ent.create_entity(
        store,
        "agreement",
        "Action Plan of Cooperation",
        agreement_type="action_plan",
        agreement_status="signed",
        date="9 September 2025",
        parties=[dar, nurtleu],
    )
    for text, eid in (("Mohammad Ishaq Dar", dar), ("Murat Nurtleu", nurtleu), ("Action Plan of Cooperation", plan)):
        store.update_annotation(by[text]["id"], {"entity_id": eid}, "Aigerim S.")
    claim = next(r for r in rows if r["text"].startswith("A key outcome"))
    store.insert_relation(build_relation(store, claim["id"], by["Mohammad Ishaq Dar"]["id"], "x"), "x")
    store.insert_relation(build_relation(store, claim["id"], by["Action Plan of Cooperation"]["id"], "x"), "x")
    w.annotating.open_article(2)  # type: ignore[attr-defined]
    w.annotations.select(claim["id"])  # type: ignore[attr-defined]
    w.entities.find_mentions_of(dar)  # type: ignore[attr-defined]
    w.annotations.select(claim["id"])  # type: ignore[attr-defined]


def main() -> int:
    ap = argparse.ArgumentParser()
    ap.add_argument("out")
    ap.add_argument("--dark", action="store_true")
    ap.add_argument("--view", choices=("desk", "entities", "review", "compare", "timeline"), default="desk")
    args = ap.parse_args()
    db = Path(tempfile.mkdtemp()) / "screenshot.db"
    build_db(db)
    app = ensure_app(sys.argv[:1])
    if args.dark:
        app.setPalette(dark_palette())
    w = create_main_window(db)
    w.resize(1440, 880)
    w.show()
    aid = 2  # the UrduPoint article (seed 001)
    w.articles.select_article(aid)
    claim = next(r for r in w.annotations.model.rows() if r["label"] == "claim")
    w.annotations.select(claim["id"])
    target = w
    if args.view == "entities":
        setup_entities(w)
        w.resize(1600, 900)
    elif args.view == "review":
        from kzpk_desktop.core import review as rv

        w.annotator = "Bilal K."
        target = w.review.start_review_session(rv.Scope(only_unreviewed=False))
        target.resize(1000, 720)
        target.step(1)
        target.verdict.setCurrentIndex(1)
        target.confidence.setCurrentIndex(3)
        target.set_evidence(
            0,
            "https://mofa.gov.pk/press-releases/2025-09-09",
            "signed the Action Plan of Cooperation",
            "supports",
            "Official release",
        )

    elif args.view == "compare":  # 001 beside 003 and 004, the reports of the 9 September talks
        target = w.crossoutlet.open_compare([2, 4, 5])
        target.resize(1500, 920)
        target.step(1)
        target.step(1)
    elif args.view == "timeline":
        target = w.crossoutlet.show_timeline()
        target.resize(1280, 640)
        target.step_conflict(1)

    def shoot() -> None:
        target.grab().save(args.out)
        print(args.out)
        app.quit()

    QTimer.singleShot(900, shoot)
    return app.exec()


if __name__ == "__main__":
    sys.exit(main())
