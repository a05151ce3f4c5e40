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
    "walkaway": "What did telling them your walk-away get you, and what did it cost you?",
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


def _feeling(
    log: list[dict[str, Any]], opening: list[dict[str, Any]], turn: int
) -> dict[str, Any] | None:
    """The line that carried the feeling just before ``turn`` (the engine marks it
    ``emotional``), or None."""
    lines = opening if turn <= 1 else log[turn - 2].get("lines", [])
    felt = [ln for ln in lines if ln.get("emotional")]
    return felt[-1] if felt else None


def _answers_feeling(sc: Any, ch: Any, move: mv.Move, after_pressure: bool) -> bool:
    """Whether a line acknowledges the feeling just shown: it listens or apologises,
    without a misreading or a marked mistake, and, where the feeling was their answer to
    your own pressure, it does not name a worry about their business instead (that
    sidesteps what you did)."""
    if not (move.listens or move.name == "apology"):
        return False
    if ch.misreads or ch.mistake or ch.discloses:
        return False
    if after_pressure:
        theirs = {t for i in sc.spec.interests.values() for t in i.topics}
        if set(ch.topics) & theirs:
            return False
    return True


_DAMPERS = (
    "counts for less",
    "lands less",
    "can't buy more",
    "reads as technique",
    "nothing moved on",
)


def _better(session: Any, turn: int, kind: str = "") -> tuple[str | None, str | None, str]:
    """A line open at that moment that would have done better, and what it would have
    done: the listening player's choice, or, after a feeling, the line that best
    acknowledges it. None when nothing open would have done visibly better."""
    from negtrainer.engine.session import Session
    from negtrainer.engine.strategies import listener

    sc, st = session.scenario, session.state
    inputs = [r["input"] for r in st.log[: turn - 1]]
    try:
        before = Session.replay(sc, st.seed, st.variant, inputs, st.learner)
    except ValueError:
        return None, None, ""
    rec = st.log[turn - 1]
    done = rec.get("deltas", {}).get("trust", 0.0)
    action = listener(before, st.seed)
    picks = [action["choice"]] if "choice" in action else []
    if kind == "ignored_feeling":
        after_pressure = turn >= 2 and st.log[turn - 2].get("stance", 0) < 0
        picks += [c.id for c in before.choices if c.available and c.id not in picks]
        picks = [
            cid
            for cid in picks
            if cid in sc.choice_by_id
            and _answers_feeling(
                sc,
                ch := sc.choice(*sc.choice_by_id[cid]),
                mv.MOVES[ch.move],
                after_pressure,
            )
        ]
    best: tuple[tuple[bool, int], str, Any] | None = None
    for cid in picks:
        if cid == rec["input"].get("choice"):
            continue
        trial = before.fork()
        try:
            step = trial.choose(cid)
        except ValueError:
            continue
        delta = step.deltas.get("trust", 0.0)
        # Visibly better than what was said, or no suggestion at all: "trust +0" teaches
        # nothing.
        if delta < 0 or not (step.revealed or round(delta) >= max(1, round(done) + 1)):
            continue
        score = (bool(step.revealed), round(delta))
        if best is None or score > best[0]:
            best = (score, cid, step)
    if best is None:
        return None, None, ""
    _score, cid, step = best
    text = next((c.text for c in before.choices if c.id == cid), None)
    ch = sc.choice(*sc.choice_by_id[cid])
    delta = step.deltas.get("trust", 0.0)
    # What made it land, not what held it back (a repeat, a late chat, the talk cap).
    lifts = [w for w in step.why if not any(d in w for d in _DAMPERS)]
    reason = lifts[0] if lifts else ""
    if ch.discloses in ("priority", "interest"):
        reason = mv.DISCLOSURE_WHY["rapport before substance"]
    if step.revealed:
        reason = "it would have drawn out what they really need"
    effect = f"trust {delta:+.0f}" if round(delta) else "no change in trust"
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
        if r.get("discloses") == "walkaway":
            out.append((10, "walkaway", t, mv.WALKAWAY_WHY[0].upper() + mv.WALKAWAY_WHY[1:] + "."))
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
        cue = _cue(st.log, opening, turn)
        if kind == "ignored_feeling":
            # Quote the line that carried the feeling, or make no claim about one.
            feeling = _feeling(st.log, opening, turn)
            if feeling is None:
                continue
            cue = str(feeling["text"])
        seen.add(kind)
        turns.add(turn)
        better, better_id, better_why = _better(session, turn, kind)
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
                cue,
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
