"""Engine benchmarks (issue 2). Prints figures with same-run baselines; asserts nothing.

    python bench/bench_engine.py

1. Loading + validating a generated 5,000-node scenario, as a ratio to only
   parsing the same file with PyYAML's C loader (target <= 2x).
2. Median time per `choose` over a long scripted session (target <= 50 us).
3. Full analysis of every built-in scenario (target <= 5 s in total).
"""

from __future__ import annotations

import statistics
import sys
import time
from pathlib import Path

import yaml

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))

from negtrainer.engine import analysis
from negtrainer.engine.loader import load_text
from negtrainer.engine.session import Session
from negtrainer.library import scenario_files
from negtrainer.paths import builtin_scenarios_dir


def generated_scenario(n: int) -> str:
    """A chain of n nodes, each with three choices and two conditional lines."""
    head = (ROOT / "scenarios" / "packaging-renewal.yaml").read_text(encoding="utf-8")
    head = head[: head.index("start: opening")]
    out = [head, "start: n0\nmax_turns: 500\non_max_turns: out_of_time\nnodes:\n"]
    for i in range(n):
        nxt = f"n{i + 1}" if i + 1 < n else "stalemate"
        out.append(
            f"  n{i}:\n"
            f"    say:\n"
            f"      - when: trust >= 50\n"
            f"        id: n{i}.warm\n"
            f"        text: \"Line {i}, said warmly, with a little more detail to be realistic.\"\n"
            f"      - id: n{i}.cool\n"
            f"        text: \"Line {i}, said coolly.\"\n"
            f"    choices:\n"
            f"      - {{id: c{i}a, text: \"How are things with you, really?\", move: small_talk,"
            f" next: {nxt}}}\n"
            f"      - {{id: c{i}b, text: \"What would make this work for you?\","
            f" move: open_question, topics: [plans], next: {nxt}}}\n"
            f"      - {{id: c{i}c, text: \"Take it or leave it.\", move: ultimatum,"
            f" when: \"trust < 90\", next: {nxt}}}\n"
        )
    tail = (ROOT / "scenarios" / "packaging-renewal.yaml").read_text(encoding="utf-8")
    out.append("  handshake:\n    say:\n      - {id: hs, text: Done.}\n    end: deal\n")
    out.append(tail[tail.index("\nendings:") + 1:])
    return "".join(out)


def best_of(fn, repeat: int) -> float:
    times = []
    for _ in range(repeat):
        t = time.perf_counter()
        fn()
        times.append(time.perf_counter() - t)
    return min(times)


def bench_load() -> None:
    text = generated_scenario(5000)
    sc, diags = load_text(text, "gen.yaml")
    assert sc is not None, [d.format() for d in diags[:3]]
    parse = best_of(lambda: yaml.load(text, Loader=yaml.CSafeLoader), 3)
    full = best_of(lambda: load_text(text, "gen.yaml"), 3)
    print(f"load+validate 5,000 nodes ({len(text) / 1e6:.1f} MB): {full * 1000:.0f} ms; "
          f"C-loader parse only: {parse * 1000:.0f} ms; ratio {full / parse:.2f}x (target <= 2x)")


def bench_choose() -> None:
    text = generated_scenario(400)
    sc, _ = load_text(text, "gen.yaml")
    times = []
    for seed in range(5):
        s = Session.start(sc, seed=seed, variant="warm")
        k = 0
        while not s.ended:
            cid = ("c%da" if k % 3 == 0 else "c%db") % k
            t = time.perf_counter_ns()
            s.choose(cid)
            times.append(time.perf_counter_ns() - t)
            k += 1
    base = []
    d = {"trust": 40.0}
    for _ in range(len(times)):
        t = time.perf_counter_ns()
        d = dict(d)
        d["trust"] += 1
        base.append(time.perf_counter_ns() - t)
    print(f"choose: median {statistics.median(times) / 1000:.1f} us over {len(times)} turns "
          f"(p90 {sorted(times)[int(len(times) * .9)] / 1000:.1f} us; target <= 50 us); "
          f"baseline dict copy+update {statistics.median(base) / 1000:.2f} us")


def bench_analysis() -> None:
    from negtrainer.engine.loader import try_load

    total = 0.0
    rows = []
    for path in scenario_files(builtin_scenarios_dir()):
        sc, _ = try_load(path)
        if sc is None:
            continue
        t = time.perf_counter()
        analysis.analyse(sc)
        dt = time.perf_counter() - t
        total += dt
        rows.append(f"{sc.id} {dt:.2f}s")
    load = best_of(lambda: [try_load(p) for p in scenario_files(builtin_scenarios_dir())], 1)
    print(f"analysis of {len(rows)} built-in scenarios: {total:.2f} s (target <= 5 s); "
          f"loading them alone: {load:.2f} s")
    print("  " + ", ".join(rows))


if __name__ == "__main__":
    bench_load()
    bench_choose()
    bench_analysis()
