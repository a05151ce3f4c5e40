"""The files a workshop travels in: the workshop file out, results files back.

A workshop file carries the workshop and the scenario snapshots its exercises
use, so every laptop plays exactly the same scenarios. A results file is a
sessions file (``negtrainer sessions import`` format) wrapped with the
workshop's id and who played which exercise. Collecting trusts nothing: each
file is checked as ``sessions import`` checks (every session re-run through
the engine), and is taken whole, in one transaction, or refused whole.
"""

from __future__ import annotations

import copy
import dataclasses
import hashlib
import json
import logging
import secrets
import time
from dataclasses import dataclass, field
from pathlib import Path
from typing import Annotated, Any, Literal

from pydantic import BaseModel, ConfigDict, Field, StringConstraints, ValidationError

import negtrainer
from negtrainer.engine import jsonread
from negtrainer.store import (
    BatchLost,
    ImportFileError,
    ImportReport,
    StoreError,
    exchange,
    rows,
)
from negtrainer.store import workshops as ws
from negtrainer.workshop import aggregate, lean, service
from negtrainer.workshop.model import Workshop, WorkshopError, parse_workshop

log = logging.getLogger(__name__)

WORKSHOP_FORMAT = "negtrainer-workshop"
RESULTS_FORMAT = "negtrainer-results"
VERSION = 1  # of the workshop file
RESULTS_VERSION = lean.VERSION  # written; version 1 results files are still collected
MAX_WORKSHOP_BYTES = 5 * 1024 * 1024
# Sessions of 30 turns, a room's worth many times over, and their scenarios.
MAX_RESULT_OBJECTS = 400_000

Ident = Annotated[str, StringConstraints(pattern=r"^[A-Za-z][A-Za-z0-9_\-]{0,63}$")]
SessionId = Annotated[
    str,
    StringConstraints(pattern=r"^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$"),
]


class _Strict(BaseModel):
    model_config = ConfigDict(strict=True, extra="forbid")


class TagDoc(_Strict):
    session: SessionId
    exercise: Ident
    participant: Annotated[str, StringConstraints(min_length=1, max_length=80)]


class WorkshopRef(_Strict):
    id: Annotated[str, StringConstraints(pattern=r"^[0-9a-f]{32}$")]
    name: Annotated[str, StringConstraints(min_length=1, max_length=80)]


class _Results(_Strict):
    format: Literal["negtrainer-results"]
    exported_at: str | None = None
    app: Annotated[str, StringConstraints(max_length=100)] | None = None
    workshop: WorkshopRef
    tags: list[TagDoc] = Field(max_length=exchange.MAX_SESSIONS)


class ResultsFile(_Results):
    version: Literal[1]
    sessions: exchange.SessionsFile


class ResultsFile2(_Results):
    """Sessions as inputs only (see negtrainer.workshop.lean)."""

    # Not Literal[2], which takes 2.0 when read straight from JSON (see _read_whole).
    version: Annotated[int, Field(ge=2, le=2)]
    scenarios: dict[exchange.Hash, dict[str, Any]] = Field(max_length=exchange.MAX_SCENARIOS)
    sessions: list[lean.LeanSession] = Field(max_length=exchange.MAX_SESSIONS)


def _json(raw: bytes, name: str, what: str, limit: int) -> dict[str, Any]:
    if len(raw) > limit:
        raise ImportFileError(
            f"Cannot read {name}: it is larger than {limit // 2**20} MB, too big for a {what}."
        )
    try:
        data = jsonread.loads(raw.decode("utf-8-sig"), exchange.MAX_DEPTH)
    except UnicodeDecodeError:
        raise ImportFileError(f"Cannot read {name}: it is not a text file (UTF-8 JSON).") from None
    except jsonread.JsonProblem as e:
        raise ImportFileError(
            f"Cannot read {name}: it {e}; the file may be damaged or edited."
        ) from None
    if not isinstance(data, dict):
        raise ImportFileError(f"Cannot read {name}: it is not a {what}.")
    return data


# -- the workshop file --------------------------------------------------------------------
def workshop_doc(store: Any, w: Workshop, anonymous: bool = False) -> dict[str, Any]:
    doc = w.model_dump()
    if anonymous:
        for p in doc["participants"]:
            p["name"] = p["pseudonym"]
    scenarios = {}
    for ex in w.exercises:
        scenarios[ex.content_hash] = service.scenario_of(store, ex).canonical
    return {
        "format": WORKSHOP_FORMAT,
        "version": VERSION,
        "exported_at": rows.now(),
        "app": f"negtrainer {negtrainer.__version__}",
        "workshop": doc,
        "scenarios": scenarios,
    }


def export_workshop(store: Any, w: Workshop, path: Path, anonymous: bool = False) -> Path:
    if not w.exercises:
        raise WorkshopError(
            f"Workshop {w.name!r} has no exercise yet; add one first "
            "(negtrainer workshop add-exercise)."
        )
    exchange.write_doc(workshop_doc(store, w, anonymous), path)
    return path


def join(store: Any, path: Path) -> Workshop:
    """Read a workshop file (checked) and keep the workshop and its scenarios here."""
    raw = exchange.read_bounded(path, "join", MAX_WORKSHOP_BYTES)
    data = _json(raw, path.name, "negtrainer workshop file", MAX_WORKSHOP_BYTES)
    if data.get("format") != WORKSHOP_FORMAT:
        hint = (
            " (it is a results file: collect it instead)"
            if data.get("format") == RESULTS_FORMAT
            else ""
        )
        raise ImportFileError(
            f"Cannot join {path.name}: it is not a negtrainer workshop file{hint}."
        )
    try:
        _check_version(data.get("version"), (VERSION,), "workshop file")
    except ImportFileError as e:
        raise ImportFileError(f"Cannot join {path.name}: {e}.") from None
    try:
        w = parse_workshop(data.get("workshop"))
    except WorkshopError as e:
        raise ImportFileError(
            f"Cannot join {path.name}: its workshop is not valid ({e})."
        ) from None
    snapshots = data.get("scenarios")
    if not isinstance(snapshots, dict):
        raise ImportFileError(f"Cannot join {path.name}: it has no scenarios.")
    loaded = []
    for ex in w.exercises:
        canonical = snapshots.get(ex.content_hash)
        if not isinstance(canonical, dict) or exchange.content_hash(canonical) != ex.content_hash:
            raise ImportFileError(
                f"Cannot join {path.name}: the scenario of exercise {ex.id} is missing or damaged."
            )
        loaded.append(_scenario(canonical, ex.content_hash, path.name))
    return service.save(store, w, loaded)


def _scenario(canonical: dict[str, Any], h: str, name: str) -> Any:
    from negtrainer.engine.loader import scenario_from_canonical

    try:
        sc = scenario_from_canonical(canonical, f"{name}: scenario {h[:12]}")
    except Exception as e:  # noqa: BLE001 - any loader failure is the file's fault
        first = str(e).splitlines()[0][:200] if str(e) else type(e).__name__
        raise ImportFileError(
            f"Cannot join {name}: a scenario in it is not valid ({first})."
        ) from None
    if sc.content_hash != h:
        raise ImportFileError(f"Cannot join {name}: a scenario does not read back as itself.")
    return sc


# -- results files ------------------------------------------------------------------------
def _anonymise(doc: dict[str, Any], pseudonym: str) -> dict[str, Any]:
    doc = copy.deepcopy(doc)
    doc["learner"] = pseudonym
    doc["notes"] = []
    for t in doc["turns"]:
        if "learner" in t["state"]:
            t["state"]["learner"] = pseudonym
    return doc


def results_doc(
    store: Any, w: Workshop, anonymous: bool = False, version: int = RESULTS_VERSION
) -> dict[str, Any]:
    """This laptop's sessions for the workshop; ``version=1`` writes the older layout
    (every turn's state), which collecting still reads."""
    tagged = ws.sessions(store, w.id)
    docs, scenarios, tags = [], {}, []
    for t in tagged:
        stored = store.load(t.session_id)
        who = t.participant
        if anonymous:
            who = w.shown_name(t.participant, True)
        if version == 1:
            doc = exchange.session_doc(stored)
            if anonymous:
                doc = _anonymise(doc, who)
        else:
            doc = lean.session_doc(stored, who if anonymous else None, notes=not anonymous)
        docs.append(doc)
        scenarios[stored.info.content_hash] = stored.scenario
        tags.append({"session": t.session_id, "exercise": t.exercise_id, "participant": who})
    head = {
        "format": RESULTS_FORMAT,
        "version": version,
        "exported_at": rows.now(),
        "app": f"negtrainer {negtrainer.__version__}",
        "workshop": {"id": w.id, "name": w.name},
        "tags": tags,
    }
    if version == 1:
        return {**head, "sessions": exchange.file_doc(docs, scenarios)}
    return {**head, "scenarios": {h: sc.canonical for h, sc in scenarios.items()}, "sessions": docs}


def export_results(store: Any, w: Workshop, path: Path, anonymous: bool = False) -> int:
    doc = results_doc(store, w, anonymous)
    if not doc["tags"]:
        raise WorkshopError(
            f"Nobody has played for workshop {w.name!r} on this computer yet; "
            "there are no results to export."
        )
    exchange.write_doc(doc, path)
    return len(doc["tags"])


@dataclass
class Collected:
    """What happened to one results file."""

    name: str
    status: Literal["taken", "already", "refused"]
    added: list[str] = field(default_factory=list)
    skipped: list[str] = field(default_factory=list)
    why: str = ""
    differ: list[str] = field(default_factory=list)  # also in skipped: the stored one kept

    def line(self) -> str:
        if self.status == "refused":
            return f"refused {self.name}: {self.why}"
        if self.status == "already":
            return f"{self.name}: already collected ({self.why}); nothing changed"
        text = f"took {self.name}: {len(self.added)} new session(s)"
        if self.skipped:
            text += f", {len(self.skipped)} already here"
        for sid in self.differ[:5]:
            text += (
                f"; session {sid[:8]} in it differs from the one collected before "
                "(kept the one collected)"
            )
        if len(self.differ) > 5:
            text += (
                f"; and {len(self.differ) - 5} more sessions in it differ from the ones "
                "collected before (kept those collected)"
            )
        return text


def collect(
    store: Any,
    w: Workshop,
    paths: list[Path],
    replays: lean.Replays | None = None,
    workers: int | None = None,
) -> list[Collected]:
    """Collect results files: each one whole or not at all, and never twice.

    ``replays`` (optional) is where the engine's replays are shared and counted.
    Many files are checked in ``workers`` processes (default: one per core), written
    here in the order given; a few are checked here. All are written in one
    transaction (``store.batch``), each file in a savepoint of its own, taken whole
    or undone alone; it commits at the end (and every few seconds of a long run). If
    the program stops first, nothing of the files since the last commit is kept, and
    collecting them again takes them. If the database cannot keep them (a read-only
    or full disk), every file not kept is refused with the reason."""
    known = _known_scenarios(store, w)
    replays = replays if replays is not None else lean.Replays()
    from negtrainer.workshop import pool

    told = workers is not None
    n = workers if told else pool.workers_for(len(paths))
    kept = _kept_experts(store, w, known)
    out: list[Collected | None] = [None] * len(paths)
    # Files taken since the batch last committed, and those found already collected
    # once it had written (perhaps by a file of this run, not yet committed).
    unsaved: set[int] = set()

    # The files stay where they are: collecting again restores what a power cut loses.
    try:
        with store.batch("collect the results files") as batch, service.fewer_collections():

            def wrote(i: int, done: Collected) -> None:
                out[i] = done
                if done.status == "taken" or (done.status == "already" and batch.parts):
                    unsaved.add(i)
                if batch.commit_if_due():
                    unsaved.clear()

            first = 0
            if n > 1 and not told:
                # Workers cost a second or more to start, and each replays on its own
                # what sessions here share: the first files are collected here, and
                # workers take the rest only if it would take long (measured: a room
                # of repeated sessions was 2.1 s here and 3.3 s with two workers; one of
                # distinct sessions 17.6 s here).
                first, took = _probe(store, w, paths, known, replays, wrote)
                if rest_is_quick(first, took, len(paths)):
                    n = 1
            if n > 1 and first < len(paths):
                pool.collect(
                    store,
                    w,
                    paths[first:],
                    known,
                    replays,
                    n,
                    lambda i, done: wrote(first + i, done),
                )
            else:
                for i in range(first, len(paths)):
                    wrote(i, collect_one(store, w, paths[i], known, replays))
    except StoreError as e:
        why = f"{e} Nothing of this file was kept; collect it again once that is put right."
        for i, path in enumerate(paths):
            if i in unsaved or out[i] is None:
                out[i] = Collected(path.name, "refused", why=_why(why, path))
    _keep_experts(store, w, known, kept)
    return [c for c in out if c is not None]


# Collecting here first: files (at most) or seconds, before choosing to start workers.
PROBE_FILES = 10
PROBE_SECONDS = 1.0
WORKERS_WORTH_SECONDS = 3.0  # workers for the rest only if it would take longer here


def _probe(
    store: Any,
    w: Workshop,
    paths: list[Path],
    known: dict[str, Any],
    replays: lean.Replays,
    wrote: Any,
) -> tuple[int, float]:
    """Collect the first files here, for a while: how many it did, and the pace of all
    but the first (files done after it, in how long). The first file pays for what is
    done once (loading the scenario, its expert paths, warming the readers): counted
    in the pace, it made a quick room look slow, and workers slowed it down."""
    started = time.monotonic()
    done = 0
    while done < min(PROBE_FILES, len(paths)):
        wrote(done, collect_one(store, w, paths[done], known, replays))
        done += 1
        if done == 1:
            first = time.monotonic()
        if time.monotonic() - started >= PROBE_SECONDS:
            break
    if done <= 1:
        return done, time.monotonic() - started
    return done, (time.monotonic() - first) / (done - 1) * done


def rest_is_quick(done: int, took: float, total: int) -> bool:
    """Whether the files left would take less than WORKERS_WORTH_SECONDS here, at the
    pace of the first ``done`` (which took ``took`` seconds)."""
    if done >= total:
        return True
    return took / max(done, 1) * (total - done) < WORKERS_WORTH_SECONDS


def _known_scenarios(store: Any, w: Workshop) -> dict[str, Any]:
    """The exercises' scenarios as this database keeps them, by content hash. A file's
    snapshot with the same SHA-256 is the same scenario: it is checked against its hash,
    then not loaded again (nor its expert path searched again) for every file."""
    known = {}
    for ex in w.exercises:
        try:
            known[ex.content_hash] = service.scenario_of(store, ex)
        except StoreError:
            continue  # not here: each file's own snapshot is loaded and checked instead
    return known


# Expert paths by content hash and variant (None: the search found none): kept in the
# database (service.prepare), searched in another process (negtrainer.workshop.pool), or
# searched here when first needed. This engine's only: ENGINE_VERSION keys the database.
EXPERTS: dict[tuple[str, str], Any] = {}


def _kept_experts(store: Any, w: Workshop, known: dict[str, Any]) -> set[tuple[str, str]]:
    """The exercises' expert paths this database keeps, into EXPERTS; their keys."""
    from negtrainer.engine import ENGINE_VERSION

    wanted = [(h, v) for h, sc in known.items() for v in service.variants(w, h, sc)]
    try:
        kept = ws.expert_paths(store, wanted, ENGINE_VERSION)
    except StoreError:
        return set()
    EXPERTS.update(kept)
    return set(kept)


def _keep_experts(
    store: Any, w: Workshop, known: dict[str, Any], kept: set[tuple[str, str]]
) -> None:
    """Expert paths this collection searched, kept for the next one."""
    from negtrainer.engine import ENGINE_VERSION

    new = {
        (h, v): EXPERTS[(h, v)]
        for h, sc in known.items()
        for v in service.variants(w, h, sc)
        if (h, v) in EXPERTS and (h, v) not in kept
    }
    try:
        ws.save_expert_paths(store, new, ENGINE_VERSION)
    except StoreError:
        log.exception("could not keep the expert paths searched while collecting")


# What a collected session keeps of its debrief: what the history lists and ranks it
# by. The rest (moments, lessons, the other side's brief, the takeaways...) is the same
# engine's output on the same inputs, computed when its debrief is opened, as for every
# session; keeping it for thousands of sessions made collecting mostly writing.
LISTED = ("scenario_id", "title", "ending", "turns", "metrics", "end_trust", "value")
LISTED_ENDING = ("id", "kind", "title", "good")
LISTED_METRIC = ("key", "label", "value", "rating")
LISTED_OUTCOME = ("verdict", "caved", "ignored_needs", "quality")


def listed(scores: dict[str, Any]) -> dict[str, Any]:
    """The part of a debrief (``Debrief.to_json()``) kept for a collected session."""
    out = {k: scores[k] for k in LISTED if k in scores}
    if isinstance(out.get("ending"), dict):
        out["ending"] = {k: v for k, v in out["ending"].items() if k in LISTED_ENDING}
    if isinstance(out.get("metrics"), list):
        out["metrics"] = [
            {k: v for k, v in m.items() if k in LISTED_METRIC} if isinstance(m, dict) else m
            for m in out["metrics"]
        ]
    if isinstance(scores.get("outcome"), dict):
        out["outcome"] = {k: v for k, v in scores["outcome"].items() if k in LISTED_OUTCOME}
    if "quality" in scores:
        out["quality"] = scores["quality"]
    return out


# What collecting reads of a debrief: what it keeps, and what the room's summary is made of
# (aggregate.summarise). Turning the rest (moments, lessons...) into data for thousands of
# sessions only to drop it took as long as the debrief itself.
READ = (*LISTED, "trust_curve", "interests", "outcome", "quality")


def _room_scores(session: Any) -> dict[str, Any] | None:
    """What collecting reads of a session's debrief (:data:`READ`), as data; ``text`` is
    what is kept of it (:func:`listed`). Without the takeaways (they play better lines on
    copies of the session, and are computed when the learner's debrief is opened, as for
    every session)."""
    from negtrainer.engine.scoring import debrief
    from negtrainer.engine.session import expert_for

    try:
        sc, variant = session.scenario, session.state.variant
        key = (sc.content_hash, variant)
        if key not in EXPERTS:
            EXPERTS[key] = expert_for(sc, variant)
        d = debrief(session, expert=EXPERTS[key], with_takeaways=False)
        # What json.loads(rows.dumps(d.to_json())) gives of those, without asdict's copies.
        part = {k: getattr(d, k) for k in READ}
        data = json.loads(json.dumps(part, ensure_ascii=False, allow_nan=False, default=_fields))
        return _Scores(data, text=rows.Encoded(rows.dumps(listed(data))))
    except Exception:  # as when recording: a scoring bug costs the scores only
        log.exception("could not score a collected session; scores left empty")
        return None


class _Scores(dict):
    """What collecting reads of a debrief, with the JSON text of what is kept (``text``)."""

    def __init__(self, data: dict[str, Any], text: str):
        super().__init__(data)
        self.text = text


_FIELD_NAMES: dict[type, tuple[str, ...]] = {}


def _fields(o: Any) -> dict[str, Any]:
    names = _FIELD_NAMES.get(type(o))
    if names is None:
        if not dataclasses.is_dataclass(o) or isinstance(o, type):
            raise TypeError(f"{type(o).__name__} is not JSON")
        names = _FIELD_NAMES[type(o)] = tuple(f.name for f in dataclasses.fields(o))
    return {name: getattr(o, name) for name in names}


def collect_one(
    store: Any,
    w: Workshop,
    path: Path,
    known: dict[str, Any] | None = None,
    replays: lean.Replays | None = None,
) -> Collected:
    name = path.name
    try:
        raw = exchange.read_bounded(path, "collect")
        sha = hashlib.sha256(raw).hexdigest()
        done = _already(store, w, name, sha)
        if done is not None:
            return done
        ready, tags, summaries = checked(raw, name, w, known, replays)
    except (ImportFileError, WorkshopError) as e:
        return Collected(name, "refused", why=_why(str(e), path))
    except BatchLost:
        raise  # not this file's fault: the whole batch is refused
    except StoreError as e:
        return Collected(name, "refused", why=str(e))
    return write(store, w, path, sha, ready, tags, summaries)


def _already(store: Any, w: Workshop, name: str, sha: str) -> Collected | None:
    when = ws.collected(store, w.id, sha)
    if when is None:
        return None
    return Collected(name, "already", why=f"on {when[:16].replace('T', ' ')} UTC")


def checked(
    raw: bytes,
    name: str,
    w: Workshop,
    known: dict[str, Any] | None,
    replays: lean.Replays | None,
) -> tuple[list[Any], list[ws.Tag], dict[str, dict[str, Any] | str]]:
    """A results file checked, every session replayed and summarised, nothing written
    (ImportFileError or WorkshopError for the first problem): what :func:`write` takes."""
    f, tags, cut = _check_results(raw, name, w, known)
    if isinstance(f, ResultsFile2):
        rest = {h: snapshot for h, snapshot in f.scenarios.items() if h not in cut}
        scenarios = exchange.check_scenarios(rest, name, known)  # type: ignore[arg-type]
        if cut:
            assert known is not None
            scenarios.update((h, known[h]) for h in cut)
        ready: list[Any] = lean.check(f.sessions, scenarios, name, _room_scores, replays)
    else:
        ready, _ = exchange.check_parsed(f.sessions, name, known, _room_scores)
        for item in ready:
            if item.meta["scores"] is not None:
                item.meta["scores"] = item.meta["scores"].text
    by_id = {item.meta["id"]: item for item in ready}
    summaries: dict[str, dict[str, Any] | str] = {}
    for t in tags:
        item = by_id[t.session_id]
        finished = item.meta["status"] == "finished"
        node = getattr(item, "node", None)
        if node is None:
            summaries[t.session_id] = _summary(item, finished)
        else:  # the same play as another session's: the same summary
            summaries[t.session_id] = node.summary(
                finished, lambda item=item, finished=finished: _summary(item, finished)
            )
    return ready, tags, summaries


def write(
    store: Any,
    w: Workshop,
    path: Path,
    sha: str,
    ready: list[Any],
    tags: list[ws.Tag],
    summaries: dict[str, dict[str, Any] | str],
) -> Collected:
    """A checked file written in one transaction, or one savepoint of the batch's (the
    results of :func:`checked`)."""
    name = path.name
    try:
        report = ImportReport(path)
        ws.write_collected(store, w.id, sha, name, ready, tags, summaries, report)
    except (ImportFileError, WorkshopError) as e:
        return Collected(name, "refused", why=_why(str(e), path))
    except BatchLost:
        raise  # not this file's fault: what the batch wrote since it last committed is gone
    except StoreError as e:
        return Collected(name, "refused", why=str(e))
    # A session already here is kept as stored when the file repeats it (anonymised, say) or
    # contradicts it (the contradiction is named); one the file completes counts as taken.
    return Collected(
        name,
        "taken",
        report.added + report.extended,
        report.skipped + report.differ,
        differ=report.differ,
    )


def _summary(item: exchange.Checked, finished: bool) -> dict[str, Any]:
    scores = item.fresh_scores
    if scores is None and finished:
        scores = _room_scores(item.session)  # stopped before an ending
    return aggregate.summarise(item.session, finished, scores)


def _why(message: str, path: Path) -> str:
    """The reason alone: the report line already names the file."""
    for prefix in ("Cannot import ", "Cannot collect ", "Cannot read "):
        if message.startswith(prefix):
            message = message[len(prefix) :]
            break
    for where in (f"{path}: ", f"{path.name}: "):
        message = message.removeprefix(where)
    return message.replace(" Nothing was imported.", "")


def _same_player(w: Workshop, learner: str | None, who: str, tagged: str, where: str) -> None:
    """The session's learner is the participant its tag names: by name, or by pseudonym in an
    anonymised file (the learner there is the pseudonym, as is the tag); Guest plays
    without a name."""
    if who == service.GUEST:
        ok = learner is None or " ".join(learner.split()).casefold() == who.casefold()
    else:
        try:
            ok = learner is not None and w.participant(learner).name == who
        except WorkshopError:
            ok = False
    if not ok:
        shown = "no learner" if learner is None else f"learner {learner!r}"
        raise WorkshopError(
            f"{where} was played by {shown}, but its tag names participant "
            f"{tagged!r}; the file was edited or damaged"
        )


def _check_version(version: Any, known: tuple[int, ...], what: str) -> None:
    """Only a higher version than this build reads is a reason to update; anything else
    (0, -1, "2", 2.0, none at all) is a damaged file or not one of ours."""
    if type(version) is int and version in known:
        return
    if type(version) is int and version > max(known):
        shown = version if version < 10**6 else "far higher"
        raise ImportFileError(
            f"it was written by a newer negtrainer (format version {shown}; "
            f"this one reads {' and '.join(map(str, known))}). Update "
            "negtrainer to read it"
        )
    shown = "none" if version is None else str(version)[:20]
    raise ImportFileError(
        f"it is not a {what} of a version this program knows "
        f"(version: {shown}); it may be damaged or edited"
    )


def _where(loc: tuple[Any, ...], data: dict[str, Any]) -> str:
    """A validation error's place as a person names it: "session 4 (1821074f): seed",
    not "sessions.3.seed"."""
    parts: list[Any] = list(loc)
    held: Any = data.get("sessions")
    if parts[:2] == ["sessions", "sessions"]:  # version 1: a sessions file inside
        parts = parts[1:]
        held = held.get("sessions") if isinstance(held, dict) else None
    if len(parts) >= 2 and parts[0] in ("sessions", "tags") and isinstance(parts[1], int):
        n = parts[1]
        head = f"{parts[0][:-1]} {n + 1}"
        if (
            parts[0] == "sessions"
            and isinstance(held, list)
            and n < len(held)
            and isinstance(held[n], dict)
            and isinstance(held[n].get("id"), str)
        ):
            head += f" ({held[n]['id'][:8]})"
        return ": ".join([head, ".".join(str(p) for p in parts[2:])][: 1 + (len(parts) > 2)])
    return ".".join(str(p) for p in parts) or "the file"


# What stands in for a known scenario's snapshot in the text _read_whole reads: no file
# can hold it, as no file knows it.
_KNOWN = "known scenario " + secrets.token_hex(16)


class _ResultsFile2Known(ResultsFile2):
    """ResultsFile2 as _read_whole reads it: a snapshot may be _KNOWN (see _cut_known)."""

    scenarios: dict[exchange.Hash, dict[str, Any] | str] = Field(  # type: ignore[assignment]
        max_length=exchange.MAX_SCENARIOS
    )


def _snapshot_text(sc: Any) -> bytes:
    """A scenario's snapshot as an export writes it (rows.dumps), once per scenario."""
    text = sc.__dict__.get("_snapshot_text")
    if text is None:
        text = sc.__dict__["_snapshot_text"] = rows.dumps(sc.canonical).encode()
    return text


def _cut_known(raw: bytes, known: dict[str, Any] | None) -> tuple[bytes, set[str]]:
    """``raw`` with the snapshot of each known scenario, where it reads exactly as an
    export writes it, replaced by _KNOWN; and their hashes. Equal text is equal data:
    the snapshot need not be read (it was most of a file) nor compared."""
    cut: set[str] = set()
    for h, sc in (known or {}).items():
        text = _snapshot_text(sc)
        at = raw.find(b'"' + h.encode() + b'":' + text)
        if at < 0:
            continue
        start = at + len(h) + 3
        raw = raw[:start] + json.dumps(_KNOWN).encode() + raw[start + len(text) :]
        cut.add(h)
    return raw, cut


def _read_whole(
    raw: bytes, known: dict[str, Any] | None = None
) -> tuple[ResultsFile2, set[str]] | None:
    """A sound version 2 file, parsed and validated in one pass by pydantic-core, and
    the hashes of the known scenarios (by content hash, see _known_scenarios) whose
    snapshots it holds as their exact text (they are left out of it); None for anything
    else, which :func:`_read` reads again to say what is wrong (every refusal keeps its
    message). It takes only what ``_read`` takes too: the same model on the same JSON,
    and no NaN or Infinity (which pydantic-core reads and ``_read`` refuses)."""
    if b"NaN" in raw or b"Infinity" in raw:
        return None  # most likely in some text, but then the slower path reads it
    text, cut = _cut_known(raw, known)
    try:
        f = _ResultsFile2Known.model_validate_json(text)
    except (ValidationError, ValueError, RecursionError):
        return None
    for h, snapshot in f.scenarios.items():
        # A stand-in only where one was put, and there as the file's own snapshot: a text
        # found elsewhere in the file (where it could not be valid) is read as it is.
        if isinstance(snapshot, str) and (snapshot != _KNOWN or h not in cut):
            return None
    if any(not isinstance(f.scenarios.get(h), str) for h in cut):
        return None
    try:
        # pydantic-core lets the last of two equal keys win, silently: the file is read
        # again, as _read would (whose refusal names the key).
        jsonread.loads(text, exchange.MAX_DEPTH)
    except (jsonread.JsonProblem, UnicodeDecodeError):
        return None
    return f, cut


def _read(raw: bytes, name: str) -> ResultsFile | ResultsFile2:
    data = _json(raw, name, "results file", exchange.MAX_FILE_BYTES)
    fmt = data.get("format")
    if fmt != RESULTS_FORMAT:
        hint = {
            exchange.FORMAT: " (a plain sessions file: import it with negtrainer sessions import)",
            WORKSHOP_FORMAT: " (it is the workshop file itself)",
        }.get(str(fmt), "")
        raise ImportFileError(f"it is not a negtrainer results file{hint}")
    _check_version(data.get("version"), (1, RESULTS_VERSION), "results file")
    f: ResultsFile | ResultsFile2
    try:
        if data["version"] == 1:
            f = ResultsFile.model_validate(data)
        else:
            f = ResultsFile2.model_validate(data)
    except ValidationError as e:
        err = e.errors(include_url=False)[0]
        msg = err["msg"].removeprefix("Value error, ")
        raise ImportFileError(
            f"{_where(err['loc'], data)}: {msg} (the file was edited or damaged)"
        ) from None
    except RecursionError:
        raise ImportFileError("it is nested too deeply") from None
    return f


def _check_results(
    raw: bytes,
    name: str,
    w: Workshop,
    known: dict[str, Any] | None = None,
) -> tuple[ResultsFile | ResultsFile2, list[ws.Tag], set[str]]:
    """The file read and its tags checked against the workshop; and the hashes of the
    known scenarios its snapshots were found equal to (see _read_whole)."""
    f: ResultsFile | ResultsFile2
    cut: set[str] = set()
    # Memory follows the number of JSON objects more than the file's size: a file of
    # millions of tiny inputs took gigabytes to read before its lists were found too
    # long. Braces in texts count too, which only errs on the safe side.
    if raw.count(b"{") > MAX_RESULT_OBJECTS:
        raise ImportFileError(
            f"it holds over {MAX_RESULT_OBJECTS:,} records (JSON objects), more than a "
            "results file of negtrainer's ever does; it was not read. Ask for the file "
            "again, exported by negtrainer"
        )
    whole = _read_whole(raw, known)
    if whole is None:
        f = _read(raw, name)
    else:
        f, cut = whole
    if f.workshop.id != w.id:
        if f.workshop.name.casefold() == w.name.casefold():
            raise WorkshopError(
                f"it holds results of another workshop also called "
                f"{w.name!r} (id {f.workshop.id[:8]}, this one is "
                f"{w.id[:8]}); collect it into the workshop it was played for"
            )
        raise WorkshopError(
            f"it holds results of another workshop ({f.workshop.name!r}), not of {w.name!r}"
        )
    held = f.sessions if isinstance(f, ResultsFile2) else f.sessions.sessions
    if not f.tags:
        raise WorkshopError(
            f"this file has no sessions of the workshop {w.name!r} "
            "(none is tagged with an exercise and a participant)"
        )
    sessions: dict[str, tuple[int, Any]] = {}
    for n, s in enumerate(held, 1):
        if s.id in sessions:
            raise ImportFileError(
                f"it lists session {s.id[:8]} twice (sessions "
                f"{sessions[s.id][0]} and {n}); the file was edited or "
                "damaged"
            )
        sessions[s.id] = (n, s)
    tags, seen = [], set()
    for t in f.tags:
        if t.session in seen:
            raise ImportFileError(f"it tags session {t.session[:8]} twice")
        if t.session not in sessions:
            raise ImportFileError(f"it tags session {t.session[:8]}, which it does not hold")
        seen.add(t.session)
        n, s = sessions[t.session]
        where = f"session {n} ({t.session[:8]})"
        if not any(x.id == t.exercise for x in w.exercises):
            raise WorkshopError(
                f"{where} was played in exercise {t.exercise!r}, which workshop {w.name!r} "
                f"does not have (it has {', '.join(x.id for x in w.exercises) or 'none'}). "
                "Was the exercise added on a laptop? Add it here, export the workshop file "
                "again and give it to the laptops"
            )
        ex = w.exercise(t.exercise)
        if s.content_hash != ex.content_hash:
            raise ImportFileError(f"{where} was not played on the scenario of exercise {ex.id}")
        if ex.fixed and s.variant != ex.variant:
            raise WorkshopError(
                f"{where} was played against variant {s.variant!r}, but "
                f"exercise {ex.id} gives everyone variant {ex.variant!r}"
            )
        if ex.fixed and s.seed != ex.seed:
            raise WorkshopError(
                f"{where} was played with seed {s.seed}, but exercise "
                f"{ex.id} gives everyone seed {ex.seed}"
            )
        who = service.participant_name(w, t.participant)
        _same_player(w, s.learner, who, t.participant, where)
        tags.append(ws.Tag(t.session, ex.id, who))
    return f, tags, cut
