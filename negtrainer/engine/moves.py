"""The move catalogue: what kind of thing a learner's choice is, and its default effect.

Every choice in a scenario is tagged with one of these moves. A move has a
*stance* (cooperative +1, neutral 0, competitive -1) that drives reciprocity, a
*group* that the GUI uses to arrange choices, and default effects on the
counterpart's state that a scenario (``move_effects:``) or a single choice
(``effects:``) may override.
"""

from __future__ import annotations

from dataclasses import dataclass, field


@dataclass(frozen=True)
class Move:
    name: str
    group: str  # rapport | ask | listen | propose | push_back | close
    stance: int  # +1 cooperative, 0 neutral, -1 competitive
    effects: dict[str, float] = field(default_factory=dict)
    description: str = ""
    # Kinds the debrief counts.
    asks: bool = False  # a question
    listens: bool = False  # a listening (reflective) response
    complex_listening: bool = False  # goes beyond repeating: emotion, summary
    substance: bool = False  # talks terms: the rapport phase is over
    rapport: bool = False
    chat: bool = False  # small talk proper: worth most before the talks turn to terms


GROUPS: dict[str, str] = {
    "rapport": "Rapport",
    "ask": "Ask",
    "listen": "Listen",
    "propose": "Propose",
    "push_back": "Push back",
    "close": "Close",
}

_MOVES = [
    Move(
        "small_talk",
        "rapport",
        1,
        {"trust": 3},
        "Genuine chat not about the deal.",
        rapport=True,
        chat=True,
    ),
    Move(
        "self_disclosure",
        "rapport",
        1,
        {"trust": 3},
        "Sharing something of your own.",
        rapport=True,
        chat=True,
    ),
    Move(
        "appreciation",
        "rapport",
        1,
        {"trust": 3},
        "Acknowledging the other's contribution.",
        rapport=True,
    ),
    Move("apology", "rapport", 1, {"trust": 4}, "Owning a mistake or a harm.", rapport=True),
    Move(
        "open_question", "ask", 1, {"trust": 1}, "A question that invites a full answer.", asks=True
    ),
    Move("closed_question", "ask", 0, {}, "A yes/no or one-fact question.", asks=True),
    Move(
        "leading_question", "ask", -1, {"trust": -2}, "A question that pushes an answer.", asks=True
    ),
    Move(
        "paraphrase",
        "listen",
        1,
        {"trust": 3},
        "Saying back what you heard, in your words.",
        listens=True,
    ),
    Move(
        "emotion_label",
        "listen",
        1,
        {"trust": 4},
        "Naming the feeling you hear.",
        listens=True,
        complex_listening=True,
    ),
    Move(
        "summary",
        "listen",
        1,
        {"trust": 3},
        "Pulling together what was said so far.",
        listens=True,
        complex_listening=True,
    ),
    Move("silence", "listen", 0, {"trust": 1}, "Letting a pause do the work.", listens=True),
    Move("offer", "propose", 0, {}, "Putting terms on the table.", substance=True),
    Move("counter_offer", "propose", 0, {}, "Answering their terms with yours.", substance=True),
    Move("concession", "propose", 1, {"trust": 2}, "Giving ground on a term.", substance=True),
    Move("promise", "propose", 1, {"trust": 2}, "Committing to do something.", substance=False),
    Move("argument", "push_back", 0, {}, "Giving a reason or evidence.", substance=True),
    Move(
        "refusal_with_reasons", "push_back", 0, {"trust": -1}, "Saying no and why.", substance=True
    ),
    Move("bare_refusal", "push_back", -1, {"trust": -4}, "Saying no, full stop.", substance=True),
    Move(
        "threat",
        "push_back",
        -1,
        {"trust": -8, "tension": 10},
        "Warning of a cost to them.",
        substance=True,
    ),
    Move(
        "ultimatum",
        "push_back",
        -1,
        {"trust": -10, "tension": 15},
        "Take it or leave it.",
        substance=True,
    ),
    Move("proposal_to_close", "close", 0, {}, "Moving to agree and wrap up.", substance=True),
]

MOVES: dict[str, Move] = {m.name: m for m in _MOVES}

# Extra trust for a listening response straight after an emotional counterpart
# line: empathy lands hardest when feelings are on the table.
EMPATHY_BONUS = 3.0
# A question fired straight past an emotional line reads as not listening.
IGNORED_FEELING_PENALTY = -2.0
# Rapport counts most before anyone talks terms (the five-minute call).
EARLY_RAPPORT_BONUS = 2.0
LATE_RAPPORT_FACTOR = 0.5
# What telling them your walk-away costs: once it knows, the counterpart stops
# conceding (counterpart.target).
WALKAWAY_WHY = (
    "you told them your walk-away: now they know the least you would take, "
    "and they stop giving ground"
)
# The engine's reasons for a chat move, said truly of a self-disclosure that tells
# them something about the deal (a priority or an interest): it is not small talk.
DISCLOSURE_WHY = {
    "rapport before substance": "telling them what matters to you invites them to share too",
    "small talk after terms were on the table counts for less": (
        "said after terms were on the table, it counted for less"
    ),
}
# How many recent moves the counterpart mirrors.
RECIPROCITY_WINDOW = 3

# The kinds the debrief counts, read from the catalogue's flags (one home for each).
COMPETITIVE = tuple(m.name for m in _MOVES if m.stance < 0)
REFLECTIONS = tuple(m.name for m in _MOVES if m.listens and m.name != "silence")
COMPLEX_REFLECTIONS = tuple(m.name for m in _MOVES if m.complex_listening)
OFFER_MOVES = ("offer", "counter_offer")


# What the counterpart says to a line of the learner's own words that nothing written
# answers (no scripted reply, no interest reached): a short acknowledgement by the
# move's group, whether it was a question, and the counterpart's mood, so the learner
# is never met with silence. Noncommittal on purpose: the move's effect on trust
# already says how it landed, and the reply must fit lines nobody wrote. Stage
# directions in brackets, no names or pronouns: it fits every scenario.
_ACK_MOODS = ("warm", "open", "neutral", "tense", "guarded", "angry")
ACKNOWLEDGEMENTS: dict[str, tuple[str, ...]] = {  # in the order of _ACK_MOODS
    "rapport": ("(A smile.) Yes.", "(A smile.)", "Mm.", "Mm.", "(A short nod.)", "(No answer.)"),
    "rapport?": (
        "(A smile.) Fine, thanks. Go on.",
        "Fine, thanks. Go on.",
        "Fine. Go on.",
        "Fine.",
        "(A shrug.) Fine.",
        "(No answer.)",
    ),
    "ask?": (
        "Hm. Let me think about that.",
        "Hm. I'm not sure.",
        "I'm not sure.",
        "I'm not sure that's the point.",
        "(A shrug.) I couldn't say.",
        "(No answer.)",
    ),
    "listen": ("(A nod.) Mm.", "(A nod.)", "Mm.", "Mm.", "(A shrug.)", "(No answer.)"),
    "propose": (
        "(A nod.) Noted.",
        "(A nod.) Noted.",
        "Noted.",
        "Noted.",
        "(A pause.) We'll see.",
        "(No answer.)",
    ),
    "push_back": (
        "Mm. Go on.",
        "Mm. Go on.",
        "(A pause.) Go on.",
        "(A pause.)",
        "(Arms folded.)",
        "(No answer.)",
    ),
    "close": ("Not yet. Go on.", "Not yet.", "Not yet.", "Not yet.", "Not yet.", "(No answer.)"),
    "?": (  # any other question
        "(A smile.) Another time. Go on.",
        "Another time. Go on.",
        "Another time.",
        "Not now.",
        "(A shrug.) Not now.",
        "(No answer.)",
    ),
}


def acknowledgement(group: str, mood: str, question: bool = False) -> dict[str, str]:
    """The line for an own-words move nothing written answers, as the session emits it."""
    if group == "ask":
        key = "ask?"
    elif question:
        key = "rapport?" if group == "rapport" else "?"
    else:
        key = group if group in ACKNOWLEDGEMENTS else "listen"
    texts = ACKNOWLEDGEMENTS[key]
    k = _ACK_MOODS.index(mood) if mood in _ACK_MOODS else _ACK_MOODS.index("neutral")
    return {
        "id": f"ack.{key.rstrip('?') or 'question'}.{_ACK_MOODS[k]}",
        "text": texts[k],
        "source": "ack",
    }
