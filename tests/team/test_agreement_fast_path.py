"""The shipped agreement (spans as integer columns, tokens counted as runs of token numbers,
ASCII text through a byte table) gives exactly what the reference computation gives
(``agreement_reference.py``: one object per span, every token tested), figures, n and the
list of disagreements, on random articles, coders and spans, in chunks of every size."""

from __future__ import annotations

import tempfile
from pathlib import Path

from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from kzpk_desktop.core.articles import article_from_bytes
from kzpk_desktop.core.importer import _row
from kzpk_desktop.core.store import Store, utc_now
from kzpk_desktop.core.team import agreement
from tests.team import agreement_reference as reference

ALPHABET = "ab _1\nБқ👍𝐀ڈ.-"
texts_st = st.lists(st.text(ALPHABET, min_size=0, max_size=60), min_size=1, max_size=6)
spans_st = st.lists(
    st.tuples(
        st.integers(0, 5),  # article (modulo the number of articles)
        st.sampled_from(["ann", "bob", "cat"]),
        st.sampled_from(["actor", "claim"]),
        st.integers(0, 80),
        st.integers(1, 30),
    ),
    max_size=40,
)


def build(path: Path, texts: list[str], spans: list[tuple[int, str, str, int, int]]) -> Store:
    store = Store.open(path)
    rows = [_row(article_from_bytes(f"article {i} {t}".encode(), f"{i}.txt")) for i, t in enumerate(texts)]
    ids = store.articles.insert_articles(rows)
    stored = {aid: store.articles.text(aid) for aid in ids}
    now = utc_now()
    with store.transaction() as c:
        for n, (a, coder, label, start, length) in enumerate(spans):
            aid = ids[a % len(ids)]
            text = stored[aid]
            s = start % len(text)
            e = min(len(text), s + length)
            c.execute(
                'INSERT INTO annotations (id, article_id, start, "end", label, text, annotator, created_at, '
                "updated_at) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?)",
                (f"s{n}", aid, s, e, label, text[s:e], coder, now, now),
            )
    return store


@settings(max_examples=60, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(texts=texts_st, spans=spans_st, chunk=st.sampled_from([1, 2, 3, 2000]), label=st.sampled_from([None, "claim"]))
def test_fast_path_equals_reference(
    texts: list[str], spans: list[tuple[int, str, str, int, int]], chunk: int, label: str | None
) -> None:
    saved = agreement.CHUNK_ARTICLES, reference.CHUNK_ARTICLES
    agreement.CHUNK_ARTICLES = reference.CHUNK_ARTICLES = chunk
    try:
        with tempfile.TemporaryDirectory() as tmp:
            store = build(Path(tmp) / "r.db", texts, spans)
            try:
                for limit in (agreement.PACKAGE_UNIT_LIMIT, 0):
                    fast = agreement.measure(store, label, limit=limit).as_json()
                    slow = reference.measure(store, label, limit=limit).as_json()
                    assert fast == slow
            finally:
                store.close()
    finally:
        agreement.CHUNK_ARTICLES, reference.CHUNK_ARTICLES = saved


def test_many_coders_patterns_are_compared_whole(tmp_path: Path) -> None:
    """Past 31 coders a disagreement's pattern no longer fits one integer: rows compared whole."""
    coders = [f"c{i:02d}" for i in range(33)]
    spans = [(0, c, "actor", 10 + (i % 3), 5) for i, c in enumerate(coders)]
    store = build(tmp_path / "many.db", ["one two three four five six"], [])
    store.close()
    store = Store.open(tmp_path / "many.db")
    now = utc_now()
    text = store.articles.text(1)
    with store.transaction() as c:
        for n, (_a, coder, label, s, length) in enumerate(spans):
            c.execute(
                'INSERT INTO annotations (id, article_id, start, "end", label, text, annotator, created_at, '
                "updated_at) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?)",
                (f"m{n}", 1, s, s + length, label, text[s : s + length], coder, now, now),
            )
    try:
        fast = agreement.measure(store, "actor").as_json()
        assert fast == reference.measure(store, "actor").as_json()
        assert len(fast["disagreements"]) == 4
    finally:
        store.close()
