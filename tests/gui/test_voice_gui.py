"""Voice in the window: what Play and Replay say, the voice settings, and a
speech engine that fails in every way it can without the trainer noticing more
than a line of text.

The first half uses FakeSpeaker (it records what it was asked to say); the
second a real ProcessSpeaker whose worker fakes a broken engine, injected
through the app's speaker factory.
"""

from __future__ import annotations

import itertools
import time
from pathlib import Path
from typing import Any

import pytest
from guiplay import DEAL, PATH
from PySide6.QtCore import QSettings, Qt, QTimer, QUrl

from negtrainer.spoken import spoken
from negtrainer.voice import ProcessSpeaker, VoiceList, install_hint, player_warning

VOICES = [
    {"id": "fake/en-us", "name": "Fake American", "languages": ["en-us"], "gender": "Female"},
    {"id": "fake/en-gb", "name": "Fake British", "languages": ["en-gb"], "gender": "Male"},
    {"id": "fake/fr", "name": "Fake French", "languages": ["fr-fr"], "gender": "Female"},
]


def them(play: Any) -> list[str]:
    """The counterpart's lines as Play shows them, in order."""
    return [e.text for e in play.transcript.entries if e.kind == "them"]


def drain(speaker: Any) -> None:
    """Let the fake speaker say every line waiting, to its end."""
    while speaker.current is not None:
        speaker.finish()


def voice_on(window: Any, **settings: Any) -> None:
    for key, value in settings.items():
        window.services.settings.set(f"voice/{key}", value)
    window.services.settings.set("voice/enabled", True)


def stored(key: str) -> Any:
    return QSettings(
        QSettings.Format.IniFormat, QSettings.Scope.UserScope, "negtrainer", "negtrainer"
    ).value(key)


def finish_session(play: Any, drive: Any, qtbot: Any, choices: list[str]) -> None:
    for cid in choices:
        drive.press(play, cid)
    play.offers.set_terms(DEAL)
    qtbot.mouseClick(play.offers.send_button, Qt.MouseButton.LeftButton)
    qtbot.waitUntil(lambda: play.live.session.ended and not play.busy, timeout=10000)
    assert play.ending_title.text() == "Deal signed"


# -- what Play says (FakeSpeaker) --------------------------------------------------------


def test_play_speaks_the_counterparts_lines_one_by_one_in_the_order_shown(
    window, drive, fake_voice
):
    voice_on(window)
    play = drive.start(window)
    speaker = fake_voice.speaker
    drain(speaker)
    for cid in PATH[:5]:
        drive.press(play, cid)
        assert speaker.current is not None, "the reply is being said"
        drain(speaker)
    # Each line as shown, less its stage directions: those are read, not heard.
    assert speaker.lines == [spoken(t) for t in them(play) if spoken(t)]
    assert not any("(" in line for line in speaker.lines)
    assert len(speaker.lines) > 1 + 5, "a reply of two lines was said as two lines"
    assert not speaker.interrupted, "each line was said to its end"
    cp = play.live.scenario.spec.counterpart
    assert all(
        line.voice is not None and line.voice.rate == cp.voice.rate for line in speaker.spoken
    ), "in the counterpart's own voice"


def test_a_new_choice_cuts_off_the_line_being_spoken_and_what_was_to_follow(
    window, drive, fake_voice
):
    voice_on(window)
    play = drive.start(window)
    speaker = fake_voice.speaker
    opening = them(play)[0]
    assert speaker.current.text == opening
    drive.press(play, PATH[0])  # while the opening is still being said
    assert speaker.interrupted[-1].text == opening
    drain(speaker)
    for cid in PATH[1:3]:
        drive.press(play, cid)
        drain(speaker)
    drive.press(play, "label_nervous")  # answered in two lines: choose again during the first
    shown = them(play)
    first, second = shown[-2:]
    assert speaker.current.text == first
    drive.press(play, "ask_year")
    assert speaker.interrupted[-1].text == first
    assert second not in speaker.lines, "the rest of the old reply is dropped"
    assert speaker.current.text == them(play)[len(shown)], "the new reply is said at once"
    assert speaker.stops >= 5


def test_with_voice_off_nothing_is_said_anywhere(window, drive, fake_voice, qtbot):
    play = drive.start(window)
    for cid in PATH[:3]:
        drive.press(play, cid)
    assert not fake_voice.speakers, "no speaker is even started"
    voice_on(window)
    drive.press(play, PATH[3])
    speaker = fake_voice.speaker
    assert speaker.lines
    window.services.settings.set("voice/enabled", False)  # mid-line: silenced at once
    assert speaker.closed and speaker.current is None
    for cid in PATH[4:6]:
        drive.press(play, cid)
    assert len(fake_voice.speakers) == 1
    sid = play.live.id
    window.open_replay(sid, 2)
    replay = window.view("replay")
    qtbot.waitUntil(lambda: replay.data is not None and replay.turn == 2, timeout=10000)
    assert not replay.speak_button.isEnabled()
    assert "Settings" in replay.speak_button.toolTip()
    assert "speak:" not in replay.transcript.toHtml()


def test_the_learners_own_line_is_read_first_in_a_neutral_other_voice(
    launch, drive, fake_voice, qtbot
):
    def voiced(**kw: Any) -> Any:
        speaker = fake_voice(**kw)
        speaker.voices = VoiceList.from_records(VOICES, "fake")
        return speaker

    window = launch(speaker_factory=voiced)
    page = window.view("settings")
    voice_on(window)
    window.show_page("settings")
    page.voice_learner.click()
    assert window.services.settings.voice_learner and stored("voice/learner") in (True, "true")
    play = drive.start(window)
    speaker = fake_voice.speaker
    drain(speaker)
    drive.click(play, PATH[0])
    said = play.live.session.state.log[-1]["said"]
    mine = speaker.current
    assert mine.text == said, "the learner's line comes first"
    assert mine.voice.rate is None, "at the normal pace"
    assert speaker.lines[-1] == said, "the reply waits for the learner's line to end"
    speaker.finish()
    theirs = speaker.current
    assert theirs.text == them(play)[1]
    assert theirs.voice.voice_id != mine.voice.voice_id, "two different voices"
    drain(speaker)
    # A new choice still cuts in: the learner's line and the reply waiting behind it.
    drive.click(play, PATH[1])
    first_mine = speaker.current.text
    drive.click(play, PATH[2])
    assert speaker.interrupted[-1].text == first_mine
    assert speaker.current.text == play.live.session.state.log[-1]["said"]


def test_volume_and_pace_reach_the_speaker_and_are_remembered(window, fake_voice, qtbot):
    window.show_page("settings")
    page = window.settings_view
    page.voice_on.click()
    page.volume.setValue(40)
    page.rate.setValue(220)
    speaker = fake_voice.speaker
    assert speaker.volume == pytest.approx(0.4) and speaker.rate == 220
    assert int(stored("voice/volume")) == 40 and page.volume_value.text() == "40 %"
    qtbot.mouseClick(page.test_voice, Qt.MouseButton.LeftButton)
    assert speaker.spoken[-1].volume == pytest.approx(0.4)
    assert "Voice is on" in page.voice_state.text()
    assert not page.retry_voice.isVisible()


# -- what Replay says ---------------------------------------------------------------------


def test_replay_speaks_the_selected_turns_reply_on_request_and_stepping_stops_it(
    window, drive, fake_voice, qtbot
):
    voice_on(window)
    play = drive.start(window)
    for cid in PATH[:6]:
        drive.press(play, cid)
    sid = play.live.id
    speaker = fake_voice.speaker
    window.open_replay(sid, 0)
    replay = window.view("replay")
    qtbot.waitUntil(lambda: replay.data is not None and replay.session_id == sid, timeout=10000)
    replay.table.selectRow(replay.model.row_of(4))
    assert replay.turn == 4
    reply = replay.reply_lines()
    assert len(reply) == 2, "label_nervous is answered in two lines"
    assert replay.speak_button.isEnabled()
    qtbot.mouseClick(replay.speak_button, Qt.MouseButton.LeftButton)
    assert speaker.current.text == reply[0]
    cp = replay.data.report.session.scenario.spec.counterpart
    assert speaker.current.voice.rate == cp.voice.rate, "in the counterpart's voice"
    drain(speaker)
    assert speaker.lines[-2:] == reply
    # Stepping on cuts the line off.
    qtbot.mouseClick(replay.speak_button, Qt.MouseButton.LeftButton)
    talking = speaker.current
    qtbot.keyClick(replay.table, Qt.Key.Key_Right)
    assert replay.turn == 5
    assert speaker.current is None and speaker.interrupted[-1] is talking
    # The keyboard: Ctrl+L says the reply at this turn.
    qtbot.keyClick(replay.table, Qt.Key.Key_L, Qt.KeyboardModifier.ControlModifier)
    assert speaker.current.text == replay.reply_lines()[0]
    # Any line of theirs can be heard again through its "Speak" link.
    index = next(n for n, e in enumerate(replay.transcript.entries) if e.kind == "them")
    assert f"speak:{index}" in replay.transcript.toHtml()
    replay.transcript.anchorClicked.emit(QUrl(f"speak:{index}"))
    assert speaker.current.text == replay.transcript.entries[index].text
    window.show_page("history")  # leaving the replay silences it too
    assert speaker.current is None


# -- a real worker with a broken engine ---------------------------------------------------

MISSING_PYTTSX3 = """
def init(*args, **kwargs):
    raise OSError("libespeak.so.1: cannot open shared object file: No such file or directory")
"""


class Workers:
    """A speaker factory that makes real ProcessSpeakers, one mode after another."""

    def __init__(self, *modes: str | None, **options: Any) -> None:
        self._modes = itertools.chain(modes, itertools.repeat(modes[-1]))
        self.options = options
        self.speakers: list[ProcessSpeaker] = []

    def __call__(self, **kwargs: Any) -> ProcessSpeaker:
        speaker = ProcessSpeaker(fake_engine=next(self._modes), **self.options, **kwargs)
        self.speakers.append(speaker)
        return speaker


@pytest.fixture
def no_engine(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    """The worker's pyttsx3 finds no speech engine, as on a Linux without espeak-ng."""
    stub = tmp_path / "stub" / "pyttsx3"
    stub.mkdir(parents=True)
    (stub / "__init__.py").write_text(MISSING_PYTTSX3, encoding="utf-8")
    monkeypatch.setenv("PYTHONPATH", str(stub.parent))
    monkeypatch.delenv("NEGTRAINER_FAKE_TTS", raising=False)


def settings_line(window: Any) -> str:
    page = window.settings_view
    window.show_page("settings")
    text = page.voice_state.text()
    assert text and "\n" not in text, "one line"
    assert page.retry_voice.isVisible(), "with a way to try again"
    return text


@pytest.mark.parametrize(
    ("mode", "said"),
    [
        ("raise", "simulated engine failure at start-up"),
        ("crash", "stopped unexpectedly"),
        (None, "libespeak.so.1"),
    ],
    ids=["raises-at-start", "crashes-at-start", "missing-engine"],
)
def test_an_engine_that_cannot_start_leaves_voice_off_with_the_reason(
    request, launch, drive, qtbot, mode, said
):
    if mode is None:
        request.getfixturevalue("no_engine")
    workers = Workers(mode)
    window = launch(speaker_factory=workers)
    voice_on(window)
    qtbot.waitUntil(lambda: bool(window.services.voice_reason), timeout=10000)
    line = settings_line(window)
    assert said in line
    if mode != "crash":  # no engine: why, and what to install on this platform
        assert line.startswith("No speech engine") and install_hint() in line
        if player_warning("espeak"):  # Linux without aplay: that is needed too
            assert player_warning("espeak") in line
    play = drive.start(window)
    finish_session(play, drive, qtbot, PATH)
    assert window.services.voice_reason in window.status.currentMessage()
    assert len(workers.speakers) == 1, "not restarted behind the learner's back"


def test_an_engine_that_hangs_is_given_up_on_and_the_window_keeps_responding(launch, drive, qtbot):
    workers = Workers("hang", init_timeout=2.0)
    window = launch(speaker_factory=workers)
    ticks: list[float] = []
    timer = QTimer()
    timer.timeout.connect(lambda: ticks.append(time.monotonic()))
    timer.start(10)
    voice_on(window)
    speaker = workers.speakers[0]
    play = drive.start(window)
    for cid in PATH[:3]:  # said (or not) to an engine that never answers
        drive.press(play, cid)
    assert speaker.available and speaker.voices is None, "still hung"
    seen = len(ticks)
    qtbot.waitUntil(lambda: len(ticks) >= seen + 20, timeout=3000)  # the loop runs on
    assert speaker.available, "the event loop ran while the engine was hung"
    qtbot.waitUntil(lambda: not speaker.available, timeout=5000)
    timer.stop()
    gaps = [b - a for a, b in itertools.pairwise(ticks)]
    assert max(gaps) < 0.5, f"the window stalled for {max(gaps):.2f} s"
    assert "did not start within 2 s" in settings_line(window)
    window.show_page("library")
    window.show_page("play")
    finish_session(play, drive, qtbot, PATH[3:])


def test_an_engine_that_dies_mid_session_turns_voice_off_and_try_again_brings_it_back(
    launch, drive, qtbot
):
    workers = Workers("crash-speak", "ok")
    window = launch(speaker_factory=workers)
    voice_on(window)
    events: list[tuple[str, str]] = []
    window.services.voice_event.connect(lambda k, d: events.append((k, d)))
    play = drive.start(window)  # the opening line kills the worker
    qtbot.waitUntil(lambda: bool(window.services.voice_reason), timeout=10000)
    reason = window.services.voice_reason
    assert "stopped unexpectedly" in reason
    # Play says so, in the status bar (the event may arrive a moment after the reason).
    qtbot.waitUntil(lambda: reason in window.status.currentMessage(), timeout=5000)
    for cid in PATH[:3]:
        drive.press(play, cid)
    assert reason in settings_line(window)
    # Try again: a fresh worker, and the next reply is spoken.
    qtbot.mouseClick(window.settings_view.retry_voice, Qt.MouseButton.LeftButton)
    assert len(workers.speakers) == 2
    qtbot.waitUntil(lambda: window.services.voice_ready, timeout=10000)
    assert window.settings_view.voice_state.text().startswith("Voice is on")
    assert not window.settings_view.retry_voice.isVisible()
    assert not window.status.currentMessage()
    window.show_page("play")
    events.clear()
    shown = len(them(play))
    drive.press(play, PATH[3])
    qtbot.waitUntil(lambda: ("started", them(play)[shown]) in events, timeout=10000)
    finish_session(play, drive, qtbot, PATH[4:])
