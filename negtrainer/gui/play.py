"""Playing a scenario: the counterpart, the conversation, and what to say.

Choices are listed in the order the engine gives (drawn from the session's
seed, never by quality) and numbered as the engine, the terminal and the JSON
interface number them; keys 1–9 play the first nine. Only coach mode groups
them by kind (Rapport, Ask, Listen, Propose, Push back, Close). A choice not
available now is shown without its words, greyed, with the reason.
Where the scenario allows offers, an offer builder sits under the choices.

Every input goes through ``Services.act``: the engine plays it on the GUI
thread, the reply is shown at once and the store commits it on its thread
meanwhile. Until the commit is done further input is ignored, and a turn the
disk refused shows the "not saved yet" banner.

With voice on (Settings), the opening and each reply are spoken line by line
through ``Services.speak_lines`` — the learner's own line first, in a neutral
voice, when the settings ask for it — and every new input cuts them off.

Coach mode (off by default) shows the counterpart's hidden state: trust,
tension, mood, what was revealed, and each choice's move type.

Signals: ``open_debrief(session_id)``, ``leave()``, ``turn_shown(turn)``.
"""

from __future__ import annotations

import importlib
import math
from collections import OrderedDict
from collections.abc import Callable
from functools import partial
from types import SimpleNamespace
from typing import Any

from PySide6.QtCore import (
    QByteArray,
    QCoreApplication,
    QEvent,
    QMargins,
    QPointF,
    QRect,
    QRectF,
    QSize,
    Qt,
    QTimer,
    Signal,
)
from PySide6.QtGui import (
    QColor,
    QFont,
    QFontMetrics,
    QFontMetricsF,
    QKeyEvent,
    QKeySequence,
    QPainter,
    QPixmap,
    QShortcut,
    QTextLayout,
    QTextOption,
)
from PySide6.QtSvg import QSvgRenderer
from PySide6.QtWidgets import (
    QBoxLayout,
    QFrame,
    QHBoxLayout,
    QLabel,
    QProgressBar,
    QPushButton,
    QScrollArea,
    QSizePolicy,
    QSplitter,
    QStyle,
    QStyleOption,
    QStyleOptionButton,
    QToolTip,
    QVBoxLayout,
    QWidget,
)

from negtrainer.engine.look import MOODS
from negtrainer.gui import theme, widgets
from negtrainer.gui.avatar import AvatarWidget, avatar_svg
from negtrainer.gui.offer_builder import OfferBuilder
from negtrainer.gui.own_words import OwnWordsBox, OwnWordsPlay
from negtrainer.gui.transcript import Entry, TranscriptView, entries_for_lines

GOOD_ENDINGS = ("deal", "agreement")


def move_label(move: str) -> str:
    return move.replace("_", " ").capitalize()


_label = partial(widgets.label, wrap=False)


def _wrapping(text: str, role: str) -> widgets.WrapLabel:
    """A wrapped label in the left column, which is laid out again on every turn (the
    coach's words change): a plain QLabel measured its words afresh each time."""
    label = widgets.WrapLabel(text)
    label.setProperty("role", role)
    return label


def _facts(session: Any) -> str:
    """A few numbers about how it went, for the ending banner."""
    st = session.state
    sc = session.scenario
    rows = [
        f"<b>{st.turn}</b> turns",
        f"trust <b>{st.trust_start:.0f} → {st.vars.get('trust', 0):.0f}</b>",
    ]
    total = len(sc.spec.interests)
    if total:
        rows.append(f"<b>{len(st.revealed)} of {total}</b> hidden interests uncovered")
    if st.deal is not None and sc.issue_ids:
        terms = tuple(st.deal)
        best = max(sc.value_you(t) for t in sc.all_terms)
        rows.append(
            f"the deal is worth <b>{sc.value_you(terms):.0f} of {best:.0f}</b> points to you"
        )
    return " · ".join(rows)


def _settle_layouts(rounds: int = 6) -> None:
    """Lay out what changed now, nested layouts and all, so it is painted once.

    A layout that grows asks its parent's for room by a posted event, which the
    event loop delivers only after the paint already queued: the window painted
    a turn with the inner layouts done, then again with the outer ones."""
    for _ in range(rounds):
        QCoreApplication.sendPostedEvents(None, QEvent.Type.LayoutRequest.value)


def _show(w: QWidget, on: bool) -> None:
    """Show or hide ``w``; asking a widget for the state it is in still costs."""
    if w.isHidden() == on:
        w.setVisible(on)


class QuietLine(QWidget):
    """Holds a one-line label whose words change every turn ("Turn 3 of at most 14").

    Qt lays out every parent of a label whose text changes, up to the window: for
    this line that was a layout of the whole window on every turn. Here the label is
    not in a layout, so new words only repaint it; the holder asks for a new layout
    only when the label needs more room than it has or a font changes its height.
    """

    def __init__(self, label: QLabel, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.label = label
        label.setParent(self)
        self.setSizePolicy(label.sizePolicy())
        self._told = QSize(0, 0)  # the least size last given to the layout

    def sizeHint(self) -> QSize:
        return self.label.sizeHint().expandedTo(self.minimumSizeHint())

    def minimumSizeHint(self) -> QSize:
        need = self.label.minimumSizeHint()
        self._told = QSize(max(need.width(), self._told.width()), need.height())
        return self._told

    def event(self, event: QEvent) -> bool:
        # The label's new words or font ask this holder to lay out (it has no layout).
        if event.type() == QEvent.Type.LayoutRequest:
            need = self.label.minimumSizeHint()
            if need.width() > self._told.width() or need.height() != self._told.height():
                self.updateGeometry()
        return super().event(event)

    def resizeEvent(self, event: Any) -> None:
        super().resizeEvent(event)
        self.label.setGeometry(self.rect())


class ChoiceButton(QPushButton):
    """One thing the learner can say: number, words, and (coach) its move type.

    The whole row is the button; its words wrap. An unavailable choice stays
    focusable (so a keyboard or screen-reader user can find out why) but is
    drawn greyed and does not play. A button is reused from turn to turn
    (``set_choice``).

    The style sheet draws the frame (hover, focus, the dashed border of an
    unavailable choice); the badge and the lines are painted here, in the fonts
    and colours the style sheet gives the other labels. Four labels and two
    layouts in every button were most of a turn's layout and painting.
    """

    MARGINS = QMargins(10, 8, 12, 8)
    GAP = 10  # between the badge and the words
    LINE_GAP = 2  # between the words, the move type and the reason

    def __init__(
        self, choice: Any, number: int | None, coach: bool, parent: QWidget | None = None
    ) -> None:
        super().__init__(parent)
        self.choice = choice
        self.number = number
        self.badge_text = ""
        self.words = ""  # the first line's text: a locked choice's reason, never its words
        self.move_words = ""
        self.reason_words = ""
        self._coach = coach
        self._shown_available: bool | None = None
        self._fonts: tuple[QFont, ...] | None = None  # words, badge, small, small italic
        self._font_keys: tuple[str, ...] = ()
        self._side = 0  # the badge's
        self._laid: dict[int, tuple[int, dict[str, QRect]]] = {}  # by width
        self._least: int | None = None  # the longest word's width
        self._said = ("", "", "")  # the accessible name, tooltip and description set
        self.setProperty("role", "choice")
        self.setFocusPolicy(Qt.FocusPolicy.StrongFocus)
        # Lay out by the widget's own rectangle, not the style's smaller "layout
        # item" one, or neighbouring choices overlap by the focus-frame margin.
        self.setAttribute(Qt.WidgetAttribute.WA_LayoutUsesWidgetRect)
        # No height for width: the list lays the choices out by the minimum height
        # _changed() sets (an override saying so was asked on every layout pass).
        self.setSizePolicy(QSizePolicy.Policy.Expanding, QSizePolicy.Policy.Minimum)
        self.set_choice(choice, number, coach)

    def set_choice(self, choice: Any, number: int | None, coach: bool) -> None:
        """Show ``choice`` (numbered ``number``) in this button, replacing what it showed."""
        self.choice = choice
        self._coach = coach
        available = bool(choice.available)
        if available != self._shown_available:
            self.setProperty("available", available)
            self.setCursor(
                Qt.CursorShape.PointingHandCursor if available else Qt.CursorShape.ForbiddenCursor
            )
            if self._shown_available is not None:  # the style sheet looks at it: re-polish
                self.style().unpolish(self)
                self.style().polish(self)
            self._shown_available = available
        # A locked choice never shows its words: only why it is not available yet.
        self.words = choice.text if available or choice.text else f"(Not yet: {choice.reason})"
        self.move_words = move_label(choice.move)
        self.reason_words = choice.reason if self._has_reason() else ""
        self.set_number(number)
        self._changed()

    def _has_reason(self) -> bool:
        return not self.choice.available and bool(self.choice.text)

    @property
    def shows_move(self) -> bool:
        return self._coach

    @property
    def shows_reason(self) -> bool:
        return self._coach and self._has_reason()

    def set_badge(self, text: str) -> None:
        self.badge_text = text
        self._changed()

    def set_number(self, number: int | None) -> None:
        """The key that says it (1-9), or None; names and tips follow."""
        choice = self.choice
        self.number = number
        self.badge_text = str(number) if number is not None else ""
        prefix = f"{number}. " if number is not None else ""
        if choice.available:
            key = number is not None and number <= 9
            said = (
                prefix + choice.text,
                f"Press {number} to say this" if key else "",
                move_label(choice.move) if self._coach else "",
            )
        else:
            # Its words are hidden; a screen reader hears that it is locked, and why.
            said = (
                f"{prefix}Locked: {choice.reason}",
                widgets.tip(f"Not available: {choice.reason}"),
                f"Unavailable: {choice.reason}",
            )
        # Each of these tells the window and any screen reader that it changed: only
        # when it has (a pooled button often keeps its tip and description).
        if said[0] != self._said[0]:
            self.setAccessibleName(said[0])
        if said[1] != self._said[1]:
            self.setToolTip(said[1])
        if said[2] != self._said[2]:
            self.setAccessibleDescription(said[2])
        self._said = said

    @property
    def available(self) -> bool:
        return bool(self.choice.available)

    def set_coach(self, on: bool) -> None:
        self._coach = on
        self.set_number(self.number)  # the description names the move in coach mode
        self._changed()

    # -- measuring and drawing ----------------------------------------------------------
    def _font_set(self) -> tuple[QFont, ...]:
        """The words', the badge's and the coach lines' fonts, as the style sheet sizes
        its labels (``@fs``, ``@fs_badge`` bold, ``@fs_small``, the move type italic)."""
        if self._fonts is None:
            tokens = theme.colors()

            def sized(token: str, bold: bool = False, italic: bool = False) -> QFont:
                font = QFont(self.font())
                points = tokens.get(token, "").removesuffix("pt")
                try:
                    font.setPointSizeF(float(points))
                except ValueError:
                    pass  # a theme without the token: the button's own size
                font.setBold(bold)
                font.setItalic(italic)
                return font

            self._fonts = (
                sized("fs"),
                sized("fs_badge", bold=True),
                sized("fs_small"),
                sized("fs_small", italic=True),
            )
            self._font_keys = tuple(font.key() for font in self._fonts)
            # The style sheet's 1.6em square.
            self._side = round(1.6 * QFontMetricsF(self._fonts[1]).height())
        return self._fonts

    def _badge_side(self) -> int:
        self._font_set()
        return self._side

    def layout_for(self, width: int) -> tuple[int, dict[str, QRect]]:
        """The height this choice needs at ``width``, and where its parts go then.

        Computed here rather than through Qt's height-for-width, which scroll
        areas ignore when they size their content: that clipped the text."""
        laid = self._laid.get(width)
        if laid is not None:
            return laid
        m = self.MARGINS
        side = self._badge_side()
        x = m.left() + side + self.GAP
        inner = max(40, width - x - m.right())
        rects = {"badge": QRect(m.left(), m.top(), side, side)}
        y = m.top()
        for n, (name, text) in enumerate(self._parts()):
            height = self._text(name, text, inner)[1]
            y += self.LINE_GAP if n else 0
            rects[name] = QRect(x, y, inner, height)
            y += height
        laid = (max(y, m.top() + side) + m.bottom(), rects)
        if len(self._laid) > 4:  # widths come and go while a window is resized
            self._laid.clear()
        self._laid[width] = laid
        return laid

    def _parts(self) -> list[tuple[str, str]]:
        parts = [("words", self.words)]
        if self.shows_move:
            parts.append(("move", self.move_words))
        if self.shows_reason:
            parts.append(("reason", self.reason_words))
        return parts

    def _text(self, name: str, text: str, width: int) -> tuple[QTextLayout, int]:
        """A part's text laid out at ``width`` (the move type on one line)."""
        self._font_set()
        n = 0 if name == "words" else 3 if name == "move" else 2
        key = (text, self._font_keys[n], width if name != "move" else -1)
        return _text_layout(key, self._fonts[n], name != "move")

    def needed_height(self, width: int) -> int:
        """The height the wrapped words (and coach lines) need at this width."""
        return self.layout_for(width)[0]

    def _width(self) -> int:
        return self.width() if self.width() > 50 else self.sizeHint().width()

    def _changed(self) -> None:
        """New words or lines: measure them at this width, and draw them."""
        self._laid.clear()
        self._least = None
        needed = self.needed_height(self._width())
        if needed != self.minimumHeight():
            self.setMinimumHeight(needed)
        self.update()

    def _width_for(self, words: int) -> int:
        m = self.MARGINS
        return m.left() + self._badge_side() + self.GAP + words + m.right()

    def sizeHint(self) -> QSize:
        # About forty characters a line, as a wrapped label asks: not the width of one
        # long line, which would widen the choice column and squeeze the conversation.
        fm = QFontMetrics(self._font_set()[0])
        words = max(self._longest_word(), fm.averageCharWidth() * 40)
        return QSize(min(self._width_for(words), 320), self.minimumHeight())

    def minimumSizeHint(self) -> QSize:
        # A word longer than this (a web address, say) is broken to fit, as a label
        # would: never a choice list wider than its column.
        fm = QFontMetrics(self._font_set()[0])
        words = min(self._longest_word(), fm.averageCharWidth() * 16)
        return QSize(self._width_for(max(40, words)), self.minimumHeight())

    def keyPressEvent(self, event: Any) -> None:
        # Enter says the focused choice, as Space does (a push button takes only Space).
        if event.key() in (Qt.Key.Key_Return, Qt.Key.Key_Enter) and not event.isAutoRepeat():
            event.accept()
            self.click()
            return
        super().keyPressEvent(event)

    def _longest_word(self) -> int:
        if self._least is None:
            fm = QFontMetrics(self._font_set()[0])
            self._least = fm.horizontalAdvance(max(self.words.split() or [""], key=len))
        return self._least

    def resizeEvent(self, event: Any) -> None:
        super().resizeEvent(event)
        if event.oldSize().width() != event.size().width():
            needed = self.needed_height(event.size().width())
            if needed != self.minimumHeight():
                self.setMinimumHeight(needed)

    def changeEvent(self, event: Any) -> None:
        super().changeEvent(event)
        if event.type() in (QEvent.Type.FontChange, QEvent.Type.StyleChange):
            self._fonts = None  # the theme or the text size may have changed
            _FRAMES.clear()  # a new style sheet may draw the frames otherwise
            self._changed()

    def _frame(self) -> QPixmap:
        """The frame, as the style sheet draws it (no text), drawn once per size and
        state: its rounded border was a third of drawing a choice, and every choice is
        drawn on every turn in one of a few sizes."""
        option = QStyleOptionButton()
        self.initStyleOption(option)
        dpr = self.devicePixelRatioF()
        key = (
            self.width(),
            self.height(),
            dpr,
            option.state.value,
            option.features.value,
            self.available,
            theme.current(),
        )
        pixmap = _FRAMES.get(key)
        if pixmap is not None:
            _FRAMES.move_to_end(key)
            return pixmap
        pixmap = QPixmap(max(1, round(self.width() * dpr)), max(1, round(self.height() * dpr)))
        pixmap.setDevicePixelRatio(dpr)
        pixmap.fill(Qt.GlobalColor.transparent)
        painter = QPainter(pixmap)
        self.style().drawControl(QStyle.ControlElement.CE_PushButton, option, painter, self)
        painter.end()
        _FRAMES[key] = pixmap
        while len(_FRAMES) > 48:  # a few sizes of choice in a few states, at two widths
            _FRAMES.popitem(last=False)
        return pixmap

    def paintEvent(self, event: Any) -> None:
        _height, rects = self.layout_for(self.width())
        pens = _pens()
        available = self.available
        painter = QPainter(self)
        painter.drawPixmap(0, 0, self._frame())
        painter.setRenderHint(QPainter.RenderHint.Antialiasing)
        badge = rects["badge"]
        if available:
            painter.setPen(Qt.PenStyle.NoPen)
            painter.setBrush(pens["accent_soft"])
            painter.drawRoundedRect(QRectF(badge), 6, 6)
        painter.setFont(self._font_set()[1])
        # A locked choice is told apart by its dashed frame and bare badge; its words
        # stay readable (the muted colour keeps 4.5:1 on every theme, "disabled" not).
        painter.setPen(pens["accent_text"] if available else pens["muted"])
        painter.drawText(badge, Qt.AlignmentFlag.AlignCenter, self.badge_text)
        for name, text in self._parts():
            painter.setPen(pens["text"] if name == "words" and available else pens["muted"])
            rect = rects[name]
            painter.setClipRect(rect)  # as a label: nothing past its box
            self._text(name, text, rect.width())[0].draw(painter, QPointF(rect.topLeft()))
        painter.end()


_PENS: tuple[str, dict[str, QColor]] = ("", {})
_FRAMES: OrderedDict[tuple, QPixmap] = OrderedDict()


def _pens() -> dict[str, QColor]:
    """The colours a choice is drawn in, made once per theme (every choice is drawn
    on every turn)."""
    global _PENS
    look = theme.current()[0]
    if _PENS[0] != look:
        c = theme.colors()
        _PENS = (look, {k: QColor(c[k]) for k in ("accent_soft", "accent_text", "muted", "text")})
    return _PENS[1]


_LAID_TEXT: OrderedDict[tuple, tuple[QTextLayout, int]] = OrderedDict()


def _text_layout(key: tuple[str, str, int], font: QFont, wrap: bool) -> tuple[QTextLayout, int]:
    """The text of ``key`` (text, font key, width) laid out in ``font``, wrapped to the
    width or on one line, and its height, as a label measures it. Kept for the next
    ask: shaping the words is the dearest part of drawing them, and the same choices
    come back turn after turn."""
    laid = _LAID_TEXT.get(key)
    if laid is not None:
        _LAID_TEXT.move_to_end(key)
        return laid
    # What QPainter::drawText and QFontMetrics::boundingRect do with a line break.
    text, _font_key, width = key
    layout = QTextLayout(text.replace("\n", "\u2028"), font)
    option = QTextOption()
    # Between words, and inside a word only when it cannot fit on a line of its own.
    option.setWrapMode(
        QTextOption.WrapMode.WrapAtWordBoundaryOrAnywhere if wrap else QTextOption.WrapMode.NoWrap
    )
    layout.setTextOption(option)
    leading = QFontMetricsF(font).leading()
    y = -leading
    layout.beginLayout()
    while True:
        line = layout.createLine()
        if not line.isValid():
            break
        line.setLineWidth(width if wrap else 1 << 20)
        y += leading
        line.setPosition(QPointF(0, y))
        y += line.height()
    layout.endLayout()
    laid = (layout, max(QFontMetrics(font).height(), math.ceil(y)))
    _LAID_TEXT[key] = laid
    while len(_LAID_TEXT) > 300:  # a few screens of choices at a few widths
        _LAID_TEXT.popitem(last=False)
    return laid


class ChoiceSection(QWidget):
    """A group's heading (none for the flat list) and its pool of choice buttons."""

    def __init__(self, head: QLabel | None, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self._lay = QVBoxLayout(self)
        self._lay.setContentsMargins(0, 0, 0, 0)
        self._lay.setSpacing(6)  # as between the sections: one even column
        if head is not None:
            self._lay.addWidget(head)
        self.pool: list[ChoiceButton] = []
        self.hide()

    def reserve(self, count: int, make: Callable[[Any, int, bool], ChoiceButton]) -> None:
        """Have ``count`` buttons in the pool (hidden until a turn fills them)."""
        blank = SimpleNamespace(id="", text="", move="", available=True, reason="")
        while len(self.pool) < count:
            button = make(blank, 0, False)
            button.hide()
            self._lay.addWidget(button)
            self.pool.append(button)

    def show_choices(
        self,
        items: list[tuple[Any, int]],
        coach: bool,
        make: Callable[[Any, int, bool], ChoiceButton],
    ) -> list[ChoiceButton]:
        """Show these (choice, number) pairs in order; return their buttons. Buttons
        left over are hidden, so neither the mouse nor the keyboard reaches them."""
        for n, (choice, number) in enumerate(items):
            if n < len(self.pool):
                button = self.pool[n]
                if (button.choice, button.number, button._coach) != (choice, number, coach):
                    button.set_choice(choice, number, coach)
            else:
                button = make(choice, number, coach)
                self._lay.addWidget(button)
                self.pool.append(button)
            _show(self.pool[n], True)
        for button in self.pool[len(items) :]:
            _show(button, False)
        _show(self, bool(items))
        return self.pool[: len(items)]


def _set_level(bar: QProgressBar, level: str) -> None:
    """Colour a bar by level; re-polishing is slow, so only when it changes."""
    if bar.property("level") != level:
        bar.setProperty("level", level)
        bar.style().unpolish(bar)
        bar.style().polish(bar)


def _set_bar(bar: QProgressBar, label: QLabel, name: str, value: float, level: str) -> None:
    """A coach meter and its caption, touched only where the value has changed."""
    if bar.value() != round(value):
        # A progress bar repaints itself at once when its value changes: with its
        # updates off, the change is painted with the rest of the turn instead.
        bar.setUpdatesEnabled(False)
        bar.setValue(round(value))
        bar.setUpdatesEnabled(True)
    _set_level(bar, level)
    text = f"{value:.0f}"
    if label.text() != f"{name}  {text}":
        label.setText(f"{name}  {text}")
        bar.setAccessibleDescription(f"{text} of 100")


class CachedAvatar(AvatarWidget):
    """The face, drawn from pixmaps rendered once per size, look and mood.

    Rendering the SVG costs a few milliseconds and the window repaints on every
    turn; the face changes only when the mood does, and moods come back. The
    other moods are rendered while the window is idle (``warm``), so a turn that
    changes the mood usually only draws a pixmap.
    """

    CACHE = 16  # pixmaps kept: every mood at two sizes and a spare
    IDLE_MS = 400  # a learner reads the reply for longer than this; a burst of keys does not

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self._pixmaps: dict[tuple, QPixmap] = {}
        self._warm_timer = QTimer(self)
        self._warm_timer.setSingleShot(True)
        self._warm_timer.setInterval(self.IDLE_MS)
        self._warm_timer.timeout.connect(self._warm_one)

    def _key(self, mood: str) -> tuple:
        # By the face's drawn size, not the widget's: a column a few pixels wider
        # must not render every face again.
        look = tuple(sorted(self.look().items()))
        return (self._face_side(), self.devicePixelRatioF(), look, mood, self._background)

    def _face_side(self) -> int:
        return max(1, min(self.width(), self.height()))

    def _pixmap_for(self, mood: str) -> QPixmap:
        key = self._key(mood)
        pixmap = self._pixmaps.pop(key, None)
        if pixmap is None:
            svg = avatar_svg(self.look(), mood, background=self._background)
            pixmap = self._draw(svg, self.devicePixelRatioF())
        self._pixmaps[key] = pixmap  # newest last: the oldest goes first
        while len(self._pixmaps) > self.CACHE:
            del self._pixmaps[next(iter(self._pixmaps))]
        return pixmap

    def warm(self) -> None:
        """Render the other moods of this face once the window has been idle a while,
        one at a time. Each call starts the wait again (call it after every turn), so
        the rendering never runs while turns come quickly."""
        self._warm_timer.start()

    def warm_now(self) -> None:
        """Render the moods of this face not yet kept, now."""
        for mood in MOODS:
            if self._key(mood) not in self._pixmaps:
                self._pixmap_for(mood)

    def _warm_one(self) -> None:
        todo = [m for m in MOODS if self._key(m) not in self._pixmaps]
        if todo and self.isVisible():
            self._pixmap_for(todo[0])
            if len(todo) > 1:
                self._warm_timer.start()

    def paintEvent(self, event: Any) -> None:
        pixmap = self._pixmap_for(self.mood())
        side = self._face_side()
        painter = QPainter(self)
        painter.drawPixmap((self.width() - side) // 2, (self.height() - side) // 2, pixmap)
        painter.end()

    def _draw(self, svg: str, dpr: float) -> QPixmap:
        side = self._face_side()
        pixmap = QPixmap(max(1, round(side * dpr)), max(1, round(side * dpr)))
        pixmap.setDevicePixelRatio(dpr)
        pixmap.fill(Qt.GlobalColor.transparent)
        renderer = QSvgRenderer(QByteArray(svg.encode("utf-8")))
        box = renderer.viewBoxF()
        if renderer.isValid() and not box.isEmpty():
            scale = min(side / box.width(), side / box.height())
            w, h = box.width() * scale, box.height() * scale
            painter = QPainter(pixmap)
            painter.setRenderHint(QPainter.RenderHint.Antialiasing)
            painter.setRenderHint(QPainter.RenderHint.SmoothPixmapTransform)
            renderer.render(painter, QRectF((side - w) / 2, (side - h) / 2, w, h))
            painter.end()
        return pixmap


class CoachPanel(QFrame):
    """The counterpart's hidden state, for learning what moves it."""

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setProperty("role", "card")
        self.setAccessibleName("Coach")
        lay = QVBoxLayout(self)
        lay.setContentsMargins(14, 12, 14, 14)
        lay.setSpacing(6)
        # The column has one width: headings wrap rather than reach past its edge
        # (where the scroll area cut them off, with the coach's words beside them).
        lay.addWidget(_wrapping("COACH", "eyebrow"))
        self.trust_label = _label("Trust", "small")
        self.trust = QProgressBar()
        self.trust.setRange(0, 100)
        self.trust.setAccessibleName("Trust")
        self.trust.setTextVisible(False)
        self.tension_label = _label("Tension", "small")
        self.tension = QProgressBar()
        self.tension.setRange(0, 100)
        self.tension.setAccessibleName("Tension")
        self.tension.setTextVisible(False)
        for w in (self.trust_label, self.trust, self.tension_label, self.tension):
            lay.addWidget(w)
        # Plain text throughout: interests come from scenario files.
        self.mood = _wrapping("", "strong")
        self.mood_text = widgets.WrapLabel()
        lay.addSpacing(4)
        mood_lines = QVBoxLayout()  # one paragraph: the mood, then what it means
        mood_lines.setSpacing(0)
        mood_lines.addWidget(self.mood)
        mood_lines.addWidget(self.mood_text)
        lay.addLayout(mood_lines)
        lay.addSpacing(4)
        lay.addWidget(_wrapping("WHAT THEY HAVE SHARED", "eyebrow"))
        self.interests = widgets.ColouredLines()
        self.interests.setAccessibleName("What they have shared")
        lay.addWidget(self.interests)
        lay.addSpacing(4)
        lay.addWidget(_wrapping("LAST TURN", "eyebrow"))
        self.last = widgets.WrapLabel("Nothing yet: the counterpart has just spoken.")
        self.last.setProperty("role", "small")
        lay.addWidget(self.last)

    def show_state(self, session: Any) -> None:
        from negtrainer.engine.look import MOOD_DESCRIPTIONS

        st = session.state
        trust = float(st.vars.get("trust", 0))
        tension = float(st.vars.get("tension", 0))
        _set_bar(
            self.trust,
            self.trust_label,
            "Trust",
            trust,
            "low" if trust < 30 else "mid" if trust < 55 else "high",
        )
        _set_bar(
            self.tension,
            self.tension_label,
            "Tension",
            tension,
            "high" if tension < 25 else "mid" if tension < 50 else "low",
        )
        mood = session.mood
        widgets.set_text(self.mood, f"Mood: {mood}")
        widgets.set_text(self.mood_text, MOOD_DESCRIPTIONS.get(mood, ""))
        interests = session.scenario.spec.interests
        lines: list[tuple[tuple[str, str], ...]] = [
            (("✔ ", "success"), (f"{interest.label} ", ""), (f"(turn {st.revealed[iid]})", "muted"))
            for iid, interest in interests.items()
            if iid in st.revealed
        ]
        hinted = [i for i in st.hinted if i not in st.revealed]
        hidden = len(interests) - len(st.revealed)
        if hinted:
            lines.append((("… ", "warning"), (f"{len(hinted)} hinted at, not yet said", "")))
        if hidden:
            lines.append(((f"{hidden} of {len(interests)} still hidden", "muted"),))
        self.interests.set_lines(lines or [(("Nothing yet.", ""),)])
        if st.log:
            from negtrainer.engine.scoring import explain_turn

            widgets.set_text(self.last, explain_turn(st.log[-1]))


class PlayView(OwnWordsPlay, QWidget):
    open_debrief = Signal(str)
    leave = Signal()
    turn_shown = Signal(int)

    def __init__(self, services: Any, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.services = services
        self.setObjectName("Page")
        # The page paints its whole background (paintEvent): the window, the page
        # stack and the main page under it then draw nothing on a turn.
        self.setAttribute(Qt.WidgetAttribute.WA_OpaquePaintEvent)
        self.live: Any = None
        self.busy = False
        # During a workshop round: coach mode as it was when the round began. Each player
        # starts from it, and a player's switch is theirs alone (not the laptop's setting).
        self._round_coach: bool | None = None
        self.buttons: list[ChoiceButton] = []
        self.numbered: dict[int, ChoiceButton] = {}
        self._shown_choices: tuple = ()
        self._shown_issues: list[Any] | None = None
        self._group_heads: dict[str, QLabel] = {}
        self._warned_counter: list[int] | None = None
        self._interest_labels: dict[str, str] = {}

        outer = QVBoxLayout(self)
        outer.setContentsMargins(20, 14, 20, 14)
        outer.setSpacing(10)

        # Header: where we are, coach mode, leave.
        head = QHBoxLayout()
        titles, self.title, self.turn_label = widgets.title_stack(
            "", title_role="h3", sub_role="small", spacing=0, wrap=False
        )
        titles.replaceWidget(self.turn_label, QuietLine(self.turn_label))
        head.addLayout(titles, 1)
        self.saved_label = _label("", "small")
        head.addWidget(self.saved_label)
        self.coach_button = QPushButton("&Coach mode")
        self.coach_button.setCheckable(True)
        theme.set_icon(self.coach_button, "coach", "text", "accent_text")
        self.coach_button.setToolTip(
            "Show the counterpart's hidden state and each choice's move type (Alt+C)"
        )
        self.coach_button.setAccessibleName("Coach mode")
        self.coach_button.toggled.connect(self._coach_toggled)
        head.addWidget(self.coach_button)
        self.leave_button = QPushButton("Leave")
        self.leave_button.setToolTip(
            "Back to the library. The session is kept: resume it "
            "later from the library or the history."
        )
        self.leave_button.setAccessibleName("Leave the session; it is kept for later")
        self.leave_button.clicked.connect(self.leave.emit)
        head.addWidget(self.leave_button)
        outer.addLayout(head)

        # A turn the disk did not take.
        self.unsaved = QFrame()
        self.unsaved.setProperty("role", "banner-bad")
        ub = QHBoxLayout(self.unsaved)
        ub.setContentsMargins(12, 8, 12, 8)
        self.unsaved_text = _label("", wrap=True)
        ub.addWidget(self.unsaved_text)
        self.unsaved.hide()
        outer.addWidget(self.unsaved)

        body = QHBoxLayout()
        body.setSpacing(16)
        outer.addLayout(body, 1)

        # Left: the counterpart, and the coach.
        left = QVBoxLayout()
        left.setSpacing(10)
        self.person = QFrame()
        self.person.setProperty("role", "card")
        pl = QVBoxLayout(self.person)
        pl.setContentsMargins(14, 14, 14, 14)
        pl.setSpacing(2)
        self.avatar = CachedAvatar()
        self.avatar.setMinimumSize(140, 140)
        self.avatar.setMaximumHeight(200)
        pl.addWidget(self.avatar)
        self.name = _wrapping("", "h3")
        self.name.setAlignment(Qt.AlignmentFlag.AlignHCenter)
        self.role = _wrapping("", "small")
        self.role.setAlignment(Qt.AlignmentFlag.AlignHCenter)
        pl.addWidget(self.name)
        pl.addWidget(self.role)
        left.addWidget(self.person)
        self.coach = CoachPanel()
        self.coach.hide()
        left.addWidget(self.coach)
        left.addStretch(1)
        self.left_box = QWidget()
        self.left_box.setObjectName("ScrollBody")
        # The coach's words change its height every turn: repaint what moved, not the
        # whole column (the face and the name stay where they are).
        self.left_box.setAttribute(Qt.WidgetAttribute.WA_StaticContents)
        self.left_box.setLayout(left)
        left.setContentsMargins(0, 0, 0, 0)
        # The column has one width (_size_left), so what the coach has to say
        # grows downwards: it scrolls rather than being cut off.
        self.left_scroll = QScrollArea()
        self.left_scroll.setWidgetResizable(True)
        self.left_scroll.setFrameShape(QFrame.Shape.NoFrame)
        self.left_scroll.setHorizontalScrollBarPolicy(Qt.ScrollBarPolicy.ScrollBarAlwaysOff)
        self.left_scroll.setWidget(self.left_box)
        body.addWidget(self.left_scroll)

        split = QSplitter(Qt.Orientation.Horizontal)
        split.setChildrenCollapsible(False)
        split.setHandleWidth(12)
        body.addWidget(split, 1)
        self.splitter = split

        self.transcript = TranscriptView()
        # The conversation is what the learner reads: never squeeze it to a ribbon.
        self.transcript.setMinimumWidth(340)
        split.addWidget(self.transcript)

        # Right: what to say, offers, the ending.
        right = QWidget()
        rl = QVBoxLayout(right)
        rl.setContentsMargins(0, 0, 0, 0)
        rl.setSpacing(8)
        self.prompt = _label("What do you say?", "h3")
        rl.addWidget(self.prompt)
        self.scroll = QScrollArea()
        self.scroll.setWidgetResizable(True)
        self.scroll.setFrameShape(QFrame.Shape.NoFrame)
        self.scroll.setHorizontalScrollBarPolicy(Qt.ScrollBarPolicy.ScrollBarAlwaysOff)
        self.choice_body = QWidget()
        self.choice_body.setObjectName("ScrollBody")
        self.choice_layout = QVBoxLayout(self.choice_body)
        self.choice_layout.setContentsMargins(0, 0, 6, 0)
        self.choice_layout.setSpacing(6)
        from negtrainer.engine.moves import GROUPS

        # "" is the flat list shown without coach mode; then one section per kind.
        self._sections: dict[str, ChoiceSection] = {"": ChoiceSection(None)}
        for group, title in GROUPS.items():
            head = _label(title.upper(), "group")
            head.setAccessibleName(title)
            self._group_heads[group] = head
            self._sections[group] = ChoiceSection(head)
        for section in self._sections.values():
            self.choice_layout.addWidget(section)
        self.choice_layout.addStretch(1)
        self.scroll.setWidget(self.choice_body)
        rl.addWidget(self.scroll, 1)
        self.offers = OfferBuilder()
        self.offers.send_offer.connect(self.send_offer)
        self.offers.accept_counter.connect(self.accept_counter)
        self.offers.hide()
        # After the builder has noted the learner's own choice (its handler runs first).
        self.offers.fold_button.clicked.connect(lambda _on: self._fit_offers())
        rl.addWidget(self.offers)
        # Own words (issue 16): typing is always there; the setting hides the menu.
        self.own = OwnWordsBox()
        self.own.said.connect(self.say_own_words)
        self.own.picked.connect(self._act_typed)
        self.own.take_back.connect(self.take_back)
        self.own.button_factory = self._alternative_button
        rl.addWidget(self.own)
        self.show_choices_button = QPushButton("Show the choices")
        self.show_choices_button.setCheckable(True)
        self.show_choices_button.toggled.connect(lambda _on: self._refresh())
        rl.addWidget(self.show_choices_button)
        self._last_item: dict[str, Any] = {}
        self._typed_offer: tuple[str, dict[str, str]] | None = None
        self._can_take_back = False
        undo = QShortcut(QKeySequence("Ctrl+Z"), self)
        undo.setContext(Qt.ShortcutContext.WidgetWithChildrenShortcut)
        undo.activated.connect(self.take_back)
        self.notice = _wrapping("", "small")
        self.notice.setAccessibleName("Notice")
        rl.addWidget(self.notice)

        self._ending_top = rl.count()
        rl.addStretch(0)
        self.ending = QFrame()
        self.ending.setProperty("role", "banner")
        el = QVBoxLayout(self.ending)
        el.setContentsMargins(18, 16, 18, 18)
        el.setSpacing(8)
        self.ending_eyebrow = _label("THE CONVERSATION IS OVER", "eyebrow")
        self.ending_title = _label("", "h2", wrap=True)
        self.ending_text = _label("", wrap=True)
        el.addWidget(self.ending_eyebrow)
        el.addWidget(self.ending_title)
        el.addWidget(self.ending_text)
        self.ending_facts = _label("", wrap=True)
        self.ending_facts.setTextFormat(Qt.TextFormat.RichText)
        el.addSpacing(4)
        el.addWidget(self.ending_facts)
        el.addSpacing(4)
        # Side by side while both fit whole; one above the other at large text.
        erow = self._ending_buttons = QBoxLayout(QBoxLayout.Direction.LeftToRight)
        self.debrief_button = QPushButton("See your debrief")
        self.debrief_button.setProperty("kind", "primary")
        theme.set_icon(self.debrief_button, "debrief", "on_accent")
        self.debrief_button.setAccessibleName("See your debrief")
        self.debrief_button.clicked.connect(self._open_debrief)
        self.library_button = QPushButton("Back to the library")
        self.library_button.clicked.connect(self.leave.emit)
        erow.addWidget(self.debrief_button)
        erow.addWidget(self.library_button)
        erow.addStretch(1)
        el.addLayout(erow)
        self.ending.hide()
        rl.addWidget(self.ending)
        self._ending_bottom = rl.count()
        rl.addStretch(0)
        self._right_layout = rl
        split.addWidget(right)
        split.setStretchFactor(0, 5)
        split.setStretchFactor(1, 6)
        self.right_box = right

        self.coach_button.setChecked(services.settings.coach)
        self.coach.setVisible(self.coach_button.isChecked())
        services.settings.changed.connect(self._on_setting)
        self._size_left()

    def _size_left(self) -> None:
        # One width for the left column, from the text size: sized by its words it
        # changed width every turn, moving the conversation (re-wrapped in full)
        # and the choices (measured again) with it.
        # Narrow enough that the choices and the offer keep their words at 150 % text
        # on a 1280-pixel screen; what does not fit scrolls.
        width = min(self.fontMetrics().height() * 12, max(200, self.width() // 5))
        column = self.left_scroll
        if column.minimumWidth() != width or column.maximumWidth() != width:
            column.setFixedWidth(width)

    def resizeEvent(self, event: Any) -> None:
        super().resizeEvent(event)
        self._size_left()
        if event.oldSize().height() != event.size().height() and self.offers.isVisible():
            self._fit_offers()
        if self.ending.isVisible():
            self._fit_ending()

    def _fit_ending(self) -> None:
        """Wrapped labels in a banner get the height their words need at its width (a
        layout sizes them for one long line), and its buttons stack when they must."""
        margins = self.ending.contentsMargins()
        width = self.right_box.width() - margins.left() - margins.right()
        for label in (self.ending_title, self.ending_text, self.ending_facts):
            label.setMinimumHeight(label.heightForWidth(width))
        buttons = [self.debrief_button, self.library_button]
        need = sum(b.sizeHint().width() for b in buttons) + self._ending_buttons.spacing()
        self._ending_buttons.setDirection(
            QBoxLayout.Direction.LeftToRight if need <= width else QBoxLayout.Direction.TopToBottom
        )

    def _fit_offers(self) -> None:
        """Fold the offer builder when, open, it would leave the choices less than about
        three lines of room (large text on a short screen); the learner can open it."""
        fh = self.fontMetrics().height()
        rl = self._right_layout
        fixed = self.prompt.sizeHint().height() + rl.spacing() * 4
        if self.own.isVisible():
            fixed += self.own.sizeHint().height()
        room = self.right_box.height() - fixed - self.offers.unfolded_height()
        self.offers.fold_to_fit(room < fh * 8)
        # Opened by the learner where there is no room for both, the builder takes the
        # choices' room (squeezed, its lists were drawn over their names); hiding it
        # brings the choices back.
        self._set_crowded(self.offers.isVisible() and not self.offers.folded and room < fh * 3)

    def _set_crowded(self, crowded: bool) -> None:
        # The builder has a heading of its own: the question steps aside with the choices.
        prompt, menu = self._wanted()
        _show(self.scroll, menu and not crowded)
        _show(self.prompt, prompt and not crowded)

    def _wanted(self) -> tuple[bool, bool]:
        """(the question, the choice list) on show, before the offer builder asks for room:
        neither once the session has ended, the list only when not typing alone."""
        ended = self.live is None or self.live.session.ended
        menu = not self.own_words_mode or self.show_choices_button.isChecked()
        return not ended, not ended and menu

    def changeEvent(self, event: Any) -> None:
        super().changeEvent(event)
        if event.type() == QEvent.Type.FontChange:
            self._size_left()

    def paintEvent(self, event: Any) -> None:
        # The style sheet's background, as Qt draws it for a widget that is not opaque.
        option = QStyleOption()
        option.initFrom(self)
        painter = QPainter(self)
        self.style().drawPrimitive(QStyle.PrimitiveElement.PE_Widget, option, painter, self)
        painter.end()

    # -- starting ---------------------------------------------------------------------
    def play(self, live: Any) -> None:
        """Show a live session (new or resumed) from its current state."""
        self.live = live
        self.busy = False
        sc = live.scenario
        spec = sc.spec
        cp = spec.counterpart
        self._interest_labels = {i: it.label for i, it in spec.interests.items()}
        self.title.setText(spec.title)
        self.avatar.set_look(cp.look)
        self.avatar.set_person(cp.name)
        self.name.setText(cp.name)
        self.role.setText(cp.role)
        self.transcript.set_speaker(cp.name)
        self.transcript.clear_entries()
        if spec.issues:
            # Filled now rather than on the first turn that allows offers, where building
            # the lists was the dearest step; the same issues as last time are refilled.
            self._shown_issues = live.session.issues
            self.offers.set_issues(self._shown_issues, keep={})
        else:
            self.offers.reset()
            self._shown_issues = None
        # The usual number of choice buttons, made now rather than on the first turns.
        for group, section in self._sections.items():
            section.reserve(6 if group == "" else 3, self._new_button)
        # What the coach panel explains a turn with, loaded now rather than on turn one.
        importlib.import_module("negtrainer.engine.scoring")
        if self._round_coach is not None:
            self.coach_button.setChecked(self._round_coach)  # not the last player's choice
        # Each session starts from a balanced split (5 : 6), whatever the last one needed.
        total = sum(self.splitter.sizes()) or self.splitter.width()
        if total > 0:
            self.splitter.setSizes([total * 5 // 11, total - total * 5 // 11])
        self.coach.setVisible(self.coach_button.isChecked())
        self.unsaved.hide()
        self.notice.setText("")
        self.own.clear_feedback()
        self._can_take_back = False
        self._typed_offer = None
        self.show_choices_button.setChecked(False)
        session = live.session
        opening = live.history[0][2] if live.history else session.lines
        entries = entries_for_lines(opening, self._interest_labels)
        for rec in session.state.log:
            entries.extend(self._entries_for(rec))
        self.transcript.add(entries)
        self._refresh()
        if self.avatar.isVisible():
            # Every face of this counterpart now, at the size the page gives it: a
            # turn that changes the mood then only draws a picture. (A few
            # milliseconds each, once per counterpart and size.)
            _settle_layouts()
            self.avatar.warm_now()
        self.avatar.warm()
        if not session.ended:
            self.services.speak_lines([str(ln.get("text", "")) for ln in session.lines], sc)
        self._focus_first_choice()

    # -- acting ---------------------------------------------------------------------------
    def keyPressEvent(self, event: QKeyEvent) -> None:
        # Digits reach here from any child that does not use them (choices, the
        # transcript), so 1-9 play a choice wherever the focus is on this page.
        key = event.key()
        mods = event.modifiers() & ~Qt.KeyboardModifier.KeypadModifier
        if (
            Qt.Key.Key_1.value <= key <= Qt.Key.Key_9.value
            and mods == Qt.KeyboardModifier.NoModifier
        ):
            self.choose_number(key - Qt.Key.Key_0.value)
            event.accept()
            return
        super().keyPressEvent(event)

    def choose_number(self, n: int) -> None:
        button = self.numbered.get(n)
        if button is not None:
            self.choose(button.choice.id)

    def choose(self, choice_id: str) -> None:
        if self.live is None or self.busy or self.live.session.ended:
            return
        button = next((b for b in self.buttons if b.choice.id == choice_id), None)
        if button is not None and not button.available:
            self.notice.setText(f"Not now: {button.choice.reason}")
            return
        self._act({"choice": choice_id})

    def send_offer(self, terms: dict[str, str]) -> None:
        if self.live is None or self.busy or not self.live.session.can_offer:
            return
        item: dict[str, Any] = {"offer": dict(terms)}
        typed = self._typed_offer
        if typed is not None and all(terms.get(k) == v for k, v in typed[1].items()):
            # The terms the learner's words said, not changed in the builder since: the
            # words go with the offer (and a replay shows what they were heard as).
            item["typed"] = typed[0]
        self._act(item)

    def accept_counter(self) -> None:
        if self.live is None or self.busy or self.live.session.counter_offer is None:
            return
        session = self.live.session
        # Accepting less than one's walk-away is allowed, but never without a warning.
        if session.below_walkaway() and self._warned_counter != session.state.counter:
            self._warned_counter = list(session.state.counter or [])
            self.notice.setText(
                "Their offer is worth less to you than your walk-away. "
                "Press Accept again to take it anyway."
            )
            return
        self._act({"accept": "counter"})

    def _act(self, item: dict[str, Any]) -> None:
        self.busy = True
        self._last_item = item
        self._typed_offer = None
        self._can_take_back = False
        # Typing and the offer builder stay enabled: ``busy`` ignores them until the
        # commit, and the reply is shown before this returns (disabling them here
        # only repainted them).
        widgets.set_text(self.notice, "")
        self.services.stop_speaking()
        self.services.act(
            self.live, item, self._after_turn, self._turn_failed, on_played=self._show_turn
        )

    def _show_turn(self, step: Any) -> None:
        """The reply, shown while the store thread commits the turn."""
        live = self.live
        if live is None:
            return
        session = live.session
        rec = session.state.log[-1]
        self.transcript.add(self._entries_for(rec))
        # Open to typing now (so the focus can go there); ``busy`` holds further
        # turns back until this one is committed.
        self.own.set_busy(False)
        self._show_heard(self._last_item, rec, session)
        self._refresh()
        # The learner's own line first (when the settings ask for it), then the reply.
        self.services.speak_lines(
            [str(ln.get("text", "")) for ln in step.lines],
            live.scenario,
            learner=str(rec.get("said") or ""),
        )
        if "typed" in self._last_item and not session.ended:
            self.own.edit.setFocus()  # keep typing; Ctrl+Z takes the line back
        else:
            self._focus_first_choice()
        _settle_layouts()

    def _after_turn(self, result: Any) -> None:
        """The turn is committed (or the disk refused it): input is open again."""
        self.busy = False
        live = self.live
        if live is None:
            return
        if result.saved:
            _show(self.unsaved, False)
        else:
            self.unsaved_text.setText(
                f"This turn is not saved yet: {result.error} You can go on playing; every "
                "turn is written as soon as the disk allows."
            )
            self.unsaved.show()
        self._show_saved()
        self.avatar.warm()
        self.turn_shown.emit(live.session.state.turn)

    def _turn_failed(self, exc: BaseException) -> None:
        from negtrainer.gui.services import user_message

        self.busy = False
        self.offers.set_busy(False)
        self.own.set_busy(False)
        self.notice.setText(f"That did not work: {user_message(exc)}")

    @staticmethod
    def _alternative_button(key: str, text: str) -> QPushButton:
        said = SimpleNamespace(id="", text=text, move="", available=True, reason="")
        button = ChoiceButton(said, None, False)
        button.set_badge(key)
        return button

    def _open_debrief(self) -> None:
        if self.live is not None:
            self.open_debrief.emit(self.live.id)

    # -- showing -----------------------------------------------------------------------
    def _entries_for(self, rec: dict[str, Any]) -> list[Entry]:
        delta = rec.get("deltas", {}).get("trust", 0)
        coach = [move_label(rec["move"])]
        if delta:
            coach.append(f"trust {delta:+.0f}")
        tone = "good" if delta > 0 else "bad" if delta < 0 else ""
        out = [Entry("me", rec.get("said", ""), coach, tone)]
        item = rec.get("input") or {}
        typed = item.get("typed")
        if typed and typed != rec.get("said"):
            out = [
                Entry("me", typed, coach, tone),
                Entry("note", f"Heard as: {rec.get('said', '')}"),
            ]
        elif typed and "move" in item:  # a line of one's own, not one of the choices
            out.append(
                Entry(
                    "note",
                    f"Your own line, not one of the choices: it counts as "
                    f"{move_label(rec['move']).lower()}.",
                )
            )
        out.extend(entries_for_lines(rec.get("lines", []), self._interest_labels))
        offer = rec.get("offer")
        if offer:
            if offer.get("accepted"):
                out.append(Entry("note", "Offer accepted."))
            elif offer.get("counter"):
                out.append(
                    Entry(
                        "note",
                        "They answered with a counter-offer.",
                        [f"Worth {offer['them']:.0f} to them: not enough yet."],
                    )
                )
            else:
                out.append(
                    Entry(
                        "note",
                        "Offer turned down.",
                        [f"Worth {offer['them']:.0f} to them: far from enough."],
                    )
                )
        end = rec.get("ending")
        if end and self.live is not None:
            ending = self.live.session.ending
            if ending is not None:
                out.append(
                    Entry(
                        "ending",
                        ending.title,
                        [],
                        "good" if ending.good else "bad" if ending.kind == "walkout" else "",
                    )
                )
        return out

    def _refresh(self) -> None:
        session = self.live.session
        spec = self.live.scenario.spec
        branch = getattr(self.live, "branched_at", None)
        widgets.set_text(
            self.turn_label,
            f"Turn {session.state.turn} of at most {spec.max_turns}"
            + (f" · a branch from turn {branch}" if branch is not None else ""),
        )
        self.avatar.set_mood(session.mood)
        if not self.coach.isHidden():  # else shown when coach mode is turned on
            self.coach.show_state(session)
        self._build_choices(session)
        self.scroll.verticalScrollBar().setValue(0)  # each turn starts at the top
        ended = session.ended
        prompt, menu = self._wanted()
        self.prompt.setVisible(prompt)
        self.scroll.setVisible(menu)
        self.own.setVisible(not ended)
        self.show_choices_button.setVisible(not ended and self.own_words_mode)
        if session.can_offer and spec.issues:
            issues = session.issues
            if issues != self._shown_issues:  # refilling the lists is dear; most turns keep them
                self.offers.set_issues(issues)
                self._shown_issues = issues
            counter = session.counter_offer
            self.offers.set_counter(counter, spec.counterpart.name, session.issues)
            if counter:
                self.offers.set_terms(counter)
            self.offers.set_busy(False)
            self.offers.show()
            self._fit_offers()
        else:
            self.offers.hide()
            self._set_crowded(False)
        self.ending.setVisible(ended)
        # Centre the ending in the column the choices leave empty.
        self._right_layout.setStretch(self._ending_top, 1 if ended else 0)
        self._right_layout.setStretch(self._ending_bottom, 2 if ended else 0)
        if ended:
            end = session.ending
            # Green only for what the skill earns: never for caving or a thin deal.
            good = end.good
            self.ending.setProperty("role", "banner" if good else "banner-bad")
            self.ending.style().unpolish(self.ending)
            self.ending.style().polish(self.ending)
            self.ending_title.setText(end.title)
            self.ending_text.setText(end.text)
            self.ending_facts.setText(_facts(session))
            self._fit_ending()
            self.debrief_button.setFocus()
        self._show_saved()

    def _show_saved(self) -> None:
        saved = "All turns saved" if not self.live.unsaved else ""
        if self.saved_label.text() != saved:  # setText lays the header out again
            self.saved_label.setText(saved)

    def _build_choices(self, session: Any) -> None:
        """Show the choices, by group in coach mode.

        The buttons are a pool kept from turn to turn, each group's in its own
        section: a turn sets their words and hides what is left over, so nothing
        is created or re-laid out (building widgets was most of a turn's time).
        """
        choices = session.choices
        coach = self.coach_button.isChecked()
        numbers = {c.id: k for k, c in enumerate(choices, 1)}
        # Without coach mode: one flat list in the engine's order, so nothing on
        # screen hints which kind of move a line is. Coach mode groups by kind.
        members: dict[str, list[Any]] = {g: [] for g in self._sections}
        for ch in choices:
            members["" if not coach else ch.group if ch.group in members else ""].append(ch)
        shown = tuple((numbers[c.id], c) for c in choices) + (coach,)
        if shown != self._shown_choices:
            # A tooltip names what was under the mouse: it must not outlive the list.
            QToolTip.hideText()
            self._shown_choices = shown
        self.buttons = []
        self.numbered = {}
        # Updates stay on: a change only marks what to paint, and the window paints it
        # all at once; turning them off and on again went through every widget in the
        # list and repainted all of it, unchanged parts too.
        for group, section in self._sections.items():
            placed = section.show_choices(
                [(ch, numbers[ch.id]) for ch in members[group]], coach, self._new_button
            )
            self.buttons.extend(placed)
        for b in self.buttons:
            if b.available and b.number is not None and b.number <= 9:
                self.numbered[b.number] = b
        # Tab order follows reading order (a pooled button may be older than its neighbours).
        for prev, b in zip(self.buttons, self.buttons[1:], strict=False):
            QWidget.setTabOrder(prev, b)

    def _new_button(self, choice: Any, number: int, coach: bool) -> ChoiceButton:
        button = ChoiceButton(choice, number, coach)
        button.clicked.connect(lambda _=False, b=button: self.choose(b.choice.id))
        return button

    def _focus_first_choice(self) -> None:
        if self.live is None or self.live.session.ended:
            return
        first = self.numbered.get(1)
        if self.own_words_mode and not self.show_choices_button.isChecked():
            if self.isVisible():
                self.own.edit.setFocus(Qt.FocusReason.OtherFocusReason)
        elif first is not None and self.isVisible():
            first.setFocus(Qt.FocusReason.OtherFocusReason)

    # -- coach mode ----------------------------------------------------------------------
    def set_round(self, on: bool) -> None:
        """A workshop round begins or ends (see _round_coach)."""
        if on:
            self._round_coach = self.services.settings.coach
        else:
            self._round_coach = None
            self.coach_button.setChecked(self.services.settings.coach)

    def _coach_toggled(self, on: bool) -> None:
        if self._round_coach is None:
            self.services.settings.set("coach", on)
        self.coach.setVisible(on)
        if on and self.live is not None:
            self.coach.show_state(self.live.session)
        self.transcript.set_coach(on)
        for b in self.buttons:
            b.set_coach(on)
        if self.live is not None and not self.live.session.ended:
            self._build_choices(self.live.session)  # grouping follows coach mode

    def _on_setting(self, key: str) -> None:
        if key == "coach" and self.coach_button.isChecked() != self.services.settings.coach:
            self.coach_button.setChecked(self.services.settings.coach)
        if key == "own_words" and self.live is not None:
            self._refresh()
        if key in ("theme", "text_size"):
            # After the main window has applied the new theme (it hears this later).
            QTimer.singleShot(0, self._restyle)

    def _restyle(self) -> None:
        self.transcript.rebuild()
        if self.live is not None:
            self.coach.show_state(self.live.session)
