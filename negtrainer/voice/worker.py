"""The speech worker: the only process that imports pyttsx3.

Started by :class:`~negtrainer.voice.process.ProcessSpeaker` and
:func:`~negtrainer.voice.voices.list_voices` as ``python -m
negtrainer.voice.worker [--list-voices]``. It reads commands on stdin and
writes events on a private copy of stdout (see :mod:`negtrainer.voice.protocol`);
everything else the engine prints (pyttsx3's own messages, ``sh: aplay: not
found``) is sent to stderr so it can never corrupt the event stream.

The main thread owns the engine. A reader thread takes commands as they come,
so a ``stop`` or a newer ``speak`` reaches a line that is still being spoken.
When stdin closes (the program closed the speaker, or died) the worker exits.
"""

from __future__ import annotations

import functools
import os
import queue
import re
import signal
import stat
import sys
import tempfile
import threading
import time
import traceback
from collections.abc import Callable
from pathlib import Path
from typing import IO, Any, Protocol

from negtrainer.voice.protocol import (
    FAKE_ENV,
    FAKE_MODES,
    decode,
    encode,
    one_line,
    speak_args,
)

# How long the reader keeps trying to silence a line that was cut off; past
# this the program's watchdog kills the worker and starts a fresh one.
_INTERRUPT_RETRY_SECONDS = 0.8


class Engine(Protocol):
    driver: str

    def voices(self) -> list[dict[str, Any]]: ...

    def speak(
        self,
        text: str,
        voice: str | None,
        rate: int,
        volume: float,
        started: Callable[[], None],
        cancelled: Callable[[], bool],
    ) -> bool:
        """Say ``text``; call ``started`` as the engine is asked; True if cut off."""

    def interrupt(self) -> None:
        """Called from the reader thread to cut off the line being spoken."""

    def save(self, text: str, voice: str | None, rate: int, volume: float, path: str) -> None:
        """Write ``text`` spoken to the WAV file ``path`` (checked by the caller)."""


class Pyttsx3Engine:
    def __init__(self) -> None:
        import pyttsx3  # type: ignore[import-untyped]  # only ever imported here, in the worker

        self._engine = pyttsx3.init()
        self.driver = str(getattr(self._engine, "driver_name", "") or "")
        self._cancelled: Callable[[], bool] = _never
        self._engine.connect("error", self._on_error)
        self._espeak_busy: Callable[[], Any] | None = None
        self._signal_children = False
        if self.driver == "espeak":
            # pyttsx3's espeak driver (2.9x) synthesises on espeak's own thread
            # and plays the result with `aplay` (afplay on macOS) from there, so
            # runAndWait can return while the line is still playing, and
            # engine.stop() inside a callback deadlocks. So: wait for espeak to
            # go idle, and end a cut-off line by signalling our own process
            # group, which stops the player (see _quietly_ignore_sigusr1).
            from pyttsx3.drivers import _espeak  # type: ignore[import-untyped]

            self._espeak_busy = getattr(_espeak, "IsPlaying", None)
            self._signal_children = sys.platform != "win32" and os.getpgrp() == os.getpid()
        else:
            self._engine.connect("started-word", self._on_word)

    def voices(self) -> list[dict[str, Any]]:
        return [_voice_record(v) for v in self._engine.getProperty("voices") or []]

    def speak(
        self,
        text: str,
        voice: str | None,
        rate: int,
        volume: float,
        started: Callable[[], None],
        cancelled: Callable[[], bool],
    ) -> bool:
        self._cancelled = cancelled
        # An unknown voice is reported through the "error" topic and the line
        # is said in the previous voice: better than silence.
        self._configure(voice, rate, volume)
        self._engine.say(text)
        started()
        self._run_until_idle()
        return cancelled()

    def interrupt(self) -> None:
        if sys.platform != "win32" and self._signal_children:
            os.killpg(os.getpid(), signal.SIGUSR1)

    def save(self, text: str, voice: str | None, rate: int, volume: float, path: str) -> None:
        self._configure(voice, rate, volume)
        self._engine.save_to_file(text, path)
        self._run_until_idle()

    def _configure(self, voice: str | None, rate: int, volume: float) -> None:
        if voice:
            self._engine.setProperty("voice", voice)
        self._engine.setProperty("rate", rate)
        self._engine.setProperty("volume", volume)

    def _run_until_idle(self) -> None:
        """Run the queued command until the engine (and espeak's player) is done."""
        self._engine.runAndWait()
        while self._espeak_busy is not None and self._espeak_busy():
            time.sleep(0.01)

    def _on_word(self, **_: object) -> None:
        # pyttsx3 allows stop() from its own callbacks (not so with espeak,
        # above); SAPI5 and NSSpeech report words as they are spoken, so this
        # cuts a line off mid-sentence.
        if self._cancelled():
            self._engine.stop()

    def _on_error(self, name: object = None, exception: object = None, **_: object) -> None:
        print(f"speech engine error: {one_line(exception)}", file=sys.stderr, flush=True)


class FakeEngine:
    """Misbehaves on request (see ``FAKE_ENV``) so tests exercise the real process."""

    driver = "fake"

    def __init__(self, mode: str) -> None:
        if mode not in FAKE_MODES:
            raise ValueError(f"{FAKE_ENV}={mode!r} is not one of {', '.join(FAKE_MODES)}")
        if mode == "raise":
            raise RuntimeError("simulated engine failure at start-up")
        if mode == "hang":
            _hang()
        if mode == "crash":
            os._exit(70)
        self.mode = mode

    def voices(self) -> list[dict[str, Any]]:
        return [
            {
                "id": "fake/en-us",
                "name": "Fake American",
                "languages": ["en-us"],
                "gender": "Female",
                "age": None,
            },
            {
                "id": "fake/en-gb",
                "name": "Fake British",
                "languages": ["en-gb"],
                "gender": "Male",
                "age": None,
            },
            {
                "id": "fake/fr",
                "name": "Fake French",
                "languages": ["fr-fr"],
                "gender": "Female",
                "age": None,
            },
        ]

    def speak(
        self,
        text: str,
        voice: str | None,
        rate: int,
        volume: float,
        started: Callable[[], None],
        cancelled: Callable[[], bool],
    ) -> bool:
        started()
        if self.mode == "raise-speak":
            raise RuntimeError("simulated engine failure while speaking")
        if self.mode == "crash-speak":
            os._exit(70)
        if self.mode == "hang-speak":
            _hang()
        # A tenth of the time the words would take to say: long enough to cut
        # off, short enough for tests.
        end = time.monotonic() + max(1, len(text.split())) * 6.0 / max(rate, 1)
        while time.monotonic() < end:
            if self.mode != "deaf" and cancelled():
                return True
            time.sleep(0.005)
        return False

    def interrupt(self) -> None:
        pass

    def save(self, text: str, voice: str | None, rate: int, volume: float, path: str) -> None:
        from negtrainer.voice.wav import write_silence

        self.saves = getattr(self, "saves", 0) + 1
        bare = self.mode == "empty-wav" or (self.mode == "flaky-wav" and self.saves == 1)
        write_silence(path, 0 if bare else 0.1 * max(1, len(text.split())))


def open_engine(fake_mode: str | None) -> Engine:
    return FakeEngine(fake_mode) if fake_mode else Pyttsx3Engine()


class Channel:
    """The event stream to the program; safe to use from both threads."""

    def __init__(self, stream: IO[bytes]) -> None:
        self._stream = stream
        self._lock = threading.Lock()

    def send(self, **message: Any) -> None:
        data = encode(message)
        with self._lock:
            try:
                self._stream.write(data)
                self._stream.flush()
            except OSError:  # the program is gone; nobody is left to listen
                os._exit(0)


class _State:
    def __init__(self) -> None:
        self.commands: queue.SimpleQueue[dict[str, Any]] = queue.SimpleQueue()
        self.cancel_upto = 0  # every line with an id up to this one is cut off
        self.speaking = 0  # id of the line being spoken, 0 when silent
        self.line_ended = threading.Event()
        self.engine: Engine | None = None

    def cancelled(self, seq: int) -> bool:
        return seq <= self.cancel_upto


def _read_commands(stdin: IO[bytes], state: _State, channel: Channel) -> None:
    for raw in stdin:
        try:
            _take_command(raw, state, channel)
        except Exception:  # noqa: BLE001 -- a bad line must never leave the worker deaf
            traceback.print_exc()
    os._exit(0)  # stdin closed: the program closed the speaker or has died


def _take_command(raw: bytes, state: _State, channel: Channel) -> None:
    command = decode(raw)
    if command is not None:
        op, seq = command.get("op"), command.get("id")
        if not isinstance(seq, int) or isinstance(seq, bool):
            return
        if op == "ping":
            channel.send(ev="pong", id=seq)
        elif op in ("speak", "stop"):
            # A new line cuts off every earlier one; a stop cuts off all.
            state.cancel_upto = max(state.cancel_upto, seq - 1 if op == "speak" else seq)
            _interrupt_cut_off_line(state)
            if op == "speak":
                state.commands.put(command)


def _interrupt_cut_off_line(state: _State) -> None:
    deadline = time.monotonic() + _INTERRUPT_RETRY_SECONDS
    # Retried because a cut can land while the line is still being
    # synthesised, before the player that must be stopped has started.
    while state.engine is not None and time.monotonic() < deadline:
        speaking = state.speaking
        if not speaking or not state.cancelled(speaking):
            return
        state.engine.interrupt()
        state.line_ended.wait(0.02)


def _serve(channel: Channel, fake_mode: str | None) -> int:
    state = _State()
    threading.Thread(
        target=_read_commands, args=(sys.stdin.buffer, state, channel), daemon=True
    ).start()
    try:
        engine = open_engine(fake_mode)
        voices = engine.voices()
    except Exception as exc:  # noqa: BLE001 -- whatever the engine raises is the report
        channel.send(ev="failed", stage="init", **_describe(exc))
        return 2
    state.engine = engine
    channel.send(ev="ready", driver=engine.driver, voices=voices)
    while True:
        command = state.commands.get()
        seq = command["id"]
        state.line_ended.clear()
        state.speaking = seq  # set before the check, so a cut never slips between
        args = speak_args(command)
        if state.cancelled(seq) or args is None:
            state.speaking = 0
            channel.send(ev="skipped", id=seq)
            continue
        text, voice, rate, volume = args
        try:
            interrupted = engine.speak(
                text,
                voice,
                rate,
                volume,
                started=functools.partial(channel.send, ev="started", id=seq),
                cancelled=functools.partial(state.cancelled, seq),
            )
        except Exception as exc:  # noqa: BLE001 -- reported; the program turns voice off
            channel.send(ev="failed", stage="speak", id=seq, **_describe(exc))
            return 3
        finally:
            state.speaking = 0
            state.line_ended.set()
        channel.send(ev="finished", id=seq, interrupted=bool(interrupted))


def _list_voices(channel: Channel, fake_mode: str | None) -> int:
    try:
        engine = open_engine(fake_mode)
        voices = engine.voices()
    except Exception as exc:  # noqa: BLE001 -- whatever the engine raises is the report
        channel.send(ev="failed", stage="init", **_describe(exc))
        return 2
    channel.send(ev="voices", driver=engine.driver, voices=voices)
    return 0


def _save_wav(stdin: IO[bytes], channel: Channel, fake_mode: str | None) -> int:
    from negtrainer.voice.wav import ATTEMPTS, write_checked

    command = decode(stdin.readline()) or {}
    args = speak_args(command)
    path = command.get("path")
    attempts = command.get("attempts")
    if args is None or not isinstance(path, str) or not path:
        channel.send(
            ev="saved",
            id=command.get("id"),
            ok=False,
            attempts=0,
            message="Could not save the WAV file: nothing to say, or nowhere to put it.",
        )
        return 1
    try:
        engine = open_engine(fake_mode)
    except Exception as exc:  # noqa: BLE001 -- whatever the engine raises is the report
        channel.send(ev="failed", stage="init", **_describe(exc))
        return 2
    text, voice, rate, volume = args
    attempts = attempts if isinstance(attempts, int) and 0 < attempts <= 10 else ATTEMPTS
    result = write_checked(
        lambda tmp: engine.save(text, voice, rate, volume, str(tmp)), Path(path), attempts
    )
    channel.send(
        ev="saved",
        id=command.get("id"),
        ok=result.ok,
        message=result.message,
        attempts=result.attempts,
    )
    return 0 if result.ok else 1


def _describe(exc: BaseException) -> dict[str, str]:
    kind = "no-module" if isinstance(exc, ImportError) else "engine"
    return {"kind": kind, "error": one_line(exc) or type(exc).__name__}


def _voice_record(voice: Any) -> dict[str, Any]:
    languages = []
    for lang in getattr(voice, "languages", None) or []:
        if isinstance(lang, bytes):  # older espeak drivers: a priority byte, then the code
            lang = lang.decode("utf-8", "ignore")
        lang = "".join(ch for ch in str(lang) if ch.isprintable()).strip()
        if lang:
            languages.append(lang)
    age = getattr(voice, "age", None)
    gender = getattr(voice, "gender", None)
    return {
        "id": str(voice.id),
        "name": str(getattr(voice, "name", None) or voice.id),
        "languages": languages,
        "gender": str(gender) if gender else None,
        "age": age if isinstance(age, (int, str)) else None,
    }


def _take_stdout() -> IO[bytes]:
    """Keep the real stdout for events and point fd 1 at stderr for the rest."""
    sys.stdout.flush()
    events = os.fdopen(os.dup(1), "wb")
    os.dup2(2, 1)
    sys.stdout = sys.stderr
    return events


def _quietly_ignore_sigusr1() -> None:
    # The worker survives the SIGUSR1 it sends its own group to end a player;
    # the player (exec'd, so back to the default action) dies of it. SA_RESTART
    # keeps the signal from failing any system call the engine is in.
    if sys.platform != "win32":
        signal.signal(signal.SIGUSR1, lambda *_: None)
        signal.siginterrupt(signal.SIGUSR1, False)


def _hang() -> None:
    while True:
        time.sleep(60)


def _never() -> bool:
    return False


_SAFE_PATH = re.compile(r"^[A-Za-z0-9/._-]+$")


def safe_tempdir() -> Path:
    """A private folder for the engine's temporary files, with a plain path.

    pyttsx3's espeak driver plays each line with ``os.system(f"aplay {tmpfile}")``:
    a temporary folder whose name holds a space or a shell character would be
    split or run. The worker's temporary files go to a folder of ours whose path
    holds neither, readable by this user only.
    """
    bases = [Path(tempfile.gettempdir()), Path("/tmp"), Path("/var/tmp")]
    uid = os.getuid() if hasattr(os, "getuid") else 0
    for base in bases:
        if not _SAFE_PATH.match(str(base)) or not base.is_dir():
            continue
        folder = base / f"negtrainer-voice-{uid}"
        try:
            folder.mkdir(mode=0o700, exist_ok=True)
            st = folder.lstat()
        except OSError:
            continue
        mine = not hasattr(os, "getuid") or st.st_uid == uid
        if stat.S_ISDIR(st.st_mode) and mine and not stat.S_IMODE(st.st_mode) & 0o077:
            return folder
    raise OSError("no temporary folder with a plain path that only this user can write to")


def _use_safe_tempdir() -> None:
    try:
        folder = str(safe_tempdir())
    except OSError as exc:  # left as it is; the engine may still work
        print(f"voice worker: {exc}", file=sys.stderr)
        return
    tempfile.tempdir = folder
    os.environ["TMPDIR"] = folder


def main(argv: list[str] | None = None) -> int:
    args = sys.argv[1:] if argv is None else argv
    channel = Channel(_take_stdout())
    _quietly_ignore_sigusr1()
    _use_safe_tempdir()
    fake_mode = os.environ.get(FAKE_ENV) or None
    if "--list-voices" in args:
        return _list_voices(channel, fake_mode)
    if "--save-wav" in args:
        return _save_wav(sys.stdin.buffer, channel, fake_mode)
    return _serve(channel, fake_mode)


if __name__ == "__main__":
    sys.exit(main())
