"""Review input that was typed but not decided yet, kept until it is.

A reviewer who types a verdict, evidence or a note and then moves on (J/K/S, an arrow),
presses Esc or closes the window has not said "discard". The input is their work, so
it is kept as a draft per database file and annotation, and shown again when that claim
comes back (this session or a later one). Drafts live in the user's settings, not in the
database: they are not decisions, so exports and summaries never see them.
"""

from __future__ import annotations

import hashlib
import json
from dataclasses import dataclass
from pathlib import Path

from PySide6.QtCore import QSettings


@dataclass(frozen=True)
class EvidenceDraft:
    url: str
    quote: str
    stance: str
    note: str

    def is_empty(self) -> bool:
        return not (self.url.strip() or self.quote.strip() or self.note.strip())


@dataclass(frozen=True)
class Draft:
    """What the review form holds for one annotation."""

    verdict: str | None
    confidence: str | None
    evidence: tuple[EvidenceDraft, ...]

    def to_json(self) -> str:
        return json.dumps(
            {"verdict": self.verdict, "confidence": self.confidence, "evidence": [vars(e) for e in self.evidence]},
            ensure_ascii=False,
        )

    @classmethod
    def from_json(cls, raw: str) -> Draft | None:
        """None for anything that is not a draft we wrote (a hand-edited settings file)."""
        try:
            data = json.loads(raw)
            return cls(
                data["verdict"],
                data["confidence"],
                tuple(
                    EvidenceDraft(str(e["url"]), str(e["quote"]), str(e["stance"]), str(e["note"]))
                    for e in data["evidence"]
                ),
            )
        except (ValueError, KeyError, TypeError):
            return None


def _settings() -> QSettings:
    return QSettings(QSettings.Format.IniFormat, QSettings.Scope.UserScope, "kzpk", "kzpk_desktop")


class DraftBook:
    """Drafts of one database file, keyed by annotation id."""

    def __init__(self, db_path: Path, settings: QSettings | None = None) -> None:
        self._settings = settings or _settings()
        digest = hashlib.sha256(str(Path(db_path).resolve()).encode("utf-8", "surrogatepass")).hexdigest()[:16]
        self._prefix = f"reviewDrafts/{digest}/"

    def get(self, annotation_id: str) -> Draft | None:
        raw = self._settings.value(self._prefix + annotation_id)
        return Draft.from_json(raw) if isinstance(raw, str) else None

    def put(self, annotation_id: str, draft: Draft) -> None:
        self._settings.setValue(self._prefix + annotation_id, draft.to_json())
        self._settings.sync()  # a crash right after must not lose it

    def drop(self, annotation_id: str) -> None:
        if self._settings.contains(self._prefix + annotation_id):
            self._settings.remove(self._prefix + annotation_id)
            self._settings.sync()


__all__ = ["Draft", "DraftBook", "EvidenceDraft"]
