"""How long a line waits between ``speak()`` and the engine being asked to say it.

Run: ``python bench/bench_voice.py [--lines 20]``. Prints medians; asserts nothing.

Measured in the same run, the figure and what it is compared with:

* real   -- ProcessSpeaker with pyttsx3: speak() to the "started" event (the
            worker has handed the line to the engine), as a GUI would see it.
* fake   -- the same speaker with the worker's fake engine: the same pipes,
            threads and JSON, no engine. What the process design itself costs.
* ping   -- a bare ping/pong round trip over a worker's pipes: the floor.
* inproc -- pyttsx3 in this very process: say() to its own
            "started-utterance" callback. What a line would wait without a
            worker (and without any protection from the engine).

Each line is stopped as soon as it has started, so the run is quick and
nearly silent even where there is a sound device.
"""

from __future__ import annotations

import argparse
import contextlib
import os
import statistics
import sys
import threading
import time
from collections.abc import Callable, Iterator
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from negtrainer.voice import ProcessSpeaker
from negtrainer.voice.protocol import decode, encode, kill_worker, spawn_worker

LINES = [
    "Good to see you. How was the drive up?",
    "Shall we get straight to the numbers?",
    "We've put a lot of money into the new plant this year.",
    "I hear you. Volume matters more to us than you might think.",
]


def ms(seconds: list[float]) -> str:
    if not seconds:
        return "n/a"
    quartiles = statistics.quantiles(seconds, n=4) if len(seconds) > 1 else seconds * 3
    return (
        f"median {statistics.median(seconds) * 1000:7.2f} ms   "
        f"(quartiles {quartiles[0] * 1000:.2f} .. {quartiles[2] * 1000:.2f}, n={len(seconds)})"
    )


def bench_speaker(fake_engine: str | None, count: int) -> tuple[float | None, list[float], str]:
    started = threading.Event()
    finished = threading.Event()
    stamps: list[float] = []

    def on_event(kind: str, detail: str) -> None:
        if kind == "started":
            stamps.append(time.perf_counter())
            started.set()
        elif kind in ("finished", "failed"):
            finished.set()
            started.set()

    born = time.perf_counter()
    speaker = ProcessSpeaker(on_event=on_event, fake_engine=fake_engine)
    try:
        if not speaker.wait_ready(20):
            return None, [], speaker.reason
        startup = time.perf_counter() - born
        delays = []
        for n in range(count):
            started.clear()
            finished.clear()
            stamps.clear()
            asked = time.perf_counter()
            speaker.speak(LINES[n % len(LINES)])
            if not started.wait(10) or not stamps:
                return startup, delays, speaker.reason or "a line never started"
            delays.append(stamps[0] - asked)
            speaker.stop()
            finished.wait(10)
        return startup, delays, ""
    finally:
        speaker.close()


def bench_ping(count: int) -> list[float]:
    proc = spawn_worker(fake_engine="ok")
    assert proc.stdin is not None and proc.stdout is not None
    try:
        proc.stdout.readline()  # ready
        delays = []
        for n in range(count):
            asked = time.perf_counter()
            proc.stdin.write(encode({"op": "ping", "id": n + 1}))
            proc.stdin.flush()
            while (decode(proc.stdout.readline()) or {}).get("ev") != "pong":
                pass
            delays.append(time.perf_counter() - asked)
        return delays
    finally:
        kill_worker(proc)
        proc.wait()


def bench_in_process(count: int) -> tuple[list[float], str]:
    try:
        import pyttsx3

        engine = pyttsx3.init()
    except Exception as exc:  # noqa: BLE001 -- no engine here: nothing to compare with
        return [], f"pyttsx3 cannot start here: {exc}"
    stamps: list[float] = []
    engine.connect("started-utterance", lambda name=None: stamps.append(time.perf_counter()))
    delays = []
    with _quiet_stderr():  # the engine's player complains when there is no sound device
        for n in range(count):
            stamps.clear()
            asked = time.perf_counter()
            engine.say(LINES[n % len(LINES)])
            engine.runAndWait()
            if stamps:
                delays.append(stamps[0] - asked)
    return delays, ""


@contextlib.contextmanager
def _quiet_stderr() -> Iterator[None]:
    sys.stderr.flush()
    saved = os.dup(2)
    with open(os.devnull, "w") as devnull:
        os.dup2(devnull.fileno(), 2)
    try:
        yield
    finally:
        os.dup2(saved, 2)
        os.close(saved)


def report(label: str, run: Callable[[], tuple[float | None, list[float], str]]) -> None:
    startup, delays, problem = run()
    start_text = f"worker ready after {startup * 1000:.0f} ms; " if startup is not None else ""
    print(f"{label:7} {start_text}speak -> started: {ms(delays)}")
    if problem:
        print(f"        ({problem})")


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--lines", type=int, default=20)
    count = parser.parse_args().lines
    print(
        f"negtrainer voice latency, {count} lines each, Python {sys.version.split()[0]} "
        f"on {sys.platform}"
    )
    report("real", lambda: bench_speaker(None, count))
    report("fake", lambda: bench_speaker("ok", count))
    print(f"{'ping':7} pipe round trip:       {ms(bench_ping(count))}")
    delays, problem = bench_in_process(count)
    print(f"{'inproc':7} say -> started:        {ms(delays)}")
    if problem:
        print(f"        ({problem})")


if __name__ == "__main__":
    main()
