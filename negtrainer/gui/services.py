"""What every view is given: the store, the learner, settings, background work,
scenarios and the voice. The only GUI module that touches the store.

Views receive one :class:`Services` and never open files or databases
themselves::

    services.run_op(lambda store: store.load(sid), on_success=show, on_failure=complain)

``run_op`` runs ``fn`` on the store's own thread (one thread, in order, so a
turn is never written before the turn it follows) and calls back on the GUI
thread; ``fn`` may take the store as its one argument or take none. Failures
that nobody handles are shown by the main window (``Services.error``).
"""

from __future__ import annotations

import inspect
import logging
import random
from collections import deque
from collections.abc import Callable
from dataclasses import dataclass, field
from pathlib import Path
from typing import TYPE_CHECKING, Any

from PySide6.QtCore import QObject, QTimer, Signal

from negtrainer.gui.prefs import APPLICATION, ORGANIZATION, Settings
from negtrainer.gui.storeops import (
    ENDING_RANK,
    BestResult,
    _best_results,
    _rescued,
    damaged_copy,
    default_db_path,
    is_damaged,
    memory_store,
    open_store,
    user_message,
)
from negtrainer.gui.voicequeue import LEARNER_VOICE_KEY, VoiceQueue
from negtrainer.gui.workers import Runner

if TYPE_CHECKING:
    from negtrainer.engine.scenario import LoadedScenario
    from negtrainer.engine.session import Session, Step
    from negtrainer.library import Entry as ScenarioEntry

# The module is the views' one door: what moved to prefs, storeops and voicequeue is
# still reached here.
__all__ = [
    "APPLICATION",
    "ENDING_RANK",
    "ENV_SCENARIOS",
    "LEARNER_VOICE_KEY",
    "ORGANIZATION",
    "BestResult",
    "LiveSession",
    "Services",
    "Settings",
    "TurnResult",
    "damaged_copy",
    "default_db_path",
    "is_damaged",
    "load_scenarios",
    "memory_store",
    "open_store",
    "scenario_dirs",
    "user_message",
    "user_scenarios_dir",
]

log = logging.getLogger(__name__)

ENV_SCENARIOS = "NEGTRAINER_SCENARIOS"


# -- scenarios ------------------------------------------------------------------


# Scenario discovery lives in negtrainer.library, shared with the command line; it is
# imported lazily because it pulls in the engine (pydantic, YAML): not before first paint.
def load_scenarios(dirs: list[tuple[Path, bool]] | None = None) -> list[ScenarioEntry]:
    from negtrainer.library import load_folders

    return load_folders(dirs)


def user_scenarios_dir() -> Path:
    from negtrainer.library import user_scenarios_dir as where

    return where()


def scenario_dirs() -> list[tuple[Path, bool]]:
    from negtrainer.library import scenario_dirs as dirs

    return dirs()


# -- results the views get --------------------------------------------------------


@dataclass
class LiveSession:
    """A session being played: the engine's Session and the store's recorder."""

    id: str
    scenario: LoadedScenario
    session: Session
    recorder: Any
    # What was said before this view took over (a resumed session's turns):
    # (said, move, lines) per turn, turn 0 being the counterpart's opening.
    history: list[tuple[str | None, str | None, list[dict[str, Any]]]] = field(default_factory=list)
    unsaved: str = ""  # why the last turn could not be written ("" when saved)
    branched_at: int | None = None  # the turn of another session this one branched from


@dataclass(frozen=True)
class TurnResult:
    step: Step
    saved: bool
    error: str = ""


# -- the services -------------------------------------------------------------------


class Services(QObject, VoiceQueue):
    """Shared by every view. Create it on the GUI thread; ``close()`` at exit."""

    learner_changed = Signal(str)
    scenarios_changed = Signal()
    store_changed = Signal()  # sessions were added, finished, imported or restored
    error = Signal(str, str)  # title, message: shown by the main window
    # kind, detail, on the GUI thread: the speaker's "started", "finished" and
    # "failed" (detail: the reason), and "ready" (detail: the engine's driver)
    # and "reset" (voice was switched off, on, or tried again) from here.
    voice_event = Signal(str, str)
    # The speaker's own events, from whatever thread it calls back on, with the
    # token of the speaker that sent them (a replaced speaker's news is moot).
    _speaker_said = Signal(object, str, str)

    def __init__(
        self,
        store: Any = None,
        *,
        db_path: Path | None = None,
        settings: Settings | None = None,
        speaker_factory: Callable[..., Any] | None = None,
        parent: QObject | None = None,
    ) -> None:
        super().__init__(parent)
        self.settings = settings or Settings(parent=self)
        self._store = store
        self.db_path = db_path
        self._store_runner = Runner(self, serial=True, name="store")
        self._bg_runner = Runner(self, name="background")
        self._store_runner.failed.connect(self._unhandled)
        self._bg_runner.failed.connect(self._unhandled)
        self._learner = str(self.settings.get("learner") or "")
        self.scenarios: list[ScenarioEntry] = []
        self.scenarios_loaded = False
        self._speaker_factory = speaker_factory
        self._speaker: Any = None
        self._speaker_token: object | None = None
        self._speaker_reason = ""
        self._voice_ready = False
        self._voice_cache: dict[tuple[Any, ...], Any] = {}
        # Lines waiting their turn: (text, "them" | "learner", scenario). The
        # first is said once the engine is ready and the line before it ended.
        self._queue: deque[tuple[str, str, Any]] = deque()
        self._holding: str | None = None  # the line being said, which the queue waits for
        self._holding_started = False
        self._ready_timer = QTimer(self)
        self._ready_timer.setInterval(50)
        self._ready_timer.timeout.connect(self._check_ready)
        self._speaker_said.connect(self._on_speaker_event)
        self.settings.changed.connect(self._on_setting)

    # -- the store ------------------------------------------------------------
    @property
    def store(self) -> Any:
        return self._store

    def set_store(self, store: Any, db_path: Path | None = None) -> None:
        self._store = store
        if db_path is not None:
            self.db_path = db_path
        self.store_changed.emit()

    def run_op(
        self,
        fn: Callable[..., Any],
        on_success: Callable[[Any], None] | None = None,
        on_failure: Callable[[BaseException], None] | None = None,
    ) -> None:
        """Run ``fn`` (or ``fn(store)``) on the store thread; call back on the GUI thread."""
        store = self._store
        call: Callable[[], Any] = (lambda: fn(store)) if _takes_argument(fn) else fn
        self._store_runner.run(call, on_success, on_failure)

    def run_background(
        self,
        fn: Callable[[], Any],
        on_success: Callable[[Any], None] | None = None,
        on_failure: Callable[[BaseException], None] | None = None,
    ) -> None:
        """Work that needs no store (loading scenarios, files): a general pool."""
        self._bg_runner.run(fn, on_success, on_failure)

    def wait(self, msecs: int = 30000) -> bool:
        """Block until background work is done (shutdown and tests)."""
        return self._store_runner.wait(msecs) and self._bg_runner.wait(msecs)

    @property
    def busy(self) -> bool:
        return bool(self._store_runner.pending or self._bg_runner.pending)

    def close(self) -> None:
        self._drop_speaker()
        self.wait()
        store = self._store
        if store is not None and hasattr(store, "close"):
            try:
                store.close()
            except Exception:
                log.exception("closing the store")
        self.settings.sync()

    def _unhandled(self, exc: BaseException) -> None:
        self.error.emit("Something went wrong", user_message(exc))

    # -- the learner ----------------------------------------------------------
    @property
    def learner(self) -> str:
        return self._learner

    def set_learner(self, name: str) -> None:
        name = name.strip()
        if name == self._learner:
            return
        self._learner = name
        self.settings.set("learner", name)
        self.learner_changed.emit(name)

    def learners(
        self,
        on_success: Callable[[list[str]], None],
        on_failure: Callable[[BaseException], None] | None = None,
    ) -> None:
        self.run_op(lambda store: [lr.name for lr in store.learners()], on_success, on_failure)

    def add_learner(
        self,
        name: str,
        on_success: Callable[[Any], None] | None = None,
        on_failure: Callable[[BaseException], None] | None = None,
    ) -> None:
        self.run_op(lambda store: store.add_learner(name.strip()), on_success, on_failure)

    # -- scenarios --------------------------------------------------------------
    def load_scenarios(self, on_done: Callable[[list[ScenarioEntry]], None] | None = None) -> None:
        def done(entries: list[ScenarioEntry]) -> None:
            self.scenarios = entries
            self.scenarios_loaded = True
            self.scenarios_changed.emit()
            if on_done is not None:
                on_done(entries)

        self.run_background(load_scenarios, done)

    def scenario_entry(self, scenario_id: str) -> ScenarioEntry | None:
        return next((e for e in self.scenarios if e.id == scenario_id), None)

    def scenario(self, scenario_id: str) -> LoadedScenario | None:
        entry = self.scenario_entry(scenario_id)
        return entry.scenario if entry is not None else None

    # -- what the library shows -------------------------------------------------
    def best_results(self, on_success: Callable[[dict[str, BestResult]], None]) -> None:
        learner = self._learner  # "" is Guest: Guest's own sessions, not everyone's
        self.run_op(
            lambda store: _best_results(store, learner), on_success, lambda exc: on_success({})
        )

    def unfinished(self, on_success: Callable[[list[Any]], None], limit: int = 5) -> None:
        learner = self._learner  # "" is Guest: Guest's own sessions, not everyone's

        def fetch(store: Any) -> list[Any]:
            rows = store.list_sessions(learner=learner, status="unfinished", limit=limit)
            return list(rows)

        self.run_op(fetch, on_success, lambda exc: on_success([]))

    # -- playing ---------------------------------------------------------------
    def start_session(
        self,
        scenario: LoadedScenario,
        on_success: Callable[[LiveSession], None],
        on_failure: Callable[[BaseException], None] | None = None,
        *,
        seed: int | None = None,
        variant: str | None = None,
    ) -> None:
        from negtrainer.engine.session import Session

        seed = random.randrange(1, 2**31) if seed is None else seed
        learner = self._learner or None

        def begin(store: Any) -> LiveSession:
            from negtrainer.store.recorder import Recorder

            session = Session.start(scenario, seed=seed, variant=variant, learner=learner or "")
            rec = Recorder.start(store, scenario, session, learner)
            live = LiveSession(
                rec.session_id, scenario, session, rec, [(None, None, list(session.lines))]
            )
            live.unsaved = str(rec.error) if rec.error is not None else ""
            return live

        self.run_op(begin, self._changed_then(on_success), on_failure)

    def resume_session(
        self,
        session_id: str,
        on_success: Callable[[LiveSession], None],
        on_failure: Callable[[BaseException], None] | None = None,
    ) -> None:
        def resume(store: Any) -> LiveSession:
            from negtrainer.store.recorder import Recorder

            rec = Recorder.resume(store, session_id)
            stored = store.load(session_id)
            history = [(t.said, t.move, list(t.lines)) for t in stored.turns]
            branched = stored.info.parent_turn if stored.info.parent_id else None
            return LiveSession(
                session_id, rec.session.scenario, rec.session, rec, history, branched_at=branched
            )

        self.run_op(resume, on_success, on_failure)

    def act(
        self,
        live: LiveSession,
        item: dict[str, Any],
        on_success: Callable[[TurnResult], None],
        on_failure: Callable[[BaseException], None] | None = None,
        on_played: Callable[[Any], None] | None = None,
    ) -> None:
        """Play one input ({"choice": id} | {"offer": terms} | {"accept": "counter"})
        and commit it; ``TurnResult.saved`` says whether the disk took it.

        ``on_played(step)`` is called at once, after the save has been handed to the
        store thread: the reply can be shown while the disk writes it. ``on_success``
        follows when the commit is done (turns are committed in order: one thread)."""

        # The engine step runs here, on the GUI thread (it is quick, and the views read
        # the session); the store's thread gets a snapshot of its own to write.
        try:
            step, snapshot = live.recorder.play(item)
        except Exception as exc:  # noqa: BLE001 - said to the view, as a failed save is
            if on_failure is not None:
                on_failure(exc)
            return

        def save(store: Any) -> TurnResult:
            # When the disk refuses, the turn stays in memory and ``error`` says why.
            rec = live.recorder
            rec.save(snapshot)
            unsaved = str(rec.error) if rec.error is not None else ""
            if rec.error is not None:
                unsaved += _rescued(rec, snapshot)
            return TurnResult(step, rec.error is None, unsaved)

        def done(result: TurnResult) -> None:
            live.unsaved = result.error
            if live.session.ended:
                self.store_changed.emit()
            on_success(result)

        self.run_op(save, done, on_failure)
        if on_played is not None:
            on_played(step)

    def _changed_then(self, cb: Callable[[Any], None]) -> Callable[[Any], None]:
        def done(value: Any) -> None:
            self.store_changed.emit()
            cb(value)

        return done

    # -- data: backups ------------------------------------------------------------
    def backups(self, on_success: Callable[[list[Any]], None]) -> None:
        self.run_op(
            lambda store: list(store.list_backups()), on_success, lambda exc: on_success([])
        )

    def backup_now(
        self,
        on_success: Callable[[Any], None],
        on_failure: Callable[[BaseException], None] | None = None,
    ) -> None:
        self.run_op(lambda store: store.backup(), on_success, on_failure)

    def restore_backup(
        self,
        path: Path,
        on_success: Callable[[Any], None],
        on_failure: Callable[[BaseException], None] | None = None,
    ) -> None:
        self.run_op(lambda store: store.restore(path), self._changed_then(on_success), on_failure)


def _takes_argument(fn: Callable[..., Any]) -> bool:
    try:
        params = inspect.signature(fn).parameters.values()
    except (TypeError, ValueError):
        return False
    return any(
        p.kind in (p.POSITIONAL_ONLY, p.POSITIONAL_OR_KEYWORD, p.VAR_POSITIONAL)
        and p.default is p.empty
        for p in params
    )
