"""What the store hands back: plain, immutable records (no SQL types leak out)."""

from __future__ import annotations

import copy
import re
from dataclasses import dataclass, field
from datetime import datetime
from pathlib import Path
from typing import Any

from negtrainer.engine.scenario import LoadedScenario
from negtrainer.engine.session import Session
from negtrainer.store.errors import StoreError

MAX_NAME = 80
_CONTROL = re.compile(r"[\x00-\x1f\x7f]")


def clean_name(name: str) -> str:
    """A learner's name as kept (spaces tidied), or StoreError. Here, not beside the SQL:
    checking a results file's names needs no database."""
    text = " ".join(str(name).split())
    if not text or len(text) > MAX_NAME or _CONTROL.search(text):
        raise StoreError(f"A learner's name must be 1 to {MAX_NAME} characters of text.")
    return text


@dataclass(frozen=True)
class Learner:
    id: int
    name: str
    created_at: str


@dataclass(frozen=True)
class SessionInfo:
    """One row of the session list."""

    id: str
    learner: str | None
    scenario_id: str
    scenario_version: int
    scenario_title: str
    content_hash: str
    seed: int
    variant: str
    status: str  # "unfinished" or "finished"
    started_at: str
    updated_at: str
    ended_at: str | None
    ending_id: str | None
    ending_kind: str | None
    scores: dict[str, Any] | None
    parent_id: str | None
    parent_turn: int | None
    turn_count: int
    engine_version: int = 2  # the counterpart model that recorded it (1: before model v2)

    @property
    def finished(self) -> bool:
        return self.status == "finished"


@dataclass(frozen=True)
class StoredTurn:
    """A turn as stored. ``state`` is ``Session.to_json()`` after it, minus the log."""

    index: int
    at: str
    inherited: bool  # copied from the parent session when this one was branched
    input: dict[str, Any] | None  # None for turn 0, the opening
    move: str | None
    said: str | None
    lines: list[dict[str, Any]]
    record: dict[str, Any] | None  # the engine's log record of this turn
    state: dict[str, Any]


@dataclass(frozen=True)
class Note:
    id: int
    session_id: str
    turn: int
    text: str
    created_at: str
    updated_at: str


@dataclass
class StoredSession:
    """A whole stored session: what it is, its scenario snapshot, turns and notes."""

    info: SessionInfo
    scenario: LoadedScenario
    turns: list[StoredTurn]
    notes: list[Note]

    @property
    def id(self) -> str:
        return self.info.id

    @property
    def inputs(self) -> list[dict[str, Any]]:
        return [t.input for t in self.turns if t.input is not None]

    def state_at(self, turn: int) -> dict[str, Any]:
        """``Session.to_json()`` as it was after ``turn`` (0 is the opening)."""
        if not 0 <= turn < len(self.turns):
            raise IndexError(f"this session has turns 0 to {len(self.turns) - 1}")
        state = copy.deepcopy(self.turns[turn].state)
        state["log"] = copy.deepcopy([t.record for t in self.turns[1 : turn + 1]])
        return state

    def session_at(self, turn: int) -> Session:
        return Session.restore(self.scenario, self.state_at(turn))

    def notes_at(self, turn: int) -> list[Note]:
        return [n for n in self.notes if n.turn == turn]


@dataclass(frozen=True)
class Backup:
    path: Path
    created: datetime
    size: int


@dataclass
class ImportReport:
    path: Path | None
    added: list[str] = field(default_factory=list)
    skipped: list[str] = field(default_factory=list)  # already in the database, in full
    extended: list[str] = field(default_factory=list)  # stored ones given the turns they lacked
    differ: list[str] = field(default_factory=list)  # stored ones the file contradicts: kept
    repeated: int = 0  # identical copies of a session within the file

    def summary(self) -> str:
        where = f"{self.path.name}: " if self.path else ""
        text = f"{where}imported {len(self.added)} session(s)"
        if self.extended:
            text += (
                f", completed {len(self.extended)} already in the database with the turns it lacked"
            )
        if self.skipped:
            text += f", skipped {len(self.skipped)} already in the database"
        if self.differ:
            text += (
                f", kept {len(self.differ)} stored session(s) that the file contradicts "
                f"({', '.join(i[:8] for i in self.differ[:5])})"
            )
        if self.repeated:
            text += f", ignored {self.repeated} repeated copy(ies) within the file"
        return text


@dataclass
class ExportReport:
    path: Path
    exported: int = 0
    unreadable: list[tuple[str, str]] = field(default_factory=list)  # (id, why)

    def summary(self) -> str:
        text = f"Exported {self.exported} session(s) to {self.path}."
        if self.unreadable:
            text += f" {len(self.unreadable)} could not be read and were left out: " + "; ".join(
                f"{sid[:8]} ({why})" for sid, why in self.unreadable[:10]
            )
            if len(self.unreadable) > 10:
                text += f"; and {len(self.unreadable) - 10} more"
            text += "."
        return text
