"""Three ranked takeaways, each tied to a turn the learner can try again.

Each names the turn, the counterpart's cue just before it, what the learner
did, a better line taken from the scenario's own options at that moment (the
one the listening player would choose there, played out on a copy to show what
it would have done), why, and a reflection question. The front-end offers
"Try it from here", which branches the session just before that turn.
"""

from __future__ import annotations

from dataclasses import asdict, dataclass
from typing import Any

from negtrainer.engine import moves as mv

QUESTIONS = {
    "caved": "What was your walk-away, and what told you this deal was below it?",
    "ignored_feeling": "What did they feel at that moment, and how could you have shown "
    "you heard it?",
    "misread": "What had they actually said? How would you check before paraphrasing?",
    "early_offer": "What did you still not know about them when you made this offer?",
    "pressure": "What were you hoping the pressure would get you, and what did it get?",
    "need_ignored": "Which of their needs did your deal leave unanswered, and what could "
    "you have traded for it?",
    "withdrawn": "Why did you take that back, and how did it look from their side?",
    "missed_question": "What could you have asked here that would have opened them up?",
    "broken_promise": "What would have made that promise one you could keep?",
}


@dataclass
class Takeaway:
    rank: int
    kind: str
    turn: int
    cue: str  # what the counterpart said just before
    you_said: str  # the learner's own words when they typed them
    better: str | None  # a line from the scenario that would have landed better
    better_id: str | None
    better_why: str  # what the better line would have done, played on a copy
    why: str
    question: str
    typed: bool = False  # you_said is what the learner wrote in their own words

    def to_json(self) -> dict[str, Any]:
        return asdict(self)


def _cue(log: list[dict[str, Any]], opening: list[dict[str, Any]], turn: int) -> str:
    lines = opening if turn <= 1 else log[turn - 2].get("lines", [])
    return str(lines[-1]["text"]) if lines else ""


def _better(session: Any, turn: int) -> tuple[str | None, str | None, str]:
    """The listening player's choice at that moment, and what it would have done."""
    from negtrainer.engine.session import Session
    from negtrainer.engine.strategies import listener

    sc, st = session.scenario, session.state
    inputs = [r["input"] for r in st.log[: turn - 1]]
    try:
        before = Session.replay(sc, st.seed, st.variant, inputs, st.learner)
    except ValueError:
        return None, None, ""
    action = listener(before, st.seed)
    if "choice" not in action:
        return None, None, ""
    cid = action["choice"]
    if cid == st.log[turn - 1]["input"].get("choice"):
        return None, None, ""
    text = next((c.text for c in before.choices if c.id == cid), None)
    trial = before.fork()
    try:
        step = trial.choose(cid)
    except ValueError:
        return None, None, ""
    delta = step.deltas.get("trust", 0.0)
    done = session.state.log[turn - 1].get("deltas", {}).get("trust", 0.0)
    if delta < 0 or (delta <= done and not step.revealed):
        return None, None, ""  # no better than what was said: no suggestion at all
    reason = step.why[0] if step.why else ""
    if step.revealed:
        reason = "it would have drawn out what they really need"
    effect = f"trust {delta:+.0f}" if delta else "no change in trust"
    return text, cid, f"{reason} ({effect})" if reason else effect


def candidates(session: Any, outcome: Any) -> list[tuple[float, str, int, str]]:
    """(weight, kind, turn, why) for every moment worth a takeaway."""
    st = session.state
    log = st.log
    out: list[tuple[float, str, int, str]] = []
    first_reveal = min(st.revealed.values()) if st.revealed else None
    for r in log:
        t = r["turn"]
        why = r.get("why") or []
        delta = r.get("deltas", {}).get("trust", 0.0)
        move = mv.MOVES[r["move"]]
        if any("misread" in w for w in why):
            out.append(
                (
                    8 + abs(delta),
                    "misread",
                    t,
                    ("Your paraphrase got them wrong, and they had to correct you."),
                )
            )
        elif any("past a feeling" in w for w in why):
            out.append(
                (
                    6 + abs(delta),
                    "ignored_feeling",
                    t,
                    ("They had just shown a feeling and you moved on without acknowledging it."),
                )
            )
        elif move.stance < 0:
            out.append(
                (
                    7 + abs(delta),
                    "pressure",
                    t,
                    (f"Pressure invites pressure back: trust {delta:+.0f}."),
                )
            )
    first_offer = next((x for x in log if "offer" in x.get("input", {}) or x.get("offer")), None)
    if (
        first_offer is not None
        and session.scenario.spec.interests
        and (first_reveal is None or first_offer["turn"] < first_reveal)
    ):
        out.append(
            (
                7,
                "early_offer",
                first_offer["turn"],
                ("You put terms on the table before you had learned what they need."),
            )
        )
    for r in log:
        t = r["turn"]
        why = r.get("why") or []
        if any("took back a concession" in w for w in why):
            out.append((6, "withdrawn", t, "You took back something your last offer gave."))
        if any("fell due and was not kept" in w for w in why) or r.get("breaks"):
            out.append((8, "broken_promise", t, "A promise fell due and was not kept."))
    if outcome is not None and outcome.caved:
        t = next(
            (
                r["turn"]
                for r in reversed(log)
                if r.get("input", {}).get("accept") or (r.get("offer") or {}).get("accepted")
            ),
            log[-1]["turn"] if log else 1,
        )
        out.append((12, "caved", t, outcome.verdict_text))
    if outcome is not None and outcome.ignored_needs and log:
        t = next(
            (
                r["turn"]
                for r in reversed(log)
                if "offer" in r.get("input", {}) or r.get("input", {}).get("accept")
            ),
            log[-1]["turn"],
        )
        out.append(
            (
                9,
                "need_ignored",
                t,
                "The deal left unanswered: " + "; ".join(outcome.ignored_needs) + ".",
            )
        )
    hinted_only = [i for i in st.hinted if i not in st.revealed]
    if hinted_only and log:
        t = st.hinted[hinted_only[0]]
        out.append(
            (5, "missed_question", t, ("They hinted at something here and it was never explored."))
        )
    return out


_COUNTS = {1: "One thing", 2: "Two things", 3: "Three things", 4: "Four things", 5: "Five things"}


def heading(count: int) -> str:
    """The takeaways' heading, counting what is shown: a session may yield fewer than
    three."""
    return f"{_COUNTS.get(count, 'Things')} to take away"


def takeaways(session: Any, outcome: Any, limit: int = 3) -> list[Takeaway]:
    st = session.state
    if not st.log:
        return []
    from negtrainer.engine.session import Session

    opening = Session.start(session.scenario, st.seed, st.variant, st.learner).lines
    ranked = sorted(candidates(session, outcome), key=lambda c: (-c[0], c[2]))
    out: list[Takeaway] = []
    seen: set[str] = set()
    turns: set[int] = set()
    for _weight, kind, turn, why in ranked:
        if kind in seen or turn in turns or not 1 <= turn <= len(st.log):
            continue
        seen.add(kind)
        turns.add(turn)
        better, better_id, better_why = _better(session, turn)
        rec = st.log[turn - 1]
        # In the learner's own words when they typed the line (what they wrote, not the
        # scripted line it was heard as), beside the line that would have landed.
        typed = (rec.get("input") or {}).get("typed")
        said = str(typed) if typed else rec.get("said", "")
        out.append(
            Takeaway(
                len(out) + 1,
                kind,
                turn,
                _cue(st.log, opening, turn),
                said,
                better,
                better_id,
                better_why if better else "",
                why,
                QUESTIONS[kind],
                bool(typed),
            )
        )
        if len(out) >= limit:
            break
    return out
