"""Sessions files from a hostile probe: rescue files, scores, nesting, overwrites (issue 12)."""

import copy
import errno
import io
import json
import sqlite3

import pytest
from storeplay import as_json, play, record_game

from negtrainer.engine.session import Session
from negtrainer.store import ImportFileError, Recorder, Store, StoreError
from negtrainer.store import commands as sc
from negtrainer.store.errors import from_sqlite


def exported(store, tmp_path, ids=(), name="x.json"):
    path = tmp_path / name
    store.export(list(ids), path)
    return json.loads(path.read_text())


def write(tmp_path, doc, name="in.json"):
    path = tmp_path / name
    path.write_text(json.dumps(doc))
    return path


# -- 2: a rescue file from a full disk completes the stored session ----------------------------
def test_a_rescue_file_adds_the_turns_the_database_lacked(file_store, scenario, seed, tmp_path):
    session = Session.start(scenario, seed=seed)
    rec = Recorder.start(file_store, scenario, session, "Ana", on_error=lambda e: None)
    play(rec, session, 3)
    pages = file_store.conn.execute("PRAGMA page_count").fetchone()[0]
    file_store.conn.execute(f"PRAGMA max_page_count = {pages}")  # the disk is full
    play(rec, session)
    stored = file_store.get(rec.session_id).turn_count
    assert rec.pending and stored < session.state.turn
    rescue = rec.export_unsaved(tmp_path / "negtrainer-unsaved.json")
    file_store.conn.execute("PRAGMA max_page_count = 1000000")  # space again, program restarted
    report = file_store.import_file(rescue)
    assert report.extended == [rec.session_id] and report.skipped == []
    assert "completed 1" in report.summary()
    info = file_store.get(rec.session_id)
    assert info.turn_count == session.state.turn and info.status == "finished"
    assert as_json(file_store.state_at(rec.session_id)) == as_json(session.to_json())
    assert file_store.verify(rec.session_id) == []
    again = file_store.import_file(rescue)
    assert again.skipped == [rec.session_id] and again.extended == []


def test_a_file_that_contradicts_a_stored_session_changes_nothing(store, scenario, seed, tmp_path):
    sid, _ = record_game(store, scenario, seed, turns=4)
    other = Store.memory()
    # The same id, played differently elsewhere (another seed gives other turns).
    s2 = Session.start(scenario, seed=seed + 11)
    play(s2, s2, 6)
    other.begin(scenario, s2, "Ana", session_id=sid)
    doc = exported(other, tmp_path)
    before = as_json(store.state_at(sid))
    report = store.import_file(write(tmp_path, doc))
    assert report.differ == [sid] and report.added == [] and report.extended == []
    assert as_json(store.state_at(sid)) == before


# -- 7, 9, 11: scores in a file are never trusted ----------------------------------------------
@pytest.mark.parametrize(
    "scores", [{"metrics": 5}, {"end_trust": 100}, {"a": json.loads("[" * 30 + "1" + "]" * 30)}]
)
def test_scores_in_a_file_are_replaced_by_the_replayed_sessions_own(
    store, scenario, seed, tmp_path, scores
):
    sid, _ = record_game(store, scenario, seed, turns=3)  # unfinished: no scores
    doc = exported(store, tmp_path, [sid])
    doc["sessions"][0]["scores"] = scores
    fresh = Store.memory()
    fresh.import_file(write(tmp_path, doc))
    assert fresh.get(sid).scores is None
    out = io.StringIO()
    assert sc.cmd_sessions_list(fresh, None, None, True, out) == sc.OK
    assert json.loads(out.getvalue())["total"] == 1


def test_a_finished_sessions_scores_are_recomputed_not_copied(store, scenario, seed, tmp_path):
    sid, session = record_game(store, scenario, seed)
    assert session.ended
    doc = exported(store, tmp_path, [sid])
    real = doc["sessions"][0]["scores"]
    doc["sessions"][0]["scores"] = {"metrics": 5}
    fresh = Store.memory()
    fresh.import_file(write(tmp_path, doc))
    assert fresh.get(sid).scores == real


def test_scores_already_stored_malformed_or_too_deep_do_not_break_listing(store, scenario, seed):
    sid, _ = record_game(store, scenario, seed, turns=2)
    for bad in ("[" * 900 + "]" * 900, "not json", "5"):
        store.conn.execute("UPDATE sessions SET scores = ? WHERE id = ?", (bad, sid))
        store.conn.commit()
        assert store.get(sid).scores is None
        out = io.StringIO()
        assert sc.cmd_sessions_list(store, None, None, True, out) == sc.OK


# -- 10, 11: nesting and snapshot size --------------------------------------------------------
def test_valid_but_deeply_nested_json_is_reported_as_too_deep_not_invalid(
    store, tmp_path, scenario, seed
):
    sid, _ = record_game(store, scenario, seed, turns=2)
    doc = exported(store, tmp_path, [sid])
    doc["sessions"][0]["turns"][0]["state"]["x"] = json.loads("[" * 200 + "]" * 200)
    with pytest.raises(ImportFileError, match="nested more than 40 levels") as e:
        Store.memory().import_file(write(tmp_path, doc))
    assert "not valid JSON" not in str(e.value)
    (tmp_path / "deep.json").write_text(
        '{"format": "negtrainer-sessions", "x": ' + "[" * 5000 + "]" * 5000 + "}"
    )
    with pytest.raises(ImportFileError, match="nested more than"):
        Store.memory().import_file(tmp_path / "deep.json")


def test_a_snapshot_with_a_huge_deal_space_is_refused_at_once(store, scenario, seed, tmp_path):
    from negtrainer.store.exchange import content_hash

    sid, _ = record_game(store, scenario, seed, turns=1)
    doc = exported(store, tmp_path, [sid])
    ((_old_hash, canonical),) = doc["scenarios"].items()
    big = copy.deepcopy(canonical)
    issue = next(iter(big["issues"].values()))
    for i in range(4):
        one = copy.deepcopy(issue)
        one.update(
            options=[f"o{k}" for k in range(12)],
            you=[0] * 12,
            them=[0] * 12,
            them_if_revealed={},
            requires={},
        )
        big["issues"][f"extra{i}"] = one
    h = content_hash(big)
    doc["scenarios"] = {h: big}
    doc["sessions"][0]["content_hash"] = h
    with pytest.raises(ImportFileError, match="possible deals; the limit is 20,000"):
        Store.memory().import_file(write(tmp_path, doc))


# -- clear messages ---------------------------------------------------------------------------
def test_one_id_twice_with_different_content_in_a_file_is_refused_by_name(
    store, scenario, seed, tmp_path
):
    sid, _ = record_game(store, scenario, seed, turns=3)
    doc = exported(store, tmp_path, [sid])
    twin = copy.deepcopy(doc["sessions"][0])
    twin["learner"] = "Someone else"
    doc["sessions"].append(twin)
    fresh = Store.memory()
    with pytest.raises(ImportFileError, match="twice .* with different content"):
        fresh.import_file(write(tmp_path, doc))
    assert fresh.count_sessions() == 0
    doc["sessions"][1] = copy.deepcopy(doc["sessions"][0])
    report = fresh.import_file(write(tmp_path, doc))
    assert report.added == [sid] and report.skipped == [] and report.repeated == 1
    assert "already in the database" not in report.summary()


def test_dates_far_in_the_future_are_refused(store, scenario, seed, tmp_path):
    sid, _ = record_game(store, scenario, seed, turns=1)
    for when in ("2999-01-01T00:00:00+00:00", "9999-12-31T23:59:59-05:00"):
        doc = exported(store, tmp_path, [sid])
        doc["sessions"][0]["started_at"] = when
        with pytest.raises(ImportFileError, match="future|out of range"):
            Store.memory().import_file(write(tmp_path, doc))


def test_a_megabyte_unknown_key_is_not_echoed_back(store, tmp_path):
    doc = {
        "format": "negtrainer-sessions",
        "version": 1,
        "scenarios": {},
        "sessions": [],
        "k" * 1_000_000: 1,
    }
    with pytest.raises(ImportFileError) as e:
        Store.memory().import_file(write(tmp_path, doc))
    assert len(str(e.value)) < 500


def test_a_full_disk_reported_by_sqlite_as_an_io_error_is_called_a_full_disk(monkeypatch, tmp_path):
    import shutil

    from negtrainer.store import errors

    err = sqlite3.OperationalError("disk I/O error")
    err.sqlite_errorname = "SQLITE_IOERR_WRITE"
    monkeypatch.setattr(shutil, "disk_usage", lambda p: shutil._ntuple_diskusage(10, 10, 0))
    assert "is full" in str(from_sqlite(err, "save this turn", tmp_path / "n.db"))
    monkeypatch.setattr(shutil, "disk_usage", lambda p: shutil._ntuple_diskusage(10**12, 1, 10**11))
    assert "is full" not in str(from_sqlite(err, "save this turn", tmp_path / "n.db"))
    assert errors.disk_full(OSError(errno.ENOSPC, "No space left on device"))


# -- 4: export never overwrites what is not an export ----------------------------------------
def test_export_refuses_to_overwrite_a_file_that_is_not_an_export(
    file_store, scenario, seed, tmp_path, db_path
):
    record_game(file_store, scenario, seed, turns=2)
    precious = tmp_path / "thesis.txt"
    precious.write_text("three years of work")
    out = io.StringIO()
    assert sc.cmd_sessions_export(file_store, [], precious, out) == sc.FAIL
    assert precious.read_text() == "three years of work" and "--force" in out.getvalue()
    assert sc.cmd_sessions_export(file_store, [], precious, out, force=True) == sc.OK
    assert json.loads(precious.read_text())["format"] == "negtrainer-sessions"
    # An earlier export may be replaced without --force.
    assert sc.cmd_sessions_export(file_store, [], precious, io.StringIO()) == sc.OK


def test_export_never_overwrites_the_open_database_even_with_force(
    file_store, scenario, seed, db_path
):
    sid, _ = record_game(file_store, scenario, seed, turns=2)
    for force in (False, True):
        out = io.StringIO()
        assert sc.cmd_sessions_export(file_store, [], db_path, out, force=force) == sc.FAIL
        assert "database" in out.getvalue()
    assert file_store.get(sid).turn_count == 2
    assert Store.open(db_path, backup_every_hours=None).check() == []


def test_export_leaves_out_sessions_it_cannot_read_and_lists_them(store, scenario, seed, tmp_path):
    good, _ = record_game(store, scenario, seed, turns=2)
    bad, _ = record_game(store, scenario, seed + 1, turns=2)
    store.conn.execute("UPDATE turns SET state = 'garbage' WHERE session_id = ?", (bad,))
    store.conn.commit()
    out = io.StringIO()
    assert sc.cmd_sessions_export(store, [], tmp_path / "x.json", out) == sc.FAIL
    assert "Exported 1 session(s)" in out.getvalue() and bad[:8] in out.getvalue()
    doc = json.loads((tmp_path / "x.json").read_text())
    assert [s["id"] for s in doc["sessions"]] == [good]


def test_export_to_a_full_disk_says_the_disk_is_full(store, scenario, seed, tmp_path, monkeypatch):
    import os

    record_game(store, scenario, seed, turns=1)

    def full(*a, **k):
        raise OSError(errno.ENOSPC, "No space left on device")

    monkeypatch.setattr(os, "fsync", full)
    with pytest.raises(StoreError, match="disk is full"):
        store.export([], tmp_path / "x.json")
