"""Start-up of the desktop bundle against running from source, in the same run.

    python3 packaging/build.py          # once: the bundle in dist/negtrainer
    python3 bench/bench_bundle.py [--runs 7]

Both start the same path a person gets (the window, the library loaded) through
``--negtrainer-first-window`` offscreen, from a scratch folder with a scratch home,
interleaved so drift hits both alike. Figures: time to the first paint and time
until the library is ready, medians.
"""

from __future__ import annotations

import argparse
import os
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT / "packaging"))
import build


def start(cmd: list[str], env: dict[str, str], cwd: Path) -> tuple[float, float]:
    """Seconds to ``shown`` and to ``ready`` for one fresh process."""
    t0 = time.perf_counter()
    proc = subprocess.Popen(
        cmd, stdout=subprocess.PIPE, stderr=subprocess.DEVNULL, text=True, env=env, cwd=cwd
    )
    assert proc.stdout is not None
    shown = ready = 0.0
    for line in proc.stdout:
        if line.startswith("shown"):
            shown = time.perf_counter() - t0
        elif line.startswith("ready"):
            ready = time.perf_counter() - t0
    proc.wait(timeout=90)
    if not (shown and ready) or proc.returncode:
        raise RuntimeError(f"{cmd[0]} did not reach its window")
    return shown, ready


def main(argv: list[str] | None = None) -> int:
    ap = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    ap.add_argument("--runs", type=int, default=7)
    args = ap.parse_args(argv)
    exe = build.executable()
    if not exe.exists():
        print(f"no bundle at {exe}: run python3 packaging/build.py first", file=sys.stderr)
        return 2
    with tempfile.TemporaryDirectory(prefix="negtrainer-bench-") as tmp:
        scratch = Path(tmp)
        env = {k: v for k, v in os.environ.items() if k in ("PATH", "LANG", "TMPDIR")}
        env.update(
            HOME=str(scratch),
            XDG_CONFIG_HOME=str(scratch / "config"),
            NEGTRAINER_SCENARIOS=str(scratch / "mine"),
            QT_QPA_PLATFORM="offscreen",
        )
        source_env = dict(env, PYTHONPATH=str(ROOT))
        db = str(scratch / "bench.db")
        source = [sys.executable, "-m", "negtrainer", "--negtrainer-first-window", db]
        bundle = [str(exe), "--negtrainer-first-window", db]
        start(source, source_env, scratch)  # warm the file cache for both
        start(bundle, env, scratch)
        times: dict[str, list[tuple[float, float]]] = {"source": [], "bundle": []}
        for _ in range(args.runs):
            times["source"].append(start(source, source_env, scratch))
            times["bundle"].append(start(bundle, env, scratch))
    print(f"start-up, offscreen, fresh process, median of {args.runs} interleaved runs")
    print(f"{'':24}{'first paint':>14}{'library ready':>16}")
    med = {}
    for name, label in (("source", "from source (python3)"), ("bundle", "bundle")):
        shown = statistics.median(t[0] for t in times[name])
        ready = statistics.median(t[1] for t in times[name])
        med[name] = (shown, ready)
        print(f"{label:24}{shown * 1000:11.0f} ms{ready * 1000:13.0f} ms")
    print(
        f"{'bundle / source':24}{med['bundle'][0] / med['source'][0]:12.2f} x"
        f"{med['bundle'][1] / med['source'][1]:14.2f} x"
    )
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
