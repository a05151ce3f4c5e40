"""Speech to a WAV file instead of a sound device, checked and tried again; and the
look for a sound device that tells a silent computer from a working one."""

from __future__ import annotations

import shutil
import sys
import wave
from pathlib import Path

import pytest

from negtrainer.voice.devices import NO_DEVICE, sound_device_problem
from negtrainer.voice.wav import HEADER_BYTES, save_wav, wav_problem, write_checked, write_silence

LINE = "Good to see you. How was the drive up?"


# -- is there a sound device? ---------------------------------------------------------------


@pytest.fixture
def no_sound(tmp_path):
    """A Linux computer with no card and no sound server: (cards file, runtime folder)."""
    cards = tmp_path / "cards"
    cards.write_text("--- no soundcards ---\n")
    runtime = tmp_path / "run"
    runtime.mkdir()
    return cards, runtime


def test_a_computer_with_no_card_and_no_sound_server_has_no_sound_device(no_sound):
    cards, runtime = no_sound
    env = {"XDG_RUNTIME_DIR": str(runtime)}
    assert sound_device_problem(system="Linux", env=env, cards=cards) == NO_DEVICE
    missing = cards.parent / "no-proc-asound"  # no ALSA at all, as in a container
    assert sound_device_problem(system="Linux", env=env, cards=missing) == NO_DEVICE


def test_an_alsa_card_a_pulse_or_pipewire_socket_or_a_named_server_is_a_sound_device(no_sound):
    cards, runtime = no_sound
    env = {"XDG_RUNTIME_DIR": str(runtime)}
    card = cards.parent / "one-card"
    card.write_text(
        " 0 [PCH            ]: HDA-Intel - HDA Intel PCH\n"
        "                      HDA Intel PCH at 0xf7f10000 irq 32\n"
    )
    assert sound_device_problem(system="Linux", env=env, cards=card) == ""
    (runtime / "pipewire-0").touch()
    assert sound_device_problem(system="Linux", env=env, cards=cards) == ""
    (runtime / "pipewire-0").unlink()
    (runtime / "pulse").mkdir()
    (runtime / "pulse" / "native").touch()
    assert sound_device_problem(system="Linux", env=env, cards=cards) == ""
    (runtime / "pulse" / "native").unlink()
    assert (
        sound_device_problem(system="Linux", env={**env, "PULSE_SERVER": "tcp:studio"}, cards=cards)
        == ""
    )
    gone = {**env, "PULSE_SERVER": f"unix:{runtime}/gone"}
    assert sound_device_problem(system="Linux", env=gone, cards=cards) == NO_DEVICE


def test_only_linux_is_looked_at(no_sound):
    cards, _runtime = no_sound
    for system in ("Darwin", "Windows"):
        assert sound_device_problem(system=system, env={}, cards=cards) == ""


# -- is it a WAV file with sound in it? -------------------------------------------------------


def test_a_wav_file_must_exist_be_longer_than_a_header_be_readable_and_hold_sound(tmp_path):
    assert wav_problem(tmp_path / "none.wav") == "no file was written"
    bare = tmp_path / "bare.wav"
    write_silence(bare, 0)
    assert bare.stat().st_size == HEADER_BYTES
    assert "empty" in wav_problem(bare)
    junk = tmp_path / "junk.wav"
    junk.write_bytes(b"RIFX" + b"\1" * 100)
    assert "not a readable WAV file" in wav_problem(junk)
    good = tmp_path / "good.wav"
    write_silence(good, 0.5)
    assert wav_problem(good) == ""


def test_an_empty_attempt_is_tried_again_and_only_a_good_file_is_kept(tmp_path):
    tries = []

    def flaky(tmp: Path) -> None:
        tries.append(tmp)
        write_silence(tmp, 0 if len(tries) == 1 else 1.0)

    target = tmp_path / "test.wav"
    result = write_checked(flaky, target)
    assert result.ok and result.attempts == 2
    assert "Saved test.wav: 1.0 s of speech" in result.message
    assert wav_problem(target) == ""
    assert [p.name for p in tmp_path.iterdir()] == ["test.wav"]  # no part file left behind


def test_a_file_that_stays_empty_is_reported_and_nothing_is_left_in_its_place(tmp_path):
    target = tmp_path / "test.wav"
    result = write_checked(lambda tmp: write_silence(tmp, 0), target, attempts=3)
    assert not result.ok and result.attempts == 3
    assert result.message == (
        "Could not save the WAV file: the file was empty (no sound in it), "
        "3 times over. Nothing was saved."
    )
    assert list(tmp_path.iterdir()) == []


def test_an_engine_that_raises_or_a_folder_that_cannot_be_written_gets_a_plain_message(tmp_path):
    def broken(tmp: Path) -> None:
        raise RuntimeError("espeak: synthesis failed")

    result = write_checked(broken, tmp_path / "test.wav")
    assert not result.ok and "the speech engine failed (espeak: synthesis failed)" in result.message
    blocker = tmp_path / "a-file"
    blocker.write_text("not a folder")
    result = write_checked(lambda tmp: write_silence(tmp, 1), blocker / "test.wav")
    assert not result.ok
    assert f"{blocker} cannot be written to" in result.message
    assert "Pick another folder" in result.message


# -- through the speech worker, with its fake engine ----------------------------------------


def test_the_worker_saves_a_line_and_tries_again_after_an_empty_file(tmp_path):
    result = save_wav(LINE, tmp_path / "ok.wav", fake_engine="ok")
    assert result.ok and result.attempts == 1 and wav_problem(tmp_path / "ok.wav") == ""
    result = save_wav(LINE, tmp_path / "flaky.wav", fake_engine="flaky-wav")
    assert result.ok and result.attempts == 2 and wav_problem(tmp_path / "flaky.wav") == ""


def test_the_worker_reports_a_file_that_stays_empty_and_a_missing_engine(tmp_path):
    result = save_wav(LINE, tmp_path / "empty.wav", fake_engine="empty-wav")
    assert not result.ok and "empty" in result.message and "3 times" in result.message
    assert not (tmp_path / "empty.wav").exists()
    result = save_wav(LINE, tmp_path / "none.wav", fake_engine="raise")
    assert not result.ok
    assert result.message.startswith("Could not save the WAV file. No speech engine:")
    assert "Traceback" not in result.message
    assert list(tmp_path.iterdir()) == []


# -- the real engine ------------------------------------------------------------------------


@pytest.mark.skipif(
    shutil.which("espeak-ng") is None and sys.platform.startswith("linux"),
    reason="espeak-ng is not installed (sudo apt install espeak-ng)",
)
def test_the_real_engine_writes_a_wav_file_with_the_sentence_in_it(tmp_path):
    target = tmp_path / "real.wav"
    # pyttsx3 writes an empty file now and then: save_wav tries again itself, and
    # says how many attempts it took.
    result = save_wav(LINE, target)
    if not result.ok and "No speech engine" in result.message:
        pytest.skip(result.message)
    assert result.ok, result.message
    assert 1 <= result.attempts <= 3
    head = target.read_bytes()[:12]
    assert head[:4] == b"RIFF" and head[8:12] == b"WAVE"
    with wave.open(str(target), "rb") as w:
        assert (w.getnchannels(), w.getsampwidth()) == (1, 2)
        seconds = w.getnframes() / w.getframerate()
    assert 1.0 < seconds < 10.0  # nine words, at a normal pace
    assert f"{seconds:.1f} s of speech" in result.message
