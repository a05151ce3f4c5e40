"""Everything that changes during a session, small and serialisable.

After ink's StoryState: the scenario stays frozen; this object is the whole
session, so saving, rewinding and replaying are copying this.
"""

from __future__ import annotations

import copy
import hashlib
import operator
from dataclasses import dataclass, field, fields
from functools import lru_cache
from typing import Any, TypedDict

STATE_VERSION = 2
READ_VERSIONS = (1, 2)  # version 1 states load with the new fields at their defaults


class OfferRecord(TypedDict):
    """An offer of the learner's as the turn record keeps it."""

    terms: dict[str, str]
    you: float
    them: float
    accepted: bool
    counter: dict[str, str] | None


class TurnRecord(TypedDict, total=False):
    """One entry of :attr:`SessionState.log`: what a turn was and what it changed.

    Stored as JSON with the state, so every key is optional to readers of old
    sessions; a turn played now has all of those down to ``node_after``.
    """

    turn: int
    input: dict[str, Any]  # {"choice": id} | {"offer": terms} | {"accept": ...} | {"typed": ...}
    said: str
    move: str
    group: str
    stance: int  # -1 competitive, 0 neutral, +1 cooperative
    topics: list[str]
    node: str
    after_emotional: bool
    trust_before: float
    trust_after: float
    vars: dict[str, float]
    deltas: dict[str, float]
    lines: list[dict[str, Any]]
    revealed: list[str]
    hinted: list[str]
    mood: str
    ending: str | None
    node_after: str
    # Only on some turns:
    reflection: bool
    complex_reflection: bool
    why: list[str]
    offer: OfferRecord
    discloses: str
    promise: str
    keeps: str
    breaks: str
    thought: str
    deal_you: float
    deal_them: float


@lru_cache(maxsize=1 << 16)
def rand(seed: int, *keys: object) -> float:
    """A deterministic number in [0, 1) from the seed and a purpose.

    Stateless, so nothing about the random stream needs saving or restoring.
    """
    h = hashlib.blake2b(repr((seed, *keys)).encode(), digest_size=8).digest()
    return int.from_bytes(h, "big") / 2**64


def mood_of(trust: float, tension: float) -> str:
    if tension >= 60 or trust < 15:
        return "angry"
    if trust < 30:
        return "guarded"
    if tension >= 35:
        return "tense"
    if trust < 50:
        return "neutral"
    if trust < 70:
        return "open"
    return "warm"


_COPIERS: tuple[tuple[str, Any], ...] = ()


def _nested(value: list[list[int]]) -> list[list[int]]:
    return [list(v) for v in value]


def _list_or_none(value: list[int] | None) -> list[int] | None:
    return None if value is None else list(value)


def _copiers() -> tuple[tuple[str, Any], ...]:
    """(field, how to copy it one level deep) for every field holding a container,
    read from the class once, so a new field is copied without anyone remembering to."""
    global _COPIERS
    if not _COPIERS:
        probe = SessionState("", 0, "", "", {})
        found: list[tuple[str, Any]] = []
        for f in fields(SessionState):
            value, kind = getattr(probe, f.name), str(f.type)
            if isinstance(value, set):
                found.append((f.name, set.copy))
            elif isinstance(value, dict):
                found.append((f.name, dict.copy))  # values are plain numbers and strings
            elif kind.startswith("list[list["):
                found.append((f.name, _nested))  # learner_offers
            elif value is None and "list[" in kind:
                found.append((f.name, _list_or_none))  # counter and deal
            elif isinstance(value, list):
                found.append((f.name, list.copy))
        _COPIERS = tuple(found)
    return _COPIERS


_COPY_PLANS: dict[bool, tuple[tuple[str, ...], tuple[Any, ...]]] = {}


def _copy_plan(include_log: bool) -> tuple[tuple[str, ...], tuple[Any, ...]]:
    """The fields a copy copies and how, as two tuples (with or without the log)."""
    plan = _COPY_PLANS.get(include_log)
    if plan is None:
        pairs = [(n, how) for n, how in _copiers() if include_log or n != "log"]
        plan = _COPY_PLANS[include_log] = (
            tuple(n for n, _how in pairs),
            tuple(how for _n, how in pairs),
        )
    return plan


# How each plain name a condition can read is found in the state (KeyError for others).
def _field(name: str) -> Any:
    """Reads a whole-number field of the state; ``.attr`` lets a comparison with a
    number read it in one step (see expr._safe)."""
    read = operator.attrgetter(name)

    def read_it(st: Any) -> Any:  # a function can carry .attr; attrgetter can't
        return read(st)

    read_it.attr = name  # type: ignore[attr-defined]
    return read_it


SCALAR_GETTERS: dict[str, Any] = {
    "turn": _field("turn"),
    "offers": _field("offers"),
    "mood": lambda st: st.mood,
    "variant": lambda st: st.variant,
    "last_move": lambda st: st.move,
    "stance": lambda st: sum(st.stances[-3:]),
    "deal": lambda st: st.deal is not None,
    "disclosed_walkaway": lambda st: "walkaway" in st.disclosed,
}


@dataclass
class SessionState:
    scenario_id: str
    seed: int
    variant: str
    node: str
    vars: dict[str, float]
    learner: str = ""
    flags: set[str] = field(default_factory=set)
    revealed: dict[str, int] = field(default_factory=dict)  # interest -> turn
    hinted: dict[str, int] = field(default_factory=dict)
    visited: dict[str, int] = field(default_factory=dict)
    chosen: dict[str, int] = field(default_factory=dict)
    stances: list[int] = field(default_factory=list)
    promises: dict[str, str] = field(default_factory=dict)  # id -> made|kept|broken
    offers: int = 0
    counter: list[int] | None = None  # the counterpart's standing counter-offer
    deal: list[int] | None = None
    last_emotional: bool = False
    substance_turn: int | None = None  # first turn that talked terms
    turn: int = 0
    ending: str | None = None
    lines: list[dict[str, Any]] = field(default_factory=list)  # what was just said
    log: list[TurnRecord] = field(default_factory=list)  # one record per turn
    trust_start: float = 0.0
    move: str = ""  # the learner's latest move, current during its own turn
    # Format 2: the counterpart's memory.
    moves: list[str] = field(default_factory=list)  # the learner's moves, newest last (last 8)
    talk_gain: float = 0.0  # trust bought with words alone (capped per variant)
    learner_offers: list[list[int]] = field(default_factory=list)  # newest last (last 6)
    their_offers: int = 0  # counter-offers and first offers it has made
    promise_made: dict[str, int] = field(default_factory=dict)  # id -> turn made
    promise_due: dict[str, int] = field(default_factory=dict)  # id -> turn it fell due
    fired: dict[str, int] = field(default_factory=dict)  # event -> turn
    disclosed: list[str] = field(default_factory=list)  # what the learner disclosed
    withdrawn: int = 0  # concessions the learner took back
    needs_refused: dict[str, int] = field(default_factory=dict)  # interest -> times

    # Values a condition can read by plain name.
    def scalar(self, name: str) -> Any:
        return SCALAR_GETTERS[name](self)

    @property
    def mood(self) -> str:
        return mood_of(self.vars.get("trust", 50), self.vars.get("tension", 0))

    @property
    def trust(self) -> float:
        return self.vars["trust"]

    def to_json(self, include_log: bool = True) -> dict[str, Any]:
        """Plain JSON data; without the log when a store keeps the turns apart."""
        return {
            "state_version": STATE_VERSION,
            "scenario_id": self.scenario_id,
            "seed": self.seed,
            "variant": self.variant,
            "learner": self.learner,
            "node": self.node,
            "vars": dict(self.vars),
            "flags": sorted(self.flags),
            "revealed": dict(self.revealed),
            "hinted": dict(self.hinted),
            "visited": dict(self.visited),
            "chosen": dict(self.chosen),
            "stances": list(self.stances),
            "promises": dict(self.promises),
            "offers": self.offers,
            "counter": list(self.counter) if self.counter is not None else None,
            "deal": list(self.deal) if self.deal is not None else None,
            "last_emotional": self.last_emotional,
            "substance_turn": self.substance_turn,
            "turn": self.turn,
            "ending": self.ending,
            "lines": copy.deepcopy(self.lines),
            "log": copy.deepcopy(self.log) if include_log else [],
            "trust_start": self.trust_start,
            "move": self.move,
            "moves": list(self.moves),
            "talk_gain": self.talk_gain,
            "learner_offers": [list(o) for o in self.learner_offers],
            "their_offers": self.their_offers,
            "promise_made": dict(self.promise_made),
            "promise_due": dict(self.promise_due),
            "fired": dict(self.fired),
            "disclosed": list(self.disclosed),
            "withdrawn": self.withdrawn,
            "needs_refused": dict(self.needs_refused),
        }

    @classmethod
    def from_json(cls, data: dict[str, Any]) -> SessionState:
        if not isinstance(data, dict) or data.get("state_version") not in READ_VERSIONS:
            raise ValueError("not a session state of a version this program knows")
        try:
            return cls(
                scenario_id=str(data["scenario_id"]),
                seed=int(data["seed"]),
                variant=str(data["variant"]),
                learner=str(data.get("learner", "")),
                node=str(data["node"]),
                vars={str(k): float(v) for k, v in data["vars"].items()},
                flags=set(map(str, data["flags"])),
                revealed={str(k): int(v) for k, v in data["revealed"].items()},
                hinted={str(k): int(v) for k, v in data["hinted"].items()},
                visited={str(k): int(v) for k, v in data["visited"].items()},
                chosen={str(k): int(v) for k, v in data["chosen"].items()},
                stances=[int(s) for s in data["stances"]],
                promises={str(k): str(v) for k, v in data["promises"].items()},
                offers=int(data["offers"]),
                counter=None if data["counter"] is None else [int(x) for x in data["counter"]],
                deal=None if data["deal"] is None else [int(x) for x in data["deal"]],
                last_emotional=bool(data["last_emotional"]),
                substance_turn=data["substance_turn"],
                turn=int(data["turn"]),
                ending=data["ending"],
                lines=list(data["lines"]),
                log=list(data["log"]),
                trust_start=float(data.get("trust_start", 0.0)),
                move=str(data.get("move", "")),
                moves=[str(m) for m in data.get("moves", [])],
                talk_gain=float(data.get("talk_gain", 0.0)),
                learner_offers=[[int(x) for x in o] for o in data.get("learner_offers", [])],
                their_offers=int(data.get("their_offers", 0)),
                promise_made={str(k): int(v) for k, v in data.get("promise_made", {}).items()},
                promise_due={str(k): int(v) for k, v in data.get("promise_due", {}).items()},
                fired={str(k): int(v) for k, v in data.get("fired", {}).items()},
                disclosed=[str(d) for d in data.get("disclosed", [])],
                withdrawn=int(data.get("withdrawn", 0)),
                needs_refused={str(k): int(v) for k, v in data.get("needs_refused", {}).items()},
            )
        except (KeyError, TypeError, ValueError, AttributeError) as e:
            raise ValueError(f"damaged session state: {e}") from e

    def copy(self, include_log: bool = True) -> SessionState:
        """One copy that lives with the fields, so no caller can forget one: every
        field is copied, one level deep (the containers hold plain values, and the
        log's and lines' records are never changed after they are written)."""
        d = self.__dict__.copy()
        names, hows = _copy_plan(include_log)
        # Each field through its copier, the loop run in C: a search copies states
        # thousands of times, and a loop in Python was most of a copy's cost.
        d.update(zip(names, map(operator.call, hows, map(d.__getitem__, names))))
        if not include_log:
            d["log"] = []
        new = object.__new__(SessionState)
        new.__dict__ = d
        return new
