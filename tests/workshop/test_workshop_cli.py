"""``negtrainer workshop …`` and ``negtrainer rolesheets``: what a facilitator types."""

import shutil
import subprocess
import unicodedata

import pytest

from negtrainer.cli import main

needs_poppler = pytest.mark.skipif(
    shutil.which("pdftotext") is None, reason="pdftotext (poppler-utils) is not installed"
)


@pytest.fixture
def db(tmp_path, monkeypatch):
    path = str(tmp_path / "t.db")
    monkeypatch.setenv("NEGTRAINER_DB", path)
    return path


def _pdf_text(path):
    """The PDF's words, ligatures undone (ﬁ → fi) and lines joined, page breaks kept."""
    raw = subprocess.run(
        ["pdftotext", str(path), "-"], capture_output=True, text=True, check=True
    ).stdout
    return "\f".join(
        " ".join(unicodedata.normalize("NFKC", page).split()) for page in raw.split("\f")
    )


@needs_poppler
def test_role_sheets_give_each_side_its_own_confidential_page(tmp_path, db, capsys):
    out = tmp_path / "roles.pdf"
    assert main(["rolesheets", "packaging-renewal", "-o", str(out)]) == 0
    assert "3 page(s)" in capsys.readouterr().out
    pages = _pdf_text(out).split("\f")
    assert "General instructions" in pages[0]
    assert "Confidential: Head of Procurement" in pages[1]
    assert "Confidential: Dana Okafor" in pages[2] and "walk-away" in pages[2]
    assert "Rotherham" not in pages[0] + pages[1]  # her secret stays on her sheet


@needs_poppler
def test_the_teaching_note_names_objectives_walk_aways_and_questions(tmp_path, db):
    out = tmp_path / "note.pdf"
    assert main(["rolesheets", "packaging-renewal", "--teaching-note", "-o", str(out)]) == 0
    text = _pdf_text(out)
    for part in (
        "Teaching note",
        "Objectives",
        "walk-away",
        "What good play looks like",
        "Debrief questions",
    ):
        assert part in text, part


def test_workshop_commands_explain_mistakes_without_a_traceback(tmp_path, db, capsys):
    assert main(["workshop", "new", "Room", "--participant", "Ana,Ben"]) == 0
    assert main(["workshop", "show", "Nope"]) == 2
    assert "There is no workshop 'Nope'" in capsys.readouterr().out
    assert (
        main(["workshop", "add-exercise", "Room", "packaging-renewal", "--variant", "grumpy"]) == 1
    )
    assert "has no variant 'grumpy'" in capsys.readouterr().out
    junk = tmp_path / "junk.json"
    junk.write_bytes(b"\xff\xfe not json")
    assert main(["workshop", "join", str(junk)]) == 1
    assert "not a text file" in capsys.readouterr().out
    assert main(["workshop", "play", "Room", "e1", "--participant", "Ana"]) == 1
    assert "has no exercise 'e1'" in capsys.readouterr().err


def test_workshop_show_lists_exercises_and_can_hide_names(tmp_path, db, capsys):
    main(["workshop", "new", "Room", "--participant", "Ana Lima"])
    main(
        [
            "workshop",
            "add-exercise",
            "Room",
            "packaging-renewal",
            "--minutes",
            "20",
            "--question",
            "What did you learn first?",
        ]
    )
    capsys.readouterr()
    assert main(["workshop", "show", "Room", "--anonymous"]) == 0
    out = capsys.readouterr().out
    assert "e1: Before positions harden" in out and "20 min" in out
    assert "What did you learn first?" in out
    assert "Ana" not in out and "P1" in out


def test_terminal_play_without_a_name_is_guest_not_the_last_player(tmp_path, db, capsys):
    from negtrainer.store import Store

    script = tmp_path / "s.txt"
    script.write_text("open_ultimatum\nthreat_tender\n")

    def play(*learner):
        args = ["play", "packaging-renewal", "--seed", "4", "--variant", "warm", *learner]
        return main([*args, "--script", str(script), "--no-briefs"])

    for who in ("Alice", "Bob"):
        assert play("--learner", who) == 0
    assert play() == 0
    with Store.open(db, backup_every_hours=None) as store:
        newest = store.list_sessions(limit=1)[0]
    assert newest.learner is None


def test_no_command_writes_over_the_database_and_others_ask_before_replacing(tmp_path, db, capsys):
    from pathlib import Path

    assert main(["workshop", "new", "Mon", "--participant", "Ana"]) == 0
    assert main(["workshop", "add-exercise", "Mon", "packaging-renewal"]) == 0
    before = Path(db).read_bytes()
    for argv in (
        ["workshop", "export", "Mon", "-o", db, "--force"],
        ["workshop", "report", "Mon", "-o", db, "--force"],
        ["workshop", "xapi", "Mon", "-o", db, "--force"],
        ["rolesheets", "packaging-renewal", "-o", db, "--force"],
    ):
        assert main(argv) == 1, argv
        assert "is the session database" in capsys.readouterr().err
    assert Path(db).read_bytes() == before
    html = tmp_path / "rep.html"
    assert main(["workshop", "report", "Mon", "-o", str(html)]) == 2  # a PDF named .html
    assert "give a file name ending in .pdf" in capsys.readouterr().err and not html.exists()
    assert main(["rolesheets", "packaging-renewal", "-o", str(html)]) == 2
    assert "ending in .pdf" in capsys.readouterr().err and not html.exists()
    usb = tmp_path / "ana.results.json"
    usb.write_text('{"format":"negtrainer-results","version":2}', encoding="utf-8")
    assert main(["workshop", "report", "Mon", "-o", str(usb)]) == 1
    assert "is not a PDF" in capsys.readouterr().err and usb.read_text().startswith("{")
    out = tmp_path / "mon.json"
    assert main(["workshop", "export", "Mon", "-o", str(out)]) == 0
    assert main(["workshop", "export", "Mon", "-o", str(out)]) == 0  # its own kind: replaced
    assert main(["workshop", "results", "Mon", "-o", str(out)]) == 1  # another kind
    assert "not a negtrainer results file" in capsys.readouterr().err
    main(["workshop", "results", "Mon", "-o", str(out), "--force"])  # asked: not refused for it
    assert "already exists" not in capsys.readouterr().err


def test_a_command_leaves_the_database_one_file_when_it_ends(db):
    from pathlib import Path

    assert main(["workshop", "new", "Mon", "--participant", "Ana"]) == 0
    assert Path(db).exists()
    assert not Path(db + "-wal").exists()  # the log was copied in and removed: copy one file
