"""The authoring guide and the template must stay true to the engine.

Conventions in docs/authoring.md that these tests rely on:

- ``<!-- complete-scenario -->`` right before a ```yaml block: the block is a whole
  scenario; it must load and check with no error and no warning.
- ``<!-- scenario-step -->`` before a ```yaml block: one step of the worked example.
  The first step is a whole scenario; each later one is merged into the result so
  far the way the guide tells readers to (named entries under nodes, endings,
  interests, issues and state are added or replaced; any other top-level key is
  replaced). ``<!-- scenario-step: append nodes.table.choices -->`` appends a list
  to that list. After every step the scenario must check clean, and the last step
  must equal the complete listing that follows it.
- ``<!-- moves-table -->`` ... ``<!-- /moves-table -->``: the move catalogue.
- ``<!-- constants-table -->`` ... ``<!-- /constants-table -->``: the numbers of
  the trust rules.
"""

from __future__ import annotations

import copy
import re
from pathlib import Path

import pytest
import yaml

from negtrainer.engine import moves as mv
from negtrainer.engine.analysis import analyse
from negtrainer.engine.diagnostics import CODES
from negtrainer.engine.loader import load_text, try_load
from negtrainer.engine.look import LOOK_FIELDS
from negtrainer.engine.scenario import NAMESPACES, SCALARS
from negtrainer.engine.skills import SKILLS
from negtrainer.engine.yamlread import read_yaml

ROOT = Path(__file__).resolve().parents[2]
GUIDE = ROOT / "docs" / "authoring.md"
TEMPLATE = ROOT / "docs" / "scenario-template.yaml"

BLOCK = re.compile(
    r"<!--\s*(?P<kind>complete-scenario|scenario-step)(?::\s*append\s+(?P<path>[\w.]+))?\s*-->"
    r"\s*\n```ya?ml\n(?P<body>.*?)\n```",
    re.DOTALL,
)
NAMED = ("nodes", "endings", "interests", "issues", "state")


def guide() -> str:
    return GUIDE.read_text(encoding="utf-8")


def marked_blocks(kind: str) -> list[tuple[str | None, str]]:
    return [(m["path"], m["body"]) for m in BLOCK.finditer(guide()) if m["kind"] == kind]


def problems(text: str, name: str) -> list[str]:
    """Every error and warning `negtrainer check` would print for this text."""
    scenario, diags = load_text(text, name)
    # Info notes (e.g. NT309 on a format 1 example) are advice, not problems.
    out = [d.format() for d in diags if d.severity != "info"]
    if scenario is None:
        return out or [f"{name}: did not load"]
    data, _ = read_yaml(text, name)
    report = analyse(scenario, data, seeds=2)
    return out + [d.format() for d in report["_findings"] if d.severity != "info"]


def merge_step(base: dict, path: str | None, fragment: object) -> dict:
    out = copy.deepcopy(base)
    if path is not None:
        target = out
        for part in path.split("."):
            target = target[int(part)] if isinstance(target, list) else target[part]
        assert isinstance(target, list) and isinstance(fragment, list), path
        target.extend(copy.deepcopy(fragment))
        return out
    assert isinstance(fragment, dict)
    for key, value in fragment.items():
        if key in NAMED and isinstance(out.get(key), dict):
            out[key].update(copy.deepcopy(value))
        else:
            out[key] = copy.deepcopy(value)
    return out


# -- (a) the template ---------------------------------------------------------------


def test_the_template_checks_clean():
    scenario, diags = try_load(TEMPLATE)
    assert scenario is not None, "\n".join(d.format() for d in diags)
    assert not diags, "\n".join(d.format() for d in diags)
    data, _ = read_yaml(scenario.source, str(TEMPLATE))
    findings = [d for d in analyse(scenario, data, seeds=2)["_findings"] if d.severity != "info"]
    assert not findings, "\n".join(d.format() for d in findings)


def test_the_guide_prints_the_template_as_it_is():
    text = TEMPLATE.read_text(encoding="utf-8").rstrip("\n")
    assert any(body == text for _p, body in marked_blocks("complete-scenario")), (
        "section 'The template' of docs/authoring.md must show docs/scenario-template.yaml verbatim"
    )


# -- (b) every complete scenario in the guide ---------------------------------------

COMPLETE = marked_blocks("complete-scenario")


def test_the_guide_has_complete_scenarios():
    assert len(COMPLETE) >= 2


@pytest.mark.parametrize("index", range(len(COMPLETE)))
def test_every_complete_scenario_in_the_guide_checks_clean(index):
    _path, body = COMPLETE[index]
    found = problems(body, f"authoring.md complete-scenario #{index + 1}")
    assert not found, "\n".join(found)


def test_every_step_of_the_worked_example_checks_clean_and_adds_up_to_the_listing():
    steps = marked_blocks("scenario-step")
    assert len(steps) >= 6
    first_path, first = steps[0]
    assert first_path is None
    current = yaml.safe_load(first)
    for number, (path, body) in enumerate(steps, 1):
        if number > 1:
            current = merge_step(current, path, yaml.safe_load(body))
        text = yaml.safe_dump(current, allow_unicode=True, sort_keys=False)
        found = problems(text, f"worked example after step block {number}")
        assert not found, "\n".join(found)
    # The listing printed after the last step is the sum of the steps.
    text = guide()
    last_step_end = list(BLOCK.finditer(text))
    after = [
        m
        for m in last_step_end
        if m["kind"] == "complete-scenario"
        and m.start() > max(s.start() for s in last_step_end if s["kind"] == "scenario-step")
    ]
    assert after, "the complete worked example must follow its steps"
    assert yaml.safe_load(after[0]["body"]) == current


# -- (c) the move catalogue ---------------------------------------------------------


def table_rows(marker: str) -> list[list[str]]:
    m = re.search(rf"<!--\s*{marker}\s*-->(.*?)<!--\s*/{marker}\s*-->", guide(), re.DOTALL)
    assert m, f"docs/authoring.md has no <!-- {marker} --> table"
    rows = []
    for line in m.group(1).splitlines():
        line = line.strip()
        if not line.startswith("|") or set(line) <= set("|-: "):
            continue
        rows.append([c.strip() for c in line.strip("|").split("|")])
    return rows[1:]  # without the header


def parse_effects(text: str) -> dict[str, float]:
    if text in ("none", "-", ""):
        return {}
    out = {}
    for part in text.split(","):
        name, value = part.split()
        out[name] = float(value)
    return out


def test_the_move_table_matches_the_catalogue():
    rows = table_rows("moves-table")
    names = [r[0].strip("`") for r in rows]
    assert names == list(mv.MOVES), "the guide's move table must list every move, in order"
    stances = {"+1": 1, "0": 0, "-1": -1}
    for row in rows:
        move = mv.MOVES[row[0].strip("`")]
        assert row[1] == move.group, move.name
        assert stances[row[2].split()[0]] == move.stance, move.name
        effects = parse_effects(row[3])
        assert effects == {k: float(v) for k, v in move.effects.items()}, move.name
        assert effects.get("trust", 0.0) == move.effects.get("trust", 0.0), move.name


def test_the_trust_rule_numbers_match_the_engine():
    rows = {r[0].strip("`"): r[1] for r in table_rows("constants-table")}
    for name in (
        "EMPATHY_BONUS",
        "IGNORED_FEELING_PENALTY",
        "EARLY_RAPPORT_BONUS",
        "LATE_RAPPORT_FACTOR",
        "RECIPROCITY_WINDOW",
    ):
        assert name in rows, name
        assert float(rows[name].replace("x", "")) == float(getattr(mv, name)), name


# -- (d) diagnostics and vocabularies -----------------------------------------------


def test_every_diagnostic_code_is_documented():
    text = guide()
    for code, (name, _fix) in CODES.items():
        row = re.search(rf"^\|\s*`?{code}`?\s*\|\s*{name}\s*\|", text, re.MULTILINE)
        assert row, f"{code} {name} is missing from the diagnostics table in docs/authoring.md"


def test_every_look_value_skill_and_condition_name_is_documented():
    text = guide()
    for field, values in LOOK_FIELDS.items():
        row = re.search(rf"^\|\s*`{field}`\s*\|(.*)$", text, re.MULTILINE)
        assert row, f"look field {field} is not documented"
        listed = re.findall(r"`([^`]+)`", row.group(1))
        assert listed == list(values), f"look field {field}: documented values differ"
    for key in SKILLS:
        assert re.search(rf"^\|\s*`{re.escape(key)}`\s*\|", text, re.MULTILINE), f"skill {key}"
    for name in (*SCALARS, *NAMESPACES):
        assert re.search(rf"^\|\s*`{name}[`.]", text, re.MULTILINE), f"condition name {name}"


# -- (e) the numbers the guide quotes are the engine's --------------------------------


@pytest.fixture(scope="module")
def venue():
    steps_end = max(m.start() for m in BLOCK.finditer(guide()) if m["kind"] == "scenario-step")
    body = next(
        m["body"]
        for m in BLOCK.finditer(guide())
        if m["kind"] == "complete-scenario" and m.start() > steps_end
    )
    scenario, diags = load_text(body, "venue")
    assert scenario is not None, diags
    return scenario


def play_path(scenario, variant, path):
    from negtrainer.engine.session import Session

    s = Session.start(scenario, seed=0, variant=variant)
    steps = [s.choose(c) for c in path]
    return s, steps


def test_the_worked_turns_in_the_guide(venue):
    s, steps = play_path(venue, "friendly", ["chat_award", "sit_down", "ask_spring"])
    assert [st.deltas["trust"] for st in steps] == [5.5, 4.0, 2.5]
    assert steps[0].deltas["tension"] == -0.5
    assert s.state.vars["trust"] == 57.0 and steps[2].revealed == ["quiet_march"]

    s, steps = play_path(venue, "friendly", ["open_ultimatum", "ask_spring"])
    assert steps[0].deltas["trust"] == -10.5 and s.state.vars["trust"] == 35.5
    assert steps[1].hinted == ["quiet_march"]

    s, steps = play_path(
        venue, "stretched", ["chat_award", "sit_down", "ask_spring", "reflect_march"]
    )
    assert steps[2].hinted == ["quiet_march"]
    assert round(steps[2].deltas["trust"] + 40.4, 6) == 43.8
    assert round(steps[3].deltas["trust"], 6) == 8.4
    assert round(s.state.vars["trust"], 6) == 52.2 and steps[3].revealed == ["quiet_march"]

    s, steps = play_path(venue, "stretched", ["label_busy"])
    assert round(steps[0].deltas["trust"], 6) == 4 + mv.EMPATHY_BONUS + 0.8

    s, steps = play_path(venue, "stretched", ["open_ultimatum", "threat_grand"])
    assert s.state.vars["trust"] < 15 and s.state.ending == "walked_out"


def test_the_worked_offers_in_the_guide(venue):
    from negtrainer.engine import counterpart as cp
    from negtrainer.engine.session import Session

    values = {
        ("£65", "40 rooms"): (6, 20, 20),
        ("£65", "100 rooms"): (0, 28, 44),
        ("£58", "70 rooms"): (14, 14, 24),
        ("£58", "100 rooms"): (10, 18, 34),
        ("£52", "40 rooms"): (27, 0, 0),
        ("£52", "70 rooms"): (25, 4, 14),
        ("£52", "100 rooms"): (21, 8, 24),
    }
    rates, rooms = (venue.spec.issues[i].options for i in ("rate", "rooms"))
    for (rate, room), (you, hidden, known) in values.items():
        t = (rates.index(rate), rooms.index(room))
        assert (venue.value_you(t), venue.value_them(t), venue.value_them(t, {"quiet_march"})) == (
            you,
            hidden,
            known,
        )
    assert venue.best_joint == (45, (2, 2))
    assert max(venue.value_you(t) for t in venue.all_terms) == 27
    # Step 9: the 40-room block breaks her need; 100 rooms carries a risk of 4.
    assert cp.broken_needs(venue, (0, 0)) == ["quiet_march"]
    assert cp.risk_of(venue, (2, 2)) == 4

    def offer_at(trust, revealed, terms=None, variant="friendly"):
        s = Session.start(venue, seed=0, variant=variant)
        s.choose("sit_down")
        s.state.counter = None  # stretched Priya opened with her own offer
        s.state.vars["trust"] = trust
        if revealed:
            s.state.revealed["quiet_march"] = 1
        target = cp.target(venue, s.state)
        step = s.offer(terms or {"rate": "£52", "rooms": "100 rooms"})
        return s, step, target

    # Hidden interest: 8 to her, and with the risk less still: below her walk-away of 14.
    s, step, target = offer_at(45, False)
    assert target == 27.5 and not step.offer.accepted
    assert step.lines[0]["text"] == "I'd do better leaving the rooms empty than taking that."
    assert step.offer.counter == {"rate": "£65", "rooms": "100 rooms"}
    # Revealed, trust 57: she sees 24 - 4 x 0.728 = 21.1, under her target of 23.9.
    s, step, target = offer_at(57, True, variant="stretched")
    assert round(target, 6) == 23.9 and not step.offer.accepted
    assert round(cp.perceived(venue, (2, 2), {"quiet_march": 1}, 57), 3) == 21.088
    assert step.offer.counter == {"rate": "£65", "rooms": "100 rooms"}
    # Yielding Priya's next target (16.3) would make her counter the same deal: she takes it.
    s, step, target = offer_at(57, True, variant="friendly")
    assert round(target, 6) == 23.9 and step.offer.accepted
    assert round(cp.target(venue, s.state, 1), 1) == 16.3
    # Revealed, trust 70: 24 - 4 x 0.52 = 21.9 reaches her target of 21.
    for variant in ("friendly", "stretched"):
        s, step, target = offer_at(70, True, variant=variant)
        assert target == 21 and step.offer.accepted and s.state.ending == "booked"
    # The quote itself breaks her need: a hint before the reveal, the need named after.
    _s, step, _t = offer_at(57, False, {"rate": "£65", "rooms": "40 rooms"})
    assert not step.offer.accepted and step.lines[0]["text"].startswith("Forty rooms...")
    _s, step, _t = offer_at(57, True, {"rate": "£65", "rooms": "40 rooms"})
    assert step.lines[0]["text"].startswith("Forty rooms won't fill my March")


def test_the_offers_of_step_5_in_the_guide():
    from negtrainer.engine.session import Session

    steps = marked_blocks("scenario-step")
    current = yaml.safe_load(steps[0][1])
    for path, body in steps[1:]:
        current = merge_step(current, path, yaml.safe_load(body))
        if "negotiation" in current:
            break  # the scenario as step 5 leaves it
    assert "walkaway" in current["negotiation"] and "risk" not in current["issues"]["rooms"]
    venue5, diags = load_text(yaml.safe_dump(current, allow_unicode=True), "step 5")
    assert venue5 is not None, diags

    def offer_at(trust, revealed):
        s = Session.start(venue5, seed=0, variant="friendly")
        s.choose("sit_down")
        s.state.vars["trust"] = trust
        if revealed:
            s.state.revealed["quiet_march"] = 1
        return s.offer({"rate": "£52", "rooms": "100 rooms"})

    step = offer_at(45, False)
    assert not step.offer.accepted and step.offer.them == 8
    assert step.lines[-1]["text"] == (
        "I can't do that. What I can do is day delegate rate £65 and bedroom block 100 rooms."
    )
    step = offer_at(57, True)
    assert step.offer.accepted and step.offer.them == 24


def test_the_reciprocity_examples_in_the_guide():
    text = """
format: 1
id: numbers
title: Numbers
summary: Numbers.
skills: [reciprocity]
difficulty: introductory
minutes: 1
learner: {role: A, public_brief: A, confidential_brief: A}
counterpart:
  name: B
  role: B
  public_brief: B
  confidential_brief: B
  variants: {only: {state: {trust: 50}}}
start: n
on_max_turns: done
nodes:
  n:
    say: [{id: n.1, text: Hi}]
    choices:
      - {id: chat, text: Chat, move: small_talk, reply: [{id: r.1, text: Sure}]}
      - {id: open, text: Ask, move: open_question, reply: [{id: r.2, text: Sure}]}
      - {id: threat, text: Or else, move: threat, reply: [{id: r.3, text: Never}]}
      - {id: leave, text: Bye, move: argument, next: done}
endings:
  done: {kind: impasse, title: Done, text: Done.}
"""
    scenario, diags = load_text(text, "numbers")
    assert scenario is not None, diags
    _s, steps = play_path(scenario, "only", ["chat", "chat", "chat"])
    assert [st.deltas["trust"] for st in steps] == [5.5, 6.0, 6.5]
    _s, steps = play_path(scenario, "only", ["threat", "threat", "threat"])
    assert [st.deltas["trust"] for st in steps] == [-8.5, -9.0, -9.5]
    assert [st.deltas["tension"] for st in steps] == [10.5, 11.0, 11.5]
    _s, steps = play_path(scenario, "only", ["open", "open", "threat"])
    assert steps[2].deltas["trust"] == -7.5

    # The same in format 2: satiation, then technique (section 5, format 2).
    v2, diags = load_text(text.replace("format: 1", "format: 2"), "numbers-v2")
    assert v2 is not None, diags
    _s, steps = play_path(v2, "only", ["chat"] * 5)
    assert [round(st.deltas["trust"], 6) for st in steps] == [5.5, 4, 3, -0.5, -0.5]
    _s, steps = play_path(v2, "only", ["open"] * 5)
    assert [round(st.deltas["trust"], 6) for st in steps] == [1.5, 1.6, 1.8, -0.5, -0.5]
    _s, steps = play_path(v2, "only", ["threat", "threat", "threat"])
    assert [st.deltas["trust"] for st in steps] == [-8.5, -9.0, -9.5]
