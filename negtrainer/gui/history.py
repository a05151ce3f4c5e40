"""The history: every past session, filtered and sorted, and progress over time.

A ``QTableView`` over :class:`HistoryModel` through :class:`HistoryFilter`
(learner, scenario, outcome, date). Enter or a double-click opens the debrief
of a finished session and resumes an unfinished one (marked "▶ Unfinished:
resume"). Below, three charts follow the learner's finished sessions in the
filter, oldest first: share of open questions, trust at the end, and joint
value against the best possible.

The sessions are read in pages off the GUI thread; the figures come from the
scores the store saved with each finished session, so nothing is re-scored.
"""

from __future__ import annotations

from datetime import datetime, timedelta
from typing import Any, ClassVar

from PySide6.QtCore import QModelIndex, QPersistentModelIndex, QSortFilterProxyModel, Qt, Signal
from PySide6.QtWidgets import (
    QAbstractItemView,
    QComboBox,
    QHBoxLayout,
    QHeaderView,
    QLabel,
    QProxyStyle,
    QPushButton,
    QSplitter,
    QStyle,
    QStyleOptionHeader,
    QTableView,
    QVBoxLayout,
    QWidget,
)

from negtrainer.gui.charts import ProgressChart
from negtrainer.gui.models.history_model import (
    HistoryModel,
    end_trust,
    open_share,
    outcome_quality,
)
from negtrainer.gui.quietcombo import QuietCombo
from negtrainer.gui.widgets import card, label, plain, title_stack

PAGE = 500


class SortArrowStyle(QProxyStyle):
    """Qt marks a descending sort "SortUp" (▲); draw ▼ for newest first, ▲ for oldest."""

    FLIP: ClassVar[dict[Any, Any]] = {
        QStyleOptionHeader.SortIndicator.SortUp: QStyleOptionHeader.SortIndicator.SortDown,
        QStyleOptionHeader.SortIndicator.SortDown: QStyleOptionHeader.SortIndicator.SortUp,
    }

    def drawPrimitive(self, element: Any, option: Any, painter: Any, widget: Any = None) -> None:
        if (
            element == QStyle.PrimitiveElement.PE_IndicatorHeaderArrow
            and isinstance(option, QStyleOptionHeader)
            and option.sortIndicator in self.FLIP
        ):
            option = QStyleOptionHeader(option)
            option.sortIndicator = self.FLIP[option.sortIndicator]
        super().drawPrimitive(element, option, painter, widget)


ANY = ""

ENDING_FILTERS = [
    ("Any outcome", ANY),
    ("Deals", "deal"),
    ("Impasses", "impasse"),
    ("Walk-outs", "walkout"),
    ("Unfinished", "unfinished"),
]
DATE_FILTERS = [
    ("Any time", 0),
    ("Today", 1),
    ("Last 7 days", 7),
    ("Last 30 days", 30),
    ("Last 365 days", 365),
]


class HistoryFilter(QSortFilterProxyModel):
    """Keeps the rows that match learner, scenario, outcome and date; sorts by raw values."""

    def __init__(self, parent: Any = None):
        super().__init__(parent)
        self.learner = ANY
        self.scenario = ANY
        self.ending = ANY  # an ending kind, "unfinished", or ANY
        self.since: datetime | None = None
        self.setSortRole(HistoryModel.SortRole)

    def set_filters(
        self,
        *,
        learner: str | None = None,
        scenario: str | None = None,
        ending: str | None = None,
        since: datetime | None | bool = False,
    ) -> None:
        # begin/endFilterChange replace invalidateFilter from Qt 6.10; keep both working.
        modern = hasattr(self, "endFilterChange")
        if modern:
            self.beginFilterChange()
        if learner is not None:
            self.learner = learner
        if scenario is not None:
            self.scenario = scenario
        if ending is not None:
            self.ending = ending
        if since is not False:
            self.since = since  # type: ignore[assignment]
        if modern:
            self.endFilterChange()
        else:
            self.invalidateFilter()

    def filterAcceptsRow(self, row: int, parent: QModelIndex | QPersistentModelIndex) -> bool:
        m = self.sourceModel()
        idx = m.index(row, 0, parent)
        if self.learner and m.data(idx, HistoryModel.LearnerRole) != self.learner:
            return False
        if self.scenario and m.data(idx, HistoryModel.ScenarioRole) != self.scenario:
            return False
        if self.ending == "unfinished":
            if not m.data(idx, HistoryModel.ResumableRole):
                return False
        elif self.ending:
            kind = m.data(idx, HistoryModel.EndingKindRole)
            if kind != self.ending and not (self.ending == "deal" and kind == "agreement"):
                return False
        if self.since is not None:
            started = m.data(idx, HistoryModel.StartedRole)
            if started is None or started < self.since:
                return False
        return True


class HistoryView(QWidget):
    open_replay = Signal(str, int)
    open_debrief = Signal(str)
    branch_started = Signal(str)
    resume_requested = Signal(str)
    loaded = Signal(int)  # how many sessions are listed, after each (re)load

    def __init__(self, services: Any, parent: QWidget | None = None):
        super().__init__(parent)
        self.services = services
        self.setObjectName("Page")
        self.setAccessibleName("History")
        self.total = 0
        self._generation = 0
        self._chosen_learner: str | None = None  # None: follow the current learner

        lay = QVBoxLayout(self)
        lay.setContentsMargins(28, 22, 28, 18)
        lay.setSpacing(12)
        lay.addLayout(self._header())
        lay.addLayout(self._filters())

        self.model = HistoryModel(self)
        self.proxy = HistoryFilter(self)
        self.proxy.setSourceModel(self.model)
        self.table = QTableView()
        self.table.setModel(self.proxy)
        self.table.setAccessibleName("Past sessions")
        self.table.setAccessibleDescription(
            "Enter or double-click opens the debrief, or resumes an unfinished session."
        )
        self.table.setSortingEnabled(True)
        self._arrows = SortArrowStyle()  # kept: the header does not own its style
        self.table.horizontalHeader().setStyle(self._arrows)
        self.table.sortByColumn(HistoryModel.COL_STARTED, Qt.SortOrder.DescendingOrder)
        self.table.setSelectionBehavior(QAbstractItemView.SelectionBehavior.SelectRows)
        self.table.setSelectionMode(QAbstractItemView.SelectionMode.ExtendedSelection)
        self.table.setEditTriggers(QAbstractItemView.EditTrigger.NoEditTriggers)
        self.table.setAlternatingRowColors(False)
        self.table.setShowGrid(False)
        self.table.setWordWrap(False)
        self.table.verticalHeader().hide()
        _fit_rows(self.table)
        hh = self.table.horizontalHeader()
        hh.setSectionResizeMode(QHeaderView.ResizeMode.ResizeToContents)
        hh.setSectionResizeMode(HistoryModel.COL_SCENARIO, QHeaderView.ResizeMode.Stretch)
        hh.setHighlightSections(False)
        self.table.activated.connect(self.activate)
        self.table.clicked.connect(self._clicked)
        self.table.selectionModel().selectionChanged.connect(lambda *_: self._update_buttons())
        self.proxy.modelReset.connect(self._update_buttons)
        self.proxy.layoutChanged.connect(self._after_filter)
        self.proxy.rowsInserted.connect(self._after_filter)
        self.proxy.rowsRemoved.connect(self._after_filter)
        self.proxy.modelReset.connect(self._after_filter)

        table_box = QWidget()
        tl = QVBoxLayout(table_box)
        tl.setContentsMargins(0, 0, 0, 0)
        tl.setSpacing(8)
        tl.addWidget(self.table, 1)
        tl.addLayout(self._actions())

        progress, pl = card("")
        progress.setAccessibleName("Progress over time")
        self.progress_title = label("Progress over time", "h3")
        pl.addWidget(self.progress_title)
        self.progress_note = label("", "small")
        pl.addWidget(self.progress_note)
        charts = QHBoxLayout()
        charts.setSpacing(12)
        self.open_chart = ProgressChart("Open questions")
        self.trust_chart = ProgressChart("Trust at the end", unit="")
        self.joint_chart = ProgressChart("Outcome score")
        for c in (self.open_chart, self.trust_chart, self.joint_chart):
            charts.addWidget(c, 1)
        pl.addLayout(charts, 1)

        split = QSplitter(Qt.Orientation.Vertical)
        split.setChildrenCollapsible(False)
        split.addWidget(table_box)
        split.addWidget(progress)
        split.setStretchFactor(0, 3)
        split.setStretchFactor(1, 2)
        lay.addWidget(split, 1)
        self.split = split

        self.empty = label(
            "No sessions yet. Play a scenario from the Library and it will "
            "appear here, with its debrief and a replay.",
            "muted",
        )
        self.empty.setAlignment(Qt.AlignmentFlag.AlignCenter)
        self.empty.hide()
        lay.addWidget(self.empty, 1)  # the room the table leaves, not gaps between headings

        for sig in ("store_changed",):
            s = getattr(services, sig, None)
            if s is not None:
                s.connect(self.refresh)
        settings = getattr(services, "settings", None)
        if settings is not None:
            settings.changed.connect(self._setting_changed)
        lc = getattr(services, "learner_changed", None)
        if lc is not None:
            lc.connect(self._learner_changed)
        self._update_buttons()

    def _setting_changed(self, key: str) -> None:
        if key in ("theme", "text_size"):
            _fit_rows(self.table)
            self._update_progress()  # charts take the new colours and font

    # -- building --------------------------------------------------------------------------
    def _header(self) -> QHBoxLayout:
        row = QHBoxLayout()
        text, _title, self.summary = title_stack("Past sessions", eyebrow="HISTORY")
        row.addLayout(text, 1)
        self.refresh_button = QPushButton("Refresh")
        self.refresh_button.setToolTip("Read the sessions again (F5)")
        self.refresh_button.setShortcut("F5")
        self.refresh_button.clicked.connect(self.refresh)
        row.addWidget(self.refresh_button, 0, Qt.AlignmentFlag.AlignTop)
        return row

    def _filters(self) -> QHBoxLayout:
        row = QHBoxLayout()
        row.setSpacing(8)

        def combo(name: str, items: list[tuple[str, Any]]) -> QComboBox:
            c = QuietCombo()
            c.setAccessibleName(name)
            for text, value in items:
                c.addItem(text, value)
            c.setSizeAdjustPolicy(QComboBox.SizeAdjustPolicy.AdjustToContents)
            return c

        self.learner_combo = combo("Learner", [("All learners", ANY)])
        self.scenario_combo = combo("Scenario", [("All scenarios", ANY)])
        self.ending_combo = combo("Outcome", ENDING_FILTERS)
        self.date_combo = combo("Started", DATE_FILTERS)
        # The filters reflow onto a second line at large text instead of cutting
        # their words ("All lea", "Any ou").
        from negtrainer.gui.reflow import ReflowRow

        self.filter_row = ReflowRow(8)
        for text, c in (
            ("&Learner", self.learner_combo),
            ("&Scenario", self.scenario_combo),
            ("&Outcome", self.ending_combo),
            ("S&tarted", self.date_combo),
        ):
            lab = plain(QLabel(text))
            lab.setBuddy(c)
            self.filter_row.add_group(lab, c)
        self.count_label = label("", "muted", wrap=False)
        self.filter_row.add_group(self.count_label)
        row.addWidget(self.filter_row, 1)
        self.learner_combo.activated.connect(self._learner_chosen)
        self.scenario_combo.currentIndexChanged.connect(
            lambda _i: self.proxy.set_filters(scenario=self.scenario_combo.currentData())
        )
        self.ending_combo.currentIndexChanged.connect(
            lambda _i: self.proxy.set_filters(ending=self.ending_combo.currentData())
        )
        self.date_combo.currentIndexChanged.connect(lambda _i: self._date_chosen())
        return row

    def _actions(self) -> QHBoxLayout:
        row = QHBoxLayout()
        row.setSpacing(8)
        self.debrief_button = QPushButton("Open debrief")
        self.debrief_button.setToolTip("The debrief of the selected session (Enter)")
        self.debrief_button.clicked.connect(lambda: self._with_selected(self.open_debrief.emit))
        self.replay_button = QPushButton("Step through")
        self.replay_button.setToolTip("Replay the selected session turn by turn")
        self.replay_button.clicked.connect(
            lambda: self._with_selected(lambda sid: self.open_replay.emit(sid, 1))
        )
        self.resume_button = QPushButton("Resume")
        self.resume_button.setProperty("kind", "primary")
        self.resume_button.setToolTip("Carry on playing the selected unfinished session")
        self.resume_button.clicked.connect(lambda: self._with_selected(self.resume_requested.emit))
        self.more_button = QPushButton("Show older sessions")
        self.more_button.clicked.connect(self.load_more)
        self.more_button.hide()
        row.addWidget(self.debrief_button)
        row.addWidget(self.replay_button)
        row.addWidget(self.resume_button)
        row.addStretch(1)
        row.addWidget(self.more_button)
        return row

    # -- loading ---------------------------------------------------------------------------
    def refresh(self) -> None:
        """Read the newest sessions and the learners again, off the GUI thread."""
        self._generation += 1
        gen = self._generation
        self.summary.setText("Loading…")

        def fetch(store: Any) -> tuple[list[Any], int, list[str]]:
            return (
                store.list_sessions(limit=PAGE),
                store.count_sessions(),
                [lr.name for lr in store.learners()],
            )

        self.services.run_op(
            fetch, lambda r: self._fetched(gen, r, replace=True), lambda exc: self._failed(gen, exc)
        )

    def load_more(self) -> None:
        gen = self._generation
        offset = self.model.rowCount()
        self.services.run_op(
            lambda store: (
                store.list_sessions(limit=PAGE, offset=offset),
                store.count_sessions(),
                [lr.name for lr in store.learners()],
            ),
            lambda r: self._fetched(gen, r, replace=False),
            lambda exc: self._failed(gen, exc),
        )

    def _fetched(self, gen: int, result: tuple[list[Any], int, list[str]], replace: bool) -> None:
        if gen != self._generation:
            return  # a newer refresh is on its way
        infos, total, learners = result
        self.total = total
        selected = self.selected_ids()
        if replace:
            self.model.set_sessions(infos)
        else:
            self.model.add_sessions(infos)
        self._fill_combos(learners)
        self._reselect(selected)
        if not self.table.selectionModel().hasSelection() and self.proxy.rowCount():
            # Enter works at once: the newest session is the current row.
            self.table.setCurrentIndex(self.proxy.index(0, 0))
            self.table.selectRow(0)
        self.more_button.setVisible(self.model.rowCount() < total)
        has = self.model.rowCount() > 0
        self.empty.setVisible(not has)
        self.split.setVisible(has)
        self._after_filter()
        if has and replace and not self.table.hasFocus() and self.isVisible():
            self.table.setFocus()
        self.loaded.emit(self.model.rowCount())

    def _failed(self, gen: int, exc: BaseException) -> None:
        if gen == self._generation:
            self.summary.setText(f"The sessions could not be read. {exc}")

    def _fill_combos(self, learners: list[str]) -> None:
        cur = self.learner_combo.currentData()
        self.learner_combo.blockSignals(True)
        self.learner_combo.clear()
        self.learner_combo.addItem("All learners", ANY)
        names = sorted(
            set(learners) | {i.learner for i in self.model.sessions() if i.learner}, key=str.lower
        )
        for n in names:
            self.learner_combo.addItem(n, n)
        want = (
            self._chosen_learner
            if self._chosen_learner is not None
            else (getattr(self.services, "learner", "") or ANY)
        )
        if want not in names:
            want = ANY if self._chosen_learner is None else (cur if cur in names else ANY)
        self.learner_combo.setCurrentIndex(max(0, self.learner_combo.findData(want)))
        self.learner_combo.blockSignals(False)
        self.proxy.set_filters(learner=self.learner_combo.currentData())

        cur = self.scenario_combo.currentData()
        self.scenario_combo.blockSignals(True)
        self.scenario_combo.clear()
        self.scenario_combo.addItem("All scenarios", ANY)
        titles: dict[str, str] = {}
        for i in self.model.sessions():
            titles.setdefault(i.scenario_id, i.scenario_title)
        for sid, title in sorted(titles.items(), key=lambda kv: kv[1].lower()):
            self.scenario_combo.addItem(title, sid)
        self.scenario_combo.setCurrentIndex(max(0, self.scenario_combo.findData(cur)))
        self.scenario_combo.blockSignals(False)
        self.proxy.set_filters(scenario=self.scenario_combo.currentData())

    # -- filters ---------------------------------------------------------------------------
    def _learner_chosen(self, _index: int) -> None:
        self._chosen_learner = self.learner_combo.currentData()
        self.proxy.set_filters(learner=self._chosen_learner)
        self._update_progress()  # also when the rows shown stay the same

    def _learner_changed(self, name: str) -> None:
        self._chosen_learner = None
        i = self.learner_combo.findData(name or ANY)
        if i >= 0:
            self.learner_combo.setCurrentIndex(i)
            self.proxy.set_filters(learner=self.learner_combo.currentData())
            self._update_progress()

    def _date_chosen(self) -> None:
        days = self.date_combo.currentData()
        if not days:
            since = None
        else:
            today = datetime.now().astimezone().replace(hour=0, minute=0, second=0, microsecond=0)
            since = today - timedelta(days=days - 1)
        self.proxy.set_filters(since=since)

    def set_filters(
        self,
        *,
        learner: str | None = None,
        scenario: str | None = None,
        ending: str | None = None,
        days: int | None = None,
    ) -> None:
        """Set the filter boxes as a user would (for the window and tests)."""
        for combo, value in (
            (self.learner_combo, learner),
            (self.scenario_combo, scenario),
            (self.ending_combo, ending),
            (self.date_combo, days),
        ):
            if value is not None:
                i = combo.findData(value)
                if i < 0:
                    raise ValueError(f"no filter value {value!r} in {combo.accessibleName()}")
                combo.setCurrentIndex(i)
                if combo is self.learner_combo:
                    self._learner_chosen(i)

    def _after_filter(self, *_args: Any) -> None:
        shown = self.proxy.rowCount()
        loaded = self.model.rowCount()
        unfinished = sum(1 for i in self.model.sessions() if i.status == "unfinished")
        self.summary.setText(
            f"{self.total} session{'s' if self.total != 1 else ''} in all"
            + (f", {unfinished} unfinished" if unfinished else "")
            + ". Enter or double-click opens the debrief, or resumes an unfinished one."
        )
        self.count_label.setText(f"Showing {shown} of {loaded}")
        self._update_progress()
        self._update_buttons()

    # -- progress --------------------------------------------------------------------------
    def _update_progress(self) -> None:
        learner = self.proxy.learner  # the filter's choice; "All learners" is everyone
        rows = []
        for r in range(self.proxy.rowCount()):
            info = self.proxy.data(self.proxy.index(r, 0), HistoryModel.InfoRole)
            if (
                info.status == "finished"
                and info.scores
                and (not learner or info.learner == learner)
            ):
                rows.append(info)
        rows.sort(key=lambda i: i.started_at)
        who = learner or "everyone"
        # Compare like with like: one scenario at a time (the latest one played, unless
        # the filter picks one), since scenarios differ in how hard a good outcome is.
        scenarios = {i.scenario_id for i in rows}
        which = ""
        if len(scenarios) > 1:
            latest = rows[-1]
            rows = [i for i in rows if i.scenario_id == latest.scenario_id]
            which = latest.scenario_title
        elif rows:
            which = rows[-1].scenario_title
        self.progress_title.setText(f"Progress over time: {who}" + (f", {which}" if which else ""))
        more = " Pick a scenario in the filter to see another one." if len(scenarios) > 1 else ""
        self.progress_note.setText(
            f"{len(rows)} finished session{'s' if len(rows) != 1 else ''} of this scenario, "
            f"oldest first. Higher is better on all three.{more}"
            if rows
            else "Finish a session to see progress here."
        )
        # No question asked counts as no open question; no deal as no value created.
        self.open_chart.set_values([100 * (open_share(i) or 0.0) for i in rows])
        self.trust_chart.set_values([end_trust(i) for i in rows])
        self.joint_chart.set_values(
            [None if outcome_quality(i) is None else 100 * outcome_quality(i) for i in rows]
        )

    # -- acting ----------------------------------------------------------------------------
    def selected_ids(self) -> list[str]:
        rows = self.table.selectionModel().selectedRows() if self.table.selectionModel() else []
        return [self.proxy.data(i, HistoryModel.SessionIdRole) for i in rows]

    def _reselect(self, ids: list[str]) -> None:
        if not ids:
            return
        for r in range(self.proxy.rowCount()):
            idx = self.proxy.index(r, 0)
            if self.proxy.data(idx, HistoryModel.SessionIdRole) == ids[0]:
                self.table.selectRow(r)
                return

    def _current_index(self) -> QModelIndex:
        idx = self.table.currentIndex()
        if not idx.isValid():
            rows = self.table.selectionModel().selectedRows()
            idx = rows[0] if rows else QModelIndex()
        return idx

    def _with_selected(self, fn: Any) -> None:
        idx = self._current_index()
        if idx.isValid():
            fn(self.proxy.data(idx, HistoryModel.SessionIdRole))

    def activate(self, index: QModelIndex) -> None:
        """Open the debrief of a finished session; resume an unfinished one."""
        if not index.isValid():
            return
        sid = self.proxy.data(index, HistoryModel.SessionIdRole)
        if self.proxy.data(index, HistoryModel.ResumableRole):
            self.resume_requested.emit(sid)
        else:
            self.open_debrief.emit(sid)

    def _clicked(self, index: QModelIndex) -> None:
        # The "▶ Unfinished: resume" cell works as a button.
        if index.column() == HistoryModel.COL_OUTCOME and self.proxy.data(
            index, HistoryModel.ResumableRole
        ):
            self.resume_requested.emit(self.proxy.data(index, HistoryModel.SessionIdRole))

    def _update_buttons(self) -> None:
        idx = self._current_index()
        ok = idx.isValid() and bool(self.table.selectionModel().selectedRows())
        resumable = ok and bool(self.proxy.data(idx, HistoryModel.ResumableRole))
        self.debrief_button.setEnabled(ok)
        self.replay_button.setEnabled(ok)
        self.resume_button.setEnabled(resumable)
        self.resume_button.setVisible(any(i.status == "unfinished" for i in self.model.sessions()))


def _fit_rows(table: QTableView) -> None:
    """Row height from the font in use, so rows grow with the text-size setting."""
    table.verticalHeader().setDefaultSectionSize(round(table.fontMetrics().height() * 1.9))
