"""The replay: stepping by keys, the hidden state, notes, branching, and export."""

from __future__ import annotations

import html
import os

os.environ.setdefault("QT_QPA_PLATFORM", "offscreen")

import pytest
from guiplay import expert_session, record
from PySide6.QtCore import Qt
from PySide6.QtGui import QTextDocument
from PySide6.QtTest import QTest

from negtrainer.engine.analysis import expert_path
from negtrainer.engine.session import Session
from negtrainer.gui import export
from negtrainer.gui.models.replay_model import ReplayModel
from negtrainer.gui.replay import ReplayView
from negtrainer.store.store import Store


@pytest.fixture
def played(services, scenario) -> tuple[str, Session]:
    """The expert's path, stored turn by turn: a deal with every interest revealed."""
    session = expert_session(scenario, learner="Ana")
    return record(services.store, session), session


def opened(qtbot, services, sid: str, turn: int = 0) -> ReplayView:
    view = ReplayView(services)
    qtbot.addWidget(view)
    view.resize(1280, 800)
    view.show()
    qtbot.waitExposed(view)
    with qtbot.waitSignal(view.loaded, timeout=15000):
        view.show_turn(sid, turn)
    view.activateWindow()
    view.table.setFocus()
    return view


def first_reveal(session: Session) -> dict:
    return next(r for r in session.state.log if r["revealed"])


def test_replay_steps_with_the_arrow_keys_and_home_and_end(qtbot, services, played):
    sid, session = played
    view = opened(qtbot, services, sid)
    assert view.turn == 0
    QTest.keyClick(view.table, Qt.Key.Key_Right)
    QTest.keyClick(view.table, Qt.Key.Key_Right)
    assert view.turn == 2
    assert view.slider.value() == 2
    assert view.position.text() == f"Turn 2 of {session.state.turn}"
    QTest.keyClick(view.table, Qt.Key.Key_Left)
    assert view.turn == 1
    QTest.keyClick(view.table, Qt.Key.Key_End)
    assert view.turn == session.state.turn
    assert not view.next_button.isEnabled()
    QTest.keyClick(view.table, Qt.Key.Key_Home)
    assert view.turn == 0
    view.next_button.click()
    assert view.turn == 1
    view.slider.setValue(4)
    assert view.turn == 4


def test_replay_shows_the_hidden_state_and_why_it_changed(qtbot, services, played):
    sid, session = played
    rec = first_reveal(session)
    turn = rec["turn"]
    view = opened(qtbot, services, sid, turn)
    assert view.state_heading.text() == f"After turn {turn}"
    assert view.why.text().startswith(export.explain_turn(rec))
    assert "opened up about what they really need" in view.why.text()
    numbers = [
        w.accessibleName()
        for w in view.findChildren(type(view.why))
        if w.accessibleName().startswith("Trust ")
    ]
    assert numbers and numbers[0].startswith(f"Trust {rec['trust_after']:.0f}")
    label = session.scenario.spec.interests[rec["revealed"][0]].label
    interest_texts = [w.text() for w in view.findChildren(type(view.why))]
    assert any(t.startswith(label) and "new this turn" in t for t in interest_texts)
    assert view.mood_label.text().startswith(f"Mood: {rec['mood']}")


def test_the_transcript_runs_up_to_the_turn_shown(qtbot, services, played):
    sid, session = played
    view = opened(qtbot, services, sid, 2)
    text = view.transcript.toPlainText()
    assert session.state.log[1]["said"] in text
    assert session.state.log[2]["said"] not in text
    QTest.keyClick(view.table, Qt.Key.Key_Right)
    assert session.state.log[2]["said"] in view.transcript.toPlainText()


def test_a_note_is_saved_through_the_store_and_kept_when_stepping_away(qtbot, services, played):
    sid, _session = played
    view = opened(qtbot, services, sid, 3)
    view.note.setFocus()
    QTest.keyClicks(view.note, "Good open question: she started talking about the plant.")
    assert view.save_button.isEnabled()
    with qtbot.waitSignal(view.note_saved, timeout=10000) as sig:
        view.save_button.click()
    assert sig.args == [3]
    assert [(n.turn, n.text) for n in services.store.notes(sid)] == [
        (3, "Good open question: she started talking about the plant.")
    ]
    assert view.model.data(view.model.index(3, ReplayModel.COL_NOTE)) == "✎"
    assert view.note_status.text() == "Saved"

    # Typing then stepping away saves too, and editing replaces rather than adds.
    view.note.setPlainText("Better: follow it with a paraphrase.")
    with qtbot.waitSignal(view.note_saved, timeout=10000):
        view.table.setFocus()
        QTest.keyClick(view.table, Qt.Key.Key_Right)
    assert [(n.turn, n.text) for n in services.store.notes(sid)] == [
        (3, "Better: follow it with a paraphrase.")
    ]
    QTest.keyClick(view.table, Qt.Key.Key_Left)
    assert view.note.toPlainText() == "Better: follow it with a paraphrase."


def test_branch_from_here_starts_a_session_that_can_be_finished(qtbot, services, played, scenario):
    sid, _session = played
    view = opened(qtbot, services, sid, 2)
    with qtbot.waitSignal(view.branch_started, timeout=10000) as sig:
        QTest.keyClick(view.table, Qt.Key.Key_B, Qt.KeyboardModifier.ControlModifier)
    new_id = sig.args[0]
    info = services.store.get(new_id)
    assert (info.parent_id, info.parent_turn, info.status) == (sid, 2, "unfinished")

    # Play the branch to an ending differently: the rest of the expert's path from
    # turn 2 would also do, but pressure makes a different, quicker ending.
    branch = services.store.session_at(new_id)
    assert branch.state.turn == 2
    while not branch.ended:
        ok = [c for c in branch.choices if c.available]
        pick = next((c for c in ok if c.move in ("ultimatum", "threat")), ok[-1])
        branch.choose(pick.id)
        services.store.record_turn(new_id, branch)
    info = services.store.get(new_id)
    assert info.status == "finished" and info.ending_kind
    assert services.store.get(sid).ending_kind == "deal"


def test_showing_a_session_again_reads_turns_played_since(qtbot, services, scenario):
    variant = next(iter(scenario.spec.counterpart.variants))
    inputs = expert_path(scenario, variant)["inputs"]
    live = Session.start(scenario, 0, variant, "Ana")
    sid = services.store.begin(scenario, live, learner="Ana")
    for item in inputs[:3]:
        live.apply(item)
        services.store.record_turn(sid, live)
    view = opened(qtbot, services, sid, 1)
    assert view.last_turn == 3
    for item in inputs[3:6]:  # resumed and played on
        live.apply(item)
        services.store.record_turn(sid, live)
    with qtbot.waitSignal(view.loaded, timeout=10000):
        view.show_turn(sid, 5)
    assert (view.last_turn, view.turn) == (6, 5)
    assert live.state.log[4]["said"] in view.transcript.toPlainText()
    assert view.resume_button.isVisible()  # not finished: it can be played on
    with qtbot.waitSignal(view.resume_requested) as sig:
        view.resume_button.click()
    assert sig.args == [sid]


def test_branching_is_offered_only_before_the_session_ended(qtbot, services, played):
    sid, session = played
    view = opened(qtbot, services, sid, session.state.turn)
    assert not view.branch_button.isEnabled()
    assert "ended" in view.branch_button.toolTip()
    QTest.keyClick(view.table, Qt.Key.Key_Left)
    assert view.branch_button.isEnabled()
    assert view.branch_button.text() == f"Branch from turn {session.state.turn - 1}"


def test_export_writes_html_and_pdf_with_the_transcript_and_notes(
    qtbot, services, played, tmp_path
):
    sid, session = played
    services.store.add_note(sid, 1, "Small talk first: good.")
    report = export.load_report(services.store, sid)
    html_path = export.write_html(report, tmp_path / "session.html")
    text = html_path.read_text(encoding="utf-8")
    for rec in session.state.log:
        assert html.escape(rec["said"], quote=True) in text
    assert "Small talk first: good." in text
    assert "Transcript" in text and "Measures" in text

    pdf_path = export.write_pdf(report, tmp_path / "session.pdf")
    data = pdf_path.read_bytes()
    assert data.startswith(b"%PDF-") and len(data) > 10_000
    # Reports hold names, notes and briefs: for their owner only.
    assert {p.stat().st_mode & 0o777 for p in (html_path, pdf_path)} == {0o600}
    # The PDF prints this document; what it says is what the PDF says.
    doc = QTextDocument()
    doc.setHtml(export.report_html(report))
    assert "Small talk first: good." in doc.toPlainText()
    assert session.state.log[-1]["said"] in doc.toPlainText()


def test_export_from_the_replay_includes_a_note_just_typed(qtbot, services, played, tmp_path):
    sid, _session = played
    view = opened(qtbot, services, sid, 2)
    view.note.setPlainText("Typed, not yet saved.")
    target = tmp_path / "replay.html"
    with qtbot.waitSignal(view.note_saved, timeout=10000):
        view.export("html", target)
    qtbot.waitUntil(
        lambda: target.exists() and view.status.text().startswith("Saved"), timeout=10000
    )
    assert "Typed, not yet saved." in target.read_text(encoding="utf-8")
    assert [n.text for n in services.store.notes(sid)] == ["Typed, not yet saved."]
    pdf = tmp_path / "replay.pdf"
    view.export("pdf", pdf)
    qtbot.waitUntil(
        lambda: pdf.exists() and view.status.text() == f"Saved {pdf.name} in {pdf.parent}.",
        timeout=10000,
    )
    assert pdf.read_bytes().startswith(b"%PDF-")


def test_replay_model_passes_qtmodeltester(qtmodeltester, services, played):
    sid, _session = played
    services.store.add_note(sid, 2, "A note")
    report = export.load_report(services.store, sid, with_expert=False)
    model = ReplayModel()
    model.set_turns(report.transcript())
    qtmodeltester.check(model, force_py=True)
    assert model.data(model.index(0, ReplayModel.COL_TURN)) == "Start"
    assert model.data(model.index(2, 0), ReplayModel.NoteRole) == "A note"


def test_in_the_window_a_branch_opens_in_play(qtbot, launch, tmp_db, scenario):
    store = Store.open(tmp_db)
    sid = record(store, expert_session(scenario, learner="Ana"), upto=4)
    store.close()

    window = launch()
    window.open_replay(sid, 2)
    replay = window.view("replay")
    qtbot.waitUntil(lambda: replay.data is not None and replay.turn == 2, timeout=15000)
    assert window.current == "replay"
    replay.branch_button.click()
    qtbot.waitUntil(
        lambda: window.current == "play" and window.play.live is not None, timeout=15000
    )
    new_id = window.play.live.id
    assert new_id != sid
    assert window.services.store.get(new_id).parent_id == sid
    assert window.play.live.session.state.turn == 2
    # While it is played, the branch says it is one.
    assert window.play.turn_label.text().endswith(" · a branch from turn 2")


def test_a_report_without_a_learner_name_says_guest_and_names_the_article(services, scenario):
    from negtrainer.engine.skills import ARTICLE
    from negtrainer.gui.models.history_model import OUTCOME_MARK

    session = expert_session(scenario, learner="")
    sid = record(services.store, session, learner="")
    doc = QTextDocument()
    doc.setHtml(export.report_html(export.load_report(services.store, sid)))
    text = doc.toPlainText()
    assert "Learner: Guest" in text and "unnamed" not in text
    assert f"Lessons from {ARTICLE}" in text
    # No agreement is not marked like a Fair rating.
    assert OUTCOME_MARK["impasse"] not in export.RATING_MARK.values()


def test_replay_shows_what_the_counterpart_thought_at_each_turn(qtbot, services, played):
    sid, session = played
    view = opened(qtbot, services, sid, 1)
    from negtrainer.gui import export

    turns = export.transcript(session)
    thought = turns[1].thought
    assert thought, "every turn that moved something has a thought"
    assert f"What they thought: “{thought}”" in view.why.text()
