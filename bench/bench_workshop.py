"""Workshop benchmark (issue 14). Prints figures with a same-run baseline; asserts nothing.

    python bench/bench_workshop.py [--files 100] [--sessions 30] [--format 2] [--distinct]
                                   [--dir DIR]

Builds a workshop and 100 results files of 30 sessions each (the engine's own
players on several seeds, played in memory to an ending; written as laptops
write them, version 2, or with ``--format 1`` as older laptops did), then
measures:

1. collecting every file into a fresh facilitator database (each file checked
   and every session re-run through the engine; all written in one transaction,
   each file in a savepoint of its own, committed and checkpointed at the end);
2. opening the presenter view on the 3,000 collected sessions (offscreen Qt),
   until its slides are built;

against the baseline of reading the same files with ``json.load`` (target:
collect + presenter <= 2 s). Collecting all the files a second time (nothing
changes) is printed too, and so is preparing the exercise, apart: adding it to
the workshop searches and keeps the expert path of each variant it gives (once
per exercise, before the room plays), which collecting then reads instead of
searching.

The default room is 5 scripted players on 8 seeds, re-identified: only 40
different sessions, which collecting replays once each (sessions of the same
exercise, seed and variant that open with the same inputs share those turns).
That is far more repetitive than a real room, so ``--distinct`` plays every
session differently instead (its own seed, a scripted player that makes a
random move on about one turn in three, times that differ per turn), which is
what a "random" exercise gives. Both print how many sessions and turns the
engine actually replayed.
"""

from __future__ import annotations

import argparse
import copy
import json
import os
import random
import shutil
import sys
import tempfile
import time
import uuid
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))
os.environ.setdefault("QT_QPA_PLATFORM", "offscreen")

from negtrainer.engine import ENGINE_VERSION
from negtrainer.engine.session import Session
from negtrainer.engine.strategies import STRATEGIES, play
from negtrainer.store import Store, exchange, rows
from negtrainer.store import workshops as ws
from negtrainer.workshop import files, lean, pool, service

# The room: the engine's own players, from the listener to the one who caves, each on
# several seeds (what is on show differs by seed), all played to an ending or a dead end.
PLAYERS = ("listening", "label", "surface", "grab", "caver")
SEEDS = range(1, 9)


def played(scenario: object, player: str, seed: int) -> Session:
    # The variant drawn from the seed, as a "random" exercise gives each participant.
    return play(scenario, player, seed=seed, variant=None)


def distinct_player(scenario: object, k: int) -> Session:
    """Session ``k`` of a room where everyone plays differently: its own seed (so its
    own variant), a scripted player that makes a random move on about one turn in
    three, played to an ending (or a dead end)."""
    rng = random.Random(k)
    base = STRATEGIES[rng.choice(PLAYERS)]
    s = Session.start(scenario, seed=rng.randrange(1, 2**31 - 1), variant=None)
    for _ in range(1000):
        if s.ended:
            break
        open_ = [c.id for c in s.choices if c.available]
        try:
            if open_ and rng.random() < 0.3:
                s.apply({"choice": rng.choice(open_)})
            else:
                s.apply(base(s, rng.randrange(2**31)))
        except (ValueError, IndexError):
            break
    return s


def _v1_doc(template: dict, sid: str, who: str) -> dict:
    doc = copy.deepcopy(template)
    doc["id"], doc["learner"] = sid, who
    for t in doc["turns"]:
        t["state"]["learner"] = who
    return doc


def _v2_doc(s: Session, sid: str, who: str, at: str, times: list[str] | None = None) -> dict:
    return {
        "id": sid,
        "learner": who,
        "content_hash": s.scenario.content_hash,
        "seed": s.state.seed,
        "variant": s.state.variant,
        "status": "finished",
        "started_at": at,
        "updated_at": at,
        "ended_at": at,
        "parent_id": None,
        "parent_turn": None,
        "times": times or [at] * (len(s.inputs) + 1),
        "inputs": s.inputs,
        "notes": [],
    }


def _times(n: int, k: int) -> list[str]:
    """Times that differ per turn and per session, as a real room's do."""
    from datetime import UTC, datetime, timedelta

    start = datetime(2026, 11, 30, 9, tzinfo=UTC) + timedelta(seconds=7 * k)
    return [(start + timedelta(seconds=20 * i + k % 17)).isoformat() for i in range(n)]


def build(
    folder: Path, n_files: int, per_file: int, version: int, distinct: bool = False
) -> tuple[Path, list[Path], float]:
    """The facilitator's database, the results files, and how long preparing the
    exercise took (adding it searches and keeps its variants' expert paths)."""
    fac_db = folder / "facilitator.db"
    with Store.open(fac_db, backup_every_hours=None) as store:
        names = [f"Learner {i:03d}" for i in range(150)]
        w = service.create(store, "Benchmark room", names)
        sc = service.load_scenario("packaging-renewal")
        # A seed (and so a variant) per participant: what is on show differs by seed.
        t = time.perf_counter()
        w = service.add_exercise(store, w, sc, variant="random")
        prepare_s = time.perf_counter() - t
    # 40 different sessions, re-identified across the room (or, --distinct, one each).
    if distinct:
        templates = [distinct_player(sc, k) for k in range(n_files * per_file)]
    else:
        templates = [played(sc, player, seed) for player in PLAYERS for seed in SEEDS]
    at = rows.now()
    v1 = (
        [exchange.live_session_doc(s, "", None, at, {}, finished=True) for s in templates]
        if version == 1
        else []
    )
    out = []
    for f in range(n_files):
        docs, tags = [], []
        for k in range(per_file):
            who = names[(f * per_file + k) % len(names)]
            n = f * per_file + k if distinct else (f + k) % len(templates)
            sid = str(uuid.uuid4())
            times = _times(len(templates[n].inputs) + 1, n) if distinct else None
            docs.append(
                _v1_doc(v1[n], sid, who)
                if version == 1
                else _v2_doc(templates[n], sid, who, at, times)
            )
            tags.append({"session": sid, "exercise": "e1", "participant": who})
        body = {
            "format": files.RESULTS_FORMAT,
            "version": version,
            "exported_at": at,
            "workshop": {"id": w.id, "name": w.name},
            "tags": tags,
        }
        if version == 1:
            body["sessions"] = exchange.file_doc(docs, {sc.content_hash: sc})
        else:
            body.update(scenarios={sc.content_hash: sc.canonical}, sessions=docs)
        path = folder / f"laptop{f:03d}.results.json"
        exchange.write_doc(body, path)
        out.append(path)
    return fac_db, out, prepare_s


def main() -> None:
    ap = argparse.ArgumentParser()
    ap.add_argument("--files", type=int, default=100)
    ap.add_argument("--sessions", type=int, default=30)
    ap.add_argument("--dir")
    ap.add_argument(
        "--format",
        type=int,
        choices=(1, 2),
        default=files.RESULTS_VERSION,
        help="results file version to write (1: every turn's state; "
        "2: inputs only, as laptops now write)",
    )
    ap.add_argument(
        "--distinct",
        action="store_true",
        help="every session played differently (own seed, random moves), not the "
        "40 sessions of 5 players x 8 seeds repeated",
    )
    ap.add_argument(
        "--workers",
        type=int,
        help="processes that check files (default: one per core; 1: all in this one)",
    )
    args = ap.parse_args()
    folder = Path(args.dir or tempfile.mkdtemp(prefix="nt-bench-workshop-"))
    folder.mkdir(parents=True, exist_ok=True)
    t0 = time.perf_counter()
    fac_db, paths, prepare_s = build(folder, args.files, args.sessions, args.format, args.distinct)
    size = sum(p.stat().st_size for p in paths)
    room = "every session distinct" if args.distinct else "40 sessions repeated"
    print(
        f"built {len(paths)} version {args.format} results files x {args.sessions} sessions "
        f"({room}; {size / 2**20:.1f} MB) in {time.perf_counter() - t0:.1f} s"
    )

    t = time.perf_counter()
    for p in paths:
        with open(p, encoding="utf-8") as fh:
            json.load(fh)
    baseline = time.perf_counter() - t

    from PySide6.QtWidgets import QApplication

    app = QApplication.instance() or QApplication([])
    from negtrainer.gui.presenter import PresenterWindow
    from negtrainer.gui.services import Services

    store = Store.open(fac_db, backup_every_hours=None)
    w = service.find(store, "Benchmark room")
    replays = lean.Replays()
    # As the window and the command line collect (None): here first, then, if the rest
    # would take long, one worker per idle core; or exactly --workers.
    workers = args.workers
    import resource

    sc0 = store.scenario(w.exercises[0].content_hash)
    pairs = [(sc0.content_hash, v) for v in service.variants(w, sc0.content_hash, sc0)]
    kept = len(ws.expert_paths(store, pairs, ENGINE_VERSION))
    kids0 = resource.getrusage(resource.RUSAGE_CHILDREN)
    cpu0 = time.process_time()
    t = time.perf_counter()
    found = files.collect(store, w, paths, replays, workers=workers)
    collect_s = time.perf_counter() - t
    cpu_s = time.process_time() - cpu0
    kids1 = resource.getrusage(resource.RUSAGE_CHILDREN)
    kids_s = kids1.ru_utime + kids1.ru_stime - kids0.ru_utime - kids0.ru_stime
    replays.roots.clear()  # its counts are kept; the states go, as after a collect in the app
    taken = sum(len(c.added) for c in found)
    refused = [c.line() for c in found if c.status == "refused"]

    services = Services(store)
    t = time.perf_counter()
    p = PresenterWindow(services, w)
    p.resize(1280, 800)
    p.show()
    p.load()
    while not p.loaded:
        app.processEvents()
        services.wait(10)
    app.processEvents()
    present_s = time.perf_counter() - t
    played_n = len(p.view.played) if p.view else 0

    t = time.perf_counter()
    again = files.collect(store, w, paths)
    again_s = time.perf_counter() - t
    # Same run, for the reader: what one expert-path search costs (one per scenario and
    # variant; collect debriefs every session against it, and searches those the
    # database does not keep). A fresh load of the same snapshot: the collected one
    # keeps its search.
    from negtrainer.engine.analysis import expert_path
    from negtrainer.engine.loader import scenario_from_canonical

    fresh = scenario_from_canonical(store.scenario(w.exercises[0].content_hash).canonical)
    t = time.perf_counter()
    expert_path(fresh, "warm")
    expert_s = time.perf_counter() - t
    endings = sum(1 for x in p.view.played if x.summary.get("ending")) if p.view else 0
    total = collect_s + present_s
    print(f"json.load of the same files (baseline):   {baseline * 1000:8.0f} ms")
    print(
        f"prepare the exercise (before the room plays): {prepare_s * 1000:4.0f} ms "
        "(adding it searches and keeps its variants' expert paths; not in the total)"
    )
    print(
        f"collect {len(paths)} files ({taken} sessions re-run): {collect_s * 1000:8.0f} ms "
        f"({collect_s / baseline:.1f}x baseline)"
        f"{'; REFUSED: ' + str(refused) if refused else ''}"
    )
    how = (
        f"{workers} process(es), as told"
        if workers is not None
        else f"this one first; workers for the rest if it would take over "
        f"{files.WORKERS_WORTH_SECONDS:.0f} s (it would start {pool.workers_for(len(paths))} now)"
    )
    print(f"  checked in {how}; files written in this one")
    # On a shared computer the wall time depends on the others; the CPU time less so.
    print(
        f"  CPU time: {cpu_s * 1000:.0f} ms in this process"
        + (f" + {kids_s * 1000:.0f} ms in workers" if kids_s > 0.001 else " (no workers ran)")
    )
    print(
        f"  sessions replayed by the engine:        {replays.played_sessions:8d} of "
        f"{replays.sessions} ({replays.played_turns} of {replays.turns} turns; "
        "the rest shared with sessions that played the same)"
    )
    print(
        f"  one expert-path search, for reference:  {expert_s * 1000:8.0f} ms "
        f"(measured apart, same run; {kept} of the {len(pairs)} variants' paths were "
        f"kept before collecting, so collect searched {len(pairs) - kept})"
    )
    print(
        f"open the presenter view ({played_n} sessions, {endings} with an ending): "
        f"{present_s * 1000:8.0f} ms"
    )
    print(
        f"total, collect + presenter:               {total * 1000:8.0f} ms "
        f"({total / baseline:.1f}x baseline)"
    )
    print(f"total with preparing the exercise:        {(total + prepare_s) * 1000:8.0f} ms")
    print(
        f"target:                                   {2000:8.0f} ms "
        f"({'met' if total <= 2 else 'NOT met'})"
    )
    print(
        f"collect the same files again (no change): {again_s * 1000:8.0f} ms "
        f"({sum(c.status == 'already' for c in again)} already collected)"
    )
    p.close()
    services.close()
    store.close()
    if not args.dir:
        shutil.rmtree(folder, ignore_errors=True)


if __name__ == "__main__":
    main()
