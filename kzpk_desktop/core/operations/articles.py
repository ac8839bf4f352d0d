"""Article operations: progress status and metadata edits."""

from __future__ import annotations

import re
from collections.abc import Mapping
from dataclasses import dataclass

from ..dates import parse_date
from ..errors import KzpkError
from ..schema import ARTICLE_STATUSES
from ..store import Store
from ..store.article_metadata import write_article_metadata
from .base import Changes, OpResult


@dataclass(frozen=True)
class SetArticleStatus:
    article_id: int
    status: str
    who: str

    @property
    def text(self) -> str:
        return f"Mark article {self.status.replace('_', ' ')}"

    def apply(self, store: Store) -> OpResult:
        if self.status not in ARTICLE_STATUSES:
            raise KzpkError(f"Unknown article status '{self.status}' (expected {', '.join(ARTICLE_STATUSES)}).")
        before = store.articles.status(self.article_id)
        store.articles.set_status(self.article_id, self.status, self.who)
        changes = Changes(articles=frozenset({self.article_id})) if before != self.status else Changes()
        return OpResult(changes, SetArticleStatus(self.article_id, before, self.who))


EDITABLE_METADATA = ("title", "date", "source", "url", "language", "author")
_LANGUAGE = re.compile(r"^[a-z]{2,3}(?:-[A-Za-z0-9]{2,8})?$")
_URL = re.compile(r"^https?://[^\s/$.?#][^\s]*$", re.IGNORECASE)


def _clean(value: str | None) -> str | None:
    return " ".join(value.split()) or None if value is not None else None


@dataclass(frozen=True)
class EditArticleMetadata:
    """Correct an article's title, date (at the precision typed: 2025, 2025-09, 2025-09-14 or
    "14 March 2025"), outlet, URL, language or author. An empty value clears a field (not the
    title). The title and date then say they came from the user."""

    article_id: int
    changes: Mapping[str, str | None]
    who: str

    @property
    def text(self) -> str:
        return f"Edit {', '.join(k for k in EDITABLE_METADATA if k in self.changes)} of article {self.article_id}"

    def stored_values(self) -> dict[str, str | None]:
        """The columns this edit writes, validated; raises KzpkError with a sentence."""
        unknown = set(self.changes) - set(EDITABLE_METADATA)
        if unknown:
            raise KzpkError(
                f"Unknown article field(s) {', '.join(sorted(unknown))} (expected {', '.join(EDITABLE_METADATA)})."
            )
        out: dict[str, str | None] = {}
        for key, raw in self.changes.items():
            value = _clean(raw)
            if key == "title":
                if value is None:
                    raise KzpkError("An article's title cannot be empty.")
                out.update(title=value, title_source="user")
            elif key == "date":
                if value is None:
                    out.update(date=None, date_raw=None, date_precision=None, date_source=None)
                    continue
                iso = re.match(r"^\d{4}(?:-\d{2}){0,2}$", value)
                parsed = parse_date(value, dayfirst=not iso)
                if parsed is None:
                    raise KzpkError(f"'{value}' is not a date (use 2025, 2025-09, 2025-09-14 or 14 March 2025).")
                out.update(date=parsed.iso, date_raw=value, date_precision=parsed.precision, date_source="user")
            elif key == "url":
                if value is not None and not _URL.match(value):
                    raise KzpkError(f"'{value}' is not a web address (it must start with http:// or https://).")
                out["url"] = value
            elif key == "language":
                if value is not None:
                    value = value.lower()
                    if not _LANGUAGE.match(value):
                        raise KzpkError(
                            f"'{value}' is not a language code (use an ISO 639 code such as en, ru, ur or kk)."
                        )
                out["language"] = value
            else:
                out[key] = value
        return out

    def apply(self, store: Store) -> OpResult:
        return RestoreArticleMetadata(self.article_id, self.stored_values(), self.who, self.text).apply(store)


@dataclass(frozen=True)
class RestoreArticleMetadata:
    """Write stored metadata columns as they are: the inverse (undo and redo) of an edit."""

    article_id: int
    values: Mapping[str, str | None]
    who: str
    label: str = "Edit article metadata"

    @property
    def text(self) -> str:
        return self.label

    def apply(self, store: Store) -> OpResult:
        before = write_article_metadata(store, self.article_id, dict(self.values), self.who)
        old = {k: getattr(before, k) for k in self.values}
        changed = old != dict(self.values)
        return OpResult(
            Changes(articles=frozenset({self.article_id})) if changed else Changes(),
            RestoreArticleMetadata(self.article_id, old, self.who, self.label),
        )
