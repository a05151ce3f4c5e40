"""Judging what was agreed, not only how: the debrief's outcome checks.

- the deal against the learner's walk-away and target (caving is named);
- against the Pareto frontier: "you could both have had more: trade X for Y",
  computed from the scenario's value tables;
- value claimed as a share of what was *feasible* (deals the counterpart would
  ever sign), not of a maximum that gives the other side nothing;
- each revealed interest mapped to the term that answered it, or to nothing;
- promises kept or broken, concessions taken back.

And, after play, the other side's brief: its confidential instructions, its
value for each option and its walk-away, as a PON debrief reveals them.
"""

from __future__ import annotations

from dataclasses import asdict, dataclass, field
from typing import Any

from negtrainer.engine import counterpart as cp


@dataclass
class InterestAnswer:
    id: str
    label: str
    revealed_turn: int | None
    answered_by: str | None  # "Payment: Monthly", or None when nothing in the deal answered it
    note: str


@dataclass
class Outcome:
    deal: dict[str, str] | None
    you: float | None
    them: float | None
    walkaway: float | None
    target: float | None
    verdict: str  # caved | thin | fair | strong | no_deal
    verdict_text: str
    claimed_share: float | None  # of the feasible range
    joint_share: float | None  # of the best joint value
    improvement: str | None  # "trade X for Y" when both could have had more
    interests: list[InterestAnswer] = field(default_factory=list)
    promises: dict[str, str] = field(default_factory=dict)
    withdrawn: int = 0
    caved: bool = False
    ignored_needs: list[str] = field(default_factory=list)  # revealed, valued, not answered
    quality: int = 0  # 0..100: what History ranks by
    deal_text: str | None = None  # the deal as the learner reads it: "Unit price: €0.38, ..."

    def to_json(self) -> dict[str, Any]:
        return asdict(self)


def feasible(sc: Any) -> list[tuple[int, ...]]:
    """Deals the counterpart could ever sign: its needs met, at or above its walk-away
    with everything known and full trust."""
    if sc.spec.negotiation is None or not sc.issue_ids:
        return []
    # The same for every session of a loaded scenario (which never changes): kept on it.
    cached = sc.__dict__.get("_feasible")
    if cached is not None:
        return list(cached)
    everything = set(sc.spec.interests)
    wa = cp.walkaway(sc)
    table = sc.table(everything)
    found = tuple(
        table.terms[i]
        for i in range(len(table.terms))
        if table.meets_needs[i] and cp.perceived(sc, table.terms[i], everything, 100) >= wa
    )
    sc.__dict__["_feasible"] = found
    return list(found)


def _issue_label(sc: Any, iid: str, o: int) -> str:
    issue = sc.spec.issues[iid]
    return f"{issue.label}: {issue.options[o]}"


def improvement(sc: Any, terms: tuple[int, ...]) -> str | None:
    """The smallest change that leaves both sides better off, in words, or None."""
    everything = set(sc.spec.interests)
    you, them = sc.value_you(terms), sc.value_them(terms, everything)
    best = None
    for t in feasible(sc):
        ty, tt = sc.value_you(t), sc.value_them(t, everything)
        if ty >= you and tt >= them and (ty > you or tt > them):
            changes = sum(a != b for a, b in zip(t, terms))
            key = (changes, -(ty + tt - you - them))
            if best is None or key < best[0]:
                best = (key, t, ty, tt)
    if best is None:
        return None
    _key, t, ty, tt = best
    give: list[str] = []
    get: list[str] = []
    for k, iid in enumerate(sc.issue_ids):
        if t[k] == terms[k]:
            continue
        mine = sc.spec.issues[iid].you
        (get if mine[t[k]] > mine[terms[k]] else give).append(_issue_label(sc, iid, t[k]))
    parts = []
    if give:
        parts.append("give " + cp.sentence(give))
    if get:
        parts.append("get " + cp.sentence(get))
    return (
        f"You could both have had more: {' and '.join(parts)} "
        f"(you {you:.0f} → {ty:.0f}, them {them:.0f} → {tt:.0f})."
    )


def answers(sc: Any, st: Any) -> list[InterestAnswer]:
    out = []
    deal = tuple(st.deal) if st.deal is not None else None
    for iid, interest in sc.spec.interests.items():
        turn = st.revealed.get(iid)
        answered = None
        note = ""
        valued = [i for i, issue in sc.spec.issues.items() if iid in issue.them_if_revealed]
        if deal is None:
            note = "no deal"
        else:
            for need in interest.needs:
                k = sc.issue_ids.index(need.issue)
                answered = _issue_label(sc, need.issue, deal[k])
                note = "its need was met"
            for i in valued:
                k = sc.issue_ids.index(i)
                table = sc.spec.issues[i].them_if_revealed[iid]
                if table[deal[k]] >= 0.5 * max(table) and max(table) > 0:
                    answered = _issue_label(sc, i, deal[k])
                    note = "the deal gave them what this was worth to them"
                    break
            else:
                if valued and not interest.needs:
                    note = "nothing in the deal answered it"
        if turn is None:
            note = "never uncovered" + (f"; {note}" if note and deal is not None else "")
        out.append(InterestAnswer(iid, interest.label, turn, answered, note))
    return out


def judge(session: Any) -> Outcome:
    sc, st = session.scenario, session.state
    learner = sc.spec.learner
    wa, target = learner.walkaway, learner.target
    ans = answers(sc, st)
    promises = dict(st.promises)
    if st.deal is None:
        kind = session.ending.kind if session.ending else None
        text = "No deal. " + (
            "Walking away beat a bad deal."
            if kind == "impasse" and st.revealed
            else "Nothing was agreed."
        )
        return Outcome(
            None,
            None,
            None,
            wa,
            target,
            "no_deal",
            text,
            None,
            None,
            None,
            ans,
            promises,
            st.withdrawn,
            False,
            [],
            _quality(sc, session, None),
        )
    terms = tuple(st.deal)
    everything = set(sc.spec.interests)
    you, them = sc.value_you(terms), sc.value_them(terms, everything)
    pool = feasible(sc) or [terms]
    lo = min(sc.value_you(t) for t in pool)
    hi = max(sc.value_you(t) for t in pool)
    claimed = (you - lo) / (hi - lo) if hi > lo else 1.0
    best = sc.best_joint[0] if sc.best_joint else None
    joint_share = (you + them) / best if best else None
    caved = wa is not None and you < wa
    ignored = [
        a.label
        for a in ans
        if a.revealed_turn is not None and a.note == "nothing in the deal answered it"
    ]
    if caved:
        verdict = "caved"
        text = (
            f"You agreed to less than your walk-away ({you:.0f} against {wa:.0f}): "
            "walking away would have been better for you."
        )
    elif target is not None and you >= target:
        verdict = "strong"
        text = f"A strong deal for you: {you:.0f}, at or above your target of {target:.0f}."
    elif claimed < 0.34:
        verdict = "thin"
        text = f"A thin deal: {you:.0f} for you, near the bottom of what they would have signed."
    else:
        verdict = "fair"
        text = f"A fair deal: {you:.0f} for you" + (
            f", short of your target of {target:.0f}." if target is not None else "."
        )
    out = Outcome(
        sc.terms_dict(terms),
        you,
        them,
        wa,
        target,
        verdict,
        text,
        claimed,
        joint_share,
        improvement(sc, terms),
        ans,
        promises,
        st.withdrawn,
        caved,
        ignored,
        0,
    )
    out.quality = _quality(sc, session, out)
    out.deal_text = sc.labelled(out.deal)
    return out


def _quality(sc: Any, session: Any, out: Outcome | None) -> int:
    """One number to rank sessions by what was achieved, never just "a deal was signed"."""
    ending = session.ending
    if ending is None:
        return 0
    good = sc.spec.endings[ending.id].good
    if out is None:  # no deal
        return 35 if ending.kind in ("impasse",) and session.state.revealed else 15
    if out.caved:
        return 10
    score = 40 + 30 * (out.claimed_share or 0) + 20 * min(1.0, out.joint_share or 0)
    score -= 10 * len(out.ignored_needs)
    if good:
        score += 10
    return int(max(0, min(100, round(score))))


def other_side(sc: Any) -> dict[str, Any]:
    """The counterpart's confidential brief and numbers, shown after play."""
    cpt = sc.spec.counterpart
    issues = []
    for iid in sc.issue_ids:
        issue = sc.spec.issues[iid]
        issues.append(
            {
                "id": iid,
                "label": issue.label,
                "options": list(issue.options),
                "them": list(issue.them),
                "them_if_revealed": {k: list(v) for k, v in issue.them_if_revealed.items()},
                "risk": dict(issue.risk),
            }
        )
    neg = sc.spec.negotiation
    return {
        "name": cpt.name,
        "role": cpt.role,
        "brief": cpt.confidential_brief,
        "walkaway": cp.walkaway(sc) if neg is not None else None,
        "issues": issues,
    }


def thought_for(rec: dict[str, Any], choice_thought: str | None = None) -> str:
    """What the counterpart made of a turn: the author's line, or one from the state change."""
    if choice_thought:
        return choice_thought
    delta = rec.get("deltas", {}).get("trust", 0.0)
    why = rec.get("why") or []
    if rec.get("revealed"):
        return "I trust them enough to say what's really going on."
    if why:
        reason = why[0]
        if delta > 0:
            return f"That helped: {reason}."
        if delta < 0:
            return f"That didn't sit well: {reason}."
        return f"Hm. {reason[0].upper() + reason[1:]}."
    if delta >= 4:
        return "They're with me."
    if delta <= -4:
        return "I'm on my guard now."
    offer = rec.get("offer")
    if offer:
        return "That works for me." if offer.get("accepted") else "Not good enough yet."
    return ""
