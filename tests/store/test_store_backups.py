"""Rolling backups beside the database, made while it is in use, and restoring them."""

import os
import sqlite3
import time
from datetime import datetime, timedelta

import pytest
from storeplay import as_json, record_game

from negtrainer.store import DamagedDatabase, Store, StoreError
from negtrainer.store.backups import KEEP


def test_a_backup_is_a_complete_database_made_while_it_is_in_use(
    file_store, db_path, scenario, seed
):
    sid, session = record_game(file_store, scenario, seed)
    other = Store.open(db_path, backup_every_hours=None)  # another program, also open
    path = file_store.backup()
    other.close()
    assert path.parent == db_path.parent / "backups"
    assert not list(path.parent.glob("*.partial"))
    with Store.open(path, backup_every_hours=None) as copy:
        assert as_json(copy.state_at(sid)) == as_json(session.to_json())
        assert copy.check() == []


def test_only_the_newest_ten_backups_are_kept(file_store, scenario, seed):
    record_game(file_store, scenario, seed, turns=1)
    made = [file_store.backup() for _ in range(KEEP + 3)]
    kept = file_store.list_backups()
    assert len(kept) == KEEP
    assert {b.path for b in kept} == set(made[-KEEP:])
    assert kept[0].path == made[-1]  # newest first


def test_opening_makes_a_backup_when_the_last_is_older_than_asked(db_path, scenario, seed):
    with Store.open(db_path, backup_every_hours=None) as store:
        record_game(store, scenario, seed, turns=1)
    with Store.open(db_path, backup_every_hours=24) as store:
        first = store.list_backups()
        assert len(first) == 1
    with Store.open(db_path, backup_every_hours=24) as store:
        assert store.list_backups() == first  # recent enough: none made
    old = time.mktime((datetime.now() - timedelta(hours=30)).timetuple())
    os.utime(first[0].path, (old, old))
    first[0].path.rename(first[0].path.with_name("negtrainer-20000101-000000.db"))
    with Store.open(db_path, backup_every_hours=24) as store:
        assert len(store.list_backups()) == 2


def test_an_empty_database_is_not_backed_up_at_opening(db_path):
    with Store.open(db_path, backup_every_hours=0) as store:
        assert store.list_backups() == []


def test_restoring_first_backs_up_the_current_database_then_replaces_it(file_store, scenario, seed):
    early, _ = record_game(file_store, scenario, seed, turns=2)
    backup = file_store.backup()
    late, _ = record_game(file_store, scenario, seed + 1)
    safety = file_store.restore(backup)
    assert [i.id for i in file_store.list_sessions()] == [early]
    assert "before-restore" in safety.name
    with Store.open(safety, backup_every_hours=None) as was:
        assert {i.id for i in was.list_sessions()} == {early, late}
    assert file_store.verify(early) == []
    record_game(file_store, scenario, seed + 2, turns=1)  # and it goes on working


def test_another_program_sees_the_restored_database(file_store, db_path, scenario, seed):
    early, _ = record_game(file_store, scenario, seed, turns=1)
    backup = file_store.backup()
    record_game(file_store, scenario, seed + 1, turns=1)
    with Store.open(db_path, backup_every_hours=None) as other:
        assert other.count_sessions() == 2
        file_store.restore(backup)
        assert [i.id for i in other.list_sessions()] == [early]


def test_a_backup_can_be_named_by_file_name_or_latest(file_store, scenario, seed):
    record_game(file_store, scenario, seed, turns=1)
    backup = file_store.backup()
    record_game(file_store, scenario, seed, turns=1)
    file_store.restore(backup.name)
    assert file_store.count_sessions() == 1
    with pytest.raises(StoreError, match="no backup"):
        file_store.restore("nonexistent.db")


def test_a_damaged_backup_is_refused_and_nothing_changes(file_store, scenario, seed, tmp_path):
    record_game(file_store, scenario, seed, turns=1)
    bad = tmp_path / "bad.db"
    bad.write_bytes(b"not a database at all" * 50)
    with pytest.raises(StoreError, match="cannot be used"):
        file_store.restore(bad)
    assert file_store.count_sessions() == 1
    assert file_store.list_backups() == []


def test_a_damaged_database_can_be_replaced_by_a_backup(db_path, scenario, seed):
    with Store.open(db_path, backup_every_hours=None) as store:
        sid, session = record_game(store, scenario, seed)
        store.backup()
    db_path.write_bytes(b"\x00" * 4096)
    with pytest.raises(DamagedDatabase):
        Store.open(db_path)
    moved = Store.restore_file(db_path, "latest")
    assert moved.name.startswith("negtrainer.db.damaged-")
    assert moved.read_bytes() == b"\x00" * 4096
    with Store.open(db_path, backup_every_hours=None) as store:
        assert as_json(store.state_at(sid)) == as_json(session.to_json())
        assert store.conn.execute("PRAGMA journal_mode").fetchone()[0] == "wal"


def test_an_in_memory_database_has_no_backups(store):
    with pytest.raises(StoreError, match="memory"):
        store.backup()
    assert store.list_backups() == []


def test_a_backup_is_one_self_contained_file(file_store, scenario, seed):
    record_game(file_store, scenario, seed, turns=1)
    path = file_store.backup()
    assert sqlite3.connect(path).execute("PRAGMA journal_mode").fetchone()[0] == "delete"


def test_a_stray_file_named_backups_gives_a_clear_message_and_keeps_the_sessions(
    db_path, scenario, seed
):
    with Store.open(db_path, backup_every_hours=None) as store:
        sid, session = record_game(store, scenario, seed, turns=2)
    (db_path.parent / "backups").write_text("not a folder")
    # Opening when a backup is due goes on without one ...
    with Store.open(db_path, backup_every_hours=0) as store:
        assert store.list_backups() == []
        # ... and asking for one says what is in the way and what to do.
        with pytest.raises(StoreError, match=r"backups is a file, not a folder\. Move or rename"):
            store.backup()
        assert as_json(store.state_at(sid)) == as_json(session.to_json())
    assert not list(db_path.parent.glob("*.partial"))
