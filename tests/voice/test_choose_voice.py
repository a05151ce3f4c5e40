"""Choosing a counterpart's voice from its scenario hints among installed voices."""

from __future__ import annotations

import random

from hypothesis import given
from hypothesis import strategies as st

from negtrainer.voice import (
    NoEngine,
    VoiceInfo,
    VoiceList,
    choose_voice,
    install_hint,
    player_warning,
)

# What SAPI5 on a Windows laptop with two extra language packs might report.
ZIRA = VoiceInfo("zira", "Microsoft Zira", ("en-us",), "female", "adult")
DAVID = VoiceInfo("david", "Microsoft David", ("en-us",), "male", "adult")
MARK = VoiceInfo("mark", "Microsoft Mark", ("en-us",), "male", "older")
HAZEL = VoiceInfo("hazel", "Microsoft Hazel", ("en-gb",), "female", "adult")
HORTENSE = VoiceInfo("hortense", "Microsoft Hortense", ("fr-fr",), "female", "adult")
HEDDA = VoiceInfo("hedda", "Microsoft Hedda", ("de-de",), "female", "adult")
INSTALLED = VoiceList((ZIRA, DAVID, MARK, HAZEL, HORTENSE, HEDDA), driver="sapi5")

# What pyttsx3 reports for espeak-ng: every voice "Male", no age.
ESPEAK = VoiceList.from_records(
    [
        {
            "id": "gmw/en",
            "name": "English (Great Britain)",
            "languages": ["en-gb"],
            "gender": "Male",
            "age": None,
        },
        {
            "id": "gmw/en-us",
            "name": "English (America)",
            "languages": ["en-us"],
            "gender": "Male",
            "age": None,
        },
        {
            "id": "roa/fr",
            "name": "French (France)",
            "languages": ["fr-fr"],
            "gender": "Male",
            "age": None,
        },
    ],
    driver="espeak",
)


def test_a_voice_in_the_hinted_language_and_gender_is_chosen():
    choice = choose_voice({"language": "en", "gender": "female"}, INSTALLED, "Dana Okafor")
    assert choice.voice_id in ("zira", "hazel")
    assert choice.note == ""


def test_the_same_counterpart_always_gets_the_same_voice_whatever_the_list_order():
    hints = {"language": "en", "gender": "male"}
    first = choose_voice(hints, INSTALLED, "Sam Reyes")
    shuffled = list(INSTALLED)
    random.Random(4).shuffle(shuffled)
    assert choose_voice(hints, shuffled, "Sam Reyes") == first
    assert choose_voice(dict(hints), INSTALLED, "Sam Reyes") == first


def test_counterparts_with_the_same_hints_are_spread_over_the_fitting_voices():
    names = [f"Counterpart {i}" for i in range(40)]
    chosen = {
        choose_voice({"language": "en", "gender": "female"}, INSTALLED, n).voice_id for n in names
    }
    assert chosen == {"zira", "hazel"}


def test_a_hinted_region_is_preferred_within_the_language():
    assert (
        choose_voice({"language": "en-gb", "gender": "female"}, INSTALLED, "x").voice_id == "hazel"
    )
    assert (
        choose_voice({"language": "en_US", "gender": "female"}, INSTALLED, "x").voice_id == "zira"
    )


def test_gender_matters_more_than_region():
    choice = choose_voice({"language": "en-gb", "gender": "male"}, INSTALLED, "Ian")
    assert choice.voice_id in ("david", "mark")


def test_age_narrows_the_choice_when_voices_declare_one():
    choice = choose_voice({"language": "en", "gender": "male", "age": "older"}, INSTALLED, "Al")
    assert choice.voice_id == "mark"


def test_without_a_voice_in_the_language_an_english_voice_speaks_and_a_note_says_so():
    choice = choose_voice({"language": "ja", "gender": "female"}, INSTALLED, "Aiko")
    assert choice.voice_id in ("zira", "hazel")
    assert "ja" in choice.note and "English" in choice.note


def test_without_the_language_or_english_the_first_voice_speaks():
    choice = choose_voice({"language": "ja"}, [HEDDA, HORTENSE], "Aiko")
    assert choice.voice_id == "hedda"
    assert choice.note


def test_a_missing_gender_keeps_the_language_and_says_so():
    choice = choose_voice({"language": "fr", "gender": "male"}, INSTALLED, "Luc")
    assert choice.voice_id == "hortense"
    assert "male" in choice.note


def test_espeak_voices_get_a_gender_variant_that_stays_with_the_counterpart():
    choice = choose_voice({"language": "en-us", "gender": "female"}, ESPEAK, "Dana Okafor")
    assert choice.voice_id is not None
    assert choice.voice_id.startswith("gmw/en-us+f")
    assert choice == choose_voice({"language": "en-us", "gender": "female"}, ESPEAK, "Dana Okafor")
    male = choose_voice({"language": "en-us", "gender": "male"}, ESPEAK, "Dana Okafor")
    assert male.voice_id is not None and male.voice_id.startswith("gmw/en-us+m")


def test_an_older_counterpart_on_espeak_gets_an_older_variant():
    choice = choose_voice({"language": "en-us", "gender": "female", "age": "older"}, ESPEAK, "Ma")
    assert choice.voice_id in ("gmw/en-us+f1", "gmw/en-us+grandma")


def test_a_neutral_counterpart_on_espeak_speaks_in_the_plain_voice():
    choice = choose_voice({"language": "fr", "gender": "neutral"}, ESPEAK, "Camille")
    assert choice.voice_id == "roa/fr"


def test_with_no_voices_the_engine_default_speaks_at_the_hinted_rate():
    choice = choose_voice({"language": "en", "rate": 150}, VoiceList(), "Dana")
    assert choice.voice_id is None
    assert choice.rate == 150


def test_the_hinted_rate_is_carried_and_an_impossible_one_is_ignored():
    assert choose_voice({"rate": 190}, INSTALLED, "x").rate == 190
    assert choose_voice({"rate": 5}, INSTALLED, "x").rate is None
    assert choose_voice({"rate": "fast"}, INSTALLED, "x").rate is None
    assert choose_voice(None, INSTALLED, "x").rate is None


def test_what_engines_report_about_a_voice_is_normalised():
    nsss = VoiceInfo.from_record(
        {
            "id": "com.apple.voice.Samantha",
            "name": "Samantha",
            "languages": ["en_US"],
            "gender": "VoiceGenderFemale",
            "age": 35,
        }
    )
    sapi = VoiceInfo.from_record(
        {"id": "TTS_MS_EN-US_MARK", "languages": "en-US", "gender": "Male", "age": "Senior"}
    )
    assert (nsss.languages, nsss.gender, nsss.age) == (("en-us",), "female", "adult")
    assert (sapi.name, sapi.languages, sapi.gender, sapi.age) == (
        "TTS_MS_EN-US_MARK",
        ("en-us",),
        "male",
        "older",
    )


def test_voice_records_without_an_id_are_left_out_of_the_list():
    voices = VoiceList.from_records([{"name": "nameless"}, {"id": "ok", "name": "OK"}])
    assert [v.id for v in voices] == ["ok"]


hint_values = st.fixed_dictionaries(
    {},
    optional={
        "language": st.sampled_from(["en", "en-us", "en-gb", "fr", "de-de", "ja", "", "EN_us"]),
        "gender": st.sampled_from(["female", "male", "neutral", None, "robot"]),
        "age": st.sampled_from(["young", "adult", "older", None, "ancient"]),
        "rate": st.one_of(st.none(), st.integers(-10, 1000)),
    },
)


@given(hints=hint_values, key=st.text(max_size=30), espeak=st.booleans())
def test_any_hints_give_an_installed_voice_and_the_same_one_every_time(hints, key, espeak):
    voices = ESPEAK if espeak else INSTALLED
    choice = choose_voice(hints, voices, key)
    assert choice.voice_id is not None
    assert choice.voice_id.split("+")[0] in {v.id for v in voices}
    assert choose_voice(hints, voices, key) == choice
    assert choice.rate is None or 80 <= choice.rate <= 400


def test_the_install_hint_names_what_each_platform_needs():
    assert "espeak-ng" in install_hint("Linux")
    assert "NSSpeechSynthesizer" in install_hint("Darwin")
    assert "SAPI5" in install_hint("Windows")


def test_no_engine_reads_as_one_line_with_what_to_do():
    message = str(NoEngine("could not initialize espeak", "install espeak-ng"))
    assert message == "No speech engine: install espeak-ng — could not initialize espeak"
    assert "\n" not in str(NoEngine.from_failure({"error": "a\nmulti-line\nerror"}))
    missing = NoEngine.from_failure({"error": "No module named 'pyttsx3'", "kind": "no-module"})
    assert "pip install pyttsx3" in str(missing)


def test_silent_speech_is_explained_when_linux_lacks_the_player_espeak_needs(tmp_path, monkeypatch):
    monkeypatch.setenv("PATH", str(tmp_path))
    assert "alsa-utils" in player_warning("espeak", "Linux")
    assert player_warning("sapi5", "Windows") == ""
    (tmp_path / "aplay").write_text("#!/bin/sh\n")
    (tmp_path / "aplay").chmod(0o755)
    assert player_warning("espeak", "Linux") == ""
