"""The annotation table as an Excel workbook, for spreadsheet users.

A CSV cannot be both exact and safe in a spreadsheet (LibreOffice evaluates a leading ``=``
even inside quotes, and reads ``false`` or ``2025-09`` as a boolean or a date). In XLSX every
text cell is typed as text (``inlineStr``), so no formula runs, no value is converted and
nobody is asked for an encoding. Offsets and ids are numbers. Characters XML 1.0 cannot carry,
and the tab and carriage return that spreadsheets drop from raw cell XML, are written with the
format's own escape (ECMA-376 ST_Xstring ``_xHHHH_``, a literal ``_xHHHH_`` as ``_x005F_xHHHH_``),
which Excel and LibreOffice decode: every text cell reads back exactly as stored.
"""

from __future__ import annotations

import io
import re
import zipfile
from collections.abc import Sequence
from datetime import datetime
from pathlib import Path

from ..store import Store
from . import ProgressFn, Ticker, binary_output, zip_bytes
from .csv_export import COLUMN_NAMES
from .filters import ExportFilter

NUMBER_COLUMNS = frozenset({"article_id", "start", "end", "entity_id"})
XML_ILLEGAL = re.compile("[\x00-\x08\x0b\x0c\x0e-\x1f\ufffe\uffff]")
# What ST_Xstring escapes: control characters (tab and CR included) and a literal escape's underscore.
_XSTRING = re.compile("[\x00-\x08\x09\x0b\x0c\x0d\x0e-\x1f\ufffe\uffff]|_(?=x[0-9A-Fa-f]{4}_)")


def xstring(value: str) -> str:
    """A cell's text in OOXML's own escape, so that the spreadsheet decodes it back exactly."""
    return _XSTRING.sub(lambda m: f"_x{ord(m.group()):04X}_", value)


EPOCH = datetime(1980, 1, 1)


def _stamp(value: str | None) -> datetime:
    """A timestamp from the data (ISO 8601 UTC), never the clock: same database, same bytes."""
    if not value:
        return EPOCH
    return datetime.fromisoformat(value.replace("Z", "+00:00")).replace(tzinfo=None, microsecond=0)


def write_xlsx(
    store: Store,
    path: str | Path | None,
    flt: ExportFilter | None = None,
    *,
    columns: Sequence[str] = COLUMN_NAMES,
    progress: ProgressFn | None = None,
) -> int:
    """One sheet ``annotations`` with the CSV's columns; returns the row count."""
    unknown = [c for c in columns if c not in COLUMN_NAMES]
    if unknown:
        raise ValueError(f"Unknown CSV column(s): {', '.join(unknown)}.")
    from openpyxl import Workbook  # imported here: the CLI and the app start without it
    from openpyxl.cell import WriteOnlyCell
    from openpyxl.writer.excel import ExcelWriter

    where, params = (flt or ExportFilter()).sql()
    ticker = Ticker(progress)
    rows, newest = [], ""
    for row in store.review.iter_export_rows(where, params):  # first, so that Cancel never leaves a half-built workbook
        rows.append([getattr(row, c) for c in columns])
        newest = max(newest, row.updated_at)
        ticker.tick()
    wb = Workbook(write_only=True)
    ws = wb.create_sheet("annotations")
    ws.append(list(columns))
    for values in rows:
        out: list[object] = []
        for c, value in zip(columns, values, strict=True):
            if value is None or value == "":
                out.append(None)  # an empty cell, as in the CSV
            elif c in NUMBER_COLUMNS:
                out.append(int(value))
            else:
                cell = WriteOnlyCell(ws, value=xstring(str(value)))
                cell.data_type = "s"  # text, even when it starts with "=" (openpyxl would make it a formula)
                out.append(cell)
        ws.append(out)
    wb.properties.creator = "kzpk_desktop"
    wb.properties.created = wb.properties.modified = _stamp(newest)
    raw = io.BytesIO()
    with zipfile.ZipFile(raw, "w", zipfile.ZIP_DEFLATED) as archive:
        ExcelWriter(wb, archive).save()
    with zipfile.ZipFile(io.BytesIO(raw.getvalue())) as z:
        data = zip_bytes((name, z.read(name)) for name in z.namelist())
    n = ticker.finish()
    with binary_output(path) as fh:
        fh.write(data)
    return n
