"""The cross-outlet commands through the real ``kzpk`` CLI in a subprocess."""

from __future__ import annotations

import json
from pathlib import Path

from kzpk_desktop.core import annotations as ann
from kzpk_desktop.core import operations as ops
from kzpk_desktop.core.store import Store
from tests.cli.test_cli import kzpk
from tests.conftest import SEEDS, article_id_by_file


def _seeded(tmp_path: Path) -> str:
    db = str(tmp_path / "p.db")
    assert kzpk("--db", db, "import", str(SEEDS)).returncode == 0
    return db


def test_stories_json_on_the_seed_corpus(tmp_path: Path) -> None:
    db = _seeded(tmp_path)
    r = kzpk("--db", db, "stories", "--json")
    assert r.returncode == 0, r.stderr
    stories = json.loads(r.stdout)["stories"]
    s = Store.open(db)
    ids = {p: article_id_by_file(s, p) for p in ("000", "001", "002", "003", "004")}
    s.close()
    (story,) = [x for x in stories if ids["001"] in x["article_ids"]]
    assert {ids["001"], ids["003"], ids["004"]} <= set(story["article_ids"])
    assert ids["000"] not in story["article_ids"] and ids["002"] not in story["article_ids"]
    assert set(story) == {"id", "article_ids", "score", "label", "outlets", "independent_sources", "copies"}
    assert story["label"].endswith("2025-09-09") and story["copies"] == []
    assert story["independent_sources"] == 3 and isinstance(story["score"], float)
    r = kzpk("--db", db, "stories")
    assert r.returncode == 0 and f"articles {', '.join(map(str, story['article_ids']))}" in r.stdout
    assert "3 outlets, 3 independent" in r.stdout
    assert "shared (16 words" in r.stdout and "discussions focused on boosting trade and investment" in r.stdout


def test_bad_input_is_one_sentence(tmp_path: Path) -> None:
    db = _seeded(tmp_path)
    for args, message in (
        (("stories", "--threshold", "2"), "--threshold must be above 0 and at most 1, not 2.0."),
        (("compare", "1", "999"), "There is no article with id 999."),
        (("compare", "1"), "Compare needs at least two articles."),
        (("prior-checks", "match", "nope"), "There is no span with id nope."),
        (("prior-checks", "import", str(tmp_path / "missing")), "does not exist."),
    ):
        r = kzpk("--db", db, *args)
        assert r.returncode == 1, args
        assert r.stderr.startswith("kzpk: ") and message in r.stderr and "Traceback" not in r.stderr


def test_compare_timeline_claims_prior_checks_and_averitec(tmp_path: Path) -> None:
    db = _seeded(tmp_path)
    s = Store.open(db)
    a3, a4 = article_id_by_file(s, "003"), article_id_by_file(s, "004")
    text = s.articles.text(a4)
    i = text.index("bilateral trade was growing and surged to $239 million")
    row = ann.build_annotation(s, a4, i, i + 54, "claim", annotator="A")
    ops.run(s, ops.CreateAnnotation(row, "A"))
    s.close()
    r = kzpk("--db", db, "compare", str(a3), str(a4), "--json")
    assert r.returncode == 0, r.stderr
    out = json.loads(r.stdout)
    assert out["article_ids"] == [a3, a4]
    row89 = next(x for x in out["rows"] if x["sentences"][0]["text"].startswith("The discussions focused on"))
    assert row89["sentences"][1]["text"].startswith("“Discussions focused on boosting trade")
    r = kzpk("--db", db, "timeline", "--json")
    assert r.returncode == 0, r.stderr
    (item,) = json.loads(r.stdout)["items"]
    assert (item["date"], item["kind"], item["article_id"], item["date_text"]) == (
        "2025-09-09",
        "claim",
        a4,
        "the article date",
    )
    r = kzpk("--db", db, "claims", "clusters", "--json")
    assert r.returncode == 0 and json.loads(r.stdout) == {"clusters": []}
    feed = tmp_path / "feed.json"
    feed.write_text(
        json.dumps(
            {
                "@type": "DataFeed",
                "dataFeedElement": [
                    {
                        "item": [
                            {
                                "@type": "ClaimReview",
                                "url": "https://check.example/239",
                                "claimReviewed": "Pakistan-Kazakhstan trade surged to $239 million",
                                "reviewRating": {"alternateName": "Mostly true"},
                                "author": {"name": "Check Desk"},
                                "datePublished": "2025-09-20",
                            },
                            {
                                "@type": "ClaimReview",
                                "url": "https://check.example/other",
                                "claimReviewed": "Lahore metro fares doubled",
                                "reviewRating": {"alternateName": "False"},
                                "author": {"name": "Check Desk"},
                            },
                        ]
                    }
                ],
            }
        ),
        encoding="utf-8",
    )
    r = kzpk("--db", db, "prior-checks", "import", str(feed))
    assert r.returncode == 0, r.stderr
    assert r.stdout.strip() == "2 fact-checks imported, 0 already present (2 in the index)"
    r = kzpk("--db", db, "prior-checks", "match", row.id, "--json")
    assert r.returncode == 0, r.stderr
    got = json.loads(r.stdout)
    assert got["annotation_id"] == row.id
    assert [(m["url"], m["rating"], m["publisher"], m["date"]) for m in got["matches"]] == [
        ("https://check.example/239", "Mostly true", "Check Desk", "2025-09-20")
    ]
    r = kzpk("--db", db, "export", "--format", "averitec", "-o", str(tmp_path / "a.json"))
    assert r.returncode == 0 and "wrote 0 claims" in r.stderr
