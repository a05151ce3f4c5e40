"""Results files built to hurt: devices, pipes, sessions that do not match their tags."""

import json
import os
from pathlib import Path

import pytest
from roomplay import GOOD, facilitator_room, laptop, play, results_file

from negtrainer.engine.loader import try_load
from negtrainer.store import ImportFileError, Store, exchange
from negtrainer.workshop import files

DEV_ZERO = Path("/dev/zero")
needs_dev_zero = pytest.mark.skipif(not DEV_ZERO.exists(), reason="no /dev/zero here")


@pytest.fixture
def room(tmp_path):
    yield from facilitator_room(tmp_path)


def _results(tmp_path, wfile, name="laptop", plays=(("Ana", GOOD),)):
    return results_file(tmp_path, wfile, name, plays)[0]


@pytest.fixture
def fifo(tmp_path):
    if not hasattr(os, "mkfifo"):
        pytest.skip("no FIFOs here")
    path = tmp_path / "pipe.results.json"
    os.mkfifo(path)
    return path


@needs_dev_zero
def test_a_symlink_to_dev_zero_is_refused_as_not_a_file_without_reading_it(room, tmp_path):
    fac, w, _ = room
    link = tmp_path / "zero.results.json"
    link.symlink_to(DEV_ZERO)
    (got,) = files.collect(fac, w, [link])
    assert got.status == "refused" and "not a regular file" in got.why
    assert fac.count_sessions() == 0


@needs_dev_zero
def test_dev_zero_itself_is_refused_by_import_join_and_the_scenario_loader(tmp_path):
    for what in ("import", "join", "collect"):
        with pytest.raises(ImportFileError, match="not a regular file"):
            exchange.read_bounded(DEV_ZERO, what)
    sc, diags = try_load(DEV_ZERO)
    assert sc is None and "not a regular file" in diags[0].message


def test_a_fifo_is_refused_without_blocking(room, fifo):
    fac, w, _ = room
    (got,) = files.collect(fac, w, [fifo])
    assert got.status == "refused" and "not a regular file" in got.why
    with pytest.raises(ImportFileError, match="not a regular file"):
        exchange.read_bounded(fifo)
    sc, diags = try_load(fifo)
    assert sc is None and "not a regular file" in diags[0].message


def test_a_file_that_holds_more_than_the_limit_is_refused_whatever_stat_said(tmp_path):
    big = tmp_path / "big.json"
    big.write_bytes(b" " * 101)
    with pytest.raises(ImportFileError, match="larger than"):
        exchange.read_bounded(big, "import", limit=100)
    assert exchange.read_bounded(big, "import", limit=101) == b" " * 101


def _edited(tmp_path, out, edit, name="edited.json"):
    doc = json.loads(out.read_text())
    edit(doc)
    path = tmp_path / name
    path.write_text(json.dumps(doc))
    return path


@pytest.mark.parametrize(
    "edit, why",
    [
        (
            lambda d: d["sessions"][0].update(variant="curt"),
            (
                "session 1 ({sid}) was played against variant 'curt', but exercise e1 gives everyone "
                "variant 'warm'"
            ),
        ),
        (
            lambda d: d["sessions"][0].update(seed=5),
            "session 1 ({sid}) was played with seed 5, but exercise e1 gives everyone seed 4",
        ),
        (
            lambda d: d["sessions"][0].update(learner="Mallory"),
            "session 1 ({sid}) was played by learner 'Mallory', but its tag names participant 'Ana'",
        ),
        (
            lambda d: d["sessions"][0].update(learner="Ben"),
            "session 1 ({sid}) was played by learner 'Ben', but its tag names participant 'Ana'",
        ),
        (lambda d: d.update(tags=[]), "this file has no sessions of the workshop 'Monday class'"),
        (
            lambda d: d["sessions"].append(d["sessions"][0]),
            "it lists session {sid} twice (sessions 1 and 2)",
        ),
        (lambda d: d["tags"].append(d["tags"][0]), "it tags session {sid} twice"),
    ],
)
def test_a_session_that_does_not_match_its_tag_or_exercise_refuses_the_file(
    room, tmp_path, edit, why
):
    fac, w, wfile = room
    out = _results(tmp_path, wfile)
    sid = json.loads(out.read_text())["sessions"][0]["id"][:8]
    (got,) = files.collect(fac, w, [_edited(tmp_path, out, edit)])
    assert got.status == "refused" and why.format(sid=sid) in got.why, got.why
    assert fac.count_sessions() == 0


def test_an_anonymised_file_is_taken_though_its_learners_are_pseudonyms(room, tmp_path):
    fac, w, wfile = room
    store, lw = laptop(tmp_path, "anon", wfile)
    with store:
        play(store, lw, "e1", "Ana", GOOD)
        play(store, lw, "e1", "Guest", GOOD)
        out = tmp_path / "anon.json"
        files.export_results(store, lw, out, anonymous=True)
    assert {s["learner"] for s in json.loads(out.read_text())["sessions"]} == {"P1", "Guest"}
    (got,) = files.collect(fac, w, [out])
    assert got.status == "taken" and len(got.added) == 2, got.why


def test_a_session_that_contradicts_the_one_collected_is_named(room, tmp_path):
    fac, w, wfile = room
    out = _results(tmp_path, wfile)
    first = json.loads(out.read_text())["sessions"][0]

    def cut_short(d):
        s = d["sessions"][0]
        s.update(inputs=s["inputs"][:1], times=s["times"][:2], status="unfinished", ended_at=None)

    (taken,) = files.collect(fac, w, [out])
    (again,) = files.collect(fac, w, [_edited(tmp_path, out, cut_short)])
    assert taken.status == again.status == "taken"
    assert again.differ == [first["id"]]
    assert f"session {first['id'][:8]} in it differs from the one collected" in again.line()
    assert fac.count_sessions() == 1


@pytest.mark.parametrize("version", [0, -1, None, "2", 2.0, True, "missing"])
def test_a_version_this_build_does_not_know_is_damage_not_a_reason_to_update(
    room, tmp_path, version
):
    fac, w, wfile = room
    out = _results(tmp_path, wfile)

    def edit(d):
        if version == "missing":
            del d["version"]
        else:
            d["version"] = version

    (got,) = files.collect(fac, w, [_edited(tmp_path, out, edit)])
    assert (
        got.status == "refused"
        and "not a results file of a version this program knows" in got.why
        and "Update" not in got.why
    ), got.why
    assert fac.count_sessions() == 0


def test_a_higher_version_than_this_build_reads_says_update(room, tmp_path):
    fac, w, wfile = room
    out = _results(tmp_path, wfile)
    (got,) = files.collect(fac, w, [_edited(tmp_path, out, lambda d: d.update(version=3))])
    assert "written by a newer negtrainer (format version 3" in got.why
    assert "Update negtrainer" in got.why


def test_a_workshop_file_of_an_unknown_version_is_refused_as_damaged(room, tmp_path):
    _, _, wfile = room
    path = _edited(tmp_path, wfile, lambda d: d.update(version=0), "w0.json")
    with (
        Store.open(tmp_path / "lap.db", backup_every_hours=None) as store,
        pytest.raises(ImportFileError, match="not a workshop file of a version this"),
    ):
        files.join(store, path)


def test_a_field_out_of_range_is_named_by_session_number_and_id_not_by_path(room, tmp_path):
    fac, w, wfile = room
    out = _results(tmp_path, wfile)
    sid = json.loads(out.read_text())["sessions"][0]["id"][:8]
    (got,) = files.collect(
        fac, w, [_edited(tmp_path, out, lambda d: d["sessions"][0].update(seed=2**64))]
    )
    assert got.why.startswith(f"session 1 ({sid}): seed: Input should be less than"), got.why
    (tag,) = files.collect(
        fac, w, [_edited(tmp_path, out, lambda d: d["tags"][0].update(participant=""), "tag.json")]
    )
    assert tag.why.startswith("tag 1: participant:"), tag.why


def test_a_fifo_in_the_way_of_an_export_is_not_opened_to_look_at_it(fifo):
    assert exchange.looks_like_export(fifo) is False


def test_results_of_another_workshop_with_the_same_name_say_so_by_id(room, tmp_path):
    fac, w, wfile = room
    out = _results(tmp_path, wfile)
    other = "0" * 32
    got = files.collect(fac, w, [_edited(tmp_path, out, lambda d: d["workshop"].update(id=other))])[
        0
    ]
    assert (
        got.status == "refused"
        and f"another workshop also called 'Monday class' (id 00000000, this one is {w.id[:8]})"
        in got.why
    ), got.why


def test_a_file_of_millions_of_tiny_records_is_refused_before_it_is_read(room, tmp_path):
    import resource

    fac, w, wfile = room
    out = _results(tmp_path, wfile)

    def swell(d):
        d["sessions"][0]["inputs"] = [{"accept": "counter"}] * (files.MAX_RESULT_OBJECTS + 1)

    big = _edited(tmp_path, out, swell)
    before = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss
    (got,) = files.collect(fac, w, [big])
    assert got.status == "refused" and "records (JSON objects)" in got.why, got.why
    # Not read into objects: a pydantic model each would be hundreds of megabytes more.
    assert resource.getrusage(resource.RUSAGE_SELF).ru_maxrss - before < 200_000  # KiB
    assert fac.count_sessions() == 0


def test_a_summary_of_many_contradicting_sessions_counts_those_it_does_not_name():
    ids = [f"{i:08d}-0000" for i in range(19)]
    line = files.Collected("r.json", "taken", [], ids, differ=ids).line()
    assert line.count("differs from the one collected before") == 5
    assert "and 14 more sessions in it differ" in line


def test_results_of_an_exercise_the_facilitator_lacks_say_what_to_do(room, tmp_path):
    fac, w, wfile = room
    out = _results(tmp_path, wfile)
    edited = _edited(tmp_path, out, lambda d: d["tags"][0].update(exercise="e9"))
    (got,) = files.collect(fac, w, [edited])
    assert got.status == "refused" and "exercise 'e9'" in got.why, got.why
    assert "export the workshop file again" in got.why


THREAT = "Twelve percent off or we go to tender. Final."


def _results_with_own_words(tmp_path, wfile, text=THREAT):
    """A laptop where Ana opened with her own words, and its results file."""
    from negtrainer.understand import bridge
    from negtrainer.workshop import service

    store, lw = laptop(tmp_path, "words", wfile)
    with store:
        started = service.start(store, lw, "e1", "Ana")
        item = bridge.own_words_input(bridge.understand_in(started.session, text))
        started.recorder.apply(item)
        started.recorder.finish()
        out = tmp_path / "words.results.json"
        files.export_results(store, lw, out)
    return out, item


def test_own_words_are_collected_and_a_line_relabelled_as_listening_is_refused(room, tmp_path):
    fac, w, wfile = room
    out, item = _results_with_own_words(tmp_path, wfile)
    assert "move" in item and item["move"] not in ("open_question", "paraphrase")
    doc = json.loads(out.read_text())
    assert doc["sessions"][0]["inputs"][0]["typed"] == THREAT
    # The words stay; the labels claim an open question about what the supplier hides.
    doc["sessions"][0]["inputs"][0].update(move="open_question", topics=["capacity", "volume"])
    forged = tmp_path / "forged.results.json"
    forged.write_text(json.dumps(doc))
    (got,) = files.collect(fac, w, [forged])
    assert got.status == "refused"
    assert "turn 1: the learner's own words read as" in got.why
    assert "not as the open question the file says" in got.why
    assert fac.count_sessions() == 0
    (got,) = files.collect(fac, w, [out])  # as the laptop wrote it
    assert got.status == "taken" and len(got.added) == 1


def test_a_sessions_file_with_relabelled_own_words_is_refused(tmp_path):
    from negtrainer.engine.session import Session
    from negtrainer.understand import bridge
    from negtrainer.workshop import service

    sc = service.load_scenario("packaging-renewal")
    src = Store.open(tmp_path / "src.db", backup_every_hours=None)
    session = Session.start(sc, seed=3)
    sid = src.begin(sc, session, "Ana")
    item = bridge.own_words_input(bridge.understand_in(session, THREAT))
    step = session.apply(item)
    src.record_turn(sid, session, step)
    path = tmp_path / "s.json"
    src.export([sid], path)
    src.close()
    doc = json.loads(path.read_text())
    # Replayed with the forged labels, the turn's state and record agree with them.
    forged = Session.start(sc, seed=3)
    forged.apply({"typed": THREAT, "move": "open_question", "topics": ["capacity", "volume"]})
    turn = doc["sessions"][0]["turns"][1]
    turn["record"] = json.loads(json.dumps(forged.state.log[-1]))
    state = json.loads(json.dumps(forged.state.to_json(include_log=False)))
    del state["log"]  # a turn's state is kept without the log (the records are the turns)
    turn["state"] = state
    bad = tmp_path / "forged.json"
    bad.write_text(json.dumps(doc))
    dst = Store.open(tmp_path / "dst.db", backup_every_hours=None)
    with dst:
        with pytest.raises(ImportFileError, match="turn 1 is not what the scenario gives"):
            dst.import_file(bad)
        assert dst.count_sessions() == 0
        assert dst.import_file(path).added == [sid]


@pytest.mark.parametrize(
    "edit, said",
    [
        (lambda t: t.replace('{"format"', '{"format": "x", "format"', 1), "key 'format' twice"),
        (lambda t: '{"x":' + "[" * 100_000 + "]" * 100_000 + "}", "nested more than 40 levels"),
        (lambda t: t.replace('"seed":', '"seed":' + "9" * 5000 + ', "x":', 1), "5,000 digits"),
    ],
)
def test_collect_and_import_refuse_the_same_damaged_file_in_the_same_plain_words(
    room, tmp_path, edit, said
):
    """A key twice (the last would silently win), nesting that would exhaust Python's
    recursion, a number Python will not read: named, never in Python's own words."""
    fac, w, wfile = room
    good = _results(tmp_path, wfile)
    bad = tmp_path / "bad.results.json"
    bad.write_text(edit(good.read_text(encoding="utf-8")), encoding="utf-8")
    (got,) = files.collect(fac, w, [bad])
    assert got.status == "refused" and said in got.why, got.why
    with pytest.raises(ImportFileError, match=said) as e:
        fac.import_file(bad)
    for python in ("recursion", "sys.set_int", "Exceeds the limit"):
        assert python not in got.why and python not in str(e.value)
    assert fac.count_sessions() == 0
