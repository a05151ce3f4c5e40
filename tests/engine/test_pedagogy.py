"""The skill decides the outcome, not the label: checked over the whole library.

For every built-in scenario and every variant, over 20 seeds:
- the expert path (the analysis's best) reaches a good ending;
- the listening player reaches a good ending in at least 80 % of runs;
- the label reader (move types only) and the surface reader (position, length,
  keywords) reach one in at most 25 %;
- pleasant-then-grab never closes a deal that breaks a need it was told about, and
  reaches a good ending in at most 25 %;
- the caver never reaches a good ending, and its deals below the learner's
  walk-away are counted as such.
docs/pedagogy.md holds the table these numbers come from (bench/pedagogy.py).
"""

from pathlib import Path

import pytest

from negtrainer.engine import analysis
from negtrainer.engine.loader import load_scenario

SCENARIOS = sorted((Path(__file__).resolve().parents[2] / "scenarios").glob("*.yaml"))
SEEDS = 20


@pytest.fixture(scope="module", params=SCENARIOS, ids=[p.stem for p in SCENARIOS])
def taught(request):
    sc = load_scenario(request.param)
    assert sc.spec.format >= 2, f"{sc.id} is still format 1"
    return sc, analysis.pedagogy(sc, seeds=SEEDS)


def test_the_library_has_ten_scenarios():
    assert len(SCENARIOS) >= 10


def test_the_expert_path_reaches_a_good_ending_in_every_variant(taught):
    _sc, p = taught
    for variant, row in p["variants"].items():
        assert row["expert_good"], f"{variant}: expert path ends in {row['expert_ending']}"


def test_listening_wins_in_at_least_80_percent_of_runs_in_every_variant(taught):
    _sc, p = taught
    for variant, row in p["variants"].items():
        assert row["listening"]["good"] >= 0.8, (variant, row["listening"])


def test_reading_labels_or_the_shape_of_the_words_does_not_win(taught):
    _sc, p = taught
    for variant, row in p["variants"].items():
        assert row["label"]["good"] <= 0.25, (variant, "label", row["label"])
        assert row["surface"]["good"] <= 0.25, (variant, "surface", row["surface"])


def test_pleasant_then_grab_never_closes_a_deal_that_breaks_a_revealed_need(taught):
    _sc, p = taught
    for variant, row in p["variants"].items():
        assert row["grab"]["broke_revealed_need"] == 0, variant


def test_pleasant_then_grab_wins_the_good_ending_in_at_most_a_quarter_of_runs(taught):
    # The same line as check's NT310: being nice and then taking everything is not the skill.
    _sc, p = taught
    for variant, row in p["variants"].items():
        assert row["grab"]["good"] <= 0.25, (variant, row["grab"])


def test_caving_never_earns_a_good_ending_and_is_counted_below_the_walk_away(taught):
    sc, p = taught
    assert sc.spec.learner.walkaway is not None
    for variant, row in p["variants"].items():
        assert row["caver"]["good"] == 0, variant
        assert row["caver"]["below_walkaway"] >= row["caver"]["deals"] // 2, (variant, row["caver"])


def test_every_scenario_is_big_enough_to_teach_and_has_distractors_in_every_node(taught):
    sc, _p = taught
    spec = sc.spec
    assert len(spec.interests) >= 3
    assert len(spec.counterpart.variants) >= 2
    assert len(spec.endings) >= 3
    assert len(sc.lines) >= 40
    assert len(spec.nodes) >= 8
    assert 2 <= len(spec.objectives) <= 4
    missing = [n for n, ok in analysis.distractor_nodes(sc).items() if not ok]
    assert not missing, f"nodes without a well-meant distractor: {missing}"
