"""The replay: step through a stored session turn by turn, with the hidden state.

At each turn the reviewer sees what the learner could not while playing: the
counterpart's trust, tension and mood, which interests were known or only
hinted, and why the turn moved things (``explain_turn``). They can write a note
on the turn (saved through the store off the GUI thread), branch from it to try
another choice (``branch_started(new_id)``; the main window opens Play), and
export the whole session with its notes and debrief.

With voice on, the counterpart's reply at the current turn can be heard again
("Speak", Ctrl+L), as can any of their lines (the "Speak" link on it), in
their own voice; stepping to another turn stops it.

Keys: Left/Right step, Home/End jump, Ctrl+S saves the note, Ctrl+B branches,
Ctrl+L speaks the reply.
"""

from __future__ import annotations

import dataclasses
from dataclasses import dataclass, field
from typing import Any

from PySide6.QtCore import QItemSelectionModel, Qt, Signal
from PySide6.QtGui import QKeySequence, QShortcut, QTextBlockFormat, QTextCharFormat, QTextCursor
from PySide6.QtWidgets import (
    QAbstractItemView,
    QBoxLayout,
    QHBoxLayout,
    QHeaderView,
    QLabel,
    QPlainTextEdit,
    QPushButton,
    QScrollArea,
    QSizePolicy,
    QSlider,
    QSplitter,
    QStackedWidget,
    QTableView,
    QVBoxLayout,
    QWidget,
)

from negtrainer.engine.look import MOOD_DESCRIPTIONS
from negtrainer.engine.state import mood_of
from negtrainer.gui import export, theme
from negtrainer.gui.avatar import AvatarWidget
from negtrainer.gui.charts import Mark, TrustChart
from negtrainer.gui.debrief import _rating_colour, bar, run_export
from negtrainer.gui.history import _fit_rows
from negtrainer.gui.models.replay_model import ReplayModel
from negtrainer.gui.reflow import ReflowRow
from negtrainer.gui.transcript import (
    LINE_BREAK,
    Entry,
    TranscriptView,
    bubble,
    chars,
    entries_for_lines,
)
from negtrainer.gui.widgets import card, label, title_stack
from negtrainer.gui.widgets import tip as widgets_tip

# -- what the view shows, computed off the GUI thread ------------------------------------


@dataclass
class TurnState:
    """The counterpart's hidden state after one turn (0: before the first)."""

    turn: int
    vars: dict[str, float]
    mood: str
    revealed: dict[str, int]
    hinted: dict[str, int]
    promises: dict[str, str] = field(default_factory=dict)
    counter: dict[str, str] | None = None
    ending: str | None = None


@dataclass
class NoteRef:
    """The note of one turn as the store holds it (ids of its rows, newest last)."""

    ids: list[int]
    text: str


@dataclass
class ReplayData:
    report: export.SessionReport
    turns: list[export.TranscriptTurn]
    states: list[TurnState]
    notes: dict[int, NoteRef]


def states_of(stored: Any) -> list[TurnState]:
    """Hidden state per turn from the stored turns (exactly what was recorded)."""
    sc = stored.scenario
    out = []
    for t in stored.turns:
        st = t.state
        v = dict(st.get("vars", {}))
        counter = st.get("counter")
        out.append(
            TurnState(
                t.index,
                v,
                mood_of(v.get("trust", 50), v.get("tension", 0)),
                dict(st.get("revealed", {})),
                dict(st.get("hinted", {})),
                dict(st.get("promises", {})),
                sc.terms_dict(tuple(counter)) if counter is not None else None,
                st.get("ending"),
            )
        )
    return out


def load_replay(store: Any, session_id: str) -> ReplayData:
    """Everything the replay shows; runs on the store's thread."""
    stored = store.load(session_id)
    report = export.report_from_stored(stored)
    notes: dict[int, NoteRef] = {}
    for n in sorted(stored.notes, key=lambda n: (n.turn, n.id)):
        ref = notes.setdefault(n.turn, NoteRef([], ""))
        ref.ids.append(n.id)
        ref.text = f"{ref.text}\n\n{n.text}" if ref.text else n.text
    return ReplayData(report, report.transcript(), states_of(stored), notes)


def save_note(
    store: Any, session_id: str, turn: int, ref: NoteRef | None, text: str
) -> NoteRef | None:
    """Make the turn's note read ``text``: edit it, add it, or delete it when emptied.

    A turn written on by several notes (say, imported) is merged into one, as the
    editor showed them together.
    """
    text = text.strip()
    ids = list(ref.ids) if ref else []
    if not text:
        for nid in ids:
            store.delete_note(nid)
        return None
    if not ids:
        return NoteRef([store.add_note(session_id, turn, text).id], text)
    store.edit_note(ids[0], text)
    for nid in ids[1:]:
        store.delete_note(nid)
    return NoteRef([ids[0]], text)


# -- the conversation ----------------------------------------------------------------------


@dataclass
class TurnEntry(Entry):
    """The learner's line with what the turn was: "Turn 3 · Open question · trust 57"."""

    caption: list[str] = field(default_factory=list)


class ReplayTranscript(TranscriptView):
    """The conversation with each turn's caption beside the learner's line it describes
    (a caption above it read as belonging to the counterpart's line before)."""

    def _entry(self, cursor: QTextCursor, e: Entry, index: int, before: str, c: dict) -> None:
        if not isinstance(e, TurnEntry):
            super()._entry(cursor, e, index, before, c)
            return
        row = bubble(cursor, (28, 72), 1, c["me_bubble"], c["me_border"])
        caption, cell = row.cellAt(0, 0), row.cellAt(0, 1).firstCursorPosition()
        small = QTextCharFormat(chars(c["aside_text"], small=True))
        small.setVerticalAlignment(QTextCharFormat.VerticalAlignment.AlignMiddle)
        box = caption.format().toTableCellFormat()
        box.merge(small)
        box.setRightPadding(10)
        caption.setFormat(box)
        right = QTextBlockFormat()
        right.setAlignment(Qt.AlignmentFlag.AlignRight | Qt.AlignmentFlag.AlignAbsolute)
        at = caption.firstCursorPosition()
        at.setBlockFormat(right)
        at.insertText(LINE_BREAK.join(e.caption), small)
        cell.insertText("You", chars(c["accent_text"], small=True, weight=600))
        cell.insertText(LINE_BREAK, QTextCharFormat())
        cell.insertText(e.text, chars(c["text"]))
        if self.coach and e.coach:
            cell.insertText(LINE_BREAK, QTextCharFormat())
            cell.insertText(" · ".join(e.coach), chars(c["muted"], small=True))


class _ButtonRow(ReflowRow):
    """The replay's buttons: on one line beside the title when they fit, else wrapped."""

    def show_buttons(self, buttons: list[QPushButton]) -> None:
        """Lay out these buttons, one to a group; any others are hidden, leaving no gap."""
        for g in self.groups:
            for w in g:
                self.grid.removeWidget(w)
                w.hide()
        self.groups = []
        for w in buttons:
            self.add_group(w)  # first: shown without a parent, it would be a window of its own
            w.show()
        self.updateGeometry()

    def sizeHint(self) -> Any:
        hint = super().sizeHint()
        hint.setWidth(sum(self._group_width(g) for g in self.groups))
        return hint


# -- the view ------------------------------------------------------------------------------


class ReplayView(QWidget):
    open_replay = Signal(str, int)
    open_debrief = Signal(str)
    branch_started = Signal(str)
    resume_requested = Signal(str)
    loaded = Signal(str)
    turn_changed = Signal(int)
    note_saved = Signal(int)  # the turn whose note the store has taken
    branch_failed = Signal(str)

    def __init__(self, services: Any, parent: QWidget | None = None):
        super().__init__(parent)
        self.services = services
        self.setObjectName("Page")
        self.setAccessibleName("Replay")
        self.data: ReplayData | None = None
        self.session_id: str | None = None
        self.turn = 0
        self._wanted: tuple[str, int] | None = None
        self._shown_at_request: int | None = None
        self._note_turn: int | None = None  # the turn whose note is in the editor
        self._note_dirty = False
        self._loading_note = False
        self._spoke = False  # something was said from here that stepping should stop

        outer = QVBoxLayout(self)
        outer.setContentsMargins(0, 0, 0, 0)
        self.stack = QStackedWidget()
        outer.addWidget(self.stack)
        self.message = label("Pick a session in the History to step through it.", "muted")
        self.message.setAlignment(Qt.AlignmentFlag.AlignCenter)
        self.stack.addWidget(self.message)
        self.page = QWidget()
        self.stack.addWidget(self.page)
        self._build(self.page)

        if hasattr(services, "settings"):
            services.settings.changed.connect(self._setting_changed)
        if hasattr(services, "voice_event"):
            services.voice_event.connect(self._voice_event)
        ctx = Qt.ShortcutContext.WidgetWithChildrenShortcut
        for key, fn in (
            ("Left", self.step_back),
            ("Right", self.step_forward),
            ("Home", lambda: self.go_to(0)),
            ("End", self.go_to_end),
            ("Ctrl+S", self.save_note),
            ("Ctrl+B", self.branch),
            ("Ctrl+L", self.speak_reply),
            ("Ctrl+E", lambda: self.export("html")),
            ("Ctrl+P", lambda: self.export("pdf")),
        ):
            sc = QShortcut(QKeySequence(key), self, activated=fn)
            sc.setContext(ctx)

    # -- building --------------------------------------------------------------------------
    def _build(self, page: QWidget) -> None:
        lay = QVBoxLayout(page)
        lay.setContentsMargins(24, 18, 24, 14)
        lay.setSpacing(12)
        # At 150 % or 200 % text the three columns no longer fit side by side: the
        # page then stacks them and scrolls up and down (never sideways).
        self.body_scroll = QScrollArea()
        self.body_scroll.setWidgetResizable(True)
        self.body_scroll.setFrameShape(QScrollArea.Shape.NoFrame)
        self.body_scroll.setHorizontalScrollBarPolicy(Qt.ScrollBarPolicy.ScrollBarAlwaysOff)
        body = QWidget()
        body.setObjectName("ScrollBody")
        self.body_scroll.setWidget(body)
        blay = QVBoxLayout(body)
        blay.setContentsMargins(0, 0, 0, 0)
        blay.setSpacing(12)
        lay.addWidget(self.body_scroll, 1)

        self.head = QBoxLayout(QBoxLayout.Direction.LeftToRight)
        text, self.title, self.meta = title_stack("", eyebrow="REPLAY")
        self.head.addLayout(text, 1)
        self.resume_button = QPushButton("Resume")
        self.resume_button.setProperty("kind", "primary")
        self.resume_button.clicked.connect(self._resume)
        self.debrief_button = QPushButton("Debrief")
        self.debrief_button.setToolTip("Open the debrief of this session")
        self.debrief_button.clicked.connect(self._open_debrief)
        self.branch_button = QPushButton("Branch from here")
        self.branch_button.setProperty("kind", "primary")
        self.branch_button.setToolTip(
            "Start a new session from this turn and try another choice (Ctrl+B)"
        )
        self.branch_button.clicked.connect(self.branch)
        self.html_button = QPushButton("Export HTML…")
        self.html_button.setToolTip("Transcript, notes and debrief as a web page (Ctrl+E)")
        self.html_button.clicked.connect(lambda: self.export("html"))
        self.pdf_button = QPushButton("Export PDF…")
        self.pdf_button.setToolTip("Transcript, notes and debrief as a PDF (Ctrl+P)")
        self.pdf_button.clicked.connect(lambda: self.export("pdf"))
        self.actions = _ButtonRow()
        self.resume_button.setParent(self.actions)
        self.resume_button.hide()  # shown once the session turns out not finished
        self.actions.show_buttons(
            [self.debrief_button, self.branch_button, self.html_button, self.pdf_button]
        )
        self.head.addWidget(self.actions, 0, Qt.AlignmentFlag.AlignTop)
        blay.addLayout(self.head)
        self.status = label("", "muted")
        self.status.hide()
        blay.addWidget(self.status)

        self.split = QSplitter(Qt.Orientation.Horizontal)
        self.split.setChildrenCollapsible(False)
        self.panes = (self._left(), self._middle(), self._right())
        for pane in self.panes:
            self.split.addWidget(pane)
        self.split.setStretchFactor(0, 3)
        self.split.setStretchFactor(1, 4)
        self.split.setStretchFactor(2, 3)
        blay.addWidget(self.split, 1)
        lay.addLayout(self._stepper())
        self.stacked = False
        self._sized_for: tuple[Any, ...] = ()

    def _left(self) -> QWidget:
        w = QWidget()
        w.setMinimumWidth(self.fontMetrics().averageCharWidth() * 36)
        lay = QVBoxLayout(w)
        lay.setContentsMargins(0, 0, 0, 0)
        lay.setSpacing(8)
        lay.addWidget(label("Turns", "group"))
        self.model = ReplayModel(self)
        self.table = QTableView()
        self.table.setModel(self.model)
        self.table.setAccessibleName("Turns of the session")
        self.table.setSelectionBehavior(QAbstractItemView.SelectionBehavior.SelectRows)
        self.table.setSelectionMode(QAbstractItemView.SelectionMode.SingleSelection)
        self.table.setEditTriggers(QAbstractItemView.EditTrigger.NoEditTriggers)
        self.table.verticalHeader().hide()
        _fit_rows(self.table)
        self.table.setShowGrid(False)
        self.table.setWordWrap(False)
        self.table.setColumnHidden(ReplayModel.COL_SAID, True)
        hh = self.table.horizontalHeader()
        # Every column as wide as its widest entry (a move's name is never cut to
        # "Appreciati…"); the panel is made wide enough for them in _fit_table.
        hh.setSectionResizeMode(QHeaderView.ResizeMode.ResizeToContents)
        hh.setHighlightSections(False)
        self.table.selectionModel().currentRowChanged.connect(
            lambda cur, _prev: (
                self.go_to(self.model.data(cur, ReplayModel.TurnRole)) if cur.isValid() else None
            )
        )
        lay.addWidget(self.table, 3)
        lay.addWidget(label("Trust", "group"))
        self.chart = TrustChart(compact=True)
        self.chart.setMinimumHeight(self.fontMetrics().height() * 10)
        self.chart.turn_clicked.connect(self.go_to)
        lay.addWidget(self.chart, 2)
        return w

    def _middle(self) -> QWidget:
        w = QWidget()
        lay = QVBoxLayout(w)
        lay.setContentsMargins(8, 0, 8, 0)
        lay.setSpacing(8)
        self.transcript_heading = label("Conversation up to this turn", "group")
        lay.addWidget(self.transcript_heading)
        self.transcript = ReplayTranscript()
        self.transcript.set_coach(True)
        self.transcript.setAccessibleName("Conversation up to this turn")
        self.transcript.speak_requested.connect(self.speak_entry)
        lay.addWidget(self.transcript, 1)
        return w

    def _right(self) -> QWidget:
        # Scrolls rather than squeezes: at large text sizes the state panel is tall.
        scroll = QScrollArea()
        scroll.setWidgetResizable(True)
        scroll.setFrameShape(QScrollArea.Shape.NoFrame)
        scroll.setHorizontalScrollBarPolicy(Qt.ScrollBarPolicy.ScrollBarAlwaysOff)
        scroll.setMinimumWidth(self.fontMetrics().averageCharWidth() * 40)
        w = QWidget()
        w.setObjectName("ScrollBody")
        scroll.setWidget(w)
        self._right_body = w
        lay = QVBoxLayout(w)
        lay.setContentsMargins(0, 0, 4, 0)
        lay.setSpacing(10)

        frame, st = card("")
        frame.setAccessibleName("The counterpart's hidden state")
        top = QHBoxLayout()
        self.avatar = AvatarWidget()
        side = self.fontMetrics().height() * 4
        self.avatar.setFixedSize(side, side)
        top.addWidget(self.avatar)
        who, self.state_heading, self.mood_label = title_stack(
            "At the opening", eyebrow="HIDDEN STATE", title_role="h3", sub_role="small", spacing=1
        )
        top.addLayout(who, 1)
        st.addLayout(top)
        self.vars_box = QVBoxLayout()
        self.vars_box.setSpacing(4)
        st.addLayout(self.vars_box)
        st.addWidget(label("Interests", "group"))
        self.interests_box = QVBoxLayout()
        self.interests_box.setSpacing(3)
        st.addLayout(self.interests_box)
        st.addWidget(label("What changed, and why", "group"))
        self.why = label("", select=True)
        st.addWidget(self.why)
        self.extra = label("", "small")
        st.addWidget(self.extra)
        lay.addWidget(frame)

        nf, nl = card("")
        nf.setAccessibleName("Note on this turn")
        self.note_heading = label("Note on turn 0", "group")
        nl.addWidget(self.note_heading)
        self.note = QPlainTextEdit()
        self.note.setAccessibleName("Note on this turn")
        self.note.setPlaceholderText("What was good or bad here, and what to try instead…")
        self.note.setTabChangesFocus(True)
        self.note.setSizePolicy(QSizePolicy.Policy.Expanding, QSizePolicy.Policy.Expanding)
        self.note.setMinimumHeight(self.fontMetrics().height() * 6)
        self.note.textChanged.connect(self._note_edited)
        nl.addWidget(self.note, 1)
        row = QHBoxLayout()
        self.note_status = label("", "small", wrap=False)
        row.addWidget(self.note_status, 1)
        self.save_button = QPushButton("Save note")
        self.save_button.setToolTip("Save the note on this turn (Ctrl+S)")
        self.save_button.clicked.connect(self.save_note)
        self.save_button.setEnabled(False)
        row.addWidget(self.save_button)
        nl.addLayout(row)
        lay.addWidget(nf, 1)
        return scroll

    def _stepper(self) -> QVBoxLayout:
        rows = QVBoxLayout()
        rows.setSpacing(8)
        row = QHBoxLayout()
        row.setSpacing(8)
        rows.addLayout(row)
        self.stepper_row = row
        self.stepper_extra = QHBoxLayout()  # the Speak button, when the row is full
        self.stepper_extra.addStretch(1)
        rows.addLayout(self.stepper_extra)
        self.first_button = QPushButton("|◀")
        self.first_button.setAccessibleName("First turn")
        self.first_button.setToolTip("The opening (Home)")
        self.first_button.clicked.connect(lambda: self.go_to(0))
        self.prev_button = QPushButton("◀  Previous")
        self.prev_button.setAccessibleName("Previous turn")
        self.prev_button.setToolTip("Previous turn (Left arrow)")
        self.prev_button.clicked.connect(self.step_back)
        self.slider = QSlider(Qt.Orientation.Horizontal)
        self.slider.setAccessibleName("Turn")
        self.slider.setPageStep(1)
        self.slider.setTickPosition(QSlider.TickPosition.TicksBelow)
        self.slider.setTickInterval(1)
        self.slider.valueChanged.connect(self.go_to)
        self._style_slider()
        self.next_button = QPushButton("Next  ▶")
        self.next_button.setAccessibleName("Next turn")
        self.next_button.setToolTip("Next turn (Right arrow)")
        self.next_button.clicked.connect(self.step_forward)
        self.last_button = QPushButton("▶|")
        self.last_button.setAccessibleName("Last turn")
        self.last_button.setToolTip("The last turn (End)")
        self.last_button.clicked.connect(self.go_to_end)
        self.position = label("", wrap=False)
        self.position.setMinimumWidth(self.fontMetrics().horizontalAdvance("Turn 00 of 00") + 8)
        for w in (self.first_button, self.prev_button):
            row.addWidget(w)
        row.addWidget(self.slider, 1)
        for w in (self.next_button, self.last_button, self.position):
            row.addWidget(w)
        row.addSpacing(8)
        self.speak_button = QPushButton("Speak their reply")
        theme.set_icon(self.speak_button, "voice")
        self.speak_button.setAccessibleName("Speak the counterpart's reply at this turn")
        self.speak_button.clicked.connect(self.speak_reply)
        row.addWidget(self.speak_button)
        self._show_voice()
        return rows

    # -- fitting the text size -------------------------------------------------------------
    def _fit_table(self) -> None:
        """The turns panel as wide as the table's columns, so none is cut."""
        self.table.resizeColumnsToContents()
        hh = self.table.horizontalHeader()
        need = sum(
            max(hh.sectionSizeHint(c), self.table.sizeHintForColumn(c))
            for c in range(self.model.columnCount())
            if not self.table.isColumnHidden(c)
        )
        need += self.table.frameWidth() * 2 + self.table.verticalScrollBar().sizeHint().width() + 4
        self.table.setMinimumWidth(need)

    def _fit_layout(self) -> None:
        """Three columns side by side when their least widths fit, else one above another."""
        if not hasattr(self, "split"):
            return
        fm = self.fontMetrics()
        chars = fm.averageCharWidth()
        left, middle, right = self.panes
        left.setMinimumWidth(max(chars * 36, self.table.minimumWidth()))
        middle.setMinimumWidth(chars * 30)
        right.setMinimumWidth(chars * 40)
        width = self.body_scroll.viewport().width()
        need = sum(max(p.minimumWidth(), p.minimumSizeHint().width()) for p in self.panes)
        need += self.split.handleWidth() * 2
        stacked = need > width
        if stacked != self.stacked:
            self.stacked = stacked
            self.split.setOrientation(
                Qt.Orientation.Vertical if stacked else Qt.Orientation.Horizontal
            )
        sized_for = (stacked, width, fm.height(), self.table.minimumWidth())
        if not stacked and sized_for != self._sized_for:
            # The conversation takes what the turns and the hidden state leave.
            lw, rw = left.minimumWidth(), right.minimumWidth()
            self.split.setSizes([lw, max(middle.minimumWidth(), width - lw - rw), rw])
        self._sized_for = sized_for
        line = fm.height()
        self.position.setMinimumWidth(fm.horizontalAdvance("Turn 00 of 00") + 8)
        self.chart.setMinimumHeight(line * 10)
        if stacked:
            # Each part tall enough to be read without its own scrolling where it can.
            left.setMinimumHeight(line * 26)
            middle.setMinimumHeight(max(line * 20, self.body_scroll.viewport().height() * 3 // 4))
            right.setMinimumHeight(self._right_body.sizeHint().height() + 8)
        else:
            for pane in self.panes:
                pane.setMinimumHeight(0)
        # The buttons go under the title when beside it the title would have too little room.
        head_dir = (
            QBoxLayout.Direction.TopToBottom
            if width - self.actions.sizeHint().width() < fm.averageCharWidth() * 32
            else QBoxLayout.Direction.LeftToRight
        )
        if self.head.direction() != head_dir:
            self.head.setDirection(head_dir)
        # "Speak their reply" moves under the stepper when the row would cut it.
        row_need = sum(
            self.stepper_row.itemAt(i).sizeHint().width()
            for i in range(self.stepper_row.count())
            if self.stepper_row.itemAt(i).widget() is not self.speak_button
        )
        row_need += self.speak_button.sizeHint().width() + self.slider.minimumSizeHint().width()
        row_need += self.stepper_row.spacing() * (self.stepper_row.count() + 1)
        below = row_need > self.page.width() - 48
        if below != (
            self.speak_button.parentWidget() is not None
            and self.stepper_extra.indexOf(self.speak_button) >= 0
        ):
            (self.stepper_extra if below else self.stepper_row).addWidget(self.speak_button)

    def resizeEvent(self, event: Any) -> None:
        super().resizeEvent(event)
        self._fit_layout()

    def _style_slider(self) -> None:
        # base.qss's "QSlider:focus::handle" rule outlines every slider, focused or
        # not; this one shows the focus colour only when it has the focus.
        focus = theme.colors().get("focus", "#F29D0C")
        self.slider.setStyleSheet(
            "QSlider { border: 2px solid transparent; border-radius: 6px; padding: 2px 4px; }"
            f" QSlider:focus {{ border-color: {focus}; }}"
        )

    def _setting_changed(self, key: str) -> None:
        if key == "voice/enabled":
            self._show_voice()
        if key in ("theme", "text_size"):
            self._style_slider()
            _fit_rows(self.table)
            self._fit_table()
            self._fit_layout()
            if self.data is not None:
                self.chart.set_curve(self.chart.curve, self.chart.marks)
                turn, self.turn = self.turn, -1
                self.go_to(turn)

    # -- loading ---------------------------------------------------------------------------
    def show_session(self, session_id: str) -> None:
        self.show_turn(session_id, 0)

    def show_turn(self, session_id: str, turn: int) -> None:
        """Show ``turn`` of the session, reading it afresh: it may have been resumed
        and played on, or given notes, since it was last shown."""
        same = self.data is not None and self.session_id == session_id
        if same:
            self.go_to(turn)  # at once; the fresh read then redraws in place
        self._keep_note()
        self._wanted = (session_id, turn)
        self._shown_at_request = self.turn if same else None
        if not same:
            self.message.setText("Loading the session…")
            self.stack.setCurrentWidget(self.message)
        self.services.run_op(
            lambda store: load_replay(store, session_id),
            lambda d: self._loaded(session_id, d),
            lambda exc: self._failed(session_id, exc),
        )

    def reload(self) -> None:
        """Read the session again (after notes or the session changed elsewhere)."""
        if self.session_id is not None:
            self.show_turn(self.session_id, self.turn)

    def _loaded(self, session_id: str, data: ReplayData) -> None:
        if self._wanted is None or self._wanted[0] != session_id:
            return
        turn = self._wanted[1]
        self._wanted = None
        kept: tuple[int, str] | None = None
        if self.data is not None and self.session_id == session_id:
            if self.turn != self._shown_at_request:
                turn = self.turn  # they stepped on while it was read: stay with them
            if self._note_dirty and self._note_turn is not None:
                kept = (self._note_turn, self.note.toPlainText())
        self.data = data
        self.session_id = session_id
        r = data.report
        self.title.setText(r.title)
        bits = [r.learner or "Guest"]
        if r.started:
            bits.append(export.when_text(r.started))
        bits.append(f"with {r.counterpart}")
        if r.debrief.ending:
            bits.append(r.debrief.ending.get("title", ""))
        else:
            bits.append("not finished")
        self.meta.setText(" · ".join(bits))
        resume = not r.finished and r.meta.get("status") != "finished"
        self.actions.show_buttons(
            [self.resume_button] * resume
            + [self.debrief_button, self.branch_button, self.html_button, self.pdf_button]
        )
        cp = r.session.scenario.spec.counterpart
        self.avatar.set_look(cp.look)
        self.avatar.set_person(cp.name)
        self.transcript.set_speaker(cp.name)
        self.model.set_turns(data.turns)
        self._fit_table()
        last = len(data.turns) - 1
        self.slider.blockSignals(True)
        self.slider.setRange(0, last)
        self.slider.blockSignals(False)
        curve = [t.trust_after for t in data.turns]
        marks = [
            Mark(i.revealed_turn, "reveal", i.label)
            for i in r.debrief.interests
            if i.revealed_turn is not None
        ]
        marks += [
            Mark(i.hinted_turn, "hint", i.label)
            for i in r.debrief.interests
            if i.hinted_turn is not None and i.revealed_turn is None
        ]
        self.chart.set_curve(curve, marks)
        self.stack.setCurrentWidget(self.page)
        self._fit_layout()
        self._note_dirty = False
        self.turn = -1
        self.go_to(max(0, min(turn, last)))
        if kept is not None and kept[0] == self.turn:
            self.note.setPlainText(kept[1])  # still being typed: keep it, unsaved
        if not self.note.hasFocus():
            self.table.setFocus()
        self.loaded.emit(session_id)

    def _failed(self, session_id: str, exc: BaseException) -> None:
        if self._wanted is None or self._wanted[0] != session_id:
            return
        self._wanted = None
        self.message.setText(f"This session could not be opened. {exc}")
        self.stack.setCurrentWidget(self.message)

    # -- stepping --------------------------------------------------------------------------
    @property
    def last_turn(self) -> int:
        return len(self.data.turns) - 1 if self.data else 0

    def step_forward(self) -> None:
        self.go_to(self.turn + 1)

    def step_back(self) -> None:
        self.go_to(self.turn - 1)

    def go_to_end(self) -> None:
        self.go_to(self.last_turn)

    def go_to(self, turn: int | None) -> None:
        if self.data is None or turn is None:
            return
        turn = max(0, min(int(turn), self.last_turn))
        if turn == self.turn:
            return
        self.stop_speaking()
        self._keep_note()
        self.turn = turn
        self.slider.blockSignals(True)
        self.slider.setValue(turn)
        self.slider.blockSignals(False)
        row = self.model.row_of(turn)
        sel = self.table.selectionModel()
        idx = self.model.index(row, ReplayModel.COL_TURN)
        if sel.currentIndex().row() != row:
            sel.blockSignals(True)
            sel.setCurrentIndex(
                idx,
                QItemSelectionModel.SelectionFlag.ClearAndSelect
                | QItemSelectionModel.SelectionFlag.Rows,
            )
            sel.blockSignals(False)
            self.table.viewport().update()
        self.table.scrollTo(idx)
        self.chart.set_marker(turn)
        self._show_state(turn)
        self._show_transcript(turn)
        self._show_note(turn)
        self.position.setText(f"Turn {turn} of {self.last_turn}")
        self.slider.setAccessibleDescription(f"Turn {turn} of {self.last_turn}")
        self.first_button.setEnabled(turn > 0)
        self.prev_button.setEnabled(turn > 0)
        self.next_button.setEnabled(turn < self.last_turn)
        self.last_button.setEnabled(turn < self.last_turn)
        ended_here = self.data.states[turn].ending is not None
        self.branch_button.setEnabled(not ended_here)
        self.branch_button.setText(f"Branch from turn {turn}")
        self.branch_button.setToolTip(
            "This is where the session ended; branch from an earlier turn."
            if ended_here
            else f"Start a new session as it was after turn {turn}, and choose differently (Ctrl+B)"
        )
        self.turn_changed.emit(turn)

    def _show_state(self, turn: int) -> None:
        assert self.data is not None
        sc = self.data.report.session.scenario
        st = self.data.states[turn]
        prev = self.data.states[turn - 1] if turn > 0 else None
        self.state_heading.setText("At the opening" if turn == 0 else f"After turn {turn}")
        self.avatar.set_mood(st.mood)
        self.mood_label.setText(f"Mood: {st.mood}. {MOOD_DESCRIPTIONS.get(st.mood, '')}")
        _clear(self.vars_box)
        for name, value in st.vars.items():
            var = sc.vars.get(name)
            lo, hi = (var.min, var.max) if var is not None else (0.0, 100.0)
            title = var.label if var is not None and var.label else name.capitalize()
            delta = value - prev.vars.get(name, value) if prev else 0.0
            row = QHBoxLayout()
            row.addWidget(label(title, wrap=False))
            row.addStretch(1)
            text = f"{value:.0f}" + (f"  ({delta:+.0f})" if round(delta) else "")
            num = label(text, wrap=False)
            if round(delta):
                # Rising tension is bad news, rising trust or patience good news.
                good = (delta > 0) != (name == "tension")
                num.setStyleSheet(
                    f"color: {_rating_colour('good' if good else 'poor')}; font-weight: 700;"
                )
            num.setAccessibleName(
                f"{title} {value:.0f}"
                + (f", {'up' if delta > 0 else 'down'} {abs(delta):.0f}" if round(delta) else "")
            )
            row.addWidget(num)
            self.vars_box.addLayout(row)
            share = (value - lo) / (hi - lo) if hi > lo else 0.0
            if name == "tension":
                rating: str | None = "poor" if share >= 0.5 else "fair" if share >= 0.25 else "good"
            elif name == "trust":  # the debrief's marks: 60 good, 40 fair
                rating = "good" if value >= 60 else "fair" if value >= 40 else "poor"
            else:
                rating = None
            self.vars_box.addWidget(bar(share, 1.0, title, rating))
        _clear(self.interests_box)
        for iid, it in sc.spec.interests.items():
            if iid in st.revealed:
                mark, rating = "✔", "good"
                text = f"{it.label} (known since turn {st.revealed[iid]})"
            elif iid in st.hinted:
                mark, rating = "◐", "fair"
                text = f"{it.label} (only hinted, turn {st.hinted[iid]})"
            else:
                mark, rating = "○", "n/a"
                text = "Hidden: not yet hinted"
            new = (iid in st.revealed and st.revealed[iid] == turn) or (
                iid in st.hinted and st.hinted[iid] == turn and iid not in st.revealed
            )
            row = QHBoxLayout()
            sym = QLabel(mark)
            sym.setStyleSheet(f"color: {_rating_colour(rating)}; font-weight: 700;")
            row.addWidget(sym, 0, Qt.AlignmentFlag.AlignTop)
            lab = label(
                text + ("  — new this turn" if new else ""), None if rating != "n/a" else "muted"
            )
            if new:
                lab.setStyleSheet("font-weight: 700;")
            row.addWidget(lab, 1)
            self.interests_box.addLayout(row)
        t = self.data.turns[turn]
        why = t.why if turn else "The counterpart opens. Nothing has been said yet."
        if turn and t.thought:
            # The other side's hidden reaction, as a PON debrief reveals it afterwards.
            why += f"\n\nWhat they thought: “{t.thought}”"
        self.why.setText(why)
        extra = []
        if st.counter:
            extra.append("Their standing counter-offer: " + sc.labelled(st.counter) + ".")
        kept = {"made": "made", "kept": "kept", "broken": "broken"}
        if st.promises:
            extra.append(
                "Promises: "
                + ", ".join(
                    f"{p.replace('_', ' ')} {kept.get(s, s)}" for p, s in st.promises.items()
                )
                + "."
            )
        if st.ending:
            end = sc.spec.endings.get(st.ending)
            extra.append(f"The session ended here: {end.title if end else st.ending}.")
        self.extra.setText(" ".join(extra))
        self.extra.setVisible(bool(extra))

    def _show_transcript(self, turn: int) -> None:
        assert self.data is not None
        labels = {i: it.label for i, it in self.data.report.session.scenario.spec.interests.items()}
        entries: list[Entry] = []
        for t in self.data.turns[: turn + 1]:
            if t.turn:
                change = f" ({t.delta:+.0f})" if round(t.delta) else ""
                caption = [
                    f"Turn {t.turn}",
                    export.move_label(t.move),
                    f"trust {t.trust_after:.0f}{change}",
                ]
                if t.typed and t.typed != t.said:  # own words, then what they were heard as
                    entries.append(TurnEntry("me", t.typed, caption=caption))
                    entries.append(Entry("note", f"Heard as: {t.said}"))
                else:
                    entries.append(TurnEntry("me", t.said, caption=caption))
            entries.extend(entries_for_lines(t.lines, labels))
            if t.turn == turn and self.data.states[turn].ending:
                ending = self.data.report.debrief.ending or {}
                good = ending.get("kind") in ("deal", "agreement")
                entries.append(
                    Entry("ending", ending.get("title", "The end"), tone="good" if good else "bad")
                )
        self.transcript.clear_entries()
        self.transcript.add(entries)
        self.transcript_heading.setText(
            "The opening" if turn == 0 else f"Conversation up to turn {turn}"
        )

    # -- voice -----------------------------------------------------------------------------
    def _voice_on(self) -> bool:
        settings = getattr(self.services, "settings", None)
        return bool(
            settings is not None
            and settings.voice_enabled
            and hasattr(self.services, "speak_lines")
        )

    def _voice_event(self, kind: str, _detail: str) -> None:
        if kind in ("failed", "ready", "reset"):
            self._show_voice()

    def _show_voice(self) -> None:
        on = self._voice_on()
        reason = getattr(self.services, "voice_reason", "") if on else ""
        self.speak_button.setEnabled(on and not reason)
        if not on:
            tip = "Voice is off: switch it on in Settings to hear the lines again."
        elif reason:
            tip = reason
        else:
            tip = "Hear the counterpart's reply at this turn again (Ctrl+L)"
        self.speak_button.setToolTip(widgets_tip(tip))
        self.transcript.set_speak_links(on and not reason)

    def reply_lines(self, turn: int | None = None) -> list[str]:
        """The counterpart's lines at ``turn`` (the current one by default)."""
        if self.data is None:
            return []
        turn = self.turn if turn is None else turn
        if not 0 <= turn < len(self.data.turns):
            return []
        return [str(ln.get("text", "")) for ln in self.data.turns[turn].lines]

    def speak_reply(self) -> None:
        """Say the counterpart's reply at the current turn, in their voice."""
        self._speak(self.reply_lines())

    def speak_entry(self, index: int) -> None:
        """Say one of the counterpart's lines shown in the conversation."""
        entries = self.transcript.entries
        if 0 <= index < len(entries) and entries[index].kind == "them":
            self._speak([entries[index].text])

    def _speak(self, lines: list[str]) -> None:
        if self.data is None or not lines or not self._voice_on():
            return
        self.services.speak_lines(lines, self.data.report.session.scenario)
        self._spoke = True

    def stop_speaking(self) -> None:
        if self._spoke:
            self._spoke = False
            self.services.stop_speaking()

    def hideEvent(self, event: Any) -> None:
        self.stop_speaking()  # leaving the replay ends what it was saying
        super().hideEvent(event)

    # -- notes -----------------------------------------------------------------------------
    def _show_note(self, turn: int) -> None:
        assert self.data is not None
        ref = self.data.notes.get(turn)
        self._loading_note = True
        self.note.setPlainText(ref.text if ref else "")
        self._loading_note = False
        self._note_turn = turn
        self._note_dirty = False
        self.note_heading.setText("Note on the opening" if turn == 0 else f"Note on turn {turn}")
        self.note_status.setText("")
        self.save_button.setEnabled(False)

    def _note_edited(self) -> None:
        if self._loading_note:
            return
        self._note_dirty = True
        self.save_button.setEnabled(True)
        self.note_status.setText("Not saved yet")

    def _keep_note(self) -> None:
        """Stepping away from a turn saves its note: nothing typed is ever lost."""
        if self._note_dirty and self.data is not None and self._note_turn is not None:
            self.save_note()

    def save_note(self) -> None:
        if self.data is None or self._note_turn is None or not self._note_dirty:
            return
        sid, turn, text = self.session_id, self._note_turn, self.note.toPlainText()
        ref = self.data.notes.get(turn)
        data = self.data
        self._note_dirty = False
        self.save_button.setEnabled(False)
        self.note_status.setText("Saving…")

        def done(new_ref: NoteRef | None) -> None:
            if new_ref is None:
                data.notes.pop(turn, None)
            else:
                data.notes[turn] = new_ref
            data.report.notes = {t: r.text for t, r in data.notes.items()}
            if data is self.data:
                self.model.set_note(turn, new_ref.text if new_ref else "")
                if self._note_turn == turn and not self._note_dirty:
                    self.note_status.setText("Saved" if new_ref else "Note removed")
            self.note_saved.emit(turn)

        def failed(exc: BaseException) -> None:
            if data is self.data and self._note_turn == turn:
                self._note_dirty = True
                self.save_button.setEnabled(True)
            self.note_status.setText(f"Not saved: {exc}")

        self.services.run_op(lambda store: save_note(store, sid, turn, ref, text), done, failed)

    # -- actions ---------------------------------------------------------------------------
    def branch(self) -> None:
        if self.data is None or not self.branch_button.isEnabled():
            return
        self._keep_note()
        sid, turn = self.session_id, self.turn
        learner = getattr(self.services, "learner", "") or None
        self.branch_button.setEnabled(False)
        self._say(f"Starting a branch from turn {turn}…")

        def done(result: tuple[str, Any]) -> None:
            new_id = result[0]
            self.branch_button.setEnabled(True)
            self._say(f"Branched from turn {turn}: the new session opens in Play.")
            changed = getattr(self.services, "store_changed", None)
            if changed is not None:
                changed.emit()
            self.branch_started.emit(new_id)

        def failed(exc: BaseException) -> None:
            self.branch_button.setEnabled(True)
            self._say(f"Could not branch: {exc}")
            self.branch_failed.emit(str(exc))

        self.services.run_op(lambda store: store.branch(sid, turn, learner=learner), done, failed)

    def export(self, kind: str, path: Any = None) -> None:
        """Export with the notes as they read now, the one being typed included."""
        if self.data is None:
            return
        notes = {t: r.text for t, r in self.data.notes.items()}
        if self._note_turn is not None and self._note_dirty:
            text = self.note.toPlainText().strip()
            if text:
                notes[self._note_turn] = text
            else:
                notes.pop(self._note_turn, None)
        report = dataclasses.replace(self.data.report, notes=notes)
        self._keep_note()
        run_export(self, self.services, report, kind, path, self._say)

    def _open_debrief(self) -> None:
        if self.session_id:
            self._keep_note()
            self.open_debrief.emit(self.session_id)

    def _resume(self) -> None:
        if self.session_id:
            self._keep_note()
            self.resume_requested.emit(self.session_id)

    def _say(self, text: str) -> None:
        self.status.setText(text)
        self.status.show()


def _clear(layout: Any) -> None:
    while layout.count():
        item = layout.takeAt(0)
        w = item.widget()
        if w is not None:
            w.hide()  # gone from the screen now, not only once the event loop deletes it
            w.deleteLater()
        elif item.layout() is not None:
            _clear(item.layout())
            item.layout().deleteLater()


__all__ = ["ReplayData", "ReplayView", "TurnState", "load_replay", "save_note", "states_of"]
