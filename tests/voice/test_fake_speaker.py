"""The fake speaker behaves, as far as a caller can tell, like the real one."""

from __future__ import annotations

from negtrainer.voice import DEFAULT_RATE, FakeSpeaker, VoiceChoice


def test_the_fake_speaker_records_lines_in_the_order_they_were_spoken():
    speaker = FakeSpeaker(auto_finish=True)
    speaker.speak("Good to see you.")
    speaker.speak("How was the drive up?")
    assert speaker.lines == ["Good to see you.", "How was the drive up?"]
    assert speaker.interrupted == []


def test_a_new_line_cuts_off_the_line_still_being_spoken(event_log):
    speaker = FakeSpeaker(on_event=event_log)
    speaker.speak("We've put a lot of money into the new plant this year.")
    speaker.speak("Shall we get straight to the numbers?")
    assert [line.text for line in speaker.interrupted] == [
        "We've put a lot of money into the new plant this year."
    ]
    assert speaker.current is not None
    assert speaker.current.text == "Shall we get straight to the numbers?"
    assert event_log.kinds() == ["started", "finished", "started"]


def test_stop_silences_the_current_line_and_is_counted(event_log):
    speaker = FakeSpeaker(on_event=event_log)
    speaker.speak("Let me tell you about our volumes.")
    speaker.stop()
    speaker.stop()
    assert speaker.current is None
    assert speaker.stops == 2
    assert len(speaker.interrupted) == 1
    assert event_log.events == [
        ("started", "Let me tell you about our volumes."),
        ("finished", "Let me tell you about our volumes."),
    ]


def test_a_line_said_to_the_end_is_not_counted_as_interrupted(event_log):
    speaker = FakeSpeaker(on_event=event_log)
    speaker.speak("Fine.")
    speaker.finish()
    speaker.stop()
    assert speaker.interrupted == []
    assert event_log.kinds() == ["started", "finished"]


def test_lines_spoken_at_volume_zero_are_recorded_as_muted():
    speaker = FakeSpeaker(auto_finish=True)
    speaker.speak("Loud and clear.")
    speaker.volume = 0
    speaker.speak("Not heard.")
    assert speaker.muted
    assert [line.muted for line in speaker.spoken] == [False, True]


def test_an_unavailable_speaker_says_nothing_and_says_why(event_log):
    speaker = FakeSpeaker(
        available=False, reason="No speech engine: install espeak-ng", on_event=event_log
    )
    speaker.speak("Anyone there?")
    assert speaker.spoken == []
    assert not speaker.available
    assert speaker.reason == "No speech engine: install espeak-ng"
    assert event_log.events == []


def test_a_failure_turns_voice_off_once_and_gives_the_reason(event_log):
    speaker = FakeSpeaker(on_event=event_log)
    speaker.speak("Half a sentence")
    speaker.fail("Voice is off: the speech engine stopped responding")
    speaker.fail("a second failure is not news")
    speaker.speak("Too late.")
    assert not speaker.available
    assert speaker.reason == "Voice is off: the speech engine stopped responding"
    assert event_log.events == [
        ("started", "Half a sentence"),
        ("failed", "Voice is off: the speech engine stopped responding"),
    ]


def test_a_closed_speaker_says_nothing_more():
    speaker = FakeSpeaker()
    with speaker:
        speaker.speak("Last words.")
    speaker.speak("After closing.")
    assert speaker.closed
    assert speaker.lines == ["Last words."]


def test_a_counterparts_pace_is_scaled_by_the_users_preferred_pace():
    slow_counterpart = VoiceChoice("v", "v", rate=DEFAULT_RATE - 35)
    speaker = FakeSpeaker(auto_finish=True)
    speaker.speak("At my own pace.", slow_counterpart)
    speaker.rate = DEFAULT_RATE * 2
    speaker.speak("At twice the user's pace.", slow_counterpart)
    speaker.speak("Normal counterpart, fast user.")
    assert [line.rate for line in speaker.spoken] == [
        DEFAULT_RATE - 35,
        (DEFAULT_RATE - 35) * 2,
        DEFAULT_RATE * 2,
    ]


def test_rate_and_volume_settings_stay_within_range():
    speaker = FakeSpeaker(rate=5, volume=3.0)
    assert speaker.rate == 80
    assert speaker.volume == 1.0
    speaker.rate = 10_000
    speaker.volume = -1
    assert speaker.rate == 400
    assert speaker.volume == 0.0


def test_an_event_callback_that_raises_does_not_stop_the_speaker():
    def broken(kind: str, detail: str) -> None:
        raise RuntimeError("GUI bug")

    speaker = FakeSpeaker(on_event=broken, auto_finish=True)
    speaker.speak("Still talking.")
    speaker.speak("And again.")
    assert speaker.lines == ["Still talking.", "And again."]


def test_an_empty_line_only_silences_the_current_one():
    speaker = FakeSpeaker()
    speaker.speak("Something.")
    speaker.speak("   ")
    assert speaker.lines == ["Something."]
    assert speaker.current is None
