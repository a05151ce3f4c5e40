"""Text from files, databases and users, made safe to print on a terminal.

Scenario text, learner names and notes are data: a control character in them
(ESC starting an OSC 52 clipboard write, a clear-screen, a window title; a
carriage return that overprints a line; a bidi override that reorders it) must
reach the terminal as nothing, never as a command. Newlines and tabs stay.
"""

from __future__ import annotations

import re
from typing import Any, TextIO

# C0 controls but tab and newline, DEL, C1 controls, and the bidi embeddings,
# overrides and isolates.
_CONTROLS = re.compile("[\x00-\x08\x0b-\x1f\x7f-\x9f\u202a-\u202e\u2066-\u2069]")


def strip_controls(text: str) -> str:
    return _CONTROLS.sub("", text)


class PlainStream:
    """Wraps a text stream; whatever is written reaches it without control characters."""

    def __init__(self, raw: TextIO):
        self.raw = raw

    def write(self, text: str) -> int:
        self.raw.write(strip_controls(text))
        return len(text)

    def writelines(self, lines: Any) -> None:
        for line in lines:
            self.write(line)

    def __getattr__(self, name: str) -> Any:
        return getattr(self.raw, name)
