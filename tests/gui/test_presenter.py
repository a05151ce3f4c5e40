"""The presenter view on a projector: collected sessions, large type, 150 % and 200 % text."""

import sys
from pathlib import Path

import pytest
from PySide6.QtCore import Qt
from PySide6.QtGui import QFont, QFontMetrics
from PySide6.QtWidgets import QApplication, QLabel, QTableWidget

sys.path.insert(0, str(Path(__file__).resolve().parents[1] / "workshop"))
from roomplay import BAD, GOOD, play, workshop_with_exercise

from negtrainer.gui import theme


@pytest.fixture
def room(services):
    store = services.store
    w = workshop_with_exercise(store, ("Ana Lima", "Ben Okoro", "Cy Tan"))
    play(store, w, "e1", "Ana Lima", GOOD)
    play(store, w, "e1", "Ben Okoro", BAD)
    play(store, w, "e1", "Cy Tan", GOOD[:4] + BAD[-1:])
    return w


@pytest.fixture
def text_size(qapp):
    def set_size(percent):
        theme.apply(qapp, "light", percent)

    yield set_size
    theme.apply(qapp, "light", 100)


def open_presenter(qtbot, services, w):
    from negtrainer.gui.presenter import PresenterWindow

    p = PresenterWindow(services, w)
    qtbot.addWidget(p)
    p.resize(1280, 800)
    p.show()
    qtbot.waitExposed(p)
    p.load()
    qtbot.waitUntil(lambda: p.loaded, timeout=10000)
    return p


def table_texts(p):
    table = p.stack.currentWidget()
    assert isinstance(table, QTableWidget)
    return [table.item(r, 0).text() for r in range(table.rowCount())]


def clipped(p):
    """Words a person at the back would not see: cut labels, cut column heads."""
    QApplication.processEvents()
    found = []
    page = p.stack.currentWidget()
    for w in [p.title, p.clock, p.slide_title, *page.findChildren(QLabel)]:
        if not w.isVisible() or not w.text():
            continue
        if w.wordWrap():
            if w.heightForWidth(w.width()) > w.height() + 1:
                found.append(f"cut below: {w.text()[:40]}")
        elif w.fontMetrics().horizontalAdvance(w.text()) > w.contentsRect().width() + 1:
            found.append(f"cut at the side: {w.text()[:40]}")
    if isinstance(page, QTableWidget):
        head = page.horizontalHeader()
        bold = QFont(head.font())
        bold.setBold(True)  # the theme draws column heads in bold
        fm = QFontMetrics(bold)
        for c in range(page.columnCount()):
            text = page.horizontalHeaderItem(c).text()
            if page.isColumnHidden(c):
                found.append(f"column hidden: {text}")
            elif any(fm.horizontalAdvance(t) > head.sectionSize(c) for t in text.split("\n")):
                found.append(f"column head cut: {text}")
        right = head.sectionViewportPosition(page.columnCount() - 1) + head.sectionSize(
            page.columnCount() - 1
        )
        if right > page.viewport().width() and not page.horizontalScrollBar().isVisible():
            found.append("columns past the edge, and no scroll bar")
    return found


def test_the_presenter_shows_the_rooms_outcomes_and_hides_names_at_a_keystroke(
    qtbot, services, room
):
    p = open_presenter(qtbot, services, room)
    v = p.view
    assert dict(v.outcomes)["Good deal"] == 1 and dict(v.outcomes)["Impasse"] >= 1
    assert p.slide_title.text().startswith("1/6  Outcomes")
    qtbot.keyClick(p, Qt.Key.Key_4)
    assert sorted(table_texts(p)) == ["Ana Lima", "Ben Okoro", "Cy Tan"]
    qtbot.keyClick(p, Qt.Key.Key_N)
    names = table_texts(p)
    assert sorted(names) == ["P1", "P2", "P3"]
    assert p.slide_title.text().startswith("4/6  Participants")
    qtbot.keyClick(p, Qt.Key.Key_Right)
    text = " ".join(w.text() for w in p.stack.currentWidget().findChildren(QLabel))
    assert "Virtuous cycle: P1" in text and "Ana" not in text


def test_the_countdown_runs_from_the_exercises_time_box(qtbot, services, room):
    p = open_presenter(qtbot, services, room)
    assert p.clock.text().startswith("12:00")
    qtbot.keyClick(p, Qt.Key.Key_Space)
    assert p.timer.isActive()
    p._tick()
    assert p.clock.text() == "11:59"
    qtbot.keyClick(p, Qt.Key.Key_Space)
    assert not p.timer.isActive()


@pytest.mark.parametrize("percent", [150, 200])
def test_every_slide_is_readable_at_large_text_on_a_1280x800_projector(
    qtbot, services, room, text_size, percent, tmp_path
):
    text_size(percent)
    p = open_presenter(qtbot, services, room)
    assert p.minimumSizeHint().width() <= 1280 and p.minimumSizeHint().height() <= 800
    for n in range(6):
        p.show_slide(n)
        assert clipped(p) == [], p.slide_title.text()
        assert p.stack.currentWidget().width() <= 1280
        p.grab().save(str(tmp_path / f"slide{n + 1}-{percent}.png"))


@pytest.mark.parametrize("percent", [150, 200])
def test_all_nine_participant_columns_fit_the_projector_at_large_text(
    qtbot, services, room, text_size, percent
):
    text_size(percent)
    p = open_presenter(qtbot, services, room)
    qtbot.keyClick(p, Qt.Key.Key_4)
    table = p.stack.currentWidget()
    QApplication.processEvents()
    assert table.columnCount() == 9
    assert not [c for c in range(9) if table.isColumnHidden(c)]
    assert sum(table.columnWidth(c) for c in range(9)) <= table.viewport().width()
    assert not table.horizontalScrollBar().isVisible()
    assert table.font().pointSizeF() >= QApplication.font().pointSizeF()


def test_up_and_down_scroll_a_tall_slide_while_page_keys_still_change_slides(
    qtbot, services, room, text_size
):
    text_size(200)
    p = open_presenter(qtbot, services, room)
    p.activateWindow()
    qtbot.waitUntil(p.isActiveWindow)
    qtbot.keyClick(p, Qt.Key.Key_6)
    area = p.stack.currentWidget()
    bar = area.verticalScrollBar()
    qtbot.waitUntil(lambda: bar.maximum() > 0)  # taller than the screen at 200 %
    assert bar.isVisible() and bar.width() >= 16
    # A click on the slide gives nothing inside it the keys: they reach the presenter.
    qtbot.mouseClick(area.viewport(), Qt.MouseButton.LeftButton)
    assert QApplication.focusWidget() in (p, None)

    def key(k):
        qtbot.keyClick(QApplication.focusWidget() or p, k)

    key(Qt.Key.Key_Down)
    assert bar.value() > 0
    key(Qt.Key.Key_End)
    assert bar.value() == bar.maximum()
    key(Qt.Key.Key_Up)
    assert 0 < bar.value() < bar.maximum()
    key(Qt.Key.Key_Home)
    assert bar.value() == 0
    key(Qt.Key.Key_PageUp)
    assert p.slide_title.text().startswith("5/6")
    key(Qt.Key.Key_Right)
    assert p.slide_title.text().startswith("6/6")


def test_the_questions_for_the_room_come_first_on_the_lessons_slide(qtbot, services, room):
    p = open_presenter(qtbot, services, room)
    qtbot.keyClick(p, Qt.Key.Key_6)
    texts = [w.text() for w in p.stack.currentWidget().findChildren(QLabel)]
    assert texts[:2] == ["Questions for the room", "1. Where did trust turn?"]


def test_every_slides_text_is_large_for_a_projector_at_100_percent(qtbot, services, room):
    from negtrainer.gui.presenter import Chart, ChoiceBars

    p = open_presenter(qtbot, services, room)
    app_pt = QApplication.font().pointSizeF()
    small = []
    for n in range(6):
        p.show_slide(n)
        page = p.stack.currentWidget()
        for w in [*page.findChildren(QLabel), *page.findChildren(Chart)]:
            if w.font().pointSizeF() < 1.25 * app_pt:
                small.append((n + 1, w.font().pointSizeF(), getattr(w, "text", str)()[:30]))
        big = [*page.findChildren(ChoiceBars)]
        if isinstance(page, QTableWidget):
            big += [page, page.horizontalHeader()]
        for w in big:
            if w.font().pointSizeF() < 1.4 * app_pt:
                small.append((n + 1, w.font().pointSizeF(), type(w).__name__))
    assert small == []


def test_full_screen_fills_the_screen_even_where_no_window_manager_obeys_it(
    qtbot, services, room, monkeypatch
):
    from PySide6.QtWidgets import QWidget

    from negtrainer.gui.presenter import PresenterWindow

    # As under Xvfb with no window manager: the request to go full screen does nothing.
    monkeypatch.setattr(QWidget, "showFullScreen", QWidget.show)
    p = PresenterWindow(services, room)
    qtbot.addWidget(p)
    p.load()
    p.showFullScreen()
    qtbot.waitExposed(p)
    assert p.size() == p.screen().availableGeometry().size()


def test_a_room_where_nobody_has_played_yet_shows_every_slide(qtbot, services):
    w = workshop_with_exercise(services.store, ("Ana Lima", "Ben Okoro"))
    p = open_presenter(qtbot, services, w)
    for n in range(6):
        p.show_slide(n)
        assert p.slide_title.text().startswith(f"{n + 1}/6")
    table = p.stack.widget(3)
    assert table.rowCount() == 0 and table.columnCount() >= 4


def test_a_text_size_changed_while_the_presenter_is_open_reaches_its_type(
    qtbot, services, room, text_size
):
    """The settings change the text size during a workshop: the open presenter's
    header and slides follow, as a newly opened one would be."""
    from negtrainer.gui.presenter import type_size

    p = open_presenter(qtbot, services, room)
    p.show_slide(3)
    before = p.title.font().pointSizeF()
    table_before = p.stack.currentWidget().font().pointSizeF()
    text_size(150)
    qtbot.waitUntil(lambda: p.title.font().pointSizeF() > before * 1.3, timeout=5000)
    assert p.footer.font().pointSizeF() == pytest.approx(type_size() * 0.7)
    assert p.slide == 3 and p.stack.currentIndex() == 3
    table = p.stack.currentWidget()
    assert table.font().pointSizeF() > table_before  # built again (it fits the columns)
    assert clipped(p) == []
