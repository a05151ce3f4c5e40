"""A scripted learner for the store's tests; also run as a separate process.

    python tests/store/storeplay.py crash DB SEED        # plays, printing "turn N"
    python tests/store/storeplay.py write DB SEED COUNT  # after "go" on stdin

Each "turn N" line is printed only after turn N has been committed.
"""

from __future__ import annotations

import json
import sys
import time
from pathlib import Path
from typing import Any

ROOT = Path(__file__).resolve().parents[2]
SAMPLE = ROOT / "tests" / "fixtures" / "v1" / "packaging-renewal.yaml"
if str(ROOT) not in sys.path:
    sys.path.insert(0, str(ROOT))

from negtrainer.engine.loader import load_scenario
from negtrainer.engine.session import Session


def next_input(session: Session, k: int) -> dict[str, Any] | None:
    """The k-th input of a fixed policy that mixes choices, offers and acceptances."""
    if session.ended:
        return None
    k += session.state.seed
    if session.counter_offer is not None and k % 3 == 2:
        return {"accept": "counter"}
    if session.can_offer and k % 5 == 4:
        terms = {}
        for issue in session.issues:
            ok = [o.label for o in issue.options if o.available]
            terms[issue.id] = ok[k % len(ok)]
        return {"offer": terms}
    available = [c for c in session.choices if c.available]
    if not available:
        return {"accept": "counter"} if session.counter_offer is not None else None
    return {"choice": available[(k * 7) % len(available)].id}


def play(driver: Any, session: Session, turns: int | None = None) -> int:
    """Play the policy through ``driver`` (a Session or a Recorder); return turns played."""
    done = 0
    while turns is None or done < turns:
        item = next_input(session, session.state.turn)
        if item is None:
            break
        driver.apply(item)
        done += 1
    return done


def as_json(value):
    """What a value reads back as from JSON: how stored and live states compare."""
    return json.loads(json.dumps(value))


def record_game(store, scenario, seed, learner="Ana", turns=None):
    """Play the scripted session through a Recorder; return (session id, live Session)."""
    from negtrainer.store import Recorder

    session = Session.start(scenario, seed=seed)
    rec = Recorder.start(store, scenario, session, learner)
    play(rec, session, turns)
    assert rec.pending == [] and rec.error is None
    return rec.session_id, session


def record_states(store, scenario, seed):
    """Record the scripted session; return (session id, the live state after every turn as
    JSON reads it back)."""
    from negtrainer.store import Recorder

    session = Session.start(scenario, seed=seed)
    rec = Recorder.start(store, scenario, session)
    live = [as_json(session.to_json())]
    while (item := next_input(session, session.state.turn)) is not None:
        rec.apply(item)
        live.append(as_json(session.to_json()))
    return rec.session_id, live


def length(scenario: Any, seed: int) -> int:
    s = Session.start(scenario, seed=seed)
    return play(s, s)


def long_seed(scenario: Any, minimum: int = 8) -> int:
    """A seed whose session lasts at least ``minimum`` turns under the policy."""
    for seed in range(200):
        if length(scenario, seed) >= minimum:
            return seed
    raise AssertionError("no seed gives a session that long")


def _crash(db: str, seed: int) -> None:
    from negtrainer.store import Recorder, Store

    scenario = load_scenario(SAMPLE)
    store = Store.open(db, backup_every_hours=None)
    session = Session.start(scenario, seed=seed)
    rec = Recorder.start(store, scenario, session, "Crash test")
    print(f"session {rec.session_id}", flush=True)
    while True:
        item = next_input(session, session.state.turn)
        if item is None:
            break
        rec.apply(item)
        if rec.pending:
            print(f"unsaved {rec.error}", flush=True)
        print(f"turn {session.state.turn}", flush=True)
        time.sleep(0.02)  # a fast learner; leaves the test time to kill us mid-session
    print("ended", flush=True)
    time.sleep(60)  # the test kills us before this ends


def _write(db: str, seed: int, count: int) -> None:
    from negtrainer.store import Recorder, Store

    scenario = load_scenario(SAMPLE)
    print("ready", flush=True)
    sys.stdin.readline()
    store = Store.open(db, backup_every_hours=None)
    failures = []
    for n in range(count):
        session = Session.start(scenario, seed=seed + n)
        rec = Recorder.start(store, scenario, session, f"Writer {seed}", on_error=failures.append)
        play(rec, session)
        if rec.pending:
            failures.append(rec.error)
    store.close()
    if failures:
        print(f"failed {failures[0]}", flush=True)
        sys.exit(1)
    print(f"done {count}", flush=True)


if __name__ == "__main__":
    mode = sys.argv[1]
    if mode == "crash":
        _crash(sys.argv[2], int(sys.argv[3]))
    elif mode == "write":
        _write(sys.argv[2], int(sys.argv[3]), int(sys.argv[4]))
    else:
        sys.exit(f"unknown mode {mode}")
