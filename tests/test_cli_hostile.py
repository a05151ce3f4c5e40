"""The command line against hostile files and unwritable places (issue 12)."""

import json
import os
import re
from pathlib import Path

import pytest
from clirun import negtrainer

ROOT = Path(__file__).resolve().parents[1]
GUIDE = (ROOT / "docs" / "authoring.md").read_text(encoding="utf-8")
# The guide's smallest scenario: two nodes, two endings.
TINY = re.search(r"```yaml\n(.*?)```", GUIDE[GUIDE.index("### Step 1") :], re.DOTALL).group(1)
ESC = "\x1b"
OSC52 = "\x1b]52;c;aGFja2Vk\x07"  # writes "hacked" to the clipboard
HOSTILE_TITLE = '"The venue\\e]52;c;aGFja2Vk\\a\\e[2J\\e]0;owned\\a"'


# They script the format 1 packaging-renewal by choice id.
pytestmark = pytest.mark.usefixtures("fixed_library")


def cli(*args, env=None, cwd=ROOT, stdin=None):
    e = dict(os.environ, PYTHONPATH=str(ROOT), **(env or {}))
    return negtrainer(*args, stdin=stdin, cwd=cwd, env=e, timeout=180)


@pytest.fixture
def user_dir(tmp_path):
    folder = tmp_path / "mine"
    folder.mkdir()
    return folder


def test_scenario_text_with_terminal_escapes_is_refused_and_never_reaches_the_terminal(
    tmp_path, user_dir
):
    text = TINY.replace("title: The conference venue", f"title: {HOSTILE_TITLE}")
    (user_dir / "venue.yaml").write_text(text)
    env = {"NEGTRAINER_SCENARIOS": str(user_dir), "NEGTRAINER_DB": str(tmp_path / "t.db")}
    for args in (
        ("list",),
        ("check", str(user_dir / "venue.yaml"), "--seeds", "1"),
        ("play", str(user_dir / "venue.yaml"), "--seed", "1", "--no-save"),
    ):
        r = cli(*args, env=env, stdin="1\n1\n")
        assert ESC not in r.stdout + r.stderr and "\x07" not in r.stdout, args
        # The file is refused at load, by place, with what to do (NT010).
        assert "NT010" in r.stdout + r.stderr and "venue.yaml:4" in r.stdout + r.stderr, args
        assert "Traceback" not in r.stderr, args


def test_play_finds_a_user_scenario_by_its_id_not_its_file_name(tmp_path, user_dir):
    (user_dir / "my-draft.yaml").write_text(TINY)
    env = {"NEGTRAINER_SCENARIOS": str(user_dir), "NEGTRAINER_DB": str(tmp_path / "t.db")}
    r = cli("play", "venue-booking", "--seed", "1", "--no-save", env=env, stdin="1\n1\n")
    assert r.returncode == 0 and "You: " in r.stdout, r.stderr


def test_a_dead_end_is_an_error_in_check_and_a_clear_stop_in_play(tmp_path):
    dead = TINY.replace(
        """        move: refusal_with_reasons
        next: no_booking""",
        """        move: refusal_with_reasons
        next: no_booking
  dead:
    say:
      - id: dead.line
        text: "Hm."
    choices:
      - id: never
        text: "This never shows."
        move: small_talk
        when: trust > 1000
        next: no_booking""",
    ).replace(
        """        move: small_talk
        next: table""",
        """        move: small_talk
        next: dead""",
    )
    path = tmp_path / "dead.yaml"
    path.write_text(dead)
    r = cli("check", str(path), "--seeds", "1")
    assert r.returncode == 2 and "error NT302" in r.stdout, r.stdout
    r = cli("play", str(path), "--seed", "1", "--no-save", stdin="1\n1\n")
    assert "1 to 0" not in r.stdout and "dead end" in r.stdout and r.returncode == 1


def _imports_back(rescue, tmp_path):
    r = cli("sessions", "import", str(rescue), env={"NEGTRAINER_DB": str(tmp_path / "new.db")})
    assert r.returncode == 0 and "imported 1 session(s)" in r.stdout, r.stdout + r.stderr


@pytest.mark.parametrize("place", ["read-only folder", "a folder as the database"])
def test_a_session_that_cannot_be_stored_goes_to_a_rescue_file_and_fails(
    tmp_path, place, lock_folder
):
    work = tmp_path / "work"
    work.mkdir()
    home = tmp_path / "home"
    unlock = lambda: None
    if place == "read-only folder":
        locked = tmp_path / "locked"
        locked.mkdir()
        unlock = lock_folder(locked)
        db = locked / "negtrainer.db"
        kept = home / ".local" / "share" / "negtrainer"  # the data folder takes it
    else:
        db = tmp_path / "a-folder.db"
        db.mkdir()
        kept = tmp_path  # beside the database
    try:
        r = cli(
            "play",
            "packaging-renewal",
            "--seed",
            "1",
            "--no-briefs",
            env={
                "NEGTRAINER_DB": str(db),
                "HOME": str(home),
                "XDG_DATA_HOME": str(home / ".local" / "share"),
            },
            cwd=work,
            stdin="1\n2\n",
        )
    finally:
        unlock()
    assert r.returncode == 1 and "Traceback" not in r.stderr
    assert "kept as unfinished" not in r.stdout and "NOT saved" in r.stderr
    assert not list(work.iterdir())  # never the current folder while another takes it
    (rescue,) = kept.glob("negtrainer-unsaved-*.json")
    assert str(rescue) in r.stderr
    assert oct(rescue.stat().st_mode & 0o777) == oct(0o600)
    _imports_back(rescue, tmp_path)


def test_a_read_only_database_is_still_listed_shown_and_exported(tmp_path, lock_folder):
    folder = tmp_path / "ro"
    folder.mkdir()
    env = {"NEGTRAINER_DB": str(folder / "negtrainer.db")}
    r = cli("play", "packaging-renewal", "--seed", "1", "--no-briefs", env=env, stdin="1\n")
    sid = re.search(r"session ([0-9a-f]{8}) saved", r.stdout).group(1)
    unlock = lock_folder(folder)
    try:
        r = cli("sessions", "list", env=env)
        assert r.returncode == 0 and sid in r.stdout and "read-only" in r.stderr, r.stderr
        assert cli("sessions", "show", sid, env=env).returncode == 0
        r = cli("sessions", "export", "-o", str(tmp_path / "out.json"), env=env)
        assert r.returncode == 0, r.stdout + r.stderr
    finally:
        unlock()
    assert json.loads((tmp_path / "out.json").read_text())["sessions"][0]["id"].startswith(sid)


def test_a_read_only_database_still_lists_shows_and_exports_its_workshops(tmp_path, lock_folder):
    folder = tmp_path / "ro"
    folder.mkdir()
    env = {"NEGTRAINER_DB": str(folder / "negtrainer.db")}
    assert cli("workshop", "new", "Mon", "--participant", "Ana", env=env).returncode == 0
    assert cli("workshop", "add-exercise", "Mon", "packaging-renewal", env=env).returncode == 0
    unlock = lock_folder(folder)
    try:
        r = cli("workshop", "list", env=env)
        assert r.returncode == 0 and "Mon" in r.stdout and "read-only" in r.stderr, r.stderr
        assert cli("workshop", "show", "Mon", env=env).returncode == 0
        r = cli("workshop", "export", "Mon", "-o", str(tmp_path / "w.json"), env=env)
        assert r.returncode == 0, r.stdout + r.stderr
        r = cli("workshop", "rename", "Mon", "Tue", env=env)  # a change: refused, plainly
        assert r.returncode != 0 and "Traceback" not in r.stderr
    finally:
        unlock()
    assert (tmp_path / "w.json").is_file()


def test_export_will_not_replace_the_database_or_another_file(tmp_path):
    db = tmp_path / "t.db"
    env = {"NEGTRAINER_DB": str(db)}
    cli("play", "packaging-renewal", "--seed", "1", "--no-briefs", env=env, stdin="1\n")
    before = db.read_bytes()
    r = cli("sessions", "export", "-o", str(db), "--force", env=env)
    assert r.returncode == 1 and "database" in r.stdout
    assert cli("sessions", "list", env=env).returncode == 0 and db.read_bytes()[:16] == before[:16]
    notes = tmp_path / "notes.txt"
    notes.write_text("mine")
    r = cli("sessions", "export", "-o", str(notes), env=env)
    assert r.returncode == 1 and notes.read_text() == "mine" and "--force" in r.stdout


def test_a_learner_can_be_renamed_and_removed_keeping_their_sessions(tmp_path):
    env = {"NEGTRAINER_DB": str(tmp_path / "t.db")}
    cli(
        "play",
        "packaging-renewal",
        "--seed",
        "1",
        "--no-briefs",
        "--learner",
        "<img src=x>",
        env=env,
        stdin="1\n",
    )
    r = cli("learners", env=env)
    assert "<img src=x>" in r.stdout
    ident = re.search(r"#(\d+)", r.stdout).group(0)
    r = cli("learners", "rename", ident, "Ana", env=env)
    assert r.returncode == 0 and "to Ana" in r.stdout
    r = cli("learners", "remove", "Ana", "--yes", env=env)
    assert r.returncode == 0 and "1 session(s) kept" in r.stdout
    assert "No learners yet." in cli("learners", env=env).stdout
    assert cli("sessions", "list", env=env).stdout.count("packaging-renewal") == 1


def test_check_refuses_seeds_and_jobs_it_cannot_use_with_a_message_not_a_traceback():
    for args in (("--seeds", "0"), ("--seeds", "-3"), ("--seeds", "1000000"), ("--jobs", "0")):
        r = cli("check", "--json", *args)
        assert r.returncode == 2, args
        assert "Traceback" not in r.stderr and "must be 1 to" in r.stderr, args


def test_check_warns_of_two_files_with_one_id_and_a_file_taking_a_built_in_id(tmp_path):
    text = TINY
    (tmp_path / "a.yaml").write_text(text)
    (tmp_path / "b.yaml").write_text(text)
    mine = cli("check", str(tmp_path), "--seeds", "1", "--strict")
    assert mine.returncode == 2 and mine.stdout.count("NT219") == 1
    assert "b.yaml:1: warning NT219" in mine.stdout and "a.yaml" in mine.stdout
    builtin = Path(os.environ["NEGTRAINER_BUILTIN_SCENARIOS"]) / "saying-no.yaml"
    (tmp_path / "b.yaml").write_text(builtin.read_text())
    clash = cli("check", str(tmp_path / "b.yaml"), "--seeds", "1", "--strict")
    assert clash.returncode == 2 and "NT219" in clash.stdout and "saying-no.yaml" in clash.stdout
    # A built-in file checked by its own path is not a clash with itself.
    own = cli("check", str(builtin), "--seeds", "1")
    assert "NT219" not in own.stdout


def test_a_learner_name_that_cannot_be_kept_is_refused_before_anything_is_played(tmp_path):
    env = {"NEGTRAINER_DB": str(tmp_path / "t.db")}
    for name in ("x" * 81, "bad\x1bname"):
        r = cli("play", "packaging-renewal", "--seed", "1", "--learner", name, env=env, stdin="1\n")
        assert r.returncode == 2 and "learner's name" in r.stderr
        assert "Traceback" not in r.stderr and not list(ROOT.glob("negtrainer-unsaved-*.json"))


def test_a_session_stopped_in_the_terminal_says_how_to_go_on_with_it(tmp_path):
    env = {"NEGTRAINER_DB": str(tmp_path / "t.db")}
    r = cli("play", "packaging-renewal", "--seed", "2", "--no-briefs", env=env, stdin="1\nquit\n")
    said = re.search(r"negtrainer play --resume (\S+)", r.stdout)
    assert r.returncode == 0 and said
    again = cli("play", "--resume", said.group(1), env=env, stdin="quit\n")
    assert again.returncode == 0 and "Traceback" not in again.stderr
