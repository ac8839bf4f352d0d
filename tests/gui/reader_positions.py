"""Document positions of the reader found from Qt's own blocks (independent of core.offsets).

The reader may show a very long line as several paragraphs (display-only breaks), so a
stored code point is no longer its UTF-16 index in the document. Tests that set the real
text cursor find the position by walking the document's blocks against the stored text.
"""

from __future__ import annotations

from PySide6.QtWidgets import QPlainTextEdit


def u16(text: str) -> int:
    return len(text.encode("utf-16-le", "surrogatepass")) // 2


def doc_position(reader: QPlainTextEdit, text: str, cp: int) -> int:
    """The document position in front of stored code point ``cp`` (after a display break)."""
    consumed = 0
    block = reader.document().begin()
    while block.isValid():
        shown = block.text()
        assert text[consumed : consumed + len(shown)] == shown, "the reader shows other text"
        if cp < consumed + len(shown) or (cp == consumed + len(shown) and not block.next().isValid()):
            return block.position() + u16(shown[: cp - consumed])
        consumed += len(shown)
        if consumed < len(text) and text[consumed] in "\n\u2029":
            if cp == consumed:
                return block.position() + u16(shown)
            consumed += 1  # a real line break; otherwise the break is the reader's own
        block = block.next()
    raise AssertionError(f"code point {cp} is not in the document")


def display_breaks(reader: QPlainTextEdit, text: str) -> int:
    """How many paragraph breaks the reader added that the stored text does not have."""
    return reader.document().blockCount() - 1 - text.count("\n") - text.count("\u2029")
