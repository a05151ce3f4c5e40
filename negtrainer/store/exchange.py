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
import re
import stat
import time
from collections.abc import Callable, Sequence
from dataclasses import dataclass
from datetime import UTC, datetime, timedelta
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
from negtrainer.engine import jsonread
from negtrainer.engine.diagnostics import ScenarioError
from negtrainer.engine.loader import scenario_from_canonical
from negtrainer.engine.scenario import LoadedScenario
from negtrainer.engine.session import Session
from negtrainer.store import private, rows
from negtrainer.store.errors import ImportFileError, StoreError, disk_full
from negtrainer.store.models import ExportReport, ImportReport, StoredSession

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
MAX_DEPTH = 40  # real files nest about 10 deep


# How this program writes a time (UTC, to the microsecond): such a time, once read as a
# date, is already in the form _timestamp gives, and need not be written out again.
_WRITTEN = re.compile(r"[0-9]{4}-[0-9]{2}-[0-9]{2}T[0-9]{2}:[0-9]{2}:[0-9]{2}\.[0-9]{6}\+00:00")


_LATEST: tuple[float, str] = (-1e9, "")  # when worked out, the latest time a file may hold


def _latest() -> str:
    """A day from now (slack for clocks), as this program writes a time; worked out
    again each minute, not for each of a room's tens of thousands of times."""
    global _LATEST
    now = time.monotonic()
    at, text = _LATEST  # one tuple: read whole, whichever thread replaced it
    if now - at > 60:
        text = (datetime.now(UTC) + timedelta(days=1)).isoformat(timespec="microseconds")
        _LATEST = (now, text)
    return text


def _timestamp(value: str) -> str:
    try:
        t = datetime.fromisoformat(value)
    except ValueError:
        raise ValueError("not a date and time (ISO 8601)") from None
    if _WRITTEN.fullmatch(value):
        if value > _latest():  # both written alike: the text compares as the time
            raise ValueError(f"a date in the future ({t:%Y-%m-%d})")
        return value
    if t.tzinfo is None:
        raise ValueError("a date and time needs its time zone")
    try:
        t = t.astimezone(UTC)
    except OverflowError:
        raise ValueError("a date out of range") from None
    # A session cannot have been played in the future (a day's slack for clocks).
    if t > datetime.now(UTC) + timedelta(days=1):
        raise ValueError(f"a date in the future ({t:%Y-%m-%d})")
    return t.isoformat(timespec="microseconds")


def timestamps(values: list[str]) -> list[str]:
    """Each of ``values`` as :func:`_timestamp` gives it, in one call for a list (a room's
    files hold tens of thousands): a time as this program writes it is only read as a
    date (one that is not raises) and compared with the latest a file may hold."""
    latest = _latest()
    written = _WRITTEN.fullmatch
    out = values
    for k, v in enumerate(values):
        if written(v) is not None and v <= latest:
            try:
                datetime.fromisoformat(v)  # the form is right; is it a day of the calendar?
                continue
            except ValueError:
                pass
        try:
            t = _timestamp(v)
        except ValueError as e:
            raise ValueError(f"time {k + 1}: {e}") from None
        if t != v:
            out = list(out) if out is values else out
            out[k] = t
    return out


Timestamp = Annotated[str, StringConstraints(max_length=40), AfterValidator(_timestamp)]
# A list of times, each as Timestamp gives it (see timestamps).
Timestamps = Annotated[
    list[Annotated[str, StringConstraints(max_length=40)]], AfterValidator(timestamps)
]
SessionId = Annotated[
    str,
    StringConstraints(pattern=r"^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$"),
]
Hash = Annotated[str, StringConstraints(pattern=r"^[0-9a-f]{64}$")]
Ident = Annotated[str, StringConstraints(pattern=r"^[A-Za-z][A-Za-z0-9_\-]{0,63}$")]


class Strict(BaseModel):
    model_config = ConfigDict(strict=True, extra="forbid", frozen=True)


class InputDoc(Strict):
    """One learner input, exactly as the engine takes it."""

    choice: Annotated[str, StringConstraints(max_length=200)] | None = None
    offer: (
        dict[
            Annotated[str, StringConstraints(max_length=64)],
            Annotated[str, StringConstraints(max_length=300)] | int,
        ]
        | None
    ) = Field(None, max_length=50)
    accept: Literal["counter"] | None = None
    # The learner's own words (issue 16): with a choice or an offer it was
    # understood as, or alone with the move it was taken for.
    typed: Annotated[str, StringConstraints(max_length=1000)] | None = None
    move: Ident | None = None
    topics: list[Ident] | None = Field(None, max_length=20)

    @model_validator(mode="after")
    def _one(self) -> InputDoc:
        # Tens of thousands of inputs in a room's files: no generator here.
        kinds = (self.choice is not None) + (self.offer is not None) + (self.accept is not None)
        own = self.typed is not None and self.move is not None
        if kinds != 1 and not (kinds == 0 and own):
            raise ValueError("an input is exactly one of choice, offer or accept")
        if (self.move is not None or self.topics is not None) and not own:
            raise ValueError("a move goes with typed words")
        return self


class MisreadWords(ValueError):
    """Own words in a file labelled as a move (or topics) they do not read as here."""


def check_own_words(session: Session, item: dict[str, Any]) -> None:
    """Own words that fitted no choice are played as the move and topics they were
    taken for, and a file carries those labels beside the words. They must be what the
    words read as here, in this session at this turn (as the window and the terminal
    read them), or an edited file could label a threat an open question and buy the
    trust, the reveals and the ending it never earned. MisreadWords if not."""
    if "typed" not in item or "move" not in item:
        return  # a choice or an offer: the engine checks those itself
    from negtrainer.understand.bridge import understand_in

    heard = understand_in(session, str(item["typed"]))
    if heard.move != item["move"] or list(heard.topics) != list(item.get("topics") or []):
        raise MisreadWords(
            f"the learner's own words read as {heard.move.replace('_', ' ')}, "
            f"not as the {str(item['move']).replace('_', ' ')} the file says"
        )


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
        "id": i.id,
        "learner": i.learner,
        "scenario_id": i.scenario_id,
        "scenario_version": i.scenario_version,
        **played_fields(i),
        "ending_id": i.ending_id,
        "ending_kind": i.ending_kind,
        "scores": i.scores,
        "parent_id": i.parent_id,
        "parent_turn": i.parent_turn,
        "turns": [
            {
                "index": t.index,
                "at": t.at,
                "inherited": t.inherited,
                "state": t.state,
                "record": t.record,
            }
            for t in stored.turns
        ],
        "notes": note_docs(stored),
    }


def played_fields(i: Any) -> dict[str, Any]:
    """What a session was played from and when, as every export format writes it."""
    return {
        "content_hash": i.content_hash,
        "seed": i.seed,
        "variant": i.variant,
        "status": i.status,
        "started_at": i.started_at,
        "updated_at": i.updated_at,
        "ended_at": i.ended_at,
    }


def note_docs(stored: Any) -> list[dict[str, Any]]:
    return [
        {"turn": n.turn, "text": n.text, "created_at": n.created_at, "updated_at": n.updated_at}
        for n in stored.notes
    ]


def live_session_doc(
    session: Session,
    session_id: str,
    learner: str | None,
    started_at: str,
    times: dict[int, str],
    parent: tuple[str, int] | None = None,
    finished: bool = False,
) -> dict[str, Any]:
    """A session held only in memory (say, the disk was full), as a file entry."""
    sc = session.scenario
    now = rows.now()
    ending = session.ending
    turns = []
    for index, (state, record) in enumerate(rows.states_by_replay(session)):
        turns.append(
            {
                "index": index,
                "at": times.get(index, now),
                "inherited": parent is not None and index <= parent[1],
                "state": rows.normal(state),
                "record": rows.normal(record),
            }
        )
    from negtrainer.store.store import scores_json

    scores = scores_json(session) if ending else None
    done = finished or ending is not None
    return {
        "id": session_id,
        "learner": learner,
        "scenario_id": sc.id,
        "scenario_version": sc.spec.version,
        "content_hash": sc.content_hash,
        "seed": session.state.seed,
        "variant": session.state.variant,
        "status": "finished" if done else "unfinished",
        "started_at": started_at,
        "updated_at": turns[-1]["at"],
        "ended_at": turns[-1]["at"] if done else None,
        "ending_id": ending.id if ending else None,
        "ending_kind": ending.kind if ending else None,
        "scores": None if scores is None else json.loads(scores),
        "parent_id": parent[0] if parent else None,
        "parent_turn": parent[1] if parent else None,
        "turns": turns,
        "notes": [],
    }


def file_doc(
    sessions: list[dict[str, Any]], scenarios: dict[str, LoadedScenario]
) -> dict[str, Any]:
    return {
        "format": FORMAT,
        "version": VERSION,
        "exported_at": rows.now(),
        "app": f"negtrainer {negtrainer.__version__}",
        "scenarios": {h: sc.canonical for h, sc in scenarios.items()},
        "sessions": sessions,
    }


def write_doc(doc: dict[str, Any], path: Path) -> None:
    text = rows.dumps(doc)
    if len(text.encode()) > MAX_FILE_BYTES:
        raise StoreError(
            f"These sessions make a file over {MAX_FILE_BYTES // 2**20} MB, too big "
            "to import again. Export fewer sessions at a time."
        )
    tmp = path.with_name(path.name + ".partial")
    try:
        private.make_dir(path.parent)
        with os.fdopen(private.open_new(tmp), "w", encoding="utf-8") as f:
            f.write(text)
            f.flush()
            os.fsync(f.fileno())
        os.replace(tmp, path)
    except OSError as e:
        tmp.unlink(missing_ok=True)
        if disk_full(e):
            raise StoreError(
                f"Could not write {path}: the disk is full. Free some space, or "
                "write to another disk or a USB stick."
            ) from e
        raise StoreError(
            f"Could not write {path}: {e.strerror or e}. Check the folder exists "
            "and can be written to."
        ) from e


# How each kind of file negtrainer writes begins, and what it is called: writing one
# may replace a file of the same kind, and anything else only when asked (--force).
FILE_KINDS: dict[str, tuple[bytes, str]] = {
    "sessions": (
        rb'\s*\{\s*"format"\s*:\s*"' + FORMAT.encode() + b'"',
        "a negtrainer sessions file",
    ),
    "workshop": (rb'\s*\{\s*"format"\s*:\s*"negtrainer-workshop"', "a negtrainer workshop file"),
    "results": (rb'\s*\{\s*"format"\s*:\s*"negtrainer-results"', "a negtrainer results file"),
    "xapi": (rb'\s*\[\s*(\{\s*"id"|\])', "an xAPI statements file"),
    "pdf": (rb"%PDF-", "a PDF"),
}


def looks_like_export(path: Path, kind: str = "sessions") -> bool:
    """Whether ``path`` holds a file of this kind that negtrainer writes (and so may be
    replaced)."""
    try:
        if not stat.S_ISREG(os.stat(path).st_mode):  # a FIFO would block the open
            return False
        with open(path, "rb") as f:
            head = f.read(256)
    except OSError:
        return False
    return re.match(FILE_KINDS[kind][0], head) is not None


def check_target(db: Path | None, path: Path, force: bool, kind: str = "sessions") -> None:
    """Refuse to write over the session database (or a backup of it) whatever is asked,
    and over an existing file that is not of ``kind`` unless ``force``."""
    if not path.exists() and not path.is_symlink():
        return
    if path.is_dir():
        raise StoreError(f"{path} is a folder; give the name of the file to write.")
    if db is not None:
        mine = [db, *(Path(str(db) + s) for s in ("-wal", "-shm", "-journal"))]
        if (
            any(p.exists() and path.resolve() == p.resolve() for p in mine)
            or path.resolve().parent == (db.parent / "backups").resolve()
        ):
            raise StoreError(
                f"{path} is the session database (or its backup) itself; nothing was "
                "written. Choose another file."
            )
    if not force and not looks_like_export(path, kind):
        raise StoreError(
            f"{path} already exists and is not {FILE_KINDS[kind][1]}; "
            "nothing was written. Choose another name, or add --force to "
            "replace it."
        )


def export_file(
    store: Store, ids: Sequence[str] | None, path: Path, force: bool = False
) -> ExportReport:
    """Write what can be read; sessions that cannot are left out and listed."""
    check_target(store.path, path, force)
    if not ids:
        ids = [i.id for i in store.list_sessions(limit=MAX_SESSIONS + 1)]
    if len(ids) > MAX_SESSIONS:
        raise StoreError(
            f"A sessions file holds at most {MAX_SESSIONS} sessions; export fewer at a time."
        )
    report = ExportReport(path)
    docs, scenarios = [], {}
    for sid in ids:
        try:
            stored = store.load(sid)
            doc = session_doc(stored)
            rows.dumps(doc)  # a value that cannot be written fails here, for this one only
        except (StoreError, ValueError, TypeError, RecursionError) as e:
            why = str(e).splitlines()[0][:160] if str(e) else type(e).__name__
            report.unreadable.append((sid, why))
            continue
        docs.append(doc)
        scenarios[stored.info.content_hash] = stored.scenario
    if ids and not docs:
        raise StoreError(
            "No session could be read, so nothing was exported: "
            + "; ".join(f"{sid[:8]} ({why})" for sid, why in report.unreadable[:3])
        )
    write_doc(file_doc(docs, scenarios), path)
    report.exported = len(docs)
    return report


# -- import ---------------------------------------------------------------------------------
def parse(raw: bytes, name: str = "the file") -> SessionsFile:
    """Read and type-check a sessions file; ImportFileError says what is wrong."""

    def bad(why: str) -> ImportFileError:
        return ImportFileError(f"Cannot import {name}: {why}. Nothing was imported.")

    if len(raw) > MAX_FILE_BYTES:
        raise bad(f"it is larger than {MAX_FILE_BYTES // 2**20} MB")
    try:
        data = jsonread.loads(raw.decode("utf-8-sig"), MAX_DEPTH)
    except UnicodeDecodeError:
        raise bad("it is not a text file (UTF-8 JSON)") from None
    except jsonread.JsonProblem as e:
        raise bad(f"it {e}") from None
    if not isinstance(data, dict) or data.get("format") != FORMAT:
        # The workshop's files (named by the workshop package, above this one) go elsewhere.
        hint = {
            "negtrainer-results": (
                " but a workshop results file: collect it with negtrainer workshop collect"
            ),
            "negtrainer-workshop": " but a workshop file: join it with negtrainer workshop join",
        }.get(str(data.get("format")) if isinstance(data, dict) else "", "")
        raise bad(f"it is not a negtrainer sessions file{hint}")
    version = data.get("version")
    if "version" not in data:
        raise bad(f"it says no format version (negtrainer writes version {VERSION})")
    if not isinstance(version, int) or isinstance(version, bool) or version < 1:
        raise bad(
            f"its format version ({_short(json.dumps(version))}) is not one negtrainer "
            f"ever wrote (it writes version {VERSION})"
        )
    if version > VERSION:
        raise bad(
            f"it was written by a newer negtrainer (format version {version}); "
            "update negtrainer to import it"
        )
    try:
        return SessionsFile.model_validate(data)
    except ValidationError as e:
        problems = []
        for err in e.errors(include_url=False)[:3]:
            where = ".".join(_short(p) for p in err["loc"]) or "(top)"
            problems.append(f"{where}: {_short(err['msg'], 200)}")
        raise bad("; ".join(problems)) from None
    except RecursionError:
        raise bad("it is nested too deeply") from None


def _short(part: Any, limit: int = 40) -> str:
    """A key or message as shown to the user: never a megabyte of it."""
    text = str(part)
    return text if len(text) <= limit else text[: limit - 1] + "…"


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
        if doc.parent_id == doc.id or doc.parent_turn is None or doc.parent_turn >= len(turns):
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
        bad_turns = mismatched_turns(scenario, doc.seed, doc.variant, pairs, check=check_own_words)
    except RecursionError:
        bad_turns = [0]
    if bad_turns:
        raise bad(
            f"turn {bad_turns[0]} is not what the scenario gives for the choices made "
            "(the file was edited or damaged)"
        )
    final = dict(turns[-1].state)
    final["log"] = [t.record for t in turns[1:]]
    session = Session.restore(scenario, final)
    ending = session.ending
    if (ending.id if ending else None) != doc.ending_id or (
        ending.kind if ending else None
    ) != doc.ending_kind:
        raise bad("its ending does not match its last turn")
    if ending is not None and doc.status != "finished":
        raise bad("it reached an ending but is marked unfinished")
    return session


def _scenarios(
    f: SessionsFile, name: str, known: dict[str, LoadedScenario] | None = None
) -> dict[str, LoadedScenario]:
    return check_scenarios(f.scenarios, name, known)


def check_scenarios(
    snapshots: dict[str, dict[str, Any]],
    name: str,
    known: dict[str, LoadedScenario] | None = None,
) -> dict[str, LoadedScenario]:
    """A file's scenario snapshots, each checked against its hash and loaded (or, for a
    hash in ``known``, the scenario already loaded: the same content)."""
    out = {}
    for h, canonical in snapshots.items():
        if known is not None and h in known and canonical == known[h].canonical:
            # The content of a scenario already loaded and checked (equal as data, which
            # takes a tenth of the time of hashing it): one load per scenario, not per
            # file, and the scenario used is the one loaded.
            out[h] = known[h]
            continue
        if content_hash(canonical) != h:
            raise ImportFileError(
                f"Cannot import {name}: a scenario snapshot does not match "
                "its hash (the file was edited or damaged). Nothing was "
                "imported."
            )
        if known is not None and h in known:
            # The same content (same SHA-256) as a scenario already loaded and checked:
            # one load per scenario, not per file.
            out[h] = known[h]
            continue
        try:
            sc = scenario_from_canonical(canonical, f"{name}: scenario {h[:12]}")
        except Exception as e:
            if not isinstance(e, (ScenarioError, ValueError, TypeError, RecursionError)):
                log.exception("scenario snapshot in %s broke the loader", name)
            first = str(e).splitlines()[0][:200] if str(e) else type(e).__name__
            raise ImportFileError(
                f"Cannot import {name}: a scenario snapshot is not valid "
                f"({first}). Nothing was imported."
            ) from None
        if sc.content_hash != h:
            raise ImportFileError(
                f"Cannot import {name}: a scenario snapshot does not read "
                "back as itself. Nothing was imported."
            )
        out[h] = sc
        if known is not None:
            known[h] = sc
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
    # (rows.lazy_doc, last turn): kept as its inputs, ``rows`` empty (see schema m007)
    lazy: tuple[str, int] | None = None


def check_bytes(raw: bytes, name: str = "the file") -> tuple[list[Checked], list[str]]:
    """Every session of a sessions file, validated and replayed; and ids repeated in it.

    Raises ImportFileError for the first problem; writes nothing.
    """
    return check_parsed(parse(raw, name), name)


def check_parsed(
    f: SessionsFile,
    name: str,
    known: dict[str, LoadedScenario] | None = None,
    score: Callable[[Session], dict[str, Any] | None] | None = None,
) -> tuple[list[Checked], list[str]]:
    """``known``: scenarios already loaded, by content hash (filled in as files are read);
    ``score``: the debrief to keep for a finished session (the full one by default)."""
    from negtrainer.store.models import clean_name

    scenarios = _scenarios(f, name, known)
    ready: list[Checked] = []
    repeated: list[str] = []
    seen: dict[str, tuple[int, SessionDoc]] = {}
    for n, doc in enumerate(f.sessions, 1):
        if doc.id in seen:
            first, earlier = seen[doc.id]
            if earlier != doc:
                raise ImportFileError(
                    f"Cannot import {name}: it holds session {doc.id[:8]} twice (sessions "
                    f"{first} and {n}) with different content, so neither can be trusted. "
                    "Nothing was imported."
                )
            repeated.append(doc.id)
            continue
        seen[doc.id] = (n, doc)
        where = f"{name}, session {n} ({doc.id[:8]})"
        sc = scenarios.get(doc.content_hash)
        if sc is None:
            raise ImportFileError(
                f"Cannot import {where}: its scenario snapshot is missing "
                "from the file. Nothing was imported."
            )
        try:
            session = check_session(doc, sc, where)
        except ImportFileError:
            raise
        except Exception:
            log.exception("session in %s broke the engine while being checked", name)
            raise ImportFileError(
                f"Cannot import {where}: the session cannot be replayed. Nothing was imported."
            ) from None
        # Scores in a file are never trusted: they are what the replayed session gives,
        # as when it was recorded (none for a session without an ending).
        fresh_scores = (score or _full_scores)(session) if session.ended else None
        scores = fresh_scores
        meta = doc.model_dump(exclude={"turns", "notes"})
        meta["scores"] = scores
        if doc.learner is not None:
            try:
                meta["learner"] = clean_name(doc.learner)
            except StoreError:
                raise ImportFileError(
                    f"Cannot import {where}: its learner's name is not "
                    "plain text. Nothing was imported."
                ) from None
        new_rows = [rows.encode(t.index, t.state, t.record, t.at, t.inherited) for t in doc.turns]
        ready.append(
            Checked(meta, sc, new_rows, [n.model_dump() for n in doc.notes], session, fresh_scores)
        )
    return ready, repeated


def _full_scores(session: Session) -> dict[str, Any] | None:
    from negtrainer.store.store import scores_json

    fresh = scores_json(session)
    return json.loads(fresh) if fresh is not None else None


def write_checked(store: Store, c: Any, ready: Sequence[Checked], report: ImportReport) -> None:
    """Insert checked sessions inside the caller's write transaction: new ones are added,
    stored ones missing turns the file has are completed, others kept as they are."""
    stored: set[str] = set()  # scenarios stored in this transaction: once each
    for item in ready:
        h = item.scenario.content_hash
        outcome = store._insert_imported(
            c, item.meta, item.scenario, item.rows, item.notes, item.lazy, h in stored
        )
        if outcome == "added":
            stored.add(h)
        {
            "added": report.added,
            "extended": report.extended,
            "skipped": report.skipped,
            "differ": report.differ,
        }[outcome].append(item.meta["id"])


def import_bytes(
    store: Store, raw: bytes, name: str = "the file", path: Path | None = None
) -> ImportReport:
    ready, repeated = check_bytes(raw, name)
    report = ImportReport(path, repeated=len(repeated))
    with store._write("import the sessions") as c:
        write_checked(store, c, ready, report)
    return report


def read_bounded(path: Path, what: str = "import", limit: int = MAX_FILE_BYTES) -> bytes:
    from negtrainer.engine.fileread import NotAFile, TooBig, read_regular

    try:
        return read_regular(path, limit)
    except NotAFile:
        raise ImportFileError(
            f"Cannot {what} {path.name}: it is not a regular file (a device, "
            "a pipe or a folder); give the path of the file itself. "
            "Nothing was imported."
        ) from None
    except TooBig:
        raise ImportFileError(
            f"Cannot {what} {path.name}: it is larger than "
            f"{limit // 2**20} MB. Nothing was imported."
        ) from None
    except OSError as e:
        raise ImportFileError(f"Cannot read {path}: {e.strerror or e}.") from e


def import_file(store: Store, path: Path) -> ImportReport:
    return import_bytes(store, read_bounded(path), path.name, path)
