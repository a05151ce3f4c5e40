"""Building an offer: one option per negotiable issue, the learner's own value
beside each, options not yet possible greyed with the reason; and the
counterpart's standing counter-offer, which one button accepts.

Signals: ``send_offer(dict issue -> option label)``, ``accept_counter()``.
"""

from __future__ import annotations

from typing import Any

from PySide6.QtCore import Qt, Signal
from PySide6.QtGui import QStandardItem, QStandardItemModel
from PySide6.QtWidgets import (
    QComboBox,
    QFrame,
    QGridLayout,
    QHBoxLayout,
    QLabel,
    QPushButton,
    QStyle,
    QStyleOptionComboBox,
    QStylePainter,
    QVBoxLayout,
    QWidget,
)

from negtrainer.gui.widgets import WrapLabel, plain, set_text
from negtrainer.gui.widgets import tip as widgets_tip


def _points(value: float) -> str:
    v = int(value) if float(value).is_integer() else round(value, 1)
    return f"{v} pt" if v in (1, -1) else f"{v} pts"


class ElidingCombo(QComboBox):
    """A combo box whose closed face shortens its words with "…" in the middle when
    they do not fit (large text), keeping the option's start and its points; Qt's own
    cuts them off at the edge ("2.8M trays · 7 p"). The list that opens, the tooltip
    and a screen reader have them whole."""

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.currentTextChanged.connect(self.sync_tip)

    def sync_tip(self, *_args: Any) -> None:
        """The tooltip says the current option whole (call it after filling the box with
        its signals blocked)."""
        self.setToolTip(widgets_tip(self.currentText()))

    def shown_text(self) -> str:
        """The words the closed face shows now."""
        opt = QStyleOptionComboBox()
        self.initStyleOption(opt)
        field = self.style().subControlRect(
            QStyle.ComplexControl.CC_ComboBox, opt, QStyle.SubControl.SC_ComboBoxEditField, self
        )
        return opt.fontMetrics.elidedText(
            opt.currentText, Qt.TextElideMode.ElideMiddle, max(field.width(), 0)
        )

    def paintEvent(self, event: Any) -> None:
        painter = QStylePainter(self)
        opt = QStyleOptionComboBox()
        self.initStyleOption(opt)
        painter.drawComplexControl(QStyle.ComplexControl.CC_ComboBox, opt)
        opt.currentText = self.shown_text()
        painter.drawControl(QStyle.ControlElement.CE_ComboBoxLabel, opt)


class OfferBuilder(QFrame):
    send_offer = Signal(dict)
    accept_counter = Signal()

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setProperty("role", "card")
        self.setAccessibleName("Make an offer")
        lay = QVBoxLayout(self)
        lay.setContentsMargins(14, 10, 14, 12)
        lay.setSpacing(6)
        top = QHBoxLayout()
        head = QLabel("MAKE AN OFFER")
        head.setProperty("role", "eyebrow")
        top.addWidget(head, 1)
        # The builder folds away so a long list of choices has room.
        self.fold_button = QPushButton("Hide")
        self.fold_button.setCheckable(True)
        self.fold_button.setProperty("kind", "link")
        self.fold_button.setAccessibleName("Fold the offer builder away")
        self.fold_button.toggled.connect(self._fold)
        # None until the learner folds or opens it; till then the page folds it when
        # the choices would be left too little room (large text on a short screen).
        self.user_folded: bool | None = None
        self.fold_button.clicked.connect(lambda on: setattr(self, "user_folded", on))
        top.addWidget(self.fold_button)
        lay.addLayout(top)
        self.body = QWidget()
        body = QVBoxLayout(self.body)
        body.setContentsMargins(0, 0, 0, 0)
        body.setSpacing(6)
        lay.addWidget(self.body)
        self.grid = QGridLayout()
        self.grid.setHorizontalSpacing(12)
        self.grid.setVerticalSpacing(6)
        self.grid.setColumnStretch(0, 1)
        self.grid.setColumnStretch(1, 1)
        body.addLayout(self.grid)
        # The total above the button, not beside it: at large text sizes the two
        # side by side cut the button's words ("his offer on the t"). Wrapped labels
        # that remember their height: the choices above lay this card out every turn.
        self.total = WrapLabel("")
        self.total.setProperty("role", "small")
        body.addWidget(self.total)
        foot = QHBoxLayout()
        foot.addStretch(1)
        self.send_button = QPushButton("Put this offer on the table")
        self.send_button.setProperty("kind", "primary")
        self.send_button.setAccessibleName("Send the offer")
        self.send_button.setToolTip("Send the offer (Ctrl+Enter)")
        self.send_button.setShortcut("Ctrl+Return")
        self.send_button.clicked.connect(self._send)
        foot.addWidget(self.send_button)
        body.addLayout(foot)

        self.counter_box = QFrame()
        self.counter_box.setProperty("role", "banner")
        cb = QHBoxLayout(self.counter_box)
        cb.setContentsMargins(12, 8, 10, 8)
        cb.setSpacing(10)
        col = QVBoxLayout()
        col.setSpacing(2)
        self.counter_title = WrapLabel("THEIR COUNTER-OFFER")
        self.counter_title.setProperty("role", "eyebrow")
        col.addWidget(self.counter_title)
        self.counter_text = WrapLabel("")
        col.addWidget(self.counter_text)
        self.counter_value = plain(QLabel(""))
        self.counter_value.setProperty("role", "small")
        col.addWidget(self.counter_value)
        cb.addLayout(col, 1)
        self.accept_button = QPushButton("Accept")
        self.accept_button.setAccessibleName("Accept their counter-offer")
        self.accept_button.clicked.connect(self.accept_counter.emit)
        cb.addWidget(self.accept_button, 0, Qt.AlignmentFlag.AlignVCenter)
        lay.addWidget(self.counter_box)
        self.counter_box.hide()

        self._combos: dict[str, ElidingCombo] = {}
        self._issues: list[Any] = []

    def _fold(self, folded: bool) -> None:
        self.body.setVisible(not folded)
        self.fold_button.setText("Show" if folded else "Hide")

    @property
    def folded(self) -> bool:
        return self.fold_button.isChecked()

    def fold_to_fit(self, folded: bool) -> None:
        """Fold or open for the room there is, unless the learner chose."""
        if self.user_folded is None and folded != self.folded:
            self.fold_button.setChecked(folded)

    def unfolded_height(self) -> int:
        """The height the builder takes when open."""
        extra = self.body.sizeHint().height() + self.layout().spacing() if self.folded else 0
        return self.sizeHint().height() + extra

    # -- filling -----------------------------------------------------------------------
    def set_issues(self, issues: list[Any], keep: dict[str, str] | None = None) -> None:
        """Show the issues (engine ``IssueView``s); keep the learner's picks if possible."""
        keep = keep if keep is not None else self.terms()
        same = [i.id for i in issues] == [i.id for i in self._issues]
        if not same:
            self.reset()
        self._issues = list(issues)
        columns = 2 if len(issues) > 2 else 1
        for n, issue in enumerate(issues):
            combo = self._combos.get(issue.id)
            if combo is None:
                cell = QWidget()
                cl = QVBoxLayout(cell)
                cl.setContentsMargins(0, 0, 0, 0)
                cl.setSpacing(2)
                label = plain(QLabel(issue.label))
                label.setProperty("role", "small")
                combo = ElidingCombo()
                # Long option labels must not widen the whole choice column and squeeze
                # the conversation: the popup still shows them in full.
                combo.setSizeAdjustPolicy(
                    QComboBox.SizeAdjustPolicy.AdjustToMinimumContentsLengthWithIcon
                )
                combo.setMinimumContentsLength(10)
                combo.view().setTextElideMode(Qt.TextElideMode.ElideNone)
                combo.setAccessibleName(issue.label)
                combo.currentIndexChanged.connect(self._update_total)
                label.setBuddy(combo)
                cl.addWidget(label)
                cl.addWidget(combo)
                self.grid.addWidget(cell, n // columns, n % columns)
                self._combos[issue.id] = combo
            self._fill(combo, issue, keep.get(issue.id))
        self._update_total()

    @staticmethod
    def _option_text(opt: Any) -> str:
        # Short, so it fits at large text: the tooltip and the total say "for you".
        return f"{opt.label} · {_points(opt.you)}" if opt.available else f"{opt.label} · not yet"

    def reset(self) -> None:
        """Forget the issues and the learner's picks (a new session)."""
        while self.grid.count():
            item = self.grid.takeAt(0)
            if item.widget() is not None:
                item.widget().deleteLater()
        self._combos = {}
        self._issues = []

    def _fill(self, combo: ElidingCombo, issue: Any, keep: str | None) -> None:
        """Only the options that can be offered now: a locked option's words would
        tell the learner what they have not yet found out."""
        model = QStandardItemModel(combo)
        best = max((o.you for o in issue.options), default=0)
        shown = [opt for opt in issue.options if opt.available]
        for opt in shown:
            item = QStandardItem(self._option_text(opt))
            item.setData(opt.label, Qt.ItemDataRole.UserRole)
            item.setData(opt.you, Qt.ItemDataRole.UserRole + 1)
            tip = f"Worth {_points(opt.you)} to you (best on this issue: {_points(best)})"
            item.setData(widgets_tip(tip), Qt.ItemDataRole.ToolTipRole)
            item.setData(tip, Qt.ItemDataRole.AccessibleDescriptionRole)
            model.appendRow(item)
        combo.blockSignals(True)
        combo.setModel(model)
        labels = [o.label for o in shown]
        combo.setCurrentIndex(labels.index(keep) if keep in labels else 0)
        combo.blockSignals(False)
        combo.sync_tip()

    def set_counter(self, counter: dict[str, str] | None, speaker: str, issues: list[Any]) -> None:
        if not counter:
            self.counter_box.hide()
            return
        labels = {i.id: i.label for i in issues}
        values = {i.id: {o.label: o.you for o in i.options} for i in issues}
        text = " · ".join(f"{labels.get(k, k)} {v}" for k, v in counter.items())
        worth = sum(values.get(k, {}).get(v, 0) for k, v in counter.items())
        set_text(self.counter_title, f"{speaker.upper()}'S COUNTER-OFFER")
        set_text(self.counter_text, text)
        set_text(self.counter_value, f"Worth {_points(worth)} to you")
        self.accept_button.setToolTip(widgets_tip(f"Agree to: {text}"))
        self.counter_box.show()

    def set_busy(self, busy: bool) -> None:
        self.send_button.setEnabled(not busy)
        self.accept_button.setEnabled(not busy)
        for combo in self._combos.values():
            combo.setEnabled(not busy)

    # -- reading ------------------------------------------------------------------------
    def terms(self) -> dict[str, str]:
        out = {}
        for iid, combo in self._combos.items():
            label = combo.currentData(Qt.ItemDataRole.UserRole)
            if label is not None:
                out[iid] = label
        return out

    def set_terms(self, terms: dict[str, str]) -> None:
        for iid, label in terms.items():
            combo = self._combos.get(iid)
            if combo is None:
                continue
            for i in range(combo.count()):
                if combo.itemData(i, Qt.ItemDataRole.UserRole) == label:
                    combo.setCurrentIndex(i)

    def value(self) -> float:
        total = 0.0
        for combo in self._combos.values():
            total += float(combo.currentData(Qt.ItemDataRole.UserRole + 1) or 0)
        return total

    def _update_total(self) -> None:
        best = sum(max((o.you for o in i.options), default=0) for i in self._issues)
        self.total.setText(f"Worth {_points(self.value())} to you (of {_points(best)})")

    def _send(self) -> None:
        terms = self.terms()
        if terms:
            self.send_offer.emit(terms)
