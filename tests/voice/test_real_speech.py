"""The real pyttsx3 + espeak-ng engine, end to end (skipped where it is not installed).

On Linux pyttsx3's espeak driver plays each line by running ``aplay`` on a
WAV file. These tests put a stand-in ``aplay`` first on the PATH: it keeps
the file, so a test can check that real audio was made, and it can play
"forever", so a test can check that stopping really cuts the sound. No sound
device is needed and none is used.
"""

from __future__ import annotations

import os
import shutil
import stat
import sys
import time
import wave
from pathlib import Path

import pytest

from negtrainer.voice import ProcessSpeaker, choose_voice, list_voices

if shutil.which("espeak-ng") is None and sys.platform.startswith("linux"):
    pytest.skip("espeak-ng is not installed (sudo apt install espeak-ng)", allow_module_level=True)
_probe = list_voices(timeout=20)
if _probe.error is not None:
    pytest.skip(f"pyttsx3 cannot start here: {_probe.error}", allow_module_level=True)

needs_aplay_driver = pytest.mark.skipif(
    not (sys.platform.startswith("linux") and _probe.driver == "espeak"),
    reason="the stand-in player only works for pyttsx3's espeak driver on Linux",
)

LINE = "We've put a lot of money into the new plant this year."


def stand_in_player(folder: Path, monkeypatch, seconds: int) -> Path:
    """An ``aplay`` that keeps what it is given and 'plays' for ``seconds``."""
    script = folder / "aplay"
    script.write_text(
        "#!/bin/sh\n"
        f'echo $$ > "{folder}/player.pid"\n'
        f'cp "$1" "{folder}/played.wav"\n'
        f"exec sleep {seconds}\n"
    )
    script.chmod(script.stat().st_mode | stat.S_IEXEC)
    monkeypatch.setenv("PATH", f"{folder}{os.pathsep}{os.environ.get('PATH', '')}")
    return folder


@pytest.fixture
def speaker(event_log):
    speaker = ProcessSpeaker(on_event=event_log)
    yield speaker
    speaker.close()


def test_the_real_engine_starts_and_lists_english_voices(speaker):
    assert speaker.wait_ready(20), speaker.reason
    assert speaker.available
    assert speaker.voices is not None
    assert any(lang.startswith("en") for v in speaker.voices for lang in v.languages)


@needs_aplay_driver
def test_the_real_engine_says_a_line_in_a_chosen_voice_to_the_end(tmp_path, monkeypatch, event_log):
    stand_in_player(tmp_path, monkeypatch, seconds=0)
    with ProcessSpeaker(on_event=event_log) as speaker:
        assert speaker.wait_ready(20), speaker.reason
        choice = choose_voice(
            {"language": "en-us", "gender": "female"}, speaker.voices, "Dana Okafor"
        )
        speaker.speak(LINE, choice)
        assert event_log.wait_for("finished", timeout=20)
        assert speaker.available, speaker.reason
    assert event_log.events == [("started", LINE), ("finished", LINE)]
    with wave.open(str(tmp_path / "played.wav")) as audio:
        assert audio.getnframes() / audio.getframerate() > 1.0  # seconds of real speech


@needs_aplay_driver
def test_stopping_cuts_off_real_playback(tmp_path, monkeypatch, event_log):
    stand_in_player(tmp_path, monkeypatch, seconds=60)
    with ProcessSpeaker(on_event=event_log) as speaker:
        assert speaker.wait_ready(20), speaker.reason
        speaker.speak(LINE)
        pid_file = tmp_path / "player.pid"
        deadline = time.monotonic() + 20
        while not pid_file.exists() and time.monotonic() < deadline:
            time.sleep(0.02)
        assert pid_file.exists(), "the line never reached the player"
        speaker.stop()
        assert event_log.wait_for("finished", timeout=10)  # not 60 s
        assert speaker.available
        player = int(pid_file.read_text())
        deadline = time.monotonic() + 5
        while Path(f"/proc/{player}").exists() and time.monotonic() < deadline:
            time.sleep(0.02)
        assert not _running(player)


def _running(pid: int) -> bool:
    try:
        state = Path(f"/proc/{pid}/stat").read_text().split(") ")[-1][:1]
    except FileNotFoundError:
        return False
    return state not in ("Z", "X")  # a zombie plays nothing
