"""Golden transcripts (after ink-proof): scenario + input.txt -> transcript.txt.

Each case runs twice: plainly, and with the session state sent through JSON
after every step. Set NEGTRAINER_REGEN_GOLDEN=1 to rewrite the transcripts
after an intended change, then read the diff.
"""

import io
import json
import os
import re
from pathlib import Path

import pytest

from negtrainer.engine.session import Session
from negtrainer.terminal import TerminalPlayer

HERE = Path(__file__).parent / "golden"
CASES = sorted(p.name for p in HERE.iterdir() if (p / "input.txt").exists())


class JsonRoundTrip:
    def __init__(self, player):
        self.player = player

    def apply(self, item):
        s = self.player.session
        step = s.apply(item)
        self.player.session = Session.restore(s.scenario, json.loads(json.dumps(s.to_json())))
        return step


def play_input(case, scenario_for, roundtrip):
    """The transcript of ``case/input.txt`` (first line ``# seed=N variant=V …``) played on
    ``scenario_for(params)``, with the state sent through JSON after every step if asked."""
    lines = (case / "input.txt").read_text(encoding="utf-8").splitlines()
    params = dict(re.findall(r"(\w+)=(\S+)", lines[0]))
    session = Session.start(
        scenario_for(params), seed=int(params["seed"]), variant=params["variant"]
    )
    out = io.StringIO()
    player = TerminalPlayer(session, out=out, show_briefs=False)
    if roundtrip:
        player.driver = JsonRoundTrip(player)
    assert player.run(lines[1:]) == 0
    return out.getvalue()


def run_case(sample, name, roundtrip):
    return play_input(HERE / name, lambda _params: sample, roundtrip)


@pytest.mark.parametrize("roundtrip", [False, True], ids=["plain", "json"])
@pytest.mark.parametrize("name", CASES)
def test_golden_transcript(sample, name, roundtrip):
    got = run_case(sample, name, roundtrip)
    expected_file = HERE / name / "transcript.txt"
    if os.environ.get("NEGTRAINER_REGEN_GOLDEN") and not roundtrip:
        expected_file.write_text(got, encoding="utf-8")
    assert got == expected_file.read_text(encoding="utf-8")
