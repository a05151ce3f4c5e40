"""Collecting many files writes them in one transaction, each file a savepoint of its own:
a file refused or failing to write is undone alone, the others are kept; nothing is taken
twice; a database that cannot keep them refuses every file not kept, with the reason."""

import json
import sqlite3
from pathlib import Path

import pytest
from roomplay import BAD, GOOD, facilitator_room, results_file

from negtrainer.store import Store, exchange
from negtrainer.workshop import files


@pytest.fixture
def room(tmp_path):
    yield from facilitator_room(tmp_path)


@pytest.fixture
def laptops(room, tmp_path):
    """Three laptops' results files and a damaged copy of the second's."""
    _, _, wfile = room
    first, _ = results_file(tmp_path, wfile, "lap1", (("Ana", GOOD),))
    second, _ = results_file(tmp_path, wfile, "lap2", (("Ben", BAD),))
    third, _ = results_file(tmp_path, wfile, "lap3", (("Cy", GOOD[:4]),))
    damaged = tmp_path / "lap2-damaged.json"
    doc = json.loads(second.read_text())
    doc["sessions"][0]["inputs"][1] = {"choice": "promise_the_moon"}
    damaged.write_text(json.dumps(doc))
    return first, second, third, damaged


def _contents(store):
    """What collecting writes, as rows (the file marks without their time)."""
    c = store.conn
    return (
        c.execute("SELECT id, status, scores, lazy_turns FROM sessions ORDER BY id").fetchall(),
        c.execute("SELECT * FROM workshop_sessions ORDER BY session_id").fetchall(),
        c.execute("SELECT sha256, name, sessions FROM workshop_files ORDER BY sha256").fetchall(),
        c.execute("SELECT name FROM learners ORDER BY name").fetchall(),
    )


def _full_disk_at_bens_file(monkeypatch):
    """Writing Ben's file fails as SQLite does after some failures on a full disk: the
    whole transaction undone. Returns the real write, to put back."""
    real = exchange.write_checked

    def full_disk(store, c, ready, report):
        if any(item.meta["learner"] == "Ben" for item in ready):
            c.execute("ROLLBACK")
            raise sqlite3.OperationalError("database or disk is full")
        real(store, c, ready, report)

    monkeypatch.setattr(exchange, "write_checked", full_disk)
    return real


def _learners_of(path):
    return {s["learner"] for s in json.loads(path.read_text())["sessions"]}


@pytest.mark.parametrize("workers", [1, 2])
def test_a_damaged_file_in_a_batch_is_refused_and_the_files_around_it_are_kept(
    room, laptops, workers
):
    fac, w, _ = room
    first, _, third, damaged = laptops
    found = files.collect(fac, w, [first, damaged, third], workers=workers)
    assert [c.status for c in found] == ["taken", "refused", "taken"]
    assert "turn 2 is not something the learner could do there" in found[1].why
    kept = {info.learner for info in fac.list_sessions()}
    assert kept == _learners_of(first) | _learners_of(third) == {"Ana", "Cy"}
    before = _contents(fac)

    again = files.collect(fac, w, [first, damaged, third], workers=workers)
    assert [c.status for c in again] == ["already", "refused", "already"]
    assert _contents(fac) == before


def test_a_file_that_fails_while_written_leaves_nothing_and_the_others_are_kept(
    room, laptops, monkeypatch
):
    fac, w, _ = room
    first, second, third, _ = laptops
    real = exchange.write_checked

    def half_then_fail(store, c, ready, report):
        real(store, c, ready, report)  # its sessions are in, then the write fails
        if any(item.meta["learner"] == "Ben" for item in ready):
            raise sqlite3.OperationalError("disk I/O error")

    monkeypatch.setattr(exchange, "write_checked", half_then_fail)
    found = files.collect(fac, w, [first, second, third], workers=1)
    assert [c.status for c in found] == ["taken", "refused", "taken"]
    assert "disk" in found[1].why
    assert {info.learner for info in fac.list_sessions()} == {"Ana", "Cy"}
    assert len(fac.conn.execute("SELECT * FROM workshop_files").fetchall()) == 2
    assert len(fac.conn.execute("SELECT * FROM workshop_sessions").fetchall()) == 2

    monkeypatch.setattr(exchange, "write_checked", real)
    again = files.collect(fac, w, [first, second, third], workers=1)
    assert [c.status for c in again] == ["already", "taken", "already"]
    assert {info.learner for info in fac.list_sessions()} == {"Ana", "Ben", "Cy"}


def test_when_the_batch_is_undone_whole_every_file_not_kept_is_refused_and_can_be_collected_again(
    room, laptops, monkeypatch
):
    """As SQLite does after some failures on a full disk: the whole transaction rolled
    back, files written before in it gone too."""
    fac, w, _ = room
    first, second, third, _ = laptops
    real = _full_disk_at_bens_file(monkeypatch)
    found = files.collect(fac, w, [first, second, third], workers=1)
    assert [c.status for c in found] == ["refused"] * 3
    for c in found:
        assert "full" in c.why and "Nothing of this file was kept" in c.why
    assert fac.list_sessions() == []
    assert fac.conn.execute("SELECT count(*) FROM workshop_files").fetchone()[0] == 0

    monkeypatch.setattr(exchange, "write_checked", real)
    again = files.collect(fac, w, [first, second, third], workers=1)
    assert [c.status for c in again] == ["taken"] * 3


def test_on_a_full_disk_what_is_not_kept_is_refused_and_collecting_again_takes_it(
    room, laptops, tmp_path
):
    fac, w, _ = room
    first, second, third, _ = laptops
    pages = fac.conn.execute("PRAGMA page_count").fetchone()[0]
    fac.conn.execute(f"PRAGMA max_page_count = {pages}")  # the disk is full
    found = files.collect(fac, w, [first, second, third], workers=1)
    taken = {c.name for c in found if c.status == "taken"}
    assert len(taken) < 3
    for c in found:
        assert c.status == "taken" or ("full" in c.why and "Nothing of this file" in c.why)
    fac.close()
    with Store.open(tmp_path / "fac.db", backup_every_hours=None) as fac:  # space again
        names = {r[0] for r in fac.conn.execute("SELECT name FROM workshop_files")}
        assert names == taken
        again = files.collect(fac, w, [first, second, third], workers=1)
        assert [c.status == "already" for c in again] == [p.name in taken for p in found]
        assert {info.learner for info in fac.list_sessions()} == {"Ana", "Ben", "Cy"}


def test_a_read_only_database_refuses_every_file_with_the_reason(room, laptops, tmp_path):
    fac, w, _ = room
    first, _, third, _ = laptops
    files.collect(fac, w, [first], workers=1)
    fac.close()
    with Store.open_readonly(tmp_path / "fac.db") as ro:
        before = _contents(ro)
        found = files.collect(ro, w, [first, third], workers=1)
        assert found[0].status == "already"
        assert found[1].status == "refused" and "read-only" in found[1].why
        assert _contents(ro) == before


def test_a_file_given_twice_in_a_batch_that_is_undone_is_not_said_to_be_collected(
    room, laptops, monkeypatch
):
    fac, w, _ = room
    first, second, _, _ = laptops
    _full_disk_at_bens_file(monkeypatch)
    found = files.collect(fac, w, [first, first, second], workers=1)
    assert [c.status for c in found] == ["refused"] * 3
    assert fac.list_sessions() == []


def test_a_quick_room_is_collected_here_without_starting_workers(room, laptops, monkeypatch):
    from negtrainer.workshop import pool

    fac, w, _ = room
    first, _, third, damaged = laptops
    monkeypatch.setattr(pool, "workers_for", lambda n: 2)  # two idle cores

    def no_workers(*args, **kwargs):
        raise AssertionError("workers started for a room this quick")

    monkeypatch.setattr(pool, "collect", no_workers)
    found = files.collect(fac, w, [first, damaged, third])
    assert [c.status for c in found] == ["taken", "refused", "taken"]


def test_a_slow_room_hands_the_files_after_the_first_to_workers_in_order(
    room, laptops, monkeypatch
):
    from negtrainer.workshop import pool

    fac, w, _ = room
    first, second, third, _damaged = laptops
    monkeypatch.setattr(pool, "workers_for", lambda n: 2)
    monkeypatch.setattr(files, "PROBE_FILES", 1)
    monkeypatch.setattr(files, "WORKERS_WORTH_SECONDS", 0.0)  # any rest is slow
    handed = []

    def workers(store, w, paths, known, replays, n, wrote):  # as pool.collect, here
        handed.extend(paths)
        for i, p in enumerate(paths):
            wrote(i, files.collect_one(store, w, p, known, replays))

    monkeypatch.setattr(pool, "collect", workers)
    found = files.collect(fac, w, [first, second, third])
    assert handed == [second, third]
    assert [c.name for c in found] == [first.name, second.name, third.name]
    assert [c.status for c in found] == ["taken"] * 3


def test_the_rest_goes_to_workers_only_when_it_would_take_long_here():
    assert files.rest_is_quick(10, 0.2, 100)  # 90 files at 20 ms: 1.8 s
    assert not files.rest_is_quick(10, 1.0, 100)  # 90 files at 100 ms: 9 s
    assert files.rest_is_quick(5, 9.0, 5)  # nothing left


def test_the_pace_leaves_out_the_first_file_which_pays_for_what_is_done_once(monkeypatch):
    clock = [0.0]
    costs = iter([2.0] + [0.02] * 9)  # the first file loads the scenario and its paths

    def collect_one(store, w, path, known, replays):
        clock[0] += next(costs)
        return files.Collected(path.name, "taken")

    monkeypatch.setattr(files.time, "monotonic", lambda: clock[0])
    monkeypatch.setattr(files, "PROBE_SECONDS", 60.0)
    monkeypatch.setattr(files, "collect_one", collect_one)
    done, took = files._probe(
        None, None, [Path(f"{k}.json") for k in range(10)], {}, None, lambda i, c: None
    )
    assert done == 10 and abs(took - 0.2) < 1e-9  # ten files at the pace of the nine after
    assert files.rest_is_quick(done, took, 100)  # so 90 more are done here, not by workers
