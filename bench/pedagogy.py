"""Print the pedagogy table of the built-in library (docs/pedagogy.md is made from it).

    python bench/pedagogy.py [--seeds 20] [--jobs N] [FILE ...]

Per scenario and variant: the expert path's ending, and the share of runs in
which each scripted player reaches a good ending (listening must be >= 80 %,
label and surface readers <= 25 %), with deals below the learner's walk-away
(b) and deals breaking a revealed need (n). Also the library's size figures.
"""

from __future__ import annotations

import argparse
import os
import sys
import time
from concurrent.futures import ProcessPoolExecutor
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from negtrainer.engine import analysis
from negtrainer.engine.loader import load_scenario


def one(path: Path, seeds: int) -> tuple[dict, tuple]:
    """One scenario's pedagogy table and size figures (a worker process runs this)."""
    sc = load_scenario(path)
    d = analysis.distractor_nodes(sc)
    size = (
        sc.id,
        len(sc.spec.nodes),
        len(sc.lines),
        len(sc.spec.interests),
        len(sc.spec.counterpart.variants),
        len(sc.spec.endings),
        f"{sum(d.values())}/{len(d)}",
        len(sc.spec.objectives),
    )
    return analysis.pedagogy(sc, seeds=seeds), size


def main() -> int:
    ap = argparse.ArgumentParser()
    ap.add_argument("--seeds", type=int, default=20)
    ap.add_argument(
        "--jobs", type=int, default=os.cpu_count() or 1, help="processes (default: one per core)"
    )
    ap.add_argument("files", nargs="*")
    args = ap.parse_args()
    files = [Path(f) for f in args.files] or sorted((ROOT / "scenarios").glob("*.yaml"))
    print("| scenario | variant | expert ending | listening | label | surface | grab | caver |")
    print("|---|---|---|---|---|---|---|---|")
    sizes = []
    t0 = time.perf_counter()
    jobs = max(1, min(args.jobs, len(files)))
    if jobs == 1:
        results = [one(f, args.seeds) for f in files]
    else:
        with ProcessPoolExecutor(jobs) as pool:
            results = list(pool.map(one, files, [args.seeds] * len(files)))
    for p, size in results:
        for v, row in p["variants"].items():
            cells = []
            for name in analysis.PEDAGOGY_PLAYERS:
                r = row[name]
                extra = []
                if r["below_walkaway"]:
                    extra.append(f"{r['below_walkaway']} below walk-away")
                if r["broke_revealed_need"]:
                    extra.append(f"{r['broke_revealed_need']} broke a need")
                cells.append(f"{r['good']:.0%}" + (f" ({', '.join(extra)})" if extra else ""))
            mark = "" if row["expert_good"] else " ✘"
            print(f"| {p['id']} | {v} | {row['expert_ending']}{mark} | " + " | ".join(cells) + " |")
        sizes.append(size)
    print()
    print(
        "| scenario | nodes | lines | interests | variants | endings | nodes with a "
        "distractor | objectives |"
    )
    print("|---|---|---|---|---|---|---|---|")
    for row in sizes:
        print("| " + " | ".join(map(str, row)) + " |")
    print(
        f"\n{len(files)} scenarios, {args.seeds} seeds per variant and player, "
        f"{time.perf_counter() - t0:.1f} s over {jobs} process(es)"
    )
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
