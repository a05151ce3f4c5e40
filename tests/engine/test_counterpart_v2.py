"""The counterpart model v2: each rule pinned on a small format 2 scenario.

Every test here fails when the rule it names is removed from the engine.
"""

import json
from pathlib import Path

import pytest

from negtrainer.engine import analysis
from negtrainer.engine import counterpart as cp
from negtrainer.engine.loader import load_scenario, load_text
from negtrainer.engine.session import ChoiceUnavailable, Session

MINI = Path(__file__).resolve().parents[1] / "fixtures" / "v2" / "mini.yaml"


@pytest.fixture(scope="module")
def mini():
    return load_scenario(MINI)


def start(mini, variant="open", seed=0, trust=None):
    s = Session.start(mini, seed=seed, variant=variant)
    if trust is not None:
        s.state.vars["trust"] = float(trust)
    return s


def trust_change(s, choice):
    before = s.state.vars["trust"]
    s.choose(choice)
    return s.state.vars["trust"] - before


# -- context decides effects -------------------------------------------------------------
def test_an_emotion_label_lands_after_a_feeling_and_patronises_after_a_neutral_line(mini):
    after_feeling = start(mini)
    after_feeling.choose("chat")  # "Lovely, thanks." is an emotional line
    assert after_feeling.state.last_emotional
    assert trust_change(after_feeling, "label") > 3
    cold = start(mini)
    assert not cold.state.last_emotional
    assert trust_change(cold, "label") < 0


def test_a_paraphrase_that_misreads_costs_trust_and_reveals_nothing(mini):
    s = start(mini, trust=90)
    step = s.choose("para_wrong")
    assert step.deltas.get("trust", 0) < 0
    assert step.revealed == [] and "october" not in s.state.revealed
    assert any("misread" in w for w in step.why)


def test_a_closed_question_reveals_nothing_but_a_precise_one_can(mini):
    plain = start(mini, trust=80)
    assert plain.choose("closed_cash").revealed == []
    precise = start(mini, trust=80)
    assert precise.choose("precise_cash").revealed == ["october"]


def test_a_summary_with_nothing_revealed_earns_nothing_and_then_says_what_was_heard(mini):
    s = start(mini, trust=60)
    s.state.stances[:] = [-1, -1]  # so reciprocity adds nothing either way
    step = s.choose("sum")
    assert step.deltas.get("trust", 0) <= 0 and step.revealed == []
    assert s.state.log[-1]["reflection"] is False
    s.choose("ask_cash")
    assert "october" in s.state.revealed
    text = next(c.text for c in s.choices if c.id == "sum")
    assert "cash is tight for you in October" in text and "{heard}" not in text


def test_a_reasoned_argument_earns_respect_only_from_a_trusted_party(mini):
    trusted = start(mini, trust=70)
    assert trust_change(trusted, "argue") > 0
    distrusted = start(mini, trust=30)
    before = dict(distrusted.state.vars)
    distrusted.choose("argue")
    assert distrusted.state.vars["patience"] < before["patience"]
    assert distrusted.state.vars["tension"] > before["tension"]


# -- satiation and the talk cap --------------------------------------------------------------
def test_a_repeated_cooperative_move_satiates_and_then_reads_as_technique(mini):
    s = start(mini, variant="guarded")
    gains = []
    for _ in range(4):
        s.state.stances.clear()  # isolate the move's own effect from reciprocity
        gains.append(trust_change(s, "wait"))
    assert gains[0] > gains[1] > gains[2] >= 0 > gains[3]


def test_questions_in_a_row_read_as_technique_but_ask_listen_ask_does_not(mini):
    from negtrainer.engine import effects as fx

    def fourth_question_why(between):
        s = start(mini, variant="guarded", trust=30)  # below the reveal: nothing is told
        for k in range(4):
            step = s.choose("ask_cash")
            if between and k < 3:
                s.choose("wait")
        return step.why

    assert any(fx.TECHNIQUE_WHY in w for w in fourth_question_why(between=False))
    assert not any(fx.TECHNIQUE_WHY in w for w in fourth_question_why(between=True))


def test_no_loop_of_cooperative_lines_buys_unlimited_trust(mini):
    s = start(mini)
    cap = mini.spec.counterpart.variants["open"].talk_cap
    start_trust = s.state.vars["trust"]
    for k in range(40):
        s.choose(["chat", "wait", "label", "sum"][k % 4])
        if s.ended:
            break
    assert s.state.vars["trust"] <= start_trust + cap + 1e-9


def test_a_guarded_counterpart_warms_slowly_and_cools_fast(mini):
    def run(variant, moves):
        s = start(mini, variant=variant)
        for m in moves:
            s.choose(m)
        return s.state.vars["trust"]

    warm_open, warm_guarded = run("open", ["chat", "wait"]), run("guarded", ["chat", "wait"])
    assert warm_open > warm_guarded
    cold = ["tell_walkaway"]  # cooperative first so both start from one state
    s_open, s_guarded = start(mini, "open"), start(mini, "guarded")
    for s in (s_open, s_guarded):
        for m in cold:
            s.choose(m)
        s.state.stances[:] = [-1, -1]
        s.state.vars["trust"] = 50.0
    drop_open = trust_change(s_open, "para_wrong")
    drop_guarded = trust_change(s_guarded, "para_wrong")
    assert drop_guarded < drop_open


# -- needs, walk-aways, risk ------------------------------------------------------------
def test_a_deal_that_breaks_a_need_is_refused_whatever_the_trust_and_the_value(mini):
    s = start(mini, trust=100)
    step = s.offer({"price": "high", "payment": "Annual", "pilot": "Full"})
    assert not step.offer.accepted
    assert [ln["id"] for ln in step.lines if ln["source"] == "refuse_hint"]


def test_a_revealed_need_is_named_when_it_is_broken(mini):
    s = start(mini, trust=80)
    s.choose("ask_cash")
    assert "october" in s.state.revealed
    step = s.offer({"price": "high", "payment": "Annual", "pilot": "Full"})
    assert not step.offer.accepted
    assert any("annual bill in October" in ln["text"] for ln in step.lines)


def test_its_counters_never_break_its_needs(mini):
    for trust in (20, 50, 90):
        s = start(mini, trust=trust)
        step = s.offer({"price": "low", "payment": "Annual", "pilot": "Pilot"})
        assert step.offer.counter is not None
        assert step.offer.counter["payment"] != "Annual"


def test_it_never_accepts_below_its_walk_away_even_at_full_trust(mini):
    s = start(mini, trust=100)
    s.state.offers = 3  # late in the bargaining, when its target is lowest
    step = s.offer({"price": "low", "payment": "Quarterly", "pilot": "Pilot"})  # worth 3 to them
    assert not step.offer.accepted


def test_trust_lowers_the_perceived_risk_of_a_risky_term_within_a_bound(mini):
    full = tuple(mini.spec.issues["pilot"].options.index(x) for x in ["Full"])
    terms = (1, 2, full[0])
    low = cp.perceived(mini, terms, {}, 30)
    high = cp.perceived(mini, terms, {}, 95)
    assert high > low
    assert high - low <= mini.spec.issues["pilot"].risk["Full"] + 1e-9


# -- bidding --------------------------------------------------------------------------------
def test_a_firm_counterpart_concedes_later_than_a_yielding_one(mini):
    firm, yielding = start(mini, "guarded"), start(mini, "open")
    for s in (firm, yielding):
        s.state.vars["trust"] = 50.0
        s.state.offers = 2
    assert cp.target(mini, firm.state) > cp.target(mini, yielding.state)


def test_the_first_counter_does_not_reveal_the_floor(mini):
    s = start(mini, "guarded", trust=50)
    step = s.offer({"price": "low", "payment": "Monthly", "pilot": "Pilot"})
    counter = tuple(mini.spec.issues[i].options.index(v) for i, v in step.offer.counter.items())
    assert cp.perceived(mini, counter, s.state.revealed, 50) > cp.walkaway(mini) + 5


def test_disclosing_your_walk_away_stops_its_concessions(mini):
    told, quiet = start(mini), start(mini)
    told.choose("tell_walkaway")
    quiet.choose("chat")
    for s in (told, quiet):
        s.state.offers = 3
    assert cp.target(mini, told.state) > cp.target(mini, quiet.state)


def test_counters_are_spoken_as_sentences_from_phrases(mini):
    s = start(mini, trust=50)
    step = s.offer({"price": "low", "payment": "Monthly", "pilot": "Pilot"})
    said = " ".join(ln["text"] for ln in step.lines)
    assert "I could do it if" in said and "price" in said and "Price:" not in said


# -- memory --------------------------------------------------------------------------------------
def test_taking_back_a_concession_costs_trust_and_is_remarked(mini):
    s = start(mini, trust=50)
    s.offer({"price": "mid", "payment": "Monthly", "pilot": "Pilot"})
    before = s.state.vars["trust"]
    step = s.offer({"price": "low", "payment": "Monthly", "pilot": "Pilot"})
    assert s.state.vars["trust"] < before
    assert any("Last time you offered" in ln["text"] for ln in step.lines)


def test_a_promise_kept_before_it_falls_due_is_not_reliability(mini):
    early = start(mini)
    early.choose("promise")
    early_gain = trust_change(early, "keep")
    due = start(mini)
    due.choose("promise")
    for _ in range(3):
        due.choose("argue")
    assert "forecast" in due.state.promise_due
    due_gain = trust_change(due, "keep")
    assert due_gain > early_gain + 3


def test_a_promise_not_kept_after_it_falls_due_is_broken_and_remembered(mini):
    s = start(mini)
    s.choose("promise")
    for _ in range(6):
        s.choose("argue")
    assert s.state.promises["forecast"] == "broken"
    assert any("fell due and was not kept" in w for r in s.state.log for w in r.get("why", []))


# -- the counterpart takes turns; lines ----------------------------------------------------------
def test_the_counterpart_asks_about_the_learners_interests_on_its_own_turn(mini):
    s = start(mini)
    for _ in range(3):
        step = s.choose("argue")
    assert any(ln["id"] == "ev.asks" for ln in step.lines)
    assert "asks" in s.state.fired


def test_the_reply_comes_before_the_disclosure(mini):
    s = start(mini, trust=80)
    step = s.choose("ask_cash")
    assert [ln["source"] for ln in step.lines][:2] == ["say", "reveal"]


def test_a_reply_marked_after_reacts_to_the_confession_and_follows_it():
    text = MINI.read_text().replace(
        'reply: [{id: r.ask, text: "Good question."}]',
        'reply: [{id: r.now, when: revealed_now.october, after: true, text: "There. Now you know."},'
        ' {id: r.ask, text: "Good question."}]',
    )
    sc, _ = load_text(text, "mini-after.yaml")
    s = Session.start(sc, seed=0, variant="open")
    s.state.vars["trust"] = 80.0
    step = s.choose("ask_cash")
    assert [ln["source"] for ln in step.lines][:2] == ["reveal", "say"]
    assert step.lines[1]["text"] == "There. Now you know."
    s = Session.start(sc, seed=0, variant="open")
    s.state.vars["trust"] = 20.0  # a hint, not the confession: the plain reply, first
    step = s.choose("ask_cash")
    assert step.lines[0]["id"] == "r.ask"


def test_the_same_counter_again_is_said_as_holding_not_in_its_first_words(mini):
    s = start(mini, variant="guarded", trust=50)
    offer = {"price": "low", "payment": "Monthly", "pilot": "Pilot"}
    first, again, moved = (s.offer(offer) for _ in range(3))
    assert first.offer.counter == again.offer.counter != moved.offer.counter
    assert [ln["id"] for ln in first.lines] == ["ctr"]
    assert again.lines[0]["id"].startswith("engine.held.")  # mini writes no held: lines
    assert "high" in again.lines[0]["text"], "it says the terms it holds to"
    assert moved.lines[0]["id"] == "ctr", "a counter that moves is a counter again"


def test_line_pools_make_replays_with_other_seeds_differ(mini):
    ids = set()
    for seed in range(12):
        s = start(mini, seed=seed, trust=20)
        step = s.choose("ask_cash")
        ids.update(ln["id"] for ln in step.lines if ln["source"] == "hint")
    assert len(ids) == 2


# -- the choice list ------------------------------------------------------------------------------
def test_the_order_of_choices_comes_from_the_seed_and_numbers_mean_what_is_shown(mini):
    orders = {tuple(c.id for c in start(mini, seed=k).choices) for k in range(6)}
    assert len(orders) > 1
    s = start(mini, seed=3)
    third = s.choices[2]
    step = s.choose(2)
    assert step.said.startswith(third.text[:10])


def test_a_locked_choice_is_shown_without_its_words(mini):
    s = start(mini)
    keep = next(c for c in s.choices if c.id == "keep")
    assert not keep.available and keep.text == "" and keep.reason
    with pytest.raises(ChoiceUnavailable):
        s.choose("keep")


def test_a_forked_session_offers_the_same_choices_and_plays_the_same(mini):
    s = start(mini)
    s.choose("chat")
    f = s.fork()
    assert [(c.id, c.text, c.available) for c in f.choices] == [
        (c.id, c.text, c.available) for c in s.choices
    ]
    assert f.choose("label").deltas == s.choose("label").deltas
    assert analysis.fork(s).state.move == s.state.move


def test_the_state_round_trips_through_json_with_its_memory(mini):
    s = start(mini)
    for m in ("chat", "promise", "tell_walkaway"):
        s.choose(m)
    s.offer({"price": "mid", "payment": "Monthly", "pilot": "Pilot"})
    back = Session.restore(mini, json.loads(json.dumps(s.to_json())))
    assert back.to_json() == s.to_json()
    assert (
        back.offer({"price": "mid", "payment": "Quarterly", "pilot": "Pilot"}).deltas
        == s.offer({"price": "mid", "payment": "Quarterly", "pilot": "Pilot"}).deltas
    )


# -- conditions -------------------------------------------------------------------------------------
def test_a_text_value_that_never_occurs_is_reported_with_a_suggestion(mini):
    text = MINI.read_text().replace('when: "below_walkaway"', "when: 'variant == \"gaurded\"'")
    sc, diags = load_text(text, "t.yaml")
    assert sc is None
    msg = next(d for d in diags if d.code == "NT308").message
    assert "'guarded'" in msg


def test_endings_can_depend_on_what_was_agreed(mini):
    text = MINI.read_text().replace('when: "below_walkaway"', "when: 'deal.pilot == \"Pilot\"'")
    sc, diags = load_text(text, "t.yaml")
    assert sc is not None, diags
    s = Session.start(sc, seed=0, variant="open")
    s.state.vars["trust"] = 90.0
    s.state.offers = 3
    s.offer({"price": "high", "payment": "Monthly", "pilot": "Pilot"})
    assert s.state.ending == "caved"


def test_an_offer_is_never_answered_with_a_counter_worth_no_more_to_them(mini):
    for trust in (30, 60, 90):
        for terms in mini.all_terms:
            s = start(mini, "guarded", trust=trust)
            step = s.offer(mini.terms_dict(terms))
            if step.offer.accepted or step.offer.counter is None or cp.broken_needs(mini, terms):
                continue
            counter = tuple(
                mini.spec.issues[i].options.index(v) for i, v in step.offer.counter.items()
            )
            assert counter != terms
            assert cp.perceived(
                mini, counter, s.state.revealed, s.state.vars["trust"]
            ) > cp.perceived(mini, terms, s.state.revealed, s.state.vars["trust"])


def test_a_choice_that_keeps_a_due_promise_is_always_on_show():
    text = MINI.read_text().replace("    offers: true\n", "    offers: true\n    show: 3\n", 1)
    sc, diags = load_text(text, "t.yaml")
    assert sc is not None, diags
    for seed in range(12):
        s = Session.start(sc, seed=seed, variant="open")
        assert len([c for c in s.choices if c.available]) == 3
        s.state.promises["forecast"] = "made"
        s.state.promise_made["forecast"] = 0
        s.state.promise_due["forecast"] = 0
        assert any(c.id == "keep" and c.available for c in s.choices), seed


def test_the_debrief_quotes_what_the_learner_wrote_beside_the_line_that_would_have_landed(mini):
    s = start(mini)
    # Typed pressure with no scripted choice behind it: coded by what was written.
    s.say_own_words("Take it or leave it, Sam. High price or nothing.", "ultimatum")
    s.offer({"price": "low", "payment": "Annual", "pilot": "Full"})
    while not s.ended:
        s.choose("argue")
    d = s.debrief(expert=None)
    typed = [t for t in d.takeaways if t["typed"]]
    assert typed and typed[0]["you_said"].startswith("Take it or leave it")
    assert d.metric("competitive").value >= 1  # the typed ultimatum counts as one
