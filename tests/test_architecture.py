"""The import arrows of STYLE.md, machine-checked with import-linter."""

import subprocess
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]


def test_import_boundaries_hold():
    result = subprocess.run(
        [sys.executable, "-c", ("from importlinter.cli import lint_imports_command; "
         "lint_imports_command()")],
        cwd=ROOT, capture_output=True, text=True, check=False, timeout=120,
    )
    assert result.returncode == 0, result.stdout + result.stderr
    assert "0 broken" in result.stdout


def test_the_engine_never_names_qt_sqlite_or_pyttsx3():
    # import-linter sees imports; this also catches lazy imports inside functions.
    for path in (ROOT / "negtrainer" / "engine").rglob("*.py"):
        text = path.read_text(encoding="utf-8")
        for banned in ("PySide6", "sqlite3", "sqlite_utils", "pyttsx3"):
            assert f"import {banned}" not in text and f"from {banned}" not in text, path


def test_the_code_passes_ruff():
    result = subprocess.run([sys.executable, "-m", "ruff", "check", "negtrainer", "tests", "bench",
                             "docs", "packaging"], cwd=ROOT, capture_output=True, text=True,
                            check=False, timeout=120)
    if "No module named ruff" in result.stderr:
        import pytest

        pytest.skip("ruff is not installed (pip install '.[dev]')")
    assert result.returncode == 0, result.stdout
