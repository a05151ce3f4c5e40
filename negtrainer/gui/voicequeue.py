"""The counterpart's voice for the window: one speaker, started lazily, and a queue so
lines are said one after another. A part of :class:`negtrainer.gui.services.Services`
(which holds the signals and the state this reads)."""

from __future__ import annotations

import logging
import threading
from collections.abc import Callable
from pathlib import Path
from typing import TYPE_CHECKING, Any

from PySide6.QtCore import QObject, Signal

from negtrainer.spoken import spoken

if TYPE_CHECKING:
    from negtrainer.engine.scenario import LoadedScenario
    from negtrainer.voice.wav import SavedWav

log = logging.getLogger(__name__)


class _Delivery(QObject):
    """Hands a result from a worker thread to a callback on the GUI thread."""

    arrived = Signal(object)

    def __init__(self, callback: Callable[[Any], None], keep: set[Any]) -> None:
        super().__init__()
        self._callback = callback
        self._keep = keep
        keep.add(self)  # alive until delivered
        self.arrived.connect(self._deliver)  # a method of a GUI-thread object: queued

    def _deliver(self, result: Any) -> None:
        self._keep.discard(self)
        self._callback(result)


class VoiceQueue:
    """Voice methods of Services; attributes are set up in ``Services.__init__``."""

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
        no_sound = self.sound_problem()
        if no_sound:
            no_sound = no_sound[:1].lower() + no_sound[1:].rstrip(".")
            return "warning", (
                f"Voice is on, but nothing can be heard: {no_sound}. "
                "“Test the voice” offers to save what it says as a WAV file."
            )
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
        # Stage directions in brackets are read, not heard (see negtrainer.spoken).
        said = [spoken(t) for t in lines if t]
        items = [(t, "them", scenario) for t in said if t]
        mine = spoken(learner)
        if mine and self.settings.voice_learner:
            items.insert(0, (mine, "learner", scenario))
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

    def sound_problem(self) -> str:
        """Why what the voice says cannot be heard on this computer, or "" (also when
        voice is off or not working: voice_status says that)."""
        sp = self.speaker()
        if sp is None or not sp.available:
            return ""
        try:
            return sp.sound_problem()
        except Exception:  # a check that fails must not stop the test of the voice
            log.exception("looking for a sound device")
            return ""

    def save_speech(self, text: str, path: Path, done: Callable[[SavedWav], None]) -> None:
        """Write ``text``, in the default voice, to the WAV file ``path`` off the GUI
        thread; ``done(result)`` runs on the GUI thread. Never raises."""
        from negtrainer.voice.wav import SavedWav

        text = spoken(text) or text  # a line that is all direction is saved as written
        sp = self.speaker()
        if sp is None or not sp.available:
            done(
                SavedWav(
                    Path(path),
                    False,
                    "Could not save the WAV file: " + (self.voice_reason or "voice is off."),
                )
            )
            return
        delivery = _Delivery(done, self.__dict__.setdefault("_wav_deliveries", set()))

        def work() -> None:
            try:
                result = sp.save_wav(text, Path(path))
            except Exception as exc:  # the speaker promises not to raise; if it does, say so
                log.exception("saving speech to a WAV file")
                result = SavedWav(Path(path), False, f"Could not save the WAV file: {exc}")
            delivery.arrived.emit(result)

        threading.Thread(target=work, name="negtrainer-save-wav", daemon=True).start()

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
            self._voice_cache[key] = (
                them if who == "them" else _learner_voice(scenario, voices, them)
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
