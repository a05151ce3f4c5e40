from pathlib import Path

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as hs

from negtrainer.engine.diagnostics import ScenarioError
from negtrainer.engine.loader import load_bytes, load_scenario, load_text, try_load

SAMPLE = Path(__file__).resolve().parents[1] / "fixtures" / "v1" / "packaging-renewal.yaml"

TEXT = SAMPLE.read_text(encoding="utf-8")


def errors(text, file="t.yaml"):
    sc, diags = load_text(text, file)
    assert sc is None, "expected the scenario to be refused"
    return [d for d in diags if d.severity == "error"]


def line_no(text, needle):
    return next(i for i, ln in enumerate(text.splitlines(), 1) if needle in ln)


def test_the_sample_loads_clean():
    sc, diags = try_load(SAMPLE)
    assert sc is not None and diags == []
    assert sc.id == "packaging-renewal" and len(sc.lines) >= 30


def test_malformed_yaml_names_the_line():
    bad = TEXT.replace("title: Before positions harden", "title: [Before positions harden")
    (e,) = errors(bad)
    assert e.code == "NT004" and e.line is not None and e.file == "t.yaml"


def test_a_yaml_tag_is_refused_as_a_tag_and_nothing_is_built():
    sc, diags = load_text("format: 2\nid: !!python/object/apply:os.system [echo hi]\n")
    assert sc is None and diags[0].line == 2
    assert "YAML tag (!!...) is not allowed" in diags[0].message
    assert "Remove the tag" in diags[0].fix


def test_an_unknown_key_is_reported_with_its_line_and_a_suggestion():
    bad = TEXT.replace("    pick_me: x\n", "").replace(
        "      - id: small_talk_drive\n", "      - id: small_talk_drive\n        moev: small_talk\n"
    )
    es = errors(bad)
    e = next(e for e in es if e.code == "NT101")
    assert "moev" in e.message and "'move'" in e.message
    assert e.line == line_no(bad, "moev:")


def test_a_wrong_type_is_reported_at_its_line():
    bad = TEXT.replace("minutes: 12", "minutes: twelve")
    (e,) = errors(bad)
    assert e.code == "NT102" and e.line == line_no(bad, "minutes: twelve")
    assert "twelve" in e.message


def test_an_unknown_move_type_is_a_wrong_value():
    bad = TEXT.replace("move: small_talk\n", "move: smalltalk\n", 1)
    es = errors(bad)
    assert any(e.code == "NT102" and "smalltalk" in e.message for e in es)


def test_duplicate_keys_are_rejected_not_merged():
    bad = TEXT.replace("minutes: 12", "minutes: 12\nminutes: 15")
    (e,) = errors(bad)
    assert e.code == "NT005" and "minutes" in e.message
    assert e.line == line_no(bad, "minutes: 15")


def test_a_dangling_reference_names_the_missing_target():
    bad = TEXT.replace("next: plant\n", "next: plnat\n", 1)
    es = errors(bad)
    e = next(e for e in es if e.code == "NT201")
    assert "plnat" in e.message and "'plant'" in e.message
    assert e.line == line_no(bad, "next: plnat")


def test_a_condition_on_an_unknown_variable_is_an_error():
    bad = TEXT.replace("when: trust >= 45\n", "when: trsut >= 45\n", 1)
    es = errors(bad)
    assert any(e.code == "NT202" and "trsut" in e.message for e in es)


def test_a_malformed_condition_is_an_error():
    bad = TEXT.replace("when: trust >= 45\n", "when: trust >= >= 45\n", 1)
    assert any(e.code == "NT203" for e in errors(bad))


def test_a_yaml_alias_bomb_is_refused_quickly():
    bomb = "a: &a [x, x, x, x, x, x, x, x, x]\n"
    for i in range(1, 12):
        bomb += f"{chr(97 + i)}: &{chr(97 + i)} [*{chr(96 + i)}, *{chr(96 + i)}, *{chr(96 + i)}]\n"
    (e,) = errors(bomb)
    assert e.code == "NT006"


def test_deep_nesting_is_refused():
    deep = "a: " + "[" * 5000 + "]" * 5000 + "\n"
    (e,) = errors(deep)
    assert e.code in ("NT007", "NT004")


def test_a_huge_file_is_refused_before_reading(tmp_path):
    big = tmp_path / "big.yaml"
    with open(big, "wb") as f:
        f.seek(50 * 1024 * 1024)
        f.write(b"\n")
    sc, (e,) = try_load(big)
    assert sc is None and e.code == "NT002" and "KiB" in e.message


def test_binary_garbage_and_non_utf8_are_refused():
    sc, (e,) = load_bytes(b"\x89PNG\r\n\x1a\n\x00\x00\x00", "x.yaml")
    assert sc is None and e.code == "NT003"
    _sc, (e,) = load_bytes("title: café\n".encode("latin-1"), "x.yaml")
    assert e.code == "NT003" and e.line == 1


def test_a_missing_file_is_a_clear_error(tmp_path):
    _sc, (e,) = try_load(tmp_path / "nope.yaml")
    assert e.code == "NT001"
    with pytest.raises(ScenarioError, match="NT001"):
        load_scenario(tmp_path / "nope.yaml")


def test_a_file_that_is_not_a_mapping_is_refused():
    (e,) = errors("- just\n- a list\n")
    assert e.code == "NT008"


def test_line_ids_must_be_unique():
    bad = TEXT.replace("id: chat.cool", "id: chat.warm")
    assert any(e.code == "NT204" for e in errors(bad))


def test_value_lists_must_match_their_options():
    bad = TEXT.replace("you: [0, 10, 20, 30]", "you: [0, 10, 20]")
    assert any(e.code == "NT206" for e in errors(bad))


def test_diagnostics_format_as_file_line_code_and_fix():
    (e,) = errors(TEXT.replace("minutes: 12", "minutes: twelve"))
    text = e.format()
    assert text.startswith(f"t.yaml:{e.line}: error NT102 WrongValue:")
    assert "fix:" in text


@settings(max_examples=150, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(hs.binary(max_size=2000))
def test_random_bytes_never_crash_the_loader(raw):
    sc, diags = load_bytes(raw, "fuzz.yaml")
    assert sc is None and diags


@settings(max_examples=150, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(hs.integers(0, len(TEXT) - 1), hs.integers(0, 60), hs.text(max_size=12))
def test_mutated_scenarios_never_crash_the_loader(pos, cut, insert):
    text = TEXT[:pos] + insert + TEXT[pos + cut :]
    sc, diags = load_text(text, "fuzz.yaml")
    assert sc is not None or any(d.severity == "error" for d in diags)


def test_yes_or_no_as_text_gets_a_hint_about_quotes():
    bad = TEXT.replace('text: "(Say nothing. Let the silence sit.)"', "text: No")
    es = errors(bad)
    assert any("quotes" in e.message for e in es)


def test_a_misspelt_key_is_matched_against_the_keys_of_its_own_kind():
    bad = TEXT.replace("    offers: true\n", "    offer: true\n")
    e = next(e for e in errors(bad) if e.code == "NT101")
    assert "'offers'" in e.message


def test_automatic_choice_ids_can_be_read_in_conditions():
    # The second choice of 'chat' loses its id, so it is known as chat.2.
    good = TEXT.replace("      - id: thank_rush_order\n        text:", "      - text:")
    good = good.replace("when: offers >= 1\n", "when: offers >= 1 or chosen.chat.2\n", 1)
    sc, diags = load_text(good, "t.yaml")
    assert sc is not None, [d.format() for d in diags]
    assert "chat.2" in sc.choice_by_id


def test_tens_of_thousands_of_nested_brackets_are_refused_before_parsing():
    from negtrainer.engine.loader import load_text

    sc, diags = load_text("x: " + "[" * 50000 + "]" * 50000 + "\n", "deep.yaml")
    assert sc is None and [d.code for d in diags] == ["NT007"]


def test_invisible_control_and_direction_characters_in_text_are_refused_by_place():
    from negtrainer.engine.loader import load_text

    text = SAMPLE.read_text().replace(
        "title: Before positions harden", 'title: "Before \\u202epositions harden"'
    )
    sc, diags = load_text(text, "rtl.yaml")
    assert sc is None
    (d,) = diags
    assert d.code == "NT010" and "U+202E" in d.message and d.line == 6


def test_a_misspelt_name_in_a_condition_gets_a_did_you_mean():
    (e,) = [
        e
        for e in errors(TEXT.replace("when: trust >= 60", "when: trusst >= 60", 1))
        if e.code == "NT202"
    ]
    assert "did you mean 'trust'?" in e.message
    needle = next(ln for ln in TEXT.splitlines() if "revealed." in ln)
    name = needle.split("revealed.")[1].split()[0].rstrip(")\"'")
    bad = TEXT.replace(needle, needle.replace(f"revealed.{name}", f"reveald.{name}"), 1)
    (e,) = [e for e in errors(bad) if e.code == "NT202"]
    assert f"did you mean 'revealed.{name}'?" in e.message
    (e,) = [
        e
        for e in errors(TEXT.replace("when: trust >= 60", "when: zzqx >= 60", 1))
        if e.code == "NT202"
    ]
    assert "did you mean" not in e.message


def test_a_raw_escape_character_is_refused_with_its_line_and_column():
    text = TEXT.replace(
        "title: Before positions harden", "title: Before \x1b[2J positions\x07 harden"
    )
    (d,) = errors(text)
    assert d.code == "NT010" and d.line == line_no(TEXT, "title: Before positions harden")
    assert d.column == len("title: Before ") + 1
    assert (
        "U+001B (ESC)" in d.message and "U+0007 (BEL)" in d.message and "2 invisible" in d.message
    )


def test_every_invisible_character_of_a_text_is_named_the_first_five_and_a_count():
    escapes = "\\e\\a\\b\\x01\\x02\\x03\\x04"
    text = TEXT.replace(
        "title: Before positions harden", f'title: "Before {escapes}positions harden"'
    )
    (d,) = errors(text)
    assert d.code == "NT010" and "7 invisible characters" in d.message
    assert "U+001B (ESC), U+0007 (BEL), U+0008 (BS), U+0001, U+0002 and 2 more" in d.message


def test_a_tab_used_for_indentation_is_named_as_the_cause():
    lines = TEXT.splitlines(True)
    n = next(i for i, ln in enumerate(lines) if ln.startswith("  ") and ":" in ln and i > 10)
    lines[n] = "\t" + lines[n][2:]
    (d,) = errors("".join(lines))
    assert d.code == "NT004" and d.line == n + 1
    assert "indented with a tab" in d.message and "spaces" in d.fix
