"""Robust disagreement: being pleasant and then taking the lowest price from a grower who
said the bank needs money she can count on is not the good ending."""

from pathlib import Path

from negtrainer.engine import strategies
from negtrainer.engine.loader import load_scenario

SCENARIO = Path(__file__).resolve().parents[2] / "scenarios" / "robust-disagreement.yaml"


def test_taking_the_lowest_price_after_hearing_about_the_bank_ends_squeezed_not_good():
    sc = load_scenario(SCENARIO)
    endings = []
    for variant in sc.spec.counterpart.variants:
        for seed in range(20):
            s = strategies.play(sc, "grab", seed, variant)
            endings.append(s.state.ending)
            if s.state.deal is not None and "cash" in s.state.revealed:
                deal = sc.terms_dict(tuple(s.state.deal))
                if deal["price"] == "$2,400 a tonne":
                    assert s.state.ending in ("squeezed", "replanted", "bruised"), deal
    assert "squeezed" in endings
    assert endings.count("better_together") <= len(endings) // 4


def test_the_listening_player_still_keeps_the_vines_at_a_price_she_can_live_on():
    sc = load_scenario(SCENARIO)
    for variant in sc.spec.counterpart.variants:
        s = strategies.play(sc, "listening", 0, variant)
        assert s.state.ending == "better_together", variant
