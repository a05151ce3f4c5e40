"""The worker speaks JSON lines only, and shrugs off anything else it is sent."""

from __future__ import annotations

import pytest

from negtrainer.voice.protocol import decode, encode, kill_worker, spawn_worker


@pytest.fixture
def worker():
    proc = spawn_worker(fake_engine="ok")
    yield proc
    kill_worker(proc)
    proc.wait(timeout=10)
    for pipe in (proc.stdin, proc.stdout, proc.stderr):
        pipe.close()


def read_event(proc) -> dict:
    while True:
        line = proc.stdout.readline()
        assert line, "the worker closed its event stream"
        if (message := decode(line)) is not None:
            return message


def test_the_worker_ignores_lines_that_are_not_commands_and_keeps_answering(worker):
    assert read_event(worker)["ev"] == "ready"
    for junk in (
        b"not json\n",
        b"[1, 2]\n",
        b'{"op": "speak"}\n',
        b"\xff\xfe\n",
        b'{"op": "launch", "id": 1}\n',
    ):
        worker.stdin.write(junk)
    worker.stdin.write(encode({"op": "ping", "id": 2}))
    worker.stdin.flush()
    assert read_event(worker) == {"ev": "pong", "id": 2}


def test_closing_the_workers_input_makes_it_exit(worker):
    assert read_event(worker)["ev"] == "ready"
    worker.stdin.close()
    assert worker.wait(timeout=10) == 0


def test_messages_are_single_ascii_lines_whatever_the_text():
    raw = encode({"op": "speak", "id": 1, "text": "Ça va?\nNaïve — “quoted”"})
    assert raw.endswith(b"\n") and raw.count(b"\n") == 1
    assert raw.isascii()
    assert decode(raw)["text"] == "Ça va?\nNaïve — “quoted”"
