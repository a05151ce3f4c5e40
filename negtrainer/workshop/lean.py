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

import logging
from collections.abc import Callable
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
    times: list[exchange.Timestamp] = Field(min_length=1, max_length=exchange.MAX_TURNS + 1)
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


def check(
    docs: list[LeanSession],
    scenarios: dict[str, Any],
    name: str,
    score: Callable[[Any], dict[str, Any] | None],
) -> list[exchange.Checked]:
    """Every session replayed by the engine from its inputs; ImportFileError for the
    first that does not hold. Repeats of a session (identical) are taken once."""
    ready: list[exchange.Checked] = []
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
            ready.append(_one(doc, sc, where, score))
        except ImportFileError:
            raise
        except Exception:
            log.exception("session in %s broke the engine while being checked", name)
            raise ImportFileError(f"{where}: the session cannot be replayed") from None
    return ready


def _one(
    doc: LeanSession, sc: Any, where: str, score: Callable[[Any], dict[str, Any] | None]
) -> exchange.Checked:
    from negtrainer.engine.session import Session
    from negtrainer.store.store import clean_name

    def bad(why: str) -> ImportFileError:
        return ImportFileError(f"{where}: {why} (the file was edited or damaged)")

    turns = len(doc.times)
    if turns != len(doc.inputs) + 1:
        raise bad("it has not one time per turn")
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
    try:
        session = Session.start(sc, doc.seed, doc.variant, learner or "")
    except ValueError:
        raise bad(f"the scenario has no variant {doc.variant!r}") from None

    def row(i: int) -> rows.TurnRow:
        state, record = rows.snapshot(session)
        inherited = doc.parent_turn is not None and i <= doc.parent_turn
        return rows.encode(i, state, record, doc.times[i], inherited)

    new_rows = [row(0)]
    for k, item in enumerate(doc.inputs, 1):
        if session.ended:
            raise bad(f"turn {k} comes after the session's ending")
        try:
            session.apply(item.model_dump(exclude_none=True))
        except Exception:  # noqa: BLE001 - any refusal: the input does not fit here
            raise bad(f"turn {k} is not something the learner could do there") from None
        new_rows.append(row(k))
    ending = session.ending
    if ending is not None and doc.status != "finished":
        raise bad("it reached an ending but is marked unfinished")
    fresh = score(session) if doc.status == "finished" else None
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
        "scores": fresh if ending is not None else None,
        "parent_id": doc.parent_id,
        "parent_turn": doc.parent_turn,
    }
    return exchange.Checked(
        meta, sc, new_rows, [note.model_dump() for note in doc.notes], session, fresh
    )
