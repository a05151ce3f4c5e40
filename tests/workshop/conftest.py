import sys
from pathlib import Path

# Shared helpers for the workshop tests (the suite runs with --import-mode=importlib).
sys.path.insert(0, str(Path(__file__).parent))

import pytest


@pytest.fixture(autouse=True)
def fixed_library(fixed_library):
    """These tests script the format 1 packaging-renewal by choice id."""
    return fixed_library
