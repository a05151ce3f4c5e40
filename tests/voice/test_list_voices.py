"""Listing voices happens in a worker process, so a broken engine cannot hang the caller."""

from __future__ import annotations

import time

from negtrainer.voice import list_voices


def test_the_installed_voices_are_listed_with_their_languages_and_gender():
    voices = list_voices(fake_engine="ok")
    assert voices.error is None
    assert voices.driver == "fake"
    american = next(v for v in voices if v.id == "fake/en-us")
    assert (american.name, american.languages, american.gender) == (
        "Fake American",
        ("en-us",),
        "female",
    )


def test_a_hanging_engine_is_given_up_on_at_the_timeout():
    began = time.monotonic()
    voices = list_voices(timeout=1.0, fake_engine="hang")
    assert time.monotonic() - began < 5
    assert len(voices) == 0
    assert "did not answer within 1 s" in str(voices.error)


def test_an_engine_that_fails_to_start_is_reported_with_what_to_install():
    voices = list_voices(fake_engine="raise")
    assert len(voices) == 0
    assert str(voices.error).startswith("No speech engine: ")
    assert "simulated engine failure at start-up" in str(voices.error)


def test_a_worker_that_crashes_is_reported_as_such():
    voices = list_voices(fake_engine="crash")
    assert "stopped unexpectedly (exit code 70)" in str(voices.error)


def test_an_unknown_fake_engine_is_refused_with_the_ones_there_are():
    voices = list_voices(fake_engine="sulk")
    assert "'sulk' is not one of ok, raise, hang" in str(voices.error)
