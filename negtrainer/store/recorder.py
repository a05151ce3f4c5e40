"""A Session that saves itself: each turn is committed before the call returns.

    rec = Recorder.start(store, scenario, Session.start(scenario, seed=7), "Ana",
                         on_error=show_message)
    step = rec.choose("ask_plant")     # on disk when this returns
    rec.session.choices                # read the session as usual

If the disk refuses a write (read-only folder, disk full, database locked),
the learner is not interrupted: the session goes on in memory, the failure is
reported once (``on_error(err)`` if given, else ``take_error()``), every later
turn tries again to catch up, and ``export_unsaved(path)`` writes the whole
session to a sessions file that any negtrainer can import.
"""

from __future__ import annotations

import logging
import uuid
from collections.abc import Callable
from pathlib import Path
from typing import Any

from negtrainer.engine.scenario import LoadedScenario
from negtrainer.engine.session import Session, Step
from negtrainer.store import exchange, rows
from negtrainer.store.errors import SessionNotFound, StoreError
from negtrainer.store.store import Store

ErrorHandler = Callable[[StoreError], None]
log = logging.getLogger(__name__)


def _stored_turns(store: Store, session_id: str, session: Session) -> int:
    try:
        return store.get(session_id).turn_count
    except SessionNotFound:
        return -1
    except StoreError:  # cannot tell now; the next write finds out and catches up
        return session.state.turn


class Recorder:
    def __init__(
        self,
        store: Store,
        session_id: str,
        session: Session,
        *,
        learner: str | None = None,
        started_at: str | None = None,
        saved_turn: int | None = None,
        parent: tuple[str, int] | None = None,
        on_error: ErrorHandler | None = None,
    ):
        """Wrap a session; prefer ``start``, ``resume`` or ``branch``.

        Constructed directly for a session already begun in the store
        (``store.begin``); ``saved_turn`` None means ask the store how far it got.
        """
        if saved_turn is None:
            saved_turn = _stored_turns(store, session_id, session)
        self.store = store
        self.session = session
        self.session_id = session_id
        self.learner = learner
        self.started_at = started_at or rows.now()
        self.parent = parent
        self.on_error = on_error
        self.error: StoreError | None = None  # the latest write failure, until one succeeds
        self._saved = saved_turn  # the last turn known to be on disk (-1: not even the opening)
        self._reported = False
        self._undelivered: StoreError | None = None
        self._finished = False
        self._times: dict[int, str] = {session.state.turn: self.started_at}

    # -- making one ------------------------------------------------------------------
    @classmethod
    def start(
        cls,
        store: Store,
        scenario: LoadedScenario,
        session: Session,
        learner: str | None = None,
        *,
        on_error: ErrorHandler | None = None,
    ) -> Recorder:
        """Record a new session; a failure to write is reported, not raised."""
        if session.scenario.content_hash != scenario.content_hash:
            raise ValueError("the session was started from a different scenario")
        name = learner if learner is not None else (session.state.learner or None)
        rec = cls(store, str(uuid.uuid4()), session, learner=name, saved_turn=-1, on_error=on_error)
        rec._sync()
        return rec

    @classmethod
    def resume(
        cls, store: Store, session_id: str, *, on_error: ErrorHandler | None = None
    ) -> Recorder:
        """Carry on a stored session from its last turn."""
        info = store.get(session_id)
        session = store.resume(session_id)
        parent = (
            (info.parent_id, info.parent_turn)
            if info.parent_id is not None and info.parent_turn is not None
            else None
        )
        return cls(
            store,
            session_id,
            session,
            learner=info.learner,
            started_at=info.started_at,
            saved_turn=info.turn_count,
            parent=parent,
            on_error=on_error,
        )

    @classmethod
    def branch(
        cls,
        store: Store,
        session_id: str,
        turn: int,
        learner: str | None = None,
        *,
        on_error: ErrorHandler | None = None,
    ) -> Recorder:
        """Try something else from ``turn`` of a stored session, as a new session."""
        new_id, session = store.branch(session_id, turn, learner)
        info = store.get(new_id)
        return cls(
            store,
            new_id,
            session,
            learner=info.learner,
            started_at=info.started_at,
            saved_turn=turn,
            parent=(session_id, turn),
            on_error=on_error,
        )

    # -- playing ------------------------------------------------------------------------
    def choose(self, which: int | str) -> Step:
        return self._after(self.session.choose(which))

    def offer(self, terms: dict[str, str | int]) -> Step:
        return self._after(self.session.offer(terms))

    def accept_counter(self) -> Step:
        return self._after(self.session.accept_counter())

    def apply(self, item: dict[str, Any]) -> Step:
        return self._after(self.session.apply(item))

    def take_back(self) -> None:
        """Undo the latest turn, in memory and on disk (see ``Store.take_back``)."""
        self.session.state = self.take_back_on_disk(self.session).state

    def take_back_on_disk(self, session: Session) -> Session:
        """Forget ``session``'s latest turn on disk; return the session as it was
        before that turn, for the caller to put in place (a window does that on
        its own thread, after this ran on the store's).

        The engine is deterministic, so the turn before is rebuilt by
        replaying the inputs that led to it.
        """
        st = session.state
        if st.turn < 1 or session.ended or self._finished:
            raise ValueError("there is no turn to take back")
        turn = st.turn
        before = Session.replay(
            session.scenario, st.seed, st.variant, session.inputs[:-1], st.learner
        )
        if self._saved >= turn:
            self.store.take_back(self.session_id, turn)
            self._saved = turn - 1
        self._times.pop(turn, None)
        return before

    def _after(self, step: Step) -> Step:
        self._times[self.session.state.turn] = rows.now()
        self._sync()
        return step

    # -- playing on one thread, saving on another ----------------------------------------
    def play(self, item: dict[str, Any]) -> tuple[Step, Session]:
        """Play one input without touching the disk; return the step and a snapshot.

        A window plays the turn on its own thread (the engine step is quick) and
        hands the snapshot to ``save`` on the store's thread, so the store never
        reads the session the window goes on reading and changing.
        """
        step = self.session.apply(item)
        self._times[self.session.state.turn] = rows.now()
        return step, self.session.fork(include_log=True)

    def save(self, snapshot: Session) -> None:
        """Commit a snapshot from ``play`` (call it on the store's thread, in order)."""
        self._sync(snapshot)

    def finish(self) -> None:
        """Mark the session finished (see ``Store.finish``)."""
        self._finished = True
        self._sync()

    # -- saving ---------------------------------------------------------------------------
    @property
    def pending(self) -> list[int]:
        """Turns held only in memory, not yet on disk (0 is the opening)."""
        return list(range(self._saved + 1, self.session.state.turn + 1))

    @property
    def saved(self) -> bool:
        return not self.pending and self.error is None

    def flush(self) -> bool:
        """Try again to write what is pending; True when everything is on disk."""
        self._sync()
        return self.saved

    def take_error(self) -> StoreError | None:
        """The write failure not yet shown to the user (once), when there is no on_error."""
        err, self._undelivered = self._undelivered, None
        return err

    def _sync(self, session: Session | None = None) -> None:
        session = self.session if session is None else session
        try:
            if self._saved < 0:
                self.store.begin(
                    session.scenario,
                    session,
                    self.learner,
                    session_id=self.session_id,
                    started_at=self.started_at,
                )
            if self._finished:
                self.store.finish(self.session_id, session)
            else:
                self.store.record_turn(self.session_id, session)
        except StoreError as e:
            self.error = e
            if not self._reported:
                self._reported = True
                if self.on_error is not None:
                    self.on_error(e)
                else:
                    # Nobody asked to hear about it: say it once on stderr anyway.
                    log.warning("%s", e)
                    self._undelivered = e
            return
        self._saved = session.state.turn
        if self.error is not None:  # writing works again; a new failure is news
            self.error = None
            self._reported = False

    def export_unsaved(self, path: str | Path) -> Path:
        """Write the whole session to a sessions file (import it later anywhere)."""
        doc = exchange.live_session_doc(
            self.session,
            self.session_id,
            self.learner,
            self.started_at,
            self._times,
            self.parent,
            self._finished,
        )
        p = Path(path).expanduser()
        exchange.write_doc(
            exchange.file_doc([doc], {self.session.scenario.content_hash: self.session.scenario}), p
        )
        return p

    def write_rescue(self, here: bool = True, session: Session | None = None) -> Path:
        """Write the whole session (or a snapshot of it) to a rescue file in a folder that
        takes it (see rescue; ``here`` False: not the current folder, as for a window)."""
        from negtrainer.store import rescue

        return rescue.write(
            session or self.session,
            self.session_id,
            self.learner,
            self.started_at,
            self._times,
            here,
        )
