"""A workshop from preparation to report: three laptops, one facilitator, real files."""

import json
import shutil
import subprocess

import pytest
from roomplay import BAD, GOOD, laptop, play, workshop_with_exercise

from negtrainer.cli import main
from negtrainer.store import Store
from negtrainer.store import workshops as ws
from negtrainer.workshop import files, service

pytestmark = pytest.mark.skipif(
    shutil.which("pdftotext") is None, reason="pdftotext (poppler-utils) is not installed"
)


def _damage(src, dst):
    """The same results with one input edited into a line the scenario never offers: the
    engine replaying the session must notice."""
    doc = json.loads(src.read_text())
    doc["sessions"][-1]["inputs"][1] = {"choice": "promise_the_moon"}
    dst.write_text(json.dumps(doc))


def test_three_laptops_play_and_the_facilitator_collects_them_into_a_report(
    tmp_path, capsys, monkeypatch
):
    monkeypatch.setenv("NEGTRAINER_DB", str(tmp_path / "unused.db"))
    fac_db = str(tmp_path / "facilitator.db")
    with Store.open(fac_db, backup_every_hours=None) as fac:
        workshop_with_exercise(fac)
    wfile = tmp_path / "monday.workshop.json"
    assert main(["workshop", "export", "Monday class", "-o", str(wfile), "--db", fac_db]) == 0

    results = []
    for n, plays in enumerate([[("Ana", GOOD)], [("Ben", BAD)], [("Cy", GOOD), ("Guest", BAD)]], 1):
        store, w = laptop(tmp_path, f"laptop{n}", wfile)
        with store:
            for who, script in plays:
                play(store, w, "e1", who, script)
            out = tmp_path / f"results{n}.json"
            assert files.export_results(store, w, out) == len(plays)
            results.append(out)
    damaged = tmp_path / "results3-damaged.json"
    _damage(results[2], damaged)

    capsys.readouterr()
    code = main(
        [
            "workshop",
            "collect",
            "Monday class",
            str(results[0]),
            str(results[1]),
            str(damaged),
            str(results[0]),
            str(results[2]),
            "--db",
            fac_db,
        ]
    )
    out = capsys.readouterr().out
    assert code == 1  # one file was refused
    assert "took results1.json: 1 new session(s)" in out
    assert "took results2.json: 1 new session(s)" in out
    assert "refused results3-damaged.json" in out and "edited or damaged" in out
    assert "results1.json: already collected" in out and "nothing changed" in out
    assert "took results3.json: 2 new session(s)" in out

    with Store.open(fac_db, backup_every_hours=None) as fac:
        w = service.find(fac, "Monday class")
        tagged = ws.sessions(fac, w.id)
        assert sorted(t.participant for t in tagged) == ["Ana", "Ben", "Cy", "Guest"]
        assert fac.count_sessions() == 4
        (view,) = service.views(fac, w)
        assert dict(view.outcomes) == {"Good deal": 2, "Impasse": 2}
        assert view.best.participant in ("Ana", "Cy") and view.worst.participant in ("Ben", "Guest")

    report = tmp_path / "report.pdf"
    assert main(["workshop", "report", "Monday class", "-o", str(report), "--db", fac_db]) == 0
    text = subprocess.run(
        ["pdftotext", "-layout", str(report), "-"], capture_output=True, text=True, check=True
    ).stdout
    for expected in (
        "Monday class",
        "Before positions harden",
        "Ana",
        "Ben",
        "Cy",
        "Good deal",
        "Impasse",
        "Where did trust turn?",
    ):
        assert expected in text, expected


def test_a_damaged_results_file_adds_nothing_at_all(tmp_path):
    with Store.open(tmp_path / "fac.db", backup_every_hours=None) as fac:
        w = workshop_with_exercise(fac)
        wfile = files.export_workshop(fac, w, tmp_path / "w.json")
        store, lw = laptop(tmp_path, "laptop", wfile)
        with store:
            play(store, lw, "e1", "Ana", GOOD)
            play(store, lw, "e1", "Ben", BAD)
            files.export_results(store, lw, tmp_path / "r.json")
        _damage(tmp_path / "r.json", tmp_path / "bad.json")
        (got,) = files.collect(fac, w, [tmp_path / "bad.json"])
        assert got.status == "refused" and "turn" in got.why
        assert fac.count_sessions() == 0 and ws.sessions(fac, w.id) == []
        (got,) = files.collect(fac, w, [tmp_path / "r.json"])
        assert got.status == "taken" and len(got.added) == 2
