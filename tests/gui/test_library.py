"""The library: scenarios as cards, broken files shown with their error, briefs, resuming."""

from __future__ import annotations

from PySide6.QtCore import Qt

from negtrainer.gui.models.library_model import LibraryModel

BROKEN = "format: 1\nid: broken\ntitle: [oops\n"


def _row(model: LibraryModel, scenario_id: str) -> int:
    row = model.row_of(scenario_id)
    assert row >= 0, f"{scenario_id} is listed"
    return row


def test_library_lists_builtin_scenarios_with_skills_difficulty_and_minutes(window):
    model = window.library.model
    row = _row(model, "packaging-renewal")
    index = model.index(row, 0)
    assert index.data() == "Before positions harden"
    assert index.data(LibraryModel.DifficultyRole) == "introductory"
    assert index.data(LibraryModel.MinutesRole) == 12
    assert "Hidden interests" in index.data(LibraryModel.SkillsRole)
    assert index.data(LibraryModel.ErrorRole) == ""
    assert index.data(LibraryModel.BestRole) == "", "nothing played yet"
    assert model.index(row, LibraryModel.COL_MINUTES).data() == "12"
    assert "introductory" in index.data(Qt.ItemDataRole.AccessibleTextRole)


def test_a_scenario_that_fails_to_load_is_shown_with_file_line_and_message(
    launch, scratch_places, qtbot
):
    (scratch_places / "broken.yaml").write_text(BROKEN, encoding="utf-8")
    window = launch()
    model = window.library.model
    broken = [r for r in range(model.rowCount()) if model.index(r, 0).data(LibraryModel.ErrorRole)]
    assert len(broken) == 1, "shown, not hidden"
    index = model.index(broken[0], 0)
    error = index.data(LibraryModel.ErrorRole)
    assert error.startswith("broken.yaml:4: ")
    assert index.data(LibraryModel.FixRole)
    assert "cannot be loaded" in window.library.subtitle.text()
    assert model.rowCount() > 1, "the good scenarios are still there"
    # Choosing it shows its problems instead of a brief; there is no Start.
    window.library.open_brief.emit(index.data(LibraryModel.IdRole))
    assert window.current == "brief"
    assert window.brief.problems.isVisible()
    assert "broken.yaml:4" in window.brief.problem_text.text()
    assert not window.brief.start_button.isVisible()


def test_the_library_model_is_a_well_behaved_qt_model(window, qtmodeltester):
    model = window.library.model
    assert model.rowCount() >= 1
    qtmodeltester.check(model, force_py=True)


def test_enter_on_a_card_opens_its_brief_with_both_instructions_and_the_counterpart(window, qtbot):
    grid = window.library.grid
    row = window.library.proxy.mapFromSource(
        window.library.model.index(_row(window.library.model, "packaging-renewal"), 0)
    )
    grid.setCurrentIndex(row)
    qtbot.keyClick(grid, Qt.Key.Key_Return)
    assert window.current == "brief"
    brief = window.brief
    assert brief.title.text() == "Before positions harden"
    assert "Harlow Foods buys" in brief.public.text()
    assert "finance director" in brief.confidential.text()
    assert brief.cp_name.text() == "Dana Okafor"
    assert "Corvex" in brief.cp_role.text()
    assert brief.avatar.person() == "Dana Okafor"
    variants = [brief.variant.itemData(i) for i in range(brief.variant.count())]
    assert variants == ["", "warm", "curt"], "surprise me (from the seed) or a variant"
    # The counterpart's confidential brief is theirs: never shown to the learner.
    assert "board has questioned" not in brief.cp_public.text()


def test_surprise_me_draws_the_variant_from_the_seed(window, drive, qtbot):
    window.open_brief("packaging-renewal")
    qtbot.mouseClick(window.brief.start_button, Qt.MouseButton.LeftButton)
    qtbot.waitUntil(lambda: window.play.live is not None)
    from negtrainer.engine.session import pick_variant

    live = window.play.live
    assert live.session.state.variant == pick_variant(live.scenario, live.session.state.seed)


def test_finished_sessions_show_the_best_result_on_the_card(window, drive, qtbot):
    play = drive.walk_out(window)
    title = play.live.session.ending.title
    model = window.library.model
    row = _row(model, "packaging-renewal")
    qtbot.waitUntil(lambda: model.index(row, 0).data(LibraryModel.BestRole) != "")
    assert model.index(row, 0).data(LibraryModel.BestRole).startswith(title)


def test_an_unfinished_session_can_be_resumed_from_the_library(window, drive, qtbot):
    play = drive.start(window)
    drive.press(play, "small_talk_drive")
    qtbot.mouseClick(play.leave_button, Qt.MouseButton.LeftButton)
    assert window.current == "library"
    library = window.library
    qtbot.waitUntil(lambda: library.resume_box.isVisible())
    row = library.resume_rows.itemAt(0).widget()
    assert "Before positions harden" in row.button.accessibleName()
    qtbot.mouseClick(row.button, Qt.MouseButton.LeftButton)
    qtbot.waitUntil(lambda: window.current == "play" and window.play.live.session.state.turn == 1)
    assert model_unfinished(window) == 1  # the card says so, not "Not played yet"

    drive.press(window.play, "ask_builders")  # a turn more, then back to the library
    qtbot.mouseClick(window.play.leave_button, Qt.MouseButton.LeftButton)
    qtbot.waitUntil(lambda: model_unfinished(window) == 2)
    row = library.resume_rows.itemAt(0).widget()
    assert row.button.accessibleName().endswith("turn 2"), "the Resume row is not stale"


def model_unfinished(window) -> int:
    model = window.library.model
    return model.index(_row(model, "packaging-renewal"), 0).data(LibraryModel.UnfinishedRole)


def test_the_scenarios_folder_without_a_file_manager_shows_and_copies_its_path(
    window, qtbot, monkeypatch
):
    from PySide6.QtGui import QDesktopServices, QGuiApplication

    from negtrainer.gui.services import user_scenarios_dir

    monkeypatch.setattr(QDesktopServices, "openUrl", staticmethod(lambda url: False))
    with qtbot.waitSignal(window.services.error) as said:
        window.library.folder_button.click()
    folder = str(user_scenarios_dir())
    assert said.args[0] == "Your scenarios folder" and folder in said.args[1]
    assert QGuiApplication.clipboard().text() == folder


def test_a_title_on_two_lines_leaves_the_summary_fewer_lines_above_the_skills(window, monkeypatch):
    from PySide6.QtCore import QRect
    from PySide6.QtGui import QFontMetrics, QImage, QPainter
    from PySide6.QtWidgets import QStyleOptionViewItem

    from negtrainer.gui import library

    grid = window.library.grid
    delegate = grid.itemDelegate()
    index = grid.model().index(0, 0)
    drawn: list[tuple[int, int]] = []  # (top, lines) of each wrapped text
    chips: list[int] = []
    wrapped, chip_row = library._draw_wrapped, delegate._chips

    def spy_wrapped(p, font, r, text, max_lines):
        bottom = wrapped(p, font, r, text, max_lines)
        drawn.append((r.top(), bottom))
        return bottom

    def spy_chips(p, font, r, skills, c):
        chips.append(r.top())
        return chip_row(p, font, r, skills, c)

    monkeypatch.setattr(library, "_draw_wrapped", spy_wrapped)
    monkeypatch.setattr(delegate, "_chips", spy_chips)
    option = QStyleOptionViewItem()
    option.initFrom(grid)
    size = delegate.sizeHint(option, index)
    # Narrow enough that the title wraps onto two lines.
    option.rect = QRect(0, 0, max(140, size.width() // 2), size.height())
    image = QImage(option.rect.size(), QImage.Format.Format_ARGB32)
    painter = QPainter(image)
    delegate.paint(painter, option, index)
    painter.end()

    (title_top, title_bottom), *summary = drawn
    assert title_bottom - title_top > 1.5 * QFontMetrics(option.font).height(), "title wraps"
    assert summary, "some of the summary is shown"
    assert summary[-1][1] <= chips[0], "the summary ends above the skill chips"
