"""The one gateway to SQLite: connection, pragmas, transactions, and all SQL.

Every public write runs in its own ``BEGIN IMMEDIATE`` transaction (or a savepoint of
an enclosing one), so once a method returns, the change is durable in the WAL. The
methods are grouped by concern in the modules of this package; ``Store`` is all of them.
"""

from __future__ import annotations

from .annotations import AnnotationsMixin
from .articles import ArticlesMixin
from .base import (
    ANNOTATION_FIELDS,
    ARTICLE_LIST_COLUMNS,
    ARTICLE_SORT_KEYS,
    EDITABLE_FIELDS,
    ENTITY_FIELDS,
    EXPECTED_TRIGGERS,
    RELATION_FIELDS,
    SQLITE_MAGIC,
    ArticleFilter,
    checkpoint,
    date_range,
    export_where,
    fts_query,
    utc_now,
)
from .connection import BUSY_TIMEOUT_MS
from .entities import EntitiesMixin
from .integrity import IntegrityMixin
from .review import ReviewMixin


class Store(ArticlesMixin, AnnotationsMixin, EntitiesMixin, ReviewMixin, IntegrityMixin):
    """An open project database. Create with :meth:`open`."""


__all__ = [
    "ANNOTATION_FIELDS",
    "ARTICLE_LIST_COLUMNS",
    "ARTICLE_SORT_KEYS",
    "BUSY_TIMEOUT_MS",
    "EDITABLE_FIELDS",
    "ENTITY_FIELDS",
    "EXPECTED_TRIGGERS",
    "RELATION_FIELDS",
    "SQLITE_MAGIC",
    "ArticleFilter",
    "Store",
    "checkpoint",
    "date_range",
    "export_where",
    "fts_query",
    "utc_now",
]
