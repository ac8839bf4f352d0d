"""A capitalised word that opens a sentence is not a name when the text also writes it in
lower case: counted as a name, it was the third shared key that put an unrelated article
sharing one person into a story (3 of 200 planted events at 100k articles)."""

from kzpk_desktop.core.crossoutlet.features import keys


def test_a_sentence_opener_written_in_lower_case_elsewhere_is_no_key() -> None:
    text = "Yesterday Shehbaz Sharif met the envoy. It rained yesterday in Astana."
    assert keys(text) == {"n:shehbaz", "n:sharif", "n:astana"}


def test_a_sentence_opener_never_written_in_lower_case_is_kept() -> None:
    text = "Prime Minister Shehbaz Sharif met the envoy. Trade was discussed."
    assert keys(text) == {"n:prime", "n:minister", "n:shehbaz", "n:sharif"}


def test_an_opener_is_checked_as_a_whole_word_in_any_script() -> None:
    # "yesterdays" and "pre-yesterday" are other words; "Бүгін" is written "бүгін" later.
    assert "n:yesterday" in keys("Yesterday Ishaq Dar spoke. Two yesterdays and pre-yesterday.")
    text = "Бүгін Мұрат Нұртілеу сөйледі. Кеше емес, бүгін."
    assert keys(text) == {"n:мұрат", "n:нұртілеу"}
    # mid-sentence runs are untouched, whatever the text writes elsewhere
    assert "n:yesterday" in keys("He said Yesterday Group Holdings paid. It was yesterday.")
