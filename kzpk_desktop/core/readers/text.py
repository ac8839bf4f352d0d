"""Plain text (.txt, .md): decoding and the newline policy.

Stored text = decoded file, leading BOM dropped, ``\\r\\n``/``\\r`` turned into ``\\n``.
Nothing else changes (no NFC, no trimming), so offsets into it stay meaningful forever.
"""

from __future__ import annotations

import codecs
import re
from pathlib import Path

from .base import Extracted, ImportRefused, Provenance, file_hash

EXTRACTOR = "kzpk-text"
EXTRACTOR_VERSION = "1"

_BINARY_MAGIC = {
    b"%PDF": "a PDF document",
    b"PK\x03\x04": "a ZIP archive (or DOCX/ODT)",
    b"\x89PNG": "a PNG image",
    b"\xff\xd8\xff": "a JPEG image",
    b"GIF8": "a GIF image",
    b"SQLite format 3": "an SQLite database",
    b"\x7fELF": "an executable",
    b"\xd0\xcf\x11\xe0": "an old Microsoft Office document",
}


def normalise_newlines(text: str) -> str:
    return text.replace("\r\n", "\n").replace("\r", "\n")


def _looks_like_bomless_utf16(data: bytes) -> str | None:
    """Mostly-ASCII UTF-16 without BOM: NULs sit on every other byte."""
    if len(data) < 4 or len(data) % 2:
        return None
    even_nuls = data[0::2].count(0) / (len(data) / 2)
    odd_nuls = data[1::2].count(0) / (len(data) / 2)
    if odd_nuls > 0.6 and even_nuls < 0.05:
        return "utf-16-le"
    if even_nuls > 0.6 and odd_nuls < 0.05:
        return "utf-16-be"
    return None


def decode_bytes(data: bytes) -> tuple[str, str]:
    """Decode file bytes; returns (text, encoding name) or raises ImportRefused."""
    if not data:
        raise ImportRefused("the file is empty")
    if data.startswith(codecs.BOM_UTF8):
        try:
            return data[len(codecs.BOM_UTF8) :].decode("utf-8"), "utf-8-sig"
        except UnicodeDecodeError as err:
            raise ImportRefused(f"it has a UTF-8 BOM but invalid UTF-8 at byte {err.start}") from None
    for bom, name in ((codecs.BOM_UTF16_LE, "utf-16-le"), (codecs.BOM_UTF16_BE, "utf-16-be")):
        if data.startswith(bom):
            try:
                return data[len(bom) :].decode(name), f"{name} (BOM)"
            except UnicodeDecodeError:
                raise ImportRefused("it has a UTF-16 BOM but is not valid UTF-16") from None
    for magic, kind in _BINARY_MAGIC.items():
        if data.startswith(magic):
            raise ImportRefused(f"it is a binary file ({kind}), not text")
    if b"\x00" in data:
        guess = _looks_like_bomless_utf16(data)
        if guess:
            try:
                return data.decode(guess), guess
            except UnicodeDecodeError:
                pass
        raise ImportRefused("it is a binary file (it contains NUL bytes), not text")
    try:
        return data.decode("utf-8"), "utf-8"
    except UnicodeDecodeError:
        pass
    try:
        text = data.decode("cp1252")
    except UnicodeDecodeError as err:
        raise ImportRefused(f"it is neither UTF-8 nor Windows-1252 text (undecodable byte at {err.start})") from None
    return text, "cp1252"


_CONTROL = re.compile(r"[\x00-\x08\x0e-\x1f]")  # not \t \n \v \f \r
_CONTROL_BYTES = bytes([*range(0x00, 0x09), *range(0x0E, 0x20)])


def check_text(text: str) -> None:
    if not text.strip():
        raise ImportRefused("the file holds only whitespace")
    sample = text[:4096]
    # the common case, none: in UTF-8 these characters are the bytes 0x00-0x08 and 0x0e-0x1f
    # and no byte of a longer character, and deleting bytes runs 3-5x faster than the search
    encoded = sample.encode("utf-8", "surrogatepass")
    if len(encoded.translate(None, _CONTROL_BYTES)) == len(encoded):
        return
    controls = len(_CONTROL.findall(sample))  # C speed: this runs for every imported file
    if controls > max(8, len(sample) // 100):
        raise ImportRefused("it looks like binary data (many control characters), not text")


def decode_text(data: bytes) -> tuple[str, str]:
    """Bytes -> stored text and encoding, with the newline policy applied and checked."""
    raw, encoding = decode_bytes(data)
    if raw.startswith("\ufeff"):
        raw = raw[1:]
    text = normalise_newlines(raw)
    check_text(text)
    return text, encoding


def read_bytes(data: bytes, name: str) -> Extracted:
    text, encoding = decode_text(data)
    fmt = "md" if name.lower().endswith(".md") else "txt"
    return Extracted(
        text=text, provenance=Provenance(fmt, name, file_hash(data), EXTRACTOR, EXTRACTOR_VERSION, encoding)
    )


def read(path: Path, data: bytes) -> Extracted:
    return read_bytes(data, path.name)
