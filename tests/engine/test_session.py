import pytest

from negtrainer.engine.session import ChoiceUnavailable, Session


def play(driver, items, **kw):
    s = driver.start(**kw)
    steps = []
    for item in items:
        s, step = driver.step(s, item)
        steps.append(step)
    return s, steps


def c(cid):
    return {"choice": cid}


def choose(driver, *choice_ids, variant="warm"):
    """Seed 0, the given variant, the choices made in order: the state and each step."""
    return play(driver, [c(cid) for cid in choice_ids], seed=0, variant=variant)


def test_the_opening_line_follows_the_variant(sample):
    warm = Session.start(sample, seed=0, variant="warm")
    curt = Session.start(sample, seed=0, variant="curt")
    assert warm.lines[0]["id"] == "open.warm"
    assert curt.lines[0]["id"] == "open.curt"
    assert warm.state.trust > curt.state.trust


def test_the_variant_comes_from_the_seed_with_its_weight(sample):
    picks = [Session.start(sample, seed=s).state.variant for s in range(300)]
    warm = picks.count("warm") / len(picks)
    assert 0.55 < warm < 0.78  # weight 2 : 1
    assert picks == [Session.start(sample, seed=s).state.variant for s in range(300)]


def test_small_talk_before_the_first_offer_raises_trust_more_than_after(driver):
    early, _ = choose(driver, "small_talk_drive")
    gain_early = early.state.log[-1]["deltas"]["trust"]
    late, _ = choose(driver, "straight_to_numbers")
    assert late.state.substance_turn == 1
    # At the table, after substance started, rapport is worth less.
    _s, step = driver.step(late, c("pause"))
    gain_silence = step.deltas.get("trust", 0)
    assert gain_early > 4 > gain_silence


def test_cooperative_runs_compound_and_competitive_runs_spiral_down(driver):
    coop, steps = choose(driver, "small_talk_drive", "thank_rush_order", "ask_builders")
    gains = [st.deltas["trust"] for st in steps]
    # Each move is worth more than its default because the run builds on itself.
    assert gains[1] > 3 and gains[2] > 1 and coop.state.trust > 50
    hard, steps = choose(driver, "open_ultimatum", "threat_tender", "refuse_increase")
    losses = [st.deltas["trust"] for st in steps]
    assert all(x < 0 for x in losses)
    assert losses[2] < -4 - 1  # a bare refusal costs more inside a competitive run
    assert hard.state.trust < 20


def test_a_hidden_interest_is_only_hinted_at_low_trust(driver):
    s, steps = choose(driver, "straight_to_numbers", "ask_year", variant="curt")
    assert steps[1].hinted == ["idle_line"]
    assert steps[1].revealed == []
    assert "idle_line" not in s.state.revealed
    assert s.state.hinted == {"idle_line": 2}
    assert steps[1].lines[0]["id"] == "interest.idle_line.hint"
    assert steps[1].lines[0]["source"] == "hint"


def test_asking_on_the_right_topic_with_enough_trust_reveals_the_interest(driver):
    s, steps = choose(driver, "small_talk_drive", "thank_rush_order", "ask_builders")
    assert steps[-1].revealed == ["idle_line"]
    assert steps[-1].lines[0]["id"] == "interest.idle_line.reveal"
    assert s.state.revealed["idle_line"] == 3


def test_unavailable_choices_are_listed_with_their_reason(driver):
    s, _ = choose(driver, "straight_to_numbers")
    views = {v.id: v for v in s.choices}
    assert not views["keep_forecast"].available
    assert "promised" in views["keep_forecast"].reason
    with pytest.raises(ChoiceUnavailable, match="promised"):
        s.choose("keep_forecast")
    s, _ = driver.step(s, c("promise_forecast"))
    assert {v.id: v for v in s.choices}["keep_forecast"].available


def test_keeping_a_promise_builds_trust(driver):
    s, steps = choose(driver, "straight_to_numbers", "promise_forecast", "keep_forecast")
    assert s.state.promises == {"forecast": "kept"}
    assert steps[-1].deltas["trust"] >= 5


def test_options_that_need_an_interest_are_greyed_until_it_is_revealed(driver):
    s, _ = choose(driver, "straight_to_numbers")
    term = next(i for i in s.issues if i.id == "term")
    three = next(o for o in term.options if o.label == "3 years")
    assert not three.available and "know enough" in three.reason
    with pytest.raises(ChoiceUnavailable):
        s.offer({"price": 0, "volume": 0, "payment": 0, "term": "3 years"})


def test_trust_lowers_what_the_counterpart_needs_to_say_yes(sample):
    # Terms whose value to Corvex no hidden interest changes: only trust differs.
    terms = {"price": "€0.40", "volume": "2.8M trays", "payment": "60 days", "term": "2 years"}
    low = Session.start(sample, seed=0, variant="curt")
    low.choose("straight_to_numbers")
    result_low = low.offer(terms).offer
    high = Session.start(sample, seed=0, variant="warm")
    for cid in (
        "small_talk_drive",
        "thank_rush_order",
        "chat_to_business",
        "ask_payment",
        "ask_future",
        "promise_forecast",
        "keep_forecast",
    ):
        high.choose(cid)
    result_high = high.offer(terms).offer
    assert high.reservation() < low.reservation()
    assert not result_low.accepted and result_high.accepted
    assert high.ended and high.ending.kind == "deal"


def test_a_rejected_offer_gets_a_counter_that_can_be_accepted(driver):
    s, steps = play(
        driver,
        [
            c("straight_to_numbers"),
            {
                "offer": {
                    "price": "€0.36",
                    "volume": "2.0M trays",
                    "payment": "60 days",
                    "term": "1 year",
                }
            },
        ],
        seed=0,
        variant="warm",
    )
    result = steps[-1].offer
    assert not result.accepted and result.counter is not None
    assert s.counter_offer == result.counter
    assert "{terms}" not in steps[-1].lines[0]["text"]
    s, step = driver.step(s, {"accept": "counter"})
    assert step.offer.accepted and s.ended and s.state.deal is not None


def test_pressure_ends_in_a_walk_out(driver):
    s, steps = choose(driver, "open_ultimatum", "threat_tender", variant="curt")
    assert s.ended and s.ending.kind == "walkout"
    assert steps[-1].lines[-1]["id"] == "end.walkout"
    assert s.choices == []
    with pytest.raises(ChoiceUnavailable):
        s.choose(0)


def test_the_session_times_out_at_max_turns(sample):
    s = Session.start(sample, seed=0, variant="warm")
    s.choose("straight_to_numbers")
    s.offer({"price": 0, "volume": 0, "payment": 0, "term": 0})
    while not s.ended:
        s.choose("close_now")
    assert s.state.ending == "out_of_time" and s.state.turn == sample.spec.max_turns


def test_the_same_seed_and_inputs_give_the_same_session(sample):
    inputs = [
        c("small_talk_drive"),
        c("ask_builders"),
        c("label_nervous"),
        c("ask_year"),
        {"offer": {"price": 2, "volume": 2, "payment": 2, "term": 1}},
    ]
    a = Session.replay(sample, 11, None, inputs)
    b = Session.replay(sample, 11, None, inputs)
    assert a.to_json() == b.to_json()


def test_state_survives_json_and_carries_on_identically(sample):
    import json

    s = Session.start(sample, seed=5)
    for cid in ("small_talk_drive", "ask_builders", "label_nervous"):
        s.choose(cid)
    copy = Session.restore(sample, json.loads(json.dumps(s.to_json())))
    assert copy.to_json() == s.to_json()
    s.choose("ask_year")
    copy.choose("ask_year")
    assert copy.to_json() == s.to_json()


def test_restoring_a_damaged_state_is_refused_clearly(sample):
    data = Session.start(sample, seed=1).to_json()
    del data["vars"]
    with pytest.raises(ValueError, match="damaged"):
        Session.restore(sample, data)
    with pytest.raises(ValueError):
        Session.restore(sample, {"state_version": 99})


def test_an_unknown_variant_is_a_clear_error(sample):
    with pytest.raises(ValueError, match="warm, curt"):
        Session.start(sample, variant="sleepy")


def test_last_move_names_the_move_of_the_turn_being_played(sample):
    s = Session.start(sample, seed=0, variant="warm")
    s.choose("small_talk_drive")
    assert s.state.scalar("last_move") == "small_talk"
    s.choose("ask_builders")
    assert s.state.scalar("last_move") == "open_question"


def test_revealed_now_holds_only_during_the_turn_that_revealed(sample):
    from negtrainer.engine.loader import load_text

    text = sample.source.replace(
        """          - when: trust >= 50
            id: table.year.open""",
        """          - when: revealed_now.idle_line
            id: table.year.now
            text: "There. I've said it."
          - when: trust >= 50
            id: table.year.open""",
    )
    sc, diags = load_text(text, "t.yaml")
    assert sc is not None, diags
    s = Session.start(sc, seed=0, variant="warm")
    for cid in ("small_talk_drive", "thank_rush_order", "chat_to_business"):
        s.choose(cid)
    step = s.choose("ask_year")
    assert step.revealed == ["idle_line"]
    assert [ln["id"] for ln in step.lines][:2] == ["interest.idle_line.reveal", "table.year.now"]
    assert s.state.scalar("turn") == 4 and not sc.cond("revealed_now.idle_line")(s.state)
