"""An installed (non-editable) wheel carries the built-in scenarios and assets, and
works from a fresh virtual environment away from the source tree."""

import os
import subprocess
import sys
import zipfile
from pathlib import Path

import pytest
from clirun import run

from negtrainer import __version__

ROOT = Path(__file__).resolve().parents[1]
# The bundle's smoke test (run standalone there) owns the play that ends in a deal.
sys.path.insert(0, str(ROOT / "packaging"))
from smoke import DEAL_ENDING, DEAL_PLAY


@pytest.fixture(scope="module")
def wheel(tmp_path_factory):
    out = tmp_path_factory.mktemp("wheel")
    r = run(
        [sys.executable, "-m", "pip", "wheel", ROOT, "--no-deps", "-q", "-w", out],
        cwd=None,
        timeout=300,
    )
    assert r.returncode == 0, r.stderr
    (built,) = out.glob("negtrainer-*.whl")
    return built


def test_the_wheel_carries_scenarios_schema_and_assets(wheel):
    names = set(zipfile.ZipFile(wheel).namelist())
    for scenario in (ROOT / "scenarios").glob("*.yaml"):
        assert f"negtrainer/builtin_scenarios/{scenario.name}" in names
    assert "negtrainer/builtin_scenarios/schema.json" in names
    assert any(n.startswith("negtrainer/assets/") for n in names)


def test_the_wheel_in_a_fresh_venv_checks_and_plays_away_from_the_source_tree(wheel, tmp_path):
    # The venv sees this machine's packages for the dependencies (no download); the
    # wheel goes into the venv itself, ahead of any negtrainer installed system-wide.
    venv = tmp_path / "venv"
    subprocess.run(
        [sys.executable, "-m", "venv", "--without-pip", "--system-site-packages", str(venv)],
        check=True,
        timeout=120,
    )
    bindir = venv / ("Scripts" if os.name == "nt" else "bin")
    python = bindir / "python"
    r = run(
        [sys.executable, "-m", "pip", "--python", python, "install", "--no-index", "--no-deps"]
        + ["--force-reinstall", "-q", wheel],
        cwd=None,
        timeout=300,
    )
    assert r.returncode == 0, r.stderr
    away = tmp_path / "elsewhere"
    away.mkdir()
    env = {k: v for k, v in os.environ.items() if k not in ("PYTHONPATH", "NEGTRAINER_DB")}
    env.update(
        HOME=str(away), XDG_DATA_HOME=str(away / "data"), NEGTRAINER_SCENARIOS=str(away / "mine")
    )

    def negtrainer(*args):
        return run([bindir / "negtrainer", *args], cwd=away, env=env, timeout=300)

    assert negtrainer("--version").stdout.strip() == f"negtrainer {__version__}"
    listed = negtrainer("list")
    builtin = listed.stdout.splitlines()[0]
    assert builtin.startswith(f"Built-in scenarios: {venv}"), builtin
    assert "packaging-renewal" in listed.stdout
    checked = negtrainer("check")
    count = len(list((ROOT / "scenarios").glob("*.yaml")))
    assert checked.returncode == 0, checked.stderr
    assert f"{count} scenario file(s): 0 error(s)" in checked.stdout
    played = negtrainer(*DEAL_PLAY)
    assert played.returncode == 0, played.stderr
    assert DEAL_ENDING in played.stdout
    assert (away / "data" / "negtrainer" / "negtrainer.db").exists(), "saved in the data folder"
