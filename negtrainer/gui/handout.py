"""The debrief as a printed A4 handout, drawn with QPainter from the document model.

Drawing the blocks ourselves (rather than laying out HTML) keeps words whole,
table headers horizontal and turn numbers together, puts the trust chart on
the page, and fits a session's debrief on two pages in readable type.
"""

from __future__ import annotations

import itertools
from pathlib import Path

from PySide6.QtCore import QPointF, QRectF, Qt
from PySide6.QtGui import (
    QColor,
    QFont,
    QFontMetricsF,
    QPainter,
    QPdfWriter,
    QPen,
)

from negtrainer.document import Bullets, Chart, Document, Heading, PageBreak, Para, Table
from negtrainer.gui.pdfwriter import a4_writer

DPI = 300
MM = DPI / 25.4
RATING_COLOUR = {"good": "#1b7f3b", "fair": "#9a6a00", "poor": "#b3261e", "n/a": "#555555"}
WRAP = (
    int(Qt.TextFlag.TextWordWrap) | int(Qt.AlignmentFlag.AlignLeft) | int(Qt.AlignmentFlag.AlignTop)
)


class _Pen:
    """Where the next block goes, and a new page when it does not fit."""

    def __init__(self, writer: QPdfWriter, painter: QPainter):
        self.writer = writer
        self.p = painter
        rect = writer.pageLayout().paintRectPixels(DPI)
        self.left, self.top = 0.0, 0.0
        self.width, self.height = float(rect.width()), float(rect.height())
        self.y = 0.0
        self.pages = 1

    def need(self, h: float) -> None:
        if self.y + h > self.height and self.y > 0:
            self.new_page()

    def new_page(self) -> None:
        self.writer.newPage()
        self.pages += 1
        self.y = 0.0


def _font(pt: float, bold: bool = False, italic: bool = False) -> QFont:
    f = QFont("DejaVu Sans")
    f.setPointSizeF(pt)
    f.setBold(bold)
    f.setItalic(italic)
    return f


def _text(
    pen: _Pen,
    text: str,
    font: QFont,
    x: float,
    width: float,
    colour: str = "#111111",
    gap: float = 1.2 * MM,
) -> None:
    pen.p.setFont(font)
    rect = QFontMetricsF(font, pen.writer).boundingRect(QRectF(0, 0, width, 10**6), WRAP, text)
    pen.need(rect.height())
    pen.p.setPen(QColor(colour))
    pen.p.drawText(QRectF(x, pen.y, width, rect.height() + 2), WRAP, text)
    pen.y += rect.height() + gap


def _table(pen: _Pen, t: Table) -> None:
    body, head = _font(8.5), _font(8.5, bold=True)
    widths = [w * pen.width for w in t.widths]
    pad = 1.2 * MM

    def heights(cells: list[str], font: QFont) -> float:
        fm = QFontMetricsF(font, pen.writer)
        return (
            max(
                fm.boundingRect(QRectF(0, 0, w - 2 * pad, 10**6), WRAP, c).height()
                for c, w in zip(cells, widths)
            )
            + 2 * pad
        )

    def row(cells: list[str], font: QFont, colour: str | None, shade: bool) -> None:
        h = heights(cells, font)
        pen.need(h)
        x = pen.left
        if shade:
            pen.p.fillRect(QRectF(x, pen.y, pen.width, h), QColor("#eeeeee"))
        pen.p.setFont(font)
        for k, (c, w) in enumerate(zip(cells, widths)):
            last = k == len(cells) - 1
            pen.p.setPen(QColor(colour if (last and colour) else "#111111"))
            pen.p.drawText(QRectF(x + pad, pen.y + pad, w - 2 * pad, h), WRAP, c)
            x += w
        pen.p.setPen(QPen(QColor("#cccccc"), 0.2 * MM))
        pen.p.drawLine(QPointF(pen.left, pen.y + h), QPointF(pen.left + pen.width, pen.y + h))
        pen.y += h

    row(t.headers, head, None, True)
    for k, cells in enumerate(t.rows):
        rating = t.ratings[k] if k < len(t.ratings) else ""
        row(cells, body, RATING_COLOUR.get(rating), False)
    pen.y += 2 * MM


def _chart(pen: _Pen, c: Chart) -> None:
    h = 45 * MM
    _text(pen, c.title, _font(10, bold=True), pen.left, pen.width)
    pen.need(h + 8 * MM)
    p = pen.p
    x0, y0 = pen.left + 10 * MM, pen.y
    w, hh = pen.width - 12 * MM, h
    small = _font(7.5)
    p.setFont(small)
    p.setPen(QPen(QColor("#888888"), 0.2 * MM))
    for v in (0, 25, 50, 75, 100):
        y = y0 + hh - v / 100 * hh
        p.drawLine(QPointF(x0, y), QPointF(x0 + w, y))
        p.drawText(
            QRectF(pen.left, y - 2 * MM, 9 * MM, 4 * MM),
            int(Qt.AlignmentFlag.AlignRight | Qt.AlignmentFlag.AlignVCenter),
            str(v),
        )
    n = max(1, len(c.values) - 1)
    step = max(1, round(n / 12))
    for k in range(0, len(c.values), step):
        x = x0 + k / n * w
        p.drawText(
            QRectF(x - 4 * MM, y0 + hh + 0.5 * MM, 8 * MM, 4 * MM),
            int(Qt.AlignmentFlag.AlignHCenter),
            str(k),
        )
    p.setPen(QPen(QColor("#1f5fa8"), 0.6 * MM))
    pts = [QPointF(x0 + k / n * w, y0 + hh - v / 100 * hh) for k, v in enumerate(c.values)]
    for a, b in itertools.pairwise(pts):
        p.drawLine(a, b)
    # Reveals as numbered lines, named in a legend under the chart (labels never overlap).
    p.setPen(QPen(QColor("#1b7f3b"), 0.4 * MM))
    p.setFont(_font(7.5, bold=True))
    legend = []
    for k, (turn, label) in enumerate(c.marks, 1):
        if 0 <= turn < len(c.values):
            x = x0 + turn / n * w
            p.drawLine(QPointF(x, y0 + 4 * MM), QPointF(x, y0 + hh))
            p.drawText(
                QRectF(x - 3 * MM, y0, 6 * MM, 4 * MM), int(Qt.AlignmentFlag.AlignHCenter), str(k)
            )
            legend.append(f"{k}: turn {turn}, {label}")
    pen.y += hh + 7 * MM
    if legend:
        _text(
            pen,
            "Uncovered — " + ";  ".join(legend),
            _font(7.5),
            10 * MM,
            pen.width - 10 * MM,
            "#1b7f3b",
        )


def write_handout(doc: Document, path: str | Path) -> tuple[Path, int]:
    """Write the handout; returns the path and the number of pages."""
    path = Path(path)
    writer = a4_writer(str(path), doc.title, (15, 14, 15, 14), DPI)
    painter = QPainter(writer)
    try:
        pen = _Pen(writer, painter)
        _text(pen, doc.title, _font(15, bold=True), 0, pen.width)
        _text(pen, doc.subtitle, _font(9), 0, pen.width, "#555555", 3 * MM)
        for b in doc.blocks:
            if isinstance(b, Heading):
                pen.need(14 * MM)  # never a heading alone at the foot of a page
                _text(
                    pen,
                    b.text,
                    _font(12 if b.level <= 2 else 10.5, bold=True),
                    0,
                    pen.width,
                    gap=1.5 * MM,
                )
            elif isinstance(b, Para):
                font = {
                    "verdict": _font(10.5, bold=True),
                    "strong": _font(9.5, bold=True),
                    "quote": _font(9, italic=True),
                    "small": _font(8.5),
                }.get(b.role, _font(9.5))
                indent = 4 * MM if b.role in ("quote", "small") else 0
                _text(pen, b.text, font, indent, pen.width - indent)
            elif isinstance(b, Bullets):
                for item in b.items:
                    _text(pen, "•  " + item, _font(9), 3 * MM, pen.width - 3 * MM, gap=0.6 * MM)
                pen.y += 1.5 * MM
            elif isinstance(b, Table):
                _table(pen, b)
            elif isinstance(b, Chart):
                _chart(pen, b)
            elif isinstance(b, PageBreak):
                pen.new_page()
        pages = pen.pages
    finally:
        painter.end()
    return path, pages
