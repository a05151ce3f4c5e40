"""Settings: who is practising, how it looks, voice, and where the data is kept.

Everything is saved at once through ``Services.settings`` (QSettings); store
work (learners, backups) runs off the GUI thread.
"""

from __future__ import annotations

from functools import partial
from pathlib import Path
from typing import Any

from PySide6.QtCore import Qt, QUrl, Signal
from PySide6.QtGui import QDesktopServices, QGuiApplication
from PySide6.QtWidgets import (
    QButtonGroup,
    QCheckBox,
    QFrame,
    QGridLayout,
    QHBoxLayout,
    QLineEdit,
    QListWidget,
    QListWidgetItem,
    QPushButton,
    QRadioButton,
    QSlider,
    QVBoxLayout,
    QWidget,
)

from negtrainer.gui import dialogs, theme, widgets
from negtrainer.gui.quietcombo import QuietCombo

_label = partial(widgets.label, wrap=False)

TEST_SENTENCE = "Good to see you. How was the drive up?"


class Section(QFrame):
    def __init__(self, title: str, blurb: str = "", parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setProperty("role", "card")
        self.setAccessibleName(title)
        self.body = QVBoxLayout(self)
        self.body.setContentsMargins(20, 16, 20, 18)
        self.body.setSpacing(10)
        self.body.addWidget(_label(title, "h3"))
        if blurb:
            self.body.addWidget(_label(blurb, "muted", wrap=True))


class SettingsView(QWidget):
    wav_saved = Signal(object)  # the SavedWav of "Save as WAV…", once it is done

    def __init__(self, services: Any, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.services = services
        self.settings = services.settings
        self.setObjectName("Page")
        page = widgets.scroll_page(self, (32, 24, 32, 24), 16)
        page.addWidget(_label("Settings", "h1"))

        # Two columns that stack independently (no row alignment gaps), and one
        # above the other when large text would make the page scroll sideways.
        columns = QHBoxLayout()
        columns.setSpacing(16)
        self.columns = columns
        page.addLayout(columns)
        page.addStretch(1)
        left, right = QVBoxLayout(), QVBoxLayout()
        for col in (left, right):
            col.setSpacing(16)
            columns.addLayout(col, 1)
        left.addWidget(self._learner_section())
        left.addWidget(self._display_section())
        left.addWidget(self._practice_section())
        left.addStretch(1)
        right.addWidget(self._voice_section())
        right.addWidget(self._data_section())
        right.addStretch(1)

        services.learner_changed.connect(lambda _n: self.refresh_learners())
        services.store_changed.connect(self.refresh)
        services.voice_event.connect(self._voice_event)
        self._show_voice_state()

    def _reflow(self) -> None:
        from negtrainer.gui.reflow import stack_when_narrow

        stack_when_narrow(self.columns, self.width() - 64 - 20)  # page margins, scroll bar

    def resizeEvent(self, event: Any) -> None:
        self._reflow()
        super().resizeEvent(event)

    def changeEvent(self, event: Any) -> None:
        super().changeEvent(event)
        if event.type() in (event.Type.FontChange, event.Type.StyleChange):
            self._reflow()

    # -- learner ----------------------------------------------------------------------
    def _learner_section(self) -> QWidget:
        s = Section(
            "Who is practising",
            "Several people can share this computer: each "
            "learner's sessions and best results are kept apart.",
        )
        row = QHBoxLayout()
        lbl = _label("Learner")
        self.learner_combo = QuietCombo()
        self.learner_combo.setAccessibleName("Current learner")
        self.learner_combo.setMinimumWidth(200)
        lbl.setBuddy(self.learner_combo)
        self.learner_combo.activated.connect(self._switch_learner)
        row.addWidget(lbl)
        row.addWidget(self.learner_combo, 1)
        s.body.addLayout(row)
        add = QHBoxLayout()
        self.new_learner = QLineEdit()
        self.new_learner.setPlaceholderText("A new learner's name")
        self.new_learner.setAccessibleName("New learner's name")
        self.new_learner.setMaxLength(80)
        self.new_learner.returnPressed.connect(self._add_learner)
        self.add_learner_button = QPushButton("Add and switch")
        theme.set_icon(self.add_learner_button, "person")
        self.add_learner_button.clicked.connect(self._add_learner)
        add.addWidget(self.new_learner, 1)
        add.addWidget(self.add_learner_button)
        s.body.addLayout(add)
        self.learner_note = _label("", "small", wrap=True)
        s.body.addWidget(self.learner_note)
        return s

    def refresh_learners(self) -> None:
        if self.services.store is None:
            return
        self.services.learners(self._show_learners)

    def _show_learners(self, names: list[str]) -> None:
        current = self.services.learner
        self.learner_combo.blockSignals(True)
        self.learner_combo.clear()
        if not current:
            self.learner_combo.addItem("Guest (no name)", "")
        for name in names:
            self.learner_combo.addItem(name, name)
        if current and current not in names:
            self.learner_combo.addItem(current, current)
        idx = self.learner_combo.findData(current)
        self.learner_combo.setCurrentIndex(max(0, idx))
        self.learner_combo.blockSignals(False)

    def _switch_learner(self, index: int) -> None:
        name = self.learner_combo.itemData(index) or ""
        self.services.set_learner(name)
        self.learner_note.setText(f"Now practising: {name or 'Guest'}.")

    def _add_learner(self) -> None:
        name = " ".join(self.new_learner.text().split())
        if not name:
            self.learner_note.setText("Type a name first.")
            return

        def done(_learner: Any) -> None:
            self.new_learner.clear()
            self.services.set_learner(name)
            self.learner_note.setText(f"Added {name}; now practising: {name}.")
            self.refresh_learners()

        def failed(exc: BaseException) -> None:
            from negtrainer.gui.services import user_message

            self.learner_note.setText(user_message(exc))

        self.services.add_learner(name, done, failed)

    # -- display ------------------------------------------------------------------------
    def _display_section(self) -> QWidget:
        s = Section("Display", "Large text and high contrast read well on a projector.")
        s.body.addWidget(_label("Theme", "small"))
        row = QHBoxLayout()
        self.theme_group = QButtonGroup(self)
        self.theme_buttons: dict[str, QRadioButton] = {}
        for key, label in theme.THEMES.items():
            rb = QRadioButton(label)
            rb.setAccessibleName(f"{label} theme")
            self.theme_group.addButton(rb)
            self.theme_buttons[key] = rb
            row.addWidget(rb)
            rb.toggled.connect(lambda on, k=key: on and self.settings.set("theme", k))
        row.addStretch(1)
        s.body.addLayout(row)
        self.theme_buttons[theme.normalize_theme(self.settings.theme)].setChecked(True)

        size_row = QHBoxLayout()
        size_lbl = _label("Text size", "small")
        self.size_slider = QSlider(Qt.Orientation.Horizontal)
        self.size_slider.setRange(0, len(theme.TEXT_SIZES) - 1)
        self.size_slider.setPageStep(1)
        self.size_slider.setTickPosition(QSlider.TickPosition.TicksBelow)
        self.size_slider.setAccessibleName("Text size")
        size_lbl.setBuddy(self.size_slider)
        self.size_value = _label("", "h3")
        self.size_value.setMinimumWidth(70)
        current = theme.normalize_text_size(self.settings.text_size)
        self.size_slider.setValue(theme.TEXT_SIZES.index(current))
        self._show_size(self.size_slider.value())
        # Apply when the slider is let go (or moved by keys), not on every pixel.
        self.size_slider.valueChanged.connect(self._show_size)
        self.size_slider.sliderReleased.connect(self._apply_size)
        self.size_slider.valueChanged.connect(
            lambda _v: not self.size_slider.isSliderDown() and self._apply_size()
        )
        s.body.addWidget(size_lbl)
        size_row.addWidget(self.size_slider, 1)
        size_row.addWidget(self.size_value)
        s.body.addLayout(size_row)
        return s

    # -- practice (issue 16) ------------------------------------------------------------
    def _practice_section(self) -> QWidget:
        s = Section(
            "Practice", "Saying a line in your own words trains more than picking it from a list."
        )
        self.own_words = QCheckBox("Practice mode: own words")
        self.own_words.setAccessibleName("Practice mode: own words")
        self.own_words.setToolTip(
            "Type what you would say; the choices stay hidden until "
            "you ask for them. Understood offline, on this computer."
        )
        self.own_words.setChecked(bool(self.settings.get("own_words")))
        self.own_words.toggled.connect(lambda on: self.settings.set("own_words", on))
        s.body.addWidget(self.own_words)

        def follow(key: str) -> None:
            if key == "own_words" and self.own_words.isChecked() != self.settings.get(key):
                self.own_words.setChecked(bool(self.settings.get(key)))

        self.settings.changed.connect(follow)
        return s

    def _show_size(self, pos: int) -> None:
        size = theme.TEXT_SIZES[pos]
        self.size_value.setText(f"{size} %")
        self.size_slider.setAccessibleDescription(f"{size} percent")

    def _apply_size(self) -> None:
        self.settings.set("text_size", theme.TEXT_SIZES[self.size_slider.value()])

    # -- voice ---------------------------------------------------------------------------
    def _voice_section(self) -> QWidget:
        s = Section(
            "Voice",
            "The counterpart can say their lines aloud (offline speech, on "
            "this computer). A new choice stops the line being spoken.",
        )
        self.voice_on = QCheckBox("Speak the counterpart's lines")
        self.voice_on.setAccessibleName("Speak the counterpart's lines")
        self.voice_on.setChecked(self.settings.voice_enabled)
        self.voice_on.toggled.connect(self._voice_toggled)
        s.body.addWidget(self.voice_on)
        self.voice_learner = QCheckBox("Also read my chosen line aloud, in a neutral voice")
        self.voice_learner.setAccessibleName("Also read my chosen line aloud")
        self.voice_learner.setToolTip(
            "Before the counterpart answers, your own line is read in a different, "
            "neutral voice: helpful if reading the screen is hard."
        )
        self.voice_learner.setChecked(self.settings.voice_learner)
        self.voice_learner.toggled.connect(lambda on: self.settings.set("voice/learner", on))
        s.body.addWidget(self.voice_learner)

        grid = QGridLayout()
        grid.setHorizontalSpacing(12)
        grid.setVerticalSpacing(6)
        grid.setColumnStretch(1, 1)
        rate_lbl = _label("Pace", "small")
        self.rate = QSlider(Qt.Orientation.Horizontal)
        self.rate.setRange(100, 300)
        self.rate.setSingleStep(5)
        self.rate.setPageStep(25)
        self.rate.setValue(self.settings.voice_rate)
        self.rate.setAccessibleName("Speaking pace, words per minute")
        rate_lbl.setBuddy(self.rate)
        self.rate_value = _label(f"{self.settings.voice_rate} words/min", "small")
        self.rate_value.setMinimumWidth(110)
        self.rate.valueChanged.connect(self._rate_changed)
        volume_lbl = _label("Volume", "small")
        self.volume = QSlider(Qt.Orientation.Horizontal)
        self.volume.setRange(0, 100)
        self.volume.setSingleStep(5)
        self.volume.setPageStep(10)
        self.volume.setValue(self.settings.voice_volume)
        self.volume.setAccessibleName("Speaking volume, percent")
        volume_lbl.setBuddy(self.volume)
        self.volume_value = _label(f"{self.settings.voice_volume} %", "small")
        self.volume.valueChanged.connect(self._volume_changed)
        for row, (lbl, slider, value) in enumerate(
            ((rate_lbl, self.rate, self.rate_value), (volume_lbl, self.volume, self.volume_value))
        ):
            # Room for the whole round handle (the style sheet's 20 px), not a sliver of it.
            slider.setMinimumHeight(max(26, slider.fontMetrics().height() + 8))
            grid.addWidget(lbl, row, 0)
            grid.addWidget(slider, row, 1)
            grid.addWidget(value, row, 2)
        s.body.addLayout(grid)

        test_row = QHBoxLayout()
        self.test_voice = QPushButton("Test the voice")
        theme.set_icon(self.test_voice, "voice")
        self.test_voice.clicked.connect(self._test_voice)
        test_row.addWidget(self.test_voice)
        self.save_wav = QPushButton("Save as WAV…")
        self.save_wav.setToolTip("Write the test sentence to a sound file, to hear it elsewhere")
        self.save_wav.setAccessibleName("Save the test sentence as a WAV file")
        self.save_wav.clicked.connect(lambda: self.save_test_wav())
        self.save_wav.hide()  # offered once the voice has been tested
        test_row.addWidget(self.save_wav)
        self.retry_voice = QPushButton("Try again")
        self.retry_voice.setToolTip("Start the speech engine afresh")
        self.retry_voice.setAccessibleName("Try starting the speech engine again")
        self.retry_voice.clicked.connect(self._retry_voice)
        test_row.addWidget(self.retry_voice)
        test_row.addStretch(1)
        s.body.addLayout(test_row)
        self.test_note = _label("", "small", wrap=True)
        self.test_note.setAccessibleName("Voice test")
        self.test_note.setTextInteractionFlags(Qt.TextInteractionFlag.TextSelectableByMouse)
        self.test_note.hide()
        s.body.addWidget(self.test_note)
        self.voice_state = _label("", "small", wrap=True)
        self.voice_state.setAccessibleName("Voice status")
        self.voice_state.setTextInteractionFlags(Qt.TextInteractionFlag.TextSelectableByMouse)
        s.body.addWidget(self.voice_state)
        return s

    def _test_voice(self) -> None:
        problem = self.services.sound_problem()
        if problem:
            # Said to nobody, the test would look broken: say why, and offer a file.
            self._say_test(
                f"{problem.rstrip('.')}, so the voice cannot be heard here. "
                "You can save the test sentence as a WAV file instead."
            )
        else:
            self.services.speak(TEST_SENTENCE)
            self._say_test(
                "Saying the test sentence. Heard nothing? Save it as a WAV file "
                "and play it elsewhere."
            )
        self.save_wav.show()

    def save_test_wav(self, path: str | Path | None = None) -> None:
        """Write the test sentence to a WAV file (asking where, unless ``path`` is given)."""
        if path is None:
            from PySide6.QtWidgets import QFileDialog

            chosen, _filter = QFileDialog.getSaveFileName(
                self,
                "Save the test sentence",
                str(Path.home() / "negtrainer-voice-test.wav"),
                "WAV sound (*.wav)",
            )
            if not chosen:
                return
            path = chosen
        path = Path(path)
        if path.suffix.lower() != ".wav":
            path = path.with_name(path.name + ".wav")
        self.save_wav.setEnabled(False)
        self._say_test(f"Saving the test sentence to {path}…")

        def done(result: Any) -> None:
            self.save_wav.setEnabled(True)
            self._say_test(result.message, ok=result.ok)
            self.wav_saved.emit(result)

        self.services.save_speech(TEST_SENTENCE, path, done)

    def _say_test(self, text: str, ok: bool = True) -> None:
        self.test_note.setText(text)
        self.test_note.setToolTip(widgets.tip(text))
        role = "small" if ok else "error"
        if self.test_note.property("role") != role:
            self.test_note.setProperty("role", role)
            self.test_note.style().unpolish(self.test_note)
            self.test_note.style().polish(self.test_note)
        self.test_note.show()

    def _voice_event(self, kind: str, _detail: str) -> None:
        if kind in ("failed", "ready", "reset"):  # not on every line said
            self._show_voice_state()

    def _voice_toggled(self, on: bool) -> None:
        self.settings.set("voice/enabled", on)
        if on:
            self.services.speaker()  # start the engine now, so a problem shows at once
        self._show_voice_state()

    def _rate_changed(self, value: int) -> None:
        self.rate_value.setText(f"{value} words/min")
        self.settings.set("voice/rate", value)

    def _volume_changed(self, value: int) -> None:
        self.volume_value.setText(f"{value} %")
        self.volume.setAccessibleDescription(f"{value} percent")
        self.settings.set("voice/volume", value)

    def _retry_voice(self) -> None:
        self.services.retry_voice()
        self._show_voice_state()

    def _show_voice_state(self) -> None:
        on = self.settings.voice_enabled
        if self.voice_on.isChecked() != on:
            self.voice_on.blockSignals(True)
            self.voice_on.setChecked(on)
            self.voice_on.blockSignals(False)
        if self.voice_learner.isChecked() != self.settings.voice_learner:
            self.voice_learner.blockSignals(True)
            self.voice_learner.setChecked(self.settings.voice_learner)
            self.voice_learner.blockSignals(False)
        level, text = self.services.voice_status()
        for w in (self.voice_learner, self.rate, self.volume):
            w.setEnabled(on)
        self.test_voice.setEnabled(on and level in ("on", "warning", "starting"))
        self.retry_voice.setVisible(level == "error")
        role = {"error": "error", "warning": "warning"}.get(level, "small")
        self.voice_state.setText(text)
        self.voice_state.setToolTip(widgets.tip(text))
        if self.voice_state.property("role") != role:
            self.voice_state.setProperty("role", role)
            self.voice_state.style().unpolish(self.voice_state)
            self.voice_state.style().polish(self.voice_state)

    # -- data -----------------------------------------------------------------------------
    def _data_section(self) -> QWidget:
        s = Section(
            "Your data",
            "Every turn is saved as it happens in one database file on "
            "this computer. Backups are made daily and kept beside it.",
        )
        self.db_path = _label("", wrap=True)
        self.db_path.setTextInteractionFlags(Qt.TextInteractionFlag.TextSelectableByMouse)
        self.db_path.setAccessibleName("Database file")
        s.body.addWidget(_label("Database", "small"))
        s.body.addWidget(self.db_path)
        row = QHBoxLayout()
        self.open_folder = QPushButton("Open its folder")
        theme.set_icon(self.open_folder, "folder")
        self.open_folder.clicked.connect(self._open_folder)
        row.addWidget(self.open_folder)
        self.backup_now = QPushButton("Back up now")
        self.backup_now.clicked.connect(self._backup_now)
        row.addWidget(self.backup_now)
        row.addStretch(1)
        s.body.addLayout(row)
        s.body.addWidget(_label("Backups", "small"))
        self.backup_list = QListWidget()
        self.backup_list.setAccessibleName("Backups, newest first")
        self.backup_list.setMinimumHeight(110)
        self.backup_list.setMaximumHeight(140)
        s.body.addWidget(self.backup_list)
        row2 = QHBoxLayout()
        self.restore_button = QPushButton("Restore the selected backup…")
        self.restore_button.clicked.connect(self._restore)
        self.restore_button.setEnabled(False)
        self.backup_list.currentRowChanged.connect(lambda r: self.restore_button.setEnabled(r >= 0))
        row2.addWidget(self.restore_button)
        row2.addStretch(1)
        s.body.addLayout(row2)
        self.data_note = _label("", "small", wrap=True)
        s.body.addWidget(self.data_note)
        return s

    def refresh(self) -> None:
        path = self.services.db_path
        self.db_path.setText(
            str(path)
            if path
            else "Not saved: sessions are kept in memory only until you close the program."
        )
        has_store = self.services.store is not None and path is not None
        for b in (self.open_folder, self.backup_now):
            b.setEnabled(has_store)
        self.refresh_learners()
        if has_store:
            self.services.backups(self._show_backups)
        else:
            self._show_backups([])

    def _show_backups(self, backups: list[Any]) -> None:
        self.backup_list.clear()
        for b in sorted(backups, key=lambda b: b.created, reverse=True):
            item = QListWidgetItem(f"{b.created:%d %b %Y, %H:%M}   ·   {b.size / 1024:.0f} KB")
            item.setData(Qt.ItemDataRole.UserRole, str(b.path))
            item.setToolTip(widgets.tip(str(b.path)))
            self.backup_list.addItem(item)
        if not backups:
            item = QListWidgetItem("No backups yet.")
            item.setFlags(Qt.ItemFlag.NoItemFlags)
            self.backup_list.addItem(item)
        self.restore_button.setEnabled(False)

    def _open_folder(self) -> None:
        path = self.services.db_path
        if not path:
            return
        folder = str(Path(path).parent)
        if not QDesktopServices.openUrl(QUrl.fromLocalFile(folder)):
            # No file manager here: say where the folder is, ready to paste.
            QGuiApplication.clipboard().setText(folder)
            self.data_note.setText(
                f"No file manager could open the folder. It is {folder} "
                "(copied: paste it where you need it)."
            )

    def _backup_now(self) -> None:
        self.data_note.setText("Backing up…")

        def done(path: Any) -> None:
            self.data_note.setText(f"Backed up to {Path(str(path)).name}.")
            self.services.backups(self._show_backups)

        self.services.backup_now(done, self._failed)

    def _restore(self) -> None:
        item = self.backup_list.currentItem()
        path = item.data(Qt.ItemDataRole.UserRole) if item is not None else None
        if not path:
            return

        def go() -> None:
            self.data_note.setText("Restoring…")

            def done(previous: Any) -> None:
                self.data_note.setText(
                    f"Restored. What was there before was kept as {Path(str(previous)).name}."
                )
                self.services.backups(self._show_backups)

            self.services.restore_backup(Path(path), done, self._failed)

        dialogs.confirm(
            self,
            "Restore this backup?",
            f"The sessions saved since {item.text().split('·')[0].strip()} will "
            "be replaced by the backup's. A copy of the current database is kept "
            "first, so this can be undone.",
            "Restore",
            go,
        )

    def _failed(self, exc: BaseException) -> None:
        from negtrainer.gui.services import user_message

        self.data_note.setText(user_message(exc))

    def showEvent(self, event: Any) -> None:
        self._reflow()  # the text size may have changed while another page was shown
        super().showEvent(event)
        self.refresh()
        self._show_voice_state()
