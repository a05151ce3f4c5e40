"""A line of speech written to a WAV file instead of spoken: for a computer with no
sound device, or to check the voice elsewhere.

pyttsx3's ``save_to_file`` is not to be trusted: with the espeak driver it writes a
header with no sound in it now and then (the last chunk of audio comes with the
"finished" event and is dropped when it is the only one). So every attempt is
checked (a file, longer than a header, a WAV the ``wave`` module can read, with
sound in it), tried again a few times, and only a good file is put in place: a
failed attempt never leaves a broken file where the user asked for one.
"""

from __future__ import annotations

import os
import wave
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path

from negtrainer.voice.protocol import decode, encode, one_line, spawn_worker, talk_to_worker
from negtrainer.voice.voices import NoEngine

HEADER_BYTES = 44  # a WAV file's header: a file no longer than this holds no sound
ATTEMPTS = 3
SAVE_TIMEOUT = 30.0


@dataclass(frozen=True)
class SavedWav:
    """What became of a request to save speech: ``message`` says it for people."""

    path: Path
    ok: bool
    message: str
    attempts: int = 0


def wav_problem(path: Path) -> str:
    """What is wrong with the WAV file at ``path``, or "" when it holds sound."""
    try:
        size = path.stat().st_size
    except OSError:
        return "no file was written"
    if size <= HEADER_BYTES:
        return "the file was empty (no sound in it)"
    try:
        with wave.open(str(path), "rb") as w:
            frames = w.getnframes()
    except (wave.Error, EOFError, OSError) as exc:
        return f"the file is not a readable WAV file ({one_line(exc)})"
    if frames == 0:
        return "the file holds no sound"
    return ""


def write_silence(path: Path | str, seconds: float) -> None:
    """A WAV file of ``seconds`` of silence (0: a bare header), as the fake engines write."""
    with wave.open(str(path), "wb") as w:
        w.setnchannels(1)
        w.setsampwidth(2)
        w.setframerate(22050)
        w.writeframes(b"\0\0" * round(22050 * seconds))


def _seconds(path: Path) -> float:
    with wave.open(str(path), "rb") as w:
        return w.getnframes() / max(1, w.getframerate())


def write_checked(write: Callable[[Path], None], path: Path, attempts: int = ATTEMPTS) -> SavedWav:
    """Call ``write(tmp)`` until ``tmp`` is a good WAV file (at most ``attempts``
    times), then move it to ``path``. Never raises."""
    path = Path(path)
    tmp = path.with_name(f".{path.stem}.{os.getpid()}.part.wav")
    problem = "nothing was tried"
    try:
        # A folder that cannot be written to is not worth trying again.
        try:
            with open(tmp, "wb"):
                pass
        except OSError as exc:
            return SavedWav(
                path,
                False,
                f"Could not save the WAV file: {path.parent} cannot "
                f"be written to ({exc.strerror or exc}). Pick another folder.",
            )
        for attempt in range(1, attempts + 1):
            try:
                tmp.unlink(missing_ok=True)  # what an earlier, empty attempt left
                write(tmp)
            except Exception as exc:  # noqa: BLE001 -- whatever the engine raises is the report
                problem = f"the speech engine failed ({one_line(exc)})"
                continue
            problem = wav_problem(tmp)
            if not problem:
                try:
                    os.replace(tmp, path)
                except OSError as exc:
                    return SavedWav(
                        path,
                        False,
                        f"Could not save the WAV file as {path}: {exc.strerror or exc}.",
                        attempt,
                    )
                return SavedWav(
                    path,
                    True,
                    f"Saved {path.name}: {_seconds(path):.1f} s of speech, in {path.parent}.",
                    attempt,
                )
        return SavedWav(
            path,
            False,
            f"Could not save the WAV file: {problem}, {attempts} times over. Nothing was saved.",
            attempts,
        )
    finally:
        try:
            tmp.unlink(missing_ok=True)
        except OSError:
            pass


def save_wav(
    text: str,
    path: Path,
    *,
    voice: str | None = None,
    rate: int = 175,
    volume: float = 1.0,
    attempts: int = ATTEMPTS,
    timeout: float = SAVE_TIMEOUT,
    fake_engine: str | None = None,
) -> SavedWav:
    """Have a speech worker write ``text`` to ``path`` as WAV; blocks (run it off the
    GUI thread) for at most ``timeout`` seconds. Never raises."""
    path = Path(path)
    command = {
        "op": "save",
        "id": 1,
        "text": text,
        "voice": voice,
        "rate": rate,
        "volume": volume,
        "path": str(path),
        "attempts": attempts,
    }
    try:
        proc = spawn_worker("--save-wav", fake_engine=fake_engine)
    except OSError as exc:
        return SavedWav(
            path, False, str(NoEngine(f"could not start the speech worker: {one_line(exc)}"))
        )
    answer = talk_to_worker(proc, encode(command), timeout)
    if answer is None:
        return SavedWav(
            path,
            False,
            f"Could not save the WAV file: the speech engine did not "
            f"finish within {timeout:g} s. Nothing was saved.",
        )
    out, err = answer
    for message in filter(None, map(decode, out.splitlines())):
        if message.get("ev") == "failed":
            reason = str(NoEngine.from_failure(message)).rstrip(".")
            return SavedWav(path, False, f"Could not save the WAV file. {reason}.")
        if message.get("ev") == "saved":
            attempts_made = int(message.get("attempts") or 0)
            if not message.get("ok"):
                return SavedWav(path, False, one_line(message.get("message", "")), attempts_made)
            problem = wav_problem(path)  # the worker said so; make sure
            if problem:
                return SavedWav(
                    path, False, f"Could not save the WAV file: {problem}.", attempts_made
                )
            return SavedWav(path, True, one_line(message.get("message", "")), attempts_made)
    last = one_line(err.decode("utf-8", "replace").strip().splitlines()[-1]) if err.strip() else ""
    return SavedWav(
        path,
        False,
        "Could not save the WAV file: the speech worker stopped "
        f"unexpectedly (exit code {proc.returncode})" + (f": {last}" if last else "") + ".",
    )
