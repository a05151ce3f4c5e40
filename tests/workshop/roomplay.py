"""Scripted sessions for workshop tests and the benchmark: a room, played by a script."""

from __future__ import annotations

from pathlib import Path

from negtrainer.store import Store
from negtrainer.workshop import files, service

ROOT = Path(__file__).resolve().parents[2]
GOOD = [
    line
    for line in (ROOT / "tests/engine/golden/listening-warm/input.txt").read_text().splitlines()
    if line and not line.startswith("#")
]
# Pressure from the first line: the vicious cycle, ending in an impasse.
BAD = ["open_ultimatum", "threat_tender", "refuse_increase", "walk_away"]


def parse_line(line: str, session):
    from negtrainer.terminal import parse_input

    return parse_input(line, session)


def play(store: Store, w, exercise: str, who: str, script: list[str]) -> str:
    """Play one scripted session for a participant (as the window and CLI do)."""
    started = service.start(store, w, exercise, who)
    for line in script:
        if started.session.ended:
            break
        started.recorder.apply(parse_line(line, started.session))
    started.recorder.finish()
    return started.session_id


def workshop_with_exercise(store: Store, names=("Ana", "Ben", "Cy")):
    w = service.create(store, "Monday class", list(names))
    sc = service.load_scenario("packaging-renewal")
    return service.add_exercise(
        store, w, sc, variant="warm", seed=4, minutes=12, questions=["Where did trust turn?"]
    )


def laptop(tmp: Path, name: str, workshop_file: Path) -> tuple[Store, object]:
    store = Store.open(tmp / f"{name}.db", backup_every_hours=None)
    return store, files.join(store, workshop_file)


def facilitator_room(tmp: Path):
    """For a fixture to yield from: the facilitator's store, a workshop with one exercise and
    that workshop's file; the store is closed afterwards."""
    fac = Store.open(tmp / "fac.db", backup_every_hours=None)
    w = workshop_with_exercise(fac)
    wfile = files.export_workshop(fac, w, tmp / "w.json")
    yield fac, w, wfile
    fac.close()


def results_file(
    tmp: Path,
    wfile: Path,
    name="laptop",
    plays=(("Ana", GOOD),),
    note=None,
    *,
    anonymised_too=False,
) -> tuple[Path, Path | None]:
    """A laptop joins from ``wfile``, plays each (who, script) of ``plays`` in exercise e1 and
    writes its results file (and, asked, an anonymised one beside it)."""
    store, w = laptop(tmp, name, wfile)
    anon = None
    with store:
        for who, script in plays:
            sid = play(store, w, "e1", who, script)
            if note:
                store.add_note(sid, 1, note)
        out = tmp / f"{name}.json"
        files.export_results(store, w, out)
        if anonymised_too:
            anon = tmp / f"{name}-anon.json"
            files.export_results(store, w, anon, anonymous=True)
    return out, anon
