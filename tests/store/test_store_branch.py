"""Branching: trying a different choice from any turn of a stored session."""

import pytest
from storeplay import as_json, play, record_game

from negtrainer.engine.session import Session
from negtrainer.store import Recorder, StoreError


def test_a_branch_starts_exactly_where_its_parent_was_at_that_turn(store, scenario, seed):
    sid, _ = record_game(store, scenario, seed)
    new_id, branch = store.branch(sid, 3)
    assert as_json(branch.to_json()) == as_json(store.state_at(sid, 3))
    info = store.get(new_id)
    assert (info.parent_id, info.parent_turn, info.status) == (sid, 3, "unfinished")
    assert info.learner == store.get(sid).learner


def test_a_branch_carries_copies_of_its_first_turns_marked_inherited(store, scenario, seed):
    sid, _ = record_game(store, scenario, seed)
    new_id, _ = store.branch(sid, 3)
    parent, child = store.load(sid), store.load(new_id)
    assert [t.inherited for t in child.turns] == [True] * 4
    for mine, theirs in zip(child.turns, parent.turns[:4]):
        assert (mine.input, mine.said, mine.lines, mine.state, mine.at) == (
            theirs.input,
            theirs.said,
            theirs.lines,
            theirs.state,
            theirs.at,
        )


def test_a_branch_played_differently_replays_and_verifies_on_its_own(store, scenario, seed):
    sid, _ = record_game(store, scenario, seed)
    rec = Recorder.branch(store, sid, 2)
    other = next(
        c
        for c in rec.session.choices
        if c.available and c.id != store.load(sid).turns[3].input.get("choice")
    )
    rec.choose(other.id)
    play(rec, rec.session)
    new_id = rec.session_id
    assert store.verify(new_id) == []
    for n in range(rec.session.state.turn + 1):
        assert as_json(store.session_at(new_id, n).to_json()) == as_json(
            store.session_at(new_id, n, replay=True).to_json()
        )
    assert store.load(new_id).turns[3].input == {"choice": other.id}
    assert store.verify(sid) == []  # the parent is untouched


def test_a_branch_outlives_the_session_it_came_from(store, scenario, seed):
    sid, _ = record_game(store, scenario, seed)
    new_id, branch = store.branch(sid, 4)
    store.delete(sid)
    assert as_json(store.resume(new_id).to_json()) == as_json(branch.to_json())
    assert store.verify(new_id) == []
    assert store.get(new_id).parent_id == sid


def test_a_branch_for_another_learner_is_theirs_from_the_start(store, scenario, seed):
    sid, _ = record_game(store, scenario, seed, learner="Ana")
    new_id, branch = store.branch(sid, 2, learner="Bo")
    assert store.get(new_id).learner == "Bo"
    assert branch.state.learner == "Bo"
    assert store.verify(new_id) == []


def test_branching_from_the_opening_gives_a_fresh_start_linked_to_the_parent(store, scenario, seed):
    sid, _ = record_game(store, scenario, seed)
    _, branch = store.branch(sid, 0)
    assert as_json(branch.to_json()) == as_json(Session.start(scenario, seed=seed).to_json())


def test_branching_from_the_turn_that_ended_the_session_is_refused(store, scenario, seed):
    sid, session = record_game(store, scenario, seed)
    with pytest.raises(StoreError, match="earlier turn"):
        store.branch(sid, session.state.turn)


def test_branching_from_a_turn_the_session_never_reached_is_refused(store, scenario, seed):
    sid, _ = record_game(store, scenario, seed, turns=3)
    with pytest.raises(StoreError, match="turns 0 to 3"):
        store.branch(sid, 7)
