"""Charts: trust over the turns of one session, and progress across sessions.

QtCharts is imported when a chart is first drawn, not when this module is
imported, so opening the program does not pay for it. Each chart is wrapped in
a plain widget that also carries a text summary as its accessible description:
a screen reader, or anyone who cannot read the colours, gets the same facts.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from PySide6.QtCore import QMargins, QPointF, Qt, Signal
from PySide6.QtGui import QColor, QFont, QPainter, QPalette, QPen
from PySide6.QtWidgets import QLabel, QSizePolicy, QVBoxLayout, QWidget

from negtrainer.gui.widgets import tip

TRUST_GOOD = 60  # the debrief's "good" mark for trust at the end


def _colour(token: str, fallback: str) -> QColor:
    """A colour of the theme in use (charts follow light, dark and high contrast)."""
    from negtrainer.gui import theme

    return QColor(theme.colors().get(token, fallback))


@dataclass(frozen=True)
class Mark:
    """A point on the trust curve worth pointing at (an interest revealed or hinted)."""

    turn: int
    kind: str  # reveal | hint
    label: str


def _is_dark(widget: QWidget) -> bool:
    return widget.palette().color(QPalette.ColorRole.Window).lightness() < 128


def _style_chart(chart, widget: QWidget) -> None:
    from PySide6.QtCharts import QChart

    chart.setTheme(
        QChart.ChartTheme.ChartThemeDark if _is_dark(widget) else QChart.ChartTheme.ChartThemeLight
    )
    chart.setBackgroundVisible(False)
    chart.setPlotAreaBackgroundVisible(False)
    chart.setMargins(QMargins(4, 4, 4, 4))
    chart.layout().setContentsMargins(0, 0, 0, 0)
    chart.setAnimationOptions(QChart.AnimationOption.NoAnimation)
    font = QFont(widget.font())
    chart.setTitleFont(font)
    chart.legend().setFont(font)
    chart.setTitleBrush(widget.palette().color(QPalette.ColorRole.WindowText))
    chart.legend().setLabelColor(widget.palette().color(QPalette.ColorRole.WindowText))


def _style_axis(axis, widget: QWidget, title: str) -> None:
    font = QFont(widget.font())
    small = QFont(font)
    small.setPointSizeF(max(7.0, font.pointSizeF() * 0.9))
    axis.setLabelsFont(small)
    axis.setTitleFont(small)
    axis.setTitleText(title)
    text = widget.palette().color(QPalette.ColorRole.WindowText)
    axis.setLabelsColor(text)
    axis.setTitleBrush(text)
    grid = QColor(text)
    grid.setAlpha(40)
    axis.setGridLineColor(grid)


def _axis(lo: float, hi: float, step: float, anchor: float = 0):
    """A value axis whose range has a little room round the points (so none is cut
    in half at the edge) while its ticks stay on round numbers."""
    from PySide6.QtCharts import QValueAxis

    axis = QValueAxis()
    axis.setRange(lo, hi)
    axis.setTickType(QValueAxis.TickType.TicksDynamic)
    axis.setTickAnchor(anchor)
    axis.setTickInterval(step)
    axis.setLabelFormat("%d")
    return axis


def _view(chart):
    from PySide6.QtCharts import QChartView

    view = QChartView(chart)
    view.setRenderHint(QPainter.RenderHint.Antialiasing)
    view.setFocusPolicy(Qt.FocusPolicy.NoFocus)
    # The card behind shows through, in every theme.
    view.setStyleSheet("background: transparent; border: none;")
    view.setBackgroundBrush(QColor(0, 0, 0, 0))
    return view


class TrustChart(QWidget):
    """Trust after each turn, with reveals and hints marked; click a point to pick a turn."""

    turn_clicked = Signal(int)

    def __init__(self, parent: QWidget | None = None, *, compact: bool = False):
        super().__init__(parent)
        self.compact = compact  # no legend, no axis titles: for narrow panels
        self.setObjectName("trustChart")
        self.setAccessibleName("Trust over the turns")
        self.setSizePolicy(QSizePolicy.Policy.Expanding, QSizePolicy.Policy.Expanding)
        self.setMinimumHeight(self.fontMetrics().height() * 12)
        self._layout = QVBoxLayout(self)
        self._layout.setContentsMargins(0, 0, 0, 0)
        self._view = None
        self._marker = None
        self._curve: list[float] = []
        self._marks: list[Mark] = []
        self.summary = ""

    def set_curve(self, curve: list[float], marks: list[Mark] | None = None) -> None:
        from PySide6.QtCharts import QChart, QLineSeries, QScatterSeries

        self._curve = list(curve)
        self._marks = list(marks or [])
        chart = QChart()
        _style_chart(chart, self)
        line = QLineSeries()
        line.setName("Trust")
        pen = QPen(_colour("accent", "#2457C5"), 3)
        line.setPen(pen)
        line.setPointsVisible(True)
        for t, v in enumerate(curve):
            line.append(QPointF(t, v))
        line.clicked.connect(self._clicked)
        good = QLineSeries()
        good.setName(f"Good: {TRUST_GOOD}+")  # short: legends elide at large text
        dashed = QPen(_colour("muted", "#5A6474"), 1.5, Qt.PenStyle.DashLine)
        good.setPen(dashed)
        last = max(1, len(curve) - 1)
        good.append(0, TRUST_GOOD)
        good.append(last, TRUST_GOOD)
        chart.addSeries(good)
        chart.addSeries(line)
        scatters = []
        star = QScatterSeries.MarkerShape.MarkerShapeStar
        triangle = QScatterSeries.MarkerShape.MarkerShapeTriangle
        for kind, colour, name, shape in (
            ("reveal", _colour("success", "#1E7A45"), "Revealed", star),
            ("hint", _colour("warning", "#C27803"), "Hint", triangle),
        ):
            pts = [m for m in self._marks if m.kind == kind and 0 <= m.turn < len(curve)]
            if not pts:
                continue
            s = QScatterSeries()
            s.setName(name)
            s.setMarkerShape(shape)
            s.setMarkerSize(self.fontMetrics().height() * 1.1)
            s.setColor(colour)
            s.setBorderColor(colour)
            for m in pts:
                s.append(QPointF(m.turn, curve[m.turn]))
            s.clicked.connect(self._clicked)
            chart.addSeries(s)
            scatters.append(s)
        self._marker = QLineSeries()
        self._marker.setName("This turn")
        self._marker.setPen(QPen(_colour("focus", "#F29D0C"), 2))
        chart.addSeries(self._marker)
        ax = _axis(-0.3, last + 0.3, max(1, -(-last // 12)))
        self._ax, self._last = ax, last
        ay = _axis(0, 104, 20)
        _style_axis(ax, self, "Turn")
        _style_axis(ay, self, "Trust")
        chart.addAxis(ax, Qt.AlignmentFlag.AlignBottom)
        chart.addAxis(ay, Qt.AlignmentFlag.AlignLeft)
        for s in [good, line, *scatters, self._marker]:
            s.attachAxis(ax)
            s.attachAxis(ay)
        chart.legend().setAlignment(Qt.AlignmentFlag.AlignBottom)
        chart.legend().markers(self._marker)[0].setVisible(False)
        if self.compact:
            chart.legend().hide()
            ax.setTitleText("")
            ay.setTitleText("")
        view = _view(chart)
        if self._view is not None:
            self._layout.removeWidget(self._view)
            self._view.deleteLater()
        self._view = view
        self._layout.addWidget(view)
        self._fit_ticks()
        self.summary = self._describe()
        self.setAccessibleDescription(self.summary)
        self.setToolTip(tip(self.summary))

    def _fit_ticks(self) -> None:
        """Turn numbers far enough apart to be read whole: at large text or in a
        narrow panel, every second or third turn rather than "… … …"."""
        ax = getattr(self, "_ax", None)
        if ax is None:
            return
        fm = self.fontMetrics()
        label = fm.horizontalAdvance(str(self._last)) + fm.height()
        plot = max(1, self.width() - fm.height() * 4)
        ax.setTickInterval(max(1, -(-self._last // 12), -(-(self._last + 1) * label // plot)))

    def resizeEvent(self, event: Any) -> None:
        super().resizeEvent(event)
        self._fit_ticks()

    @property
    def curve(self) -> list[float]:
        return list(self._curve)

    @property
    def marks(self) -> list[Mark]:
        return list(self._marks)

    def set_marker(self, turn: int | None) -> None:
        """Draw a vertical line at ``turn`` (the replay's current turn)."""
        if self._marker is None:
            return
        self._marker.clear()
        if turn is not None and 0 <= turn < len(self._curve):
            self._marker.append(turn, 0)
            self._marker.append(turn, 100)

    def _clicked(self, point: QPointF) -> None:
        turn = round(point.x())
        if 0 <= turn < len(self._curve):
            self.turn_clicked.emit(turn)

    def _describe(self) -> str:
        c = self._curve
        if not c:
            return "No turns yet."
        text = (
            f"Trust started at {c[0]:.0f} and ended at {c[-1]:.0f}; lowest {min(c):.0f} "
            f"at turn {c.index(min(c))}, highest {max(c):.0f} at turn {c.index(max(c))}."
        )
        reveals = [m for m in self._marks if m.kind == "reveal"]
        if reveals:
            text += " Revealed: " + "; ".join(f"turn {m.turn}, {m.label}" for m in reveals) + "."
        return text


class ProgressChart(QWidget):
    """One measure across a learner's sessions, oldest first, 0–100."""

    def __init__(self, title: str, unit: str = "%", parent: QWidget | None = None):
        super().__init__(parent)
        self.setObjectName("progressChart")
        self.title = title
        self.unit = unit
        self.setAccessibleName(f"Progress: {title}")
        self.setMinimumHeight(self.fontMetrics().height() * 11)
        self._layout = QVBoxLayout(self)
        self._layout.setContentsMargins(0, 0, 0, 0)
        self._empty = QLabel("Finish a session to see your progress here.")
        self._empty.setWordWrap(True)
        self._empty.setAlignment(Qt.AlignmentFlag.AlignCenter)
        self._layout.addWidget(self._empty)
        self._view = None
        self.values: list[float | None] = []
        self.summary = ""

    def set_values(self, values: list[float | None]) -> None:
        """``values`` oldest first; None where a session has no such figure."""
        from PySide6.QtCharts import QChart, QLineSeries

        self.values = list(values)
        points = [(i + 1, v) for i, v in enumerate(values) if v is not None]
        if self._view is not None:
            self._layout.removeWidget(self._view)
            self._view.deleteLater()
            self._view = None
        self._empty.setVisible(not points)
        if not points:
            self.summary = f"{self.title}: no finished sessions yet."
            self.setAccessibleDescription(self.summary)
            return
        chart = QChart()
        _style_chart(chart, self)
        chart.setTitle(self.title)
        chart.legend().hide()
        s = QLineSeries()
        s.setPen(QPen(_colour("accent", "#2457C5"), 2.5))
        s.setPointsVisible(True)
        for x, v in points:
            s.append(QPointF(x, v))
        chart.addSeries(s)
        n = max(2, len(values))
        ax = _axis(0.6, n + 0.4, max(1, -(-n // 8)), anchor=1)
        ay = _axis(0, 106, 25)
        ay.setLabelFormat("%d" + ("%%" if self.unit == "%" else ""))
        _style_axis(ax, self, "Session")
        _style_axis(ay, self, "")
        chart.addAxis(ax, Qt.AlignmentFlag.AlignBottom)
        chart.addAxis(ay, Qt.AlignmentFlag.AlignLeft)
        s.attachAxis(ax)
        s.attachAxis(ay)
        view = _view(chart)
        self._view = view
        self._layout.addWidget(view)
        first, last = points[0][1], points[-1][1]
        self.summary = (
            f"{self.title}: {len(points)} sessions, first {first:.0f}{self.unit}, "
            f"latest {last:.0f}{self.unit}."
        )
        self.setAccessibleDescription(self.summary)
        self.setToolTip(tip(self.summary))
