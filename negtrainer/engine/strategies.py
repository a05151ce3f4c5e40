"""Scripted players: a listener, a hard bargainer and a random player.

They serve the analysis (is the article's advice rewarded by this scenario?)
and the tests. Each is deterministic given the seed.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from negtrainer.engine import moves as mv
from negtrainer.engine.session import Session
from negtrainer.engine.state import rand

Action = dict[str, Any]  # the same shape as stored inputs


def _ending_kind(session: Session, target: str | None) -> str | None:
    if target is None:
        return None
    endings = session.scenario.spec.endings
    if target in endings:
        return endings[target].kind
    node = session.scenario.spec.nodes.get(target)
    if node is not None and node.end is not None:
        return endings[node.end].kind
    return None


def _unrevealed_topics(session: Session) -> set[str]:
    st = session.state
    out: set[str] = set()
    for iid, interest in session.scenario.spec.interests.items():
        if iid not in st.revealed:
            out.update(interest.topics)
    return out


def _allowed_terms(session: Session) -> list[tuple[int, ...]]:
    table = session.scenario.table(session.state.revealed)
    return [t for t, ok in zip(table.terms, table.allowed) if ok]


def _best_known_terms(session: Session, weight_them: float) -> tuple[int, ...]:
    table = session.scenario.table(session.state.revealed)
    best = max((i for i, ok in enumerate(table.allowed) if ok),
               key=lambda i: (table.you[i] + weight_them * table.them[i], table.you[i],
                              table.terms[i]))
    return table.terms[best]


def listener(session: Session, seed: int) -> Action:
    """Rapport first, then open questions and listening, then a deal good for both."""
    sc, st = session.scenario, session.state
    max_you = max((sc.value_you(t) for t in sc.all_terms), default=0)
    if st.counter is not None:
        counter = tuple(st.counter)
        if sc.value_you(counter) >= 0.3 * max_you:
            return {"accept": "counter"}
    wanted = _unrevealed_topics(session)
    best: tuple[float, str] | None = None
    for c in session.choices:
        if not c.available:
            continue
        ch = sc.choice(st.node, c.index)
        move = mv.MOVES[c.move]
        score = 0.0
        if st.last_emotional and move.listens:
            score += 10
        if move.rapport:
            score += 8 if st.substance_turn is None else 3
        if move.name == "open_question":
            score += 6
        if move.listens:
            score += 5
        if set(ch.topics) & wanted:
            score += 4
        if ch.keeps:
            score += 9
        if ch.promise:
            score += 4
        if move.stance < 0:
            score -= 8
        if move.name == "refusal_with_reasons":
            score += 3
        if move.name == "argument":
            score += 1
        if move.name == "concession":
            score += 1
        if ch.offer is not None:
            score += 6 if not wanted else 0
        if move.name == "proposal_to_close":
            score += 5 if st.deal is not None or not wanted else -1
        kind = _ending_kind(session, ch.next)
        if kind in ("impasse", "walkout"):
            score -= 20
        elif kind in ("deal", "agreement"):
            score += 3 if not wanted else -2
        score -= 6 * st.chosen.get(c.id, 0)
        score += rand(seed, st.turn, c.id) * 0.5
        if best is None or score > best[0]:
            best = (score, c.id)
    if session.can_offer and (best is None or best[0] < 4 or not wanted
                              or st.turn >= sc.spec.max_turns - 3):
        return {"offer": sc.terms_dict(_best_known_terms(session, 1.0))}
    if best is None:
        return {"offer": sc.terms_dict(_best_known_terms(session, 1.0))}
    return {"choice": best[1]}


def hard_bargainer(session: Session, seed: int) -> Action:
    """Pressure, positions and maximal demands; concedes only a little at a time."""
    sc, st = session.scenario, session.state
    max_you = max((sc.value_you(t) for t in sc.all_terms), default=0)
    if st.counter is not None and sc.value_you(tuple(st.counter)) >= 0.6 * max_you:
        return {"accept": "counter"}
    if session.can_offer and (st.offers == 0 or st.turn % 2 == 0):
        allowed = sorted(_allowed_terms(session), key=lambda t: (-sc.value_you(t), t))
        pick = allowed[min(st.offers, len(allowed) - 1)]
        return {"offer": sc.terms_dict(pick)}
    best: tuple[float, str] | None = None
    for c in session.choices:
        if not c.available:
            continue
        ch = sc.choice(st.node, c.index)
        move = mv.MOVES[c.move]
        score = {"ultimatum": 9, "threat": 8, "bare_refusal": 7, "leading_question": 6,
                 "argument": 6, "closed_question": 4, "counter_offer": 5, "offer": 5,
                 "refusal_with_reasons": 4, "proposal_to_close": 3}.get(move.name, 0.0)
        if move.rapport or move.listens:
            score -= 2
        kind = _ending_kind(session, ch.next)
        if kind in ("impasse", "walkout"):
            score -= 6
        score -= 5 * st.chosen.get(c.id, 0)
        score += rand(seed, st.turn, c.id) * 0.5
        if best is None or score > best[0]:
            best = (score, c.id)
    if best is None:
        allowed = sorted(_allowed_terms(session), key=lambda t: (-sc.value_you(t), t))
        return {"offer": sc.terms_dict(allowed[0])}
    return {"choice": best[1]}


def random_player(session: Session, seed: int) -> Action:
    sc, st = session.scenario, session.state
    x = rand(seed, st.turn, "kind")
    if st.counter is not None and x < 0.3:
        return {"accept": "counter"}
    available = [c for c in session.choices if c.available]
    if session.can_offer and (x > 0.8 or not available):
        terms = _allowed_terms(session)
        pick = terms[int(rand(seed, st.turn, "terms") * len(terms))]
        return {"offer": sc.terms_dict(pick)}
    if not available:
        return {"accept": "counter"}
    return {"choice": available[int(rand(seed, st.turn, "choice") * len(available))].id}


STRATEGIES: dict[str, Callable[[Session, int], Action]] = {
    "listening": listener,
    "hard": hard_bargainer,
    "random": random_player,
}


def play(scenario: Any, strategy: str, seed: int = 0, variant: str | None = None,
         limit: int = 1000) -> Session:
    """Play one whole session with a strategy; stops at an ending or a dead end."""
    policy = STRATEGIES[strategy]
    s = Session.start(scenario, seed=seed, variant=variant)
    for _ in range(limit):
        if s.ended:
            break
        try:
            s.apply(policy(s, seed))
        except (ValueError, IndexError):  # nothing sensible left to do: stop here
            break
    return s
