"""Property tests: any sequence of inputs replays exactly, and survives JSON."""

import json
from pathlib import Path

from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as hs

from negtrainer.engine.loader import load_scenario
from negtrainer.engine.session import Session

SCENARIOS = {
    p.stem: load_scenario(p)
    for p in sorted((Path(__file__).resolve().parents[2] / "scenarios").glob("*.yaml"))
}


def drive(scenario, seed, picks):
    """Play by picks: each number chooses among what is possible now."""
    s = Session.start(scenario, seed=seed)
    for pick in picks:
        if s.ended:
            break
        options = [{"choice": c.id} for c in s.choices if c.available]
        if s.counter_offer:
            options.append({"accept": "counter"})
        if s.can_offer:
            terms = {
                i.id: [o.label for o in i.options if o.available][
                    pick % len([o for o in i.options if o.available])
                ]
                for i in s.issues
            }
            options.append({"offer": terms})
        if not options:
            break
        s.apply(options[pick % len(options)])
    return s


@settings(max_examples=60, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(
    hs.sampled_from(sorted(SCENARIOS)),
    hs.integers(0, 2**31),
    hs.lists(hs.integers(0, 1000), max_size=30),
)
def test_the_same_seed_and_inputs_always_give_the_same_session(name, seed, picks):
    scenario = SCENARIOS[name]
    a = drive(scenario, seed, picks)
    b = Session.replay(scenario, seed, a.state.variant, a.inputs)
    assert a.to_json() == b.to_json()


@settings(max_examples=60, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(
    hs.sampled_from(sorted(SCENARIOS)),
    hs.integers(0, 2**31),
    hs.lists(hs.integers(0, 1000), min_size=1, max_size=30),
    hs.integers(0, 1000),
)
def test_a_restored_state_carries_on_exactly_like_the_original(name, seed, picks, more):
    scenario = SCENARIOS[name]
    s = drive(scenario, seed, picks)
    copy = Session.restore(scenario, json.loads(json.dumps(s.to_json())))
    assert copy.to_json() == s.to_json()
    if not s.ended:
        options = [c.id for c in s.choices if c.available]
        if options:
            pick = options[more % len(options)]
            s.choose(pick)
            copy.choose(pick)
            assert copy.to_json() == s.to_json()
