"""Queries only the exporters need (kept out of the big mixins so parallel work merges cleanly)."""

from __future__ import annotations

from dataclasses import dataclass

from .base import StoreBase


@dataclass(frozen=True)
class Claimant:
    """Who a claim is said_by: the linked entity's name and actor type, or the span text if unlinked."""

    name: str
    actor_type: str | None  # person / organisation / state; None when unlinked or not set


def claimants(store: StoreBase, claim_id: str) -> list[Claimant]:
    """The speakers of one claim, in span order (ClaimReview types them Person or Organization)."""
    rows = store.conn.execute(
        "SELECT coalesce(e.name, s.text), e.actor_type FROM relations r "
        "JOIN annotations s ON s.id = r.target_id LEFT JOIN entities e ON e.id = s.entity_id "
        "WHERE r.source_id = ? AND r.type = 'said_by' ORDER BY s.start, s.\"end\", s.id",
        (claim_id,),
    )
    return [Claimant(name, actor_type) for name, actor_type in rows]
