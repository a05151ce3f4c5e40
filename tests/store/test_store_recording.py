"""Recording sessions turn by turn, and reading any turn back."""

import shutil

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from storeplay import SAMPLE, as_json, next_input, play, record_game, record_states

from negtrainer.engine.loader import load_scenario
from negtrainer.engine.session import Session
from negtrainer.store import AmbiguousId, Recorder, SessionNotFound, Store, StoreError


def test_beginning_a_session_records_the_opening_as_turn_zero(store, scenario, seed):
    session = Session.start(scenario, seed=seed)
    sid = store.begin(scenario, session, "Ana")
    stored = store.load(sid)
    assert [t.index for t in stored.turns] == [0]
    assert stored.turns[0].lines == session.lines
    assert stored.info.status == "unfinished" and stored.info.learner == "Ana"
    assert as_json(store.state_at(sid, 0)) == as_json(session.to_json())


def test_every_turn_is_in_the_database_when_the_recorder_returns(store, scenario, seed):
    session = Session.start(scenario, seed=seed)
    rec = Recorder.start(store, scenario, session, "Ana")
    for k in range(4):
        rec.apply(next_input(session, session.state.turn))
        assert store.get(rec.session_id).turn_count == k + 1
        assert as_json(store.state_at(rec.session_id)) == as_json(session.to_json())


def test_the_stored_state_at_every_turn_equals_the_live_one(store, scenario, seed):
    sid, live = record_states(store, scenario, seed)
    stored = store.load(sid)
    assert len(stored.turns) == len(live) > 5
    for n, want in enumerate(live):
        assert as_json(store.state_at(sid, n)) == want
        assert as_json(stored.state_at(n)) == want


def test_restoring_and_replaying_any_turn_give_the_same_session(store, scenario, seed):
    sid, session = record_game(store, scenario, seed)
    for n in range(session.state.turn + 1):
        restored = store.session_at(sid, n)
        replayed = store.session_at(sid, n, replay=True)
        assert as_json(restored.to_json()) == as_json(replayed.to_json())
        assert restored.state.turn == n
    assert store.verify(sid) == []


def test_a_restored_session_plays_on_exactly_like_the_original(store, scenario, seed):
    sid, session = record_game(store, scenario, seed)
    middle = store.session_at(sid, 3)
    play(middle, middle)
    assert as_json(middle.to_json()) == as_json(session.to_json())


def test_a_session_that_reaches_an_ending_is_listed_as_finished_with_it(store, scenario, seed):
    sid, session = record_game(store, scenario, seed)
    assert session.ended
    info = store.get(sid)
    assert info.status == "finished" and info.ended_at is not None
    assert (info.ending_id, info.ending_kind) == (session.ending.id, session.ending.kind)
    assert info.turn_count == session.state.turn


def test_final_scores_are_the_engine_debrief_against_the_expert_path(store, scenario, seed):
    sid, session = record_game(store, scenario, seed)
    scores = store.get(sid).scores
    assert scores == as_json(session.debrief().to_json())
    assert "expert path here" in scores["metrics"][0]["reference"]
    assert isinstance(scores["quality"], int)


def test_an_unfinished_session_resumes_where_it_stopped(store, scenario, seed):
    sid, session = record_game(store, scenario, seed, turns=3)
    assert store.get(sid).status == "unfinished"
    rec = Recorder.resume(store, sid)
    assert as_json(rec.session.to_json()) == as_json(session.to_json())
    play(rec, rec.session)
    whole = Session.start(scenario, seed=seed)
    play(whole, whole)
    assert as_json(store.state_at(sid)) == as_json(whole.to_json())
    assert store.get(sid).status == "finished"


def test_recording_the_same_turn_twice_stores_it_once(store, scenario, seed):
    session = Session.start(scenario, seed=seed)
    sid = store.begin(scenario, session)
    session.apply(next_input(session, 0))
    store.record_turn(sid, session)
    store.record_turn(sid, session)
    assert len(store.load(sid).turns) == 2


def test_turns_the_database_missed_are_caught_up_on_the_next_write(store, scenario, seed):
    session = Session.start(scenario, seed=seed)
    sid = store.begin(scenario, session)
    for _ in range(3):
        session.apply(next_input(session, session.state.turn))
    store.record_turn(sid, session)
    assert [t.index for t in store.load(sid).turns] == [0, 1, 2, 3]
    assert store.verify(sid) == []


def test_beginning_a_session_already_under_way_records_all_its_turns(store, scenario, seed):
    session = Session.start(scenario, seed=seed)
    play(session, session, 3)
    sid = store.begin(scenario, session)
    assert store.get(sid).turn_count == 3
    assert as_json(store.state_at(sid)) == as_json(session.to_json())


def test_stopping_a_session_early_lists_it_as_finished_without_an_ending(store, scenario, seed):
    session = Session.start(scenario, seed=seed)
    rec = Recorder.start(store, scenario, session)
    play(rec, session, 2)
    rec.finish()
    info = store.get(rec.session_id)
    assert (info.status, info.ending_id, info.turn_count) == ("finished", None, 2)


def test_sessions_are_listed_newest_first_and_filtered(store, scenario, seed):
    a, _ = record_game(store, scenario, seed, learner="Ana")
    b, _ = record_game(store, scenario, seed + 1, learner="Bo", turns=2)
    c, _ = record_game(store, scenario, seed + 2, learner="Ana", turns=1)
    assert [i.id for i in store.list_sessions()] == [c, b, a]
    assert [i.id for i in store.list_sessions(learner="ana")] == [c, a]
    assert [i.id for i in store.list_sessions(status="unfinished")] == [c, b]
    assert [i.id for i in store.list_sessions(scenario="packaging-renewal", limit=1, offset=1)] == [
        b
    ]
    assert [i.id for i in store.list_sessions(ending=store.get(a).ending_kind)] == [a]
    assert store.list_sessions(scenario="no-such-scenario") == []
    assert store.count_sessions(learner="Ana") == 2


def test_a_unique_prefix_of_a_session_id_finds_it(store, scenario, seed):
    sid, _ = record_game(store, scenario, seed, turns=1)
    assert store.resolve_id(sid[:6].upper()) == sid
    with pytest.raises(SessionNotFound):
        store.resolve_id("ffffffff-0000")
    with pytest.raises(SessionNotFound):
        store.resolve_id("not an id")


def test_a_prefix_shared_by_two_sessions_asks_for_more(store, scenario, seed):
    # 17 ids over 16 hex digits: two of them must share their first character.
    ids = [record_game(store, scenario, seed, turns=0)[0] for _ in range(17)]
    firsts = [i[0] for i in ids]
    shared = next(c for c in firsts if firsts.count(c) > 1)
    with pytest.raises(AmbiguousId, match="type more"):
        store.resolve_id(shared)


def test_learners_are_added_once_whatever_the_letter_case(store):
    a = store.add_learner("  Ana  Lima ")
    b = store.add_learner("ana lima")
    store.add_learner("Bo")
    assert a == b and a.name == "Ana Lima"
    assert [lr.name for lr in store.learners()] == ["Ana Lima", "Bo"]
    with pytest.raises(StoreError, match="name"):
        store.add_learner("   ")


def test_the_default_learner_is_whoever_played_last(store, scenario, seed):
    assert store.default_learner() is None
    store.add_learner("Only")
    assert store.default_learner() == "Only"
    record_game(store, scenario, seed, learner="Ana", turns=1)
    record_game(store, scenario, seed, learner="Bo", turns=1)
    assert store.default_learner() == "Bo"


def test_notes_are_kept_per_turn_and_read_back_in_order(store, scenario, seed):
    sid, _ = record_game(store, scenario, seed, turns=4)
    store.add_note(sid, 3, "Asked before offering: good.")
    first = store.add_note(sid, 1, "Warm opening.")
    store.add_note(sid, 3, "Could have paraphrased.")
    notes = store.load(sid).notes
    assert [(n.turn, n.text) for n in notes] == [
        (1, "Warm opening."),
        (3, "Asked before offering: good."),
        (3, "Could have paraphrased."),
    ]
    store.edit_note(first.id, "Warm opening, well timed.")
    store.delete_note(notes[2].id)
    assert [n.text for n in store.notes(sid)] == [
        "Warm opening, well timed.",
        "Asked before offering: good.",
    ]
    with pytest.raises(StoreError, match="turns 0 to 4"):
        store.add_note(sid, 9, "No such turn")


def test_deleting_a_session_removes_its_turns_and_notes(store, scenario, seed):
    sid, _ = record_game(store, scenario, seed, turns=3)
    keep, _ = record_game(store, scenario, seed, turns=2)
    store.add_note(sid, 1, "gone soon")
    store.delete(sid)
    with pytest.raises(SessionNotFound):
        store.load(sid)
    assert (
        store.conn.execute("SELECT count(*) FROM turns WHERE session_id = ?", (sid,)).fetchone()[0]
        == 0
    )
    assert store.conn.execute("SELECT count(*) FROM notes").fetchone()[0] == 0
    assert store.verify(keep) == []
    with pytest.raises(SessionNotFound):
        store.delete(sid)


def test_a_session_replays_after_its_scenario_file_is_edited_or_deleted(tmp_path, db_path, seed):
    own = tmp_path / "mine.yaml"
    shutil.copy(SAMPLE, own)
    scenario = load_scenario(own)
    with Store.open(db_path, backup_every_hours=None) as store:
        sid, session = record_game(store, scenario, seed)
    own.write_text(own.read_text().replace("Dana Okafor", "Someone Else"))
    own.unlink()
    with Store.open(db_path, backup_every_hours=None) as store:
        stored = store.load(sid)
        assert stored.scenario.content_hash == scenario.content_hash
        assert as_json(store.session_at(sid).to_json()) == as_json(session.to_json())
        assert store.verify(sid) == []


def test_each_scenario_version_is_stored_once(store, scenario, seed):
    for n in range(3):
        record_game(store, scenario, seed + n, turns=1)
    assert store.conn.execute("SELECT count(*) FROM scenarios").fetchone()[0] == 1


def test_turn_rows_do_not_repeat_the_log(store, scenario, seed):
    sid, _ = record_game(store, scenario, seed)
    for (state,) in store.conn.execute("SELECT state FROM turns WHERE session_id = ?", (sid,)):
        assert '"log"' not in state


def test_a_stored_state_that_was_tampered_with_is_caught_by_verify(store, scenario, seed):
    sid, _ = record_game(store, scenario, seed)
    store.conn.execute(
        "UPDATE turns SET state = replace(state, '\"offers\":0', '\"offers\":5') "
        "WHERE session_id = ? AND idx = 2",
        (sid,),
    )
    store.conn.commit()
    assert store.verify(sid) == [2]


@settings(
    max_examples=25, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture]
)
@given(seed_=st.integers(0, 10_000))
def test_for_any_seed_stored_restored_and_replayed_turns_all_agree(scenario, seed_):
    store = Store.memory()
    sid, live = record_states(store, scenario, seed_)
    for n, want in enumerate(live):
        assert as_json(store.session_at(sid, n).to_json()) == want
        assert as_json(store.session_at(sid, n, replay=True).to_json()) == want
