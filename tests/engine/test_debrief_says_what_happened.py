"""The debrief says what happened, in the article's terms, for sessions an outside
tester played well and badly (packaging-renewal, saying-no, five-minute-call)."""

from __future__ import annotations

from pathlib import Path

import pytest

from negtrainer.engine import takeaways as tk
from negtrainer.engine.loader import load_scenario
from negtrainer.engine.scoring import explain_turn, objective_line
from negtrainer.engine.session import Session
from negtrainer.report import debrief_text

ROOT = Path(__file__).resolve().parents[2]
ACCEPT = {"accept": "counter"}

PR_GOOD = [
    "small_talk_drive",
    "ask_builders",
    "label_nervous",
    "ask_year",
    "ask_payment",
    "prio_launch",
    {"price": "€0.36", "volume": "2.8M trays", "payment": "30 days", "term": "3 years"},
]
PR_BAD = [
    "straight_to_numbers",
    "numbers_meet",
    "lowest_price",
    "threat_tender",
    "split_forty",
    "prio_tender",
    ACCEPT,
]
SN_GOOD = [
    "apologise",
    "ask_kirsty",
    "ask_hills",
    "thank_fringe",
    "catchup_to_email",
    "paraphrase_earned",
    "label_sting",
    "no_with_reasons",
    "instead_question",
    "tell_both",
    "ask_kirsty_plans",
]
SN_BAD = ["no_upfront", "hurt_sorry_but", "ultimatum", "threaten", ACCEPT]
FM_BAD = [
    "call_terms",
    "business_find_more",
    "business_threat",
    "leading_rate",
    "threat_other_job",
    "concede_fee",
    ACCEPT,
]


@pytest.fixture(scope="module")
def scenarios():
    cache: dict[str, object] = {}

    def get(sid: str):
        if sid not in cache:
            cache[sid] = load_scenario(ROOT / "scenarios" / f"{sid}.yaml")
        return cache[sid]

    return get


def played(scenario, seed: int, variant: str, inputs: list) -> Session:
    s = Session.start(scenario, seed, variant)
    for item in inputs:
        if item == ACCEPT:
            s.accept_counter()
        elif isinstance(item, dict):
            s.offer(item)
        else:
            s.choose(item)
    return s


@pytest.fixture(scope="module")
def pr_good(scenarios):
    s = played(scenarios("packaging-renewal"), 3, "warm", PR_GOOD)
    assert s.ending.kind == "deal"
    return s, s.debrief()


@pytest.fixture(scope="module")
def pr_bad(scenarios):
    s = played(scenarios("packaging-renewal"), 5, "warm", PR_BAD)
    assert s.ending.kind == "deal"
    return s, s.debrief()


@pytest.fixture(scope="module")
def sn_bad(scenarios):
    s = played(scenarios("saying-no"), 4, "warm", SN_BAD)
    return s, s.debrief()


@pytest.fixture(scope="module")
def fm_bad(scenarios):
    s = played(scenarios("five-minute-call"), 2, "chatty", FM_BAD)
    return s, s.debrief()


def moment(d, turn: int) -> str:
    return next(m.why for m in d.moments if m.turn == turn)


# 1. Who accepted whose offer.
def test_accepting_their_counter_offer_is_told_as_you_accepted_their_offer(pr_bad, sn_bad):
    for s, d in (pr_bad, sn_bad):
        last = s.state.log[-1]
        assert "you accepted their offer" in explain_turn(last)
        assert "they accepted your offer" not in moment(d, last["turn"])


def test_their_accepting_your_offer_is_still_told_as_they_accepted_your_offer(pr_good):
    _s, d = pr_good
    assert moment(d, 7).endswith("they accepted your offer.")


# 2. Small talk is small talk.
def test_small_talk_before_substance_lists_only_small_talk_not_a_stated_priority(pr_good):
    s, d = pr_good
    assert s.state.log[5]["discloses"] == "priority"  # turn 6 stated what matters
    assert d.metric("rapport").turns == [1]


def test_apologies_and_thanks_are_not_counted_as_small_talk(scenarios):
    s = played(scenarios("saying-no"), 2, "wounded", SN_GOOD)
    moves = {r["turn"]: r["move"] for r in s.state.log}
    assert moves[1] == "apology" and moves[4] == "appreciation" and moves[3] == "small_talk"
    assert s.debrief().metric("rapport").turns == [3]


def test_a_stated_priority_is_not_explained_as_small_talk(pr_good):
    _s, d = pr_good
    why = moment(d, 6)
    assert "small talk" not in why and "rapport before substance" not in why
    assert "what matters to you" in why
    assert "small talk counts most" in moment(d, 1)  # real small talk keeps its reason


# 3. Giving away the walk-away.
def test_disclosing_your_walk_away_is_named_as_a_mistake_with_what_they_now_know(pr_bad):
    s, d = pr_bad
    assert s.state.log[5]["discloses"] == "walkaway"
    why = moment(d, 6)
    assert "walk-away" in why and "small talk" not in why
    assert any(m.startswith("Your walk-away given away") for m in d.mistakes)
    kinds = {t["kind"]: t for t in d.takeaways}
    assert kinds["walkaway"]["turn"] == 6
    assert "they stop giving ground" in kinds["walkaway"]["why"]


def test_a_session_that_keeps_its_walk_away_gets_no_such_warning(pr_good):
    _s, d = pr_good
    assert not any("walk-away given away" in m for m in d.mistakes)


# 4. A "sorry, but" apology gets a reason.
def test_an_apology_with_a_but_is_given_the_authors_reason_when_the_engine_records_none(sn_bad):
    s, d = sn_bad
    rec = s.state.log[1]
    assert rec["move"] == "apology" and not rec.get("why")
    assert moment(d, 2) == (
        "Apology, trust -2: they thought: “Sorry, but. He still hasn't said why.”"
    )


# 5. Takeaways.
def test_an_ignored_feeling_takeaway_quotes_the_line_that_carried_the_feeling(sn_bad):
    s, d = sn_bad
    t = next(t for t in d.takeaways if t["kind"] == "ignored_feeling")
    assert t["turn"] == 3
    felt = [ln["text"] for ln in s.state.log[1]["lines"] if ln.get("emotional")]
    assert t["cue"] == felt[-1] == "I gathered the answer. I was asking for the reason."


def test_no_takeaway_suggests_a_line_that_would_not_have_done_better(fm_bad, pr_bad, sn_bad):
    for s, d in (fm_bad, pr_bad, sn_bad):
        for t in d.takeaways:
            if t["better"]:
                done = s.state.log[t["turn"] - 1].get("deltas", {}).get("trust", 0.0)
                gain = float(t["better_why"].rsplit("trust ", 1)[1].rstrip(")"))
                assert gain >= 1 and gain > round(done), t
    caved = next(t for t in fm_bad[1].takeaways if t["kind"] == "caved")
    assert caved["better"] is None  # the listener's line there would have done nothing


def test_after_their_feeling_at_your_threat_a_label_about_their_business_is_not_suggested(
    pr_bad,
):
    s, _d = pr_bad
    assert s.state.log[3]["move"] == "threat"  # turn 5 follows their disappointment
    better, better_id, _why = tk._better(s, 5, "ignored_feeling")
    assert better_id != "label_worried"
    assert better is None  # nothing open then acknowledges it without a misreading


def test_after_their_feeling_a_label_that_names_it_is_still_suggested(fm_bad):
    _s, d = fm_bad
    t = next(t for t in d.takeaways if t["kind"] == "ignored_feeling")
    assert t["better"] == "You sound a bit fed up with the whole thing already."
    assert "named the feeling" in t["better_why"]


# 6. A perfect close and objectives that do not apply.
def test_a_deal_closed_by_your_offer_they_accepted_is_not_criticised_for_no_closing(pr_good):
    _s, d = pr_good
    assert not any("No strategic closing" in m for m in d.mistakes)
    closing = [lesson for lesson in d.lessons if lesson.skill == "closing"]
    assert all("never" not in lesson.here for lesson in closing)


def test_an_objective_about_a_promise_never_made_shows_as_not_applicable(pr_good):
    _s, d = pr_good
    kept = next(o for o in d.objectives if o["id"] == "kept_word")
    assert kept["met"] is None
    assert objective_line(kept).startswith("– ")
    assert "[-] Do what you said you would" in debrief_text(d)
    assert "[ ] Do what you said you would" not in debrief_text(d)


def test_a_promise_made_and_not_kept_still_fails_its_objective(scenarios):
    sc = scenarios("packaging-renewal")
    # A seed whose table shows the promise (what is on show varies with the seed).
    for seed in range(40):
        s = played(sc, seed, "warm", PR_GOOD[:3])
        if "promise_forecast" in {c.id for c in s.choices if c.available}:
            break
    s.choose("promise_forecast")
    assert s.state.promises == {"forecast": "made"}
    kept = next(o for o in s.debrief().objectives if o["id"] == "kept_word")
    assert kept["met"] is False
    assert objective_line(kept).startswith("✘ ")
