"""Code points <-> UTF-16 positions, span snapping and quote context.

Stored offsets are Python code-point indices. Qt counts UTF-16 code units (an emoji
outside the BMP is two). This module is the one place that converts; the reader widget
is its only Qt-side user.
"""

from __future__ import annotations

import bisect
import re
import unicodedata
from dataclasses import dataclass, field
from itertools import pairwise

_ASTRAL = re.compile("[\U00010000-\U0010ffff]")

# A character outside the BMP: two UTF-16 units. Found by the regex engine, not a Python loop
# over every character (that loop was ~30 ms of opening a 120 KB article).


@dataclass
class Utf16Map:
    """Position map for one text. O(1) for BMP-only text, O(log n) otherwise."""

    text: str
    _astral: list[int] = field(init=False, repr=False)
    _astral_u16: list[int] = field(init=False, repr=False)

    def __post_init__(self) -> None:
        # Code-point indices of characters that take two UTF-16 units, and where each
        # such pair starts in UTF-16 units; both ascending. Found by a regex (C speed): a
        # Python loop over a 20 MB article took seconds.
        self._astral = [m.start() for m in _ASTRAL.finditer(self.text)] if not self.text.isascii() else []
        self._astral_u16 = [cp + k for k, cp in enumerate(self._astral)]

    @property
    def utf16_length(self) -> int:
        return len(self.text) + len(self._astral)

    def to_utf16(self, cp: int) -> int:
        """UTF-16 position of code-point index ``cp`` (0 <= cp <= len(text))."""
        if not self._astral:
            return cp
        return cp + bisect.bisect_left(self._astral, cp)

    def to_codepoint(self, u16: int) -> int:
        """Code-point index of UTF-16 position ``u16``; the middle of a pair rounds down."""
        if not self._astral:
            return u16
        whole = bisect.bisect_right(self._astral_u16, u16 - 2)  # pairs ending at or before u16
        if whole < len(self._astral_u16) and self._astral_u16[whole] < u16:
            return self._astral[whole]  # u16 points between the two halves of a pair
        return u16 - whole

    def span_to_codepoints(self, u16_start: int, u16_end: int) -> tuple[int, int]:
        """A UTF-16 selection as a half-open code-point span; half an emoji selects nothing."""
        a, b = sorted((u16_start, u16_end))
        start = self.to_codepoint(a)
        if self.to_utf16(start) != a:  # began inside a surrogate pair: move past it
            start += 1
        end = self.to_codepoint(b)
        return start, max(start, end)


def _is_word_char(ch: str) -> bool:
    cat = unicodedata.category(ch)
    # Letters, digits, marks; ZWJ/format chars and emoji symbols/modifiers keep
    # sequences such as 👨‍👩‍👧 or 👍🏽 whole.
    return cat[0] in "LNM" or ch in "_-’'" or cat in ("Cf", "So", "Sk")


def snap_to_words(text: str, start: int, end: int) -> tuple[int, int]:
    """Trim surrounding whitespace and widen a span to whole words.

    Combining marks and zero-width joiners count as part of a word, so an accented
    letter in NFD or a ZWJ emoji sequence is never cut in half.
    """
    start, end = min(max(0, start), len(text)), min(max(0, end), len(text))
    while start < end and text[start].isspace():
        start += 1
    while end > start and text[end - 1].isspace():
        end -= 1
    if start >= end:
        return start, start
    while start > 0 and _is_word_char(text[start - 1]) and _is_word_char(text[start]):
        start -= 1
    while end < len(text) and _is_word_char(text[end]) and _is_word_char(text[end - 1]):
        end += 1
    # Never leave a combining mark orphaned at either edge.
    while end < len(text) and unicodedata.combining(text[end]):
        end += 1
    return start, end


def context(text: str, start: int, end: int, width: int = 40) -> tuple[str, str]:
    """The ``width`` code points before and after a span (for re-anchoring and CSV)."""
    return text[max(0, start - width) : start], text[end : end + width]


_SENTENCE_END = ".!?…。۔؟\n"  # (Urdu full stop and question mark included)


def sentence_around(text: str, start: int, end: int, limit: int = 200) -> str:
    """The sentence holding ``text[start:end]``, on one line and at most ``limit`` characters
    (cut around the hit, with an ellipsis): what a reviewer needs to judge a suggestion."""
    lo = start
    while lo > 0 and text[lo - 1] not in _SENTENCE_END and start - lo < limit:
        lo -= 1
    hi = end
    while hi < len(text) and text[hi] not in _SENTENCE_END and hi - end < limit:
        hi += 1
    if hi < len(text) and text[hi] != "\n":
        hi += 1  # keep the full stop
    before, hit, after = text[lo:start], text[start:end], text[end:hi]
    room = max(0, limit - len(hit)) // 2
    if len(before) > room:
        before = "…" + before[len(before) - room :]
    if len(after) > room:
        after = after[:room] + "…"
    return " ".join(f"{before}{hit}{after}".split())


def find_all(text: str, query: str, *, case_sensitive: bool = False) -> list[tuple[int, int]]:
    """Every occurrence of ``query`` as code-point ranges (case-insensitive matching keeps
    offsets exact, unlike searching a case-folded copy: "ß" folds to two letters)."""
    if not query:
        return []
    flags = 0 if case_sensitive else re.IGNORECASE
    return [m.span() for m in re.finditer(re.escape(query), text, flags)]


DISPLAY_LINE = 10_000  # code points; a longer line is shown in pieces of at most this many


@dataclass
class DisplayMap:
    """Code points <-> positions in a Qt document that shows ``text`` with display-only breaks.

    Qt lays out a whole paragraph at once, and finding line breaks in a paragraph with no
    break opportunity is quadratic: a 1M-character line without a space took minutes to
    open. So lines longer than ``max_line`` are shown as several paragraphs, split after a
    space where there is one near the end of the piece. The breaks exist only in the
    document: stored text and offsets are untouched, and every Qt position still converts
    here (through :class:`Utf16Map`), so ``text[start:end]`` stays the selected text.
    A break sits *before* code point ``b``; both document positions beside it map to ``b``.
    """

    text: str
    max_line: int = DISPLAY_LINE
    breaks: list[int] = field(init=False)  # code-point indices a break is shown before
    utf16: Utf16Map = field(init=False, repr=False)
    _sep: list[int] = field(init=False, repr=False)  # document position of each break

    def __post_init__(self) -> None:
        self.utf16 = Utf16Map(self.text)
        self.breaks = _display_breaks(self.text, self.max_line)
        self._sep = [self.utf16.to_utf16(b) + k for k, b in enumerate(self.breaks)]

    def display_text(self) -> str:
        """The text for the document: ``text`` with a newline at every display break."""
        if not self.breaks:
            return self.text
        bounds = [0, *self.breaks, len(self.text)]
        return "\n".join(self.text[a:b] for a, b in pairwise(bounds))

    def to_doc(self, cp: int) -> int:
        """Document position of code point ``cp`` (after any break in front of it)."""
        return self.utf16.to_utf16(cp) + bisect.bisect_right(self.breaks, cp)

    def to_codepoint(self, doc: int) -> int:
        """Code point at document position ``doc``; the break itself maps to the code point after it."""
        return self.utf16.to_codepoint(doc - bisect.bisect_left(self._sep, doc))

    def span_to_codepoints(self, doc_start: int, doc_end: int) -> tuple[int, int]:
        """A document selection as a half-open code-point span (half an emoji selects nothing)."""
        a, b = sorted((doc_start, doc_end))
        return self.utf16.span_to_codepoints(a - bisect.bisect_left(self._sep, a), b - bisect.bisect_left(self._sep, b))


def _display_breaks(text: str, max_line: int) -> list[int]:
    """Where to break lines longer than ``max_line`` for display: after the last space of each
    piece when one is in its last quarter, else at the limit (never before a combining mark)."""
    breaks: list[int] = []
    if len(text) <= max_line:
        return breaks
    line_start = 0
    while line_start < len(text):
        line_end = text.find("\n", line_start)
        line_end = len(text) if line_end < 0 else line_end
        start = line_start
        while line_end - start > max_line:
            cut = start + max_line
            space = max(text.rfind(" ", cut - max_line // 4, cut), text.rfind("\t", cut - max_line // 4, cut))
            if space > start:
                cut = space + 1
            else:
                while cut > start + 1 and unicodedata.combining(text[cut]):
                    cut -= 1
            breaks.append(cut)
            start = cut
        line_start = line_end + 1
    return breaks
