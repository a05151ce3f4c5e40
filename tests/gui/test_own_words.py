"""Saying it in your own words in the window (issue 16): typed lines are understood
offline, played as the matching choice, taken back, or answered with "did you mean"."""

from __future__ import annotations

from PySide6.QtCore import Qt


def type_line(qtbot, play, text: str) -> None:
    play.own.edit.setFocus()
    qtbot.keyClicks(play.own.edit, text)
    qtbot.keyClick(play.own.edit, Qt.Key.Key_Return)


def test_typing_a_line_plays_the_choice_that_says_the_same_and_shows_what_was_heard(
    window, drive, qtbot
):
    play = drive.start(window)
    type_line(qtbot, play, "fine thanks, how was lisbon?")
    drive.wait_turn(play, 1)
    rec = play.live.session.state.log[-1]
    assert rec["input"] == {"choice": "small_talk_drive", "typed": "fine thanks, how was lisbon?"}
    assert play.own.heard.isVisible()
    assert play.own.heard.text().startswith("Heard as: Fine, apart from the roadworks.")
    text = play.transcript.toPlainText()
    assert "fine thanks, how was lisbon?" in text and "Lisbon was lovely" in text


def test_take_it_back_undoes_the_typed_line_within_the_turn(window, drive, qtbot):
    play = drive.start(window)
    type_line(qtbot, play, "fine thanks, how was lisbon?")
    drive.wait_turn(play, 1)
    assert play.own.take_back_button.isVisible()
    qtbot.keyClick(play.own.edit, Qt.Key.Key_Z, Qt.KeyboardModifier.ControlModifier)
    qtbot.waitUntil(lambda: play.live.session.state.turn == 0 and not play.busy, timeout=10000)
    assert "Lisbon was lovely" not in play.transcript.toPlainText()
    assert play.own.question.text().startswith("Taken back")
    sid = play.live.id
    got: list = []
    window.services.run_op(lambda store: store.get(sid), got.append)
    qtbot.waitUntil(lambda: bool(got))
    assert got[0].turn_count == 0, "the turn is gone from the database too"
    # Only the line just understood can be taken back: a chosen line cannot.
    drive.click(play, "first_renewal")
    play.take_back()
    assert play.live.session.state.turn == 1


def test_a_line_the_trainer_is_unsure_of_offers_the_closest_choices(window, drive, qtbot):
    play = drive.start(window)
    drive.click(play, "straight_to_numbers")  # at the table: fourteen things to say
    type_line(qtbot, play, "what are your plans for the line next year")
    qtbot.waitUntil(lambda: bool(play.own.alternatives), timeout=10000)
    assert play.live.session.state.turn == 1, "nothing is played while unsure"
    texts = [b.accessibleName() for b in play.own.alternatives]
    assert 3 <= len(texts) <= 4 and texts[-1].startswith("None of these")
    assert "Before we get to numbers: what would make this a good year for Corvex?" in texts
    b = next(b for b in play.own.alternatives if "good year" in b.accessibleName())
    qtbot.mouseClick(b, Qt.MouseButton.LeftButton)
    drive.wait_turn(play, 2)
    assert play.live.session.state.log[-1]["input"]["choice"] == "ask_year"


def test_a_line_that_fits_no_choice_is_played_as_a_move_of_its_own(window, drive, qtbot):
    play = drive.start(window)
    type_line(qtbot, play, "What keeps your warehouse team busy in winter?")
    drive.wait_turn(play, 1)
    rec = play.live.session.state.log[-1]
    assert rec["input"]["move"] == "open_question" and "choice" not in rec["input"]
    assert rec["said"] == "What keeps your warehouse team busy in winter?"
    assert "Heard as your own open question" in play.own.heard.text()
    assert play.live.session.state.node == "opening", "an unplanned line moves no node"


def test_a_line_of_ones_own_is_answered_and_said_to_be_ones_own(window, drive, qtbot):
    play = drive.start(window)
    type_line(qtbot, play, "What keeps your warehouse team busy in winter?")
    drive.wait_turn(play, 1)
    entries = play.transcript.entries
    assert any("Your own line, not one of the choices" in e.text for e in entries)
    assert entries[-1].kind == "them" and entries[-1].text, "the other side answers"


def test_an_offer_in_words_before_offers_are_open_is_refused_as_the_builder_would(
    window, drive, qtbot
):
    play = drive.start(window)
    assert not play.live.session.can_offer
    type_line(qtbot, play, "How about 12 cents for 9 million trays over 3 years?")
    qtbot.waitUntil(lambda: "not the moment" in play.own.question.text(), timeout=5000)
    assert play.live.session.state.turn == 0, "nothing was played"
    assert play.own.edit.text() == "How about 12 cents for 9 million trays over 3 years?"


def test_keyboard_noise_is_not_played_and_comes_back_to_be_mended(window, drive, qtbot):
    play = drive.start(window)
    type_line(qtbot, play, "asdf qwer zzk?")
    qtbot.waitUntil(lambda: "Say it another way" in play.own.question.text(), timeout=5000)
    assert play.live.session.state.turn == 0, "nothing was played"
    assert play.own.edit.text() == "asdf qwer zzk?" and play.own.edit.hasSelectedText()


def test_practice_mode_own_words_hides_the_choices_until_asked(window, drive, qtbot):
    window.services.settings.set("own_words", True)
    play = drive.start(window)
    assert not play.scroll.isVisible() and play.own.edit.isVisible()
    assert play.show_choices_button.isVisible()
    play.show_choices_button.click()
    assert play.scroll.isVisible()


def test_the_replay_shows_the_words_typed_and_what_they_were_heard_as(qtbot, services, scenario):
    from negtrainer.engine.session import Session
    from negtrainer.gui.replay import ReplayView

    s = Session.start(scenario, seed=0, variant="warm")
    sid = services.store.begin(scenario, Session.start(scenario, seed=0, variant="warm"))
    live = services.store.session_at(sid)
    for item in (
        {"choice": "small_talk_drive", "typed": "how was lisbon?"},
        {"typed": "What keeps your team busy in winter?", "move": "open_question", "topics": []},
    ):
        s.apply(item)
        live.apply(item)
        services.store.record_turn(sid, live)
    view = ReplayView(services)
    qtbot.addWidget(view)
    view.resize(1280, 800)
    view.show()
    with qtbot.waitSignal(view.loaded, timeout=15000):
        view.show_turn(sid, 2)
    text = view.transcript.toPlainText()
    assert "how was lisbon?" in text
    assert "Heard as: Fine, apart from the roadworks." in text
    assert "What keeps your team busy in winter?" in text


def test_an_offer_in_words_fills_the_offer_builder_for_confirmation(window, drive, qtbot):
    play = drive.start(window)
    drive.click(play, "straight_to_numbers")  # at the table, where offers are made
    type_line(qtbot, play, "I could do 38 cents if you take 2.8 million trays")
    qtbot.waitUntil(lambda: play.own.question.text().startswith("Heard as an offer"), timeout=10000)
    assert play.live.session.state.turn == 1, "nothing is offered before the learner confirms"
    terms = play.offers.terms()
    assert terms["price"] == "€0.38" and terms["volume"] == "2.8M trays"
    qtbot.mouseClick(play.offers.send_button, Qt.MouseButton.LeftButton)
    drive.wait_turn(play, 2)
    item = play.live.session.state.log[-1]["input"]
    assert item["offer"]["price"] == "€0.38"
    assert item["typed"] == "I could do 38 cents if you take 2.8 million trays"
    # Confirmed in the builder, answered by them: it cannot be taken back for a free look.
    assert not play.own.take_back_button.isVisible()
    play.take_back()
    assert play.live.session.state.turn == 2 and play.live.session.state.offers == 1


def test_an_offer_in_words_changed_in_the_builder_is_sent_without_those_words(window, drive, qtbot):
    play = drive.start(window)
    drive.click(play, "straight_to_numbers")
    type_line(qtbot, play, "I could do 38 cents if you take 2.8 million trays")
    qtbot.waitUntil(lambda: play.own.question.text().startswith("Heard as an offer"), timeout=10000)
    play.offers.set_terms({"price": "€0.42"})  # the learner thinks again before sending
    qtbot.mouseClick(play.offers.send_button, Qt.MouseButton.LeftButton)
    drive.wait_turn(play, 2)
    item = play.live.session.state.log[-1]["input"]
    assert item["offer"]["price"] == "€0.42" and "typed" not in item


def test_the_practice_mode_setting_is_a_checkbox_in_settings(window, qtbot):
    window.show_page("settings")
    box = window.settings_view.own_words
    assert not box.isChecked() and not window.services.settings.get("own_words")
    box.click()
    assert window.services.settings.get("own_words") is True
    window.services.settings.set("own_words", False)
    assert not box.isChecked(), "the box follows the setting changed elsewhere"
