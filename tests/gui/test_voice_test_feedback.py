"""Settings' "Test the voice" on a computer that cannot play sound says so and offers a
WAV file instead; "Open its folder" with no file manager shows and copies the path."""

from __future__ import annotations

import wave

import pytest
from PySide6.QtCore import Qt

from negtrainer.voice.devices import NO_DEVICE


def settings_with_voice(window, qtbot):
    window.show_page("settings")
    page = window.settings_view
    page.voice_on.click()
    qtbot.waitUntil(lambda: page.test_voice.isEnabled(), timeout=5000)
    return page


@pytest.fixture
def save_as(monkeypatch):
    """``save_as(path)``: the file dialog answers ``path`` (or "" for Cancel)."""
    from PySide6.QtWidgets import QFileDialog

    def answer(path):
        monkeypatch.setattr(
            QFileDialog,
            "getSaveFileName",
            staticmethod(lambda *a, **k: (str(path), "WAV sound (*.wav)")),
        )

    return answer


def test_with_no_sound_device_the_test_says_so_and_offers_a_wav_file(launch, fake_voice, qtbot):
    fake_voice.options.update(no_sound=NO_DEVICE)
    window = launch()
    page = settings_with_voice(window, qtbot)
    assert not page.save_wav.isVisible()
    # Said before the test, too: the voice works, but nobody will hear it.
    assert page.voice_state.text().startswith(
        "Voice is on, but nothing can be heard: no sound device was found"
    )
    assert page.voice_state.property("role") == "warning"
    qtbot.mouseClick(page.test_voice, Qt.MouseButton.LeftButton)
    note = page.test_note.text()
    assert page.test_note.isVisible()
    assert note.startswith("No sound device was found on this computer")
    assert "cannot be heard here" in note and "WAV file" in note
    assert page.save_wav.isVisible() and page.save_wav.isEnabled()
    assert fake_voice.speaker.lines == []  # said to nobody, it is not said at all


def test_with_a_sound_device_the_test_speaks_and_says_what_it_does(window, fake_voice, qtbot):
    page = settings_with_voice(window, qtbot)
    qtbot.mouseClick(page.test_voice, Qt.MouseButton.LeftButton)
    assert fake_voice.speaker.lines == ["Good to see you. How was the drive up?"]
    assert page.test_note.text().startswith("Saying the test sentence.")
    assert page.save_wav.isVisible()


def test_save_as_wav_writes_the_test_sentence_and_says_where(
    launch, fake_voice, qtbot, save_as, tmp_path
):
    # No extension given: .wav is added.
    page, result = saved_after_testing(
        launch, fake_voice, qtbot, save_as, tmp_path / "voice test", "ok"
    )
    target = tmp_path / "voice test.wav"
    assert result.ok and result.path == target
    assert fake_voice.speaker.saved == [("Good to see you. How was the drive up?", target)]
    with wave.open(str(target), "rb") as w:
        assert w.getnframes() > 0
    assert page.test_note.text() == f"Saved voice test.wav: 0.9 s of speech, in {tmp_path}."
    assert page.test_note.property("role") == "small"
    assert page.save_wav.isEnabled()


def saved_after_testing(launch, fake_voice, qtbot, save_as, path, wav):
    """Test the voice with no sound device, then save the sentence to ``path``;
    the settings page and the SavedWav."""
    fake_voice.options.update(no_sound=NO_DEVICE, wav=wav)
    window = launch()
    page = settings_with_voice(window, qtbot)
    qtbot.mouseClick(page.test_voice, Qt.MouseButton.LeftButton)
    save_as(path)
    with qtbot.waitSignal(page.wav_saved, timeout=10000) as saved:
        qtbot.mouseClick(page.save_wav, Qt.MouseButton.LeftButton)
    return page, saved.args[0]


def test_a_wav_file_that_comes_out_empty_is_tried_again(
    launch, fake_voice, qtbot, save_as, tmp_path
):
    page, result = saved_after_testing(
        launch, fake_voice, qtbot, save_as, tmp_path / "test.wav", "flaky"
    )
    assert result.ok and result.attempts == 2
    assert page.test_note.text().startswith("Saved test.wav")


def test_a_wav_file_that_stays_empty_is_reported_as_a_failure_and_not_kept(
    launch, fake_voice, qtbot, save_as, tmp_path
):
    page, result = saved_after_testing(
        launch, fake_voice, qtbot, save_as, tmp_path / "test.wav", "empty"
    )
    assert not result.ok
    assert page.test_note.text() == (
        "Could not save the WAV file: the file was empty (no sound "
        "in it), 3 times over. Nothing was saved."
    )
    assert page.test_note.property("role") == "error"
    assert not (tmp_path / "test.wav").exists()
    assert page.save_wav.isEnabled()  # free to try again, or somewhere else


def test_cancelling_the_file_dialog_saves_nothing(launch, fake_voice, qtbot, save_as):
    fake_voice.options.update(no_sound=NO_DEVICE)
    window = launch()
    page = settings_with_voice(window, qtbot)
    qtbot.mouseClick(page.test_voice, Qt.MouseButton.LeftButton)
    note = page.test_note.text()
    save_as("")
    qtbot.mouseClick(page.save_wav, Qt.MouseButton.LeftButton)
    assert fake_voice.speaker.saved == [] and page.test_note.text() == note


def test_with_no_speech_engine_saving_says_why_instead_of_failing(
    window, fake_voice, qtbot, tmp_path
):
    page = settings_with_voice(window, qtbot)
    fake_voice.speaker.fail("No speech engine: install espeak-ng (sudo apt install espeak-ng)")
    qtbot.waitUntil(lambda: page.retry_voice.isVisible(), timeout=5000)
    with qtbot.waitSignal(page.wav_saved, timeout=5000) as saved:
        page.save_test_wav(tmp_path / "test.wav")
    assert not saved.args[0].ok
    assert page.test_note.text() == (
        "Could not save the WAV file: No speech engine: install "
        "espeak-ng (sudo apt install espeak-ng)"
    )
    assert not (tmp_path / "test.wav").exists()


def test_the_database_folder_without_a_file_manager_shows_and_copies_its_path(
    window, tmp_db, qtbot, monkeypatch
):
    from PySide6.QtGui import QDesktopServices, QGuiApplication

    monkeypatch.setattr(QDesktopServices, "openUrl", staticmethod(lambda url: False))
    window.show_page("settings")
    page = window.settings_view
    qtbot.mouseClick(page.open_folder, Qt.MouseButton.LeftButton)
    folder = str(tmp_db.parent)
    assert folder in page.data_note.text() and "copied" in page.data_note.text()
    assert QGuiApplication.clipboard().text() == folder
