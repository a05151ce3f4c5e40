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
from typing import TYPE_CHECKING, Any

from negtrainer.engine import counterpart as cp
from negtrainer.engine import effects as fx
from negtrainer.engine import moves as mv
from negtrainer.engine.expr import describe
from negtrainer.engine.model import Ending, Line
from negtrainer.engine.scenario import LoadedScenario
from negtrainer.engine.state import SessionState, TurnRecord, rand

if TYPE_CHECKING:
    from negtrainer.engine.scoring import Debrief

LOCKED = "You don't know enough to propose this yet."
HIDDEN_TEXT = ""  # a locked choice is shown without its words
PROMISE_KEPT = 5.0  # format 1, and format 2 promises without a due point
PROMISE_KEPT_DUE = 6.0  # kept when it fell due: reliability
PROMISE_KEPT_EARLY = 1.0  # kept before it fell due: not reliability yet
PROMISE_BROKEN = -10.0
WITHDRAWN = -4.0  # per offer that takes back a concession
IGNORED_NEED = -3.0  # an offer that breaks a need they have told you about


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
    topics: tuple[str, ...] = ()


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
    why: list[str] = field(default_factory=list)


@dataclass(frozen=True)
class EndingView:
    id: str
    kind: str
    title: str
    text: str
    good: bool = False  # what the skill earns; never true for caving or a thin deal


class _Plan:
    """What every step reads, prepared once per loaded scenario (which never changes):
    each node's choices with their compiled conditions, the endings and events that
    have a condition, the seeded order of each node's choices, interest lines."""

    def __init__(self, sc: LoadedScenario):
        self.sc = sc
        self.v2 = sc.spec.format >= 2
        self._choices: dict[str, list[tuple[int, Any, str, Any, Any]]] = {}
        self._positions: dict[str, dict[str, int]] = {}
        self._order: dict[tuple[int, str], dict[int, int]] = {}
        self._screen: dict[tuple[int, str], list[tuple[int, Any, str, Any, Any, bool]]] = {}
        self._shows: dict[tuple[int, int, str], float] = {}
        self.endings = [
            (eid, sc.cond(end.when)) for eid, end in sc.spec.endings.items() if end.when is not None
        ]
        self.events = [(ev, self.cond(ev.when)) for ev in sc.spec.events]
        self.interest_lines: dict[tuple[str, str], Line] = {}
        self.views: dict[tuple[str, bool, str, str], ChoiceView] = {}
        self.interests = [
            (iid, interest, frozenset(interest.moves), frozenset(interest.topics))
            for iid, interest in sc.spec.interests.items()
        ]
        self.effects: dict[tuple[str, str], dict[str, float]] = {}
        self.offer_terms: dict[str, tuple[int, ...]] = {}  # choice id -> its offer's terms
        # The choices that can be said only once, by id (a search's state key reads them).
        self.once_ids = frozenset(
            cid for cid, where in sc.choice_by_id.items() if sc.choice(*where).once
        )

    def cond(self, text: str | None) -> Any:
        """The compiled condition, or None for none (always holds: nothing to call)."""
        return None if text is None else self.sc.cond(text)

    def choices(self, node_id: str) -> list[tuple[int, Any, str, Any, Any]]:
        """(index, choice, id, condition, needs) for a node's choices, in written order;
        needs are the interests an offer choice's terms require (see ``offer_needs``)."""
        found = self._choices.get(node_id)
        if found is None:
            sc = self.sc
            ids = sc.choice_ids[node_id]
            found = self._choices[node_id] = [
                (i, ch, ids[i], self.cond(ch.when), self.offer_needs(ch.offer))
                for i, ch in enumerate(sc.spec.nodes[node_id].choices)
            ]
        return found

    def offer_needs(self, labels: Any) -> tuple[str, ...] | None:
        """The interests that must be revealed before these terms may be proposed;
        None for no offer, or for terms that name no option (the session says why)."""
        if labels is None:
            return None
        sc = self.sc
        needs = []
        for iid in sc.issue_ids:
            issue = sc.spec.issues[iid]
            value = labels.get(iid)
            if (
                isinstance(value, int)
                and not isinstance(value, bool)
                and 0 <= value < len(issue.options)
            ):
                label = issue.options[value]
            elif value in issue.options:
                label = value
            else:
                return None
            need = issue.requires.get(label)
            if need is not None:
                needs.append(need)
        if set(labels) - set(sc.issue_ids):
            return None
        return tuple(needs)

    def positions(self, node_id: str) -> dict[str, int]:
        """Choice id -> its index in the node (the first, as list.index gives)."""
        found = self._positions.get(node_id)
        if found is None:
            found = {}
            for i, cid in enumerate(self.sc.choice_ids[node_id]):
                found.setdefault(cid, i)
            self._positions[node_id] = found
        return found

    def on_screen(self, seed: int, node_id: str) -> list[tuple[int, Any, str, Any, Any, bool]]:
        """:meth:`choices` in the order a screen shows them (format 2: drawn from the
        seed; format 1: as written), each with whether it is *plain*: said any number
        of times, with no condition and no offer, so always shown and available."""
        key = (seed, node_id) if self.v2 else (0, node_id)
        found = self._screen.get(key)
        if found is None:
            entries = self.choices(node_id)
            if self.v2:
                rank = self.order(seed, node_id)
                entries = sorted(entries, key=lambda e: rank[e[0]])
            found = [(*e, not e[1].once and e[3] is None and e[1].offer is None) for e in entries]
            if len(self._screen) >= 100_000:
                self._screen.clear()
            self._screen[key] = found
        return found

    def order(self, seed: int, node_id: str) -> dict[int, int]:
        """Choice index -> its place in the order drawn from the seed for this node."""
        key = (seed, node_id)
        rank = self._order.get(key)
        if rank is None:
            ids = self.sc.choice_ids[node_id]
            drawn = sorted(range(len(ids)), key=lambda i: rand(seed, "order", node_id, ids[i]))
            rank = {i: k for k, i in enumerate(drawn)}
            if len(self._order) >= 100_000:
                self._order.clear()
            self._order[key] = rank
        return rank

    def show_draw(self, seed: int, turn: int, cid: str) -> float:
        """rand(seed, "show", turn, cid), drawn once: a search asks it again and again."""
        key = (seed, turn, cid)
        x = self._shows.get(key)
        if x is None:
            if len(self._shows) >= 100_000:
                self._shows.clear()
            x = self._shows[key] = rand(seed, "show", turn, cid)
        return x

    def interest_line(self, iid: str, kind: str) -> Line:
        line = self.interest_lines.get((iid, kind))
        if line is None:
            line = self.interest_lines[iid, kind] = self.sc.interest_line(iid, kind)
        return line


def _plan(sc: LoadedScenario) -> _Plan:
    plan = sc.__dict__.get("_plan")
    if plan is None:
        plan = sc.__dict__["_plan"] = _Plan(sc)
    return plan


# What a counterpart says when it makes the counter it made last time, in a scenario
# that writes no `held:` lines of its own (format 2).
HELD = [
    Line(id="engine.held.1", text="I've told you where I am: {terms}."),
    Line(id="engine.held.2", text="Nothing's changed on my side. It's still {terms}."),
    Line(id="engine.held.3", text="Same answer, I'm afraid: {terms}."),
]


class Session:
    # A search's session: it plays exactly the same states, but keeps no turn log and
    # builds no words nobody reads (no alternative lines drawn, no terms written into
    # lines). Only the analysis sets it, on the sessions it explores; see `quiet`.
    _quiet = False

    def __init__(self, scenario: LoadedScenario, state: SessionState):
        self.scenario = scenario
        self.state = state
        self._p = _plan(scenario)  # what is prepared once per scenario
        self._pending: tuple[float, float] | None = None  # a deal's values, for the record
        # What _selection last found, for the state it read (see _current_selection).
        self._shown: tuple[SessionState, int, str, list[tuple]] | None = None
        self._last_line: Line | None = None  # the line _say chose last

    # -- starting and restoring ----------------------------------------------
    @classmethod
    def start(
        cls, scenario: LoadedScenario, seed: int = 0, variant: str | None = None, learner: str = ""
    ) -> Session:
        spec = scenario.spec
        variants = spec.counterpart.variants
        if variant is None:
            variant = pick_variant(scenario, seed)
        elif variant not in variants:
            raise ValueError(f"no variant {variant!r}; this scenario has: {', '.join(variants)}")
        values = {name: var.start for name, var in scenario.vars.items()}
        for name, value in variants[variant].state.items():
            values[name] = _clamp(scenario, name, value)
        st = SessionState(
            scenario_id=spec.id,
            seed=int(seed),
            variant=variant,
            node=spec.start,
            vars=values,
            learner=learner,
            trust_start=values["trust"],
        )
        self = cls(scenario, st)
        st.lines = self._enter(spec.start)
        st.last_emotional = any(ln.get("emotional") for ln in st.lines)
        return self

    def fork(self, include_log: bool = False) -> Session:
        """An independent copy (exploration, branching) that plays exactly as this one."""
        new = Session(self.scenario, self.state.copy(include_log=include_log))
        if self._quiet:
            new._quiet = True
        return new

    def quiet(self) -> Session:
        """This session, from now on playing as a search needs it: the same states and
        the learner's own words, but no turn log and the counterpart's lines without
        their words filled in (a search never reads them). Forks stay quiet."""
        self._quiet = True
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
    def replay(
        cls,
        scenario: LoadedScenario,
        seed: int,
        variant: str | None,
        inputs: list[dict[str, Any]],
        learner: str = "",
    ) -> Session:
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
        endings = self.scenario.spec.endings.values()
        if any(x.good for x in endings):
            good = e.good
        else:  # a format 1 file marks none: a deal or agreement counts, unless it caved
            good = e.kind in ("deal", "agreement") and not self.below_walkaway_deal()
        return EndingView(eid, e.kind, e.title, e.text, good)

    def below_walkaway_deal(self) -> bool:
        wa = self.scenario.spec.learner.walkaway
        return (
            wa is not None
            and self.state.deal is not None
            and self.scenario.value_you(tuple(self.state.deal)) < wa
        )

    @property
    def mood(self) -> str:
        return self.state.mood

    @property
    def inputs(self) -> list[dict[str, Any]]:
        return [rec["input"] for rec in self.state.log]

    @property
    def choices(self) -> list[ChoiceView]:
        """What the learner may say now, numbered as every front-end shows it.

        Format 2 shows them in an order drawn from the seed (stable while the
        learner stays at a node), never in the order written, and at most
        ``show`` available ones; a locked choice is shown without its words.
        """
        if self.ended:
            return []
        out = []
        views = self._p.views  # a view is immutable: the same one serves every screen
        for i, ch, cid, ok, reason in self._selection():
            text = ch.text if ok else HIDDEN_TEXT  # never the words of a locked choice
            if ok:
                text = self._fill(text)
            key = (cid, ok, reason, text)
            view = views.get(key)
            if view is None:
                view = ChoiceView(
                    i, cid, text, ch.move, mv.MOVES[ch.move].group, ok, reason, tuple(ch.topics)
                )
                if len(views) >= 50_000:
                    views.clear()
                views[key] = view
            out.append(view)
        return out

    def _selection(self) -> list[tuple[int, Any, str, bool, str]]:
        """(index, choice, id, available, why not) of what is on show, in screen order."""
        st = self.state
        plan = self._p
        node = self.scenario.spec.nodes[st.node]
        found = []
        for i, ch, cid, when, needs, plain in plan.on_screen(st.seed, st.node):
            if plain:
                found.append((i, ch, cid, True, ""))
                continue
            shown, ok, reason = self._availability(ch, cid, when, needs)
            if shown:
                found.append((i, ch, cid, ok, reason))
        if plan.v2 and node.show is not None:
            ready = [f for f in found if f[3]]
            if len(ready) > node.show:
                keep_ids = self._kept(ready, node.show)
                found = [f for f in found if not f[3] or f[2] in keep_ids]
        self._shown = (st, st.turn, st.node, found)
        return found

    def _any_available(self) -> bool:
        """Whether any choice on show is available: what ``_selection`` would list with
        one available, without ordering the screen (a node shows at least two)."""
        st = self.state
        for _i, ch, cid, when, needs, plain in self._p.on_screen(st.seed, st.node):
            if plain or self._availability(ch, cid, when, needs)[1]:
                return True
        return False

    def _current_selection(self) -> list[tuple] | None:
        """What _selection found, if the state has not changed since: every front-end
        shows the choices, then says one. The state changes only through this
        session's steps (as ink's story state does), and each step forgets it first."""
        shown, st = self._shown, self.state
        if shown is not None and shown[0] is st and shown[1] == st.turn and shown[2] == st.node:
            return shown[3]
        return None

    def _kept(self, ready: list[tuple], show: int) -> set[str]:
        """The ids of the available choices on show when more than ``show`` are
        available (``ready`` in screen order)."""
        keep = sorted(ready, key=self._keep_key)
        return {f[2] for f in keep[:show]}

    def _keep_key(self, f: tuple) -> tuple:
        st = self.state
        # A choice that keeps a promise now due is always on show: reliability
        # must never depend on the draw.
        return (
            not (f[1].keeps and f[1].keeps in st.promise_due),
            st.chosen.get(f[2], 0),
            self._p.show_draw(st.seed, st.turn, f[2]),
        )

    def _on_show(self, index: int, show: int) -> tuple | None:
        """The entry ``_selection`` would give one choice of a node that shows at most
        ``show`` available choices, or None if it is not on show; the same answer,
        without ordering what the learner did not pick."""
        st = self.state
        plan = self._p
        entries = plan.choices(st.node)
        i, ch, cid, when, needs = entries[index]
        shown, ok, reason = self._availability(ch, cid, when, needs)
        if not shown:
            return None
        entry = (i, ch, cid, ok, reason)
        if not ok:
            return entry  # a locked choice is always on show
        others = [
            f for f in entries if f[0] != index and self._availability(f[1], f[2], f[3], f[4])[1]
        ]
        if len(others) < show:
            return entry
        # Its place in _kept's stable sort of the screen order: the choices before it
        # have a smaller key, or an equal key and an earlier place on screen. (The keys
        # are those _kept drew for the list on screen, so they are drawn already.)
        rank = plan.order(st.seed, st.node)
        key = self._keep_key
        mine = (key(entry), rank[index])
        ahead = 0
        for f in others:
            if (key(f), rank[f[0]]) < mine:
                ahead += 1
                if ahead >= show:
                    return None
        return entry

    def availability(self, ch: Any, cid: str) -> tuple[bool, bool, str]:
        """(shown, available, why not) for one choice: the only place this is decided."""
        plan = self._p
        return self._availability(ch, cid, plan.cond(ch.when), plan.offer_needs(ch.offer))

    def _availability(
        self, ch: Any, cid: str, when: Any, needs: tuple[str, ...] | None
    ) -> tuple[bool, bool, str]:
        st = self.state
        if ch.once and st.chosen.get(cid):
            return False, False, "You have already said that."
        if when is not None and not when(st):
            if ch.hide_when_unavailable:
                return False, False, ch.unavailable or "Not available now."
            return True, False, ch.unavailable or f"Available when {describe(ch.when or '')}"
        if ch.offer is not None:
            if needs is None:
                allowed = self._offer_allowed(ch.offer)  # says why the terms are wrong
            else:
                revealed = st.revealed
                allowed = all(need in revealed for need in needs)
            if not allowed:
                return True, False, ch.unavailable or LOCKED
        return True, True, ""

    def _fill(self, text: str) -> str:
        """A summary says what was actually revealed ({heard})."""
        if "{heard}" not in text:
            return text
        sc, st = self.scenario, self.state
        heard = [
            sc.spec.interests[i].heard or sc.spec.interests[i].label.lower()
            for i in sorted(st.revealed, key=lambda k: (st.revealed[k], k))
        ]
        # Semicolons between the things heard: each may hold an "and" of its own.
        return text.replace("{heard}", "; ".join(heard) or "what you've told me")

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
            return self.say_own_words(
                item["typed"], item.get("move", ""), item.get("topics", []), rest or None
            )
        if "choice" in item:
            return self.choose(item["choice"])
        if "offer" in item:
            return self.offer(item["offer"])
        if item.get("accept") == "counter":
            return self.accept_counter()
        raise ValueError(f"unknown input {item!r}")

    def choose(self, which: int | str) -> Step:
        """Say a choice: its position in :attr:`choices` (from 0) or its id."""
        if self.ended:
            raise ChoiceUnavailable("The session has ended.")
        if isinstance(which, int):
            shown = self._current_selection() or self._selection()
            if not 0 <= which < len(shown):
                raise ChoiceUnavailable(f"There is no choice {which + 1} here.")
            _index, ch, cid, ok, reason = shown[which]
            if not ok:
                raise ChoiceUnavailable(reason)
            return self._play_choice(ch, cid)
        # As shown on the screen just now (choice ids are unique in a scenario).
        for f in self._current_selection() or ():
            if f[2] == which:
                _index, ch, cid, ok, reason = f
                if not ok:
                    raise ChoiceUnavailable(reason)
                return self._play_choice(ch, cid)
        st, sc = self.state, self.scenario
        node = sc.spec.nodes[st.node]
        plan = self._p
        index = plan.positions(st.node).get(which)
        if index is None:
            raise ChoiceUnavailable(f"There is no choice {which!r} here.")
        if node.show is not None and plan.v2:
            entry = self._on_show(index, node.show)
            if entry is None:
                # Only what is on show can be said, by id as by number.
                raise ChoiceUnavailable(f"{which!r} is not among the choices shown now.")
            _index, ch, cid, ok, reason = entry
        else:
            _index, ch, cid, when, needs = plan.choices(st.node)[index]
            _shown, ok, reason = self._availability(ch, cid, when, needs)
        if not ok:
            raise ChoiceUnavailable(reason)
        return self._play_choice(ch, cid)

    def _play_choice(self, ch: Any, cid: str) -> Step:
        """Say a choice already found on show and available (see :meth:`choose`)."""
        self._shown = None  # the state changes from here on
        st, sc = self.state, self.scenario
        before = dict(st.vars)
        move = mv.MOVES[ch.move]
        st.chosen[cid] = st.chosen.get(cid, 0) + 1
        said = self._fill(ch.text)
        rec = self._begin_record({"choice": cid}, said, move, ch.topics)
        landing = self._apply_move(move, ch.effects, ch)
        for flag in ch.set:
            st.flags.add(flag)
        for flag in ch.clear:
            st.flags.discard(flag)
        if ch.discloses:
            what: str = ch.discloses
            if what == "priority" and ch.topics:
                what = "priority:" + next((t for t in ch.topics if t in sc.issue_ids), ch.topics[0])
            if what not in st.disclosed:
                st.disclosed.append(what)
            rec["discloses"] = ch.discloses
        if ch.promise or ch.keeps or ch.breaks:
            self._promises(ch.promise, ch.keeps, ch.breaks, ch.due, landing.why)
        if ch.promise:
            rec["promise"] = ch.promise
        if ch.keeps:
            rec["keeps"] = ch.keeps
        if ch.breaks:
            rec["breaks"] = ch.breaks
        if ch.thought:
            rec["thought"] = ch.thought
        disclosure: list[dict[str, Any]] = []
        revealed, hinted = self._interests(move, ch.topics, disclosure, landing, ch)
        self._last_line = None
        reply = self._say(ch.reply, ("reply", cid))  # it may read revealed_now.X
        # Format 2: the reply to the learner's move comes first, then any disclosure.
        if sc.spec.format < 2:
            lines = disclosure + reply
        elif disclosure and getattr(self._last_line, "after", False):
            lines = disclosure + reply  # a reaction to what they just told you
        else:
            lines = reply + disclosure  # the answer first, then they open up
        offer_result = None
        nxt = ch.next
        if ch.offer is not None:
            terms = self._p.offer_terms.get(cid)
            if terms is None:  # worked out once per choice (the labels never change)
                terms = self._p.offer_terms[cid] = self._terms_from_labels(ch.offer)
            offer_result, nxt2 = self._judge_offer(terms, lines, landing.why)
            nxt = nxt2 or nxt
        entered = False
        if nxt is not None:
            entered = nxt in sc.spec.nodes and nxt not in st.visited
            lines.extend(self._goto(nxt))
        progressed = bool(
            revealed or hinted or entered or offer_result or ch.promise or ch.keeps or ch.set
        )
        self._stall(move, progressed, landing.why)
        return self._finish(rec, before, lines, revealed, hinted, offer_result, landing)

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
                    f"You don't know enough to propose {issue.label}: {issue.options[o]} yet."
                )
        return self._play_offer(idx)

    def _play_offer(self, idx: tuple[int, ...]) -> Step:
        """Put terms already checked on the table (see :meth:`offer`)."""
        st = self.state
        before = dict(st.vars)
        name = "counter_offer" if st.counter is not None else "offer"
        move = mv.MOVES[name]
        sc = self.scenario
        said = (
            "I propose " + sc.terms_words(idx) + "."
            if sc.spec.format >= 2
            else "I propose: " + sc.terms_text(idx)
        )
        rec = self._begin_record({"offer": sc.terms_dict(idx)}, said, move, [])
        landing = self._apply_move(move, {}, None)
        lines: list[dict[str, Any]] = []
        result, nxt = self._judge_offer(idx, lines, landing.why)
        if nxt is not None:
            lines.extend(self._goto(nxt))
        return self._finish(rec, before, lines, [], [], result, landing)

    def accept_counter(self) -> Step:
        if self.ended or self.state.counter is None:
            raise ChoiceUnavailable("There is no offer of theirs to accept.")
        st, sc = self.state, self.scenario
        assert sc.spec.negotiation is not None
        terms = tuple(st.counter)  # type: ignore[arg-type]
        before = dict(st.vars)
        move = mv.MOVES["proposal_to_close"]
        said = (
            "Agreed: " + sc.terms_words(terms) + "."
            if sc.spec.format >= 2
            else "Agreed: " + sc.terms_text(terms)
        )
        rec = self._begin_record({"accept": "counter"}, said, move, [])
        landing = self._apply_move(move, {}, None)
        lines: list[dict[str, Any]] = []
        you, them = sc.value_you(terms), sc.value_them(terms, st.revealed)
        st.deal = list(terms)
        st.counter = None
        rec["deal_you"], rec["deal_them"] = you, them
        lines.extend(self._say(sc.spec.negotiation.lines.accept, ("accept",)))
        result = OfferResult(sc.terms_dict(terms), you, them, True)
        lines.extend(self._goto(self._deal_route()))
        return self._finish(rec, before, lines, [], [], result, landing)

    def below_walkaway(self, terms: Mapping[str, str | int] | None = None) -> bool:
        """Whether a deal (the standing counter by default) is worth less to the learner
        than their walk-away: front-ends warn before the learner accepts it."""
        wa = self.scenario.spec.learner.walkaway
        if wa is None:
            return False
        if terms is None:
            if self.state.counter is None:
                return False
            idx = tuple(self.state.counter)
        else:
            idx = self._terms_from_labels(terms)
        return self.scenario.value_you(idx) < wa

    def _deal_route(self) -> str:
        neg = self.scenario.spec.negotiation
        assert neg is not None
        for route in neg.routes:
            if self.scenario.cond(route.when)(self.state):
                return route.goto
        return neg.on_accept

    def say_own_words(
        self,
        text: str,
        move: str,
        topics: list[str] | tuple[str, ...] = (),
        understood_as: dict[str, Any] | None = None,
    ) -> Step:
        """The learner said ``text`` in their own words.

        Understood as a choice or an offer (``understood_as``, an input as for
        ``apply``), that is played and the words are kept with it. Otherwise
        it is a move of its own: the move's context-aware effect and any
        interest its ``topics`` reach, no change of node; where nothing written
        answers it, the counterpart gives a short acknowledgement
        (:func:`moves.acknowledgement`).
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
        rec = self._begin_record({"typed": text, "move": move, "topics": topics}, text, m, topics)
        landing = self._apply_move(m, {}, None)
        lines: list[dict[str, Any]] = []
        revealed, hinted = self._interests(m, topics, lines, landing)
        if not lines:
            lines.append(mv.acknowledgement(m.group, st.mood, text.rstrip().endswith("?")))
        self._stall(m, bool(revealed or hinted), landing.why)
        return self._finish(rec, before, lines, revealed, hinted, None, landing)

    # -- the counterpart's reactions --------------------------------------------------
    def _begin_record(
        self, item: dict[str, Any], said: str, move: mv.Move, topics: list[str]
    ) -> TurnRecord:
        self._shown = None  # every step begins its record before it changes the state
        st = self.state
        st.move = move.name
        return {
            "turn": st.turn + 1,
            "input": item,
            "said": said,
            "move": move.name,
            "group": move.group,
            "stance": move.stance,
            "topics": list(topics),
            "node": st.node,
            "after_emotional": st.last_emotional,
            "trust_before": st.vars["trust"],
        }

    def _apply_move(
        self, move: mv.Move, override: dict[str, float], choice: Any | None
    ) -> fx.Landing:
        st, sc = self.state, self.scenario
        landing = fx.land(sc, st, move, choice, override)
        effects = landing.effects
        words = landing.words
        if words > 0:  # (cap_words lets anything else through as it is)
            words = fx.cap_words(sc, st, words, landing.why)
        trust = effects.get("trust", 0.0) + words
        # Reciprocity: the counterpart mirrors the recent run of stances, so
        # cooperative runs compound upward and competitive runs downward, each
        # at its own rate (a guarded person warms slowly and cools fast).
        st.stances.append(move.stance)
        warm, calm = fx.reciprocity(sc, st, move) if move.stance else (0.0, 0.0)
        if warm > 0:
            warm = fx.cap_words(sc, st, warm, landing.why, say=False)
        trust += warm
        effects["tension"] = effects.get("tension", 0.0) + calm
        effects["trust"] = trust
        now, bounds = st.vars, sc.vars
        for name, delta in effects.items():
            if delta and name in now:
                var = bounds.get(name)  # as _clamp does, without a call per variable
                value = now[name] + delta
                now[name] = value if var is None else min(var.max, max(var.min, value))
        if move.substance and st.substance_turn is None:
            st.substance_turn = st.turn + 1
        st.moves = (st.moves + [move.name])[-fx.SATIATION_WINDOW :]
        return landing

    def _stall(self, move: mv.Move, progressed: bool, why: list[str]) -> None:
        st = self.state
        if self.scenario.spec.format < 2 or "patience" not in st.vars:
            return
        if fx.is_stall(st, move, progressed):
            st.vars["patience"] = _clamp(
                self.scenario, "patience", st.vars["patience"] + fx.STALL_PATIENCE
            )
            why.append("nothing moved on: it costs patience")

    def _bump(self, name: str, delta: float) -> None:
        st = self.state
        if name in st.vars:
            st.vars[name] = _clamp(self.scenario, name, st.vars[name] + delta)

    def _promises(
        self,
        made: str | None,
        keeps: str | None,
        breaks: str | None,
        due: Any = None,
        why: list[str] | None = None,
    ) -> None:
        st = self.state
        why = why if why is not None else []
        if made and made not in st.promises:
            st.promises[made] = "made"
            st.promise_made[made] = st.turn + 1
        if keeps and st.promises.get(keeps) == "made":
            st.promises[keeps] = "kept"
            if self._due_of(keeps) is None:
                self._bump("trust", PROMISE_KEPT)
            elif keeps in st.promise_due:
                self._bump("trust", PROMISE_KEPT_DUE)
                why.append("kept a promise when it fell due: reliability")
            else:
                st.promises[keeps] = "early"  # done, but not yet reliability: kept.X stays false
                self._bump("trust", PROMISE_KEPT_EARLY)
                why.append("kept before it was due: not yet reliability")
        if breaks and st.promises.get(breaks) in ("made", "kept", "early"):
            st.promises[breaks] = "broken"
            self._bump("trust", PROMISE_BROKEN)

    def _due_of(self, pid: str) -> Any:
        """The due point of a promise (from whichever choice makes it)."""
        return self.scenario.promise_dues.get(pid)

    def _tick_promises(self, lines: list[dict[str, Any]], why: list[str]) -> None:
        """Promises fall due, and are broken when their grace runs out."""
        st = self.state
        if not st.promises:
            return
        now = st.turn
        for pid, status in list(st.promises.items()):
            if status != "made":
                continue
            due = self._due_of(pid)
            if due is None:
                continue
            if pid not in st.promise_due:
                made = st.promise_made.get(pid, 0)
                falls = (
                    due.node is not None and st.visited.get(due.node, 0) > 0 and st.node == due.node
                ) or (due.turns is not None and now - made >= due.turns)
                if falls:
                    st.promise_due[pid] = now
            elif now - st.promise_due[pid] > due.grace:
                st.promises[pid] = "broken"
                self._bump("trust", PROMISE_BROKEN)
                why.append(f"a promise ({pid}) fell due and was not kept")

    def _interests(
        self,
        move: mv.Move,
        topics: list[str],
        lines: list[dict[str, Any]],
        landing: fx.Landing | None = None,
        choice: Any | None = None,
    ) -> tuple[list[str], list[str]]:
        revealed: list[str] = []
        hinted: list[str] = []
        if not topics or (landing is not None and not landing.can_reveal):
            return revealed, hinted
        st = self.state
        precise = bool(choice is not None and getattr(choice, "precise", False))
        # One disclosure per turn, as people do: a reveal if trust allows one,
        # otherwise at most one hint.
        hint_candidate = None
        said = set(topics)
        for iid, interest, moves, about in self._p.interests:
            if iid in st.revealed:
                continue
            if move.name not in moves and not (precise and "open_question" in moves):
                continue
            if not said & about:
                continue
            if st.vars["trust"] >= interest.trust:
                st.revealed[iid] = st.turn + 1
                revealed.append(iid)
                lines.append(self._pool(self._p.interest_line(iid, "reveal"), "reveal", iid))
                return revealed, hinted
            if iid not in st.hinted and hint_candidate is None:
                hint_candidate = iid
        if hint_candidate is not None:
            st.hinted[hint_candidate] = st.turn + 1
            hinted.append(hint_candidate)
            lines.append(
                self._pool(self._p.interest_line(hint_candidate, "hint"), "hint", hint_candidate)
            )
        return revealed, hinted

    def _terms_from_labels(self, terms: Mapping[str, str | int]) -> tuple[int, ...]:
        sc = self.scenario
        out = []
        for iid in sc.issue_ids:
            if iid not in terms:
                raise ChoiceUnavailable(f"The offer says nothing about {iid}.")
            value = terms[iid]
            options = sc.spec.issues[iid].options
            if isinstance(value, int) and not isinstance(value, bool) and 0 <= value < len(options):
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
        """The least value the counterpart accepts now (its current target)."""
        return cp.target(self.scenario, self.state)

    def _judge_offer(
        self, terms: tuple[int, ...], lines: list[dict[str, Any]], why: list[str] | None = None
    ) -> tuple[OfferResult, str | None]:
        st, sc = self.state, self.scenario
        neg = sc.spec.negotiation
        assert neg is not None
        why = why if why is not None else []
        v2 = sc.spec.format >= 2
        withdrawn = cp.withdrawn_issues(sc, st, terms) if v2 else []
        if withdrawn:
            st.withdrawn += 1
            self._bump("trust", WITHDRAWN)
            why.append(fx.WITHDRAWN_WHY)
            issue = sc.spec.issues[withdrawn[0]].label.lower()
            lines.extend(
                self._say(neg.lines.withdrawn, ("withdrawn",), fill={"issue": issue})
                or [
                    {
                        "id": "engine.withdrawn",
                        "source": "say",
                        "text": f"Hang on. Last time you offered me more on {issue}.",
                    }
                ]
            )
        if v2:
            st.learner_offers = (st.learner_offers + [list(terms)])[-6:]
        ok, reason = cp.acceptable(sc, st, terms)
        st.offers += 1
        you, them = sc.value_you(terms), sc.value_them(terms, st.revealed)
        if ok:
            st.deal = list(terms)
            st.counter = None
            self._pending = (you, them)
            lines.extend(self._say(neg.lines.accept, ("accept",)))
            return OfferResult(sc.terms_dict(terms), you, them, True), self._deal_route()
        if reason == "need":
            for iid in cp.broken_needs(sc, terms):
                st.needs_refused[iid] = st.needs_refused.get(iid, 0) + 1
                kind = "refuse" if iid in st.revealed else "refuse_hint"
                interest = sc.spec.interests[iid]
                if getattr(interest, kind) is not None:
                    lines.append(self._pool(self._p.interest_line(iid, kind), kind, iid))
                elif kind == "refuse_hint":
                    lines.append(self._pool(self._p.interest_line(iid, "hint"), "hint", iid))
                else:
                    lines.append(
                        {
                            "id": f"engine.need.{iid}",
                            "source": "refuse",
                            "interest": iid,
                            "text": f"I can't. You know why: {interest.label.lower()}.",
                        }
                    )
                why.append(f"the offer breaks a need: {interest.label}")
                if iid in st.revealed:
                    # They told you; an offer that ignores it says you weren't listening.
                    self._bump("trust", IGNORED_NEED)
                    why.append("it ignored what they had told you they need")
                break
        elif reason == "walkaway":
            why.append("worth less to them than walking away")
            lines.extend(self._say(neg.lines.below_walkaway, ("below",)))
        if sc.value_them(terms, st.revealed) < cp.target(sc, st) - 20:
            self._bump("tension", 5)
        last = tuple(st.learner_offers[-1]) if st.learner_offers else terms
        counter = cp.build_counter(sc, st, last)
        if (
            v2
            and reason == "target"
            and counter is not None
            and cp.perceived(sc, terms, st.revealed, st.vars["trust"])
            >= cp.perceived(sc, counter, st.revealed, st.vars["trust"])
        ):
            # Acceptance "next" (GENIUS's AC_next): an offer at least as good for it as the
            # counter it would make is taken, rather than answered with itself.
            st.deal = list(terms)
            st.counter = None
            self._pending = (you, them)
            lines.extend(self._say(neg.lines.accept, ("accept",)))
            return OfferResult(sc.terms_dict(terms), you, them, True), self._deal_route()
        if counter is not None and st.offers < neg.max_offers:
            # The same counter again: it says it holds, not its first words once more.
            held = v2 and st.counter == list(counter)
            st.counter = list(counter)
            st.their_offers += 1
            said, pick = neg.lines.counter, "first"
            if held:
                said, pick = (neg.lines.held, "first") if neg.lines.held else (HELD, "weighted")
            if self._quiet:
                lines.extend(self._say(said, ("counter",), pick))
            else:
                words = sc.terms_words(counter) if v2 else sc.terms_text(counter)
                lines.extend(
                    self._say(
                        said,
                        ("counter",),
                        pick,
                        terms_text=words,
                        fill={"changes": cp.changes_sentence(sc, counter, terms)},
                    )
                )
            result = OfferResult(sc.terms_dict(terms), you, them, False, sc.terms_dict(counter))
        else:
            st.counter = None
            lines.extend(self._say(neg.lines.reject, ("reject",)))
            result = OfferResult(sc.terms_dict(terms), you, them, False)
        if st.offers >= neg.max_offers:
            return result, neg.on_exhausted
        return result, None

    def _their_offer(self, lines: list[dict[str, Any]], why: str) -> None:
        """The counterpart puts its own offer on the table."""
        st, sc = self.state, self.scenario
        neg = sc.spec.negotiation
        if neg is None or st.deal is not None:
            return
        offer = cp.opening_offer(sc, st)
        if offer is None:
            return
        st.counter = list(offer)
        st.their_offers += 1
        said = self._say(
            neg.lines.opening or neg.lines.counter,
            ("opening",),
            terms_text=sc.terms_words(offer),
            fill={"changes": sc.terms_words(offer)},
        )
        lines.extend(said)

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

    def _say(
        self,
        candidates: list[Line],
        purpose: tuple,
        pick: str = "first",
        terms_text: str = "",
        fill: dict[str, str] | None = None,
    ) -> list[dict[str, Any]]:
        """The line the counterpart says among candidates, by conditions on state."""
        if not candidates:
            return []
        st, cond = self.state, self.scenario.cond
        if pick != "weighted":
            # The first line whose condition holds: the rest need not be read.
            for ln in candidates:
                if ln.when is None or cond(ln.when)(st):
                    return [self._said(ln, purpose, terms_text, fill)]
            return []
        matches = [ln for ln in candidates if ln.when is None or cond(ln.when)(st)]
        if not matches:
            return []
        if len(matches) > 1:
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
        return [self._said(chosen, purpose, terms_text, fill)]

    def _said(
        self, chosen: Line, purpose: tuple, terms_text: str, fill: dict[str, str] | None
    ) -> dict[str, Any]:
        self._last_line = chosen  # (a choice's reply may be said after the disclosure)
        out = self._pool(chosen, "say", purpose=purpose)
        if self._quiet:
            return out
        if terms_text:
            out["text"] = out["text"].replace("{terms}", terms_text)
        if fill:
            for key, value in fill.items():
                out["text"] = out["text"].replace("{" + key + "}", value)
        return out

    def _pool(
        self, line: Any, source: str, interest: str | None = None, purpose: tuple = ()
    ) -> dict[str, Any]:
        """One line of a pool: the written one or an alternative, drawn from the seed."""
        out = _line_out(line, source, interest)
        alts = getattr(line, "alts", None)
        if alts and not self._quiet:
            st = self.state
            k = int(rand(st.seed, "alt", line.id, st.turn, *purpose) * (len(alts) + 1))
            if k:
                out["id"] = f"{line.id}.{k + 1}"
                out["text"] = alts[k - 1]
        return out

    def _enter(self, node_id: str) -> list[dict[str, Any]]:
        st = self.state
        st.node = node_id
        st.visited[node_id] = st.visited.get(node_id, 0) + 1
        node = self.scenario.spec.nodes[node_id]
        lines = self._say(node.say, ("node", node_id), node.pick)
        if node.end is not None:
            lines.extend(self._end(node.end))
            return lines
        sc = self.scenario
        if (
            sc.spec.format >= 2
            and st.counter is None
            and st.their_offers == 0
            and (
                node.counter_offer
                or (node.offers and sc.spec.counterpart.variants[st.variant].first_offer)
            )
        ):
            self._their_offer(lines, "first offer")
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

    def _finish(
        self,
        rec: TurnRecord,
        before: dict[str, float],
        lines: list[dict[str, Any]],
        revealed: list[str],
        hinted: list[str],
        offer: OfferResult | None,
        landing: fx.Landing | None = None,
    ) -> Step:
        st, spec = self.state, self.scenario.spec
        why = landing.why if landing is not None else []
        st.turn += 1
        v2 = spec.format >= 2
        if st.ending is None:
            if v2 and st.promises:
                self._tick_promises(lines, why)
            for eid, when in self._p.endings:
                if when(st):
                    lines.extend(self._end(eid))
                    break
            if st.ending is None and st.turn >= spec.max_turns:
                lines.extend(self._end(spec.on_max_turns))
            if st.ending is None and spec.events:
                node = st.node
                self._event(lines)
                if v2 and st.ending is None and st.promises and st.node != node:
                    # The event moved the talk, perhaps to a due node. (Ticking again
                    # where nothing moved changes nothing: what fell due just now
                    # waits at least its grace of 0 or more turns.)
                    self._tick_promises(lines, why)
        st.last_emotional = False
        for ln in lines:
            if ln.get("emotional"):
                st.last_emotional = True
                break
        st.lines = lines
        if self._quiet:
            # A search reads the state and the learner's words; the record is not kept.
            self._pending = None
            # why: the list itself (not copied), for a search to read
            return Step(
                st.turn,
                rec["said"],
                rec["move"],
                lines,
                {},
                revealed,
                hinted,
                offer,
                st.ending,
                why,
            )
        now = st.vars
        deltas: dict[str, float] = {}
        for k, v in now.items():
            was = before[k]
            if v != was:
                deltas[k] = round(v - was, 3)
        rec["trust_after"] = now["trust"]
        rec["vars"] = dict(now)
        rec["deltas"] = deltas
        rec["lines"] = lines
        rec["revealed"] = revealed
        rec["hinted"] = hinted
        rec["mood"] = st.mood
        rec["ending"] = st.ending
        rec["node_after"] = st.node
        if landing is not None:
            rec["reflection"] = landing.reflection
            rec["complex_reflection"] = landing.complex_reflection
            if landing.why:
                rec["why"] = list(landing.why)
        if self._pending:
            rec["deal_you"], rec["deal_them"] = self._pending
            self._pending = None
        if offer is not None:
            rec["offer"] = {
                "terms": offer.terms,
                "you": offer.you,
                "them": offer.them,
                "accepted": offer.accepted,
                "counter": offer.counter,
            }
        st.log.append(rec)
        return Step(
            st.turn,
            rec["said"],
            rec["move"],
            lines,
            deltas,
            revealed,
            hinted,
            offer,
            st.ending,
            list(why),
        )

    def _event(self, lines: list[dict[str, Any]]) -> None:
        """The counterpart's own turn: the first event whose condition holds."""
        st = self.state
        for ev, when in self._p.events:
            if ev.once and ev.id in st.fired:
                continue
            if when is not None and not when(st):
                continue
            st.fired[ev.id] = st.turn
            lines.append(self._pool(ev.line, "event", purpose=("event", ev.id)))
            if ev.offer:
                self._their_offer(lines, ev.id)
            if ev.goto is not None:
                lines.extend(self._goto(ev.goto))
            return

    # -- scoring --------------------------------------------------------------------
    def debrief(self, expert: Any = "auto") -> Debrief:
        """The debrief; its references come from this variant's expert path."""
        from negtrainer.engine.scoring import debrief

        if expert == "auto":
            expert = expert_for(self.scenario, self.state.variant)
        return debrief(self, expert=expert)


def expert_for(scenario: LoadedScenario, variant: str) -> Any:
    """The expert path for a variant, computed once per loaded scenario."""
    cache = scenario.__dict__.setdefault("_experts", {})
    if variant not in cache:
        from negtrainer.engine.analysis import expert_path

        cache[variant] = expert_path(scenario, variant)
    return cache[variant]


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
