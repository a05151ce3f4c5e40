"""Collecting many files checks them in worker processes and writes them here: the same
outcome, file by file, as collecting them one after another in this process."""

import json

import pytest
from roomplay import BAD, GOOD, facilitator_room, results_file

from negtrainer.store import Store
from negtrainer.workshop import files, lean, pool


@pytest.fixture
def room(tmp_path):
    yield from facilitator_room(tmp_path)


def _mixed_files(tmp_path, fac, w, wfile):
    good, anon = results_file(
        tmp_path, wfile, "lap1", (("Ana", GOOD), ("Ben", BAD)), anonymised_too=True
    )
    other, _ = results_file(tmp_path, wfile, "lap2", (("Cy", GOOD[:4]),))
    damaged = tmp_path / "damaged.json"
    doc = json.loads(good.read_text())
    doc["sessions"][1]["inputs"][0] = {"choice": "promise_the_moon"}
    damaged.write_text(json.dumps(doc))
    missing = tmp_path / "not-there.json"
    return [good, damaged, anon, wfile, other, good, missing]


def _outcome(found):
    return [
        (c.name, c.status, sorted(c.added), sorted(c.skipped), c.differ)
        + ((c.why,) if c.status != "already" else ())
        for c in found
    ]


def test_files_checked_in_workers_are_taken_and_refused_as_in_one_process(room, tmp_path):
    fac, w, wfile = room
    paths = _mixed_files(tmp_path, fac, w, wfile)
    here = files.collect(fac, w, paths, workers=1)
    other = Store.open(tmp_path / "fac2.db", backup_every_hours=None)
    with other:
        w2 = files.join(other, wfile)
        replays = lean.Replays()
        there = files.collect(other, w2, paths, replays, workers=2)
        assert _outcome(there) == _outcome(here)
        assert [c.status for c in there] == [
            "taken",
            "refused",
            "taken",
            "refused",
            "taken",
            "already",
            "refused",
        ]
        assert "turn 1 is not something the learner could do there" in there[1].why
        assert replays.sessions >= 7 and replays.played_sessions >= 2  # counted in the workers
        for info in fac.list_sessions():
            mine, theirs = fac.load(info.id), other.load(info.id)
            assert [t.state for t in theirs.turns] == [t.state for t in mine.turns]
            assert other.get(info.id).scores == info.scores
        assert other.count_sessions() == fac.count_sessions() == 3


def test_a_few_files_are_checked_in_this_process():
    assert pool.workers_for(pool.MIN_FILES - 1) == 1
    assert pool.workers_for(100) >= 1
