"""A scripted line must not name a term that the counter-offer made in the same turn
contradicts: the counter is computed, the line is written, and a player hears both.

Each scenario is walked at random (choices, offers, accepting) over a few seeds
in every variant; a line said in a turn that put a new counter on the table may
name an option of an issue only if that option is the counter's. The
counterpart's negotiation lines build their words from the counter itself and
its interest lines answer the learner's offer, so neither is checked here.
"""

import random
from pathlib import Path

import pytest

from negtrainer.engine.loader import load_scenario
from negtrainer.engine.session import Session

SCENARIOS = sorted((Path(__file__).resolve().parents[2] / "scenarios").glob("*.yaml"))


def _negotiation_line_ids(sc):
    lines = sc.spec.negotiation.lines
    ids = set()
    for name in ("accept", "counter", "reject", "opening", "withdrawn", "below_walkaway"):
        for ln in getattr(lines, name, None) or ():
            ids.add(ln.id)
    return ids


def _contradictions(sc, seeds):
    own = _negotiation_line_ids(sc)
    issues = sc.spec.issues
    found = []
    for variant in sc.spec.counterpart.variants:
        for seed in range(seeds):
            rng = random.Random(seed)
            s = Session.start(sc, seed, variant)
            for _ in range(40):
                if s.ended:
                    break
                moves = [("choice", c.id) for c in s.choices if c.available]
                if s.can_offer:
                    moves += [("offer", None)] * 3
                if s.state.counter is not None:
                    moves.append(("accept", None))
                if not moves:
                    break
                kind, cid = rng.choice(moves)
                before = s.state.counter
                if kind == "choice":
                    s.choose(cid)
                elif kind == "accept":
                    s.accept_counter()
                else:
                    s.offer(
                        {
                            i.id: rng.choice([o for o in i.options if o.available]).label
                            for i in s.issues
                        }
                    )
                counter = s.counter_offer
                if counter is None or s.state.counter == before:
                    continue
                for ln in s.lines:
                    if "interest" in ln or ln["id"].rsplit(".", 1)[0] in own or ln["id"] in own:
                        continue
                    for iid, issue in issues.items():
                        for label in issue.options:
                            if label in ln["text"] and counter[iid] != label:
                                found.append((variant, seed, ln["id"], label, counter[iid]))
    return found


def test_dana_does_not_name_a_price_beside_a_counter_at_another_price():
    sc = load_scenario(Path(SCENARIOS[0]).with_name("packaging-renewal.yaml"))
    s = Session.start(sc, seed=3, variant="warm")
    s.choose("fair_split")
    counter = s.counter_offer
    assert counter is not None
    said = " ".join(ln["text"] for ln in s.lines)
    prices = [p for p in sc.spec.issues["price"].options if p in said]
    assert prices == [counter["price"]], said


@pytest.mark.parametrize("path", SCENARIOS, ids=[p.stem for p in SCENARIOS])
def test_no_scripted_line_names_a_term_the_counter_beside_it_contradicts(path):
    sc = load_scenario(path)
    if sc.spec.negotiation is None:
        pytest.skip("no negotiation")
    assert _contradictions(sc, seeds=25) == []


def test_alan_does_not_call_support_on_site_a_helpdesk():
    sc = load_scenario(Path(SCENARIOS[0]).with_name("closing-the-deal.yaml"))
    s = Session.start(sc, seed=1, variant="weary")
    s.choose("sign_today")
    assert s.can_offer
    s.offer(
        {
            "price": "£395k a year",
            "go_live": "phased from November, after a parallel run",
            "payment": "first invoice in April, then quarterly",
            "support": "on site for go-live week, days only",
        }
    )
    hint = [ln for ln in s.lines if ln.get("interest") == "night_nurses"]
    assert hint, s.lines
    assert "helpdesk" not in hint[0]["text"].lower()
