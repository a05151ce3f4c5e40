"""The presenter view: the room's debrief on a projector, full screen, in large type.

One slide at a time (← → or Page Up/Down; 1–6 jump), each readable from the
back of a room at 150 % and 200 % text on a 1280×800 projector: painted charts
scale with the font, long text wraps inside a scroll area instead of being cut,
and ↑ ↓ (Home, End) scroll a slide taller than the screen. Keys: Space starts or
pauses the countdown, R resets it, N hides or shows names, E moves to the next
exercise, Esc leaves. The window takes the keys: nothing inside it takes focus.
"""

from __future__ import annotations

from typing import Any

from PySide6.QtCore import QEvent, QRectF, QSize, Qt, QTimer, Signal
from PySide6.QtGui import QColor, QFont, QKeyEvent, QPainter, QPaintEvent
from PySide6.QtWidgets import (
    QAbstractScrollArea,
    QApplication,
    QFrame,
    QGridLayout,
    QHBoxLayout,
    QHeaderView,
    QLabel,
    QScrollArea,
    QStackedWidget,
    QTableWidget,
    QTableWidgetItem,
    QVBoxLayout,
    QWidget,
)

from negtrainer.gui import roomcharts, theme

SLIDES = ("Outcomes", "Trust", "Choices", "Participants", "Best and worst", "Lessons")
SCALE = 1.35  # the presenter's type, relative to the window's (which follows text size)
# A projector's smallest body type, whatever the text size: 100 % text would
# otherwise give 14 pt, small from the back of a room.
MIN_POINTS = 16.0
HEAD_PAD = 6  # px each side of a column head
KEYS = "← → slides · ↑ ↓ scroll · Space timer · N names · E exercise · Esc leave"


def type_size() -> float:
    """The presenter's body type in points."""
    return max(QApplication.font().pointSizeF() * SCALE, MIN_POINTS)


def plain(text: str = "", size: float = 1.0, bold: bool = False, wrap: bool = True) -> QLabel:
    w = QLabel(text)
    w.setTextFormat(Qt.TextFormat.PlainText)
    w.setWordWrap(wrap)
    return sized(w, size, bold)


def sized(w: Any, size: float = 1.0, bold: bool = False) -> Any:
    """Give ``w`` the presenter's type. Set on each widget, as the window's own font
    does not reach them: the app's style sheet gives every widget the app's font."""
    f = QFont(w.font())
    f.setPointSizeF(type_size() * size)
    f.setBold(bold)
    w.setFont(f)
    return w


class Chart(QWidget):
    """A painted room chart that grows with the font."""

    def __init__(self, draw: Any, parent: QWidget | None = None, lines: int = 12) -> None:
        super().__init__(parent)
        sized(self)
        self.draw = draw
        self.lines = lines  # the height it asks for, in lines of text
        self.setMinimumHeight(self.fontMetrics().height() * min(6, lines))

    def sizeHint(self) -> QSize:
        em = self.fontMetrics().height()
        return QSize(em * 30, em * self.lines)

    def paintEvent(self, event: QPaintEvent) -> None:
        p = QPainter(self)
        p.setFont(self.font())
        try:
            self.draw(
                p, QRectF(self.rect()).adjusted(4, 4, -4, -4), self.palette().windowText().color()
            )
        finally:
            p.end()


class ChoiceBars(QWidget):
    def __init__(self, counts: list[tuple[str, int]], parent: QWidget | None = None) -> None:
        super().__init__(parent)
        sized(self)
        self.counts = counts

    def hasHeightForWidth(self) -> bool:
        return True

    def heightForWidth(self, width: int) -> int:
        from PySide6.QtGui import QImage

        img = QImage(1, 1, QImage.Format.Format_RGB32)
        p = QPainter(img)
        p.setFont(self.font())
        try:
            used = roomcharts.choice_bars(
                p, QRectF(0, 0, width, 10_000), self.counts, QColor("black")
            )
        finally:
            p.end()
        return int(used) + 4

    def sizeHint(self) -> QSize:
        w = max(200, self.width())
        return QSize(w, self.heightForWidth(w))

    def resizeEvent(self, event: Any) -> None:
        self.setMinimumHeight(self.heightForWidth(self.width()))
        super().resizeEvent(event)

    def paintEvent(self, event: QPaintEvent) -> None:
        p = QPainter(self)
        p.setFont(self.font())
        try:
            roomcharts.choice_bars(
                p, QRectF(self.rect()), self.counts, self.palette().windowText().color()
            )
        finally:
            p.end()


def _scrolling(inner: QWidget) -> QScrollArea:
    s = QScrollArea()
    s.setWidgetResizable(True)
    s.setFrameShape(QFrame.Shape.NoFrame)
    s.setHorizontalScrollBarPolicy(Qt.ScrollBarPolicy.ScrollBarAlwaysOff)
    s.setWidget(inner)
    _quiet(s)
    return s


def _quiet(area: QAbstractScrollArea) -> None:
    """No focus (so ← → and Page Up/Down reach the window, not the area) and a scroll bar
    wide enough to be seen from the room."""
    area.setFocusPolicy(Qt.FocusPolicy.NoFocus)
    em = area.fontMetrics().height()
    area.setStyleSheet(
        f"QScrollBar:vertical {{ width: {max(16, em // 2)}px; }}"
        f" QScrollBar:horizontal {{ height: {max(16, em // 2)}px; }}"
        # The theme's head padding grows with the text: at 200 % it alone would push
        # a measure column off the screen.
        f" QHeaderView::section {{ padding: 2px {HEAD_PAD}px; }}"
    )


class PresenterWindow(QWidget):
    closed = Signal()

    def __init__(self, services: Any, workshop: Any, parent: QWidget | None = None) -> None:
        super().__init__(parent, Qt.WindowType.Window)
        self.setWindowTitle(f"{workshop.name}: the room's debrief")
        self.setObjectName("Page")
        self.services = services
        self.workshop = workshop
        self.views: list[Any] = []
        self.exercise_index = 0
        self.slide = 0
        self.names_hidden = False
        self.remaining = 0
        self.loaded = False
        self._built: list[bool] = []
        self.setFocusPolicy(Qt.FocusPolicy.StrongFocus)
        self.timer = QTimer(self)
        self.timer.setInterval(1000)
        self.timer.timeout.connect(self._tick)

        lay = QVBoxLayout(self)
        self._size_type()
        head = QHBoxLayout()
        self.title = plain("", 1.0, True)
        self.clock = plain("", 1.25, True, wrap=False)
        self.clock.setAccessibleName("Countdown")
        head.addWidget(self.title, 1)
        head.addWidget(self.clock, 0, Qt.AlignmentFlag.AlignRight | Qt.AlignmentFlag.AlignTop)
        lay.addLayout(head)
        self.slide_title = plain("", 0.9, True)
        lay.addWidget(self.slide_title)
        self.stack = QStackedWidget()
        lay.addWidget(self.stack, 1)
        self.footer = plain(KEYS, 0.7)
        self.footer.setProperty("role", "muted")
        lay.addWidget(self.footer)
        # What the header's labels are sized as, to size them again when the text size
        # changes while the presenter is open.
        self._head = [
            (self.title, 1.0, True),
            (self.clock, 1.25, True),
            (self.slide_title, 0.9, True),
            (self.footer, 0.7, False),
        ]

    def event(self, e: QEvent) -> bool:
        if e.type() == QEvent.Type.ApplicationFontChange:
            # The settings changed the text size: the type here is sized from the app's
            # font, so size it again once the change is done (slides are rebuilt).
            QTimer.singleShot(0, self._restyle)
        return super().event(e)

    def _size_type(self) -> None:
        """The window's type and margins, from the app's text size."""
        f = QFont(self.font())
        f.setPointSizeF(type_size())
        self.setFont(f)
        em = self.fontMetrics().height()
        self.layout().setContentsMargins(em, em // 2, em, em // 2)

    def _restyle(self) -> None:
        self._size_type()
        for w, size, bold in self._head:
            sized(w, size, bold)
        if self.loaded:
            self.rebuild()

    # -- data ----------------------------------------------------------------------------------
    def load(self) -> None:
        from negtrainer.workshop import service

        w = self.workshop
        self.services.run_op(lambda store: service.views(store, w), self.set_views)

    def set_views(self, views: list[Any]) -> None:
        self.views = views
        self.loaded = True
        self.exercise_index = min(self.exercise_index, max(0, len(views) - 1))
        self._reset_clock()
        self.rebuild()

    @property
    def view(self) -> Any:
        return self.views[self.exercise_index] if self.views else None

    def name(self, played: Any) -> str:
        return self.workshop.shown_name(played.participant, self.names_hidden)

    # -- slides ----------------------------------------------------------------------------------
    def rebuild(self) -> None:
        while self.stack.count():
            w = self.stack.widget(0)
            self.stack.removeWidget(w)
            w.deleteLater()
        v = self.view
        if v is None:
            self.title.setText(self.workshop.name)
            self.stack.addWidget(plain("This workshop has no exercise yet.", 1.2))
            self.slide_title.setText("")
            return
        self.title.setText(f"{v.exercise.id}: {v.title}")
        # Each slide is built when first shown: a room of thousands of sessions
        # opens on its first slide without laying out a table nobody has asked for.
        self._built = [False] * len(SLIDES)
        for _ in SLIDES:
            self.stack.addWidget(QWidget())
        self.show_slide(self.slide)

    def show_slide(self, n: int) -> None:
        self.slide = max(0, min(len(SLIDES) - 1, n))
        v = self.view
        if v is not None and self.stack.count() == len(SLIDES):
            if not self._built[self.slide]:
                builders = (
                    self._outcomes,
                    self._trust,
                    self._choices,
                    self._participants,
                    self._best_worst,
                    self._lessons,
                )
                page = builders[self.slide](v)
                old = self.stack.widget(self.slide)
                self.stack.insertWidget(self.slide, page)
                self.stack.removeWidget(old)
                old.deleteLater()
                self._built[self.slide] = True
            self.stack.setCurrentIndex(self.slide)
        played = f"  ·  {len(v.played)} played" if v is not None else ""
        self.slide_title.setText(f"{self.slide + 1}/{len(SLIDES)}  {SLIDES[self.slide]}{played}")

    def _outcomes(self, v: Any) -> QWidget:
        page = QWidget()
        lay = QVBoxLayout(page)
        lay.addWidget(Chart(lambda p, r, fg: roomcharts.outcome_bars(p, r, v.outcomes, fg)), 1)
        deals = [p.summary["quality"] for p in v.played if p.summary.get("quality") is not None]
        if len(deals) == 1:
            lay.addWidget(
                plain(f"The one deal reached {deals[0]:.0%} of the joint value on the table.", 0.9)
            )
        elif deals:
            lay.addWidget(
                plain(
                    f"Deals reached {min(deals):.0%} to {max(deals):.0%} of the "
                    "joint value on the table.",
                    0.9,
                )
            )
        return page

    def _trust(self, v: Any) -> QWidget:
        curves = [p.summary.get("trust") or [] for p in v.played]
        best = v.played.index(v.best) if v.best in v.played else None
        worst = v.played.index(v.worst) if v.worst in v.played else None
        page = QWidget()
        lay = QVBoxLayout(page)
        lay.addWidget(
            Chart(lambda p, r, fg: roomcharts.trust_curves(p, r, curves, fg, best, worst)), 1
        )
        lay.addWidget(
            plain(
                "Trust (0–100) in every session, turn by turn. Blue: the best "
                "session; orange: the worst.",
                0.9,
            )
        )
        return page

    def _choices(self, v: Any) -> QWidget:
        inner = QWidget()
        lay = QVBoxLayout(inner)
        if not v.decisions:
            lay.addWidget(plain("No choices recorded yet."))
        for d in v.decisions:
            lay.addWidget(plain(f"“{d.prompt}”", 0.9, True))
            lay.addWidget(ChoiceBars(d.counts))
        lay.addStretch(1)
        return _scrolling(inner)

    def _participants(self, v: Any) -> QWidget:
        keys = [(k, lab) for k, lab in v.measures if k in _SHORT][:5]
        table = QTableWidget(len(v.played), 4 + len(keys))
        table.setHorizontalHeaderLabels(
            ["Name", "Outcome", "Deal", "Trust"] + [_SHORT[k] for k, _ in keys]
        )
        table.verticalHeader().setVisible(False)
        table.setEditTriggers(QTableWidget.EditTrigger.NoEditTriggers)
        table.setWordWrap(True)
        for r, p in enumerate(v.played):
            trust = p.summary.get("trust") or [0]
            q = p.summary.get("quality")
            cells = [
                self.name(p),
                p.summary.get("outcome", ""),
                "—" if q is None else f"{q:.0%}",
                f"{trust[0]:.0f}→{trust[-1]:.0f}",
            ]
            m = p.summary.get("measures", {})
            cells += [m.get(k, {}).get("rating", "") for k, _ in keys]
            for c, text in enumerate(cells):
                table.setItem(r, c, QTableWidgetItem(text))
        table.setObjectName("ParticipantsTable")
        sized(table)
        _quiet(table)
        self._fit_columns(table)
        if table.rowCount() <= 200:  # beyond that, one line a row (laying out all is slow)
            table.resizeRowsToContents()
        return table

    def _fit_columns(self, table: QTableWidget) -> None:
        """Every column shown. When they are too wide for the screen, heads of two
        words go on two lines, then the table's type steps down, never below the text
        size chosen for the app, then names wrap at their spaces. Past that (a room of
        very long names) the table scrolls sideways, and its scroll bar shows it."""
        from PySide6.QtGui import QFontMetrics

        room = self.width() - 2 * self.fontMetrics().height() - 2 * table.frameWidth()
        heads = [table.horizontalHeaderItem(c).text() for c in range(table.columnCount())]
        wrapped = [h.replace(" ", "\n") for h in heads]
        texts = [
            {table.item(r, c).text() for r in range(table.rowCount())}
            for c in range(table.columnCount())
        ]
        words = [{w for t in col for w in t.split()} for col in texts]
        floor = QApplication.font().pointSizeF()
        tries = [(max(floor, table.font().pointSizeF() * f), heads, texts) for f in (1, 0.9, 0.8)]
        tries = [t for pt, h, c in tries for t in ((pt, h, c), (pt, wrapped, c))]
        tries.append((floor, wrapped, words))
        pad = 2 * HEAD_PAD + 8  # the head's padding (see _quiet), and a cell's margins
        for pt, lines, cells in tries:
            font = QFont(table.font())
            font.setPointSizeF(pt)
            bold = QFont(font)
            bold.setBold(True)  # the theme draws column heads in bold
            fm, cell = QFontMetrics(bold), QFontMetrics(font)
            widths = [
                max([0, *(cell.horizontalAdvance(t) for t in cells[c])]) for c in range(len(lines))
            ]
            widths = [
                max(w, *(fm.horizontalAdvance(t) for t in h.split("\n"))) + pad
                for w, h in zip(widths, lines)
            ]
            if sum(widths) <= room:
                break
        table.setFont(font)
        table.horizontalHeader().setFont(font)  # the style sheet would give it the app's
        table.setHorizontalHeaderLabels(lines)
        extra = max(0, room - sum(widths)) // len(widths)
        table.horizontalHeader().setSectionResizeMode(QHeaderView.ResizeMode.Fixed)
        for c, w in enumerate(widths):
            table.setColumnWidth(c, w + extra)

    def _best_worst(self, v: Any) -> QWidget:
        inner = QWidget()
        grid = QGridLayout(inner)
        if v.best is None or v.worst is None:
            grid.addWidget(plain("Best and worst need two finished sessions."), 0, 0)
            return inner
        for col, (label, played, _colour) in enumerate(
            (
                ("Virtuous cycle", v.best, roomcharts.BEST),
                ("Vicious cycle", v.worst, roomcharts.WORST),
            )
        ):
            head = plain(f"{label}: {self.name(played)}", 1.0, True)
            grid.addWidget(head, 0, col)
            grid.addWidget(plain(_one_line(played.summary), 0.9), 1, col)
            curve = played.summary.get("trust") or []
            chart = Chart(
                lambda p, r, fg, c=curve, i=col: roomcharts.trust_curves(
                    p, r, [c], fg, 0 if i == 0 else None, 0 if i == 1 else None
                ),
                lines=6,  # the steps below matter more than a tall chart
            )
            chart.setMinimumHeight(self.fontMetrics().height() * 4)
            grid.addWidget(chart, 2, col)
            grid.addWidget(
                plain(_moves(played.summary, v), 0.85), 3, col, Qt.AlignmentFlag.AlignTop
            )
        grid.setColumnStretch(0, 1)
        grid.setColumnStretch(1, 1)
        grid.setRowStretch(2, 1)  # spare height goes to the charts, not between the lines
        return _scrolling(inner)

    def _lessons(self, v: Any) -> QWidget:
        inner = QWidget()
        lay = QVBoxLayout(inner)
        # The questions first: the facilitator asks them now, at any text size.
        if v.exercise.questions:
            lay.addWidget(plain("Questions for the room", 0.95, True))
            for n, q in enumerate(v.exercise.questions, 1):
                lay.addWidget(plain(f"{n}. {q}", 0.9))
        for title, lesson in v.lessons:
            lay.addWidget(plain(title, 0.95, True))
            lay.addWidget(plain(lesson, 0.9))
        lay.addStretch(1)
        return _scrolling(inner)

    # -- countdown -----------------------------------------------------------------------------
    def _reset_clock(self) -> None:
        self.timer.stop()
        v = self.view
        self.remaining = v.exercise.minutes * 60 if v is not None else 0
        self._show_clock()

    def toggle_clock(self) -> None:
        if self.timer.isActive():
            self.timer.stop()
        elif self.remaining > 0:
            self.timer.start()
        self._show_clock()

    def _tick(self) -> None:
        self.remaining = max(0, self.remaining - 1)
        if self.remaining == 0:
            self.timer.stop()
        self._show_clock()

    def _show_clock(self) -> None:
        m, s = divmod(self.remaining, 60)
        text = "Time's up" if self.remaining == 0 and self.view is not None else f"{m}:{s:02d}"
        if not self.timer.isActive() and self.remaining:
            text += " (paused)"
        self.clock.setText(text)
        late = 0 < self.remaining <= 60 or self.remaining == 0
        self.clock.setStyleSheet(
            f"color: {theme.colors().get('warning', '#c4581c')}" if late else ""
        )

    # -- keys ----------------------------------------------------------------------------------
    def keyPressEvent(self, event: QKeyEvent) -> None:
        k = event.key()
        K = Qt.Key
        if k in (K.Key_Right, K.Key_PageDown):
            self.show_slide(self.slide + 1)
        elif k in (K.Key_Left, K.Key_PageUp):
            self.show_slide(self.slide - 1)
        elif K.Key_1 <= k <= K.Key_6:
            self.show_slide(k - K.Key_1)
        elif k == K.Key_Space:
            self.toggle_clock()
        elif k == K.Key_R:
            self._reset_clock()
        elif k == K.Key_N:
            self.set_names_hidden(not self.names_hidden)
        elif k == K.Key_E and self.views:
            self.exercise_index = (self.exercise_index + 1) % len(self.views)
            self._reset_clock()
            self.rebuild()
        elif k in (K.Key_Down, K.Key_Up, K.Key_Home, K.Key_End):
            self.scroll_slide(k)
        elif k == K.Key_Escape:
            self.close()
        else:
            super().keyPressEvent(event)

    def scroll_slide(self, key: int) -> None:
        """↑ ↓ a few lines of a slide taller than the screen, Home and End to its ends."""
        page = self.stack.currentWidget()
        if not isinstance(page, QAbstractScrollArea):
            return
        bar = page.verticalScrollBar()
        step = self.fontMetrics().height() * 3
        K = Qt.Key
        target = {
            K.Key_Down: bar.value() + step,
            K.Key_Up: bar.value() - step,
            K.Key_Home: bar.minimum(),
            K.Key_End: bar.maximum(),
        }[Qt.Key(key)]
        bar.setValue(target)

    def showFullScreen(self) -> None:
        # Where nothing manages windows (a kiosk, Xvfb), full screen is ignored and the
        # window would open at its smallest: take the screen's whole free area first.
        screen = self.screen() or QApplication.primaryScreen()
        if screen is not None:
            self.setGeometry(screen.availableGeometry())
        super().showFullScreen()

    def set_names_hidden(self, hidden: bool) -> None:
        self.names_hidden = hidden
        self.rebuild()

    def closeEvent(self, event: Any) -> None:
        self.timer.stop()
        self.closed.emit()
        super().closeEvent(event)


_SHORT = {
    "open_questions": "Open Qs",
    "reflection_ratio": "Listening",
    "rapport": "Rapport",
    "interests": "Interests",
    "first_offer": "1st offer",
    "competitive": "Pressure",
    "value_created": "Value made",
}


def _one_line(summary: dict[str, Any]) -> str:
    trust = summary.get("trust") or [0]
    q = summary.get("quality")
    deal = f", deal quality {q:.0%}" if q is not None else ""
    return f"{summary.get('outcome', '')}{deal}; trust {trust[0]:.0f} → {trust[-1]:.0f}"


def _moves(summary: dict[str, Any], v: Any) -> str:
    """The first moves and what trust did after each: how the cycle started."""
    trust = summary.get("trust") or []
    lines = []
    for n, (_node, what) in enumerate(summary.get("choices", [])[:6], 1):
        text = v.choice_text.get(what) or {
            "offer": "An offer",
            "accept": "Accepted their offer",
        }.get(what, what)
        delta = trust[n] - trust[n - 1] if n < len(trust) else 0.0
        lines.append(f"{n}. {text}  (trust {delta:+.0f})")
    return "\n".join(lines)
