import sys
from pathlib import Path

import pytest

# The suite runs with --import-mode=importlib, which leaves sys.path alone; the
# store's tests share a helper module (also run as a subprocess) from this folder.
sys.path.insert(0, str(Path(__file__).parent))

from storeplay import SAMPLE, long_seed

from negtrainer.engine.loader import load_scenario
from negtrainer.store import Store


@pytest.fixture(scope="session")
def scenario():
    return load_scenario(SAMPLE)


@pytest.fixture(scope="session")
def seed(scenario):
    """A seed whose scripted session is long enough to be interesting."""
    return long_seed(scenario)


@pytest.fixture
def store():
    s = Store.memory()
    yield s
    s.close()


@pytest.fixture
def db_path(tmp_path):
    return tmp_path / "data" / "negtrainer.db"


@pytest.fixture
def file_store(db_path):
    s = Store.open(db_path, backup_every_hours=None)
    yield s
    s.close()
