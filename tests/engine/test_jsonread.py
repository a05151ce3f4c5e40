"""Untrusted JSON refused in plain words, the same wherever it is read (outside test 24)."""

import pytest

from negtrainer.engine.jsonread import JsonProblem, loads

PYTHON_WORDS = ("sys.", "int_max_str", "recursion", "Exceeds the limit", "Expecting")


def refusal(text, depth=40):
    with pytest.raises(JsonProblem) as e:
        loads(text, depth)
    said = str(e.value)
    assert not [w for w in PYTHON_WORDS[:4] if w in said], said
    return said


def test_a_key_given_twice_in_one_object_is_refused_by_name():
    assert "the key 'format' twice" in refusal('{"a": {"format": 1, "format": 2}}')


def test_a_number_of_thousands_of_digits_is_refused_without_pythons_words():
    assert "5,000 digits long" in refusal('{"seed": ' + "1" * 5000 + "}")


@pytest.mark.parametrize("text", ["1e999", "-1e999", "NaN", "Infinity", "-Infinity"])
def test_numbers_that_are_not_finite_are_refused(text):
    said = refusal('{"x": ' + text + "}")
    assert "larger than any negtrainer writes" in said or "not a number JSON allows" in said


def test_nesting_past_the_limit_is_refused_the_same_whether_shallow_or_a_hundred_thousand_deep():
    shallow = refusal("[" * 50 + "]" * 50)
    deep = refusal("[" * 100_000 + "]" * 100_000)
    assert shallow == deep == "is nested more than 40 levels deep (negtrainer's files never are)"


def test_plain_json_reads_as_json_would():
    assert loads('{"a": [1, 2.5, "x", null, true]}', 40) == {"a": [1, 2.5, "x", None, True]}
