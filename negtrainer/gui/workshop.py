"""The facilitator's page: prepare a workshop, run it on one laptop or many, present it.

Everything that changes data goes through ``negtrainer.workshop`` on the
store thread (``services.run_op``). Names and scenario text are shown as plain
text. On one laptop passed around, a *round* hides everything of the previous
player: whoever plays next is always chosen by hand (or Guest), and the
learner switches only then, visibly.
"""

from __future__ import annotations

import logging
from pathlib import Path
from typing import Any

from PySide6.QtCore import Qt, Signal
from PySide6.QtWidgets import (
    QComboBox,
    QDialog,
    QDialogButtonBox,
    QFileDialog,
    QFormLayout,
    QHBoxLayout,
    QInputDialog,
    QLineEdit,
    QListWidget,
    QMenu,
    QPlainTextEdit,
    QPushButton,
    QSizePolicy,
    QSpinBox,
    QStackedWidget,
    QTableWidget,
    QTableWidgetItem,
    QToolButton,
    QVBoxLayout,
    QWidget,
)

from negtrainer.gui.reflow import FlipRow, ReflowRow
from negtrainer.gui.widgets import card, label, scroll_page

CHOOSE = "Choose who plays…"
GUEST = "Guest"

log = logging.getLogger(__name__)


def _plain_item(text: str) -> QTableWidgetItem:
    item = QTableWidgetItem(text)  # table items never interpret markup
    item.setFlags(item.flags() & ~Qt.ItemFlag.ItemIsEditable)
    return item


class _Entry:
    """A scenario as the dialog lists it (a library entry's shape)."""

    def __init__(self, scenario: Any) -> None:
        self.scenario = scenario


class ExerciseDialog(QDialog):
    """Scenario, counterpart (one for all, or drawn per participant), time box, questions."""

    def __init__(self, entries: list[Any], parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setWindowTitle("Add an exercise")
        self.entries = [e for e in entries if e.scenario is not None]
        form = QFormLayout(self)
        form.setRowWrapPolicy(QFormLayout.RowWrapPolicy.WrapLongRows)
        self.scenario = QComboBox()
        for e in self.entries:
            self.scenario.addItem(e.scenario.title, e.scenario.id)
        self.variant = QComboBox()
        self.minutes = QSpinBox()
        self.minutes.setRange(1, 240)
        self.minutes.setSuffix(" min")
        self.questions = QPlainTextEdit()
        self.questions.setPlaceholderText("One debrief question a line (empty: suggested ones)")
        self.questions.setTabChangesFocus(True)
        form.addRow("Scenario", self.scenario)
        form.addRow("Counterpart", self.variant)
        form.addRow("Time box", self.minutes)
        form.addRow("Debrief questions", self.questions)
        buttons = QDialogButtonBox(
            QDialogButtonBox.StandardButton.Ok | QDialogButtonBox.StandardButton.Cancel
        )
        buttons.accepted.connect(self.accept)
        buttons.rejected.connect(self.reject)
        form.addRow(buttons)
        self.scenario.currentIndexChanged.connect(self._scenario_changed)
        self._scenario_changed()

    def _scenario_changed(self) -> None:
        self.variant.clear()
        self.variant.addItem("Drawn per participant", "random")
        sc = self.chosen()
        if sc is None:
            return
        for name in sc.spec.counterpart.variants:
            self.variant.addItem(f"Everyone meets the {name} one", name)
        self.minutes.setValue(sc.spec.minutes)

    def prefill(self, exercise: Any, scenario: Any) -> None:
        """Edit an exercise: its scenario is kept (a new scenario is a new exercise)."""
        self.setWindowTitle(f"Edit exercise {exercise.id}")
        self.entries = [_Entry(scenario)]
        self.scenario.clear()
        self.scenario.addItem(scenario.title, scenario.id)
        self.scenario.setEnabled(False)
        self._scenario_changed()
        self.variant.setCurrentIndex(max(0, self.variant.findData(exercise.variant)))
        self.minutes.setValue(exercise.minutes)
        self.questions.setPlainText("\n".join(exercise.questions))

    def chosen(self) -> Any:
        i = self.scenario.currentIndex()
        return self.entries[i].scenario if 0 <= i < len(self.entries) else None

    def values(self) -> dict[str, Any]:
        qs = [q.strip() for q in self.questions.toPlainText().splitlines() if q.strip()]
        return {
            "variant": self.variant.currentData() or "random",
            "minutes": self.minutes.value(),
            "questions": qs or None,
        }


def _natural_width(w: QWidget) -> None:
    """Keep a button at its own width in a row that wraps (a grid would stretch it)."""
    w.setSizePolicy(QSizePolicy.Policy.Maximum, w.sizePolicy().verticalPolicy())


class WorkshopView(QWidget):
    session_started = Signal(object)  # a LiveSession: the main window plays it
    round_changed = Signal(bool)  # one laptop passed around: True while a round runs

    def __init__(self, services: Any, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setObjectName("Page")
        self.services = services
        self.workshops: list[Any] = []
        self.workshop: Any = None
        self.in_round = False
        self.learner_before_round = ""
        self.presenter: Any = None
        self.setAcceptDrops(True)
        outer = QVBoxLayout(self)
        outer.setContentsMargins(0, 0, 0, 0)
        self.stack = QStackedWidget()
        outer.addWidget(self.stack)
        self.stack.addWidget(self._build_editor())
        self.stack.addWidget(self._build_handover())
        services.store_changed.connect(self.refresh)
        self.refresh()

    # -- building -------------------------------------------------------------------------
    def _build_editor(self) -> QWidget:
        page = QWidget()
        lay = scroll_page(page, (28, 22, 28, 22), 14)
        lay.addWidget(label("Workshop", "h1"))
        lay.addWidget(
            label(
                "Prepare exercises for a room, play them on this laptop or on "
                "many, collect the results and show the room's debrief.",
                "muted",
            )
        )
        self.picker = QComboBox()
        self.picker.setAccessibleName("Workshop")
        self.picker.setSizeAdjustPolicy(
            QComboBox.SizeAdjustPolicy.AdjustToMinimumContentsLengthWithIcon
        )
        self.picker.setMinimumContentsLength(12)
        self.picker.currentIndexChanged.connect(self._picked)
        self.new_button = QPushButton("New…")
        self.new_button.clicked.connect(self.new_workshop)
        self.join_button = QPushButton("Open a workshop file…")
        self.join_button.clicked.connect(self.join_file)
        # At large text the buttons go under the picker rather than off the page.
        self.top_row = FlipRow(self.picker, [self.new_button, self.join_button], 8)
        lay.addWidget(self.top_row)

        people, pl = card("Participants")
        pl.addWidget(label("Names or pseudonyms. Guest can always play too.", "muted"))
        self.participants = QListWidget()
        self.participants.setMaximumHeight(200)
        pl.addWidget(self.participants)
        row = QHBoxLayout()
        self.new_name = QLineEdit()
        self.new_name.setPlaceholderText("Name or pseudonym")
        self.new_name.setMaxLength(80)
        self.new_name.returnPressed.connect(self.add_participant)
        self.team = QLineEdit()
        self.team.setPlaceholderText("Team (optional)")
        self.team.setMaxLength(80)
        add = QPushButton("Add")
        add.clicked.connect(self.add_participant)
        remove = QPushButton("Remove")
        remove.clicked.connect(self.remove_participant)
        row.addWidget(self.new_name, 2)
        row.addWidget(self.team, 1)
        self.people_row = FlipRow(row, [add, remove], 8)
        pl.addWidget(self.people_row)
        lay.addWidget(people)

        ex, el = card("Exercises")
        self.exercises = QTableWidget(0, 4)
        self.exercises.setHorizontalHeaderLabels(["", "Scenario", "Counterpart", "Time"])
        self.exercises.verticalHeader().setVisible(False)
        head = self.exercises.horizontalHeader()
        head.setStretchLastSection(False)
        head.setSectionResizeMode(head.ResizeMode.ResizeToContents)
        head.setSectionResizeMode(1, head.ResizeMode.Stretch)
        self.exercises.setSelectionBehavior(QTableWidget.SelectionBehavior.SelectRows)
        self.exercises.setMaximumHeight(220)
        self.exercises.setToolTip("Double-click an exercise to change it")
        self.exercises.cellDoubleClicked.connect(lambda row, _c: self.edit_exercise(row))
        el.addWidget(self.exercises)
        row = QHBoxLayout()
        self.add_ex_button = QPushButton("Add an exercise…")
        self.add_ex_button.clicked.connect(self.add_exercise)
        rm = QPushButton("Remove")
        rm.clicked.connect(self.remove_exercise)
        row.addWidget(self.add_ex_button)
        row.addWidget(rm)
        row.addStretch(1)
        el.addLayout(row)
        lay.addWidget(ex)

        run, rl = card("Play on this laptop")
        rl.addWidget(
            label(
                "Pass the laptop round: each person picks their own name, plays, "
                "then the screen is cleared for the next one.",
                "muted",
            )
        )
        row = QHBoxLayout()
        self.round_button = QPushButton("Start a round")
        self.round_button.clicked.connect(lambda: self.set_round(True))
        row.addWidget(self.round_button)
        row.addStretch(1)
        rl.addLayout(row)
        lay.addWidget(run)

        files, fl = card("Many laptops")
        fl.addWidget(
            label(
                "Give each laptop the workshop file; collect their results files "
                "here (or drop them on this page).",
                "muted",
            )
        )
        self.export_button = QPushButton("Save the workshop file…")
        self.export_button.clicked.connect(self.export_workshop)
        self.results_button = QPushButton("Save this laptop's results…")
        self.results_button.clicked.connect(self.export_results)
        self.collect_button = QPushButton("Collect results…")
        self.collect_button.clicked.connect(self.collect_dialog)
        # Buttons wrap to the next line at large text instead of widening the page.
        self.files_row = ReflowRow(8)
        for b in (self.export_button, self.results_button, self.collect_button):
            _natural_width(b)
            self.files_row.add_group(b)
        fl.addWidget(self.files_row)
        self.collect_report = label("", "muted", select=True)
        fl.addWidget(self.collect_report)
        lay.addWidget(files)

        room, ml = card("The room's debrief")
        self.summary = label("", None, select=True)
        ml.addWidget(self.summary)
        self.present_button = QPushButton("Present (full screen)")
        self.present_button.setProperty("role", "primary")
        self.present_button.clicked.connect(self.present)
        self.print_button = QToolButton()
        self.print_button.setText("Print…")
        self.print_button.setPopupMode(QToolButton.ToolButtonPopupMode.InstantPopup)
        menu = QMenu(self.print_button)
        for text, kind in (
            ("Workshop report", "report"),
            ("Handouts, one per participant", "handouts"),
            ("Role sheets", "roles"),
            ("Teaching note", "note"),
        ):
            menu.addAction(text, lambda k=kind: self.print_pdf(k))
        self.print_button.setMenu(menu)
        self.xapi_button = QPushButton("Export xAPI…")
        self.xapi_button.clicked.connect(self.export_xapi)
        self.anonymous = QComboBox()
        self.anonymous.addItem("With names", False)
        self.anonymous.addItem("Pseudonyms only", True)
        self.anonymous.setAccessibleName("Names in exports")
        self.room_row = ReflowRow(8)
        for w in (self.present_button, self.print_button, self.xapi_button, self.anonymous):
            _natural_width(w)
            self.room_row.add_group(w)
        ml.addWidget(self.room_row)
        lay.addWidget(room)
        lay.addStretch(1)
        return page

    def _build_handover(self) -> QWidget:
        page = QWidget()
        lay = QVBoxLayout(page)
        lay.setContentsMargins(48, 40, 48, 40)
        lay.addStretch(1)
        self.handover_title = label("Who plays next?", "h1")
        self.handover_title.setAlignment(Qt.AlignmentFlag.AlignCenter)
        lay.addWidget(self.handover_title)
        note = label("Pick your own name. Nothing of the previous player is on screen.", "muted")
        note.setAlignment(Qt.AlignmentFlag.AlignCenter)
        lay.addWidget(note)
        form = QFormLayout()
        self.who = QComboBox()
        self.who.setAccessibleName("Who plays")
        self.which = QComboBox()
        self.which.setAccessibleName("Exercise")
        form.addRow("Player", self.who)
        form.addRow("Exercise", self.which)
        lay.addLayout(form)
        row = QHBoxLayout()
        row.addStretch(1)
        self.start_button = QPushButton("Start playing")
        self.start_button.setProperty("role", "primary")
        self.start_button.setEnabled(False)
        self.start_button.clicked.connect(self.start_for_chosen)
        self.end_round_button = QPushButton("End the round")
        self.end_round_button.clicked.connect(lambda: self.set_round(False))
        row.addWidget(self.start_button)
        row.addWidget(self.end_round_button)
        row.addStretch(1)
        lay.addLayout(row)
        self.handover_error = label("", "error")
        lay.addWidget(self.handover_error)
        lay.addStretch(2)
        self.who.currentIndexChanged.connect(
            lambda _i: self.start_button.setEnabled(bool(self.who.currentData()))
        )
        return page

    # -- data ------------------------------------------------------------------------------
    def refresh(self) -> None:
        if self.services.store is None:
            return
        from negtrainer.workshop import service

        def load(store: Any) -> tuple[list[Any], str]:
            every = service.all_workshops(store)
            current = self.workshop.id if self.workshop is not None else ""
            w = next((x for x in every if x.id == current), every[0] if every else None)
            return every, _summary_text(store, w)

        self.services.run_op(load, self._loaded, self._failed("Workshops"))

    def _loaded(self, got: tuple[list[Any], str]) -> None:
        every, text = got
        current = self.workshop.id if self.workshop is not None else ""
        self.workshops = every
        self.picker.blockSignals(True)
        self.picker.clear()
        for w in every:
            self.picker.addItem(w.name, w.id)
        if not every:
            self.picker.addItem("No workshop yet: make one with New…", "")
        index = next((i for i, w in enumerate(every) if w.id == current), 0)
        self.picker.setCurrentIndex(index)
        self.picker.blockSignals(False)
        self.workshop = every[index] if every else None
        self.summary.setText(text)
        self._show_workshop()

    def _picked(self, index: int) -> None:
        if 0 <= index < len(self.workshops):
            self.workshop = self.workshops[index]
            self.refresh()

    def _show_workshop(self) -> None:
        w = self.workshop
        self.participants.clear()
        self.exercises.setRowCount(0)
        has = w is not None
        for b in (
            self.add_ex_button,
            self.export_button,
            self.results_button,
            self.collect_button,
            self.present_button,
            self.print_button,
            self.xapi_button,
            self.round_button,
        ):
            b.setEnabled(has)
        if w is None:
            return
        for p in w.participants:
            self.participants.addItem(p.name + (f"  ({p.team})" if p.team else ""))
        self.exercises.setRowCount(len(w.exercises))
        for r, ex in enumerate(w.exercises):
            counterpart = ex.variant if ex.fixed else "drawn per participant"
            for c, text in enumerate((ex.id, ex.title, counterpart, f"{ex.minutes} min")):
                self.exercises.setItem(r, c, _plain_item(text))
        self._fill_handover()

    def _save(self, change: Any, scenarios: list[Any] | None = None, prepare: bool = False) -> None:
        from negtrainer.workshop import service

        def run(store: Any) -> Any:
            return service.save(store, change(), scenarios)

        def done(w: Any) -> None:
            self.workshop = w
            self.refresh()
            if prepare:
                # The exercise's expert paths, searched now (a second or so, after the
                # page shows it) rather than while the room's results are collected.
                self.services.run_op(lambda store: service.prepare(store, w))

        self.services.run_op(run, done, self._failed("The workshop was not changed"))

    def _failed(self, title: str) -> Any:
        def show(exc: BaseException) -> None:
            from negtrainer.gui.services import user_message

            self.services.error.emit(
                title, str(exc) if isinstance(exc, ValueError) else user_message(exc)
            )

        return show

    # -- editing ---------------------------------------------------------------------------
    def new_workshop(self) -> None:
        name, ok = QInputDialog.getText(self, "New workshop", "Name of the workshop:")
        if ok and name.strip():
            self.create(name)

    def create(self, name: str, participants: list[str] | None = None) -> None:
        from negtrainer.workshop import service

        def done(w: Any) -> None:
            self.workshop = w
            self.refresh()

        self.services.run_op(
            lambda store: service.create(store, name, participants or []),
            done,
            self._failed("The workshop could not be made"),
        )

    def add_participant(self) -> None:
        name = self.new_name.text().strip()
        if not name or self.workshop is None:
            return
        team = self.team.text().strip() or None
        w = self.workshop
        self.new_name.clear()
        self._save(lambda: w.with_participant(name, team=team))

    def remove_participant(self) -> None:
        row = self.participants.currentRow()
        if self.workshop is None or row < 0:
            return
        w = self.workshop
        name = w.participants[row].name
        self._save(lambda: w.without_participant(name))

    def add_exercise(self) -> None:
        if self.workshop is None:
            return
        dlg = ExerciseDialog(self.services.scenarios, self)
        if dlg.exec() != QDialog.DialogCode.Accepted or dlg.chosen() is None:
            return
        self.add_exercise_for(dlg.chosen(), **dlg.values())

    def edit_exercise(self, row: int) -> None:
        from negtrainer.workshop import service

        w = self.workshop
        if w is None or not 0 <= row < len(w.exercises):
            return
        ex = w.exercises[row]

        def ask(scenario: Any) -> None:
            dlg = ExerciseDialog([], self)
            dlg.prefill(ex, scenario)
            if dlg.exec() == QDialog.DialogCode.Accepted:
                self.add_exercise_for(scenario, exercise_id=ex.id, seed=ex.seed, **dlg.values())

        self.services.run_op(
            lambda store: service.scenario_of(store, ex),
            ask,
            self._failed("The exercise cannot be changed"),
        )

    def add_exercise_for(self, scenario: Any, **values: Any) -> None:
        w = self.workshop
        self._save(lambda: w.with_exercise(scenario, **values), [scenario], prepare=True)

    def remove_exercise(self) -> None:
        row = self.exercises.currentRow()
        if self.workshop is None or row < 0:
            return
        w = self.workshop
        ex_id = w.exercises[row].id
        self._save(lambda: w.without_exercise(ex_id))

    # -- one laptop passed around ----------------------------------------------------------
    def set_round(self, on: bool) -> None:
        """Begin or end a round; the learner returns to who it was, visibly."""
        if on == self.in_round:
            if on:
                self.show_handover()
            return
        self.in_round = on
        if on:
            self.learner_before_round = self.services.learner
            self.show_handover()
        else:
            self.stack.setCurrentIndex(0)
            self.services.set_learner(self.learner_before_round)
        self.round_changed.emit(on)

    def show_handover(self) -> None:
        self._fill_handover()
        self.handover_error.setText("")
        self.stack.setCurrentIndex(1)

    def _fill_handover(self) -> None:
        w = self.workshop
        self.who.blockSignals(True)
        self.who.clear()
        self.who.addItem(CHOOSE, "")
        for p in w.participants if w is not None else []:
            self.who.addItem(p.name, p.name)
        self.who.addItem(GUEST, GUEST)
        self.who.setCurrentIndex(0)  # never preselected: each player picks themselves
        self.who.blockSignals(False)
        self.start_button.setEnabled(False)
        self.which.clear()
        for ex in w.exercises if w is not None else []:
            self.which.addItem(f"{ex.id}: {ex.title}", ex.id)

    def start_for_chosen(self) -> None:
        who = self.who.currentData()
        exercise = self.which.currentData()
        if not who or not exercise or self.workshop is None:
            self.handover_error.setText("Choose who plays and an exercise first.")
            return
        self.start_for(who, exercise)

    def start_for(self, who: str, exercise_id: str) -> None:
        """Start a tagged session for ``who``; the learner becomes them, by their choice."""
        from negtrainer.gui.services import LiveSession
        from negtrainer.workshop import service

        w = self.workshop

        def begin(store: Any) -> Any:
            started = service.start(store, w, exercise_id, who)
            scenario = service.scenario_of(store, w.exercise(exercise_id))
            return LiveSession(
                started.session_id,
                scenario,
                started.session,
                started.recorder,
                [(None, None, list(started.session.lines))],
            )

        def done(live: Any) -> None:
            self.services.set_learner("" if who == GUEST else who)
            self.services.store_changed.emit()
            self.session_started.emit(live)

        self.services.run_op(begin, done, self._failed("The session could not start"))

    # -- files ---------------------------------------------------------------------------------
    def _save_path(self, title: str, suggested: str, filt: str) -> Path | None:
        """Where to save, asked (the dialog confirms replacing a file); never the
        session database or a backup of it."""
        from negtrainer.gui.debrief import ask_save_path  # in the home folder, as every save
        from negtrainer.store import StoreError, exchange

        path = ask_save_path(self, title, suggested, filt)
        if path is None:
            return None
        db = getattr(self.services.store, "path", None)
        try:
            exchange.check_target(db, path, force=True)
        except StoreError as e:
            self.services.error.emit("Nothing was saved", str(e))
            return None
        return path

    @property
    def anonymous_chosen(self) -> bool:
        return bool(self.anonymous.currentData())

    def _export(
        self, what: str, suggested: str, filt: str, write: Any, done: str, path: Path | None
    ) -> None:
        """Ask where (unless given), write on the store thread, say what was saved."""
        w = self.workshop
        if w is None:
            return
        path = path or self._save_path(f"Save {what}", f"{w.name}{suggested}", filt)
        if path is None:
            return
        anon = self.anonymous_chosen
        self.services.run_op(
            lambda store: write(store, w, path, anon),
            lambda n: self._note(done.format(n=n, path=path)),
            self._failed(f"{what[0].upper()}{what[1:]} was not saved"),
        )

    def export_workshop(self, path: Path | None = None) -> None:
        from negtrainer.workshop import files

        self._export(
            "the workshop file",
            ".workshop.json",
            "Workshop files (*.json)",
            files.export_workshop,
            "Saved {path}. Open it on each laptop.",
            path,
        )

    def export_results(self, path: Path | None = None) -> None:
        from negtrainer.workshop import files

        self._export(
            "this laptop's results",
            ".results.json",
            "Results files (*.json)",
            files.export_results,
            "Saved {n} session(s) to {path}.",
            path,
        )

    def join_file(self, path: Path | None = None) -> None:
        from negtrainer.workshop import files

        if path is None:
            name, _ = QFileDialog.getOpenFileName(
                self, "Open a workshop file", str(Path.home()), "Workshop files (*.json)"
            )
            if not name:
                return
            path = Path(name)

        def done(w: Any) -> None:
            self.workshop = w
            self.refresh()

        self.services.run_op(
            lambda store: files.join(store, path),
            done,
            self._failed("The workshop file could not be opened"),
        )

    def collect_dialog(self) -> None:
        names, _ = QFileDialog.getOpenFileNames(
            self, "Collect results files", str(Path.home()), "Results files (*.json)"
        )
        if names:
            self.collect([Path(n) for n in names])

    def collect(self, paths: list[Path]) -> None:
        from negtrainer.workshop import files

        w = self.workshop
        if w is None:
            return
        self.collect_report.setText(f"Collecting {len(paths)} file(s)…")

        def done(found: list[Any]) -> None:
            self.collect_report.setText("\n".join(c.line() for c in found))
            self.services.store_changed.emit()

        self.services.run_op(
            lambda store: files.collect(store, w, paths),
            done,
            self._failed("The results could not be collected"),
        )

    def dragEnterEvent(self, event: Any) -> None:
        if event.mimeData().hasUrls() and self.workshop is not None:
            event.acceptProposedAction()

    def dropEvent(self, event: Any) -> None:
        paths = [Path(u.toLocalFile()) for u in event.mimeData().urls() if u.isLocalFile()]
        if paths:
            event.acceptProposedAction()
            self.collect(paths)

    def _note(self, text: str) -> None:
        self.collect_report.setText(text)

    # -- presenting, printing, xAPI --------------------------------------------------------
    def present(self) -> None:
        from negtrainer.gui.presenter import PresenterWindow

        if self.workshop is None:
            return
        self.presenter = PresenterWindow(self.services, self.workshop)
        self.presenter.load()
        self.presenter.showFullScreen()

    def print_pdf(self, kind: str, path: Path | None = None) -> None:
        from negtrainer.gui import printables

        w = self.workshop
        if w is None:
            return
        titles = {
            "report": "report",
            "handouts": "handouts",
            "roles": "role sheets",
            "note": "teaching note",
        }
        path = path or self._save_path(
            f"Save the {titles[kind]}", f"{w.name} {titles[kind]}.pdf", "PDF (*.pdf)"
        )
        if path is None:
            return
        anon = self.anonymous_chosen
        if kind in ("roles", "note"):
            # Drawing happens on the GUI thread (Qt's text layout); reading, on the store's.
            from negtrainer.workshop import service

            def scenarios(store: Any) -> list[Any]:
                return [service.scenario_of(store, ex) for ex in w.exercises]

            def draw(found: list[Any]) -> None:
                if not found:
                    self._note("Add an exercise first.")
                    return
                try:
                    body = "".join(
                        (printables.BREAK if i else "")
                        + (
                            printables.role_sheets_html(sc)
                            if kind == "roles"
                            else printables.teaching_note_html(sc, w.exercises[i].questions)
                        )
                        for i, sc in enumerate(found)
                    )
                except Exception:  # a bug of ours: say so, never fail in silence
                    log.exception("could not draw the %s", titles[kind])
                    self.services.error.emit(
                        "Nothing was printed",
                        f"The {titles[kind]} could not be drawn (a fault in negtrainer; "
                        "the log has the details). Nothing was saved.",
                    )
                    return
                self._write(printables.write_pdf, body, path, f"{w.name}: {titles[kind]}")

            self.services.run_op(scenarios, draw, self._failed("Nothing was printed"))
            return
        from negtrainer.workshop import service

        def draw_report(views: list[Any]) -> None:
            if kind == "handouts":
                body, images = printables.handouts_html(w, views)
            else:
                body, images = printables.workshop_report_html(w, views, anon)
            self._write(printables.write_pdf, body, path, f"{w.name}: {titles[kind]}", images)

        self.services.run_op(
            lambda store: service.views(store, w, anon),
            draw_report,
            self._failed("Nothing was printed"),
        )

    def _write(self, fn: Any, *args: Any) -> None:
        try:
            pages = fn(*args)
        except OSError as e:
            self.services.error.emit("Nothing was printed", str(e))
            return
        self._note(f"Saved {args[1]} ({pages} page(s)).")

    def export_xapi(self, path: Path | None = None) -> None:
        from negtrainer.workshop import xapi

        self._export(
            "the xAPI statements",
            ".xapi.json",
            "JSON (*.json)",
            xapi.export,
            "Saved {n} xAPI statement(s) to {path}.",
            path,
        )


def _summary_text(store: Any, w: Any) -> str:
    """One line per exercise: how many sessions and how they ended."""
    if w is None:
        return ""
    from negtrainer.workshop import service

    lines = []
    for v in service.views(store, w):
        outcomes = ", ".join(f"{o} {n}" for o, n in v.outcomes) or "no finished sessions yet"
        lines.append(f"{v.exercise.id}: {v.title} — {len(v.played)} played ({outcomes})")
    return "\n".join(lines) or "Add an exercise to begin."
