"""The format 2 choice screen in the window: no answer key on screen.

A format 2 scenario (tests/fixtures/v2/mini.yaml, put in the learner's own
scenarios folder) shows its choices in the seed's order, numbered as the engine
numbers them, without technique headers unless coach mode is on, and a locked
choice without its words.
"""

from __future__ import annotations

import shutil
from pathlib import Path

import pytest
from PySide6.QtCore import Qt

MINI = Path(__file__).resolve().parents[1] / "fixtures" / "v2" / "mini.yaml"


@pytest.fixture
def mini_window(launch, scratch_places):
    shutil.copy(MINI, scratch_places / "mini.yaml")
    return launch()


def test_choices_come_in_the_seeds_order_numbered_as_the_engine_numbers_them(mini_window, drive):
    play = drive.start(mini_window, "mini-v2", "open")
    session = play.live.session
    assert [b.choice.id for b in play.buttons] == [c.id for c in session.choices]
    assert [b.number for b in play.buttons] == list(range(1, len(play.buttons) + 1))
    written = [c.id or "" for c in session.scenario.spec.nodes["talk"].choices]
    shown = [b.choice.id for b in play.buttons]
    assert shown != [w for w in written if w in shown], "never the order written"


def test_no_header_says_what_kind_of_move_a_line_is_unless_coach_mode_is_on(
    mini_window, drive, qtbot
):
    play = drive.start(mini_window, "mini-v2", "open")
    assert not [h for h in play._group_heads.values() if h.isVisible()]
    assert not any(b.shows_move for b in play.buttons)
    qtbot.mouseClick(play.coach_button, Qt.MouseButton.LeftButton)
    assert [h for h in play._group_heads.values() if h.isVisible()]


def test_a_locked_choice_shows_why_but_not_its_words(mini_window, drive):
    play = drive.start(mini_window, "mini-v2", "open")
    keep = next(b for b in play.buttons if b.choice.id == "keep")
    assert "Here's the forecast" not in keep.words
    assert keep.words.startswith("(Not yet")
    assert keep not in play.numbered.values()


def test_pressing_1_plays_the_first_choice_shown(mini_window, drive):
    play = drive.start(mini_window, "mini-v2", "open")
    first = next(b for b in play.buttons if b.available)
    n = next(k for k, b in play.numbered.items() if b is first)
    drive.press(play, first.choice.id)
    assert play.live.session.state.log[-1]["input"] == {"choice": first.choice.id}
    assert n == play.buttons.index(first) + 1
