"""Looks: light, dark and high-contrast themes, and text that scales.

A theme is ``assets/style/<name>.qss``: a header of colour tokens
(``@window: #F3F4F6;``) and any rules of its own. They fill the shared
``assets/style/base.qss`` (whose ``@tokens`` they replace) and a QPalette, so
native parts that style sheets do not reach (tool tips, dialogs, menus) match.
Font sizes in the style sheet are tokens too (``@fs``, ``@fs_h1``, ...),
computed from the text-size setting, so everything scales together: a projector
at 175 % and a laptop at 100 % use the same sheet.

Painted parts (library cards, transcript bubbles) read :func:`colors`.
Imports nothing heavy: the first window applies a theme before it shows.
"""

from __future__ import annotations

import re
from pathlib import Path
from typing import Any

from PySide6.QtGui import QColor, QFont, QIcon, QPalette
from PySide6.QtWidgets import QApplication

THEMES: dict[str, str] = {"light": "Light", "dark": "Dark", "high-contrast": "High contrast"}
DEFAULT_THEME = "light"
TEXT_SIZES: tuple[int, ...] = (90, 100, 115, 130, 150, 175, 200)
DEFAULT_TEXT_SIZE = 100
# The point size text-size 100 % means; platforms differ (9 pt on Windows,
# 10-11 on Linux desktops), this one reads well on a 13-15" laptop.
BASE_POINT_SIZE = 10.5

_TOKEN = re.compile(r"@([a-z][a-z0-9_]*)")
_DEFINE = re.compile(r"^\s*@([a-z][a-z0-9_]*)\s*:\s*([^;]+);", re.MULTILINE)

# Relative sizes of the font tokens, times the base point size.
FONT_STEPS: dict[str, float] = {
    "fs_small": 0.88,
    "fs": 1.0,
    "fs_large": 1.15,
    "fs_h3": 1.2,
    "fs_h2": 1.45,
    "fs_h1": 1.9,
    "fs_badge": 0.85,
}

_current: dict[str, str] = {}
_current_name = DEFAULT_THEME
_current_scale = DEFAULT_TEXT_SIZE


def style_dir() -> Path:
    # Avoid negtrainer.paths' importlib.resources fallback on the hot path; a
    # checkout and a wheel both keep the style sheets next to the package.
    from negtrainer.paths import assets_dir

    return assets_dir() / "style"


def icon_path(name: str) -> str:
    from negtrainer.paths import assets_dir

    return str(assets_dir() / "icons" / f"{name}.svg")


def normalize_theme(name: object) -> str:
    return name if isinstance(name, str) and name in THEMES else DEFAULT_THEME


def normalize_text_size(value: object) -> int:
    try:
        size = int(value)  # type: ignore[call-overload]
    except (TypeError, ValueError):
        return DEFAULT_TEXT_SIZE
    return min(TEXT_SIZES, key=lambda s: abs(s - size))


def read_theme(name: str) -> tuple[dict[str, str], str]:
    """The colour tokens and the extra rules of one theme file."""
    text = (style_dir() / f"{normalize_theme(name)}.qss").read_text(encoding="utf-8")
    tokens = {m.group(1): m.group(2).strip() for m in _DEFINE.finditer(text)}
    rules = _DEFINE.sub("", text)
    return tokens, rules


def point_size(scale: int) -> float:
    return BASE_POINT_SIZE * normalize_text_size(scale) / 100


def build_stylesheet(name: str, scale: int) -> tuple[str, dict[str, str]]:
    tokens, extra = read_theme(name)
    base = point_size(scale)
    for key, factor in FONT_STEPS.items():
        tokens[key] = f"{base * factor:.1f}pt"
    # Padding grows with the text so large text never crowds its box.
    unit = max(1, round(4 * normalize_text_size(scale) / 100))
    tokens["icons"] = (style_dir().parent / "icons").as_posix()
    for k in range(1, 7):
        tokens[f"pad{k}"] = f"{unit * k}px"
    box = round(16 * normalize_text_size(scale) / 100)
    tokens["ind"] = f"{box}px"
    tokens["ind_r"] = f"{box // 2 + 2}px"
    tokens["ind_dot"] = f"{max(4, box // 3)}px"
    sheet = (style_dir() / "base.qss").read_text(encoding="utf-8") + "\n" + extra

    def fill(match: re.Match[str]) -> str:
        return tokens.get(match.group(1), match.group(0))

    # Longest names first is implicit: the token pattern is greedy.
    return _TOKEN.sub(fill, sheet), tokens


def apply(app: QApplication, name: str = DEFAULT_THEME, scale: int = DEFAULT_TEXT_SIZE) -> None:
    """Style the whole application; cheap enough to call on every change."""
    global _current, _current_name, _current_scale
    name = normalize_theme(name)
    scale = normalize_text_size(scale)
    sheet, tokens = build_stylesheet(name, scale)
    _current, _current_name, _current_scale = tokens, name, scale
    font = QFont(app.font())
    font.setPointSizeF(point_size(scale))
    app.setFont(font)
    app.setPalette(_palette(tokens))
    app.setStyleSheet(sheet)
    _retint()


def colors() -> dict[str, str]:
    """The colour tokens of the theme in use (light before any is applied)."""
    global _current
    if not _current:
        _current = build_stylesheet(_current_name, _current_scale)[1]
    return dict(_current)


def color(token: str) -> QColor:
    return QColor(colors().get(token, "#FF00FF"))


def current() -> tuple[str, int]:
    return _current_name, _current_scale


def _palette(t: dict[str, str]) -> QPalette:
    p = QPalette()
    roles = {
        QPalette.ColorRole.Window: "window",
        QPalette.ColorRole.WindowText: "text",
        QPalette.ColorRole.Base: "surface",
        QPalette.ColorRole.AlternateBase: "surface_alt",
        QPalette.ColorRole.Text: "text",
        QPalette.ColorRole.Button: "surface",
        QPalette.ColorRole.ButtonText: "text",
        QPalette.ColorRole.ToolTipBase: "tooltip_bg",
        QPalette.ColorRole.ToolTipText: "tooltip_text",
        QPalette.ColorRole.Highlight: "accent",
        QPalette.ColorRole.HighlightedText: "on_accent",
        QPalette.ColorRole.Link: "link",
        QPalette.ColorRole.PlaceholderText: "muted",
        QPalette.ColorRole.BrightText: "on_accent",
    }
    for role, key in roles.items():
        p.setColor(role, QColor(t.get(key, "#FF00FF")))
    for role, key in (
        (QPalette.ColorRole.Text, "disabled"),
        (QPalette.ColorRole.WindowText, "disabled"),
        (QPalette.ColorRole.ButtonText, "disabled"),
    ):
        p.setColor(QPalette.ColorGroup.Disabled, role, QColor(t.get(key, "#888888")))
    return p


def icon(name: str, token: str = "text", checked_token: str | None = None, size: int = 48) -> QIcon:
    """An icon from ``assets/icons/<name>.svg`` drawn in a theme colour.

    The icons are line drawings in ``currentColor``; tinting them here lets one
    file serve every theme, and a checked state (the rail) gets its own colour.
    """
    try:
        svg = Path(icon_path(name)).read_text(encoding="utf-8")
    except OSError:
        return QIcon()
    result = QIcon()
    states = [(QIcon.State.Off, token)]
    if checked_token:
        states.append((QIcon.State.On, checked_token))
    for state, tok in states:
        result.addPixmap(_svg_pixmap(svg, colors().get(tok, tok), size), QIcon.Mode.Normal, state)
        if state == QIcon.State.Off and tok != "disabled":
            faded = _svg_pixmap(svg, colors().get("disabled", "#888888"), size)
            result.addPixmap(faded, QIcon.Mode.Disabled, state)
    return result


def _svg_pixmap(svg: str, colour: str, size: int) -> Any:
    """The SVG drawn in ``colour`` (for its ``currentColor``) on a clear square pixmap."""
    from PySide6.QtCore import QByteArray, Qt
    from PySide6.QtGui import QPainter, QPixmap
    from PySide6.QtSvg import QSvgRenderer

    renderer = QSvgRenderer(QByteArray(svg.replace("currentColor", colour).encode("utf-8")))
    pixmap = QPixmap(size, size)
    pixmap.fill(Qt.GlobalColor.transparent)
    painter = QPainter(pixmap)
    renderer.render(painter)
    painter.end()
    return pixmap


_tinted: list[tuple[Any, str, str, str | None]] = []


def set_icon(widget: Any, name: str, token: str = "text", checked_token: str | None = None) -> None:
    """Give a button a theme-coloured icon that follows later theme changes."""
    import weakref

    _apply_icon(widget, icon(name, token, checked_token))
    _tinted.append((weakref.ref(widget), name, token, checked_token))


def _retint() -> None:
    from shiboken6 import isValid

    alive = []
    for ref, name, token, checked in _tinted:
        widget = ref()
        if widget is None or not isValid(widget):
            continue
        _apply_icon(widget, icon(name, token, checked))
        alive.append((ref, name, token, checked))
    _tinted[:] = alive


def _apply_icon(widget: Any, ic: QIcon) -> None:
    if hasattr(widget, "setIcon"):
        widget.setIcon(ic)
    else:  # a QLabel showing an icon: as tall as a line of its text
        h = widget.fontMetrics().height()
        widget.setPixmap(ic.pixmap(h, h))


def app_icon() -> QIcon:
    return QIcon(icon_path("app"))
