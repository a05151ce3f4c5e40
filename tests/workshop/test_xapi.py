import json

from roomplay import BAD, GOOD, play, workshop_with_exercise
from xapi_rules import problems

from negtrainer.store import Store
from negtrainer.workshop import xapi


def test_every_exported_statement_is_valid_xapi_1_0_3(tmp_path):
    with Store.open(tmp_path / "f.db", backup_every_hours=None) as store:
        w = workshop_with_exercise(store)
        play(store, w, "e1", "Ana", GOOD)
        play(store, w, "e1", "Ben", BAD)
        play(store, w, "e1", "Guest", BAD)
        out = tmp_path / "statements.json"
        assert xapi.export(store, w, out) == 3
    statements = json.loads(out.read_text())
    for s in statements:
        assert problems(s) == []
    by_name = {s["actor"]["name"]: s for s in statements}
    assert by_name["Ana"]["result"]["success"] is True
    assert by_name["Ana"]["result"]["score"]["scaled"] > 0.8
    assert by_name["Ben"]["result"]["success"] is False
    assert len({s["id"] for s in statements}) == 3


def test_the_validator_catches_what_an_lrs_would_refuse(tmp_path):
    with Store.open(tmp_path / "f.db", backup_every_hours=None) as store:
        w = workshop_with_exercise(store)
        play(store, w, "e1", "Ana", GOOD)
        (good,) = xapi.statements(store, w)
    broken = json.loads(json.dumps(good))
    broken["actor"]["mbox"] = "mailto:ana@example.org"  # two identifiers
    broken["result"]["score"]["scaled"] = 1.5
    assert len(problems(broken)) >= 2
    broken = json.loads(json.dumps(good))
    broken["verb"]["id"] = "completed"
    broken["result"]["duration"] = "12 seconds"
    assert {p.split(":")[0] for p in problems(broken)} == {"verb/id", "result/duration"}


def test_anonymous_statements_carry_pseudonyms_only(tmp_path):
    with Store.open(tmp_path / "f.db", backup_every_hours=None) as store:
        w = workshop_with_exercise(store)
        play(store, w, "e1", "Ana", GOOD)
        anonymous = xapi.statements(store, w, anonymous=True)
        named = xapi.statements(store, w)
    text = json.dumps(anonymous)
    assert "Ana" not in text and '"P1"' in text
    # Nothing to join the two exports on: no account key and no statement id in common.
    for key in (lambda s: s["id"], lambda s: s["actor"]["account"]["name"]):
        assert not {key(s) for s in anonymous} & {key(s) for s in named}
