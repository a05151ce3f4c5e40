"""The room's charts, painted with QPainter so they scale with the text.

The presenter view paints them on screen and the workshop report into images:
one drawing for both. Each function takes a painter, a rectangle and plain
data, and draws text only with ``drawText`` (never rich text).
"""

from __future__ import annotations

import math
from collections.abc import Sequence

from PySide6.QtCore import QPointF, QRectF, Qt
from PySide6.QtGui import QColor, QFont, QFontMetricsF, QPainter, QPainterPath, QPen

# Outcome colours, best to worst; readable on light and dark and by most
# colour-blind viewers (a blue-orange scale, never red against green alone).
OUTCOME_COLOURS = {
    "Good deal": "#1b6fb3",
    "Fair deal": "#5fa2d6",
    "Poor deal": "#a9cbe8",
    "Caved": "#c98a3a",
    "Deal": "#5fa2d6",
    "Agreement": "#5fa2d6",
    "Impasse": "#e8a35a",
    "Walk-out": "#c4581c",
    "Stopped": "#9a9a9a",
    "Unfinished": "#c8c8c8",
}
BEST, WORST, OTHER = QColor("#1b6fb3"), QColor("#c4581c"), QColor(120, 120, 120, 170)


def _text_pen(fg: QColor) -> QPen:
    return QPen(fg)


def outcome_bars(
    p: QPainter, rect: QRectF, outcomes: Sequence[tuple[str, int]], fg: QColor
) -> None:
    """One horizontal bar per outcome, its count written at the end."""
    if not outcomes:
        _empty(p, rect, fg, "No finished sessions yet")
        return
    fm = QFontMetricsF(p.font())
    label_w = max(fm.horizontalAdvance(o) for o, _ in outcomes) + fm.height()
    count_w = fm.horizontalAdvance("0000")
    row_h = min(fm.height() * 3, rect.height() / len(outcomes))
    top = max(1, max(n for _, n in outcomes))
    bar_w = max(10.0, rect.width() - label_w - count_w)
    for i, (label, n) in enumerate(outcomes):
        y = rect.top() + i * row_h
        p.setPen(_text_pen(fg))
        p.drawText(
            QRectF(rect.left(), y, label_w, row_h),
            Qt.AlignmentFlag.AlignVCenter | Qt.AlignmentFlag.AlignLeft,
            label,
        )
        w = bar_w * n / top
        p.fillRect(
            QRectF(rect.left() + label_w, y + row_h * 0.18, w, row_h * 0.64),
            QColor(OUTCOME_COLOURS.get(label, "#888888")),
        )
        p.drawText(
            QRectF(rect.left() + label_w + w + fm.height() * 0.3, y, count_w, row_h),
            Qt.AlignmentFlag.AlignVCenter | Qt.AlignmentFlag.AlignLeft,
            str(n),
        )


def trust_curves(
    p: QPainter,
    rect: QRectF,
    curves: Sequence[Sequence[float]],
    fg: QColor,
    best: int | None = None,
    worst: int | None = None,
) -> None:
    """Every session's trust over its turns, overlaid; best and worst drawn on top."""
    if not curves:
        _empty(p, rect, fg, "No finished sessions yet")
        return
    fm = QFontMetricsF(p.font())
    left = fm.horizontalAdvance("100") + fm.height() * 0.6
    bottom = fm.height() * 1.4
    plot = QRectF(
        rect.left() + left,
        rect.top() + fm.height() * 0.5,
        rect.width() - left - fm.height() * 0.5,
        rect.height() - bottom - fm.height() * 0.5,
    )
    turns = max(1, max(len(c) for c in curves) - 1)
    p.setPen(QPen(QColor(fg.red(), fg.green(), fg.blue(), 70), 1))
    for v in (0, 25, 50, 75, 100):
        y = plot.bottom() - plot.height() * v / 100
        p.drawLine(QPointF(plot.left(), y), QPointF(plot.right(), y))
    p.setPen(_text_pen(fg))
    for v in (0, 50, 100):
        y = plot.bottom() - plot.height() * v / 100
        p.drawText(
            QRectF(rect.left(), y - fm.height() / 2, left - fm.height() * 0.3, fm.height()),
            Qt.AlignmentFlag.AlignRight | Qt.AlignmentFlag.AlignVCenter,
            str(v),
        )
    # Turn numbers spaced so that no two touch, whatever the font size.
    label_w = fm.horizontalAdvance(str(turns)) * 2.2
    step = max(1, math.ceil(turns * label_w / max(1.0, plot.width())))
    for t in range(0, turns + 1, step):
        x = plot.left() + plot.width() * t / turns
        p.drawText(
            QRectF(x - label_w / 2, plot.bottom() + 2, label_w, fm.height() * 1.3),
            Qt.AlignmentFlag.AlignCenter,
            str(t),
        )
    p.setRenderHint(QPainter.RenderHint.Antialiasing, True)

    def path(curve: Sequence[float]) -> QPainterPath:
        out = QPainterPath()
        for t, v in enumerate(curve):
            pt = QPointF(
                plot.left() + plot.width() * t / turns,
                plot.bottom() - plot.height() * max(0.0, min(100.0, v)) / 100,
            )
            if t:
                out.lineTo(pt)
            else:
                out.moveTo(pt)
        return out

    p.setPen(QPen(OTHER, max(1.5, fm.height() / 10)))
    for i, c in enumerate(curves):
        if i not in (best, worst):
            p.drawPath(path(c))
    for i, colour in ((worst, WORST), (best, BEST)):
        if i is not None and 0 <= i < len(curves):
            p.setPen(QPen(colour, max(3.0, fm.height() / 5)))
            p.drawPath(path(curves[i]))


def choice_bars(p: QPainter, rect: QRectF, counts: Sequence[tuple[str, int]], fg: QColor) -> float:
    """What the room said at one decision point: a bar under each choice's words.

    Returns the height used, so callers can stack decision points.
    """
    fm = QFontMetricsF(p.font())
    total = max(1, sum(n for _, n in counts))
    y = rect.top()
    count_w = fm.horizontalAdvance("100%  (000)")
    for label, n in counts:
        text_rect = QRectF(rect.left(), y, rect.width() - count_w, fm.height() * 3)
        bound = p.boundingRect(text_rect, int(Qt.TextFlag.TextWordWrap), label)
        p.setPen(_text_pen(fg))
        p.drawText(text_rect, int(Qt.TextFlag.TextWordWrap), label)
        p.drawText(
            QRectF(rect.right() - count_w, y, count_w, fm.height()),
            Qt.AlignmentFlag.AlignRight,
            f"{n / total:.0%}  ({n})",
        )
        y += bound.height() + 2
        p.fillRect(
            QRectF(rect.left(), y, (rect.width() - count_w) * n / total, fm.height() * 0.45), BEST
        )
        y += fm.height() * 0.9
    return y - rect.top()


def _empty(p: QPainter, rect: QRectF, fg: QColor, text: str) -> None:
    p.setPen(_text_pen(fg))
    p.drawText(rect, Qt.AlignmentFlag.AlignCenter, text)


def scaled_font(base: QFont, factor: float) -> QFont:
    f = QFont(base)
    f.setPointSizeF(max(6.0, base.pointSizeF() * factor))
    return f
