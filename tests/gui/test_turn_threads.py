"""The engine step runs on the GUI thread; the store's thread writes a snapshot of its
own (issue 13: the store thread used to change the Session the window was reading)."""

from __future__ import annotations

import threading

from negtrainer.engine.session import Session
from negtrainer.store import rows
from negtrainer.store.store import Store


def test_a_turn_changes_the_session_on_the_gui_thread_and_saves_a_copy_elsewhere(
    window, drive, monkeypatch
):
    play = drive.start(window)
    live = play.live
    seen: dict[str, object] = {}
    apply = Session.apply
    record_turn = Store.record_turn

    def spy_apply(self, item):
        if self is live.session:
            seen["step thread"] = threading.current_thread()
        return apply(self, item)

    def spy_record(self, session_id, session, step=None):
        seen["save thread"] = threading.current_thread()
        seen["saved object"] = session
        seen["saved turn"] = session.state.turn
        return record_turn(self, session_id, session, step)

    monkeypatch.setattr(Session, "apply", spy_apply)
    monkeypatch.setattr(Store, "record_turn", spy_record)
    drive.press(play, "small_talk_drive")
    drive.wait_turn(play, 1)

    assert seen["step thread"] is threading.main_thread()
    assert seen["save thread"] is not threading.main_thread()
    assert seen["saved object"] is not live.session
    assert seen["saved turn"] == live.session.state.turn == 1
    stored = window.services.store.state_at(live.id, 1)
    assert rows.normal(stored) == rows.normal(live.session.state.to_json())


def test_the_reply_shows_while_the_turn_is_committed_and_the_next_input_waits_for_it(
    qtbot, window, drive, monkeypatch
):
    play = drive.start(window)
    # What opening the session left to the store and the pools is done first.
    qtbot.waitUntil(lambda: not window.services.busy, timeout=10000)
    live = play.live
    release = threading.Event()
    record_turn = Store.record_turn

    def slow_record(self, session_id, session, step=None):
        release.wait(10)  # the disk is slow: the commit is still under way
        return record_turn(self, session_id, session, step)

    monkeypatch.setattr(Store, "record_turn", slow_record)
    lines_before = len(play.transcript.entries)
    play.choose("small_talk_drive")

    assert len(play.transcript.entries) > lines_before, "the reply is on screen already"
    assert play.turn_label.text().startswith("Turn 1 ")
    assert play.busy, "the turn is not committed yet"
    play.choose_number(1)  # ignored until the commit is done
    assert live.session.state.turn == 1

    release.set()
    drive.wait_turn(play, 1)
    assert not play.busy
    assert play.saved_label.text() == "All turns saved"
    assert live.session.state.turn == 1
    stored = window.services.store.state_at(live.id, 1)
    assert rows.normal(stored) == rows.normal(live.session.state.to_json())
