"""Editing a workshop from the command line: rename, delete, remove a participant."""

import io

import pytest
from roomplay import BAD, play, workshop_with_exercise

from negtrainer.cli import main
from negtrainer.store import Store
from negtrainer.store import workshops as ws
from negtrainer.workshop import commands, service


@pytest.fixture
def db(tmp_path, monkeypatch):
    path = tmp_path / "t.db"
    monkeypatch.setenv("NEGTRAINER_DB", str(path))
    with Store.open(path, backup_every_hours=None) as store:
        w = workshop_with_exercise(store)
        play(store, w, "e1", "Ana", BAD)
    return path


def _store(path):
    return Store.open(path, backup_every_hours=None)


def test_a_renamed_workshop_is_found_by_its_new_name_only(db, capsys):
    assert main(["workshop", "rename", "monday CLASS", "Monday, room 2"]) == 0
    assert "renamed 'Monday class' to 'Monday, room 2'" in capsys.readouterr().out
    assert main(["workshop", "show", "Monday, room 2"]) == 0
    assert "1 finished session(s)" in capsys.readouterr().out
    assert main(["workshop", "show", "Monday class"]) == 2


def test_a_workshop_cannot_take_another_workshops_name_or_an_empty_one(db, capsys):
    main(["workshop", "new", "Tuesday"])
    capsys.readouterr()
    assert main(["workshop", "rename", "Monday class", "tuesday"]) == 1
    assert "Another workshop is already called 'tuesday'" in capsys.readouterr().out
    assert main(["workshop", "rename", "Monday class", "   "]) == 1
    assert "use 1 to 80 characters" in capsys.readouterr().out
    with _store(db) as store:
        assert {w.name for w in service.all_workshops(store)} == {"Monday class", "Tuesday"}


def test_a_new_workshop_cannot_take_a_name_that_differs_only_in_case_or_spaces(db, capsys):
    assert main(["workshop", "new", "  monday   CLASS "]) == 1
    assert "Another workshop is already called 'monday CLASS'" in capsys.readouterr().out
    assert main(["workshop", "show", "Monday class"]) == 0


def test_renaming_a_workshop_to_its_own_name_says_nothing_changed(db, capsys):
    assert main(["workshop", "rename", "Monday class", " Monday  class "]) == 0
    assert "already called 'Monday class'; nothing changed" in capsys.readouterr().out
    assert main(["workshop", "rename", "Monday class", "monday class"]) == 0
    assert "renamed 'Monday class' to 'monday class'" in capsys.readouterr().out


@pytest.mark.parametrize(
    "mark", ["\u202e", "\u202a", "\u2066", "\u2069", "\u200e", "\u200f", "\u200b", "\ufeff", "\x07"]
)
def test_names_with_invisible_formatting_characters_are_refused(db, capsys, mark):
    assert main(["workshop", "new", f"Mon{mark}day"]) == 1
    assert "without control or invisible formatting characters" in capsys.readouterr().out
    assert main(["workshop", "add-participant", "Monday class", f"Ev{mark}il"]) == 1
    assert "participant 4: names are plain text" in capsys.readouterr().out
    assert main(["workshop", "add-participant", "Monday class", "Dee", "--team", f"Red{mark}"]) == 1
    with _store(db) as store:
        (w,) = service.all_workshops(store)
        assert [p.name for p in w.participants] == ["Ana", "Ben", "Cy"]


def test_adding_an_empty_participant_name_is_refused(db, capsys):
    for name in ("", "   ", " , "):
        assert main(["workshop", "add-participant", "Monday class", name]) == 2
        assert "no participant's name given; nothing changed" in capsys.readouterr().out


def test_participant_names_are_trimmed_alike_when_added_and_removed(db, capsys):
    assert main(["workshop", "add-participant", "Monday class", "  Dee   Dee "]) == 0
    assert main(["workshop", "remove-participant", "Monday class", " dee dee"]) == 0
    assert "removed Dee Dee" in capsys.readouterr().out


def test_deleting_needs_yes_and_leaves_the_sessions_untagged_in_the_database(db, capsys):
    assert main(["workshop", "delete", "Monday class"]) == 2
    out = capsys.readouterr().out
    assert "Its 1 session(s) stay in the database" in out and "add --yes" in out
    with _store(db) as store:
        assert service.find(store, "Monday class")
    assert main(["workshop", "delete", "Monday class", "--yes"]) == 0
    assert "its 1 session(s) are still in the database" in capsys.readouterr().out
    with _store(db) as store:
        assert service.all_workshops(store) == []
        assert store.count_sessions() == 1
        with store._read() as c:
            assert c.execute("SELECT COUNT(*) FROM workshop_sessions").fetchone()[0] == 0


def test_a_no_to_the_question_deletes_nothing(db):
    out = io.StringIO()
    with _store(db) as store:
        asked = []
        code = commands.delete(
            store, "Monday class", False, out=out, ask=lambda q: asked.append(q) or False
        )
        assert code == 0 and "Nothing was deleted" in out.getvalue()
        assert "Delete workshop 'Monday class'?" in asked[0]
        assert service.find(store, "Monday class")


def test_removing_a_participant_keeps_their_sessions_in_the_results(db, capsys):
    assert main(["workshop", "remove-participant", "Monday class", "ana"]) == 0
    out = capsys.readouterr().out
    assert "removed Ana; 2 participant(s) left" in out
    assert "The 1 session(s) they played stay in the workshop's results" in out
    with _store(db) as store:
        w = service.find(store, "Monday class")
        assert [p.name for p in w.participants] == ["Ben", "Cy"]
        assert [t.participant for t in ws.sessions(store, w.id)] == ["Ana"]
        assert [p.participant for p in service.views(store, w)[0].played] == ["Ana"]


def test_unknown_workshops_and_participants_are_named_with_what_there_is(db, capsys):
    for argv in (
        ["workshop", "rename", "Nope", "X"],
        ["workshop", "delete", "Nope", "--yes"],
        ["workshop", "remove-participant", "Nope", "Ana"],
    ):
        assert main(argv) == 2
        out = capsys.readouterr().out
        assert "There is no workshop 'Nope'" in out and "'Monday class'" in out
        assert "Traceback" not in out
    assert main(["workshop", "remove-participant", "Monday class", "Zoe"]) == 2
    out = capsys.readouterr().out
    assert "'Zoe' is not a participant of 'Monday class' (participants: Ana, Ben, Cy)" in out
