"""The command line against an outside tester's hostile input (issue: outside test 24):
seeds, databases that are missing, newer or read-only, rescue files, `check`'s folders."""

import json
import os
import re
import sqlite3
from pathlib import Path

import pytest
from clirun import negtrainer

ROOT = Path(__file__).resolve().parents[1]
NAN_TRUST = "state: {trust: .nan}"

pytestmark = pytest.mark.usefixtures("fixed_library")


def cli(*args, home, db=None, cwd=None, stdin=None, scenarios=None):
    """The CLI as a user with their own (fresh) home runs it; never the real data folder."""
    env = {
        k: v
        for k, v in os.environ.items()
        if k not in ("NEGTRAINER_DB", "NEGTRAINER_SCENARIOS", "XDG_DATA_HOME")
    }
    env.update(HOME=str(home), PYTHONPATH=str(ROOT))
    if db is not None:
        env["NEGTRAINER_DB"] = str(db)
    if scenarios is not None:
        env["NEGTRAINER_SCENARIOS"] = str(scenarios)
    r = negtrainer(*args, stdin=stdin, cwd=cwd or home, env=env, timeout=180)
    assert "Traceback" not in r.stderr, r.stderr
    return r


def data_dir(home):
    return home / ".local" / "share" / "negtrainer"


@pytest.fixture
def home(tmp_path):
    folder = tmp_path / "home"
    folder.mkdir()
    return folder


def played(home, db=None):
    r = cli(
        "play", "packaging-renewal", "--seed", "1", "--no-briefs", home=home, db=db, stdin="1\n"
    )
    assert r.returncode == 0, r.stderr
    return re.search(r"session ([0-9a-f]{8}) saved", r.stdout).group(1)


@pytest.mark.parametrize("seed", ["9223372036854775808", "-1", "1" + "0" * 5000, "seven"])
def test_a_seed_the_database_cannot_keep_is_refused_before_anything_is_played(home, seed):
    for extra in ((), ("--jsonl",)):
        r = cli("play", "packaging-renewal", "--seed", seed, *extra, home=home, stdin="1\n")
        assert r.returncode == 2 and "You: " not in r.stdout
        assert "the seed must be a whole number from 0 to 9223372036854775807" in r.stderr
        assert len(r.stderr) < 1000  # a 5,000-digit seed is not echoed whole
    assert not data_dir(home).exists()


def test_the_largest_seed_the_database_keeps_plays_and_is_saved(home):
    r = cli(
        "play",
        "packaging-renewal",
        "--jsonl",
        "--seed",
        str(2**63 - 1),
        home=home,
        stdin='{"choice": 1}\n',
    )
    assert r.returncode == 0 and json.loads(r.stdout.splitlines()[-1])["turn"] == 1
    listed = cli("sessions", "list", "--json", home=home)
    assert json.loads(listed.stdout)["total"] == 1


def _newer(db):
    conn = sqlite3.connect(db)
    conn.execute(
        "INSERT INTO _sqlite_migrations (migration_set, name, applied_at) "
        "VALUES ('negtrainer', '999_from_the_future', '2099-01-01')"
    )
    conn.commit()
    conn.close()


def test_a_session_a_newer_database_refuses_is_rescued_beside_it_not_in_the_current_folder(
    home, tmp_path
):
    keep = tmp_path / "keep"
    keep.mkdir()
    db = keep / "class.db"
    played(home, db)
    _newer(db)
    work = tmp_path / "work"
    work.mkdir()
    r = cli("play", "packaging-renewal", "--seed", "1", "--no-briefs", home=home, db=db, cwd=work)
    assert r.returncode == 1 and "newer version" in r.stderr
    (rescue,) = keep.glob("negtrainer-unsaved-*.json")
    assert str(rescue.resolve()) in r.stderr and not list(work.iterdir())


def test_a_session_a_read_only_default_database_refuses_goes_to_the_current_folder_last(
    home, tmp_path, lock_folder
):
    played(home)  # the default database, in the data folder
    work = tmp_path / "work"
    work.mkdir()
    unlock = lock_folder(data_dir(home))
    try:
        r = cli("play", "packaging-renewal", "--seed", "1", "--no-briefs", home=home, cwd=work)
    finally:
        unlock()
    assert r.returncode == 1 and "is read-only" in r.stderr
    (rescue,) = work.glob("negtrainer-unsaved-*.json")  # neither beside it nor in the data folder
    assert str(rescue.resolve()) in r.stderr


def test_a_session_a_damaged_database_refuses_goes_to_the_data_folder_when_its_own_is_locked(
    home, tmp_path, lock_folder
):
    locked = tmp_path / "locked"
    locked.mkdir()
    (locked / "x.db").write_bytes(b"not a database at all" * 100)
    unlock = lock_folder(locked)
    try:
        r = cli(
            "play", "packaging-renewal", "--seed", "1", "--no-briefs", home=home, db=locked / "x.db"
        )
    finally:
        unlock()
    assert r.returncode == 1 and "cannot be used" in r.stderr
    (rescue,) = data_dir(home).glob("negtrainer-unsaved-*.json")
    assert str(rescue.resolve()) in r.stderr


@pytest.mark.parametrize(
    "args",
    [
        ("sessions", "list"),
        ("sessions", "show", "abc"),
        ("sessions", "export", "-o", "out.json"),
        ("workshop", "list"),
        ("learners",),
    ],
)
def test_a_command_that_only_reads_says_there_is_no_database_and_creates_nothing(
    home, tmp_path, args
):
    typo = tmp_path / "no" / "such" / "dir" / "x.db"
    for db in (typo, None):  # a path typed wrong, and the default one on a fresh home
        r = cli(*args, home=home, db=db)
        if db is None and args[-1] in ("list", "learners"):
            # A first run lists nothing yet: no error, and nothing is made either.
            assert r.returncode == 0 and "yet" in r.stdout, r.stderr
            continue
        where = typo if db else data_dir(home) / "negtrainer.db"
        assert r.returncode == 1 and f"there is no session database at {where}" in r.stderr
        assert "nothing was created" in r.stderr
    assert not (tmp_path / "no").exists() and not data_dir(home).exists()
    assert not (home / "out.json").exists()


def test_a_command_that_writes_does_not_make_missing_folders_for_a_database_named_by_the_user(
    home, tmp_path
):
    typo = tmp_path / "no" / "such" / "dir" / "x.db"
    r = cli("workshop", "new", "Monday", home=home, db=typo)
    assert r.returncode == 1 and f"The folder {typo.parent} does not exist" in r.stderr
    assert not (tmp_path / "no").exists()
    # The default place is made, as on a first run.
    played(home)
    assert (data_dir(home) / "negtrainer.db").is_file()


def test_learners_and_workshop_new_say_that_a_database_is_read_only(home, tmp_path, lock_folder):
    folder = tmp_path / "ro"
    folder.mkdir()
    db = folder / "negtrainer.db"
    played(home, db)
    unlock = lock_folder(folder)
    try:
        listed = cli("learners", home=home, db=db)
        made = cli("workshop", "new", "Monday", home=home, db=db)
        renamed = cli("learners", "rename", "#1", "Ana", home=home, db=db)
    finally:
        unlock()
    assert listed.returncode == 0 and "No learners yet." in listed.stdout
    assert "is read-only" in listed.stderr and "opened read-only" in listed.stderr
    for r in (made, renamed):
        assert r.returncode == 1 and f"the session database {db} is read-only" in r.stderr
        assert "cannot be opened or created" not in r.stderr


def test_check_without_paths_checks_your_own_scenarios_too_and_says_in_which_folder(home, tmp_path):
    mine = tmp_path / "mine"
    mine.mkdir()
    builtin = Path(os.environ["NEGTRAINER_BUILTIN_SCENARIOS"])
    text = (builtin / "packaging-renewal.yaml").read_text(encoding="utf-8")
    (mine / "broken.yaml").write_text(
        text.replace("id: packaging-renewal", "id: my-broken").replace(
            "state: {trust: 45}", NAN_TRUST
        ),
        encoding="utf-8",
    )
    r = cli("check", "--seeds", "1", home=home, scenarios=mine)
    out = r.stdout
    assert r.returncode == 2, out
    assert f"Built-in scenarios: {builtin}" in out and f"Your own scenarios: {mine}" in out
    assert out.index(f"Your own scenarios: {mine}") < out.index(f"{mine / 'broken.yaml'}:")
    assert "must be finite" in out and "1 error(s)" in out
    as_json = json.loads(cli("check", "--seeds", "1", "--json", home=home, scenarios=mine).stdout)
    assert {(Path(s["file"]).name, s["library"]) for s in as_json["scenarios"]} >= {
        ("broken.yaml", "yours"),
        ("packaging-renewal.yaml", "built-in"),
    }
    # A file named on the command line is checked alone, as before.
    alone = cli("check", str(mine / "broken.yaml"), "--seeds", "1", home=home, scenarios=mine)
    assert "Built-in scenarios" not in alone.stdout and "1 scenario file(s)" in alone.stdout
