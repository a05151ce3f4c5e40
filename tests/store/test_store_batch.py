"""A batch of writes (Store.batch, used by collecting): one transaction, each write in it a
savepoint undone alone when it fails, committed once; a program that stops before the
commit keeps nothing of it and loses nothing stored before."""

import sqlite3
import subprocess
import sys
from pathlib import Path

import pytest

from negtrainer.store import BatchLost, Store, StoreError
from negtrainer.store import store as store_module

ROOT = Path(__file__).resolve().parents[2]


def _names(store):
    return [lr.name for lr in store.learners()]


def test_a_write_that_fails_in_a_batch_is_undone_alone_and_the_others_are_kept(file_store):
    file_store.add_learner("Ana")
    with file_store.batch():
        file_store.add_learner("Ben")
        with pytest.raises(RuntimeError), file_store._write("fail") as c:
            c.execute("INSERT INTO learners (name, created_at) VALUES ('Cy', 'x')")
            raise RuntimeError("a write that fails is undone")
        file_store.add_learner("Dee")
        assert _names(file_store) == ["Ana", "Ben", "Dee"]  # its own writes are read back
    assert _names(file_store) == ["Ana", "Ben", "Dee"]


def test_a_batch_commits_once_and_leaves_the_disk_settings_as_they_were(file_store):
    conn = file_store.conn
    before = [
        conn.execute(f"PRAGMA {p}").fetchone()[0]
        for p in ("synchronous", "wal_autocheckpoint", "temp_store")
    ]
    with file_store.batch() as batch:
        for name in ("Ana", "Ben", "Cy"):
            file_store.add_learner(name)
            assert conn.in_transaction  # not committed file by file
        # A durable commit, as outside a batch (one commit: waiting for the disk is cheap).
        assert conn.execute("PRAGMA synchronous").fetchone()[0] == before[0]
    assert batch.commits == 1 and not conn.in_transaction
    assert [
        conn.execute(f"PRAGMA {p}").fetchone()[0]
        for p in ("synchronous", "wal_autocheckpoint", "temp_store")
    ] == before


def test_after_a_batch_its_log_is_copied_into_the_database_on_a_thread_of_its_own(file_store):
    size = file_store.path.stat().st_size
    with file_store.batch():
        for k in range(300):
            file_store.add_learner(f"Learner {k} " + "x" * 60)
    file_store._wait_checkpoint()
    # The pages written went from the log into the database file itself.
    assert file_store.path.stat().st_size > size + 300 * 60
    file_store.close()
    assert file_store._checkpointer is None
    assert not Path(str(file_store.path) + "-wal").exists()  # closing still tidies up


def test_a_long_batch_commits_along_the_way_so_other_programs_can_write(file_store, monkeypatch):
    monkeypatch.setattr(store_module, "BATCH_COMMIT_SECONDS", 0.0)
    with file_store.batch() as batch:
        file_store.add_learner("Ana")
        assert batch.commit_if_due()
        other = Store.open(file_store.path, backup_every_hours=None)
        with other:
            assert _names(other) == ["Ana"]  # committed, seen by another connection
        file_store.add_learner("Ben")
    assert batch.commits == 2 and _names(file_store) == ["Ana", "Ben"]


def test_a_program_that_stops_in_a_batch_keeps_nothing_of_it_and_nothing_before_is_lost(
    file_store, db_path
):
    file_store.add_learner("Ana")
    file_store.close()
    script = (
        "import os, sys\n"
        f"sys.path.insert(0, {str(ROOT)!r})\n"
        "from negtrainer.store import Store\n"
        f"store = Store.open({str(db_path)!r}, backup_every_hours=None)\n"
        "with store.batch():\n"
        "    store.add_learner('Ben')\n"
        "    store.add_learner('Cy')\n"
        "    os._exit(3)  # killed before the batch commits\n"
    )
    done = subprocess.run([sys.executable, "-c", script], check=False, timeout=60)
    assert done.returncode == 3
    with Store.open(db_path, backup_every_hours=None) as again:
        assert _names(again) == ["Ana"]
        assert again.check() == []


def test_when_sqlite_undoes_the_whole_batch_every_later_write_says_so(file_store):
    file_store.add_learner("Ana")
    with pytest.raises(BatchLost, match="full"), file_store.batch():
        file_store.add_learner("Ben")
        with pytest.raises(BatchLost), file_store._write("save") as c:
            c.execute("ROLLBACK")  # as SQLite does after some failures on a full disk
            raise sqlite3.OperationalError("database or disk is full")
        with pytest.raises(BatchLost):
            file_store.add_learner("Cy")  # never written as a transaction of its own
        with pytest.raises(BatchLost):
            file_store.learners()
        raise BatchLost("database or disk is full")
    assert _names(file_store) == ["Ana"]


def test_a_write_in_a_batch_on_a_read_only_database_fails_with_a_clear_message(file_store, db_path):
    file_store.add_learner("Ana")
    file_store.close()
    with Store.open_readonly(db_path) as ro:
        with ro.batch(), pytest.raises(StoreError, match="read-only"):
            ro.add_learner("Ben")
        assert _names(ro) == ["Ana"]
