"""The import arrows of STYLE.md, machine-checked with import-linter."""

import shutil
import subprocess
import sys
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[1]


def _lint_imports(root: Path) -> subprocess.CompletedProcess[str]:
    return subprocess.run(
        [
            sys.executable,
            "-c",
            ("from importlinter.cli import lint_imports_command; lint_imports_command()"),
        ],
        cwd=root,
        capture_output=True,
        text=True,
        check=False,
        timeout=120,
    )


def test_import_boundaries_hold():
    result = _lint_imports(ROOT)
    assert result.returncode == 0, result.stdout + result.stderr
    assert "0 broken" in result.stdout


def test_an_engine_module_importing_the_text_report_breaks_the_layers(tmp_path):
    shutil.copytree(
        ROOT / "negtrainer", tmp_path / "negtrainer", ignore=shutil.ignore_patterns("__pycache__")
    )
    shutil.copy(ROOT / "pyproject.toml", tmp_path / "pyproject.toml")
    outcome = tmp_path / "negtrainer" / "engine" / "outcome.py"
    outcome.write_text(
        outcome.read_text(encoding="utf-8") + "\nimport negtrainer.report\n", encoding="utf-8"
    )
    result = _lint_imports(tmp_path)
    assert result.returncode != 0
    assert "Layers" in result.stdout and "BROKEN" in result.stdout
    assert "negtrainer.engine.outcome -> negtrainer.report" in result.stdout


def test_the_engine_and_the_store_pass_mypy():
    mypy = pytest.importorskip("mypy.api", reason="mypy is not installed (pip install '.[test]')")
    out, err, status = mypy.run(
        [
            "--config-file",
            str(ROOT / "pyproject.toml"),
            str(ROOT / "negtrainer" / "engine"),
            str(ROOT / "negtrainer" / "store"),
        ]
    )
    assert status == 0, out + err


def test_the_engine_never_names_qt_sqlite_or_pyttsx3():
    # import-linter sees imports; this also catches lazy imports inside functions.
    for path in (ROOT / "negtrainer" / "engine").rglob("*.py"):
        text = path.read_text(encoding="utf-8")
        for banned in ("PySide6", "sqlite3", "sqlite_utils", "pyttsx3"):
            assert f"import {banned}" not in text and f"from {banned}" not in text, path


PLACES = ["negtrainer", "tests", "bench", "docs", "packaging"]


def _ruff(*args: str) -> subprocess.CompletedProcess:
    result = subprocess.run(
        [sys.executable, "-m", "ruff", *args, *PLACES],
        cwd=ROOT,
        capture_output=True,
        text=True,
        check=False,
        timeout=120,
    )
    if "No module named ruff" in result.stderr:
        pytest.skip("ruff is not installed (pip install '.[dev]')")
    return result


def test_the_code_passes_ruff():
    result = _ruff("check")
    assert result.returncode == 0, result.stdout


def test_the_code_is_laid_out_by_ruff_format():
    result = _ruff("format", "--check")
    assert result.returncode == 0, result.stdout + "\nRun: ruff format ."
