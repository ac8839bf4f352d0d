"""Publish the dataset for Datasette: a read-only SQLite copy plus ``metadata.json``.

The copy holds the data a reader needs (articles, every annotation with its review state,
evidence) and nothing of the working file's history, settings or merge bookkeeping.
``datasette serve DIR/kzpk.db -m DIR/metadata.json`` serves it with facets on label,
verdict, outlet and annotator.
"""

from __future__ import annotations

import json
import os
import stat
from dataclasses import dataclass
from pathlib import Path

from ..errors import KzpkError
from ..jsonvalue import JSONObject
from ..store import Store
from ..store.team_layers import PublishCounts, write_publication

LICENSES = {
    "CC-BY-4.0": "https://creativecommons.org/licenses/by/4.0/",
    "CC-BY-SA-4.0": "https://creativecommons.org/licenses/by-sa/4.0/",
    "CC0-1.0": "https://creativecommons.org/publicdomain/zero/1.0/",
    "ODbL-1.0": "https://opendatacommons.org/licenses/odbl/1-0/",
}


@dataclass(frozen=True)
class Publication:
    database: Path
    metadata: Path
    counts: PublishCounts


def metadata(title: str, license_name: str, reviewed_only: bool) -> JSONObject:
    """Datasette's metadata.json for the published database: titles, licence, facets."""
    scope = "reviewed annotations only" if reviewed_only else "every annotation with its review state"
    return {
        "title": title,
        "description": (
            "News on Pakistan–Kazakhstan relations, annotated and fact-checked with kzpk_desktop: "
            f"{scope}. Offsets are Unicode code points into the article text."
        ),
        "license": license_name,
        "license_url": LICENSES[license_name],
        "source": "kzpk_desktop",
        "databases": {
            "kzpk": {
                "tables": {
                    "annotations": {
                        "title": "Annotations",
                        "description": (
                            "One row per span: label, offsets and text, the coder (annotator), the review "
                            "status, verdict on the 7-point scale and confidence; 'reviewed' is 1 once a "
                            "reviewer decided; 'gold' is 1 for spans taken into the gold layer by an "
                            "adjudicator (curated_by)."
                        ),
                        "facets": ["label", "verdict", "outlet", "annotator"],
                        "sort": "article_id",
                    },
                    "articles": {
                        "title": "Articles",
                        "description": "The article texts the spans point into.",
                        "facets": ["outlet"],
                    },
                    "evidence": {
                        "title": "Evidence",
                        "description": "Sources a reviewer cited for or against a claim.",
                        "facets": ["stance"],
                    },
                }
            }
        },
    }


def publish(
    store: Store,
    out_dir: Path,
    *,
    reviewed_only: bool = False,
    license_name: str = "CC-BY-4.0",
    title: str = "kzpk: Pakistan–Kazakhstan news, annotated",
) -> Publication:
    if license_name not in LICENSES:
        raise KzpkError(f"Unknown licence '{license_name}' (one of {', '.join(LICENSES)}).")
    out_dir.mkdir(parents=True, exist_ok=True)
    db = out_dir / "kzpk.db"
    if db.exists():  # a previous publication is read-only on purpose: replace it as a whole
        os.chmod(db, stat.S_IRUSR | stat.S_IWUSR)
        db.unlink()
    part = out_dir / "kzpk.db.part"
    part.unlink(missing_ok=True)
    counts = write_publication(store, part, reviewed_only)
    os.chmod(part, stat.S_IRUSR | stat.S_IRGRP | stat.S_IROTH)
    part.replace(db)
    meta = out_dir / "metadata.json"
    meta.write_text(
        json.dumps(metadata(title, license_name, reviewed_only), ensure_ascii=False, indent=2) + "\n", encoding="utf-8"
    )
    return Publication(db, meta, counts)
