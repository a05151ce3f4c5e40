"""Old databases are carried forward by registered migrations, losing nothing."""

import shutil
import sqlite3
from pathlib import Path

import pytest
from sqlite_utils import Database
from storeplay import as_json, play

from negtrainer.engine.session import Session
from negtrainer.store import Recorder, Store
from negtrainer.store.schema import EXPECTED, MIGRATION_NAMES, migrations

FIXTURE = Path(__file__).parent / "fixtures" / "negtrainer-v1.db"
V1_TABLES = ("learners", "scenarios", "sessions", "turns")


@pytest.fixture
def v1_copy(tmp_path):
    if not FIXTURE.exists():
        pytest.fail(
            f"{FIXTURE} is missing: it is made by make_v1_fixture.py and must be "
            "checked in (note that .gitignore ignores *.db)"
        )
    target = tmp_path / "old" / "negtrainer.db"
    target.parent.mkdir()
    shutil.copy(FIXTURE, target)
    return target


def _dump(path, tables=V1_TABLES):
    conn = sqlite3.connect(path)
    out = {}
    for t in tables:
        cols = [r[1] for r in conn.execute(f"PRAGMA table_info({t})")]
        out[t] = (cols, sorted(conn.execute(f"SELECT * FROM {t}").fetchall(), key=repr))
    conn.close()
    return out


def test_the_fixture_was_made_by_the_first_migration_only(v1_copy):
    conn = sqlite3.connect(v1_copy)
    assert [r[0] for r in conn.execute("SELECT name FROM _sqlite_migrations")] == ["m001_base"]
    fresh = Database(memory=True)
    migrations.apply(fresh, stop_before=MIGRATION_NAMES[1])
    schema = (
        "SELECT type, name, sql FROM sqlite_master WHERE name NOT LIKE '%migrations%' ORDER BY name"
    )
    assert conn.execute(schema).fetchall() == fresh.conn.execute(schema).fetchall()


def test_a_version_1_database_is_upgraded_without_losing_anything(v1_copy):
    before = _dump(v1_copy)
    with Store.open(v1_copy, backup_every_hours=None) as store:
        applied = [r[0] for r in store.conn.execute("SELECT name FROM _sqlite_migrations")]
        assert applied == MIGRATION_NAMES and len(applied) >= 3
        infos = {i.id: i for i in store.list_sessions()}
    after = _dump(v1_copy)
    for table, (cols, data) in before.items():
        new_cols, new_data = after[table]
        keep = [new_cols.index(c) for c in cols]
        assert sorted((tuple(r[k] for k in keep) for r in new_data), key=repr) == data, table
    # The new turn count was filled in from the turns themselves.
    counts = dict(
        sqlite3.connect(v1_copy).execute(
            "SELECT session_id, max(idx) FROM turns GROUP BY session_id"
        )
    )
    assert {sid: i.turn_count for sid, i in infos.items()} == counts
    assert len(infos) == 3


V1_STATE_FIELDS = (
    "scenario_id",
    "seed",
    "variant",
    "learner",
    "node",
    "vars",
    "flags",
    "revealed",
    "hinted",
    "visited",
    "chosen",
    "stances",
    "promises",
    "offers",
    "counter",
    "deal",
    "last_emotional",
    "substance_turn",
    "turn",
    "ending",
    "lines",
    "trust_start",
    "move",
)


def test_sessions_from_a_version_1_database_replay_resume_and_take_notes(v1_copy, scenario):
    with Store.open(v1_copy, backup_every_hours=None) as store:
        for info in store.list_sessions():
            assert store.verify(info.id) == []
            assert store.recorded_by(info.id) == (1, 1)  # the engine and format that recorded it
            from negtrainer.store.commands import transcript

            assert "Recorded by an older engine" in transcript(store.load(info.id))
            last = as_json(store.session_at(info.id).to_json())
            replayed = as_json(store.session_at(info.id, replay=True).to_json())
            # Every field the older engine stored replays exactly; fields added since
            # (the counterpart's memory) are only in the replay.
            v1_fields = set(V1_STATE_FIELDS)
            assert {k: v for k, v in last.items() if k in v1_fields and k != "log"} == {
                k: v for k, v in replayed.items() if k in v1_fields and k != "log"
            }
        branch = next(i for i in store.list_sessions() if i.parent_id)
        assert [t.inherited for t in store.load(branch.id).turns] == [True] * 3 + [False]
        unfinished = next(i for i in store.list_sessions(status="unfinished") if not i.parent_id)
        rec = Recorder.resume(store, unfinished.id)
        play(rec, rec.session)
        whole = Session.start(scenario, seed=unfinished.seed)
        play(whole, whole)
        resumed, fresh = as_json(store.state_at(unfinished.id)), as_json(whole.to_json())
        assert {k: v for k, v in resumed.items() if k in V1_STATE_FIELDS} == {
            k: v for k, v in fresh.items() if k in V1_STATE_FIELDS
        }
        store.add_note(unfinished.id, 1, "added after the upgrade")
        assert [n.text for n in store.notes(unfinished.id)] == ["added after the upgrade"]


def test_every_migration_runs_once_however_often_the_database_is_opened(db_path):
    for _ in range(3):
        Store.open(db_path, backup_every_hours=None).close()
    conn = sqlite3.connect(db_path)
    assert [r[0] for r in conn.execute("SELECT name FROM _sqlite_migrations")] == MIGRATION_NAMES


def test_a_fresh_database_has_every_column_the_program_reads(store):
    for table, columns in EXPECTED.items():
        have = {r[1] for r in store.conn.execute(f"PRAGMA table_info({table})")}
        assert columns <= have, table


def test_listing_the_newest_sessions_uses_an_index(store):
    plan = " ".join(
        r[3]
        for r in store.conn.execute(
            "EXPLAIN QUERY PLAN SELECT id FROM sessions ORDER BY started_at DESC, id DESC LIMIT 50"
        )
    )
    assert "sessions_newest" in plan and "TEMP B-TREE" not in plan
    plan = " ".join(
        r[3]
        for r in store.conn.execute(
            "EXPLAIN QUERY PLAN SELECT id FROM sessions WHERE learner_id = 1 "
            "ORDER BY started_at DESC, id DESC LIMIT 50"
        )
    )
    assert "sessions_learner" in plan and "TEMP B-TREE" not in plan


def test_a_database_from_before_lazy_turns_opens_and_keeps_its_sessions(db_path, scenario, seed):
    with Store.open(db_path, backup_every_hours=None) as store:
        rec = Recorder.start(store, scenario, Session.start(scenario, seed=seed), "Ana")
        play(rec, rec.session, turns=4)
        before = store.load(rec.session_id)
    conn = sqlite3.connect(db_path)
    with conn:  # as the version before lazy turns left it: no m007 (nor later), no column
        conn.execute("ALTER TABLE sessions DROP COLUMN lazy_turns")
        conn.execute("DROP TABLE expert_paths")
        conn.execute(
            "DELETE FROM _sqlite_migrations WHERE name IN ('m007_lazy_turns', 'm008_expert_paths')"
        )
    conn.close()
    with Store.open(db_path, backup_every_hours=None) as store:
        applied = [r[0] for r in store.conn.execute("SELECT name FROM _sqlite_migrations")]
        assert applied[-2] == "m007_lazy_turns" and applied == MIGRATION_NAMES
        after = store.load(rec.session_id)
        assert [t.state for t in after.turns] == [t.state for t in before.turns]
        assert store.conn.execute("SELECT lazy_turns FROM sessions").fetchall() == [(None,)]
        assert store.verify(rec.session_id) == []


def test_a_database_from_before_kept_expert_paths_opens_with_its_workshop_and_sessions(
    db_path, scenario, seed
):
    from negtrainer.store import workshops as ws

    with Store.open(db_path, backup_every_hours=None) as store:
        rec = Recorder.start(store, scenario, Session.start(scenario, seed=seed), "Ana")
        play(rec, rec.session, turns=4)
        ws.save(store, "a" * 32, "Monday", {"id": "a" * 32}, [scenario])
        before = [t.state for t in store.load(rec.session_id).turns]
    conn = sqlite3.connect(db_path)
    with conn:  # as the previous version left it: no m008, no table
        conn.execute("DROP TABLE expert_paths")
        conn.execute("DELETE FROM _sqlite_migrations WHERE name = 'm008_expert_paths'")
    conn.close()
    with Store.open(db_path, backup_every_hours=None) as store:
        applied = [r[0] for r in store.conn.execute("SELECT name FROM _sqlite_migrations")]
        assert applied[-1] == "m008_expert_paths" and applied == MIGRATION_NAMES
        assert [t.state for t in store.load(rec.session_id).turns] == before
        assert ws.get(store, "a" * 32).name == "Monday"
        key = (scenario.content_hash, "warm")
        assert ws.expert_paths(store, [key], 2) == {}
        path = {"variant": "warm", "inputs": [{"choice": "x"}]}
        ws.save_expert_paths(store, {key: path}, 2)
        assert ws.expert_paths(store, [key], 2) == {key: path}
        assert ws.expert_paths(store, [key], 3) == {}
