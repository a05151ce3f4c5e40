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

from negtrainer.gui.transcript import entries_for_lines
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
        self.edit.setPlaceholderText("Or say it in your own words")
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

    def give_back(self, text: str) -> None:
        """Put a line that was not played back in the edit, selected, to mend or replace."""
        if not self.edit.text():
            self.edit.setText(text)
            self.edit.selectAll()

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
        if (
            obj is self.edit
            and event.type() == QEvent.Type.KeyPress
            and event.matches(QKeySequence.StandardKey.Undo)
            and not self.edit.isUndoAvailable()
        ):
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


class OwnWordsPlay:
    """What PlayView does with a typed line: understand it off the GUI thread,
    then play it, ask "did you mean", fill in an offer, or take it back.

    A mixin over PlayView's own parts (``live``, ``busy``, ``services``,
    ``own``, ``offers``, ``transcript``, ``_act``, ``_refresh``...), kept here
    so the play view itself changes little.
    """

    live: Any
    busy: bool
    services: Any
    own: OwnWordsBox
    offers: Any
    transcript: Any
    show_choices_button: QPushButton
    _interest_labels: dict[str, str]
    _last_item: dict[str, Any]
    _typed_offer: tuple[str, dict[str, str]] | None  # the words, and the terms they said
    _can_take_back: bool

    @property
    def own_words_mode(self) -> bool:
        return bool(self.services.settings.get("own_words"))

    def say_own_words(self, text: str) -> None:
        """Understand a typed line off the GUI thread, then play or ask."""
        if self.live is None or self.busy or self.live.session.ended:
            return
        self.busy = True
        self.own.set_busy(True)
        session = self.live.session

        def read() -> Any:
            from negtrainer.understand import bridge

            return bridge.understand_in(session, text)

        self.services.run_background(read, self._understood, self._turn_failed)

    def _understood(self, u: Any) -> None:
        from negtrainer.understand import bridge

        self.busy = False
        self.own.set_busy(False)
        if self.live is None or self.live.session.ended:
            return
        self.own.edit.setFocus()  # disabling it while busy moved the focus away
        session = self.live.session
        r = bridge.read_line(session, u)
        if r.kind == "closed":
            self.own.show_message(bridge.OFFERS_CLOSED)
            self.own.give_back(u.text)
            return
        if r.kind == "offer":  # the builder, filled in for the learner to check
            self.offers.set_terms(u.offer)
            self._typed_offer = (u.text, dict(u.offer))
            said = session.scenario.labelled(u.offer)
            rest = f" Set {', '.join(u.missing)} too." if u.missing else ""
            self.own.show_message(
                f"Heard as an offer: {said}.{rest} Check the terms in the "
                "offer builder, then make the offer."
            )
            return
        if r.kind == "rephrase":
            self.own.show_message("Not sure what you mean. Say it another way, or pick a choice.")
            self.own.give_back(u.text)
            return
        assert r.item is not None
        if r.kind == "unsure":
            options: list[tuple[str, Any]] = [
                (c.text, bridge.own_words_input(u, c.id)) for c in u.candidates[:3]
            ]
            none_of_these = f"None of these: say it as my own {u.move.replace('_', ' ')}"
            options.append((none_of_these, r.item))
            self.own.show_alternatives("Did you mean:", options)
            return
        self._act(r.item)  # a clear match, or a move of one's own

    def _act_typed(self, item: dict[str, Any]) -> None:
        if self.live is not None and not self.busy and not self.live.session.ended:
            self._act(item)

    def _show_heard(self, item: dict[str, Any], rec: dict[str, Any], session: Any) -> None:
        if "typed" not in item:
            self.own.clear_feedback()
            return
        from negtrainer.understand import bridge

        self._can_take_back = not session.ended and bridge.may_take_back(item)
        if "move" in item and "choice" not in item and "offer" not in item:
            heard = (
                f"Heard as your own {item['move'].replace('_', ' ')}: no choice on "
                "screen says this."
            )
        else:
            heard = f"Heard as: {rec.get('said', '')}"
        self.own.show_heard(heard, self._can_take_back)

    def take_back(self) -> None:
        """Undo the typed line just played (until the next one)."""
        if self.live is None or self.busy or not self._can_take_back:
            return
        self.busy = True
        self._can_take_back = False
        live = self.live
        snapshot = live.session.fork(include_log=True)

        def undo(_store: Any) -> Any:
            return live.recorder.take_back_on_disk(snapshot)

        self.services.run_op(undo, self._taken_back, self._turn_failed)

    def _taken_back(self, before: Any) -> None:
        self.busy = False
        if self.live is None:
            return
        session = self.live.session
        session.state = before.state  # the engine's state changes on this thread only
        opening = self.live.history[0][2] if self.live.history else session.lines
        entries = entries_for_lines(opening, self._interest_labels)
        for rec in session.state.log:
            entries.extend(self._entries_for(rec))
        self.transcript.clear_entries()
        self.transcript.add(entries)
        self._refresh()
        self.own.show_message("Taken back. Say it again, or choose.")
        self.own.edit.setFocus()
        self.turn_shown.emit(session.state.turn)
