"""Reading untrusted YAML: safe types only, line numbers kept, traps refused.

PyYAML's safe loader (the C one when present) builds only plain data. On top of
it this module rejects what a hostile or careless file could do to us:
duplicate keys (silently merged by default), anchors and aliases (the
"billion laughs" bomb), absurd nesting, oversize files, non-UTF-8 bytes.
Mappings and sequences remember the line of each key and item, so later
validation errors can point at a line.
"""

from __future__ import annotations

import math
import re
import unicodedata
from typing import Any

import yaml

from negtrainer.engine.bounds import MAX_NUMBER, NUMBER_FIX
from negtrainer.engine.diagnostics import Diagnostic, diag

MAX_BYTES = 8 * 1024 * 1024
MAX_DEPTH = 60
# No number in a scenario is written with this many characters. Past it the reader would
# spend time growing with the square of the length, and past 4,300 digits Python refuses
# in words about its own settings: the file is refused here, by line.
MAX_NUMBER_CHARS = 40

try:
    _BaseLoader: type = yaml.CSafeLoader
except AttributeError:  # pragma: no cover - PyYAML built without libyaml
    _BaseLoader = yaml.SafeLoader


# What the YAML reader refuses outright (its own definition of printable): a raw
# control character makes it stop before any line is known, so we find them ourselves.
_UNREADABLE = re.compile(
    "[^\x09\x0a\x0d\x20-\x7e\x85\xa0-\ud7ff\ue000-\ufffd\U00010000-\U0010ffff]"
)
_SHORT_NAMES = {0x00: "NUL", 0x07: "BEL", 0x08: "BS", 0x1B: "ESC", 0x7F: "DEL"}
NAMED_AT_MOST = 5


def char_name(ch: str) -> str:
    """``U+001B (ESC)``: how a diagnostic names an invisible character."""
    code = ord(ch)
    name = _SHORT_NAMES.get(code) or unicodedata.name(ch, "")
    return f"U+{code:04X}" + (f" ({name})" if name else "")


def name_characters(found: list[str], where: list[str] | None = None) -> str:
    """The first few of ``found`` by name (with ``where`` each is, if given) and how many
    more there are: a file with hundreds of them gets one readable line."""
    shown = [
        char_name(ch) + (f" at {where[i]}" if where else "")
        for i, ch in enumerate(found[:NAMED_AT_MOST])
    ]
    more = len(found) - len(shown)
    return ", ".join(shown) + (f" and {more} more" if more else "")


def _line_col(text: str, at: int) -> tuple[int, int]:
    return text.count("\n", 0, at) + 1, at - (text.rfind("\n", 0, at) + 1) + 1


def _unreadable_characters(text: str, file: str) -> Diagnostic | None:
    hits = []
    for m in _UNREADABLE.finditer(text):
        hits.append(m)
        if len(hits) >= 10_000:  # enough to say "and N more"; a huge file is not walked twice
            break
    if not hits:
        return None
    places = [
        "line {}, column {}".format(*_line_col(text, m.start())) for m in hits[:NAMED_AT_MOST]
    ]
    noun = "character" if len(hits) == 1 else "characters"
    line, col = _line_col(text, hits[0].start())
    return diag(
        "NT010",
        f"the file holds {len(hits)} invisible control {noun}: "
        + name_characters([m.group() for m in hits], places),
        file,
        line,
        column=col,
    )


class LineDict(dict):
    """A dict that knows the line of itself and of each key (1-based)."""

    __slots__ = ("key_lines", "line")
    line: int
    key_lines: dict[Any, int]


class LineList(list):
    __slots__ = ("item_lines", "line")
    line: int
    item_lines: list[int]


class _Refused(Exception):
    def __init__(self, code: str, message: str, line: int | None, fix: str = ""):
        super().__init__(message)
        self.code = code
        self.line = line
        self.fix = fix


class _Loader(_BaseLoader):  # type: ignore[misc, valid-type]
    def __init__(self, stream: str):
        super().__init__(stream)
        self._depth = 0

    def construct_object(self, node: yaml.Node, deep: bool = False) -> Any:
        if node in self.constructed_objects:
            raise _Refused("NT006", "anchors and aliases are not allowed", node.start_mark.line + 1)
        self._depth += 1
        if self._depth > MAX_DEPTH:
            raise _Refused(
                "NT007", f"nested more than {MAX_DEPTH} levels deep", node.start_mark.line + 1
            )
        try:
            return super().construct_object(node, deep=True)
        finally:
            self._depth -= 1


def _construct_map(loader: _Loader, node: yaml.MappingNode) -> LineDict:
    out = LineDict()
    out.line = node.start_mark.line + 1
    out.key_lines = {}
    for key_node, value_node in node.value:
        if key_node.tag == "tag:yaml.org,2002:merge":
            raise _Refused("NT006", "merge keys (<<) are not allowed", key_node.start_mark.line + 1)
        key = loader.construct_object(key_node)
        if not isinstance(key, (str, int, float, bool)) or key is None:
            raise _Refused("NT102", "a key must be plain text", key_node.start_mark.line + 1)
        if key in out:
            raise _Refused(
                "NT005",
                f"duplicate key {key!r} (first on line {out.key_lines[key]})",
                key_node.start_mark.line + 1,
            )
        out[key] = loader.construct_object(value_node)
        out.key_lines[key] = key_node.start_mark.line + 1
    return out


def _construct_seq(loader: _Loader, node: yaml.SequenceNode) -> LineList:
    out = LineList()
    out.line = node.start_mark.line + 1
    out.item_lines = []
    for item in node.value:
        out.append(loader.construct_object(item))
        out.item_lines.append(item.start_mark.line + 1)
    return out


def _too_large(node: yaml.ScalarNode) -> _Refused:
    return _Refused(
        "NT102",
        f"a number this long is not allowed (it is {len(node.value):,} characters long); "
        f"scenario numbers are at most {MAX_NUMBER:,} either way",
        node.start_mark.line + 1,
        NUMBER_FIX,
    )


def _construct_int(loader: _Loader, node: yaml.ScalarNode) -> int:
    if len(node.value) > MAX_NUMBER_CHARS:
        raise _too_large(node)
    return yaml.constructor.SafeConstructor.construct_yaml_int(loader, node)


def _construct_float(loader: _Loader, node: yaml.ScalarNode) -> float:
    if len(node.value) > MAX_NUMBER_CHARS:
        raise _too_large(node)
    value = yaml.constructor.SafeConstructor.construct_yaml_float(loader, node)
    if math.isinf(value) and "inf" not in node.value.lower():
        raise _too_large(node)  # 1e999: written as a number, read as infinity
    return value


_Loader.add_constructor("tag:yaml.org,2002:map", _construct_map)
_Loader.add_constructor("tag:yaml.org,2002:int", _construct_int)
_Loader.add_constructor("tag:yaml.org,2002:float", _construct_float)
_Loader.add_constructor("tag:yaml.org,2002:seq", _construct_seq)
_Loader.add_constructor("tag:yaml.org,2002:omap", _construct_map)


def decode(raw: bytes, file: str) -> tuple[str | None, list[Diagnostic]]:
    if len(raw) > MAX_BYTES:
        return None, [
            diag(
                "NT002",
                f"file is {len(raw) // 1024} KiB; the limit is {MAX_BYTES // 1024} KiB",
                file,
            )
        ]
    if b"\x00" in raw[:65536]:
        return None, [diag("NT003", "file holds binary data, not text", file)]
    try:
        text = raw.decode("utf-8-sig")
    except UnicodeDecodeError as e:
        line = raw[: e.start].count(b"\n") + 1
        return None, [diag("NT003", f"byte {e.start} is not UTF-8", file, line)]
    return text, []


def _flow_depth(text: str, limit: int) -> int | None:
    """The line where ``[``/``{`` nesting first goes past ``limit`` (outside quotes), or None.

    PyYAML's parser recurses once per level: tens of thousands of nested brackets
    crash the interpreter before any depth check of ours can run, so they are
    counted here, before parsing.
    """
    if text.count("[") + text.count("{") <= limit:
        return None  # the depth never exceeds the number of openings (the usual file)
    depth = 0
    line = 1
    quote = ""
    prev = "\n"  # the last character that is not a space
    for ch in text:
        if ch == "\n":
            line += 1
        if quote:
            if ch == quote:
                quote = ""
                prev = ch
            continue
        if ch in "'\"" and prev in "\n:-[{,?":
            quote = ch  # a quoted scalar starts only where a value can start
        elif ch in "[{":
            depth += 1
            if depth > limit:
                return line
        elif ch in "]}":
            depth = max(0, depth - 1)
        if ch not in " \t":
            prev = ch
    return None


def read_yaml(text: str, file: str) -> tuple[Any, list[Diagnostic]]:
    """Parse YAML text into LineDict/LineList data, or diagnostics."""
    deep = _flow_depth(text, MAX_DEPTH)
    if deep is not None:
        return None, [
            diag("NT007", f"brackets nested more than {MAX_DEPTH} levels deep", file, deep)
        ]
    loader = _Loader(text)
    try:
        data = loader.get_single_data()
    except _Refused as r:
        return None, [diag(r.code, str(r), file, r.line, fix=r.fix)]
    except yaml.reader.ReaderError as e:
        found = _unreadable_characters(text, file)
        if found is not None:
            return None, [found]
        return None, [diag("NT004", str(e).splitlines()[0] if str(e) else "YAML error", file)]
    except yaml.MarkedYAMLError as e:
        mark = e.problem_mark or e.context_mark
        line = mark.line + 1 if mark else None
        col = mark.column + 1 if mark else None
        msg = " ".join(x for x in (e.context, e.problem) if x) or "YAML syntax error"
        fix = ""
        bad_line = text.splitlines()[line - 1] if line and line <= len(text.splitlines()) else ""
        indent = bad_line[: len(bad_line) - len(bad_line.lstrip(" \t"))]
        if "\t" in indent:
            # The parser's words ("found character that cannot start any token") do
            # not say that the cause is a tab, which the editor shows as spaces.
            msg = f"this line is indented with a tab; YAML indents with spaces only ({msg})"
            fix = "Replace the tab with spaces, as many as the lines around it use."
        elif "could not determine a constructor for the tag" in msg:
            # !!python/... and other tags: a scenario is plain data, never objects.
            msg = (
                "a YAML tag (!!...) is not allowed: a scenario holds plain text, numbers and lists"
            )
            fix = "Remove the tag; if it was meant as text, put the value in quotes."
        elif "mapping values are not allowed" in msg:
            fix = "Text that contains ': ' must be in quotes: text: \"Well: that's that.\""
        elif "\t" in bad_line or "cannot start any token" in msg and "\t" in text:
            fix = "Indent with spaces, not tabs."
        return None, [diag("NT004", msg, file, line, column=col, fix=fix)]
    except yaml.YAMLError as e:
        return None, [diag("NT004", str(e).splitlines()[0] if str(e) else "YAML error", file)]
    except RecursionError:
        return None, [diag("NT007", "the file is nested too deeply to read", file)]
    finally:
        loader.dispose()
    return data, []


def line_of(data: Any, loc: tuple) -> int | None:
    """The line of the deepest part of ``loc`` that exists in the data."""
    best = getattr(data, "line", None)
    cur = data
    for part in loc:
        if isinstance(cur, LineDict) and part in cur:
            best = cur.key_lines.get(part, best)
            cur = cur[part]
        elif isinstance(cur, LineList) and isinstance(part, int) and 0 <= part < len(cur):
            best = cur.item_lines[part]
            cur = cur[part]
        else:
            break
    return best
