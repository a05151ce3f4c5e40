from negtrainer.engine.session import Session
from negtrainer.engine.strategies import play


def test_a_listening_session_scores_well_on_listening_and_value(sample):
    s = play(sample, "listening", seed=1, variant="warm")
    d = s.debrief()
    assert d.ending["kind"] == "deal"
    assert d.metric("interests").rating == "good"
    assert d.metric("open_questions").value >= 0.7
    assert d.metric("value_created").value >= 0.85
    assert d.block("commitment").score >= 70
    assert d.trust_curve[-1] > d.trust_curve[0]


def test_a_hard_session_is_told_why_it_went_wrong(sample):
    s = play(sample, "hard", seed=1, variant="warm")
    d = s.debrief()
    assert d.metric("competitive").rating == "poor"
    assert d.metric("rapport").rating == "poor"
    assert d.block("respect").score < 50
    assert any("ice" in m for m in d.mistakes)
    assert d.trust_curve[-1] < d.trust_curve[0]


def test_each_metric_points_at_the_turns_that_earned_it(sample):
    s = Session.start(sample, seed=0, variant="warm")
    for cid in ("small_talk_drive", "ask_builders", "label_nervous", "ask_year"):
        s.choose(cid)
    d = s.debrief()
    assert d.metric("open_questions").turns == [2, 4]
    assert d.metric("reflection_ratio").turns == [3]
    assert d.metric("rapport").turns == [1]
    assert d.block("reliability").score is None  # no promises made


def test_breaking_no_promise_and_keeping_one_scores_full_reliability(sample):
    s = Session.start(sample, seed=0, variant="warm")
    for cid in ("straight_to_numbers", "promise_forecast", "keep_forecast"):
        s.choose(cid)
    assert s.debrief().block("reliability").score == 100


def test_the_debrief_serialises_to_json(sample):
    import json

    d = play(sample, "listening", seed=2).debrief()
    assert json.loads(json.dumps(d.to_json()))["scenario_id"] == "packaging-renewal"


def test_moments_explain_why_trust_moved(sample):
    s = Session.start(sample, seed=0, variant="warm")
    for cid in ("small_talk_drive", "ask_builders", "label_nervous"):
        s.choose(cid)
    whys = " ".join(m.why for m in s.debrief().moments)
    assert "small talk" in whys and "opened up" in whys
