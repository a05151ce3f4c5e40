import sys
from pathlib import Path

# Shared helpers for the workshop tests (the suite runs with --import-mode=importlib).
sys.path.insert(0, str(Path(__file__).parent))

import pytest


@pytest.fixture(autouse=True)
def fixed_library(monkeypatch):
    """The workshop tests script the format 1 packaging-renewal by choice id: they play it
    from the fixtures, so rewriting the built-in scenario's dialogue never breaks them."""
    monkeypatch.setenv("NEGTRAINER_BUILTIN_SCENARIOS",
                       str(Path(__file__).resolve().parents[1] / "fixtures" / "v1"))
