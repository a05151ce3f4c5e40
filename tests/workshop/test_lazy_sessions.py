"""Collected sessions are kept as their inputs; their turns are rebuilt by the engine
when someone opens one, and every feature works on them as on recorded sessions."""

import json

import pytest
from roomplay import BAD, GOOD, laptop, parse_line, play, workshop_with_exercise

from negtrainer.store import Recorder, Store, StoreError, rows
from negtrainer.workshop import files, lean, service


@pytest.fixture
def room(tmp_path):
    """A laptop that played a good, a bad and an unfinished session, and a facilitator
    who collected them."""
    fac = Store.open(tmp_path / "fac.db", backup_every_hours=None)
    w = workshop_with_exercise(fac)
    wfile = files.export_workshop(fac, w, tmp_path / "w.json")
    lap, lw = laptop(tmp_path, "laptop", wfile)
    ids = [play(lap, lw, "e1", "Ana", GOOD), play(lap, lw, "e1", "Ben", BAD)]
    started = service.start(lap, lw, "e1", "Cy")
    for line in GOOD[:3]:
        started.recorder.apply(parse_line(line, started.session))
    ids.append(started.session_id)
    path = tmp_path / "laptop.json"
    files.export_results(lap, lw, path)
    found = files.collect(fac, w, [path])[0]
    assert found.status == "taken", found.line()
    yield fac, lap, ids, tmp_path
    lap.close()
    fac.close()


def _turn_rows(store, sid):
    return store.conn.execute("SELECT count(*) FROM turns WHERE session_id = ?", (sid,)).fetchone()[
        0
    ]


def _same_turns(a, b):
    assert [t.state for t in a.turns] == [t.state for t in b.turns]
    assert [t.record for t in a.turns] == [t.record for t in b.turns]
    assert [(t.index, t.at, t.inherited) for t in a.turns] == [
        (t.index, t.at, t.inherited) for t in b.turns
    ]


def test_a_collected_session_keeps_its_inputs_and_no_turn_rows(room):
    fac, lap, ids, _ = room
    for sid in ids:
        assert _turn_rows(fac, sid) == 0
        lazy = json.loads(
            fac.conn.execute("SELECT lazy_turns FROM sessions WHERE id = ?", (sid,)).fetchone()[0]
        )
        assert lazy["inputs"] == [t.input for t in lap.load(sid).turns[1:]]
        assert fac.get(sid).turn_count == lap.get(sid).turn_count


def test_opening_a_collected_session_shows_every_turn_as_the_laptop_recorded_it(room):
    fac, lap, ids, _ = room
    for sid in ids:
        _same_turns(fac.load(sid), lap.load(sid))
        assert fac.state_at(sid, 2) == lap.state_at(sid, 2)
        assert fac.session_at(sid).to_json() == lap.session_at(sid).to_json()
        assert fac.session_at(sid, 1, replay=True).to_json() == lap.session_at(sid, 1).to_json()
        assert fac.verify(sid) == []


def test_a_collected_session_debriefs_as_on_the_laptop(room):
    fac, lap, ids, _ = room
    mine, theirs = fac.session_at(ids[0]).debrief(), lap.session_at(ids[0]).debrief()
    assert mine.to_json() == theirs.to_json()


def test_branching_from_a_collected_session_copies_the_rebuilt_turns(room):
    fac, lap, ids, _ = room
    new_id, session = fac.branch(ids[0], 2)
    assert session.state.turn == 2
    assert _turn_rows(fac, new_id) == 3  # a branch keeps its own rows
    branched = fac.load(new_id)
    assert all(t.inherited for t in branched.turns)
    assert [t.state for t in branched.turns] == [t.state for t in lap.load(ids[0]).turns[:3]]
    assert _turn_rows(fac, ids[0]) == 0  # the parent is still kept as its inputs


def test_an_exported_collected_session_imports_elsewhere_unchanged(room):
    fac, lap, ids, tmp = room
    fac.export(ids, tmp / "out.json")
    other = Store.open(tmp / "other.db", backup_every_hours=None)
    with other:
        report = other.import_file(tmp / "out.json")
        assert sorted(report.added) == sorted(ids)
        for sid in ids:
            _same_turns(other.load(sid), lap.load(sid))


def test_playing_on_from_a_collected_unfinished_session_writes_its_turns_first(room):
    fac, lap, ids, _ = room
    sid = ids[2]
    rec = Recorder.resume(fac, sid)
    rec.apply(parse_line(GOOD[3], rec.session))
    assert (
        fac.conn.execute("SELECT lazy_turns FROM sessions WHERE id = ?", (sid,)).fetchone()[0]
        is None
    )
    assert _turn_rows(fac, sid) == 5
    stored = fac.load(sid)
    assert [t.state for t in stored.turns[:4]] == [t.state for t in lap.load(sid).turns]
    assert stored.turns[4].state == rows.normal(rows.snapshot(rec.session)[0])
    assert fac.verify(sid) == []
    rec.take_back()
    assert _turn_rows(fac, sid) == 4


def test_notes_can_be_added_to_a_collected_session(room):
    fac, _lap, ids, _ = room
    fac.add_note(ids[1], 2, "Here the pressure starts.")
    assert [n.text for n in fac.load(ids[1]).notes] == ["Here the pressure starts."]


def _refused_after(fac, ids, bad, sql, value):
    """Change one collected session's row; reading it must fail with a StoreError
    (its message returned) while the others still open."""
    with fac._write("change") as c:
        c.execute(sql, (value, ids[bad]))
    with pytest.raises(StoreError) as e:
        fac.load(ids[bad])
    other = ids[1 - bad]
    assert fac.load(other).info.id == other  # the others still open
    message = str(e.value)
    assert ids[bad][:8] in message
    return message


def test_a_damaged_kept_input_says_which_session_and_what_to_do(room):
    fac, _lap, ids, _ = room
    damaged = '{"learner": "", "times": ["x", "y"], "inputs": [{"choice": "nope"}]}'
    message = _refused_after(
        fac, ids, 1, "UPDATE sessions SET lazy_turns = ? WHERE id = ?", damaged
    )
    assert "delete the session" in message


def test_a_session_kept_as_inputs_by_another_counterpart_model_is_not_replayed_silently(room):
    fac, _lap, ids, _ = room
    message = _refused_after(fac, ids, 0, "UPDATE sessions SET engine_version = ? WHERE id = ?", 1)
    assert "counterpart model 1" in message


def test_collecting_again_a_session_already_kept_as_inputs_adds_nothing(room):
    fac, lap, ids, tmp = room
    w = service.find(fac, "Monday class")
    doc = files.results_doc(lap, w)
    doc["exported_at"] = "2026-01-01T00:00:00+00:00"  # another file, the same sessions
    path = tmp / "again.json"
    path.write_text(json.dumps(doc))
    found = files.collect(fac, w, [path])[0]
    assert found.status == "taken" and found.added == [] and len(found.skipped) == 3
    assert all(_turn_rows(fac, sid) == 0 for sid in ids)


def test_sessions_with_the_same_opening_are_replayed_once_up_to_where_they_part(tmp_path):
    fac = Store.open(tmp_path / "fac.db", backup_every_hours=None)
    w = workshop_with_exercise(fac, names=("Ana", "Ben", "Cy", "Dee"))
    wfile = files.export_workshop(fac, w, tmp_path / "w.json")
    lap, lw = laptop(tmp_path, "laptop", wfile)
    with lap, fac:
        for who in ("Ana", "Ben"):
            play(lap, lw, "e1", who, GOOD)
        probe = lap.session_at(play(lap, lw, "e1", "Dee", GOOD[:2]))
        third = parse_line(GOOD[2], probe)["choice"]
        other = next(c.id for c in probe.choices if c.available and c.id != third)
        play(lap, lw, "e1", "Cy", GOOD[:2] + [other])
        path = tmp_path / "r.json"
        files.export_results(lap, lw, path)
        replays = lean.Replays()
        found = files.collect(fac, w, [path], replays)[0]
        assert found.status == "taken", found.line()
        good = len(lap.load(found.added[0]).turns) - 1
        assert replays.sessions == 4
        # Ana and Ben played the same (their names differ, which the engine never reads);
        # Dee stopped after their first two turns (replayed again for her state: the tree
        # keeps states only where play ends or parts), and Cy parted there at the third.
        assert replays.played_sessions == 2
        assert replays.played_turns == good + 2 + 1
        a, b = (fac.get(sid) for sid in found.added[:2])
        assert a.scores == b.scores and a.learner == "Ana" and b.learner == "Ben"
        assert fac.load(found.added[1]).turns[0].state["learner"] == "Ben"
        for sid in found.added:
            _same_turns(fac.load(sid), lap.load(sid))


def _steps(sc, script):
    from negtrainer.engine.session import Session

    s, steps = Session.start(sc, 4, "warm"), []
    for line in script:
        if s.ended:
            break
        item = parse_line(line, s)
        s.apply(item)
        steps.append(json.dumps(item))
    return s, steps


def test_the_tree_of_replays_gives_each_session_the_engines_own_end_state():
    sc = service.load_scenario("packaging-renewal")
    whole, steps = _steps(sc, GOOD)
    replays = lean.Replays()
    first = replays.replay(sc, 4, "warm", steps)
    assert first.session.to_json() == {**whole.to_json(), "learner": ""}
    assert replays.replay(sc, 4, "warm", steps) is first  # the same play: nothing replayed
    short = replays.replay(sc, 4, "warm", steps[:3])  # stops where the other went on
    assert short.session.to_json() == {**_steps(sc, GOOD[:3])[0].to_json(), "learner": ""}
    assert replays.played_turns == len(steps) + 3
    with pytest.raises(lean._Late):
        replays.replay(sc, 4, "warm", [*steps, steps[0]])
    with pytest.raises(lean._Refused):
        replays.replay(sc, 4, "warm", [*steps[:2], '{"choice": "promise_the_moon"}'])
    assert replays.replay(sc, 5, "warm", steps[:1]) is not replays.replay(sc, 4, "warm", steps[:1])
