"""A combo box that a passing mouse wheel leaves alone.

On a scrolled page a plain QComboBox takes every wheel notch that crosses it:
scrolling the Settings page past the learner chooser switched the learner
without a word. This one only takes the wheel once it has focus (a click or
Tab); otherwise the notch goes on to the page, which scrolls.
"""

from __future__ import annotations

from PySide6.QtCore import Qt
from PySide6.QtGui import QWheelEvent
from PySide6.QtWidgets import QComboBox, QWidget


class QuietCombo(QComboBox):
    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        # Not WheelFocus (QComboBox's default): a wheel notch must not focus it either.
        self.setFocusPolicy(Qt.FocusPolicy.StrongFocus)

    def wheelEvent(self, event: QWheelEvent) -> None:
        if self.hasFocus():
            super().wheelEvent(event)
        else:
            event.ignore()  # passed on to the parent: the page scrolls
