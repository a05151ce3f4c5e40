"""Results files, version 2: each session as its inputs, seed and variant only.

Version 1 carried every turn's full state, which the collecting engine
re-derived anyway and then compared: most of a file, and of its reading, was
state the facilitator's engine recomputes. Version 2 carries what a learner
did (inputs, the times of the turns, notes); collecting replays the engine on
it and keeps what the engine gives, so nothing in the file about what
happened is trusted, and there is less to read. Version 1 files are still
collected (``files.collect_one``).
"""

from __future__ import annotations

import json
import logging
from collections.abc import Callable
from dataclasses import dataclass
from typing import Annotated, Any, Literal

from pydantic import BaseModel, ConfigDict, Field, StringConstraints

from negtrainer.store import ImportFileError, StoreError, exchange, rows

log = logging.getLogger(__name__)

VERSION = 2

Name = Annotated[str, StringConstraints(min_length=1, max_length=80)]
Ident = Annotated[str, StringConstraints(pattern=r"^[A-Za-z][A-Za-z0-9_\-]{0,63}$")]


class _Strict(BaseModel):
    model_config = ConfigDict(strict=True, extra="forbid")


class LeanSession(_Strict):
    id: exchange.SessionId
    learner: Name | None
    content_hash: exchange.Hash
    seed: int = Field(ge=-(2**63), le=2**63 - 1)
    variant: Ident
    status: Literal["unfinished", "finished"]
    started_at: exchange.Timestamp
    updated_at: exchange.Timestamp
    ended_at: exchange.Timestamp | None
    parent_id: exchange.SessionId | None = None
    parent_turn: int | None = Field(None, ge=0, le=exchange.MAX_TURNS)
    times: exchange.Timestamps = Field(min_length=1, max_length=exchange.MAX_TURNS + 1)
    inputs: list[exchange.InputDoc] = Field(max_length=exchange.MAX_TURNS)
    notes: list[exchange.NoteDoc] = Field(max_length=exchange.MAX_NOTES)


def session_doc(stored: Any, learner: str | None = None, notes: bool = True) -> dict[str, Any]:
    """A stored session as a version 2 entry (``learner`` replaces its learner's name)."""
    i = stored.info
    return {
        "id": i.id,
        "learner": learner if learner is not None else i.learner,
        **exchange.played_fields(i),
        "parent_id": i.parent_id,
        "parent_turn": i.parent_turn,
        "times": [t.at for t in stored.turns],
        "inputs": [t.record["input"] for t in stored.turns[1:] if t.record is not None],
        "notes": exchange.note_docs(stored) if notes else [],
    }


class _Late(Exception):
    """An input after the session's ending (its turn number in ``args``)."""


class _Refused(Exception):
    """An input the engine refused: its turn number in ``args``, and why, when more can be
    said than that it does not fit (own words labelled as another move)."""


_NOT_YET: Any = object()


class _Node:
    """A point of play: the session after some inputs, and where play went from there."""

    __slots__ = ("children", "scores", "scores_text", "session", "summaries")

    def __init__(self, session: Any):
        self.session = session
        self.children: dict[str, _Node] = {}
        self.scores: Any = _NOT_YET
        self.scores_text: rows.Encoded | None = None
        self.summaries: dict[bool, rows.Encoded] = {}

    def scored(self, score: Callable[[Any], dict[str, Any] | None]) -> dict[str, Any] | None:
        if self.scores is _NOT_YET:
            self.scores = score(self.session)
            if self.scores is not None:
                text = getattr(self.scores, "text", None)  # files._room_scores keeps it
                self.scores_text = rows.Encoded(text or rows.dumps(self.scores))
        return self.scores

    def summary(self, finished: bool, make: Callable[[], dict[str, Any]]) -> rows.Encoded:
        """The room's summary as JSON text, made once for every session that played so."""
        found = self.summaries.get(finished)
        if found is None:
            found = self.summaries[finished] = rows.Encoded(rows.dumps(make()))
        return found


class Replays:
    """The engine's replays for one collection, each course of play run once.

    The engine is deterministic: the same scenario, variant, seed and inputs give
    the same states. So sessions that open with the same inputs share those turns,
    replayed once and forked where the sessions part (a tree of inputs), and
    identical sessions share their debrief too. The key holds only what decides a
    replay: the content hash of a scenario loaded here, the variant, the seed, the
    inputs in order; never the learner, the times or anything the file says happened.
    """

    MAX_NODES = 100_000  # past this the tree starts again

    def __init__(self) -> None:
        self.roots: dict[tuple[str, str, int], _Node] = {}
        self.nodes = 0
        self.sessions = 0  # sessions asked for
        self.turns = 0  # their turns
        self.played_sessions = 0  # sessions that needed a replay of their own
        self.played_turns = 0  # turns the engine actually played

    def replay(self, sc: Any, seed: int, variant: str, steps: list[str]) -> _Node:
        """Where the inputs lead (each as its JSON text, which is also its key); _Late
        or _Refused (with the turn) for an input that does not fit.

        A state is kept where play starts, where sessions end and where they part, not
        at every turn: a session that parts from others where no state is kept yet
        replays from the last one kept (and keeps one there for the next)."""
        from negtrainer.engine.session import Session

        if self.nodes > self.MAX_NODES:
            self.roots.clear()
            self.nodes = 0
        self.sessions += 1
        self.turns += len(steps)
        key = (sc.content_hash, variant, seed)
        node = self.roots.get(key)
        fresh = node is None
        if node is None:
            # Learner "": a name is carried in the state only, never read by the engine.
            node = _Node(Session.start(sc, seed, variant, ""))
            self.roots[key] = node
            self.nodes += 1
        base, since = node, []  # the last node with a state, and the steps from it
        live = None  # on a new path: the session at ``node``, ours to play on
        for k, step in enumerate(steps, 1):
            child = None if live is not None else node.children.get(step)
            if child is not None:
                node = child
                if child.session is not None:
                    base, since = child, []
                else:
                    since.append(step)
                continue
            if live is None:  # play parts here from the sessions before
                live = self._at(base, since)
                if since:  # keep a state here: the next session to part here starts from it
                    node.session = live.fork(include_log=True)
            if live.ended:
                raise _Late(k)
            item = json.loads(step)
            try:
                exchange.check_own_words(live, item)
            except exchange.MisreadWords as e:
                raise _Refused(k, str(e)) from None
            try:
                live.apply(item)
            except Exception:  # noqa: BLE001 - any refusal: the input does not fit here
                raise _Refused(k) from None
            child = node.children[step] = _Node(None)
            node = child
            self.nodes += 1
            self.played_turns += 1
            fresh = True
        if live is not None:
            node.session = live
        elif node.session is None:  # stops where others went on
            node.session = self._at(base, since)
        self.played_sessions += fresh
        return node

    def _at(self, base: _Node, since: list[str]) -> Any:
        """A session of our own, replayed from ``base`` over ``since`` (turns the
        tree kept no state for)."""
        live = base.session.fork(include_log=True)
        for step in since:
            live.apply(json.loads(step))
        self.played_turns += len(since)
        return live


@dataclass
class Replayed(exchange.Checked):
    node: Any = None  # its place in the Replays tree (shared debrief and summary)


def check(
    docs: list[LeanSession],
    scenarios: dict[str, Any],
    name: str,
    score: Callable[[Any], dict[str, Any] | None],
    replays: Replays | None = None,
) -> list[Replayed]:
    """Every session replayed by the engine from its inputs; ImportFileError for the
    first that does not hold. Repeats of a session (identical) are taken once.
    Sessions are kept as their inputs (``exchange.Checked.lazy``)."""
    replays = replays if replays is not None else Replays()
    ready: list[Replayed] = []
    seen: dict[str, tuple[int, LeanSession]] = {}
    for n, doc in enumerate(docs, 1):
        if doc.id in seen:
            if seen[doc.id][1] != doc:
                raise ImportFileError(
                    f"it holds session {doc.id[:8]} twice (sessions "
                    f"{seen[doc.id][0]} and {n}) with different content"
                )
            continue
        seen[doc.id] = (n, doc)
        sc = scenarios.get(doc.content_hash)
        if sc is None:
            raise ImportFileError(
                f"session {n} ({doc.id[:8]}): its scenario snapshot is missing from the file"
            )
        where = f"session {n} ({doc.id[:8]})"
        try:
            ready.append(_one(doc, sc, where, score, replays))
        except ImportFileError:
            raise
        except Exception:
            log.exception("session in %s broke the engine while being checked", name)
            raise ImportFileError(f"{where}: the session cannot be replayed") from None
    return ready


_CHOICE_TEXT: dict[str, str] = {}  # a choice's id -> its input as text (most inputs)


def _step(item: exchange.InputDoc) -> str:
    """An input as JSON text: what pydantic writes, once per choice for bare choices
    (a room's files repeat the same few dozen tens of thousands of times)."""
    if item.offer is None and item.accept is None and item.typed is None and item.choice:
        text = _CHOICE_TEXT.get(item.choice)
        if text is None:
            text = item.model_dump_json(exclude_none=True)
            if len(_CHOICE_TEXT) < 10_000:
                _CHOICE_TEXT[item.choice] = text
        return text
    return item.model_dump_json(exclude_none=True)


def _one(
    doc: LeanSession,
    sc: Any,
    where: str,
    score: Callable[[Any], dict[str, Any] | None],
    replays: Replays,
) -> Replayed:
    from negtrainer.store.models import clean_name

    def bad(why: str) -> ImportFileError:
        return ImportFileError(f"{where}: {why} (the file was edited or damaged)")

    turns = len(doc.times)
    if turns != len(doc.inputs) + 1:
        raise bad(
            f"it has {turns} times for {len(doc.inputs)} turns; it needs one more time than "
            "turns (one for the start and one for each turn)"
        )
    if doc.parent_id is None:
        if doc.parent_turn is not None:
            raise bad("it branches from no session")
    elif doc.parent_id == doc.id or doc.parent_turn is None or doc.parent_turn >= turns:
        raise bad("its link to the session it branched from is wrong")
    if any(note.turn >= turns for note in doc.notes):
        raise bad("a note refers to a turn the session does not have")
    if doc.status == "unfinished" and doc.ended_at is not None:
        raise bad("it is unfinished but has an end time")
    learner = None
    if doc.learner is not None:
        try:
            learner = clean_name(doc.learner)
        except StoreError:
            raise bad("its learner's name is not plain text") from None
    if doc.variant not in sc.spec.counterpart.variants:
        raise bad(f"the scenario has no variant {doc.variant!r}")
    # The same input always gives the same text (fields in the model's order).
    steps = [_step(item) for item in doc.inputs]
    try:
        node = replays.replay(sc, doc.seed, doc.variant, steps)
    except _Late as e:
        raise bad(f"turn {e.args[0]} comes after the session's ending") from None
    except _Refused as e:
        why = (
            f": {e.args[1]}" if len(e.args) > 1 else " is not something the learner could do there"
        )
        raise bad(f"turn {e.args[0]}{why}") from None
    session = node.session
    ending = session.ending
    if ending is not None and doc.status != "finished":
        raise bad("it reached an ending but is marked unfinished")
    fresh = node.scored(score) if doc.status == "finished" else None
    meta = {
        "id": doc.id,
        "learner": learner,
        "scenario_id": sc.id,
        "scenario_version": sc.spec.version,
        "content_hash": doc.content_hash,
        "seed": doc.seed,
        "variant": doc.variant,
        "status": doc.status,
        "started_at": doc.started_at,
        "updated_at": doc.updated_at,
        "ended_at": doc.ended_at,
        "ending_id": ending.id if ending else None,
        "ending_kind": ending.kind if ending else None,
        # Encoded once for every session that played the same.
        "scores": node.scores_text if ending is not None and fresh is not None else None,
        "parent_id": doc.parent_id,
        "parent_turn": doc.parent_turn,
    }
    return Replayed(
        meta,
        sc,
        [],
        [note.model_dump() for note in doc.notes],
        session,
        fresh,
        (rows.lazy_doc(learner or "", doc.times, steps), len(steps)),
        node,
    )
