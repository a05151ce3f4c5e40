"""The small interface the rest of the program speaks through.

A :class:`Speaker` says one line at a time: a new ``speak`` cuts off the line
being spoken, ``stop`` silences it, ``close`` ends the speaker for good. Every
method returns at once; speech happens elsewhere (a child process for the real
speaker), so a broken or slow engine can never freeze the window.

Two implementations: :class:`negtrainer.voice.process.ProcessSpeaker` (pyttsx3
in its own process) and :class:`negtrainer.voice.fake.FakeSpeaker` (records
what it was asked to say, for tests).
"""

from __future__ import annotations

import logging
from abc import ABC, abstractmethod
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path
from typing import TYPE_CHECKING, Any, Literal, Self

if TYPE_CHECKING:
    from negtrainer.voice.wav import SavedWav

log = logging.getLogger(__name__)

EventKind = Literal["started", "finished", "failed"]
#: ``on_event(kind, detail)``. For "started" and "finished" the detail is the
#: line's text; for "failed" it is the one-line reason voice is now off.
EventCallback = Callable[[str, str], None]

#: The pace (words per minute) that a user setting and a scenario's hint are
#: both measured against; about an unhurried conversational pace.
DEFAULT_RATE = 175
MIN_RATE = 80
MAX_RATE = 400


@dataclass(frozen=True)
class VoiceChoice:
    """Which installed voice says a counterpart's lines, and how fast.

    ``voice_id`` is the engine's own id (``None``: the engine's default voice);
    ``rate`` is the counterpart's pace in words per minute (``None``: normal);
    ``name`` is for people; ``note`` says why this voice was picked when the
    hints could not all be met.
    """

    voice_id: str | None = None
    name: str = "default voice"
    rate: int | None = None
    note: str = ""


def clamp_rate(rate: float) -> int:
    return int(min(MAX_RATE, max(MIN_RATE, round(rate))))


class Speaker(ABC):
    """Says the counterpart's lines without ever blocking the caller.

    ``on_event(kind, detail)`` is called with "started" when a line begins,
    "finished" when it ends (also when it was cut off by ``stop`` or a newer
    ``speak``), and "failed" once when voice turns off (detail: the reason).
    Every "started" is followed by one "finished", or by the "failed" that
    ended the speaker. **The callback may run on a background thread**: a GUI
    must hand it to its own thread (a Qt signal does that) and must not block
    in it. An exception raised by the callback is logged and otherwise ignored.

    ``rate`` is the user's preferred pace in words per minute and ``volume`` a
    level from 0 to 1; both apply to the next line. A scenario's own pace for a
    counterpart (``VoiceChoice.rate``) is scaled by the user's: a counterpart
    written to speak at 150 when normal is 175 stays a little slower than
    normal at whatever pace the user picked.
    """

    def __init__(
        self,
        *,
        rate: int = DEFAULT_RATE,
        volume: float = 1.0,
        on_event: EventCallback | None = None,
    ) -> None:
        self._rate = clamp_rate(rate)
        self._volume = 1.0
        self.volume = volume
        self.on_event = on_event
        self._available = True
        self._reason = ""

    # -- the interface -------------------------------------------------------

    @abstractmethod
    def speak(self, text: str, voice: VoiceChoice | None = None) -> None:
        """Start saying ``text``, cutting off any line still being spoken."""

    @abstractmethod
    def stop(self) -> None:
        """Silence the line being spoken, if any."""

    @abstractmethod
    def close(self) -> None:
        """Stop at once and release the engine; the speaker says nothing more."""

    @property
    def available(self) -> bool:
        """False once voice is known not to work (see :attr:`reason`)."""
        return self._available

    @property
    def reason(self) -> str:
        """One plain line saying why voice is off; empty while it works."""
        return self._reason

    # -- where the sound goes -------------------------------------------------

    def sound_problem(self) -> str:
        """Why nothing said can be heard on this computer (one line), or ""."""
        from negtrainer.voice.devices import sound_device_problem

        return sound_device_problem()

    def save_wav(self, text: str, path: Path, voice: VoiceChoice | None = None) -> SavedWav:
        """Write ``text``, said in ``voice``, to the WAV file ``path``. Blocks for a
        few seconds (call it off the GUI thread); never raises."""
        from negtrainer.voice.wav import save_wav

        return save_wav(
            text,
            path,
            voice=voice.voice_id if voice is not None else None,
            rate=self.effective_rate(voice),
            volume=self.volume,
            **self._wav_options(text),
        )

    def _wav_options(self, text: str) -> dict[str, Any]:
        """Further arguments to ``wav.save_wav`` for this speaker (none by default)."""
        return {}

    # -- settings ------------------------------------------------------------

    @property
    def rate(self) -> int:
        return self._rate

    @rate.setter
    def rate(self, value: int) -> None:
        self._rate = clamp_rate(value)

    @property
    def volume(self) -> float:
        return self._volume

    @volume.setter
    def volume(self, value: float) -> None:
        self._volume = float(min(1.0, max(0.0, value)))

    def effective_rate(self, voice: VoiceChoice | None) -> int:
        """The pace a line is spoken at: the counterpart's, scaled by the user's."""
        own = voice.rate if voice is not None and voice.rate else DEFAULT_RATE
        return clamp_rate(own * self._rate / DEFAULT_RATE)

    # -- helpers -------------------------------------------------------------

    def _emit(self, kind: EventKind, detail: str) -> None:
        callback = self.on_event
        if callback is None:
            return
        try:
            callback(kind, detail)
        except Exception:  # a GUI bug must not take speech down with it
            log.exception("voice event callback raised on %r", kind)

    def __enter__(self) -> Self:
        return self

    def __exit__(self, *exc_info: object) -> None:
        self.close()
