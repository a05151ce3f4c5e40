"""The debrief: what the learner did well and badly in one session, and why.

``DebriefView(services).show_session(id)`` loads the session off the GUI thread
(``export.load_report``: the stored session, the engine's debrief, the expert
path) and lays it out as cards, most telling first: the ending, what went well
and what to work on, the measures against their references, trust over the
turns, the four building blocks, hidden interests, value, the expert's path
beside the learner's, the article's lessons and the common mistakes.

Every turn number is a button: it asks for the replay at that turn
(``open_replay(session_id, turn)``). Ratings are words with a symbol as well
as a colour, so they survive colour blindness, greyscale print and projectors.
The small building blocks here (badges, turn chips, cards) are shared with the
replay and the history views.
"""

from __future__ import annotations

from collections.abc import Callable
from datetime import datetime
from pathlib import Path
from typing import Any

from PySide6.QtCore import QPoint, QRect, QSize, Qt, Signal
from PySide6.QtGui import QKeySequence, QShortcut
from PySide6.QtWidgets import (
    QFileDialog,
    QFrame,
    QGridLayout,
    QHBoxLayout,
    QLabel,
    QLayout,
    QLayoutItem,
    QProgressBar,
    QPushButton,
    QScrollArea,
    QSizePolicy,
    QStackedWidget,
    QVBoxLayout,
    QWidget,
)

from negtrainer.gui import debrief_cards as cards
from negtrainer.gui import export, theme
from negtrainer.gui.charts import Mark, TrustChart
from negtrainer.gui.widgets import card, label, tip

MAX_CONTENT_WIDTH = 1400
REFLECTION = "Reflection —"  # how a stored reflection answer begins


# -- small shared pieces ------------------------------------------------------------------


class FlowLayout(QLayout):
    """Lays children left to right and wraps, like words (for turn chips)."""

    def __init__(self, parent: QWidget | None = None, spacing: int = 4):
        super().__init__(parent)
        self._items: list[QLayoutItem] = []
        self._spacing = spacing
        self.setContentsMargins(0, 0, 0, 0)

    def addItem(self, item: QLayoutItem) -> None:
        self._items.append(item)

    def count(self) -> int:
        return len(self._items)

    def itemAt(self, index: int) -> QLayoutItem | None:
        return self._items[index] if 0 <= index < len(self._items) else None

    def takeAt(self, index: int) -> QLayoutItem | None:
        return self._items.pop(index) if 0 <= index < len(self._items) else None

    def expandingDirections(self) -> Qt.Orientation:
        return Qt.Orientation(0)

    def hasHeightForWidth(self) -> bool:
        return True

    def heightForWidth(self, width: int) -> int:
        return self._place(QRect(0, 0, width, 0), move=False)

    def setGeometry(self, rect: QRect) -> None:
        super().setGeometry(rect)
        self._place(rect, move=True)

    def sizeHint(self) -> QSize:
        return self.minimumSize()

    def minimumSize(self) -> QSize:
        size = QSize()
        for item in self._items:
            size = size.expandedTo(item.minimumSize())
        return size

    def _place(self, rect: QRect, move: bool) -> int:
        x, y, line = rect.x(), rect.y(), 0
        for item in self._items:
            hint = item.sizeHint()
            if x + hint.width() > rect.right() and line > 0:
                x = rect.x()
                y += line + self._spacing
                line = 0
            if move:
                item.setGeometry(QRect(QPoint(x, y), hint))
            x += hint.width() + self._spacing
            line = max(line, hint.height())
        return y + line - rect.y()


def _rating_colour(rating: str) -> str:
    token = {"good": "success", "fair": "warning", "poor": "danger"}.get(rating, "muted")
    return theme.colors().get(token, "#5A6474")


class RatingBadge(QLabel):
    """A rating as a word and a symbol, tinted: "✔ Good", "◐ Fair", "✘ Poor"."""

    def __init__(self, rating: str, parent: QWidget | None = None):
        super().__init__(parent)
        self.rating = rating if rating in export.RATING_TEXT else "n/a"
        self.setText(f"{export.RATING_MARK[self.rating]} {export.RATING_TEXT[self.rating]}")
        self.setProperty("rating", self.rating)
        self.setAccessibleName(f"Rating: {export.RATING_TEXT[self.rating]}")
        self.setAlignment(Qt.AlignmentFlag.AlignCenter)
        self.setSizePolicy(QSizePolicy.Policy.Fixed, QSizePolicy.Policy.Fixed)
        c = _rating_colour(self.rating)
        fs = theme.colors().get("fs_small", "9pt")
        self.setStyleSheet(
            f"QLabel {{ color: {c}; border: 1.5px solid {c}; border-radius: 9px;"
            f" padding: 1px 8px; font-weight: 700; font-size: {fs}; }}"
        )


class TurnChips(QWidget):
    """Turn numbers as small buttons; ``turn_clicked(turn)`` when one is pressed."""

    turn_clicked = Signal(int)

    def __init__(
        self, turns: list[int], parent: QWidget | None = None, *, empty: str = "—", prefix: str = ""
    ):
        super().__init__(parent)
        self.turns = sorted(set(turns))
        self.buttons: dict[int, QPushButton] = {}
        flow = FlowLayout(self)
        if not self.turns:
            flow.addWidget(label(empty, "muted", wrap=False))
        for t in self.turns:
            b = QPushButton(f"{prefix}{t}")
            b.setProperty("kind", "flat")
            b.setCursor(Qt.CursorShape.PointingHandCursor)
            b.setAccessibleName(f"Open turn {t} in the replay")
            b.setToolTip(f"Step through the session at turn {t}")
            b.setSizePolicy(QSizePolicy.Policy.Fixed, QSizePolicy.Policy.Fixed)
            b.setStyleSheet("QPushButton { padding: 0px 6px; min-height: 0px; }")
            b.clicked.connect(lambda _=False, t=t: self.turn_clicked.emit(t))
            flow.addWidget(b)
            self.buttons[t] = b
        self.setSizePolicy(QSizePolicy.Policy.Preferred, QSizePolicy.Policy.Preferred)


LEVEL = {"good": "high", "fair": "mid", "poor": "low"}


def bar(value: float, maximum: float, name: str, rating: str | None = None) -> QProgressBar:
    """A themed bar; its colour says the rating (or the share when none is given)."""
    b = QProgressBar()
    b.setRange(0, 1000)
    share = 0.0 if maximum <= 0 else max(0.0, min(1.0, value / maximum))
    b.setValue(round(share * 1000))
    b.setTextVisible(False)
    if rating is None:
        rating = "good" if share >= 0.7 else "fair" if share >= 0.4 else "poor"
    b.setProperty("level", LEVEL.get(rating, "mid"))
    b.setAccessibleName(name)
    b.setAccessibleDescription(f"{share:.0%}")
    return b


def ask_save_path(parent: QWidget, title: str, suggested: str, filt: str) -> Path | None:
    path, _ = QFileDialog.getSaveFileName(parent, title, str(Path.home() / suggested), filt)
    return Path(path) if path else None


def suggested_name(report: export.SessionReport, ext: str) -> str:
    slug = "".join(c if c.isalnum() else "-" for c in report.title.lower()).strip("-")
    when = (report.started or datetime.now().isoformat())[:10]
    return f"{slug}-{when}-{report.session_id[:8]}.{ext}"


def run_export(
    parent: QWidget,
    services: Any,
    report: export.SessionReport,
    kind: str,
    path: Path | None = None,
    done: Callable[[str], None] | None = None,
) -> None:
    """Ask where (unless ``path``), write in the background, report in ``done(message)``.

    ``kind``: html (the whole report), pdf (the whole report with the transcript, as the
    replay exports it) or handout (the debrief's two-page A4 PDF)."""
    if path is None:
        filt = "Web page (*.html)" if kind == "html" else "PDF document (*.pdf)"
        ext = "html" if kind == "html" else "pdf"
        path = ask_save_path(parent, "Export the session", suggested_name(report, ext), filt)
        if path is None:
            return
    writer = {"html": export.write_html, "handout": export.write_handout}.get(
        kind, export.write_pdf
    )

    def ok(p: Path) -> None:
        if done is not None:
            done(f"Saved {p.name} in {p.parent}.")

    def fail(exc: BaseException) -> None:
        if done is not None:
            done(f"Could not save {path.name}: {exc}. Choose another folder and try again.")

    services.run_background(lambda: writer(report, path), ok, fail)


# -- the view -------------------------------------------------------------------------------


class DebriefView(QWidget):
    open_replay = Signal(str, int)
    open_debrief = Signal(str)
    resume_requested = Signal(str)
    branch_started = Signal(str)  # "Try it from here": the new branch, to play at once
    loaded = Signal(str)  # the session id, once shown (tests and the window title)
    answer_kept = Signal(int)  # a reflection answer was stored (the turn)

    def __init__(self, services: Any, parent: QWidget | None = None):
        super().__init__(parent)
        self.services = services
        self.setObjectName("Page")
        self.setAccessibleName("Debrief")
        self.report: export.SessionReport | None = None
        self._wanted: str | None = None
        # Widgets by key, for tests and for keyboard focus.
        self.metric_rows: dict[str, dict[str, QWidget]] = {}
        self.block_rows: dict[str, dict[str, QWidget]] = {}
        self.chart: TrustChart | None = None

        outer = QVBoxLayout(self)
        outer.setContentsMargins(0, 0, 0, 0)
        self.stack = QStackedWidget()
        outer.addWidget(self.stack)
        self.message = label("Pick a session in the History to see its debrief.", "muted")
        self.message.setAlignment(Qt.AlignmentFlag.AlignCenter)
        self.stack.addWidget(self.message)
        self.scroll = QScrollArea()
        self.scroll.setWidgetResizable(True)
        self.scroll.setFrameShape(QFrame.Shape.NoFrame)
        self.stack.addWidget(self.scroll)

        QShortcut(QKeySequence("Ctrl+E"), self, activated=lambda: self.export("html"))
        QShortcut(QKeySequence("Ctrl+P"), self, activated=lambda: self.export("handout"))
        if hasattr(services, "settings"):
            services.settings.changed.connect(self._setting_changed)

    # -- loading -----------------------------------------------------------------------
    def show_session(self, session_id: str) -> None:
        self._wanted = session_id
        self.message.setText("Loading the debrief…")
        self.stack.setCurrentWidget(self.message)
        self.services.run_op(
            lambda store: export.load_report(store, session_id),
            lambda r: self._loaded(session_id, r),
            lambda exc: self._failed(session_id, exc),
        )

    def _loaded(self, session_id: str, report: export.SessionReport) -> None:
        if session_id != self._wanted:
            return  # the user has asked for another session meanwhile
        self.show_report(report)

    def _failed(self, session_id: str, exc: BaseException) -> None:
        if session_id != self._wanted:
            return
        self.message.setText(f"This session could not be opened. {exc}")
        self.stack.setCurrentWidget(self.message)

    def _setting_changed(self, key: str) -> None:
        if key in ("theme", "text_size") and self.report is not None:
            self.show_report(self.report)

    # -- laying out --------------------------------------------------------------------
    def show_report(self, report: export.SessionReport) -> None:
        self.report = report
        self._wanted = report.session_id
        self.metric_rows.clear()
        self.block_rows.clear()
        old = self.scroll.takeWidget()
        if old is not None:
            old.deleteLater()
        body = QWidget()
        body.setObjectName("ScrollBody")
        centre = QHBoxLayout(body)
        centre.setContentsMargins(28, 22, 28, 28)
        column = QWidget()
        column.setMaximumWidth(MAX_CONTENT_WIDTH)
        centre.addWidget(column)
        lay = QVBoxLayout(column)
        lay.setContentsMargins(0, 0, 0, 0)
        lay.setSpacing(16)

        d = report.debrief
        lay.addLayout(self._header(report))
        lay.addWidget(self._ending(report))
        # The outcome first, then what to take away, as a coach would debrief.
        answered = {
            t: text.split("\n", 1)[1]
            for t, text in report.notes.items()
            if text.startswith(REFLECTION) and "\n" in text
        }
        lay.addLayout(
            self._row(
                cards.outcome_card(d),
                cards.takeaways_card(d, self.try_from, self.keep_answer, answered),
                stretch=(2, 3),
            )
        )
        lay.addLayout(self._strengths(d))
        lay.addWidget(self._moments(d))
        lay.addWidget(self._measures(d))
        lay.addLayout(self._row(self._trust(d), self._blocks(d), stretch=(3, 2)))
        lay.addLayout(self._row(self._interests(d), self._value(d)))
        lay.addWidget(self._paths(report))
        lay.addWidget(cards.other_side_card(d))
        lay.addLayout(self._row(self._lessons(d), self._mistakes(d), stretch=(3, 2)))
        lay.addStretch(1)
        self.scroll.setWidget(body)
        self.stack.setCurrentWidget(self.scroll)
        self.loaded.emit(report.session_id)

    @staticmethod
    def _row(*cards: QWidget, stretch: tuple[int, ...] = ()) -> QHBoxLayout:
        row = QHBoxLayout()
        row.setSpacing(16)
        for i, c in enumerate(cards):
            row.addWidget(c, stretch[i] if i < len(stretch) else 1)
        return row

    def _turns(self, turns: list[int], **kw: Any) -> TurnChips:
        chips = TurnChips(turns, **kw)
        chips.turn_clicked.connect(self._open_turn)
        return chips

    def _open_turn(self, turn: int) -> None:
        if self.report is not None:
            self.open_replay.emit(self.report.session_id, turn)

    def _header(self, report: export.SessionReport) -> QHBoxLayout:
        row = QHBoxLayout()
        text = QVBoxLayout()
        text.setSpacing(2)
        text.addWidget(label("DEBRIEF", "eyebrow"))
        title = label(report.title, "h1")
        title.setAccessibleName(f"Debrief of {report.title}")
        text.addWidget(title)
        bits = [report.learner or "Guest"]
        if report.started:
            bits.append(export.when_text(report.started))
        bits.append(f"with {report.counterpart}")
        bits.append(f"{report.debrief.turns} turns")
        if report.meta.get("parent_id"):
            bits.append(
                f"branched at turn {report.meta.get('parent_turn')} from session "
                f"{str(report.meta['parent_id'])[:8]}"
            )
        text.addWidget(label(" · ".join(bits), "muted"))
        row.addLayout(text, 1)
        buttons = QHBoxLayout()
        buttons.setSpacing(8)
        self.replay_button = QPushButton("Step through turns")
        self.replay_button.setToolTip("Open the replay at the first turn")
        self.replay_button.clicked.connect(
            lambda: self._open_turn(1 if report.debrief.turns else 0)
        )
        self.html_button = QPushButton("Export HTML…")
        self.html_button.setToolTip("Save the debrief, transcript and notes as a web page (Ctrl+E)")
        self.html_button.clicked.connect(lambda: self.export("html"))
        self.pdf_button = QPushButton("Print handout (PDF)…")
        self.pdf_button.setToolTip(
            "Save the debrief as a two-page A4 handout: outcome, "
            "takeaways, trust chart, measures, the other side (Ctrl+P)"
        )
        self.pdf_button.clicked.connect(lambda: self.export("handout"))
        buttons.addWidget(self.replay_button)
        buttons.addWidget(self.html_button)
        buttons.addWidget(self.pdf_button)
        if not report.finished:
            resume = QPushButton("Resume")
            resume.setProperty("kind", "primary")
            resume.setToolTip("Carry on playing this session where it stopped")
            resume.clicked.connect(lambda: self.resume_requested.emit(report.session_id))
            buttons.insertWidget(0, resume)
            self.resume_button = resume
        row.addLayout(buttons)
        row.setAlignment(buttons, Qt.AlignmentFlag.AlignTop)
        self.status = label("", "muted")
        text.addWidget(self.status)
        self.status.hide()
        return row

    def _ending(self, report: export.SessionReport) -> QFrame:
        d = report.debrief
        frame = QFrame()
        lay = QVBoxLayout(frame)
        lay.setContentsMargins(20, 14, 20, 16)
        lay.setSpacing(6)
        if d.ending:
            kind = d.ending.get("kind", "")
            good = kind in ("deal", "agreement")
            frame.setProperty("role", "banner" if good else "banner-bad")
            lay.addWidget(
                label(f"OUTCOME · {export.ENDING_KINDS.get(kind, kind).upper()}", "eyebrow")
            )
            lay.addWidget(label(d.ending.get("title", ""), "h2"))
            lay.addWidget(label(d.ending.get("text", ""), "lead"))
            lay.addWidget(label(export.ENDING_MEANING.get(kind, ""), "muted"))
            frame.setAccessibleName(f"Ending: {d.ending.get('title', '')}")
        else:
            frame.setProperty("role", "banner")
            lay.addWidget(label("Not finished yet", "h2"))
            lay.addWidget(
                label(
                    f"The session stopped after turn {d.turns}. This debrief covers "
                    "the turns played so far; resume it to reach an ending.",
                    "lead",
                )
            )
            frame.setAccessibleName("Ending: not finished")
        self.ending_frame = frame
        return frame

    def _bullets(self, title: str, items: list[tuple[str, str]], empty: str) -> QFrame:
        frame, lay = card(title)
        if not items:
            lay.addWidget(label(empty, "muted"))
        for rating, text in items:
            row = QHBoxLayout()
            row.setSpacing(8)
            sym = QLabel(export.RATING_MARK[rating])
            sym.setStyleSheet(f"color: {_rating_colour(rating)}; font-weight: 700;")
            sym.setToolTip(export.RATING_TEXT[rating])
            row.addWidget(sym, 0, Qt.AlignmentFlag.AlignTop)
            head, _, rest = text.partition(": ")
            body = QLabel(f"<b>{_html(head)}</b>: {_html(rest)}" if rest else _html(text))
            body.setWordWrap(True)
            body.setTextFormat(Qt.TextFormat.RichText)
            body.setAccessibleName(f"{export.RATING_TEXT[rating]}: {text}")
            row.addWidget(body, 1)
            lay.addLayout(row)
        lay.addStretch(1)
        return frame

    def _strengths(self, d: Any) -> QHBoxLayout:
        good, work = export.strengths_and_weaknesses(d)
        self.went_well = self._bullets(
            "What went well",
            good,
            "Nothing reached the good mark this time: the measures below show how close you came.",
        )
        self.work_on = self._bullets(
            "What to work on",
            work,
            "Every measure reached the good mark. Try a harder "
            "scenario, or the curt variant of this one.",
        )
        return self._row(self.went_well, self.work_on)

    def _moments(self, d: Any) -> QFrame:
        frame, lay = card("The moments that mattered")
        if not d.moments:
            lay.addWidget(label("No turn moved trust much either way.", "muted"))
        grid = QGridLayout()
        grid.setHorizontalSpacing(14)
        grid.setVerticalSpacing(8)
        for r, m in enumerate(d.moments):
            grid.addWidget(self._turns([m.turn], prefix="Turn "), r, 0, Qt.AlignmentFlag.AlignTop)
            delta = round(m.trust_delta)
            change = label(f"trust {delta:+d}" if delta else "trust ±0", "small", wrap=False)
            rating = "good" if delta > 0 else "poor" if delta < 0 else "n/a"
            change.setStyleSheet(f"color: {_rating_colour(rating)}; font-weight: 700;")
            grid.addWidget(change, r, 1, Qt.AlignmentFlag.AlignTop)
            text = QVBoxLayout()
            text.setSpacing(1)
            text.addWidget(label(f"“{m.said}”"))
            text.addWidget(label(m.why, "small"))
            grid.addLayout(text, r, 2)
        grid.setColumnStretch(2, 1)
        lay.addLayout(grid)
        return frame

    def _measures(self, d: Any) -> QFrame:
        frame, lay = card("Measures, against the expert path in this scenario")
        grid = QGridLayout()
        grid.setHorizontalSpacing(18)
        grid.setVerticalSpacing(10)
        for col, head in enumerate(("Measure", "Yours", "Reference", "Rating", "Turns")):
            grid.addWidget(label(head, "eyebrow", wrap=False), 0, col)
        for r, m in enumerate(d.metrics, start=1):
            name = QWidget()
            nl = QVBoxLayout(name)
            nl.setContentsMargins(0, 0, 0, 0)
            nl.setSpacing(1)
            title = label(m.label)
            title.setStyleSheet("font-weight: 600;")
            nl.addWidget(title)
            nl.addWidget(label(m.explanation, "small"))
            value = label(m.display, select=True)
            ref = label(m.reference, "muted")
            badge = RatingBadge(m.rating)
            turns = self._turns(m.turns)
            for col, w in enumerate((name, value, ref, badge, turns)):
                grid.addWidget(w, r, col, Qt.AlignmentFlag.AlignTop)
            self.metric_rows[m.key] = {
                "label": title,
                "value": value,
                "reference": ref,
                "rating": badge,
                "turns": turns,
            }
        grid.setColumnStretch(0, 5)
        grid.setColumnStretch(1, 3)
        grid.setColumnStretch(2, 3)
        grid.setColumnStretch(4, 2)
        lay.addLayout(grid)
        return frame

    def _trust(self, d: Any) -> QFrame:
        frame, lay = card("Trust over the turns")
        marks = [
            Mark(i.revealed_turn, "reveal", i.label)
            for i in d.interests
            if i.revealed_turn is not None
        ]
        marks += [
            Mark(i.hinted_turn, "hint", i.label)
            for i in d.interests
            if i.hinted_turn is not None and i.revealed_turn is None
        ]
        chart = TrustChart()
        chart.set_curve(d.trust_curve, marks)
        chart.turn_clicked.connect(self._open_turn)
        lay.addWidget(chart, 1)
        c = d.trust_curve
        lay.addWidget(
            label(
                f"From {c[0]:.0f} to {c[-1]:.0f}, lowest {min(c):.0f}. Stars mark "
                "an interest revealed, triangles a hint. Click a point to open "
                "that turn.",
                "small",
            )
        )
        self.chart = chart
        return frame

    def _blocks(self, d: Any) -> QFrame:
        frame, lay = card("The four building blocks of trust")
        for b in d.blocks:
            rating = export.rating_of_score(b.score)
            head = QHBoxLayout()
            name = label(b.label, wrap=False)
            name.setStyleSheet("font-weight: 600;")
            head.addWidget(name, 1)
            score = label(
                "not tested" if b.score is None else f"{b.score}/100", "muted", wrap=False
            )
            head.addWidget(score)
            badge = RatingBadge(rating)
            head.addWidget(badge)
            lay.addLayout(head)
            if b.score is not None:
                lay.addWidget(bar(b.score, 100, f"{b.label}: {b.score} of 100", rating))
            lay.addWidget(label(b.explanation, "small"))
            turns_row = QHBoxLayout()
            turns_row.addWidget(label("Turns:", "small", wrap=False))
            chips = self._turns(b.turns, empty="none")
            turns_row.addWidget(chips, 1)
            lay.addLayout(turns_row)
            self.block_rows[b.key] = {"score": score, "rating": badge, "turns": chips}
        lay.addStretch(1)
        return frame

    def _interests(self, d: Any) -> QFrame:
        found = sum(1 for i in d.interests if i.revealed_turn is not None)
        title = (
            f"Hidden interests: {found} of {len(d.interests)} uncovered"
            if d.interests
            else "Hidden interests"
        )
        frame, lay = card(title)
        if not d.interests:
            lay.addWidget(label("This scenario has no hidden interests.", "muted"))
        for i in d.interests:
            row = QHBoxLayout()
            if i.revealed_turn is not None:
                mark, rating, status, turn = "✔", "good", "Uncovered at turn", i.revealed_turn
            elif i.hinted_turn is not None:
                mark, rating, status, turn = "◐", "fair", "Hinted at turn", i.hinted_turn
            else:
                mark, rating, status, turn = "✘", "poor", "Never came up", None
            sym = QLabel(mark)
            sym.setStyleSheet(f"color: {_rating_colour(rating)}; font-weight: 700;")
            row.addWidget(sym, 0, Qt.AlignmentFlag.AlignTop)
            text = QVBoxLayout()
            text.setSpacing(1)
            text.addWidget(label(i.label))
            detail = QHBoxLayout()
            detail.setSpacing(4)
            detail.addWidget(label(status, "small", wrap=False))
            if turn is not None:
                detail.addWidget(self._turns([turn]))
            if rating == "fair":
                detail.addWidget(label("— missed: never uncovered", "small", wrap=False))
            detail.addStretch(1)
            text.addLayout(detail)
            row.addLayout(text, 1)
            lay.addLayout(row)
        missed = [i for i in d.interests if i.revealed_turn is None and i.hinted_turn is not None]
        if missed:
            lay.addWidget(
                label(
                    "A hint means they trusted you enough to point at it, not yet "
                    "to say it. Listening responses and open questions on that "
                    "topic, with trust a little higher, would have opened it.",
                    "small",
                )
            )
        lay.addStretch(1)
        return frame

    def _value(self, d: Any) -> QFrame:
        frame, lay = card("Value: the deal against the best possible")
        v = d.value
        if v is None:
            lay.addWidget(
                label("This scenario has no terms to trade, so no value is measured.", "muted")
            )
            return frame
        if v.get("deal"):
            lay.addWidget(
                label(
                    f"Joint value: {v['joint']:.0f} of {v['best_joint']:.0f} "
                    f"possible ({v['created_share']:.0%})"
                )
            )
            lay.addWidget(
                bar(
                    v["joint"],
                    v["best_joint"],
                    "Joint value against the best",
                    _metric_rating(d, "value_created"),
                )
            )
            lay.addWidget(
                label(
                    f"Claimed for your side: {v['you']:.0f} of {v['max_you']:.0f} "
                    f"at most ({v['claimed_share']:.0%})"
                )
            )
            lay.addWidget(
                bar(
                    v["you"],
                    v["max_you"],
                    "Value claimed for your side",
                    _metric_rating(d, "value_claimed"),
                )
            )
            lay.addWidget(
                label(f"Worth {v['them']:.0f} to them, counting what they needed.", "small")
            )
        else:
            lay.addWidget(
                label(
                    f"No deal, so no value was created. The best deal for both "
                    f"sides was worth {v['best_joint']:.0f} in joint value.",
                    "lead",
                )
            )
        grid = _grid(["Term", "Your deal", "Best for both"], 14, 4)
        issues = self.report.session.scenario.spec.issues if self.report else {}
        differs = False
        for r, (iid, best) in enumerate(v["best_terms"].items(), start=1):
            name = issues[iid].label if iid in issues else iid
            mine = (v.get("deal") or {}).get(iid, "—")
            grid.addWidget(label(name, "muted", wrap=False), r, 0)
            grid.addWidget(label(mine, wrap=False), r, 1)
            best_label = label(best, wrap=False)
            if v.get("deal") and mine != best:
                best_label.setStyleSheet("font-weight: 700;")
                best_label.setAccessibleName(f"{best}, differs from your deal")
                differs = True
            grid.addWidget(best_label, r, 2)
        grid.setColumnStretch(3, 1)
        lay.addLayout(grid)
        if differs:
            lay.addWidget(
                label("Terms in bold are where the best deal for both differs from yours.", "small")
            )
        lay.addStretch(1)
        return frame

    def _paths(self, report: export.SessionReport) -> QFrame:
        frame, lay = card("Your path beside an expert's")
        you, expert, rows = export.path_comparison(report)
        lay.addWidget(label(f"You: {you}."))
        if expert is None:
            self.expert_label = label(
                "Expert path not computed for this scenario, so there is "
                "nothing to compare with yet.",
                "muted",
            )
            lay.addWidget(self.expert_label)
            return frame
        self.expert_label = label(f"Expert: {expert}.")
        lay.addWidget(self.expert_label)
        only_expert, only_you = export.path_differences(report)
        if only_expert:
            lay.addWidget(label("The expert also used: " + ", ".join(only_expert) + ".", "lead"))
        if only_you:
            lay.addWidget(
                label("You used, and the expert did not: " + ", ".join(only_you) + ".", "lead")
            )
        grid = _grid(["Turn", "You", "Expert"], 16, 6)
        for r, p in enumerate(rows, start=1):
            if p.you_move:
                grid.addWidget(self._turns([p.turn]), r, 0, Qt.AlignmentFlag.AlignTop)
            else:
                grid.addWidget(
                    label(str(p.turn), "muted", wrap=False), r, 0, Qt.AlignmentFlag.AlignTop
                )
            for col, (move, said) in (
                (1, (p.you_move, p.you_said)),
                (2, (p.expert_move, p.expert_said)),
            ):
                cell = QLabel(
                    f"<b>{_html(move)}</b> <span>{_html(_short(said))}</span>" if move else ""
                )
                cell.setWordWrap(True)
                cell.setTextFormat(Qt.TextFormat.RichText)
                cell.setToolTip(tip(said))
                grid.addWidget(cell, r, col, Qt.AlignmentFlag.AlignTop)
        grid.setColumnStretch(1, 1)
        grid.setColumnStretch(2, 1)
        lay.addLayout(grid)
        return frame

    def _lessons(self, d: Any) -> QFrame:
        from negtrainer.engine.skills import ARTICLE

        frame, lay = card(f"Lessons from {ARTICLE}")
        if not d.lessons:
            lay.addWidget(label("This scenario is not tagged with any lesson.", "muted"))
        for le in d.lessons:
            box = QVBoxLayout()
            box.setSpacing(2)
            title = label(le.title)
            title.setStyleSheet("font-weight: 600;")
            box.addWidget(title)
            box.addWidget(label(le.lesson))
            if le.here:
                box.addWidget(label(f"In this session: {le.here}", "small"))
            lay.addLayout(box)
            lay.addSpacing(6)
        lay.addStretch(1)
        return frame

    def _mistakes(self, d: Any) -> QFrame:
        frame, lay = card("Common mistakes spotted")
        self.mistakes = d.mistakes
        if not d.mistakes:
            lay.addWidget(label("None of the common mistakes the trainer looks for.", "muted"))
        for m in d.mistakes:
            row = QHBoxLayout()
            sym = QLabel("✘")
            sym.setStyleSheet(f"color: {_rating_colour('poor')}; font-weight: 700;")
            row.addWidget(sym, 0, Qt.AlignmentFlag.AlignTop)
            head, _, rest = m.partition(": ")
            body = QLabel(f"<b>{_html(head)}</b>: {_html(rest)}" if rest else _html(m))
            body.setWordWrap(True)
            body.setTextFormat(Qt.TextFormat.RichText)
            row.addWidget(body, 1)
            lay.addLayout(row)
        lay.addWidget(
            label(
                "From a study of learners' most common mistakes: no walk-away "
                "point, no target, not breaking the ice, a weak or unambitious "
                "offer, no rationale, no strategic closing.",
                "small",
            )
        )
        lay.addStretch(1)
        return frame

    # -- export ------------------------------------------------------------------------
    # -- takeaways -------------------------------------------------------------------------
    def try_from(self, turn: int) -> None:
        """Branch just before ``turn`` and play it again."""
        if self.report is None:
            return
        sid = self.report.session_id
        learner = getattr(self.services, "learner", "") or None
        self._say(f"Starting a branch before turn {turn}…")

        def done(result: tuple[str, Any]) -> None:
            changed = getattr(self.services, "store_changed", None)
            if changed is not None:
                changed.emit()
            self.branch_started.emit(result[0])

        self.services.run_op(
            lambda store: store.branch(sid, max(0, turn - 1), learner=learner),
            done,
            lambda exc: self._say(f"Could not branch: {exc}"),
        )

    def keep_answer(self, turn: int, question: str, answer: str) -> None:
        """Store a reflection answer with the session's notes."""
        if self.report is None or not answer.strip():
            return
        sid = self.report.session_id
        text = f"{REFLECTION} {question}\n{answer.strip()}"

        def done(_note: Any) -> None:
            if self.report is not None:
                self.report.notes[turn] = text
            self._say("Your answer is kept with this session's notes.")
            self.answer_kept.emit(turn)

        self.services.run_op(
            lambda store: store.add_note(sid, turn, text),
            done,
            lambda exc: self._say(f"Could not keep the answer: {exc}"),
        )

    def export(self, kind: str, path: Path | None = None) -> None:
        if self.report is None:
            return
        run_export(self, self.services, self.report, kind, path, self._say)

    def _say(self, text: str) -> None:
        self.status.setText(text)
        self.status.show()


def _grid(headers: list[str], h_spacing: int, v_spacing: int) -> QGridLayout:
    """A grid whose first row names its columns; the rows below start at 1."""
    grid = QGridLayout()
    grid.setHorizontalSpacing(h_spacing)
    grid.setVerticalSpacing(v_spacing)
    for col, text in enumerate(headers):
        grid.addWidget(label(text, "eyebrow", wrap=False), 0, col)
    return grid


def _metric_rating(d: Any, key: str) -> str | None:
    return next((m.rating for m in d.metrics if m.key == key), None)


def _html(text: str) -> str:
    import html

    return html.escape(text)


def _short(text: str, n: int = 90) -> str:
    return text if len(text) <= n else text[: n - 1].rstrip() + "…"
