"""Size limits on a scenario, checked on the raw data before anything is built.

A scenario file (or a snapshot inside an imported sessions file) is untrusted:
its issues' options multiply into the deal space the counterpart searches, and
its variables are written to the database on every turn. Limits far above any
real scenario keep a hostile or generated file from costing gigabytes; the
message says what was found and what the limit is.
"""

from __future__ import annotations

import math
import re
from collections.abc import Mapping
from typing import Any

MAX_ISSUES = 8
MAX_OPTIONS = 12
MAX_DEALS = 20_000
MAX_VARS = 40
MAX_FLAGS = 100
MAX_INTERESTS = 30
MAX_NODES = 300
MAX_ENDINGS = 60
MAX_CHOICES = 1_500
MAX_LINES = 5_000
# Far above any value, trust or variable a scenario needs; sums of such numbers stay exact.
MAX_NUMBER = 1_000_000_000
TOO_LARGE = "a number this large is not allowed"
# 1e300: YAML 1.1 reads it as text (its exponent has no sign), then the model as a number.
_EXPONENT = re.compile(r"[-+]?(\d+\.?\d*|\.\d+)[eE][-+]?\d+")
NUMBER_FIX = f"Write an ordinary number, such as 50 (at most {MAX_NUMBER:,} either way)."


def _size(value: Any) -> int:
    return len(value) if isinstance(value, (Mapping, list)) else 0


def _items(value: Any) -> list[Any]:
    if isinstance(value, Mapping):
        return list(value.values())
    return list(value) if isinstance(value, list) else []


def _get(value: Any, key: str) -> Any:
    return value.get(key) if isinstance(value, Mapping) else None


def check_bounds(data: Any) -> list[tuple[tuple, str]]:
    """Problems as (location, message); empty when the scenario is within every limit."""
    if not isinstance(data, Mapping):
        return []
    out: list[tuple[tuple, str]] = []

    def over(loc: tuple, what: str, found: int, limit: int) -> None:
        if found > limit:
            out.append((loc, f"{what}: {found} found, the limit is {limit}"))

    issues = data.get("issues")
    over(("issues",), "too many issues", _size(issues), MAX_ISSUES)
    if isinstance(issues, Mapping):
        for iid, issue in issues.items():
            over(
                ("issues", iid, "options"),
                f"issue {str(iid)[:40]!r} has too many options",
                _size(_get(issue, "options")),
                MAX_OPTIONS,
            )
    if not out:
        exact = 1
        for issue in _items(issues):
            exact *= max(1, _size(_get(issue, "options")))
        if exact > MAX_DEALS:
            msg = (
                f"the issues' options make {exact:,} possible deals; the limit is "
                f"{MAX_DEALS:,} (use fewer issues or options)"
            )
            out.append((("issues",), msg))
    over(("state",), "too many state variables", _size(data.get("state")), MAX_VARS)
    over(("flags",), "too many flags", _size(data.get("flags")), MAX_FLAGS)
    over(("interests",), "too many interests", _size(data.get("interests")), MAX_INTERESTS)
    nodes = data.get("nodes")
    over(("nodes",), "too many nodes", _size(nodes), MAX_NODES)
    over(("endings",), "too many endings", _size(data.get("endings")), MAX_ENDINGS)
    if out:
        return out
    choices = lines = 0
    for node in _items(nodes):
        lines += _size(_get(node, "say"))
        for choice in _items(_get(node, "choices")):
            choices += 1
            lines += _size(_get(choice, "reply"))
    neg_lines = _get(_get(data, "negotiation"), "lines")
    lines += sum(_size(v) for v in _items(neg_lines))
    over(("nodes",), "too many choices in all", choices, MAX_CHOICES)
    over(("nodes",), "too many counterpart lines in all", lines, MAX_LINES)
    return out


def check_numbers(data: Any) -> list[tuple[tuple, str]]:
    """(location, message) for each number that is not finite (.nan, .inf) or is beyond
    MAX_NUMBER either way: the engine would play them as nonsense, silently."""
    out: list[tuple[tuple, str]] = []
    stack: list[tuple[tuple, Any]] = [((), data)]
    while stack and len(out) < 20:
        loc, value = stack.pop()
        if isinstance(value, Mapping):
            stack.extend((loc + (k,), v) for k, v in value.items())
        elif isinstance(value, list):
            stack.extend((loc + (n,), v) for n, v in enumerate(value))
        else:
            written = isinstance(value, str)  # 1e999 is too large, not "infinite"
            if written and len(value) <= 40 and _EXPONENT.fullmatch(value.strip()):
                value = float(value)
            if not isinstance(value, (int, float)) or isinstance(value, bool):
                continue
            where = ".".join(str(p)[:40] for p in loc) or "the top"
            if isinstance(value, float) and math.isnan(value) or not written and math.isinf(value):
                shown = ".nan" if math.isnan(value) else (".inf" if value > 0 else "-.inf")
                out.append((loc, f"{where}: a number must be finite, not {shown}"))
            elif abs(value) > MAX_NUMBER:
                out.append((loc, f"{where}: {TOO_LARGE} (the limit is {MAX_NUMBER:,} either way)"))
    return out
