"""Settings: learners, theme and text size, voice, and where the data is kept."""

from __future__ import annotations

from PySide6.QtCore import QSettings, Qt
from PySide6.QtWidgets import QApplication

from negtrainer.gui import theme


def _settings_page(window):
    window.show_page("settings")
    return window.settings_view


def test_theme_and_text_size_apply_at_once_and_persist(window, qtbot):
    page = _settings_page(window)
    base = QApplication.font().pointSizeF()
    qtbot.mouseClick(page.theme_buttons["dark"], Qt.MouseButton.LeftButton)
    assert theme.current()[0] == "dark"
    assert QApplication.palette().window().color().lightness() < 60
    page.size_slider.setValue(theme.TEXT_SIZES.index(150))
    assert theme.current()[1] == 150
    assert QApplication.font().pointSizeF() > base * 1.4
    stored = QSettings(
        QSettings.Format.IniFormat, QSettings.Scope.UserScope, "negtrainer", "negtrainer"
    )
    assert stored.value("theme") == "dark"
    assert int(stored.value("text_size")) == 150
    qtbot.mouseClick(page.theme_buttons["high-contrast"], Qt.MouseButton.LeftButton)
    assert theme.colors()["window"] == "#000000"
    qtbot.mouseClick(page.theme_buttons["light"], Qt.MouseButton.LeftButton)
    page.size_slider.setValue(theme.TEXT_SIZES.index(100))


def test_a_new_learner_is_added_and_becomes_current(window, qtbot):
    page = _settings_page(window)
    page.new_learner.setText("Ana")
    qtbot.mouseClick(page.add_learner_button, Qt.MouseButton.LeftButton)
    qtbot.waitUntil(lambda: window.services.learner == "Ana")
    page.new_learner.setText("Ben")
    qtbot.keyClick(page.new_learner, Qt.Key.Key_Return)
    qtbot.waitUntil(lambda: window.services.learner == "Ben")
    qtbot.waitUntil(lambda: page.learner_combo.findData("Ana") >= 0)
    assert window.learner_label.text() == "Ben"
    page.learner_combo.setCurrentIndex(page.learner_combo.findData("Ana"))
    page.learner_combo.activated.emit(page.learner_combo.currentIndex())
    assert window.services.learner == "Ana"


def test_sessions_are_recorded_for_the_current_learner(window, drive, qtbot):
    window.services.set_learner("Chris")
    play = drive.start(window)
    drive.press(play, "small_talk_drive")
    got: list = []
    window.services.run_op(lambda store: store.get(play.live.id), got.append)
    qtbot.waitUntil(lambda: bool(got))
    assert got[0].learner == "Chris"


def test_voice_that_cannot_start_says_why_in_one_line(launch, fake_voice, qtbot):
    fake_voice.options.update(available=False, reason="No speech engine is installed.")
    window = launch()
    page = _settings_page(window)
    page.voice_on.click()
    assert window.services.settings.voice_enabled
    assert "No speech engine is installed." in page.voice_state.text()
    assert page.voice_state.text().count("\n") == 0


def test_voice_rate_reaches_the_speaker(window, fake_voice, qtbot):
    page = _settings_page(window)
    page.voice_on.click()
    page.rate.setValue(220)
    assert fake_voice.speaker.rate == 220
    qtbot.mouseClick(page.test_voice, Qt.MouseButton.LeftButton)
    assert fake_voice.speaker.lines


def test_backups_are_listed_made_and_restored(window, tmp_db, qtbot):
    page = _settings_page(window)
    assert str(tmp_db) in page.db_path.text()
    qtbot.mouseClick(page.backup_now, Qt.MouseButton.LeftButton)
    qtbot.waitUntil(
        lambda: (
            page.backup_list.count() >= 1
            and page.backup_list.item(0).data(Qt.ItemDataRole.UserRole) is not None
        ),
        timeout=10000,
    )
    page.backup_list.setCurrentRow(0)
    assert page.restore_button.isEnabled()
    qtbot.mouseClick(page.restore_button, Qt.MouseButton.LeftButton)
    from negtrainer.gui.dialogs import ProblemDialog

    dialog = next(
        w for w in QApplication.topLevelWidgets() if isinstance(w, ProblemDialog) and w.isVisible()
    )
    qtbot.mouseClick(dialog.buttons["yes"], Qt.MouseButton.LeftButton)
    qtbot.waitUntil(lambda: page.data_note.text().startswith("Restored"), timeout=10000)


def _wheel_down(widget, qapp):
    """One notch of a real mouse wheel over the middle of ``widget``."""
    from PySide6.QtCore import QPoint, QPointF
    from PySide6.QtTest import QTest

    top = widget.window()
    pos = widget.mapTo(top, widget.rect().center())
    QTest.wheelEvent(top.windowHandle(), QPointF(pos), QPoint(0, -120))
    qapp.processEvents()


def _two_learners(window, qtbot):
    """Cy added first, then Ana, who is now practising."""
    page = _settings_page(window)
    for name in ("Cy", "Ana"):
        page.new_learner.setText(name)
        qtbot.mouseClick(page.add_learner_button, Qt.MouseButton.LeftButton)
        qtbot.waitUntil(lambda n=name: window.services.learner == n)
    return page


def test_a_wheel_notch_over_the_learner_chooser_scrolls_the_page_and_keeps_the_learner(
    window, qtbot, qapp
):
    from PySide6.QtWidgets import QScrollArea

    page = _two_learners(window, qtbot)
    window.resize(900, 420)  # short enough that the page scrolls
    qtbot.waitUntil(lambda: page.learner_combo.findData("Cy") >= 0)
    qtbot.waitUntil(lambda: page.learner_combo.currentData() == "Ana")
    scroll = page.findChild(QScrollArea)
    bar = scroll.verticalScrollBar()
    qtbot.waitUntil(lambda: bar.maximum() > 0)
    bar.setValue(0)
    combo = page.learner_combo
    assert not combo.hasFocus()
    _wheel_down(combo, qapp)
    assert window.services.learner == "Ana"
    assert combo.currentData() == "Ana"
    assert bar.value() > 0, "the notch goes on to the page, which scrolls"


def test_the_learner_chooser_takes_the_wheel_only_once_chosen_deliberately(window, qtbot, qapp):
    page = _two_learners(window, qtbot)
    qtbot.waitUntil(lambda: page.learner_combo.findData("Cy") >= 0)
    combo = page.learner_combo
    assert combo.focusPolicy() == Qt.FocusPolicy.StrongFocus
    combo.setFocus()
    qtbot.waitUntil(combo.hasFocus)
    before = combo.currentIndex()
    _wheel_down(combo, qapp)
    assert combo.currentIndex() != before
