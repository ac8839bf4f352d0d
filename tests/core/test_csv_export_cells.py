"""The CSV's cells come from one SQL query selecting the output columns (issue 20's export
figure): the bytes are those the per-row dict path wrote, for every column choice and mode,
and the progress callback still hears about every block of rows."""

from __future__ import annotations

import io
from collections.abc import Sequence
from pathlib import Path

import pytest

from kzpk_desktop.core.exporters.csv_export import COLUMN_NAMES, cells, csv_writer, write_csv
from kzpk_desktop.core.exporters.filters import ExportFilter
from kzpk_desktop.core.store import Store
from kzpk_desktop.core.store.export_cells import BLOCK_ROWS


def _dict_path_bytes(store: Store, columns: Sequence[str], flt: ExportFilter, spreadsheet: bool, bom: bool) -> bytes:
    """What the exporter wrote before: a row per span from iter_export_rows, cells from its fields."""
    where, params = flt.sql()
    buf = io.StringIO(newline="")
    w = csv_writer(buf)
    w.writerow(columns)
    for row in store.review.iter_export_rows(where, params):
        w.writerow(cells([getattr(row, c) for c in columns], columns, spreadsheet))
    return (b"\xef\xbb\xbf" if bom else b"") + buf.getvalue().encode("utf-8")


@pytest.mark.parametrize(
    ("columns", "flt", "spreadsheet", "bom"),
    [
        (COLUMN_NAMES, ExportFilter(), False, False),
        (COLUMN_NAMES, ExportFilter(), True, True),
        (("note", "text", "entity", "end", "start", "context_after"), ExportFilter(), False, False),
        (("annotation_id", "article_date", "status"), ExportFilter(status=("accepted",)), True, False),
        (COLUMN_NAMES, ExportFilter(label=("actor",), date_from="2025-01-01"), False, True),
    ],
)
def test_the_csv_bytes_are_those_of_the_dict_path(
    annotated: Store, tmp_path: Path, columns: Sequence[str], flt: ExportFilter, spreadsheet: bool, bom: bool
) -> None:
    out = tmp_path / "a.csv"
    n = write_csv(annotated, out, flt, columns=columns, spreadsheet=spreadsheet, bom=bom)
    expected = _dict_path_bytes(annotated, columns, flt, spreadsheet, bom)
    assert out.read_bytes() == expected
    assert n == len(list(annotated.review.iter_export_rows(*flt.sql()))) > 0


def test_progress_is_asked_per_block_and_can_cancel(annotated: Store, tmp_path: Path) -> None:
    aid = annotated.conn.execute("SELECT article_id FROM annotations LIMIT 1").fetchone()[0]
    text = annotated.articles.text(aid)
    from kzpk_desktop.core import annotations as ann

    for i in range(BLOCK_ROWS + 50):  # more rows than one block
        ann.create_annotation(annotated, aid, i % 20, i % 20 + 3, "claim", annotator="Bulk")
    total = annotated.conn.execute("SELECT count(*) FROM annotations").fetchone()[0]
    heard: list[int] = []
    assert write_csv(annotated, tmp_path / "p.csv", progress=lambda n: heard.append(n) or True) == total
    assert heard == [BLOCK_ROWS, total]  # the first block, then the last chance to cancel
    assert text  # the spans above point into real text
    from kzpk_desktop.core.exporters import ExportCancelled

    with pytest.raises(ExportCancelled):
        write_csv(annotated, tmp_path / "c.csv", progress=lambda n: False)
    assert not (tmp_path / "c.csv").exists()
