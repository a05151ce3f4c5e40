from pathlib import Path

import pytest

from negtrainer.engine.loader import load_scenario
from negtrainer.engine.session import Session

ROOT = Path(__file__).resolve().parents[2]
# The format 1 sample, kept as it was so the engine keeps playing format 1 files exactly.
SAMPLE = ROOT / "tests" / "fixtures" / "v1" / "packaging-renewal.yaml"


@pytest.fixture(scope="session")
def sample():
    return load_scenario(SAMPLE)


class RoundTrip:
    """Drives a session; in 'json' mode the state goes through JSON after every step.

    After ink's test fixture: every engine test runs both ways, so any field the
    serialisation forgets shows up as a difference in behaviour.
    """

    def __init__(self, scenario, mode):
        self.scenario = scenario
        self.mode = mode

    def start(self, **kw):
        s = Session.start(self.scenario, **kw)
        return self._cycle(s)

    def _cycle(self, s):
        if self.mode == "json":
            import json

            return Session.restore(self.scenario, json.loads(json.dumps(s.to_json())))
        return s

    def step(self, s, item):
        step = s.apply(item)
        return self._cycle(s), step


@pytest.fixture(params=["plain", "json"])
def driver(request, sample):
    return RoundTrip(sample, request.param)
