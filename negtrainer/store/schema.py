"""The database schema, built only by registered migrations.

Migrations run in order, each in a transaction with the record of it having
been applied (sqlite-utils' ``Migrations``). Never edit a migration once it has
shipped: databases in the field were made by it. Add a new one instead, and
extend ``EXPECTED`` with what it adds.
"""

from __future__ import annotations

from sqlite_utils import Database
from sqlite_utils.migrations import Migrations

MIGRATION_SET = "negtrainer"
migrations = Migrations(MIGRATION_SET)


@migrations(name="m001_base")
def m001_base(db: Database) -> None:
    """Learners, scenario snapshots, sessions and their turns."""
    db.execute("""
        CREATE TABLE learners (
            id INTEGER PRIMARY KEY,
            name TEXT NOT NULL UNIQUE COLLATE NOCASE,
            created_at TEXT NOT NULL
        )""")
    db.execute("""
        CREATE TABLE scenarios (
            content_hash TEXT PRIMARY KEY,
            scenario_id TEXT NOT NULL,
            version INTEGER NOT NULL,
            title TEXT NOT NULL,
            canonical TEXT NOT NULL,
            stored_at TEXT NOT NULL
        )""")
    db.execute("""
        CREATE TABLE sessions (
            id TEXT PRIMARY KEY,
            learner_id INTEGER REFERENCES learners(id),
            scenario_id TEXT NOT NULL,
            scenario_version INTEGER NOT NULL,
            content_hash TEXT NOT NULL REFERENCES scenarios(content_hash),
            seed INTEGER NOT NULL,
            variant TEXT NOT NULL,
            status TEXT NOT NULL CHECK (status IN ('unfinished', 'finished')),
            started_at TEXT NOT NULL,
            updated_at TEXT NOT NULL,
            ended_at TEXT,
            ending_id TEXT,
            ending_kind TEXT,
            scores TEXT,
            parent_id TEXT,
            parent_turn INTEGER
        )""")
    db.execute("""
        CREATE TABLE turns (
            id INTEGER PRIMARY KEY,
            session_id TEXT NOT NULL REFERENCES sessions(id) ON DELETE CASCADE,
            idx INTEGER NOT NULL,
            at TEXT NOT NULL,
            inherited INTEGER NOT NULL DEFAULT 0,
            input TEXT,
            move TEXT,
            said TEXT,
            lines TEXT NOT NULL,
            record TEXT,
            state TEXT NOT NULL,
            UNIQUE (session_id, idx)
        )""")
    db.execute("CREATE INDEX sessions_started ON sessions (started_at)")


@migrations(name="m002_notes")
def m002_notes(db: Database) -> None:
    """Reviewers' notes on a turn of a session."""
    db.table("notes").create(
        {
            "id": int,
            "session_id": str,
            "turn": int,
            "text": str,
            "created_at": str,
            "updated_at": str,
        },
        pk="id",
        not_null={"session_id", "turn", "text", "created_at", "updated_at"},
        foreign_keys=[("session_id", "sessions", "id")],
    )
    db.table("notes").create_index(["session_id", "turn"], index_name="notes_session")


@migrations(name="m003_listing")
def m003_listing(db: Database) -> None:
    """A turn count on each session and the indexes that make listing fast."""
    db.table("sessions").add_column("turn_count", int, not_null_default=0)
    db.execute("""
        UPDATE sessions SET turn_count =
            coalesce((SELECT max(idx) FROM turns WHERE turns.session_id = sessions.id), 0)""")
    db.execute("DROP INDEX sessions_started")
    sessions = db.table("sessions")
    sessions.create_index(["started_at", "id"], index_name="sessions_newest")
    sessions.create_index(["learner_id", "started_at", "id"], index_name="sessions_learner")
    sessions.create_index(["scenario_id", "started_at", "id"], index_name="sessions_scenario")
    sessions.create_index(["status", "started_at", "id"], index_name="sessions_status")
    sessions.create_index(["parent_id"], index_name="sessions_parent")


@migrations(name="m004_engine_version")
def m004_engine_version(db: Database) -> None:
    """Which engine and scenario format recorded each session (older ones: engine 1)."""
    sessions = db.table("sessions")
    sessions.add_column("engine_version", int, not_null_default=1)
    sessions.add_column("format_version", int, not_null_default=1)


@migrations(name="m006_workshops")
def m006_workshops(db: Database) -> None:
    """Facilitators' workshops, the sessions played for them, and the files collected.

    Numbered 6: 4 and 5 are reserved for changes made alongside. A workshop is
    one JSON document (exercises, participants); a tagged session keeps a small
    summary for the aggregate debrief, stamped with the session's updated_at.
    """
    db.execute("""
        CREATE TABLE workshops (
            id TEXT PRIMARY KEY,
            name TEXT NOT NULL,
            doc TEXT NOT NULL,
            created_at TEXT NOT NULL,
            updated_at TEXT NOT NULL
        )""")
    db.execute("""
        CREATE TABLE workshop_sessions (
            session_id TEXT PRIMARY KEY REFERENCES sessions(id) ON DELETE CASCADE,
            workshop_id TEXT NOT NULL REFERENCES workshops(id) ON DELETE CASCADE,
            exercise_id TEXT NOT NULL,
            participant TEXT NOT NULL,
            summary TEXT,
            summary_of TEXT
        )""")
    db.execute("CREATE INDEX workshop_sessions_by ON workshop_sessions (workshop_id, exercise_id)")
    db.execute("""
        CREATE TABLE workshop_files (
            workshop_id TEXT NOT NULL REFERENCES workshops(id) ON DELETE CASCADE,
            sha256 TEXT NOT NULL,
            name TEXT NOT NULL,
            collected_at TEXT NOT NULL,
            sessions INTEGER NOT NULL,
            PRIMARY KEY (workshop_id, sha256)
        )""")


@migrations(name="m007_lazy_turns")
def m007_lazy_turns(db: Database) -> None:
    """A session can be kept as its inputs, its turns rebuilt by the engine when read.

    Collecting a workshop's results replays every session to check it; keeping
    each turn's state as well would write what any replay gives again. While
    ``lazy_turns`` holds ``{"learner", "times", "inputs"}`` the session has no
    rows in ``turns``; the first change to its turns writes them and clears it.
    """
    db.table("sessions").add_column("lazy_turns", str)


@migrations(name="m008_expert_paths")
def m008_expert_paths(db: Database) -> None:
    """The expert path of a scenario snapshot's variant, as one engine version found it.

    Collecting debriefs every session against its variant's expert path, whose
    search is the slowest step; a workshop searches it once, when the exercise
    is added (or on first collecting), and keeps it here. ``path`` is NULL when
    the search found none. Another engine version searches again.
    """
    db.execute("""
        CREATE TABLE expert_paths (
            content_hash TEXT NOT NULL,
            variant TEXT NOT NULL,
            engine_version INTEGER NOT NULL,
            path TEXT,
            searched_at TEXT NOT NULL,
            PRIMARY KEY (content_hash, variant, engine_version)
        )""")


MIGRATION_NAMES = [m.name for m in migrations.pending(Database(memory=True))]

# What the program relies on, to tell a damaged or foreign database from ours.
EXPECTED: dict[str, set[str]] = {
    "learners": {"id", "name", "created_at"},
    "scenarios": {"content_hash", "scenario_id", "version", "title", "canonical", "stored_at"},
    "sessions": {
        "id",
        "learner_id",
        "scenario_id",
        "scenario_version",
        "content_hash",
        "seed",
        "variant",
        "status",
        "started_at",
        "updated_at",
        "ended_at",
        "ending_id",
        "ending_kind",
        "scores",
        "parent_id",
        "parent_turn",
        "turn_count",
        "engine_version",
        "format_version",
        "lazy_turns",
    },
    "turns": {
        "id",
        "session_id",
        "idx",
        "at",
        "inherited",
        "input",
        "move",
        "said",
        "lines",
        "record",
        "state",
    },
    "notes": {"id", "session_id", "turn", "text", "created_at", "updated_at"},
    "workshops": {"id", "name", "doc", "created_at", "updated_at"},
    "workshop_sessions": {
        "session_id",
        "workshop_id",
        "exercise_id",
        "participant",
        "summary",
        "summary_of",
    },
    "workshop_files": {"workshop_id", "sha256", "name", "collected_at", "sessions"},
    "expert_paths": {"content_hash", "variant", "engine_version", "path", "searched_at"},
}
