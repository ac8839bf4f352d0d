"""Prior fact-checks, offline: ClaimReview JSON-LD read from files or folders (this app's own
``--format claimreview`` export, single items, ``@graph`` documents and the DataFeed shape
fact-checkers publish) into an FTS5 index, and the best earlier checks for a claim (bm25)."""

from __future__ import annotations

import json
from collections.abc import Iterable, Iterator
from dataclasses import dataclass, field
from pathlib import Path

from ..errors import KzpkError
from ..jsonvalue import JSONObject, JSONValue, as_object, as_text
from ..operations.base import Changes, OpResult
from ..store import Store
from ..store import crossoutlet as q
from ..store.base import utc_now
from ..store.crossoutlet import PriorCheck, PriorCheckMatch


class PriorCheckError(KzpkError):
    """A file that is not ClaimReview JSON-LD."""


def _name(value: JSONValue, what: str) -> str:
    """A party or term as text: a string, an object's ``name`` (or ``alternateName``), or a list of them."""
    if value is None:
        return ""
    if isinstance(value, list):
        return ", ".join(filter(None, (_name(v, what) for v in value)))
    if isinstance(value, dict):
        return _text(value, "name", f"the name of {what}") or _text(value, "alternateName", f"the name of {what}")
    return as_text(value, what)


def _text(obj: JSONObject, key: str, what: str) -> str:
    """The string at ``key`` ("" when missing or null); any other value is the file's mistake."""
    value = obj.get(key)
    return "" if value is None else as_text(value, what)


def _first_object(obj: JSONObject, key: str, what: str) -> JSONObject:
    """The object at ``key``, or the first of a list of them; {} when missing, null or empty."""
    value = obj.get(key)
    if isinstance(value, list):
        value = value[0] if value else None
    if value is None or value == "":
        return {}
    return as_object(value, what)


def _reviews(node: JSONValue) -> Iterator[JSONObject]:
    """Every ClaimReview in a JSON-LD document, however it is wrapped."""
    if isinstance(node, list):
        for x in node:
            yield from _reviews(x)
    elif isinstance(node, dict):
        kind = node.get("@type")
        kinds = kind if isinstance(kind, list) else [kind]
        if "ClaimReview" in kinds:
            yield node
            return
        for key in ("@graph", "dataFeedElement", "item", "itemListElement"):
            if key in node:
                yield from _reviews(node[key])


def parse_review(item: JSONObject, what: str = "the ClaimReview") -> PriorCheck | None:
    """One ClaimReview as a PriorCheck; None without a claimReviewed text.

    The file is untrusted: a value of the wrong shape (a list where an object belongs, a
    number where text belongs) raises a ValueError saying which, never a KeyError or a
    TypeError, and is never turned into text such as ``"['a']"``.
    """
    claim = " ".join(_text(item, "claimReviewed", f"claimReviewed of {what}").split())
    if not claim:
        return None
    rating = _first_object(item, "reviewRating", f"reviewRating of {what}")
    rating_text = _text(rating, "alternateName", f"reviewRating.alternateName of {what}") or _text(
        rating, "name", f"reviewRating.name of {what}"
    )
    if not rating_text:
        value = rating.get("ratingValue")
        if isinstance(value, (int, float)) and not isinstance(value, bool):
            rating_text = str(value)
        elif value is not None:
            rating_text = as_text(value, f"reviewRating.ratingValue of {what}")
    reviewed = _first_object(item, "itemReviewed", f"itemReviewed of {what}")
    url = _text(item, "url", f"url of {what}")
    identifier = item.get("identifier")
    if not url and identifier:
        if isinstance(identifier, int) and not isinstance(identifier, bool):
            identifier = str(identifier)
        url = f"urn:kzpk:claim:{as_text(identifier, f'identifier of {what}')}"
    publisher = _name(item.get("publisher"), f"publisher of {what}") or _name(item.get("author"), f"author of {what}")
    entities = " ".join(
        filter(
            None,
            (
                _name(reviewed.get("author"), f"itemReviewed.author of {what}"),
                _name(item.get("about"), f"about of {what}"),
                _name(reviewed.get("about"), f"itemReviewed.about of {what}"),
                _name(item.get("mentions"), f"mentions of {what}"),
                _name(item.get("keywords"), f"keywords of {what}"),
            ),
        )
    )
    date = _text(item, "datePublished", f"datePublished of {what}")[:10]
    return PriorCheck(url, claim, rating_text, publisher, date, entities)


@dataclass(frozen=True)
class ReadChecks:
    """What a file or folder held: the checks read, and one sentence for each item (or, in a
    folder, each file) that could not be read and was left out."""

    checks: tuple[PriorCheck, ...]
    skipped: tuple[str, ...] = ()


def _unreadable(sentences: list[str]) -> str:
    more = len(sentences) - 1
    return sentences[0] + (f" ({more} more item{'s' if more > 1 else ''} could not be read either.)" if more else "")


def _read_file(f: Path) -> ReadChecks:
    """One file's checks; a malformed item is left out with its sentence. Raises when the file
    is not JSON at all."""
    try:
        doc: JSONValue = json.loads(f.read_text(encoding="utf-8-sig"))
        reviews = list(_reviews(doc))
    except (UnicodeDecodeError, json.JSONDecodeError) as err:
        raise PriorCheckError(f"'{f}' is not JSON ({err}).") from None
    except RecursionError:
        raise PriorCheckError(f"'{f}' is nested too deeply to be a ClaimReview file.") from None
    found: list[PriorCheck] = []
    skipped: list[str] = []
    for n, item in enumerate(reviews, start=1):
        try:
            check = parse_review(item, f"ClaimReview {n}")
        except ValueError as err:
            skipped.append(f"'{f}': {err}")
            continue
        except RecursionError:  # (a name nested hundreds of lists deep: json.loads took it)
            skipped.append(f"'{f}': ClaimReview {n} is nested too deeply to read.")
            continue
        if check is not None:
            found.append(check)
    return ReadChecks(tuple(found), tuple(skipped))


def read_path(path: str | Path) -> ReadChecks:
    """All ClaimReview items in a file, or in the .json/.jsonld files under a folder.

    A feed of thousands of items is not refused over one of the wrong shape: that item (or, in
    a folder, a file that is not JSON) is left out and named in ``skipped``. Nothing readable
    at all raises, with the reason."""
    p = Path(path)
    if not p.exists():
        raise PriorCheckError(f"'{p}' does not exist.")
    if not p.is_dir():
        read = _read_file(p)
        if not read.checks:
            raise PriorCheckError(
                _unreadable(list(read.skipped))
                if read.skipped
                else f"'{p}' holds no ClaimReview item with a claimReviewed text."
            )
        return read
    checks: list[PriorCheck] = []
    skipped: list[str] = []
    for f in sorted(f for f in p.rglob("*") if f.suffix.lower() in (".json", ".jsonld")):
        try:
            read = _read_file(f)
        except PriorCheckError as err:
            skipped.append(str(err))
            continue
        checks.extend(read.checks)
        skipped.extend(read.skipped)
    if not checks:
        why = f" {_unreadable(skipped)}" if skipped else ""
        raise PriorCheckError(f"No ClaimReview item with a claimReviewed text in '{p}'.{why}")
    return ReadChecks(tuple(checks), tuple(skipped))


def read_paths(paths: Iterable[str | Path]) -> ReadChecks:
    """:func:`read_path` over several files or folders, in order (the CLI's and the window's)."""
    reads = [read_path(p) for p in paths]
    return ReadChecks(
        tuple(c for r in reads for c in r.checks),
        tuple(s for r in reads for s in r.skipped),
    )


@dataclass(frozen=True)
class ImportPriorChecks:
    items: tuple[PriorCheck, ...]
    who: str = ""
    at: str = field(default_factory=utc_now)  # the import time, the same on a redo
    ids: tuple[int, ...] | None = None  # an undo of a removal puts the rows back under their ids

    @property
    def text(self) -> str:
        return f"Import {len(self.items)} prior fact-checks"

    def apply(self, store: Store) -> OpResult:
        ids = q.insert_prior_checks(store, self.items, self.who, self.at, self.ids)
        return OpResult(Changes(prior_checks=frozenset(ids)), RemovePriorChecks(tuple(ids), self.who, self.text))


@dataclass(frozen=True)
class RemovePriorChecks:
    ids: tuple[int, ...]
    who: str = ""
    label: str = "Remove prior fact-checks"

    @property
    def text(self) -> str:
        return self.label

    def apply(self, store: Store) -> OpResult:
        removed = q.delete_prior_checks(store, self.ids, self.who)
        back = ImportPriorChecks(
            tuple(check for _id, check, _at in removed),
            self.who,
            removed[0][2] if removed else utc_now(),  # one import, one time
            tuple(pid for pid, _c, _at in removed),
        )
        return OpResult(Changes(prior_checks=frozenset(pid for pid, _c, _at in removed)), back)


@dataclass(frozen=True)
class PriorCheckMatches:
    annotation_id: str
    matches: tuple[PriorCheckMatch, ...]


def match(store: Store, annotation_id: str, limit: int = 10) -> PriorCheckMatches:
    """The best earlier fact-checks for a claim: bm25 over its text and linked entity names."""
    span = q.span(store, annotation_id)
    words = q.query_words(" ".join([span.text, span.entity_name or "", *span.linked]))
    return PriorCheckMatches(annotation_id, tuple(q.match_prior_checks(store, words, limit)))
