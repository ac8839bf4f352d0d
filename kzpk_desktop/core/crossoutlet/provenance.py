"""Evidence provenance as an operation: when an item was retrieved, when the evidence itself
was published, and an archived copy (URL or a saved file kept with the database)."""

from __future__ import annotations

import filecmp
import shutil
from dataclasses import dataclass
from pathlib import Path

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
        aid = frozenset({before.annotation_id})
        return OpResult(Changes(annotations=aid, review=aid), inverse)  # as for evidence in a decision


def keep_file(db_path: str | Path, source: str | Path) -> str:
    """Copy a saved copy of the evidence (a PDF, an HTML page) into ``<db>.evidence/`` beside the
    database, so it travels with it; returns the path relative to the database's folder, which
    is what ``archived_file`` records. A different file of the same name gets a numbered name."""
    db, src = Path(db_path), Path(source)
    if not src.is_file():
        raise KzpkError(f"'{src}' is not a file that can be kept as the archived copy.")
    folder = db.parent / f"{db.stem}.evidence"
    folder.mkdir(exist_ok=True)
    target = folder / src.name
    n = 1
    while target.exists() and not filecmp.cmp(target, src, shallow=False):
        n += 1
        target = folder / f"{src.stem}-{n}{src.suffix}"
    if not target.exists():
        shutil.copy2(src, target)
    return target.relative_to(db.parent).as_posix()
