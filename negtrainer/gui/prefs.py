"""The window's settings: typed values over QSettings, with a signal per change."""

from __future__ import annotations

from typing import Any, ClassVar

from PySide6.QtCore import QObject, QSettings, Signal

ORGANIZATION = "negtrainer"
APPLICATION = "negtrainer"


class Settings(QObject):
    """Typed settings over QSettings (organization "negtrainer").

    ``changed(key)`` fires after every ``set``; views react to the keys they show.
    """

    changed = Signal(str)

    DEFAULTS: ClassVar[dict[str, Any]] = {
        "theme": "light",
        "text_size": 100,
        "voice/enabled": False,
        "voice/rate": 175,
        "voice/volume": 100,
        "voice/learner": False,
        "coach": False,
        "own_words": False,  # practice mode: type your own lines, the menu on request
        "learner": "",
        "window/geometry": None,
    }

    def __init__(self, qsettings: QSettings | None = None, parent: QObject | None = None):
        super().__init__(parent)
        # An INI file on every platform (not the Windows registry): easy to find,
        # copy or delete, and tests can point it elsewhere with QSettings.setPath.
        self._q = qsettings or QSettings(
            QSettings.Format.IniFormat, QSettings.Scope.UserScope, ORGANIZATION, APPLICATION
        )

    def get(self, key: str) -> Any:
        default = self.DEFAULTS.get(key)
        value = self._q.value(key, default)
        # QSettings returns strings from INI files; coerce to the default's type.
        if isinstance(default, bool):
            return value in (True, "true", "1", 1)
        if isinstance(default, int):
            try:
                return int(value)
            except (TypeError, ValueError):
                return default
        return value

    def set(self, key: str, value: Any) -> None:
        if self.get(key) == value:
            return
        self._q.setValue(key, value)
        self.changed.emit(key)

    def sync(self) -> None:
        self._q.sync()

    @property
    def theme(self) -> str:
        return str(self.get("theme"))

    @property
    def text_size(self) -> int:
        return int(self.get("text_size"))

    @property
    def coach(self) -> bool:
        return bool(self.get("coach"))

    @property
    def voice_enabled(self) -> bool:
        return bool(self.get("voice/enabled"))

    @property
    def voice_rate(self) -> int:
        return int(self.get("voice/rate"))

    @property
    def voice_volume(self) -> int:
        """Loudness in percent, 0-100."""
        return max(0, min(100, int(self.get("voice/volume"))))

    @property
    def voice_learner(self) -> bool:
        """Read the learner's own chosen line aloud too (in a neutral voice)."""
        return bool(self.get("voice/learner"))
