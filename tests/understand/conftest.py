import pytest


@pytest.fixture(autouse=True)
def fixed_library(fixed_library):
    """These tests script the format 1 packaging-renewal by choice id."""
    return fixed_library
