"""How well metadata is read from plain text: titles, dates, outlets (and authors) over the
hand-written corpus in ``tests/metadata_corpus`` (English, Russian, Urdu, Kazakh).

    python -m benchmarks.metadata_rates [FOLDER]

Counts, per field, values right, missing (in the text, not found) and wrong; an *invented*
value is one given where the text states none (expected ``null``). Dates count as right
when found correctly or left empty where the text has none ("right or honestly empty").
Outlet rate = right / articles that name one. Targets (issue 16): titles >= 95 %, dates
>= 96 %, outlets >= 90 %, at most 1 invented value per 50 articles.
"""

from __future__ import annotations

import json
import sys
from dataclasses import dataclass, field
from pathlib import Path

from kzpk_desktop.core.articles import read_article

CORPUS = Path(__file__).resolve().parent.parent / "tests" / "metadata_corpus"
FIELDS = {"title": "title", "date": "date", "outlet": "source", "author": "author"}


@dataclass
class Rates:
    articles: int = 0
    right: dict[str, int] = field(default_factory=lambda: dict.fromkeys(FIELDS, 0))
    named: dict[str, int] = field(default_factory=lambda: dict.fromkeys(FIELDS, 0))
    right_named: dict[str, int] = field(default_factory=lambda: dict.fromkeys(FIELDS, 0))
    invented: list[str] = field(default_factory=list)
    wrong: list[str] = field(default_factory=list)
    missed: list[str] = field(default_factory=list)

    def rate(self, name: str) -> float:
        if name in ("title", "date"):
            return self.right[name] / self.articles
        return self.right_named[name] / self.named[name] if self.named[name] else 1.0

    @property
    def invented_per_50(self) -> float:
        return 50 * len(self.invented) / self.articles


def measure(folder: Path = CORPUS) -> Rates:
    expected = json.loads((folder / "expected.json").read_text(encoding="utf-8"))
    rates = Rates()
    for name, want in sorted(expected.items()):
        art = read_article(folder / name)
        rates.articles += 1
        for key, attr in FIELDS.items():
            got, exp = getattr(art, attr), want[key]
            if key == "title" and art.title_source == "file-name":
                got = None
            if exp is not None:
                rates.named[key] += 1
            if got == exp:
                rates.right[key] += 1
                rates.right_named[key] += exp is not None
            elif exp is None:
                rates.invented.append(f"{key} {name}: {got!r} (the text states none)")
            elif got is None:
                rates.missed.append(f"{key} {name}: missing {exp!r}")
            else:
                rates.wrong.append(f"{key} {name}: {got!r}, expected {exp!r}")
    return rates


def main(argv: list[str]) -> int:
    folder = Path(argv[0]) if argv else CORPUS
    r = measure(folder)
    print(f"{r.articles} articles in {folder}")
    print(f"titles   {r.right['title']}/{r.articles} right = {100 * r.rate('title'):.1f} %  (target 95 %)")
    print(
        f"dates    {r.right['date']}/{r.articles} right or honestly empty = {100 * r.rate('date'):.1f} %  (target 96 %)"
    )
    print(f"outlets  {100 * r.rate('outlet'):.1f} % of the {r.named['outlet']} that name one  (target 90 %)")
    print(f"authors  {100 * r.rate('author'):.1f} % of the {r.named['author']} that name one")
    print(f"invented {len(r.invented)} = {r.invented_per_50:.2f} per 50 articles  (target <= 1)")
    for line in (*r.invented, *r.wrong, *r.missed):
        print("  " + line)
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
