"""The real speaker: pyttsx3 in a child process, under a watchdog.

pyttsx3's drivers block while they speak, can hang on a broken audio setup,
and sit on native libraries that can take the interpreter down. None of that
may reach the window, so the engine lives in a worker process
(:mod:`negtrainer.voice.worker`) that the program can always kill.

Every public method only puts a note in a queue and returns. One control
thread per speaker owns all the state: it starts the worker, sends it lines,
reads its events and enforces the deadlines:

* the engine must say it is ready within ``init_timeout``;
* a line must be acknowledged within ``init_timeout`` and finished within
  :func:`utterance_timeout` (generous: three times its expected length);
* a line that was cut off must end within ``stop_timeout``.

A missed deadline kills the worker together with anything it started. A
cut-off line that will not end is not a failure: the worker is replaced the
next time something is said (unless that keeps happening). Every other
miss, a crash or an engine error turns voice off for good, and :attr:`ProcessSpeaker.reason` says why.

Per worker there are three more threads, one per pipe, so no write to a stuck
worker can ever hold up the control thread.
"""

from __future__ import annotations

import logging
import math
import queue
import threading
import time
from collections import deque
from dataclasses import dataclass, replace
from typing import Any

from negtrainer.voice.protocol import decode, encode, kill_worker, one_line, spawn_worker
from negtrainer.voice.speaker import DEFAULT_RATE, EventCallback, Speaker, VoiceChoice
from negtrainer.voice.voices import NoEngine, VoiceList

log = logging.getLogger(__name__)

INIT_TIMEOUT = 5.0
STOP_TIMEOUT = 1.0
UTTERANCE_SLACK = 5.0
#: An engine that has to be replaced this many times in a row, with no line
#: said to its end in between, is taken for broken.
MAX_REPLACEMENTS = 3


def utterance_timeout(text: str, rate: int, slack: float = UTTERANCE_SLACK) -> float:
    """Seconds a line may take before the engine counts as hung."""
    words = max(1, len(text.split()))
    return slack + 3.0 * words * 60.0 / max(rate, 1)


@dataclass
class _Line:
    seq: int
    text: str
    voice_id: str | None
    rate: int
    volume: float
    started: bool = False
    cancelled: bool = False
    deadline: float = math.inf

    def command(self) -> dict[str, Any]:
        return {
            "op": "speak",
            "id": self.seq,
            "text": self.text,
            "voice": self.voice_id,
            "rate": self.rate,
            "volume": self.volume,
        }


class _Worker:
    """One worker process and the three threads that serve its pipes."""

    def __init__(self, generation: int, fake_engine: str | None, inbox: queue.SimpleQueue) -> None:
        self.generation = generation
        self.proc = spawn_worker(fake_engine=fake_engine)
        self._inbox = inbox
        self._outbox: queue.SimpleQueue[dict[str, Any] | None] = queue.SimpleQueue()
        self._stderr_tail: deque[str] = deque(maxlen=20)
        self._stderr_done = threading.Event()
        for target in (self._write, self._read, self._drain_stderr):
            threading.Thread(
                target=target, name=f"negtrainer-voice-{target.__name__}", daemon=True
            ).start()

    def send(self, message: dict[str, Any]) -> None:
        self._outbox.put(message)

    def kill(self) -> None:
        kill_worker(self.proc)
        self._outbox.put(None)

    @property
    def last_error_line(self) -> str:
        return self._stderr_tail[-1] if self._stderr_tail else ""

    def _write(self) -> None:
        stdin = self.proc.stdin
        assert stdin is not None
        while (message := self._outbox.get()) is not None:
            try:
                stdin.write(encode(message))
                stdin.flush()
            except (OSError, ValueError):  # the worker is gone; the reader reports it
                break
        try:
            stdin.close()
        except OSError:
            pass

    def _read(self) -> None:
        assert self.proc.stdout is not None
        for raw in self.proc.stdout:
            message = decode(raw)
            if message is not None:
                self._inbox.put(("event", self.generation, message))
        self.proc.stdout.close()
        returncode = self.proc.wait()
        self._stderr_done.wait(0.5)  # so a crash report can quote its last words
        self._inbox.put(("exit", self.generation, returncode))

    def _drain_stderr(self) -> None:
        assert self.proc.stderr is not None
        for raw in self.proc.stderr:
            line = one_line(raw.decode("utf-8", "replace"))
            if line:
                self._stderr_tail.append(line)
        self.proc.stderr.close()
        self._stderr_done.set()


class ProcessSpeaker(Speaker):
    """Speaks through pyttsx3 in a watched child process; see the module notes.

    The worker starts at once in the background; :attr:`available` is True
    until something goes wrong. ``on_event`` runs on the speaker's own thread.
    ``fake_engine`` (one of ``protocol.FAKE_MODES``) makes the worker fake a
    good or a faulty engine, for tests and benchmarks.
    """

    def __init__(
        self,
        *,
        rate: int = DEFAULT_RATE,
        volume: float = 1.0,
        on_event: EventCallback | None = None,
        init_timeout: float = INIT_TIMEOUT,
        stop_timeout: float = STOP_TIMEOUT,
        utterance_slack: float = UTTERANCE_SLACK,
        fake_engine: str | None = None,
    ) -> None:
        super().__init__(rate=rate, volume=volume, on_event=on_event)
        self.init_timeout = init_timeout
        self.stop_timeout = stop_timeout
        self.utterance_slack = utterance_slack
        self._fake_engine = fake_engine
        self._inbox: queue.SimpleQueue[tuple[Any, ...]] = queue.SimpleQueue()
        self._available = True
        self._reason = ""
        self._voices: VoiceList | None = None
        self._settled = threading.Event()
        self._closed = False
        # Owned by the control thread; close() only reads _worker to kill it.
        self._worker: _Worker | None = None
        self._generation = 0
        self._seq = 0
        self._ready = False
        self._start_deadline: float | None = None
        self._pending: _Line | None = None
        self._inflight: dict[int, _Line] = {}
        self._replacements = 0
        self._thread = threading.Thread(target=self._run, name="negtrainer-voice", daemon=True)
        self._thread.start()

    # -- public, all non-blocking except wait_ready ---------------------------

    @property
    def voices(self) -> VoiceList | None:
        """The installed voices, once the engine has started (None before)."""
        return self._voices

    def wait_ready(self, timeout: float | None = None) -> bool:
        """Block until the engine is ready (True) or voice is off (False).

        For scripts and tests; a GUI listens for events instead.
        """
        self._settled.wait(timeout)
        return self._available and self._voices is not None and not self._closed

    def speak(self, text: str, voice: VoiceChoice | None = None) -> None:
        if self._closed or not self._available:
            return
        voice_id = voice.voice_id if voice is not None else None
        self._inbox.put(("speak", text, voice_id, self.effective_rate(voice), self.volume))

    def stop(self) -> None:
        if not self._closed:
            self._inbox.put(("stop",))

    def sound_problem(self) -> str:
        return "" if self._fake_engine else super().sound_problem()  # a fake engine is silent

    def _wav_options(self, text: str) -> dict[str, Any]:
        # save_wav starts a worker of its own: a file is not a line, and must
        # not wait behind one.
        return {
            "timeout": self.init_timeout + utterance_timeout(text, self.rate) * 3,
            "fake_engine": self._fake_engine,
        }

    def close(self) -> None:
        if self._closed:
            return
        self._closed = True
        worker = self._worker
        if worker is not None:
            worker.kill()
        self._inbox.put(("close",))
        self._settled.set()  # nobody may wait for a closed speaker to get ready

    # -- the control thread --------------------------------------------------

    def _run(self) -> None:
        self._spawn()
        while True:
            try:
                item = self._inbox.get(timeout=self._time_to_next_deadline())
            except queue.Empty:
                item = None
            if self._closed:
                self._kill_worker()
                return
            try:
                if item is not None:
                    self._handle(item)
                self._check_deadlines(time.monotonic())
            except Exception as exc:  # a bug here must silence speech, not hang it
                log.exception("voice control thread failed")
                self._turn_off(f"Voice is off: internal error — {one_line(exc)}")

    def _handle(self, item: tuple[Any, ...]) -> None:
        kind = item[0]
        if kind == "speak":
            self._on_speak(*item[1:])
        elif kind == "stop":
            self._on_stop()
        elif (
            kind in ("event", "exit")
            and self._worker is not None
            and item[1] == self._worker.generation
        ):  # news from an old worker is moot
            if kind == "event":
                self._on_message(item[2])
            elif kind == "exit":
                self._on_exit(item[2])

    def _on_speak(self, text: str, voice_id: str | None, rate: int, volume: float) -> None:
        if not self._available:
            return
        if not text.strip():
            self._on_stop()
            return
        self._seq += 1
        line = _Line(self._seq, text, voice_id, rate, volume)
        if self._worker is None:
            self._spawn()
            if not self._available:
                return
        if not self._ready:
            self._pending = line  # said once the engine is up; a newer line replaces it
            return
        self._send(line)

    def _on_stop(self) -> None:
        self._pending = None
        if self._worker is None or not self._ready or not self._inflight:
            return
        self._seq += 1
        now = time.monotonic()
        for line in self._inflight.values():
            self._cut(line, now)
        self._worker.send({"op": "stop", "id": self._seq})

    def _send(self, line: _Line) -> None:
        assert self._worker is not None
        now = time.monotonic()
        for earlier in self._inflight.values():
            self._cut(earlier, now)
        line.deadline = now + self.init_timeout + (self.stop_timeout if self._inflight else 0)
        self._inflight[line.seq] = line
        self._worker.send(line.command())

    def _cut(self, line: _Line, now: float) -> None:
        if not line.cancelled:
            line.cancelled = True
            line.deadline = min(line.deadline, now + self.stop_timeout)

    def _on_message(self, message: dict[str, Any]) -> None:
        event, seq = message.get("ev"), message.get("id")
        line = self._inflight.get(seq) if isinstance(seq, int) else None
        if event == "ready":
            self._ready = True
            self._start_deadline = None
            self._voices = VoiceList.from_records(
                message.get("voices") or [], message.get("driver", "")
            )
            self._settled.set()
            if self._pending is not None:
                pending, self._pending = self._pending, None
                self._send(pending)
        elif event == "started" and line is not None and not line.started:
            line.started = True
            if not line.cancelled:
                line.deadline = time.monotonic() + utterance_timeout(
                    line.text, line.rate, self.utterance_slack
                )
            self._emit("started", line.text)
        elif event in ("finished", "skipped") and line is not None:
            del self._inflight[line.seq]
            if event == "finished" and not message.get("interrupted"):
                self._replacements = 0  # the engine can still finish a line
            if line.started:
                self._emit("finished", line.text)
        elif event == "failed":
            if message.get("stage") == "init":
                self._turn_off(str(NoEngine.from_failure(message)))
            else:
                self._turn_off(
                    "Voice is off: the speech engine failed while speaking — "
                    f"{one_line(message.get('error'))}"
                )

    def _on_exit(self, returncode: int) -> None:
        assert self._worker is not None
        how = f"killed by signal {-returncode}" if returncode < 0 else f"exit code {returncode}"
        last = self._worker.last_error_line
        self._turn_off(
            f"Voice is off: the speech worker stopped unexpectedly ({how})"
            + (f" — {last}" if last else "")
        )

    def _check_deadlines(self, now: float) -> None:
        if self._worker is None:
            return
        if self._start_deadline is not None and now >= self._start_deadline:
            self._turn_off(
                f"Voice is off: the speech engine did not start within {self.init_timeout:g} s"
            )
            return
        for line in self._inflight.values():
            if now < line.deadline:
                continue
            if line.cancelled:
                self._replace_stuck_worker()
            elif line.started:
                self._turn_off(
                    "Voice is off: the speech engine stopped responding in the middle of a line"
                )
            else:
                self._turn_off(
                    "Voice is off: the speech engine did not take a line "
                    f"within {self.init_timeout:g} s"
                )
            return

    def _time_to_next_deadline(self) -> float | None:
        deadlines = [line.deadline for line in self._inflight.values()]
        if self._start_deadline is not None:
            deadlines.append(self._start_deadline)
        soonest = min(deadlines, default=math.inf)
        return None if soonest == math.inf else max(0.0, soonest - time.monotonic())

    # -- the worker's life ---------------------------------------------------

    def _spawn(self) -> None:
        self._generation += 1
        self._ready = False
        try:
            self._worker = _Worker(self._generation, self._fake_engine, self._inbox)
        except OSError as exc:
            self._turn_off(f"Voice is off: could not start the speech worker — {one_line(exc)}")
            return
        self._start_deadline = time.monotonic() + self.init_timeout
        if self._closed:  # close() ran while the worker was being started
            self._worker.kill()

    def _replace_stuck_worker(self) -> None:
        """A cut-off line would not end: kill the worker, start afresh if needed."""
        self._replacements += 1
        if self._replacements >= MAX_REPLACEMENTS:
            self._turn_off(
                "Voice is off: the speech engine would not stop speaking, "
                f"and was restarted {MAX_REPLACEMENTS - 1} times"
            )
            return
        waiting = [line for line in self._inflight.values() if not line.cancelled]
        self._kill_worker()
        for line in self._inflight.values():
            if line.started:
                self._emit("finished", line.text)
        self._inflight.clear()
        if waiting:
            self._pending = replace(waiting[-1], started=False, deadline=math.inf)
            self._spawn()

    def _kill_worker(self) -> None:
        if self._worker is not None:
            self._worker.kill()
            self._worker = None
        self._ready = False
        self._start_deadline = None

    def _turn_off(self, reason: str) -> None:
        self._kill_worker()
        self._inflight.clear()
        self._pending = None
        if not self._available:
            return
        self._reason = reason  # before available, so whoever sees False sees why
        self._available = False
        self._settled.set()
        self._emit("failed", reason)
