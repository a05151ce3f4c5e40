"""What the GUI benches and docs/screenshots.py share: the sample scenario's
scripted path to its best ending (the analysis's expert path), scratch settings
and folders, and the real window launched on them.

Those scripts put the repository root on ``sys.path`` and import this as
``bench._common``; it imports Qt only inside its functions, after they have
chosen the platform.
"""

from __future__ import annotations

import os
from pathlib import Path
from typing import Any

_SCRIPTS: dict[tuple, list[dict[str, Any]]] = {}


def machine_speed() -> str:
    """How fast the machine runs plain Python right now: a fixed loop, best of three.
    Printed before and after a bench's figures, so a reader can tell a slow machine
    from slow code (this kind of machine has run the same loop in 85 ms and, minutes
    later, in 150 ms, with no other load and no time stolen by its host)."""
    import time

    best = float("inf")
    for _ in range(3):
        t = time.perf_counter()
        total = 0
        for i in range(2_000_000):
            total += i & 7
        best = min(best, time.perf_counter() - t)
    return f"machine speed: a fixed Python loop took {best * 1000:.0f} ms"


def script_for(session: Any) -> list[dict[str, Any]]:
    """The analysis's expert path for this session's scenario, seed and variant: the
    inputs (choices, offers, accept) that play it to its best ending. The seed decides
    which choices are on show, so the script is computed per seed (and cached)."""
    from negtrainer.engine.analysis import expert_path

    st = session.state
    key = (session.scenario.id, st.seed, st.variant)
    if key not in _SCRIPTS:
        found = expert_path(session.scenario, st.variant, seed=st.seed)
        if found is None:
            raise RuntimeError(f"no expert path for {key}")
        _SCRIPTS[key] = list(found["inputs"])
    return _SCRIPTS[key]


def wait_until(qapp: Any, cond: Any, timeout: float, nap: float = 0.0) -> None:
    """Process Qt events until ``cond()`` holds (a TimeoutError after ``timeout`` seconds);
    ``nap`` seconds between rounds spare the CPU where timing is not being measured."""
    import time

    end = time.monotonic() + timeout
    while not cond():
        if time.monotonic() > end:
            raise TimeoutError("the window did not get there in time")
        qapp.processEvents()
        if nap:
            time.sleep(nap)


def act_in_window(play: Any, item: dict[str, Any]) -> None:
    """Play one scripted input through the play view, as a person would."""
    if "choice" in item:
        play.choose(item["choice"])
    elif "offer" in item:
        play.offers.set_terms(item["offer"])
        play.offers.send_button.click()
    else:
        play.accept_counter()


def use_scratch_places(scenarios: Path, settings: Path) -> None:
    """Read the user's scenarios from ``scenarios`` and keep settings in ``settings``,
    so nothing of the person running the script is read or changed."""
    from PySide6.QtCore import QSettings

    os.environ["NEGTRAINER_SCENARIOS"] = str(scenarios)
    QSettings.setDefaultFormat(QSettings.Format.IniFormat)
    QSettings.setPath(QSettings.Format.IniFormat, QSettings.Scope.UserScope, str(settings))


def silent_speaker(**kwargs: Any) -> Any:
    """A speaker that says every line at once, silently (for ``speaker_factory``)."""
    from negtrainer.voice.fake import FakeSpeaker

    return FakeSpeaker(auto_finish=True, **kwargs)


def launch(qapp: Any, db: Path, **kwargs: Any) -> tuple[Any, list[Any]]:
    """The program's own startup path at 1280x800: the window, and a list that is
    no longer empty once the window is ready. ``kwargs`` go to ``app.launch``."""
    from negtrainer.gui import app as gui_app

    ready: list[Any] = []
    window = gui_app.launch(qapp, db, on_ready=ready.append, **kwargs)
    window.resize(1280, 800)
    return window, ready
