"""Who coded the spans of one article: the window's annotator filter, filled at every open.

Apart from ``team_layers`` (agreement inputs, the gold layer, publishing), which the window
would otherwise load at start-up for this one query (issue 20).
"""

from __future__ import annotations

from typing import TYPE_CHECKING

if TYPE_CHECKING:
    from .base import StoreBase


def annotator_names(store: StoreBase, article_id: int) -> list[str]:
    """Everyone who coded a span in an article (for the annotator filter; one index range)."""
    return [
        r[0]
        for r in store.conn.execute(
            "SELECT DISTINCT annotator FROM annotations WHERE article_id = ? AND annotator != '' ORDER BY annotator",
            (article_id,),
        )
    ]
