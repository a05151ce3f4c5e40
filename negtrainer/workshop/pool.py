"""Collecting many results files on every core.

Worker processes read and check the files (parse, validate, replay every session,
score and summarise it) and send back plain data; this process writes each file
(a savepoint of the collection's transaction), in the order given, as
``files.collect_one`` does. The
messages for a refused file are the very ones a check in this process gives.
Workers are started fresh ("spawn"): never a fork of a process that runs Qt or
holds the database.
"""

from __future__ import annotations

import hashlib
import logging
import os
import sys
import uuid
from collections import deque
from collections.abc import Callable
from pathlib import Path
from typing import Any

from negtrainer.store import BatchLost, ImportFileError, StoreError, exchange
from negtrainer.store import workshops as ws
from negtrainer.workshop import files, lean, service
from negtrainer.workshop.model import Workshop, WorkshopError, parse_workshop

log = logging.getLogger(__name__)

# Fewer files than this are checked here: starting the workers costs more.
MIN_FILES = 8
MAX_WORKERS = 8


def workers_for(n_files: int) -> int:
    """One worker per idle core: on a computer already busy, workers only take turns
    with each other and with this process (measured: slower than none)."""
    if n_files < MIN_FILES or getattr(sys, "frozen", False):
        return 1  # a frozen bundle cannot start a fresh interpreter as a worker
    try:
        cores = len(os.sched_getaffinity(0))
    except AttributeError:  # not on Linux
        cores = os.cpu_count() or 1
    try:
        idle = cores - os.getloadavg()[0]
    except (AttributeError, OSError):  # no load average (Windows): count on the cores
        idle = cores
    n = min(int(idle + 0.5), MAX_WORKERS, n_files)
    return n if n >= 2 else 1


def collect(
    store: Any,
    w: Workshop,
    paths: list[Path],
    known: dict[str, Any],
    replays: lean.Replays,
    workers: int,
    wrote: Callable[[int, files.Collected], None],
) -> None:
    """Collect ``paths``, telling ``wrote(i, collected)`` each file's outcome in order."""
    from concurrent.futures.process import BrokenProcessPool

    told: set[int] = set()

    def tell(i: int, done: files.Collected) -> None:
        told.add(i)
        wrote(i, done)

    todo: list[tuple[int, Path]] = []
    for i, path in enumerate(paths):
        # Files collected before are answered here, without a worker.
        try:
            raw = exchange.read_bounded(path, "collect")
            done = files._already(store, w, path.name, hashlib.sha256(raw).hexdigest())
        except ImportFileError as e:
            done = files.Collected(path.name, "refused", why=files._why(str(e), path))
        except BatchLost:
            raise
        except StoreError as e:
            done = files.Collected(path.name, "refused", why=str(e))
        if done is not None:
            tell(i, done)
        else:
            todo.append((i, path))
    if todo:
        try:
            _in_workers(store, w, todo, known, replays, workers, tell)
        except (BrokenProcessPool, OSError):
            # No worker could start, or one died (out of memory, say): what is left is
            # collected here; what was written is marked, so nothing is taken twice.
            log.exception("collecting in worker processes failed; going on in this one")
            for i, path in todo:
                if i not in told:
                    tell(i, files.collect_one(store, w, path, known, replays))


def _in_workers(
    store: Any,
    w: Workshop,
    todo: list[tuple[int, Path]],
    known: dict[str, Any],
    replays: lean.Replays,
    workers: int,
    tell: Callable[[int, files.Collected], None],
) -> None:
    from concurrent.futures import ProcessPoolExecutor
    from multiprocessing import get_context

    canonicals = {h: sc.canonical for h, sc in known.items()}
    job = (uuid.uuid4().hex, w.model_dump(), canonicals)
    with ProcessPoolExecutor(min(workers, len(todo)), mp_context=get_context("spawn")) as ex:
        # The expert paths first, all at once: every worker needs them, and each is
        # the slowest search of the collection.
        # Only those the database does not keep (files.collect read those into EXPERTS).
        every = [(h, v) for h, sc in known.items() for v in service.variants(w, h, sc)]
        wanted = [key for key in every if key not in files.EXPERTS]
        searches = [ex.submit(_expert, job, h, v) for h, v in wanted]
        found = {key: f.result() for key, f in zip(wanted, searches)}
        # A failed search (None) is not kept: the workers search again when they need it.
        files.EXPERTS.update({key: e for key, e in found.items() if e is not None})
        experts = {key: files.EXPERTS[key] for key in every if key in files.EXPERTS}
        pending: deque[tuple[int, Path, Any]] = deque()
        try:
            for i, path in todo:
                pending.append((i, path, ex.submit(_check, job, experts, str(path))))
                if len(pending) >= 2 * workers:  # bounded: files may be large
                    _finish(store, w, known, replays, pending.popleft(), tell)
            while pending:
                _finish(store, w, known, replays, pending.popleft(), tell)
        except BatchLost:
            for _, _, future in pending:  # nothing more can be kept: stop checking
                future.cancel()
            raise


def _finish(
    store: Any,
    w: Workshop,
    known: dict[str, Any],
    replays: lean.Replays,
    job: tuple[int, Path, Any],
    tell: Callable[[int, files.Collected], None],
) -> None:
    i, path, future = job
    answer = future.result()
    for k, n in answer.get("counts", {}).items():
        setattr(replays, k, getattr(replays, k) + n)
    if "refused" in answer:
        tell(i, files.Collected(path.name, "refused", why=answer["refused"]))
        return
    try:
        # The same file twice in one go: the second is already collected by now.
        done = files._already(store, w, path.name, answer["sha"])
        if done is None:
            scenarios = dict(known)
            for h, canonical in answer["scenarios"].items():
                scenarios[h] = files._scenario(canonical, h, path.name)
            ready = [
                exchange.Checked(
                    meta, scenarios[meta["content_hash"]], rows, notes, None, None, lazy
                )
                for meta, rows, notes, lazy in answer["ready"]
            ]
            tags = [ws.Tag(*t) for t in answer["tags"]]
            done = files.write(store, w, path, answer["sha"], ready, tags, answer["summaries"])
    except ImportFileError as e:
        done = files.Collected(path.name, "refused", why=files._why(str(e), path))
    except BatchLost:
        raise
    except StoreError as e:
        done = files.Collected(path.name, "refused", why=str(e))
    tell(i, done)


# -- in the worker processes ----------------------------------------------------------------
_WORKER: dict[str, Any] = {"job": None}


def _setup(job: tuple[str, dict[str, Any], dict[str, Any]]) -> dict[str, Any]:
    """This collection's workshop, scenarios and replay tree (kept between its files)."""
    if _WORKER["job"] != job[0]:
        import gc

        from negtrainer.engine.loader import scenario_from_canonical

        gc.set_threshold(*service.ROOM_GC_THRESHOLDS)  # a worker only checks files

        known = {}
        for h, canonical in job[2].items():
            sc = scenario_from_canonical(canonical)
            if sc.content_hash == h:  # as the main process loaded it
                known[h] = sc
        _WORKER.update(
            job=job[0], workshop=parse_workshop(job[1]), known=known, replays=lean.Replays()
        )
    return _WORKER


def _expert(job: tuple[str, dict[str, Any], dict[str, Any]], h: str, variant: str) -> Any:
    from negtrainer.engine.session import expert_for

    try:
        return expert_for(_setup(job)["known"][h], variant)
    except Exception:  # as in files._room_scores: a search that fails costs the scores only
        log.exception("the expert path of a collected scenario could not be searched")
        return None


def _check(
    job: tuple[str, dict[str, Any], dict[str, Any]], experts: dict[Any, Any], where: str
) -> dict[str, Any]:
    state = _setup(job)
    files.EXPERTS.update(experts)
    replays: lean.Replays = state["replays"]
    before = _counts(replays)
    path = Path(where)
    try:
        raw = exchange.read_bounded(path, "collect")
        ready, tags, summaries = files.checked(
            raw, path.name, state["workshop"], state["known"], replays
        )
    except (ImportFileError, WorkshopError) as e:
        return {"refused": files._why(str(e), path), "counts": _delta(replays, before)}
    known = state["known"]
    return {
        "sha": hashlib.sha256(raw).hexdigest(),
        "ready": [(item.meta, item.rows, item.notes, item.lazy) for item in ready],
        "scenarios": {
            item.meta["content_hash"]: item.scenario.canonical
            for item in ready
            if item.meta["content_hash"] not in known
        },
        "tags": [(t.session_id, t.exercise_id, t.participant) for t in tags],
        "summaries": summaries,
        "counts": _delta(replays, before),
    }


_COUNTED = ("sessions", "turns", "played_sessions", "played_turns")


def _counts(replays: lean.Replays) -> tuple[int, ...]:
    return tuple(getattr(replays, k) for k in _COUNTED)


def _delta(replays: lean.Replays, before: tuple[int, ...]) -> dict[str, int]:
    return {k: now - then for k, now, then in zip(_COUNTED, _counts(replays), before)}
