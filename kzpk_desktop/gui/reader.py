"""The reader (``articleText``): plain text, highlights, selection <-> code points.

Drawing path chosen by measurement (issue 4): char formats merged in one edit block
take ~55 ms for 10,000 highlights on 5 MB; ExtraSelections take ~760 ms. Formats are
applied per flat segment (see ``core.overlay``) so overlaps stay visible, and only
the changed range is repainted when one annotation is added or removed.
Qt positions are UTF-16 units: every conversion goes through ``core.offsets.DisplayMap``,
which also breaks very long lines into display-only pieces (a 20 MB one-line article
would otherwise be laid out as one paragraph: minutes). Copying copies the stored text.
"""

from __future__ import annotations

import bisect
from collections.abc import Iterable, Sequence

from PySide6.QtCore import QEvent, QMimeData, QPoint, QRect, Qt, QTimer, Signal
from PySide6.QtGui import (
    QAction,
    QColor,
    QContextMenuEvent,
    QFont,
    QFontDatabase,
    QHelpEvent,
    QMouseEvent,
    QResizeEvent,
    QTextCharFormat,
    QTextCursor,
    QTextFormat,
)
from PySide6.QtWidgets import QPlainTextEdit, QTextEdit, QToolTip, QWidget

from ..core.offsets import DisplayMap
from ..core.overlay import segments
from ..core.rows import Annotation, Label
from .plain import escape, tip_html

MAX_COLUMN_PX = 780
# Highlights formatted before an article's first paint: more than a screenful at any zoom. The
# rest (a 120 KB article with 2,000 spans: ~30 ms) is formatted right after that paint, or
# before the view scrolls, whichever comes first (issue 20: first paint < 50 ms).
FIRST_FORMAT_CHARS = 12_000
FINISH_UNPAINTED_MS = 100
SINGLE_ALPHA = 90


FOCUS_ALPHA = 80
ZOOM_LIMITS = (-6, 12)
GRAB_PX = 5  # how near a focused span's start or end a press grabs that end for dragging
AUTOSCROLL_PX = 20  # a dragged end this near the top or bottom edge (or past it) scrolls the page


def reading_font() -> QFont:
    """A serif at a comfortable size for hours of reading, falling back to the system font."""
    font = QFontDatabase.systemFont(QFontDatabase.SystemFont.GeneralFont)
    for family in ("Noto Serif", "DejaVu Serif", "Georgia", "Times New Roman"):
        if family in QFontDatabase.families():
            font = QFont(family)
            break
    font.setPointSizeF(12.5)
    return font


def blend(colors: Sequence[str]) -> QColor:
    """Mix label colours; more layers read as a deeper tint."""
    qs = [QColor(c) for c in colors]
    n = len(qs)
    mixed = QColor(sum(c.red() for c in qs) // n, sum(c.green() for c in qs) // n, sum(c.blue() for c in qs) // n)
    mixed.setAlpha(min(210, SINGLE_ALPHA + 50 * (n - 1)))
    return mixed


class ReaderView(QPlainTextEdit):
    annotationClicked = Signal(str)
    spanResizeRequested = Signal(str, int, int)  # annotation id, new start, new end (code points)
    _painted = Signal()  # queued: the rest of the highlights are formatted after the paint

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setObjectName("articleText")
        self.setAccessibleName("Article text")
        self.setReadOnly(True)
        self.setTextInteractionFlags(
            Qt.TextInteractionFlag.TextSelectableByMouse | Qt.TextInteractionFlag.TextSelectableByKeyboard
        )
        self.setLineWrapMode(QPlainTextEdit.LineWrapMode.WidgetWidth)
        self.document().setUndoRedoEnabled(False)
        self.document().setDocumentMargin(18)
        self.setFont(reading_font())
        self.viewport().setMouseTracking(True)
        self._text = ""
        self._map = DisplayMap("")
        self._spans: list[tuple[int, int, str, str]] = []  # (start, end, label, id)
        self._longest = 0  # longest span: bounds how far back a span can start and still overlap
        self._rows: dict[str, Annotation] = {}
        self._colors: dict[str, str] = {}
        self._names: dict[str, str] = {}
        self._focused: str | None = None
        self._suggested: list[tuple[int, int]] = []
        self._find_hits: list[tuple[int, int]] = []
        self._find_current = -1
        self._base_point_size = self.font().pointSizeF()
        self.zoom_steps = 0
        self._outlines: dict[str, QColor] = {}  # annotator -> outline colour when several are shown
        self.context_actions: list[QAction] = []
        self._drag: tuple[str, str] | None = None  # (annotation id, "start" | "end") while dragging an end
        self._drag_span: tuple[int, int] | None = None  # where the dragged span would go if released now
        self._drag_pos = QPoint()  # the pointer during a drag, for auto-scrolling while it is held still
        self._autoscroll = QTimer(self, interval=50)
        self._autoscroll.timeout.connect(self._autoscroll_step)
        self.selectionChanged.connect(self._selection_started)
        self._unformatted: tuple[int, int] | None = None  # code points whose highlights wait
        self._finish_timer = QTimer(self, singleShot=True, interval=FINISH_UNPAINTED_MS)
        self._finish_timer.timeout.connect(self.finish_formats)
        self._painted.connect(self.finish_formats, Qt.ConnectionType.QueuedConnection)
        self.setPlaceholderText("Choose an article on the left to start reading.")

    # --- content --------------------------------------------------------------------------
    def set_labels(self, labels: Iterable[Label]) -> None:
        labels = list(labels)
        self._colors = {lab.id: lab.color for lab in labels}
        self._names = {lab.id: lab.name for lab in labels}

    def set_article(self, text: str, annotations: list[Annotation]) -> None:
        """Show a new article with all its highlights (one edit block)."""
        self._text = text
        self._map = DisplayMap(text)
        self._focused = None
        self._drag = self._drag_span = None
        self._autoscroll.stop()
        self._suggested = []
        self.setExtraSelections([])
        self.setPlainText(self._map.display_text())
        self._find_hits, self._find_current = [], -1
        self._align_right_to_left()
        self._set_rows(annotations)
        first = min(len(text), FIRST_FORMAT_CHARS)
        self._unformatted = (first, len(text)) if first < len(text) else None
        self._paint(0, first)  # the top, where the article opens; the rest after the paint
        if self._unformatted is not None:
            self._finish_timer.start()
        self.moveCursor(QTextCursor.MoveOperation.Start)

    def finish_formats(self) -> None:
        """Format the highlights that waited for the first paint (cheap when none wait)."""
        if self._unformatted is not None:
            lo, hi = self._unformatted
            self._unformatted = None
            self._finish_timer.stop()
            self._paint(lo, hi)

    def scrollContentsBy(self, dx: int, dy: int) -> None:
        self.finish_formats()  # never show the lower text without its highlights
        super().scrollContentsBy(dx, dy)

    def apply_changes(self, upserts: list[Annotation], removed: list[str], changed: Iterable[tuple[int, int]]) -> None:
        """Patch the span index and repaint only the changed code-point ranges."""
        ranges = list(changed)
        for annotation_id in [*removed, *(r.id for r in upserts)]:
            old = self._rows.pop(annotation_id, None)
            if old is not None:
                key = (old.start, old.end, old.label, old.id)
                i = bisect.bisect_left(self._spans, key)
                if i < len(self._spans) and self._spans[i] == key:
                    del self._spans[i]
                ranges.append((old.start, old.end))
        for row in upserts:
            self._rows[row.id] = row
            bisect.insort(self._spans, (row.start, row.end, row.label, row.id))
            self._longest = max(self._longest, row.end - row.start)
            ranges.append((row.start, row.end))
        for lo, hi in _merged(ranges):
            self._paint(max(0, lo), min(len(self._text), hi))
        if self._focused and self._focused not in self._rows:
            self.focus_annotation(None)

    def _set_rows(self, annotations: list[Annotation]) -> None:
        self._rows = {a.id: a for a in annotations}
        self._spans = sorted((a.start, a.end, a.label, a.id) for a in annotations)
        self._longest = max((e - s for s, e, _, _ in self._spans), default=0)

    def _spans_touching(self, lo: int, hi: int) -> list[tuple[int, int, str, str]]:
        """(start, end, label, id) of the spans overlapping [lo, hi): by bisect, not a scan of
        all of them (2,000 per article)."""
        first = bisect.bisect_left(self._spans, (lo - self._longest,))
        last = bisect.bisect_left(self._spans, (hi,))
        return [span for span in self._spans[first:last] if span[1] > lo]

    def _format(self, labels: tuple[str, ...], coder: str = "") -> QTextCharFormat:
        fmt = QTextCharFormat()
        fmt.setBackground(blend([self._colors.get(lab, "#9a9a9a") for lab in labels]))
        outline = self._outlines.get(coder)
        if outline is not None:  # several coders shown: a wavy underline in the coder's colour
            fmt.setUnderlineStyle(QTextCharFormat.UnderlineStyle.WaveUnderline)
            fmt.setUnderlineColor(outline)
        elif len(labels) > 1:  # overlap: a visible underline in the innermost label's colour
            fmt.setUnderlineStyle(QTextCharFormat.UnderlineStyle.SingleUnderline)
            fmt.setUnderlineColor(QColor(self._colors.get(labels[-1], "#9a9a9a")).darker(140))
        return fmt

    def _segments(self, lo: int, hi: int) -> list[tuple[int, int, tuple[str, ...], str]]:
        """Flat (start, end, labels, coder) pieces of [lo, hi); the coder (whose outline is drawn)
        is the one of the innermost span there, and only while coders' outlines are shown."""
        spans = self._spans_touching(lo, hi)
        if not self._outlines:
            return [(s, e, labels, "") for s, e, labels in segments([(s, e, lab) for s, e, lab, _ in spans], lo, hi)]
        rows = self._rows
        keyed = [(s, e, (lab, rows[i].annotator or "", e - s)) for s, e, lab, i in spans]
        return [
            (s, e, tuple(k[0] for k in keys), min(keys, key=lambda k: k[2])[1])
            for s, e, keys in segments(keyed, lo, hi)
        ]

    def _paint(self, lo: int, hi: int) -> None:
        """Give [lo, hi) its highlight formats (and coders' outlines) in one edit block: formats,
        not ExtraSelections, which cost ~10 ms per 2,000 on every later change of the overlays."""
        if hi <= lo:
            return
        to16 = self._map.to_doc
        cursor = QTextCursor(self.document())
        cursor.beginEditBlock()
        cursor.setPosition(to16(lo))
        cursor.setPosition(to16(hi), QTextCursor.MoveMode.KeepAnchor)
        cursor.setCharFormat(QTextCharFormat())
        cache: dict[tuple[tuple[str, ...], str], QTextCharFormat] = {}
        for s, e, labels, coder in self._segments(lo, hi):
            fmt = cache.get((labels, coder))
            if fmt is None:
                fmt = cache[(labels, coder)] = self._format(labels, coder)
            cursor.setPosition(to16(s))
            cursor.setPosition(to16(e), QTextCursor.MoveMode.KeepAnchor)
            cursor.setCharFormat(fmt)
        cursor.endEditBlock()

    # --- positions ------------------------------------------------------------------------
    def text(self) -> str:
        return self._text

    def selected_span(self) -> tuple[int, int]:
        """The current selection as a half-open code-point span into the stored text."""
        c = self.textCursor()
        return self._map.span_to_codepoints(c.selectionStart(), c.selectionEnd())

    def select_span(self, start: int, end: int) -> None:
        """Select code points [start, end) (tests and keyboard navigation use this)."""
        c = self.textCursor()
        c.setPosition(self._map.to_doc(start))
        c.setPosition(self._map.to_doc(end), QTextCursor.MoveMode.KeepAnchor)
        self.setTextCursor(c)

    def createMimeDataFromSelection(self) -> QMimeData:
        """Copy the stored text of the selection (without display-only breaks)."""
        start, end = self.selected_span()
        data = QMimeData()
        data.setText(self._text[start:end])
        return data

    def codepoint_at(self, pos: QPoint) -> int:
        return self._map.to_codepoint(self.cursorForPosition(pos).position())

    def annotations_at(self, cp: int) -> list[Annotation]:
        """Annotations covering code point ``cp``, innermost (shortest) first."""
        first = bisect.bisect_left(self._spans, (cp - self._longest,))
        last = bisect.bisect_left(self._spans, (cp + 1,))
        hits = [self._rows[i] for s, e, _, i in self._spans[first:last] if s <= cp < e]
        return sorted(hits, key=lambda a: a.end - a.start)

    def _extra(self, start: int, end: int, fmt: QTextCharFormat) -> QTextEdit.ExtraSelection:
        sel = QTextEdit.ExtraSelection()
        cur = QTextCursor(self.document())
        cur.setPosition(self._map.to_doc(start))
        cur.setPosition(self._map.to_doc(end), QTextCursor.MoveMode.KeepAnchor)
        sel.cursor = cur
        sel.format = fmt
        return sel

    def set_annotator_outlines(self, colors: dict[str, str]) -> None:
        """Several coders' spans shown at once: each coder's get a wavy outline of their own
        colour (empty: none, the usual single-coder view). Drawn in the highlights' formats,
        so the text is formatted again only when the coders or their colours change."""
        outlines = {name: QColor(c) for name, c in colors.items()}
        changed = {n for n in {*outlines, *self._outlines} if outlines.get(n) != self._outlines.get(n)}
        if not changed:
            return  # the usual case (every tag, every article by the same coders): nothing to do
        self._outlines = outlines
        # only the spans of coders who came, went or changed colour (a first tag of one's own in
        # a colleague's article: that one span, not the 2,000 others)
        limit = self._unformatted[0] if self._unformatted else len(self._text)
        spans = [(r.start, r.end) for r in self._rows.values() if (r.annotator or "") in changed]
        for lo, hi in _merged(spans):
            if lo < limit:
                self._paint(lo, min(hi, limit))

    def shown_annotators(self) -> set[str]:
        return {r.annotator or "" for r in self._rows.values()}

    def _refresh_extras(self) -> None:
        """The few overlays: dashed suggestions, find hits and the outlined focused annotation."""
        extras: list[QTextEdit.ExtraSelection] = []
        dashed = QTextCharFormat()
        dashed.setUnderlineStyle(QTextCharFormat.UnderlineStyle.DashUnderline)
        dashed.setUnderlineColor(QColor("#8a5cd0"))
        extras.extend(self._extra(s, e, dashed) for s, e in self._suggested)
        for i, (s, e) in enumerate(self._find_hits[:5000]):  # (a search for "a": cap the overlay)
            hit = QTextCharFormat()
            hit.setBackground(QColor(255, 140, 0, 170) if i == self._find_current else QColor(255, 225, 0, 110))
            extras.append(self._extra(s, e, hit))
        row = self._rows.get(self._focused or "")
        if row is not None:
            fmt = QTextCharFormat()
            color = QColor(self._colors.get(row.label, "#9a9a9a"))
            # light enough that the spans nested inside (an agreement in a claim) keep their colour
            color.setAlpha(FOCUS_ALPHA)
            fmt.setBackground(color)
            fmt.setUnderlineStyle(QTextCharFormat.UnderlineStyle.SingleUnderline)
            fmt.setProperty(QTextFormat.Property.FullWidthSelection, False)
            start, end = self._drag_span or (row.start, row.end)
            extras.append(self._extra(start, end, fmt))
        self.setExtraSelections(extras)

    def _selection_started(self) -> None:
        """A new selection: the old outline no longer says what the researcher works on. Dropping
        it now keeps that repaint out of the frame in which the next tag is drawn."""
        if self._focused is not None and self.textCursor().hasSelection():
            self._focused = None
            self._refresh_extras()

    def set_find_hits(self, ranges: list[tuple[int, int]], current: int) -> None:
        """Find-in-article hits, all highlighted, the current one stronger."""
        self._find_hits, self._find_current = list(ranges), current
        self._refresh_extras()

    def top_position(self) -> int:
        """The code point at the top-left of the view: where the researcher was reading."""
        return self._map.to_codepoint(self.cursorForPosition(QPoint(0, 0)).position())

    def scroll_to_top_position(self, cp: int) -> None:
        """Scroll so that code point ``cp`` is on the top line (as far as the text allows)."""
        bar = self.verticalScrollBar()
        bar.setValue(bar.maximum())
        caret = QTextCursor(self.document())
        caret.setPosition(self._map.to_doc(max(0, min(cp, len(self._text)))))
        self.setTextCursor(caret)
        self.ensureCursorVisible()  # scrolling up from the end puts the line at the top

    def zoom(self, steps: int | None) -> int:
        """Zoom by ``steps`` points (``None``: back to the reading size); returns the zoom kept."""
        target = 0 if steps is None else max(ZOOM_LIMITS[0], min(ZOOM_LIMITS[1], self.zoom_steps + steps))
        font = self.font()
        font.setPointSizeF(self._base_point_size + target)
        self.setFont(font)
        self.zoom_steps = target
        return target

    def _align_right_to_left(self) -> None:
        """Urdu (and any right-to-left) paragraphs read from the right edge."""
        block = self.document().begin()
        cursor = QTextCursor(self.document())
        while block.isValid():
            if block.textDirection() == Qt.LayoutDirection.RightToLeft:
                fmt = block.blockFormat()
                fmt.setAlignment(Qt.AlignmentFlag.AlignRight | Qt.AlignmentFlag.AlignAbsolute)
                fmt.setLayoutDirection(Qt.LayoutDirection.RightToLeft)
                cursor.setPosition(block.position())
                cursor.setBlockFormat(fmt)
            block = block.next()

    def set_suggestions(self, ranges: list[tuple[int, int]]) -> None:
        """Unaccepted mention suggestions in this article, drawn dashed."""
        self._suggested = list(ranges)
        self._refresh_extras()

    def suggestions(self) -> list[tuple[int, int]]:
        return list(self._suggested)

    def focus_annotation(self, annotation_id: str | None) -> None:
        """Scroll to an annotation and outline it (an ExtraSelection: just one, so cheap)."""
        self._focused = annotation_id
        self._refresh_extras()
        row = self._rows.get(annotation_id or "")
        if row is None:
            return
        caret = QTextCursor(self.document())
        caret.setPosition(self._map.to_doc(row.end))
        end_rect = self.cursorRect(caret)
        caret.setPosition(self._map.to_doc(row.start))
        self.setTextCursor(caret)
        area = self.viewport().rect()
        if not (area.contains(self.cursorRect(caret)) and area.contains(end_rect)):
            self.centerCursor()  # scroll only when the span is not wholly in sight (a scroll repaints all)

    def tooltip_at(self, cp: int) -> str:
        """What hovering shows at code point ``cp``: every annotation there, innermost first."""
        parts = []
        for a in self.annotations_at(cp):
            name = self._names.get(a.label, a.label)
            quote = " ".join(a.text.split())
            quote = quote if len(quote) < 80 else quote[:79] + "…"
            part = f"<b>{escape(name)}</b> · {escape(a.status.replace('_', ' '))}<br>“{escape(quote)}”"
            if a.note:
                part += f"<br><i>{escape(a.note)}</i>"
            parts.append(part)
        return tip_html("<hr>".join(parts)) if parts else ""

    # --- events ---------------------------------------------------------------------------
    def viewportEvent(self, event: QEvent) -> bool:
        if event.type() == QEvent.Type.Paint and self._unformatted is not None:
            self._painted.emit()
        if event.type() == QEvent.Type.ToolTip and isinstance(event, QHelpEvent):
            tip = self.tooltip_at(self.codepoint_at(event.pos()))
            if tip:
                QToolTip.showText(event.globalPos(), tip, self)
            else:
                QToolTip.hideText()
            return True
        return super().viewportEvent(event)

    # --- dragging a focused span's start or end ----------------------------------------------
    def _caret_rect(self, cp: int) -> QRect:
        caret = QTextCursor(self.document())
        caret.setPosition(self._map.to_doc(cp))
        return self.cursorRect(caret)

    def end_at(self, pos: QPoint) -> str | None:
        """Which end of the focused span ("start", "end") is at ``pos`` (viewport pixels), if any."""
        row = self._rows.get(self._focused or "")
        if row is None:
            return None
        for which in ("end", "start"):
            rect = self._caret_rect(getattr(row, which))
            if abs(pos.x() - rect.center().x()) <= GRAB_PX and rect.top() - 2 <= pos.y() <= rect.bottom() + 2:
                return which
        return None

    def _dragged_to(self, pos: QPoint) -> tuple[int, int] | None:
        """The span with the dragged end moved to the caret nearest ``pos`` (never empty);
        ``None`` when the span went away meanwhile (an undo by key during the drag)."""
        row = self._rows.get(self._drag[0]) if self._drag is not None else None
        if row is None:
            return None
        cp = self.codepoint_at(pos)
        if self._drag is not None and self._drag[1] == "start":
            return min(cp, row.end - 1), row.end
        return row.start, max(cp, row.start + 1)

    def _set_grab_cursor(self, grab: bool) -> None:
        shape = Qt.CursorShape.SizeHorCursor if grab else Qt.CursorShape.IBeamCursor
        if self.viewport().cursor().shape() != shape:
            self.viewport().setCursor(shape)

    def _edge_overshoot(self, y: int) -> int:
        """Pixels the pointer is into the top (negative) or bottom (positive) scroll zone, else 0."""
        bottom = self.viewport().height() - AUTOSCROLL_PX
        return y - AUTOSCROLL_PX if y < AUTOSCROLL_PX else max(0, y - bottom)

    def _autoscroll_step(self) -> None:
        """Scroll while a dragged end is held at an edge, so a span can grow past the visible
        page (as text selection does); the end follows the pointer onto the new lines."""
        overshoot = self._edge_overshoot(self._drag_pos.y()) if self._drag is not None else 0
        if not overshoot:
            self._autoscroll.stop()
            return
        bar = self.verticalScrollBar()
        lines = min(1 + abs(overshoot) // 12, 8)  # further past the edge scrolls faster
        bar.setValue(bar.value() + (lines if overshoot > 0 else -lines) * bar.singleStep())
        self._drag_span = self._dragged_to(self._drag_pos)
        self._refresh_extras()

    def mousePressEvent(self, e: QMouseEvent) -> None:
        which = self.end_at(e.position().toPoint()) if e.button() == Qt.MouseButton.LeftButton else None
        if which is None or self._focused is None:
            super().mousePressEvent(e)
            return
        self._drag = (self._focused, which)
        self._drag_span = None
        self._set_grab_cursor(True)
        e.accept()

    def mouseMoveEvent(self, e: QMouseEvent) -> None:
        pos = e.position().toPoint()
        if self._drag is not None:
            self._drag_pos = pos
            self._drag_span = self._dragged_to(pos)
            self._refresh_extras()
            if self._edge_overshoot(pos.y()) and not self._autoscroll.isActive():
                self._autoscroll.start()
            e.accept()
            return
        super().mouseMoveEvent(e)
        if not e.buttons():  # hovering: a ↔ pointer says an end of the focused span can be grabbed
            self._set_grab_cursor(self.end_at(pos) is not None)

    def mouseReleaseEvent(self, e: QMouseEvent) -> None:
        if self._drag is not None:
            annotation_id = self._drag[0]
            moved = self._dragged_to(e.position().toPoint())
            self._drag = self._drag_span = None
            self._autoscroll.stop()
            self._set_grab_cursor(False)
            self._refresh_extras()
            row = self._rows.get(annotation_id)
            if row is not None and moved is not None and moved != (row.start, row.end):
                self.spanResizeRequested.emit(annotation_id, *moved)
            e.accept()
            return
        super().mouseReleaseEvent(e)
        if e.button() == Qt.MouseButton.LeftButton and not self.textCursor().hasSelection():
            hits = self.annotations_at(self.codepoint_at(e.position().toPoint()))
            if hits:
                self.annotationClicked.emit(hits[0].id)

    def contextMenuEvent(self, e: QContextMenuEvent) -> None:
        menu = self.createStandardContextMenu(e.pos())
        if self.context_actions:
            menu.addSeparator()
            for action in self.context_actions:
                menu.addAction(action)
        menu.exec(e.globalPos())

    def resizeEvent(self, e: QResizeEvent) -> None:
        super().resizeEvent(e)
        side = max(0, (self.width() - MAX_COLUMN_PX) // 2)
        self.setViewportMargins(side, 0, side, 0)


def _merged(ranges: Iterable[tuple[int, int]]) -> list[tuple[int, int]]:
    """Overlapping or touching ranges joined, so no stretch is painted twice."""
    out: list[tuple[int, int]] = []
    for lo, hi in sorted(ranges):
        if out and lo <= out[-1][1]:
            out[-1] = (out[-1][0], max(out[-1][1], hi))
        else:
            out.append((lo, hi))
    return out
