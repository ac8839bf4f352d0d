"""Reading a long column of ids (the article list's whole order) into a Python list.

A cursor hands back one tuple per row, and unpacking 100,000 of them costs ~16 ms: most of
the order's read at start-up (issue 20). SQLite can put the column into one JSON array
instead (``json_group_array``), which ``json.loads`` turns into a list in C: ~10 ms.
"""

from __future__ import annotations

import json
import sqlite3


def read_ids(conn: sqlite3.Connection, sql: str) -> list[int]:
    """The first column of ``sql`` (integer ids, in its order) as a list.

    ``json_group_array`` over an ordered subquery keeps the subquery's order: SQLite never
    flattens an ordered subquery into an aggregate, so it aggregates the rows as yielded.
    """
    row = conn.execute(f"WITH ordered(id) AS ({sql}) SELECT json_group_array(id) FROM ordered").fetchone()
    ids: list[int] = json.loads(row[0]) if row and row[0] else []
    return ids
