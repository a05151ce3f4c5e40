"""What of a line is said aloud: the words, not the stage directions.

Scenario lines carry what a person does in brackets, "(He looks at the door.) All
right.": on screen it sets the scene; read out in the counterpart's voice it would
be narration in their mouth. A line that is all direction, "(Say nothing.)", says
nothing.
"""

from __future__ import annotations

import re

_DIRECTION = re.compile(r"\([^()]*\)")
_SPACE = re.compile(r"\s+")


def spoken(text: str) -> str:
    """``text`` without its bracketed stage directions, spaces tidied ("" if none left)."""
    words = _DIRECTION.sub(" ", text)
    words = _SPACE.sub(" ", words).strip()
    # A direction between sentences leaves "... ." or a stray lead-in of dots.
    words = re.sub(r"\s+([.,;:!?])", r"\1", words)
    return words if any(c.isalnum() for c in words) else ""
