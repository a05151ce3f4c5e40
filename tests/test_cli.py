import json
import sys
from pathlib import Path

import pytest
from clirun import negtrainer

from negtrainer.cli import main

ROOT = Path(__file__).resolve().parents[1]
SAMPLE = ROOT / "tests" / "fixtures" / "v1" / "packaging-renewal.yaml"


# They script the format 1 packaging-renewal by choice id.
pytestmark = pytest.mark.usefixtures("fixed_library")


def run(*args, stdin=None, env_db=None, tmp_path=None):
    import os

    env = dict(os.environ)
    if tmp_path is not None:
        env["NEGTRAINER_DB"] = str(tmp_path / "t.db")
    return negtrainer(*args, stdin=stdin, env=env)


def test_the_published_schema_is_current(capsys, monkeypatch):
    monkeypatch.delenv("NEGTRAINER_BUILTIN_SCENARIOS")  # the real scenarios/schema.json
    assert main(["schema", "--check"]) == 0


def test_check_on_the_sample_is_clean_and_reports_strategies(capsys):
    assert main(["check", str(SAMPLE), "--seeds", "3"]) == 0
    out = capsys.readouterr().out
    assert "0 error(s), 0 warning(s)" in out and "listening" in out


def test_check_json_gives_counts_endings_and_strategies(capsys):
    assert main(["check", str(SAMPLE), "--json", "--seeds", "2"]) == 0
    data = json.loads(capsys.readouterr().out)
    (sc,) = data["scenarios"]
    assert sc["id"] == "packaging-renewal"
    assert sc["counts"]["interests"] == 3 and sc["counts"]["variants"] == 2
    assert set(sc["strategies"]) == {
        "listening",
        "hard",
        "random",
        "label",
        "surface",
        "grab",
        "caver",
    }
    assert set(sc["strategies"]["label"]["by_variant"]) == {"warm", "curt"}
    assert "deal" in sc["endings_reachable"]


def test_check_over_two_processes_prints_the_same_report_as_in_one(capsys):
    files = [str(SAMPLE), str(ROOT / "tests" / "fixtures" / "v2" / "mini.yaml")]
    reports = []
    for jobs in ("1", "2"):
        assert main(["check", *files, "--json", "--seeds", "1", "--jobs", jobs]) == 0
        reports.append(json.loads(capsys.readouterr().out))
    assert reports[0] == reports[1]
    assert [s["id"] for s in reports[0]["scenarios"]] == ["packaging-renewal", "mini-v2"]


def test_check_on_a_broken_scenario_exits_2_with_file_and_line(tmp_path):
    bad = tmp_path / "bad.yaml"
    bad.write_text(SAMPLE.read_text().replace("minutes: 12", "minutes: twelve"))
    r = run("check", str(bad))
    assert r.returncode == 2
    assert f"{bad}:" in r.stdout and "NT102" in r.stdout
    assert "Traceback" not in r.stdout + r.stderr


def test_check_on_binary_garbage_exits_2_without_a_traceback(tmp_path):
    bad = tmp_path / "junk.yaml"
    bad.write_bytes(bytes(range(256)) * 10)
    r = run("check", str(bad))
    assert r.returncode == 2 and "NT003" in r.stdout and "Traceback" not in r.stderr


def test_play_with_a_script_reaches_the_ending_and_debrief(tmp_path):
    script = tmp_path / "s.txt"
    script.write_text("4\nthreat_tender\n")
    r = run(
        "play",
        "packaging-renewal",
        "--seed",
        "9",
        "--variant",
        "curt",
        "--script",
        str(script),
        "--no-save",
    )
    assert r.returncode == 0, r.stderr
    assert "Dana ended the meeting" in r.stdout and "DEBRIEF" in r.stdout


def test_play_reads_choices_from_standard_input_when_not_a_terminal(tmp_path):
    r = run("play", "packaging-renewal", "--seed", "1", "--no-save", "--no-briefs", stdin="1\n1\n")
    assert r.returncode == 0
    assert r.stdout.count("You: ") == 2 and "not saved (--no-save)" in r.stdout


def test_piped_input_answers_a_line_it_cannot_use_and_plays_on_as_if_typed(tmp_path):
    args = ("play", "packaging-renewal", "--seed", "1", "--no-briefs")
    r = run(*args, stdin="99\n1\n", tmp_path=tmp_path)
    assert r.returncode == 0, r.stdout + r.stderr
    assert "> 99\n  (choose a number from 1 to" in r.stdout
    assert r.stdout.count("You: ") == 1
    assert "Input ended before the session did" in r.stdout
    resume = r.stdout.split("negtrainer play --resume ")[1].split()[0]
    again = run("play", "--resume", resume, stdin="quit\n", tmp_path=tmp_path)
    assert again.returncode == 0 and "Stopped." in again.stdout


def test_a_bad_script_line_names_the_line(tmp_path):
    script = tmp_path / "s.txt"
    script.write_text("1\nnot_a_choice\n")
    r = run("play", "packaging-renewal", "--seed", "1", "--script", str(script), "--no-save")
    assert r.returncode == 1 and f"{script} line 2" in r.stdout


@pytest.mark.parametrize("line", ["ask_yeer", "threat_tender"])
def test_a_script_line_written_as_an_id_that_is_not_on_screen_stops_the_script(tmp_path, line):
    # A typo, or an id of another moment: never played as the learner's own words.
    script = tmp_path / "s.txt"
    script.write_text(f"small_talk_drive\n{line}\n1\n")
    r = run("play", "packaging-renewal", "--seed", "1", "--script", str(script), "--no-save")
    assert r.returncode == 1, r.stdout
    assert f"{script} line 2: '{line}' is not a choice here" in r.stdout
    assert r.stdout.count("You: ") == 1 and "Did you mean" not in r.stdout


def test_undo_with_nothing_to_take_back_says_so_and_plays_nothing():
    r = run("play", "packaging-renewal", "--seed", "1", "--no-save", stdin="undo\nquit\n")
    assert "(nothing to take back: undo takes back your own words" in r.stdout
    assert "not sure what" not in r.stdout and "You: " not in r.stdout


def test_an_unknown_scenario_lists_the_built_in_ones():
    r = run("play", "no-such-scenario", "--no-save")
    assert r.returncode == 2 and "packaging-renewal" in r.stderr and "Traceback" not in r.stderr


@pytest.mark.parametrize("args", [["list"], ["--version"]])
def test_simple_commands_succeed(args, capsys):
    assert main(args) == 0


def test_a_read_only_data_folder_gets_a_clear_message_and_play_goes_on_unsaved(
    tmp_path, lock_folder
):
    import os

    locked = tmp_path / "locked"
    locked.mkdir()
    unlock = lock_folder(locked)
    try:
        env = dict(os.environ, NEGTRAINER_DB=str(locked / "negtrainer.db"))
        env.pop("XDG_DATA_HOME", None)
        env.update(PYTHONPATH=str(ROOT), HOME=str(tmp_path / "home"))

        def cli(*args, stdin=None):
            return negtrainer(*args, stdin=stdin, cwd=tmp_path, env=env)

        r = cli("workshop", "new", "Monday")
        assert r.returncode == 1 and "Traceback" not in r.stderr
        assert str(locked / "negtrainer.db") in r.stderr, r.stderr
        assert "you may write to it" in r.stderr and "--db or NEGTRAINER_DB" in r.stderr
        r = cli("play", "packaging-renewal", "--seed", "1", "--no-briefs", stdin="1\n")
        # Play goes on, and what could not be stored is written to a file, not lost: in the
        # data folder, as the database's own folder cannot take it.
        assert r.returncode == 1 and "Traceback" not in r.stderr
        assert "without saving" in r.stderr and "You: " in r.stdout
        data = tmp_path / "home" / ".local" / "share" / "negtrainer"
        assert list(data.glob("negtrainer-unsaved-*.json"))
    finally:
        unlock()


def test_without_a_screen_the_window_command_says_what_to_do_instead():
    import os

    env = {
        k: v
        for k, v in os.environ.items()
        if k not in ("DISPLAY", "WAYLAND_DISPLAY", "QT_QPA_PLATFORM")
    }
    r = negtrainer(env=env, timeout=60)
    if sys.platform.startswith(("win", "darwin")):
        pytest.skip("there is always a screen here")
    assert r.returncode == 1 and "negtrainer play" in r.stderr and "Traceback" not in r.stderr


def test_a_damaged_database_is_kept_and_replaced_only_with_start_fresh(tmp_path):
    db = tmp_path / "n.db"
    db.write_bytes(b"not a database at all" * 100)
    r = run("--db", str(db), "sessions", "list")
    assert r.returncode == 1 and "--start-fresh" in r.stderr and "Traceback" not in r.stderr
    assert db.read_bytes().startswith(b"not a database")
    r = run("--start-fresh", "--db", str(db), "sessions", "list")
    assert r.returncode == 0
    (kept,) = tmp_path.glob("n.db.damaged-*")
    assert kept.read_bytes().startswith(b"not a database")


def test_a_stray_file_named_backups_beside_the_database_gets_a_message_not_a_traceback(tmp_path):
    r = run(
        "play", "packaging-renewal", "--seed", "1", "--no-briefs", stdin="1\n2\n", tmp_path=tmp_path
    )
    (tmp_path / "backups").write_text("not a folder")
    for args in (("sessions", "list"), ("sessions", "backup"), ("sessions", "restore")):
        r = run(*args, tmp_path=tmp_path)
        assert "Traceback" not in r.stderr, (args, r.stderr)
    assert r.returncode == 0  # restore with no file lists the backups: there are none
    r = run("sessions", "backup", tmp_path=tmp_path)
    assert r.returncode == 1
    assert f"{tmp_path / 'backups'} is a file, not a folder" in r.stdout + r.stderr
    assert "packaging-renewal" in run("sessions", "list", tmp_path=tmp_path).stdout
