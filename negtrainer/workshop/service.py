"""Workshops in a store: create, find, edit, play for a participant, add up the room.

Front-ends (the command line, the window) call these; they hold the rules, the
store holds the SQL (``negtrainer.store.workshops``).
"""

from __future__ import annotations

import hashlib
import os
from contextlib import AbstractContextManager
from dataclasses import dataclass
from typing import Any

from negtrainer.engine import collector
from negtrainer.engine.scenario import LoadedScenario
from negtrainer.engine.session import Session
from negtrainer.store import StoreError
from negtrainer.store import workshops as ws
from negtrainer.workshop import aggregate
from negtrainer.workshop.model import (
    Exercise,
    NotFound,
    Workshop,
    WorkshopError,
    new_workshop,
    parse_workshop,
)

GUEST = "Guest"
# The cycle collector's thresholds while a room is collected or added up.
ROOM_GC_THRESHOLDS = (10_000, 50, 100)


def fewer_collections() -> AbstractContextManager[None]:
    """Python's cycle collector run less often: collecting a room or adding it up makes
    hundreds of thousands of small objects that live on, and each default pass over them
    found nothing to free (measured: a sixth of collecting's time, a third of the room's
    view). The thresholds are the process's own; they are put back after."""
    return collector.fewer_collections(*ROOM_GC_THRESHOLDS)


def save(store: Any, w: Workshop, scenarios: list[LoadedScenario] | None = None) -> Workshop:
    ws.save(store, w.id, w.name, w.model_dump(), scenarios or [])
    return w


def create(store: Any, name: str, participants: list[str] | None = None) -> Workshop:
    w = new_workshop(name, participants)
    _name_free(store, w)
    return save(store, w)


def _name_free(store: Any, w: Workshop) -> None:
    """Two workshops never share a name (letter case and spaces aside): names find them."""
    if any(o.id != w.id and o.name.casefold() == w.name.casefold() for o in all_workshops(store)):
        raise WorkshopError(f"Another workshop is already called {w.name!r}; choose another name.")


def all_workshops(store: Any) -> list[Workshop]:
    out = []
    for row in ws.listing(store):
        try:
            out.append(parse_workshop(row.doc))
        except WorkshopError:
            continue  # a damaged row: not listed, and left as it is
    return out


def find(store: Any, ref: str) -> Workshop:
    """A workshop by its name (any letter case) or the start of its id."""
    ref = " ".join(str(ref).split())
    every = all_workshops(store)
    hits = [w for w in every if w.name.casefold() == ref.casefold()]
    if not hits and len(ref) >= 4:
        hits = [w for w in every if w.id.startswith(ref.lower())]
    if not hits:
        names = ", ".join(repr(w.name) for w in every[:8]) or "none yet"
        raise NotFound(
            f"There is no workshop {ref!r} in this database (workshops: "
            f"{names}). Create one with negtrainer workshop new, or join a "
            "workshop file with negtrainer workshop join."
        )
    if len(hits) > 1:
        raise WorkshopError(
            f"More than one workshop is called {ref!r}; use its id "
            f"({', '.join(w.id[:8] for w in hits)})."
        )
    return hits[0]


def rename(store: Any, w: Workshop, name: str) -> Workshop:
    """The workshop under a new name; two workshops never share one (names find them)."""
    try:
        new = w.renamed(name)
    except WorkshopError:
        raise WorkshopError(
            f"{name!r} cannot be a workshop's name: use 1 to 80 characters of plain text."
        ) from None
    if new.name == w.name:
        return w
    _name_free(store, new)
    return save(store, new)


def delete(store: Any, w: Workshop) -> int:
    """Forget the workshop; its sessions stay in the database as ordinary sessions, no
    longer tagged. Returns how many sessions were tagged for it."""
    n = len(ws.sessions(store, w.id))
    ws.delete(store, w.id)
    return n


def remove_participant(store: Any, w: Workshop, name: str) -> tuple[Workshop, str, int]:
    """The workshop without the participant; sessions they played stay in its results,
    under their name (add them again and they are listed again). Returns the workshop,
    the name removed and how many sessions they played."""
    who = w.participant(name).name
    played = sum(1 for t in ws.sessions(store, w.id) if t.participant.casefold() == who.casefold())
    return save(store, w.without_participant(who)), who, played


def load_scenario(ref: str) -> LoadedScenario:
    """A scenario from the library (id or path), or WorkshopError saying what is wrong."""
    from negtrainer.engine.loader import try_load
    from negtrainer.library import NotFound, resolve

    try:
        path = resolve(ref)
    except NotFound as e:
        raise WorkshopError(str(e)) from None
    scenario, diags = try_load(path)
    if scenario is None:
        first = diags[0].format().splitlines()[0] if diags else "it cannot be loaded"
        raise WorkshopError(
            f"The scenario {ref} has errors: {first}. Run negtrainer check {ref} for all of them."
        )
    return scenario


def add_exercise(store: Any, w: Workshop, scenario: LoadedScenario, **kw: Any) -> Workshop:
    """The workshop with the exercise added, its expert paths searched and kept
    (:func:`prepare`)."""
    w = save(store, w.with_exercise(scenario, **kw), [scenario])
    prepare(store, w)
    return w


def variants(w: Workshop, content_hash: str, scenario: LoadedScenario) -> list[str]:
    """The variants the workshop's exercises on this scenario give participants."""
    found: set[str] = set()
    for ex in w.exercises:
        if ex.content_hash == content_hash:
            found.update([ex.variant] if ex.fixed else scenario.spec.counterpart.variants)
    return sorted(found)


def prepare(store: Any, w: Workshop) -> int:
    """Search the expert path of every variant the exercises give, where this database
    keeps none from this engine, and keep it: collecting then debriefs every session
    against it without searching. Returns how many were searched."""
    import logging

    from negtrainer.engine import ENGINE_VERSION
    from negtrainer.engine.session import expert_for

    wanted = {}
    for ex in w.exercises:
        try:
            sc = scenario_of(store, ex)
        except StoreError:
            continue
        for v in variants(w, ex.content_hash, sc):
            wanted[(ex.content_hash, v)] = sc
    try:
        kept = ws.expert_paths(store, list(wanted), ENGINE_VERSION)
    except StoreError:
        return 0
    found = {}
    for (h, v), sc in wanted.items():
        if (h, v) in kept:
            continue
        try:
            found[(h, v)] = expert_for(sc, v)
        except Exception:  # collecting searches again: nothing is lost
            logging.getLogger(__name__).exception("could not search an expert path")
    try:
        ws.save_expert_paths(store, found, ENGINE_VERSION)
    except StoreError:
        pass  # a read-only database: collecting searches when it needs a path
    return len(found)


def scenario_of(store: Any, exercise: Exercise) -> LoadedScenario:
    return store.scenario(exercise.content_hash)


def seed_for(exercise: Exercise) -> int:
    if exercise.fixed:
        return exercise.seed
    return int.from_bytes(os.urandom(4), "big") % (2**31 - 1) + 1


def variant_for(w: Workshop, ex: Exercise, who: str, scenario: LoadedScenario) -> str:
    """The counterpart a participant meets in an exercise whose counterpart is drawn per
    participant: drawn once from who they are (the same each time they play it, on any
    laptop), by the variants' weights. Each session's seed is still its own."""
    from negtrainer.engine.session import pick_variant

    digest = hashlib.sha256(f"{w.id}\n{ex.id}\n{who.casefold()}".encode()).digest()
    return pick_variant(scenario, int.from_bytes(digest[:4], "big"))


@dataclass
class Started:
    session_id: str
    recorder: Any  # negtrainer.store.Recorder
    session: Session


def participant_name(w: Workshop, name: str) -> str:
    """Whoever plays is named: a listed participant, or Guest."""
    if " ".join(name.split()).casefold() == GUEST.casefold():
        return GUEST
    return w.participant(name).name


def start(store: Any, w: Workshop, exercise_id: str, participant: str) -> Started:
    """Start and record a session of one exercise for one participant, tagged for the room."""
    from negtrainer.store import Recorder

    ex = w.exercise(exercise_id)
    who = participant_name(w, participant)
    scenario = scenario_of(store, ex)
    variant = ex.variant if ex.fixed else variant_for(w, ex, who, scenario)
    # Guest plays without a name, as Guest does outside workshops; the tag says Guest.
    name = "" if who == GUEST else who
    session = Session.start(scenario, seed=seed_for(ex), variant=variant, learner=name)
    rec = Recorder.start(store, scenario, session, name or None)
    if rec.error is not None:
        raise StoreError(str(rec.error))
    tag(store, w, rec.session_id, ex.id, who)
    return Started(rec.session_id, rec, session)


def tag(store: Any, w: Workshop, session_id: str, exercise_id: str, participant: str) -> None:
    ws.tag(store, w.id, ws.Tag(session_id, exercise_id, participant))


# -- the room's debrief -----------------------------------------------------------------------
def views(store: Any, w: Workshop, anonymous: bool = False) -> list[aggregate.ExerciseView]:
    """Each exercise with every finished session played for it, summarised."""
    with fewer_collections():
        return _views(store, w, anonymous)


def _views(store: Any, w: Workshop, anonymous: bool) -> list[aggregate.ExerciseView]:
    tagged = ws.sessions(store, w.id, finished_only=True)
    missing = {}
    summaries: dict[str, dict[str, Any]] = {}
    for t in tagged:
        if t.summary is not None and t.summary.get("v") == aggregate.SUMMARY_VERSION:
            summaries[t.session_id] = t.summary
            continue
        try:
            session = store.session_at(t.session_id)
        except (StoreError, ValueError):
            continue  # a session this version cannot replay: left out of the room's view
        s = aggregate.summarise(session, finished=True)
        summaries[t.session_id] = s
        missing[t.session_id] = (t.updated_at, s)
    ws.save_summaries(store, missing)
    teams = {p.name.casefold(): p.team for p in w.participants}
    out = []
    for ex in w.exercises:
        try:
            scenario: LoadedScenario | None = scenario_of(store, ex)
        except StoreError:
            scenario = None
        played = [
            aggregate.Played(
                t.session_id,
                w.shown_name(t.participant, anonymous),
                teams.get(t.participant.casefold()),
                summaries[t.session_id],
            )
            for t in tagged
            if t.exercise_id == ex.id and t.session_id in summaries
        ]
        out.append(aggregate.exercise_view(ex, scenario, played))
    return out
