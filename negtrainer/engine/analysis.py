"""Scenario analysis: what can happen, what never can, and how well one can do.

Three passes, all deterministic and bounded:

1. a breadth-first exploration of the state space (states merged on a coarse
   key: node, trust rounded, flags, interests, promises, offers…) up to a cap;
2. a beam search towards the best outcome (the *expert path* a debrief shows);
3. the scripted strategies over many seeds and every variant.

Everything any pass reaches counts as reachable; what none reaches is
reported with a fix. Findings are warnings; ``check --strict`` fails on them.
"""

from __future__ import annotations

import copy
import statistics
from collections import Counter, deque
from collections.abc import Callable, Iterator, Sequence
from contextlib import AbstractContextManager
from dataclasses import dataclass, field
from itertools import repeat
from operator import attrgetter, truediv
from pathlib import Path
from typing import Any

from negtrainer.engine import effects as fx
from negtrainer.engine import moves as mv
from negtrainer.engine.collector import fewer_collections
from negtrainer.engine.diagnostics import Diagnostic, diag
from negtrainer.engine.results import Analysis, ExpertPath
from negtrainer.engine.scenario import LoadedScenario
from negtrainer.engine.session import Session
from negtrainer.engine.state import SessionState
from negtrainer.engine.strategies import STRATEGIES, play
from negtrainer.engine.yamlread import line_of

BFS_CAP = 1500  # states in all, shared among the variants
BEAM_WIDTH = 12
# What a move the debrief flags (pressure, technique) costs an open state's rank in the
# search for the expert path, in trust points: an expert does not lean on them.
FLAGGED = 15
ASKED_AGAIN = 0.2  # of a flag: see _flagged
SEEDS = 5  # per variant and player in `check`; the pedagogy test uses 20

# A search makes and drops many small containers (states, keys) that never form
# cycles: the cycle collector runs at most every 50,000 of them while one runs.
SEARCH_GC_THRESHOLD = 50_000


def _searching() -> AbstractContextManager[None]:
    return fewer_collections(SEARCH_GC_THRESHOLD)


@dataclass
class Reach:
    nodes: set[str] = field(default_factory=set)
    endings: set[str] = field(default_factory=set)
    interests: set[str] = field(default_factory=set)
    dead_ends: set[str] = field(default_factory=set)
    states: int = 0
    bounded: bool = False

    def see(self, s: Session) -> None:
        st = s.state
        self.nodes.update(st.visited)
        self.interests.update(st.revealed)
        if st.ending is not None:
            self.endings.add(st.ending)
        elif (
            st.node not in self.dead_ends
            and not s.can_offer
            and st.counter is None
            and not s._any_available()
        ):
            self.dead_ends.add(st.node)

    def grows(self, s: Session) -> bool:
        """Whether :meth:`see` would add anything of ``s`` (it rarely does, once a search
        is under way)."""
        st = s.state
        if not (self.nodes.issuperset(st.visited) and self.interests.issuperset(st.revealed)):
            return True
        if st.ending is not None:
            return st.ending not in self.endings
        return (
            st.node not in self.dead_ends
            and not s.can_offer
            and st.counter is None
            and not s._any_available()
        )

    def merge(self, other: Reach) -> None:
        """What another pass saw (its states are counted by the pass that explored)."""
        self.nodes |= other.nodes
        self.endings |= other.endings
        self.interests |= other.interests
        self.dead_ends |= other.dead_ends


def fork(s: Session) -> Session:
    """A copy for exploration: the state's own copy, without the turn log."""
    return s.fork(include_log=False)


def _child(s: Session, last: bool) -> Session:
    """A session to try one action on: a fork, or, for the last action tried from ``s``,
    ``s`` itself (the searches drop a state once its actions are tried; the state's
    log is not part of what plays next, so the copy and the original play alike)."""
    return s if last else fork(s)


_FOURS = repeat(4)  # never exhausted: map stops at the variables' end
# Fields the key takes as they are, and sets it takes whatever their order: each group
# read in one call (a key is made for every state a search plays).
_AS_THEY_ARE = attrgetter("node", "offers", "ending", "last_emotional", "move", "withdrawn")
_AS_SETS = attrgetter("flags", "revealed", "hinted", "fired")


def _key(s: Session) -> tuple:
    """What makes two states the same to a search: equal exactly when their nodes, flags,
    interests, promises, offers, recent moves and more are, with the variables rounded
    to steps of 4 and the trust bought with words to steps of 5."""
    st = s.state
    chosen = st.chosen
    once = s._p.once_ids.intersection(chosen)
    if once and 0 in chosen.values():  # never in play (said means counted); a hand-made state may
        once = frozenset([c for c in once if chosen[c]])
    # Sets where order does not matter: cheaper than sorting, and equal exactly when
    # the sorted tuples would be.
    return (
        _AS_THEY_ARE(st),
        tuple(map(round, map(truediv, st.vars.values(), _FOURS))),  # each round(v / 4)
        tuple(map(frozenset, _AS_SETS(st))),
        frozenset(st.promises.items()),
        tuple(st.counter or ()),
        st.substance_turn is None,
        sum(st.stances[-3:]),
        once,
        st.turn >= s.scenario.spec.max_turns - 1,
        tuple(st.deal or ()),
        tuple(st.moves[-3:]),
        round(st.talk_gain / 5),
        tuple(st.disclosed),
    )


def actions(s: Session, all_pareto: bool = True) -> list[dict[str, Any]]:
    """What a learner could do now; offers limited to the ones that matter."""
    return [act for act, _said in _moves(s, all_pareto)]


def _moves(s: Session, all_pareto: bool = True) -> list[tuple[dict[str, Any], Any]]:
    """:func:`actions`, each with how the search plays it without looking it up again:
    (Session._play_choice, (choice, id)) for a choice on show and available,
    (Session._play_offer, (terms,)) for an offer it may make, else None."""
    shown = [] if s.ended else s._selection()
    out: list[tuple[dict[str, Any], Any]] = [
        ({"choice": cid}, (Session._play_choice, (ch, cid)))
        for _i, ch, cid, ok, _why in shown
        if ok
    ]
    if s.state.counter is not None:
        out.append(({"accept": "counter"}, None))
    if s.can_offer:
        sc = s.scenario
        # The picks are allowed by what has been revealed (the table says so), so they
        # pass every check `Session.offer` makes.
        out.extend(
            ({"offer": dict(labels)}, (Session._play_offer, (terms,)))
            for labels, terms in _offer_picks(sc, s.state.revealed, all_pareto)
        )
    return out


def _offer_picks(
    sc: LoadedScenario, revealed: Any, all_pareto: bool
) -> list[tuple[dict[str, str], tuple[int, ...]]]:
    """The offers worth trying, as labels and as terms, found once per value table
    (they depend on nothing else)."""
    table = sc.table(revealed)
    cache = sc.__dict__.setdefault("_analysis_offers", {})
    found = cache.get((table, all_pareto))
    if found is None:
        allowed = [i for i, ok in enumerate(table.allowed) if ok]
        picks = {
            max(allowed, key=lambda i: (table.you[i], table.terms[i])),
            max(allowed, key=lambda i: (table.you[i] + table.them[i], table.terms[i])),
            max(allowed, key=lambda i: (table.them[i], table.terms[i])),
            *(table.pareto if all_pareto else ()),
        }
        found = cache[(table, all_pareto)] = [
            (sc.terms_dict(table.terms[i]), table.terms[i]) for i in sorted(picks)
        ]
    return found


# An action played: its input, the state it led to, the words said, the state's key,
# and whether the debrief would flag the move (pressure, or technique).
_Play = tuple[dict[str, Any], Session, str, tuple, float]


def _flagged(nxt: Session, step: Any, told_before: int) -> float:
    """How much the debrief would hold a move against the learner: 1 for a competitive
    move, one that reads as technique, misreads them, patronises, takes a concession
    back or tells them the learner's walk-away, or an offer worth less to the learner
    than walking away; ASKED_AGAIN for a question straight after a question (no
    mistake, but the debrief counts listening replies per question); else 0."""
    if nxt.state.stances[-1] < 0:
        return 1.0
    if "walkaway" in nxt.state.disclosed[told_before:]:  # what this move disclosed
        return 1.0
    offer = step.offer
    if offer is not None:
        walkaway = nxt.scenario.spec.learner.walkaway
        if walkaway is not None and offer.you < walkaway:
            return 1.0
    for w in step.why:  # mostly empty: no generator made for nothing
        for mistake in fx.MISTAKE_WHYS:
            if mistake in w:
                return 1.0
    moves = nxt.state.moves
    if len(moves) >= 2 and mv.MOVES[moves[-1]].asks and mv.MOVES[moves[-2]].asks:
        return ASKED_AGAIN
    return 0.0


@dataclass
class Explored:
    """What an exploration played: its start, and for each state it expanded whole, by
    the state's identity (the state is kept, so its id stays its own), every action
    that could be played (a ``_Play``). The expert path's
    search starts from the same state and reads these instead of playing them again."""

    start: Session
    after: dict[int, tuple[Session, list[_Play]]] = field(default_factory=dict)
    depth: int = 0  # of the deepest state in ``after``, in actions from the start


def _played(
    s: Session, all_pareto: bool, played: Explored | None, record: bool = False
) -> Iterator[tuple[dict[str, Any], Session, str, tuple | None, float]]:
    """Every action that can be played from ``s``, with the state it leads to, the words
    said, the state's key when it is known already (else None) and whether the move
    is flagged (see ``_Play``).

    ``played`` holds what was played before: a state in it is not played again.
    With ``record``, every action is played on a copy (``s`` itself is kept as it is),
    each key is found, and the whole expansion goes into ``played`` once the caller has
    taken all of it."""
    known = played.after.get(id(s)) if played is not None else None
    if known is not None and known[0] is s:
        yield from known[1]
        return
    acts = _moves(s, all_pareto=all_pareto)
    done: list[_Play] = []
    last = len(acts) - 1
    told = len(s.state.disclosed)  # (the last action may be played on ``s`` itself)
    for n, (act, how) in enumerate(acts):
        nxt = fork(s) if record else _child(s, n == last)
        try:
            step = how[0](nxt, *how[1]) if how is not None else nxt.apply(act)
        except ValueError:
            continue
        flagged = _flagged(nxt, step, told)
        if record:
            k = _key(nxt)
            done.append((act, nxt, step.said, k, flagged))
            yield act, nxt, step.said, k, flagged
        else:
            yield act, nxt, step.said, None, flagged
    if record and played is not None:
        played.after[id(s)] = (s, done)


def _expand(
    s: Session,
    seen: set[tuple],
    reach: Reach,
    all_pareto: bool = True,
    played: Explored | None = None,
    record: bool = False,
) -> Iterator[tuple[dict[str, Any], Session, str, float]]:
    """The states one action away from ``s`` not yet in ``seen``: each is added
    to ``seen`` and to ``reach`` before it is yielded with its action, words and
    flag (``played`` and ``record`` as for :func:`_played`)."""
    for act, nxt, said, k, flagged in _played(s, all_pareto, played, record):
        if k is None:
            k = _key(nxt)
        size = len(seen)
        seen.add(k)  # one hash of the key, where `in` then `add` took two
        if len(seen) == size:
            continue
        reach.see(nxt)
        yield act, nxt, said, flagged


def explore(scenario: LoadedScenario, variant: str, reach: Reach, cap: int = BFS_CAP) -> Explored:
    """Breadth first from the start (seed 0) until ``cap`` states; returns what it
    played (see :class:`Explored`)."""
    with _searching():
        return _explore(scenario, variant, reach, cap)


def _explore(scenario: LoadedScenario, variant: str, reach: Reach, cap: int) -> Explored:
    start = Session.start(scenario, seed=0, variant=variant).quiet()
    played = Explored(start)
    reach.see(start)
    seen = {_key(start)}
    queue = deque([(start, 0)])
    while queue:
        s, depth = queue.popleft()
        if s.ended:
            continue
        played.depth = depth
        # The three offers that matter, as the beam tries (see _offer_picks): every offer
        # on the Pareto frontier too took half the time and reached nothing more.
        for _act, nxt, _said, _flagged_move in _expand(
            s, seen, reach, all_pareto=False, played=played, record=True
        ):
            if len(seen) >= cap:
                reach.bounded = True
                reach.states += len(seen)
                return played
            queue.append((nxt, depth + 1))
    reach.states += len(seen)
    return played


def _outcome(s: Session) -> tuple:
    sc, st = s.scenario, s.state
    if st.ending is None:  # the beam ranks its open states by the middle term alone
        return (0, st.vars["trust"] + 15 * len(st.revealed), 0.0)
    kind = sc.spec.endings[st.ending].kind
    good = 1 if st.ending in _good_endings(sc) else 0
    if kind in ("deal", "agreement"):
        joint = you = 0.0
        if st.deal is not None:
            t = tuple(st.deal)
            you = sc.value_you(t)
            joint = you + sc.value_them(t, set(sc.spec.interests))
        return (2 + good, joint + st.vars["trust"] / 100, you)
    return (1 + 2 * good, st.vars["trust"], 0.0)


Found = tuple[tuple, list[dict[str, Any]], list[str]]
# A beam's path: (session, (input, said) of its last step, the path it grew from,
# moves so far that the debrief would flag, see ``_Play``).
_Trail = tuple[Session, Any, Any, float]  # state, (action, words), parent, flags so far


def best_path(
    scenario: LoadedScenario,
    variant: str,
    reach: Reach,
    width: int = BEAM_WIDTH,
    seed: int = 0,
    explored: Explored | None = None,
) -> Found | None:
    """Beam search for the best outcome: deals by joint value, then your value.

    Searched once per loaded scenario, variant and seed: ``check``, the pedagogy
    table and every debrief ask for the same path (what the search saw is kept too,
    so a repeated call reports the same reach). With what :func:`explore` played from
    the same start (this variant, seed 0), the search reads it rather than play it
    again, and empties it once past it: the same path, found sooner."""
    cache = scenario.__dict__.setdefault("_beams", {})
    key = (variant, width, seed)
    if key not in cache:
        seen = Reach()
        if explored is not None:
            st = explored.start.state
            if (st.variant, st.seed, explored.start.scenario) != (variant, seed, scenario):
                explored = None
        with _searching():
            cache[key] = (_beam(scenario, variant, seen, width, seed, explored), seen)
    found, seen = cache[key]
    reach.merge(seen)
    if found is None:
        return None
    return found[0], copy.deepcopy(found[1]), list(found[2])


def _funnel(width: int, depth: int, max_turns: int) -> int:
    """The beam's width at a depth: whole for the first third of the turns, two thirds
    of it to half the turns, then half. The opening turns decide which interests come
    out and how much trust there is; later the beam mostly carries variations of a line
    already chosen. Over the built-in library this reaches the same outcome as the full
    width in every variant (two paths take one more turn to get there), with 30 % fewer
    steps. A wider beam is not simply better: 16 finds a path 2 trust points better in
    one variant and worse ones in two."""
    if depth < max_turns // 3:
        return width
    if depth < max_turns // 2:
        return max(1, width * 2 // 3)
    return max(1, width // 2)


class _Twins:
    """Which of one depth's states repeat an earlier one (an equal :func:`_key`), found
    only for the states asked about: keys are made when needed, and compared only
    within a group that equal keys share (the key's first part)."""

    def __init__(self) -> None:
        self.sessions: list[Session] = []
        self.keys: list[tuple | None] = []
        self.group: list[tuple] = []
        self.groups: dict[tuple, list[int]] = {}

    def add(self, s: Session, key: tuple | None) -> None:
        """The next state played (with its key when it is known already)."""
        g = _AS_THEY_ARE(s.state)
        self.groups.setdefault(g, []).append(len(self.sessions))
        self.sessions.append(s)
        self.keys.append(key)
        self.group.append(g)

    def _key_of(self, i: int) -> tuple:
        k = self.keys[i]
        if k is None:
            k = self.keys[i] = _key(self.sessions[i])
        return k

    def first(self, i: int) -> bool:
        """Whether state ``i`` is the first of its key, in the order they were played."""
        mates = self.groups[self.group[i]]
        if mates[0] == i:
            return True
        k = self._key_of(i)
        for j in mates:
            if j == i:
                return True
            if self._key_of(j) == k:
                return False
        raise AssertionError("a state is in its own group")


def _beam(
    scenario: LoadedScenario,
    variant: str,
    reach: Reach,
    width: int,
    seed: int,
    explored: Explored | None = None,
) -> Found | None:
    """Each depth keeps its best open states and the best ending so far, counting only
    the first state played of each key (:func:`_key`): what comparing each state with
    every one before it keeps, but a state's key is made only when its place or what
    it adds to ``reach`` depends on it (a tenth of them)."""
    if explored is not None:
        start = explored.start
    else:
        start = Session.start(scenario, seed=seed, variant=variant).quiet()
    # Children share the way there (a _Trail) instead of copying it. Among equal
    # outcomes the expert path is the one that got there without pressure or technique.
    beam: list[_Trail] = [(start, None, None, 0)]
    best: tuple[tuple, _Trail] | None = None
    for _depth in range(scenario.spec.max_turns + 1):
        if explored is not None and _depth > explored.depth:
            # Past what the exploration played: let its states go (kept, they made
            # Python's cycle collector work harder for the rest of the search).
            explored.after.clear()
            explored = None
        twins = _Twins()
        trails: list[_Trail] = []
        for path in beam:
            pushed = path[3]
            for act, nxt, words, k, flagged in _played(path[0], False, explored):
                twins.add(nxt, k)
                trails.append((nxt, (act, words), path, pushed + flagged))
        # A state that adds nothing to the reach needs no key to tell.
        for i, nxt in enumerate(twins.sessions):
            if reach.grows(nxt) and twins.first(i):
                reach.see(nxt)
        # Open states by their rank (what _outcome ranks an open state by: the rest of
        # it is the same for all of them), then the least pressure, then the order
        # played (each sorted with -i, its place, so that the first played comes first).
        ranked: list[tuple[float, float, int]] = []
        ended: list[tuple[tuple, int]] = []
        for i, trail in enumerate(trails):
            st = trail[0].state
            if st.ending is None:
                ranked.append(
                    (st.vars["trust"] + 15 * len(st.revealed) - FLAGGED * trail[3], -trail[3], -i)
                )
            else:
                ended.append(((*_outcome(trail[0]), -trail[3]), -i))
        # One by one, an ending replaces the best when it beats it: the first played of
        # this depth's best, if it beats the best so far.
        ended.sort(reverse=True)
        for score, minus_i in ended:
            if best is not None and not score > best[0]:
                break
            if twins.first(-minus_i):
                best = (score, trails[-minus_i])
                break
        if not ranked:
            break
        ranked.sort(reverse=True)
        keep = _funnel(width, _depth, scenario.spec.max_turns)
        beam = []
        for _rank, _pressure, minus_i in ranked:
            if twins.first(-minus_i):
                beam.append(trails[-minus_i])
                if len(beam) == keep:
                    break
    if best is None:
        return None
    inputs: list[dict[str, Any]] = []
    said: list[str] = []
    link: Any = best[1]
    while link[1] is not None:
        inputs.append(link[1][0])
        said.append(link[1][1])
        link = link[2]
    return best[0], inputs[::-1], said[::-1]


def stall(session: Session, seed: int) -> dict[str, Any]:
    """Keep talking without ending: finds what only a long session reaches."""
    sc, st = session.scenario, session.state
    ok = []
    for c in session.choices:
        if not c.available:
            continue
        ch = sc.choice(st.node, c.index)
        ends = ch.next in sc.spec.endings or (
            ch.next in sc.spec.nodes and sc.spec.nodes[ch.next].end is not None
        )
        ok.append((ends, ch.offer is not None, st.chosen.get(c.id, 0), c.index, c.id))
    if ok:
        best = min(ok)
        if not best[0] or not session.can_offer:
            return {"choice": best[4]}
    if session.can_offer:
        allowed = [t for t in sc.all_terms if session._terms_allowed(t)]
        # The offer they like least: it keeps the talks going rather than closing them.
        worst = min(allowed, key=lambda t: (sc.value_them(t, st.revealed), t))
        return {"offer": sc.terms_dict(worst)}
    return {"choice": min(ok)[4]} if ok else {"accept": "counter"}


def _slip_runs(scenario: LoadedScenario, reach: Reach, seeds: int = 2) -> None:
    """The marked well-meant mistakes, each made once by a listener: where do they lead?"""
    for variant in scenario.spec.counterpart.variants:
        for seed in range(seeds):
            reach.see(play(scenario, "slip", seed=seed, variant=variant, quiet=True))
        reach.see(play(scenario, "haggle", seed=0, variant=variant, quiet=True))


UNREACHED_SEEDS = 30  # seeds the players try, in all, before a part counts as unreached


def _more_seeds_while_unreached(scenario: LoadedScenario, reach: Reach, seeds: int) -> None:
    """While an ending, node or interest is still unreached, every player plays every
    variant on the next seeds, up to UNREACHED_SEEDS: a rarely taken path (a second
    good deal, say) is not reported as unreachable for want of a seed, and a scenario
    that reaches everything pays nothing."""
    spec = scenario.spec

    def unreached() -> bool:
        return bool(
            set(spec.endings) - reach.endings
            or set(spec.nodes) - reach.nodes
            or set(spec.interests) - reach.interests
        )

    for seed in range(seeds, UNREACHED_SEEDS):
        if not unreached():
            return
        for name in STRATEGIES:
            for variant in spec.counterpart.variants:
                reach.see(play(scenario, name, seed, variant, quiet=True))


def _stall_runs(scenario: LoadedScenario, reach: Reach) -> None:
    for variant in scenario.spec.counterpart.variants:
        s = Session.start(scenario, seed=0, variant=variant).quiet()
        for _ in range(scenario.spec.max_turns + 5):
            if s.ended:
                break
            try:
                s.apply(stall(s, 0))
            except ValueError:
                break
            reach.see(s)
        reach.see(s)


def good_endings(scenario: LoadedScenario) -> set[str]:
    """The endings the skill should earn: marked ``good`` (format 2), or, in a format 1
    file, every deal or agreement (a new set: callers may change it)."""
    return set(_good_endings(scenario))


def _good_endings(scenario: LoadedScenario) -> frozenset[str]:
    # Asked for every state a search ends in: found once per loaded scenario.
    found = scenario.__dict__.get("_good_endings")
    if found is None:
        endings = scenario.spec.endings
        marked = {e for e, end in endings.items() if end.good}
        if not marked:
            marked = {e for e, end in endings.items() if end.kind in ("deal", "agreement")}
        found = scenario.__dict__["_good_endings"] = frozenset(marked)
    return found


def strategy_results(
    scenario: LoadedScenario, seeds: int = SEEDS, reach: Reach | None = None
) -> dict[str, Any]:
    out: dict[str, Any] = {}
    sc = scenario
    best_joint = sc.best_joint[0] if sc.best_joint else None
    good = good_endings(sc)
    walk = sc.spec.learner.walkaway
    for name in STRATEGIES:
        runs: list[dict[str, Any]] = []
        for variant in sc.spec.counterpart.variants:
            for seed in range(seeds):
                # The trust after each competitive step (quiet sessions keep no log).
                pressed: list[float] = []
                s = play(sc, name, seed, variant, quiet=True, watch=_pressed_into(pressed))
                if reach is not None:
                    reach.see(s)
                st = s.state
                joint = you = 0.0
                if st.deal is not None:
                    t = tuple(st.deal)
                    you = sc.value_you(t)
                    joint = you + sc.value_them(t, set(sc.spec.interests))
                broke = list(_broken_revealed(sc, st))
                runs.append(
                    {
                        "variant": variant,
                        "good": st.ending in good,
                        "below_walkaway": bool(
                            st.deal is not None and walk is not None and you < walk
                        ),
                        "broke_revealed_need": bool(broke),
                        "ending": st.ending,
                        "interests": len(st.revealed),
                        "end_trust": st.trust,
                        "start_trust": st.trust_start,
                        "joint": joint,
                        "you": you,
                        "turns": st.turn,
                        "trust_after_competitive": pressed,
                    }
                )
        falling = [r for r in runs if len(r["trust_after_competitive"]) >= 2]
        vicious = (
            (
                sum(
                    1
                    for r in falling
                    if r["trust_after_competitive"][-1] < r["trust_after_competitive"][0]
                )
                / len(falling)
            )
            if falling
            else None
        )
        out[name] = {
            "runs": len(runs),
            "mean_interests": statistics.mean(r["interests"] for r in runs),
            "mean_end_trust": statistics.mean(r["end_trust"] for r in runs),
            "mean_trust_change": statistics.mean(r["end_trust"] - r["start_trust"] for r in runs),
            "mean_joint": statistics.mean(r["joint"] for r in runs),
            "mean_you": statistics.mean(r["you"] for r in runs),
            "mean_joint_share": (
                statistics.mean(r["joint"] for r in runs) / best_joint if best_joint else None
            ),
            "endings": dict(Counter(r["ending"] for r in runs)),
            "share_trust_falling_under_pressure": vicious,
            "good_share": sum(r["good"] for r in runs) / len(runs),
            "deals": sum(1 for r in runs if r["joint"] or r["you"]),
            "deals_below_walkaway": sum(r["below_walkaway"] for r in runs),
            "deals_breaking_revealed_needs": sum(r["broke_revealed_need"] for r in runs),
            "by_variant": {
                v: {
                    "runs": len(rs),
                    "good_share": sum(r["good"] for r in rs) / len(rs),
                    "endings": dict(Counter(r["ending"] for r in rs)),
                    "below_walkaway": sum(r["below_walkaway"] for r in rs),
                    "mean_interests": statistics.mean(r["interests"] for r in rs),
                }
                for v in sc.spec.counterpart.variants
                for rs in [[r for r in runs if r["variant"] == v]]
            },
        }
    return out


# Players without the skill, and the share of good endings above which one "wins".
SHORTCUT_PLAYERS = ("label", "surface", "grab", "caver", "hard", "random")
SHORTCUT_LIMIT = 0.25


def _pedagogy_findings(
    sc: LoadedScenario, strategies: dict[str, Any], experts: dict[str, Any], at: Any
) -> list[Diagnostic]:
    """What the scenario would teach wrong: a player without the skill that wins the good
    ending, or a variant where the search finds no way to a good ending. Notes, not
    warnings: a scenario being written (the guide's first steps) teaches nothing yet;
    the built-in library is held to them by the pedagogy test."""
    out = []
    good = _good_endings(sc)
    for variant, path in experts.items():
        if path is None or path["ending"] not in good:
            out.append(
                diag(
                    "NT311",
                    f"variant {variant!r}: the best path the search finds does not reach a "
                    f"good ending ({', '.join(sorted(good)) or 'none is marked good'})",
                    sc.file,
                    at("counterpart", "variants", variant),
                    "info",
                )
            )
    for name in SHORTCUT_PLAYERS:
        for variant, row in strategies.get(name, {}).get("by_variant", {}).items():
            if row["good_share"] > SHORTCUT_LIMIT:
                won = round(row["good_share"] * row["runs"])
                out.append(
                    diag(
                        "NT310",
                        f"variant {variant!r}: the {name!r} player, who plays without the "
                        f"skill, wins a good ending in {won} of {row['runs']} games "
                        f"(more than {SHORTCUT_LIMIT:.0%})",
                        sc.file,
                        at("endings"),
                        "info",
                    )
                )
    return out


def _pressed_into(trail: list[float]) -> Callable[[Session], None]:
    """A watcher for :func:`play` that notes the trust after each competitive step."""

    def watch(s: Session) -> None:
        st = s.state
        if st.stances[-1] < 0:
            trail.append(st.vars["trust"])

    return watch


def _broken_revealed(sc: LoadedScenario, st: Any) -> list[str]:
    if st.deal is None:
        return []
    from negtrainer.engine.counterpart import broken_needs

    return [i for i in broken_needs(sc, tuple(st.deal)) if i in st.revealed]


def acceptable_table(scenario: LoadedScenario) -> list[dict[str, Any]]:
    """How many deals the counterpart would take at each trust, at the start of the
    bargaining and after the last round, and the best of them for the learner."""
    from negtrainer.engine import counterpart as cp

    sc = scenario
    if sc.spec.negotiation is None or not sc.issue_ids:
        return []
    variant = next(iter(sc.spec.counterpart.variants))
    revealed = dict.fromkeys(sc.spec.interests, 1)
    rows = []
    table = sc.table(revealed)
    for trust in (30, 50, 70, 90):
        row: dict[str, Any] = {"trust": trust}
        for label, rounds in (("first_round", 0), ("last_round", sc.spec.negotiation.max_offers)):
            st = SessionState(
                scenario_id=sc.id,
                seed=0,
                variant=variant,
                node=sc.spec.start,
                vars={"trust": float(trust), "tension": 0.0},
                revealed=dict(revealed),
                offers=rounds,
            )
            ok = [
                i
                for i in range(len(table.terms))
                if table.allowed[i] and cp.acceptable(sc, st, table.terms[i])[0]
            ]
            row[label] = len(ok)
            row[label + "_best_you"] = max((table.you[i] for i in ok), default=None)
        rows.append(row)
    return rows


def best_deal_ties(scenario: LoadedScenario) -> list[dict[str, str]]:
    """Deals that tie for the best joint value (the expert path then picks arbitrarily)."""
    sc = scenario
    if not sc.issue_ids or sc.best_joint is None:
        return []
    everything = set(sc.spec.interests)
    top = sc.best_joint[0]
    tied = [
        t for t in sc.all_terms if abs(sc.value_you(t) + sc.value_them(t, everything) - top) < 1e-9
    ]
    return [sc.terms_dict(t) for t in tied] if len(tied) > 1 else []


def analyse(scenario: LoadedScenario, data: Any = None, seeds: int = SEEDS) -> Analysis:
    """The full report for one scenario (what ``negtrainer check --json`` prints)."""
    with _searching():
        return _analyse(scenario, data, seeds)


def _analyse(scenario: LoadedScenario, data: Any, seeds: int) -> Analysis:
    spec = scenario.spec
    reach = Reach()
    best_by_variant = {}
    cap = max(300, BFS_CAP // len(spec.counterpart.variants))
    for variant in spec.counterpart.variants:
        explored = explore(scenario, variant, reach, cap)
        best_by_variant[variant] = best_path(scenario, variant, reach, explored=explored)
    strategies = strategy_results(scenario, seeds, reach)
    experts = {v: _expert_from(scenario, v, found) for v, found in best_by_variant.items()}
    _stall_runs(scenario, reach)
    _slip_runs(scenario, reach)
    _more_seeds_while_unreached(scenario, reach, seeds)
    file = scenario.file
    findings: list[Diagnostic] = []

    def at(*loc: Any) -> int | None:
        return line_of(data, loc) if data is not None else None

    for variant in spec.counterpart.variants:
        opening = Session.start(scenario, seed=0, variant=variant)
        for eid, end in spec.endings.items():
            if end.when is not None and scenario.cond(end.when)(opening.state):
                findings.append(
                    diag(
                        "NT218",
                        f"ending {eid!r} already holds at the start "
                        f"(variant {variant!r}): '{end.when}'",
                        file,
                        at("endings", eid, "when"),
                        "warning",
                    )
                )
    for nid in spec.nodes:
        if nid not in reach.nodes:
            findings.append(
                diag("NT301", f"node {nid!r} is never reached", file, at("nodes", nid), "warning")
            )
    for nid in sorted(reach.dead_ends):
        findings.append(
            diag(
                "NT302",
                f"node {nid!r} can leave the learner with no available choice and no ending",
                file,
                at("nodes", nid),
                "warning",
            )
        )
    for eid in spec.endings:
        if eid not in reach.endings:
            findings.append(
                diag(
                    "NT303", f"ending {eid!r} is never reached", file, at("endings", eid), "warning"
                )
            )
    for iid in spec.interests:
        if iid not in reach.interests:
            findings.append(
                diag(
                    "NT304",
                    f"interest {iid!r} is never revealed",
                    file,
                    at("interests", iid),
                    "warning",
                )
            )
    if spec.format >= 2:
        findings.extend(_pedagogy_findings(scenario, strategies, experts, at))
    if spec.format == 1:
        findings.append(
            diag(
                "NT309",
                "this file is 'format: 1': it plays, but without needs, "
                "walk-aways, "
                "concession tactics, line pools or events "
                "(docs/format-v2.md)",
                file,
                at("format"),
                "info",
            )
        )
    ties = best_deal_ties(scenario) if spec.format >= 2 else []
    if ties:
        findings.append(
            diag(
                "NT307",
                f"{len(ties)} deals tie for the best joint value; the "
                "expert path picks one of them arbitrarily",
                file,
                at("issues"),
                "warning",
            )
        )
    best_variant, best = None, None
    for variant, found in best_by_variant.items():
        if found is not None and (best is None or found[0] > best[0]):
            best_variant, best = variant, found
    expert = _expert_from(scenario, best_variant, best) if best_variant is not None else None
    return {
        "id": spec.id,
        "title": spec.title,
        "file": file,
        "counts": {
            "nodes": len(spec.nodes),
            "lines": len(scenario.lines),
            "choices": sum(len(n.choices) for n in spec.nodes.values()),
            "interests": len(spec.interests),
            "issues": len(spec.issues),
            "endings": len(spec.endings),
            "variants": len(spec.counterpart.variants),
        },
        "explored_states": reach.states,
        "bounded": reach.bounded,
        "coverage": {
            "states": reach.states,
            "cap": BFS_CAP,
            "complete": not reach.bounded,
            "nodes": f"{len(reach.nodes)}/{len(spec.nodes)}",
            "endings": f"{len(reach.endings)}/{len(spec.endings)}",
            "interests": f"{len(reach.interests)}/{len(spec.interests)}",
        },
        "expert_by_variant": experts,
        "good_endings": sorted(good_endings(scenario)),
        "acceptable_deals": acceptable_table(scenario),
        "best_deal_ties": ties,
        "endings_reachable": sorted(reach.endings),
        "interests_revealable": sorted(reach.interests),
        "best_joint_possible": scenario.best_joint[0] if scenario.best_joint else None,
        "expert_path": expert,
        "strategies": strategies,
        "findings": [d.to_json() for d in findings],
        "_findings": findings,
    }


def analyse_file(path: str | Path, seeds: int = SEEDS) -> tuple[list[Diagnostic], Analysis | None]:
    """Load one scenario file and analyse it: its load diagnostics, and the analysis
    (None when it does not load)."""
    from negtrainer.engine.loader import try_load_data

    scenario, diags, data = try_load_data(path)  # the data as read: its lines for findings
    if scenario is None:
        return diags, None
    return diags, analyse(scenario, data, seeds)


def analyse_files(
    paths: Sequence[str | Path], seeds: int = SEEDS, workers: int = 1
) -> Iterator[tuple[list[Diagnostic], Analysis | None]]:
    """:func:`analyse_file` for each file, in order, over ``workers`` processes (each
    scenario is analysed whole in one process, so the results are the same)."""
    if workers <= 1 or len(paths) <= 1:
        for path in paths:
            yield analyse_file(path, seeds)
        return
    from concurrent.futures import ProcessPoolExecutor

    with ProcessPoolExecutor(min(workers, len(paths))) as pool:
        yield from pool.map(analyse_file, paths, [seeds] * len(paths))


def expert_path(scenario: LoadedScenario, variant: str, seed: int = 0) -> ExpertPath | None:
    """The best path for one variant, in the shape a debrief shows (or None). The seed
    decides which choices are on show at each turn, so a path is for one seed."""
    return _expert_from(scenario, variant, best_path(scenario, variant, Reach(), seed=seed), seed)


def _expert_from(
    scenario: LoadedScenario,
    variant: str,
    found: tuple[tuple, list[dict[str, Any]], list[str]] | None,
    seed: int = 0,
) -> ExpertPath | None:
    if found is None:
        return None
    _score, inputs, said = found
    replayed = Session.replay(scenario, seed, variant, inputs)
    st = replayed.state
    joint = None
    if st.deal is not None:
        t = tuple(st.deal)
        joint = scenario.value_you(t) + scenario.value_them(t, set(scenario.spec.interests))
    return {
        "variant": variant,
        "seed": seed,
        "ending": st.ending,
        "inputs": inputs,
        "said": said,
        "moves": [r["move"] for r in st.log],
        "joint": joint,
        "end_trust": st.trust,
        "interests": sorted(st.revealed),
        "deal": scenario.terms_dict(tuple(st.deal)) if st.deal is not None else None,
    }


# -- pedagogy: does the skill, and not the label, decide the outcome? ---------------------
PEDAGOGY_PLAYERS = ("listening", "label", "surface", "grab", "caver")


def pedagogy(scenario: LoadedScenario, seeds: int = 20) -> dict[str, Any]:
    """Per variant: the expert path's ending, and each player's share of good endings,
    deals below the learner's walk-away and deals breaking a revealed need."""
    with _searching():
        return _pedagogy(scenario, seeds)


def _pedagogy(scenario: LoadedScenario, seeds: int) -> dict[str, Any]:
    sc = scenario
    good = good_endings(sc)
    walk = sc.spec.learner.walkaway
    out: dict[str, Any] = {"id": sc.id, "good_endings": sorted(good), "variants": {}}
    for variant in sc.spec.counterpart.variants:
        found = best_path(sc, variant, Reach())
        expert = _expert_from(sc, variant, found)
        row: dict[str, Any] = {
            "expert_ending": expert["ending"] if expert else None,
            "expert_good": bool(expert and expert["ending"] in good),
        }
        for name in PEDAGOGY_PLAYERS:
            runs = [play(sc, name, seed=seed, variant=variant) for seed in range(seeds)]
            deals = [s for s in runs if s.state.deal is not None]
            row[name] = {
                "good": sum(s.state.ending in good for s in runs) / len(runs),
                "deals": len(deals),
                "below_walkaway": sum(
                    1
                    for s in deals
                    if walk is not None and sc.value_you(tuple(s.state.deal or ())) < walk
                ),
                "broke_revealed_need": sum(1 for s in deals if _broken_revealed(sc, s.state)),
            }
        out["variants"][variant] = row
    return out


def distractor_nodes(scenario: LoadedScenario) -> dict[str, bool]:
    """Whether each node with choices offers at least one well-meant distractor: a
    misreading, a disclosed walk-away, a feeling named where none was shown, or a
    cooperative-sounding line whose author made it cost trust."""
    from negtrainer.engine.moves import MOVES

    out = {}
    for nid, node in scenario.spec.nodes.items():
        if not node.choices:
            continue
        emotional = any(ln.emotional for ln in node.say)
        out[nid] = any(
            ch.misreads
            or ch.mistake
            or ch.discloses == "walkaway"
            or (ch.move == "emotion_label" and not emotional)
            or (MOVES[ch.move].stance >= 0 and ch.effects.get("trust", 0) < 0)
            or (
                MOVES[ch.move].stance > 0
                and ch.thought is not None
                and ch.effects.get("trust", 1) <= 0
            )
            for ch in node.choices
        )
    return out
