"""Canonical actors and agreements: creation, linking spans, and finding more mentions.

A researcher needs "Dar", "Ishaq Dar" and "Mohammad Ishaq Dar" to be one actor; the
registry holds the canonical name, aliases and attributes, and spans point at it.
"""

from __future__ import annotations

import re
from collections.abc import Sequence
from dataclasses import dataclass

from .annotations import build_annotation
from .dates import parse_date
from .errors import KzpkError, SpanError
from .names import clean_name, same_name
from .offsets import sentence_around
from .rows import Annotation
from .schema import ACTOR_TYPES, AGREEMENT_STATUSES, AGREEMENT_TYPES
from .store import Store, utc_now

ENTITY_KINDS = ("actor", "agreement")


_clean = clean_name


def create_entity(
    store: Store,
    kind: str,
    name: str,
    *,
    aliases: Sequence[str] = (),
    who: str = "",
    actor_type: str | None = None,
    country: str | None = None,
    role: str | None = None,
    agreement_type: str | None = None,
    agreement_status: str | None = None,
    date: str | None = None,
    parties: Sequence[int] = (),
    notes: str = "",
) -> int:
    """Validate and save a new actor or agreement; the date is parsed with its real precision."""
    name = _clean(name)
    if kind not in ENTITY_KINDS:
        raise KzpkError(f"Unknown entity kind '{kind}' (expected actor or agreement).")
    if not name:
        raise KzpkError("An entity needs a name.")
    for value, allowed, what in (
        (actor_type, ACTOR_TYPES, "actor type"),
        (agreement_type, AGREEMENT_TYPES, "agreement type"),
        (agreement_status, AGREEMENT_STATUSES, "agreement status"),
    ):
        if value is not None and value not in allowed:
            raise KzpkError(f"Unknown {what} '{value}' (expected one of {', '.join(allowed)}).")
    parsed = parse_date(date) if date else None
    if date and parsed is None:
        raise KzpkError(f"'{date}' is not a date with a year.")
    for pid in parties:
        if store.entities.get(pid).kind != "actor":
            raise KzpkError("Only actors can be parties to an agreement.")
    now = utc_now()
    fields = {
        "kind": kind,
        "name": name,
        "actor_type": actor_type,
        "country": country,
        "role": role,
        "agreement_type": agreement_type,
        "agreement_status": agreement_status,
        "date": parsed.iso if parsed else None,
        "date_raw": date if parsed else None,
        "date_precision": parsed.precision if parsed else None,
        "notes": notes,
        "created_at": now,
        "updated_at": now,
    }
    clean_aliases = sorted({_clean(a) for a in aliases if _clean(a) and not same_name(a, name)})
    return store.entities.insert(fields, clean_aliases, list(parties), who)


def entity_for_span(store: Store, annotation: Annotation, who: str) -> tuple[int, bool]:
    """The entity a span names: an existing one (by name or alias) or a new one.

    Returns (entity id, created?). One step for the researcher: select, tag, press N.
    """
    kind = annotation.label
    if kind not in ENTITY_KINDS:
        raise SpanError("Only actor and agreement spans name an entity.")
    name = _clean(annotation.text)
    existing = store.entities.by_name(kind, name)
    if existing is not None:
        return existing, False
    return create_entity(store, kind, name, who=who), True


@dataclass(frozen=True)
class Suggestion:
    """An unannotated occurrence of an entity's name or alias."""

    entity_id: int
    article_id: int
    start: int
    end: int
    text: str
    context: str = ""  # the sentence around it, to judge the suggestion without opening the article


def _pattern(names: Sequence[str], case_insensitive: bool) -> re.Pattern[str]:
    # Longest first so "Mohammad Ishaq Dar" wins over "Dar"; re.escape keeps "C++ (MoU)" literal.
    alternatives = "|".join(re.escape(n) for n in sorted(set(names), key=len, reverse=True))
    return re.compile(rf"(?<!\w)(?:{alternatives})(?!\w)", re.IGNORECASE if case_insensitive else 0)


def find_mentions(
    store: Store, entity_id: int, *, case_insensitive: bool = True, article_ids: Sequence[int] | None = None
) -> list[Suggestion]:
    """Whole-word occurrences of the entity's names not yet covered by a span of its kind."""
    entity = store.entities.get(entity_id)
    names = [n for n in [entity.name, *entity.aliases] if n.strip()]
    if not names:
        return []
    pattern = _pattern(names, case_insensitive)
    rejected = store.entities.rejected_suggestions(entity_id)
    candidates = article_ids if article_ids is not None else store.entities.articles_matching_phrases(names)
    found: list[Suggestion] = []
    for aid in candidates:
        text = store.articles.text(aid)
        taken = store.entities.spans_in_article(aid, [entity.kind])
        for m in pattern.finditer(text):
            s, e = m.span()
            if (aid, s, e) in rejected or any(ts < e and s < te for ts, te in taken):
                continue
            found.append(Suggestion(entity_id, aid, s, e, m.group(0), sentence_around(text, s, e)))
    return found


def suggestion_annotation(store: Store, suggestion: Suggestion, who: str) -> Annotation:
    """The annotation row accepting a suggestion creates (label = the entity's kind)."""
    kind = store.entities.get(suggestion.entity_id).kind
    row = build_annotation(
        store,
        suggestion.article_id,
        suggestion.start,
        suggestion.end,
        kind,
        annotator=who,
        expected_text=suggestion.text,
    )
    return row.replace(entity_id=suggestion.entity_id)
