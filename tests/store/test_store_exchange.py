"""Sessions files: export, import, and hostile or damaged files."""

import copy
import functools
import json

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from storeplay import SAMPLE, as_json, record_game

from negtrainer.engine.loader import load_scenario
from negtrainer.store import ImportFileError, Store
from negtrainer.store.exchange import MAX_FILE_BYTES, content_hash


def _all_exported(store, path):
    store.export([], path)
    doc = json.loads(path.read_text())
    del doc["exported_at"]
    doc["sessions"].sort(key=lambda s: s["id"])
    return doc


def _fill(store, scenario, seed):
    a, _ = record_game(store, scenario, seed, learner="Ana")
    b, _ = record_game(store, scenario, seed + 1, learner="Bo", turns=3)
    store.add_note(a, 2, "Nice paraphrase — «exactly» what was needed.")
    child, _ = store.branch(a, 2, learner="Cy")
    return [a, b, child]


def test_export_then_import_into_a_fresh_database_gives_identical_sessions(
    store, scenario, seed, tmp_path
):
    ids = _fill(store, scenario, seed)
    before = _all_exported(store, tmp_path / "a.json")
    fresh = Store.memory()
    report = fresh.import_file(tmp_path / "a.json")
    assert sorted(report.added) == sorted(ids) and report.skipped == []
    assert _all_exported(fresh, tmp_path / "b.json") == before
    for sid in ids:
        assert as_json(fresh.state_at(sid)) == as_json(store.state_at(sid))
        assert fresh.get(sid) == store.get(sid)
        assert [n.text for n in fresh.notes(sid)] == [n.text for n in store.notes(sid)]


def test_an_export_holds_each_scenario_once_and_documents_its_format(
    store, scenario, seed, tmp_path
):
    _fill(store, scenario, seed)
    store.export([], tmp_path / "x.json")
    doc = json.loads((tmp_path / "x.json").read_text())
    assert (doc["format"], doc["version"]) == ("negtrainer-sessions", 1)
    assert list(doc["scenarios"]) == [scenario.content_hash]
    assert all("log" not in t["state"] for s in doc["sessions"] for t in s["turns"])


def test_importing_the_same_file_twice_adds_nothing_the_second_time(
    store, scenario, seed, tmp_path
):
    ids = _fill(store, scenario, seed)
    store.export(ids[:2], tmp_path / "x.json")
    fresh = Store.memory()
    fresh.import_file(tmp_path / "x.json")
    again = fresh.import_file(tmp_path / "x.json")
    assert again.added == [] and sorted(again.skipped) == sorted(ids[:2])
    assert fresh.count_sessions() == 2


def test_an_imported_session_resumes_and_branches_like_a_local_one(store, scenario, seed, tmp_path):
    sid, _ = record_game(store, scenario, seed, turns=3)
    store.export([sid], tmp_path / "x.json")
    fresh = Store.memory()
    fresh.import_file(tmp_path / "x.json")
    assert fresh.resume(sid).state.turn == 3
    new_id, _ = fresh.branch(sid, 1)
    assert fresh.verify(new_id) == []


@functools.lru_cache(maxsize=1)
def _valid_doc():
    scenario = load_scenario(SAMPLE)
    store = Store.memory()
    a, _ = record_game(store, scenario, 3, turns=4)
    store.add_note(a, 1, "a note")
    store.branch(a, 2)
    doc = {"format": "negtrainer-sessions", "version": 1, "scenarios": {}, "sessions": []}
    from negtrainer.store.exchange import file_doc, session_doc

    loaded = [store.load(i.id) for i in store.list_sessions()]
    doc = file_doc([session_doc(s) for s in loaded], {scenario.content_hash: scenario})
    return json.loads(json.dumps(doc))


def _import(doc_or_bytes, tmp_path):
    raw = doc_or_bytes if isinstance(doc_or_bytes, bytes) else json.dumps(doc_or_bytes).encode()
    path = tmp_path / "in.json"
    path.write_bytes(raw)
    store = Store.memory()
    try:
        return store, store.import_file(path)
    except ImportFileError:
        assert store.count_sessions() == 0, "a failed import wrote something"
        assert store.learners() == []
        raise


def _tamper(doc, fn):
    doc = copy.deepcopy(doc)
    fn(doc)
    return doc


def _set_trust(doc):
    doc["sessions"][0]["turns"][2]["state"]["vars"]["trust"] = 99.0


def _swap_choice(doc):
    rec = doc["sessions"][0]["turns"][1]["record"]
    rec["said"] = "We need 50% off or we walk."


def _edit_scenario(doc):
    canonical = next(iter(doc["scenarios"].values()))
    canonical["title"] = "Something else"


def _break_second_session(doc):
    doc["sessions"][1]["turns"][-1]["state"]["offers"] = 7


@pytest.mark.parametrize(
    "tamper, message",
    [
        (_set_trust, "turn 2 is not what the scenario gives"),
        (_swap_choice, "turn 1 is not what the scenario gives"),
        (_edit_scenario, "does not match its hash"),
        (_break_second_session, "is not what the scenario gives"),
        (lambda d: d.update(version=2), "newer negtrainer"),
        (lambda d: d.update(version=0), r"format version \(0\) is not one negtrainer ever wrote"),
        (lambda d: d.update(version="1"), r"format version \(\"1\"\) is not one"),
        (lambda d: d.update(version=True), r"format version \(true\) is not one"),
        (lambda d: d.pop("version"), "says no format version"),
        (lambda d: d.update(format="something"), "not a negtrainer sessions file"),
        (lambda d: d["sessions"][0].update(seed="7"), "seed"),
        (lambda d: d["sessions"][0].update(id="../../etc"), "id"),
        (lambda d: d["sessions"][0]["turns"].pop(1), "numbered"),
        (lambda d: d["sessions"][0].update(learner="x" * 500), "learner"),
        (lambda d: d["sessions"][0].update(content_hash="0" * 64), "missing from the file"),
        (
            lambda d: d["sessions"][0]["turns"][1]["record"].update(input={"eval": "1"}),
            "input the engine does not know",
        ),
        (
            lambda d: d["sessions"][0]["notes"].append(
                {
                    "turn": 90,
                    "text": "x",
                    "created_at": "2024-01-01T00:00:00+00:00",
                    "updated_at": "2024-01-01T00:00:00+00:00",
                }
            ),
            "turn",
        ),
    ],
)
def test_a_tampered_file_is_rejected_with_a_clear_message_and_nothing_written(
    tmp_path, tamper, message
):
    with pytest.raises(ImportFileError, match=message) as e:
        _import(_tamper(_valid_doc(), tamper), tmp_path)
    assert str(e.value).startswith("Cannot import ")
    assert str(e.value).endswith("Nothing was imported.")


def test_the_untampered_file_imports(tmp_path):
    _store, report = _import(_valid_doc(), tmp_path)
    assert len(report.added) == 2


@pytest.mark.parametrize(
    "raw, message",
    [
        (b"", "not valid JSON"),
        (b"\xff\xfe\x00garbage", "not a text file"),
        (b"[1, 2, 3]", "not a negtrainer sessions file"),
        (b'{"format": "negtrainer-results"}', "a workshop results file: collect it with"),
        (b'{"format": "negtrainer-workshop"}', "a workshop file: join it with"),
        (
            b'{"format": "negtrainer-sessions", "version": 1, "scenarios": {}, "sessions": NaN}',
            "not valid JSON",
        ),
        (b"[" * 100_000 + b"]" * 100_000, "nested more than"),
        (
            (
                b'{"format": "negtrainer-sessions", "version": 1, "scenarios": {}, "sessions": [], '
                b'"__class__": "os.system"}'
            ),
            "__class__",
        ),
    ],
)
def test_a_file_that_is_not_a_sessions_file_is_rejected_clearly(tmp_path, raw, message):
    with pytest.raises(ImportFileError, match=message):
        _import(raw, tmp_path)


def test_a_file_over_the_size_limit_is_refused_before_it_is_read(tmp_path):
    path = tmp_path / "huge.json"
    with open(path, "wb") as f:
        f.truncate(MAX_FILE_BYTES + 1)
    with pytest.raises(ImportFileError, match="larger than 50 MB"):
        Store.memory().import_file(path)


def test_a_missing_file_is_reported_as_such(tmp_path):
    with pytest.raises(ImportFileError, match="Cannot read"):
        Store.memory().import_file(tmp_path / "nope.json")


json_values = st.recursive(
    st.none() | st.booleans() | st.integers() | st.floats(allow_nan=False) | st.text(max_size=20),
    lambda inner: (
        st.lists(inner, max_size=4) | st.dictionaries(st.text(max_size=10), inner, max_size=4)
    ),
    max_leaves=20,
)
FUZZ = settings(
    max_examples=150,
    deadline=None,
    suppress_health_check=[HealthCheck.function_scoped_fixture, HealthCheck.too_slow],
)


@FUZZ
@given(raw=st.binary(max_size=300))
def test_random_bytes_never_crash_the_importer(tmp_path, raw):
    with pytest.raises(ImportFileError):
        _import(raw, tmp_path)


@FUZZ
@given(value=json_values)
def test_random_json_never_crashes_the_importer(tmp_path, value):
    doc = (
        {"format": "negtrainer-sessions", "version": 1, "sessions": value, "scenarios": {}}
        if isinstance(value, list)
        else value
    )
    try:
        _store, report = _import(doc, tmp_path)
    except ImportFileError:
        return
    assert report.added == []  # only an empty list of sessions is a valid file here


def _paths(node, prefix=()):
    yield prefix
    if isinstance(node, dict):
        for k, v in node.items():
            yield from _paths(v, prefix + (k,))
    elif isinstance(node, list):
        for i, v in enumerate(node):
            yield from _paths(v, prefix + (i,))


@functools.lru_cache(maxsize=1)
def _all_paths():
    return [p for p in _paths(_valid_doc()) if p]


@FUZZ
@given(data=st.data())
def test_a_valid_file_changed_anywhere_never_crashes_the_importer(tmp_path, data):
    doc = copy.deepcopy(_valid_doc())
    for _ in range(data.draw(st.integers(1, 3))):
        paths = [p for p in _all_paths() if _exists(doc, p)]
        path = data.draw(st.sampled_from(paths))
        parent = _get(doc, path[:-1])
        if data.draw(st.booleans()) and isinstance(parent, dict):
            del parent[path[-1]]
        else:
            parent[path[-1]] = data.draw(json_values)
    try:
        store, report = _import(doc, tmp_path)
    except ImportFileError:
        return
    for sid in report.added:  # whatever got in is a session the engine reproduces
        assert store.verify(sid) == []


def _get(doc, path):
    for p in path:
        doc = doc[p]
    return doc


def _exists(doc, path):
    try:
        _get(doc, path)
        return True
    except (KeyError, IndexError, TypeError):
        return False


@FUZZ
@given(data=st.data())
def test_a_scenario_snapshot_changed_and_rehashed_never_crashes_the_importer(tmp_path, data):
    # A hostile file can carry any scenario with a correct hash: the loader and
    # the engine then see it, and must refuse it cleanly or replay it exactly.
    doc = copy.deepcopy(_valid_doc())
    ((_old_hash, canonical),) = doc["scenarios"].items()
    paths = [p for p in _paths(canonical) if p]
    for _ in range(data.draw(st.integers(1, 3))):
        path = data.draw(st.sampled_from([p for p in paths if _exists(canonical, p)]))
        parent = _get(canonical, path[:-1])
        if data.draw(st.booleans()) and isinstance(parent, dict):
            del parent[path[-1]]
        else:
            parent[path[-1]] = data.draw(json_values)
    new_hash = content_hash(canonical)
    doc["scenarios"] = {new_hash: canonical}
    for s in doc["sessions"]:
        s["content_hash"] = new_hash
    try:
        store, report = _import(doc, tmp_path)
    except ImportFileError:
        return
    for sid in report.added:
        assert store.verify(sid) == []
