"""Reading untrusted JSON (sessions, results and workshop files; machine input lines).

Python's reader takes what a scenario's reader refuses and says in its own words what it
does not take: the same key twice in one object (the last one silently wins), NaN and
Infinity, numbers of thousands of digits ("sys.set_int_max_str_digits()"), nesting a
thousand levels deep ("maximum recursion depth exceeded"). Here each is refused with a
reason a person can act on, the same way wherever a file is read.
"""

from __future__ import annotations

import json
import math
from collections.abc import Iterable
from typing import Any

# No number negtrainer writes has more characters; past 4,300 digits Python refuses anyway.
MAX_NUMBER_CHARS = 40


class JsonProblem(ValueError):
    """The text is JSON negtrainer does not take; ``str(e)`` says why, in plain words
    (completing "it ...": "it holds the key 'x' twice in one object")."""


def _short(text: Any, limit: int = 40) -> str:
    shown = str(text)
    return shown if len(shown) <= limit else shown[: limit - 1] + "…"


def _object(pairs: list[tuple[str, Any]]) -> dict[str, Any]:
    out = dict(pairs)
    if len(out) != len(pairs):
        seen: set[str] = set()
        for key, _ in pairs:
            if key in seen:
                raise JsonProblem(
                    f"holds the key {_short(key)!r} twice in one object (only one can count)"
                )
            seen.add(key)
    return out


def _int(text: str) -> int:
    if len(text) > MAX_NUMBER_CHARS:
        raise JsonProblem(
            f"holds a number {len(text):,} digits long, larger than any negtrainer writes"
        )
    return int(text)


def _float(text: str) -> float:
    if len(text) > MAX_NUMBER_CHARS:
        raise JsonProblem(
            f"holds a number {len(text):,} characters long, larger than any negtrainer writes"
        )
    value = float(text)
    if math.isinf(value):
        raise JsonProblem(f"holds the number {_short(text)}, larger than any negtrainer writes")
    return value


def _constant(name: str) -> Any:
    raise JsonProblem(f"is not valid JSON ({name} is not a number JSON allows)")


def too_deep(data: Any, limit: int) -> bool:
    """Whether lists and objects nest deeper than ``limit`` (checked without recursion)."""
    stack = [(data, 1)]
    while stack:
        value, depth = stack.pop()
        children: Iterable[Any]
        if isinstance(value, dict):
            children = value.values()
        elif isinstance(value, list):
            children = value
        else:
            continue
        if depth > limit:
            return True
        stack.extend((child, depth + 1) for child in children if isinstance(child, (dict, list)))
    return False


def nested_too_deep(limit: int) -> JsonProblem:
    return JsonProblem(f"is nested more than {limit} levels deep (negtrainer's files never are)")


def loads(text: str | bytes, max_depth: int) -> Any:
    """The data, or JsonProblem: for the refusals above, and for text that is not JSON
    ("is not valid JSON (...)": the place the reader stopped at)."""
    try:
        data = json.loads(
            text,
            object_pairs_hook=_object,
            parse_int=_int,
            parse_float=_float,
            parse_constant=_constant,
        )
    except JsonProblem:
        raise
    except RecursionError:
        raise nested_too_deep(max_depth) from None
    except json.JSONDecodeError as e:
        raise JsonProblem(
            f"is not valid JSON (it goes wrong at line {e.lineno}, column {e.colno})"
        ) from None
    if too_deep(data, max_depth):
        raise nested_too_deep(max_depth)
    return data
