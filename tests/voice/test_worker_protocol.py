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


def events_until(proc, want) -> list[dict]:
    seen = []
    while not seen or not want(seen[-1]):
        seen.append(read_event(proc))
    return seen


def test_a_wrongly_typed_rate_or_volume_is_spoken_with_defaults_not_fatal(worker):
    assert read_event(worker)["ev"] == "ready"
    worker.stdin.write(
        encode(
            {
                "op": "speak",
                "id": 1,
                "text": "Hello.",
                "voice": None,
                "rate": "fast",
                "volume": "loud",
            }
        )
    )
    worker.stdin.flush()
    seen = events_until(worker, lambda e: e.get("id") == 1 and e["ev"] != "started")
    assert seen[-1]["ev"] == "finished"
    worker.stdin.write(
        encode(
            {
                "op": "speak",
                "id": 2,
                "text": ["not", "text"],
                "voice": 5,
                "rate": True,
                "volume": None,
            }
        )
    )
    worker.stdin.flush()
    assert events_until(worker, lambda e: e.get("id") == 2)[-1]["ev"] == "skipped"
    worker.stdin.write(encode({"op": "ping", "id": 3}))
    worker.stdin.flush()
    assert read_event(worker) == {"ev": "pong", "id": 3}


def test_a_deeply_nested_line_leaves_the_worker_listening(worker):
    assert read_event(worker)["ev"] == "ready"
    worker.stdin.write(b"[" * 200_000 + b"]" * 200_000 + b"\n")
    worker.stdin.write(b'{"op": "ping", "id": [[[[1]]]]}\n{"op": "ping", "id": 7}\n')
    worker.stdin.flush()
    assert read_event(worker) == {"ev": "pong", "id": 7}


def test_speak_arguments_are_clamped_and_defaulted():
    from negtrainer.voice.protocol import speak_args

    assert speak_args({"text": "Hi", "rate": 10**9, "volume": -3}) == ("Hi", None, 500, 0.0)
    assert speak_args({"text": "Hi", "rate": float("nan"), "volume": "x"}) == ("Hi", None, 175, 1.0)
    assert speak_args({"text": 5}) is None
    assert decode(b"[" * 100_000 + b"]" * 100_000) is None


def test_the_engine_writes_to_a_private_folder_with_a_plain_path(tmp_path, monkeypatch):
    import os
    import stat

    from negtrainer.voice import worker as w

    hostile = tmp_path / "a b;touch pwned"
    hostile.mkdir()
    monkeypatch.setattr("tempfile.gettempdir", lambda: str(hostile))
    folder = w.safe_tempdir()
    assert w._SAFE_PATH.match(str(folder)) and not str(folder).startswith(str(hostile))
    assert stat.S_IMODE(folder.stat().st_mode) == 0o700 and folder.stat().st_uid == os.getuid()


def test_the_worker_process_points_its_temporary_files_at_that_folder(tmp_path):
    import os
    import sys

    from clirun import ROOT, run

    hostile = tmp_path / "a b;touch pwned"
    hostile.mkdir()
    code = (
        "import os, tempfile; from negtrainer.voice import worker; "
        "worker._use_safe_tempdir(); print(tempfile.gettempdir(), os.environ['TMPDIR'])"
    )
    out = run(
        [sys.executable, "-c", code],
        timeout=60,
        env=dict(os.environ, TMPDIR=str(hostile), PYTHONPATH=str(ROOT)),
    )
    assert out.returncode == 0, out.stderr
    first, second = out.stdout.split()
    assert first == second and str(hostile) not in first
