"""The terminal player: offers as the README writes them, and the debrief right after a deal."""

from __future__ import annotations

import io
from pathlib import Path

import pytest

from negtrainer.engine.loader import load_scenario
from negtrainer.engine.session import Session
from negtrainer.terminal import BadInput, TerminalPlayer, parse_input

FIXTURE = Path(__file__).resolve().parent / "fixtures" / "v1" / "packaging-renewal.yaml"


@pytest.fixture(scope="module")
def scenario():
    return load_scenario(FIXTURE)


def test_an_offer_naming_some_issues_keeps_the_rest_of_their_standing_counter(scenario):
    s = Session.start(scenario, seed=1, variant="warm")
    s.choose("straight_to_numbers")
    s.apply(parse_input("offer price=1 volume=1 payment=1 term=1", s))
    standing = s.counter_offer
    assert standing is not None
    item = parse_input("offer price=€0.38 volume=2", s)  # the README's example
    assert item == {
        "offer": {
            "price": "€0.38",
            "volume": "2.4M trays",
            "payment": standing["payment"],
            "term": standing["term"],
        }
    }


def test_an_offer_leaving_issues_out_with_no_counter_says_which_are_missing(scenario):
    s = Session.start(scenario, seed=1, variant="warm")
    s.choose("straight_to_numbers")
    with pytest.raises(
        BadInput,
        match=r"add payment, term \(e\.g\. offer price=1 volume=1 "
        r"payment=1 term=1\)",
    ):
        parse_input("offer price=€0.38 volume=2", s)


def test_after_accept_the_debrief_follows_without_reading_another_line(scenario):
    s = Session.start(scenario, seed=1, variant="warm")
    read: list[str] = []

    def typed():
        for line in (
            "straight_to_numbers",
            "offer price=1 volume=1 payment=1 term=1",
            "offer price=€0.38 volume=2",
            "accept",
            "one line too many",
        ):
            read.append(line)
            yield line

    out = io.StringIO()
    assert TerminalPlayer(s, out=out, show_briefs=False).run(typed(), interactive=True) == 0
    assert s.ended and s.ending.kind == "deal"
    assert read[-1] == "accept"  # the prompt after the deal never came
    assert "What this session teaches" in out.getvalue()


def test_help_lists_what_one_can_type_and_takes_no_turn(scenario):
    s = Session.start(scenario, seed=1, variant="warm")
    out = io.StringIO()
    TerminalPlayer(s, out=out, show_briefs=False).run(iter(["help", "?", "quit"]), interactive=True)
    assert out.getvalue().count("You can type:") == 2 and "accept" in out.getvalue()
    assert s.state.turn == 0 and not s.ended
