"""Saying it in your own words (issue 16): a line to type into, what it was
heard as with a way to take it back, and "did you mean" when unsure.

A passive view: PlayView decides what a typed line means (through
negtrainer.understand, off the GUI thread) and calls the show_* methods.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from PySide6.QtCore import QEvent, QObject, Qt, QTimer, Signal
from PySide6.QtGui import QKeySequence
from PySide6.QtWidgets import QHBoxLayout, QLineEdit, QPushButton, QVBoxLayout, QWidget

from negtrainer.gui.widgets import label

MAX_TYPED = 1000


class OwnWordsBox(QWidget):
    said = Signal(str)  # the learner pressed Enter on a line
    picked = Signal(object)  # an engine input chosen among "did you mean"
    take_back = Signal()

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        lay = QVBoxLayout(self)
        lay.setContentsMargins(0, 4, 0, 0)
        lay.setSpacing(6)
        row = QHBoxLayout()
        self.edit = QLineEdit()
        self.edit.setPlaceholderText("Or say it in your own words, then Enter")
        self.edit.setAccessibleName("Say it in your own words")
        self.edit.setMaxLength(MAX_TYPED)
        self.edit.returnPressed.connect(self._send)
        self.edit.installEventFilter(self)
        self.say_button = QPushButton("Say")
        self.say_button.clicked.connect(self._send)
        row.addWidget(self.edit, 1)
        row.addWidget(self.say_button)
        lay.addLayout(row)

        self.heard = label("", "small")
        self.heard.setAccessibleName("Heard as")
        heard_row = QHBoxLayout()
        heard_row.addWidget(self.heard, 1)
        self.take_back_button = QPushButton("Take it back (Ctrl+Z)")
        self.take_back_button.clicked.connect(self.take_back.emit)
        heard_row.addWidget(self.take_back_button, 0, Qt.AlignmentFlag.AlignTop)
        lay.addLayout(heard_row)

        self.question = label("", "small")
        lay.addWidget(self.question)
        self.alternatives: list[QPushButton] = []
        # How an alternative looks: the view passes its own choice button (key, text).
        self.button_factory: Callable[[str, str], QPushButton] = _plain_button
        self._alt_box = QVBoxLayout()
        self._alt_box.setSpacing(4)
        lay.addLayout(self._alt_box)
        self.clear_feedback()

    # -- what the view shows -----------------------------------------------------------
    def clear_feedback(self) -> None:
        self.heard.setText("")
        self.heard.hide()
        self.take_back_button.hide()
        self.question.hide()
        self._clear_alternatives()

    def show_heard(self, text: str, can_take_back: bool) -> None:
        self.clear_feedback()
        self.heard.setText(text)
        self.heard.show()
        self.take_back_button.setVisible(can_take_back)

    def show_message(self, text: str) -> None:
        self.clear_feedback()
        self.question.setText(text)
        self.question.show()

    def show_alternatives(self, question: str, options: list[tuple[str, Any]]) -> None:
        """Buttons for the closest choices (text, engine input), best first."""
        self.show_message(question)
        for n, (text, item) in enumerate(options):
            b = self.button_factory(chr(ord("a") + n), text)
            b.setAccessibleName(text)
            b.clicked.connect(lambda _=False, it=item: self.picked.emit(it))
            self._alt_box.addWidget(b)
            b.show()
            self.alternatives.append(b)
        # The buttons grow to fit their wrapped words after they are first laid
        # out; lay their insides out again at the final size.
        QTimer.singleShot(0, self._relayout_alternatives)

    def _relayout_alternatives(self) -> None:
        for b in self.alternatives:
            lay = b.layout()
            if lay is not None:
                lay.setGeometry(b.rect())

    def set_busy(self, busy: bool) -> None:
        self.edit.setEnabled(not busy)
        self.say_button.setEnabled(not busy)

    def _clear_alternatives(self) -> None:
        for b in self.alternatives:
            b.deleteLater()
        self.alternatives = []

    def eventFilter(self, obj: QObject, event: QEvent) -> bool:
        # The edit claims Ctrl+Z for itself; with nothing of its own to undo, it
        # is the one keystroke that takes the understood line back.
        if obj is self.edit and event.type() == QEvent.Type.KeyPress \
                and event.matches(QKeySequence.StandardKey.Undo) \
                and not self.edit.isUndoAvailable():
            self.take_back.emit()
            return True
        return super().eventFilter(obj, event)

    def _send(self) -> None:
        text = " ".join(self.edit.text().split())
        if text:
            # setText (not clear) also empties the edit's own undo history, so
            # Ctrl+Z reaches the take-back shortcut.
            self.edit.setText("")
            self.said.emit(text)


def _plain_button(key: str, text: str) -> QPushButton:
    return QPushButton(f"{key}. {text}")
