"""Layouts that reflow instead of cutting words or scrolling sideways at large text.

At 150 % or 200 % text on a 1280×800 screen a row of filters, or two columns of
settings, no longer fits; these put what does not fit on the next line.
"""

from __future__ import annotations

from typing import Any

from PySide6.QtCore import Qt
from PySide6.QtWidgets import QBoxLayout, QGridLayout, QHBoxLayout, QLayout, QWidget


class ReflowRow(QWidget):
    """Groups of widgets side by side, as many to a line as fit the width."""

    def __init__(self, spacing: int = 8, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.grid = QGridLayout(self)
        self.grid.setContentsMargins(0, 0, 0, 0)
        self.grid.setHorizontalSpacing(spacing)
        self.grid.setVerticalSpacing(spacing // 2 + 2)
        self.groups: list[list[QWidget]] = []
        self.per_line = 0

    def add_group(self, *widgets: QWidget) -> None:
        self.groups.append(list(widgets))
        for w in widgets:
            w.setParent(self)
        self.per_line = 0
        self._place()

    def _group_width(self, group: list[QWidget]) -> int:
        return sum(w.sizeHint().width() for w in group) + self.grid.horizontalSpacing() * len(group)

    def _fits(self, width: int) -> int:
        widths = [self._group_width(g) for g in self.groups]
        for n in range(len(widths), 0, -1):
            rows = [widths[i : i + n] for i in range(0, len(widths), n)]
            if all(sum(r) <= width for r in rows):
                return n
        return 1

    def _place(self) -> None:
        n = self._fits(max(1, self.width()))
        # Inside a row layout, height-for-width is not asked for: say it as a minimum.
        self.setMinimumHeight(self.heightForWidth(max(1, self.width())))
        if n == self.per_line:
            return
        self.per_line = n
        for g in self.groups:
            for w in g:
                self.grid.removeWidget(w)
        cols = max(len(g) for g in self.groups) if self.groups else 1
        for i, g in enumerate(self.groups):
            row, slot = divmod(i, n)
            for j, w in enumerate(g):
                self.grid.addWidget(w, row, slot * cols + j)
        self.grid.setColumnStretch(n * cols, 1)

    def resizeEvent(self, event: Any) -> None:
        super().resizeEvent(event)
        self._place()

    def minimumSizeHint(self) -> Any:
        hint = super().minimumSizeHint()
        widest = max((self._group_width(g) for g in self.groups), default=0)
        hint.setWidth(min(hint.width(), widest))
        return hint

    def hasHeightForWidth(self) -> bool:
        return True

    def heightForWidth(self, width: int) -> int:
        n = self._fits(width)
        lines = -(-len(self.groups) // n) if self.groups else 0
        line_h = max((w.sizeHint().height() for g in self.groups for w in g), default=0)
        return lines * line_h + max(0, lines - 1) * self.grid.verticalSpacing()


def stack_when_narrow(box: QBoxLayout, width: int) -> None:
    """Side by side when the columns' minimum widths fit ``width``, else one above another."""
    need = sum(box.itemAt(i).minimumSize().width() for i in range(box.count()))
    need += box.spacing() * max(0, box.count() - 1)
    direction = (
        QBoxLayout.Direction.LeftToRight if need <= width else QBoxLayout.Direction.TopToBottom
    )
    if box.direction() != direction:
        box.setDirection(direction)


class FlipRow(QWidget):
    """A lead (titles, a field) and a tail of buttons side by side while both fit at
    their natural width; the tail goes under the lead, at the left, when they don't.

    The row asks only for the wider of the two as its minimum width, so a narrow
    window makes it flip instead of scrolling sideways or cutting the buttons' words.
    """

    def __init__(
        self,
        lead: Any,
        tail: list[QWidget],
        spacing: int = 8,
        lead_stretch: int = 1,
        parent: QWidget | None = None,
    ) -> None:
        super().__init__(parent)
        if isinstance(lead, QLayout):
            holder = QWidget()
            lead.setContentsMargins(0, 0, 0, 0)
            holder.setLayout(lead)
            lead = holder
        self.lead = lead
        self.tail = QWidget()
        tl = QHBoxLayout(self.tail)
        tl.setContentsMargins(0, 0, 0, 0)
        tl.setSpacing(spacing)
        for w in tail:
            tl.addWidget(w, 0, Qt.AlignmentFlag.AlignBottom)
        self.box = QBoxLayout(QBoxLayout.Direction.LeftToRight, self)
        self.box.setContentsMargins(0, 0, 0, 0)
        self.box.setSpacing(spacing)
        self.box.setSizeConstraint(QLayout.SizeConstraint.SetNoConstraint)
        self.box.addWidget(self.lead, lead_stretch)
        self.box.addWidget(self.tail, 0, Qt.AlignmentFlag.AlignLeft | Qt.AlignmentFlag.AlignBottom)

    @property
    def flipped(self) -> bool:
        return self.box.direction() == QBoxLayout.Direction.TopToBottom

    def _fit(self, width: int) -> None:
        need = self.lead.sizeHint().width() + self.box.spacing() + self.tail.sizeHint().width()
        direction = (
            QBoxLayout.Direction.LeftToRight if need <= width else QBoxLayout.Direction.TopToBottom
        )
        if self.box.direction() != direction:
            self.box.setDirection(direction)
            self.updateGeometry()

    def resizeEvent(self, event: Any) -> None:
        super().resizeEvent(event)
        self._fit(event.size().width())

    def minimumSizeHint(self) -> Any:
        hint = self.box.minimumSize()
        hint.setWidth(max(self.lead.minimumSizeHint().width(), self.tail.minimumSizeHint().width()))
        return hint

    def sizeHint(self) -> Any:
        return self.box.sizeHint()
