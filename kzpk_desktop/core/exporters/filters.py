"""Export filters -> one SQL WHERE clause (used by every annotation exporter)."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any


@dataclass(frozen=True)
class ExportFilter:
    status: tuple[str, ...] = ()
    label: tuple[str, ...] = ()
    verdict: tuple[str, ...] = ()
    article_id: tuple[int, ...] = ()
    annotator: tuple[str, ...] = ()
    date_from: str | None = None
    date_to: str | None = None
    gold: bool = False  # only the adjudicated (gold) layer: spans with ``curated_by`` set

    def sql(self) -> tuple[str, list[Any]]:
        """The WHERE clause for ``Store.iter_export_rows`` (built by the store: SQL lives there)."""
        from ..store import export_where

        return export_where(self)
