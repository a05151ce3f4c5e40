"""The library: every scenario as a card, sessions to resume, and broken files
shown with their errors (never hidden, never a crash).

Signals: ``open_brief(scenario_id)`` when a card is chosen (click, Enter),
``resume_requested(session_id)`` from the "Continue" list.
"""

from __future__ import annotations

from datetime import datetime
from functools import partial
from typing import Any

from PySide6.QtCore import (
    QEvent,
    QModelIndex,
    QObject,
    QPersistentModelIndex,
    QRect,
    QRectF,
    QSize,
    QSortFilterProxyModel,
    Qt,
    Signal,
)
from PySide6.QtGui import (
    QColor,
    QDesktopServices,
    QFont,
    QFontMetrics,
    QGuiApplication,
    QKeyEvent,
    QPainter,
    QPainterPath,
    QPen,
    QShowEvent,
    QTextLayout,
)
from PySide6.QtWidgets import (
    QAbstractItemView,
    QFrame,
    QHBoxLayout,
    QLineEdit,
    QListView,
    QPushButton,
    QSizePolicy,
    QStyle,
    QStyledItemDelegate,
    QStyleOptionViewItem,
    QVBoxLayout,
    QWidget,
)

from negtrainer.gui import theme, widgets
from negtrainer.gui.models.library_model import LibraryModel
from negtrainer.gui.reflow import FlipRow

Index = QModelIndex | QPersistentModelIndex


def _card_fonts(option: QStyleOptionViewItem) -> tuple[QFont, QFont, QFont]:
    """A card's text faces: the view's own, a smaller one, and that smaller one bold."""
    base = QFont(option.font)
    small = QFont(base)
    small.setPointSizeF(base.pointSizeF() * 0.88)
    bold_small = QFont(small)
    bold_small.setBold(True)
    return base, small, bold_small


DIFFICULTY_TOKENS = {"introductory": "success", "intermediate": "warning", "advanced": "danger"}


_label = partial(widgets.label, wrap=False)


class CardDelegate(QStyledItemDelegate):
    """Paints a scenario as a card: difficulty and length, title, summary,
    skills, and the learner's best result; a broken file as a warning card."""

    def __init__(self, parent: QObject | None = None) -> None:
        super().__init__(parent)
        self.card_width = 320

    def _em(self, option: QStyleOptionViewItem) -> int:
        return QFontMetrics(option.font).height()

    def sizeHint(self, option: QStyleOptionViewItem, index: Index) -> QSize:
        em = self._em(option)
        return QSize(self.card_width, int(em * 11.2))

    def paint(self, painter: QPainter, option: QStyleOptionViewItem, index: Index) -> None:
        c = theme.colors()
        painter.save()
        painter.setRenderHint(QPainter.RenderHint.Antialiasing)
        rect = QRectF(option.rect).adjusted(4, 4, -4, -4)
        selected = bool(option.state & QStyle.StateFlag.State_Selected)
        hover = bool(option.state & QStyle.StateFlag.State_MouseOver)
        focus = bool(option.state & QStyle.StateFlag.State_HasFocus)
        error = index.data(LibraryModel.ErrorRole)
        path = QPainterPath()
        path.addRoundedRect(rect, 12, 12)
        # A soft shadow below the card, then the card.
        shadow = QPainterPath()
        shadow.addRoundedRect(rect.translated(0, 2), 12, 12)
        painter.fillPath(shadow, QColor(c["card_shadow"]))
        painter.fillPath(path, QColor(c["surface_hover"] if hover else c["surface"]))
        border = QColor(c["danger"] if error else (c["accent"] if selected else c["border"]))
        width = 2.0 if (selected or error) else 1.0
        if focus and selected:
            border, width = QColor(c["focus"]), 3.0
        painter.setPen(QPen(border, width))
        painter.drawPath(path)

        em = self._em(option)
        pad = int(em * 0.9)
        inner = rect.adjusted(pad, pad * 0.8, -pad, -pad * 0.8).toRect()
        if error:
            self._paint_error(painter, option, index, inner, em, c)
        else:
            self._paint_card(painter, option, index, inner, em, c)
        painter.restore()

    def _paint_card(
        self,
        p: QPainter,
        option: QStyleOptionViewItem,
        index: Index,
        r: QRect,
        em: int,
        c: dict[str, str],
    ) -> None:
        base, small, bold_small = _card_fonts(option)
        y = r.top()
        # Eyebrow: difficulty dot + label, minutes, source.
        diff = index.data(LibraryModel.DifficultyRole) or ""
        minutes = index.data(LibraryModel.MinutesRole) or 0
        p.setFont(bold_small)
        fm = QFontMetrics(bold_small)
        dot = QColor(c[DIFFICULTY_TOKENS.get(diff, "muted")])
        p.setPen(Qt.PenStyle.NoPen)
        p.setBrush(dot)
        d = fm.height() * 0.45
        p.drawEllipse(QRectF(r.left(), y + (fm.height() - d) / 2, d, d))
        p.setPen(QColor(c["muted"]))
        eyebrow = f"{diff.upper()}   ·   {minutes} MIN"
        if not index.data(LibraryModel.BuiltinRole):
            eyebrow += "   ·   YOURS"
        p.drawText(
            QRect(int(r.left() + d * 2), y, r.width(), fm.height()),
            int(Qt.AlignmentFlag.AlignLeft | Qt.AlignmentFlag.AlignVCenter),
            eyebrow,
        )
        y += int(fm.height() * 1.5)
        y = _card_title(p, base, c, index, QRect(r.left(), y, r.width(), 0), em, 1.22, 2)
        # Footer: skills chips, then the best result; the summary gets the lines left
        # above the chips (three at most: fewer when the title takes two).
        footer_h = int(QFontMetrics(small).height() * 1.5)
        best_y = r.bottom() - footer_h + 1
        chips_y = best_y - int(footer_h * 1.35)
        room = (chips_y - int(em * 0.2) - y) // QFontMetrics(base).lineSpacing()
        p.setPen(QColor(c["muted"]))
        if room > 0:
            _draw_wrapped(
                p,
                base,
                QRect(r.left(), y, r.width(), 0),
                index.data(LibraryModel.SummaryRole) or "",
                min(3, room),
            )
        self._chips(
            p,
            small,
            QRect(r.left(), chips_y, r.width(), footer_h),
            index.data(LibraryModel.SkillsRole) or [],
            c,
        )
        p.setPen(QPen(QColor(c["border"]), 1))
        p.drawLine(r.left(), best_y - 4, r.right(), best_y - 4)
        best = index.data(LibraryModel.BestRole) or ""
        kind = index.data(LibraryModel.BestKindRole) or ""
        p.setFont(small)
        if best:
            colour = c["success"] if kind in ("deal", "agreement") else c["muted"]
            p.setPen(QColor(colour))
            text = f"Your best:  {best}"
        elif unfinished := index.data(LibraryModel.UnfinishedRole):
            p.setPen(QColor(c["muted"]))
            text = f"In progress: turn {unfinished}"
        else:
            p.setPen(QColor(c["muted"]))
            text = "Not played yet"
        p.drawText(
            QRect(r.left(), best_y, r.width(), footer_h),
            int(Qt.AlignmentFlag.AlignLeft | Qt.AlignmentFlag.AlignVCenter),
            QFontMetrics(small).elidedText(text, Qt.TextElideMode.ElideRight, r.width()),
        )

    def _chips(
        self, p: QPainter, font: QFont, r: QRect, skills: list[str], c: dict[str, str]
    ) -> None:
        fm = QFontMetrics(font)
        p.setFont(font)
        x = r.left()
        h = fm.height() + 6
        y = r.top() + (r.height() - h) // 2
        for i, skill in enumerate(skills):
            w = fm.horizontalAdvance(skill) + 16
            rest = len(skills) - i
            more = f"+{rest}"
            more_w = fm.horizontalAdvance(more) + 16
            if x + w > r.right() - (more_w + 6 if rest > 1 else 0):
                if rest:
                    self._chip(p, fm, QRect(x, y, more_w, h), more, c)
                break
            self._chip(p, fm, QRect(x, y, w, h), skill, c)
            x += w + 6

    def _chip(self, p: QPainter, fm: QFontMetrics, r: QRect, text: str, c: dict[str, str]) -> None:
        path = QPainterPath()
        path.addRoundedRect(QRectF(r), r.height() / 2, r.height() / 2)
        p.fillPath(path, QColor(c["chip_bg"]))
        p.setPen(QColor(c["chip_text"]))
        p.drawText(r, int(Qt.AlignmentFlag.AlignCenter), text)

    def _paint_error(
        self,
        p: QPainter,
        option: QStyleOptionViewItem,
        index: Index,
        r: QRect,
        em: int,
        c: dict[str, str],
    ) -> None:
        base, small, bold_small = _card_fonts(option)
        y = r.top()
        p.setFont(bold_small)
        p.setPen(QColor(c["danger"]))
        fm = QFontMetrics(bold_small)
        p.drawText(
            QRect(r.left(), y, r.width(), fm.height()),
            int(Qt.AlignmentFlag.AlignLeft),
            "⚠  CANNOT BE LOADED",
        )
        y += int(fm.height() * 1.5)
        y = _card_title(p, base, c, index, QRect(r.left(), y, r.width(), 0), em, 1.1, 1)
        mono = QFont("DejaVu Sans Mono")
        mono.setStyleHint(QFont.StyleHint.Monospace)
        mono.setPointSizeF(small.pointSizeF())
        p.setPen(QColor(c["danger"]))
        y = _draw_wrapped(
            p, mono, QRect(r.left(), y, r.width(), 0), index.data(LibraryModel.ErrorRole) or "", 4
        )
        fix = index.data(LibraryModel.FixRole) or ""
        if fix:
            y += int(em * 0.3)
            p.setPen(QColor(c["muted"]))
            _draw_wrapped(
                p,
                small,
                QRect(r.left(), y, r.width(), 0),
                f"Fix: {fix}",
                max(1, (r.bottom() - y) // QFontMetrics(small).height()),
            )


def _draw_title(
    p: QPainter, base: QFont, scale: float, colour: QColor, r: QRect, text: str, max_lines: int
) -> int:
    """A card's title: bold, ``scale`` times the base size, wrapped; return the y below it."""
    font = QFont(base)
    font.setPointSizeF(base.pointSizeF() * scale)
    font.setBold(True)
    p.setPen(colour)
    return _draw_wrapped(p, font, r, text, max_lines)


def _card_title(
    p: QPainter,
    base: QFont,
    c: dict[str, str],
    index: Index,
    r: QRect,
    em: int,
    scale: float,
    max_lines: int,
) -> int:
    """Draw a card's title at the top of ``r``; return the y where what follows it starts."""
    text = index.data(Qt.ItemDataRole.DisplayRole) or ""
    return _draw_title(p, base, scale, QColor(c["text"]), r, text, max_lines) + int(em * 0.3)


def _draw_wrapped(p: QPainter, font: QFont, r: QRect, text: str, max_lines: int) -> int:
    """Draw ``text`` wrapped to ``r.width()`` in at most ``max_lines`` lines, the
    last one elided; return the y below the text."""
    fm = QFontMetrics(font)
    p.setFont(font)
    layout = QTextLayout(text, font)
    layout.beginLayout()
    lines: list[tuple[int, int]] = []
    while True:
        line = layout.createLine()
        if not line.isValid():
            break
        line.setLineWidth(r.width())
        lines.append((line.textStart(), line.textLength()))
    layout.endLayout()
    y = r.top()
    for i, (start, length) in enumerate(lines[:max_lines]):
        chunk = text[start : start + length].rstrip("\n")
        if i == max_lines - 1 and i < len(lines) - 1:
            chunk = fm.elidedText(
                text[start:].replace("\n", " "), Qt.TextElideMode.ElideRight, r.width()
            )
        p.drawText(
            QRect(r.left(), y, r.width(), fm.height()),
            int(Qt.AlignmentFlag.AlignLeft | Qt.AlignmentFlag.AlignVCenter),
            chunk,
        )
        y += fm.lineSpacing()
    return y


class LibraryGrid(QListView):
    """Cards that fill the width: as many columns as fit, each stretched."""

    activated_row = Signal(QModelIndex)

    MIN_CARD_EM = 19  # card width in text heights: grows with the text size

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setObjectName("LibraryGrid")
        self.setViewMode(QListView.ViewMode.IconMode)
        self.setMovement(QListView.Movement.Static)
        self.setResizeMode(QListView.ResizeMode.Adjust)
        self.setWrapping(True)
        self.setFlow(QListView.Flow.LeftToRight)
        self.setUniformItemSizes(True)
        self.setSpacing(8)
        self.setMouseTracking(True)
        self.setSelectionMode(QAbstractItemView.SelectionMode.SingleSelection)
        self.setVerticalScrollMode(QAbstractItemView.ScrollMode.ScrollPerPixel)
        self.setEditTriggers(QAbstractItemView.EditTrigger.NoEditTriggers)
        self.setFrameShape(QFrame.Shape.NoFrame)
        self.card_delegate = CardDelegate(self)
        self.setItemDelegate(self.card_delegate)
        self.setAccessibleName("Scenarios")
        self.setAccessibleDescription("Arrow keys move between scenarios; Enter opens the brief.")
        self.clicked.connect(self.activated_row.emit)

    def resizeEvent(self, event: Any) -> None:
        self._fit_cards()
        super().resizeEvent(event)

    def _fit_cards(self) -> None:
        em = QFontMetrics(self.font()).height()
        s = self.spacing()
        # Leave room for the scroll bar so cards do not reflow when it appears.
        avail = self.width() - self.verticalScrollBar().sizeHint().width() - 4
        min_w = self.MIN_CARD_EM * em
        # IconMode puts ``spacing`` on both sides of every item.
        cols = max(1, avail // (min_w + 2 * s))
        width = max(min_w // 2, avail // cols - 2 * s)
        if width != self.card_delegate.card_width:
            self.card_delegate.card_width = width
            self.scheduleDelayedItemsLayout()

    def changeEvent(self, event: QEvent) -> None:
        super().changeEvent(event)
        if event.type() in (QEvent.Type.FontChange, QEvent.Type.StyleChange):
            self._fit_cards()

    def keyPressEvent(self, event: QKeyEvent) -> None:
        if (
            event.key() in (Qt.Key.Key_Return, Qt.Key.Key_Enter, Qt.Key.Key_Space)
            and self.currentIndex().isValid()
        ):
            self.activated_row.emit(self.currentIndex())
            return
        super().keyPressEvent(event)


class ResumeRow(QFrame):
    def __init__(self, info: Any, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        lay = QHBoxLayout(self)
        lay.setContentsMargins(0, 2, 0, 2)
        text = QVBoxLayout()
        title = _label(info.scenario_title, "h3")
        when = _label(f"Turn {info.turn_count} · started {_when(info.started_at)}", "small")
        text.addWidget(title)
        text.addWidget(when)
        lay.addLayout(text, 1)
        self.button = QPushButton("Resume")
        self.button.setProperty("kind", "primary")
        theme.set_icon(self.button, "resume", "on_accent")
        self.button.setAccessibleName(f"Resume {info.scenario_title}, turn {info.turn_count}")
        lay.addWidget(self.button, 0, Qt.AlignmentFlag.AlignVCenter)


def _when(iso: str) -> str:
    try:
        dt = datetime.fromisoformat(iso).astimezone()
    except (TypeError, ValueError):
        return iso or "earlier"
    today = datetime.now().astimezone().date()
    if dt.date() == today:
        return f"today at {dt:%H:%M}"
    return f"{dt:%d %b %Y, %H:%M}"


class LibraryView(QWidget):
    open_brief = Signal(str)
    resume_requested = Signal(str)

    def __init__(self, services: Any, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.services = services
        self.setObjectName("Page")
        self.model = LibraryModel(self)
        self.proxy = QSortFilterProxyModel(self)
        self.proxy.setSourceModel(self.model)
        self.proxy.setFilterRole(LibraryModel.SearchRole)
        self.proxy.setFilterCaseSensitivity(Qt.CaseSensitivity.CaseInsensitive)

        outer = QVBoxLayout(self)
        outer.setContentsMargins(32, 24, 32, 16)
        outer.setSpacing(12)

        titles, self.title, self.subtitle = widgets.title_stack(
            "Library", "Loading scenarios…", wrap=False
        )
        self.search = QLineEdit()
        self.search.setPlaceholderText("Filter by title or skill")
        self.search.setClearButtonEnabled(True)
        self.search.setAccessibleName("Filter scenarios")
        self.search.setMinimumWidth(240)
        self.search.textChanged.connect(self.proxy.setFilterFixedString)
        self.folder_button = QPushButton("Your scenarios folder")
        theme.set_icon(self.folder_button, "folder")
        self.folder_button.setToolTip("Open the folder where your own scenario files go")
        self.folder_button.setAccessibleName("Open your scenarios folder")
        self.folder_button.clicked.connect(self.open_user_folder)
        self.reload_button = QPushButton("Reload")
        self.reload_button.setToolTip("Read the scenario files again (F5)")
        self.reload_button.setShortcut("F5")
        self.reload_button.clicked.connect(self.reload)
        # At large text the controls go under the titles rather than cut them short.
        self.head = FlipRow(titles, [self.search, self.folder_button, self.reload_button], 8)
        outer.addWidget(self.head)

        # Unfinished sessions, most recent first.
        self.resume_box = QFrame()
        self.resume_box.setProperty("role", "card")
        rb = QVBoxLayout(self.resume_box)
        rb.setContentsMargins(18, 12, 18, 12)
        rb.setSpacing(6)
        rb.addWidget(_label("CONTINUE WHERE YOU LEFT OFF", "eyebrow"))
        self.resume_rows = QVBoxLayout()
        self.resume_rows.setSpacing(4)
        rb.addLayout(self.resume_rows)
        self.resume_box.hide()
        outer.addWidget(self.resume_box)

        self.grid = LibraryGrid()
        self.grid.setModel(self.proxy)
        self.grid.activated_row.connect(self._activate)
        self.grid.setSizePolicy(QSizePolicy.Policy.Expanding, QSizePolicy.Policy.Expanding)
        outer.addWidget(self.grid, 1)

        self.empty = _label("", "muted")
        self.empty.setWordWrap(True)
        self.empty.hide()
        outer.addWidget(self.empty)

        services.scenarios_changed.connect(self._on_scenarios)
        services.learner_changed.connect(lambda _n: self.refresh())
        services.store_changed.connect(self.refresh)
        if services.scenarios_loaded:
            self._on_scenarios()

    # -- filling ----------------------------------------------------------------------
    def reload(self) -> None:
        self.subtitle.setText("Loading scenarios…")
        self.services.load_scenarios()

    def refresh(self) -> None:
        """Read best results and unfinished sessions again (off the GUI thread)."""
        if self.services.store is None:
            return
        self.services.best_results(self.model.set_best)
        self.services.unfinished(self._show_unfinished)

    def showEvent(self, event: QShowEvent) -> None:
        # Turns played since the last visit (a resumed or branched session) change the
        # Resume rows and the cards; turns do not signal store_changed, so ask again here.
        super().showEvent(event)
        self.refresh()

    def _on_scenarios(self) -> None:
        entries = self.services.scenarios
        current = self.grid.currentIndex().data(LibraryModel.IdRole)
        self.model.set_entries(entries)
        ok = sum(1 for e in entries if e.ok)
        broken = len(entries) - ok
        text = f"{ok} scenario{'s' if ok != 1 else ''} to practise"
        if broken:
            text += f" · {broken} cannot be loaded (shown last, with the reason)"
        self.subtitle.setText(text)
        if not entries:
            self.empty.setText(
                "No scenarios were found. Put scenario files (.yaml) in your "
                "scenarios folder, then press Reload."
            )
        self.empty.setVisible(not entries)
        row = self.model.row_of(current) if current else 0
        if self.proxy.rowCount():
            self.grid.setCurrentIndex(self.proxy.mapFromSource(self.model.index(max(row, 0), 0)))
        self.refresh()

    def _show_unfinished(self, sessions: list[Any]) -> None:
        while self.resume_rows.count():
            item = self.resume_rows.takeAt(0)
            if item.widget() is not None:
                item.widget().deleteLater()
        turns: dict[str, int] = {}
        for info in sessions:  # newest first: the newest unfinished one of each scenario
            turns.setdefault(info.scenario_id, info.turn_count)
        self.model.set_unfinished(turns)
        shown = [s for s in sessions if self.services.scenario(s.scenario_id) is not None][:3]
        for info in shown:
            row = ResumeRow(info)
            row.button.clicked.connect(lambda _=False, sid=info.id: self.resume_requested.emit(sid))
            self.resume_rows.addWidget(row)
        self.resume_box.setVisible(bool(shown))

    # -- acting -------------------------------------------------------------------------
    def _activate(self, index: QModelIndex) -> None:
        if index.isValid():
            self.open_brief.emit(index.data(LibraryModel.IdRole))

    def select(self, scenario_id: str) -> bool:
        row = self.model.row_of(scenario_id)
        if row < 0:
            return False
        self.grid.setCurrentIndex(self.proxy.mapFromSource(self.model.index(row, 0)))
        return True

    def open_user_folder(self) -> None:
        from PySide6.QtCore import QUrl

        from negtrainer.gui.services import user_scenarios_dir

        folder = user_scenarios_dir()
        try:
            folder.mkdir(parents=True, exist_ok=True)
        except OSError as exc:
            self.services.error.emit(
                "Cannot open the folder", f"{folder} could not be created: {exc.strerror or exc}"
            )
            return
        if not QDesktopServices.openUrl(QUrl.fromLocalFile(str(folder))):
            # No file manager here: say where the folder is, ready to paste.
            QGuiApplication.clipboard().setText(str(folder))
            self.services.error.emit(
                "Your scenarios folder",
                f"No file manager could open it. It is {folder} (copied: paste it where you "
                "need it). Put .yaml scenario files there, then press Reload.",
            )

    def focus_first(self) -> None:
        self.grid.setFocus()
