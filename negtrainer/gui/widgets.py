"""Small builders the views share: a themed label, a card, a scrolling page.

The role property picks the label's or frame's look from the theme's style
sheet (``h1``, ``muted``, ``card``, ...), so the views never set fonts or colours.
"""

from __future__ import annotations

import html

from PySide6.QtCore import Qt
from PySide6.QtGui import Qt as QtGui
from PySide6.QtWidgets import QFrame, QLabel, QScrollArea, QVBoxLayout, QWidget


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
