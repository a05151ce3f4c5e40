"""Real processes on a real file: a killed player, and two writers at once."""

import os
import signal
import subprocess
import sys
from pathlib import Path

import pytest
from storeplay import as_json, play

from negtrainer.engine.session import Session
from negtrainer.store import Recorder, Store

PLAYER = Path(__file__).with_name("storeplay.py")
pytestmark = pytest.mark.skipif(not hasattr(signal, "SIGKILL"), reason="needs SIGKILL")


def _spawn(*args, stdin=None):
    return subprocess.Popen(
        [sys.executable, str(PLAYER), *map(str, args)],
        stdin=stdin,
        stdout=subprocess.PIPE,
        stderr=subprocess.PIPE,
        text=True,
    )


def _read_until(proc, prefix):
    seen = []
    for line in proc.stdout:
        seen.append(line.strip())
        if line.startswith(prefix):
            return seen
    proc.wait(10)
    raise AssertionError(f"player stopped before {prefix!r}: {seen} {proc.stderr.read()}")


def test_a_player_killed_mid_session_loses_at_most_the_turn_in_flight(db_path, scenario, seed):
    db_path.parent.mkdir(parents=True)
    proc = _spawn("crash", db_path, seed)
    try:
        seen = _read_until(proc, "turn 4")
        os.kill(proc.pid, signal.SIGKILL)
        proc.wait(10)
    finally:
        if proc.poll() is None:
            proc.kill()
        proc.stdout.close()
        proc.stderr.close()
    sid = seen[0].split()[1]
    assert not [line for line in seen if line.startswith("unsaved")]

    with Store.open(db_path, backup_every_hours=None) as store:
        info = store.get(sid)
        # Turn 4 was reported committed; the player may have committed one more
        # (or more) between the report and the kill, never a torn turn.
        assert info.turn_count >= 4
        assert [i.id for i in store.list_sessions(status="unfinished")] == [sid]
        assert store.verify(sid) == []
        assert store.check() == []
        stopped = info.turn_count
        restored = store.resume(sid)
        replayed = store.session_at(sid, replay=True)
        assert as_json(restored.to_json()) == as_json(replayed.to_json())
        assert restored.state.turn == stopped

        rec = Recorder.resume(store, sid)
        play(rec, rec.session)
        whole = Session.start(scenario, seed=seed)
        play(whole, whole)
        assert as_json(store.state_at(sid)) == as_json(whole.to_json())
        assert store.get(sid).status == "finished"


def test_two_programs_writing_to_one_database_at_once_lose_nothing(db_path):
    db_path.parent.mkdir(parents=True)
    count = 12
    writers = [_spawn("write", db_path, seed, count, stdin=subprocess.PIPE) for seed in (100, 500)]
    try:
        for w in writers:
            _read_until(w, "ready")
        for w in writers:  # both open the fresh database and write at the same moment
            w.stdin.write("go\n")
            w.stdin.flush()
        results = [w.communicate(timeout=120) for w in writers]
    finally:
        for w in writers:
            if w.poll() is None:
                w.kill()
    for w, (out, err) in zip(writers, results):
        assert w.returncode == 0, out + err
        assert f"done {count}" in out

    with Store.open(db_path, backup_every_hours=None) as store:
        sessions = store.list_sessions(limit=1000)
        assert len(sessions) == 2 * count
        assert {i.learner for i in sessions} == {"Writer 100", "Writer 500"}
        for info in sessions:
            assert info.status == "finished"
            assert store.verify(info.id) == []
        assert store.check() == []
