"""Make ``fixtures/negtrainer-v1.db``: a database exactly as schema version 1 left it.

    python tests/store/make_v1_fixture.py

Applies only the first migration, then writes three sessions (one finished,
one unfinished, one branch) in the v1 row format, with fixed timestamps. The
result is checked in; test_store_migrations.py upgrades a copy of it. Rerun
this only if the fixture is lost: a regenerated file is only a faithful v1
database if the first migration and the row format have not changed since.
"""

from __future__ import annotations

import os
import sqlite3
import sys
from pathlib import Path

HERE = Path(__file__).resolve().parent
sys.path.insert(0, str(HERE))

from sqlite_utils import Database
from storeplay import SAMPLE, next_input

from negtrainer.engine.loader import load_scenario
from negtrainer.engine.session import Session
from negtrainer.store import rows
from negtrainer.store.schema import migrations

FIXTURE = HERE / "fixtures" / "negtrainer-v1.db"
IDS = [
    "0a1b2c3d-0000-4000-8000-000000000001",
    "0a1b2c3d-0000-4000-8000-000000000002",
    "0a1b2c3d-0000-4000-8000-000000000003",
]


def stamp(n: int) -> str:
    return f"2024-03-01T10:{n // 60:02d}:{n % 60:02d}.000000+00:00"


def played(scenario, seed: int, turns: int | None):
    s = Session.start(scenario, seed=seed)
    out = [rows.snapshot(s)]
    while (turns is None or s.state.turn < turns) and (
        item := next_input(s, s.state.turn)
    ) is not None:
        s.apply(item)
        out.append(rows.snapshot(s))
    return s, [rows.normal(x) for x in out]


def main() -> None:
    scenario = load_scenario(SAMPLE)
    tmp = FIXTURE.with_suffix(".tmp")
    tmp.unlink(missing_ok=True)
    conn = sqlite3.connect(tmp)
    db = Database(conn, execute_plugins=False)
    migrations.apply(db, stop_before="m002_notes")
    c = conn
    c.execute(
        "INSERT INTO learners (id, name, created_at) VALUES (1, 'Ana', ?), (2, 'Bo', ?)",
        (stamp(0), stamp(0)),
    )
    c.execute(
        "INSERT INTO scenarios VALUES (?, ?, ?, ?, ?, ?)",
        (
            scenario.content_hash,
            scenario.id,
            scenario.spec.version,
            scenario.spec.title,
            rows.dumps(scenario.canonical),
            stamp(0),
        ),
    )
    clock = 10

    def session_row(sid, learner, session, turns, parent=None, parent_turn=None):
        nonlocal clock
        start = stamp(clock)
        ending = session.ending
        clock += len(turns)
        end = stamp(clock) if ending else None
        c.execute(
            "INSERT INTO sessions (id, learner_id, scenario_id, scenario_version, content_hash, "
            "seed, variant, status, started_at, updated_at, ended_at, ending_id, ending_kind, "
            "scores, parent_id, parent_turn) VALUES (?,?,?,?,?,?,?,?,?,?,?,?,?,?,?,?)",
            (
                sid,
                learner,
                scenario.id,
                scenario.spec.version,
                scenario.content_hash,
                session.state.seed,
                session.state.variant,
                "finished" if ending else "unfinished",
                start,
                stamp(clock),
                end,
                ending.id if ending else None,
                ending.kind if ending else None,
                None,
                parent,
                parent_turn,
            ),
        )
        for i, (state, record) in enumerate(turns):
            row = rows.encode(
                i,
                state,
                record,
                stamp(clock - len(turns) + i),
                parent_turn is not None and i <= parent_turn,
            )
            c.execute(rows.INSERT_TURN, row.values(sid))

    finished, turns_a = played(scenario, 4, None)
    session_row(IDS[0], 1, finished, turns_a)
    unfinished, turns_b = played(scenario, 9, 3)
    session_row(IDS[1], 2, unfinished, turns_b)
    branch = Session.replay(scenario, 4, finished.state.variant, finished.inputs[:2])
    other = next(
        ch for ch in branch.choices if ch.available and ch.id != finished.inputs[2].get("choice")
    )
    branch.choose(other.id)
    _, turns_c = played(scenario, 4, 2)
    turns_c.append(rows.normal(rows.snapshot(branch)))
    session_row(IDS[2], 1, branch, turns_c, IDS[0], 2)
    conn.commit()
    conn.execute("VACUUM")
    conn.close()
    os.replace(tmp, FIXTURE)
    print(f"wrote {FIXTURE} ({FIXTURE.stat().st_size} bytes)")


if __name__ == "__main__":
    main()
