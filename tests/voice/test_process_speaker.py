"""The real speaker's process isolation, exercised with faked engines in a real worker.

The worker is a real child process; only the engine inside it is faked
(``fake_engine=...``), so a hang, a crash or an exception happens where a real
one would. No call is timed: "returns at once" means it returns while the
worker is held where the fake engine stopped it (a line that never ends, a
start that never comes, with the speaker's own timeouts far beyond the guard),
so a call that waited on the worker could not return before the guard ran out.
"""

from __future__ import annotations

import os
import threading
import time
from collections.abc import Callable

import pytest

from negtrainer.voice import ProcessSpeaker, VoiceChoice

GUARD = 30.0  # seconds; a deadlock guard so a blocking call fails the test, not a measure
LONG_LINE = " ".join(["word"] * 400)  # about 14 s for the fake engine
SHORT_LINE = "Good to see you."
# The long line is cut short (its end is still reported) and the short one spoken whole.
CUT_OFF_THEN_SPOKEN = [
    ("started", LONG_LINE),
    ("finished", LONG_LINE),
    ("started", SHORT_LINE),
    ("finished", SHORT_LINE),
]


def returns_while(call: Callable[[], object], held: Callable[[], bool]) -> None:
    """``call`` returns while ``held()`` still says the worker has not moved on."""
    done = threading.Event()
    threading.Thread(target=lambda: (call(), done.set()), daemon=True).start()
    assert done.wait(GUARD), "the call waited on the worker"
    assert held(), "the call returned only after the worker moved on"


@pytest.fixture
def make_speaker(event_log):
    made: list[ProcessSpeaker] = []

    def make(fake_engine: str, **options) -> ProcessSpeaker:
        speaker = ProcessSpeaker(fake_engine=fake_engine, on_event=event_log, **options)
        made.append(speaker)
        return speaker

    yield make
    for speaker in made:
        speaker.close()


def test_a_line_is_started_and_finished_by_the_worker(make_speaker, event_log):
    speaker = make_speaker("ok")
    speaker.speak(SHORT_LINE)
    assert event_log.wait_for("finished")
    assert event_log.events == [("started", SHORT_LINE), ("finished", SHORT_LINE)]
    assert speaker.available and speaker.reason == ""


def test_the_voices_are_known_once_the_engine_is_ready(make_speaker):
    speaker = make_speaker("ok")
    assert speaker.wait_ready(10)
    assert speaker.voices is not None
    assert speaker.voices.driver == "fake"
    assert "fake/en-us" in [v.id for v in speaker.voices]


def test_a_chosen_voice_and_settings_reach_the_worker_without_error(make_speaker, event_log):
    speaker = make_speaker("ok", rate=300, volume=0.2)
    speaker.speak(SHORT_LINE, VoiceChoice("fake/en-gb", "Fake British", rate=120))
    assert event_log.wait_for("finished")
    assert speaker.available


def test_a_new_line_cuts_off_the_one_being_spoken(make_speaker, event_log):
    speaker = make_speaker("ok")
    speaker.speak(LONG_LINE)
    assert event_log.wait_for("started")
    speaker.speak(SHORT_LINE)
    assert event_log.wait_for("finished", SHORT_LINE)
    assert event_log.events == CUT_OFF_THEN_SPOKEN


def test_only_the_latest_of_several_quick_lines_is_spoken_after_the_cut(make_speaker, event_log):
    speaker = make_speaker("ok")
    assert speaker.wait_ready(10)
    speaker.speak(LONG_LINE)
    assert event_log.wait_for("started")
    for n in range(5):
        speaker.speak(f"line {n}")
    assert event_log.wait_for("finished", "line 4")
    started = [d for k, d in event_log.settle(0.2) if k == "started"]
    assert started[0] == LONG_LINE and started[-1] == "line 4"
    assert len(started) < 7  # lines overtaken before they began were never started


def test_stop_interrupts_the_line_being_spoken(make_speaker, event_log):
    speaker = make_speaker("ok")
    speaker.speak(LONG_LINE)
    assert event_log.wait_for("started")
    speaker.stop()
    assert event_log.wait_for("finished", timeout=3)  # 14 s if it were not interrupted
    assert speaker.available


def test_a_line_said_before_the_engine_is_ready_is_spoken_once_it_is(make_speaker, event_log):
    speaker = make_speaker("ok")
    speaker.speak("too early")  # the worker is still starting
    speaker.speak(SHORT_LINE)
    assert event_log.wait_for("finished")
    assert event_log.settle(0.2) == [("started", SHORT_LINE), ("finished", SHORT_LINE)]


def test_an_engine_that_fails_to_start_turns_voice_off_with_an_install_hint(
    make_speaker, event_log
):
    speaker = make_speaker("raise")
    assert event_log.wait_for("failed")
    assert not speaker.available
    assert speaker.reason.startswith("No speech engine: ")
    assert "simulated engine failure" in speaker.reason
    assert "\n" not in speaker.reason
    assert event_log.events == [("failed", speaker.reason)]


def test_no_call_waits_on_an_engine_that_hangs_at_start(make_speaker, event_log):
    speaker = make_speaker("hang", init_timeout=2 * GUARD)
    for call in (
        lambda: speaker.speak(SHORT_LINE),
        speaker.stop,
        lambda: speaker.available,
        lambda: speaker.reason,
    ):
        returns_while(call, lambda: speaker.available and "failed" not in event_log.kinds())
    assert speaker.voices is None  # still starting
    returns_while(speaker.close, lambda: "failed" not in event_log.kinds())


def test_no_call_waits_on_an_engine_that_hangs_mid_line(make_speaker, event_log):
    speaker = make_speaker(
        "hang-speak", init_timeout=2 * GUARD, stop_timeout=2 * GUARD, utterance_slack=2 * GUARD
    )
    speaker.speak("Hello.")
    assert event_log.wait_for("started")
    worker_pid = speaker._worker.proc.pid  # peeking, to check the process is really gone
    for call in (
        lambda: speaker.speak(SHORT_LINE),
        speaker.stop,
        lambda: speaker.available,
        lambda: speaker.reason,
    ):
        returns_while(call, lambda: event_log.kinds() == ["started"] and _alive(worker_pid))
    # close kills the held worker rather than waiting out its stop timeout.
    returns_while(speaker.close, lambda: "finished" not in event_log.kinds())
    assert _gone_within(worker_pid, GUARD)


def test_an_engine_that_hangs_at_start_is_killed_and_voice_turns_off(make_speaker, event_log):
    speaker = make_speaker("hang", init_timeout=1.0)
    assert event_log.wait_for("failed")
    assert not speaker.available
    assert "did not start within 1 s" in speaker.reason
    assert not speaker.wait_ready(0)


def test_a_worker_that_crashes_at_start_turns_voice_off(make_speaker, event_log):
    speaker = make_speaker("crash")
    assert event_log.wait_for("failed")
    assert not speaker.available
    assert "stopped unexpectedly (exit code 70)" in speaker.reason


def test_an_engine_that_hangs_mid_line_is_killed_within_the_line_bound(make_speaker, event_log):
    speaker = make_speaker("hang-speak", utterance_slack=0.5)
    speaker.speak("Hello.")  # bound: 0.5 s + three times the line's length (about 1 s)
    assert event_log.wait_for("started")
    assert speaker.available
    assert event_log.wait_for("failed", timeout=GUARD)
    assert "stopped responding in the middle of a line" in speaker.reason
    assert event_log.kinds() == ["started", "failed"]


def test_cutting_off_a_hung_line_replaces_the_worker_and_voice_stays_on(make_speaker, event_log):
    speaker = make_speaker("hang-speak", stop_timeout=0.3)
    speaker.speak("Hello.")
    assert event_log.wait_for("started")
    speaker.stop()
    assert event_log.wait_for("finished", "Hello.", timeout=5)
    assert speaker.available
    speaker.speak("Are you there?")  # said by a fresh worker (which hangs too)
    assert event_log.wait_for("started", "Are you there?")


def test_an_engine_that_must_be_replaced_again_and_again_turns_voice_off(make_speaker, event_log):
    speaker = make_speaker("hang-speak", stop_timeout=0.2)
    for n in range(2):
        speaker.speak(f"Line {n}.")
        assert event_log.wait_for("started", f"Line {n}.")
        speaker.stop()
        assert event_log.wait_for("finished", f"Line {n}.")
        assert speaker.available
    speaker.speak("Line 2.")
    assert event_log.wait_for("started", "Line 2.")
    speaker.stop()
    assert event_log.wait_for("failed", timeout=5)
    assert "would not stop speaking" in speaker.reason


def test_an_engine_that_raises_mid_line_turns_voice_off(make_speaker, event_log):
    speaker = make_speaker("raise-speak")
    speaker.speak(SHORT_LINE)
    assert event_log.wait_for("failed")
    assert "failed while speaking" in speaker.reason
    assert "simulated engine failure while speaking" in speaker.reason
    assert event_log.kinds() == ["started", "failed"]


def test_a_worker_that_crashes_mid_line_turns_voice_off(make_speaker, event_log):
    speaker = make_speaker("crash-speak")
    speaker.speak(SHORT_LINE)
    assert event_log.wait_for("failed")
    assert "stopped unexpectedly" in speaker.reason
    assert event_log.kinds() == ["started", "failed"]


def test_a_worker_that_ignores_stop_is_replaced_and_the_next_line_still_spoken(
    make_speaker, event_log
):
    speaker = make_speaker("deaf", stop_timeout=0.3)
    speaker.speak(LONG_LINE)
    assert event_log.wait_for("started")
    speaker.speak(SHORT_LINE)
    assert event_log.wait_for("finished", SHORT_LINE, timeout=10)
    assert speaker.available
    assert event_log.events == CUT_OFF_THEN_SPOKEN


def test_once_voice_is_off_lines_are_dropped_at_once(make_speaker, event_log):
    speaker = make_speaker("raise")
    assert event_log.wait_for("failed")
    speaker.speak(SHORT_LINE)
    assert event_log.settle(0.3) == [("failed", speaker.reason)]


def test_close_kills_a_hung_worker_at_once(make_speaker, event_log):
    speaker = make_speaker("hang-speak")
    speaker.speak(SHORT_LINE)
    assert event_log.wait_for("started")
    worker_pid = speaker._worker.proc.pid  # peeking, to check the process is really gone
    speaker.close()
    assert _gone_within(worker_pid, 5)
    speaker.speak("after closing")
    assert event_log.settle(0.2) == [("started", SHORT_LINE)]


def _gone_within(pid: int, seconds: float) -> bool:
    deadline = time.monotonic() + seconds
    while time.monotonic() < deadline:
        if not _alive(pid):
            return True
        time.sleep(0.02)
    return False


def _alive(pid: int) -> bool:
    if os.name != "posix":
        return False  # the speaker's own reaper is the check there
    try:
        with open(f"/proc/{pid}/stat") as stat:
            return stat.read().split(") ")[-1][:1] not in ("Z", "X")
    except (FileNotFoundError, ProcessLookupError):
        return False  # reaped while we looked
    except OSError:
        try:
            os.kill(pid, 0)
        except ProcessLookupError:
            return False
        return True
