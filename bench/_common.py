"""What the GUI benches and docs/screenshots.py share: the sample scenario's
scripted path to a deal, scratch settings and folders, and the real window
launched on them.

Those scripts put the repository root on ``sys.path`` and import this as
``bench._common``; it imports Qt only inside its functions, after they have
chosen the platform.
"""

from __future__ import annotations

import os
from pathlib import Path
from typing import Any

# packaging-renewal (warm variant): these choices, then this offer, reach a deal.
PATH = [
    "small_talk_drive",
    "thank_rush_order",
    "ask_builders",
    "label_nervous",
    "ask_year",
    "ask_payment",
    "ask_future",
    "promise_forecast",
    "keep_forecast",
    "summarise",
]
DEAL = {"price": "€0.38", "volume": "2.8M trays", "payment": "30 days", "term": "3 years"}


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
