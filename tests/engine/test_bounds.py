"""Scenario size limits, checked at load for files and stored snapshots alike (issue 12)."""

import copy
from pathlib import Path

import pytest

from negtrainer.engine import bounds
from negtrainer.engine.loader import load_data, load_scenario, load_text

SAMPLE = Path(__file__).resolve().parents[1] / "fixtures" / "v1" / "packaging-renewal.yaml"


@pytest.fixture(scope="module")
def canonical():
    return load_scenario(SAMPLE).canonical


def refused(data):
    sc, diags = load_data(copy.deepcopy(data), "big.yaml")
    assert sc is None, "expected the scenario to be refused"
    return [d for d in diags if d.severity == "error"]


def with_issues(canonical, n_issues, n_options):
    data = copy.deepcopy(canonical)
    issue = next(iter(data["issues"].values()))
    data["issues"] = {}
    for i in range(n_issues):
        one = copy.deepcopy(issue)
        one.update(
            label=f"Issue {i}",
            options=[f"o{k}" for k in range(n_options)],
            you=list(range(n_options)),
            them=list(range(n_options)),
            them_if_revealed={},
            requires={},
        )
        data["issues"][f"i{i}"] = one
    return data


def test_options_that_multiply_past_twenty_thousand_deals_are_refused_with_the_number(canonical):
    # 7 issues of 11 options: 19.5 million deals, the size that used to exhaust memory.
    (e,) = refused(with_issues(canonical, 7, 11))
    assert e.code == "NT009"
    assert "19,487,171 possible deals" in e.message and "20,000" in e.message


def test_more_than_eight_issues_are_refused(canonical):
    es = refused(with_issues(canonical, 9, 2))
    assert any(
        e.code == "NT009" and "9 found" in e.message and "limit is 8" in e.message for e in es
    )


def test_a_deal_space_within_the_limit_still_loads(canonical):
    data = with_issues(canonical, 4, 11)  # 14,641 deals
    # Offers in the sample name the old issues: drop the choices that make fixed offers.
    for node in data["nodes"].values():
        node["choices"] = [c for c in node["choices"] if not c.get("offer")]
    sc, diags = load_data(data, "ok.yaml")
    assert not [d for d in diags if d.code == "NT009"], diags
    assert sc is not None, [d.format() for d in diags]
    assert len(sc.all_terms) == 14_641


def test_a_hundred_thousand_state_variables_are_refused_before_validation(canonical):
    data = copy.deepcopy(canonical)
    data["state"] = {f"v{i}": {"start": 0} for i in range(100_000)}
    (e,) = refused(data)
    assert e.code == "NT009" and "100000 found" in e.message and "limit is 40" in e.message


def test_too_many_nodes_and_lines_are_refused(canonical):
    data = copy.deepcopy(canonical)
    node = next(iter(data["nodes"].values()))
    data["nodes"].update({f"n{i}": copy.deepcopy(node) for i in range(bounds.MAX_NODES)})
    assert any("too many nodes" in e.message for e in refused(data))
    data = copy.deepcopy(canonical)
    first = next(iter(data["nodes"].values()))
    first["say"] = first["say"] * (bounds.MAX_LINES // len(first["say"]) + 1)
    assert any("counterpart lines" in e.message for e in refused(data))


def test_a_node_without_choices_or_an_ending_is_an_error_not_a_silent_dead_end():
    text = SAMPLE.read_text(encoding="utf-8").replace(
        '        text: "I\'ll have the contract drafted by the end of the week."\n    end: deal\n',
        '        text: "I\'ll have the contract drafted by the end of the week."\n',
    )
    sc, diags = load_text(text, "t.yaml")
    assert sc is None
    assert any(
        d.code == "NT302" and "handshake" in d.message and d.severity == "error" for d in diags
    )


def test_a_megabyte_unknown_key_is_not_echoed_in_the_message(canonical):
    data = copy.deepcopy(canonical)
    data["nodes"]["opening"]["k" * 1_000_000] = 1
    es = refused(data)
    text_out = "\n".join(e.format() for e in es)
    assert "NT101" in text_out and len(text_out) < 2_000
