import os
import sys
from pathlib import Path

import pytest

# The suite runs with --import-mode=importlib, which leaves sys.path alone; the tests import
# their shared helpers (clirun) from here.
sys.path.insert(0, str(Path(__file__).resolve().parent))

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


@pytest.fixture
def lock_folder():
    """``lock_folder(folder)`` makes a folder nobody may write to, even root (who ignores
    permissions, hence chattr +i), and returns the call that undoes it; the test's end undoes
    it too. Skips where neither works."""
    import shutil
    import subprocess

    undo = []

    def lock(folder):
        if os.name != "posix":
            pytest.skip("POSIX permissions needed")
        if os.geteuid() != 0:
            folder.chmod(0o555)
            undo.append(lambda: folder.chmod(0o755))
        elif (
            not shutil.which("chattr")
            or subprocess.run(
                ["chattr", "+i", str(folder)], capture_output=True, check=False
            ).returncode
        ):
            pytest.skip("running as root and this file system cannot make a folder immutable")
        else:
            undo.append(lambda: subprocess.run(["chattr", "-i", str(folder)], check=False))
        return undo[-1]

    yield lock
    for u in undo:
        u()
