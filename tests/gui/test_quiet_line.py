"""The play page's turn line ("Turn 3 of at most 14") sits in a holder that keeps its
new words from laying the whole window out again; it must still show them whole."""

from __future__ import annotations

from PySide6.QtCore import QCoreApplication, QEvent
from PySide6.QtGui import QFont
from PySide6.QtWidgets import QHBoxLayout, QLabel, QVBoxLayout, QWidget

from negtrainer.gui import theme
from negtrainer.gui.play import QuietLine


def _settle() -> None:
    for _ in range(6):
        QCoreApplication.sendPostedEvents(None, QEvent.Type.LayoutRequest.value)


def _page(qtbot):
    page = QWidget()
    qtbot.addWidget(page)
    lay = QVBoxLayout(page)
    row = QHBoxLayout()  # as in the page's header: the line, then what takes the rest
    label = QLabel("Turn 1 of at most 9")
    line = QuietLine(label)
    row.addWidget(line)
    row.addStretch(1)
    lay.addLayout(row)
    lay.addStretch(1)
    page.resize(600, 200)
    page.show()
    qtbot.waitExposed(page)
    _settle()
    return page, line, label


def test_a_longer_turn_line_is_given_the_room_to_show_it_whole(qtbot):
    _page_widget, line, label = _page(qtbot)
    label.setText("Turn 10 of at most 26 · a branch from turn 3")
    _settle()
    assert label.width() >= label.sizeHint().width()
    assert label.geometry() == line.rect()


def test_a_shorter_turn_line_keeps_its_room_and_shows_its_words(qtbot):
    _page_widget, line, label = _page(qtbot)
    label.setText("Turn 10 of at most 26")
    _settle()
    before = line.width()
    label.setText("Turn 1 of at most 2")
    _settle()
    assert line.width() == before
    assert label.text() == "Turn 1 of at most 2"
    assert label.width() >= label.sizeHint().width()


def test_larger_text_makes_the_turn_line_taller(qtbot):
    _page_widget, line, label = _page(qtbot)
    height = line.height()
    font = QFont(label.font())
    font.setPointSizeF(font.pointSizeF() * 2)
    label.setFont(font)
    _settle()
    assert line.height() >= label.sizeHint().height() > height
    assert label.height() == line.height()


def test_the_play_page_paints_its_own_background(window):
    play = window.play
    image = play.grab().toImage()
    corner = image.pixelColor(2, image.height() - 2)
    assert corner == theme.color("window")
