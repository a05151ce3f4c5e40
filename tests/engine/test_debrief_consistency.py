"""The debrief agrees with itself: its own expert paths rate good, and each shortcut
draws the mistakes that describe it.

Over every built-in scenario and variant: the expert path rates "good" (or n/a) on
every measure and draws no mistake; the caver's deals below the learner's
walk-away are named "No walk-away point" and never rated or ranked as good; the
label reader and pleasant-then-grab draw the mistakes that describe what they did.
"""

from pathlib import Path

import pytest

from negtrainer.engine.loader import load_scenario
from negtrainer.engine.session import Session, expert_for
from negtrainer.engine.strategies import play

SCENARIOS = sorted((Path(__file__).resolve().parents[2] / "scenarios").glob("*.yaml"))


@pytest.fixture(scope="module", params=SCENARIOS, ids=[p.stem for p in SCENARIOS])
def scenario(request):
    return load_scenario(request.param)


def test_the_expert_path_rates_good_on_every_measure_and_draws_no_mistake(scenario):
    for variant in scenario.spec.counterpart.variants:
        expert = expert_for(scenario, variant)
        s = Session.replay(scenario, expert["seed"], variant, expert["inputs"])
        d = s.debrief()
        assert [(m.key, m.rating) for m in d.metrics if m.rating not in ("good", "n/a")] == []
        assert d.mistakes == [], (variant, d.mistakes)
        assert d.outcome["verdict"] != "caved"


def test_caving_is_named_and_never_rated_or_ranked_as_good(scenario):
    for variant in scenario.spec.counterpart.variants:
        expert = Session.replay(scenario, 0, variant, expert_for(scenario, variant)["inputs"])
        for seed in range(3):
            s = play(scenario, "caver", seed=seed, variant=variant)
            d = s.debrief()
            if not d.outcome or d.outcome["verdict"] != "caved":
                continue
            assert any(m.startswith("No walk-away point") for m in d.mistakes)
            assert d.metric("value_claimed").rating == "poor"
            assert d.metric("value_created").rating != "good"
            assert d.quality < expert.debrief().quality
            assert not s.ending.good


def test_the_label_reader_and_pleasant_then_grab_draw_the_mistakes_that_describe_them(scenario):
    label_kinds = (
        "A paraphrase that misread",
        "A feeling named",
        "The same move again",
        "No walk-away point",
        "A need ignored",
        "A concession taken back",
    )
    for variant in scenario.spec.counterpart.variants:
        s = play(scenario, "label", seed=1, variant=variant)
        d = s.debrief()
        if not s.ending.good:
            assert any(m.startswith(label_kinds) for m in d.mistakes), (variant, d.mistakes)
        g = play(scenario, "grab", seed=1, variant=variant)
        dg = g.debrief()
        if dg.outcome and dg.outcome["verdict"] == "caved":
            assert any(m.startswith("No walk-away point") for m in dg.mistakes)
        if dg.outcome and dg.outcome["ignored_needs"]:
            assert any(m.startswith("A need ignored") for m in dg.mistakes)
