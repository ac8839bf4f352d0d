"""Outlet names: a small table shipped in ``resources/outlets.json`` that the user extends
with ``outlets.json`` in the data folder (their entries win). Also the script-based
language guess, because both feed an article's metadata from evidence in the file."""

from __future__ import annotations

import json
import re
from functools import cache
from urllib.parse import urlsplit

from .paths import resources_dir, user_data_dir


@cache
def outlet_table() -> tuple[dict[str, str], dict[str, str]]:
    """(domain -> outlet, lower-case name -> outlet); a broken user file is ignored, not fatal."""
    domains: dict[str, str] = {}
    names: dict[str, str] = {}
    for path in (resources_dir() / "outlets.json", user_data_dir() / "outlets.json"):
        try:
            data = json.loads(path.read_text(encoding="utf-8"))
        except (OSError, ValueError):
            continue
        domains.update({k.lower(): v for k, v in data.get("domains", {}).items()})
        names.update({k.lower(): v for k, v in data.get("names", {}).items()})
    return domains, names


def outlet_for_url(url: str | None) -> str | None:
    """The outlet a URL's domain (or a parent domain) maps to; ``None`` if not in the table."""
    if not url:
        return None
    host = urlsplit(url if "//" in url else f"//{url}").hostname or ""
    host = host.lower().removeprefix("www.")
    domains, _names = outlet_table()
    parts = host.split(".")
    for i in range(len(parts) - 1):
        found = domains.get(".".join(parts[i:]))
        if found:
            return found
    return None


def outlet_for_name(name: str) -> str | None:
    """The canonical name of an outlet named in a byline or footer, if it is in the table."""
    _domains, names = outlet_table()
    return names.get(" ".join(name.lower().split()).strip(" .:-—–«»\"'"))


_KAZAKH_LETTERS = re.compile(r"[әғқңөұүһіӘҒҚҢӨҰҮҺІ]")
_URDU_LETTERS = re.compile(r"[ٹڈڑںےۓھ]")
_TWENTY_LATIN = re.compile(r"(?:[^A-Za-z]*[A-Za-z]){20}")  # stops at the 20th letter: no list of them all
# Letters are counted by runs (a word is one match, not one per letter: a fifth of the objects)
_CYRILLIC_RUN = re.compile(r"[А-Яа-яЁёәғқңөұүһіӘҒҚҢӨҰҮҺІ]+")
_ARABIC_RUN = re.compile(r"[\u0600-\u06ff]+")
_ASCII_LETTERS = bytes(range(65, 91)) + bytes(range(97, 123))


def _letters(run: re.Pattern[str], sample: str) -> int:
    return sum(map(len, run.findall(sample)))


def script_counts(sample: str) -> dict[str, int]:
    """Letters of each script: Cyrillic (Kazakh letters included), Arabic, Latin (A-Z, a-z)."""
    encoded = sample.encode("utf-8", "surrogatepass")  # (A-Z, a-z are single bytes no other character uses)
    return {
        "cyr": _letters(_CYRILLIC_RUN, sample),
        "ar": _letters(_ARABIC_RUN, sample),
        "lat": len(encoded) - len(encoded.translate(None, _ASCII_LETTERS)),
    }


def guess_language(text: str) -> str | None:
    """ISO 639-1 code from the script of the first 2000 characters (en, ru, kk, ur)."""
    sample = text[:2000]
    if sample.isascii():  # the common case: no Cyrillic or Arabic to count, so Latin wins at 20
        return "en" if _TWENTY_LATIN.match(sample) else None
    counts = script_counts(sample)
    script = max(counts, key=lambda k: counts[k])
    if counts[script] < 20:
        return None
    if script == "cyr":
        return "kk" if len(_KAZAKH_LETTERS.findall(sample)) >= 3 else "ru"
    if script == "ar":
        return "ur" if _URDU_LETTERS.search(sample) else None
    return "en"
