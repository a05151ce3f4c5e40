"""What collecting keeps and reuses: expert paths searched once, a debrief kept to what
the history lists, files read in one pass when they are sound."""

import json

import pytest
from roomplay import BAD, GOOD, facilitator_room, results_file

import negtrainer.engine
import negtrainer.engine.session as engine_session
from negtrainer.gui.models import history_model as hm
from negtrainer.store import workshops as ws
from negtrainer.workshop import files, service


@pytest.fixture
def room(tmp_path):
    yield from facilitator_room(tmp_path)


@pytest.fixture
def searches(monkeypatch):
    """Every expert-path search from here on, by (content hash, variant); none in memory."""
    monkeypatch.setattr(files, "EXPERTS", {})
    done = []
    real = engine_session.expert_for

    def counting(scenario, variant):
        done.append((scenario.content_hash, variant))
        return real(scenario, variant)

    monkeypatch.setattr(engine_session, "expert_for", counting)
    return done


def _kept(store, w):
    ex = w.exercises[0]
    sc = service.scenario_of(store, ex)
    keys = [(ex.content_hash, v) for v in service.variants(w, ex.content_hash, sc)]
    return ws.expert_paths(store, keys, negtrainer.engine.ENGINE_VERSION)


def test_adding_an_exercise_keeps_the_expert_path_of_each_variant_it_gives(tmp_path):
    from negtrainer.store import Store

    with Store.open(tmp_path / "f.db", backup_every_hours=None) as store:
        sc = service.load_scenario("packaging-renewal")
        w = service.add_exercise(store, service.create(store, "Room", ["Ana"]), sc)
        kept = _kept(store, w)
        assert sorted(v for _, v in kept) == sorted(sc.spec.counterpart.variants)
        assert all(p is None or p["inputs"] for p in kept.values())


def test_collecting_debriefs_against_the_kept_expert_path_without_searching(
    room, tmp_path, searches
):
    fac, w, wfile = room
    assert _kept(fac, w)  # kept when the exercise was added
    out, _ = results_file(tmp_path, wfile, plays=(("Ana", GOOD), ("Ben", BAD)))
    searches.clear()
    (got,) = files.collect(fac, w, [out])
    assert got.status == "taken" and searches == []
    # The same scores as a debrief against a freshly searched path.
    for sid in got.added:
        session = fac.session_at(sid)
        fresh = files.listed(json.loads(json.dumps(session.debrief().to_json())))
        assert fac.get(sid).scores == fresh


def test_an_expert_path_kept_by_another_engine_version_is_searched_again_and_kept(
    room, tmp_path, searches, monkeypatch
):
    fac, w, wfile = room
    out, _ = results_file(tmp_path, wfile)
    monkeypatch.setattr(negtrainer.engine, "ENGINE_VERSION", negtrainer.engine.ENGINE_VERSION + 1)
    assert _kept(fac, w) == {}
    searches.clear()  # the laptop's own debriefs
    (got,) = files.collect(fac, w, [out])
    assert got.status == "taken"
    assert searches == [(w.exercises[0].content_hash, "warm")]
    assert list(_kept(fac, w)) == [(w.exercises[0].content_hash, "warm")]


def test_a_collected_session_keeps_what_the_history_lists_of_its_debrief(room, tmp_path):
    fac, w, wfile = room
    out, _ = results_file(tmp_path, wfile, plays=(("Ana", GOOD), ("Ben", BAD)))
    (got,) = files.collect(fac, w, [out])
    for sid in got.added:
        kept = fac.get(sid)
        full = fac.get(sid).__class__(**{**vars(kept), "scores": _full(fac, sid)})
        for figure in (hm.open_share, hm.end_trust, hm.joint_share, hm.outcome_quality):
            assert figure(kept) == figure(full)
        assert hm.outcome_text(kept) == hm.outcome_text(full)
        assert hm.verdict(kept) == hm.verdict(full)
        assert len(json.dumps(kept.scores)) < len(json.dumps(full.scores)) / 3


def _full(store, sid):
    return json.loads(json.dumps(store.session_at(sid).debrief().to_json()))


def test_a_sound_file_read_in_one_pass_is_what_the_slower_reading_gives(room, tmp_path):
    _, _, wfile = room
    out, anon = results_file(
        tmp_path, wfile, plays=(("Ana", GOOD), ("Ben", BAD)), note="hm", anonymised_too=True
    )
    for path in (out, anon):
        raw = path.read_bytes()
        fast = files._read_whole(raw)
        assert fast is not None and fast[1] == set()
        assert fast[0].model_dump() == files._read(raw, path.name).model_dump()


def test_a_snapshot_equal_to_a_known_scenario_is_known_by_its_text_and_not_read(room, tmp_path):
    fac, w, wfile = room
    out, _ = results_file(tmp_path, wfile, plays=(("Ana", GOOD), ("Ben", BAD)))
    raw = out.read_bytes()
    known = files._known_scenarios(fac, w)
    h = w.exercises[0].content_hash
    f, cut = files._read_whole(raw, known)
    assert cut == {h} and f.scenarios[h] == files._KNOWN  # left out, not read
    slow = files._read(raw, out.name)
    assert f.model_dump(exclude={"scenarios"}) == slow.model_dump(exclude={"scenarios"})
    (got,) = files.collect(fac, w, [out])
    assert got.status == "taken" and len(got.added) == 2


@pytest.mark.parametrize(
    "edit, why",
    [
        # The snapshot edited: read as data, and refused for not matching its hash.
        (lambda t, h: t.replace('"title":"', '"title":"X', 1), "scenario snapshot"),
        # A text that stands for a known snapshot, written into the file: not taken for one.
        (
            lambda t, h: t.replace(
                t[t.index('"' + h + '":{') : t.index('"sessions"') - 2],
                '"' + h + '":"' + files._KNOWN[:-32] + "0" * 32 + '"',
            ),
            "should be a valid dictionary",
        ),
    ],
)
def test_a_snapshot_not_exactly_the_known_one_is_read_and_checked_as_before(
    room, tmp_path, edit, why
):
    fac, w, wfile = room
    out, _ = results_file(tmp_path, wfile)
    h = w.exercises[0].content_hash
    out.write_text(edit(out.read_text(), h), encoding="utf-8")
    whole = files._read_whole(out.read_bytes(), files._known_scenarios(fac, w))
    assert whole is None or whole[1] == set()  # not known by its text
    (got,) = files.collect(fac, w, [out])
    assert got.status == "refused" and why in got.why, got.why
    assert fac.count_sessions() == 0


@pytest.mark.parametrize(
    "edit, why",
    [
        # JSON that pydantic-core reads but the program refuses: the slower path says why.
        (lambda t: t.replace('"version":2', '"version":2.0', 1), "version: 2.0"),
        (lambda t: t.replace('"seed":', '"seed":NaN,"x":', 1), "not valid JSON"),
    ],
)
def test_a_file_the_one_pass_reading_refuses_gets_the_slower_readings_message(
    room, tmp_path, edit, why
):
    fac, w, wfile = room
    out, _ = results_file(tmp_path, wfile)
    text = json.dumps(json.loads(out.read_text()), separators=(",", ":"))
    out.write_text(edit(text), encoding="utf-8")
    assert files._read_whole(out.read_bytes()) is None
    (got,) = files.collect(fac, w, [out])
    assert got.status == "refused" and why in got.why, got.why
    assert fac.count_sessions() == 0


def test_a_file_the_one_pass_reading_cannot_read_but_the_slower_one_can_is_collected(
    room, tmp_path
):
    fac, w, wfile = room
    out, _ = results_file(tmp_path, wfile)
    out.write_text("\ufeff" + out.read_text(), encoding="utf-8")  # a byte-order mark
    assert files._read_whole(out.read_bytes()) is None
    (got,) = files.collect(fac, w, [out])
    assert got.status == "taken" and len(got.added) == 1


@pytest.mark.parametrize("damage", ["{not json", '{"variant": "cold", "inputs": []}', "[1, 2]"])
def test_a_damaged_kept_expert_path_is_searched_again_never_used(room, tmp_path, searches, damage):
    fac, w, wfile = room
    h = w.exercises[0].content_hash
    with fac._write("damage") as c:
        c.execute("UPDATE expert_paths SET path = ? WHERE content_hash = ?", (damage, h))
    assert _kept(fac, w) == {}
    out, _ = results_file(tmp_path, wfile)
    searches.clear()
    (got,) = files.collect(fac, w, [out])
    assert got.status == "taken" and searches == [(h, "warm")]
    assert fac.get(got.added[0]).scores["quality"] is not None
    assert _kept(fac, w)[(h, "warm")]["variant"] == "warm"


def test_the_rooms_summary_of_a_collected_session_is_what_its_full_debrief_gives(room, tmp_path):
    from negtrainer.workshop import aggregate

    fac, w, wfile = room
    out, _ = results_file(tmp_path, wfile, plays=(("Ana", GOOD), ("Ben", BAD), ("Cy", GOOD[:5])))
    (got,) = files.collect(fac, w, [out])
    assert len(got.added) == 3
    for t in ws.sessions(fac, w.id):
        session = fac.session_at(t.session_id)
        assert t.summary == aggregate.summarise(session, finished=True)


def test_collecting_and_adding_up_the_room_leave_the_cycle_collector_as_it_was(room, tmp_path):
    import gc

    fac, w, wfile = room
    out, _ = results_file(tmp_path, wfile)
    before = gc.get_threshold()
    got = files.collect(fac, w, [out, tmp_path / "missing.json"])
    assert [c.status for c in got] == ["taken", "refused"]
    service.views(fac, w)
    assert gc.get_threshold() == before
