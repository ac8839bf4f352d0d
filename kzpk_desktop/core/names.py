"""The one name normaliser: how two spellings of an entity's name are found to be the same.

NFKC folds compatibility forms (full-width letters, ligatures, "ﬁ"), ``casefold`` folds
case in every script (SQLite's ``NOCASE`` folds ASCII only, so "АСТАНА" and "Астана" were
two entities), and runs of whitespace become one space. The store keeps this key beside
each name and alias, with a unique index on (kind, key); the GUI's completer uses it too.
"""

from __future__ import annotations

import unicodedata


def clean_name(name: str) -> str:
    """A name as stored: inner whitespace collapsed, ends trimmed, nothing else changed."""
    return " ".join(name.split())


def name_key(name: str) -> str:
    """The matching key of a name or alias: NFKC, case-folded, whitespace collapsed."""
    return " ".join(unicodedata.normalize("NFKC", name).casefold().split())


def same_name(a: str, b: str) -> bool:
    return name_key(a) == name_key(b)
