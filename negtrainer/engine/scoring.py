"""The debrief: the outcome first, then the process, each tied to the turns that earned it.

Works at any turn, not only at the end.

Process measures are judged against references calibrated on the scenario's
own expert path (what the analysis found to work best here), not against
counselling thresholds: Motivational Interviewing's coding manual (MITI 4:
reflections to questions 1:1 fair, 2:1 good) is background only, because a
bargaining table needs more questions than a counselling session. Without an
expert path (a debrief mid-session or without analysis) the old fixed
references are used and say so.

The coaching study's mistake kinds (no walk-away point, no target, not breaking
the ice, weak or unambitious first offer, no rationale, no strategic closing)
are reported only where this scenario's expert path shows they matter.
"""

from __future__ import annotations

import json
from dataclasses import asdict, dataclass, field
from typing import Any

from negtrainer.engine import expr
from negtrainer.engine import outcome as oc
from negtrainer.engine import takeaways as tk
from negtrainer.engine.moves import (
    COMPETITIVE,
    COMPLEX_REFLECTIONS,
    DISCLOSURE_WHY,
    MOVES,
    OFFER_MOVES,
    REFLECTIONS,
    WALKAWAY_WHY,
)
from negtrainer.engine.results import DealValue, ExpertPath
from negtrainer.engine.skills import SKILLS


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
    value: DealValue | None
    moments: list[Moment]
    lessons: list[Lesson]
    mistakes: list[str]
    end_trust: float
    end_mood: str
    expert: ExpertPath | None = None
    outcome: dict[str, Any] | None = None
    other_side: dict[str, Any] | None = None
    takeaways: list[dict[str, Any]] = field(default_factory=list)
    thoughts: dict[int, str] = field(default_factory=dict)
    objectives: list[dict[str, Any]] = field(default_factory=list)
    quality: int = 0

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


@dataclass
class Counts:
    """The raw counts a measure is built from, for a session or the expert path."""

    questions: list[int]
    opens: list[int]
    reflections: list[int]
    complex_r: list[int]
    offers: list[int]
    small_talk_before: list[int]
    rapport_before: list[int]  # any rapport move (small talk, thanks, an apology): the ice broken
    competitive: list[int]
    reasons: list[int]
    closes: list[int]
    asked_before: int
    first_offer_you: float | None
    interests: int
    end_trust: float


def is_small_talk(rec: dict[str, Any]) -> bool:
    """Chat not about the deal: what the article's five-minute call was made of. A
    self-disclosure that tells them a priority, an interest or your walk-away talks
    about the deal, so it is not small talk."""
    return MOVES[rec["move"]].chat and not rec.get("discloses")


def closes(log: list[dict[str, Any]]) -> list[int]:
    """Turns that moved to close: a summary, a proposal to wrap up or accepting their
    offer, and an offer of yours that they accepted (it closed the deal)."""
    return [
        r["turn"]
        for r in log
        if r["move"] in ("summary", "proposal_to_close") or (r.get("offer") or {}).get("accepted")
    ]


def counts(session: Any) -> Counts:
    st = session.state
    log: list[dict[str, Any]] = st.log

    def turns_of(*names: str) -> list[int]:
        return [r["turn"] for r in log if r["move"] in names]

    questions = turns_of("open_question", "closed_question", "leading_question")
    # Listening is coded by what landed, not by the menu label: an empty summary,
    # a misreading or a feeling named where none was shown is not a reflection.
    reflections = [
        r["turn"]
        for r in log
        if r.get("reflection", r["move"] in REFLECTIONS) and r["move"] in REFLECTIONS
    ]
    complex_r = [
        r["turn"]
        for r in log
        if r.get("complex_reflection", r["move"] in COMPLEX_REFLECTIONS)
        and r["move"] in COMPLEX_REFLECTIONS
    ]
    offers = sorted(
        {
            r["turn"]
            for r in log
            if r["move"] in OFFER_MOVES or "offer" in r.get("input", {}) or r.get("offer")
        }
    )
    substance = st.substance_turn
    # Small talk proper, as the article means it (a chat not about the deal): not an
    # apology, thanks, or a disclosure of what you want from the deal.
    before = [r for r in log if substance is None or r["turn"] < substance]
    small_talk_before = [r["turn"] for r in before if is_small_talk(r)]
    rapport_before = [r["turn"] for r in before if MOVES[r["move"]].rapport]
    first = offers[0] if offers else None
    asked = len([t for t in questions + reflections if first is None or t < first])
    first_you = None
    if first is not None:
        rec = next(r for r in log if r["turn"] == first)
        if rec.get("offer"):
            first_you = rec["offer"].get("you")
    return Counts(
        questions,
        turns_of("open_question"),
        reflections,
        complex_r,
        offers,
        small_talk_before,
        rapport_before,
        turns_of(*COMPETITIVE),
        turns_of("argument", "refusal_with_reasons"),
        closes(log),
        asked,
        first_you,
        len(st.revealed),
        st.vars["trust"],
    )


def _expert_session(session: Any, expert: ExpertPath | None) -> Any:
    if not expert or not expert.get("inputs"):
        return None
    from negtrainer.engine.session import Session

    # Replayed once per loaded scenario and path, not once per debrief: a room's collect
    # debriefs thousands of sessions against the same expert path. Debriefs only read it.
    key = json.dumps(
        [expert.get("seed", 0), expert.get("variant"), expert["inputs"]], sort_keys=True
    )
    cache = session.scenario.__dict__.setdefault("_expert_sessions", {})
    if key not in cache:
        try:
            cache[key] = Session.replay(
                session.scenario,
                int(expert.get("seed", 0)),
                expert.get("variant"),
                expert["inputs"],
            )
        except ValueError:
            cache[key] = None
    return cache[key]


def _of_expert(ex_session: Any, what: str, compute: Any) -> Any:
    """``compute(ex_session)``, once per cached expert session."""
    if ex_session is None:
        return None
    done = ex_session.__dict__.setdefault("_of_expert", {})
    if what not in done:
        done[what] = compute(ex_session)
    return done[what]


_RANK = {"poor": 0, "fair": 1, "n/a": 2, "good": 3}


def _vs(value: float, ref: float, good: float, fair: float) -> str:
    """At least ``good``·ref is good, ``fair``·ref fair (higher is better)."""
    if ref <= 0:
        return "good" if value > 0 else "n/a"
    return (
        "good" if value >= good * ref - 1e-9 else "fair" if value >= fair * ref - 1e-9 else "poor"
    )


def _words(n: int, word: str, many: str | None = None) -> str:
    return plural(n, word, many)


def debrief(session: Any, expert: ExpertPath | None = None, with_takeaways: bool = True) -> Debrief:
    """``with_takeaways=False`` leaves out the takeaways (each plays better lines on
    copies of the session): a room's collect computes them when a debrief is opened."""
    sc = session.scenario
    st = session.state
    log: list[dict[str, Any]] = st.log
    c = counts(session)
    ex_session = _expert_session(session, expert)
    ex = _of_expert(ex_session, "counts", counts)
    ref_note = "the expert path here" if ex is not None else "a general reference"
    metrics: list[Metric] = []

    q, op = len(c.questions), len(c.opens)
    if q:
        share = op / q
        ref = (len(ex.opens) / len(ex.questions)) if ex and ex.questions else 0.7
        metrics.append(
            Metric(
                "open_questions",
                "Open questions",
                share,
                f"{op} of your {_words(q, 'question')} open",
                f"{ref:.0%} on {ref_note}",
                _vs(share, ref, 0.8, 0.5),
                c.opens,
                "Open questions invite full answers; closed and leading ones get yes, no or "
                "pushback.",
            )
        )
    else:
        metrics.append(
            Metric(
                "open_questions",
                "Open questions",
                None,
                "no questions asked",
                f"questions asked on {ref_note}",
                "poor" if not ex or ex.questions else "n/a",
                [],
                "You asked nothing: the other side's interests stayed hidden.",
            )
        )
    ratio = len(c.reflections) / q if q else float(len(c.reflections))
    ex_ratio = (
        len(ex.reflections) / len(ex.questions)
        if ex and ex.questions
        else (float(len(ex.reflections)) if ex else 1.0)
    )
    metrics.append(
        Metric(
            "reflection_ratio",
            "Listening replies per question",
            ratio,
            f"{_words(len(c.reflections), 'listening reply', 'listening replies')} to "
            f"{_words(q, 'question')}",
            f"{len(ex.reflections)} to {len(ex.questions)} on {ref_note}"
            if ex
            else "about one listening reply per question",
            _vs(ratio, ex_ratio, 0.75, 0.4),
            c.reflections,
            "Paraphrases, feelings named and summaries show you heard; questions alone feel like "
            "an interrogation. (Counselling's MITI asks for 1–2 reflections per question; a "
            "negotiation needs more questions than that.)",
        )
    )
    if c.reflections or (ex and ex.complex_r):
        cshare = len(c.complex_r) / len(c.reflections) if c.reflections else 0.0
        ex_c = (len(ex.complex_r) / len(ex.reflections)) if ex and ex.reflections else 0.5
        metrics.append(
            Metric(
                "complex_reflections",
                "Listening that goes deeper",
                cshare,
                f"{len(c.complex_r)} of {_words(len(c.reflections), 'listening reply', 'listening replies')}",
                f"{ex_c:.0%} on {ref_note}",
                _vs(cshare, ex_c, 0.7, 0.4),
                c.complex_r,
                "Naming a feeling they showed, or pulling together what they said, goes beyond "
                "repeating words.",
            )
        )
    first_offer = c.offers[0] if c.offers else None
    if first_offer is None:
        metrics.append(
            Metric(
                "first_offer",
                "First offer",
                None,
                "no offer made",
                "after asking and listening",
                "n/a",
                [],
                "No offer was put on the table.",
            )
        )
    else:
        ref = ex.asked_before if ex else 3
        metrics.append(
            Metric(
                "first_offer",
                "First offer",
                float(first_offer),
                f"turn {first_offer}, after {_words(c.asked_before, 'question or listening reply', 'questions or listening replies')}",
                f"after {ref} on {ref_note}",
                _vs(c.asked_before, max(1, ref), 0.6, 0.3),
                [first_offer],
                "Asking first lets you learn their interests before positions harden.",
            )
        )
    if not ex or ex.small_talk_before:
        ref = len(ex.small_talk_before) if ex else 2
        metrics.append(
            Metric(
                "rapport",
                "Small talk before substance",
                float(len(c.small_talk_before)),
                _words(len(c.small_talk_before), "move"),
                f"{ref} on {ref_note}",
                _vs(len(c.small_talk_before), ref, 0.5, 0.25),
                c.small_talk_before,
                "Even a few minutes of genuine small talk means more cooperation and fewer "
                "threats.",
            )
        )
    total = len(sc.spec.interests)
    if total:
        ref = ex.interests if ex else total
        metrics.append(
            Metric(
                "interests",
                "Hidden interests uncovered",
                c.interests / total,
                f"{c.interests} of {total}",
                f"{ref} on {ref_note}",
                _vs(c.interests, ref, 1.0, 0.5),
                sorted(st.revealed.values()),
                "What they really need is where the value is.",
            )
        )
    curve = [st.trust_start] + [r["trust_after"] for r in log]
    ref_t = ex.end_trust if ex else 60.0
    metrics.append(
        Metric(
            "trust",
            "Trust",
            curve[-1],
            f"{curve[0]:.0f} → {curve[-1]:.0f} (lowest {min(curve):.0f})",
            f"{ref_t:.0f} at the end on {ref_note}",
            "good" if curve[-1] >= ref_t - 15 else "fair" if curve[-1] >= ref_t - 30 else "poor",
            [],
            "Trust makes your proposals look less risky, and so more acceptable.",
        )
    )
    ref_c = len(ex.competitive) if ex else 0
    n_comp = len(c.competitive)
    metrics.append(
        Metric(
            "competitive",
            "Threats, ultimatums, bare refusals, leading questions",
            float(n_comp),
            f"{n_comp}",
            f"{ref_c} on {ref_note}",
            "good" if n_comp <= ref_c else "fair" if n_comp <= ref_c + 1 else "poor",
            c.competitive,
            "Pressure invites pressure back: the vicious cycle.",
        )
    )

    result = oc.judge(session) if session.ended else None
    value = _value(session)
    ex_out = (
        _of_expert(ex_session, "outcome", oc.judge)
        if ex_session is not None and ex_session.ended
        else None
    )
    if result is not None and result.deal is not None:
        ref_j = ex_out.joint_share if ex_out and ex_out.joint_share else 0.85
        metrics.append(
            Metric(
                "value_created",
                "Joint value created",
                result.joint_share or 0.0,
                f"{(result.you or 0) + (result.them or 0):.0f} of "
                f"{value['best_joint']:.0f} possible"
                if value
                else "",
                f"{ref_j:.0%} on {ref_note}",
                # Value created and handed over is not a success: never green when you caved.
                min(_vs(result.joint_share or 0.0, ref_j, 0.9, 0.7), "fair", key=lambda r: _RANK[r])
                if result.caved
                else _vs(result.joint_share or 0.0, ref_j, 0.9, 0.7),
                [turn] if value and (turn := value.get("deal_turn")) else [],
                "Trading across issues that the sides value differently grows the pie.",
            )
        )
        ref_v = ex_out.claimed_share if ex_out and ex_out.claimed_share is not None else 0.5
        claimed = result.claimed_share or 0.0
        metrics.append(
            Metric(
                "value_claimed",
                "Value claimed for your side",
                claimed,
                f"{result.you:.0f} for you: {claimed:.0%} of what they could have signed",
                f"{ref_v:.0%} on {ref_note}",
                "poor" if result.caved else _vs(claimed, ref_v, 0.75, 0.4),
                [],
                "Collaborating does not mean giving everything away: advocate for your side too.",
            )
        )

    blocks = _blocks(session, c.questions, c.opens, c.reflections, c.competitive, result)
    thoughts: dict[int, str] = {}
    for r in log:
        cid = r.get("input", {}).get("choice")
        authored = r.get("thought")
        if authored is None and cid in sc.choice_by_id:
            authored = sc.choice(*sc.choice_by_id[cid]).thought
        text = oc.thought_for(r, authored)
        if text:
            thoughts[r["turn"]] = text
    objectives = [_objective(sc, st, o) for o in sc.spec.objectives]
    return Debrief(
        scenario_id=sc.id,
        title=sc.title,
        ending=None if session.ending is None else asdict(session.ending),
        turns=st.turn,
        metrics=metrics,
        blocks=blocks,
        trust_curve=curve,
        interests=[
            InterestResult(i, it.label, st.revealed.get(i), st.hinted.get(i))
            for i, it in sc.spec.interests.items()
        ],
        value=value,
        moments=_moments(session),
        lessons=_lessons(session, first_offer, c.asked_before, c.small_talk_before),
        mistakes=_mistakes(session, c, ex, result, ex_out),
        end_trust=curve[-1],
        end_mood=st.mood,
        expert=expert,
        outcome=result.to_json() if result is not None else None,
        other_side=oc.other_side(sc) if session.ended else None,
        takeaways=[t.to_json() for t in tk.takeaways(session, result)]
        if session.ended and with_takeaways
        else [],
        thoughts=thoughts,
        objectives=objectives,
        quality=result.quality if result is not None else 0,
    )


_PROMISE_NAMES = ("kept.", "broken.", "promised.", "due.")


def _objective(sc: Any, st: Any, o: Any) -> dict[str, Any]:
    """An objective and whether it was met: ``met`` is None where it did not apply (it
    is about keeping promises and none of those promises was made)."""
    met = bool(sc.cond(o.check)(st))
    out: dict[str, Any] = {"id": o.id, "text": o.text, "met": met}
    if not met:
        read = [name for name, _col in expr.names(expr.parse(o.check))]
        about_promises = read and all(n.startswith(_PROMISE_NAMES) for n in read)
        if about_promises and not any(n.split(".", 1)[1] in st.promises for n in read):
            out["met"] = None
            out["note"] = "not applicable: you made no promise"
    return out


def objective_line(ob: dict[str, Any], marks: tuple[str, str, str] = ("✔ ", "✘ ", "– ")) -> str:
    """An objective as a front-end lists it: met, not met, or not applicable (never
    shown as failed when it did not apply)."""
    met = ob.get("met")
    mark = marks[2] if met is None else marks[0] if met else marks[1]
    return mark + ob["text"] + (f" ({ob['note']})" if ob.get("note") else "")


def _value(session: Any) -> DealValue | None:
    sc, st = session.scenario, session.state
    if not sc.issue_ids:
        return None
    best = sc.best_joint
    assert best is not None
    max_you = sc.__dict__.get("_max_you")
    if max_you is None:  # the same for every session of the scenario
        max_you = sc.__dict__["_max_you"] = max(sc.value_you(t) for t in sc.all_terms)
    out: DealValue = {
        "best_joint": best[0],
        "best_terms": sc.terms_dict(best[1]),
        "max_you": max_you,
        "deal": None,
    }
    if st.deal is not None:
        terms = tuple(st.deal)
        everything = set(sc.spec.interests)
        you = sc.value_you(terms)
        them = sc.value_them(terms, everything)
        joint = you + them
        deal_turn = next(
            (
                r["turn"]
                for r in reversed(st.log)
                if r.get("offer", {}).get("accepted") or r["input"].get("accept")
            ),
            None,
        )
        out.update(
            {
                "deal": sc.terms_dict(terms),
                "you": you,
                "them": them,
                "joint": joint,
                "created_share": joint / best[0] if best[0] else 1.0,
                "claimed_share": you / max_you if max_you else 1.0,
                "deal_turn": deal_turn,
            }
        )
    return out


def _blocks(
    session: Any,
    questions: list[int],
    opens: list[int],
    reflections: list[int],
    competitive: list[int],
    result: Any = None,
) -> list[Block]:
    st, sc = session.state, session.scenario
    log = st.log
    n = max(1, len(log))
    disclosures = [r["turn"] for r in log if r["move"] in ("self_disclosure", "small_talk")]
    two_way = sorted(opens + reflections + disclosures)
    tw = min(100, round(100 * len(two_way) / n / 0.6))
    blocks = [
        Block(
            "two_way",
            "Two-way communication",
            tw,
            two_way,
            f"{len(two_way)} of {len(log)} turns asked openly, listened or shared "
            "something of yours.",
        )
    ]
    total = len(sc.spec.interests)
    revealed_turns = sorted(st.revealed.values())
    listen_on_topic = [r["turn"] for r in log if r["move"] in REFLECTIONS and r["topics"]]
    if total:
        ci = round(70 * len(st.revealed) / total + 30 * min(1, len(listen_on_topic) / 2))
    else:
        ci = round(100 * min(1, len(listen_on_topic) / 2))
    text = (
        f"You uncovered {len(st.revealed)} of {total} interests and reflected "
        f"their concerns {plural(len(listen_on_topic), 'time')}."
    )
    if result is not None and result.deal is not None and st.revealed:
        # A deal is the proof of commitment: what it did with what you learned.
        answered = [a for a in result.interests if a.revealed_turn is not None and a.answered_by]
        share = len(answered) / len(st.revealed)
        ci = round(0.4 * ci + 60 * share)
        text += f" Your deal answered {len(answered)} of the {len(st.revealed)} you uncovered."
        if result.ignored_needs:
            text += " It ignored: " + "; ".join(result.ignored_needs) + "."
    blocks.append(
        Block(
            "commitment",
            "Commitment to their interests",
            ci,
            sorted(set(revealed_turns + listen_on_topic)),
            text,
        )
    )
    made = [r["turn"] for r in log if r.get("promise")]
    kept = [r["turn"] for r in log if r.get("keeps")]
    broken = [r["turn"] for r in log if r.get("breaks")]
    broken_due = [
        r["turn"] for r in log if any("fell due and was not kept" in w for w in r.get("why", []))
    ]
    broken = sorted(set(broken + broken_due))
    if not made:
        blocks.append(
            Block(
                "reliability",
                "Reliability",
                None,
                [],
                "You made no promises, so there was nothing to keep.",
            )
        )
    else:
        score = 0 if broken else round(100 * min(1, len(kept) / len(made)))
        if result is not None and result.withdrawn:
            score = max(0, score - 30)
            text_extra = " Taking back a concession you had offered counts against it."
        else:
            text_extra = ""
        text = f"You made {plural(len(made), 'promise')} and kept {len(kept)}."
        if broken:
            text += " Breaking one undoes the trust the others built."
        elif len(kept) < len(made):
            text += " A promise not yet kept is still a debt."
        text += text_extra
        blocks.append(
            Block("reliability", "Reliability", score, sorted(made + kept + broken), text)
        )
    positive = [
        r["turn"]
        for r in log
        if r["move"] in ("appreciation", "apology")
        or (r["move"] == "emotion_label" and r.get("reflection", True))
        or (
            r["move"] in ("argument", "refusal_with_reasons")
            and any("respect" in w or "costs nothing" in w for w in r.get("why", []))
        )
    ]
    respect = max(0, min(100, 60 + 15 * len(positive) - 20 * len(competitive)))
    blocks.append(
        Block(
            "respect",
            "Respect for their contributions",
            respect,
            sorted(positive + competitive),
            f"{plural(len(positive), 'move')} acknowledged them; "
            f"{len(competitive)} pushed or dismissed.",
        )
    )
    return blocks


def explain_turn(rec: dict[str, Any], scenario: Any = None) -> str:
    """Why trust moved on this turn, in plain words."""
    move = MOVES[rec["move"]]
    delta = rec.get("deltas", {}).get("trust", 0.0)
    disclosed = rec.get("discloses")
    parts = []
    if disclosed == "walkaway":
        parts.append(WALKAWAY_WHY)
    if rec.get("revealed"):
        parts.append("they opened up about what they really need")
    why = rec.get("why")
    if isinstance(why, list):
        # The engine recorded why trust moved (effects.py): say exactly that, in words
        # true of a disclosure when it told them something about the deal.
        for w in why:
            w = str(w)
            if disclosed and w in DISCLOSURE_WHY:
                if disclosed != "walkaway":
                    parts.append(DISCLOSURE_WHY[w])
            else:
                parts.append(w)
    elif rec.get("after_emotional"):
        if move.listens:
            parts.append("you listened right after they showed a feeling")
        elif move.asks and move.name != "open_question" or move.substance:
            parts.append("you moved on past a feeling they had just shown")
    if rec.get("keeps"):
        parts.append("you did what you said you would")
    if rec.get("breaks"):
        parts.append("you went back on your word")
    if is_small_talk(rec):
        parts.append("small talk counts most before the talks turn to terms")
    if move.stance < 0:
        parts.append("pressure invites pressure back")
    elif move.stance > 0 and delta > 4:
        parts.append("cooperation is answered with cooperation")
    if rec.get("hinted"):
        parts.append("they hinted at something, but did not trust you enough to say more")
    offer = rec.get("offer")
    if offer:
        if not offer["accepted"]:
            parts.append("they turned the offer down")
        elif (rec.get("input") or {}).get("accept"):
            parts.append("you accepted their offer")
        else:
            parts.append("they accepted your offer")
    if not parts and round(delta) and rec.get("thought"):
        # No rule of the engine says why (an authored effect): what the author wrote the
        # counterpart thinks of it is the reason there is.
        parts.append(f"they thought: “{rec['thought']}”")
    head = f"{move.name.replace('_', ' ').capitalize()}"
    if round(delta):
        head += f", trust {delta:+.0f}"
    text = head + (": " + "; ".join(parts) if parts else "")
    return text if text.endswith((".”", "?”", "!”")) else text + "."


def _moments(session: Any) -> list[Moment]:
    log = session.state.log
    scored = []
    for r in log:
        d = r.get("deltas", {}).get("trust", 0.0)
        weight = (
            abs(d)
            + (10 if r.get("revealed") else 0)
            + (6 if r.get("offer") else 0)
            + (8 if r.get("discloses") == "walkaway" else 0)
            + (8 if r.get("ending") and r is log[-1] else 0)
        )
        scored.append((weight, r))
    top = sorted(scored, key=lambda x: -x[0])[:6]
    return [
        Moment(r["turn"], r["said"], explain_turn(r), r.get("deltas", {}).get("trust", 0.0))
        for _w, r in sorted(top, key=lambda x: x[1]["turn"])
        if _w > 0
    ]


def _lessons(
    session: Any, first_offer: int | None, asked_before: int, small_talk: list[int]
) -> list[Lesson]:
    sc, st = session.scenario, session.state
    out = []
    competitive = sum(1 for r in st.log if r["move"] in COMPETITIVE)
    for key in sc.spec.skills:
        skill = SKILLS[key]
        if key == "ask-before-offering":
            here = (
                "You made no offer."
                if first_offer is None
                else f"Your first offer came at turn {first_offer}, after "
                f"{plural(asked_before, 'question or listening response', 'questions or listening responses')}."
            )
        elif key == "rapport":
            here = (
                f"You spent {plural(len(small_talk), 'move')} on small talk before talking terms."
            )
        elif key == "hidden-interests":
            here = f"You uncovered {len(st.revealed)} of {len(sc.spec.interests)} hidden interests."
        elif key == "empathic-listening":
            n = sum(1 for r in st.log if r["move"] in REFLECTIONS and r.get("after_emotional"))
            here = (
                f"You answered a feeling with a listening response {plural(n, 'time')}."
                if n
                else "When they showed a feeling, you never reflected it back."
            )
        elif key == "reciprocity":
            here = (
                f"{competitive} competitive moves; trust went from {st.trust_start:.0f} to "
                f"{st.vars['trust']:.0f}."
            )
        elif key == "trust-lowers-risk":
            here = (
                f"At the end, with trust at {st.vars['trust']:.0f}, the least they would "
                "accept had moved " + ("down." if st.vars["trust"] > 50 else "up.")
            )
        elif key == "collaborate-under-pressure":
            here = (
                f"You answered pressure with {plural(competitive, 'competitive move')} of your own."
            )
        elif key == "value-creation":
            value = _value(session)
            if value and value.get("deal"):
                here = (
                    f"Your deal reached {value['joint']:.0f} of the "
                    f"{value['best_joint']:.0f} joint value on the table."
                )
            else:
                here = "No deal was made, so no value was created for either side."
        elif key == "trust-building-blocks":
            kept = sum(1 for r in st.log if r.get("keeps"))
            here = (
                f"You uncovered {len(st.revealed)} of {len(sc.spec.interests)} interests and "
                f"kept {plural(kept, 'promise')}."
            )
        elif key == "closing":
            closed = closes(st.log)
            here = (
                f"You summarised or closed at turn(s) {', '.join(map(str, closed))}."
                if closed
                else "You never summarised or proposed to close."
            )
        elif key == "saying-no":
            reasons = sum(1 for r in st.log if r["move"] == "refusal_with_reasons")
            bare = sum(1 for r in st.log if r["move"] == "bare_refusal")
            here = (
                f"You gave {plural(reasons, 'refusal')} with reasons and "
                f"{plural(bare, 'bare refusal')}."
            )
        elif key == "judgment-biases":
            here = (
                "Look at the value of the deal against the best possible one: a quick yes "
                "or a number you kept defending are the usual signs."
            )
        else:
            here = ""
        out.append(Lesson(key, skill.title, skill.lesson, here))
    return out


def _mistakes(session: Any, c: Counts, ex: Counts | None, result: Any, ex_out: Any) -> list[str]:
    """The mistake kinds that describe this session, only where they matter here."""
    sc, st = session.scenario, session.state
    out = []
    if result is not None and result.caved:
        out.append("No walk-away point: you accepted less than walking away was worth to you.")
    elif (
        result is not None
        and result.deal is not None
        and result.target is not None
        and (result.you or 0) < result.target
        and ex_out is not None
        and (ex_out.you or 0) >= result.target
    ):
        out.append(
            f"No target: you settled at {result.you:.0f} when {result.target:.0f} was "
            "within reach here."
        )
    if result is not None and result.ignored_needs:
        out.append(
            "A need ignored: your deal left unanswered what they told you they need ("
            + "; ".join(result.ignored_needs)
            + ")."
        )
    if "walkaway" in st.disclosed:
        out.append(
            "Your walk-away given away: once they know the least you would take, they "
            "stop giving ground."
        )
    if st.withdrawn:
        out.append("A concession taken back: your offer withdrew something you had given.")
    if any(v == "broken" for v in st.promises.values()):
        out.append("A promise broken: reliability is one of the four building blocks of trust.")
    if (
        ex is not None
        and ex.rapport_before
        and not c.rapport_before
        and st.substance_turn is not None
    ):
        out.append("Not breaking the ice: you went to substance without any small talk.")
    if (
        c.first_offer_you is not None
        and ex is not None
        and ex.first_offer_you is not None
        and c.first_offer_you < ex.first_offer_you - max(2.0, 0.2 * abs(ex.first_offer_you))
    ):
        out.append("An unambitious opening: your first offer asked for less than it could have.")
    if c.offers and not c.reasons and ex is not None and ex.reasons:
        out.append("No rationale: you never gave reasons for what you asked.")
    if (
        session.ended
        and session.ending.kind == "deal"
        and not c.closes
        and ex is not None
        and ex.closes
    ):
        out.append("No strategic closing: you never summarised or proposed to wrap up.")
    # What picking by the label looks like: listening moves that did not listen.
    whys = [w for r in st.log for w in (r.get("why") or [])]
    if any("misread" in w for w in whys):
        out.append(
            "A paraphrase that misread them: say back what they said, not what you "
            "expected to hear."
        )
    if any("patronises" in w for w in whys):
        out.append(
            "A feeling named that they had not shown: it sounds like technique, not listening."
        )
    if any("reads as technique" in w for w in whys):
        out.append("The same move again and again: by the fourth time it reads as technique.")
    if sc.spec.interests and not st.revealed and any(st.hinted):
        out.append(
            "Hints left unexplored: they hinted at something and you never earned "
            "the trust to hear it."
        )
    return out
