"""Help > About: the version, where the data lives, the licence and the credits.

Everything shown is plain text (paths come from the environment and may hold
anything). Library versions are read from the installed metadata, so a bundle
that lost a package's metadata shows "version unknown" rather than failing.
"""

from __future__ import annotations

from pathlib import Path

from PySide6.QtCore import QUrl
from PySide6.QtGui import QDesktopServices
from PySide6.QtWidgets import QDialog, QHBoxLayout, QPushButton, QVBoxLayout, QWidget

from negtrainer import __version__
from negtrainer.gui.widgets import label

LICENCE = "MIT licence. Free to use, copy, change and share; no warranty."

# (distribution, what it does here, licence). Licences as their authors publish them.
LIBRARIES: list[tuple[str, str, str]] = [
    ("PySide6-Essentials", "Qt for Python: the window", "LGPL-3.0"),
    ("PySide6-Addons", "Qt Charts: trust and progress charts", "LGPL-3.0"),
    ("pyttsx3", "speech", "MPL-2.0"),
    ("sqlite-utils", "the session database", "Apache-2.0"),
    ("pydantic", "scenario validation", "MIT"),
    ("PyYAML", "scenario files", "MIT"),
    ("platformdirs", "where your data is kept", "MIT"),
    ("python-avatars", "the counterpart's face", "MIT"),
]

AVATAR_ART = (
    "Avatar art: Avataaars by Pablo Stanley (avataaars.com), drawn through "
    "python_avatars by Ibon (MIT)."
)


def _version(dist: str) -> str:
    from importlib import metadata

    try:
        return metadata.version(dist)
    except metadata.PackageNotFoundError:
        return "version unknown"


def data_folder() -> Path:
    import platformdirs

    return Path(platformdirs.user_data_dir("negtrainer", appauthor=False))


def credits_text() -> str:
    import platform

    from PySide6.QtCore import qVersion

    lines = [f"Python {platform.python_version()} (PSF licence), Qt {qVersion()} (LGPL-3.0)"]
    lines += [f"{dist} {_version(dist)} ({licence}): {what}" for dist, what, licence in LIBRARIES]
    return "\n".join(lines)


class AboutDialog(QDialog):
    def __init__(self, parent: QWidget | None = None, db_path: Path | None = None) -> None:
        super().__init__(parent)
        self.setObjectName("AboutDialog")
        self.setWindowTitle("About negtrainer")
        self.setMinimumWidth(560)
        self.folder = data_folder()
        lay = QVBoxLayout(self)
        lay.setContentsMargins(24, 20, 24, 18)
        lay.setSpacing(10)
        self.title = label(f"negtrainer {__version__}", "h2")
        lay.addWidget(self.title)
        lay.addWidget(
            label(
                "A role-play trainer for negotiation: ask, listen, build trust, "
                "uncover hidden interests.",
                "muted",
            )
        )
        where = f"Data folder: {self.folder}"
        if db_path is not None:
            where += f"\nSessions are saved in: {db_path}"
        else:
            where += "\nSessions are not being saved (kept in memory only)."
        self.where = label(where, select=True)
        lay.addWidget(self.where)
        lay.addWidget(label(LICENCE))
        lay.addWidget(label("Built with", "h3"))
        self.credits = label(credits_text(), "small", select=True)
        lay.addWidget(self.credits)
        self.art = label(AVATAR_ART, "small")
        lay.addWidget(self.art)
        row = QHBoxLayout()
        self.open_folder = QPushButton("Open data folder")
        self.open_folder.setEnabled(self.folder.is_dir())
        self.open_folder.clicked.connect(
            lambda: QDesktopServices.openUrl(QUrl.fromLocalFile(str(self.folder)))
        )
        row.addWidget(self.open_folder)
        row.addStretch(1)
        close = QPushButton("Close")
        close.setProperty("kind", "primary")
        close.setDefault(True)
        close.clicked.connect(self.accept)
        row.addWidget(close)
        lay.addLayout(row)

    def text(self) -> str:
        """All the dialog says, for tests and screen readers."""
        return "\n".join(w.text() for w in (self.title, self.where, self.credits, self.art))
