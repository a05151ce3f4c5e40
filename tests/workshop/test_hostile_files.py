"""Results files built to hurt: devices, pipes, sessions that do not match their tags."""

import json
import os
from pathlib import Path

import pytest
from roomplay import GOOD, laptop, play, workshop_with_exercise

from negtrainer.engine.loader import try_load
from negtrainer.store import ImportFileError, Store, exchange
from negtrainer.workshop import files

DEV_ZERO = Path("/dev/zero")
needs_dev_zero = pytest.mark.skipif(not DEV_ZERO.exists(), reason="no /dev/zero here")


@pytest.fixture
def room(tmp_path):
    fac = Store.open(tmp_path / "fac.db", backup_every_hours=None)
    w = workshop_with_exercise(fac)
    wfile = files.export_workshop(fac, w, tmp_path / "w.json")
    yield fac, w, wfile
    fac.close()


def _results(tmp_path, wfile, name="laptop", plays=(("Ana", GOOD),)):
    store, w = laptop(tmp_path, name, wfile)
    with store:
        for who, script in plays:
            play(store, w, "e1", who, script)
        out = tmp_path / f"{name}.json"
        files.export_results(store, w, out)
    return out


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
