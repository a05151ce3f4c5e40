"""Skills a scenario practises, each tied to an idea of the source article.

The debrief quotes these lessons; scenario files tag themselves with the keys.
"""

from __future__ import annotations

from dataclasses import dataclass

# The article the lessons come from, as the debrief names it.
ARTICLE = "“How to Build Trust at the Bargaining Table” (Negotiation, January 2009)"


@dataclass(frozen=True)
class Skill:
    key: str
    title: str
    lesson: str


_SKILLS = [
    Skill(
        "ask-before-offering",
        "Ask and listen before positions harden",
        "Even when you plan to make the first offer, begin by asking and listening: you learn "
        "the other side's interests while positions are still soft.",
    ),
    Skill(
        "empathic-listening",
        "Listen with empathy",
        "Listening without empathy rarely gets honest or complete answers. Paraphrase, name "
        "the feeling you hear, summarise, and let a silence work.",
    ),
    Skill(
        "hidden-interests",
        "Uncover hidden interests",
        "Thoughtful, open questions uncover what the other side really needs, and that is "
        "what makes a better deal for both possible.",
    ),
    Skill(
        "rapport",
        "Rapport before substance",
        "A few minutes of genuine small talk before the talks (in Nadler's study, a five-minute "
        "call) led to more cooperation, more information shared, fewer threats and more trust.",
    ),
    Skill(
        "trust-building-blocks",
        "The four building blocks of trust",
        "Two-way communication, a shown commitment to the other side's interests, reliability "
        "(doing what you said) and respect for their contributions signal trustworthiness "
        "before any numbers are exchanged.",
    ),
    Skill(
        "reciprocity",
        "Reciprocity: virtuous and vicious cycles",
        "People answer cooperation with cooperation and guardedness with guardedness. Each "
        "exchange pushes the spiral up or down.",
    ),
    Skill(
        "trust-lowers-risk",
        "Trust makes a proposal look less risky",
        "A proposal from someone people trust looks less risky, and so more acceptable. The same "
        "offer lands differently depending on the relationship behind it.",
    ),
    Skill(
        "collaborate-under-pressure",
        "Collaborate while advocating firmly",
        "Under pressure, negotiators fall back on take-it-or-leave-it offers and refuse every "
        "concession. Working together while still standing up for your side keeps both the deal "
        "and the relationship.",
    ),
    Skill(
        "judgment-biases",
        "Check your own judgment",
        "The mythical fixed pie, egocentrism, overconfidence, escalation of commitment, the "
        "winner's curse and vivid data distort what you think is possible.",
    ),
    Skill(
        "value-creation",
        "Trade across issues to grow the pie",
        "When the sides value issues differently, giving on what matters little to you for what "
        "matters much creates value for both.",
    ),
    Skill(
        "closing",
        "Close the deal",
        "When everything seems right and there is still no agreement, find the last unspoken "
        "concern, summarise what is agreed, and make commitments you then keep.",
    ),
    Skill(
        "saying-no",
        "Say no without breaking the bond",
        "You can refuse a partner you value: give your reasons, show you understand their need, "
        "and offer what you can do instead.",
    ),
]

SKILLS: dict[str, Skill] = {s.key: s for s in _SKILLS}
