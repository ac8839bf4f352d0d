"""Evidence provenance as an operation: when an item was retrieved, when the evidence itself
was published, and an archived copy (URL or a saved file kept with the database)."""

from __future__ import annotations

from dataclasses import dataclass

from ..dates import parse_user_date
from ..errors import KzpkError
from ..operations.base import Changes, OperationError, OpResult
from ..review import validate_url
from ..store import Store
from ..store import crossoutlet as q


@dataclass(frozen=True)
class SetEvidenceProvenance:
    evidence_id: int
    values: tuple[tuple[str, str | None], ...]  # (field, value) for fields in PROVENANCE_FIELDS
    who: str = ""

    @property
    def text(self) -> str:
        return "Evidence provenance"

    def apply(self, store: Store) -> OpResult:
        values = dict(self.values)
        for key in ("retrieved_at", "published_at"):
            if values.get(key):
                try:
                    values[key] = parse_user_date(str(values[key]), key.replace("_", " ").capitalize())
                except KzpkError as err:  # (DateError: one sentence saying what would be read)
                    raise OperationError(str(err)) from None
        if values.get("archive_url"):
            values["archive_url"] = validate_url(str(values["archive_url"]))
        try:
            before = q.set_evidence_provenance(store, self.evidence_id, values, self.who)
        except KzpkError as err:
            raise OperationError(str(err)) from None
        inverse = SetEvidenceProvenance(self.evidence_id, tuple((k, getattr(before, k)) for k in values), self.who)
        return OpResult(Changes(review=frozenset({before.annotation_id})), inverse)
