"""Shared fixtures for the GUI tests: offscreen Qt, scratch settings and
folders, a fake voice, a scratch database, the sample scenario, services on a
scratch store, and a launched main window."""

from __future__ import annotations

import gc
import os
import sys

# Before anything imports Qt: no display needed, and never a real one by accident.
os.environ.setdefault("QT_QPA_PLATFORM", "offscreen")

from collections.abc import Callable, Iterator
from pathlib import Path

# The suite runs with --import-mode=importlib, which leaves sys.path alone; the
# GUI tests share scripted sessions (guiplay.py) from this folder.
sys.path.insert(0, str(Path(__file__).parent))
from typing import Any

import pytest
from PySide6.QtCore import QSettings, Qt

from negtrainer.gui.workers import guard_singleton_refcounts

guard_singleton_refcounts()  # PySide6 6.12 leaks references to True/None per signal

# The window tests drive the format 1 set kept under tests/fixtures/v1 by choice id, so
# rewriting a built-in scenario's dialogue never breaks them; the format 2 screen (seeded
# order, locked choices without words) has its own tests on tests/fixtures/v2.
FIXED_LIBRARY = Path(__file__).resolve().parents[1] / "fixtures" / "v1"


@pytest.fixture(autouse=True)
def scratch_places(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    """Settings, the user's scenarios and the default database all in tmp_path,
    so no test reads or writes the real ones."""
    settings_dir = tmp_path / "settings"
    QSettings.setDefaultFormat(QSettings.Format.IniFormat)
    QSettings.setPath(QSettings.Format.IniFormat, QSettings.Scope.UserScope, str(settings_dir))
    user = tmp_path / "my-scenarios"
    user.mkdir()
    monkeypatch.setenv("NEGTRAINER_SCENARIOS", str(user))
    monkeypatch.setenv("NEGTRAINER_DB", str(tmp_path / "default.db"))
    monkeypatch.setenv("NEGTRAINER_BUILTIN_SCENARIOS", str(FIXED_LIBRARY))
    return user


class FakeVoice:
    """Makes FakeSpeakers for the services and remembers them."""

    def __init__(self, **options: Any) -> None:
        self.options = options
        self.speakers: list[Any] = []

    def __call__(self, **kwargs: Any) -> Any:
        from negtrainer.voice.fake import FakeSpeaker

        speaker = FakeSpeaker(**{**self.options, **kwargs})
        self.speakers.append(speaker)
        return speaker

    @property
    def speaker(self) -> Any:
        return self.speakers[-1] if self.speakers else None


@pytest.fixture
def fake_voice() -> FakeVoice:
    return FakeVoice(auto_finish=False)


@pytest.fixture
def tmp_db(tmp_path: Path) -> Path:
    return tmp_path / "sessions.db"


@pytest.fixture(scope="module")
def scenario() -> Any:
    """The sample scenario, packaging-renewal, loaded once per test module."""
    from guiplay import SCENARIO

    from negtrainer.engine.loader import load_scenario

    return load_scenario(SCENARIO)


@pytest.fixture
def services(qapp: Any, tmp_path: Path) -> Iterator[Any]:
    """The GUI's services on a scratch store and scratch settings, with no window."""
    import shiboken6

    from negtrainer.gui.services import Services, Settings
    from negtrainer.store.store import Store

    store = Store.open(tmp_path / "sessions.db")
    qs = QSettings(str(tmp_path / "settings.ini"), QSettings.Format.IniFormat)
    svc = Services(store, settings=Settings(qs))
    yield svc
    svc.close()
    # Delete the Qt side now, on the GUI thread: left to the garbage collector, it
    # may be collected on a later test's worker thread, and Qt objects must die on
    # the thread they live in.
    shiboken6.delete(svc)
    gc.collect()


@pytest.fixture
def launch(
    qtbot: Any, qapp: Any, tmp_db: Path, fake_voice: FakeVoice
) -> Iterator[Callable[..., Any]]:
    """``launch(db=None, wait=True, speaker_factory=fake_voice)``: the real
    startup path; returns the window."""
    from negtrainer.gui import app as gui_app

    windows: list[Any] = []

    def start(db: Path | None = None, wait: bool = True, speaker_factory: Any = None) -> Any:
        ready: list[Any] = []
        window = gui_app.launch(
            qapp,
            db or tmp_db,
            speaker_factory=speaker_factory or fake_voice,
            on_ready=ready.append,
        )
        window.ready = ready  # type: ignore[attr-defined]
        qtbot.addWidget(window)
        windows.append(window)
        window.activateWindow()
        if wait:
            qtbot.waitUntil(lambda: bool(ready), timeout=15000)
        return window

    yield start
    for window in windows:
        if window.services is not None:
            window.services.wait()


@pytest.fixture
def window(launch: Callable[..., Any]) -> Any:
    return launch()


class Driver:
    """Plays the window the way a person does: clicks, keys, waiting for replies."""

    def __init__(self, qtbot: Any) -> None:
        self.qtbot = qtbot

    def start(
        self, window: Any, scenario_id: str = "packaging-renewal", variant: str = "warm"
    ) -> Any:
        """Open the brief, pick the variant, press Start; return the play view."""
        window.open_brief(scenario_id)
        brief = window.brief
        brief.variant.setCurrentIndex(brief.variant.findData(variant))
        self.qtbot.mouseClick(brief.start_button, Qt.MouseButton.LeftButton)
        self.qtbot.waitUntil(
            lambda: (
                window.current == "play"
                and window.play.live is not None
                and window.play.live.session.scenario.id == scenario_id
            ),
            timeout=10000,
        )
        return window.play

    def walk_out(self, window: Any) -> Any:
        """Start the curt variant and pressure it until the counterpart walks out; return the
        play view."""
        play = self.start(window, variant="curt")
        for cid in ["open_ultimatum", "threat_tender", "refuse_increase", "leading_margin"]:
            if play.live.session.ended:
                break
            self.click(play, cid)
        return play

    def wait_turn(self, play: Any, turn: int) -> None:
        self.qtbot.waitUntil(
            lambda: (
                play.live is not None and not play.busy and play.live.session.state.turn >= turn
            ),
            timeout=10000,
        )

    def number_of(self, play: Any, choice_id: str) -> int:
        return next(n for n, b in play.numbered.items() if b.choice.id == choice_id)

    def press(self, play: Any, choice_id: str) -> None:
        """Say a choice by its number key (1-9), typed where the focus is."""
        from PySide6.QtWidgets import QApplication

        turn = play.live.session.state.turn
        n = self.number_of(play, choice_id)
        target = QApplication.focusWidget()
        if target is None or not play.isAncestorOf(target):
            target = play.buttons[0]  # as if the person had clicked into the page
            target.setFocus()
        self.qtbot.keyClick(target, Qt.Key(Qt.Key.Key_0.value + n))
        self.wait_turn(play, turn + 1)

    def click(self, play: Any, choice_id: str) -> None:
        turn = play.live.session.state.turn
        button = next(b for b in play.buttons if b.choice.id == choice_id)
        self.qtbot.mouseClick(button, Qt.MouseButton.LeftButton)
        self.wait_turn(play, turn + 1)


@pytest.fixture
def drive(qtbot: Any) -> Driver:
    return Driver(qtbot)
