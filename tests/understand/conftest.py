from pathlib import Path

import pytest


@pytest.fixture(autouse=True)
def fixed_library(monkeypatch):
    """These tests type lines against the format 1 packaging-renewal's choices by id: they
    play it from the fixtures, so rewriting the built-in scenario never breaks them."""
    monkeypatch.setenv("NEGTRAINER_BUILTIN_SCENARIOS",
                       str(Path(__file__).resolve().parents[1] / "fixtures" / "v1"))
