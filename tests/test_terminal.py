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


def test_the_debrief_heading_counts_the_takeaways_it_shows():
    from negtrainer.engine.takeaways import heading
    from negtrainer.report import debrief_text

    mini = load_scenario(Path(__file__).parent / "fixtures" / "v2" / "mini.yaml")
    said = "precise_cash precise_cash label ask_cash closed_cash chat precise_cash ask_cash chat"
    said += " para_wrong argue tell_walkaway closed_cash sum ask_cash sum promise closed_cash"
    s = Session.start(mini, seed=0, variant="open")
    for cid in said.split() + ["ask_cash", "chat"]:
        s.choose(cid)
    assert s.ended
    d = TerminalPlayer(s, show_briefs=False).debrief()
    # Two: the misread paraphrase, and the walk-away it told them.
    assert [t["kind"] for t in d.takeaways] == ["misread", "walkaway"]
    text = debrief_text(d)
    assert "Two things to take away" in text and "Three things" not in text
    assert heading(1) == "One thing to take away" and heading(3).startswith("Three things")
