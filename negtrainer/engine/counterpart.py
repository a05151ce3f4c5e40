"""The counterpart as a negotiating agent, after GENIUS's BOA split.

- needs: which terms it can never accept (:func:`broken_needs`);
- perceived value: its value for terms, less the risk it sees in them, which
  trust discounts within a bound (:func:`perceived`);
- bidding: an aspiration that concedes over time by a tactic (:func:`target`),
  and counters built from what it has learned of the learner
  (:func:`build_counter`);
- acceptance: at or above its target and its walk-away, no need broken
  (:func:`acceptable`).

Format 1 scenarios keep their format 1 judgement (a reservation that trust
lowers, counters nearest to the learner's offer).
"""

from __future__ import annotations

from typing import Any

TACTIC_EXPONENT = {"firm": 0.25, "steady": 1.0, "yielding": 3.0}
RISK_TRUST_FROM = 40.0  # below this trust, no risk is discounted
RISK_TRUST_FULL = 90.0  # at and above this, risk_discount applies in full


def is_v2(sc: Any) -> bool:
    return sc.spec.format >= 2


# -- needs ---------------------------------------------------------------------------
def broken_needs(sc: Any, terms: tuple[int, ...]) -> list[str]:
    """The interests whose needs these terms break (in scenario order)."""
    out = []
    for iid, interest in sc.spec.interests.items():
        for need in interest.needs:
            k = sc.issue_ids.index(need.issue)
            label = sc.spec.issues[need.issue].options[terms[k]]
            if (need.allow and label not in need.allow) or label in need.forbid:
                out.append(iid)
                break
    return out


# -- value -------------------------------------------------------------------------------
def risk_of(sc: Any, terms: tuple[int, ...]) -> float:
    total = 0.0
    for iid, o in zip(sc.issue_ids, terms):
        issue = sc.spec.issues[iid]
        if issue.risk:
            total += issue.risk.get(issue.options[o], 0.0)
    return total


def risk_factor(sc: Any, trust: float) -> float:
    """The share of risk it still sees at this trust (1 = all of it)."""
    neg = sc.spec.negotiation
    share = (trust - RISK_TRUST_FROM) / (RISK_TRUST_FULL - RISK_TRUST_FROM)
    share = min(1.0, max(0.0, share))
    return 1.0 - neg.risk_discount * share


def perceived(sc: Any, terms: tuple[int, ...], revealed: Any, trust: float) -> float:
    table = sc.table(revealed)
    i = table.index[terms]
    if not is_v2(sc):
        return table.them[i]
    return table.them[i] - table.risk[i] * risk_factor(sc, trust)


# -- bidding -------------------------------------------------------------------------------
def walkaway(sc: Any) -> float:
    neg = sc.spec.negotiation
    if neg.walkaway is not None:
        return neg.walkaway
    # A format 1 file: its reservation at trust 75 stands in for a walk-away.
    return (neg.reservation or 0.0) - neg.trust_effect * 25


def aspiration(sc: Any, revealed: Any) -> float:
    neg = sc.spec.negotiation
    if neg.aspiration is not None:
        return neg.aspiration
    table = sc.table(revealed)
    if table.aspiration is None:
        ok = [table.them[i] for i in table.by_them if table.meets_needs[i]]
        table.aspiration = max(ok) if ok else walkaway(sc)
    return table.aspiration


def trust_shift(sc: Any, trust: float) -> float:
    """How far trust moves its target (positive: it asks for less), bounded."""
    neg = sc.spec.negotiation
    bound = neg.max_trust_effect
    return max(-bound, min(bound, neg.trust_effect * (trust - 50)))


def target(sc: Any, st: Any, rounds: int | None = None) -> float:
    """What it holds out for now: its aspiration conceding towards its walk-away."""
    neg = sc.spec.negotiation
    if not is_v2(sc):
        return (neg.reservation or 0.0) - neg.trust_effect * (st.vars["trust"] - 50)
    variant = sc.spec.counterpart.variants[st.variant]
    wa, asp = walkaway(sc), aspiration(sc, st.revealed)
    n = st.offers if rounds is None else rounds
    t = 0.0 if "walkaway" in st.disclosed else min(1.0, n / neg.max_offers)
    e = TACTIC_EXPONENT[variant.tactic]
    curve = wa + (asp - wa) * (1 - t ** (1 / e))
    return max(wa, curve - trust_shift(sc, st.vars["trust"]))


def acceptable(sc: Any, st: Any, terms: tuple[int, ...]) -> tuple[bool, str]:
    """(yes, why not): never below its walk-away, never against a need."""
    if is_v2(sc):
        table = sc.table(st.revealed)
        if not table.meets_needs[table.index[terms]]:
            return False, "need"
        value = perceived(sc, terms, st.revealed, st.vars["trust"])
        if value < walkaway(sc):
            return False, "walkaway"
        return (value >= target(sc, st)), "target"
    return sc.value_them(terms, st.revealed) >= target(sc, st), "target"


def learner_weights(sc: Any, st: Any) -> list[float]:
    """Opponent model: how much each issue seems to matter to the learner.

    Issues the learner held steady across offers matter more; a disclosed
    priority (the choice's topics name issues) matters most.
    """
    weights = [1.0] * len(sc.issue_ids)
    offers = st.learner_offers
    for k in range(len(sc.issue_ids)):
        if len(offers) >= 2 and all(o[k] == offers[-1][k] for o in offers[-3:]):
            weights[k] += 1.0
    for d in st.disclosed:
        if d.startswith("priority:"):
            iid = d.split(":", 1)[1]
            if iid in sc.issue_ids:
                weights[sc.issue_ids.index(iid)] += 2.0
    return weights


def build_counter(sc: Any, st: Any, last: tuple[int, ...] | None) -> tuple[int, ...] | None:
    """Its counter: meets its needs and its target, and looks best for the learner.

    "Best for the learner" is judged by what it has learned of them (the
    learner's last offer and the issues they hold steady), so it trades what
    it values less for what it values more.
    """
    table = sc.table(st.revealed)
    if not is_v2(sc):
        return _nearest_v1(sc, table, last, target(sc, st))
    goal = target(sc, st, st.offers + 1)
    weights = learner_weights(sc, st)
    factor = risk_factor(sc, st.vars["trust"])
    # The counter depends on nothing else, so each is searched once per value table
    # (exploration and replays meet the same ones again and again).
    memo = ("v2", goal, tuple(weights), factor, last)
    if memo in table.counters:
        return table.counters[memo]
    found = _best_counter(table, goal, weights, factor, last)
    if len(table.counters) < 50_000:
        table.counters[memo] = found
    return found


def _best_counter(
    table: Any, goal: float, weights: list[float], factor: float, last: tuple[int, ...] | None
) -> tuple[int, ...] | None:
    """The deal meeting its needs that the learner seems to like best (the issues it
    shares with their last offer, weighted) among those worth ``goal`` to it after
    risk; if none is, the one worth most to it. Each key ends with the terms, so the
    order deals are looked at in never matters."""
    met = table.__dict__.get("_met")
    if met is None:
        ok = [i for i in table.by_them if table.meets_needs[i]]
        met = table._met = (
            [table.them[i] for i in ok],
            [table.risk[i] for i in ok],
            [table.terms[i] for i in ok],
        )
    them, risk, terms = met
    if not terms:
        return None
    values = [a - b * factor for a, b in zip(them, risk)]
    ready = [(v, t) for v, t in zip(values, terms) if v >= goal]
    if not ready:
        return max(zip(values, terms))[1]
    if last is None:
        return max(ready)[1]
    return max((sum(w for w, a, b in zip(weights, t, last) if a == b), v, t) for v, t in ready)[2]


def opening_offer(sc: Any, st: Any) -> tuple[int, ...] | None:
    """Its first offer: its best deal, shaded to what it knows the learner wants."""
    return build_counter(sc, st, None)


def _nearest_v1(
    sc: Any, table: Any, terms: tuple[int, ...] | None, floor: float
) -> tuple[int, ...] | None:
    """Format 1: the acceptable deal nearest to the learner's offer."""
    if terms is None:
        return table.terms[table.by_them[0]] if table.by_them else None
    memo = (terms, floor)
    if memo in table.counters:
        return table.counters[memo]
    best, best_key = None, None
    for i in table.by_them:
        them = table.them[i]
        if them < floor:
            break
        t = table.terms[i]
        distance = sum(abs(a - b) for a, b in zip(t, terms))
        key = (distance, -them, t)
        if best_key is None or key < best_key:
            best, best_key = t, key
    if len(table.counters) < 50_000:
        table.counters[memo] = best
    return best


# -- memory ----------------------------------------------------------------------------------
def withdrawn_issues(sc: Any, st: Any, terms: tuple[int, ...]) -> list[str]:
    """Issues taken back: when this offer is worth less to them than the learner's last
    one, the issues where it gives them less (a re-packaged offer that gives them as
    much or more overall is a trade, not a withdrawal)."""
    if not st.learner_offers:
        return []
    prev = tuple(st.learner_offers[-1])
    if sc.value_them(terms, st.revealed) >= sc.value_them(prev, st.revealed):
        return []
    out = []
    for k, iid in enumerate(sc.issue_ids):
        them = sc.value_them_issue(iid, st.revealed)
        if them[terms[k]] < them[prev[k]]:
            out.append(iid)
    return out


# -- words ------------------------------------------------------------------------------------
def phrase(sc: Any, iid: str, option: int) -> str:
    issue = sc.spec.issues[iid]
    label = issue.options[option]
    if issue.phrase:
        return issue.phrase.replace("{option}", label)
    return f"{issue.label.lower()} {label}" if sc.spec.format >= 2 else f"{issue.label}: {label}"


def sentence(parts: list[str]) -> str:
    if not parts:
        return ""
    if len(parts) == 1:
        return parts[0]
    return ", ".join(parts[:-1]) + " and " + parts[-1]


def terms_sentence(sc: Any, terms: tuple[int, ...]) -> str:
    return sentence([phrase(sc, iid, o) for iid, o in zip(sc.issue_ids, terms)])


def changes_sentence(sc: Any, terms: tuple[int, ...], against: tuple[int, ...] | None) -> str:
    if against is None:
        return terms_sentence(sc, terms)
    parts = [phrase(sc, iid, o) for iid, o, a in zip(sc.issue_ids, terms, against) if o != a]
    return sentence(parts) or terms_sentence(sc, terms)
