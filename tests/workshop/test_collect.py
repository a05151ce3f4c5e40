"""Collecting results files: what is refused, and why; what anonymising leaves out."""

import json

import pytest
from roomplay import BAD, GOOD, facilitator_room, results_file

from negtrainer.store import workshops as ws
from negtrainer.workshop import files, service
from negtrainer.workshop.model import WorkshopError


@pytest.fixture
def room(tmp_path):
    yield from facilitator_room(tmp_path)


def _results(tmp_path, wfile, name="laptop", plays=(("Ana", GOOD),), note=None):
    return results_file(tmp_path, wfile, name, plays, note, anonymised_too=True)


def test_results_of_another_workshop_are_refused(room, tmp_path):
    fac, w, _ = room
    other = service.add_exercise(
        fac, service.create(fac, "Tuesday", ["Ana"]), service.load_scenario("packaging-renewal")
    )
    out, _ = _results(tmp_path, files.export_workshop(fac, other, tmp_path / "t.json"))
    (got,) = files.collect(fac, w, [out])
    assert got.status == "refused" and "another workshop ('Tuesday')" in got.why
    assert fac.count_sessions() == 0


def test_a_player_who_is_not_a_participant_is_refused_by_name(room, tmp_path):
    fac, w, wfile = room
    out, _ = _results(tmp_path, wfile)
    doc = json.loads(out.read_text())
    doc["tags"][0]["participant"] = "Mallory"
    out.write_text(json.dumps(doc))
    (got,) = files.collect(fac, w, [out])
    assert got.status == "refused" and "'Mallory' is not a participant" in got.why


def test_a_workshop_file_is_not_taken_for_results(room, tmp_path):
    fac, w, wfile = room
    (got,) = files.collect(fac, w, [wfile])
    assert got.status == "refused" and "workshop file itself" in got.why


def test_anonymous_results_carry_pseudonyms_and_no_notes(room, tmp_path):
    fac, w, wfile = room
    _, anon = _results(
        tmp_path, wfile, plays=(("Ana", GOOD), ("Ben", BAD)), note="Ana hesitated here"
    )
    text = anon.read_text()
    assert "Ana" not in text and "Ben" not in text and "hesitated" not in text
    (got,) = files.collect(fac, w, [anon])
    assert got.status == "taken" and len(got.added) == 2
    # The pseudonyms are the workshop's own, so the room's view knows who is who.
    assert sorted(t.participant for t in ws.sessions(fac, w.id)) == ["Ana", "Ben"]
    assert all(s.learner in ("P1", "P2") for s in fac.list_sessions())


def test_the_same_sessions_in_a_new_file_are_not_counted_twice(room, tmp_path):
    fac, w, wfile = room
    out, anon = _results(tmp_path, wfile)
    first, second = files.collect(fac, w, [out, anon])
    assert first.status == "taken" and len(first.added) == 1
    assert second.status == "taken" and second.added == [] and len(second.skipped) == 1
    assert fac.count_sessions() == 1


def test_editing_a_workshop_keeps_names_unique_and_plain():
    from negtrainer.workshop.model import new_workshop

    w = new_workshop("Room", ["Ana"])
    with pytest.raises(WorkshopError):
        w.with_participant("ana")
    with pytest.raises(WorkshopError):
        w.with_participant("Bad\x1bname")
    assert [p.pseudonym for p in w.with_participant("Ben").participants] == ["P1", "P2"]


def test_a_workshop_file_with_control_characters_is_refused(room, tmp_path):
    from negtrainer.store import ImportFileError

    fac, _w, wfile = room
    doc = json.loads(wfile.read_text())
    doc["workshop"]["exercises"][0]["questions"] = ["Fine?\x1b[2J"]
    bad = tmp_path / "bad-workshop.json"
    bad.write_text(json.dumps(doc))
    with pytest.raises(ImportFileError, match="not valid"):
        files.join(fac, bad)
