"""The wire between the program and its speech worker, and the worker's life.

One JSON object per line, ASCII only, both ways; never pickle, so nothing the
worker sends can run code here. Commands (program → worker), each with an
``id`` that grows with every command::

    {"op": "speak", "id": 7, "text": "...", "voice": "gmw/en-us+f3" | null,
     "rate": 170, "volume": 1.0}
    {"op": "stop", "id": 8}
    {"op": "ping", "id": 9}

Closing the worker's stdin tells it to exit. Started with ``--save-wav`` it takes
one command, writes the line to a WAV file, answers and exits::

    {"op": "save", "id": 1, "text": "...", "voice": ..., "rate": ..., "volume": ...,
     "path": "/home/ana/test.wav", "attempts": 3}

Events (worker → program)::

    {"ev": "ready", "driver": "espeak", "voices": [{...}, ...]}
    {"ev": "started", "id": 7}          just before the engine is asked to speak
    {"ev": "finished", "id": 7, "interrupted": false}
    {"ev": "skipped", "id": 7}          cut off before it began
    {"ev": "failed", "stage": "init" | "speak", "error": "...", "kind": "..."}
    {"ev": "voices", "driver": "espeak", "voices": [...]}   (--list-voices)
    {"ev": "pong", "id": 9}
    {"ev": "saved", "id": 1, "ok": true, "message": "...", "attempts": 1}   (--save-wav)

The worker runs in a process group of its own so that killing it also kills
whatever it started (pyttsx3's espeak driver plays audio through ``aplay``).
"""

from __future__ import annotations

import json
import math
import os
import signal
import subprocess
import sys
from pathlib import Path
from typing import Any

#: Set to make the worker fake its engine, for tests and benchmarks:
#: ``ok`` (a silent engine that takes a tenth of real speaking time), ``raise``,
#: ``hang`` or ``crash`` at start-up, ``raise-speak``, ``hang-speak`` or
#: ``crash-speak`` on the first line, ``deaf`` (ignores being interrupted);
#: saving WAV files, ``empty-wav`` (always a bare header, as pyttsx3 now and then
#: writes) or ``flaky-wav`` (a bare header the first time only).
FAKE_ENV = "NEGTRAINER_FAKE_TTS"
FAKE_MODES = (
    "ok",
    "raise",
    "hang",
    "crash",
    "raise-speak",
    "hang-speak",
    "crash-speak",
    "deaf",
    "empty-wav",
    "flaky-wav",
)

#: A frozen bundle has no ``python -m``; its entry point must hand this
#: argument to :func:`negtrainer.voice.worker.main`.
FROZEN_WORKER_FLAG = "--negtrainer-voice-worker"

_PACKAGE_ROOT = Path(__file__).resolve().parent.parent.parent


def encode(message: dict[str, Any]) -> bytes:
    return json.dumps(message, ensure_ascii=True, separators=(",", ":")).encode("ascii") + b"\n"


#: Longest line either side reads; a spoken line is at most a few KB even escaped.
MAX_LINE = 256 * 1024
MAX_TEXT = 10_000
RATE_RANGE = (50, 500)
DEFAULT_RATE = 175


def decode(raw: bytes) -> dict[str, Any] | None:
    """The message on one line, or None for anything that is not a JSON object
    (too long, not JSON, or nested so deep that reading it would overflow)."""
    if len(raw) > MAX_LINE:
        return None
    try:
        message = json.loads(raw)
    except (ValueError, RecursionError):
        return None
    return message if isinstance(message, dict) else None


def _finite(value: Any) -> bool:
    return not isinstance(value, bool) and isinstance(value, (int, float)) and math.isfinite(value)


def speak_args(command: dict[str, Any]) -> tuple[str, str | None, int, float] | None:
    """(text, voice, rate, volume) of a speak command, each checked; None if it has no
    text to speak. A wrongly typed rate or volume falls back to the default."""
    text = command.get("text")
    if not isinstance(text, str) or not text.strip():
        return None
    voice = command.get("voice")
    voice = voice if isinstance(voice, str) and len(voice) <= 200 else None
    rate = command.get("rate")
    if not _finite(rate):
        rate = DEFAULT_RATE
    volume = command.get("volume")
    if not _finite(volume):
        volume = 1.0
    return (
        text[:MAX_TEXT],
        voice,
        int(min(max(rate, RATE_RANGE[0]), RATE_RANGE[1])),
        float(min(max(volume, 0.0), 1.0)),
    )


def one_line(text: object, limit: int = 200) -> str:
    flat = " ".join(str(text).split())
    return flat if len(flat) <= limit else flat[: limit - 1] + "…"


def worker_command(*args: str) -> list[str]:
    if getattr(sys, "frozen", False):
        return [sys.executable, FROZEN_WORKER_FLAG, *args]
    return [sys.executable, "-m", "negtrainer.voice.worker", *args]


def worker_env(fake_engine: str | None) -> dict[str, str]:
    env = dict(os.environ)
    # The worker must import this very package, installed or not.
    env["PYTHONPATH"] = os.pathsep.join(
        p for p in (str(_PACKAGE_ROOT), env.get("PYTHONPATH", "")) if p
    )
    if fake_engine is not None:
        env[FAKE_ENV] = fake_engine
    return env


def spawn_worker(*args: str, fake_engine: str | None = None) -> subprocess.Popen[bytes]:
    """Start a worker with piped stdin, stdout and stderr, in its own group."""
    options: dict[str, Any] = {}
    if sys.platform == "win32":  # and no console window flashing up behind the GUI
        options["creationflags"] = subprocess.CREATE_NEW_PROCESS_GROUP | subprocess.CREATE_NO_WINDOW
    else:
        options["start_new_session"] = True
    return subprocess.Popen(
        worker_command(*args),
        stdin=subprocess.PIPE,
        stdout=subprocess.PIPE,
        stderr=subprocess.PIPE,
        env=worker_env(fake_engine),
        close_fds=True,
        **options,
    )


def kill_worker(proc: subprocess.Popen[bytes]) -> None:
    """Kill the worker and anything it started, at once; never raises."""
    try:
        if sys.platform != "win32":
            os.killpg(proc.pid, signal.SIGKILL)
        else:
            proc.kill()
    except OSError:  # already gone
        pass


def talk_to_worker(
    proc: subprocess.Popen[bytes], data: bytes | None, timeout: float
) -> tuple[bytes, bytes] | None:
    """A one-shot worker's (stdout, stderr), or None when it did not finish within
    ``timeout`` seconds (it is then killed, with anything it started)."""
    try:
        return proc.communicate(data, timeout=timeout)
    except subprocess.TimeoutExpired:
        kill_worker(proc)
        try:
            proc.communicate(timeout=1.0)
        except subprocess.TimeoutExpired:
            pass
        return None
