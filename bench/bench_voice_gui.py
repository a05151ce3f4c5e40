"""The window's longest event-loop stall while the counterpart is speaking.

    python bench/bench_voice_gui.py [--rounds 2]

An offscreen window plays packaging-renewal to a deal through the real Play
view; after each choice it waits until the reply has been said (and at least
300 ms, as with voice off). A 5 ms QTimer stamps every tick; a stall is the
longest gap between two ticks. Target: at most 50 ms while lines are being
spoken.

Measured in the same run, configurations interleaved round by round:

* off    -- voice off: the baseline, the same play with no speaker at all.
* fake   -- ProcessSpeaker with the worker's fake engine ("ok"): the real
            process, pipes and threads, an engine that speaks silently.
* espeak -- ProcessSpeaker with pyttsx3 and espeak-ng, where they work.

Also printed: speak() to "started" as the window sees it (the event queued
to the GUI thread), the median over every line said. Prints; asserts nothing.
"""

from __future__ import annotations

import argparse
import os
import statistics
import sys
import tempfile
import time
from collections.abc import Callable
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))
os.environ.setdefault("QT_QPA_PLATFORM", "offscreen")

from bench._common import act_in_window, launch, script_for, use_scratch_places

TICK_MS = 5
DWELL = 0.3  # seconds after each reply with voice off (and at least that with voice on)
SETTLE = 0.1  # seconds after a reply before "listening" counts: its layout and paint are done


@dataclass
class Run:
    """One configuration's figures, summed over its rounds."""

    gaps: list[float] = field(default_factory=list)  # every gap between ticks, seconds
    speaking_gaps: list[float] = field(default_factory=list)  # those while a line was said
    listening_gaps: list[float] = field(default_factory=list)  # those after a reply was shown
    delays: list[float] = field(default_factory=list)  # speak() -> "started" seen by the GUI
    lines: int = 0
    seconds: float = 0.0
    problem: str = ""


def play_once(qapp: Any, scratch: Path, name: str, factory: Callable[..., Any] | None) -> Run:
    from PySide6.QtCore import QEventLoop, Qt, QTimer

    from negtrainer.gui.services import Settings

    run = Run()
    settings = Settings()
    settings.set("voice/enabled", False)
    asked: dict[str, float] = {}

    def timed_factory(**kwargs: Any) -> Any:
        assert factory is not None
        speaker = factory(**kwargs)
        speak = speaker.speak

        def timed_speak(text: str, voice: Any = None) -> None:
            asked[text] = time.perf_counter()
            speak(text, voice)

        speaker.speak = timed_speak
        return speaker

    window, ready = launch(
        qapp,
        scratch / f"{name}-{time.monotonic_ns()}.db",
        settings=settings,
        speaker_factory=timed_factory if factory is not None else None,
    )

    def wait(cond: Callable[[], bool], timeout: float = 20.0) -> bool:
        end = time.monotonic() + timeout
        while not cond():
            if time.monotonic() > end:
                return False
            qapp.processEvents(QEventLoop.ProcessEventsFlag.WaitForMoreEvents)
        return True

    if not wait(lambda: bool(ready)):
        raise TimeoutError("the window did not get ready")
    services = window.services
    speaking: list[bool] = [False]

    def on_voice(kind: str, detail: str) -> None:
        if kind == "started":
            speaking[0] = True
            if detail in asked:
                run.delays.append(time.perf_counter() - asked.pop(detail))
                run.lines += 1
        elif kind in ("finished", "failed"):
            speaking[0] = False
        if kind == "failed":
            run.problem = detail

    services.voice_event.connect(on_voice)
    if factory is not None:
        settings.set("voice/enabled", True)
        wait(lambda: services.voice_ready or bool(services.voice_reason), 20)

    def idle() -> bool:
        return not speaking[0] and not services.voice_busy

    last = [0.0]
    listening = [False]

    def tick() -> None:
        now = time.perf_counter()
        if last[0]:
            gap = now - last[0]
            run.gaps.append(gap)
            if speaking[0]:
                run.speaking_gaps.append(gap)
            if listening[0]:
                run.listening_gaps.append(gap)
        last[0] = now

    timer = QTimer()
    timer.setTimerType(Qt.TimerType.PreciseTimer)
    timer.timeout.connect(tick)

    play = window.play
    window.open_brief("packaging-renewal")
    window.brief.variant.setCurrentIndex(window.brief.variant.findData("warm"))
    started = time.perf_counter()
    timer.start(TICK_MS)
    window.brief.start_button.click()
    wait(lambda: play.live is not None and not play.busy)

    def after_reply() -> None:
        shown = time.monotonic()
        wait(lambda: time.monotonic() - shown >= SETTLE)  # the reply's own layout and paint
        listening[0] = True
        wait(lambda: time.monotonic() - shown >= DWELL and (factory is None or idle()), 30)
        listening[0] = False

    after_reply()
    for item in script_for(play.live.session):
        turn = play.live.session.state.turn
        act_in_window(play, item)
        wait(lambda turn=turn: play.live.session.state.turn > turn and not play.busy)
        after_reply()
    wait(lambda: play.live.session.ended and not play.busy)
    timer.stop()
    run.seconds = time.perf_counter() - started
    if not play.live.session.ended:
        run.problem = "the session did not reach its ending"
    window.close()
    qapp.processEvents()
    window.deleteLater()
    qapp.processEvents()
    return run


def espeak_problem() -> str:
    from negtrainer.voice import list_voices, player_warning

    voices = list_voices()
    if voices.error is not None:
        return str(voices.error)
    warning = player_warning(voices.driver)
    return f"note: {warning}" if warning else ""


def ms(x: float) -> str:
    return f"{x * 1000:6.1f} ms"


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--rounds", type=int, default=2, help="full sessions per configuration")
    args = parser.parse_args(argv)

    from negtrainer.gui import app as gui_app
    from negtrainer.voice import ProcessSpeaker

    with tempfile.TemporaryDirectory(prefix="negtrainer-bench-voice-") as tmp:
        scratch = Path(tmp)
        (scratch / "scenarios").mkdir()
        use_scratch_places(scratch / "scenarios", scratch / "settings")
        qapp = gui_app.create_app(["negtrainer"])
        configs: dict[str, Callable[..., Any] | None] = {
            "off": None,
            "fake": lambda **kw: ProcessSpeaker(fake_engine="ok", **kw),
        }
        espeak_note = espeak_problem()
        if not espeak_note.startswith("No speech engine"):
            configs["espeak"] = lambda **kw: ProcessSpeaker(**kw)
        runs = {name: Run() for name in configs}
        play_once(qapp, scratch, "warm-up", None)  # imports, caches, first paint
        for _ in range(args.rounds):
            for name, factory in configs.items():
                one = play_once(qapp, scratch, name, factory)
                total = runs[name]
                total.gaps += one.gaps
                total.speaking_gaps += one.speaking_gaps
                total.listening_gaps += one.listening_gaps
                total.delays += one.delays
                total.lines += one.lines
                total.seconds += one.seconds
                total.problem = total.problem or one.problem

    print(
        f"negtrainer: event-loop stalls while speaking, {args.rounds} full session(s) of "
        f"packaging-renewal per configuration, a {TICK_MS} ms QTimer; "
        f"Python {sys.version.split()[0]}, PySide6 {__import__('PySide6').__version__}, "
        f"{sys.platform}, {os.cpu_count()} cpu(s)"
    )
    print("longest gap between 5 ms ticks: while a line was being said; while listening (from")
    print(f"{SETTLE * 1000:.0f} ms after a reply was shown to the next choice, the same phase with")
    print("voice off); anywhere (choices and their replies' painting included)")
    print(
        f"{'':8}{'speaking':>10}{'listening':>11}{'anywhere':>10}{'p99 gap':>10}"
        f"{'lines':>7}{'speak->started':>17}{'played':>9}"
    )
    for name, run in runs.items():
        p99 = statistics.quantiles(run.gaps, n=100)[98] if len(run.gaps) > 1 else 0.0
        speaking = ms(max(run.speaking_gaps)) if run.speaking_gaps else "   n/a"
        listen = ms(max(run.listening_gaps)) if run.listening_gaps else "   n/a"
        delay = f"median {ms(statistics.median(run.delays))}" if run.delays else "n/a"
        print(
            f"{name:8}{speaking:>10}{listen:>11}{ms(max(run.gaps)):>10}{ms(p99):>10}"
            f"{run.lines:>7}{delay:>17}{run.seconds:>8.1f}s"
        )
        if run.problem:
            print(f"{'':8}({run.problem})")
    if "espeak" not in runs:
        print(f"espeak  not measured: {espeak_note}")
    elif espeak_note:
        print(f"espeak  {espeak_note}")
    print("target: speaking <= 50 ms; 'off' (no speaker at all) is the baseline.")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
