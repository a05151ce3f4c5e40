from typing import get_args

from hypothesis import given, settings
from hypothesis import strategies as hs

from negtrainer.engine.model import MoveName, SkillName
from negtrainer.engine.moves import MOVES
from negtrainer.engine.skills import SKILLS


def test_the_model_names_every_move_and_skill_of_the_catalogues():
    assert list(get_args(MoveName)) == list(MOVES)
    assert list(get_args(SkillName)) == list(SKILLS)


def test_every_move_has_a_known_group_and_stance():
    from negtrainer.engine.moves import GROUPS

    for move in MOVES.values():
        assert move.group in GROUPS and move.stance in (-1, 0, 1)


# -- the published JSON Schema and the loader agree on ids ---------------------------

MINIMAL = """
format: 2
id: {sid}
title: Ids
summary: Ids.
skills: [reciprocity]
difficulty: introductory
minutes: 1
learner: {{role: A, public_brief: A, confidential_brief: A}}
counterpart:
  name: B
  role: B
  public_brief: B
  confidential_brief: B
  variants: {{{variant}: {{state: {{trust: 50}}}}}}
state: {{{var}: {{start: 0}}}}
flags: [{flag}]
start: {node}
on_max_turns: {ending}
nodes:
  {node}:
    say: [{{id: {line}, text: Hi}}]
    choices:
      - {{id: {choice}, text: Bye, move: argument, next: {ending}}}
endings:
  {ending}: {{kind: impasse, title: Done, text: Done.}}
"""


def _schema_patterns():
    from negtrainer.engine.model import json_schema

    schema = json_schema()
    ident = schema["properties"]["id"]["pattern"]
    var = schema["properties"]["flags"]["items"]["pattern"]
    line = schema["$defs"]["Line"]["properties"]["id"]["pattern"]
    return schema, ident, var, line


def test_the_schema_refuses_map_keys_that_do_not_match_their_pattern():
    schema, ident, _var, _line = _schema_patterns()
    closed = []

    def walk(node):
        if isinstance(node, dict):
            if "patternProperties" in node:
                closed.append(node.get("additionalProperties"))
            for v in node.values():
                walk(v)
        elif isinstance(node, list):
            for v in node:
                walk(v)

    walk(schema)
    assert closed and all(c is False for c in closed)
    assert schema["properties"]["nodes"]["patternProperties"].keys() == {ident}


@settings(max_examples=60, deadline=None)
@given(data=hs.data())
def test_every_id_the_schema_accepts_loads(data):
    from negtrainer.engine.loader import load_text

    _schema, ident, var, line = _schema_patterns()
    ids = hs.from_regex(ident, fullmatch=True)
    names = hs.from_regex(var, fullmatch=True)
    node, ending = data.draw(
        hs.lists(ids, min_size=2, max_size=2, unique_by=str.lower).filter(lambda p: p[0] != p[1])
    )
    var = data.draw(names.filter(lambda n: n not in ("trust", "tension", "patience")))
    values = {
        "sid": data.draw(ids),
        "variant": data.draw(ids),
        "node": node,
        "ending": ending,
        "choice": data.draw(ids),
        "var": var,
        "line": data.draw(hs.from_regex(line, fullmatch=True)),
    }
    values["flag"] = data.draw(names.filter(lambda n: n != values["var"]))
    quoted = {k: f'"{v}"' for k, v in values.items()}
    scenario, diags = load_text(MINIMAL.format(**quoted), "ids.yaml")
    errors = [d.format() for d in diags if d.severity == "error"]
    assert scenario is not None and not errors, (values, errors)
