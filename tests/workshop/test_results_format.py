"""Results files: version 2 carries what was done (inputs), the engine derives the rest;
version 1 files (every turn's state) are still collected."""

import json

import pytest
from roomplay import BAD, GOOD, laptop, play, workshop_with_exercise

from negtrainer.store import Store, exchange
from negtrainer.workshop import files


@pytest.fixture
def room(tmp_path):
    fac = Store.open(tmp_path / "fac.db", backup_every_hours=None)
    w = workshop_with_exercise(fac)
    wfile = files.export_workshop(fac, w, tmp_path / "w.json")
    lap, lw = laptop(tmp_path, "laptop", wfile)
    ids = [play(lap, lw, "e1", "Ana", GOOD), play(lap, lw, "e1", "Ben", BAD)]
    yield fac, w, lap, lw, ids
    lap.close()
    fac.close()


def _write(tmp_path, name, doc):
    path = tmp_path / name
    path.write_text(json.dumps(doc))
    return path


def test_a_version_2_file_holds_inputs_and_no_states(room):
    _fac, _w, lap, lw, _ids = room
    doc = files.results_doc(lap, lw)
    assert doc["version"] == 2
    s = doc["sessions"][0]
    assert s["inputs"] and len(s["times"]) == len(s["inputs"]) + 1
    assert "turns" not in s and "scores" not in s and "ending_id" not in s


def test_both_versions_collect_to_the_very_sessions_the_laptop_recorded(room, tmp_path):
    _fac, _w, lap, lw, ids = room
    for version in (1, 2):
        db = Store.open(tmp_path / f"fac{version}.db", backup_every_hours=None)
        with db:
            db_w = workshop_with_exercise(db)
            doc = files.results_doc(lap, lw, version=version)
            doc["workshop"]["id"] = db_w.id
            found = files.collect(db, db_w, [_write(tmp_path, f"v{version}.json", doc)])
            assert found[0].status == "taken", found[0].line()
            for sid in ids:
                mine, theirs = lap.load(sid), db.load(sid)
                assert [t.state for t in theirs.turns] == [t.state for t in mine.turns]
                assert [t.record for t in theirs.turns] == [t.record for t in mine.turns]
                assert [t.at for t in theirs.turns] == [t.at for t in mine.turns]
                assert (theirs.info.ending_id, theirs.info.status) == (
                    mine.info.ending_id,
                    mine.info.status,
                )
                assert theirs.info.scores["quality"] == mine.info.scores["quality"]
            assert db.verify(ids[0]) == []


def test_the_same_sessions_in_either_version_are_collected_once(room, tmp_path):
    fac, w, lap, lw, _ids = room
    old = _write(tmp_path, "v1.json", files.results_doc(lap, lw, version=1))
    new = _write(tmp_path, "v2.json", files.results_doc(lap, lw))
    first, second = files.collect(fac, w, [old, new])
    assert len(first.added) == 2
    assert second.status == "taken" and second.added == [] and len(second.skipped) == 2
    assert fac.count_sessions() == 2


@pytest.mark.parametrize(
    "edit, why",
    [
        (
            lambda s: s["inputs"].__setitem__(0, {"choice": "promise_the_moon"}),
            "turn 1 is not something the learner could do there",
        ),
        (lambda s: s["times"].pop(), "turns; it needs one more time than turns (one for the start"),
        (
            lambda s: s.update(status="unfinished", ended_at=None),
            "it reached an ending but is marked unfinished",
        ),
        (
            lambda s: s.update(variant="grumpy"),
            "played against variant 'grumpy', but exercise e1 gives everyone variant 'warm'",
        ),
        (
            lambda s: (
                s["inputs"].append({"choice": "small_talk_drive"}),
                s["times"].append(s["times"][-1]),
            ),
            "comes after the session's ending",
        ),
        (lambda s: s.update(scores={"quality": 100}), "Extra inputs are not permitted"),
        (
            lambda s: s["times"].__setitem__(2, "2026-02-30T10:00:00.000000+00:00"),
            "time 3: not a date and time",
        ),
        (
            lambda s: s["times"].__setitem__(1, "2999-01-01T10:00:00.000000+00:00"),
            "time 2: a date in the future (2999-01-01)",
        ),
        (
            lambda s: s["times"].__setitem__(1, "2026-01-01T10:00:00"),
            "time 2: a date and time needs its time zone",
        ),
    ],
)
def test_an_edited_version_2_session_refuses_the_whole_file(room, tmp_path, edit, why):
    fac, w, lap, lw, _ids = room
    doc = files.results_doc(lap, lw)
    edit(doc["sessions"][1])
    found = files.collect(fac, w, [_write(tmp_path, "edited.json", doc)])[0]
    assert found.status == "refused" and why in found.why, found.why
    assert fac.count_sessions() == 0


def test_a_damaged_version_1_file_is_still_refused(room, tmp_path):
    fac, w, lap, lw, _ids = room
    doc = files.results_doc(lap, lw, version=1)
    doc["sessions"]["sessions"][-1]["turns"][-1]["state"]["vars"]["trust"] = 99.0
    found = files.collect(fac, w, [_write(tmp_path, "v1.json", doc)])[0]
    assert found.status == "refused" and "edited or damaged" in found.why
    assert fac.count_sessions() == 0


def test_a_results_file_from_a_newer_negtrainer_asks_for_an_update(room, tmp_path):
    fac, w, lap, lw, _ids = room
    doc = files.results_doc(lap, lw)
    doc["version"] = 3
    found = files.collect(fac, w, [_write(tmp_path, "v3.json", doc)])[0]
    assert found.status == "refused" and "Update negtrainer" in found.why
    assert exchange.VERSION == 1  # sessions files (sessions import) keep their format


def test_a_turn_time_in_another_time_zone_is_kept_as_utc(room, tmp_path):
    fac, w, lap, lw, _ids = room
    doc = files.results_doc(lap, lw)
    s = doc["sessions"][0]
    s["times"][1] = "2026-01-01T12:00:00+02:00"
    found = files.collect(fac, w, [_write(tmp_path, "zoned.json", doc)])[0]
    assert found.status == "taken", found.why
    stored = fac.load(s["id"])
    assert stored.turns[1].at == "2026-01-01T10:00:00.000000+00:00"
