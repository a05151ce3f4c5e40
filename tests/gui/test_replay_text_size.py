"""The replay at 100 %, 150 % and 200 % text on a 1280×800 window: move names whole,
chart labels whole, buttons whole, and each turn's caption beside the line it describes."""

from __future__ import annotations

import pytest
from guiplay import expert_session, record
from PySide6.QtCore import QEvent
from PySide6.QtGui import QTextCursor, QTextDocument
from PySide6.QtWidgets import QApplication, QPushButton

from negtrainer.gui import theme
from negtrainer.gui.models.replay_model import ReplayModel
from negtrainer.store.store import Store

TURN = 3


@pytest.fixture
def replay_at(launch, tmp_db, scenario, qtbot, qapp):
    """``replay_at(percent)``: the window at 1280×800 and that text size, showing the
    replay of the expert's session at turn 3."""
    store = Store.open(tmp_db)
    sid = record(store, expert_session(scenario, learner="Ana"))
    store.close()

    def open_at(percent):
        window = launch(db=tmp_db)
        window.resize(1280, 800)
        window.show()
        qtbot.waitExposed(window)
        window.services.settings.set("text_size", percent)
        window.open_replay(sid, TURN)
        page = window.view("replay")
        qtbot.waitUntil(
            lambda: page.data is not None and page._wanted is None and page.turn == TURN,
            timeout=15000,
        )
        settle()
        return page

    yield open_at
    theme.apply(qapp, "light", 100)


def settle():
    for _ in range(3):
        QApplication.processEvents()
        QApplication.sendPostedEvents(None, QEvent.Type.DeferredDelete)


SIZES = [100, 150, 200]


def chart_texts(chart):
    """The words QtCharts draws (axis labels are text items it keeps to itself)."""
    out = []
    for item in chart._view.scene().items():
        obj = item.toGraphicsObject()
        if obj is not None and item.isVisible():
            out += [d.toPlainText() for d in obj.findChildren(QTextDocument)]
    return [t for t in out if t]


@pytest.mark.parametrize("percent", SIZES)
def test_every_move_name_shows_whole_in_the_turns_table(replay_at, percent):
    page = replay_at(percent)
    table, model = page.table, page.model
    fm = table.fontMetrics()
    width = table.columnWidth(ReplayModel.COL_MOVE)
    for row in range(model.rowCount()):
        text = model.index(row, ReplayModel.COL_MOVE).data()
        assert fm.horizontalAdvance(text) < width, (text, width)
    assert table.horizontalScrollBar().maximum() == 0  # and no column is off to the side
    assert table.horizontalHeader().length() <= table.viewport().width()


@pytest.mark.parametrize("percent", SIZES)
def test_the_trust_chart_labels_are_never_cut_to_an_ellipsis(replay_at, percent):
    page = replay_at(percent)
    texts = chart_texts(page.chart)
    assert "100" in texts and "0" in texts  # the trust axis, top and bottom
    assert not [t for t in texts if "…" in t or "..." in t], texts


@pytest.mark.parametrize("percent", SIZES)
def test_the_buttons_read_whole_and_stay_inside_the_window(replay_at, percent):
    page = replay_at(percent)
    right = page.mapTo(page.window(), page.rect().topRight()).x()
    for button in page.findChildren(QPushButton):
        if not button.isVisibleTo(page.window()) or not button.text():
            continue
        text_width = button.fontMetrics().horizontalAdvance(button.text())
        assert text_width <= button.contentsRect().width(), button.text()
        x = button.mapTo(page.window(), button.rect().topRight()).x()
        assert x <= right, button.text()


@pytest.mark.parametrize("percent", SIZES)
def test_a_turn_caption_sits_beside_the_learner_line_it_describes(replay_at, percent):
    page = replay_at(percent)
    doc = page.transcript.document()
    said = page.data.turns[TURN].said
    caption = f"Turn {TURN}"
    at_caption = doc.find(caption)
    at_said = doc.find(said[:30])
    assert not at_caption.isNull() and not at_said.isNull()
    table = at_caption.currentTable()
    assert table is not None and table == at_said.currentTable()
    cell_caption = table.cellAt(at_caption)
    cell_said = table.cellAt(at_said)
    assert cell_caption.row() == cell_said.row()
    assert cell_caption.column() < cell_said.column()  # to its left, on the same row
    # And on screen: the two overlap in height, the caption wholly to the left.
    layout = doc.documentLayout()
    box_caption = layout.blockBoundingRect(at_caption.block())
    box_said = layout.blockBoundingRect(at_said.block())
    assert box_caption.top() < box_said.bottom() and box_said.top() < box_caption.bottom()
    assert box_caption.right() <= box_said.left()
    # The caption names the move and the trust, and is not a line of its own above.
    rows = QTextCursor(cell_caption.firstCursorPosition())
    rows.setPosition(cell_caption.lastCursorPosition().position(), QTextCursor.MoveMode.KeepAnchor)
    text = rows.selectedText()
    assert "Open question" in text and f"trust {page.data.turns[TURN].trust_after:.0f}" in text


def test_opening_the_replay_leaves_the_keys_with_the_turns_table(replay_at):
    page = replay_at(100)
    # No button of the page may pop up as a window of its own and take the focus.
    assert QApplication.activeWindow() is page.window()
    assert QApplication.focusWidget() is page.table
