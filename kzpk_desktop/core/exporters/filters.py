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

    def sql(self) -> tuple[str, list[Any]]:
        where: list[str] = []
        params: list[Any] = []
        for column, values in (("ann.status", self.status), ("ann.label", self.label),
                               ("ann.verdict", self.verdict), ("ann.article_id", self.article_id),
                               ("ann.annotator", self.annotator)):
            if values:
                where.append(f"{column} IN ({','.join('?' * len(values))})")
                params.extend(values)
        if self.date_from:
            where.append("a.date >= ?")
            params.append(self.date_from)
        if self.date_to:
            where.append("a.date <= ?")
            params.append(self.date_to + "\uffff")
        return ("WHERE " + " AND ".join(where)) if where else "", params
