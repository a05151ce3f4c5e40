"""Damaged databases are never deleted; a full or read-only disk never costs a turn."""

import os
import re
import sqlite3

import pytest
from storeplay import as_json, next_input, play, record_game

from negtrainer.engine.session import Session
from negtrainer.store import DamagedDatabase, NewerDatabase, Recorder, Store, StoreError


def _make_db(db_path, scenario, seed):
    with Store.open(db_path, backup_every_hours=None) as store:
        record_game(store, scenario, seed)
        record_game(store, scenario, seed + 1)
    assert not os.path.exists(str(db_path) + "-wal")  # closing checkpointed everything


def _edit(db_path, sql):
    """Change the database with another program, as a user or a tool could."""
    conn = sqlite3.connect(db_path)
    conn.execute(sql)
    conn.commit()
    conn.close()


def test_a_file_that_is_not_sqlite_is_reported_and_left_alone(db_path):
    db_path.parent.mkdir(parents=True)
    db_path.write_text("my shopping list\n" * 100)
    before = db_path.read_bytes()
    with pytest.raises(DamagedDatabase, match="not an SQLite database") as e:
        Store.open(db_path)
    assert "Nothing has been deleted" in str(e.value)
    assert db_path.read_bytes() == before


@pytest.mark.parametrize("cut", [0.5, 0.37])
def test_a_truncated_database_is_reported_and_left_alone(db_path, scenario, seed, cut):
    _make_db(db_path, scenario, seed)
    data = db_path.read_bytes()
    db_path.write_bytes(data[: int(len(data) * cut)])
    with pytest.raises(DamagedDatabase, match="cut short"):
        Store.open(db_path)
    assert len(db_path.read_bytes()) == int(len(data) * cut)


def test_an_sqlite_database_of_another_program_is_not_taken_over(db_path):
    db_path.parent.mkdir(parents=True)
    _edit(db_path, "CREATE TABLE recipes (name TEXT)")
    with pytest.raises(DamagedDatabase, match="not a negtrainer session database"):
        Store.open(db_path)
    tables = sqlite3.connect(db_path).execute("SELECT name FROM sqlite_master").fetchall()
    assert tables == [("recipes",)]


def test_a_database_missing_one_of_its_tables_is_reported(db_path, scenario, seed):
    _make_db(db_path, scenario, seed)
    _edit(db_path, "DROP TABLE notes")
    with pytest.raises(DamagedDatabase, match="'notes' is missing"):
        Store.open(db_path)


def test_a_damaged_database_is_moved_aside_with_its_side_files_when_asked(db_path):
    db_path.parent.mkdir(parents=True)
    db_path.write_bytes(b"SQLite format 3\x00" + b"\xff" * 5000)
    for suffix in ("-wal", "-shm"):
        (db_path.parent / (db_path.name + suffix)).write_bytes(suffix.encode() * 10)
    with Store.open(db_path, create_if_damaged=True) as store:
        moved = store.damaged_copy
        assert re.fullmatch(r"negtrainer\.db\.damaged-\d{8}-\d{6}", moved.name)
        assert moved.read_bytes() == b"SQLite format 3\x00" + b"\xff" * 5000
        assert (moved.parent / (moved.name + "-wal")).read_bytes() == b"-wal" * 10
        assert (moved.parent / (moved.name + "-shm")).read_bytes() == b"-shm" * 10
        assert store.list_sessions() == []
        store.add_learner("Ana")
    with Store.open(db_path) as again:
        assert [lr.name for lr in again.learners()] == ["Ana"]


def test_a_healthy_database_is_never_moved_aside(db_path, scenario, seed):
    _make_db(db_path, scenario, seed)
    with Store.open(db_path, create_if_damaged=True) as store:
        assert store.damaged_copy is None
        assert store.count_sessions() == 2


def test_a_database_from_a_newer_negtrainer_is_refused_and_kept(db_path, scenario, seed):
    _make_db(db_path, scenario, seed)
    _edit(
        db_path,
        "INSERT INTO _sqlite_migrations (migration_set, name, applied_at) "
        "VALUES ('negtrainer', 'm999_from_the_future', '2030-01-01')",
    )
    with pytest.raises(NewerDatabase, match="newer version"):
        Store.open(db_path, create_if_damaged=True)
    assert list(db_path.parent.glob("*.damaged-*")) == []


def test_a_database_folder_that_cannot_be_made_gives_a_clear_message(tmp_path):
    (tmp_path / "a-file").write_text("x")
    with pytest.raises(StoreError, match="Could not create the folder .*--db"):
        Store.open(tmp_path / "a-file" / "negtrainer.db")


def test_a_folder_where_the_database_should_be_gives_a_clear_message(db_path):
    db_path.mkdir(parents=True)
    with pytest.raises(StoreError, match="cannot be opened or created"):
        Store.open(db_path)
    assert db_path.is_dir()


def test_a_read_only_folder_gives_a_clear_message(tmp_path, lock_folder):
    folder = tmp_path / "locked"
    folder.mkdir()
    unlock = lock_folder(folder)
    try:
        with pytest.raises(StoreError, match="--db or NEGTRAINER_DB"):
            Store.open(folder / "negtrainer.db")
    finally:
        unlock()


def _fill_disk(store):
    """Make the next page SQLite needs fail as on a full disk (SQLITE_FULL)."""
    pages = store.conn.execute("PRAGMA page_count").fetchone()[0]
    store.conn.execute(f"PRAGMA max_page_count = {pages}")


def test_on_a_full_disk_the_session_goes_on_and_the_error_is_reported_once(
    file_store, scenario, seed
):
    reported = []
    session = Session.start(scenario, seed=seed)
    rec = Recorder.start(file_store, scenario, session, "Ana", on_error=reported.append)
    _fill_disk(file_store)
    play(rec, session)
    assert session.ended
    assert len(reported) == 1
    assert "disk" in str(reported[0]) and "full" in str(reported[0])
    assert rec.pending and rec.pending[-1] == session.state.turn
    stored_turns = file_store.get(rec.session_id).turn_count
    assert stored_turns < session.state.turn
    file_store.conn.execute("PRAGMA max_page_count = 1000000")
    assert rec.flush()
    assert rec.pending == [] and rec.error is None
    assert as_json(file_store.state_at(rec.session_id)) == as_json(session.to_json())
    assert file_store.verify(rec.session_id) == []


def test_a_session_kept_in_memory_can_be_exported_and_imported_elsewhere(
    file_store, scenario, seed, tmp_path
):
    session = Session.start(scenario, seed=seed)
    rec = Recorder.start(file_store, scenario, session, "Ana", on_error=lambda e: None)
    _fill_disk(file_store)
    play(rec, session)
    assert rec.pending
    saved = rec.export_unsaved(tmp_path / "unsaved.json")
    other = Store.memory()
    report = other.import_file(saved)
    assert report.added == [rec.session_id]
    assert as_json(other.state_at(rec.session_id)) == as_json(session.to_json())
    assert other.get(rec.session_id).learner == "Ana"


def test_a_read_only_database_is_reported_once_and_the_session_goes_on(file_store, scenario, seed):
    session = Session.start(scenario, seed=seed)
    rec = Recorder.start(file_store, scenario, session, "Ana")
    file_store.conn.execute("PRAGMA query_only = ON")
    rec.apply(next_input(session, 0))
    rec.apply(next_input(session, 1))
    err = rec.take_error()
    assert "read-only" in str(err)
    assert rec.take_error() is None  # once
    assert rec.pending == [1, 2]


def test_a_database_locked_by_another_program_gives_a_clear_message(
    file_store, db_path, scenario, seed
):
    session = Session.start(scenario, seed=seed)
    sid = file_store.begin(scenario, session)
    file_store.conn.execute("PRAGMA busy_timeout = 50")
    other = sqlite3.connect(db_path)
    other.execute("BEGIN IMMEDIATE")
    try:
        session.apply(next_input(session, 0))
        with pytest.raises(StoreError, match="busy in another program"):
            file_store.record_turn(sid, session)
    finally:
        other.rollback()
        other.close()
    file_store.record_turn(sid, session)
    assert file_store.get(sid).turn_count == 1


def test_a_session_whose_opening_could_not_be_written_is_saved_whole_later(
    file_store, scenario, seed
):
    file_store.conn.execute("PRAGMA query_only = ON")
    reported = []
    session = Session.start(scenario, seed=seed)
    rec = Recorder.start(file_store, scenario, session, "Ana", on_error=reported.append)
    play(rec, session, 3)
    assert rec.pending == [0, 1, 2, 3] and len(reported) == 1
    file_store.conn.execute("PRAGMA query_only = OFF")
    assert rec.flush()
    assert as_json(file_store.state_at(rec.session_id)) == as_json(session.to_json())
    assert file_store.get(rec.session_id).learner == "Ana"
