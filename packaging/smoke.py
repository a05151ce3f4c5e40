"""Smoke check of the desktop bundle: build it, then use it as a person would.

    python3 packaging/smoke.py              # build, then check (about 2-4 minutes)
    python3 packaging/smoke.py --no-build   # check the bundle already in dist/

Every step runs the bundle's own program from a scratch folder, away from the
source tree, with a scratch home (no settings, database or scenarios of the
person running it are read or changed):

1. ``negtrainer --version``
2. the window, offscreen, up to its first paint, the library loaded with every
   bundled scenario, and a trust chart drawn (QtCharts)
3. ``negtrainer check`` on the bundled scenarios
4. a scripted ``negtrainer play`` to a deal, saved, and listed by ``sessions list``
5. the speech worker's entry point (its voice list) and ``negtrainer say``
6. on Linux: the .tar.gz unpacked, ``install.sh`` into the scratch home (menu
   entry, icon, ~/.local/bin link), the installed program started, and
   ``install.sh --uninstall``

Exit 0 when every step passed. Start-up timings are in bench/bench_bundle.py.
"""

from __future__ import annotations

import argparse
import json
import os
import subprocess
import sys
import tarfile
import tempfile
import time
from pathlib import Path

HERE = Path(__file__).resolve().parent
sys.path.insert(0, str(HERE))
import build

# packaging-renewal, warm variant, seed 4: these inputs end in a signed deal.
MOVES = HERE / "deal-moves.txt"
DEAL_PLAY = (
    "play",
    "packaging-renewal",
    "--seed",
    "4",
    "--variant",
    "warm",
    "--script",
    str(MOVES),
    "--no-briefs",
)
DEAL_ENDING = "Ending: A renewal that fills the line (deal)"


def scratch_env(home: Path) -> dict[str, str]:
    """A clean environment: no PYTHONPATH (the bundle must not need the checkout)."""
    keep = ("PATH", "LANG", "LC_ALL", "TMPDIR", "SYSTEMROOT", "DISPLAY", "WAYLAND_DISPLAY")
    env = {k: v for k, v in os.environ.items() if k in keep}
    env.update(
        HOME=str(home),
        XDG_CONFIG_HOME=str(home / ".config"),
        XDG_DATA_HOME=str(home / ".local" / "share"),
        XDG_CACHE_HOME=str(home / ".cache"),
        QT_QPA_PLATFORM="offscreen",
    )
    return env


class Smoke:
    def __init__(self, exe: Path, scratch: Path) -> None:
        self.exe = exe
        self.scratch = scratch
        self.home = scratch / "home"
        self.home.mkdir()
        self.env = scratch_env(self.home)
        self.failures: list[str] = []

    def run(
        self, *args: str, timeout: float = 120, exe: Path | None = None, stdin: str | None = None
    ) -> subprocess.CompletedProcess[str]:
        return subprocess.run(
            [str(exe or self.exe), *args],
            cwd=self.scratch,
            env=self.env,
            input=stdin if stdin is not None else "",
            capture_output=True,
            text=True,
            timeout=timeout,
            check=False,
        )

    def step(self, name: str, ok: bool, detail: str = "") -> None:
        print(
            f"{'PASS' if ok else 'FAIL'}  {name}" + (f"  ({detail})" if detail else ""), flush=True
        )
        if not ok:
            self.failures.append(name)

    def bundled_scenarios(self) -> int:
        return len(
            list(
                (self.exe.parent / "_internal" / "negtrainer" / "builtin_scenarios").glob("*.yaml")
            )
        )

    def version(self) -> None:
        r = self.run("--version")
        want = f"negtrainer {build.version()}"
        self.step(
            "--version",
            r.returncode == 0 and r.stdout.strip() == want,
            r.stdout.strip() or r.stderr.strip()[-300:],
        )

    def first_window(self) -> None:
        start = time.perf_counter()
        r = self.run("--negtrainer-first-window", str(self.home / "window.db"), timeout=90)
        took = time.perf_counter() - start
        lines = r.stdout.split()
        n = self.bundled_scenarios()
        ok = (
            r.returncode == 0
            and "shown" in lines
            and f"ready {n}".split() == lines[1:3]
            and "charts" in lines
        )
        self.step(
            "window: first paint, library of every bundled scenario, a chart drawn",
            ok,
            f"{n} scenarios, {took:.1f} s" if ok else (r.stdout + r.stderr)[-600:],
        )

    def check(self) -> None:
        r = self.run("check", timeout=600)
        last = r.stdout.strip().splitlines()[-1] if r.stdout.strip() else r.stderr[-300:]
        n = self.bundled_scenarios()
        self.step(
            "check on the bundled scenarios",
            r.returncode == 0 and last.startswith(f"{n} scenario file(s): 0 error(s)"),
            last,
        )

    def play(self) -> None:
        r = self.run(*DEAL_PLAY)
        ok = r.returncode == 0 and DEAL_ENDING in r.stdout and "saved)" in r.stdout
        self.step("scripted play to a deal", ok, "" if ok else (r.stdout[-400:] + r.stderr[-400:]))
        listed = self.run("sessions", "list", "--json")
        try:
            rows = json.loads(listed.stdout)["sessions"]
        except (ValueError, KeyError, TypeError):
            rows = []
        saved = [
            r
            for r in rows
            if r.get("scenario_id") == "packaging-renewal" and r.get("ending_kind") == "deal"
        ]
        self.step(
            "the played session is saved and listed",
            len(saved) == 1,
            f"{len(rows)} session(s)" if rows else listed.stderr[-300:],
        )

    def voice(self) -> None:
        r = self.run("--negtrainer-voice-worker", "--list-voices", timeout=60)
        events = [json.loads(line) for line in r.stdout.splitlines() if line.startswith("{")]
        voices = [e for e in events if e.get("ev") == "voices"]
        detail = (
            f"driver {voices[0].get('driver')}, {len(voices[0].get('voices', []))} voices"
            if voices
            else (r.stdout + r.stderr)[-400:]
        )
        self.step(
            "speech worker entry point lists the engine's voices",
            r.returncode == 0 and bool(voices and voices[0].get("voices")),
            detail,
        )
        # The program starts its own worker here, as the window does.
        r = self.run("say", "packaging-renewal", "open.warm", timeout=60)
        self.step(
            "say: the program speaks one line through its worker",
            r.returncode == 0,
            (r.stdout + r.stderr).strip()[-300:],
        )

    def install(self, archive: Path) -> None:
        unpack = self.scratch / "unpacked"
        with tarfile.open(archive) as tar:
            tar.extractall(unpack, filter="tar")
        (folder,) = unpack.iterdir()
        r = self.run(str(folder / "install.sh"), exe=Path("sh"), timeout=300)
        app = self.home / ".local" / "opt" / "negtrainer"
        entry = self.home / ".local" / "share" / "applications" / "negtrainer.desktop"
        icon = (
            self.home
            / ".local"
            / "share"
            / "icons"
            / "hicolor"
            / "scalable"
            / "apps"
            / "negtrainer.svg"
        )
        link = self.home / ".local" / "bin" / "negtrainer"
        exec_line = (
            next((ln for ln in entry.read_text().splitlines() if ln.startswith("Exec=")), "")
            if entry.exists()
            else ""
        )
        ok = (
            r.returncode == 0
            and icon.exists()
            and link.is_symlink()
            and exec_line == f'Exec="{app}/negtrainer"'
        )
        self.step(
            "install.sh: menu entry, icon and ~/.local/bin link, no root",
            ok,
            exec_line if ok else (r.stdout + r.stderr)[-400:],
        )
        v = self.run("--version", exe=link)
        self.step("the installed program starts", v.returncode == 0, v.stdout.strip())
        w = self.run(
            "--negtrainer-first-window", str(self.home / "installed.db"), exe=link, timeout=90
        )
        self.step(
            "the installed program opens its window",
            w.returncode == 0 and "shown" in w.stdout,
            (w.stdout + w.stderr)[-300:],
        )
        u = self.run(str(app / "install.sh"), "--uninstall", exe=Path("sh"), timeout=60)
        gone = not (app.exists() or entry.exists() or icon.exists() or link.is_symlink())
        kept = (self.home / ".local" / "share" / "negtrainer" / "negtrainer.db").exists()
        self.step(
            "install.sh --uninstall removes it and keeps the sessions",
            u.returncode == 0 and gone and kept,
            u.stdout.strip()[-200:],
        )


def main(argv: list[str] | None = None) -> int:
    ap = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    ap.add_argument("--no-build", action="store_true", help="check the bundle in dist/")
    args = ap.parse_args(argv)
    if not args.no_build:
        start = time.perf_counter()
        code = build.main([])
        if code:
            return code
        print(f"build.py: {time.perf_counter() - start:.0f} s in all")
    exe = build.executable()
    if not exe.exists():
        print(f"smoke: no bundle at {exe}: run python3 packaging/build.py", file=sys.stderr)
        return 2
    with tempfile.TemporaryDirectory(prefix="negtrainer-smoke-") as tmp:
        smoke = Smoke(exe, Path(tmp))
        smoke.version()
        smoke.first_window()
        smoke.check()
        smoke.play()
        smoke.voice()
        archive = build.DIST / f"{build.archive_name()}.tar.gz"
        if sys.platform.startswith("linux") and archive.exists():
            smoke.install(archive)
    if smoke.failures:
        print(f"smoke: {len(smoke.failures)} step(s) failed: {', '.join(smoke.failures)}")
        return 1
    print("smoke: every step passed")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
