"""Sessions files: export to, and import from, versioned JSON (see docs/store.md).

An import trusts nothing in the file. It checks sizes and types (pydantic,
strict), checks each scenario snapshot against its hash, and re-runs the
engine over every session's inputs: each stored state must be exactly what
the scenario produces. Only when the whole file passes is anything written,
in one transaction. Nothing in a file is ever evaluated or unpickled.
"""

from __future__ import annotations

import hashlib
import json
import logging
import os
from collections.abc import Sequence
from dataclasses import dataclass
from datetime import UTC, datetime
from pathlib import Path
from typing import TYPE_CHECKING, Annotated, Any, Literal

from pydantic import (
    AfterValidator,
    BaseModel,
    ConfigDict,
    Field,
    StringConstraints,
    ValidationError,
    model_validator,
)

import negtrainer
from negtrainer.engine.diagnostics import ScenarioError
from negtrainer.engine.loader import scenario_from_canonical
from negtrainer.engine.scenario import LoadedScenario
from negtrainer.engine.session import Session
from negtrainer.store import rows
from negtrainer.store.errors import ImportFileError, StoreError
from negtrainer.store.models import ImportReport, StoredSession

if TYPE_CHECKING:
    from negtrainer.store.store import Store

log = logging.getLogger(__name__)

FORMAT = "negtrainer-sessions"
VERSION = 1
MAX_FILE_BYTES = 50 * 1024 * 1024
MAX_SESSIONS = 10_000
MAX_SCENARIOS = 1_000
MAX_TURNS = 500  # the engine's own ceiling on max_turns
MAX_NOTES = 1_000
MAX_NOTE = 10_000
MAX_TEXT = 10_000


def _timestamp(value: str) -> str:
    try:
        t = datetime.fromisoformat(value)
    except ValueError:
        raise ValueError("not a date and time (ISO 8601)") from None
    if t.tzinfo is None:
        raise ValueError("a date and time needs its time zone")
    return t.astimezone(UTC).isoformat(timespec="microseconds")


Timestamp = Annotated[str, StringConstraints(max_length=40), AfterValidator(_timestamp)]
SessionId = Annotated[str, StringConstraints(
    pattern=r"^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$")]
Hash = Annotated[str, StringConstraints(pattern=r"^[0-9a-f]{64}$")]
Ident = Annotated[str, StringConstraints(pattern=r"^[A-Za-z][A-Za-z0-9_\-]{0,63}$")]


class Strict(BaseModel):
    model_config = ConfigDict(strict=True, extra="forbid", frozen=True)


class InputDoc(Strict):
    """One learner input, exactly as the engine takes it."""

    choice: Annotated[str, StringConstraints(max_length=200)] | None = None
    offer: dict[Annotated[str, StringConstraints(max_length=64)],
                Annotated[str, StringConstraints(max_length=300)] | int] | None = Field(
        None, max_length=50)
    accept: Literal["counter"] | None = None

    @model_validator(mode="after")
    def _one(self) -> InputDoc:
        if sum(x is not None for x in (self.choice, self.offer, self.accept)) != 1:
            raise ValueError("an input is exactly one of choice, offer or accept")
        return self


class TurnDoc(Strict):
    index: int = Field(ge=0, le=MAX_TURNS)
    at: Timestamp
    inherited: bool
    state: dict[str, Any]
    record: dict[str, Any] | None


class NoteDoc(Strict):
    turn: int = Field(ge=0, le=MAX_TURNS)
    text: Annotated[str, StringConstraints(min_length=1, max_length=MAX_NOTE)]
    created_at: Timestamp
    updated_at: Timestamp


class SessionDoc(Strict):
    id: SessionId
    learner: Annotated[str, StringConstraints(min_length=1, max_length=80)] | None
    scenario_id: Ident
    scenario_version: int = Field(ge=1, le=10**9)
    content_hash: Hash
    seed: int = Field(ge=-(2**63), le=2**63 - 1)
    variant: Ident
    status: Literal["unfinished", "finished"]
    started_at: Timestamp
    updated_at: Timestamp
    ended_at: Timestamp | None
    ending_id: Ident | None
    ending_kind: Annotated[str, StringConstraints(max_length=64)] | None
    scores: dict[str, Any] | None
    parent_id: SessionId | None
    parent_turn: int | None = Field(ge=0, le=MAX_TURNS)
    turns: list[TurnDoc] = Field(min_length=1, max_length=MAX_TURNS + 1)
    notes: list[NoteDoc] = Field(max_length=MAX_NOTES)


class SessionsFile(Strict):
    format: Literal["negtrainer-sessions"]
    version: Literal[1]
    exported_at: Timestamp | None = None
    app: Annotated[str, StringConstraints(max_length=100)] | None = None
    scenarios: dict[Hash, dict[str, Any]] = Field(max_length=MAX_SCENARIOS)
    sessions: list[SessionDoc] = Field(max_length=MAX_SESSIONS)


# -- export ---------------------------------------------------------------------------------
def session_doc(stored: StoredSession) -> dict[str, Any]:
    i = stored.info
    return {
        "id": i.id, "learner": i.learner, "scenario_id": i.scenario_id,
        "scenario_version": i.scenario_version, "content_hash": i.content_hash, "seed": i.seed,
        "variant": i.variant, "status": i.status, "started_at": i.started_at,
        "updated_at": i.updated_at, "ended_at": i.ended_at, "ending_id": i.ending_id,
        "ending_kind": i.ending_kind, "scores": i.scores, "parent_id": i.parent_id,
        "parent_turn": i.parent_turn,
        "turns": [{"index": t.index, "at": t.at, "inherited": t.inherited, "state": t.state,
                   "record": t.record} for t in stored.turns],
        "notes": [{"turn": n.turn, "text": n.text, "created_at": n.created_at,
                   "updated_at": n.updated_at} for n in stored.notes],
    }


def live_session_doc(session: Session, session_id: str, learner: str | None, started_at: str,
                     times: dict[int, str], parent: tuple[str, int] | None = None,
                     finished: bool = False) -> dict[str, Any]:
    """A session held only in memory (say, the disk was full), as a file entry."""
    sc = session.scenario
    now = rows.now()
    ending = session.ending
    turns = []
    for index, (state, record) in enumerate(rows.states_by_replay(session)):
        turns.append({"index": index, "at": times.get(index, now),
                      "inherited": parent is not None and index <= parent[1],
                      "state": rows.normal(state), "record": rows.normal(record)})
    from negtrainer.store.store import scores_json

    scores = scores_json(session) if ending else None
    done = finished or ending is not None
    return {
        "id": session_id, "learner": learner, "scenario_id": sc.id,
        "scenario_version": sc.spec.version, "content_hash": sc.content_hash,
        "seed": session.state.seed, "variant": session.state.variant,
        "status": "finished" if done else "unfinished", "started_at": started_at,
        "updated_at": turns[-1]["at"], "ended_at": turns[-1]["at"] if done else None,
        "ending_id": ending.id if ending else None, "ending_kind": ending.kind if ending else None,
        "scores": None if scores is None else json.loads(scores),
        "parent_id": parent[0] if parent else None, "parent_turn": parent[1] if parent else None,
        "turns": turns, "notes": [],
    }


def file_doc(sessions: list[dict[str, Any]],
             scenarios: dict[str, LoadedScenario]) -> dict[str, Any]:
    return {
        "format": FORMAT, "version": VERSION, "exported_at": rows.now(),
        "app": f"negtrainer {negtrainer.__version__}",
        "scenarios": {h: sc.canonical for h, sc in scenarios.items()},
        "sessions": sessions,
    }


def write_doc(doc: dict[str, Any], path: Path) -> None:
    text = rows.dumps(doc)
    if len(text.encode()) > MAX_FILE_BYTES:
        raise StoreError(f"These sessions make a file over {MAX_FILE_BYTES // 2**20} MB, too big "
                         "to import again. Export fewer sessions at a time.")
    tmp = path.with_name(path.name + ".partial")
    try:
        path.parent.mkdir(parents=True, exist_ok=True)
        with open(tmp, "w", encoding="utf-8") as f:
            f.write(text)
            f.flush()
            os.fsync(f.fileno())
        os.replace(tmp, path)
    except OSError as e:
        tmp.unlink(missing_ok=True)
        raise StoreError(f"Could not write {path}: {e.strerror or e}. Check the folder exists, "
                         "can be written to and the disk is not full.") from e


def export_file(store: Store, ids: Sequence[str] | None, path: Path) -> int:
    if not ids:
        ids = [i.id for i in store.list_sessions(limit=MAX_SESSIONS + 1)]
    if len(ids) > MAX_SESSIONS:
        raise StoreError(f"A sessions file holds at most {MAX_SESSIONS} sessions; export "
                         "fewer at a time.")
    docs, scenarios = [], {}
    for sid in ids:
        stored = store.load(sid)
        docs.append(session_doc(stored))
        scenarios[stored.info.content_hash] = stored.scenario
    write_doc(file_doc(docs, scenarios), path)
    return len(docs)


# -- import ---------------------------------------------------------------------------------
def _reject_constant(name: str) -> Any:
    raise ValueError(f"{name} is not allowed in a sessions file")


def parse(raw: bytes, name: str = "the file") -> SessionsFile:
    """Read and type-check a sessions file; ImportFileError says what is wrong."""
    def bad(why: str) -> ImportFileError:
        return ImportFileError(f"Cannot import {name}: {why}. Nothing was imported.")

    if len(raw) > MAX_FILE_BYTES:
        raise bad(f"it is larger than {MAX_FILE_BYTES // 2**20} MB")
    try:
        text = raw.decode("utf-8-sig")
        data = json.loads(text, parse_constant=_reject_constant)
    except UnicodeDecodeError:
        raise bad("it is not a text file (UTF-8 JSON)") from None
    except (ValueError, RecursionError) as e:
        raise bad(f"it is not valid JSON ({str(e)[:120]})") from None
    if not isinstance(data, dict) or data.get("format") != FORMAT:
        raise bad("it is not a negtrainer sessions file")
    version = data.get("version")
    if isinstance(version, int) and not isinstance(version, bool) and version > VERSION:
        raise bad(f"it was written by a newer negtrainer (format version {version}); "
                  "update negtrainer to import it")
    try:
        return SessionsFile.model_validate(data)
    except ValidationError as e:
        problems = []
        for err in e.errors(include_url=False)[:3]:
            where = ".".join(str(p) for p in err["loc"]) or "(top)"
            problems.append(f"{where}: {err['msg']}")
        raise bad("; ".join(problems)) from None
    except RecursionError:
        raise bad("it is nested too deeply") from None


def content_hash(canonical: dict[str, Any]) -> str:
    # The same recipe as LoadedScenario.content_hash.
    blob = json.dumps(canonical, sort_keys=True, separators=(",", ":"))
    return hashlib.sha256(blob.encode()).hexdigest()


def check_session(doc: SessionDoc, scenario: LoadedScenario, where: str) -> Session:
    """Everything that must hold of one session; returns it replayed to its last turn."""
    def bad(why: str) -> ImportFileError:
        return ImportFileError(f"Cannot import {where}: {why}. Nothing was imported.")

    if scenario.id != doc.scenario_id or scenario.spec.version != doc.scenario_version:
        raise bad("its scenario snapshot is not the scenario it names")
    turns = doc.turns
    if [t.index for t in turns] != list(range(len(turns))):
        raise bad("its turns are not numbered 0, 1, 2, … in order")
    if turns[0].record is not None:
        raise bad("turn 0 (the opening) cannot have a learner input")
    for t in turns[1:]:
        if t.record is None:
            raise bad(f"turn {t.index} has no record of what the learner did")
        try:
            InputDoc.model_validate(t.record.get("input"))
        except ValidationError:
            raise bad(f"turn {t.index} has an input the engine does not know") from None
    if doc.parent_id is None:
        if doc.parent_turn is not None or any(t.inherited for t in turns):
            raise bad("it has inherited turns but no parent session")
    else:
        if doc.parent_id == doc.id or doc.parent_turn is None or \
                doc.parent_turn >= len(turns):
            raise bad("its link to the session it branched from is wrong")
        if any(t.inherited != (t.index <= doc.parent_turn) for t in turns):
            raise bad("its inherited turns do not match where it branched")
    if any(n.turn >= len(turns) for n in doc.notes):
        raise bad("a note refers to a turn the session does not have")
    if doc.status == "unfinished" and doc.ended_at is not None:
        raise bad("it is unfinished but has an end time")

    from negtrainer.store.store import mismatched_turns

    pairs = [(t.state, t.record) for t in turns]
    try:
        bad_turns = mismatched_turns(scenario, doc.seed, doc.variant, pairs)
    except RecursionError:
        bad_turns = [0]
    if bad_turns:
        raise bad(f"turn {bad_turns[0]} is not what the scenario gives for the choices made "
                  "(the file was edited or damaged)")
    final = dict(turns[-1].state)
    final["log"] = [t.record for t in turns[1:]]
    session = Session.restore(scenario, final)
    ending = session.ending
    if (ending.id if ending else None) != doc.ending_id or \
            (ending.kind if ending else None) != doc.ending_kind:
        raise bad("its ending does not match its last turn")
    if ending is not None and doc.status != "finished":
        raise bad("it reached an ending but is marked unfinished")
    return session


def _scenarios(f: SessionsFile, name: str) -> dict[str, LoadedScenario]:
    out = {}
    for h, canonical in f.scenarios.items():
        if content_hash(canonical) != h:
            raise ImportFileError(f"Cannot import {name}: a scenario snapshot does not match "
                                  "its hash (the file was edited or damaged). Nothing was "
                                  "imported.")
        try:
            sc = scenario_from_canonical(canonical, f"{name}: scenario {h[:12]}")
        except Exception as e:
            if not isinstance(e, (ScenarioError, ValueError, TypeError, RecursionError)):
                log.exception("scenario snapshot in %s broke the loader", name)
            first = str(e).splitlines()[0][:200] if str(e) else type(e).__name__
            raise ImportFileError(f"Cannot import {name}: a scenario snapshot is not valid "
                                  f"({first}). Nothing was imported.") from None
        if sc.content_hash != h:
            raise ImportFileError(f"Cannot import {name}: a scenario snapshot does not read "
                                  "back as itself. Nothing was imported.")
        out[h] = sc
    return out


@dataclass
class Checked:
    """One session of a file that passed every check, ready to be written."""

    meta: dict[str, Any]
    scenario: LoadedScenario
    rows: list[rows.TurnRow]
    notes: list[dict[str, Any]]
    session: Session  # replayed by the engine to its last turn
    fresh_scores: dict[str, Any] | None = None  # the debrief computed here, not the file's


def check_bytes(raw: bytes, name: str = "the file") -> tuple[list[Checked], list[str]]:
    """Every session of a sessions file, validated and replayed; and ids repeated in it.

    Raises ImportFileError for the first problem; writes nothing.
    """
    return check_parsed(parse(raw, name), name)


def check_parsed(f: SessionsFile, name: str) -> tuple[list[Checked], list[str]]:
    from negtrainer.store.store import clean_name, scores_json

    scenarios = _scenarios(f, name)
    ready: list[Checked] = []
    repeated: list[str] = []
    seen: set[str] = set()
    for n, doc in enumerate(f.sessions, 1):
        if doc.id in seen:
            repeated.append(doc.id)
            continue
        seen.add(doc.id)
        where = f"{name}, session {n} ({doc.id[:8]})"
        sc = scenarios.get(doc.content_hash)
        if sc is None:
            raise ImportFileError(f"Cannot import {where}: its scenario snapshot is missing "
                                  "from the file. Nothing was imported.")
        try:
            session = check_session(doc, sc, where)
        except ImportFileError:
            raise
        except Exception:
            log.exception("session in %s broke the engine while being checked", name)
            raise ImportFileError(f"Cannot import {where}: the session cannot be replayed. "
                                  "Nothing was imported.") from None
        scores = doc.scores
        fresh_scores = None
        if session.ended:
            fresh = scores_json(session)
            fresh_scores = json.loads(fresh) if fresh is not None else None
            scores = fresh_scores if fresh_scores is not None else scores
        meta = doc.model_dump(exclude={"turns", "notes"})
        meta["scores"] = scores
        if doc.learner is not None:
            try:
                meta["learner"] = clean_name(doc.learner)
            except StoreError:
                raise ImportFileError(f"Cannot import {where}: its learner's name is not "
                                      "plain text. Nothing was imported.") from None
        new_rows = [rows.encode(t.index, t.state, t.record, t.at, t.inherited)
                    for t in doc.turns]
        ready.append(Checked(meta, sc, new_rows, [n.model_dump() for n in doc.notes], session,
                             fresh_scores))
    return ready, repeated


def write_checked(store: Store, c: Any, ready: Sequence[Checked], report: ImportReport) -> None:
    """Insert checked sessions inside the caller's write transaction."""
    for item in ready:
        if store._insert_imported(c, item.meta, item.scenario, item.rows, item.notes):
            report.added.append(item.meta["id"])
        else:
            report.skipped.append(item.meta["id"])


def import_bytes(store: Store, raw: bytes, name: str = "the file",
                 path: Path | None = None) -> ImportReport:
    ready, repeated = check_bytes(raw, name)
    report = ImportReport(path, skipped=list(repeated))
    with store._write("import the sessions") as c:
        write_checked(store, c, ready, report)
    return report


def read_bounded(path: Path, what: str = "import") -> bytes:
    try:
        size = path.stat().st_size
        if size > MAX_FILE_BYTES:
            raise ImportFileError(f"Cannot {what} {path.name}: it is larger than "
                                  f"{MAX_FILE_BYTES // 2**20} MB. Nothing was imported.")
        return path.read_bytes()
    except OSError as e:
        raise ImportFileError(f"Cannot read {path}: {e.strerror or e}.") from e


def import_file(store: Store, path: Path) -> ImportReport:
    return import_bytes(store, read_bounded(path), path.name, path)
