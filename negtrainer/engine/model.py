"""The scenario model (format versions 1 and 2): frozen data, validated by pydantic.

Format 2 adds what makes the counterpart a negotiator rather than a click-tree:
needs (requirements on terms), both sides' walk-aways, risky terms whose
perceived risk trust discounts, a concession tactic and asymmetric reciprocity
per variant, promises with a due point, line pools, phrase templates for offers,
counterpart events (it asks back, raises issues, opens with an offer), choices
marked as misreadings or precise questions, and learning objectives.
Format 1 files still load; ``negtrainer upgrade`` rewrites them as format 2.

This module is the single source of the published JSON Schema
(``scenarios/schema.json``); ``python -m negtrainer schema`` regenerates it.
A loaded scenario never changes; everything that moves during a session lives
in :mod:`negtrainer.engine.state`.
"""

from __future__ import annotations

from typing import Annotated, Literal

from pydantic import BaseModel, ConfigDict, Field, StringConstraints

FORMAT_VERSION = 2  # the newest format this engine reads and `upgrade` writes

Ident = Annotated[str, StringConstraints(pattern=r"^[A-Za-z][A-Za-z0-9_\-]{0,63}$")]
# Variables and flags are read by bare name in conditions, where '-' means minus.
VarName = Annotated[str, StringConstraints(pattern=r"^[A-Za-z][A-Za-z0-9_]{0,63}$")]
LineId = Annotated[str, StringConstraints(pattern=r"^[A-Za-z0-9][A-Za-z0-9_.\-]{0,127}$")]
ShortText = Annotated[str, StringConstraints(min_length=1, max_length=300)]
Text = Annotated[str, StringConstraints(min_length=1, max_length=4000)]
Condition = Annotated[str, StringConstraints(min_length=1, max_length=500)]
# Written out (not built from MOVES/SKILLS) so type checkers see them; a test keeps them equal.
MoveName = Literal[
    "small_talk",
    "self_disclosure",
    "appreciation",
    "apology",
    "open_question",
    "closed_question",
    "leading_question",
    "paraphrase",
    "emotion_label",
    "summary",
    "silence",
    "offer",
    "counter_offer",
    "concession",
    "promise",
    "argument",
    "refusal_with_reasons",
    "bare_refusal",
    "threat",
    "ultimatum",
    "proposal_to_close",
]
SkillName = Literal[
    "ask-before-offering",
    "empathic-listening",
    "hidden-interests",
    "rapport",
    "trust-building-blocks",
    "reciprocity",
    "trust-lowers-risk",
    "collaborate-under-pressure",
    "judgment-biases",
    "value-creation",
    "closing",
    "saying-no",
]
EndingKind = Literal["deal", "agreement", "impasse", "walkout"]


class Base(BaseModel):
    # allow_inf_nan: a trust of .nan compares false with everything and plays as nothing.
    model_config = ConfigDict(extra="forbid", frozen=True, allow_inf_nan=False)


class Line(Base):
    """One thing the counterpart can say. Its id is stable (voice, translation)."""

    id: LineId = Field(description="Stable id, unique in the scenario, e.g. open.warm")
    text: Text
    when: Condition | None = Field(None, description="Say this line only if the condition holds")
    weight: float = Field(1.0, gt=0, le=1000, description="Relative weight when pick: weighted")
    emotional: bool = Field(
        False, description="The line carries a feeling: listening to it earns more trust"
    )
    alts: list[Text] = Field(
        default_factory=list,
        max_length=8,
        description=(
            "Other ways to say the same thing; one is picked from the seed (ids ID.2, ID.3...)"
        ),
    )
    after: bool = Field(
        False,
        description=(
            "Format 2, a choice's reply: said after the interest's line this turn reveals "
            "or hints (a reaction to the confession), not before it"
        ),
    )


class PlainLine(Base):
    """A line whose id may be left out (it gets a derived one)."""

    id: LineId | None = None
    text: Text
    emotional: bool = False
    alts: list[Text] = Field(default_factory=list, max_length=8)


class Due(Base):
    """When a promise falls due: on reaching a node, or after some turns."""

    node: Ident | None = Field(None, description="Due when the talk reaches this node")
    turns: int | None = Field(None, ge=1, le=100, description="Due this many turns after")
    grace: int = Field(2, ge=0, le=50, description="Turns after it falls due before it is broken")


class Choice(Base):
    """Something the learner can say. Every choice is a move of the catalogue."""

    id: Ident | None = Field(None, description="Stable id (default: NODE.N)")
    text: Text
    move: MoveName = Field(description="Move type from the catalogue; sets default effects")
    topics: list[Ident] = Field(
        default_factory=list, max_length=20, description="What the choice asks or listens about"
    )
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
    due: Due | None = Field(None, description="When the promise falls due (format 2)")
    keeps: Ident | None = Field(None, description="Keeps an earlier promise")
    breaks: Ident | None = Field(None, description="Breaks an earlier promise")
    offer: dict[Ident, str] | None = Field(
        None, description="A fixed offer: issue -> option label, judged like any offer"
    )
    reply: list[Line] = Field(
        default_factory=list,
        max_length=50,
        description="Counterpart lines answering this choice directly",
    )
    misreads: bool = Field(
        False,
        description=("A paraphrase, summary or emotion label that gets them wrong: it costs trust"),
    )
    mistake: bool = Field(
        False,
        description=(
            "A well-meant mistake the author wants recognised (an apology with a 'but', a "
            "concession that buys nothing, a vague promise): it changes nothing by itself; "
            "the analysis and the skilled scripted player read it"
        ),
    )
    precise: bool = Field(
        False,
        description=(
            "A closed question that is exactly the right question: it can draw out an interest"
        ),
    )
    discloses: Literal["priority", "interest", "walkaway"] | None = Field(
        None,
        description=(
            "What of yours this reveals when they ask; disclosing your walk-away has a price"
        ),
    )
    thought: ShortText | None = Field(
        None,
        description=(
            "What the counterpart privately thinks of this choice (shown in replay and debrief)"
        ),
    )
    next: Ident | None = Field(None, description="Node or ending to go to (default: stay)")


class Node(Base):
    say: list[Line] = Field(default_factory=list, max_length=200)
    pick: Literal["first", "weighted"] = "first"
    choices: list[Choice] = Field(default_factory=list, max_length=60)
    offers: bool = Field(False, description="The learner may build and send an offer here")
    end: Ident | None = Field(None, description="Ending reached after this node's line")
    show: int | None = Field(
        None,
        ge=2,
        le=12,
        description=("Show at most this many available choices at once (fresh ones first)"),
    )
    counter_offer: bool = Field(
        False,
        description=("On arrival the counterpart puts its own offer on the table (a first offer)"),
    )


class Var(Base):
    start: float = 0
    min: float = 0
    max: float = 100
    label: ShortText | None = None


class Need(Base):
    """A requirement on one issue: only some options will do."""

    issue: Ident
    allow: list[ShortText] = Field(default_factory=list, max_length=12)
    forbid: list[ShortText] = Field(default_factory=list, max_length=12)


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
    needs: list[Need] = Field(
        default_factory=list,
        max_length=12,
        description=(
            "Requirements on terms: a deal that breaks one is refused, whatever the trust"
        ),
    )
    refuse: PlainLine | None = Field(
        None, description=("Said when an offer breaks this need after it was revealed (names it)")
    )
    refuse_hint: PlainLine | None = Field(
        None,
        description=("Said when an offer breaks this need before it was revealed (hints at it)"),
    )
    heard: ShortText | None = Field(
        None, description=("How the learner would say it back in a summary (default: the label)")
    )


REVEALING_MOVES: tuple[MoveName, ...] = (
    "open_question",
    "paraphrase",
    "emotion_label",
    "summary",
    "silence",
)


class Issue(Base):
    label: ShortText
    options: list[ShortText] = Field(min_length=2, max_length=12)
    you: list[float]
    them: list[float]
    them_if_revealed: dict[Ident, list[float]] = Field(default_factory=dict)
    requires: dict[str, Ident] = Field(
        default_factory=dict, description="option -> interest that must be uncovered first"
    )
    risk: dict[str, float] = Field(
        default_factory=dict,
        description=(
            "option -> how risky it looks to the counterpart (value points); trust discounts it"
        ),
    )
    phrase: ShortText | None = Field(
        None, description=("How an option is said in a sentence, e.g. '{option} a tray'")
    )


class NegotiationLines(Base):
    accept: list[Line] = Field(min_length=1)
    reject: list[Line] = Field(min_length=1)
    counter: list[Line] = Field(min_length=1)
    opening: list[Line] = Field(
        default_factory=list, description=("The counterpart's own first offer ({terms}); format 2")
    )
    withdrawn: list[Line] = Field(
        default_factory=list,
        description=("Said when the learner takes back a concession; format 2"),
    )
    below_walkaway: list[Line] = Field(
        default_factory=list,
        description=("Said when an offer is worth less to them than walking away; format 2"),
    )
    held: list[Line] = Field(
        default_factory=list,
        description=(
            "Said instead of a counter line when its counter is the one it made last time "
            "({terms}); format 2. Without any, the engine has a few plain ones"
        ),
    )


class Route(Base):
    when: Condition
    goto: Ident


class Negotiation(Base):
    reservation: float | None = Field(
        None, description=("Format 1: least total value the counterpart accepts at trust 50")
    )
    walkaway: float | None = Field(
        None,
        description=(
            "Format 2: the value of the counterpart's best alternative; it never accepts less"
        ),
    )
    aspiration: float | None = Field(
        None, description=("Format 2: the value it opens from (default: the best deal for it)")
    )
    trust_effect: float = Field(
        0.25, ge=0, le=5, description="Its target falls this much per trust point above 50"
    )
    max_trust_effect: float = Field(
        6,
        ge=0,
        le=100,
        description=("Format 2: the most trust can move its target, either way (value points)"),
    )
    risk_discount: float = Field(
        0.8,
        ge=0,
        le=1,
        description=(
            "Format 2: at full trust, this share of a term's perceived risk is discounted"
        ),
    )
    on_accept: Ident
    routes: list[Route] = Field(
        default_factory=list,
        max_length=20,
        description=(
            "Format 2: where an accepted deal leads, by what was agreed (first match wins; "
            "otherwise on_accept), e.g. {when: 'deal.term == \"3 years\"', goto: partnership}"
        ),
    )
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
    warming: float | None = Field(
        None,
        ge=0,
        le=2,
        description=("Format 2: how fast cooperation warms it (default: reciprocity)"),
    )
    cooling: float | None = Field(
        None,
        ge=0,
        le=2,
        description=("Format 2: how fast guardedness cools it (default: reciprocity)"),
    )
    tactic: Literal["firm", "steady", "yielding"] = Field(
        "steady",
        description=(
            "Format 2: how it concedes: firm until late (Boulware), steady, or early (Conceder)"
        ),
    )
    talk_cap: float = Field(
        30,
        ge=0,
        le=100,
        description=(
            "Format 2: the most trust that words alone can buy; deeds (kept promises, "
            "concessions, met needs) are not capped"
        ),
    )
    first_offer: bool = Field(
        False, description=("Format 2: it puts its own offer on the table when offers open")
    )
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
    walkaway: float | None = Field(
        None,
        description=(
            "Format 2: the value of your best alternative (in your value points); "
            "a deal below it is worse than walking away"
        ),
    )
    target: float | None = Field(None, description="Format 2: a good result for you")


class Event(Base):
    """Something the counterpart does on its own turn: asks back, raises an issue, offers."""

    id: Ident
    when: Condition = Field(description="Happens at the end of a turn when this holds")
    line: Line
    offer: bool = Field(False, description="It puts its own offer on the table")
    goto: Ident | None = Field(None, description="Moves the talk to this node")
    once: bool = True


class Objective(Base):
    """An observable learning objective the debrief checks."""

    id: Ident
    text: ShortText
    check: Condition = Field(description="Holds at the end of the session when it was met")


class Ending(Base):
    kind: EndingKind
    title: ShortText
    text: Text = Field(description="What this ending means, shown in the debrief")
    when: Condition | None = Field(None, description="Ends the session when it holds")
    line: Line | None = None
    good: bool = Field(
        False,
        description=("Format 2: what the skill should earn; the analysis checks who reaches it"),
    )


class Scenario(Base):
    format: Literal[1, 2] = Field(description="Scenario format version")
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
    events: list[Event] = Field(default_factory=list, max_length=50)
    objectives: list[Objective] = Field(default_factory=list, max_length=8)
    start: Ident
    max_turns: int = Field(40, ge=1, le=500)
    on_max_turns: Ident
    nodes: dict[Ident, Node] = Field(min_length=1)
    endings: dict[Ident, Ending] = Field(min_length=1)


BUILTIN_VARS: dict[str, Var] = {
    "trust": Var(start=40, label="Trust"),
    "tension": Var(start=10, label="Tension"),
}


def _closed_keys(node: object) -> None:
    # pydantic writes a constrained dict key as patternProperties, which alone lets any
    # other key through; the loader refuses those keys, so the schema must refuse them too.
    if isinstance(node, dict):
        if "patternProperties" in node and "additionalProperties" not in node:
            node["additionalProperties"] = False
        for value in node.values():
            _closed_keys(value)
    elif isinstance(node, list):
        for value in node:
            _closed_keys(value)


def json_schema() -> dict:
    schema = Scenario.model_json_schema()
    _closed_keys(schema)
    schema["$schema"] = "https://json-schema.org/draft/2020-12/schema"
    schema["$id"] = "https://negtrainer.invalid/schema/scenario-v2.json"
    schema["title"] = "negtrainer scenario (formats 1 and 2)"
    return schema
