"""Typed links between spans: a claim is said_by an actor, an agreement has a party, a claim is about an agreement."""

from __future__ import annotations

import uuid

from .errors import SpanError
from .rows import Relation
from .schema import RELATION_TYPES
from .store import Store, utc_now


def relation_type_for(source_label: str, target_label: str) -> str | None:
    """The one relation type that fits a (source, target) label pair, if any."""
    for name, (src, dst) in RELATION_TYPES.items():
        if (src, dst) == (source_label, target_label):
            return name
    return None


def build_relation(
    store: Store, source_id: str, target_id: str, who: str, relation_type: str | None = None
) -> Relation:
    """A validated relation row (not yet saved); the type is inferred from the labels when omitted."""
    if source_id == target_id:
        raise SpanError("A span cannot be linked to itself.")
    source, target = store.annotations.get(source_id), store.annotations.get(target_id)
    inferred = relation_type_for(source.label, target.label)
    if relation_type is None:
        relation_type = inferred
    if relation_type is None:
        allowed = "; ".join(f"{s} → {t} ({n.replace('_', ' ')})" for n, (s, t) in RELATION_TYPES.items())
        raise SpanError(f"A {source.label} cannot be linked to a {target.label}. Links: {allowed}.")
    if RELATION_TYPES.get(relation_type) != (source.label, target.label):
        raise SpanError(f"'{relation_type}' does not link a {source.label} to a {target.label}.")
    return Relation(str(uuid.uuid4()), relation_type, source_id, target_id, who, utc_now())


def describe(store: Store, relation: Relation, from_id: str) -> str:
    """'said by → Ishaq Dar' or '← said by: “…claim…”', seen from one end of the link."""
    verb = relation.type.replace("_", " ")
    if relation.source_id == from_id:
        other = store.annotations.get(relation.target_id)
        return f"{verb} → {' '.join(other.text.split())}"
    other = store.annotations.get(relation.source_id)
    quote = " ".join(other.text.split())
    return f"← {verb}: “{quote if len(quote) < 50 else quote[:49] + '…'}”"
