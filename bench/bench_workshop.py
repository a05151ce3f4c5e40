"""Workshop benchmark (issue 14). Prints figures with a same-run baseline; asserts nothing.

    python bench/bench_workshop.py [--files 100] [--sessions 30] [--dir DIR]

Builds a workshop and 100 results files of 30 scripted sessions each (played
in memory, written as laptops write them), then measures:

1. collecting every file into a fresh facilitator database (each file checked
   and every session re-run through the engine, one transaction per file);
2. opening the presenter view on the 3,000 collected sessions (offscreen Qt),
   until its slides are built;

against the baseline of reading the same files with ``json.load`` (target:
collect + presenter <= 2 s). Collecting all the files a second time (nothing
changes) is printed too.
"""

from __future__ import annotations

import argparse
import contextlib
import json
import os
import shutil
import sys
import tempfile
import time
import uuid
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))
os.environ.setdefault("QT_QPA_PLATFORM", "offscreen")

from negtrainer.engine.session import ChoiceUnavailable, Session
from negtrainer.store import Store, exchange, rows
from negtrainer.workshop import files, service

GOOD = [line for line in (ROOT / "tests/engine/golden/listening-warm/input.txt")
        .read_text().splitlines() if line and not line.startswith("#")]
BAD = ["open_ultimatum", "threat_tender", "refuse_increase", "walk_away"]
SCRIPTS = [GOOD, BAD, GOOD[:6] + BAD[-1:], BAD[:2] + GOOD[2:], GOOD[:3] + BAD[-2:]]


def played(scenario: object, script: list[str], who: str) -> Session:
    from negtrainer.terminal import parse_input

    s = Session.start(scenario, seed=4, variant="warm", learner=who)
    for line in script:
        if s.ended:
            break
        # A mixed script may name a choice not offered here: it is skipped.
        offered = {c.id for c in s.choices if c.available}
        if line in offered or line.isdigit() or (line.startswith("offer") and s.can_offer):
            with contextlib.suppress(ChoiceUnavailable):
                s.apply(parse_input(line, s))
    return s


def build(folder: Path, n_files: int, per_file: int) -> tuple[Path, list[Path]]:
    fac_db = folder / "facilitator.db"
    with Store.open(fac_db, backup_every_hours=None) as store:
        names = [f"Learner {i:03d}" for i in range(150)]
        w = service.create(store, "Benchmark room", names)
        sc = service.load_scenario("packaging-renewal")
        w = service.add_exercise(store, w, sc, variant="warm", seed=4)
    # The same few sessions, re-identified: what matters is the files' size and checks.
    templates = []
    for _i, script in enumerate(SCRIPTS):
        s = played(sc, script, "x")
        templates.append(s)
    out = []
    for f in range(n_files):
        docs, tags = [], []
        for k in range(per_file):
            who = names[(f * per_file + k) % len(names)]
            s = templates[(f + k) % len(templates)]
            sid = str(uuid.uuid4())
            doc = exchange.live_session_doc(s, sid, who, rows.now(), {}, finished=True)
            for t in doc["turns"]:
                t["state"]["learner"] = who
            docs.append(doc)
            tags.append({"session": sid, "exercise": "e1", "participant": who})
        body = {"format": files.RESULTS_FORMAT, "version": files.VERSION,
                "exported_at": rows.now(), "workshop": {"id": w.id, "name": w.name},
                "tags": tags, "sessions": exchange.file_doc(docs, {sc.content_hash: sc})}
        path = folder / f"laptop{f:03d}.results.json"
        exchange.write_doc(body, path)
        out.append(path)
    return fac_db, out


def main() -> None:
    ap = argparse.ArgumentParser()
    ap.add_argument("--files", type=int, default=100)
    ap.add_argument("--sessions", type=int, default=30)
    ap.add_argument("--dir")
    args = ap.parse_args()
    folder = Path(args.dir or tempfile.mkdtemp(prefix="nt-bench-workshop-"))
    folder.mkdir(parents=True, exist_ok=True)
    t0 = time.perf_counter()
    fac_db, paths = build(folder, args.files, args.sessions)
    size = sum(p.stat().st_size for p in paths)
    print(f"built {len(paths)} results files x {args.sessions} sessions "
          f"({size / 2**20:.1f} MB) in {time.perf_counter() - t0:.1f} s")

    t = time.perf_counter()
    for p in paths:
        with open(p, encoding="utf-8") as fh:
            json.load(fh)
    baseline = time.perf_counter() - t

    from PySide6.QtWidgets import QApplication

    app = QApplication.instance() or QApplication([])
    from negtrainer.gui.presenter import PresenterWindow
    from negtrainer.gui.services import Services

    store = Store.open(fac_db, backup_every_hours=None)
    w = service.find(store, "Benchmark room")
    t = time.perf_counter()
    found = files.collect(store, w, paths)
    collect_s = time.perf_counter() - t
    taken = sum(len(c.added) for c in found)
    refused = [c.line() for c in found if c.status == "refused"]

    services = Services(store)
    t = time.perf_counter()
    p = PresenterWindow(services, w)
    p.resize(1280, 800)
    p.show()
    p.load()
    while not p.loaded:
        app.processEvents()
        services.wait(10)
    app.processEvents()
    present_s = time.perf_counter() - t
    played_n = len(p.view.played) if p.view else 0

    t = time.perf_counter()
    again = files.collect(store, w, paths)
    again_s = time.perf_counter() - t
    print(f"json.load of the same files (baseline): {baseline * 1000:8.0f} ms")
    print(f"collect {len(paths)} files ({taken} sessions re-run):   {collect_s * 1000:8.0f} ms "
          f"({collect_s / baseline:.0f}x baseline){'; REFUSED: ' + str(refused) if refused else ''}")
    print(f"open the presenter view ({played_n} sessions): {present_s * 1000:8.0f} ms")
    total = collect_s + present_s
    print(f"collect + presenter:                      {total * 1000:8.0f} ms "
          f"(target <= 2000 ms: {'met' if total <= 2 else 'NOT met'})")
    print(f"collect the same files again (no change): {again_s * 1000:8.0f} ms "
          f"({sum(c.status == 'already' for c in again)} already collected)")
    p.close()
    services.close()
    store.close()
    if not args.dir:
        shutil.rmtree(folder, ignore_errors=True)


if __name__ == "__main__":
    main()
