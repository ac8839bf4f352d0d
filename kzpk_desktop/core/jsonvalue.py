"""The shape of a JSON document, for the few places that build or read one.

Exports (JSON-LD, JSONL, WebAnno, agreement reports), the history's before/after images and
imported ClaimReview files are JSON by nature; everywhere else rows are dataclasses. Typing
them as ``JSONValue`` rather than ``Any`` lets mypy catch a value json cannot write (a
``Path``, a ``datetime``, a dataclass) where it is put in, and forces a reader of parsed
input to check what it got instead of trusting a file it did not write.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from typing import TypeAlias

JSONScalar: TypeAlias = str | int | float | bool | None
JSONValue: TypeAlias = "JSONScalar | list[JSONValue] | dict[str, JSONValue]"
JSONObject: TypeAlias = dict[str, JSONValue]
# Read-only views accept a dict[str, str] or a list[int] where a JSON value is expected
# (dict and list are invariant; Mapping and Sequence are not).
JSONReadable: TypeAlias = "JSONScalar | Sequence[JSONReadable] | Mapping[str, JSONReadable]"


def as_object(value: object, what: str) -> JSONObject:
    """``value`` if it is a JSON object, else a ValueError naming ``what`` was expected."""
    if not isinstance(value, dict) or not all(isinstance(k, str) for k in value):
        raise ValueError(f"Expected {what} to be a JSON object, found {type(value).__name__}.")
    return value


def as_list(value: object, what: str) -> list[JSONValue]:
    """``value`` if it is a JSON array, else a ValueError naming ``what`` was expected."""
    if not isinstance(value, list):
        raise ValueError(f"Expected {what} to be a JSON array, found {type(value).__name__}.")
    return value


def text(obj: Mapping[str, JSONValue], key: str) -> str | None:
    """The string at ``key``, or None when it is missing or not a string (untrusted input)."""
    value = obj.get(key)
    return value if isinstance(value, str) else None


def as_text(value: object, what: str) -> str:
    """``value`` if it is a JSON string, else a ValueError naming ``what`` was expected.

    Unlike :func:`text`, for a value that must be a string when it is there at all: a number
    or an object in its place is the file's mistake, to be said, not silently dropped.
    """
    if not isinstance(value, str):
        raise ValueError(f"Expected {what} to be a JSON string, found {type(value).__name__}.")
    return value
