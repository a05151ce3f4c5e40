"""A loaded scenario: the frozen model plus what the runner needs precomputed.

Conditions are compiled once here; lookups (lines by id, choice ids, value
tables) are built once. Nothing here changes during a session.
"""

from __future__ import annotations

import hashlib
import itertools
import json
from collections.abc import Callable, Mapping
from functools import cached_property
from typing import Any

from negtrainer.engine import expr
from negtrainer.engine.model import BUILTIN_VARS, Choice, Line, Scenario, Var
from negtrainer.engine.state import SCALAR_GETTERS

Cond = Callable[[Any], bool]

# Names a condition may read besides the scenario's own variables and flags.
SCALARS = (
    "turn",
    "offers",
    "mood",
    "variant",
    "last_move",
    "stance",
    "deal",
    "deal_you",
    "deal_them",
    "below_walkaway",
    "disclosed_walkaway",
    "first_offer",
    "their_offers",
)
NAMESPACES = (
    "revealed",
    "revealed_now",
    "hinted",
    "visited",
    "chosen",
    "promised",
    "kept",
    "broken",
    "due",
    "fired",
    "deal",
)
MOODS = ("angry", "guarded", "tense", "neutral", "open", "warm")


class LoadedScenario:
    """An immutable scenario ready to play. Build it with the loader."""

    def __init__(self, spec: Scenario, file: str = "", source: str = ""):
        self.spec = spec
        self.file = file
        self.source = source
        self.vars: dict[str, Var] = {**BUILTIN_VARS, **spec.state}
        if spec.format >= 2:
            # Format 2 counts patience for every counterpart: stalling spends it.
            self.vars.setdefault("patience", Var(start=10, min=0, max=10, label="Patience"))
        self.flags = frozenset(spec.flags)
        self._conds: dict[str, Cond] = {}
        self.choice_ids: dict[str, list[str]] = {
            nid: [c.id or f"{nid}.{i + 1}" for i, c in enumerate(node.choices)]
            for nid, node in spec.nodes.items()
        }
        self.choice_by_id: dict[str, tuple[str, int]] = {
            cid: (nid, i) for nid, ids in self.choice_ids.items() for i, cid in enumerate(ids)
        }
        self.issue_ids = list(spec.issues)

    # -- identity -----------------------------------------------------------
    @property
    def id(self) -> str:
        return self.spec.id

    @property
    def title(self) -> str:
        return self.spec.title

    @cached_property
    def canonical(self) -> dict:
        """The scenario as plain JSON data; what the store keeps and hashes."""
        return self.spec.model_dump(mode="json")

    @cached_property
    def content_hash(self) -> str:
        blob = json.dumps(self.canonical, sort_keys=True, separators=(",", ":"))
        return hashlib.sha256(blob.encode()).hexdigest()

    # -- names and conditions -------------------------------------------------
    def name_problem(self, name: str) -> str | None:
        """Why a name cannot be read in a condition, or None if it can."""
        if name in self.vars or name in self.flags or name in SCALARS:
            return None
        if "." in name:
            ns, _, member = name.partition(".")
            known = self._namespaces()
            if ns not in known:
                return (
                    f"unknown name {name!r}: no namespace {ns!r} (use one of "
                    f"{', '.join(NAMESPACES)})"
                )
            if member not in known[ns]:
                what = {
                    "revealed": "interest",
                    "revealed_now": "interest",
                    "hinted": "interest",
                    "visited": "node",
                    "chosen": "choice id",
                    "promised": "promise",
                    "kept": "promise",
                    "broken": "promise",
                    "due": "promise",
                    "fired": "event",
                    "deal": "issue",
                }[ns]
                return f"unknown name {name!r}: there is no {what} {member!r}"
            return None
        return f"unknown name {name!r}: declare it under 'state:' or 'flags:'"

    def _namespaces(self) -> dict[str, Any]:
        """What each ``namespace.`` in a condition can name."""
        spec = self.spec
        return {
            "revealed": spec.interests,
            "revealed_now": spec.interests,
            "hinted": spec.interests,
            "visited": spec.nodes,
            "chosen": self.choice_by_id,
            "promised": self.promise_ids,
            "kept": self.promise_ids,
            "broken": self.promise_ids,
            "due": self.promise_ids,
            "fired": {e.id for e in spec.events},
            "deal": spec.issues,
        }

    def readable_names(self, name: str) -> set[str]:
        """The names a condition could have meant by ``name``: the same namespace's
        members (or the namespaces) for a dotted name, else variables, flags and
        built-in names. Used for "did you mean"."""
        if "." not in name:
            return set(self.vars) | set(self.flags) | set(SCALARS)
        ns, _, member = name.partition(".")
        known = self._namespaces()
        if ns not in known:
            return {f"{n}.{member}" for n in known}
        return {f"{ns}.{m}" for m in known[ns]}

    def text_values(self, name: str) -> list[str] | None:
        """The values a text name can take, so `name == "value"` can be checked."""
        if name == "variant":
            return list(self.spec.counterpart.variants)
        if name == "mood":
            return list(MOODS)
        if name == "last_move":
            from negtrainer.engine.moves import MOVES

            return list(MOVES)
        if name.startswith("deal."):
            issue = self.spec.issues.get(name[5:])
            return None if issue is None else ["", *issue.options]
        return None

    @cached_property
    def promise_dues(self) -> dict[str, Any]:
        """promise id -> its due point, for promises made with one."""
        return {
            c.promise: c.due
            for n in self.spec.nodes.values()
            for c in n.choices
            if c.promise and c.due is not None
        }

    @cached_property
    def promise_ids(self) -> set[str]:
        return {c.promise for n in self.spec.nodes.values() for c in n.choices if c.promise}

    def resolver(self, name: str) -> Callable[[Any], Any]:
        if name in self.vars:
            return expr.var_getter(name)
        if name in self.flags:
            return lambda st: name in st.flags
        if name == "deal_you":
            return lambda st: self.value_you(tuple(st.deal)) if st.deal is not None else 0
        if name == "deal_them":
            return lambda st: (
                self.value_them(tuple(st.deal), st.revealed) if st.deal is not None else 0
            )
        if name == "first_offer":
            variants = self.spec.counterpart.variants
            return lambda st: variants[st.variant].first_offer
        if name == "their_offers":
            return lambda st: st.their_offers
        if name == "below_walkaway":
            wa = self.spec.learner.walkaway
            return lambda st: (
                wa is not None and st.deal is not None and self.value_you(tuple(st.deal)) < wa
            )
        if name in SCALARS:
            return SCALAR_GETTERS[name] if name in SCALAR_GETTERS else (lambda st: st.scalar(name))
        ns, _, member = name.partition(".")
        if ns in ("revealed", "hinted"):
            return lambda st: member in getattr(st, ns)
        if ns == "revealed_now":
            # Revealed by the turn being played (its replies and next lines read this).
            return lambda st: st.revealed.get(member) == st.turn + 1
        if ns == "visited":
            return lambda st: st.visited.get(member, 0)
        if ns == "chosen":
            return lambda st: st.chosen.get(member, 0)
        if ns == "due":
            return lambda st: member in st.promise_due and st.promises.get(member) == "made"
        if ns == "fired":
            return lambda st: member in st.fired
        if ns == "deal":
            k = self.issue_ids.index(member)
            options = self.spec.issues[member].options
            return lambda st: options[st.deal[k]] if st.deal is not None else ""
        if ns in ("promised", "kept", "broken"):
            want = {"promised": None, "kept": "kept", "broken": "broken"}[ns]
            if want is None:
                return lambda st: member in st.promises
            return lambda st: st.promises.get(member) == want
        raise expr.ExprError(self.name_problem(name) or f"unknown name {name!r}")

    def cond(self, text: str | None) -> Cond:
        if text is None:
            return _always
        fn = self._conds.get(text)
        if fn is None:
            fn = expr.compile_expr(expr.parse(text), self.resolver)
            self._conds[text] = fn
        return fn

    # -- lines ----------------------------------------------------------------
    @cached_property
    def lines(self) -> dict[str, str]:
        """Every counterpart line by its stable id."""
        out: dict[str, str] = {}
        for line, _where in self.iter_lines():
            out[line.id] = line.text
        return out

    def iter_lines(self) -> list[tuple[Any, tuple]]:
        """(line, location) for every counterpart line, with derived ids filled in."""
        spec = self.spec
        found: list[tuple[Any, tuple]] = []
        for nid, node in spec.nodes.items():
            for i, ln in enumerate(node.say):
                found.append((ln, ("nodes", nid, "say", i)))
            for ci, ch in enumerate(node.choices):
                for ri, ln in enumerate(ch.reply):
                    found.append((ln, ("nodes", nid, "choices", ci, "reply", ri)))
        for iid in spec.interests:
            found.append((self.interest_line(iid, "hint"), ("interests", iid, "hint")))
            found.append((self.interest_line(iid, "reveal"), ("interests", iid, "reveal")))
        if spec.negotiation:
            for kind in ("accept", "reject", "counter"):
                for i, ln in enumerate(getattr(spec.negotiation.lines, kind)):
                    found.append((ln, ("negotiation", "lines", kind, i)))
            for kind in ("opening", "withdrawn", "below_walkaway", "held"):
                for i, ln in enumerate(getattr(spec.negotiation.lines, kind)):
                    found.append((ln, ("negotiation", "lines", kind, i)))
        for iid, interest in spec.interests.items():
            for kind in ("refuse", "refuse_hint"):
                if getattr(interest, kind) is not None:
                    found.append((self.interest_line(iid, kind), ("interests", iid, kind)))
        for i, ev in enumerate(spec.events):
            found.append((ev.line, ("events", i, "line")))
        for eid, end in spec.endings.items():
            if end.line:
                found.append((end.line, ("endings", eid, "line")))
        return found

    def interest_line(self, iid: str, kind: str) -> Line:
        plain = getattr(self.spec.interests[iid], kind)
        return Line(
            id=plain.id or f"interest.{iid}.{kind}",
            text=plain.text,
            emotional=plain.emotional,
            alts=plain.alts,
        )

    def choice(self, node_id: str, index: int) -> Choice:
        return self.spec.nodes[node_id].choices[index]

    # -- issues and values ------------------------------------------------------
    @cached_property
    def all_terms(self) -> list[tuple[int, ...]]:
        """Every combination of options, one index per issue, in issue order."""
        sizes = [len(self.spec.issues[i].options) for i in self.issue_ids]
        return list(itertools.product(*(range(n) for n in sizes)))

    def value_you(self, terms: tuple[int, ...]) -> float:
        base = self.__dict__.get("term_base")
        if base is not None and type(terms) is tuple:
            k = base[3].get(terms)
            if k is not None:
                return base[0][k]  # the same sum, made once per deal
        return sum(self.spec.issues[i].you[o] for i, o in zip(self.issue_ids, terms))

    def value_them_issue(self, iid: str, revealed: Any = ()) -> list[float]:
        issue = self.spec.issues[iid]
        for interest, alt in issue.them_if_revealed.items():
            if interest in revealed:
                return alt
        return issue.them

    def value_them(self, terms: tuple[int, ...], revealed: Any = ()) -> float:
        if type(terms) is tuple:
            known = self.table(revealed)
            k = known.index.get(terms)
            if k is not None:
                return known.them[k]  # the same sum, made once per deal and table
        total = 0.0
        for iid, o in zip(self.issue_ids, terms):
            issue = self.spec.issues[iid]
            table = issue.them
            for interest, alt in issue.them_if_revealed.items():
                if interest in revealed:
                    table = alt
                    break
            total += table[o]
        return total

    @cached_property
    def _value_interests(self) -> frozenset[str]:
        """Interests that change a value or unlock an option."""
        out: set[str] = set()
        for issue in self.spec.issues.values():
            out.update(issue.them_if_revealed)
            out.update(issue.requires.values())
        return frozenset(out)

    @cached_property
    def term_base(self) -> tuple[list[float], list[bool], list[float], dict[tuple, int]]:
        """(your value, meets their needs, their risk, index) of every deal: the parts of
        a :class:`TermTable` that no revealed interest changes (never changed after)."""
        from negtrainer.engine.counterpart import broken_needs

        terms = self.all_terms
        you = [self.value_you(t) for t in terms]
        has_needs = any(i.needs for i in self.spec.interests.values())
        meets = [not (has_needs and broken_needs(self, t)) for t in terms]
        risky = [
            (k, self.spec.issues[iid])
            for k, iid in enumerate(self.issue_ids)
            if self.spec.issues[iid].risk
        ]
        risk = (
            [sum(issue.risk.get(issue.options[t[k]], 0.0) for k, issue in risky) for t in terms]
            if risky
            else [0.0] * len(terms)
        )
        return you, meets, risk, {t: i for i, t in enumerate(terms)}

    def table(self, revealed: Any) -> TermTable:
        """Every deal with both sides' values, for what has been revealed (cached)."""
        # Looked up first by everything revealed (a frozenset of a dict is made in C),
        # then by the interests that matter to values; both bounded by the subsets of
        # interests a session can reveal.
        quick = self._tables_seen
        whole = revealed if type(revealed) is frozenset else frozenset(revealed)
        found = quick.get(whole)
        if found is None:
            key = frozenset(i for i in whole if i in self._value_interests)
            cache = self.__dict__.setdefault("_tables", {})
            found = cache.get(key)
            if found is None:
                found = cache[key] = TermTable(self, key)
            if len(quick) < 4096:
                quick[whole] = found
        return found

    @cached_property
    def _tables_seen(self) -> dict[frozenset[str], TermTable]:
        return {}

    @cached_property
    def best_joint(self) -> tuple[float, tuple[int, ...]] | None:
        """The best joint value any deal could reach, knowing every interest."""
        if not self.issue_ids:
            return None
        everything = set(self.spec.interests)
        return max(
            ((self.value_you(t) + self.value_them(t, everything), t) for t in self.all_terms),
            key=lambda x: (x[0], x[1]),
        )

    def pareto(self, revealed: Any = None) -> list[tuple[float, float, tuple[int, ...]]]:
        """Deals no other deal beats for both sides: (you, them, terms)."""
        rev = set(self.spec.interests) if revealed is None else revealed
        pts = sorted(
            ((self.value_you(t), self.value_them(t, rev), t) for t in self.all_terms),
            key=lambda p: (-p[0], -p[1]),
        )
        out: list[tuple[float, float, tuple[int, ...]]] = []
        best_them = float("-inf")
        for you, them, t in pts:
            if them > best_them:
                out.append((you, them, t))
                best_them = them
        return out

    # What a deal is called depends on the deal alone: worked out once per deal (the
    # search names the same few deals thousands of times). Bounded by the deals there are.
    @cached_property
    def _names(self) -> dict[tuple[int, ...], tuple[str, str, dict[str, str]]]:
        return {}

    def _named(self, terms: Any) -> tuple[str, str, dict[str, str]]:
        if type(terms) is not tuple:
            terms = tuple(terms)
        found = self._names.get(terms)
        if found is None:
            from negtrainer.engine.counterpart import terms_sentence

            issues = [(i, self.spec.issues[i]) for i in self.issue_ids]
            found = (
                terms_sentence(self, terms),
                ", ".join(
                    f"{issue.label}: {issue.options[o]}" for (_i, issue), o in zip(issues, terms)
                ),
                {i: issue.options[o] for (i, issue), o in zip(issues, terms)},
            )
            if len(self._names) < len(self.all_terms):
                self._names[terms] = found
        return found

    def terms_words(self, terms: tuple[int, ...]) -> str:
        """The terms as a sentence, from each issue's phrase."""
        return self._named(terms)[0]

    def terms_text(self, terms: tuple[int, ...]) -> str:
        return self._named(terms)[1]

    def labelled(self, terms: Mapping[str, Any]) -> str:
        """Terms given by issue id (a counter-offer, terms read from typed words) as the
        learner reads them: "Unit price: €0.38, Contract length: 2 years"."""
        issues = self.spec.issues
        return ", ".join(f"{issues[k].label if k in issues else k}: {v}" for k, v in terms.items())

    def terms_dict(self, terms: tuple[int, ...]) -> dict[str, str]:
        return dict(self._named(terms)[2])  # a new dict: callers keep it in records


def _total(cols: list[list[float]], terms: tuple[int, ...]) -> float:
    total = 0.0  # summed as value_them sums, issue by issue
    for col, o in zip(cols, terms):
        total += col[o]
    return total


def _always(_st: Any) -> bool:
    return True


class TermTable:
    """All deals, valued once for one set of revealed interests."""

    def __init__(self, sc: LoadedScenario, revealed: frozenset[str]):
        self.terms = sc.all_terms
        # What does not depend on what was revealed is shared by every table.
        self.you, self.meets_needs, self.risk, self.index = sc.term_base
        cols = [sc.value_them_issue(iid, revealed) for iid in sc.issue_ids]
        self.them = [_total(cols, t) for t in self.terms]  # = sc.value_them(t, revealed)
        locked = [
            [issue.requires.get(opt) not in (None, *revealed) for opt in issue.options]
            for issue in (sc.spec.issues[i] for i in sc.issue_ids)
        ]
        self.allowed = [not any(locked[k][o] for k, o in enumerate(t)) for t in self.terms]
        self.aspiration: float | None = None  # filled by the counterpart model once
        idx = [i for i in range(len(self.terms)) if self.allowed[i]]
        # Allowed deals, best for them first: a counter-offer scans from the top.
        self.by_them = sorted(idx, key=lambda i: (-self.them[i], self.terms[i]))
        self.counters: dict[tuple, tuple[int, ...] | None] = {}

    @cached_property
    def pareto(self) -> list[int]:
        idx = sorted(
            (i for i in range(len(self.terms)) if self.allowed[i]),
            key=lambda i: (-self.you[i], -self.them[i]),
        )
        out, best = [], float("-inf")
        for i in idx:
            if self.them[i] > best:
                out.append(i)
                best = self.them[i]
        return out
