"""Loading scenario files: bytes -> YAML data -> model -> checked, compiled scenario.

Every problem becomes a :class:`Diagnostic` with file, line, code and a fix.
The file is data only: nothing in it is executed or evaluated.
"""

from __future__ import annotations

import re
from collections.abc import Callable, Iterator
from pathlib import Path
from typing import Any

from pydantic import ValidationError

from negtrainer.engine import expr
from negtrainer.engine.bounds import NUMBER_FIX, check_bounds, check_numbers
from negtrainer.engine.diagnostics import Diagnostic, ScenarioError, Severity, diag
from negtrainer.engine.fileread import NotAFile, TooBig, read_regular
from negtrainer.engine.look import look_problems
from negtrainer.engine.model import Scenario
from negtrainer.engine.scenario import LoadedScenario
from negtrainer.engine.yamlread import (
    MAX_BYTES,
    LineDict,
    decode,
    line_of,
    name_characters,
    read_yaml,
)


def load_scenario(path: str | Path) -> LoadedScenario:
    """Load and check one scenario file; raise ScenarioError with diagnostics."""
    scenario, diags = try_load(path)
    if scenario is None:
        raise ScenarioError(diags)
    return scenario


def try_load(path: str | Path) -> tuple[LoadedScenario | None, list[Diagnostic]]:
    return _without_data(try_load_data(path))


def _without_data(
    found: tuple[LoadedScenario | None, list[Diagnostic], Any],
) -> tuple[LoadedScenario | None, list[Diagnostic]]:
    return found[0], found[1]


def try_load_data(path: str | Path) -> tuple[LoadedScenario | None, list[Diagnostic], Any]:
    """:func:`try_load`, and the file's data as read (with its lines), or None."""
    text, diags = read_text(path)
    if text is None:
        return None, diags, None
    return _load_text(text, str(path))


def read_text(path: str | Path) -> tuple[str | None, list[Diagnostic]]:
    """A scenario file's text as every command reads one: a regular file (never a device
    or a pipe), at most MAX_BYTES, in UTF-8; or None and what is wrong."""
    file = str(path)
    try:
        raw = read_regular(path, MAX_BYTES)
    except NotAFile:
        return None, [
            diag(
                "NT001",
                "cannot read the file: it is not a regular file (a device, a pipe or a folder)",
                file,
            )
        ]
    except TooBig:
        return None, [
            diag("NT002", f"file is larger than the limit of {MAX_BYTES // 1024} KiB", file)
        ]
    except OSError as e:
        return None, [diag("NT001", f"cannot read the file: {e.strerror or e}", file)]
    return decode(raw, file)


def load_bytes(
    raw: bytes, file: str = "<scenario>"
) -> tuple[LoadedScenario | None, list[Diagnostic]]:
    return _without_data(_load_bytes(raw, file))


def _load_bytes(raw: bytes, file: str) -> tuple[LoadedScenario | None, list[Diagnostic], Any]:
    text, diags = decode(raw, file)
    if text is None:
        return None, diags, None
    return _load_text(text, file)


def load_text(
    text: str, file: str = "<scenario>"
) -> tuple[LoadedScenario | None, list[Diagnostic]]:
    return _without_data(_load_text(text, file))


def _load_text(text: str, file: str) -> tuple[LoadedScenario | None, list[Diagnostic], Any]:
    data, diags = read_yaml(text, file)
    if diags:
        return None, diags, None
    if not isinstance(data, LineDict):
        return (
            None,
            [
                diag(
                    "NT008",
                    "the file does not hold a mapping of keys",
                    file,
                    getattr(data, "line", 1),
                )
            ],
            None,
        )
    return (*load_data(data, file, text), data)


def load_data(
    data: Any, file: str = "<scenario>", source: str = ""
) -> tuple[LoadedScenario | None, list[Diagnostic]]:
    over = check_bounds(data)
    if over:
        return None, [diag("NT009", msg, file, line_of(data, loc)) for loc, msg in over]
    numbers = check_numbers(data)
    if numbers:
        return None, [
            diag("NT102", msg, file, line_of(data, loc), fix=NUMBER_FIX) for loc, msg in numbers
        ]
    hidden = check_characters(data)
    if hidden:
        return None, [diag("NT010", msg, file, line_of(data, loc)) for loc, msg in hidden[:20]]
    try:
        spec = Scenario.model_validate(data)
    except ValidationError as e:
        return None, _pydantic_diags(e, data, file)
    scenario = LoadedScenario(spec, file, source)
    diags = check_references(scenario, data)
    if any(d.severity == "error" for d in diags):
        return None, diags
    return scenario, diags


# Control characters (other than newline and tab) and text-direction overrides: shown,
# they draw boxes or turn a line around; printed, they drive the terminal.
_HIDDEN = re.compile("[\x00-\x08\x0b-\x1f\x7f-\x9f\u200e\u200f\u202a-\u202e\u2066-\u2069]")


def check_characters(data: Any) -> list[tuple[tuple, str]]:
    """(location, message) for every text that holds an invisible control character."""
    out: list[tuple[tuple, str]] = []
    stack: list[tuple[tuple, Any]] = [((), data)]
    while stack and len(out) < 20:
        loc, value = stack.pop()
        if isinstance(value, str):
            found = _HIDDEN.findall(value)
            if found:
                what = (
                    "the invisible character"
                    if len(found) == 1
                    else f"{len(found)} invisible characters,"
                )
                out.append(
                    (
                        loc,
                        (
                            f"text contains {what} {name_characters(found)} "
                            f"at {'.'.join(map(str, loc)) or 'the top'}"
                        ),
                    )
                )
        elif isinstance(value, dict):
            for k, v in value.items():
                stack.append((loc + (k,), v))
                if isinstance(k, str) and _HIDDEN.search(k):
                    out.append((loc, "a key contains an invisible control character"))
        elif isinstance(value, list):
            stack.extend((loc + (n,), v) for n, v in enumerate(value))
    return out


def _pydantic_diags(err: ValidationError, data: Any, file: str) -> list[Diagnostic]:
    out = []
    for e in err.errors(include_url=False)[:50]:
        loc = tuple(e["loc"])
        # pydantic names the union/literal branch in loc; drop non-data parts.
        data_loc = tuple(
            p
            for p in loc
            if isinstance(p, int)
            or not str(p).startswith(("literal[", "function-", "constrained-"))
        )
        where = ".".join(_short(p) for p in data_loc) or "(top)"
        line = line_of(data, data_loc)
        kind = e["type"]
        if kind == "extra_forbidden":
            parent = ".".join(_short(p) for p in data_loc[:-1]) or "the top level"
            code, msg = "NT101", f"unknown key {_short(data_loc[-1])!r} in {parent}"
            near = _near_key(str(data_loc[-1])[:100], data, data_loc)
            if near:
                msg += f" (did you mean {near!r}?)"
        elif kind == "missing":
            code, msg = "NT103", f"missing key {data_loc[-1]!r} at {where}"
        else:
            got = e.get("input")
            shown = repr(got) if isinstance(got, (str, int, float, bool)) else type(got).__name__
            if len(shown) > 60:
                shown = shown[:57] + ("...'" if isinstance(got, str) else "...")
            code, msg = "NT102", f"{where}: {e['msg']} (got {shown})"
            if isinstance(got, bool) and kind == "string_type":
                msg += "; YAML reads yes/no/true/false as true or false: put the text in quotes"
        out.append(diag(code, msg, file, line))
    return out


def _short(part: Any, limit: int = 40) -> str:
    """A key as shown in a message: a huge one is cut, never echoed whole."""
    text = str(part)
    return text if len(text) <= limit else text[: limit - 1] + "…"


def _near_key(key: Any, data: Any, loc: tuple) -> str | None:
    """A close spelling among the keys that make sense where this key stands."""
    import difflib

    from negtrainer.engine import model

    parent = data
    for part in loc[:-1]:
        try:
            parent = parent[part]
        except (KeyError, IndexError, TypeError):
            parent = None
            break
    siblings = set(parent) - {key} if isinstance(parent, dict) else set()
    fields: set[str] = set()
    for cls in (
        model.Scenario,
        model.Node,
        model.Choice,
        model.Line,
        model.Counterpart,
        model.Interest,
        model.Issue,
        model.Negotiation,
        model.Variant,
        model.Ending,
        model.LearnerRole,
        model.Var,
        model.VoiceHints,
        model.PlainLine,
        model.NegotiationLines,
    ):
        names = set(cls.model_fields)
        # The model this mapping is: the one that knows all its other keys.
        if siblings and siblings <= names or not siblings:
            fields.update(names)
    hits = difflib.get_close_matches(str(key), sorted(fields), n=1, cutoff=0.75)
    return hits[0] if hits else None


class Findings:
    """Collects a scenario's diagnostics; each ``check_*`` rule reports through it."""

    def __init__(self, sc: LoadedScenario, data: Any) -> None:
        self.sc, self.data = sc, data
        self.out: list[Diagnostic] = []

    def __call__(
        self,
        code: str,
        msg: str,
        loc: tuple,
        severity: Severity = "error",
        col: int | None = None,
        fix: str = "",
    ) -> None:
        self.out.append(
            diag(code, msg, self.sc.file, self.line(loc), severity=severity, column=col, fix=fix)
        )

    def line(self, loc: tuple) -> int | None:
        return line_of(self.data, loc)


Cond = Callable[[str | None, tuple], None]


def check_references(sc: LoadedScenario, data: Any) -> list[Diagnostic]:
    """Checks the model cannot express: references, conditions, value tables."""
    err = Findings(sc, data)
    targets = set(sc.spec.nodes) | set(sc.spec.endings)

    def cond(text: str | None, loc: tuple) -> None:
        _check_condition(sc, text, loc, err)

    for check in CHECKS:
        check(sc, err, cond, targets)
    return err.out


def _check_condition(sc: LoadedScenario, text: str | None, loc: tuple, err: Findings) -> None:
    if text is None:
        return
    try:
        tree = expr.parse(text)
    except expr.ExprError as e:
        err("NT203", f"condition {text!r}: {e}", loc)
        return
    for name, value, _col in expr.text_comparisons(tree):
        values = sc.text_values(name)
        if values is not None and value not in values:
            near = _close(value, set(values))
            hint = (
                f"; did you mean {near!r}?"
                if near
                else f"; it can be one of: {', '.join(repr(v) for v in values[:12])}"
            )
            err("NT308", f"condition {text!r}: {name} is never {value!r}{hint}", loc)
    ok = True
    for name, _col in expr.names(tree):
        problem = sc.name_problem(name)
        if problem:
            ok = False
            fix = ""
            if name.startswith("chosen."):
                fix = "Give the choice an explicit id: and use chosen.THAT_ID."
            elif "." in name:
                fix = (
                    "Check the id after the dot: it must be an interest, node, choice or "
                    "promise id of this scenario."
                )
            elif "-" in text:
                fix = "In a condition '-' means minus: use '_' in variable and flag names."
            near = _near_name(sc, name)
            if near:
                problem += f" (did you mean {near!r}?)"
            err("NT202", f"condition {text!r}: {problem}", loc, fix=fix)
    if ok and text not in sc._conds:
        # Compiled now, from the tree just read, so no step of play parses a condition.
        sc._conds[text] = expr.compile_expr(tree, sc.resolver)


def _check_effects(sc: LoadedScenario, effects: dict, loc: tuple, err: Findings) -> None:
    for var in effects:
        if var not in sc.vars:
            err(
                "NT202",
                f"effect on unknown variable {var!r}",
                loc + (var,),
                fix="Declare it under 'state:' (flags cannot take effects), or fix the name.",
            )


# -- one flat check per rule, in the order their diagnostics are listed ----------------
def check_start(sc: LoadedScenario, err: Findings, _cond: Cond, _targets: set[str]) -> None:
    spec = sc.spec
    for clash in sorted(set(spec.nodes) & set(spec.endings)):
        err("NT210", f"{clash!r} is both a node and an ending", ("endings", clash))
    if spec.start not in spec.nodes:
        err("NT201", f"start node {spec.start!r} does not exist", ("start",))
    if spec.on_max_turns not in spec.endings:
        err("NT201", f"on_max_turns {spec.on_max_turns!r} is not an ending", ("on_max_turns",))


def check_state(sc: LoadedScenario, err: Findings, _cond: Cond, _targets: set[str]) -> None:
    for name, decl in sc.spec.state.items():
        if decl.min >= decl.max or not decl.min <= decl.start <= decl.max:
            err("NT102", f"state {name!r}: need min < max and start between them", ("state", name))


def check_move_effects(sc: LoadedScenario, err: Findings, _cond: Cond, _targets: set[str]) -> None:
    for move, effects in sc.spec.move_effects.items():
        _check_effects(sc, effects, ("move_effects", move), err)


def check_lines(sc: LoadedScenario, err: Findings, cond: Cond, _targets: set[str]) -> None:
    """Line ids are unique; line conditions are valid."""
    seen: dict[str, tuple] = {}
    for line, loc in sc.iter_lines():
        if line.id in seen:
            err(
                "NT204",
                f"line id {line.id!r} is used twice (first at line {err.line(seen[line.id])})",
                loc,
            )
        else:
            seen[line.id] = loc
        cond(getattr(line, "when", None), loc + ("when",))


def check_nodes(sc: LoadedScenario, err: Findings, _cond: Cond, _targets: set[str]) -> None:
    spec = sc.spec
    for nid, node in spec.nodes.items():
        base = ("nodes", nid)
        if node.end is not None and node.end not in spec.endings:
            err(
                "NT201",
                f"node {nid!r} ends in {node.end!r}, which is not an ending",
                base + ("end",),
            )
        if not node.say and not node.choices and node.end is None:
            err("NT215", f"node {nid!r} has nothing to say and no choices", base)
        if node.say and not node.choices and node.end is None and not node.offers:
            err(
                "NT302",
                f"node {nid!r} has no choices, no offers and no 'end:': the learner "
                "would be stuck there",
                base,
            )
        if node.say and all(ln.when for ln in node.say):
            err(
                "NT306",
                f"node {nid!r}: every line has a condition; when none holds the "
                "counterpart says nothing",
                base + ("say",),
                severity="warning",
            )
        if node.offers and spec.negotiation is None:
            err(
                "NT213",
                f"node {nid!r} allows offers but there is no 'negotiation:'",
                base + ("offers",),
            )


def _choices(sc: LoadedScenario) -> Iterator[tuple[str, Any, Any, tuple]]:
    """Every choice: its id, its node, the choice, and where it is in the file."""
    for nid, node in sc.spec.nodes.items():
        for ci, ch in enumerate(node.choices):
            yield sc.choice_ids[nid][ci], node, ch, ("nodes", nid, "choices", ci)


def check_choice_ids(sc: LoadedScenario, err: Findings, _cond: Cond, _targets: set[str]) -> None:
    seen: set[str] = set()
    for cid, _node, _ch, loc in _choices(sc):
        if cid in seen:
            err("NT205", f"choice id {cid!r} is used twice", loc)
        seen.add(cid)


def check_choice_next(sc: LoadedScenario, err: Findings, _cond: Cond, targets: set[str]) -> None:
    for cid, _node, ch, loc in _choices(sc):
        if ch.next is not None and ch.next not in targets:
            hint = _close(ch.next, targets)
            err(
                "NT201",
                f"choice {cid!r} goes to {ch.next!r}, which is neither a node nor "
                f"an ending" + (f" (did you mean {hint!r}?)" if hint else ""),
                loc + ("next",),
            )


def check_choice_state(sc: LoadedScenario, err: Findings, cond: Cond, _targets: set[str]) -> None:
    """Conditions, effects and flags of choices name what the scenario declares."""
    for _cid, _node, ch, loc in _choices(sc):
        cond(ch.when, loc + ("when",))
        _check_effects(sc, ch.effects, loc + ("effects",), err)
        for flag in (*ch.set, *ch.clear):
            if flag not in sc.flags:
                err("NT202", f"flag {flag!r} is not declared under 'flags:'", loc)


def check_choice_promises(
    sc: LoadedScenario, err: Findings, _cond: Cond, _targets: set[str]
) -> None:
    made = sc.promise_ids
    for cid, _node, ch, loc in _choices(sc):
        for kind in ("keeps", "breaks"):
            pid = getattr(ch, kind)
            if pid and pid not in made:
                err(
                    "NT212",
                    f"choice {cid!r} {kind} promise {pid!r}, which no choice makes",
                    loc + (kind,),
                )


def check_choice_offers(sc: LoadedScenario, err: Findings, _cond: Cond, _targets: set[str]) -> None:
    spec = sc.spec
    for cid, _node, ch, loc in _choices(sc):
        if ch.offer is None:
            continue
        if spec.negotiation is None:
            err(
                "NT213",
                f"choice {cid!r} makes an offer but there is no 'negotiation:'",
                loc + ("offer",),
            )
        _check_terms(sc, ch.offer, loc + ("offer",), err)


def check_locked_offers(sc: LoadedScenario, err: Findings, _cond: Cond, _targets: set[str]) -> None:
    """A scripted offer of a locked option is guarded by the interest that unlocks it."""
    issues = sc.spec.issues
    for cid, _node, ch, loc in _choices(sc):
        for iid, label in (ch.offer or {}).items():
            issue = issues.get(iid)
            need = issue.requires.get(label) if issue else None
            if need and f"revealed.{need}" not in (ch.when or ""):
                err(
                    "NT216",
                    f"choice {cid!r} offers {iid} {label!r}, locked until {need!r} is revealed",
                    loc + ("offer",),
                    severity="warning",
                )


def check_silent_choices(
    sc: LoadedScenario, err: Findings, _cond: Cond, _targets: set[str]
) -> None:
    """A choice that stays put gets an answer."""
    interests = sc.spec.interests.values()
    for cid, node, ch, loc in _choices(sc):
        may_reveal = any(
            ch.move in it.moves and set(ch.topics) & set(it.topics) for it in interests
        )
        if ch.reply and all(ln.when for ln in ch.reply) and ch.next is None and not may_reveal:
            err(
                "NT306",
                f"choice {cid!r}: every reply has a condition; when none holds "
                "the counterpart says nothing",
                loc + ("reply",),
                severity="warning",
            )
        if ch.next is None and not ch.reply and ch.offer is None and node.say:
            err(
                "NT214",
                f"choice {cid!r} stays here and the counterpart does not answer",
                loc,
                severity="warning",
            )


def check_issues(sc: LoadedScenario, err: Findings, _cond: Cond, _targets: set[str]) -> None:
    interests = sc.spec.interests
    for iid, issue in sc.spec.issues.items():
        loc = ("issues", iid)
        n = len(issue.options)
        if len(set(issue.options)) != n:
            err("NT102", f"issue {iid!r} has the same option twice", loc + ("options",))
        for side in ("you", "them"):
            if len(getattr(issue, side)) != n:
                err(
                    "NT206",
                    f"issue {iid!r}: {side} has {len(getattr(issue, side))} values for {n} options",
                    loc + (side,),
                )
        for need, values in issue.them_if_revealed.items():
            if need not in interests:
                err(
                    "NT208",
                    f"issue {iid!r}: no interest {need!r}",
                    loc + ("them_if_revealed", need),
                )
            if len(values) != n:
                err(
                    "NT206",
                    f"issue {iid!r}: them_if_revealed.{need} has {len(values)} "
                    f"values for {n} options",
                    loc + ("them_if_revealed", need),
                )
        for option, need in issue.requires.items():
            if option not in issue.options:
                err(
                    "NT207",
                    f"issue {iid!r}: requires names option {option!r}, not one of {issue.options}",
                    loc + ("requires", option),
                )
            if need not in interests:
                err("NT208", f"issue {iid!r}: no interest {need!r}", loc + ("requires", option))


def check_negotiation(sc: LoadedScenario, err: Findings, _cond: Cond, targets: set[str]) -> None:
    neg = sc.spec.negotiation
    if neg is None:
        return
    if not sc.spec.issues:
        err("NT209", "'negotiation:' needs at least one issue under 'issues:'", ("negotiation",))
    for kind in ("accept", "reject", "counter"):
        if all(ln.when for ln in getattr(neg.lines, kind)):
            err(
                "NT306",
                f"negotiation lines.{kind}: every line has a condition; when none "
                "holds the counterpart says nothing",
                ("negotiation", "lines", kind),
                severity="warning",
            )
    for i, ln in enumerate(neg.lines.counter):
        if "{terms}" not in ln.text and "{changes}" not in ln.text:
            err(
                "NT217",
                f"counter line {ln.id!r} never says which terms they offer",
                ("negotiation", "lines", "counter", i),
                severity="warning",
            )
    for key in ("on_accept", "on_exhausted"):
        target = getattr(neg, key)
        if target not in targets:
            err(
                "NT201",
                f"negotiation {key} {target!r} is neither a node nor an ending",
                ("negotiation", key),
            )


def check_variants(sc: LoadedScenario, err: Findings, _cond: Cond, _targets: set[str]) -> None:
    for vid, variant in sc.spec.counterpart.variants.items():
        for var in variant.state:
            if var not in sc.vars:
                err(
                    "NT202",
                    f"variant {vid!r} sets unknown variable {var!r}",
                    ("counterpart", "variants", vid, "state", var),
                )
        for move, effects in variant.move_effects.items():
            _check_effects(sc, effects, ("counterpart", "variants", vid, "move_effects", move), err)


def check_endings(sc: LoadedScenario, _err: Findings, cond: Cond, _targets: set[str]) -> None:
    for eid, end in sc.spec.endings.items():
        cond(end.when, ("endings", eid, "when"))


def check_look(sc: LoadedScenario, err: Findings, _cond: Cond, _targets: set[str]) -> None:
    for problem in look_problems(sc.spec.counterpart.look):
        err("NT211", problem, ("counterpart", "look"), severity="warning")


def check_format(sc: LoadedScenario, err: Findings, _cond: Cond, _targets: set[str]) -> None:
    neg = sc.spec.negotiation
    if neg is not None and neg.walkaway is None and neg.reservation is None:
        err(
            "NT103",
            "negotiation needs 'walkaway:' (format 2) or 'reservation:' (format 1)",
            ("negotiation",),
        )
    if sc.spec.format >= 2 and neg is not None and neg.walkaway is None:
        err(
            "NT103",
            "format 2: give the counterpart's walk-away as negotiation.walkaway",
            ("negotiation",),
        )


def check_needs(sc: LoadedScenario, err: Findings, _cond: Cond, _targets: set[str]) -> None:
    for iid, interest in sc.spec.interests.items():
        for k, need in enumerate(interest.needs):
            loc = ("interests", iid, "needs", k)
            issue = sc.spec.issues.get(need.issue)
            if issue is None:
                err(
                    "NT209",
                    f"interest {iid!r}: need on issue {need.issue!r}, which is not under 'issues:'",
                    loc,
                )
                continue
            for label in (*need.allow, *need.forbid):
                if label not in issue.options:
                    err(
                        "NT207",
                        f"interest {iid!r}: need names option {label!r}, not one of "
                        f"{issue.options}",
                        loc,
                    )
            if not need.allow and not need.forbid:
                err("NT102", f"interest {iid!r}: a need says 'allow:' or 'forbid:'", loc)


def check_risks(sc: LoadedScenario, err: Findings, _cond: Cond, _targets: set[str]) -> None:
    for iid, issue in sc.spec.issues.items():
        for label in issue.risk:
            if label not in issue.options:
                err(
                    "NT207",
                    f"issue {iid!r}: risk names option {label!r}, not one of {issue.options}",
                    ("issues", iid, "risk"),
                )


def check_routes(sc: LoadedScenario, err: Findings, cond: Cond, targets: set[str]) -> None:
    neg = sc.spec.negotiation
    if neg is None:
        return
    for k, route in enumerate(neg.routes):
        cond(route.when, ("negotiation", "routes", k, "when"))
        if route.goto not in targets:
            err(
                "NT201",
                f"route to {route.goto!r}: neither a node nor an ending",
                ("negotiation", "routes", k),
            )


def check_events(sc: LoadedScenario, err: Findings, cond: Cond, targets: set[str]) -> None:
    seen: set[str] = set()
    for k, ev in enumerate(sc.spec.events):
        cond(ev.when, ("events", k, "when"))
        if ev.id in seen:
            err("NT205", f"event id {ev.id!r} is used twice", ("events", k))
        seen.add(ev.id)
        if ev.goto is not None and ev.goto not in targets:
            err(
                "NT201",
                f"event {ev.id!r} goes to {ev.goto!r}: neither a node nor an ending",
                ("events", k),
            )
        if ev.offer and sc.spec.negotiation is None:
            err(
                "NT213",
                f"event {ev.id!r} makes an offer but there is no 'negotiation:'",
                ("events", k),
            )


def check_dues(sc: LoadedScenario, err: Findings, _cond: Cond, _targets: set[str]) -> None:
    for nid, node in sc.spec.nodes.items():
        for ci, ch in enumerate(node.choices):
            if ch.due is None:
                continue
            loc = ("nodes", nid, "choices", ci, "due")
            if not ch.promise:
                err("NT212", "'due:' belongs on a choice that makes a 'promise:'", loc)
            if ch.due.node is not None and ch.due.node not in sc.spec.nodes:
                err(
                    "NT201", f"promise falls due at node {ch.due.node!r}, which does not exist", loc
                )
            if ch.due.node is None and ch.due.turns is None:
                err("NT102", "'due:' needs 'node:' or 'turns:'", loc)


def check_objectives(sc: LoadedScenario, err: Findings, cond: Cond, _targets: set[str]) -> None:
    for k, obj in enumerate(sc.spec.objectives):
        cond(obj.check, ("objectives", k, "check"))


CHECKS = (
    check_start,
    check_state,
    check_move_effects,
    check_lines,
    check_nodes,
    check_choice_ids,
    check_choice_next,
    check_choice_state,
    check_choice_promises,
    check_choice_offers,
    check_silent_choices,
    check_locked_offers,
    check_issues,
    check_negotiation,
    check_variants,
    check_endings,
    check_look,
    check_format,
    check_needs,
    check_risks,
    check_routes,
    check_events,
    check_dues,
    check_objectives,
)


def _check_terms(sc: LoadedScenario, terms: dict, loc: tuple, err: Findings) -> None:
    for iid, option in terms.items():
        issue = sc.spec.issues.get(iid)
        if issue is None:
            err("NT209", f"offer names issue {iid!r}, which is not under 'issues:'", loc + (iid,))
        elif option not in issue.options:
            err("NT207", f"offer gives {iid} {option!r}, not one of {issue.options}", loc + (iid,))
    missing = [i for i in sc.spec.issues if i not in terms]
    if missing:
        err("NT209", f"offer leaves out issue(s) {', '.join(missing)}", loc)


def _near_name(sc: LoadedScenario, name: str) -> str | None:
    """A readable name close to ``name``, comparing only the misspelt part of a dotted
    name (every ``revealed.X`` shares its namespace, which would make any X look near)."""
    pool = sc.readable_names(name)
    if "." not in name:
        return _close(name, pool)
    ns, _, member = name.partition(".")
    if any(p.startswith(ns + ".") for p in pool):
        hit = _close(member, {p.partition(".")[2] for p in pool})
        near = f"{ns}.{hit}" if hit else None
    else:
        hit = _close(ns, {p.partition(".")[0] for p in pool})
        near = f"{hit}.{member}" if hit else None
    return near if near != name else None


def _close(word: str, options: set[str]) -> str | None:
    import difflib

    hits = difflib.get_close_matches(word, sorted(options), n=1, cutoff=0.6)
    return hits[0] if hits else None


def scenario_from_canonical(data: dict, file: str = "<stored scenario>") -> LoadedScenario:
    """Rebuild a scenario from its stored canonical JSON (as kept by the store)."""
    scenario, diags = load_data(data, file)
    if scenario is None:
        raise ScenarioError(diags)
    return scenario
