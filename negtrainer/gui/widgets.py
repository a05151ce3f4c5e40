"""Small builders the views share: a themed label, a card, a scrolling page.

The role property picks the label's or frame's look from the theme's style
sheet (``h1``, ``muted``, ``card``, ...), so the views never set fonts or colours.
"""

from __future__ import annotations

import html
import math
from typing import Any

from PySide6.QtCore import QEvent, QPointF, QSize, Qt
from PySide6.QtGui import QColor, QPainter, QTextCharFormat, QTextLayout, QTextOption
from PySide6.QtGui import Qt as QtGui
from PySide6.QtWidgets import QFrame, QLabel, QScrollArea, QSizePolicy, QVBoxLayout, QWidget


def esc(text: object) -> str:
    """Data made safe inside rich text that is ours: its markup shows as typed."""
    return html.escape(str(text), quote=True)


def tip(text: object) -> str:
    """A tooltip that shows data as typed. Qt reads a tooltip as rich text when it
    looks like markup, and offers no plain-text switch: such text is escaped."""
    text = str(text)
    if not QtGui.mightBeRichText(text):
        return text
    return "<p style='white-space:pre-wrap'>" + esc(text) + "</p>"


def plain(w: QLabel) -> QLabel:
    """Show the label's text as typed (data never becomes markup)."""
    w.setTextFormat(Qt.TextFormat.PlainText)
    return w


def set_text(w: QLabel, text: str) -> None:
    """``w.setText(text)`` unless it shows that already: new text, even the same,
    lays out and repaints the label (and a wrapped one, its parents)."""
    if w.text() != text:
        w.setText(text)


_RESIZING_CHANGES = (QEvent.Type.FontChange, QEvent.Type.StyleChange)


class WrapLabel(QLabel):
    """A word-wrapped plain-text label that remembers its height for a width.

    QLabel lays its words out again each time a layout asks (and a layout pass
    asks several times, for each wrapped label in it): on the play page that was
    a good part of every turn. Set the text format before the text.
    """

    def __init__(self, text: str = "", parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self._heights: dict[int, int] = {}
        self._least: QSize | None = None
        self.setTextFormat(Qt.TextFormat.PlainText)
        self.setWordWrap(True)
        super().setText(text)

    def setText(self, text: str) -> None:
        if text != self.text():
            self._heights.clear()
            self._least = None
            super().setText(text)

    def heightForWidth(self, width: int) -> int:
        height = self._heights.get(width)
        if height is None:
            if len(self._heights) > 8:  # widths come and go while a window is resized
                self._heights.clear()
            height = self._heights[width] = super().heightForWidth(width)
        return height

    def minimumSizeHint(self) -> QSize:
        # Near QLabel's: the longest word, one line. QLabel lays all the words out three
        # or more times for its size hints; measuring the word with most letters is
        # enough for a label the layout gives its width.
        if self._least is None:
            fm = self.fontMetrics()
            m = self.contentsMargins()
            extra = 2 * self.margin()
            longest = fm.horizontalAdvance(max(self.text().split() or [""], key=len))
            self._least = QSize(
                longest + m.left() + m.right() + extra, fm.height() + m.top() + m.bottom() + extra
            )
        return self._least

    def sizeHint(self) -> QSize:
        # About forty characters a line: the layout gives the label its width anyway.
        # The height is for the width it has once laid out (known, so no new layout).
        width = max(self.minimumSizeHint().width(), self.fontMetrics().averageCharWidth() * 40)
        laid = self.width() if self.width() >= self.minimumSizeHint().width() > 0 else width
        return QSize(width, self.heightForWidth(laid))

    def changeEvent(self, event: Any) -> None:
        if event.type() in _RESIZING_CHANGES:  # the words take another size
            self._heights.clear()
            self._least = None
        super().changeEvent(event)


class ColouredLines(QWidget):
    """Lines of plain text, parts of them in theme colours, wrapped to the width.

    Each line is a sequence of (text, colour token) runs; "" is the text colour.
    Drawn here rather than as a rich-text label: the text is never read as
    markup, and its height for a width is worked out once, not on every ask.
    """

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        policy = QSizePolicy(QSizePolicy.Policy.Preferred, QSizePolicy.Policy.Preferred)
        policy.setHeightForWidth(True)
        self.setSizePolicy(policy)
        self._lines: tuple[tuple[tuple[str, str], ...], ...] = ()
        # Laid out per width: a scroll area asks with and without its scroll bar.
        self._laid: dict[int, tuple[list[QTextLayout], int]] = {}

    def set_lines(self, lines: Any) -> None:
        lines = tuple(tuple(line) for line in lines)
        if lines == self._lines:
            return
        self._lines = lines
        self._forget()
        self.setAccessibleDescription(self.text())
        self.updateGeometry()
        self.update()

    def text(self) -> str:
        """What it says, a line to a line (for screen readers and tests)."""
        return "\n".join("".join(part for part, _ in line) for line in self._lines)

    def _forget(self) -> None:
        self._laid.clear()

    def _layout(self, width: int) -> tuple[list[QTextLayout], int]:
        laid = self._laid.get(width)
        if laid is not None:
            return laid
        from negtrainer.gui import theme

        colours = theme.colors()
        option = QTextOption()
        option.setWrapMode(QTextOption.WrapMode.WordWrap)
        layouts, y = [], 0.0
        for line in self._lines:
            layout = QTextLayout("".join(part for part, _ in line), self.font())
            layout.setTextOption(option)
            formats, start = [], 0
            for part, token in line:
                if token:
                    run = QTextLayout.FormatRange()
                    run.start, run.length = start, len(part)
                    run.format = QTextCharFormat()
                    run.format.setForeground(QColor(colours.get(token, "#FF00FF")))
                    formats.append(run)
                start += len(part)
            layout.setFormats(formats)
            layout.beginLayout()
            while True:
                text_line = layout.createLine()
                if not text_line.isValid():
                    break
                text_line.setLineWidth(max(1, width))
                text_line.setPosition(QPointF(0, y))
                y += text_line.height()
            layout.endLayout()
            layouts.append(layout)
        if len(self._laid) > 3:  # widths come and go while a window is resized
            self._laid.clear()
        laid = self._laid[width] = (layouts, math.ceil(y))
        return laid

    def hasHeightForWidth(self) -> bool:
        return True

    def heightForWidth(self, width: int) -> int:
        return self._layout(width)[1]

    def sizeHint(self) -> QSize:
        width = self.width() if self.width() > 0 else self.fontMetrics().averageCharWidth() * 30
        return QSize(width, self.heightForWidth(width))

    def minimumSizeHint(self) -> QSize:
        # As a wrapped label: as narrow as the layout needs, as tall as the words then are.
        return QSize(0, self.fontMetrics().height() if self._lines else 0)

    def paintEvent(self, event: Any) -> None:
        layouts, _ = self._layout(self.width())
        painter = QPainter(self)
        painter.setPen(self.palette().color(self.foregroundRole()))
        for layout in layouts:
            layout.draw(painter, QPointF(0, 0))
        painter.end()

    def changeEvent(self, event: Any) -> None:
        if event.type() in _RESIZING_CHANGES or event.type() == QEvent.Type.PaletteChange:
            self._forget()  # the colours are looked up when the lines are laid out
        super().changeEvent(event)


def label(
    text: str = "",
    role: str | None = None,
    *,
    wrap: bool = True,
    select: bool = False,
    plain: bool = True,
) -> QLabel:
    """A label styled by ``role``; ``plain`` shows the text as typed (no markup),
    ``select`` lets the mouse select it to copy."""
    w = QLabel(text)
    w.setWordWrap(wrap)
    if plain:
        w.setTextFormat(Qt.TextFormat.PlainText)
    if role:
        w.setProperty("role", role)
    if select:
        w.setTextInteractionFlags(Qt.TextInteractionFlag.TextSelectableByMouse)
    return w


def title_stack(
    title: str,
    sub: str = "",
    *,
    eyebrow: str | None = None,
    title_role: str = "h1",
    sub_role: str = "muted",
    spacing: int = 2,
    wrap: bool = True,
) -> tuple[QVBoxLayout, QLabel, QLabel]:
    """A page or panel heading: an optional eyebrow, a title and a line under it.

    Returns the layout, the title and the line, so the caller can fill them in later."""
    lay = QVBoxLayout()
    lay.setSpacing(spacing)
    if eyebrow is not None:
        lay.addWidget(label(eyebrow, "eyebrow", wrap=wrap))
    top = label(title, title_role, wrap=wrap)
    under = label(sub, sub_role, wrap=wrap)
    lay.addWidget(top)
    lay.addWidget(under)
    return lay, top, under


def card(title: str, parent: QWidget | None = None) -> tuple[QFrame, QVBoxLayout]:
    """A themed card with a heading; returns the frame and the layout to fill."""
    frame = QFrame(parent)
    frame.setProperty("role", "card")
    frame.setAccessibleName(title)
    lay = QVBoxLayout(frame)
    lay.setContentsMargins(18, 14, 18, 16)
    lay.setSpacing(8)
    if title:
        lay.addWidget(label(title, "h3"))
    return frame, lay


def scroll_page(page: QWidget, margins: tuple[int, int, int, int], spacing: int) -> QVBoxLayout:
    """Fill ``page`` with a frameless scroll area; return the layout of what scrolls."""
    outer = QVBoxLayout(page)
    outer.setContentsMargins(0, 0, 0, 0)
    scroll = QScrollArea()
    scroll.setWidgetResizable(True)
    scroll.setFrameShape(QFrame.Shape.NoFrame)
    outer.addWidget(scroll)
    body = QWidget()
    body.setObjectName("ScrollBody")
    scroll.setWidget(body)
    lay = QVBoxLayout(body)
    lay.setContentsMargins(*margins)
    lay.setSpacing(spacing)
    return lay
