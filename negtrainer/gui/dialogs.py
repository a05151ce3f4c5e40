"""Dialogs for things that went wrong: what happened and what the person can do.

All are opened with ``open()`` (window-modal, non-blocking), never ``exec()``,
so the event loop keeps running (and tests can answer them).
"""

from __future__ import annotations

from collections.abc import Callable

from PySide6.QtCore import Qt, Signal
from PySide6.QtWidgets import (
    QDialog,
    QHBoxLayout,
    QLabel,
    QMessageBox,
    QPushButton,
    QVBoxLayout,
    QWidget,
)

from negtrainer.gui import theme
from negtrainer.gui.widgets import plain


class ProblemDialog(QDialog):
    """A problem with a title, an explanation, and up to three ways forward.

    ``chosen(key)`` fires with the key of the button pressed ("" if closed).
    """

    chosen = Signal(str)

    def __init__(
        self,
        parent: QWidget | None,
        title: str,
        message: str,
        actions: list[tuple[str, str]],
        *,
        detail: str = "",
        primary: str = "",
    ) -> None:
        super().__init__(parent)
        self.setWindowTitle(title)
        self.setModal(True)
        self.setMinimumWidth(520)
        self.result_key = ""
        lay = QVBoxLayout(self)
        lay.setContentsMargins(24, 20, 24, 18)
        lay.setSpacing(12)
        head = QHBoxLayout()
        icon = QLabel()
        icon.setPixmap(theme.icon("warning", "warning").pixmap(32, 32))
        icon.setAlignment(Qt.AlignmentFlag.AlignTop)
        head.addWidget(icon)
        heading = plain(QLabel(title))
        heading.setProperty("role", "h3")
        heading.setWordWrap(True)
        head.addWidget(heading, 1)
        lay.addLayout(head)
        self.message = plain(QLabel(message))
        self.message.setWordWrap(True)
        self.message.setTextInteractionFlags(Qt.TextInteractionFlag.TextSelectableByMouse)
        self.message.setAccessibleName("Message")
        lay.addWidget(self.message)
        if detail:
            more = plain(QLabel(detail))
            more.setProperty("role", "small")
            more.setWordWrap(True)
            more.setTextInteractionFlags(Qt.TextInteractionFlag.TextSelectableByMouse)
            lay.addWidget(more)
        row = QHBoxLayout()
        row.addStretch(1)
        self.buttons: dict[str, QPushButton] = {}
        for key, text in actions:
            b = QPushButton(text)
            b.setAccessibleName(text)
            if key == primary:
                b.setProperty("kind", "primary")
                b.setDefault(True)
            b.clicked.connect(lambda _=False, k=key: self._choose(k))
            row.addWidget(b)
            self.buttons[key] = b
        lay.addLayout(row)
        self.finished.connect(lambda _r: self.chosen.emit(self.result_key))
        if primary in self.buttons:
            self.buttons[primary].setFocus()

    def _choose(self, key: str) -> None:
        self.result_key = key
        self.accept()


# Start-up problems with the store: (object name, title, the way on, detail). The
# dialog offers Quit or the way on, which is the default.
_DAMAGED = (
    "DamagedDatabaseDialog",
    "The session database cannot be opened",
    ("move_aside", "Move it aside and start fresh"),
    (
        "Moving it aside keeps the damaged file next to the new one, so nothing is "
        "lost: a backup can still be restored from Settings, and the file can be "
        "sent to someone who can repair it."
    ),
)
_UNAVAILABLE = (
    "StoreUnavailableDialog",
    "Sessions cannot be saved",
    ("memory", "Continue without saving"),
    (
        "Without saving you can still play and see your debrief, but nothing is kept "
        "when you close the program."
    ),
)


def damaged_database(parent: QWidget | None, message: str) -> ProblemDialog:
    """The database cannot be used: move it aside and start fresh, or quit."""
    return _quit_or(parent, message, *_DAMAGED)


def store_unavailable(parent: QWidget | None, message: str) -> ProblemDialog:
    """The database could not be opened for another reason (permissions, disk)."""
    return _quit_or(parent, message, *_UNAVAILABLE)


def _quit_or(
    parent: QWidget | None,
    message: str,
    name: str,
    title: str,
    way_on: tuple[str, str],
    detail: str,
) -> ProblemDialog:
    dlg = ProblemDialog(
        parent, title, message, [("quit", "Quit"), way_on], detail=detail, primary=way_on[0]
    )
    dlg.setObjectName(name)
    return dlg


def show_error(parent: QWidget | None, title: str, message: str) -> QMessageBox:
    box = QMessageBox(
        QMessageBox.Icon.Warning, title, message, QMessageBox.StandardButton.Ok, parent
    )
    box.setObjectName("ErrorMessage")
    box.setTextFormat(Qt.TextFormat.PlainText)  # messages quote names and paths
    box.setTextInteractionFlags(Qt.TextInteractionFlag.TextSelectableByMouse)
    box.open()
    return box


def show_info(parent: QWidget | None, title: str, message: str) -> QMessageBox:
    box = QMessageBox(
        QMessageBox.Icon.Information, title, message, QMessageBox.StandardButton.Ok, parent
    )
    box.setObjectName("InfoMessage")
    box.setTextFormat(Qt.TextFormat.PlainText)
    box.open()
    return box


def confirm(
    parent: QWidget | None, title: str, message: str, yes_text: str, on_yes: Callable[[], None]
) -> ProblemDialog:
    dlg = ProblemDialog(parent, title, message, [("no", "Cancel"), ("yes", yes_text)], primary="no")
    dlg.chosen.connect(lambda key: on_yes() if key == "yes" else None)
    dlg.open()
    return dlg
