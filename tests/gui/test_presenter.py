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
        assert not page.isColumnHidden(0) and not page.isColumnHidden(1)
        for c in range(page.columnCount()):
            if page.isColumnHidden(c):
                continue  # fewer measures at large text, by design
            text = page.horizontalHeaderItem(c).text()
            if fm.horizontalAdvance(text) + fm.height() > head.sectionSize(c):
                found.append(f"column head cut: {text}")
    return found


def test_the_presenter_shows_the_rooms_outcomes_and_hides_names_at_a_keystroke(
    qtbot, services, room
):
    p = open_presenter(qtbot, services, room)
    v = p.view
    assert dict(v.outcomes)["Good deal"] == 1 and dict(v.outcomes)["Impasse"] >= 1
    assert p.slide_title.text().endswith("Outcomes")
    qtbot.keyClick(p, Qt.Key.Key_4)
    assert sorted(table_texts(p)) == ["Ana Lima", "Ben Okoro", "Cy Tan"]
    qtbot.keyClick(p, Qt.Key.Key_N)
    names = table_texts(p)
    assert sorted(names) == ["P1", "P2", "P3"]
    assert p.slide_title.text().endswith("Participants")
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
