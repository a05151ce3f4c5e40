"""Running the command line as an outsider does: a child process, its output captured."""

import subprocess
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]


def run(command, *, stdin=None, cwd=ROOT, env=None, timeout=120):
    """``command`` run to its end; a failing exit code is the test's to judge, not an error."""
    return subprocess.run(
        [str(part) for part in command],
        input=stdin,
        cwd=cwd,
        env=env,
        capture_output=True,
        text=True,
        timeout=timeout,
        check=False,
    )


def negtrainer(*args, **kwargs):
    """``python -m negtrainer *args`` from the checkout (or ``cwd``), with ``run``'s options."""
    return run([sys.executable, "-m", "negtrainer", *args], **kwargs)
