"""Every change the researcher or a script can make, as an operation (see ``base``).

The GUI and the CLI run these and nothing else to change data: each runs in one
transaction, writes its history rows, returns its inverse (undo and redo are operations
too) and a :class:`Changes` value naming exactly what changed, which the views listen to.
"""

from __future__ import annotations

from .annotations import CreateAnnotation, DeleteAnnotation, EditAnnotation, ResizeAnnotation
from .articles import EditArticleMetadata, RestoreArticleMetadata, SetArticleStatus
from .base import NO_CHANGES, Changes, Operation, OperationError, OpResult, Sequence_, UndoHistory, combine, run
from .entities import (
    CreateEntity,
    DeleteEntity,
    EditEntity,
    EntityAttributes,
    LinkNewEntity,
    MergeEntities,
    RejectSuggestion,
    RestoreEntity,
    SplitEntity,
    UnmergeEntities,
)
from .imports import RemoveArticles, RestoreArticles, imported
from .labels import AddLabel, DeleteLabel, EditLabel
from .relations import CreateRelation, DeleteRelation
from .review import RecordDecision, RestoreReview

__all__ = [
    "NO_CHANGES",
    "AddLabel",
    "Changes",
    "CreateAnnotation",
    "CreateEntity",
    "CreateRelation",
    "DeleteAnnotation",
    "DeleteEntity",
    "DeleteLabel",
    "DeleteRelation",
    "EditAnnotation",
    "EditArticleMetadata",
    "EditEntity",
    "EditLabel",
    "EntityAttributes",
    "LinkNewEntity",
    "MergeEntities",
    "OpResult",
    "Operation",
    "OperationError",
    "RecordDecision",
    "RejectSuggestion",
    "RemoveArticles",
    "ResizeAnnotation",
    "RestoreArticleMetadata",
    "RestoreArticles",
    "RestoreEntity",
    "RestoreReview",
    "Sequence_",
    "SetArticleStatus",
    "SplitEntity",
    "UndoHistory",
    "UnmergeEntities",
    "combine",
    "imported",
    "run",
]
