"""How a move lands: the context-aware rules, each in one named place.

The same move type can help or hurt. What decides it is what was just said
(an emotional line or a neutral one), what the choice really says (a misreading,
a precise question, a summary with or without content), how often the learner
has done it already (satiation), how much trust words have already bought (the
talk cap), and the counterpart's recent run of cooperation or guardedness
(asymmetric reciprocity). Format 1 scenarios get the format 1 rules.

Every rule returns a short reason, kept in the turn record, so replay and the
debrief can say *why* trust moved.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any

from negtrainer.engine import moves as mv

# Tuned on the built-in scenarios; docs/format-v2.md states them for authors.
EMPATHY_BONUS = mv.EMPATHY_BONUS  # a listening reply right after a feeling
PATRONISING = -2.0  # an emotion label after a neutral line
MISREAD = -3.0  # a paraphrase, summary or label that gets them wrong
RESPECT = 2.0  # a reasoned argument from a trusted party
RESPECT_TRUST = 60.0
PUSHY_TRUST = 40.0  # below this an argument costs patience and raises tension
SATIATION = (1.0, 0.6, 0.3)  # 1st, 2nd, 3rd use of a cooperative move within the window
SATIATION_WINDOW = 8
TECHNIQUE = -2.0  # the 4th repeat reads as technique
TECHNIQUE_WHY = "it reads as technique"  # what the turn's why then says
MISREAD_WHY = "it misread them: they had to correct you"
PATRONISES_WHY = "named a feeling they had not shown: it patronises"
WITHDRAWN_WHY = "took back a concession from the last offer"
# What a turn's why says of a move the debrief counts as a mistake.
MISTAKE_WHYS = (TECHNIQUE_WHY, MISREAD_WHY, PATRONISES_WHY, WITHDRAWN_WHY)
STALL_PATIENCE = -1.0


@dataclass
class Landing:
    """What a move does to the counterpart's state, and why."""

    effects: dict[str, float]
    words: float = 0.0  # trust from words alone (subject to the talk cap)
    why: list[str] = field(default_factory=list)
    reflection: bool = False  # counts as a listening reply in the debrief
    complex_reflection: bool = False
    can_reveal: bool = True


def base_effects(scenario: Any, variant: str, move: mv.Move) -> dict[str, float]:
    """The move's effects with the scenario's and the variant's overrides (a new dict)."""
    # Merged once per loaded scenario, variant and move: a loaded scenario never changes.
    cache = scenario.__dict__.setdefault("_base_effects", {})
    found = cache.get((variant, move.name))
    if found is None:
        spec = scenario.spec
        found = dict(move.effects)
        name: Any = move.name
        found.update(spec.move_effects.get(name, {}))
        found.update(spec.counterpart.variants[variant].move_effects.get(name, {}))
        cache[variant, move.name] = found
    return dict(found)


def land(
    scenario: Any, st: Any, move: mv.Move, choice: Any | None, override: dict[str, float]
) -> Landing:
    """The effect of one learner move in its context (before reciprocity)."""
    v2 = scenario.spec.format >= 2
    effects = base_effects(scenario, st.variant, move)
    authored = False
    if override:
        authored = "trust" in override
        effects.update(override)
    trust = effects.get("trust", 0.0)
    why: list[str] = []
    out = Landing(effects, 0.0, why, move.listens, move.complex_listening)
    misreads = deed = precise = False
    if choice is not None:
        misreads = bool(getattr(choice, "misreads", False))
        # Keeping a promise is a deed: the session adds its reliability, and it never
        # satiates or counts as talk.
        deed = bool(getattr(choice, "keeps", None))
        precise = bool(getattr(choice, "precise", False))

    if move.chat:
        if st.substance_turn is None:
            trust += mv.EARLY_RAPPORT_BONUS
            why.append("rapport before substance")
        else:
            trust *= mv.LATE_RAPPORT_FACTOR
            why.append("small talk after terms were on the table counts for less")
    if v2 and not authored:
        trust = _context_v2(st, move, trust, misreads, precise, out)
    elif st.last_emotional:
        trust = _after_feeling(move, trust, why)
    if v2 and misreads:
        out.can_reveal = False
        out.reflection = out.complex_reflection = False
    if v2 and move.name == "closed_question" and not precise:
        out.can_reveal = False
    if v2 and trust > 0 and not deed:
        trust = _satiate(st, move, trust, why)
    if v2 and move.name == "argument" and st.vars.get("trust", 50) < PUSHY_TRUST:
        effects["patience"] = effects.get("patience", 0.0) - 1
        effects["tension"] = effects.get("tension", 0.0) + 2
        why.append("arguing before there is trust reads as pressure")
    # Words are what cooperative talk buys, and a concession given in words with nothing
    # asked back is talk too: only deeds (a promise kept when due) escape the talk cap.
    if trust > 0 and not deed:
        out.words = trust
        trust = 0.0
    effects["trust"] = trust
    return out


def _context_v2(
    st: Any, move: mv.Move, trust: float, misreads: bool, precise: bool, out: Landing
) -> float:
    why = out.why
    feeling = st.last_emotional
    if misreads and move.listens:
        why.append(MISREAD_WHY)
        return MISREAD
    if move.name == "emotion_label":
        if feeling:
            why.append("named the feeling they had just shown")
            return trust + EMPATHY_BONUS
        why.append(PATRONISES_WHY)
        out.reflection = out.complex_reflection = False
        out.can_reveal = False
        return PATRONISING
    if move.name == "summary" and not st.revealed:
        why.append("a summary with nothing of theirs in it yet")
        out.reflection = out.complex_reflection = False
        out.can_reveal = False
        return 0.0
    if move.name == "closed_question" and precise:
        why.append("a precise question, well aimed")
        return trust + 1
    if move.name == "argument" and st.vars.get("trust", 50) >= RESPECT_TRUST:
        why.append("a reasoned case from someone they trust earns respect")
        return trust + RESPECT
    if move.name == "refusal_with_reasons" and st.vars.get("trust", 50) >= RESPECT_TRUST:
        why.append("a reasoned no from someone they trust costs nothing")
        return max(trust, 0.0)
    if feeling:
        return _after_feeling(move, trust, why)
    return trust


def _after_feeling(move: mv.Move, trust: float, why: list[str]) -> float:
    """The one home of the rule: listening right after a feeling lands; a question or
    terms straight past it go unheard."""
    if move.listens:
        why.append("listened right after a feeling")
        return trust + EMPATHY_BONUS
    if (move.asks and move.name != "open_question") or move.substance:
        why.append("went past a feeling without acknowledging it")
        return trust + mv.IGNORED_FEELING_PENALTY
    return trust


def _satiate(st: Any, move: mv.Move, trust: float, why: list[str]) -> float:
    recent = st.moves[-SATIATION_WINDOW:]
    if move.asks:
        # Ask, listen, ask is the rhythm the article teaches: a listening reply since
        # the last questions means this one is not another in a row.
        for k in range(len(recent) - 1, -1, -1):
            if mv.MOVES[recent[k]].listens:
                recent = recent[k + 1 :]
                break
    used = recent.count(move.name)
    if used >= len(SATIATION):
        why.append(f"{move.name.replace('_', ' ')} again: {TECHNIQUE_WHY}")
        return TECHNIQUE
    if used:
        why.append(f"{move.name.replace('_', ' ')} again: it lands less each time")
    return trust * SATIATION[used]


def cap_words(scenario: Any, st: Any, words: float, why: list[str], say: bool = True) -> float:
    """Trust that words can still buy: no loop of cooperative lines buys unlimited trust."""
    if words <= 0:
        return words
    spec = scenario.spec
    if spec.format < 2:
        return words
    room = max(0.0, spec.counterpart.variants[st.variant].talk_cap - st.talk_gain)
    got = min(words, room)
    note = "words alone can't buy more trust now: deeds can"
    if say and got < words and note not in why:
        why.append(note)
    st.talk_gain += got
    return got


def reciprocity(scenario: Any, st: Any, move: mv.Move) -> tuple[float, float]:
    """(trust, tension) change from mirroring the recent run of stances."""
    if not move.stance:
        return 0.0, 0.0
    variant = scenario.spec.counterpart.variants[st.variant]
    run = sum(st.stances[-mv.RECIPROCITY_WINDOW :])
    if run > 0:
        rate = variant.warming if variant.warming is not None else variant.reciprocity
    else:
        rate = variant.cooling if variant.cooling is not None else variant.reciprocity
    change = rate * run
    return change, -change


def is_stall(st: Any, move: mv.Move, progressed: bool) -> bool:
    """A turn that moved nothing on and repeats what the learner just did."""
    if progressed or move.substance or move.name == "promise":
        return False
    return move.name in st.moves[-3:-1]
