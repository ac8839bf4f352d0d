"""What two articles can share: word shingles (for copies) and keys (names, places, numbers,
linked entities) for independent reports of one event, which share few words."""

from __future__ import annotations

import re
import zlib
from datetime import date

_WORD = re.compile(r"[\w’']+", re.UNICODE)
# Capital letters of the Latin, Greek and Cyrillic scripts (Kazakh Ә Қ Ң Ө Ұ Ү Һ І included):
# Kazakh and Russian outlets name people in Cyrillic. Arabic script (Urdu) has no case.
_UPPER = re.escape("".join(c for c in map(chr, range(0x41, 0x530)) if c.isupper()))
# A run of capitalised words (Ishaq Dar, Мұрат Нұртілеу, Action Plan of Cooperation).
_NAME = re.compile(rf"[{_UPPER}][\w’'-]+(?:\s+(?:of\s+|the\s+|and\s+)?[{_UPPER}][\w’'-]+)*")
# Figures worth comparing: money, percentages, counts with units, long numbers.
NUMBER = re.compile(
    r"(?:[$€£₨]\s?\d[\d,.]*(?:\s?(?:million|billion|trillion|bn|m))?)"
    r"|(?:\d[\d,.]*\s?(?:%|per cent|percent|million|billion|trillion|tonnes|tons|km|MW))"
    r"|(?:\b\d{1,3}(?:,\d{3})+\b)",
    re.IGNORECASE,
)
# Words that start sentences or headlines with a capital but name nothing.
_STOP_WORDS = """
a an the and or but of in on at to for by with from as is are was were be been this that these those it its
he she they we his her their our after before during while when where also earlier later however meanwhile
according both two three four new mr mrs ms dr said says mon tue wed thu fri sat sun monday tuesday wednesday
thursday friday saturday sunday january february march april may june july august september october november
december jan feb mar apr jun jul aug sep sept oct nov dec published by staff correspondent read more
"""
STOP = frozenset(_STOP_WORDS.split())


_SENTENCE_START = re.compile(r"(?:[.!?:][”\"’]?\s+|\n\s*|[“\"‘(])$")  # what precedes a sentence's first word


def words(text: str) -> list[str]:
    return [w.lower() for w in _WORD.findall(text)]


def shingles(text: str, k: int = 3) -> set[bytes]:
    """Word k-grams, encoded for hashing; the unit near-copy detection compares."""
    ws = words(text)
    return {" ".join(ws[i : i + k]).encode("utf-8") for i in range(max(0, len(ws) - k + 1))}


def hash32(data: bytes) -> int:
    """A fast, stable 32-bit hash for MinHash (crc32 is several times faster than sha1 and the
    same in every process, so an index kept in Redis stays valid)."""
    return zlib.crc32(data)


def normalise_number(raw: str) -> str:
    s = raw.lower().replace("per cent", "%").replace("percent", "%").replace(",", "").replace(" ", "")
    return s.replace("bn", "billion").rstrip(".")


_DIGITS = re.compile(r"\d+")


def numbers(text: str) -> list[tuple[int, int, str]]:
    """(start, end, normalised) for each figure in the text.

    Tried only where a digit is (a currency sign at most two characters before it): scanning
    every position with the whole alternation was the slowest step of ``kzpk stories``."""
    out: list[tuple[int, int, str]] = []
    pos = 0
    while (d := _DIGITS.search(text, pos)) is not None:
        found = None
        for start in range(max(pos, d.start() - 2), d.start() + 1):
            found = NUMBER.match(text, start)
            if found:
                break
        if found:
            out.append((found.start(), found.end(), normalise_number(found.group(0))))
            pos = found.end()
        else:
            pos = d.end()
    return out


def names(text: str) -> list[tuple[int, int, str]]:
    """(start, end, name) for each run of capitalised words, leading function words dropped."""
    out: list[tuple[int, int, str]] = []
    pos = 0
    while (m := _NAME.search(text, pos)) is not None:  # no leading \b: a class-first pattern scans fast
        if m.start() and (text[m.start() - 1].isalnum() or text[m.start() - 1] == "_"):
            pos = m.start() + 1  # inside a word (iPhone): look again after its capital
            continue
        pos = m.end()
        parts = m.group(0).split()
        start = m.start()
        while parts and parts[0].lower().strip("’'") in STOP:
            start = text.index(parts[1], start + len(parts[0])) if len(parts) > 1 else m.end()
            parts = parts[1:]
        if parts:
            out.append((start, m.end(), " ".join(parts)))
    return out


def keys(text: str, entity_ids: tuple[int, ...] = ()) -> set[str]:
    """Keys two reports of one event tend to share: name words, figures, linked entity ids."""
    out: set[str] = set()
    lower = _LowerCase(text)
    for start, _e, name in names(text):
        parts = name.split()
        if start == 0 or _SENTENCE_START.search(text[max(0, start - 6) : start]):
            if len(parts) == 1:
                continue  # one capitalised word opening a sentence is as likely a verb as a name
            if lower.written(parts[0]):
                parts = parts[1:]  # "Yesterday Shehbaz Sharif": the opener is an ordinary word
        for w in parts:
            w = w.lower().strip("’'-").removesuffix("’s").removesuffix("'s")
            if len(w) > 2 and w not in STOP:
                out.add("n:" + w)
    out.update("#:" + n for _s, _e, n in numbers(text))
    out.update(f"e:{i}" for i in entity_ids)
    return out


class _LowerCase:
    """Which words one text also writes in lower case, i.e. ordinary words capitalised only
    because they open a sentence (a name is never written in lower case).

    A short text is searched with ``str.find`` per opener, the answer kept; a long one (a book
    imported as one article) has its words read once instead: searching it again for every
    sentence opener grew with the square of its length."""

    LONG = 20_000

    def __init__(self, text: str) -> None:
        self.text = text
        self.answers: dict[str, bool] = {}
        self.words: frozenset[str] | None = None  # a long text's words, read on first need

    def written(self, word: str) -> bool:
        low = word.lower()
        if low == word:
            return False
        if len(self.text) > self.LONG:
            if self.words is None:
                self.words = frozenset(_WORD.findall(self.text))
            return low in self.words
        if low not in self.answers:
            self.answers[low] = self._find(low)
        return self.answers[low]

    def _find(self, low: str) -> bool:
        text = self.text
        at = text.find(low)
        while at >= 0:  # str.find, not a regex per word: this runs for every sentence opener
            end = at + len(low)
            if (at == 0 or not _in_word(text[at - 1])) and (end == len(text) or not _in_word(text[end])):
                return True
            at = text.find(low, at + 1)
        return False


def _in_word(ch: str) -> bool:
    return ch.isalnum() or ch in "_’'-"


def iso_day(value: str | None) -> date | None:
    """An ISO date at day precision, or None (month/year precision is too coarse for a window)."""
    if not value or len(value) < 10:
        return None
    try:
        return date.fromisoformat(value[:10])
    except ValueError:
        return None
