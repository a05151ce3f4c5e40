"""Numbers a scenario file must not hold: huge, infinite, not a number (outside test 24)."""

from pathlib import Path

import pytest

from negtrainer.engine.loader import load_data, load_text
from negtrainer.engine.model import Variant

SAMPLE = Path(__file__).resolve().parents[1] / "fixtures" / "v1" / "packaging-renewal.yaml"
TEXT = SAMPLE.read_text(encoding="utf-8")
TRUST = "state: {trust: 45}"
LINE = next(i for i, ln in enumerate(TEXT.splitlines(), 1) if TRUST in ln)


def refused(value):
    assert TRUST in TEXT
    sc, diags = load_text(TEXT.replace(TRUST, f"state: {{trust: {value}}}"), "t.yaml")
    assert sc is None
    (d,) = [d for d in diags if d.severity == "error"]
    assert d.line == LINE and d.file == "t.yaml"
    return d


def test_a_number_of_thousands_of_digits_is_refused_by_line_in_plain_words():
    d = refused("1" + "0" * 5000)
    assert "a number this long is not allowed" in d.message
    tiny = refused("0." + "0" * 5000 + "1")  # long, not large: not called large
    assert "a number this long is not allowed" in tiny.message
    assert "digits" not in d.message.replace("5,001 characters", "")  # not Python's words
    assert "sys." not in d.message and "int_max_str" not in d.message
    assert "ordinary number" in d.fix


@pytest.mark.parametrize("value", ["5000000000", "-5000000000", "1.0e300", "1.0e999"])
def test_a_finite_but_absurd_number_is_refused_with_the_limit(value):
    d = refused(value)
    assert "a number this large is not allowed" in d.message and "1,000,000,000" in d.message


@pytest.mark.parametrize("value, shown", [(".nan", ".nan"), (".inf", ".inf"), ("-.inf", "-.inf")])
def test_nan_and_infinity_are_refused_as_numbers_that_must_be_finite(value, shown):
    d = refused(value)
    assert f"must be finite, not {shown}" in d.message and "trust" in d.message


def test_the_model_itself_takes_no_nan_or_infinity_whatever_reads_it():
    for bad in (float("nan"), float("inf")):
        with pytest.raises(ValueError, match="finite"):
            Variant(state={"trust": bad})


def test_a_stored_snapshot_with_nan_is_refused_like_a_file():
    import yaml

    data = yaml.safe_load(TEXT)
    data["counterpart"]["variants"]["warm"]["state"]["trust"] = float("nan")
    sc, diags = load_data(data, "<snapshot>")
    assert sc is None and "must be finite" in diags[0].message
