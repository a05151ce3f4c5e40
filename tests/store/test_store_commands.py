"""The ``negtrainer sessions`` actions: exit codes and what they print."""

import io
import json

from storeplay import record_game

from negtrainer.store import Store
from negtrainer.store import commands as cmd


def _run(fn, *args):
    out = io.StringIO()
    code = fn(*args, out)
    return code, out.getvalue()


def test_listing_shows_the_newest_sessions_with_short_ids(store, scenario, seed):
    a, _ = record_game(store, scenario, seed, learner="Ana")
    b, _ = record_game(store, scenario, seed, learner="Bo", turns=2)
    code, text = _run(cmd.cmd_sessions_list, store, None, None, False)
    assert code == 0
    lines = text.splitlines()
    assert lines[0].split()[:3] == ["ID", "STARTED", "LEARNER"]
    assert lines[1].startswith(b[:8]) and "unfinished" in lines[1]
    assert lines[2].startswith(a[:8]) and store.get(a).ending_kind in lines[2]


def test_listing_as_json_gives_every_field(store, scenario, seed):
    record_game(store, scenario, seed, learner="Ana")
    record_game(store, scenario, seed, learner="Bo", turns=1)
    code, text = _run(cmd.cmd_sessions_list, store, "Bo", None, True)
    data = json.loads(text)
    assert code == 0 and data["total"] == 1
    assert data["sessions"][0]["learner"] == "Bo"
    assert data["sessions"][0]["turn_count"] == 1


def test_listing_an_empty_database_says_so(store):
    assert _run(cmd.cmd_sessions_list, store, None, None, False) == (
        0,
        "No sessions recorded yet.\n",
    )


def test_showing_a_session_prints_the_transcript_with_state_and_notes(store, scenario, seed):
    sid, session = record_game(store, scenario, seed)
    store.add_note(sid, 2, "Good listening here.")
    code, text = _run(cmd.cmd_sessions_show, store, sid[:7], False)
    assert code == 0
    assert f"Session {sid}" in text
    assert session.state.log[0]["said"] in text
    assert "state: trust" in text and "mood" in text
    assert "note: Good listening here." in text
    assert f"Turn {session.state.turn} [" in text


def test_showing_a_session_as_json_gives_its_turns(store, scenario, seed):
    sid, _ = record_game(store, scenario, seed, turns=3)
    code, text = _run(cmd.cmd_sessions_show, store, sid, True)
    doc = json.loads(text)
    assert code == 0 and doc["id"] == sid and len(doc["turns"]) == 4


def test_an_unknown_or_ambiguous_id_is_a_user_error_not_a_traceback(store, scenario, seed):
    code, text = _run(cmd.cmd_sessions_show, store, "abcdef12", False)
    assert code == 1 and text.startswith("negtrainer: No session id starts with 'abcdef12'")
    ids = [record_game(store, scenario, seed, turns=0)[0] for _ in range(17)]
    shared = next(c for c in (i[0] for i in ids) if sum(i[0] == c for i in ids) > 1)
    code, text = _run(cmd.cmd_sessions_delete, store, shared, True, input)
    assert code == 1 and "type more of it" in text
    assert store.count_sessions() == 17


def test_export_and_import_report_what_they_did(store, scenario, seed, tmp_path):
    a, _ = record_game(store, scenario, seed, turns=2)
    record_game(store, scenario, seed + 1, turns=2)
    path = tmp_path / "out.json"
    assert _run(cmd.cmd_sessions_export, store, [a[:8]], path) == (
        0,
        f"Exported 1 session(s) to {path}.\n",
    )
    fresh = Store.memory()
    code, text = _run(cmd.cmd_sessions_import, fresh, [path, path])
    assert code == 0
    assert text.splitlines() == [
        "out.json: imported 1 session(s).",
        "out.json: imported 0 session(s), skipped 1 already in the database.",
    ]
    assert _run(cmd.cmd_sessions_export, store, [], tmp_path / "all.json")[0] == 0
    assert len(json.loads((tmp_path / "all.json").read_text())["sessions"]) == 2


def test_importing_a_bad_file_fails_with_a_message_and_goes_on_to_the_next(
    store, scenario, seed, tmp_path
):
    sid, _ = record_game(store, scenario, seed, turns=1)
    good = tmp_path / "good.json"
    store.export([sid], good)
    bad = tmp_path / "bad.json"
    bad.write_text("{ not json")
    fresh = Store.memory()
    code, text = _run(cmd.cmd_sessions_import, fresh, [bad, good])
    assert code == 1
    assert "Cannot import bad.json: it is not valid JSON" in text
    assert "good.json: imported 1 session(s)." in text


def test_deleting_asks_first_and_a_no_keeps_the_session(store, scenario, seed):
    sid, _ = record_game(store, scenario, seed, turns=1)
    asked = []
    code, text = _run(
        cmd.cmd_sessions_delete, store, sid[:8], False, lambda prompt: asked.append(prompt) or "n"
    )
    assert code == 1 and "Nothing deleted." in text
    assert "Delete session" in asked[0] and store.count_sessions() == 1
    code, text = _run(cmd.cmd_sessions_delete, store, sid[:8], False, lambda prompt: "yes")
    assert code == 0 and store.count_sessions() == 0


def test_deleting_with_yes_does_not_ask(store, scenario, seed):
    sid, _ = record_game(store, scenario, seed, turns=1)

    def never(prompt):
        raise AssertionError("asked")

    assert _run(cmd.cmd_sessions_delete, store, sid, True, never)[0] == 0
    assert store.count_sessions() == 0


def test_deleting_when_the_answer_cannot_be_read_deletes_nothing(store, scenario, seed):
    record_game(store, scenario, seed, turns=1)

    def closed(prompt):
        raise EOFError

    sid = store.list_sessions()[0].id
    assert _run(cmd.cmd_sessions_delete, store, sid, False, closed)[0] == 1
    assert store.count_sessions() == 1


def test_restore_without_a_backup_lists_them_and_with_one_restores(db_path, scenario, seed):
    with Store.open(db_path, backup_every_hours=None) as store:
        assert _run(cmd.cmd_sessions_restore, db_path, None)[1].startswith("There are no backups")
        keep, _ = record_game(store, scenario, seed, turns=1)
        backup = store.backup()
        record_game(store, scenario, seed, turns=1)
    code, text = _run(cmd.cmd_sessions_restore, db_path, None)
    assert code == 0 and backup.name in text
    code, text = _run(cmd.cmd_sessions_restore, db_path, backup.name)
    assert code == 0 and "kept at" in text
    with Store.open(db_path, backup_every_hours=None) as store:
        assert [i.id for i in store.list_sessions()] == [keep]
    code, text = _run(cmd.cmd_sessions_restore, db_path, "no-such-backup.db")
    assert code == 1 and "There is no backup no-such-backup.db" in text


def test_backup_now_prints_where_it_went(file_store, scenario, seed):
    record_game(file_store, scenario, seed, turns=1)
    code, text = _run(cmd.cmd_sessions_backup, file_store)
    assert code == 0 and "backups" in text
    assert _run(cmd.cmd_sessions_backup, Store.memory())[0] == 1
