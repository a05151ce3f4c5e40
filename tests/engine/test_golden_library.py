"""Golden transcripts of every built-in scenario, played plainly and through JSON.

Each case is ``golden_library/<scenario>-<player>/input.txt`` (first line
``# seed=N variant=V``, then terminal inputs) and the ``transcript.txt`` the
terminal player prints for it, debrief included. The inputs are the expert
path and the label reader's session of the first variant, written by
``python tests/engine/make_library_golden.py``; after an intended change to a
scenario or the engine, rerun it (or set NEGTRAINER_REGEN_GOLDEN=1) and read
the diff.
"""

import importlib.util
import os
from pathlib import Path

import pytest

from negtrainer.engine.loader import load_scenario

ROOT = Path(__file__).resolve().parents[2]
# Played as the format 1 golden tests play theirs, through the same JSON round trip.
_spec = importlib.util.spec_from_file_location(
    "golden_v1", Path(__file__).with_name("test_golden.py")
)
_golden = importlib.util.module_from_spec(_spec)
_spec.loader.exec_module(_golden)
HERE = Path(__file__).parent / "golden_library"
CASES = (
    sorted(p.name for p in HERE.iterdir() if (p / "input.txt").exists()) if HERE.exists() else []
)


def run_case(name: str, roundtrip: bool) -> str:
    return _golden.play_input(
        HERE / name,
        lambda params: load_scenario(ROOT / "scenarios" / f"{params['scenario']}.yaml"),
        roundtrip,
    )


def test_every_built_in_scenario_has_golden_transcripts():
    ids = {p.stem for p in (ROOT / "scenarios").glob("*.yaml")}
    covered = {c.rsplit("-", 1)[0] for c in CASES}
    assert ids <= covered, f"no golden transcript for {sorted(ids - covered)}"
    # Golden debriefs of the listener and each shortcut in at least three scenarios.
    for who in ("listening", "grab", "caver"):
        assert len([c for c in CASES if c.endswith("-" + who)]) >= 3, who


@pytest.mark.parametrize("roundtrip", [False, True], ids=["plain", "json"])
@pytest.mark.parametrize("name", CASES)
def test_library_golden_transcript(name, roundtrip):
    got = run_case(name, roundtrip)
    expected = HERE / name / "transcript.txt"
    if os.environ.get("NEGTRAINER_REGEN_GOLDEN") and not roundtrip:
        expected.write_text(got, encoding="utf-8")
    assert got == expected.read_text(encoding="utf-8")
