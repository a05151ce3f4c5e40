"""Playing a scenario in the window: keys 1-9, clicks, offers, coach mode, endings."""

from __future__ import annotations

from guiplay import DEAL, PATH
from PySide6.QtCore import Qt

LOWBALL = {"price": "€0.36", "volume": "2.0M trays", "payment": "60 days", "term": "1 year"}


def test_packaging_renewal_is_played_to_a_deal_by_keys_clicks_and_the_offer_builder(
    window, drive, qtbot, fake_voice
):
    window.services.settings.set("voice/enabled", True)
    play = drive.start(window)
    assert window.current == "play"
    assert "Coffee" in play.transcript.toPlainText()  # the counterpart opened
    assert fake_voice.speaker.lines, "the opening line was spoken"
    for n, cid in enumerate(PATH):
        if n % 2 == 0:
            drive.press(play, cid)
        else:
            drive.click(play, cid)
        said = play.live.session.state.log[-1]["said"]
        assert said in play.transcript.toPlainText()
    assert play.offers.isVisible()
    assert fake_voice.speaker.stops >= len(PATH), "a new choice stops the line being spoken"
    assert set(play.live.session.state.revealed) == {"idle_line", "cash_squeeze", "board_doubts"}
    play.offers.set_terms(DEAL)
    assert play.offers.terms() == DEAL
    qtbot.mouseClick(play.offers.send_button, Qt.MouseButton.LeftButton)
    qtbot.waitUntil(lambda: play.live.session.ended and not play.busy, timeout=10000)
    assert play.ending.isVisible()
    assert play.ending_title.text() == "Deal signed"
    assert not play.scroll.isVisible() and not play.offers.isVisible()
    assert "Deal signed" in play.transcript.toPlainText()
    assert play.avatar.mood() == "warm"
    qtbot.mouseClick(play.debrief_button, Qt.MouseButton.LeftButton)
    assert window.current == "debrief"


def test_every_turn_is_committed_before_the_reply_is_shown(window, drive):
    play = drive.start(window)
    drive.press(play, "small_talk_drive")
    drive.click(play, "ask_builders")
    sid = play.live.id
    got: list = []
    window.services.run_op(lambda store: store.get(sid), got.append)
    drive.qtbot.waitUntil(lambda: bool(got))
    assert got[0].turn_count == 2 and got[0].status == "unfinished"
    assert play.saved_label.text() == "All turns saved"


def test_a_locked_choice_is_shown_without_its_words_and_does_not_play(window, drive, qtbot):
    play = drive.start(window)
    drive.press(play, "straight_to_numbers")  # straight to the table: nothing heard yet
    button = next(b for b in play.buttons if b.choice.id == "paraphrase_room")
    words = "you want to keep Harlow"
    assert button.isVisible()
    assert button.property("available") is False
    assert words not in button.words and words not in button.accessibleName()
    assert "Not yet" in button.words
    assert button not in play.numbered.values(), "no key plays a locked choice"
    reason = "You haven't heard enough about their situation to paraphrase it."
    assert reason in button.toolTip()
    assert reason in button.accessibleDescription()
    turn = play.live.session.state.turn
    qtbot.mouseClick(button, Qt.MouseButton.LeftButton)
    assert play.live.session.state.turn == turn, "an unavailable choice does not play"
    assert reason in play.notice.text()
    # Every choice carries its number, as the engine and the terminal number them.
    assert [b.number for b in play.buttons] == list(range(1, len(play.buttons) + 1))
    assert [b.choice.id for b in play.buttons] == [c.id for c in play.live.session.choices]


def test_offer_options_the_learner_cannot_make_yet_are_not_listed(window, drive):
    play = drive.start(window)
    drive.press(play, "straight_to_numbers")
    combo = play.offers._combos["term"]
    labels = [combo.itemData(r, Qt.ItemDataRole.UserRole) for r in range(combo.count())]
    assert "3 years" not in labels and labels, "a locked option's words stay hidden"
    # The learner's own value is shown (short, so it fits at large text), and said in full.
    assert combo.itemText(0).endswith(" pts")
    assert "to you" in combo.itemData(0, Qt.ItemDataRole.ToolTipRole)


def test_without_coach_mode_no_header_names_a_kind_of_move(window, drive, qtbot):
    play = drive.start(window)
    drive.press(play, "straight_to_numbers")
    heads = [h for h in play._group_heads.values() if h.isVisible()]
    assert heads == []
    qtbot.mouseClick(play.coach_button, Qt.MouseButton.LeftButton)
    assert [h for h in play._group_heads.values() if h.isVisible()], "coach mode groups them"


def test_a_counter_offer_is_accepted_with_one_button(window, drive, qtbot):
    play = drive.start(window)
    for cid in PATH[:6]:
        drive.click(play, cid)
    play.offers.set_terms(LOWBALL)
    qtbot.mouseClick(play.offers.send_button, Qt.MouseButton.LeftButton)
    qtbot.waitUntil(lambda: not play.busy and play.live.session.state.offers == 1)
    counter = play.live.session.counter_offer
    assert counter is not None
    assert play.offers.counter_box.isVisible()
    assert "counter-offer" in play.transcript.toPlainText()
    qtbot.mouseClick(play.offers.accept_button, Qt.MouseButton.LeftButton)
    qtbot.waitUntil(lambda: play.live.session.ended and not play.busy)
    assert play.live.session.ending.kind == "deal"
    assert play.live.session.state.log[-1]["input"] == {"accept": "counter"}


def test_coach_mode_shows_trust_revealed_interests_and_move_types(window, drive, qtbot):
    play = drive.start(window)
    assert not play.coach.isVisible(), "coach mode is off by default"
    assert not play.buttons[0].shows_move
    qtbot.mouseClick(play.coach_button, Qt.MouseButton.LeftButton)
    assert play.coach.isVisible()
    assert all(b.shows_move for b in play.buttons)
    assert window.services.settings.coach is True
    for cid in PATH[:4]:
        drive.press(play, cid)
    trust = play.live.session.state.vars["trust"]
    assert play.coach.trust.value() == round(trust)
    assert "Rotherham" in play.coach.interests.text()
    assert "trust" in play.transcript.toPlainText()  # per-turn notes in the transcript


def test_a_walk_out_ends_with_its_title_and_the_debrief_button(window, drive, qtbot):
    play = drive.walk_out(window)
    qtbot.waitUntil(lambda: play.live.session.ended)
    assert play.ending_title.text() == play.live.session.ending.title
    assert play.ending.property("role") == "banner-bad"
    assert play.debrief_button.isVisible()


def test_a_turn_the_disk_refuses_is_kept_in_memory_and_said_so(
    window, drive, monkeypatch, tmp_path
):
    from negtrainer.store import rescue
    from negtrainer.store.errors import StoreError

    play = drive.start(window)
    store = window.services.store

    def full(*_a, **_k):
        raise StoreError("Could not save this turn: the disk is full.")

    monkeypatch.setattr(store, "record_turn", full)
    monkeypatch.setattr(rescue, "folders", lambda here=True: [tmp_path])
    drive.press(play, "small_talk_drive")
    assert play.unsaved.isVisible()
    assert "disk is full" in play.unsaved_text.text()
    (copy,) = tmp_path.glob("negtrainer-unsaved-*.json")  # the whole session, on disk
    assert str(copy) in play.unsaved_text.text()
    assert play.live.session.state.turn == 1, "the turn stands; nothing is lost"
    monkeypatch.undo()
    drive.press(play, "ask_builders")
    assert not play.unsaved.isVisible()


def test_leaving_mid_session_keeps_it_and_it_resumes_where_it_stopped(launch, drive, qtbot, tmp_db):
    window = launch()
    play = drive.start(window)
    for cid in PATH[:3]:
        drive.press(play, cid)
    sid = play.live.id
    said = play.live.session.state.log[-1]["said"]
    window.close()  # quitting: every turn is already in the database

    again = launch(tmp_db)
    library = again.library
    qtbot.waitUntil(lambda: library.resume_box.isVisible(), timeout=10000)
    row = library.resume_rows.itemAt(0).widget()
    qtbot.mouseClick(row.button, Qt.MouseButton.LeftButton)
    qtbot.waitUntil(lambda: again.current == "play" and again.play.live is not None)
    resumed = again.play
    assert resumed.live.id == sid
    assert resumed.live.session.state.turn == 3
    assert again.status.currentMessage() == "", "'Opening the session…' outlives the opening"
    # The bar says where sessions go in words; the path is in the tooltip, not on the bar.
    assert again.status_label.text() == "Sessions are saved"
    assert str(tmp_db) in again.status_label.toolTip()
    text = resumed.transcript.toPlainText()
    assert said in text and "Coffee" in text, "the conversation so far is shown"
    drive.press(resumed, "label_nervous")
    assert resumed.live.session.state.turn == 4
