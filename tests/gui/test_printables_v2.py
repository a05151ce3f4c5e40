"""Role sheets and the teaching note for every built-in scenario as it is shipped (format 2):
each side's walk-away as the model holds it, the needs a side cannot give up, and what
trust does (it lowers perceived risk, never the floor)."""

from pathlib import Path

import pytest

from negtrainer.engine import counterpart as cp
from negtrainer.engine.loader import load_scenario
from negtrainer.gui import printables

SCENARIOS = sorted((Path(__file__).resolve().parents[2] / "scenarios").glob("*.yaml"))


@pytest.mark.parametrize("path", SCENARIOS, ids=lambda p: p.stem)
def test_role_sheets_give_each_side_its_own_walk_away(path):
    sc = load_scenario(path)
    assert sc.spec.format >= 2
    text = printables.role_sheets_html(sc)
    assert "None" not in text
    if sc.spec.negotiation is not None:
        assert f"less than {cp.walkaway(sc):g} points to you, however much" in text
        if sc.spec.learner.walkaway is not None:
            assert f"less than {sc.spec.learner.walkaway:g} points to you;" in text
    for interest in sc.spec.interests.values():
        for need in interest.needs:
            assert f"You cannot accept {sc.spec.issues[need.issue].label}" in text or (
                f"unless {sc.spec.issues[need.issue].label} is one of" in text
            )


def test_the_teaching_note_says_trust_lowers_risk_and_never_the_floor():
    sc = load_scenario(next(p for p in SCENARIOS if p.stem == "packaging-renewal"))
    text = printables.teaching_note_html(sc)
    assert f"never accepts a deal worth less than {cp.walkaway(sc):g} points" in text
    assert "trust lowers perceived risk, not the floor" in text
    assert "None" not in text
