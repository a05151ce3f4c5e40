"""A speaker for tests: it records what it was asked to say and says nothing.

It behaves like the real one as far as a caller can see: a line stays "being
spoken" until :meth:`FakeSpeaker.finish` (or ``auto_finish=True``), a new
``speak`` or a ``stop`` cuts it off, and the same events are sent. The one
difference: events are sent at once on the calling thread.
"""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path
from typing import TYPE_CHECKING

from negtrainer.voice.speaker import DEFAULT_RATE, EventCallback, Speaker, VoiceChoice

if TYPE_CHECKING:
    from negtrainer.voice.wav import SavedWav


@dataclass(frozen=True)
class SpokenLine:
    """One line handed to the speaker, with the settings it was spoken with."""

    text: str
    voice: VoiceChoice | None
    rate: int
    volume: float

    @property
    def muted(self) -> bool:
        return self.volume == 0.0


class FakeSpeaker(Speaker):
    """Records lines in order, which ones were cut off, and how many stops."""

    def __init__(
        self,
        *,
        available: bool = True,
        reason: str = "",
        auto_finish: bool = False,
        rate: int = DEFAULT_RATE,
        volume: float = 1.0,
        on_event: EventCallback | None = None,
        no_sound: str = "",
        wav: str = "ok",
    ) -> None:
        super().__init__(rate=rate, volume=volume, on_event=on_event)
        self._available = available
        self.no_sound = no_sound  # what sound_problem() says: "" as if a device were there
        self.wav = wav  # how WAV files come out: "ok", "empty" (a bare header), "flaky"
        self.saved: list[tuple[str, Path]] = []
        self._reason = "" if available else (reason or "Voice is off (fake speaker).")
        self.auto_finish = auto_finish
        self.spoken: list[SpokenLine] = []
        self.interrupted: list[SpokenLine] = []
        self.current: SpokenLine | None = None
        self.stops = 0
        self.closed = False

    @property
    def lines(self) -> list[str]:
        """The texts spoken, in order."""
        return [line.text for line in self.spoken]

    @property
    def muted(self) -> bool:
        return self.volume == 0.0

    def speak(self, text: str, voice: VoiceChoice | None = None) -> None:
        if self.closed or not self._available:
            return
        self._cut_off()
        if not text.strip():
            return
        line = SpokenLine(text, voice, self.effective_rate(voice), self.volume)
        self.spoken.append(line)
        self.current = line
        self._emit("started", text)
        if self.auto_finish:
            self.finish()

    def stop(self) -> None:
        self.stops += 1
        self._cut_off()

    def close(self) -> None:
        self.current = None
        self.closed = True

    def sound_problem(self) -> str:
        return self.no_sound

    def save_wav(self, text: str, path: Path, voice: VoiceChoice | None = None) -> SavedWav:
        """Writes silence in the real speaker's checked way; "empty" and "flaky"
        write a bare header (always, or the first time) as pyttsx3 now and then does."""
        from negtrainer.voice.wav import write_checked, write_silence

        def write(tmp: Path) -> None:
            bare = self.wav == "empty" or (self.wav == "flaky" and not tries)
            tries.append(tmp)
            write_silence(tmp, 0 if bare else 0.1 * max(1, len(text.split())))

        tries: list[Path] = []
        self.saved.append((text, Path(path)))
        return write_checked(write, Path(path))

    # -- test controls -------------------------------------------------------

    def finish(self) -> None:
        """End the line being spoken as if it had been said to the end."""
        line, self.current = self.current, None
        if line is not None:
            self._emit("finished", line.text)

    def fail(self, reason: str) -> None:
        """Turn voice off as an engine failure would."""
        if not self._available:
            return
        self.current = None
        self._available = False
        self._reason = reason
        self._emit("failed", reason)

    def _cut_off(self) -> None:
        line, self.current = self.current, None
        if line is not None:
            self.interrupted.append(line)
            self._emit("finished", line.text)
