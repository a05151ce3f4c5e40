"""How one turn is kept in a row, compactly, and how full states come back.

A turn row holds the engine's state after the turn *without its log*: the log
at turn N is the records of turns 1..N, which are the rows themselves. The
record of a turn is kept without the fields that have their own column
(input, said, move, lines), and the state without ``lines`` when they are the
turn's lines. Expanding gives back exactly ``Session.to_json()``.
"""

from __future__ import annotations

import json
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass
from datetime import UTC, datetime
from typing import Any

from negtrainer.engine.jsonread import too_deep
from negtrainer.engine.session import Session
from negtrainer.engine.state import TurnRecord

# Record keys that live in their own columns (so a query can read them).
COLUMNS = ("input", "said", "move", "lines")


def now() -> str:
    """A timestamp that sorts as text: UTC, fixed width, microseconds."""
    return datetime.now(UTC).isoformat(timespec="microseconds")


# Real scores nest three or four deep.
SCORES_DEPTH = 12


class Encoded(str):
    """A value already as JSON text (say, one debrief shared by identical sessions),
    written as it is rather than encoded again."""


def dumps(value: Any) -> str:
    if isinstance(value, Encoded):
        return str(value)
    return json.dumps(value, ensure_ascii=False, separators=(",", ":"), allow_nan=False)


def normal(value: Any) -> Any:
    """The value as it reads back from JSON (tuples become lists, and so on)."""
    return json.loads(dumps(value))


def snapshot(session: Session) -> tuple[dict[str, Any], TurnRecord | None]:
    """The session's state without its log, and the record of its last turn.

    Copies the state without the log: ``to_json()`` deep-copies the whole log,
    which is most of the cost of recording a turn late in a long session.
    """
    st = session.state
    state = st.to_json(include_log=False)
    del state["log"]
    record = st.log[-1] if st.log else None
    return state, record


@dataclass(frozen=True)
class TurnRow:
    """One row of the ``turns`` table, JSON fields as text."""

    index: int
    at: str
    inherited: bool
    input: str | None
    move: str | None
    said: str | None
    lines: str
    record: str | None
    state: str

    def values(self, session_id: str) -> tuple:
        return (
            session_id,
            self.index,
            self.at,
            int(self.inherited),
            self.input,
            self.move,
            self.said,
            self.lines,
            self.record,
            self.state,
        )

    @classmethod
    def from_db(cls, row: Sequence[Any]) -> TurnRow:
        """From ``SELECT idx, at, inherited, input, move, said, lines, record, state``."""
        return cls(row[0], row[1], bool(row[2]), row[3], row[4], row[5], row[6], row[7], row[8])


TURN_COLUMNS = "idx, at, inherited, input, move, said, lines, record, state"
INSERT_TURN = (
    "INSERT INTO turns (session_id, idx, at, inherited, input, move, said, lines, "
    "record, state) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?)"
)


def encode(
    index: int,
    state: dict[str, Any],
    record: Mapping[str, Any] | None,
    at: str,
    inherited: bool = False,
) -> TurnRow:
    """A row from a state without log (as :func:`snapshot` gives) and its record."""
    state = {k: v for k, v in state.items() if k != "log"}
    if record is None:
        lines = state.pop("lines", [])
        return TurnRow(index, at, inherited, None, None, None, dumps(lines), None, dumps(state))
    lines = record.get("lines", [])
    if state.get("lines") == lines:
        del state["lines"]
    rest = {k: v for k, v in record.items() if k not in COLUMNS}
    said, move = record.get("said"), record.get("move")
    return TurnRow(
        index,
        at,
        inherited,
        dumps(record.get("input")),
        None if move is None else str(move),
        None if said is None else str(said),
        dumps(lines),
        dumps(rest),
        dumps(state),
    )


def decode_state(row: TurnRow) -> dict[str, Any]:
    """The state after this turn, without its log (``lines`` included)."""
    state = json.loads(row.state)
    if "lines" not in state:
        state["lines"] = json.loads(row.lines)
    return state


def decode_record(row: TurnRow) -> dict[str, Any] | None:
    """The engine's log record of this turn (None for the opening, turn 0)."""
    if row.record is None:
        return None
    rec = json.loads(row.record)
    rec["input"] = json.loads(row.input) if row.input is not None else None
    if row.said is not None:
        rec["said"] = row.said
    if row.move is not None:
        rec["move"] = row.move
    rec["lines"] = json.loads(row.lines)
    return rec


def full_state(rows: Iterable[TurnRow]) -> dict[str, Any]:
    """``Session.to_json()`` at the last of ``rows`` (rows 0..N in order)."""
    log: list[dict[str, Any]] = []
    last: TurnRow | None = None
    for row in rows:
        rec = decode_record(row)
        if rec is not None:
            log.append(rec)
        last = row
    if last is None:
        raise ValueError("no turns")
    state = decode_state(last)
    state["log"] = log
    return state


def states_by_replay(session: Session) -> list[tuple[dict[str, Any], TurnRecord | None]]:
    """(state without log, record) for turns 0..N of ``session``, by re-running the engine."""
    st = session.state
    again = Session.start(session.scenario, st.seed, st.variant, st.learner)
    out = [snapshot(again)]
    for item in session.inputs:
        again.apply(item)
        out.append(snapshot(again))
    return out


def lazy_doc(learner: str, times: Sequence[str], steps: Sequence[str]) -> str:
    """What a session kept as its inputs holds (``sessions.lazy_turns``); ``steps`` are
    its inputs already as JSON text."""
    head = dumps({"learner": learner, "times": list(times)})
    return f'{head[:-1]},"inputs":[{",".join(steps)}]}}'


def derived(
    scenario: Any, seed: int, variant: str, lazy: str, parent_turn: int | None
) -> list[TurnRow]:
    """Rows 0..N of a session kept as its inputs, rebuilt by re-running the engine:
    the same scenario, seed, variant and inputs give the same states. ValueError (or
    whatever the engine raises) when they do not replay."""
    doc = json.loads(lazy)
    times, inputs = doc["times"], doc["inputs"]
    if not isinstance(times, list) or not isinstance(inputs, list) or not isinstance(doc, dict):
        raise TypeError("not a session's inputs")
    if len(times) != len(inputs) + 1:
        raise ValueError(
            f"it has {len(times)} times for {len(inputs)} turns (one for the start and one "
            "for each turn are needed)"
        )
    session = Session.start(scenario, seed, variant, str(doc.get("learner", "")))

    def row(i: int) -> TurnRow:
        inherited = parent_turn is not None and i <= parent_turn
        return encode(i, *snapshot(session), str(times[i]), inherited)

    out = [row(0)]
    for i, item in enumerate(inputs, 1):
        if session.ended:
            raise ValueError(f"turn {i} comes after the ending")
        session.apply(item)
        out.append(row(i))
    return out


def scores_value(text: str | None) -> dict[str, Any] | None:
    """Stored scores as data, or None for anything that is not a sane JSON object
    (written by an older version, or edited): a bad value never breaks a listing."""
    if text is None:
        return None
    try:
        value = json.loads(text)
    except (ValueError, RecursionError, TypeError):
        return None
    if not isinstance(value, dict) or too_deep(value, SCORES_DEPTH):
        return None
    return value
