"""``kzpk export --date-from/--date-to``: the one user-date parser, garbage refused."""

from __future__ import annotations

import csv
import io
from pathlib import Path

import pytest

from tests.cli.test_cli import kzpk
from tests.conftest import SEEDS


@pytest.fixture(scope="module")
def annotated_db(tmp_path_factory: pytest.TempPathFactory) -> str:
    """The seeds (dated 2023-06-10 ... 2026-02-03), one span in every article."""
    from kzpk_desktop.core import annotations as ann
    from kzpk_desktop.core.store import Store

    db = str(tmp_path_factory.mktemp("dates") / "p.db")
    assert kzpk("--db", db, "import", str(SEEDS)).returncode == 0
    store = Store.open(db)
    for row in store.articles.article_listing():
        ann.create_annotation(store, row.id, 0, 5, "claim", annotator="t")
    dates = sorted(r.date or "" for r in store.articles.article_listing())
    store.close()
    assert dates == ["2023-06-10", "2025-09-09", "2025-09-09", "2025-09-09", "2026-02-03"], dates
    return db


def _exported_dates(db: str, *args: str) -> list[str]:
    r = kzpk("--db", db, "export", "--columns", "article_date", *args)
    assert r.returncode == 0, r.stderr
    return sorted(row["article_date"] for row in csv.DictReader(io.StringIO(r.stdout)))


@pytest.mark.parametrize(
    ("option", "value", "sentence"),
    [
        ("--date-to", "yesterday", "kzpk: --date-to: 'yesterday' is not a date; write 2025, 2025-09, 2025-09-09"),
        ("--date-from", "2025-13-45", "kzpk: --date-from: '2025-13-45' is not a real calendar date; write 2025"),
        ("--date-to", "Sept 2025", "kzpk: --date-to: 'Sept 2025' is not a date; write"),
        ("--date-from", "31/02/2025", "kzpk: --date-from: '31/02/2025' is not a real calendar date"),
    ],
)
def test_bad_dates_exit_non_zero_with_one_sentence(
    annotated_db: str, tmp_path: Path, option: str, value: str, sentence: str
) -> None:
    out = tmp_path / "out.csv"
    r = kzpk("--db", annotated_db, "export", option, value, "-o", str(out))
    assert r.returncode == 1
    assert r.stdout == ""
    assert r.stderr.startswith(sentence) and r.stderr.count("\n") == 1, r.stderr
    assert "Traceback" not in r.stderr
    assert not out.exists()


def test_documented_forms_filter_the_same_rows(annotated_db: str) -> None:
    assert _exported_dates(annotated_db, "--date-to", "2024") == ["2023-06-10"]
    assert _exported_dates(annotated_db, "--date-from", "2025-09-10") == ["2026-02-03"]
    assert _exported_dates(annotated_db, "--date-from", "03/02/2026") == ["2026-02-03"]
    assert _exported_dates(annotated_db, "--date-from", "9.9.2025", "--date-to", "09/09/2025") == ["2025-09-09"] * 3
    assert _exported_dates(annotated_db, "--date-from", "2023", "--date-to", "2025-09") == [
        "2023-06-10",
        "2025-09-09",
        "2025-09-09",
        "2025-09-09",
    ]
