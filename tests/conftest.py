import os
from pathlib import Path

import pytest

# Qt must never try to open a real display in tests.
os.environ.setdefault("QT_QPA_PLATFORM", "offscreen")

# The format 1 packaging-renewal, frozen: tests that script it by choice id play it from here.
FIXED_LIBRARY = Path(__file__).resolve().parent / "fixtures" / "v1"


@pytest.fixture
def fixed_library(monkeypatch):
    """Play the built-in scenarios from the fixtures, so rewriting the real ones' dialogue
    never breaks a test that scripts them by choice id."""
    monkeypatch.setenv("NEGTRAINER_BUILTIN_SCENARIOS", str(FIXED_LIBRARY))
    return FIXED_LIBRARY
