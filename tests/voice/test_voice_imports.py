"""Importing the voice package is cheap and keeps to its side of the boundaries."""

from __future__ import annotations

import subprocess
import sys

PROBE = (
    "import sys, negtrainer.voice, negtrainer.voice.commands; "
    "print(sorted(m for m in ('pyttsx3', 'PySide6', 'sqlite3', 'sqlite_utils') "
    "if m in sys.modules))"
)


def test_importing_the_voice_package_loads_no_speech_engine_no_qt_and_no_database():
    result = subprocess.run(
        [sys.executable, "-c", PROBE], capture_output=True, text=True, timeout=60, check=True
    )
    assert result.stdout.strip() == "[]"
