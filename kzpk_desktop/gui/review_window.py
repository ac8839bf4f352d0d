"""The fact-checking window: one claim at a time, decided from the keyboard.

A accept · R reject · W needs work (each saves and moves on) · 1–7 verdict ·
J / K next / previous · S skip · Ctrl+N add evidence · Esc close (the session stays
open and resumes next time).

Nothing typed is thrown away: moving on or closing keeps undecided input as a draft
(``review_drafts``) that comes back with its claim. While the evidence table or a text
field has the focus, plain keys (letters, digits, arrows) edit there instead of acting
as the window's single-key shortcuts.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from PySide6.QtCore import QEvent, QObject, Qt, Signal
from PySide6.QtGui import QAction, QCloseEvent, QColor, QKeyEvent, QKeySequence, QTextCharFormat, QTextCursor
from PySide6.QtWidgets import (
    QAbstractItemDelegate,
    QAbstractItemView,
    QAbstractSpinBox,
    QApplication,
    QCheckBox,
    QComboBox,
    QDialog,
    QFormLayout,
    QHBoxLayout,
    QHeaderView,
    QLabel,
    QLineEdit,
    QPlainTextEdit,
    QProgressBar,
    QPushButton,
    QStyledItemDelegate,
    QTableWidget,
    QTableWidgetItem,
    QTabWidget,
    QTextEdit,
    QVBoxLayout,
    QWidget,
)

from ..core import review as rv
from ..core.errors import KzpkError
from ..core.offsets import DisplayMap
from ..core.operations.base import Operation, run
from ..core.relations import describe
from ..core.rows import Evidence, Label
from ..core.store import Store
from .ask import ask
from .plain import plain_label, plain_tip
from .prior_checks_view import PriorChecksPanel, ProvenancePanel
from .reader import reading_font
from .review_drafts import Draft, DraftBook, EvidenceDraft

CONTEXT = 700


class KeepingDelegate(QStyledItemDelegate):
    """Esc in an evidence cell closes the editor but keeps what was typed (Qt would revert it)."""

    def eventFilter(self, editor: QObject, event: QEvent) -> bool:
        if (
            event.type() == QEvent.Type.KeyPress
            and isinstance(event, QKeyEvent)
            and event.key() == Qt.Key.Key_Escape
            and isinstance(editor, QWidget)
        ):
            self.commitData.emit(editor)
            self.closeEditor.emit(editor, QAbstractItemDelegate.EndEditHint.NoHint)
            return True
        return super().eventFilter(editor, event)


class ScopeDialog(QDialog):
    """Choose what a session reviews."""

    def __init__(self, labels: list[Label], current_article: int | None, parent: QWidget | None = None):
        super().__init__(parent)
        self.setObjectName("reviewScopeDialog")
        self.setWindowTitle("Start a fact-checking session")
        self.label = QComboBox(objectName="scopeLabel")
        self.label.addItem("Claims", "claim")
        for lab in labels:
            if lab.id != "claim":
                self.label.addItem(f"{lab.name} spans", lab.id)
        self.label.addItem("All spans", None)
        self.this_article = QCheckBox("Only the open article", objectName="scopeThisArticle")
        self.this_article.setEnabled(current_article is not None)
        self._article = current_article
        self.date_from = QLineEdit(objectName="scopeDateFrom")
        self.date_from.setPlaceholderText("e.g. 2025")
        self.date_to = QLineEdit(objectName="scopeDateTo")
        self.only_unreviewed = QCheckBox("Only spans not yet reviewed", objectName="scopeUnreviewed")
        self.only_unreviewed.setChecked(True)
        form = QFormLayout(self)
        form.addRow("Review", self.label)
        form.addRow("", self.this_article)
        form.addRow("Articles from", self.date_from)
        form.addRow("Articles to", self.date_to)
        form.addRow("", self.only_unreviewed)
        from .dialogs import _ok_buttons

        form.addRow(_ok_buttons(self, "Start"))

    def accept(self) -> None:
        """Refuse a date it cannot read (saying why) rather than start an unfiltered session."""
        from ..core.dates import DateError

        try:
            self.scope()
        except DateError as err:
            ask.error(self, "Fact-checking session", str(err))
            return
        super().accept()

    def scope(self) -> rv.Scope:
        from .date_input import read_date_boxes

        date_from, date_to = read_date_boxes((self.date_from, "Articles from"), (self.date_to, "Articles to"))
        return rv.Scope(
            label=self.label.currentData(),
            article_id=self._article if self.this_article.isChecked() else None,
            date_from=date_from,
            date_to=date_to,
            only_unreviewed=self.only_unreviewed.isChecked(),
        )


class ReviewWindow(QDialog):
    decided = Signal(str)  # annotation id, after it was saved

    def __init__(self, store: Store, session: rv.Session, reviewer: str, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setObjectName("reviewWindow")
        self.setWindowTitle(f"Fact-checking: {session.scope.describe()}")
        self.store, self.session, self.reviewer = store, session, reviewer
        self.run_op: Callable[[Operation], bool] | None = None
        self.drafts = DraftBook(store.path)
        self._shown: str | None = None  # the annotation the form is about
        self._stored: Draft | None = None  # what the database holds for it
        self.resize(980, 860)
        self.progress_label = plain_label(QLabel(objectName="reviewProgress"))
        self.progress_label.setProperty("role", "panelTitle")
        self.progress = QProgressBar(objectName="reviewProgressBar")
        self.progress.setTextVisible(False)
        self.source = QLabel(objectName="reviewSource")
        self.source.setProperty("role", "muted")
        self.source.setTextFormat(Qt.TextFormat.PlainText)
        self.context = QPlainTextEdit(objectName="reviewContext")
        self.context.setReadOnly(True)
        self.context.setFont(reading_font())
        self.links = QLabel(objectName="reviewLinks")
        self.links.setWordWrap(True)
        self.links.setTextFormat(Qt.TextFormat.PlainText)
        self.verdict = QComboBox(objectName="reviewVerdict")
        self.verdict.addItem("— no verdict —", None)
        for i, (value, label, meaning) in enumerate(rv.VERDICT_SCALE, start=1):
            self.verdict.addItem(f"{i}  {label}", value)
            self.verdict.setItemData(i, plain_tip(meaning), Qt.ItemDataRole.ToolTipRole)
        self.confidence = QComboBox(objectName="reviewConfidence")
        self.confidence.addItem("—", None)
        for c in rv.CONFIDENCE:
            self.confidence.addItem(c, c)
        self.evidence = QTableWidget(0, 4, objectName="reviewEvidence")
        self.evidence.setHorizontalHeaderLabels(["URL (http/https)", "Quoted passage", "Stance", "Note"])
        self.evidence.horizontalHeader().setSectionResizeMode(0, QHeaderView.ResizeMode.Stretch)
        self.evidence.horizontalHeader().setSectionResizeMode(1, QHeaderView.ResizeMode.Stretch)
        self.evidence.verticalHeader().hide()
        self.evidence.setTabKeyNavigation(False)
        self.evidence.setItemDelegate(KeepingDelegate(self.evidence))  # Tab leaves the table, so the keys act again
        self.evidence.setMinimumHeight(110)
        self.evidence.setMaximumHeight(190)  # the claim's context keeps the room
        self.prior_checks = PriorChecksPanel()
        self.provenance = ProvenancePanel()
        self.provenance.changeRequested.connect(self.set_provenance)
        self.provenance.keepFileRequested.connect(self.keep_saved_copy)
        self.outlet_tabs = QTabWidget(objectName="reviewOutletTabs")
        self.outlet_tabs.addTab(self.prior_checks, "Earlier fact-checks")
        self.outlet_tabs.addTab(self.provenance, "Evidence provenance")
        self.outlet_tabs.setMinimumHeight(150)
        self.outlet_tabs.setMaximumHeight(230)
        self.status_line = plain_label(QLabel(objectName="reviewStatus"))
        self.status_line.setProperty("role", "muted")
        keys = QLabel(
            "A accept · R reject · W needs work · 1–7 verdict · J/K next/previous · S skip · "
            "Ctrl+N evidence · Ctrl+L open the earlier fact-check · Esc close (resume later). "
            "Undecided input is kept as a draft. "
            "Keys type into the evidence table while it has focus (Tab leaves it)."
        )
        keys.setProperty("role", "muted")
        keys.setWordWrap(True)

        buttons = QHBoxLayout()
        self.buttons: dict[str, QPushButton] = {}
        for status, text in (("accepted", "Accept (A)"), ("rejected", "Reject (R)"), ("needs_work", "Needs work (W)")):
            b = QPushButton(text, objectName=f"decide_{status}")
            b.clicked.connect(lambda _c=False, st=status: self.decide(st))
            buttons.addWidget(b)
            self.buttons[status] = b
        add = QPushButton("Add evidence (Ctrl+N)", objectName="addEvidence")
        add.clicked.connect(self.add_evidence_row)
        buttons.addStretch(1)
        buttons.addWidget(add)

        head = QHBoxLayout()
        head.addWidget(self.progress_label)
        head.addWidget(self.progress, 1)
        form = QFormLayout()
        form.addRow("Speaker and links", self.links)
        form.addRow("Verdict", self.verdict)
        form.addRow("Confidence", self.confidence)
        form.addRow("Evidence", self.evidence)
        layout = QVBoxLayout(self)
        layout.addLayout(head)
        layout.addWidget(self.source)
        layout.addWidget(self.context, 1)
        layout.addLayout(form)
        layout.addWidget(self.outlet_tabs)
        layout.addLayout(buttons)
        layout.addWidget(self.status_line)
        layout.addWidget(keys)

        def act(name: str, keys_: list[str], slot: Any) -> QAction:
            a = QAction(name, self)
            a.setObjectName(name)
            a.setShortcuts([QKeySequence(k) for k in keys_])
            a.setShortcutContext(Qt.ShortcutContext.WindowShortcut)
            a.triggered.connect(slot)
            self.addAction(a)
            return a

        act("reviewAccept", ["A"], lambda: self.decide("accepted"))
        act("reviewReject", ["R"], lambda: self.decide("rejected"))
        act("reviewNeedsWork", ["W"], lambda: self.decide("needs_work"))
        act("reviewNext", ["J", "Right"], lambda: self.step(1))
        act("reviewPrevious", ["K", "Left"], lambda: self.step(-1))
        act("reviewSkip", ["S"], lambda: self.step(1))
        act("reviewAddEvidence", ["Ctrl+N"], self.add_evidence_row)
        act("reviewOpenPriorCheck", ["Ctrl+L"], self.prior_checks.open_current)
        for i in range(1, len(rv.VERDICT_SCALE) + 1):
            act(f"reviewVerdict{i}", [str(i)], lambda _c=False, n=i: self.verdict.setCurrentIndex(n))
        self.show_current()

    # --- showing --------------------------------------------------------------------------
    def show_current(self) -> None:
        s = self.session
        total = len(s.queue)
        self.progress.setMaximum(max(total, 1))
        self.progress.setValue(min(s.position, total))
        current = s.current()
        self.progress_label.setText(s.progress() if current else f"Done: {total} of {total}")
        for b in self.buttons.values():
            b.setEnabled(current is not None)
        self._shown, self._stored = None, None
        if current is None:
            counts = rv.session_counts(self.store, s.id)
            self.source.setText("Session complete.")
            self.context.setPlainText(
                "\n".join(f"{k.replace('_', ' ')}: {n}" for k, n in counts.items())
                or "Nothing was decided in this session."
            )
            self.links.clear()
            self.evidence.setRowCount(0)
            self.status_line.clear()
            self.prior_checks.clear()
            self.provenance.table.setRowCount(0)
            return
        row = self.store.annotations.get(current)
        article = self.store.articles.get(row.article_id)
        self.source.setText(
            f"{article.title} · {article.source or 'unknown source'} · "
            f"{article.date or 'no date'} · {row.label} by {row.annotator or 'unknown'}"
        )
        self._show_context(article.text, row.start, row.end)
        rels = self.store.annotations.relations_of(current)
        self.links.setText("\n".join(describe(self.store, r, current) for r in rels) or "No links yet.")
        self.verdict.setCurrentIndex(max(0, self.verdict.findData(row.verdict)))
        self.verdict.setEnabled(row.label == "claim")
        self.confidence.setCurrentIndex(max(0, self.confidence.findData(row.confidence)))
        self.evidence.setRowCount(0)
        for e in self.store.review.evidence_for(current):
            self.add_evidence_row(e)
        status = f"Current status: {row.status.replace('_', ' ')}" + (
            f", reviewed by {row.reviewer}" if row.reviewer else ""
        )
        self._shown, self._stored = current, self.form_state()
        self.refresh_outlets()
        draft = self.drafts.get(current)
        if draft is not None and draft != self._stored:
            self._apply(draft)
            status += " · your undecided draft is back: decide (A/R/W) to save it"
        self.status_line.setText(status)

    def _show_context(self, text: str, start: int, end: int) -> None:
        lo = text.rfind("\n\n", 0, max(0, start - CONTEXT // 2))
        lo = 0 if lo < 0 else lo + 2
        hi = text.find("\n\n", min(len(text), end + CONTEXT // 2))
        hi = len(text) if hi < 0 else hi
        lo, hi = max(lo, start - 4 * CONTEXT), min(hi, end + 4 * CONTEXT)  # a one-line article: not all of it
        window = text[lo:hi]
        m = DisplayMap(window)
        self.context.setPlainText(m.display_text())
        cur = QTextCursor(self.context.document())
        cur.setPosition(m.to_doc(start - lo))
        cur.setPosition(m.to_doc(end - lo), QTextCursor.MoveMode.KeepAnchor)
        sel = QTextEdit.ExtraSelection()
        sel.cursor = cur
        fmt = QTextCharFormat()
        fmt.setBackground(QColor(232, 163, 61, 150))
        sel.format = fmt
        self.context.setExtraSelections([sel])
        caret = QTextCursor(self.context.document())
        caret.setPosition(m.to_doc(start - lo))
        self.context.setTextCursor(caret)
        self.context.centerCursor()

    def add_evidence_row(self, item: Evidence | None = None) -> None:
        """A row for ``item``, or an empty one to type into (``item`` is not an Evidence when a
        button's ``clicked(bool)`` calls this)."""
        given = item if isinstance(item, Evidence) else None
        shown = given or Evidence("")
        r = self.evidence.rowCount()
        self.evidence.insertRow(r)
        self.evidence.setItem(r, 0, QTableWidgetItem(shown.url))
        self.evidence.setItem(r, 1, QTableWidgetItem(shown.quote))
        stance = QComboBox()
        stance.addItems(list(rv.STANCES))
        stance.setCurrentText(shown.stance)
        self.evidence.setCellWidget(r, 2, stance)
        self.evidence.setItem(r, 3, QTableWidgetItem(shown.note))
        if given is None:
            self.evidence.setCurrentCell(r, 0)
            self.evidence.editItem(self.evidence.item(r, 0))

    def set_evidence(self, r: int, url: str, quote: str = "", stance: str = "supports", note: str = "") -> None:
        while self.evidence.rowCount() <= r:
            self.add_evidence_row(Evidence(""))
        self.evidence.item(r, 0).setText(url)
        self.evidence.item(r, 1).setText(quote)
        self.evidence.cellWidget(r, 2).setCurrentText(stance)
        self.evidence.item(r, 3).setText(note)

    def form_state(self) -> Draft:
        """What the form holds now (an open cell editor is committed first)."""
        self._commit_editor()
        rows = []
        for r in range(self.evidence.rowCount()):

            def cell(c: int, row: int = r) -> str:
                item = self.evidence.item(row, c)
                return item.text() if item is not None else ""

            stance = self.evidence.cellWidget(r, 2)
            row = EvidenceDraft(
                cell(0), cell(1), stance.currentText() if isinstance(stance, QComboBox) else "", cell(3)
            )
            if not row.is_empty():
                rows.append(row)
        return Draft(
            self.verdict.currentData() if self.verdict.isEnabled() else None, self.confidence.currentData(), tuple(rows)
        )

    def _apply(self, draft: Draft) -> None:
        if self.verdict.isEnabled():
            self.verdict.setCurrentIndex(max(0, self.verdict.findData(draft.verdict)))
        self.confidence.setCurrentIndex(max(0, self.confidence.findData(draft.confidence)))
        self.evidence.setRowCount(0)
        for e in draft.evidence:
            self.add_evidence_row(Evidence(e.url, e.quote, e.stance, e.note))

    def _commit_editor(self) -> None:
        """A cell being typed into holds its text in the editor until it closes: close it, keeping it."""
        if self.evidence.state() == QAbstractItemView.State.EditingState:
            row, col = self.evidence.currentRow(), self.evidence.currentColumn()
            self.evidence.setCurrentCell(-1, -1)  # commits the open editor
            self.evidence.setCurrentCell(row, col)

    def keep_draft(self) -> bool:
        """Keep undecided input of the claim on show as a draft (or drop a draft it no longer differs
        from the database). True when a draft was kept."""
        if self._shown is None:
            return False
        state = self.form_state()
        if state != self._stored:
            self.drafts.put(self._shown, state)
            return True
        self.drafts.drop(self._shown)
        return False

    def _evidence(self) -> list[rv.Evidence]:
        out = []
        for r in range(self.evidence.rowCount()):
            url = (self.evidence.item(r, 0).text() if self.evidence.item(r, 0) else "").strip()
            quote = self.evidence.item(r, 1).text() if self.evidence.item(r, 1) else ""
            note = self.evidence.item(r, 3).text() if self.evidence.item(r, 3) else ""
            if not (url or quote.strip() or note.strip()):
                continue  # an empty row is no evidence
            out.append(rv.Evidence(url, quote, self.evidence.cellWidget(r, 2).currentText(), note))
        return out

    def refresh_outlets(self) -> None:
        """Earlier fact-checks and evidence provenance of the claim on show, read again."""
        current = self.session.current()
        if current is not None:
            self.prior_checks.show_for(self.store, current)
            self.provenance.show_for(self.store, current)

    # --- acting ---------------------------------------------------------------------------
    def run_operation(self, op: Operation) -> bool:
        """Through the desk's undo history when there is one, else straight to the store."""
        if self.run_op is not None:
            return self.run_op(op)
        try:
            run(self.store, op)
        except KzpkError as err:
            ask.error(self, "Not saved", str(err))
            return False
        return True

    def set_provenance(self, evidence_id: int, field: str, value: str) -> bool:
        from ..core.crossoutlet.provenance import SetEvidenceProvenance

        done = self.run_operation(SetEvidenceProvenance(evidence_id, ((field, value or None),), self.reviewer))
        self.provenance.show_for(self.store, self._shown or "")  # a refused value goes back to the stored one
        return done

    def keep_saved_copy(self, evidence_id: int) -> bool:
        """Copy a saved page or PDF beside the database and record it as the archived copy."""
        from ..core.crossoutlet.provenance import keep_file

        path = ask.open_file(
            self, "Keep a saved copy of the evidence", "Saved pages (*.pdf *.html *.htm *.mhtml *.png);;All files (*)"
        )
        if not path:
            return False
        try:
            kept = keep_file(self.store.path, path)
        except (KzpkError, OSError) as err:
            ask.error(self, "Saved copy not kept", str(err))
            return False
        return self.set_provenance(evidence_id, "archived_file", kept)

    def decide(self, status: str) -> bool:
        current = self.session.current()
        if current is None:
            return False
        self.evidence.setCurrentCell(-1, -1)  # commit a cell being edited
        decision = rv.Decision(
            status,
            self.verdict.currentData() if self.verdict.isEnabled() else None,
            self.confidence.currentData(),
            self._evidence(),
        )
        op = rv.decision_op(self.session, current, decision, self.reviewer)
        if not self.run_operation(op):  # the desk's undo history: the decision is undoable there
            return False
        self.session.position += 1
        self.drafts.drop(current)
        self._shown = None  # decided: nothing left to keep
        self.decided.emit(current)
        if self.session.done:
            rv.end_session(self.store, self.session)
        self.show_current()
        return True

    def step(self, delta: int) -> None:
        kept = self.keep_draft()
        rv.move(self.store, self.session, delta)
        self.show_current()
        if kept:
            self.status_line.setText(
                f"{self.status_line.text()} · the claim you left keeps its undecided input as a draft".lstrip(" ·")
            )

    # --- closing and keys -----------------------------------------------------------------
    def done(self, result: int) -> None:
        """Esc, Close and window-closing all end here: keep what was typed first."""
        self.keep_draft()
        super().done(result)

    def closeEvent(self, event: QCloseEvent) -> None:
        self.keep_draft()
        super().closeEvent(event)

    def event(self, e: QEvent) -> bool:
        """Plain keys belong to the widget being typed into, not to the single-key shortcuts."""
        if (
            e.type() == QEvent.Type.ShortcutOverride
            and isinstance(e, QKeyEvent)
            and self._typing_into(QApplication.focusWidget())
            and not e.modifiers()
            & (Qt.KeyboardModifier.ControlModifier | Qt.KeyboardModifier.AltModifier | Qt.KeyboardModifier.MetaModifier)
        ):
            e.accept()
            return True
        return super().event(e)

    def _typing_into(self, w: QWidget | None) -> bool:
        if w is None or not self.isAncestorOf(w):
            return False
        if any(w is t or t.isAncestorOf(w) for t in (self.evidence, self.provenance.table)):
            return True
        if isinstance(w, (QLineEdit, QAbstractSpinBox)):
            return True
        if isinstance(w, (QTextEdit, QPlainTextEdit)):
            return not w.isReadOnly()
        return isinstance(w, QComboBox) and w.isEditable()
