"""dateparser is asked only about strings whose every word it could know (issue 20's import
figure): the datelines' "KARACHI, 17 January 2026 ,Dawn" runs cost ~0.5 ms each and always
failed. The pre-filter must never drop a date dateparser would have read."""

from __future__ import annotations

import random
from pathlib import Path
from typing import Any

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from benchmarks.make_corpus import article_bytes
from kzpk_desktop.core import articles, dates
from kzpk_desktop.core.articles import extract_metadata
from kzpk_desktop.core.readers.text import decode_text

CORPORA = [Path(__file__).resolve().parents[1] / d for d in ("metadata_corpus", "metadata_corpus_heldout")]


def _texts() -> list[str]:
    out = [decode_text(p.read_bytes())[0] for d in CORPORA for p in sorted(d.iterdir()) if p.suffix in (".txt", ".md")]
    rnd = random.Random(11)
    out += [decode_text(article_bytes(rnd, i))[0] for i in range(300)]  # the benchmark's datelines
    return out


def _unfiltered(cleaned: str) -> Any:
    languages = tuple(dates._DATE_LANGUAGES) if dates._NON_LATIN.search(cleaned) else ("en",)
    found = dates._date_data_parser(languages).get_date_data(cleaned)
    return languages, found.date_obj


def test_the_prefilter_never_drops_a_date_dateparser_reads_on_the_corpora(monkeypatch: pytest.MonkeyPatch) -> None:
    asked: list[str] = []
    real = dates._dateparser_date

    def recording(cleaned: str, raw: str) -> Any:
        asked.append(cleaned)
        return real(cleaned, raw)

    monkeypatch.setattr(dates, "_dateparser_date", recording)
    dates.parse_news_date.cache_clear()
    for text in _texts():
        extract_metadata(text)
    dates.parse_news_date.cache_clear()
    extra = [  # dates in the four languages, with words dateparser knows around them
        "Friday, 7 March 2025",
        "Mar 7th, 2025 at 10:42 am PKT",
        "Published on: 7 March 2025",
        "14 марта 2025 г., 12:30",
        "пятница, 14 марта 2025",
        "12 сәуір 2025",
        "جمعہ 7 مارچ 2025",
        "Q1 2025",
    ]
    checked = 0
    for cleaned in [*dict.fromkeys(asked), *extra]:
        languages, found = _unfiltered(cleaned)
        if found is not None and dates._YEAR.search(cleaned):
            assert dates.could_be_dateparser_date(cleaned, languages), cleaned
            checked += 1
    assert len(asked) > 500 and checked >= 8


def test_a_dateline_with_a_place_and_an_outlet_is_not_sent_to_dateparser(monkeypatch: pytest.MonkeyPatch) -> None:
    sent: list[str] = []
    parser = dates._date_data_parser(("en",))
    real = parser.get_date_data

    def counting(text: str, *args: Any, **kwargs: Any) -> Any:
        sent.append(text)
        return real(text, *args, **kwargs)

    monkeypatch.setattr(parser, "get_date_data", counting)
    dates.parse_news_date.cache_clear()
    found = extract_metadata("Talks in Karachi\n\nKARACHI, 17 January 2026 (Dawn): The two sides met.\n")
    assert (found.date.iso if found.date else None, found.source) == ("2026-01-17", "Dawn")
    assert sent == []
    assert not dates.could_be_dateparser_date("KARACHI, 17 January 2026 ,Dawn", ("en",))
    assert dates.could_be_dateparser_date("Friday, 17 January 2026", ("en",))
    dates.parse_news_date.cache_clear()


def test_ascii_language_guess_and_control_check_agree_with_the_counting_path() -> None:
    """The ASCII fast paths give what counting every letter gave."""
    from kzpk_desktop.core.outlets import guess_language
    from kzpk_desktop.core.readers.base import ImportRefused
    from kzpk_desktop.core.readers.text import check_text

    assert [guess_language(s) for s in ("a1 " * 19, "a1 " * 20, "12 " * 50, "Words " * 4, "Word " * 4)] == [
        None,
        "en",
        None,
        "en",
        None,
    ]
    assert guess_language("Қазақстан мен Пәкістан ынтымақтастықты кеңейтуге келісті.") == "kk"
    check_text("plain text\twith a tab\n" * 10)
    with pytest.raises(ImportRefused, match="binary"):
        check_text("x\x01" * 100)
    assert articles._strip_markup("  ## **Title** ") == "Title" and articles._strip_markup(" plain ") == "plain"


def test_sanitising_is_skipped_only_when_it_could_not_take_the_unknown_word_away(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    import dateparser.date as dp_date

    calls: list[str] = []
    real = dp_date.sanitize_date
    monkeypatch.setattr(dp_date, "sanitize_date", lambda s: calls.append(s) or real(s))
    assert not dates.could_be_dateparser_date("KARACHI, 17 January 2026 ,Dawn", ("en",))
    assert calls == []  # no period, colon, Roman numeral, "г." or ", в": the place name stays
    assert dates.could_be_dateparser_date("Posted on: 7 March 2025", ("en",))  # "...on: " goes
    assert calls == ["Posted on: 7 March 2025"]


def _counts_by_every_letter(sample: str) -> dict[str, int]:
    """The letter counts as first written: one regex match per letter of each script."""
    import re

    return {
        "cyr": len(re.findall(r"[А-Яа-яЁё]", sample)) + len(re.findall(r"[әғқңөұүһіӘҒҚҢӨҰҮҺІ]", sample)),
        "ar": len(re.findall(r"[\u0600-\u06ff]", sample)),
        "lat": len(re.findall(r"[A-Za-z]", sample)),
    }


@settings(max_examples=300, deadline=None)
@given(st.text(alphabet="abcXYZ АБВЯабвяЁёәғқІі اپٹڈےھ\u0600\u06ff 123.,\u2028é\ud800", max_size=300))
def test_the_language_guess_counts_letters_as_before(text: str) -> None:
    """Counting runs of letters (and ASCII letters as bytes) gives the counts counting each gave."""
    from kzpk_desktop.core.outlets import script_counts

    assert script_counts(text) == _counts_by_every_letter(text)
