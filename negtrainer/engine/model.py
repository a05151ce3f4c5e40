"""The scenario model (format version 1): frozen data, validated by pydantic.

This module is the single source of the published JSON Schema
(``scenarios/schema.json``); ``python -m negtrainer schema`` regenerates it.
A loaded scenario never changes; everything that moves during a session lives
in :mod:`negtrainer.engine.state`.
"""

from __future__ import annotations

from typing import Annotated, Literal

from pydantic import BaseModel, ConfigDict, Field, StringConstraints

FORMAT_VERSION = 1

Ident = Annotated[str, StringConstraints(pattern=r"^[A-Za-z][A-Za-z0-9_\-]{0,63}$")]
# Variables and flags are read by bare name in conditions, where '-' means minus.
VarName = Annotated[str, StringConstraints(pattern=r"^[A-Za-z][A-Za-z0-9_]{0,63}$")]
LineId = Annotated[str, StringConstraints(pattern=r"^[A-Za-z0-9][A-Za-z0-9_.\-]{0,127}$")]
ShortText = Annotated[str, StringConstraints(min_length=1, max_length=300)]
Text = Annotated[str, StringConstraints(min_length=1, max_length=4000)]
Condition = Annotated[str, StringConstraints(min_length=1, max_length=500)]
# Written out (not built from MOVES/SKILLS) so type checkers see them; a test keeps them equal.
MoveName = Literal[
    "small_talk", "self_disclosure", "appreciation", "apology", "open_question", "closed_question", "leading_question", "paraphrase", "emotion_label", "summary", "silence", "offer", "counter_offer", "concession", "promise", "argument", "refusal_with_reasons", "bare_refusal", "threat", "ultimatum", "proposal_to_close"
]
SkillName = Literal[
    "ask-before-offering", "empathic-listening", "hidden-interests", "rapport", "trust-building-blocks", "reciprocity", "trust-lowers-risk", "collaborate-under-pressure", "judgment-biases", "value-creation", "closing", "saying-no"
]
EndingKind = Literal["deal", "agreement", "impasse", "walkout"]


class Base(BaseModel):
    model_config = ConfigDict(extra="forbid", frozen=True)


class Line(Base):
    """One thing the counterpart can say. Its id is stable (voice, translation)."""

    id: LineId = Field(description="Stable id, unique in the scenario, e.g. open.warm")
    text: Text
    when: Condition | None = Field(None, description="Say this line only if the condition holds")
    weight: float = Field(1.0, gt=0, le=1000, description="Relative weight when pick: weighted")
    emotional: bool = Field(
        False, description="The line carries a feeling: listening to it earns more trust"
    )


class PlainLine(Base):
    """A line whose id may be left out (it gets a derived one)."""

    id: LineId | None = None
    text: Text
    emotional: bool = False


class Choice(Base):
    """Something the learner can say. Every choice is a move of the catalogue."""

    id: Ident | None = Field(None, description="Stable id (default: NODE.N)")
    text: Text
    move: MoveName = Field(description="Move type from the catalogue; sets default effects")
    topics: list[Ident] = Field(default_factory=list, max_length=20,
                                description="What the choice asks or listens about")
    when: Condition | None = Field(None, description="Offered only when this holds")
    unavailable: ShortText | None = Field(
        None, description="Why the choice is greyed out, in the learner's words"
    )
    hide_when_unavailable: bool = False
    once: bool = Field(False, description="Disappears after it is chosen once")
    effects: dict[VarName, float] = Field(
        default_factory=dict, description="Overrides the move's default effect per variable"
    )
    set: list[VarName] = Field(default_factory=list, description="Flags to raise")
    clear: list[VarName] = Field(default_factory=list, description="Flags to lower")
    promise: Ident | None = Field(None, description="Makes a promise with this id")
    keeps: Ident | None = Field(None, description="Keeps an earlier promise")
    breaks: Ident | None = Field(None, description="Breaks an earlier promise")
    offer: dict[Ident, str] | None = Field(
        None, description="A fixed offer: issue -> option label, judged like any offer"
    )
    reply: list[Line] = Field(default_factory=list, max_length=50,
                              description="Counterpart lines answering this choice directly")
    next: Ident | None = Field(None, description="Node or ending to go to (default: stay)")


class Node(Base):
    say: list[Line] = Field(default_factory=list, max_length=200)
    pick: Literal["first", "weighted"] = "first"
    choices: list[Choice] = Field(default_factory=list, max_length=60)
    offers: bool = Field(False, description="The learner may build and send an offer here")
    end: Ident | None = Field(None, description="Ending reached after this node's line")


class Var(Base):
    start: float = 0
    min: float = 0
    max: float = 100
    label: ShortText | None = None


class Interest(Base):
    label: ShortText
    topics: list[Ident] = Field(min_length=1, max_length=20)
    trust: float = Field(50, ge=0, le=100, description="Trust needed to reveal it")
    moves: list[MoveName] = Field(
        default_factory=lambda: list(REVEALING_MOVES),
        description="Moves that can draw it out",
    )
    hint: PlainLine
    reveal: PlainLine


REVEALING_MOVES: tuple[MoveName, ...] = (
    "open_question", "paraphrase", "emotion_label", "summary", "silence")


class Issue(Base):
    label: ShortText
    options: list[ShortText] = Field(min_length=2, max_length=12)
    you: list[float]
    them: list[float]
    them_if_revealed: dict[Ident, list[float]] = Field(default_factory=dict)
    requires: dict[str, Ident] = Field(
        default_factory=dict, description="option -> interest that must be uncovered first"
    )


class NegotiationLines(Base):
    accept: list[Line] = Field(min_length=1)
    reject: list[Line] = Field(min_length=1)
    counter: list[Line] = Field(min_length=1)


class Negotiation(Base):
    reservation: float = Field(description="Least total value the counterpart accepts at trust 50")
    trust_effect: float = Field(
        0.25, ge=0, le=5, description="Reservation falls this much per trust point above 50"
    )
    on_accept: Ident
    max_offers: int = Field(6, ge=1, le=50)
    on_exhausted: Ident
    lines: NegotiationLines


class VoiceHints(Base):
    language: str = "en"
    gender: Literal["female", "male", "neutral"] | None = None
    age: Literal["young", "adult", "older"] | None = None
    rate: int | None = Field(None, ge=80, le=400)


class Variant(Base):
    weight: float = Field(1.0, gt=0, le=1000)
    description: ShortText | None = None
    state: dict[VarName, float] = Field(default_factory=dict, description="Starting values")
    reciprocity: float = Field(0.5, ge=0, le=2, description="How strongly it mirrors you")
    move_effects: dict[MoveName, dict[VarName, float]] = Field(default_factory=dict)


class Counterpart(Base):
    name: ShortText
    role: ShortText
    public_brief: Text
    confidential_brief: Text
    voice: VoiceHints = Field(default_factory=lambda: VoiceHints())
    look: dict[Ident, str] = Field(default_factory=dict)
    variants: dict[Ident, Variant] = Field(min_length=1, max_length=12)


class LearnerRole(Base):
    role: ShortText
    public_brief: Text
    confidential_brief: Text


class Ending(Base):
    kind: EndingKind
    title: ShortText
    text: Text = Field(description="What this ending means, shown in the debrief")
    when: Condition | None = Field(None, description="Ends the session when it holds")
    line: Line | None = None


class Scenario(Base):
    format: Literal[1] = Field(description="Scenario format version")
    id: Ident
    version: int = Field(1, ge=1, description="Bump when you change the scenario")
    title: ShortText
    summary: Text
    skills: list[SkillName] = Field(min_length=1)
    difficulty: Literal["introductory", "intermediate", "advanced"]
    minutes: int = Field(ge=1, le=240)
    learner: LearnerRole
    counterpart: Counterpart
    state: dict[VarName, Var] = Field(default_factory=dict)
    flags: list[VarName] = Field(default_factory=list)
    move_effects: dict[MoveName, dict[VarName, float]] = Field(default_factory=dict)
    interests: dict[Ident, Interest] = Field(default_factory=dict)
    issues: dict[Ident, Issue] = Field(default_factory=dict)
    negotiation: Negotiation | None = None
    start: Ident
    max_turns: int = Field(40, ge=1, le=500)
    on_max_turns: Ident
    nodes: dict[Ident, Node] = Field(min_length=1)
    endings: dict[Ident, Ending] = Field(min_length=1)


BUILTIN_VARS: dict[str, Var] = {
    "trust": Var(start=40, label="Trust"),
    "tension": Var(start=10, label="Tension"),
}


def json_schema() -> dict:
    schema = Scenario.model_json_schema()
    schema["$schema"] = "https://json-schema.org/draft/2020-12/schema"
    schema["$id"] = "https://negtrainer.invalid/schema/scenario-v1.json"
    schema["title"] = "negtrainer scenario (format 1)"
    return schema
