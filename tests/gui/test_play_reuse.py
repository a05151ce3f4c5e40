"""The choice buttons are kept from turn to turn and given new words (building them
was most of a turn's time): what is on screen, under the keyboard and in a tooltip
must still be this turn's choices, never the last turn's."""

from __future__ import annotations

import pytest
from guiplay import PATH
from PySide6.QtCore import QPoint, Qt
from PySide6.QtWidgets import QApplication, QToolTip

from negtrainer.gui import theme
from negtrainer.gui.play import ChoiceButton


def _pooled(play) -> list[ChoiceButton]:
    return [b for section in play._sections.values() for b in section.pool]


def _assert_shows_the_engines_choices(play) -> None:
    choices = play.live.session.choices
    shown = sorted(play.buttons, key=lambda b: b.number)
    assert [b.number for b in shown] == list(range(1, len(choices) + 1))
    for button, choice in zip(shown, choices, strict=True):
        assert button.choice == choice
        assert button.isVisible()
        assert button.property("available") is bool(choice.available)
        assert button.badge_text == str(button.number)
        if choice.available:
            assert button.accessibleName() == f"{button.number}. {choice.text}"
        else:  # its words are hidden: a screen reader hears that it is locked, and why
            assert button.accessibleName() == f"{button.number}. Locked: {choice.reason}"
        if choice.available:
            assert button.words == choice.text
            key = f"Press {button.number} to say this" if button.number <= 9 else ""
            assert button.toolTip() == key
        else:
            assert choice.reason in button.toolTip()
            assert button not in play.numbered.values()


def _tab_cycle(play) -> list[ChoiceButton]:
    """The choice buttons Tab reaches, going once round the window from the first."""
    first = play.buttons[0]
    first.setFocus()
    reached = [first]
    for _ in range(300):
        QApplication.focusWidget().focusNextChild()
        QApplication.processEvents()
        w = QApplication.focusWidget()
        if w is first:
            break
        if isinstance(w, ChoiceButton):
            reached.append(w)
    return reached


def test_after_a_turn_with_fewer_choices_the_buttons_left_over_are_hidden_and_out_of_reach(
    window, drive, qtbot
):
    play = drive.start(window)
    assert len(play.buttons) == 4
    drive.press(play, "small_talk_drive")
    drive.press(play, "thank_rush_order")
    assert len(play.live.session.choices) == 2
    _assert_shows_the_engines_choices(play)
    left_over = [b for b in _pooled(play) if b not in play.buttons]
    assert len(left_over) >= 2, "the first turn's buttons are kept, not deleted"
    assert not any(b.isVisible() for b in left_over)
    # Tab reaches this turn's two choices and nothing the last turns showed.
    assert sorted(_tab_cycle(play), key=lambda b: b.number) == sorted(
        play.buttons, key=lambda b: b.number
    )
    # Neither does a number key for a choice that is gone.
    turn = play.live.session.state.turn
    qtbot.keyClick(play.buttons[0], Qt.Key.Key_3)
    qtbot.keyClick(play.buttons[0], Qt.Key.Key_4)
    assert play.live.session.state.turn == turn and not play.busy


def test_reused_buttons_follow_the_engine_through_locked_choices_and_coach_groups(
    window, drive, qtbot
):
    play = drive.start(window)
    for n, cid in enumerate(PATH[:8]):
        if n == 4:  # half the way grouped by kind, with headings between the pools
            qtbot.mouseClick(play.coach_button, Qt.MouseButton.LeftButton)
        drive.press(play, cid)
        _assert_shows_the_engines_choices(play)
        visible = [b for b in _pooled(play) if b.isVisible()]
        assert sorted(visible, key=id) == sorted(play.buttons, key=id)
    assert any(not c.available for c in play.live.session.choices), "a locked one was shown"


def test_a_tooltip_does_not_outlive_the_list_it_belonged_to(window, drive, qtbot):
    play = drive.start(window)
    button = play.buttons[1]
    button.setFocus()  # where the turn leaves it: no focus change hides the tip for us
    drive.press(play, "small_talk_drive")
    button = play.numbered[1]
    assert button.hasFocus()
    QToolTip.showText(button.mapToGlobal(QPoint(20, 10)), button.toolTip(), button)
    qtbot.waitUntil(QToolTip.isVisible)
    # The turn is played without touching mouse or keyboard (as when the reply arrives
    # while the pointer rests on a choice): the list changes under the tip.
    turn = play.live.session.state.turn
    play.choose("thank_rush_order")
    drive.wait_turn(play, turn + 1)
    qtbot.waitUntil(lambda: not QToolTip.isVisible(), timeout=3000)


@pytest.fixture
def large_text(qapp):
    theme.apply(qapp, "light", 150)
    yield
    theme.apply(qapp, "light", 100)


def test_at_large_text_a_reused_button_gives_its_new_words_their_full_height(
    large_text, window, drive, qtbot
):
    window.resize(1280, 800)
    play = drive.start(window)
    qtbot.mouseClick(play.coach_button, Qt.MouseButton.LeftButton)

    def words_fit() -> bool:
        for b in play.buttons:
            needed, parts = b.layout_for(b.width())
            if b.height() < needed:
                return False
            if b.shows_move and parts["move"].top() <= parts["words"].bottom():
                return False  # the move type drawn over the words
        return True

    for cid in PATH[:7]:
        drive.press(play, cid)
        qtbot.waitUntil(words_fit, timeout=3000)


def test_the_conversation_keeps_its_place_from_turn_to_turn(window, drive, qtbot):
    # The left column took the width of its words, so every turn moved the
    # conversation sideways and wrapped it again.
    window.resize(1280, 800)
    play = drive.start(window)
    qtbot.mouseClick(play.coach_button, Qt.MouseButton.LeftButton)
    places = set()
    for cid in PATH[:7]:
        drive.press(play, cid)
        QApplication.processEvents()
        places.add((play.transcript.x(), play.transcript.width(), play.left_scroll.width()))
    assert len(places) == 1


def test_the_coach_panel_turned_on_mid_session_shows_the_state_of_now(window, drive, qtbot):
    # While coach mode is off the panel is not kept up to date; turning it on must
    # not show the state of the turn it was last updated on.
    play = drive.start(window)
    for cid in PATH[:4]:
        drive.press(play, cid)
    qtbot.mouseClick(play.coach_button, Qt.MouseButton.LeftButton)
    trust = play.live.session.state.vars["trust"]
    assert play.coach.trust.value() == round(trust)
    assert play.coach.trust_label.text() == f"Trust  {trust:.0f}"
    assert play.coach.trust.accessibleDescription() == f"{trust:.0f} of 100"
    assert "Rotherham" in play.coach.interests.text()
    drive.press(play, PATH[4])
    trust = play.live.session.state.vars["trust"]
    assert play.coach.trust.value() == round(trust)
    assert play.coach.trust.accessibleDescription() == f"{trust:.0f} of 100"


def test_the_remembered_faces_are_those_of_the_mood_now(qtbot):
    from negtrainer.gui.play import CachedAvatar

    def face(mood: str, widget: CachedAvatar | None = None):
        w = widget or CachedAvatar()
        if widget is None:
            qtbot.addWidget(w)
            w.resize(200, 160)
            w.set_look({"hair": "bob"})
        w.set_mood(mood)
        return w.grab().toImage()

    kept = CachedAvatar()
    qtbot.addWidget(kept)
    kept.resize(200, 160)
    kept.set_look({"hair": "bob"})
    warm = face("warm", kept)
    angry = face("angry", kept)
    assert warm != angry
    assert face("warm", kept) == face("warm") == warm
    assert face("angry", kept) == face("angry")
