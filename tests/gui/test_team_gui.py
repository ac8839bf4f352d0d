"""The curation window from the main window's Review menu."""

from __future__ import annotations

from PySide6.QtCore import Qt
from PySide6.QtTest import QTest

from kzpk_desktop.core import annotations as ann
from kzpk_desktop.gui.curation import CurationWindow


def test_curate_action_opens_the_window_for_the_open_article(qtbot, window) -> None:  # type: ignore[no-untyped-def]
    window.annotating.open_article(2)
    store = window.store
    text = store.articles.text(2)
    i = text.index("Kazakhstan")
    ann.create_annotation(store, 2, i, i + 10, "actor", annotator="ann")
    ann.create_annotation(store, 2, i, i + 4, "actor", annotator="bob")
    window.registry["actionCurate"].trigger()
    dialog = window.findChild(CurationWindow)
    assert dialog is not None and dialog.article_id == 2 and dialog.coders == ("ann", "bob")
    qtbot.keyClick(dialog.table, Qt.Key.Key_A)
    assert store.conn.execute(
        "SELECT annotator, start, curated_by IS NOT NULL FROM annotations WHERE gold_of IS NOT NULL"
    ).fetchall() == [("ann", i, 1)]
    dialog.close()


def test_merge_from_the_file_menu_and_resolve_side_by_side(qtbot, window, answers, tmp_path, monkeypatch) -> None:  # type: ignore[no-untyped-def]
    import hashlib

    from kzpk_desktop.core.backups import make_backup
    from kzpk_desktop.core.store import Store
    from kzpk_desktop.gui.ask import ask
    from kzpk_desktop.gui.team_dialogs import ConflictsDialog

    store = window.store
    text = store.articles.text(2)
    i = text.index("Kazakhstan")
    shared = ann.create_annotation(store, 2, i, i + 10, "actor", annotator="me").id
    other = make_backup(store.path, tmp_path / "colleague.db")
    theirs = Store.open(other)
    ann.edit_annotation(theirs, shared, "col", note="their note")
    j = text.index("Pakistan")
    new_id = ann.create_annotation(theirs, 2, j, j + 8, "actor", annotator="col").id
    theirs.close()
    ann.edit_annotation(store, shared, "me", note="my note")
    before = hashlib.sha256(other.read_bytes()).hexdigest()

    monkeypatch.setattr(ask, "open_file", lambda *a: str(other))
    window.registry["actionMergeDatabase"].trigger()
    assert store.annotations.get(new_id).annotator == "col"
    assert answers.infos and answers.infos[-1][0].startswith("Merged colleague.db: added 0 articles and 1 items")
    dialog = window.findChild(ConflictsDialog)
    assert dialog is not None and dialog.list.count() == 1
    assert '"note": "my note"' in dialog.mine.toPlainText()
    assert '"note": "their note"' in dialog.theirs.toPlainText()
    qtbot.mouseClick(dialog.take, Qt.MouseButton.LeftButton)
    assert store.annotations.get(shared).note == "their note"
    assert dialog.list.count() == 0 and dialog.status.text() == "No conflicts waiting."
    assert hashlib.sha256(other.read_bytes()).hexdigest() == before
    dialog.close()


def test_agreement_report_table_chart_and_disagreements(qtbot, window) -> None:  # type: ignore[no-untyped-def]
    from kzpk_desktop.core.team.agreement import measure
    from kzpk_desktop.gui.team_dialogs import AgreementDialog

    store = window.store
    text = store.articles.text(2)
    i = text.index("Kazakhstan")
    ann.create_annotation(store, 2, i, i + 10, "actor", annotator="ann")
    ann.create_annotation(store, 2, i, i + 4, "actor", annotator="bob")
    window.registry["actionAgreement"].trigger()  # measured in the background, then shown
    qtbot.waitUntil(lambda: window.findChild(AgreementDialog) is not None, timeout=10_000)
    dialog = window.findChild(AgreementDialog)
    expected = measure(store).spans["actor"]
    cells = {dialog.table.item(r, 0).text(): dialog.table.item(r, 1).text() for r in range(dialog.table.rowCount())}
    assert cells["actor: α (characters)"] == f"{expected.alpha_u.value:.3f}"
    assert cells["actor: Cohen's κ ann|bob"] == f"{expected.cohen_kappa['ann|bob'].value:.3f}"
    assert cells["verdicts: α ordinal"] == "n/a: no span has a verdict from two or more reviewers"
    assert dialog.chart.bars == [("actor α", expected.alpha_u.value)]
    assert not dialog.chart.grab().isNull()
    lines = dialog.disagreements.model()
    assert lines.rowCount() == 1
    assert lines.index(0, 0).data() == (
        f"article 2 actor {i + 4}–{i + 10} “{text[i + 4 : i + 10]}”: marked by ann, not by bob"
    )
    dialog.close()


def test_annotator_filter_shows_mine_one_colleague_or_everyone(qtbot, window) -> None:  # type: ignore[no-untyped-def]
    store = window.store
    text = store.articles.text(2)
    i, j = text.index("Kazakhstan"), text.index("Pakistan")
    mine = ann.create_annotation(store, 2, i, i + 10, "actor", annotator=window.annotator).id
    bobs = ann.create_annotation(store, 2, j, j + 8, "actor", annotator="bob").id
    zoes = ann.create_annotation(store, 2, i, i + 4, "claim", annotator="zoe").id
    window.annotating.open_article(2)
    combo = window.team.filter
    assert [combo.itemText(n) for n in range(combo.count())] == [
        "Everyone's spans",
        f"Mine ({window.annotator})",
        "bob's spans",
        "zoe's spans",
    ]
    assert set(window.reader._rows) == {mine, bobs, zoes}
    combo.setFocus()
    qtbot.keyClick(combo, Qt.Key.Key_Down)  # mine
    assert set(window.reader._rows) == {mine}
    assert window.annotations.model.rowCount() == 1
    qtbot.keyClick(combo, Qt.Key.Key_Down)  # bob's
    assert set(window.reader._rows) == {bobs}
    qtbot.keyClick(combo, Qt.Key.Key_Down)  # zoe's
    assert set(window.reader._rows) == {zoes} and window.annotations.model.rowCount() == 1
    qtbot.keyClick(combo, Qt.Key.Key_Home)  # everyone again
    assert set(window.reader._rows) == {mine, bobs, zoes} and window.annotations.model.rowCount() == 3


def test_each_coder_gets_a_distinct_outline_when_everyone_is_shown(qtbot, window) -> None:  # type: ignore[no-untyped-def]
    store = window.store
    text = store.articles.text(2)
    i, j = text.index("Kazakhstan"), text.index("Pakistan")
    ann.create_annotation(store, 2, i, i + 10, "actor", annotator="ann")
    ann.create_annotation(store, 2, j, j + 8, "actor", annotator="bob")
    ann.create_annotation(store, 2, i, i + 4, "claim", annotator="bob")
    window.annotating.open_article(2)

    def outlines() -> dict[int, str]:
        """Code point -> colour of the wavy outline drawn under it (in the text's own formats)."""
        from PySide6.QtGui import QTextCharFormat, QTextCursor

        cursor = QTextCursor(window.reader.document())
        drawn = {}
        for cp in range(len(text)):
            cursor.setPosition(window.reader._map.to_doc(cp + 1))  # the format of the char before
            fmt = cursor.charFormat()
            if fmt.underlineStyle() == QTextCharFormat.UnderlineStyle.WaveUnderline:
                drawn[cp] = fmt.underlineColor().name()
        return drawn

    drawn = outlines()
    bob, anns = drawn[j], drawn[i + 4]
    assert bob != anns
    # bob's claim inside ann's actor span: the innermost span's coder outlines it
    assert drawn == {
        **{cp: bob for cp in range(i, i + 4)},
        **{cp: anns for cp in range(i + 4, i + 10)},
        **{cp: bob for cp in range(j, j + 8)},
    }
    # my own first tag here: a third coder, a third colour, only on my span; undo takes it away
    k = text.index("agreement") if "agreement" in text else len(text) - 9
    window.reader.select_span(k, k + 9)
    window.reader.setFocus()
    QTest.keyClick(window.reader, Qt.Key.Key_1)
    qtbot.waitUntil(lambda: window.annotations.model.rowCount() == 4, timeout=3000)
    (span,) = [r for r in window.annotations.model.rows() if r.annotator == window.annotator]
    with_mine = outlines()
    mine = with_mine[k]
    assert mine not in (bob, anns)
    assert with_mine == {**drawn, **{cp: mine for cp in range(span.start, span.end)}}
    window.annotating.undo()
    assert outlines() == drawn
    window.team.filter.setFocus()
    qtbot.keyClick(window.team.filter, Qt.Key.Key_End)  # one colleague only: no outlines
    assert outlines() == {}


CTRL = Qt.KeyboardModifier.ControlModifier


def _gold(store) -> list[tuple[str, int]]:  # type: ignore[no-untyped-def]
    return store.conn.execute(
        "SELECT annotator, start FROM annotations WHERE curated_by IS NOT NULL ORDER BY annotator"
    ).fetchall()


def test_ctrl_z_in_the_main_window_undoes_an_adjudication(qtbot, window) -> None:  # type: ignore[no-untyped-def]
    """The curation window decides on the desk's one history: the main window's Undo/Redo
    take an adjudication back and forth, and the curation window redraws each time."""
    window.annotating.open_article(2)
    store = window.store
    text = store.articles.text(2)
    i = text.index("Kazakhstan")
    ann.create_annotation(store, 2, i, i + 10, "actor", annotator="ann")
    ann.create_annotation(store, 2, i, i + 4, "actor", annotator="bob")
    window.registry["actionCurate"].trigger()
    dialog = window.findChild(CurationWindow)
    assert dialog.history is window.desk.history
    qtbot.keyClick(dialog.table, Qt.Key.Key_B)
    assert _gold(store) == [("bob", i)]
    assert window.registry["actionUndo"].isEnabled()
    gold_col = dialog.table.columnCount() - 1
    assert dialog.table.item(0, gold_col).text() == f"{text[i : i + 4]} [{i}–{i + 4}]"

    window.activateWindow()
    qtbot.keyClick(window.reader, Qt.Key.Key_Z, CTRL)
    assert _gold(store) == []
    assert dialog.table.item(0, gold_col).text() == "(not decided)"
    qtbot.keyClick(window.reader, Qt.Key.Key_Z, CTRL | Qt.KeyboardModifier.ShiftModifier)
    assert _gold(store) == [("bob", i)]
    assert dialog.table.item(0, gold_col).text() == f"{text[i : i + 4]} [{i}–{i + 4}]"
    # and Ctrl+Z in the curation window takes back the same step on the same history
    qtbot.keyClick(dialog.table, Qt.Key.Key_Z, CTRL)
    assert _gold(store) == []
    assert not window.registry["actionUndo"].isEnabled()
    dialog.close()


def test_ctrl_z_in_the_main_window_reopens_a_resolved_conflict(qtbot, window, answers, tmp_path, monkeypatch) -> None:  # type: ignore[no-untyped-def]
    from kzpk_desktop.core.backups import make_backup
    from kzpk_desktop.core.store import Store
    from kzpk_desktop.gui.ask import ask
    from kzpk_desktop.gui.team_dialogs import ConflictsDialog

    store = window.store
    text = store.articles.text(2)
    i = text.index("Kazakhstan")
    shared = ann.create_annotation(store, 2, i, i + 10, "actor", annotator="me").id
    other = make_backup(store.path, tmp_path / "colleague.db")
    theirs = Store.open(other)
    ann.edit_annotation(theirs, shared, "col", note="their note")
    theirs.close()
    ann.edit_annotation(store, shared, "me", note="my note")
    monkeypatch.setattr(ask, "open_file", lambda *a: str(other))
    window.registry["actionMergeDatabase"].trigger()
    dialog = window.findChild(ConflictsDialog)
    assert dialog.list.count() == 1
    qtbot.keyClick(dialog.take, Qt.Key.Key_Space)
    assert store.annotations.get(shared).note == "their note"
    assert dialog.list.count() == 0
    assert window.registry["actionUndo"].text().startswith("&Undo")
    assert "Resolve conflict" in window.registry["actionUndo"].text()

    window.activateWindow()
    qtbot.keyClick(window.reader, Qt.Key.Key_Z, CTRL)
    assert store.annotations.get(shared).note == "my note"
    assert dialog.list.count() == 1 and dialog.status.text() == "1 conflict(s) waiting"
    qtbot.keyClick(window.reader, Qt.Key.Key_Z, CTRL | Qt.KeyboardModifier.ShiftModifier)
    assert store.annotations.get(shared).note == "their note"
    assert dialog.list.count() == 0
    dialog.close()


def test_a_cancelled_agreement_report_never_opens(qtbot, window) -> None:  # type: ignore[no-untyped-def]
    from kzpk_desktop.gui.team_dialogs import AgreementDialog

    job = window.team.show_agreement()
    ended: list[bool] = []
    job.finished.connect(lambda: ended.append(True))
    job.cancel()  # what the progress dialog's Cancel does
    qtbot.waitUntil(lambda: bool(ended), timeout=10_000)
    qtbot.wait(50)  # the result is delivered through the event loop
    assert window.findChild(AgreementDialog) is None
    assert window.team.agreement_dialog is None
