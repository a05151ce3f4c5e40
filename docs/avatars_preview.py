"""Render a preview grid of the counterpart avatars: every mood for a few looks.

    python docs/avatars_preview.py /tmp/avatars.png [--size 160]

Columns are the moods (warm ... angry); rows are three sample looks, first on a
light window background, then again on a dark one, to check that the faces and
the background disc read well in both themes. Runs without a display (offscreen
Qt).
"""

from __future__ import annotations

import argparse
import os
import sys

os.environ.setdefault("QT_QPA_PLATFORM", "offscreen")

from PySide6.QtCore import QByteArray, QRectF, Qt
from PySide6.QtGui import QColor, QFont, QGuiApplication, QImage, QPainter
from PySide6.QtSvg import QSvgRenderer

from negtrainer.engine.look import MOODS
from negtrainer.gui.avatar import avatar_svg

SAMPLE_LOOKS: list[tuple[str, dict[str, str]]] = [
    (
        "Dana (bun, round glasses)",
        {
            "hair": "bun",
            "hair_color": "black",
            "skin": "brown",
            "clothing": "blazer",
            "clothing_color": "navy",
            "accessory": "round_glasses",
        },
    ),
    (
        "Marek (balding, beard)",
        {
            "hair": "balding",
            "hair_color": "grey",
            "skin": "pale",
            "clothing": "suit",
            "clothing_color": "charcoal",
            "facial_hair": "beard",
        },
    ),
    (
        "Priya (long hair)",
        {
            "hair": "long",
            "hair_color": "dark_brown",
            "skin": "tan",
            "clothing": "sweater",
            "clothing_color": "pastel_green",
        },
    ),
]

THEMES = [("light", "#F5F5F5", "#202020"), ("dark", "#2B2B2B", "#E8E8E8")]


def render_grid(path: str, size: int = 160) -> None:
    _app = QGuiApplication.instance() or QGuiApplication(sys.argv[:1])
    label_w, header_h, caption_h, pad = 190, 28, 22, 10
    cell_w, cell_h = size + pad, size + caption_h + pad
    rows = len(SAMPLE_LOOKS) * len(THEMES)
    width = label_w + cell_w * len(MOODS)
    height = header_h + cell_h * rows
    image = QImage(width, height, QImage.Format.Format_ARGB32)
    image.fill(QColor(THEMES[0][1]))
    painter = QPainter(image)
    painter.setRenderHint(QPainter.RenderHint.Antialiasing)
    font = QFont()
    font.setPointSize(10)
    painter.setFont(font)
    painter.setPen(QColor(THEMES[0][2]))
    for col, mood in enumerate(MOODS):
        x = label_w + col * cell_w
        painter.drawText(QRectF(x, 0, cell_w, header_h), Qt.AlignmentFlag.AlignCenter, mood)
    row = 0
    for theme, bg, fg in THEMES:
        for name, look in SAMPLE_LOOKS:
            y = header_h + row * cell_h
            painter.fillRect(QRectF(0, y, width, cell_h), QColor(bg))
            painter.setPen(QColor(fg))
            painter.drawText(
                QRectF(8, y, label_w - 8, size),
                Qt.AlignmentFlag.AlignVCenter | Qt.AlignmentFlag.AlignLeft,
                f"{name}\n[{theme} theme]",
            )
            for col, mood in enumerate(MOODS):
                renderer = QSvgRenderer(QByteArray(avatar_svg(look, mood).encode("utf-8")))
                if not renderer.isValid():
                    raise SystemExit(f"invalid SVG for {name} / {mood}")
                box = renderer.viewBoxF()
                scale = size / max(box.width(), box.height())
                w, h = box.width() * scale, box.height() * scale
                x = label_w + col * cell_w + (cell_w - w) / 2
                renderer.render(painter, QRectF(x, y + pad / 2, w, h))
                painter.drawText(
                    QRectF(label_w + col * cell_w, y + size + pad / 2, cell_w, caption_h),
                    Qt.AlignmentFlag.AlignCenter,
                    mood,
                )
            row += 1
    painter.end()
    if not image.save(path):
        raise SystemExit(f"could not write {path}")


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("output", help="where to write the PNG")
    parser.add_argument("--size", type=int, default=160, help="avatar height in pixels")
    args = parser.parse_args(argv)
    render_grid(args.output, args.size)
    print(args.output)
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
