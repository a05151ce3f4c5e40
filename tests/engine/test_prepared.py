"""What the runner prepares once per scenario (compiled conditions, each node's choices,
the seeded order, merged move effects) gives exactly what working it out afresh gives."""

import json
import operator
import random

import pytest

from negtrainer.engine import expr
from negtrainer.engine.loader import try_load
from negtrainer.engine.session import ChoiceUnavailable, Session
from negtrainer.library import scenario_files
from negtrainer.paths import builtin_scenarios_dir

LIBRARY = list(scenario_files(builtin_scenarios_dir()))


def _loaded(path):
    sc, diags = try_load(path)
    assert sc is not None, [d.format() for d in diags]
    return sc


def _conditions(sc):
    """Every condition text of a scenario that play reads."""
    spec = sc.spec
    out = [ln.when for ln, _where in sc.iter_lines() if getattr(ln, "when", None)]
    for node in spec.nodes.values():
        out += [ch.when for ch in node.choices if ch.when]
    out += [e.when for e in spec.endings.values() if e.when]
    out += [ev.when for ev in spec.events]
    if spec.negotiation:
        out += [r.when for r in spec.negotiation.routes]
    return sorted(set(out))


def _wander(sc, seed, steps=40):
    """A session driven by a seeded random hand: choices by number and by id, offers."""
    rng = random.Random(seed)
    s = Session.start(sc, seed=seed)
    states = [s.fork(include_log=True)]
    for _ in range(steps):
        if s.ended:
            break
        shown = s.choices
        try:
            if sc.spec.issues and s.can_offer and rng.random() < 0.15:
                s.offer({i: rng.choice(sc.spec.issues[i].options) for i in sc.issue_ids})
            elif shown and rng.random() < 0.5:
                s.choose(rng.randrange(len(shown)))
            else:
                s.choose(rng.choice(sc.choice_ids[s.state.node]))
        except ChoiceUnavailable:
            pass
        states.append(s.fork(include_log=True))
    return states


def _reference(node, st, resolve):
    """The condition language read plainly from its tree, one node at a time."""
    tag = node[0]
    if tag == "const":
        return node[1]
    if tag == "name":
        return resolve(node[1])(st)
    if tag == "not":
        return not _reference(node[1], st, resolve)
    if tag == "and":
        return _reference(node[1], st, resolve) and _reference(node[2], st, resolve)
    if tag == "or":
        return _reference(node[1], st, resolve) or _reference(node[2], st, resolve)
    op = {
        "==": operator.eq,
        "!=": operator.ne,
        "<": operator.lt,
        "<=": operator.le,
        ">": operator.gt,
        ">=": operator.ge,
        "+": operator.add,
        "-": operator.sub,
    }[node[1]]
    a, b = _reference(node[2], st, resolve), _reference(node[3], st, resolve)
    try:
        return op(a, b)
    except TypeError:
        return op is operator.ne


@pytest.mark.parametrize("path", LIBRARY, ids=lambda p: p.stem)
def test_conditions_compiled_at_load_read_the_state_as_the_plain_language_does(path):
    sc = _loaded(path)
    texts = _conditions(sc)
    assert texts
    states = [s.state for seed in range(3) for s in _wander(sc, seed)]
    for text in texts:
        tree = expr.parse(text)
        for st in states:
            assert sc.cond(text)(st) is bool(_reference(tree, st, sc.resolver)), (text, st.turn)


@pytest.mark.parametrize("path", LIBRARY, ids=lambda p: p.stem)
def test_a_choice_said_by_id_is_accepted_exactly_when_it_is_on_show(path):
    # choose(id) decides "on show" without ordering the whole list; it must agree with
    # the list every front-end shows, for every choice of the node, at every step.
    sc = _loaded(path)
    for seed in range(3):
        for snap in _wander(sc, seed):
            if snap.ended:
                continue
            shown = {v.id: v for v in snap.choices}
            for cid in sc.choice_ids[snap.state.node]:
                trial = snap.fork(include_log=True)
                try:
                    trial.choose(cid)
                    said = True
                except ChoiceUnavailable as e:
                    said, why = False, str(e)
                view = shown.get(cid)
                assert said == (view is not None and view.available), (cid, snap.state.turn)
                if view is not None and not view.available:
                    assert why == view.reason  # a locked choice: the reason it shows


def _said(s, which):
    try:
        step = s.choose(which)
    except ChoiceUnavailable as e:
        return ("refused", str(e)), s.to_json()
    return (step.lines, step.deltas, step.ending, step.why), s.to_json()


@pytest.mark.parametrize("path", LIBRARY, ids=lambda p: p.stem)
def test_a_choice_said_after_the_screen_was_read_plays_as_one_said_without_it(path):
    # choose() takes what the screen listed a moment ago rather than working it out
    # again; by id or by number, it must play exactly as a session that never looked.
    sc = _loaded(path)
    for snap in _wander(sc, seed=7)[::2]:
        if snap.ended:
            continue
        n = len(snap.choices)
        for which in [*sc.choice_ids[snap.state.node], *range(n + 1)]:
            blind = snap.fork(include_log=True)
            looked = snap.fork(include_log=True)
            assert len(looked.choices) == n  # the screen, read
            assert _said(looked, which) == _said(blind, which), (which, snap.state.turn)


@pytest.mark.parametrize("path", LIBRARY, ids=lambda p: p.stem)
def test_after_a_step_a_choice_means_the_new_screen_not_the_old_one(path):
    # One session reads its screen only every other turn; the other reads it every
    # turn. Said by number or by id, each choice must land the same in both.
    sc = _loaded(path)
    rng = random.Random(2)
    s, fresh = Session.start(sc, seed=1), Session.start(sc, seed=1)
    for turn in range(30):
        if fresh.ended:
            break
        shown = fresh.choices
        if turn % 2 == 0:
            assert s.choices == shown  # both sessions stand at the same state
        ready = [k for k, v in enumerate(shown) if v.available]
        if not ready:
            break
        k = rng.choice(ready)
        which = k if rng.random() < 0.5 else shown[k].id
        assert _said(s, which) == _said(fresh, which), (turn, which)


@pytest.mark.parametrize("path", LIBRARY, ids=lambda p: p.stem)
def test_forked_and_restored_sessions_play_on_exactly_as_the_original(path):
    sc = _loaded(path)
    for snap in _wander(sc, seed=5)[::4]:
        if snap.ended:
            continue
        copies = [
            snap.fork(include_log=True),
            Session.restore(sc, json.loads(json.dumps(snap.to_json()))),
        ]
        outcomes = []
        for s in [snap, *copies]:
            rng = random.Random(11)
            trail = []
            for _ in range(12):
                if s.ended:
                    break
                shown = s.choices
                trail.append([(v.id, v.text, v.available, v.reason) for v in shown])
                ready = [v for v in shown if v.available]
                if not ready:
                    break
                step = s.choose(rng.choice(ready).id)
                trail.append((step.lines, step.deltas, step.ending, step.why))
            outcomes.append(trail)
        assert outcomes[0] == outcomes[1] == outcomes[2]


def test_chained_and_or_give_what_python_gives():
    env = {"a": 0, "b": 2, "c": 3, "z": 0}

    def value(text):
        node = expr.parse(text)
        return expr._compile(node, lambda name: lambda st: st[name])(env)

    assert value("a and b and c") == 0
    assert value("b and c and c") == 3
    assert value("a or z or c") == 3
    assert value("a or z or a") == 0
    assert value("b and (a or c) and c") == 3
    run = expr.compile_expr(expr.parse("b and c and c"), lambda name: lambda st: st[name])
    assert run(env) is True


def _state_without_words(s):
    data = s.state.to_json(include_log=False)
    data.pop("lines", None)
    return data


@pytest.mark.parametrize("path", LIBRARY, ids=lambda p: p.stem)
def test_a_quiet_session_for_the_search_plays_exactly_the_states_a_learner_would(path):
    """The analysis plays quietly (no log, no words filled in): every state it reaches,
    every learner's line and every ending is the one a normal session reaches, for
    choices, offers and accepted counters; a fork of a quiet session stays quiet."""
    sc = _loaded(path)
    for seed in range(3):
        rng = random.Random(seed)
        loud = Session.start(sc, seed=seed)
        quiet = Session.start(sc, seed=seed).quiet()
        for _ in range(40):
            if loud.ended:
                break
            acts = [{"choice": c.id} for c in loud.choices if c.available]
            if loud.state.counter is not None:
                acts.append({"accept": "counter"})
            if loud.can_offer:
                acts.append(
                    {"offer": {i: rng.choice(sc.spec.issues[i].options) for i in sc.issue_ids}}
                )
            act = rng.choice(acts)
            try:
                step = loud.apply(act)
            except ChoiceUnavailable:
                continue
            quiet = quiet.fork()
            assert quiet._quiet
            said = quiet.apply(act)
            assert said.said == step.said and said.ending == step.ending
            assert [ln.get("emotional") for ln in said.lines] == [
                ln.get("emotional") for ln in step.lines
            ]
            assert _state_without_words(quiet) == _state_without_words(loud)
        assert quiet.state.log == []


@pytest.mark.parametrize("path", LIBRARY, ids=lambda p: p.stem)
def test_whether_any_choice_is_open_is_what_the_screen_would_show(path):
    """The search's quick dead-end check agrees with the full screen in every state."""
    sc = _loaded(path)
    for seed in range(4):
        for s in _wander(sc, seed):
            if not s.ended:
                assert s._any_available() == any(entry[3] for entry in s._selection())


@pytest.mark.parametrize("include_log", [True, False])
def test_a_copied_state_equals_the_original_and_shares_no_container_with_it(include_log):
    """Every field is copied one level deep (offers' inner lists too), so playing on
    from the copy never changes the original; without the log, the copy's log is new."""
    from dataclasses import fields

    sc = _loaded(LIBRARY[0])
    states = _wander(sc, 3)
    rich = max(states, key=lambda s: len(s.state.log))
    st = rich.state
    st.counter, st.deal = [0] * len(sc.issue_ids), None
    st.learner_offers = [[0] * len(sc.issue_ids), [1] * len(sc.issue_ids)]
    new = st.copy(include_log=include_log)
    for f in fields(st):
        mine, theirs = getattr(st, f.name), getattr(new, f.name)
        if f.name == "log" and not include_log:
            assert theirs == [] and theirs is not mine
            continue
        assert theirs == mine, f.name
        if isinstance(mine, (list, dict, set)):
            assert theirs is not mine, f.name
    assert all(a is not b for a, b in zip(new.learner_offers, st.learner_offers))
