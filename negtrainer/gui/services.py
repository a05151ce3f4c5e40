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
from typing import TYPE_CHECKING, Any, ClassVar

from PySide6.QtCore import QObject, QSettings, QTimer, Signal

from negtrainer.gui.workers import Runner

if TYPE_CHECKING:
    from negtrainer.engine.scenario import LoadedScenario
    from negtrainer.engine.session import Session, Step
    from negtrainer.library import Entry as ScenarioEntry

log = logging.getLogger(__name__)

ORGANIZATION = "negtrainer"
APPLICATION = "negtrainer"
ENV_SCENARIOS = "NEGTRAINER_SCENARIOS"

# Endings from best to worst: a deal beats an impasse beats a walk-out.
ENDING_RANK = {"deal": 3, "agreement": 3, "impasse": 1, "walkout": 0}


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

# -- opening the database ---------------------------------------------------------


def default_db_path() -> Path:
    from negtrainer.store.location import default_db_path as where

    return where()


def open_store(path: Path, *, create_if_damaged: bool = False) -> Any:
    """Open the session database (slow: call it off the GUI thread).

    Raises the store's ``DamagedDatabase`` (see :func:`is_damaged`) or
    ``StoreError``; both carry a message for the user.
    """
    from negtrainer.store.store import Store

    return Store.open(path, create_if_damaged=create_if_damaged)


def memory_store() -> Any:
    """A database in memory: play on when the file cannot be used, keep nothing."""
    from negtrainer.store.store import Store

    return Store.memory()


def is_damaged(exc: BaseException) -> bool:
    from negtrainer.store.errors import DamagedDatabase

    return isinstance(exc, DamagedDatabase)


def _rescued(rec: Any) -> str:
    """Copy a session the database refuses to a file; say where (or why not)."""
    from negtrainer.store import StoreError

    try:
        path = rec.write_rescue(here=False)
    except StoreError as e:
        return f" It could not be copied to a file either: {e}"
    return (f" A copy of the whole session is kept in {path}; if need be, import it "
            "later with: negtrainer sessions import.")


def damaged_copy(store: Any) -> Path | None:
    """Where opening moved a damaged database aside (None if it did not)."""
    return getattr(store, "damaged_copy", None)


# -- settings -------------------------------------------------------------------


class Settings(QObject):
    """Typed settings over QSettings (organization "negtrainer").

    ``changed(key)`` fires after every ``set``; views react to the keys they show.
    """

    changed = Signal(str)

    DEFAULTS: ClassVar[dict[str, Any]] = {
        "theme": "light",
        "text_size": 100,
        "voice/enabled": False,
        "voice/rate": 175,
        "voice/volume": 100,
        "voice/learner": False,
        "coach": False,
        "own_words": False,  # practice mode: type your own lines, the menu on request
        "learner": "",
        "window/geometry": None,
    }

    def __init__(self, qsettings: QSettings | None = None, parent: QObject | None = None):
        super().__init__(parent)
        # An INI file on every platform (not the Windows registry): easy to find,
        # copy or delete, and tests can point it elsewhere with QSettings.setPath.
        self._q = qsettings or QSettings(
            QSettings.Format.IniFormat, QSettings.Scope.UserScope, ORGANIZATION, APPLICATION
        )

    def get(self, key: str) -> Any:
        default = self.DEFAULTS.get(key)
        value = self._q.value(key, default)
        # QSettings returns strings from INI files; coerce to the default's type.
        if isinstance(default, bool):
            return value in (True, "true", "1", 1)
        if isinstance(default, int):
            try:
                return int(value)
            except (TypeError, ValueError):
                return default
        return value

    def set(self, key: str, value: Any) -> None:
        if self.get(key) == value:
            return
        self._q.setValue(key, value)
        self.changed.emit(key)

    def sync(self) -> None:
        self._q.sync()

    @property
    def theme(self) -> str:
        return str(self.get("theme"))

    @property
    def text_size(self) -> int:
        return int(self.get("text_size"))

    @property
    def coach(self) -> bool:
        return bool(self.get("coach"))

    @property
    def voice_enabled(self) -> bool:
        return bool(self.get("voice/enabled"))

    @property
    def voice_rate(self) -> int:
        return int(self.get("voice/rate"))

    @property
    def voice_volume(self) -> int:
        """Loudness in percent, 0-100."""
        return max(0, min(100, int(self.get("voice/volume"))))

    @property
    def voice_learner(self) -> bool:
        """Read the learner's own chosen line aloud too (in a neutral voice)."""
        return bool(self.get("voice/learner"))


# -- results the views get --------------------------------------------------------


@dataclass(frozen=True)
class BestResult:
    """A learner's best finished session of one scenario, for the library card."""

    scenario_id: str
    ending_title: str
    ending_kind: str
    detail: str
    sessions: int


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


@dataclass(frozen=True)
class TurnResult:
    step: Step
    saved: bool
    error: str = ""


# -- the services -------------------------------------------------------------------


class Services(QObject):
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
            return LiveSession(session_id, rec.session.scenario, rec.session, rec, history)

        self.run_op(resume, on_success, on_failure)

    def act(
        self,
        live: LiveSession,
        item: dict[str, Any],
        on_success: Callable[[TurnResult], None],
        on_failure: Callable[[BaseException], None] | None = None,
    ) -> None:
        """Play one input ({"choice": id} | {"offer": terms} | {"accept": "counter"})
        and commit it; ``TurnResult.saved`` says whether the disk took it."""

        def play(store: Any) -> TurnResult:
            # The Recorder plays the turn and commits it before returning; when
            # the disk refuses, the turn stays in memory and ``error`` says why.
            rec = live.recorder
            if "typed" in item:
                step = rec.apply(item)
            elif "choice" in item:
                step = rec.choose(item["choice"])
            elif "offer" in item:
                step = rec.offer(item["offer"])
            else:
                step = rec.accept_counter()
            live.unsaved = str(rec.error) if rec.error is not None else ""
            if rec.error is not None:
                live.unsaved += _rescued(rec)
            return TurnResult(step, rec.error is None, live.unsaved)

        def done(result: TurnResult) -> None:
            if live.session.ended:
                self.store_changed.emit()
            on_success(result)

        self.run_op(play, done, on_failure)

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

    # -- voice ----------------------------------------------------------------------
    @property
    def voice_reason(self) -> str:
        """Why voice is not speaking, in one line ("" when it is on and working)."""
        if not self.settings.voice_enabled:
            return "Voice is off."
        if self._speaker_reason:
            return self._speaker_reason
        sp = self._speaker
        if sp is not None and not sp.available:
            return sp.reason or "Voice is not available."
        return ""

    @property
    def voice_ready(self) -> bool:
        """True once the speaker has started and knows its voices."""
        return self._voice_ready and self._speaker is not None and self._speaker.available

    @property
    def voice_busy(self) -> bool:
        """True while a line asked for here is being said or waits its turn."""
        return self._holding is not None or bool(self._queue)

    def voice_status(self) -> tuple[str, str]:
        """(level, one line) for the settings: level is "off", "starting", "on",
        "warning" (it works but will be silent) or "error" (voice is off, and why)."""
        if not self.settings.voice_enabled:
            return "off", "Voice is off."
        reason = self.voice_reason
        if reason:
            if "No speech engine" in reason:  # say what else will be needed, here and now
                from negtrainer.voice.voices import player_warning

                warning = player_warning("espeak") if "espeak" in reason else ""
                if warning:
                    reason = f"{reason.rstrip('.')} — and then {warning}."
            return "error", reason
        if not self.voice_ready:
            return "starting", "Starting the speech engine…"
        voices = getattr(self._speaker, "voices", None)
        driver = str(getattr(voices, "driver", "") or "")
        from negtrainer.voice.voices import player_warning

        warning = player_warning(driver) if driver else ""
        if warning:
            return "warning", f"Voice is on, but {warning}."
        count = len(voices) if voices is not None else 0
        return "on", (
            f"Voice is on ({driver}, {count} voices installed)." if count else "Voice is on."
        )

    def speaker(self) -> Any:
        """The speaker, started on first use when voice is on; None when off."""
        if not self.settings.voice_enabled:
            return None
        if self._speaker is None and not self._speaker_reason:
            token = object()
            self._speaker_token = token
            self._voice_ready = False
            try:
                factory = self._speaker_factory or _default_speaker
                self._speaker = factory(
                    rate=self.settings.voice_rate,
                    volume=self.settings.voice_volume / 100,
                    on_event=lambda k, d: self._speaker_said.emit(token, k, d),
                )
            except Exception as exc:  # no engine, no audio: voice stays off, with a reason
                log.exception("starting the speaker")
                self._speaker_reason = f"Voice is off: it could not start — {exc}"
                self._clear_queue()
                self.voice_event.emit("failed", self._speaker_reason)
                return None
            self._check_ready()
            if not self._voice_ready:
                self._ready_timer.start()
        return self._speaker

    def retry_voice(self) -> None:
        """Forget a speaker that failed and start a fresh one (the settings' "Try again")."""
        self._drop_speaker()
        self._speaker_reason = ""
        self.voice_event.emit("reset", "")
        self.speaker()

    def speak(self, text: str, scenario: LoadedScenario | None = None) -> None:
        """Say one of the counterpart's lines in their voice, cutting off whatever
        is being said; nothing when voice is off. Never blocks."""
        self.speak_lines([text], scenario)

    def speak_lines(
        self, lines: list[str], scenario: LoadedScenario | None = None, *, learner: str = ""
    ) -> None:
        """Say the counterpart's ``lines`` one after another, in their voice,
        cutting off whatever is being said. ``learner``: the line the learner
        chose, said first in a neutral voice when the settings ask for it."""
        items = [(t, "them", scenario) for t in lines if t and t.strip()]
        if learner.strip() and self.settings.voice_learner:
            items.insert(0, (learner, "learner", scenario))
        self.stop_speaking()
        if not items:
            return
        sp = self.speaker()
        if sp is None or not sp.available:
            return
        self._queue.extend(items)
        self._pump()

    def stop_speaking(self) -> None:
        """Silence the line being said and forget the ones waiting."""
        self._clear_queue()  # first: a fake speaker reports the cut-off at once
        if self._speaker is not None:
            self._speaker.stop()

    def warm_up_voice(self) -> None:
        """Start the engine ahead of the first line when voice is on."""
        if self.settings.voice_enabled:
            self.speaker()

    # The queue: one line at a time; the next once the engine has said the last.
    def _pump(self) -> None:
        sp = self._speaker
        if sp is None or self._holding is not None or not self._queue:
            return
        if not sp.available:
            self._clear_queue()
            return
        if not self._voice_ready:
            return  # said by _check_ready, with the voice the engine then lists
        text, who, scenario = self._queue.popleft()
        voice = self._voice(sp, scenario, who)
        # Before speak(): a fake speaker reports "started" (and maybe "finished") at once.
        self._holding, self._holding_started = text, False
        sp.speak(text, voice)

    def _clear_queue(self) -> None:
        self._queue.clear()
        self._holding, self._holding_started = None, False

    def _voice(self, sp: Any, scenario: LoadedScenario | None, who: str) -> Any:
        voices = getattr(sp, "voices", None)
        key = (who, scenario.id if scenario is not None else None, id(voices))
        if key not in self._voice_cache:
            them = _voice_for(scenario, voices)
            self._voice_cache[key] = them if who == "them" else _learner_voice(
                scenario, voices, them
            )
        return self._voice_cache[key]

    def _check_ready(self) -> None:
        sp = self._speaker
        if sp is None or not sp.available:
            self._ready_timer.stop()
            return
        voices = getattr(sp, "voices", ())  # a speaker without a voice list is ready at once
        if voices is None:
            return
        self._ready_timer.stop()
        if not self._voice_ready:
            self._voice_ready = True
            self._voice_cache.clear()
            self.voice_event.emit("ready", str(getattr(voices, "driver", "") or ""))
            self._pump()

    def _on_speaker_event(self, token: object, kind: str, detail: str) -> None:
        if token is not self._speaker_token:
            return  # from a speaker that has since been replaced or closed
        if kind == "failed":
            self._speaker_reason = detail
            self._ready_timer.stop()
            self._clear_queue()
        elif self._holding is not None and detail == self._holding:
            # "finished" of the line before this one may share its words: count
            # the line as said only after its own "started".
            if kind == "started":
                self._holding_started = True
            elif kind == "finished" and self._holding_started:
                self._holding, self._holding_started = None, False
        self.voice_event.emit(kind, detail)
        if kind == "finished":
            self._pump()

    def _drop_speaker(self) -> None:
        self._clear_queue()
        self._ready_timer.stop()
        sp, self._speaker = self._speaker, None
        self._speaker_token = None
        self._voice_ready = False
        self._voice_cache.clear()
        if sp is not None:
            try:
                sp.close()
            except Exception:
                log.exception("closing the speaker")

    def _on_setting(self, key: str) -> None:
        if key == "voice/enabled":
            # Switching voice off and on again is a fresh start, also after a failure.
            self._drop_speaker()
            self._speaker_reason = ""
            self.voice_event.emit("reset", "")
            self.warm_up_voice()  # so a problem shows at once
        elif key == "voice/rate" and self._speaker is not None:
            self._speaker.rate = self.settings.voice_rate
        elif key == "voice/volume" and self._speaker is not None:
            self._speaker.volume = self.settings.voice_volume / 100


def _voice_for(scenario: LoadedScenario | None, voices: Any) -> Any:
    """The counterpart's voice among ``voices`` (None: the engine's default)."""
    if scenario is None:
        return None
    try:
        from negtrainer.voice.voices import choose_voice

        cp = scenario.spec.counterpart
        return choose_voice(cp.voice.model_dump(), voices or [], cp.name)
    except Exception:  # a voice we cannot pick is the engine's default voice
        log.exception("choosing a voice")
        return None


LEARNER_VOICE_KEY = "negtrainer: the learner's own line"


def _learner_voice(scenario: LoadedScenario | None, voices: Any, them: Any) -> Any:
    """A neutral voice for the learner's line: the counterpart's language, a
    plain voice (no gendered variant), another one than theirs where there is one,
    at the normal pace."""
    try:
        from negtrainer.voice.speaker import VoiceChoice
        from negtrainer.voice.voices import VoiceList, choose_voice

        language = scenario.spec.counterpart.voice.language if scenario is not None else "en"
        pool = list(voices or [])
        theirs = str(getattr(them, "voice_id", None) or "").split("+")[0]
        others = [v for v in pool if v.id != theirs] or pool
        driver = str(getattr(voices, "driver", "") or "")
        choice = choose_voice(
            {"language": language, "gender": "neutral"},
            VoiceList(tuple(others), driver),
            LEARNER_VOICE_KEY,
        )
        return VoiceChoice(choice.voice_id, f"{choice.name} (your line)", None, choice.note)
    except Exception:
        log.exception("choosing the learner's voice")
        return None


def _default_speaker(**kwargs: Any) -> Any:
    from negtrainer.voice.process import ProcessSpeaker

    return ProcessSpeaker(**kwargs)


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


def user_message(exc: BaseException) -> str:
    """What to tell a person about a failure: the store's own words, or a plain line."""
    from negtrainer.store.errors import StoreError

    if isinstance(exc, StoreError):
        return str(exc)
    if isinstance(exc, OSError):
        return f"A file could not be read or written: {exc.strerror or exc}."
    return f"{type(exc).__name__}: {exc}"


def _best_results(store: Any, learner: str | None) -> dict[str, BestResult]:
    rows = store.list_sessions(learner=learner, status="finished", limit=1000)
    best: dict[str, tuple[tuple, Any]] = {}
    counts: dict[str, int] = {}
    for info in rows:
        if info.ending_kind is None:
            continue  # stopped by the learner: no result to show
        sid = info.scenario_id
        counts[sid] = counts.get(sid, 0) + 1
        scores = info.scores if isinstance(info.scores, dict) else {}
        quality = scores.get("quality")
        # Ranked by what the outcome achieved; "a deal was signed" alone is not best.
        key = (
            quality if isinstance(quality, (int, float)) else -1,
            ENDING_RANK.get(info.ending_kind, 0),
            scores.get("end_trust") if isinstance(scores.get("end_trust"), (int, float)) else 0,
        )
        if sid not in best or key > best[sid][0]:
            best[sid] = (key, info)
    out = {}
    for sid, (_key, info) in best.items():
        scores = info.scores or {}
        title = (scores.get("ending") or {}).get("title") or (info.ending_id or "").replace(
            "_", " "
        ).capitalize()
        detail = ""
        if isinstance(scores.get("quality"), (int, float)):
            detail = f"score {scores['quality']:.0f}"
        outcome = scores.get("outcome") if isinstance(scores.get("outcome"), dict) else {}
        kind = info.ending_kind or ""
        if outcome.get("verdict") == "caved":
            kind, detail = "caved", "below your walk-away"
        elif outcome.get("ignored_needs"):
            kind, detail = "thin", "a need ignored"
        out[sid] = BestResult(sid, title, kind, detail, counts[sid])
    return out
