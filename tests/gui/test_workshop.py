"""The workshop page, and a shared laptop that never changes learner behind anyone's back."""

import sys
from pathlib import Path

from PySide6.QtCore import Qt

sys.path.insert(0, str(Path(__file__).resolve().parents[1] / "workshop"))
from roomplay import BAD, play, workshop_with_exercise

from negtrainer.engine.session import Session
from negtrainer.store import Recorder, Store
from negtrainer.store import workshops as ws


def _played_in_the_terminal(db, scenario):
    """Alice and Bob finished sessions in the terminal; Guest left one unfinished."""
    with Store.open(db, backup_every_hours=None) as store:
        for name in ("Alice", "Bob"):
            rec = Recorder.start(store, scenario, Session.start(scenario, 3), name)
            rec.finish()
        guest = Recorder.start(store, scenario, Session.start(scenario, 5), None)
        return guest.session_id


def test_a_shared_laptop_opens_as_guest_with_guests_session_after_others_played(
    launch, tmp_db, scenario, qtbot
):
    guest_session = _played_in_the_terminal(tmp_db, scenario)
    window = launch()
    assert window.services.learner == ""
    assert window.learner_label.text() == "Guest"
    found = []
    window.services.unfinished(found.append)
    qtbot.waitUntil(lambda: bool(found), timeout=5000)
    assert [s.id for s in found[0]] == [guest_session]


def test_a_shared_laptop_keeps_the_learner_chosen_last(launch, tmp_db, scenario, qtbot):
    _played_in_the_terminal(tmp_db, scenario)
    first = launch()
    first.services.set_learner("Bob")
    first.close()
    again = launch()
    assert again.services.learner == "Bob" and again.learner_label.text() == "Bob"


def test_a_round_asks_who_plays_each_time_and_clears_the_screen_between_players(
    launch, tmp_db, qtbot
):
    with Store.open(tmp_db, backup_every_hours=None) as store:
        w = workshop_with_exercise(store)
    window = launch()
    window.services.set_learner("Facilitator")
    window.show_page("workshop")
    page = window.pages["workshop"]
    qtbot.waitUntil(lambda: page.workshop is not None and page.workshop.id == w.id, timeout=5000)
    page.set_round(True)
    assert page.stack.currentIndex() == 1  # the handover screen
    assert not window.rail_buttons["history"].isEnabled()
    assert not window.rail_buttons["library"].isEnabled()
    assert page.who.currentData() == "" and not page.start_button.isEnabled()
    assert window.services.learner == "Facilitator"  # nothing switches until someone picks
    assert window.learner_label.text() == "Next player"  # no one's name on the rail

    page.who.setCurrentIndex(page.who.findData("Ben"))
    qtbot.mouseClick(page.start_button, Qt.MouseButton.LeftButton)
    qtbot.waitUntil(
        lambda: window.current == "play" and window.play.live is not None, timeout=10000
    )
    assert window.services.learner == "Ben" and window.learner_label.text() == "Ben"
    live = window.play.live
    for line in BAD:
        live.recorder.apply({"choice": line})
    tags = ws.sessions(window.services.store, w.id)
    assert [(t.participant, t.session_id) for t in tags] == [("Ben", live.id)]

    # Pass the laptop: the next person sees no trace of Ben's session.
    window.show_page("workshop")
    assert window.live_session_id == "" and window.last_session_id == ""
    assert not window.rail_buttons["play"].isEnabled()
    assert not window.rail_buttons["debrief"].isEnabled()
    assert page.who.currentData() == "" and window.learner_label.text() == "Next player"
    window.show_page("play")
    assert window.current != "play"

    page.who.setCurrentIndex(page.who.findData("Guest"))
    qtbot.mouseClick(page.start_button, Qt.MouseButton.LeftButton)
    qtbot.waitUntil(
        lambda: window.play.live is not None and window.play.live.id != live.id, timeout=10000
    )
    assert window.services.learner == ""  # Guest, a real choice

    page.set_round(False)
    assert window.services.learner == "Facilitator"
    assert window.learner_label.text() == "Facilitator"
    assert window.rail_buttons["history"].isEnabled()


def test_collected_files_dropped_on_the_page_are_reported(launch, tmp_db, tmp_path, qtbot):
    from negtrainer.workshop import files

    with Store.open(tmp_db, backup_every_hours=None) as store:
        w = workshop_with_exercise(store)
        wfile = files.export_workshop(store, w, tmp_path / "w.json")
    with Store.open(tmp_path / "laptop.db", backup_every_hours=None) as other:
        lw = files.join(other, wfile)
        play(other, lw, "e1", "Cy", BAD)
        files.export_results(other, lw, tmp_path / "r.json")
    (tmp_path / "junk.json").write_text("{not json")
    window = launch()
    window.show_page("workshop")
    page = window.pages["workshop"]
    qtbot.waitUntil(lambda: page.workshop is not None, timeout=5000)
    page.collect([tmp_path / "r.json"])
    qtbot.waitUntil(lambda: "took" in page.collect_report.text(), timeout=10000)
    # The rest dropped on the page, as from a file manager.
    from PySide6.QtCore import QMimeData, QPointF, QUrl
    from PySide6.QtGui import QDropEvent

    mime = QMimeData()
    mime.setUrls([QUrl.fromLocalFile(str(tmp_path / n)) for n in ("junk.json", "r.json")])
    drop = QDropEvent(
        QPointF(10, 10),
        Qt.DropAction.CopyAction,
        mime,
        Qt.MouseButton.LeftButton,
        Qt.KeyboardModifier.NoModifier,
    )
    page.dropEvent(drop)
    qtbot.waitUntil(lambda: "refused" in page.collect_report.text(), timeout=10000)
    text = page.collect_report.text()
    assert "refused junk.json" in text and "not valid JSON" in text
    assert "already collected" in text
    qtbot.waitUntil(lambda: "1 played" in page.summary.text(), timeout=5000)


def test_a_workshop_is_made_and_edited_in_the_window(launch, qtbot, scenario):
    from negtrainer.gui.workshop import ExerciseDialog

    window = launch()
    window.show_page("workshop")
    page = window.pages["workshop"]
    page.create("Friday class", ["Ana"])
    qtbot.waitUntil(
        lambda: page.workshop is not None and page.workshop.name == "Friday class", timeout=5000
    )
    page.new_name.setText("Ben")
    page.team.setText("Blue")
    page.add_participant()
    qtbot.waitUntil(lambda: page.participants.count() == 2, timeout=5000)
    assert page.participants.item(1).text() == "Ben  (Blue)"
    page.add_exercise_for(scenario, variant="random", minutes=10)
    qtbot.waitUntil(lambda: page.exercises.rowCount() == 1, timeout=5000)

    ex = page.workshop.exercises[0]
    dlg = ExerciseDialog([], page)
    dlg.prefill(ex, scenario)
    assert not dlg.scenario.isEnabled() and dlg.minutes.value() == 10
    dlg.variant.setCurrentIndex(dlg.variant.findData("curt"))
    dlg.minutes.setValue(25)
    dlg.questions.setPlainText("What did you ask first?\n\nWhy?")
    page.add_exercise_for(scenario, exercise_id=ex.id, seed=ex.seed, **dlg.values())
    qtbot.waitUntil(lambda: page.exercises.item(0, 3).text() == "25 min", timeout=5000)
    (edited,) = page.workshop.exercises
    assert (edited.id, edited.variant) == (ex.id, "curt")
    assert edited.questions == ["What did you ask first?", "Why?"]
    assert page.exercises.rowCount() == 1


def test_saving_from_the_workshop_page_never_writes_over_the_database(
    launch, tmp_db, qtbot, monkeypatch
):
    from PySide6.QtWidgets import QFileDialog

    with Store.open(tmp_db, backup_every_hours=None) as store:
        workshop_with_exercise(store)
    window = launch()
    window.show_page("workshop")
    page = window.pages["workshop"]
    qtbot.waitUntil(lambda: page.workshop is not None, timeout=5000)
    asked = []

    def dialog(parent, title, start, filt):
        asked.append(start)
        return str(tmp_db), ""

    monkeypatch.setattr(QFileDialog, "getSaveFileName", dialog)
    errors = []
    page.services.error.connect(lambda title, text: errors.append(text))
    before = Path(tmp_db).read_bytes()
    page.export_workshop()
    assert errors and "is the session database" in errors[0]
    assert Path(asked[0]).parent == Path.home()  # it offers the home folder, not the cwd
    page.services.wait(5000)
    assert Path(tmp_db).read_bytes() == before


def test_in_a_round_each_player_starts_with_the_rounds_coach_mode_and_keeps_theirs_to_themselves(
    launch, tmp_db, qtbot
):
    with Store.open(tmp_db, backup_every_hours=None) as store:
        w = workshop_with_exercise(store)
    window = launch()
    window.services.settings.set("coach", False)  # the facilitator's choice for the room
    window.show_page("workshop")
    page = window.pages["workshop"]
    qtbot.waitUntil(lambda: page.workshop is not None and page.workshop.id == w.id, timeout=5000)
    page.set_round(True)
    play = window.play

    def start(who):
        before = play.live
        page.who.setCurrentIndex(page.who.findData(who))
        qtbot.mouseClick(page.start_button, Qt.MouseButton.LeftButton)
        qtbot.waitUntil(lambda: play.live is not None and play.live is not before, timeout=10000)

    start("Ben")
    assert not play.coach_button.isChecked()
    play.coach_button.click()  # Ben looks at the hidden state
    assert play.coach_button.isChecked() and play.coach.isVisibleTo(play)
    assert window.services.settings.coach is False  # the laptop's setting is not Ben's

    window.show_page("workshop")
    start("Cy")
    assert not play.coach_button.isChecked() and not play.coach.isVisibleTo(play)

    page.set_round(False)
    assert not play.coach_button.isChecked() and window.services.settings.coach is False
