"""Own words in a session (issue 16): the engine's generic move, the terminal player,
take-back, and the typed words kept through export and import."""

from __future__ import annotations

import io
import json
from pathlib import Path

import pytest

from negtrainer.cli import main
from negtrainer.engine.loader import load_scenario
from negtrainer.engine.session import ChoiceUnavailable, Session
from negtrainer.gui.export import transcript
from negtrainer.store import ImportFileError, Store
from negtrainer.store.recorder import Recorder
from negtrainer.terminal import TerminalPlayer

ROOT = Path(__file__).resolve().parents[2]


@pytest.fixture(scope="module")
def scenario():
    return load_scenario(ROOT / "tests" / "fixtures" / "v1" / "packaging-renewal.yaml")


def test_a_line_of_ones_own_is_played_as_a_move_with_its_context_aware_effect(scenario):
    s = Session.start(scenario, seed=1, variant="warm")
    trust = s.state.vars["trust"]
    step = s.say_own_words("What keeps your team busy in winter?", "open_question", ["plans"])
    assert step.move == "open_question" and step.said == "What keeps your team busy in winter?"
    assert s.state.vars["trust"] > trust, "an open question still warms"
    assert s.state.node == "opening" and s.state.turn == 1
    assert s.inputs == [
        {
            "typed": "What keeps your team busy in winter?",
            "move": "open_question",
            "topics": ["plans"],
        }
    ]
    threat = Session.start(scenario, seed=1, variant="warm")
    threat.say_own_words("Sign or I go elsewhere.", "threat")
    assert threat.state.vars["trust"] < trust
    # Replaying the stored inputs gives the same session.
    again = Session.replay(scenario, 1, "warm", s.inputs)
    assert again.to_json() == s.to_json()
    with pytest.raises(ChoiceUnavailable):
        s.say_own_words("hm", "not_a_move")


def test_a_line_of_ones_own_that_nothing_written_answers_is_met_with_an_acknowledgement():
    """Not silence: a short line by the move's group and the counterpart's mood."""
    sc = load_scenario(ROOT / "scenarios" / "packaging-renewal.yaml")
    s = Session.start(sc, seed=1, variant="warm")
    step = s.say_own_words("Lovely weather for it, isn't it?", "small_talk")
    assert [ln["source"] for ln in step.lines] == ["ack"]
    assert step.lines[0]["id"] == f"ack.rapport.{s.state.mood}" and step.lines[0]["text"]
    pushed = Session.start(sc, seed=1, variant="curt")
    for _ in range(4):
        step = pushed.say_own_words("That's your problem, not mine.", "bare_refusal")
    assert pushed.state.mood in ("guarded", "angry", "tense")
    assert step.lines[0]["id"].startswith("ack.push_back.")
    # A question gets an answer to a question, not a nod.
    asked = Session.start(sc, seed=1, variant="warm")
    step = asked.say_own_words("How was your weekend?", "small_talk")
    assert step.lines[0]["id"].startswith("ack.rapport.") and "Fine" in step.lines[0]["text"]
    # Where an interest answers, that is the reply, and nothing is added.
    s2 = Session.start(sc, seed=1)
    step = s2.say_own_words("What keeps you up at night?", "open_question", ["plans"])
    assert [ln["source"] for ln in step.lines] == ["hint"]


def test_words_understood_as_a_choice_play_it_and_are_kept_with_the_turn(scenario):
    s = Session.start(scenario, seed=1, variant="warm")
    s.say_own_words("how was lisbon?", "", (), {"choice": "small_talk_drive"})
    assert s.state.node == "chat"
    assert s.inputs == [{"choice": "small_talk_drive", "typed": "how was lisbon?"}]
    assert Session.replay(scenario, 1, "warm", s.inputs).to_json() == s.to_json()


SCRIPT = """\
fine thanks, how was lisbon?
undo
Not bad apart from the roadworks. How was Lisbon?
2
is that the new line you mentioned at the fair? How's it going?
proud and a bit nervous, that's a lot riding on it
What would make this a good year for Corvex?
How do payment terms work for you?
where do you see us in three years?
What keeps your warehouse team busy in winter?
I could do 38 cents if you take 2.8 million trays, 30 days, three years.
y
"""


def test_a_terminal_script_mixing_numbers_and_typed_lines_plays_to_an_ending(scenario):
    store = Store.memory()
    session = Session.start(scenario, seed=1, variant="warm")
    rec = Recorder.start(store, scenario, session, "Ana")
    out = io.StringIO()
    code = TerminalPlayer(session, out=out, driver=rec, show_briefs=False).run(SCRIPT.splitlines())
    text = out.getvalue()
    assert code == 0 and session.ended, text
    assert session.ending.kind == "deal"
    assert "Heard as: Fine, apart from the roadworks." in text
    assert "Taken back." in text
    assert "heard as your own open question" in text
    assert "Heard as an offer: Unit price: €0.38, Yearly volume: 2.8M trays" in text
    typed = [i for i in session.inputs if "typed" in i]
    assert len(typed) == 8 and session.inputs[1] == {"choice": "thank_rush_order"}
    assert store.get(rec.session_id).turn_count == session.state.turn
    assert store.verify(rec.session_id) == []


def test_a_typed_paraphrase_of_nothing_they_said_reaches_no_interest_by_its_topic_word():
    # An outside tester's empty "So what I'm hearing is that this year has been hard"
    # hinted, then revealed, the interest that listens for the topic "year".
    from negtrainer.paths import builtin_scenarios_dir
    from negtrainer.understand import bridge

    sc = load_scenario(builtin_scenarios_dir() / "packaging-renewal.yaml")
    s = Session.start(sc, seed=1, variant="warm")
    empty = bridge.understand_in(s, "So what I'm hearing is that this year has been hard.")
    assert empty.move == "paraphrase" and empty.topics == ()
    said = s.state.lines[0]["text"]  # "Come in, come in. Coffee's fresh. ..."
    assert "Coffee" in said
    echo = bridge.understand_in(s, "So the coffee's fresh, and this year has been hard.")
    assert echo.move == "paraphrase" and "year" in echo.topics
    asked = bridge.understand_in(s, "How has this year been for you?")
    assert "year" in asked.topics, "a question need not echo anything"


def test_an_offer_in_words_answered_by_the_counterpart_cannot_be_taken_back(scenario):
    # Its terms were read back and confirmed: an offer tried, answered and undone would
    # be a free look at their hand (an outside tester's finding).
    session = Session.start(scenario, seed=1, variant="warm")
    script = [
        "small_talk_drive",
        "ask_builders",
        "label_nervous",
        "paraphrase_room",
        "We could do 36 cents, 2.8 million trays, 60 days, 3 years.",
        "y",
        "undo",
    ]
    out = io.StringIO()
    TerminalPlayer(session, out=out, show_briefs=False).run(script)
    text = out.getvalue()
    assert session.state.offers == 1 and "Taken back." not in text
    assert "undo: take it back" not in text.split("Heard as an offer")[-1]


def test_typed_words_survive_export_and_import_and_show_in_the_replay_transcript(
    scenario, tmp_path
):
    store = Store.memory()
    s = Session.start(scenario, seed=3, variant="warm")
    rec = Recorder.start(store, scenario, s, "Ana")
    rec.apply({"choice": "small_talk_drive", "typed": "how was lisbon?"})
    rec.apply({"typed": "What keeps you busy in winter?", "move": "open_question", "topics": []})
    store.export([rec.session_id], tmp_path / "x.json")
    fresh = Store.memory()
    report = fresh.import_file(tmp_path / "x.json")
    assert report.added == [rec.session_id]
    back = fresh.session_at(rec.session_id)
    assert back.inputs == s.inputs
    turns = transcript(back)
    assert turns[1].typed == "how was lisbon?" and turns[1].said.startswith("Fine, apart")
    assert turns[2].typed == turns[2].said == "What keeps you busy in winter?"


def test_an_import_with_a_typed_input_of_the_wrong_shape_is_refused(scenario, tmp_path):
    store = Store.memory()
    s = Session.start(scenario, seed=3, variant="warm")
    rec = Recorder.start(store, scenario, s, "Ana")
    rec.apply({"typed": "Hello there", "move": "small_talk", "topics": []})
    store.export([rec.session_id], tmp_path / "x.json")
    doc = json.loads((tmp_path / "x.json").read_text())
    doc["sessions"][0]["turns"][1]["record"]["input"]["move"] = None
    (tmp_path / "x.json").write_text(json.dumps(doc))
    with pytest.raises(ImportFileError, match="turn 1 has an input the engine does not know"):
        Store.memory().import_file(tmp_path / "x.json")


def test_taking_a_turn_back_removes_it_from_memory_and_the_database(scenario):
    store = Store.memory()
    s = Session.start(scenario, seed=1, variant="warm")
    rec = Recorder.start(store, scenario, s, "Ana")
    rec.apply({"choice": "first_renewal", "typed": "my first renewal, be gentle"})
    before = s.to_json()
    rec.apply({"choice": "ask_builders", "typed": "how's the new line coming along?"})
    rec.take_back()
    assert s.to_json() == before
    assert store.get(rec.session_id).turn_count == 1
    rec.apply({"choice": "thank_rush_order"})
    assert store.verify(rec.session_id) == []


def test_negtrainer_understand_prints_one_json_object_per_line(capsys, monkeypatch):
    monkeypatch.setattr("sys.stdin", io.StringIO("How do payment terms land for you?\n\nno.\n"))
    assert main(["understand", "--scenario", "packaging-renewal", "--node", "table"]) == 0
    rows = [json.loads(x) for x in capsys.readouterr().out.splitlines()]
    assert [r["choice"] for r in rows] == ["ask_payment", "refuse_increase"]
    assert rows[0]["move"] == "open_question" and 0 <= rows[0]["confidence"] <= 1
    monkeypatch.setattr("sys.stdin", io.StringIO("Thanks for your time.\n"))
    assert main(["understand"]) == 0
    row = json.loads(capsys.readouterr().out)
    assert row["move"] == "appreciation" and "choice" not in row
    assert main(["understand", "--scenario", "packaging-renewal", "--node", "nowhere"]) == 1
