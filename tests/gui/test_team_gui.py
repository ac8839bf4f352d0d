"""The curation window from the main window's Review menu."""

from __future__ import annotations

from PySide6.QtCore import Qt

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
    window.registry["actionAgreement"].trigger()
    dialog = window.findChild(AgreementDialog)
    assert dialog is not None
    expected = measure(store).spans["actor"]
    cells = {dialog.table.item(r, 0).text(): dialog.table.item(r, 1).text() for r in range(dialog.table.rowCount())}
    assert cells["actor: α (characters)"] == f"{expected.alpha_u.value:.3f}"
    assert cells["actor: Cohen's κ ann|bob"] == f"{expected.cohen_kappa['ann|bob'].value:.3f}"
    assert cells["verdicts: α ordinal"] == "n/a: no span has a verdict from two or more reviewers"
    assert dialog.chart.bars == [("actor α", expected.alpha_u.value)]
    assert not dialog.chart.grab().isNull()
    assert dialog.disagreements.count() == 1
    assert dialog.disagreements.item(0).text() == (
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

    def outlines() -> dict[tuple[int, int], str]:
        from PySide6.QtGui import QTextCharFormat

        return {
            (x.cursor.selectionStart(), x.cursor.selectionEnd()): x.format.underlineColor().name()
            for x in window.reader.extraSelections()
            if x.format.underlineStyle() == QTextCharFormat.UnderlineStyle.WaveUnderline
        }

    to16 = window.reader._map.to_doc
    drawn = outlines()
    anns, bob1, bob2 = drawn[(to16(i), to16(i + 10))], drawn[(to16(j), to16(j + 8))], drawn[(to16(i), to16(i + 4))]
    assert len(drawn) == 3 and bob1 == bob2 and anns != bob1
    window.team.filter.setFocus()
    qtbot.keyClick(window.team.filter, Qt.Key.Key_End)  # one colleague only: no outlines
    assert outlines() == {}
