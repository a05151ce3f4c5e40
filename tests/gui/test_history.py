"""The history: every stored session, filtered and sorted; Enter opens or resumes one."""

from __future__ import annotations

import os

os.environ.setdefault("QT_QPA_PLATFORM", "offscreen")

import pytest
from guiplay import expert_session, pushy_session, record
from PySide6.QtCore import Qt
from PySide6.QtTest import QTest

from negtrainer.gui.history import HistoryView
from negtrainer.gui.models.history_model import HistoryModel


@pytest.fixture
def sessions(services, scenario) -> dict[str, str]:
    """Ana: a walk-out 40 days ago, a deal 3 days ago, one unfinished today; Ben: a deal."""
    store = services.store
    return {
        "ana_walkout": record(store, pushy_session(scenario), "Ana", days_ago=40),
        "ana_deal": record(store, expert_session(scenario), "Ana", days_ago=3),
        "ana_unfinished": record(store, expert_session(scenario), "Ana", upto=2, days_ago=0.01),
        "ben_deal": record(store, expert_session(scenario), "Ben", days_ago=10),
    }


def loaded(qtbot, services) -> HistoryView:
    view = HistoryView(services)
    qtbot.addWidget(view)
    view.resize(1280, 800)
    view.show()
    with qtbot.waitSignal(view.loaded, timeout=10000):
        view.refresh()
    return view


def listed(view: HistoryView) -> list[str]:
    p = view.proxy
    return [p.data(p.index(r, 0), HistoryModel.SessionIdRole) for r in range(p.rowCount())]


def row_of(view: HistoryView, sid: str) -> int:
    return listed(view).index(sid)


def test_history_lists_every_session_newest_first(qtbot, services, sessions):
    view = loaded(qtbot, services)
    assert listed(view) == [
        sessions["ana_unfinished"],
        sessions["ana_deal"],
        sessions["ben_deal"],
        sessions["ana_walkout"],
    ]
    assert view.total == 4
    p = view.proxy
    outcome = p.data(p.index(0, HistoryModel.COL_OUTCOME))
    assert outcome == "▶ Unfinished: resume"
    assert p.data(p.index(3, HistoryModel.COL_OUTCOME)).startswith("✘")


def test_history_filters_by_learner_scenario_outcome_and_date(qtbot, services, sessions, scenario):
    view = loaded(qtbot, services)
    view.set_filters(learner="Ben")
    assert listed(view) == [sessions["ben_deal"]]
    view.set_filters(learner="Ana", ending="deal")
    assert listed(view) == [sessions["ana_deal"]]
    view.set_filters(ending="unfinished")
    assert listed(view) == [sessions["ana_unfinished"]]
    view.set_filters(ending="", days=30)
    assert listed(view) == [sessions["ana_unfinished"], sessions["ana_deal"]]
    view.set_filters(learner="", days=0, scenario=scenario.id)
    assert len(listed(view)) == 4
    assert view.count_label.text() == "Showing 4 of 4"


def test_the_current_learner_is_the_default_filter(qtbot, services, sessions):
    services.set_learner("Ben")
    view = loaded(qtbot, services)
    assert listed(view) == [sessions["ben_deal"]]
    # One scenario at a time, named: progress compares like with like.
    assert view.progress_title.text().startswith("Progress over time: Ben, ")


def test_sorting_a_column_orders_by_its_value_not_its_text(qtbot, services, sessions):
    view = loaded(qtbot, services)
    view.table.sortByColumn(HistoryModel.COL_TRUST, Qt.SortOrder.AscendingOrder)
    assert listed(view)[:2] == [sessions["ana_unfinished"], sessions["ana_walkout"]]
    view.table.sortByColumn(HistoryModel.COL_TURNS, Qt.SortOrder.DescendingOrder)
    turns = [
        view.proxy.data(view.proxy.index(r, HistoryModel.COL_TURNS), HistoryModel.SortRole)
        for r in range(view.proxy.rowCount())
    ]
    assert turns == sorted(turns, reverse=True)


def _double_click(qtbot, view: HistoryView, row: int) -> None:
    idx = view.proxy.index(row, HistoryModel.COL_SCENARIO)
    rect = view.table.visualRect(idx)
    QTest.mouseClick(view.table.viewport(), Qt.MouseButton.LeftButton, pos=rect.center())
    QTest.mouseDClick(view.table.viewport(), Qt.MouseButton.LeftButton, pos=rect.center())


def test_double_click_opens_the_debrief_of_a_finished_session(qtbot, services, sessions):
    view = loaded(qtbot, services)
    with qtbot.waitSignal(view.open_debrief) as sig:
        _double_click(qtbot, view, row_of(view, sessions["ana_deal"]))
    assert sig.args == [sessions["ana_deal"]]


def test_an_unfinished_session_resumes_on_double_click_and_from_its_button(
    qtbot, services, sessions
):
    view = loaded(qtbot, services)
    row = row_of(view, sessions["ana_unfinished"])
    with qtbot.waitSignal(view.resume_requested) as sig:
        _double_click(qtbot, view, row)
    assert sig.args == [sessions["ana_unfinished"]]
    view.table.selectRow(row)
    assert view.resume_button.isEnabled()
    with qtbot.waitSignal(view.resume_requested):
        view.resume_button.click()
    view.table.selectRow(row_of(view, sessions["ana_deal"]))
    assert not view.resume_button.isEnabled()


def test_enter_on_a_row_opens_its_debrief(qtbot, services, sessions):
    view = loaded(qtbot, services)
    view.table.setFocus()
    view.table.selectRow(row_of(view, sessions["ben_deal"]))
    with qtbot.waitSignal(view.open_debrief) as sig:
        QTest.keyClick(view.table, Qt.Key.Key_Return)
    assert sig.args == [sessions["ben_deal"]]


def test_progress_charts_follow_the_learners_finished_sessions(qtbot, services, sessions):
    view = loaded(qtbot, services)
    view.set_filters(learner="Ana")
    # Oldest first: the walk-out (no deal, no question), then the deal.
    assert len(view.trust_chart.values) == 2
    assert view.trust_chart.values[0] < view.trust_chart.values[1]
    # The outcome score ranks what was achieved: the walk-out low, the deal high.
    low, high = view.joint_chart.values
    assert low < 40 < high
    assert view.open_chart.values[0] == 0.0
    assert "2 sessions" in view.trust_chart.summary


def test_a_new_session_appears_when_the_store_changes(qtbot, services, sessions, scenario):
    view = loaded(qtbot, services)
    sid = record(services.store, pushy_session(scenario, seed=5), "Ana", days_ago=0)
    with qtbot.waitSignal(view.loaded, timeout=10000):
        services.store_changed.emit()
    assert sid in listed(view)


def test_an_empty_history_says_how_to_fill_it(qtbot, services):
    view = loaded(qtbot, services)
    assert view.empty.isVisible()
    assert "Library" in view.empty.text()


def test_history_model_passes_qtmodeltester(qtmodeltester, services, sessions):
    model = HistoryModel()
    model.set_sessions(services.store.list_sessions())
    qtmodeltester.check(model, force_py=True)


def test_the_progress_charts_follow_the_learner_filter_and_retitle(qtbot, services, sessions):
    services.set_learner("Ben")
    view = loaded(qtbot, services)
    assert len(view.trust_chart.values) == 1
    view.set_filters(learner="")  # All learners
    assert view.progress_title.text().startswith("Progress over time: everyone")
    assert len(view.trust_chart.values) == 3  # Ana's two finished sessions and Ben's
    view.set_filters(learner="Ana")
    assert view.progress_title.text().startswith("Progress over time: Ana")
    assert len(view.trust_chart.values) == 2


def test_newest_first_is_drawn_with_a_down_arrow(qtbot, services, sessions):
    from PySide6.QtWidgets import QCommonStyle, QStyle, QStyleOptionHeader

    from negtrainer.gui.history import SortArrowStyle

    drawn = []

    class Seen(QCommonStyle):
        def drawPrimitive(self, element, option, painter, widget=None):
            if element == QStyle.PrimitiveElement.PE_IndicatorHeaderArrow:
                drawn.append(option.sortIndicator)
            super().drawPrimitive(element, option, painter, widget)

    view = loaded(qtbot, services)
    header = view.table.horizontalHeader()
    assert isinstance(view._arrows, SortArrowStyle)
    base = Seen()
    view._arrows.setBaseStyle(base)  # what the header's own style hands on to draw
    header.grab()
    assert drawn[-1] == QStyleOptionHeader.SortIndicator.SortDown  # ▼: newest first
    view.table.sortByColumn(HistoryModel.COL_STARTED, Qt.SortOrder.AscendingOrder)
    header.grab()
    assert drawn[-1] == QStyleOptionHeader.SortIndicator.SortUp  # ▲: oldest first


def test_with_no_sessions_the_headings_stay_together_and_the_empty_note_takes_the_room(
    qtbot, services
):
    view = loaded(qtbot, services)
    assert view.empty.isVisible()
    top = view.summary.mapTo(view, view.summary.rect().bottomLeft()).y()
    filters = view.filter_row.mapTo(view, view.filter_row.rect().topLeft()).y()
    assert filters - top < view.fontMetrics().height() * 3
    assert view.empty.height() > view.height() // 2
