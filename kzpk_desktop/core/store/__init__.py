"""The one gateway to SQLite: connection, pragmas, transactions, and all SQL.

Every public write runs in its own ``BEGIN IMMEDIATE`` transaction (or a savepoint of
an enclosing one), so once a method returns, the change is durable in the WAL. ``Store``
is the shared connection (:class:`StoreBase`) composed with one repository per concern:
``store.articles``, ``store.annotations``, ``store.entities``, ``store.review``,
``store.history``, ``store.labels``, ``store.settings`` and ``store.integrity``.
"""

from __future__ import annotations

import sqlite3
from pathlib import Path
from typing import TYPE_CHECKING

from .annotations import AnnotationsRepository
from .articles import ArticlesRepository
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
    HistoryRepository,
    LabelsRepository,
    Repository,
    SettingsRepository,
    StoreBase,
    checkpoint,
    date_range,
    export_where,
    fts_query,
    utc_now,
)
from .connection import BUSY_TIMEOUT_MS
from .entities import EntitiesRepository
from .integrity import IntegrityRepository
from .review import ReviewRepository

if TYPE_CHECKING:
    from .._sqlite_utils import Database


class Store(StoreBase):
    """An open project database. Create with :meth:`open`.

    The connection, transactions and change log are the :class:`StoreBase` part; every
    query lives in one of the repositories below, which share that one connection.
    """

    def __init__(self, db: Database | sqlite3.Connection, path: Path) -> None:
        super().__init__(db, path)
        self.articles = ArticlesRepository(self)
        self.annotations = AnnotationsRepository(self, self.articles)
        self.entities = EntitiesRepository(self)
        self.review = ReviewRepository(self, self.annotations)
        self.history = HistoryRepository(self)
        self.labels = LabelsRepository(self)
        self.settings = SettingsRepository(self)
        self.integrity = IntegrityRepository(self)


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
    "AnnotationsRepository",
    "ArticleFilter",
    "ArticlesRepository",
    "EntitiesRepository",
    "HistoryRepository",
    "IntegrityRepository",
    "LabelsRepository",
    "Repository",
    "ReviewRepository",
    "SettingsRepository",
    "Store",
    "StoreBase",
    "checkpoint",
    "date_range",
    "export_where",
    "fts_query",
    "utc_now",
]
