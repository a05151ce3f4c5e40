"""The session runner: a pull API any front-end drives (after ink's Story).

    s = Session.start(scenario, seed=7)
    s.lines            # what the counterpart just said
    s.choices          # what the learner may say (unavailable ones with a reason)
    step = s.choose(0) # or s.choose("ask_plant"), s.offer({...}), s.accept_counter()
    s.ended, s.ending, s.to_json(), Session.restore(scenario, data)

The same scenario, seed and inputs always give the same session.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass, field
from typing import Any

from negtrainer.engine import moves as mv
from negtrainer.engine.expr import describe
from negtrainer.engine.model import Ending, Line
from negtrainer.engine.scenario import LoadedScenario
from negtrainer.engine.state import SessionState, rand

LOCKED = "You don't know enough to propose this yet."


class ChoiceUnavailable(ValueError):
    """The learner picked something they cannot say now; ``reason`` says why."""


@dataclass(frozen=True)
class ChoiceView:
    index: int
    id: str
    text: str
    move: str
    group: str
    available: bool
    reason: str = ""


@dataclass(frozen=True)
class OptionView:
    label: str
    you: float
    available: bool
    reason: str = ""


@dataclass(frozen=True)
class IssueView:
    id: str
    label: str
    options: list[OptionView]


@dataclass(frozen=True)
class OfferResult:
    terms: dict[str, str]
    you: float
    them: float
    accepted: bool
    counter: dict[str, str] | None = None


@dataclass
class Step:
    """What one learner input changed."""

    turn: int
    said: str
    move: str
    lines: list[dict[str, Any]]
    deltas: dict[str, float]
    revealed: list[str] = field(default_factory=list)
    hinted: list[str] = field(default_factory=list)
    offer: OfferResult | None = None
    ending: str | None = None


@dataclass(frozen=True)
class EndingView:
    id: str
    kind: str
    title: str
    text: str


class Session:
    def __init__(self, scenario: LoadedScenario, state: SessionState):
        self.scenario = scenario
        self.state = state
        self._pending: dict[str, float] | None = None

    # -- starting and restoring ----------------------------------------------
    @classmethod
    def start(cls, scenario: LoadedScenario, seed: int = 0, variant: str | None = None,
              learner: str = "") -> Session:
        spec = scenario.spec
        variants = spec.counterpart.variants
        if variant is None:
            variant = pick_variant(scenario, seed)
        elif variant not in variants:
            raise ValueError(f"no variant {variant!r}; this scenario has: {', '.join(variants)}")
        values = {name: var.start for name, var in scenario.vars.items()}
        for name, value in variants[variant].state.items():
            values[name] = _clamp(scenario, name, value)
        st = SessionState(scenario_id=spec.id, seed=int(seed), variant=variant, node=spec.start,
                          vars=values, learner=learner, trust_start=values["trust"])
        self = cls(scenario, st)
        st.lines = self._enter(spec.start)
        st.last_emotional = any(ln.get("emotional") for ln in st.lines)
        return self

    @classmethod
    def restore(cls, scenario: LoadedScenario, data: dict[str, Any]) -> Session:
        st = SessionState.from_json(data)
        if st.scenario_id != scenario.id:
            raise ValueError(f"state is for scenario {st.scenario_id!r}, not {scenario.id!r}")
        if st.node not in scenario.spec.nodes:
            raise ValueError(f"state is at node {st.node!r}, which this scenario lacks")
        return cls(scenario, st)

    @classmethod
    def replay(cls, scenario: LoadedScenario, seed: int, variant: str | None,
               inputs: list[dict[str, Any]], learner: str = "") -> Session:
        s = cls.start(scenario, seed, variant, learner)
        for item in inputs:
            s.apply(item)
        return s

    def to_json(self) -> dict[str, Any]:
        return self.state.to_json()

    # -- reading ----------------------------------------------------------------
    @property
    def lines(self) -> list[dict[str, Any]]:
        return self.state.lines

    @property
    def ended(self) -> bool:
        return self.state.ending is not None

    @property
    def ending(self) -> EndingView | None:
        eid = self.state.ending
        if eid is None:
            return None
        e: Ending = self.scenario.spec.endings[eid]
        return EndingView(eid, e.kind, e.title, e.text)

    @property
    def mood(self) -> str:
        return self.state.mood

    @property
    def inputs(self) -> list[dict[str, Any]]:
        return [rec["input"] for rec in self.state.log]

    @property
    def choices(self) -> list[ChoiceView]:
        if self.ended:
            return []
        st = self.state
        sc = self.scenario
        node = sc.spec.nodes[st.node]
        ids = sc.choice_ids[st.node]
        out = []
        for i, ch in enumerate(node.choices):
            cid = ids[i]
            if ch.once and st.chosen.get(cid):
                continue
            ok = sc.cond(ch.when)(st)
            if not ok and ch.hide_when_unavailable:
                continue
            reason = "" if ok else (ch.unavailable or f"Available when {describe(ch.when or '')}")
            if ok and ch.offer is not None and not self._offer_allowed(ch.offer):
                ok, reason = False, ch.unavailable or LOCKED
            out.append(ChoiceView(i, cid, ch.text, ch.move, mv.MOVES[ch.move].group, ok, reason))
        return out

    @property
    def can_offer(self) -> bool:
        return not self.ended and self.scenario.spec.nodes[self.state.node].offers

    @property
    def issues(self) -> list[IssueView]:
        out = []
        for iid in self.scenario.issue_ids:
            issue = self.scenario.spec.issues[iid]
            opts = []
            for k, label in enumerate(issue.options):
                need = issue.requires.get(label)
                ok = need is None or need in self.state.revealed
                reason = "" if ok else LOCKED
                opts.append(OptionView(label, issue.you[k], ok, reason))
            out.append(IssueView(iid, issue.label, opts))
        return out

    @property
    def counter_offer(self) -> dict[str, str] | None:
        c = self.state.counter
        return None if c is None else self.scenario.terms_dict(tuple(c))

    # -- acting -------------------------------------------------------------------
    def apply(self, item: dict[str, Any]) -> Step:
        """Apply one stored input: {"choice": id}, {"offer": {...}}, {"accept": "counter"}.

        Any of them may carry "typed" (the learner's own words); {"typed", "move",
        "topics"} alone is a line that fitted no choice (see ``say_own_words``).
        """
        if "typed" in item:
            rest = {k: v for k, v in item.items() if k not in ("typed", "move", "topics")}
            return self.say_own_words(item["typed"], item.get("move", ""),
                                      item.get("topics", []), rest or None)
        if "choice" in item:
            return self.choose(item["choice"])
        if "offer" in item:
            return self.offer(item["offer"])
        if item.get("accept") == "counter":
            return self.accept_counter()
        raise ValueError(f"unknown input {item!r}")

    def choose(self, which: int | str) -> Step:
        if self.ended:
            raise ChoiceUnavailable("The session has ended.")
        st, sc = self.state, self.scenario
        node = sc.spec.nodes[st.node]
        ids = sc.choice_ids[st.node]
        if isinstance(which, int):
            if not 0 <= which < len(node.choices):
                raise ChoiceUnavailable(f"There is no choice {which + 1} here.")
            index = which
        else:
            try:
                index = ids.index(which)
            except ValueError:
                raise ChoiceUnavailable(f"There is no choice {which!r} here.") from None
        ch = node.choices[index]
        cid = ids[index]
        if ch.once and st.chosen.get(cid):
            raise ChoiceUnavailable("You have already said that.")
        if not sc.cond(ch.when)(st):
            raise ChoiceUnavailable(ch.unavailable or f"Available when {describe(ch.when or '')}")
        if ch.offer is not None and not self._offer_allowed(ch.offer):
            raise ChoiceUnavailable(ch.unavailable or LOCKED)

        before = dict(st.vars)
        move = mv.MOVES[ch.move]
        st.chosen[cid] = st.chosen.get(cid, 0) + 1
        rec = self._begin_record({"choice": cid}, ch.text, move, ch.topics)
        self._apply_move(move, ch.effects)
        for flag in ch.set:
            st.flags.add(flag)
        for flag in ch.clear:
            st.flags.discard(flag)
        self._promises(ch.promise, ch.keeps, ch.breaks)
        for kind in ("promise", "keeps", "breaks"):
            if getattr(ch, kind):
                rec[kind] = getattr(ch, kind)
        lines: list[dict[str, Any]] = []
        revealed, hinted = self._interests(move, ch.topics, lines)
        lines.extend(self._say(ch.reply, ("reply", cid)))
        offer_result = None
        nxt = ch.next
        if ch.offer is not None:
            terms = self._terms_from_labels(ch.offer)
            offer_result, nxt2 = self._judge_offer(terms, lines)
            nxt = nxt2 or nxt
        if nxt is not None:
            lines.extend(self._goto(nxt))
        return self._finish(rec, before, lines, revealed, hinted, offer_result)

    def offer(self, terms: Mapping[str, str | int]) -> Step:
        if self.ended:
            raise ChoiceUnavailable("The session has ended.")
        if not self.can_offer:
            raise ChoiceUnavailable("This is not the moment to put an offer on the table.")
        st = self.state
        idx = self._terms_from_labels(terms)
        for iid, o in zip(self.scenario.issue_ids, idx):
            issue = self.scenario.spec.issues[iid]
            need = issue.requires.get(issue.options[o])
            if need is not None and need not in st.revealed:
                raise ChoiceUnavailable(
                    f"You don't know enough to propose {issue.label}: {issue.options[o]} yet.")
        before = dict(st.vars)
        name = "counter_offer" if st.counter is not None else "offer"
        move = mv.MOVES[name]
        said = "I propose: " + self.scenario.terms_text(idx)
        rec = self._begin_record({"offer": self.scenario.terms_dict(idx)}, said, move, [])
        self._apply_move(move, {})
        lines: list[dict[str, Any]] = []
        result, nxt = self._judge_offer(idx, lines)
        if nxt is not None:
            lines.extend(self._goto(nxt))
        return self._finish(rec, before, lines, [], [], result)

    def accept_counter(self) -> Step:
        if self.ended or self.state.counter is None:
            raise ChoiceUnavailable("There is no offer of theirs to accept.")
        st, sc = self.state, self.scenario
        assert sc.spec.negotiation is not None
        terms = tuple(st.counter)  # type: ignore[arg-type]
        before = dict(st.vars)
        move = mv.MOVES["proposal_to_close"]
        rec = self._begin_record({"accept": "counter"},
                                 "Agreed: " + sc.terms_text(terms), move, [])
        self._apply_move(move, {})
        lines: list[dict[str, Any]] = []
        you, them = sc.value_you(terms), sc.value_them(terms, st.revealed)
        st.deal = list(terms)
        st.counter = None
        rec["deal_you"], rec["deal_them"] = you, them
        lines.extend(self._say(sc.spec.negotiation.lines.accept, ("accept",)))
        result = OfferResult(sc.terms_dict(terms), you, them, True)
        lines.extend(self._goto(sc.spec.negotiation.on_accept))
        return self._finish(rec, before, lines, [], [], result)

    def say_own_words(self, text: str, move: str, topics: list[str] | tuple[str, ...] = (),
                      understood_as: dict[str, Any] | None = None) -> Step:
        """The learner said ``text`` in their own words.

        Understood as a choice or an offer (``understood_as``, an input as for
        ``apply``), that is played and the words are kept with it. Otherwise
        it is a move of its own: the move's context-aware effect and any
        interest its ``topics`` reach, no scripted reply, no change of node.
        """
        if understood_as is not None:
            step = self.apply(understood_as)
            self.state.log[-1]["input"]["typed"] = text
            return step
        if self.ended:
            raise ChoiceUnavailable("The session has ended.")
        if move not in mv.MOVES:
            raise ChoiceUnavailable(f"{move!r} is not a move of the catalogue.")
        st = self.state
        before = dict(st.vars)
        m = mv.MOVES[move]
        topics = [str(t) for t in topics]
        rec = self._begin_record({"typed": text, "move": move, "topics": topics}, text, m,
                                 topics)
        self._apply_move(m, {})
        lines: list[dict[str, Any]] = []
        revealed, hinted = self._interests(m, topics, lines)
        return self._finish(rec, before, lines, revealed, hinted, None)

    # -- the counterpart's reactions --------------------------------------------------
    def _begin_record(self, item: dict[str, Any], said: str, move: mv.Move,
                      topics: list[str]) -> dict[str, Any]:
        st = self.state
        st.move = move.name
        return {"turn": st.turn + 1, "input": item, "said": said, "move": move.name,
                "group": move.group, "stance": move.stance, "topics": list(topics),
                "node": st.node, "after_emotional": st.last_emotional,
                "trust_before": st.vars["trust"]}

    def _effects_for(self, move: mv.Move) -> dict[str, float]:
        spec = self.scenario.spec
        effects = dict(move.effects)
        name: Any = move.name
        effects.update(spec.move_effects.get(name, {}))
        effects.update(spec.counterpart.variants[self.state.variant].move_effects.get(name, {}))
        return effects

    def _apply_move(self, move: mv.Move, override: dict[str, float]) -> None:
        st = self.state
        effects = self._effects_for(move)
        effects.update(override)
        trust = effects.get("trust", 0.0)
        if move.chat:
            trust = trust + mv.EARLY_RAPPORT_BONUS if st.substance_turn is None \
                else trust * mv.LATE_RAPPORT_FACTOR
        if st.last_emotional:
            if move.listens:
                trust += mv.EMPATHY_BONUS
            elif move.asks and move.name != "open_question" or move.substance:
                trust += mv.IGNORED_FEELING_PENALTY
        # Reciprocity: the counterpart mirrors the recent run of stances, so
        # cooperative runs compound upward and competitive runs downward.
        st.stances.append(move.stance)
        if move.stance:
            r = self.scenario.spec.counterpart.variants[st.variant].reciprocity
            run = sum(st.stances[-mv.RECIPROCITY_WINDOW:])
            trust += r * run
            effects["tension"] = effects.get("tension", 0.0) - r * run
        effects["trust"] = trust
        for name, delta in effects.items():
            if delta and name in st.vars:
                st.vars[name] = _clamp(self.scenario, name, st.vars[name] + delta)
        if move.substance and st.substance_turn is None:
            st.substance_turn = st.turn + 1

    def _promises(self, made: str | None, keeps: str | None, breaks: str | None) -> None:
        st = self.state
        if made:
            st.promises[made] = "made"
        if keeps and st.promises.get(keeps) == "made":
            st.promises[keeps] = "kept"
            st.vars["trust"] = _clamp(self.scenario, "trust", st.vars["trust"] + 5)
        if breaks and st.promises.get(breaks) in ("made", "kept"):
            st.promises[breaks] = "broken"
            st.vars["trust"] = _clamp(self.scenario, "trust", st.vars["trust"] - 10)

    def _interests(self, move: mv.Move, topics: list[str],
                   lines: list[dict[str, Any]]) -> tuple[list[str], list[str]]:
        revealed: list[str] = []
        hinted: list[str] = []
        if not topics:
            return revealed, hinted
        st, sc = self.state, self.scenario
        # One disclosure per turn, as people do: a reveal if trust allows one,
        # otherwise at most one hint.
        hint_candidate = None
        for iid, interest in sc.spec.interests.items():
            if iid in st.revealed or move.name not in interest.moves:
                continue
            if not set(topics) & set(interest.topics):
                continue
            if st.vars["trust"] >= interest.trust:
                st.revealed[iid] = st.turn + 1
                revealed.append(iid)
                lines.append(_line_out(sc.interest_line(iid, "reveal"), "reveal", iid))
                return revealed, hinted
            if iid not in st.hinted and hint_candidate is None:
                hint_candidate = iid
        if hint_candidate is not None:
            st.hinted[hint_candidate] = st.turn + 1
            hinted.append(hint_candidate)
            lines.append(_line_out(sc.interest_line(hint_candidate, "hint"), "hint",
                                   hint_candidate))
        return revealed, hinted

    def _terms_from_labels(self, terms: Mapping[str, str | int]) -> tuple[int, ...]:
        sc = self.scenario
        out = []
        for iid in sc.issue_ids:
            if iid not in terms:
                raise ChoiceUnavailable(f"The offer says nothing about {iid}.")
            value = terms[iid]
            options = sc.spec.issues[iid].options
            if isinstance(value, int) and not isinstance(value, bool) \
                    and 0 <= value < len(options):
                out.append(value)
            elif value in options:
                out.append(options.index(value))  # type: ignore[arg-type]
            else:
                raise ChoiceUnavailable(f"{value!r} is not an option for {iid}.")
        extra = set(terms) - set(sc.issue_ids)
        if extra:
            raise ChoiceUnavailable(f"No such issue: {', '.join(sorted(extra))}.")
        return tuple(out)

    def reservation(self) -> float:
        """The least total value the counterpart accepts now: trust lowers it."""
        neg = self.scenario.spec.negotiation
        assert neg is not None
        return neg.reservation - neg.trust_effect * (self.state.vars["trust"] - 50)

    def _judge_offer(self, terms: tuple[int, ...],
                     lines: list[dict[str, Any]]) -> tuple[OfferResult, str | None]:
        st, sc = self.state, self.scenario
        neg = sc.spec.negotiation
        assert neg is not None
        st.offers += 1
        you, them = sc.value_you(terms), sc.value_them(terms, st.revealed)
        floor = self.reservation()
        if them >= floor:
            st.deal = list(terms)
            st.counter = None
            self._pending = {"deal_you": you, "deal_them": them}
            lines.extend(self._say(neg.lines.accept, ("accept",)))
            return OfferResult(sc.terms_dict(terms), you, them, True), neg.on_accept
        if them < floor - 20:
            st.vars["tension"] = _clamp(sc, "tension", st.vars["tension"] + 5)
        counter = self._counter_for(terms, floor)
        if counter is not None and st.offers < neg.max_offers:
            st.counter = list(counter)
            lines.extend(self._say(neg.lines.counter, ("counter",),
                                   terms_text=sc.terms_text(counter)))
            result = OfferResult(sc.terms_dict(terms), you, them, False, sc.terms_dict(counter))
        else:
            st.counter = None
            lines.extend(self._say(neg.lines.reject, ("reject",)))
            result = OfferResult(sc.terms_dict(terms), you, them, False)
        if st.offers >= neg.max_offers:
            return result, neg.on_exhausted
        return result, None

    def _counter_for(self, terms: tuple[int, ...], floor: float) -> tuple[int, ...] | None:
        """The acceptable deal nearest to the learner's offer (ties: better for them)."""
        table = self.scenario.table(self.state.revealed)
        memo = (terms, floor)
        if memo in table.counters:
            return table.counters[memo]
        best = None
        best_key: tuple | None = None
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

    def _offer_allowed(self, labels: Mapping[str, str]) -> bool:
        return self._terms_allowed(self._terms_from_labels(labels))

    def _terms_allowed(self, terms: tuple[int, ...]) -> bool:
        sc = self.scenario
        for iid, o in zip(sc.issue_ids, terms):
            issue = sc.spec.issues[iid]
            need = issue.requires.get(issue.options[o])
            if need is not None and need not in self.state.revealed:
                return False
        return True

    def _say(self, candidates: list[Line], purpose: tuple, pick: str = "first",
             terms_text: str = "") -> list[dict[str, Any]]:
        """The line the counterpart says among candidates, by conditions on state."""
        if not candidates:
            return []
        st, sc = self.state, self.scenario
        matches = [ln for ln in candidates if sc.cond(ln.when)(st)]
        if not matches:
            return []
        if pick == "weighted" and len(matches) > 1:
            total = sum(ln.weight for ln in matches)
            x = rand(st.seed, st.turn, *purpose) * total
            chosen = matches[-1]
            for ln in matches:
                x -= ln.weight
                if x < 0:
                    chosen = ln
                    break
        else:
            chosen = matches[0]
        out = _line_out(chosen, "say")
        if terms_text:
            out["text"] = out["text"].replace("{terms}", terms_text)
        return [out]

    def _enter(self, node_id: str) -> list[dict[str, Any]]:
        st = self.state
        st.node = node_id
        st.visited[node_id] = st.visited.get(node_id, 0) + 1
        node = self.scenario.spec.nodes[node_id]
        lines = self._say(node.say, ("node", node_id), node.pick)
        if node.end is not None:
            lines.extend(self._end(node.end))
        return lines

    def _goto(self, target: str) -> list[dict[str, Any]]:
        if target in self.scenario.spec.endings:
            return self._end(target)
        return self._enter(target)

    def _end(self, ending_id: str) -> list[dict[str, Any]]:
        if self.state.ending is not None:
            return []
        self.state.ending = ending_id
        end = self.scenario.spec.endings[ending_id]
        return [_line_out(end.line, "ending")] if end.line else []

    def _finish(self, rec: dict[str, Any], before: dict[str, float], lines: list[dict[str, Any]],
                revealed: list[str], hinted: list[str], offer: OfferResult | None) -> Step:
        st, sc = self.state, self.scenario
        st.turn += 1
        if st.ending is None:
            for eid, end in sc.spec.endings.items():
                if end.when is not None and sc.cond(end.when)(st):
                    lines.extend(self._end(eid))
                    break
        if st.ending is None and st.turn >= sc.spec.max_turns:
            lines.extend(self._end(sc.spec.on_max_turns))
        st.last_emotional = any(ln.get("emotional") for ln in lines)
        deltas = {k: round(st.vars[k] - before[k], 3) for k in st.vars if st.vars[k] != before[k]}
        rec.update(
            trust_after=st.vars["trust"], vars=dict(st.vars), deltas=deltas,
            lines=lines, revealed=revealed, hinted=hinted, mood=st.mood, ending=st.ending,
            node_after=st.node,
        )
        if self._pending:
            rec.update(self._pending)
            self._pending = None
        if offer is not None:
            rec["offer"] = {"terms": offer.terms, "you": offer.you, "them": offer.them,
                            "accepted": offer.accepted, "counter": offer.counter}
        st.log.append(rec)
        st.lines = lines
        return Step(st.turn, rec["said"], rec["move"], lines, deltas, revealed, hinted, offer,
                    st.ending)

    # -- scoring --------------------------------------------------------------------
    def debrief(self) -> Any:
        from negtrainer.engine.scoring import debrief

        return debrief(self)


def pick_variant(scenario: LoadedScenario, seed: int) -> str:
    variants = scenario.spec.counterpart.variants
    total = sum(v.weight for v in variants.values())
    x = rand(seed, "variant") * total
    for name, v in variants.items():
        x -= v.weight
        if x < 0:
            return name
    return next(reversed(variants))


def _clamp(scenario: LoadedScenario, name: str, value: float) -> float:
    var = scenario.vars.get(name)
    if var is None:
        return value
    return min(var.max, max(var.min, value))


def _line_out(line: Any, source: str, interest: str | None = None) -> dict[str, Any]:
    out: dict[str, Any] = {"id": line.id, "text": line.text, "source": source}
    if getattr(line, "emotional", False):
        out["emotional"] = True
    if interest:
        out["interest"] = interest
    return out
