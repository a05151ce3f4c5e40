"""What the play page does to show a turn quickly (issue 13, speed of a turn): it lays
the turn out in one go, measures wrapped words once, shows the coach panel as plain
text, and builds the offer lists and choice buttons when a session starts, not
during its turns. Speed itself is measured in bench/bench_gui.py."""

from __future__ import annotations

from guiplay import PATH
from PySide6.QtCore import QCoreApplication, QEvent, Qt
from PySide6.QtGui import QFont
from PySide6.QtWidgets import QWidget
from test_hostile_text import HOSTILE, hostile_scenario_text

from negtrainer.gui.widgets import ColouredLines, WrapLabel


def _geometries(root: QWidget) -> dict[int, tuple]:
    return {
        id(w): (type(w).__name__, w.objectName(), w.geometry().getRect(), w.isVisible())
        for w in root.findChildren(QWidget)
    }


def test_a_turn_is_laid_out_in_full_before_the_window_paints_it(window, drive):
    window.resize(1280, 800)
    play = drive.start(window)
    play.coach_button.setChecked(True)
    for cid in PATH[:2]:
        drive.press(play, cid)
    turn = play.live.session.state.turn
    play.choose(PATH[2])  # the reply is shown before this returns
    shown = _geometries(play)
    # What the event loop would still lay out before painting: nothing may move.
    for _ in range(6):
        QCoreApplication.sendPostedEvents(None, QEvent.Type.LayoutRequest.value)
    assert _geometries(play) == shown
    drive.wait_turn(play, turn + 1)


def test_the_coach_panel_shows_a_scenarios_markup_as_typed(launch, scratch_places, drive):
    (scratch_places / "hostile.yaml").write_text(hostile_scenario_text(), encoding="utf-8")
    window = launch()
    variant = next(iter(window.services.scenario("hostile").spec.counterpart.variants))
    play = drive.start(window, "hostile", variant)
    play.coach_button.setChecked(True)
    for cid in PATH[:4]:
        drive.press(play, cid)
    coach = play.coach
    assert play.live.session.state.revealed, "an interest has been told"
    assert HOSTILE in coach.interests.text()
    assert coach.interests.accessibleDescription() == coach.interests.text()
    assert "✔ " in coach.interests.text()
    for label in (coach.mood, coach.mood_text, coach.last):
        assert label.textFormat() == Qt.TextFormat.PlainText
    assert coach.mood.text() == f"Mood: {play.live.session.mood}"


def test_the_offer_lists_are_ready_at_the_start_and_kept_for_the_next_session(window, drive):
    play = drive.start(window)
    combos = dict(play.offers._combos)
    assert combos, "the lists are built before the first turn that allows offers"
    first = next(iter(combos.values()))
    first.setCurrentIndex(first.count() - 1)
    play = drive.start(window)
    assert play.offers._combos == combos  # the same widgets, refilled
    assert first.currentIndex() == 0  # the last session's pick is forgotten


def test_a_new_session_has_choice_buttons_ready_but_shows_only_its_choices(window, drive):
    play = drive.start(window)
    flat = play._sections[""]
    assert len(flat.pool) >= 6
    shown = [b for b in flat.pool if b.isVisible()]
    assert shown == play.buttons
    assert len(shown) == len(play.live.session.choices)
    assert set(play.numbered.values()) <= set(shown)


def test_a_choice_is_one_widget_that_draws_its_number_words_and_move_type(qtbot, qapp):
    # Four labels and two layouts in each choice were most of a turn's layout and
    # painting: the button lays its parts out and draws them itself.
    from types import SimpleNamespace

    from negtrainer.gui import theme
    from negtrainer.gui.play import ChoiceButton

    words = "<b>Not bold</b> and enough words to need a second line in a narrow choice."
    choice = SimpleNamespace(id="a", text=words, move="open_question", available=True, reason="")
    heights = []
    try:
        for size in (100, 150, 200):
            theme.apply(qapp, "light", size)
            button = ChoiceButton(choice, 3, coach=True)
            qtbot.addWidget(button)
            button.resize(300, 40)
            button.show()
            assert button.findChildren(QWidget) == []
            assert (button.badge_text, button.words, button.move_words) == (
                "3",
                words,
                "Open question",
            )
            needed, parts = button.layout_for(button.width())
            assert button.width() == 300 and button.height() == needed
            assert parts["badge"].right() < parts["words"].left()
            assert parts["words"].bottom() < parts["move"].top()
            assert parts["move"].bottom() < needed
            assert all(r.right() < button.width() for r in parts.values())
            heights.append(needed)
            drawn = button.grab().toImage()
            other = SimpleNamespace(**{**vars(choice), "text": "Other words entirely."})
            button.set_choice(other, 3, True)
            assert button.grab().toImage() != drawn, "the words are drawn"
    finally:
        theme.apply(qapp, "light", 100)
    assert heights == sorted(set(heights)), "larger text, taller choice"


def test_a_wrapped_label_measures_again_for_new_words_and_a_new_font(qtbot):
    label = WrapLabel("Short.")
    qtbot.addWidget(label)
    short = label.heightForWidth(120)
    assert label.heightForWidth(120) == short
    label.setText("Many more words than one line of a narrow label can hold, by far.")
    longer = label.heightForWidth(120)
    assert longer > short
    font = QFont(label.font())
    font.setPointSizeF(font.pointSizeF() * 2)
    label.setFont(font)
    assert label.heightForWidth(120) > longer
    label.setText("<b>bold?</b>")
    assert label.textFormat() == Qt.TextFormat.PlainText


def test_coloured_lines_wrap_to_the_width_and_show_markup_as_typed(qtbot):
    lines = ColouredLines()
    qtbot.addWidget(lines)
    lines.set_lines([(("✔ ", "success"), ("<b>Cash</b> is tight ", ""), ("(turn 3)", "muted"))])
    assert lines.text() == "✔ <b>Cash</b> is tight (turn 3)"
    one = lines.heightForWidth(1000)
    assert lines.heightForWidth(60) > one > 0
    lines.set_lines([(("one", ""),), (("two", ""),)])
    assert lines.text() == "one\ntwo"
    assert lines.heightForWidth(1000) > one


def test_the_left_column_never_reaches_past_its_edge_at_large_text(window, drive, qtbot):
    # Headings that did not wrap made the column's content wider than the column,
    # and the scroll area cut the cards and the coach's words off on the right.
    window.resize(1280, 800)
    play = drive.start(window)
    play.coach_button.setChecked(True)
    drive.press(play, PATH[0])
    for size in (100, 150):
        window.services.settings.set("text_size", size)
        qtbot.waitUntil(
            lambda: play.left_box.width() <= play.left_scroll.viewport().width(), timeout=5000
        )
        assert play.name.width() <= play.left_scroll.viewport().width()


def test_every_face_of_the_counterpart_is_drawn_when_the_session_starts(window, drive):
    from negtrainer.engine.look import MOODS

    window.resize(1280, 800)
    play = drive.start(window)
    avatar = play.avatar
    assert all(avatar._key(mood) in avatar._pixmaps for mood in MOODS)


def test_what_the_window_shows_after_turns_is_what_it_would_draw_afresh(window, drive, qtbot):
    # Turns repaint only what changed (the conversation's new lines, what moved in the
    # left column): nothing stale may stay on the screen.
    from PySide6.QtWidgets import QApplication

    window.resize(1280, 800)
    play = drive.start(window)
    play.coach_button.setChecked(True)
    for cid in PATH[:6]:
        drive.press(play, cid)
        qtbot.wait(50)  # let the window paint the turn
    on_screen = QApplication.primaryScreen().grabWindow(window.winId()).toImage()
    afresh = window.grab().toImage().convertToFormat(on_screen.format())
    assert on_screen.size() == afresh.size()
    assert on_screen == afresh


def test_a_wrapped_label_needs_the_width_of_its_longest_word_and_one_line(qtbot):
    label = WrapLabel("a few words and one unbreakable-compound-word")
    qtbot.addWidget(label)
    fm = label.fontMetrics()
    least = label.minimumSizeHint()
    assert least.width() >= fm.horizontalAdvance("unbreakable-compound-word")
    assert least.height() >= fm.height()
    label.setText("short")
    assert label.minimumSizeHint().width() < least.width()
    hint = label.sizeHint()
    assert hint.width() >= label.minimumSizeHint().width()
    assert hint.height() >= fm.height()


def test_a_choice_with_a_word_too_long_for_its_column_breaks_it_and_stays_inside(qtbot, qapp):
    # A web address in a learner-written scenario once widened the whole choice list
    # past its column and cut every choice's right side off.
    from types import SimpleNamespace

    from negtrainer.gui.play import ChoiceButton

    long_word = "https://example.org/" + "very-long-path-segment" * 8
    choice = SimpleNamespace(
        id="a", text=f"See {long_word} first.", move="argument", available=True, reason=""
    )
    button = ChoiceButton(choice, 1, coach=False)
    qtbot.addWidget(button)
    one_line = ChoiceButton(
        SimpleNamespace(**{**vars(choice), "text": "See it first."}), 1, coach=False
    )
    qtbot.addWidget(one_line)
    assert button.minimumSizeHint().width() <= 300, "the list may stay as narrow as its column"
    button.resize(300, 40)
    button.show()
    needed, parts = button.layout_for(300)
    assert parts["words"].right() < 300
    assert needed > 2 * one_line.layout_for(300)[0], "the long word wraps onto more lines"


def test_enter_says_the_focused_choice_as_space_does(window, drive, qtbot):
    play = drive.start(window)
    turn = play.live.session.state.turn
    button = next(b for b in play.buttons if b.available)
    button.setFocus()
    qtbot.keyClick(button, Qt.Key.Key_Return)
    drive.wait_turn(play, turn + 1)


def test_a_locked_choice_tells_a_screen_reader_it_is_locked_and_why(qtbot):
    from types import SimpleNamespace

    from negtrainer.gui.play import ChoiceButton

    locked = SimpleNamespace(
        id="b", text="", move="promise", available=False, reason="Say what you can promise first."
    )
    button = ChoiceButton(locked, 2, coach=False)
    qtbot.addWidget(button)
    assert button.accessibleName() == "2. Locked: Say what you can promise first."
    assert "Say what you can promise first." in button.toolTip()


def test_a_choice_frame_is_drawn_afresh_for_a_new_state_and_a_new_theme(qtbot, qapp):
    # The frame is kept per size and state (drawing its rounded border was a third of
    # drawing a choice): focus, availability and the theme must still show.
    from types import SimpleNamespace

    from PySide6.QtWidgets import QLineEdit, QVBoxLayout, QWidget

    from negtrainer.gui import theme
    from negtrainer.gui.play import ChoiceButton

    theme.apply(qapp, "light", 100)  # the style sheet draws the frames
    choice = SimpleNamespace(id="a", text="Words.", move="argument", available=True, reason="")
    holder = QWidget()
    qtbot.addWidget(holder)
    lay = QVBoxLayout(holder)
    other = QLineEdit()
    button = ChoiceButton(choice, 1, coach=False)
    lay.addWidget(other)
    lay.addWidget(button)
    holder.resize(300, 120)
    holder.show()
    qtbot.waitExposed(holder)
    other.setFocus()
    qtbot.waitUntil(other.hasFocus)
    plain = button.grab().toImage()
    assert button.grab().toImage() == plain, "the kept frame draws the same picture"
    button.setFocus()
    qtbot.waitUntil(button.hasFocus)
    assert button.grab().toImage() != plain, "the focus frame shows"
    other.setFocus()
    qtbot.waitUntil(other.hasFocus)
    assert button.grab().toImage() == plain
    locked = SimpleNamespace(**{**vars(choice), "available": False, "reason": "Ask first."})
    button.set_choice(locked, 1, False)
    assert button.grab().toImage() != plain, "a locked choice has its own frame"
    button.set_choice(choice, 1, False)
    try:
        theme.apply(qapp, "dark", 100)
        qapp.processEvents()
        assert button.grab().toImage() != plain, "a new theme draws new frames"
    finally:
        theme.apply(qapp, "light", 100)


def test_a_reused_choice_button_tells_a_screen_reader_about_its_new_choice(qtbot):
    # Its name, tooltip and description are set only when they change: each must
    # still follow the choice shown, its number and coach mode.
    from types import SimpleNamespace

    from negtrainer.gui.play import ChoiceButton

    first = SimpleNamespace(id="a", text="Hello.", move="small_talk", available=True, reason="")
    button = ChoiceButton(first, 1, coach=False)
    qtbot.addWidget(button)
    assert (button.accessibleName(), button.toolTip(), button.accessibleDescription()) == (
        "1. Hello.",
        "Press 1 to say this",
        "",
    )
    button.set_coach(True)
    assert button.accessibleDescription() == "Small talk"
    locked = SimpleNamespace(id="b", text="", move="argument", available=False, reason="Ask.")
    button.set_choice(locked, 2, True)
    assert button.accessibleName() == "2. Locked: Ask."
    assert "Not available: Ask." in button.toolTip()
    assert button.accessibleDescription() == "Unavailable: Ask."
    button.set_choice(first, 12, False)
    assert (button.accessibleName(), button.toolTip(), button.accessibleDescription()) == (
        "12. Hello.",
        "",
        "",
    )


def test_the_program_hands_the_interpreter_between_its_threads_often():
    # The store's thread commits a turn while the window shows it; Python's default
    # 5 ms switch interval let it hold the window up that long at each hand-over.
    import sys

    from negtrainer.gui import app as gui_app

    before = sys.getswitchinterval()
    try:
        sys.setswitchinterval(0.005)
        gui_app.create_app(["negtrainer"])
        assert sys.getswitchinterval() == gui_app.SWITCH_INTERVAL <= 0.001
    finally:
        sys.setswitchinterval(before)
