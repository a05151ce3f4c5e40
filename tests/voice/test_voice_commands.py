"""`negtrainer voices` and `negtrainer say`, run against a faked engine."""

from __future__ import annotations

import io
import json

import pytest

from negtrainer.voice.commands import cmd_say, cmd_voices
from negtrainer.voice.protocol import FAKE_ENV


@pytest.fixture
def engine(monkeypatch):
    def use(mode: str) -> None:
        monkeypatch.setenv(FAKE_ENV, mode)  # the worker inherits it

    return use


def test_the_voices_command_lists_id_name_languages_and_gender(engine):
    engine("ok")
    out = io.StringIO()
    assert cmd_voices(out=out) == 0
    lines = out.getvalue().splitlines()
    assert lines[0].split() == ["ID", "NAME", "LANGUAGES", "GENDER"]
    american = next(line for line in lines if line.startswith("fake/en-us"))
    assert "Fake American" in american and "en-us" in american and "female" in american
    assert "3 voices (fake)." in lines


def test_the_voices_command_writes_json_for_scripts(engine):
    engine("ok")
    out = io.StringIO()
    assert cmd_voices(json_out=True, out=out) == 0
    data = json.loads(out.getvalue())
    assert data["error"] is None
    assert {
        "id": "fake/fr",
        "name": "Fake French",
        "languages": ["fr-fr"],
        "gender": "female",
        "age": None,
    } in data["voices"]


def test_the_voices_command_without_an_engine_says_what_to_do_and_succeeds(engine):
    engine("raise")
    out = io.StringIO()
    assert cmd_voices(out=out) == 0
    assert out.getvalue().startswith("No speech engine: ")
    assert "works without it" in out.getvalue()
    out = io.StringIO()
    assert cmd_voices(json_out=True, out=out) == 0
    assert json.loads(out.getvalue())["error"].startswith("No speech engine: ")


def test_the_say_command_speaks_the_line_in_the_chosen_voice_and_waits(engine):
    engine("ok")
    out = io.StringIO()
    status = cmd_say(
        "Shall we get straight to the numbers?",
        {"language": "en-gb", "gender": "male"},
        "Dana Okafor",
        rate=200,
        out=out,
    )
    assert status == 0
    assert out.getvalue() == (
        "Dana Okafor (Fake British, 200 words/min): Shall we get straight to the numbers?\n"
    )


def test_the_say_command_mentions_a_voice_fallback(engine):
    engine("ok")
    out = io.StringIO()
    assert cmd_say("Bonjour.", {"language": "ja"}, "Aiko", out=out) == 0
    assert "note: no voice for 'ja'" in out.getvalue()


def test_the_say_command_without_an_engine_says_why_and_fails(engine):
    engine("raise")
    out = io.StringIO()
    assert cmd_say("Hello.", {}, "Dana", out=out) == 1
    assert out.getvalue().startswith("No speech engine: ")


def test_the_say_command_reports_an_engine_that_breaks_mid_line(engine):
    engine("raise-speak")
    out = io.StringIO()
    assert cmd_say("Hello.", {}, "Dana", out=out) == 1
    assert "failed while speaking" in out.getvalue()
