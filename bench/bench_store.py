"""Session store benchmarks (issue 3). Prints figures with same-run baselines; asserts nothing.

    python bench/bench_store.py [--sessions 10000] [--turns 30] [--dir DIR]

1. Builds a database of 10,000 sessions x 30 turns (rows cloned from real
   recorded sessions of the sample scenario, in one transaction).
2. Lists the newest 50 sessions (all, by learner, unfinished) (target <= 50 ms).
3. Opens one session for replay: load + a live Session at its last turn, with
   the scenario snapshot cold and warm (target <= 50 ms).
4. Reports bytes per turn (file size / turns, and the row's own columns).
5. Records turns (one committed transaction each, WAL, default synchronous)
   and compares the median with a bare sqlite3 insert + commit of a row of
   the same size into a WAL database in the same folder (target <= 3x).
"""

from __future__ import annotations

import argparse
import os
import random
import shutil
import sqlite3
import statistics
import sys
import tempfile
import time
import uuid
from datetime import UTC, datetime, timedelta
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))
# The store tests' scripted learner: varied choices, offers and acceptances.
sys.path.insert(0, str(ROOT / "tests" / "store"))
from storeplay import next_input as policy

from negtrainer.engine.loader import load_scenario
from negtrainer.engine.session import Session
from negtrainer.store import Recorder, Store, rows

SAMPLE = ROOT / "scenarios" / "packaging-renewal.yaml"


def timed(fn, repeat: int) -> list[float]:
    out = []
    for _ in range(repeat):
        t = time.perf_counter()
        fn()
        out.append(time.perf_counter() - t)
    return out


def ms(xs: list[float]) -> str:
    return (
        f"median {statistics.median(xs) * 1000:7.2f} ms  (p90 "
        f"{sorted(xs)[int(len(xs) * 0.9)] * 1000:.2f} ms)"
    )


def templates(scenario, count: int) -> list[list[rows.TurnRow]]:
    """Turn rows of real sessions, recorded through the store."""
    mem = Store.memory()
    out = []
    for seed in range(count):
        s = Session.start(scenario, seed=seed)
        rec = Recorder.start(mem, scenario, s, "Template")
        while (item := policy(s, s.state.turn)) is not None:
            rec.apply(item)
        with mem._read() as c:
            out.append(mem._rows(c, rec.session_id))
    mem.close()
    return out


def build(store: Store, scenario, n_sessions: int, n_turns: int) -> list[str]:
    tpl = templates(scenario, 40)
    # A long session's rows: real rows, cycled to the wanted length.
    flat = [r for t in tpl for r in t[1:]]
    rnd = random.Random(1)
    learners = [f"Learner {i:02d}" for i in range(20)]
    base = datetime(2024, 1, 1, tzinfo=UTC)
    ids = []
    t0 = time.perf_counter()
    with store._write("build the benchmark database") as c:
        store._put_scenario(c, scenario)
        lids = [store._learner_id(c, name) for name in learners]
        for n in range(n_sessions):
            sid = str(uuid.UUID(int=rnd.getrandbits(128), version=4))
            ids.append(sid)
            started = (base + timedelta(minutes=17 * n)).isoformat(timespec="microseconds")
            finished = n % 4 != 0
            c.execute(
                "INSERT INTO sessions (id, learner_id, scenario_id, scenario_version, "
                "content_hash, seed, variant, status, started_at, updated_at, ended_at, "
                "ending_id, ending_kind, turn_count) VALUES (?,?,?,?,?,?,?,?,?,?,?,?,?,?)",
                (
                    sid,
                    lids[n % len(lids)],
                    scenario.id,
                    scenario.spec.version,
                    scenario.content_hash,
                    n,
                    "warm",
                    "finished" if finished else "unfinished",
                    started,
                    started,
                    started if finished else None,
                    "deal" if finished else None,
                    "deal" if finished else None,
                    n_turns,
                ),
            )
            first = tpl[n % len(tpl)][0]
            start = rnd.randrange(len(flat))
            batch = [first.values(sid)]
            for i in range(1, n_turns + 1):
                r = flat[(start + i) % len(flat)]
                batch.append(
                    (sid, i, started, 0, r.input, r.move, r.said, r.lines, r.record, r.state)
                )
            c.executemany(rows.INSERT_TURN, batch)
    print(f"  built {n_sessions:,} sessions x {n_turns} turns in {time.perf_counter() - t0:.1f} s")
    return ids


def record_vs_bare(folder: Path, scenario, n: int) -> None:
    store = Store.open(folder / "record.db", backup_every_hours=None)
    bare = sqlite3.connect(folder / "bare.db", isolation_level=None)
    bare.execute("PRAGMA journal_mode = WAL")
    bare.execute(
        "CREATE TABLE t (id INTEGER PRIMARY KEY, session_id TEXT, idx INTEGER, payload TEXT)"
    )
    ours: list[float] = []
    theirs: list[float] = []
    sizes: list[int] = []
    seed = 0
    while len(ours) < n:
        s = Session.start(scenario, seed=seed)
        seed += 1
        sid = store.begin(scenario, s)
        while len(ours) < n and (item := policy(s, s.state.turn)) is not None:
            s.apply(item)
            t = time.perf_counter()
            store.record_turn(sid, s)
            ours.append(time.perf_counter() - t)
            row = rows.encode(s.state.turn, *rows.snapshot(s), rows.now())
            payload = "x" * sum(
                len(x or "")
                for x in (row.input, row.move, row.said, row.lines, row.record, row.state)
            )
            sizes.append(len(payload))
            t = time.perf_counter()
            bare.execute("BEGIN")
            bare.execute(
                "INSERT INTO t (session_id, idx, payload) VALUES (?, ?, ?)",
                (sid, s.state.turn, payload),
            )
            bare.execute("COMMIT")
            theirs.append(time.perf_counter() - t)
    store.close()
    bare.close()
    mo, mb = statistics.median(ours), statistics.median(theirs)
    print(f"  record_turn (committed)   {ms(ours)}")
    print(
        f"  bare insert + commit      {ms(theirs)}   same-size rows "
        f"(median {statistics.median(sizes):.0f} B)"
    )
    print(f"  ratio {mo / mb:.2f}x   (target <= 3x)")


def main() -> None:
    ap = argparse.ArgumentParser()
    ap.add_argument("--sessions", type=int, default=10_000)
    ap.add_argument("--turns", type=int, default=30)
    ap.add_argument("--dir", help="where to build the databases (default: a temp folder)")
    ap.add_argument("--records", type=int, default=300)
    args = ap.parse_args()
    folder = Path(args.dir or tempfile.mkdtemp(prefix="negtrainer-bench-"))
    folder.mkdir(parents=True, exist_ok=True)
    scenario = load_scenario(SAMPLE)
    t_all = time.perf_counter()
    try:
        print(f"database in {folder}")
        db = folder / "bench.db"
        store = Store.open(db, backup_every_hours=None)
        ids = build(store, scenario, args.sessions, args.turns)
        store.close()

        store = Store.open(db, backup_every_hours=None)
        print("\nlisting the newest 50 sessions")
        print(f"  all                       {ms(timed(lambda: store.list_sessions(), 30))}")
        print(
            "  one learner's             "
            f"{ms(timed(lambda: store.list_sessions(learner='Learner 07'), 30))}"
        )
        print(
            "  unfinished                "
            f"{ms(timed(lambda: store.list_sessions(status='unfinished'), 30))}"
        )
        print(
            f"  page 100 (offset 5,000)   {ms(timed(lambda: store.list_sessions(offset=5000), 30))}"
        )

        print("\nopening one session for replay (target <= 50 ms)")
        picks = random.Random(2).sample(ids, 30)
        it = iter(picks)

        def open_cold() -> None:
            store._scenarios.clear()
            stored = store.load(next(it))
            stored.session_at(len(stored.turns) - 1)

        print(f"  load + Session, cold      {ms(timed(open_cold, 30))}")
        sid = picks[0]

        def open_warm() -> None:
            stored = store.load(sid)
            stored.session_at(len(stored.turns) - 1)

        print(f"  load + Session, warm      {ms(timed(open_warm, 30))}")
        mid = args.turns // 2  # a turn every session has, whatever --turns says
        print(f"  session_at(id, {mid}) only   {ms(timed(lambda: store.session_at(sid, mid), 30))}")
        store.close()

        print("\nsize")
        with sqlite3.connect(db) as conn:
            conn.execute("PRAGMA wal_checkpoint(TRUNCATE)")
            cols = conn.execute(
                "SELECT avg(length(coalesce(input,'')) + length(coalesce(move,'')) + "
                "length(coalesce(said,'')) + length(lines) + length(coalesce(record,'')) + "
                "length(state)), count(*) FROM turns"
            ).fetchone()
        size = db.stat().st_size
        print(
            f"  file {size / 2**20:.0f} MiB for {cols[1]:,} turns: "
            f"{size / cols[1]:.0f} bytes per turn on disk, {cols[0]:.0f} bytes of columns"
        )
        db.unlink()

        print(f"\nrecording a turn ({args.records} turns, WAL, default synchronous)")
        record_vs_bare(folder, scenario, args.records)
    finally:
        if not args.dir:
            shutil.rmtree(folder, ignore_errors=True)
    print(f"\ntotal {time.perf_counter() - t_all:.0f} s")


if __name__ == "__main__":
    os.environ.pop("NEGTRAINER_DB", None)
    main()
