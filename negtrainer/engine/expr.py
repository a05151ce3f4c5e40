"""The condition language: small, documented, and never evaluated as Python.

    trust >= 55 and revealed.idle_line
    not visited.price_talk or (patience < 3 and mood == "angry")

Grammar (lowest precedence first)::

    expr  := and ("or" and)*
    and   := not ("and" not)*
    not   := "not" not | cmp
    cmp   := sum (("=="|"!="|"<"|"<="|">"|">=") sum)?
    sum   := atom (("+"|"-") atom)*
    atom  := NUMBER | STRING | true | false | NAME("." NAME)* | "(" expr ")" | "-" atom

A text is parsed once into a tree of tuples and compiled into closures over a
*resolver* that turns each name into a getter; unknown names are reported when
the scenario is loaded, never at play time.
"""

from __future__ import annotations

import operator
import re
from collections.abc import Callable
from functools import lru_cache
from typing import Any

MAX_EXPR_LEN = 500
MAX_DEPTH = 40

_TOKEN = re.compile(
    r"\s*(?:(?P<num>\d+(?:\.\d+)?)|(?P<str>\"[^\"]*\"|'[^']*')|(?P<name>[A-Za-z_][A-Za-z0-9_]*"
    r"(?:\.[A-Za-z0-9_][A-Za-z0-9_\-]*)*)|(?P<op>==|!=|<=|>=|<|>|\(|\)|\+|-))"
)

_CMP = {
    "==": operator.eq,
    "!=": operator.ne,
    "<": operator.lt,
    "<=": operator.le,
    ">": operator.gt,
    ">=": operator.ge,
}


class ExprError(ValueError):
    """A condition that cannot be parsed; ``column`` is 1-based."""

    def __init__(self, message: str, column: int = 0):
        super().__init__(message)
        self.column = column


def _tokens(text: str) -> list[tuple[str, str, int]]:
    out: list[tuple[str, str, int]] = []
    pos = 0
    text = text.rstrip()
    while pos < len(text):
        m = _TOKEN.match(text, pos)
        if not m or m.end() == pos:
            col = pos + 1 + (len(text[pos:]) - len(text[pos:].lstrip()))
            raise ExprError(f"unexpected character {text[col - 1]!r}", col)
        kind = m.lastgroup or ""
        value = m.group(kind)
        col = m.start(kind) + 1
        if kind == "name" and value in ("and", "or", "not", "true", "false"):
            kind = "kw"
        out.append((kind, value, col))
        pos = m.end()
    out.append(("end", "", len(text) + 1))
    return out


class _Parser:
    def __init__(self, text: str):
        self.toks = _tokens(text)
        self.i = 0
        self.depth = 0

    def peek(self) -> tuple[str, str, int]:
        return self.toks[self.i]

    def take(self) -> tuple[str, str, int]:
        tok = self.toks[self.i]
        self.i += 1
        return tok

    def expect_end(self) -> None:
        kind, value, col = self.peek()
        if kind != "end":
            raise ExprError(f"unexpected {value!r}", col)

    def expr(self) -> tuple:
        self.depth += 1
        if self.depth > MAX_DEPTH:
            raise ExprError("condition is nested too deeply", self.peek()[2])
        node = self.conj()
        while self.peek()[:2] == ("kw", "or"):
            self.take()
            node = ("or", node, self.conj())
        self.depth -= 1
        return node

    def conj(self) -> tuple:
        node = self.neg()
        while self.peek()[:2] == ("kw", "and"):
            self.take()
            node = ("and", node, self.neg())
        return node

    def neg(self) -> tuple:
        if self.peek()[:2] == ("kw", "not"):
            self.take()
            self.depth += 1
            if self.depth > MAX_DEPTH:
                raise ExprError("condition is nested too deeply", self.peek()[2])
            inner = self.neg()
            self.depth -= 1
            return ("not", inner)
        return self.cmp()

    def cmp(self) -> tuple:
        left = self.sum()
        kind, value, _ = self.peek()
        if kind == "op" and value in _CMP:
            self.take()
            return ("cmp", value, left, self.sum())
        return left

    def sum(self) -> tuple:
        node = self.atom()
        while self.peek()[0] == "op" and self.peek()[1] in "+-":
            op = self.take()[1]
            node = ("arith", op, node, self.atom())
        return node

    def atom(self) -> tuple:
        kind, value, col = self.take()
        if kind == "num":
            return ("const", float(value) if "." in value else int(value))
        if kind == "str":
            return ("const", value[1:-1])
        if kind == "kw" and value in ("true", "false"):
            return ("const", value == "true")
        if kind == "name":
            return ("name", value, col)
        if kind == "op" and value == "(":
            node = self.expr()
            _k, v, c = self.take()
            if v != ")":
                raise ExprError("missing ')'", c)
            return node
        if kind == "op" and value == "-":
            return ("arith", "-", ("const", 0), self.atom())
        if kind == "end":
            raise ExprError("condition ends too soon", col)
        raise ExprError(f"unexpected {value!r}", col)


def parse(text: str) -> tuple:
    """Parse a condition into a tree; raises ExprError with a column."""
    if not isinstance(text, str):
        raise ExprError('a condition must be text, e.g. "trust >= 50"')
    if len(text) > MAX_EXPR_LEN:
        raise ExprError(f"condition is longer than {MAX_EXPR_LEN} characters")
    p = _Parser(text)
    node = p.expr()
    p.expect_end()
    return node


def names(node: tuple) -> list[tuple[str, int]]:
    """Every variable name the condition reads, with its column."""
    out: list[tuple[str, int]] = []
    stack = [node]
    while stack:
        n = stack.pop()
        tag = n[0]
        if tag == "name":
            out.append((n[1], n[2]))
        elif tag in ("and", "or"):
            stack.extend((n[1], n[2]))
        elif tag == "not":
            stack.append(n[1])
        elif tag in ("cmp", "arith"):
            stack.extend((n[2], n[3]))
    return out


def text_comparisons(node: tuple) -> list[tuple[str, str, int]]:
    """(name, text, column) for every `name == "text"` or `name != "text"` in a condition."""
    out: list[tuple[str, str, int]] = []
    stack = [node]
    while stack:
        n = stack.pop()
        tag = n[0]
        if tag == "cmp":
            a, b = n[2], n[3]
            if a[0] == "const" and b[0] == "name":
                a, b = b, a
            if a[0] == "name" and b[0] == "const" and isinstance(b[1], str):
                out.append((a[1], b[1], a[2]))
            stack.extend((n[2], n[3]))
        elif tag in ("and", "or"):
            stack.extend((n[1], n[2]))
        elif tag == "not":
            stack.append(n[1])
        elif tag == "arith":
            stack.extend((n[2], n[3]))
    return out


Getter = Callable[[Any], Any]


def compile_expr(node: tuple, resolve: Callable[[str], Getter]) -> Callable[[Any], bool]:
    """Turn a parsed condition into a function of the session state."""
    fn = _compile(node, resolve)
    if _gives_bool(node):
        return fn
    return lambda st: bool(fn(st))


def _gives_bool(node: tuple) -> bool:
    """Whether a condition's value is already True or False (no bool() needed)."""
    tag = node[0]
    if tag in ("cmp", "not"):
        return True
    if tag in ("and", "or"):
        return _gives_bool(node[1]) and _gives_bool(node[2])
    return tag == "const" and isinstance(node[1], bool)


def var_getter(name: str) -> Getter:
    """Reads one of the scenario's variables (always a number) from the state."""

    def read(st: Any) -> Any:
        return st.vars[name]

    read.var = name  # type: ignore[attr-defined]
    return read


# A variable against a number, the commonest condition, read in one call: a number
# compared with a number never raises, so no guard is needed.
_VAR_CMP: dict[Any, Callable[[str, Any], Getter]] = {
    operator.eq: lambda n, v: lambda st: st.vars[n] == v,
    operator.ne: lambda n, v: lambda st: st.vars[n] != v,
    operator.lt: lambda n, v: lambda st: st.vars[n] < v,
    operator.le: lambda n, v: lambda st: st.vars[n] <= v,
    operator.gt: lambda n, v: lambda st: st.vars[n] > v,
    operator.ge: lambda n, v: lambda st: st.vars[n] >= v,
}


_ATTR_CMP: dict[Any, Callable[[Getter, Any], Getter]] = {
    operator.eq: lambda g, v: lambda st: g(st) == v,
    operator.ne: lambda g, v: lambda st: g(st) != v,
    operator.lt: lambda g, v: lambda st: g(st) < v,
    operator.le: lambda g, v: lambda st: g(st) <= v,
    operator.gt: lambda g, v: lambda st: g(st) > v,
    operator.ge: lambda g, v: lambda st: g(st) >= v,
}


def _safe(op: Callable[[Any, Any], Any], a: Getter, b: tuple | Getter) -> Getter:
    """op(a, b) of the state, where comparing text with a number is false, never a crash
    mid-session. ``b`` is a getter or ("const", value); a constant is read in place,
    since most conditions compare one name with one number."""
    fallback = op is operator.ne
    if isinstance(b, tuple):
        value = b[1]
        if op in _VAR_CMP and type(value) in (int, float):
            var = getattr(a, "var", None)
            if var is not None:
                return _VAR_CMP[op](var, value)
            attr = getattr(a, "attr", None)
            if attr is not None:  # a whole-number field of the state (turn, offers)
                return _ATTR_CMP[op](operator.attrgetter(attr), value)

        def apply_const(st: Any) -> Any:
            x = a(st)
            try:
                return op(x, value)
            except TypeError:
                return fallback

        return apply_const

    def apply(st: Any) -> Any:
        x, y = a(st), b(st)
        try:
            return op(x, y)
        except TypeError:
            return fallback

    return apply


def _operands(node: tuple, tag: str) -> list[tuple]:
    """The operands of a run of one operator, in order: a and b and c -> [a, b, c]."""
    if node[0] != tag:
        return [node]
    return _operands(node[1], tag) + _operands(node[2], tag)


def _chain(tag: str, parts: list[Getter]) -> Getter:
    """Python's own and/or over the parts: the first falsy (truthy) value, or the last."""
    if len(parts) == 2:
        a, b = parts
        if tag == "and":
            return lambda st: a(st) and b(st)
        return lambda st: a(st) or b(st)
    first, rest = parts[0], parts[1:]
    if tag == "and":

        def all_of(st: Any) -> Any:
            value = first(st)
            for part in rest:
                if not value:
                    return value
                value = part(st)
            return value

        return all_of

    def any_of(st: Any) -> Any:
        value = first(st)
        for part in rest:
            if value:
                return value
            value = part(st)
        return value

    return any_of


def _compile(node: tuple, resolve: Callable[[str], Getter]) -> Getter:
    tag = node[0]
    if tag == "const":
        value = node[1]
        return lambda st: value
    if tag == "name":
        return resolve(node[1])
    if tag == "not":
        inner = _compile(node[1], resolve)
        return lambda st: not inner(st)
    if tag in ("and", "or"):
        return _chain(tag, [_compile(n, resolve) for n in _operands(node, tag)])
    if tag in ("cmp", "arith"):
        if tag == "cmp":
            op = _CMP[node[1]]
        else:
            op = operator.add if node[1] == "+" else operator.sub
        left = _compile(node[2], resolve)
        right = node[3] if node[3][0] == "const" else _compile(node[3], resolve)
        return _safe(op, left, right)
    raise ExprError(f"unknown node {tag}")


@lru_cache(maxsize=4096)
def describe(text: str) -> str:
    """A learner-facing reading of a condition, for greyed-out choices."""
    out = text
    out = re.sub(r"\bnot revealed\.([A-Za-z0-9_]+)", r"you have not yet uncovered \1", out)
    out = re.sub(r"\brevealed\.([A-Za-z0-9_]+)", r"you have uncovered \1", out)
    out = re.sub(r"\bhinted\.([A-Za-z0-9_]+)", r"they have hinted at \1", out)
    out = re.sub(r"\bvisited\.([A-Za-z0-9_]+)", r"you have discussed \1", out)
    out = re.sub(r"\bchosen\.([A-Za-z0-9_.]+)", r"you have said \1", out)
    out = re.sub(r"\bpromised\.([A-Za-z0-9_]+)", r"you have promised \1", out)
    out = re.sub(r"\bkept\.([A-Za-z0-9_]+)", r"you have kept your word on \1", out)
    out = out.replace(">=", "at least").replace("<=", "at most")
    return out.replace("_", " ")
