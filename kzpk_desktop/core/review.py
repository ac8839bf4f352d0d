"""Fact-checking sessions: the queue, decisions with verdicts and evidence, and summaries.

A session is a record: who reviewed, when, the scope and the fixed queue it produced,
and where it stopped. Every decision is a row of its own (and a change-log entry), so
"who decided what, when" can be shown later; the annotation carries the latest state.
"""

from __future__ import annotations

import json
from dataclasses import asdict, dataclass, field
from typing import TYPE_CHECKING
from urllib.parse import urlparse

from .errors import KzpkError
from .rows import Evidence, ReviewSession
from .store import Store

if TYPE_CHECKING:
    from .operations.base import Operation

DECISIONS = ("accepted", "rejected", "needs_work")
# The verdict scale, in order; (value, label, meaning). Documented in docs/review.md.
VERDICT_SCALE: tuple[tuple[str, str, str], ...] = (
    ("supported", "Supported", "The evidence confirms the claim as stated."),
    ("partly_supported", "Partly supported", "Some of the claim holds; a material part does not or cannot be shown."),
    ("unsupported", "Unsupported", "No evidence found for the claim, though it is checkable."),
    ("false", "False", "The evidence contradicts the claim."),
    ("misleading", "Misleading", "Literally accurate but framed to give a false impression."),
    ("unverifiable", "Unverifiable", "Cannot be checked with sources available to the reviewer."),
    ("opinion", "Opinion — not checkable", "A value judgement or prediction, not a statement of fact."),
)
VERDICTS = tuple(v for v, _, _ in VERDICT_SCALE)
CONFIDENCE = ("low", "medium", "high")
STANCES = ("supports", "refutes")


class ReviewError(KzpkError):
    """A decision that cannot be saved as given."""


@dataclass(frozen=True)
class Scope:
    """Which spans a session reviews. Empty fields mean "any"."""

    label: str | None = "claim"
    article_id: int | None = None
    date_from: str | None = None
    date_to: str | None = None
    only_unreviewed: bool = True

    def describe(self) -> str:
        parts = [f"{self.label}s" if self.label else "all spans"]
        if self.article_id is not None:
            parts.append(f"in article {self.article_id}")
        if self.date_from or self.date_to:
            parts.append(f"dated {self.date_from or '…'} to {self.date_to or '…'}")
        if self.only_unreviewed:
            parts.append("not yet reviewed")
        return ", ".join(parts)


@dataclass
class Decision:
    status: str
    verdict: str | None = None
    confidence: str | None = None
    evidence: list[Evidence] = field(default_factory=list)


def validate_url(url: str) -> str:
    """Evidence must point somewhere a colleague can open: an absolute http(s) URL."""
    url = url.strip()
    parsed = urlparse(url)
    if parsed.scheme not in ("http", "https") or not parsed.netloc or " " in url:
        raise ReviewError(
            f"“{url or '(empty)'}” is not a web address: evidence URLs must start with "
            "http:// or https:// and name a site."
        )
    return url


def validate(decision: Decision, label: str) -> Decision:
    if decision.status not in DECISIONS:
        raise ReviewError(f"Unknown decision '{decision.status}' (expected {', '.join(DECISIONS)}).")
    if decision.verdict is not None:
        if decision.verdict not in VERDICTS:
            raise ReviewError(f"Unknown verdict '{decision.verdict}'.")
        if label != "claim":
            raise ReviewError("Only claims take a verdict.")
    if decision.confidence is not None and decision.confidence not in CONFIDENCE:
        raise ReviewError(f"Unknown confidence '{decision.confidence}' (expected low, medium or high).")
    checked = []
    for item in decision.evidence:
        item = item.replace(url=validate_url(item.url))
        if item.stance not in STANCES:
            raise ReviewError(f"Evidence stance must be supports or refutes, not '{item.stance}'.")
        checked.append(item)
    decision.evidence = checked
    return decision


def build_queue(store: Store, scope: Scope) -> list[str]:
    """Annotation ids in corpus order (article date, then position in the text)."""
    return store.review.review_queue(
        label=scope.label,
        article_id=scope.article_id,
        date_from=scope.date_from,
        date_to=scope.date_to,
        only_unreviewed=scope.only_unreviewed,
    )


@dataclass
class Session:
    id: int
    reviewer: str
    scope: Scope
    queue: list[str]
    position: int
    started_at: str
    ended_at: str | None = None

    @property
    def done(self) -> bool:
        return self.position >= len(self.queue)

    def current(self) -> str | None:
        return None if self.done else self.queue[self.position]

    def progress(self) -> str:
        return f"{min(self.position + 1, len(self.queue))} of {len(self.queue)}"


def _session(row: ReviewSession) -> Session:
    return Session(
        id=row.id,
        reviewer=row.reviewer,
        scope=Scope(**json.loads(row.scope)),
        queue=json.loads(row.queue),
        position=row.position,
        started_at=row.started_at,
        ended_at=row.ended_at,
    )


def start_session(store: Store, reviewer: str, scope: Scope) -> Session:
    if not reviewer.strip():
        raise ReviewError("Say who is reviewing (Edit ▸ Preferences) before starting a session.")
    queue = build_queue(store, scope)
    sid = store.review.insert_session(reviewer, json.dumps(asdict(scope)), json.dumps(queue))
    return _session(store.review.session(sid))


def open_session(store: Store, reviewer: str) -> Session | None:
    """The reviewer's unfinished session (closed app, crash), to resume where it stopped."""
    row = store.review.open_session(reviewer)
    return _session(row) if row else None


def load_session(store: Store, session_id: int) -> Session:
    return _session(store.review.session(session_id))


def move(store: Store, session: Session, delta: int) -> None:
    """Next / previous / skip: only the position changes (and is saved at once)."""
    session.position = max(0, min(len(session.queue), session.position + delta))
    store.review.set_session_position(session.id, session.position)


def decision_op(session: Session | None, annotation_id: str, decision: Decision, reviewer: str) -> Operation:
    """The operation that records a decision (and, in a session, moves it to the next item)."""
    from .operations.review import RecordDecision

    return RecordDecision(
        annotation_id, decision, reviewer, session.id if session else None, session.position + 1 if session else None
    )


def decide(store: Store, session: Session | None, annotation_id: str, decision: Decision, reviewer: str) -> None:
    """Save a decision (one transaction) and, in a session, advance to the next item."""
    from .operations.base import run

    run(store, decision_op(session, annotation_id, decision, reviewer))
    if session is not None:
        session.position += 1


def end_session(store: Store, session: Session) -> None:
    store.review.end_session(session.id)
    session.ended_at = "ended"


def summary(store: Store, session_id: int | None = None) -> dict[str, list[tuple[str, int]]]:
    """Counts by verdict, label, status, article and reviewer (a session's, or the corpus')."""
    return store.review.review_summary(session_id)


def session_counts(store: Store, session_id: int) -> dict[str, int]:
    return dict(store.review.review_summary(session_id)["decision"])


__all__ = [
    "CONFIDENCE",
    "DECISIONS",
    "STANCES",
    "VERDICTS",
    "VERDICT_SCALE",
    "Decision",
    "Evidence",
    "ReviewError",
    "Scope",
    "Session",
    "build_queue",
    "decide",
    "decision_op",
    "end_session",
    "load_session",
    "move",
    "open_session",
    "start_session",
    "summary",
    "validate_url",
]
