"""Exceptions that carry one clear sentence for the researcher (never a traceback)."""


class KzpkError(Exception):
    """Base class: ``str(err)`` is a complete, user-facing sentence."""


class StoreError(KzpkError):
    """The database cannot be opened, upgraded or written."""


class SpanError(KzpkError):
    """A span would break the offset invariant (reversed, empty, out of range, mismatch)."""


class NotFoundError(KzpkError):
    """An article, annotation or label id does not exist."""
