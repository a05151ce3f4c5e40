"""Backups of a damaged database, an emptied file, file modes, read-only files (issue 12)."""

import io
import os
import sqlite3
import stat
from pathlib import Path

import pytest
from clirun import negtrainer
from storeplay import record_game

from negtrainer.store import DamagedDatabase, Store
from negtrainer.store import commands as sc
from negtrainer.store.backups import KEEP

ROOT = Path(__file__).resolve().parents[2]


def damage_a_page(db_path):
    """Scramble an index page's cell pointers: listing still works, quick_check fails."""
    conn = sqlite3.connect(db_path)
    conn.execute("PRAGMA wal_checkpoint(TRUNCATE)")
    page = conn.execute(
        "SELECT rootpage FROM sqlite_master WHERE name = 'sqlite_autoindex_turns_1'"
    ).fetchone()[0]
    size = conn.execute("PRAGMA page_size").fetchone()[0]
    conn.close()
    with open(db_path, "r+b") as f:
        f.seek((page - 1) * size + 8)
        f.write(b"\xff" * 32)


def test_a_backup_of_a_database_with_a_damaged_page_is_refused_not_written(db_path, scenario, seed):
    with Store.open(db_path, backup_every_hours=None) as store:
        record_game(store, scenario, seed)
        store.backup()
    damage_a_page(db_path)
    with Store.open(db_path, backup_every_hours=None) as store:
        assert len(store.list_sessions()) == 1  # the damage is silent to a listing
        before = store.list_backups()
        out = io.StringIO()
        assert sc.cmd_sessions_backup(store, out) == sc.FAIL
        assert "integrity check" in out.getvalue() and "Backup written" not in out.getvalue()
        with pytest.raises(DamagedDatabase):
            store.backup()
        assert store.list_backups() == before
        assert not list(db_path.parent.joinpath("backups").glob("*.partial"))


def test_opening_a_silently_damaged_database_keeps_every_good_backup_and_says_so(
    db_path, scenario, seed
):
    with Store.open(db_path, backup_every_hours=None) as store:
        record_game(store, scenario, seed)
        good = [store.backup(f"n{i}") for i in range(KEEP)]
    damage_a_page(db_path)
    for _ in range(KEEP + 2):  # ten days of normal use, and more
        with Store.open(db_path, backup_every_hours=0) as store:
            assert store.integrity_problem and "integrity check" in store.integrity_problem
            assert {b.path for b in store.list_backups()} == set(good)
    with Store.open(db_path, backup_every_hours=None) as store:
        store.restore("latest")  # a good one is still there to restore
        assert store.check() == []


def test_the_command_line_warns_loudly_when_the_database_fails_its_check(db_path, scenario, seed):
    with Store.open(db_path, backup_every_hours=None) as store:
        record_game(store, scenario, seed)
    damage_a_page(db_path)
    env = dict(os.environ, NEGTRAINER_DB=str(db_path))
    r = negtrainer("sessions", "list", cwd=ROOT, env=env)
    assert "WARNING" in r.stderr and "damaged" in r.stderr and "export" in r.stderr
    r = negtrainer("sessions", "backup", cwd=ROOT, env=env)
    assert r.returncode == 1 and "backup written" not in r.stdout.lower()
    assert "Traceback" not in r.stderr


def test_a_session_played_into_a_damaged_database_is_also_written_to_a_file(
    db_path, scenario, seed, tmp_path
):
    with Store.open(db_path, backup_every_hours=None) as store:
        record_game(store, scenario, seed)
    damage_a_page(db_path)
    script = tmp_path / "s.txt"
    script.write_text("1\n2\n")
    # Run in tmp_path, this checkout's code: the copy goes beside the database, not here.
    env = dict(os.environ, NEGTRAINER_DB=str(db_path), PYTHONPATH=str(ROOT))
    r = negtrainer(
        "play", "packaging-renewal", "--seed", "1", "--script", str(script), cwd=tmp_path, env=env
    )
    assert "WARNING" in r.stderr and "damaged" in r.stderr, r.stderr
    # Saved into the damaged file (it may not read back) or refused by it: a copy either way.
    assert "may not read back" in r.stderr or "NOT saved" in r.stderr, r.stderr
    (copy,) = db_path.parent.glob("negtrainer-unsaved-*.json")
    assert str(copy.resolve()) in r.stderr and "Traceback" not in r.stderr
    assert not list(tmp_path.glob("negtrainer-unsaved-*.json"))
    with Store.open(tmp_path / "restored.db", backup_every_hours=None) as fresh:
        report = fresh.import_file(copy)
        assert len(report.added) == 1 and fresh.get(report.added[0]).turn_count == 2


def test_an_emptied_database_file_with_backups_is_reported_not_treated_as_new(
    db_path, scenario, seed
):
    with Store.open(db_path, backup_every_hours=None) as store:
        sid, _ = record_game(store, scenario, seed)
        store.backup()
    for side in ("-wal", "-shm"):
        Path(str(db_path) + side).unlink(missing_ok=True)
    db_path.write_bytes(b"")
    with pytest.raises(DamagedDatabase) as e:
        Store.open(db_path)
    assert "empty" in str(e.value) and "restore" in str(e.value)
    Store.restore_file(db_path, "latest")
    with Store.open(db_path, backup_every_hours=None) as store:
        assert store.get(sid).id == sid


def test_an_empty_file_without_backups_is_still_a_new_database(tmp_path):
    p = tmp_path / "new.db"
    p.write_bytes(b"")
    with Store.open(p) as store:
        assert store.list_sessions() == []


def mode(p):
    return stat.S_IMODE(p.stat().st_mode)


def test_the_database_backups_exports_and_their_folders_are_for_the_owner_only(
    tmp_path, scenario, seed
):
    old = os.umask(0o022)
    try:
        db_path = tmp_path / "data" / "deeper" / "negtrainer.db"
        with Store.open(db_path, backup_every_hours=None) as store:
            record_game(store, scenario, seed, turns=2)
            backup = store.backup()
            store.export([], tmp_path / "out" / "class.json")
            assert mode(Path(str(db_path) + "-wal")) == 0o600
        assert mode(db_path) == 0o600
        assert mode(db_path.parent) == 0o700 and mode(db_path.parent.parent) == 0o700
        assert mode(backup) == 0o600 and mode(backup.parent) == 0o700
        assert mode(tmp_path / "out" / "class.json") == 0o600
        assert mode(tmp_path / "out") == 0o700
    finally:
        os.umask(old)


def test_a_read_only_database_can_still_be_listed_and_exported(tmp_path, scenario, seed):
    db_path = tmp_path / "ro" / "negtrainer.db"
    with Store.open(db_path, backup_every_hours=None) as store:
        sid, _ = record_game(store, scenario, seed, turns=3)
    # What a read-only folder leaves: no -shm can be made, nothing can be written.
    with Store.open_readonly(db_path) as store:
        assert [i.id for i in store.list_sessions()] == [sid]
        report = store.export([], tmp_path / "out.json")
        assert report.exported == 1
        with pytest.raises(Exception) as e:
            store.add_learner("Bea")
        assert "read-only" in str(e.value)


def test_an_unreadable_stored_scenario_in_a_damaged_database_blames_the_damage(
    db_path, scenario, seed
):
    import pytest

    from negtrainer.store import StoreError

    with Store.open(db_path, backup_every_hours=None) as store:
        record_game(store, scenario, seed)
        store.conn.execute("UPDATE scenarios SET canonical = '{\"format\": 2'")
        store.conn.commit()
    with Store.open(db_path, backup_every_hours=None) as store:
        with pytest.raises(StoreError, match="by this version of negtrainer"):
            store.scenario(scenario.content_hash)  # no damage known: the version is the cause
        store.integrity_problem = "it fails SQLite's integrity check"
        with pytest.raises(StoreError, match="cannot be read: the database is damaged"):
            store.scenario(scenario.content_hash)
