"""The debrief: numbers a coach recognises, each tied to the turns that earned it.

Works at any turn, not only at the end. Reference thresholds:
- Motivational Interviewing (MITI 4): reflection-to-question ratio 1:1 fair
  (competent), 2:1 good (proficient); complex reflections 40 % fair, 50 % good;
  older versions: open questions 50 % fair, 70 % good.
- The coaching study's common mistakes: not breaking the ice, a weak or
  unambitious first offer, no rationale, no strategic closing.
"""

from __future__ import annotations

from dataclasses import asdict, dataclass, field
from typing import Any

from negtrainer.engine.moves import MOVES
from negtrainer.engine.skills import SKILLS

REFLECTIONS = ("paraphrase", "emotion_label", "summary")
COMPLEX_REFLECTIONS = ("emotion_label", "summary")
COMPETITIVE = ("threat", "ultimatum", "bare_refusal", "leading_question")
OFFER_MOVES = ("offer", "counter_offer")


@dataclass
class Metric:
    key: str
    label: str
    value: float | None
    display: str
    reference: str
    rating: str  # good | fair | poor | n/a
    turns: list[int] = field(default_factory=list)
    explanation: str = ""


@dataclass
class Block:
    key: str
    label: str
    score: int | None  # 0..100, None when it did not come up
    turns: list[int]
    explanation: str


@dataclass
class Moment:
    turn: int
    said: str
    why: str
    trust_delta: float


@dataclass
class InterestResult:
    id: str
    label: str
    revealed_turn: int | None
    hinted_turn: int | None


@dataclass
class Lesson:
    skill: str
    title: str
    lesson: str
    here: str


@dataclass
class Debrief:
    scenario_id: str
    title: str
    ending: dict[str, str] | None
    turns: int
    metrics: list[Metric]
    blocks: list[Block]
    trust_curve: list[float]
    interests: list[InterestResult]
    value: dict[str, Any] | None
    moments: list[Moment]
    lessons: list[Lesson]
    mistakes: list[str]
    end_trust: float
    end_mood: str
    expert: dict[str, Any] | None = None

    def metric(self, key: str) -> Metric:
        return next(m for m in self.metrics if m.key == key)

    def block(self, key: str) -> Block:
        return next(b for b in self.blocks if b.key == key)

    def to_json(self) -> dict[str, Any]:
        return asdict(self)


def plural(n: int, word: str, many: str | None = None) -> str:
    return f"{n} {word if n == 1 else (many or word + 's')}"


def _rate(value: float, fair: float, good: float) -> str:
    return "good" if value >= good else "fair" if value >= fair else "poor"


def debrief(session: Any, expert: dict[str, Any] | None = None) -> Debrief:
    sc = session.scenario
    st = session.state
    log: list[dict[str, Any]] = st.log
    [r["move"] for r in log]

    def turns_of(*names: str) -> list[int]:
        return [r["turn"] for r in log if r["move"] in names]

    questions = turns_of("open_question", "closed_question", "leading_question")
    opens = turns_of("open_question")
    reflections = turns_of(*REFLECTIONS)
    complex_r = turns_of(*COMPLEX_REFLECTIONS)
    offers = [r["turn"] for r in log if r["move"] in OFFER_MOVES or "offer" in r.get("input", {})]
    offers = sorted(set(offers))
    substance = st.substance_turn
    rapport_before = [r["turn"] for r in log if MOVES[r["move"]].rapport
                      and (substance is None or r["turn"] < substance)]
    competitive = turns_of(*COMPETITIVE)

    metrics: list[Metric] = []
    if questions:
        share = len(opens) / len(questions)
        metrics.append(Metric(
            "open_questions", "Open questions", share, f"{share:.0%} of {len(questions)}",
            "50% fair, 70% good (MITI)", _rate(share, 0.5, 0.7), opens,
            "Open questions invite full answers; closed and leading ones get yes, no or pushback."))
    else:
        metrics.append(Metric("open_questions", "Open questions", None, "no questions asked",
                              "50% fair, 70% good (MITI)", "poor", [],
                              "You asked nothing: the other side's interests stayed hidden."))
    ratio = len(reflections) / len(questions) if questions else (float(len(reflections))
                                                                 if reflections else 0.0)
    metrics.append(Metric(
        "reflection_ratio", "Listening responses per question", ratio,
        f"{len(reflections)} : {len(questions)}", "1:1 competent, 2:1 proficient (MITI)",
        _rate(ratio, 1.0, 2.0), reflections,
        "Paraphrases, feelings named and summaries show you heard; questions alone feel like "
        "an interrogation."))
    if reflections:
        cshare = len(complex_r) / len(reflections)
        metrics.append(Metric(
            "complex_reflections", "Reflections that go deeper", cshare, f"{cshare:.0%}",
            "40% fair, 50% good (MITI)", _rate(cshare, 0.4, 0.5), complex_r,
            "Naming a feeling or pulling threads together goes beyond repeating words."))
    first_offer = offers[0] if offers else None
    asked_before = len([t for t in questions + reflections if first_offer is None or t < first_offer])
    if first_offer is None:
        metrics.append(Metric("first_offer", "First offer", None, "no offer made",
                              "after asking and listening", "n/a", [],
                              "No offer was put on the table."))
    else:
        rating = "good" if asked_before >= 3 else "fair" if asked_before >= 1 else "poor"
        metrics.append(Metric(
            "first_offer", "First offer", float(first_offer),
            f"turn {first_offer}, after {asked_before} questions or listening responses",
            "after asking and listening", rating, [first_offer],
            "Asking first lets you learn their interests before positions harden."))
    metrics.append(Metric(
        "rapport", "Small talk before substance", float(len(rapport_before)),
        plural(len(rapport_before), "move"), "at least 2 before talking terms",
        _rate(len(rapport_before), 1, 2), rapport_before,
        "Even a few minutes of genuine small talk means more cooperation and fewer threats."))
    total = len(sc.spec.interests)
    if total:
        found = len(st.revealed)
        metrics.append(Metric(
            "interests", "Hidden interests uncovered", found / total, f"{found} of {total}",
            "all of them", _rate(found / total, 0.34, 0.67), sorted(st.revealed.values()),
            "What they really need is where the value is."))
    curve = [st.trust_start] + [r["trust_after"] for r in log]
    metrics.append(Metric(
        "trust", "Trust", curve[-1], f"{curve[0]:.0f} → {curve[-1]:.0f} (lowest {min(curve):.0f})",
        "60 or more at the end", _rate(curve[-1], 40, 60), [],
        "Trust makes your proposals look less risky, and so more acceptable."))
    metrics.append(Metric(
        "competitive", "Threats, ultimatums, bare refusals, leading questions",
        float(len(competitive)), f"{len(competitive)}", "none",
        "good" if not competitive else "fair" if len(competitive) == 1 else "poor", competitive,
        "Pressure invites pressure back: the vicious cycle."))

    value = _value(session)
    if value is not None and value.get("deal"):
        metrics.append(Metric(
            "value_created", "Joint value created", value["created_share"],
            f"{value['joint']:.0f} of {value['best_joint']:.0f} possible",
            "85% good, 65% fair", _rate(value["created_share"], 0.65, 0.85),
            [value["deal_turn"]] if value.get("deal_turn") else [],
            "Trading across issues that the sides value differently grows the pie."))
        metrics.append(Metric(
            "value_claimed", "Value claimed for your side", value["claimed_share"],
            f"{value['you']:.0f} of {value['max_you']:.0f} at most", "50% or more",
            _rate(value["claimed_share"], 0.35, 0.5), [],
            "Collaborating does not mean giving everything away: advocate for your side too."))

    blocks = _blocks(session, questions, opens, reflections, competitive)
    return Debrief(
        scenario_id=sc.id, title=sc.title,
        ending=None if session.ending is None else asdict(session.ending),
        turns=st.turn, metrics=metrics, blocks=blocks, trust_curve=curve,
        interests=[InterestResult(i, it.label, st.revealed.get(i), st.hinted.get(i))
                   for i, it in sc.spec.interests.items()],
        value=value, moments=_moments(session), lessons=_lessons(session, first_offer,
                                                                 asked_before, rapport_before),
        mistakes=_mistakes(session, rapport_before, first_offer, value),
        end_trust=curve[-1], end_mood=st.mood, expert=expert,
    )


def _value(session: Any) -> dict[str, Any] | None:
    sc, st = session.scenario, session.state
    if not sc.issue_ids:
        return None
    best = sc.best_joint
    assert best is not None
    max_you = max(sc.value_you(t) for t in sc.all_terms)
    out: dict[str, Any] = {"best_joint": best[0], "best_terms": sc.terms_dict(best[1]),
                           "max_you": max_you, "deal": None}
    if st.deal is not None:
        terms = tuple(st.deal)
        everything = set(sc.spec.interests)
        you = sc.value_you(terms)
        them = sc.value_them(terms, everything)
        joint = you + them
        deal_turn = next((r["turn"] for r in reversed(st.log) if r.get("offer", {}).get(
            "accepted") or r["input"].get("accept")), None)
        out.update(deal=sc.terms_dict(terms), you=you, them=them, joint=joint,
                   created_share=joint / best[0] if best[0] else 1.0,
                   claimed_share=you / max_you if max_you else 1.0, deal_turn=deal_turn)
    return out


def _blocks(session: Any, questions: list[int], opens: list[int], reflections: list[int],
            competitive: list[int]) -> list[Block]:
    st, sc = session.state, session.scenario
    log = st.log
    n = max(1, len(log))
    disclosures = [r["turn"] for r in log if r["move"] in ("self_disclosure", "small_talk")]
    two_way = sorted(opens + reflections + disclosures)
    tw = min(100, round(100 * len(two_way) / n / 0.6))
    blocks = [Block("two_way", "Two-way communication", tw, two_way,
                    f"{len(two_way)} of {len(log)} turns asked openly, listened or shared "
                    "something of yours.")]
    total = len(sc.spec.interests)
    revealed_turns = sorted(st.revealed.values())
    listen_on_topic = [r["turn"] for r in log if r["move"] in REFLECTIONS and r["topics"]]
    if total:
        ci = round(70 * len(st.revealed) / total + 30 * min(1, len(listen_on_topic) / 2))
    else:
        ci = round(100 * min(1, len(listen_on_topic) / 2))
    blocks.append(Block("commitment", "Commitment to their interests", ci,
                        sorted(set(revealed_turns + listen_on_topic)),
                        f"You uncovered {len(st.revealed)} of {total} interests and reflected "
                        f"their concerns {len(listen_on_topic)} times."))
    made = [r["turn"] for r in log if r.get("promise")]
    kept = [r["turn"] for r in log if r.get("keeps")]
    broken = [r["turn"] for r in log if r.get("breaks")]
    if not made:
        blocks.append(Block("reliability", "Reliability", None, [],
                            "You made no promises, so there was nothing to keep."))
    else:
        score = 0 if broken else round(100 * min(1, len(kept) / len(made)))
        text = f"You made {plural(len(made), 'promise')} and kept {len(kept)}."
        if broken:
            text += " Breaking one undoes the trust the others built."
        elif len(kept) < len(made):
            text += " A promise not yet kept is still a debt."
        blocks.append(Block("reliability", "Reliability", score,
                            sorted(made + kept + broken), text))
    positive = [r["turn"] for r in log if r["move"] in ("appreciation", "apology",
                                                         "emotion_label")]
    respect = max(0, min(100, 60 + 15 * len(positive) - 20 * len(competitive)))
    blocks.append(Block("respect", "Respect for their contributions", respect,
                        sorted(positive + competitive),
                        f"{plural(len(positive), 'move')} acknowledged them; "
                        f"{len(competitive)} pushed or dismissed."))
    return blocks


def explain_turn(rec: dict[str, Any], scenario: Any = None) -> str:
    """Why trust moved on this turn, in plain words."""
    move = MOVES[rec["move"]]
    delta = rec.get("deltas", {}).get("trust", 0.0)
    parts = []
    if rec.get("revealed"):
        parts.append("they opened up about what they really need")
    if rec.get("after_emotional"):
        if move.listens:
            parts.append("you listened right after they showed a feeling")
        elif move.asks and move.name != "open_question" or move.substance:
            parts.append("you moved on past a feeling they had just shown")
    if rec.get("keeps"):
        parts.append("you did what you said you would")
    if rec.get("breaks"):
        parts.append("you went back on your word")
    if move.chat:
        parts.append("small talk counts most before the talks turn to terms")
    if move.stance < 0:
        parts.append("pressure invites pressure back")
    elif move.stance > 0 and delta > 4:
        parts.append("cooperation is answered with cooperation")
    if rec.get("hinted"):
        parts.append("they hinted at something, but did not trust you enough to say more")
    offer = rec.get("offer")
    if offer:
        parts.append("they accepted your offer" if offer["accepted"] else "they turned the "
                     "offer down")
    head = f"{move.name.replace('_', ' ').capitalize()}"
    if delta:
        head += f", trust {delta:+.0f}"
    return head + (": " + "; ".join(parts) if parts else "") + "."


def _moments(session: Any) -> list[Moment]:
    log = session.state.log
    scored = []
    for r in log:
        d = r.get("deltas", {}).get("trust", 0.0)
        weight = abs(d) + (10 if r.get("revealed") else 0) + (6 if r.get("offer") else 0) \
            + (8 if r.get("ending") and r is log[-1] else 0)
        scored.append((weight, r))
    top = sorted(scored, key=lambda x: -x[0])[:6]
    return [Moment(r["turn"], r["said"], explain_turn(r), r.get("deltas", {}).get("trust", 0.0))
            for _w, r in sorted(top, key=lambda x: x[1]["turn"]) if _w > 0]


def _lessons(session: Any, first_offer: int | None, asked_before: int,
             rapport_before: list[int]) -> list[Lesson]:
    sc, st = session.scenario, session.state
    out = []
    competitive = sum(1 for r in st.log if r["move"] in COMPETITIVE)
    for key in sc.spec.skills:
        skill = SKILLS[key]
        if key == "ask-before-offering":
            here = ("You made no offer." if first_offer is None else
                    f"Your first offer came at turn {first_offer}, after {asked_before} "
                    "questions or listening responses.")
        elif key == "rapport":
            here = (f"You spent {plural(len(rapport_before), 'move')} on rapport before talking "
                    "terms.")
        elif key == "hidden-interests":
            here = f"You uncovered {len(st.revealed)} of {len(sc.spec.interests)} hidden " \
                   "interests."
        elif key == "empathic-listening":
            n = sum(1 for r in st.log if r["move"] in REFLECTIONS and r.get("after_emotional"))
            here = (f"You answered a feeling with a listening response {plural(n, 'time')}."
                    if n else "When they showed a feeling, you never reflected it back.")
        elif key == "reciprocity":
            here = (f"{competitive} competitive moves; trust went from {st.trust_start:.0f} to "
                    f"{st.vars['trust']:.0f}.")
        elif key == "trust-lowers-risk":
            here = f"At the end, with trust at {st.vars['trust']:.0f}, the least they would " \
                   "accept had moved " + ("down." if st.vars["trust"] > 50 else "up.")
        elif key == "collaborate-under-pressure":
            here = (f"You answered pressure with {plural(competitive, 'competitive move')} of "
                    "your own.")
        elif key == "value-creation":
            value = _value(session)
            if value and value.get("deal"):
                here = (f"Your deal reached {value['joint']:.0f} of the "
                        f"{value['best_joint']:.0f} joint value on the table.")
            else:
                here = "No deal was made, so no value was created for either side."
        elif key == "trust-building-blocks":
            kept = sum(1 for r in st.log if r.get("keeps"))
            here = (f"You uncovered {len(st.revealed)} of {len(sc.spec.interests)} interests and "
                    f"kept {plural(kept, 'promise')}.")
        elif key == "closing":
            closes = [r["turn"] for r in st.log if r["move"] in ("summary", "proposal_to_close")]
            here = (f"You summarised or moved to close at turn(s) "
                    f"{', '.join(map(str, closes))}." if closes else
                    "You never summarised or proposed to close.")
        elif key == "saying-no":
            reasons = sum(1 for r in st.log if r["move"] == "refusal_with_reasons")
            bare = sum(1 for r in st.log if r["move"] == "bare_refusal")
            here = (f"You gave {plural(reasons, 'refusal')} with reasons and "
                    f"{plural(bare, 'bare refusal')}.")
        elif key == "judgment-biases":
            here = ("Look at the value of the deal against the best possible one: a quick yes "
                    "or a number you kept defending are the usual signs.")
        else:
            here = ""
        out.append(Lesson(key, skill.title, skill.lesson, here))
    return out


def _mistakes(session: Any, rapport_before: list[int], first_offer: int | None,
              value: dict[str, Any] | None) -> list[str]:
    sc, st = session.scenario, session.state
    out = []
    if not rapport_before:
        out.append("Not breaking the ice: you went to substance without any small talk.")
    if first_offer is not None and value is not None:
        rec = next(r for r in st.log if r["turn"] == first_offer)
        offer = rec.get("offer")
        if offer and value["max_you"] and offer["you"] < 0.4 * value["max_you"]:
            out.append("An unambitious opening: your first offer asked for little for your "
                       "side.")
    if first_offer is not None and not any(r["move"] in ("argument", "refusal_with_reasons")
                                           for r in st.log):
        out.append("No rationale: you never gave reasons for what you asked.")
    if session.ended and session.ending.kind == "deal" and not any(
            r["move"] in ("summary", "proposal_to_close") for r in st.log):
        out.append("No strategic closing: you never summarised or proposed to wrap up.")
    if sc.spec.interests and not st.revealed and any(st.hinted):
        out.append("Hints left unexplored: they hinted at something and you never earned "
                   "the trust to hear it.")
    return out
