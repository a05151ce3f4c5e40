"""The session store: every turn committed as it happens, any turn restorable.

    store = Store.open(default_db_path())
    sid = store.begin(scenario, session, learner="Ana")     # turn 0, the opening
    session.choose("ask_plant"); store.record_turn(sid, session)   # one commit
    store.session_at(sid, 3)       # a live Session as it was after turn 3
    new_id, s = store.branch(sid, 3)

Front-ends normally use :class:`~negtrainer.store.recorder.Recorder`, which
wraps a Session and commits each turn before it returns.

Writes run in ``BEGIN IMMEDIATE`` transactions rather than sqlite-utils'
``atomic()`` (a deferred ``BEGIN``): a deferred transaction that reads and then
writes fails at once with "database is locked" when another program wrote in
between, whatever the busy timeout; an immediate one waits its turn.
sqlite-utils calls made inside still nest through ``atomic()`` savepoints.
"""

from __future__ import annotations

import json
import logging
import re
import sqlite3
import threading
import uuid
from collections.abc import Callable, Iterator, Mapping, Sequence
from contextlib import contextmanager
from pathlib import Path
from typing import Any, Self

from sqlite_utils import Database

from negtrainer.engine import ENGINE_VERSION
from negtrainer.engine.diagnostics import ScenarioError
from negtrainer.engine.loader import scenario_from_canonical
from negtrainer.engine.scenario import LoadedScenario
from negtrainer.engine.session import Session
from negtrainer.store import backups, database, private, rows
from negtrainer.store.batch import Batch
from negtrainer.store.errors import (
    AmbiguousId,
    DamagedDatabase,
    SessionNotFound,
    StoreError,
    from_sqlite,
)
from negtrainer.store.models import (  # noqa: F401 - MAX_NAME, clean_name: as before
    MAX_NAME,
    Backup,
    ExportReport,
    ImportReport,
    Learner,
    Note,
    SessionInfo,
    StoredSession,
    StoredTurn,
    clean_name,
)

log = logging.getLogger(__name__)

MAX_NOTE = 10_000
_SCENARIO_CACHE = 32
BATCH_LOG_PAGES = 25_000  # ~100 MB of write-ahead log before a batch checkpoints
# A batch commits at least this often (Batch.commit_if_due): another program waiting to
# write waits about this long at most, well within its busy timeout (10 s).
BATCH_COMMIT_SECONDS = 5.0

_INFO_SQL = """
    SELECT s.id, l.name, s.scenario_id, s.scenario_version, coalesce(sc.title, s.scenario_id),
           s.content_hash, s.seed, s.variant, s.status, s.started_at, s.updated_at, s.ended_at,
           s.ending_id, s.ending_kind, s.scores, s.parent_id, s.parent_turn, s.turn_count,
           s.engine_version
    FROM sessions s
    LEFT JOIN learners l ON l.id = s.learner_id
    LEFT JOIN scenarios sc ON sc.content_hash = s.content_hash
"""


def _info(row: Sequence[Any]) -> SessionInfo:
    return SessionInfo(
        id=row[0],
        learner=row[1],
        scenario_id=row[2],
        scenario_version=row[3],
        scenario_title=row[4],
        content_hash=row[5],
        seed=row[6],
        variant=row[7],
        status=row[8],
        started_at=row[9],
        updated_at=row[10],
        ended_at=row[11],
        ending_id=row[12],
        ending_kind=row[13],
        scores=rows.scores_value(row[14]),
        parent_id=row[15],
        parent_turn=row[16],
        turn_count=row[17],
        engine_version=row[18] if isinstance(row[18], int) else ENGINE_VERSION,
    )


def scores_json(session: Session) -> str | None:
    """The debrief's scores as JSON (None if scoring failed: the turn is saved anyway)."""
    try:
        return rows.dumps(session.debrief().to_json())
    except Exception:  # a scoring bug must never cost the learner their turn
        log.exception("could not score session; scores left empty")
        return None


class Store:
    """The one door to the session database. Safe to share between threads."""

    def __init__(self, db: Database, path: Path | None):
        self.db = db
        self.conn: sqlite3.Connection = db.conn
        self.path = path
        self.damaged_copy: Path | None = None  # where open() moved a damaged file
        self.readonly = False
        # Why the database failed its integrity check at open, if it did; front-ends
        # say so loudly (the good backups are kept).
        self.integrity_problem: str | None = None
        self._lock = threading.RLock()
        self._scenarios: dict[str, LoadedScenario] = {}
        self._lazy_rows: dict[tuple[str, str], list[rows.TurnRow]] = {}
        self._batch: Batch | None = None  # the open batch (see batch()), under the lock
        self._checkpointer: threading.Thread | None = None  # see checkpoint_soon()

    # -- opening ------------------------------------------------------------------
    @classmethod
    def open(
        cls,
        path: str | Path,
        *,
        create_if_damaged: bool = False,
        backup_every_hours: float | None = 24.0,
        make_folder: bool = True,
    ) -> Store:
        """Open (or create) the database at ``path`` and bring its schema up to date.

        ``make_folder`` False: a missing folder is not made (a path the user typed, where a
        typo would otherwise leave folders and an empty database behind); StoreError says so.

        Raises DamagedDatabase if the file is not a usable negtrainer database,
        unless ``create_if_damaged``: then the file is moved aside (see
        ``store.damaged_copy``) and a fresh one created. Makes a rolling backup
        when the newest is older than ``backup_every_hours`` (None: never).
        """
        p = Path(path).expanduser()
        if str(path) == ":memory:":
            return cls.memory()
        if not make_folder and not p.parent.is_dir():
            raise StoreError(
                f"The folder {p.parent} does not exist, so the session database {p} cannot "
                "be made there; nothing was created. Create the folder first, or choose "
                "another place with --db or NEGTRAINER_DB."
            )
        try:
            private.make_dir(p.parent)
        except OSError as e:
            raise StoreError(
                f"Could not create the folder {p.parent} for the session database: "
                f"{e.strerror or e}. Choose another place with --db or NEGTRAINER_DB."
            ) from e
        try:
            private.touch(p)  # so SQLite creates it (and its -wal, -shm) owner-only
        except OSError:
            pass  # SQLite says what is wrong, clearly mapped
        try:
            store = cls._open_checked(p)
            if backup_every_hours is not None:
                try:
                    store._backup_if_due(backup_every_hours)
                except BaseException:
                    store.close()  # before the file may be moved aside
                    raise
            return store
        except database.Damaged as d:
            if not create_if_damaged:
                raise DamagedDatabase(p, str(d)) from None
            moved = database.move_aside(p)
            log.warning("moved damaged database %s to %s (%s)", p, moved, d)
            store = cls.open(p, backup_every_hours=None, make_folder=make_folder)
            store.damaged_copy = moved
            return store

    @classmethod
    def _open_checked(cls, p: Path) -> Store:
        problem = database.header_problem(p)
        if problem:
            raise database.Damaged(problem)
        if p.is_file() and p.stat().st_size == 0 and backups.listing(p):
            # SQLite would quietly start a new database over what was lost.
            raise database.Damaged(
                "the file is empty (0 bytes), though backups of it exist. "
                "Restore the newest: negtrainer sessions restore latest"
            )
        try:
            conn = database.connect(p)
        except sqlite3.Error as e:
            raise from_sqlite(e, "open the session database", p) from e
        try:
            db = database.prepare(conn, memory=False)
        except BaseException as e:
            conn.close()
            if isinstance(e, sqlite3.Error):
                if database.is_corruption(e):
                    raise database.Damaged(f"SQLite reports: {e}") from None
                raise from_sqlite(e, "open the session database", p) from e
            raise
        return cls(db, p)

    @classmethod
    def open_readonly(cls, path: str | Path) -> Store:
        """Open an existing database for reading only (listing, showing, exporting).

        For a file or folder that cannot be written: nothing is migrated, no
        backup is made, and every write fails with a clear message.
        """
        p = Path(path).expanduser()
        problem = database.header_problem(p)
        if problem:
            raise DamagedDatabase(p, problem)
        if not p.is_file():
            raise StoreError(f"There is no session database file at {p}.")
        last: sqlite3.Error | None = None
        # A read-only folder cannot hold the -shm file WAL readers need; then the
        # file is read as immutable (nobody can be writing to it either).
        for query in ("mode=ro", "mode=ro&immutable=1"):
            conn = sqlite3.connect(
                f"{p.resolve().as_uri()}?{query}", uri=True, check_same_thread=False
            )
            try:
                db = Database(conn, execute_plugins=False)
                database.check_readonly(db)
                store = cls(db, p)
                store.readonly = True
                return store
            except sqlite3.Error as e:
                conn.close()
                last = e
                if database.is_corruption(e):
                    raise DamagedDatabase(p, f"SQLite reports: {e}") from None
            except BaseException as e:
                conn.close()
                if isinstance(e, database.Damaged):
                    raise DamagedDatabase(p, str(e)) from None
                raise
        assert last is not None
        raise from_sqlite(last, "open the session database", p) from last

    @classmethod
    def memory(cls) -> Store:
        """A fresh database in memory (tests, or a trainer that must not write)."""
        conn = database.connect(None)
        return cls(database.prepare(conn, memory=True), None)

    def close(self) -> None:
        self._wait_checkpoint()
        with self._lock:
            self.conn.close()

    def checkpoint_soon(self) -> None:
        """Copy the write-ahead log into the database on a thread of its own, with a
        connection of its own. After a batch the log holds megabytes, already safe on
        disk (each commit waits for it); copying them took a collect a tenth of its time,
        and readers and writers need not wait for it."""
        if self.path is None:
            return
        self._wait_checkpoint()  # one at a time
        t = threading.Thread(target=self._checkpoint, name="negtrainer-checkpoint", daemon=True)
        self._checkpointer = t
        t.start()

    def _checkpoint(self) -> None:
        try:
            conn = database.connect(self.path)
            try:
                conn.execute("PRAGMA wal_checkpoint(PASSIVE)")
            finally:
                conn.close()
        except sqlite3.Error:
            # The log stays; SQLite copies it at a later commit.
            log.exception("could not copy the write-ahead log into %s", self.path)

    def _wait_checkpoint(self) -> None:
        t = self._checkpointer
        if t is not None:
            t.join()
            self._checkpointer = None

    def __enter__(self) -> Self:
        return self

    def __exit__(self, *exc: object) -> None:
        self.close()

    # -- transactions ---------------------------------------------------------------
    @contextmanager
    def _write(self, doing: str) -> Iterator[sqlite3.Connection]:
        with self._lock:
            if self._batch is not None:
                with self._batch.part(doing) as c:
                    yield c
                return
            conn = self.conn
            try:
                conn.execute("BEGIN IMMEDIATE")
            except sqlite3.Error as e:
                raise from_sqlite(e, doing, self.path) from e
            try:
                yield conn
                conn.execute("COMMIT")
            except sqlite3.Error as e:
                self._rollback()
                raise from_sqlite(e, doing, self.path) from e
            except BaseException:
                self._rollback()
                raise

    @contextmanager
    def _read(self, doing: str = "read the session database") -> Iterator[sqlite3.Connection]:
        # One read transaction, so several SELECTs see one snapshot even while
        # another program is recording turns.
        with self._lock:
            if self._batch is not None:
                self._batch.check()
            if self._batch is not None and self._batch.open:
                # Inside the batch's transaction: its own writes are seen.
                try:
                    yield self.conn
                except sqlite3.Error as e:
                    raise from_sqlite(e, doing, self.path) from e
                return
            conn = self.conn
            try:
                conn.execute("BEGIN")
                try:
                    yield conn
                finally:
                    self._rollback()
            except sqlite3.Error as e:
                raise from_sqlite(e, doing, self.path) from e

    @contextmanager
    def batch(self, doing: str = "save the batch") -> Iterator[Batch]:
        """One write transaction for a run of writes whose source the caller keeps
        (results files being collected). Each write transaction inside it is a
        savepoint: one that fails is undone alone, the others are kept, and the run
        commits once at the end, or whenever :meth:`Batch.commit_if_due` finds it open
        for :data:`BATCH_COMMIT_SECONDS` (other programs wait meanwhile to write).

        If the program stops before a commit, nothing since the last one is kept (the
        caller writes it again). A failure that undoes the whole transaction (a full
        disk) raises :class:`BatchLost` from that write and every one after it; a
        commit that fails raises it too. Nothing stored before is lost. Other threads
        wait for the store until the batch ends."""
        with self._lock:
            if self._batch is not None:  # within a batch already: part of it
                yield self._batch
                return
            b = Batch(self, doing, BATCH_LOG_PAGES, BATCH_COMMIT_SECONDS)
            b.begin()
            self._batch = b
            try:
                yield b
            except BaseException:
                self._batch = None
                b.abandon()
                raise
            self._batch = None
            b.end()

    def _rollback(self) -> None:
        try:
            if self.conn.in_transaction:
                self.conn.execute("ROLLBACK")
        except sqlite3.Error:
            log.exception("rollback failed")

    # -- learners ---------------------------------------------------------------------
    def learners(self) -> list[Learner]:
        with self._read() as c:
            return [
                Learner(*r)
                for r in c.execute(
                    "SELECT id, name, created_at FROM learners ORDER BY name COLLATE NOCASE"
                )
            ]

    def default_learner(self) -> str | None:
        """Who played last on this computer (the learner of the newest session), if anyone."""
        with self._read() as c:
            row = c.execute(
                "SELECT l.name FROM sessions s JOIN learners l ON l.id = s.learner_id "
                "ORDER BY s.started_at DESC, s.id DESC LIMIT 1"
            ).fetchone()
            if row is None:
                names = [r[0] for r in c.execute("SELECT name FROM learners LIMIT 2")]
                return names[0] if len(names) == 1 else None
        return row[0]

    def add_learner(self, name: str) -> Learner:
        """Add a learner (or return the one with this name, in any letter case)."""
        name = clean_name(name)
        with self._write("add the learner") as c:
            lid = self._learner_id(c, name)
            row = c.execute(
                "SELECT id, name, created_at FROM learners WHERE id = ?", (lid,)
            ).fetchone()
        return Learner(*row)

    def find_learner(self, which: str) -> Learner:
        """A learner by name (any letter case) or by ``#ID`` as ``learners`` lists them."""
        with self._read() as c:
            text = str(which).strip()
            if re.fullmatch(r"#\d{1,18}", text):
                row = c.execute(
                    "SELECT id, name, created_at FROM learners WHERE id = ?", (int(text[1:]),)
                ).fetchone()
            else:
                row = c.execute(
                    "SELECT id, name, created_at FROM learners WHERE name = ? COLLATE NOCASE",
                    (" ".join(text.split()),),
                ).fetchone()
        if row is None:
            raise StoreError(
                f"There is no learner {text[:80]!r}. List them with 'negtrainer learners'."
            )
        return Learner(*row)

    def rename_learner(self, which: str, new_name: str) -> Learner:
        """Give a learner another name; their sessions follow."""
        learner = self.find_learner(which)
        name = clean_name(new_name)
        with self._write("rename the learner") as c:
            clash = c.execute(
                "SELECT id FROM learners WHERE name = ? AND id != ?", (name, learner.id)
            ).fetchone()
            if clash:
                raise StoreError(f"There is already a learner called {name}.")
            c.execute("UPDATE learners SET name = ? WHERE id = ?", (name, learner.id))
        return Learner(learner.id, name, learner.created_at)

    def remove_learner(self, which: str) -> tuple[Learner, int]:
        """Remove a learner; their sessions are kept, with no learner. Returns how many."""
        learner = self.find_learner(which)
        with self._write("remove the learner") as c:
            n = c.execute(
                "UPDATE sessions SET learner_id = NULL WHERE learner_id = ?", (learner.id,)
            ).rowcount
            c.execute("DELETE FROM learners WHERE id = ?", (learner.id,))
        return learner, n

    def _learner_id(self, c: sqlite3.Connection, name: str | None) -> int | None:
        if name is None or not str(name).strip():
            return None
        name = clean_name(name)
        # Looked up first: a room's files name the same few learners thousands of times.
        found = c.execute("SELECT id FROM learners WHERE name = ?", (name,)).fetchone()
        if found is not None:
            return int(found[0])
        c.execute(
            "INSERT OR IGNORE INTO learners (name, created_at) VALUES (?, ?)", (name, rows.now())
        )
        return c.execute("SELECT id FROM learners WHERE name = ?", (name,)).fetchone()[0]

    # -- scenarios ----------------------------------------------------------------------
    def _put_scenario(self, c: sqlite3.Connection, scenario: LoadedScenario) -> None:
        h = scenario.content_hash
        # Stored already (say, for every session of a file after its first): skip
        # writing out the whole snapshot only to have it ignored.
        if c.execute("SELECT 1 FROM scenarios WHERE content_hash = ?", (h,)).fetchone():
            self._remember(h, scenario)
            return
        c.execute(
            "INSERT OR IGNORE INTO scenarios (content_hash, scenario_id, version, title, "
            "canonical, stored_at) VALUES (?, ?, ?, ?, ?, ?)",
            (
                h,
                scenario.id,
                scenario.spec.version,
                scenario.spec.title,
                rows.dumps(scenario.canonical),
                rows.now(),
            ),
        )
        self._remember(h, scenario)

    def _remember(self, h: str, scenario: LoadedScenario) -> None:
        with self._lock:
            if len(self._scenarios) >= _SCENARIO_CACHE:
                self._scenarios.pop(next(iter(self._scenarios)))
            self._scenarios[h] = scenario

    def scenario(self, content_hash: str) -> LoadedScenario:
        """The scenario snapshot stored under this content hash."""
        hit = self._scenarios.get(content_hash)
        if hit is not None:
            return hit
        with self._read() as c:
            return self._scenario_in(c, content_hash)

    def _scenario_in(self, c: sqlite3.Connection, content_hash: str) -> LoadedScenario:
        """:meth:`scenario` inside the caller's transaction."""
        hit = self._scenarios.get(content_hash)
        if hit is not None:
            return hit
        row = c.execute(
            "SELECT canonical FROM scenarios WHERE content_hash = ?", (content_hash,)
        ).fetchone()
        if row is None:
            raise StoreError(
                f"The scenario snapshot {content_hash[:12]} is missing from the "
                "database; sessions that use it cannot be replayed."
            )
        try:
            sc = scenario_from_canonical(json.loads(row[0]))
        except (ScenarioError, ValueError) as e:
            if self.integrity_problem:
                # Damage, not age: a newer negtrainer would not read it either.
                raise StoreError(
                    f"The stored scenario {content_hash[:12]} cannot be read: the database "
                    "is damaged. Restore a backup (negtrainer sessions restore), then import "
                    "any rescue files (negtrainer-unsaved-*.json)."
                ) from e
            raise StoreError(
                f"The stored scenario {content_hash[:12]} cannot be read by this version of "
                f"negtrainer ({e}). Update negtrainer to replay these sessions."
            ) from e
        self._remember(content_hash, sc)
        return sc

    # -- recording ------------------------------------------------------------------------
    def begin(
        self,
        scenario: LoadedScenario,
        session: Session,
        learner: str | None = None,
        *,
        session_id: str | None = None,
        started_at: str | None = None,
    ) -> str:
        """Record a new session (turn 0 is its opening); return its id.

        A session already played some turns is recorded in full (earlier turns
        are rebuilt by replaying its inputs). ``learner`` defaults to the
        session's own learner name; it is added to the learners if new.
        """
        if session.scenario.content_hash != scenario.content_hash:
            raise ValueError("the session was started from a different scenario")
        sid = session_id or str(uuid.uuid4())
        name = learner if learner is not None else (session.state.learner or None)
        at = started_at or rows.now()
        new_rows = self._rows_for(session, 0, at)
        scores = scores_json(session) if session.ended else None
        st = session.state
        with self._write("start recording the session") as c:
            self._put_scenario(c, scenario)
            lid = self._learner_id(c, name)
            c.execute(
                "INSERT INTO sessions (id, learner_id, scenario_id, scenario_version, "
                "content_hash, seed, variant, status, started_at, updated_at, turn_count, "
                "engine_version, format_version) "
                "VALUES (?, ?, ?, ?, ?, ?, ?, 'unfinished', ?, ?, 0, ?, ?)",
                (
                    sid,
                    lid,
                    scenario.id,
                    scenario.spec.version,
                    scenario.content_hash,
                    st.seed,
                    st.variant,
                    at,
                    at,
                    ENGINE_VERSION,
                    scenario.spec.format,
                ),
            )
            self._append(c, sid, session, new_rows, scores)
        return sid

    def record_turn(self, session_id: str, session: Session, step: Any = None) -> None:
        """Commit the session's latest turn (one transaction) before returning.

        Idempotent, and it catches up: turns the database lacks (say, after a
        failed write) are rebuilt by replay and written in the same commit.
        ``step`` is accepted for symmetry with the engine and not needed.
        """
        turn = session.state.turn
        # Encode before taking the write lock, so the lock is held for SQL only.
        ready = {turn: rows.encode(turn, *rows.snapshot(session), rows.now())}
        scores = scores_json(session) if session.ended else None
        with self._write("save this turn") as c:
            self._materialise(c, session_id)
            have = self._turn_count(c, session_id)
            if have >= turn:
                return
            if have == turn - 1:
                new_rows = [ready[turn]]
            else:
                new_rows = self._rows_for(session, have + 1, rows.now())
            self._append(c, session_id, session, new_rows, scores)

    def take_back(self, session_id: str, turn: int) -> None:
        """Forget ``turn``, the session's last one: the learner took it back
        ("Heard as …", issue 16) before playing on. A turn that ended the
        session is kept."""
        with self._write("take the turn back") as c:
            self._materialise(c, session_id)
            if self._turn_count(c, session_id) != turn or turn < 1:
                raise StoreError(
                    f"Turn {turn} is not the last turn of session "
                    f"{session_id[:8]}; only the last one can be taken back."
                )
            row = c.execute("SELECT status FROM sessions WHERE id = ?", (session_id,)).fetchone()
            if row is not None and row[0] != "unfinished":
                raise StoreError("The session has ended; its last turn stays.")
            c.execute("DELETE FROM turns WHERE session_id = ? AND idx = ?", (session_id, turn))
            c.execute(
                "UPDATE sessions SET turn_count = ?, updated_at = ? WHERE id = ?",
                (turn - 1, rows.now(), session_id),
            )

    def _turn_count(self, c: sqlite3.Connection, session_id: str) -> int:
        row = c.execute("SELECT turn_count FROM sessions WHERE id = ?", (session_id,)).fetchone()
        if row is None:
            raise SessionNotFound(f"There is no session {session_id} in the database.")
        return int(row[0])

    def _rows_upto(
        self, c: sqlite3.Connection, session_id: str, turn: int | None
    ) -> list[rows.TurnRow]:
        """The rows of turns 0 to ``turn`` (None: the last); a turn it does not have is an
        error that says which it has."""
        have = self._turn_count(c, session_id)
        turn = have if turn is None else turn
        if not 0 <= turn <= have:
            raise StoreError(f"Session {session_id[:8]} has turns 0 to {have}, not {turn}.")
        return self._rows(c, session_id, turn)

    def _rows_for(self, session: Session, first: int, at: str) -> list[rows.TurnRow]:
        turn = session.state.turn
        if first == turn:
            return [rows.encode(turn, *rows.snapshot(session), at)]
        states = rows.states_by_replay(session)
        if rows.normal(states[-1]) != rows.normal(rows.snapshot(session)):
            raise ValueError(
                "replaying this session's inputs does not reproduce it "
                "(the engine is not deterministic here)"
            )
        return [rows.encode(i, s, r, at) for i, (s, r) in enumerate(states) if i >= first]

    def _append(
        self,
        c: sqlite3.Connection,
        sid: str,
        session: Session,
        new_rows: list[rows.TurnRow],
        scores: str | None,
    ) -> None:
        c.executemany(rows.INSERT_TURN, [r.values(sid) for r in new_rows])
        at = new_rows[-1].at
        ending = session.ending
        if ending is None:
            c.execute(
                "UPDATE sessions SET turn_count = ?, updated_at = ? WHERE id = ?",
                (session.state.turn, at, sid),
            )
        else:
            c.execute(
                "UPDATE sessions SET turn_count = ?, updated_at = ?, status = 'finished', "
                "ended_at = coalesce(ended_at, ?), ending_id = ?, ending_kind = ?, "
                "scores = coalesce(?, scores) WHERE id = ?",
                (session.state.turn, at, at, ending.id, ending.kind, scores, sid),
            )

    def finish(self, session_id: str, session: Session) -> None:
        """Mark the session finished (saving any turn not yet saved).

        A session that reached an ending is marked finished by ``record_turn``
        already; calling this on one that has not means the learner stopped
        there: it is listed as finished with no ending and is not offered for
        resuming (a branch can still continue it).
        """
        self.record_turn(session_id, session)
        if session.ended:
            return
        at = rows.now()
        with self._write("mark the session finished") as c:
            c.execute(
                "UPDATE sessions SET status = 'finished', ended_at = coalesce(ended_at, ?), "
                "updated_at = ? WHERE id = ?",
                (at, at, session_id),
            )

    # -- listing and finding ------------------------------------------------------------
    def list_sessions(
        self,
        learner: str | None = None,
        scenario: str | None = None,
        ending: str | None = None,
        limit: int = 50,
        offset: int = 0,
        *,
        status: str | None = None,
    ) -> list[SessionInfo]:
        """Sessions newest first. ``ending`` matches an ending id or kind (deal, impasse…);
        ``learner`` "" means Guest's (no name), None everyone's."""
        where, args = self._filters(learner, scenario, ending, status)
        sql = _INFO_SQL + where + " ORDER BY s.started_at DESC, s.id DESC LIMIT ? OFFSET ?"
        with self._read("list the sessions") as c:
            return [_info(r) for r in c.execute(sql, (*args, int(limit), int(offset)))]

    def count_sessions(
        self,
        learner: str | None = None,
        scenario: str | None = None,
        ending: str | None = None,
        *,
        status: str | None = None,
    ) -> int:
        where, args = self._filters(learner, scenario, ending, status)
        with self._read("count the sessions") as c:
            return c.execute("SELECT count(*) FROM sessions s" + where, args).fetchone()[0]

    @staticmethod
    def _filters(
        learner: str | None, scenario: str | None, ending: str | None, status: str | None
    ) -> tuple[str, list[Any]]:
        parts, args = [], []
        if learner == "":  # Guest: the sessions played without a name
            parts.append("s.learner_id IS NULL")
        elif learner is not None:
            parts.append("s.learner_id = (SELECT id FROM learners WHERE name = ?)")
            args.append(" ".join(learner.split()))
        if scenario is not None:
            parts.append("s.scenario_id = ?")
            args.append(scenario)
        if ending is not None:
            parts.append("(s.ending_kind = ? OR s.ending_id = ?)")
            args += [ending, ending]
        if status is not None:
            parts.append("s.status = ?")
            args.append(status)
        return (" WHERE " + " AND ".join(parts) if parts else ""), args

    def get(self, session_id: str) -> SessionInfo:
        with self._read() as c:
            row = c.execute(_INFO_SQL + " WHERE s.id = ?", (session_id,)).fetchone()
        if row is None:
            raise SessionNotFound(f"There is no session {session_id} in the database.")
        return _info(row)

    def resolve_id(self, prefix: str) -> str:
        """The full id of the one session whose id starts with ``prefix`` (as git does)."""
        p = prefix.strip().lower()
        if not p or not re.fullmatch(r"[0-9a-f-]{1,36}", p):
            raise SessionNotFound(f"{prefix!r} is not a session id.")
        with self._read() as c:
            found = [
                r[0]
                for r in c.execute(
                    "SELECT id FROM sessions WHERE id >= ? AND id < ? ORDER BY id LIMIT 2",
                    (p, p + "~"),
                )
            ]
        if not found:
            raise SessionNotFound(
                f"No session id starts with {prefix!r}. List them with 'negtrainer sessions list'."
            )
        if len(found) > 1:
            raise AmbiguousId(f"More than one session id starts with {prefix!r}; type more of it.")
        return found[0]

    # -- reading back ---------------------------------------------------------------------
    def _rows(
        self, c: sqlite3.Connection, session_id: str, upto: int | None = None
    ) -> list[rows.TurnRow]:
        sql = f"SELECT {rows.TURN_COLUMNS} FROM turns WHERE session_id = ?"
        args: tuple = (session_id,)
        if upto is not None:
            sql += " AND idx <= ?"
            args += (upto,)
        found = [rows.TurnRow.from_db(r) for r in c.execute(sql + " ORDER BY idx", args)]
        if found:
            return found
        derived = self._derived(c, session_id)
        return derived[: len(derived) if upto is None else upto + 1]

    def _derived(self, c: sqlite3.Connection, session_id: str) -> list[rows.TurnRow]:
        """The rows of a session kept as its inputs (``lazy_turns``), rebuilt by the
        engine; [] for any other session. The last few are kept: reviewing one session
        reads its turns several times."""
        r = c.execute(
            "SELECT lazy_turns, content_hash, seed, variant, parent_turn, engine_version "
            "FROM sessions WHERE id = ?",
            (session_id,),
        ).fetchone()
        if r is None or r[0] is None:
            return []
        if r[5] != ENGINE_VERSION:
            # Another counterpart model may play the same inputs differently: what the
            # learner saw must never be silently replaced by a different conversation.
            raise StoreError(
                f"Session {session_id[:8]} was collected as its inputs under counterpart "
                f"model {r[5]}, and this negtrainer plays model {ENGINE_VERSION}, which "
                "could replay them differently. Open it with the negtrainer that collected "
                "it, or collect its results file again."
            )
        key = (session_id, r[0])
        hit = self._lazy_rows.get(key)
        if hit is not None:
            return hit
        scenario = self._scenario_in(c, r[1])
        try:
            made = rows.derived(scenario, r[2], r[3], r[0], r[4])
        except Exception as e:
            log.exception("session %s: its turns cannot be rebuilt from its inputs", session_id)
            raise StoreError(
                f"Session {session_id[:8]} was kept as its inputs, and this version of "
                f"negtrainer cannot replay them ({str(e)[:120] or type(e).__name__}). "
                "Collect its results file again with the negtrainer that played it, "
                "or delete the session."
            ) from None
        with self._lock:
            if len(self._lazy_rows) >= 8:
                self._lazy_rows.pop(next(iter(self._lazy_rows)))
            self._lazy_rows[key] = made
        return made

    def _materialise(self, c: sqlite3.Connection, session_id: str) -> None:
        """Write the rows of a session kept as its inputs before its turns change."""
        made = self._derived(c, session_id)
        if made:
            c.executemany(rows.INSERT_TURN, [r.values(session_id) for r in made])
            c.execute("UPDATE sessions SET lazy_turns = NULL WHERE id = ?", (session_id,))

    def load(self, session_id: str) -> StoredSession:
        """Everything about one session: its row, scenario snapshot, turns and notes."""
        with self._read("load the session") as c:
            row = c.execute(_INFO_SQL + " WHERE s.id = ?", (session_id,)).fetchone()
            if row is None:
                raise SessionNotFound(f"There is no session {session_id} in the database.")
            turn_rows = self._rows(c, session_id)
            notes = self._notes(c, session_id)
        info = _info(row)
        turns = [
            StoredTurn(
                r.index,
                r.at,
                r.inherited,
                None if r.input is None else json.loads(r.input),
                r.move,
                r.said,
                json.loads(r.lines),
                rows.decode_record(r),
                rows.decode_state(r),
            )
            for r in turn_rows
        ]
        return StoredSession(info, self.scenario(info.content_hash), turns, notes)

    def state_at(self, session_id: str, turn: int | None = None) -> dict[str, Any]:
        """``Session.to_json()`` after ``turn`` (None: the last), from the stored rows."""
        with self._read("load the session") as c:
            return rows.full_state(self._rows_upto(c, session_id, turn))

    def session_at(
        self, session_id: str, turn: int | None = None, *, replay: bool = False
    ) -> Session:
        """A live Session as it was after ``turn`` (None: the last).

        From the stored state by default; with ``replay=True`` by re-running the
        engine from the seed and variant over the stored inputs instead.
        """
        if replay:
            return self._replayed(session_id, turn)
        state = self.state_at(session_id, turn)
        return Session.restore(self.scenario(self.get(session_id).content_hash), state)

    def _replayed(self, session_id: str, turn: int | None) -> Session:
        info = self.get(session_id)
        with self._read("load the session") as c:
            first, *later = self._rows_upto(c, session_id, turn)
        learner = rows.decode_state(first).get("learner", "")
        inputs = [json.loads(r.input) for r in later if r.input is not None]
        return Session.replay(
            self.scenario(info.content_hash), info.seed, info.variant, inputs, learner
        )

    def recorded_by(self, session_id: str) -> tuple[int, int]:
        """(engine version, scenario format) that recorded the session."""
        row = self.db.execute(
            "SELECT engine_version, format_version FROM sessions WHERE id = ?", (session_id,)
        ).fetchone()
        return (int(row[0]), int(row[1])) if row else (ENGINE_VERSION, 0)

    def verify(self, session_id: str) -> list[int]:
        """Turns whose stored state differs from what replaying the engine gives.

        Empty for every session this program recorded; anything else means the
        database was edited, or (see :meth:`recorded_by`) an older engine recorded it.
        """
        stored = self.load(session_id)
        return mismatched_turns(
            stored.scenario,
            stored.info.seed,
            stored.info.variant,
            [(t.state, t.record) for t in stored.turns],
        )

    def resume(self, session_id: str) -> Session:
        """The session where it stopped, ready for the next turn."""
        return self.session_at(session_id)

    # -- branching --------------------------------------------------------------------------
    def branch(self, session_id: str, turn: int, learner: str | None = None) -> tuple[str, Session]:
        """A new session that starts as ``session_id`` was after ``turn``.

        The first turns 0..``turn`` are copied into the branch (marked
        ``inherited``), so a branch replays, debriefs and exports on its own
        even if its parent is deleted. It links back by parent_id/parent_turn.
        """
        new_id = str(uuid.uuid4())
        at = rows.now()
        with self._write("start the branch") as c:
            src = c.execute(
                "SELECT s.learner_id, l.name, s.scenario_id, s.scenario_version, "
                "s.content_hash, s.seed, s.variant FROM sessions s "
                "LEFT JOIN learners l ON l.id = s.learner_id WHERE s.id = ?",
                (session_id,),
            ).fetchone()
            if src is None:
                raise SessionNotFound(f"There is no session {session_id} in the database.")
            have = self._turn_count(c, session_id)
            if not 0 <= turn <= have:
                raise StoreError(
                    f"Session {session_id[:8]} has turns 0 to {have}; "
                    f"cannot branch from turn {turn}."
                )
            copied = self._rows(c, session_id, turn)
            last = rows.decode_state(copied[-1])
            if last.get("ending") is not None:
                raise StoreError(
                    f"Turn {turn} is where the session ended; branch from an "
                    "earlier turn to try something else."
                )
            lid = src[0] if learner is None else self._learner_id(c, learner)
            name = None if learner is None else clean_name(learner)
            c.execute(
                "INSERT INTO sessions (id, learner_id, scenario_id, scenario_version, "
                "content_hash, seed, variant, status, started_at, updated_at, parent_id, "
                "parent_turn, turn_count, engine_version, format_version) VALUES (?, ?, ?, ?, "
                "?, ?, ?, 'unfinished', ?, ?, ?, ?, ?, ?, (SELECT format_version FROM sessions "
                "WHERE id = ?))",
                (
                    new_id,
                    lid,
                    src[2],
                    src[3],
                    src[4],
                    src[5],
                    src[6],
                    at,
                    at,
                    session_id,
                    turn,
                    turn,
                    ENGINE_VERSION,
                    session_id,
                ),
            )
            out = [_as_inherited(r, name) for r in copied]
            c.executemany(rows.INSERT_TURN, [r.values(new_id) for r in out])
        return new_id, self.session_at(new_id, turn)

    # -- notes ----------------------------------------------------------------------------
    def add_note(self, session_id: str, turn: int, text: str) -> Note:
        text = text.strip()
        if not text or len(text) > MAX_NOTE:
            raise StoreError(f"A note must be 1 to {MAX_NOTE} characters.")
        at = rows.now()
        with self._write("save the note") as c:
            have = self._turn_count(c, session_id)
            if not 0 <= turn <= have:
                raise StoreError(f"Session {session_id[:8]} has turns 0 to {have}, not {turn}.")
            cur = c.execute(
                "INSERT INTO notes (session_id, turn, text, created_at, updated_at) "
                "VALUES (?, ?, ?, ?, ?)",
                (session_id, turn, text, at, at),
            )
            note_id = cur.lastrowid
        return Note(int(note_id or 0), session_id, turn, text, at, at)

    def edit_note(self, note_id: int, text: str) -> None:
        text = text.strip()
        if not text or len(text) > MAX_NOTE:
            raise StoreError(f"A note must be 1 to {MAX_NOTE} characters.")
        with self._write("save the note") as c:
            if (
                c.execute(
                    "UPDATE notes SET text = ?, updated_at = ? WHERE id = ?",
                    (text, rows.now(), note_id),
                ).rowcount
                == 0
            ):
                raise StoreError("That note no longer exists.")

    def delete_note(self, note_id: int) -> None:
        with self._write("delete the note") as c:
            c.execute("DELETE FROM notes WHERE id = ?", (note_id,))

    def notes(self, session_id: str) -> list[Note]:
        with self._read() as c:
            return self._notes(c, session_id)

    @staticmethod
    def _notes(c: sqlite3.Connection, session_id: str) -> list[Note]:
        return [
            Note(*r)
            for r in c.execute(
                "SELECT id, session_id, turn, text, created_at, updated_at FROM notes "
                "WHERE session_id = ? ORDER BY turn, id",
                (session_id,),
            )
        ]

    # -- deleting ---------------------------------------------------------------------------
    def delete(self, session_id: str) -> None:
        """Delete a session, its turns and notes. Its branches keep their own copies."""
        with self._write("delete the session") as c:
            c.execute("DELETE FROM notes WHERE session_id = ?", (session_id,))
            c.execute("DELETE FROM turns WHERE session_id = ?", (session_id,))
            if c.execute("DELETE FROM sessions WHERE id = ?", (session_id,)).rowcount == 0:
                raise SessionNotFound(f"There is no session {session_id} in the database.")

    # -- export, import, backups (see exchange.py and backups.py) ------------------------------
    def export(
        self, ids: Sequence[str] | None, path: str | Path, *, force: bool = False
    ) -> ExportReport:
        """Write sessions (all when ``ids`` is empty or None) to a JSON file.

        Sessions that cannot be read are left out and listed in the report. An
        existing file is replaced only if it is a sessions file (or ``force``),
        and never when it is this database.
        """
        from negtrainer.store import exchange

        return exchange.export_file(self, ids, Path(path).expanduser(), force)

    def import_file(self, path: str | Path) -> ImportReport:
        """Import a sessions file: all of it or nothing. Raises ImportFileError."""
        from negtrainer.store import exchange

        return exchange.import_file(self, Path(path))

    def backup(self, label: str = "") -> Path:
        """Copy the database, while in use, into ``backups/`` beside it; keep the last 10."""
        with self._lock:
            try:
                return backups.make(self, label)
            except database.Damaged as d:
                raise DamagedDatabase(self.path or "(memory)", str(d)) from None

    def list_backups(self) -> list[Backup]:
        return backups.listing(self.path)

    def restore(self, backup: str | Path) -> Path:
        """Replace the database's content with a backup; return the backup of what it was."""
        with self._lock:
            return backups.restore_into(self, Path(backup))

    @staticmethod
    def restore_file(db_path: str | Path, backup: str | Path) -> Path | None:
        """Restore a backup as the database at ``db_path``, even when that one is damaged.

        Returns where the previous database went (a backup of it, or the
        damaged file moved aside), or None if there was none.
        """
        return backups.restore_file(Path(db_path).expanduser(), backup)

    def _backup_if_due(self, hours: float) -> Path | None:
        with self._lock:
            try:
                return backups.make_if_due(self, hours)
            except database.Damaged as d:
                self.integrity_problem = str(d)
                log.error("the session database %s fails its integrity check: %s", self.path, d)
                return None

    def check(self) -> list[str]:
        """SQLite's full integrity check (reads every page): problems, or []."""
        with self._read("check the session database") as c:
            found = [r[0] for r in c.execute("PRAGMA integrity_check")]
        return [] if found == ["ok"] else found

    # -- used by exchange and backups ---------------------------------------------------
    def _insert_imported(
        self,
        c: sqlite3.Connection,
        meta: Mapping[str, Any],
        scenario: LoadedScenario,
        new_rows: list[rows.TurnRow],
        notes: Sequence[Mapping[str, Any]],
        lazy: tuple[str, int] | None = None,
        scenario_stored: bool = False,
    ) -> str:
        """Add a checked session: "added", or for one already stored "extended",
        "skipped" (nothing new) or "differ" (the stored one is kept).

        ``lazy``: (``rows.lazy_doc``, last turn) to keep the session as its inputs, its
        rows left to be rebuilt when read (``new_rows`` is then empty).
        ``scenario_stored``: its scenario was stored in this transaction already."""
        if c.execute("SELECT 1 FROM sessions WHERE id = ?", (meta["id"],)).fetchone():
            if lazy is not None:
                new_rows = rows.derived(
                    scenario, meta["seed"], meta["variant"], lazy[0], meta["parent_turn"]
                )
            return self._extend_imported(c, meta, new_rows, notes)
        if not scenario_stored:
            self._put_scenario(c, scenario)
        lid = self._learner_id(c, meta["learner"])
        c.execute(
            "INSERT INTO sessions (id, learner_id, scenario_id, scenario_version, content_hash, "
            "seed, variant, status, started_at, updated_at, ended_at, ending_id, ending_kind, "
            "scores, parent_id, parent_turn, turn_count, engine_version, format_version, "
            "lazy_turns) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)",
            (
                meta["id"],
                lid,
                scenario.id,
                scenario.spec.version,
                scenario.content_hash,
                meta["seed"],
                meta["variant"],
                meta["status"],
                meta["started_at"],
                meta["updated_at"],
                meta["ended_at"],
                meta["ending_id"],
                meta["ending_kind"],
                None if meta["scores"] is None else rows.dumps(meta["scores"]),
                meta["parent_id"],
                meta["parent_turn"],
                len(new_rows) - 1 if lazy is None else lazy[1],
                # Import replays every session through this engine: it is verified by it.
                ENGINE_VERSION,
                scenario.spec.format,
                None if lazy is None else lazy[0],
            ),
        )
        if new_rows:  # none for a session kept as its inputs
            c.executemany(rows.INSERT_TURN, [r.values(meta["id"]) for r in new_rows])
        if notes:
            c.executemany(
                "INSERT INTO notes (session_id, turn, text, created_at, updated_at) "
                "VALUES (?, ?, ?, ?, ?)",
                [
                    (meta["id"], n["turn"], n["text"], n["created_at"], n["updated_at"])
                    for n in notes
                ],
            )
        return "added"

    def _extend_imported(
        self,
        c: sqlite3.Connection,
        meta: Mapping[str, Any],
        new_rows: list[rows.TurnRow],
        notes: Sequence[Mapping[str, Any]],
    ) -> str:
        # A rescue file written when the disk was full holds the turns the
        # database lacks: add them when every stored turn agrees with the file.
        sid = meta["id"]
        stored = c.execute(
            "SELECT content_hash, seed, variant FROM sessions WHERE id = ?", (sid,)
        ).fetchone()
        have = self._rows(c, sid)
        same_game = tuple(stored) == (meta["content_hash"], meta["seed"], meta["variant"])
        if (
            not same_game
            or len(have) > len(new_rows)
            or any(not _same_turn(a, b) for a, b in zip(have, new_rows))
        ):
            return "differ"
        known = {
            (r[0], r[1])
            for r in c.execute("SELECT turn, text FROM notes WHERE session_id = ?", (sid,))
        }
        fresh_notes = [n for n in notes if (n["turn"], n["text"]) not in known]
        c.executemany(
            "INSERT INTO notes (session_id, turn, text, created_at, updated_at) "
            "VALUES (?, ?, ?, ?, ?)",
            [(sid, n["turn"], n["text"], n["created_at"], n["updated_at"]) for n in fresh_notes],
        )
        if len(have) == len(new_rows):
            return "extended" if fresh_notes else "skipped"
        self._materialise(c, sid)
        c.executemany(rows.INSERT_TURN, [r.values(sid) for r in new_rows[len(have) :]])
        c.execute(
            "UPDATE sessions SET turn_count = ?, updated_at = ?, status = ?, ended_at = ?, "
            "ending_id = ?, ending_kind = ?, scores = ? WHERE id = ?",
            (
                len(new_rows) - 1,
                meta["updated_at"],
                meta["status"],
                meta["ended_at"],
                meta["ending_id"],
                meta["ending_kind"],
                None if meta["scores"] is None else rows.dumps(meta["scores"]),
                sid,
            ),
        )
        return "extended"


def _same_turn(a: rows.TurnRow, b: rows.TurnRow) -> bool:
    """The same turn of the same game: state and record (times may differ)."""
    return (
        a.index == b.index
        and rows.normal(rows.decode_state(a)) == rows.normal(rows.decode_state(b))
        and rows.normal(rows.decode_record(a)) == rows.normal(rows.decode_record(b))
    )


def _as_inherited(row: rows.TurnRow, learner: str | None) -> rows.TurnRow:
    """A parent's row copied into a branch; a branch for someone else says so in its state."""
    state = row.state
    if learner is not None:
        data = json.loads(state)
        data["learner"] = learner
        state = rows.dumps(data)
    return rows.TurnRow(
        row.index, row.at, True, row.input, row.move, row.said, row.lines, row.record, state
    )


def mismatched_turns(
    scenario: LoadedScenario,
    seed: int,
    variant: str,
    turns: Sequence[tuple[dict[str, Any], dict[str, Any] | None]],
    check: Callable[[Session, dict[str, Any]], None] | None = None,
) -> list[int]:
    """Turns whose (state without log, record) differ from a fresh replay.

    ``turns`` are decoded rows 0..N. Replay stops at the first input the engine
    refuses, or ``check`` refuses (it raises) before it is played; that turn and every
    later one count as mismatched.
    """
    if not turns:
        return []
    learner = str(turns[0][0].get("learner", ""))
    try:
        session = Session.start(scenario, seed, variant, learner)
    except ValueError:  # a variant this scenario lacks
        return list(range(len(turns)))
    bad: list[int] = []
    for i, (state, record) in enumerate(turns):
        if i:
            if record is None or not isinstance(record.get("input"), dict):
                return bad + list(range(i, len(turns)))
            try:
                if check is not None:
                    check(session, record["input"])
                session.apply(record["input"])
            except Exception:  # noqa: BLE001 - a refused or nonsensical input: the rest cannot match
                return bad + list(range(i, len(turns)))
        mine_state, turn = rows.snapshot(session)
        mine_record: dict[str, Any] | None = dict(turn) if turn is not None else None
        if isinstance(state, dict) and state.get("state_version") != mine_state.get(
            "state_version"
        ):
            # Recorded by an older engine: what it stored must replay exactly; the
            # fields it did not know yet are not there to compare.
            mine_state = {
                k: v for k, v in mine_state.items() if k in state and k != "state_version"
            }
            state = {k: v for k, v in state.items() if k != "state_version"}
            if isinstance(record, dict) and isinstance(mine_record, dict):
                mine_record = {k: v for k, v in mine_record.items() if k in record}
        # ``state`` and ``record`` were read from JSON: only the engine's side needs
        # normalising (tuples to lists, and so on) to compare like with like.
        if rows.normal(mine_state) != state or rows.normal(mine_record) != record:
            bad.append(i)
    return bad
