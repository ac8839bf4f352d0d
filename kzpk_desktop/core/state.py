"""The open article as one observable state, fed by operations' ``Changes``.

The reader, the annotation table and the header used to keep three copies of the open
article's spans, patched by hand after every change; a missed patch showed stale spans.
Now there is one copy here: it re-reads only what a ``Changes`` value names and tells its
listeners exactly what moved (an :class:`ArticleDelta`), in the style of napari's evented
models, without Qt.
"""

from __future__ import annotations

from collections import OrderedDict
from collections.abc import Callable
from dataclasses import dataclass, field

from .errors import NotFoundError
from .operations.base import Changes
from .rows import Annotation, Article
from .store import Store
from .store.stamps import change_stamp

RECENT_ARTICLES = 4  # spans kept of the articles opened last, for going back and forth


@dataclass(frozen=True)
class ArticleDelta:
    """What changed in the open article. ``reset``: everything (another article, new labels)."""

    article_id: int | None
    upserts: tuple[Annotation, ...] = ()
    removed: tuple[str, ...] = ()
    ranges: tuple[tuple[int, int], ...] = ()
    article_changed: bool = False  # the article's own row (title, status, metadata)
    reset: bool = False
    entities_changed: bool = False


Listener = Callable[[ArticleDelta], None]


@dataclass
class ArticleState:
    """The article open in the desk, its row and its spans in text order."""

    store: Store | None = None
    article: Article | None = None
    _spans: dict[str, Annotation] = field(default_factory=dict)
    _listeners: list[Listener] = field(default_factory=list)
    _ordered: list[Annotation] | None = None  # _spans in text order, until they change
    # article id -> (database stamp, its spans as read then): a re-open reads them again only
    # when something changed since (2,000 spans: 14–28 ms at 100k/1M under load)
    _recent: OrderedDict[int, tuple[tuple[int, int], list[Annotation]]] = field(default_factory=OrderedDict)

    @property
    def article_id(self) -> int | None:
        return None if self.article is None else self.article.id

    def subscribe(self, listener: Listener) -> None:
        self._listeners.append(listener)

    def _tell(self, delta: ArticleDelta) -> None:
        for listener in list(self._listeners):
            listener(delta)

    def spans(self) -> list[Annotation]:
        """The open article's spans in text order (start, end, creation)."""
        if self._ordered is None:
            self._ordered = sorted(self._spans.values(), key=lambda r: (r.start, r.end, r.created_at))
        return list(self._ordered)

    def span(self, annotation_id: str) -> Annotation | None:
        return self._spans.get(annotation_id)

    def open(self, store: Store | None, article_id: int | None) -> None:
        """Show another article (or none); listeners get a reset."""
        if store is not self.store:
            self._recent.clear()
        self.store = store
        self._ordered = None
        if store is None or article_id is None:
            self.article, self._spans = None, {}
        else:
            self.article = store.articles.get(article_id)
            self._spans = {r.id: r for r in self._read_spans(store, article_id)}
        self._tell(ArticleDelta(self.article_id, reset=True))

    def _read_spans(self, store: Store, article_id: int) -> list[Annotation]:
        """The article's spans, from the last read when the database has not changed since
        (frozen rows: the views can share the kept ones)."""
        stamp = change_stamp(store)
        kept = self._recent.get(article_id)
        if kept is not None and kept[0] == stamp:
            self._recent.move_to_end(article_id)
            return list(kept[1])
        rows = store.annotations.for_article(article_id)
        self._recent[article_id] = (stamp, rows)
        self._recent.move_to_end(article_id)
        while len(self._recent) > RECENT_ARTICLES:
            self._recent.popitem(last=False)
        return list(rows)

    def reload(self) -> None:
        self.open(self.store, self.article_id)

    def apply(self, changes: Changes) -> ArticleDelta | None:
        """Re-read what ``changes`` names of the open article and tell the listeners."""
        store, current = self.store, self.article_id
        if store is None or current is None:
            return None
        self._ordered = None
        if changes.labels:
            self.reload()
            return ArticleDelta(current, reset=True)
        upserts: list[Annotation] = []
        removed: list[str] = []
        for annotation_id in sorted(changes.annotations):
            try:
                row = store.annotations.get(annotation_id)
            except NotFoundError:
                if self._spans.pop(annotation_id, None) is not None:
                    removed.append(annotation_id)
                continue
            if row.article_id == current:
                self._spans[annotation_id] = row
                upserts.append(row)
        article_changed = current in changes.articles
        if article_changed:
            self.article = store.articles.get(current)
        ranges = tuple((s, e) for a, s, e in changes.spans if a == current)
        entities_changed = bool(changes.entities) and any(r.entity_id in changes.entities for r in self._spans.values())
        if entities_changed:  # the entity names shown beside spans
            for span in self._spans.values():
                if span.entity_id in changes.entities:
                    upserts.append(span)
        if not (upserts or removed or ranges or article_changed or entities_changed):
            return None
        delta = ArticleDelta(
            current, tuple(upserts), tuple(removed), ranges, article_changed, entities_changed=entities_changed
        )
        self._tell(delta)
        return delta
