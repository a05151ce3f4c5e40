"""What a workshop is: exercises and participants, as plain validated data.

The same document is kept in the database and travels in a workshop file, so
it is read strictly (pydantic, sizes bounded) wherever it comes from.
"""

from __future__ import annotations

import functools
import re
import uuid
from typing import Annotated, Any, Literal

from pydantic import BaseModel, ConfigDict, Field, StringConstraints, model_validator

MAX_EXERCISES = 20
MAX_PARTICIPANTS = 200
MAX_QUESTIONS = 12
MAX_MINUTES = 240
# Control characters, and the invisible ones that reorder or hide text (bidi embeddings,
# overrides and isolates, marks, zero-width space, word joiner, BOM): a name that reads one
# way on screen and is another in the file. ZWJ/ZWNJ stay: scripts and emoji need them.
_CONTROL = re.compile(
    r"[\x00-\x1f\x7f-\x9f\u061c\u200b\u200e\u200f\u2028-\u202e"
    r"\u2060-\u2064\u2066-\u2069\ufeff]"
)

Name = Annotated[str, StringConstraints(min_length=1, max_length=80, strip_whitespace=True)]
Ident = Annotated[str, StringConstraints(pattern=r"^[A-Za-z][A-Za-z0-9_\-]{0,63}$")]
Hash = Annotated[str, StringConstraints(pattern=r"^[0-9a-f]{64}$")]
Question = Annotated[str, StringConstraints(min_length=1, max_length=500, strip_whitespace=True)]


class WorkshopError(ValueError):
    """A user's mistake about a workshop; the message says what to do."""


class NotFound(WorkshopError):
    """The workshop, exercise or participant named is not there (the message lists what is)."""


class Strict(BaseModel):
    model_config = ConfigDict(strict=True, extra="forbid")


class Participant(Strict):
    name: Name
    pseudonym: Name
    team: Name | None = None

    @model_validator(mode="after")
    def _plain(self) -> Participant:
        for text in (self.name, self.pseudonym, self.team or ""):
            if _CONTROL.search(text):
                raise ValueError(
                    "names are plain text, without control or invisible formatting characters"
                )
        return self


class Exercise(Strict):
    id: Ident
    scenario_id: Ident
    title: Annotated[str, StringConstraints(max_length=200)]
    content_hash: Hash
    # A fixed variant and seed give every participant the same counterpart;
    # "random" draws a personality per participant (service.variant_for: the same
    # each time they play) and a seed per session.
    variant: Ident | Literal["random"] = "random"
    seed: int = Field(0, ge=0, le=2**31 - 1)
    minutes: int = Field(15, ge=1, le=MAX_MINUTES)
    questions: list[Question] = Field(default_factory=list, max_length=MAX_QUESTIONS)

    @model_validator(mode="after")
    def _plain(self) -> Exercise:
        for text in (self.title, *self.questions):
            if _CONTROL.search(text):
                raise ValueError("titles and questions are plain text on one line")
        return self

    @property
    def fixed(self) -> bool:
        return self.variant != "random"


class Workshop(Strict):
    id: Annotated[str, StringConstraints(pattern=r"^[0-9a-f]{32}$")]
    name: Name
    exercises: list[Exercise] = Field(default_factory=list, max_length=MAX_EXERCISES)
    participants: list[Participant] = Field(default_factory=list, max_length=MAX_PARTICIPANTS)

    @model_validator(mode="after")
    def _unique(self) -> Workshop:
        if _CONTROL.search(self.name):
            raise ValueError(
                "a workshop's name is plain text, without control or invisible formatting "
                "characters"
            )
        ids = [e.id for e in self.exercises]
        if len(set(ids)) != len(ids):
            raise ValueError("two exercises share an id")
        names = [p.name.casefold() for p in self.participants]
        if len(set(names)) != len(names):
            raise ValueError("two participants share a name")
        return self

    # -- reading ---------------------------------------------------------------------
    def exercise(self, exercise_id: str) -> Exercise:
        for e in self.exercises:
            if e.id == exercise_id:
                return e
        raise NotFound(
            f"Workshop {self.name!r} has no exercise {exercise_id!r}; it has "
            f"{', '.join(e.id for e in self.exercises) or 'none yet'}."
        )

    @functools.cached_property
    def by_name(self) -> dict[str, Participant]:
        """Each participant under their name and pseudonym (casefolded); the first in
        the list wins, as a search in order would find. Collecting looks a name up for
        every session."""
        index: dict[str, Participant] = {}
        for p in self.participants:
            index.setdefault(p.name.casefold(), p)
            index.setdefault(p.pseudonym.casefold(), p)
        return index

    def participant(self, name: str) -> Participant:
        found = self.by_name.get(" ".join(name.split()).casefold())
        if found is not None:
            return found
        names = ", ".join(p.name for p in self.participants[:12]) or "none yet"
        raise NotFound(
            f"{name!r} is not a participant of {self.name!r} (participants: "
            f"{names}). Add them first (negtrainer workshop add-participant)."
        )

    def shown_name(self, name: str, anonymous: bool) -> str:
        """A participant's name, or their pseudonym when names are hidden."""
        if not anonymous:
            return name
        key = name.casefold()
        for p in self.participants:
            if p.name.casefold() == key:
                return p.pseudonym
        return "Guest" if key == "guest" else "Participant"

    # -- editing (returns a new workshop; validation runs again) -------------------------
    def with_participant(
        self, name: str, team: str | None = None, pseudonym: str | None = None
    ) -> Workshop:
        name = " ".join(str(name).split())
        pseudonym = pseudonym or f"P{len(self.participants) + 1}"
        taken = {p.pseudonym.casefold() for p in self.participants}
        n = len(self.participants) + 1
        while pseudonym.casefold() in taken:
            n += 1
            pseudonym = f"P{n}"
        return self.changed(
            participants=[
                *self.participant_docs(),
                {"name": name, "pseudonym": pseudonym, "team": team},
            ]
        )

    def without_participant(self, name: str) -> Workshop:
        p = self.participant(name)
        return self.changed(
            participants=[d for d in self.participant_docs() if d["name"] != p.name]
        )

    def with_exercise(
        self,
        scenario: Any,
        variant: str = "random",
        minutes: int | None = None,
        questions: list[str] | None = None,
        seed: int | None = None,
        exercise_id: str | None = None,
    ) -> Workshop:
        if variant != "random" and variant not in scenario.spec.counterpart.variants:
            raise WorkshopError(
                f"{scenario.id} has no variant {variant!r}; choose random or one of: "
                f"{', '.join(scenario.spec.counterpart.variants)}."
            )
        if exercise_id is None:
            n = len(self.exercises) + 1
            taken = {e.id for e in self.exercises}
            while f"e{n}" in taken:
                n += 1
            exercise_id = f"e{n}"
        doc = {
            "id": exercise_id,
            "scenario_id": scenario.id,
            "title": scenario.title,
            "content_hash": scenario.content_hash,
            "variant": variant,
            "seed": seed if seed is not None else int.from_bytes(uuid.uuid4().bytes[:3]),
            "minutes": minutes or scenario.spec.minutes,
            "questions": questions if questions is not None else default_questions(scenario),
        }
        others = [e.model_dump() for e in self.exercises]
        if any(e["id"] == exercise_id for e in others):
            others = [doc if e["id"] == exercise_id else e for e in others]
        else:
            others.append(doc)
        return self.changed(exercises=others)

    def without_exercise(self, exercise_id: str) -> Workshop:
        self.exercise(exercise_id)
        return self.changed(
            exercises=[e.model_dump() for e in self.exercises if e.id != exercise_id]
        )

    def renamed(self, name: str) -> Workshop:
        return self.changed(name=" ".join(str(name).split()))

    def participant_docs(self) -> list[dict[str, Any]]:
        return [p.model_dump() for p in self.participants]

    def changed(self, **fields: Any) -> Workshop:
        doc = self.model_dump()
        doc.update(fields)
        return parse_workshop(doc)


def new_workshop(name: str, participants: list[str] | None = None) -> Workshop:
    w = parse_workshop({"id": uuid.uuid4().hex, "name": " ".join(str(name).split())})
    for p in participants or []:
        w = w.with_participant(p)
    return w


def parse_workshop(doc: Any) -> Workshop:
    from pydantic import ValidationError

    try:
        return Workshop.model_validate(doc)
    except ValidationError as e:
        err = e.errors(include_url=False)[0]
        msg = err["msg"].removeprefix("Value error, ")
        loc = err["loc"]
        if not loc:
            raise WorkshopError(msg) from None
        if len(loc) >= 2 and loc[0] in ("participants", "exercises") and isinstance(loc[1], int):
            loc = (f"{loc[0][:-1]} {loc[1] + 1}", *loc[2:])
        raise WorkshopError(f"{'.'.join(str(p) for p in loc)}: {msg}") from None


def default_questions(scenario: Any) -> list[str]:
    """Debrief questions from the skills the scenario practises (the facilitator edits them)."""
    from negtrainer.engine.skills import SKILLS

    out = [
        (
            "What did the other side need that was not in their first position? When did "
            "you learn it?"
        ),
        "Where did trust rise or fall, and what had just been said?",
    ]
    for key in scenario.spec.skills[:2]:
        skill = SKILLS.get(key)
        if skill is not None:
            out.append(f"{skill.title}: where did this show in your session?")
    return out
