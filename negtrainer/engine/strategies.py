"""Scripted players: the article's listener, and the shortcuts it must beat.

- ``listening`` understands what is said: it listens after feelings, names a
  feeling only when one was shown, avoids the misreadings, asks on the topics
  it has not uncovered, keeps promises when they fall due, and then builds a
  deal around what it learned (meeting every need it heard of).
- ``label`` knows only each choice's move type and prefers cooperative ones.
- ``surface`` picks by position, length and keywords ("?", "sounds like", "feel").
- ``grab`` is pleasant first, then asks for its own best terms and takes any counter.
- ``caver`` takes the counterpart's first counter-offer.
- ``hard`` and ``random`` as before.

They serve the analysis (does the skill, and not the label, decide the
outcome?) and the tests. Each is deterministic given the seed.
"""

from __future__ import annotations

from collections.abc import Callable, Iterator
from typing import Any

from negtrainer.engine import counterpart as cp
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


def _max_you(sc: Any) -> float:
    """The learner's best value over every deal (asked every turn, so found once)."""
    found = sc.__dict__.get("_max_you")
    if found is None:
        found = sc.__dict__["_max_you"] = max((sc.value_you(t) for t in sc.all_terms), default=0)
    return found


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
    best = max(
        (i for i, ok in enumerate(table.allowed) if ok),
        key=lambda i: (table.you[i] + weight_them * table.them[i], table.you[i], table.terms[i]),
    )
    return table.terms[best]


def _open_choices(session: Session) -> Iterator[tuple[Any, Any, mv.Move]]:
    """Each choice open now, with its scenario choice and its move."""
    sc, st = session.scenario, session.state
    for c in session.choices:
        if c.available:
            yield c, sc.choice(st.node, c.index), mv.MOVES[c.move]


def listener(session: Session, seed: int) -> Action:
    """Rapport first, then open questions and listening, then a deal good for both."""
    sc, st = session.scenario, session.state
    max_you = _max_you(sc)
    if st.counter is not None:
        counter = tuple(st.counter)
        floor = sc.spec.learner.walkaway
        if sc.spec.format >= 2 and floor is not None:
            # Take a counter that beats the walk-away and meets every need heard of,
            # once the talks have run a little; otherwise keep building the deal.
            known = _known_needs_met(session, counter)
            if (
                known
                and sc.value_you(counter) >= floor
                and (sc.value_you(counter) >= (sc.spec.learner.target or floor) or st.offers >= 3)
            ):
                return {"accept": "counter"}
        elif sc.value_you(counter) >= 0.3 * max_you:
            return {"accept": "counter"}
    wanted = _unrevealed_topics(session)
    best: tuple[float, str] | None = None
    for c, ch, move in _open_choices(session):
        score = 0.0
        v2 = sc.spec.format >= 2
        if v2 and (ch.misreads or ch.mistake or ch.discloses == "walkaway"):
            continue  # it understands what the words say
        if v2 and ch.keeps and ch.keeps in sc.promise_dues and ch.keeps not in st.promise_due:
            continue  # a promise kept before it falls due is not reliability
        if v2 and move.name == "emotion_label" and not st.last_emotional:
            score -= 6  # no feeling was shown: naming one would patronise
        if v2 and move.name == "summary" and not st.revealed:
            score -= 6
        if v2 and ch.precise and set(ch.topics) & wanted:
            score += 6
        if v2 and move.name == "argument" and st.trust >= 60:
            score += 3
        if v2 and ch.discloses in ("priority", "interest"):
            score += 5
        if v2 and move.stance > 0 and st.moves[-8:].count(move.name) >= 2:
            score -= 4  # it would read as technique
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
    if session.can_offer and (
        best is None or best[0] < 4 or not wanted or st.turn >= sc.spec.max_turns - 3
    ):
        return {"offer": sc.terms_dict(_builder_terms(session))}
    if best is None:
        return {"offer": sc.terms_dict(_builder_terms(session))}
    return {"choice": best[1]}


def _known_needs_met(session: Session, terms: tuple[int, ...]) -> bool:
    """No need the learner has heard of is broken by these terms."""
    st = session.state
    return not [i for i in cp.broken_needs(session.scenario, terms) if i in st.revealed]


def _builder_terms(session: Session) -> tuple[int, ...]:
    """A deal built on what was learned: the best joint value among the terms that
    meet every need heard of, conceding step by step from the learner's side."""
    sc, st = session.scenario, session.state
    if sc.spec.format < 2:
        return _best_known_terms(session, 1.0)
    table = sc.table(st.revealed)
    # The deals meeting every need heard of, ranked by joint value, depend only on the
    # table and what was revealed: ranked once for each (this runs every offer).
    known = table.__dict__.setdefault("_builder_ranked", {})
    heard = frozenset(st.revealed)
    ranked = known.get(heard)
    if ranked is None:
        ok = [
            i
            for i, a in enumerate(table.allowed)
            if a and _known_needs_met(session, table.terms[i])
        ]
        ranked = known[heard] = sorted(
            ok, key=lambda i: (-(table.you[i] + table.them[i]), -table.you[i], table.terms[i])
        )
    if not ranked:
        return _best_known_terms(session, 1.0)
    # Rank by joint value; each new offer gives a little more to them.
    top = table.you[ranked[0]] + table.them[ranked[0]]
    near = [i for i in ranked if table.you[i] + table.them[i] >= top - 1e-9 - 4 * st.offers]
    floor = sc.spec.learner.walkaway
    if floor is not None:
        near = [i for i in near if table.you[i] >= floor] or near
    pick = max(near, key=lambda i: (table.you[i], table.them[i]))
    if st.offers:
        # Concede: the best joint deal that gives them more than the last offer did.
        last_them = (
            sc.value_them(tuple(st.learner_offers[-1]), st.revealed) if st.learner_offers else -1
        )
        better = [i for i in near if table.them[i] > last_them]
        if better:
            pick = max(better, key=lambda i: (table.you[i] + table.them[i], table.you[i]))
    return table.terms[pick]


def hard_bargainer(session: Session, seed: int) -> Action:
    """Pressure, positions and maximal demands; concedes only a little at a time."""
    sc, st = session.scenario, session.state
    max_you = _max_you(sc)
    if st.counter is not None and sc.value_you(tuple(st.counter)) >= 0.6 * max_you:
        return {"accept": "counter"}
    if session.can_offer and (st.offers == 0 or st.turn % 2 == 0):
        allowed = sorted(_allowed_terms(session), key=lambda t: (-sc.value_you(t), t))
        pick = allowed[min(st.offers, len(allowed) - 1)]
        return {"offer": sc.terms_dict(pick)}
    best: tuple[float, str] | None = None
    for c, ch, move in _open_choices(session):
        score = {
            "ultimatum": 9,
            "threat": 8,
            "bare_refusal": 7,
            "leading_question": 6,
            "argument": 6,
            "closed_question": 4,
            "counter_offer": 5,
            "offer": 5,
            "refusal_with_reasons": 4,
            "proposal_to_close": 3,
        }.get(move.name, 0.0)
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


# -- adversarial players: shortcuts that must not win ------------------------------------
_LABEL_ORDER = {"rapport": 0, "listen": 1, "ask": 2, "propose": 3, "close": 4, "push_back": 9}
_KEYWORDS = ("sounds like", "feel", "it seems", "what i'm hearing", "so you", "understand")


def _own_best_offer(session: Session) -> Action:
    sc = session.scenario
    table = sc.table(session.state.revealed)
    i = max(
        (i for i, ok in enumerate(table.allowed) if ok),
        key=lambda i: (table.you[i], table.terms[i]),
    )
    return {"offer": sc.terms_dict(table.terms[i])}


def _fallback(session: Session) -> Action:
    """When nothing cooperative is left: the learner's best terms, then take the counter."""
    sc, st = session.scenario, session.state
    floor = sc.spec.learner.walkaway if sc.spec.learner.walkaway is not None else 0
    if st.counter is not None and (sc.value_you(tuple(st.counter)) >= floor or st.offers >= 3):
        return {"accept": "counter"}
    if session.can_offer:
        return _own_best_offer(session)
    available = [c for c in session.choices if c.available]
    if available:
        return {"choice": available[0].id}
    return {"accept": "counter"}


def label_reader(session: Session, seed: int) -> Action:
    """Knows each choice's move type, not its words or the context; prefers cooperative
    types (rapport > listen > ask > propose), never pushes back, says nothing twice."""
    st = session.state
    ranked = []
    for pos, c in enumerate(session.choices):
        if not c.available or st.chosen.get(c.id):
            continue
        stance = mv.MOVES[c.move].stance
        ranked.append((_LABEL_ORDER.get(c.group, 5), -stance, pos, c.id))
    ranked = [r for r in ranked if r[0] < 9]
    if ranked and st.turn < session.scenario.spec.max_turns - 4:
        return {"choice": min(ranked)[3]}
    return _fallback(session)


def surface_reader(session: Session, seed: int) -> Action:
    """Picks by position, length and keywords, never by meaning."""
    st = session.state
    best: tuple[float, str] | None = None
    for pos, c in enumerate(session.choices):
        if not c.available or st.chosen.get(c.id):
            continue
        low = c.text.lower()
        score = len(c.text) / 60 - 0.4 * pos
        score += 2 if "?" in c.text else 0
        score += 2 * sum(k in low for k in _KEYWORDS)
        if best is None or score > best[0]:
            best = (score, c.id)
    if best is not None and st.turn < session.scenario.spec.max_turns - 4:
        return {"choice": best[1]}
    return _fallback(session)


def pleasant_then_grab(session: Session, seed: int) -> Action:
    """Every cooperative move first; then its own best terms; then any counter."""
    st = session.state
    if st.counter is not None and st.offers >= 1:
        return {"accept": "counter"}
    warm = [
        c
        for c in session.choices
        if c.available
        and not st.chosen.get(c.id)
        and mv.MOVES[c.move].stance > 0
        and not mv.MOVES[c.move].substance
    ]
    if warm and st.turn < session.scenario.spec.max_turns - 4:
        return {"choice": warm[int(rand(seed, st.turn, "warm") * len(warm))].id}
    if session.can_offer:
        return _own_best_offer(session)
    others = [
        c
        for c in session.choices
        if c.available and not st.chosen.get(c.id) and mv.MOVES[c.move].stance >= 0
    ]
    if others:
        return {"choice": others[0].id}
    return _fallback(session)


def caver(session: Session, seed: int) -> Action:
    """Takes the counterpart's first counter-offer; gives way when pressed."""
    st = session.state
    if st.counter is not None:
        return {"accept": "counter"}
    if session.can_offer and st.turn >= 2:
        return _own_best_offer(session)
    soft = [
        c
        for c in session.choices
        if c.available
        and not st.chosen.get(c.id)
        and c.move in ("concession", "offer", "proposal_to_close", "apology", "appreciation")
    ]
    if soft:
        return {"choice": soft[0].id}
    return _fallback(session)


def slip(session: Session, seed: int) -> Action:
    """The listening player who makes each well-meant mistake the author marked, once:
    it finds what those mistakes lead to (reachability), it is not a benchmark."""
    sc, st = session.scenario, session.state
    for c in session.choices:
        if not c.available or st.chosen.get(c.id):
            continue
        ch = sc.choice(st.node, c.index)
        if ch.mistake or (ch.misreads and not mv.MOVES[ch.move].listens):
            return {"choice": c.id}
    return listener(session, seed)


STRATEGIES: dict[str, Callable[[Session, int], Action]] = {
    "listening": listener,
    "hard": hard_bargainer,
    "random": random_player,
    "label": label_reader,
    "surface": surface_reader,
    "grab": pleasant_then_grab,
    "caver": caver,
}
ADVERSARIES = ("label", "surface", "grab", "caver")


def haggle(session: Session, seed: int) -> Action:
    """Listens until it may offer, then asks for its own best terms every time and never
    takes a counter: finds where running out of offers leads (reachability only)."""
    if session.can_offer:
        return _own_best_offer(session)
    return listener(session, seed)


EXPLORERS: dict[str, Callable[[Session, int], Action]] = {"slip": slip, "haggle": haggle}


def play(
    scenario: Any,
    strategy: str,
    seed: int = 0,
    variant: str | None = None,
    limit: int = 1000,
    quiet: bool = False,
    watch: Callable[[Session], None] | None = None,
) -> Session:
    """Play one whole session with a strategy; stops at an ending or a dead end.

    ``quiet`` plays it as a search does (:meth:`Session.quiet`: no turn log, the
    counterpart's words not filled in); ``watch`` is called after every step."""
    policy = STRATEGIES.get(strategy) or EXPLORERS[strategy]
    s = Session.start(scenario, seed=seed, variant=variant)
    if quiet:
        s.quiet()
    for _ in range(limit):
        if s.ended:
            break
        try:
            s.apply(policy(s, seed))
        except (ValueError, IndexError):  # nothing sensible left to do: stop here
            break
        if watch is not None:
            watch(s)
    return s
