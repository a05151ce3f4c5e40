"""The machine interface (play --jsonl) and `negtrainer upgrade`, driven as an outsider would."""

import json
from pathlib import Path

from clirun import negtrainer

ROOT = Path(__file__).resolve().parents[1]
V1 = ROOT / "tests" / "fixtures" / "v1" / "packaging-renewal.yaml"
MINI = ROOT / "tests" / "fixtures" / "v2" / "mini.yaml"


def run(*args, stdin=""):
    return negtrainer(*args, stdin=stdin)


def play_mini(stdin, *options, seed="1"):
    """The mini scenario played over --jsonl, nothing saved."""
    return run("play", str(MINI), "--seed", seed, *options, "--no-save", "--jsonl", stdin=stdin)


def objects(out):
    return [json.loads(line) for line in out.splitlines() if line.strip()]


def test_jsonl_prints_one_object_per_step_and_plays_to_an_ending():
    offer = '{"offer": {"price": "high", "payment": "Monthly", "pilot": "Full"}}'
    inputs = ["1", '{"choice": 1}', offer, "accept"]
    r = play_mini("\n".join(inputs) + "\n", "--variant", "open", seed="2")
    assert r.returncode == 0, r.stderr
    objs = objects(r.stdout)
    assert objs[0]["turn"] == 0 and objs[0]["lines"][0]["id"] == "talk.say"
    assert all({"lines", "choices", "counter", "ending"} <= o.keys() for o in objs)
    first = objs[0]["choices"][0]
    assert objs[1]["you_said"].startswith(first["text"][:12])
    assert objs[-1]["ending"] is not None and objs[-1]["ending"]["kind"] == "deal", objs[-1]


def test_jsonl_hides_hidden_state_and_move_types_unless_coach_is_asked_for():
    plain = objects(play_mini("1\n").stdout)
    assert "coach" not in plain[-1] and all("move" not in c for c in plain[-1]["choices"])
    coach = objects(play_mini("1\n", "--coach").stdout)
    assert "trust" in coach[-1]["coach"] and all("move" in c for c in coach[-1]["choices"])


def test_jsonl_answers_bad_input_with_an_error_and_carries_on():
    r = play_mini('{"choice": 99}\n{not json\nnonsense words\nchat\n')
    objs = objects(r.stdout)
    assert r.returncode == 0
    assert [bool(o.get("error")) for o in objs[1:4]] == [True, True, True]
    assert objs[4]["turn"] == 1


def test_jsonl_never_shows_the_words_of_a_locked_choice():
    objs = objects(play_mini("").stdout)
    locked = [c for c in objs[0]["choices"] if not c["available"]]
    assert locked and all(c["text"] == "" and c["why_not"] for c in locked)


def test_upgrade_writes_a_format_2_file_that_loads_and_keeps_the_original(tmp_path):
    src = tmp_path / "old.yaml"
    src.write_text(V1.read_text())
    r = run("upgrade", str(src))
    assert r.returncode == 0, r.stderr
    new = tmp_path / "old.v2.yaml"
    assert "format: 2" in new.read_text() and "walkaway:" in new.read_text()
    assert src.read_text() == V1.read_text()
    assert run("check", str(new), "--seeds", "2").returncode == 0


def test_upgrade_refuses_a_broken_file_with_the_reason(tmp_path):
    bad = tmp_path / "bad.yaml"
    bad.write_text("format: 1\nid: x\n")
    r = run("upgrade", str(bad))
    assert r.returncode != 0 and "bad.yaml" in r.stderr and "Traceback" not in r.stderr


def test_upgrade_reads_a_file_as_check_does_no_device_pipe_giant_or_binary(tmp_path):
    import os

    import pytest

    if not hasattr(os, "mkfifo") or not Path("/dev/zero").exists():
        pytest.skip("needs FIFOs and /dev/zero")
    fifo = tmp_path / "pipe.yaml"
    os.mkfifo(fifo)  # reading it would wait for a writer forever
    big = tmp_path / "big.yaml"
    big.write_text("format: 1\n" + "# padding\n" * 1_000_000)
    binary = tmp_path / "bin.yaml"
    binary.write_bytes(bytes(range(256)) * 10)
    for path, why in (
        ("/dev/zero", "not a regular file"),
        (fifo, "not a regular file"),
        (big, "larger than the limit"),
        (binary, "binary data"),
    ):
        r = run("upgrade", str(path))
        assert r.returncode == 2 and why in r.stderr, (path, r.stderr)
        assert "Traceback" not in r.stderr and "codec" not in r.stderr


def test_jsonl_refuses_a_true_choice_and_says_plainly_when_words_are_no_input():
    r = play_mini('{"choice": true}\nwhatever this is\n')
    objs = objects(r.stdout)
    assert objs[1]["turn"] == 0 and "id (text) or a number" in objs[1]["error"]
    assert "not a choice id" in objs[2]["error"] and "own_words" not in objs[2]["error"]


def test_jsonl_takes_a_choice_given_as_a_digit_string_as_the_position_shown():
    as_text = objects(play_mini('{"choice": "1"}\n', "--variant", "open", seed="2").stdout)
    as_number = objects(play_mini('{"choice": 1}\n', "--variant", "open", seed="2").stdout)
    assert "error" not in as_text[1]
    assert as_text[1]["you_said"] == as_number[1]["you_said"]
    assert as_text[1]["lines"] == as_number[1]["lines"]
    out_of_range = objects(play_mini('{"choice": "99"}\n').stdout)
    assert "choose a number from 1 to" in out_of_range[1]["error"]


def play_packaging(inputs, seed="1"):
    r = run(
        "play",
        "packaging-renewal",
        "--seed",
        seed,
        "--no-save",
        "--no-briefs",
        "--jsonl",
        stdin="\n".join(json.dumps(i) for i in inputs) + "\n",
    )
    assert r.returncode == 0, r.stderr
    return objects(r.stdout)


def test_jsonl_takes_own_words_and_says_what_it_heard_them_as():
    """{"say": words} reads the words as the terminal does: a clear match is played with
    the words kept; where the terminal would ask, nothing is played and "heard" says what
    the words could be, for a second input with "as" to settle."""
    unsure = "What would make this a good year for you, at Corvex?"
    objs = play_packaging(
        [
            {"say": "How was the trip over?"},
            {"say": unsure},
            {"say": unsure, "as": "not_a_candidate"},
        ]
    )
    assert objs[1]["heard"] == {
        "typed": "How was the trip over?",
        "as": "choice",
        "choice": "small_talk_drive",
    }
    assert objs[1]["turn"] == 1 and objs[1]["you_said"].startswith("Fine, apart from")
    asked = objs[2]
    assert asked["turn"] == 1 and asked["heard"]["as"] == "unsure" and "as" in asked["error"]
    ids = [c["id"] for c in asked["heard"]["candidates"]]
    assert ids and all(i in {c["id"] for c in asked["choices"]} for i in ids)
    assert objs[3]["turn"] == 1 and "not what" in objs[3]["error"]
    settled = play_packaging(
        [
            {"say": "How was the trip over?"},
            {"say": unsure, "as": ids[0]},
            {"say": "Fair enough, that makes sense", "as": "own"},
        ]
    )
    assert settled[2]["turn"] == 2 and settled[2]["heard"]["choice"] == ids[0]
    assert settled[2]["heard"]["typed"] == unsure
    assert settled[3]["turn"] == 3 and settled[3]["heard"]["as"] == "own"
    assert settled[3]["lines"], "the counterpart answers a line of one's own"
    bad = play_packaging([{"say": ""}, {"say": "x", "as": 3}])
    assert [("error" in o) for o in bad[1:]] == [True, True] and bad[2]["turn"] == 0


def test_jsonl_own_words_survive_hostile_text_and_refuse_what_they_cannot_do():
    """Invisible characters do not change the reading; text the output cannot carry is
    escaped, not a crash; deep nesting and two actions in one object are refused; an
    offer in words waits for the moment offers can be made, as the builder does."""
    plain = play_packaging([{"say": "What about the plant?"}])[1]
    hidden = play_packaging(
        [{"say": "\u202eWhat about the plant?\u202c"}, {"say": "\x1b[31mWhat about the plant?"}]
    )
    for o in hidden[1:]:
        assert o.get("heard", {}).get("move") == plain.get("heard", {}).get("move")
        assert o.get("heard", {}).get("typed") == "What about the plant?"
    odd = play_packaging([{"say": "lone \ud800 surrogate, how are you?"}])
    assert len(odd) == 2 and "\ud800" not in odd[1].get("you_said", "")
    r = run(
        "play",
        "packaging-renewal",
        "--no-save",
        "--no-briefs",
        "--jsonl",
        stdin='{"say": ' + "[" * 3000 + "]" * 3000 + "}\n" + '{"say": "hello", "choice": 1}\n',
    )
    objs = objects(r.stdout)
    assert r.returncode == 0 and "Traceback" not in r.stderr
    assert "nested more than 10 levels" in objs[1]["error"] and "per line" in objs[2]["error"]
    early = play_packaging([{"say": "How about 12 cents for 9 million trays over 3 years?"}])
    assert early[1]["turn"] == 0 and "not the moment" in early[1]["error"]
