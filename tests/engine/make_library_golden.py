"""Write the inputs and transcripts of tests/engine/golden_library (see its test).

python tests/engine/make_library_golden.py
"""

from __future__ import annotations

import shlex
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]
sys.path.insert(0, str(ROOT))

from negtrainer.engine.analysis import expert_path
from negtrainer.engine.loader import load_scenario
from negtrainer.engine.strategies import play

OUT = Path(__file__).parent / "golden_library"
DEBRIEFED = ("packaging-renewal", "closing-the-deal", "fixed-pie")


def as_line(item: dict) -> str:
    if "choice" in item:
        return str(item["choice"])
    if "offer" in item:
        return "offer " + " ".join(f"{k}={shlex.quote(str(v))}" for k, v in item["offer"].items())
    return "accept"


def main() -> int:
    import os

    os.environ["NEGTRAINER_REGEN_GOLDEN"] = "1"
    for path in sorted((ROOT / "scenarios").glob("*.yaml")):
        sc = load_scenario(path)
        variant = next(iter(sc.spec.counterpart.variants))
        cases = {
            "expert": (0, expert_path(sc, variant)["inputs"]),
            "label": (3, [r["input"] for r in play(sc, "label", 3, variant).state.log]),
        }
        if sc.id in DEBRIEFED:  # golden debriefs of the listener and the shortcuts too
            for who in ("listening", "grab", "caver"):
                cases[who] = (3, [r["input"] for r in play(sc, who, 3, variant).state.log])
        for who, (seed, inputs) in cases.items():
            d = OUT / f"{sc.id}-{who}"
            d.mkdir(parents=True, exist_ok=True)
            lines = [f"# scenario={sc.id} seed={seed} variant={variant}"]
            lines += [as_line(i) for i in inputs]
            (d / "input.txt").write_text("\n".join(lines) + "\n", encoding="utf-8")
    import pytest

    return pytest.main(
        [
            "-q",
            "-p",
            "no:cacheprovider",
            str(Path(__file__).parent / "test_golden_library.py"),
            "-k",
            "plain",
        ]
    )


if __name__ == "__main__":
    raise SystemExit(main())
