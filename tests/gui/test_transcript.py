"""The conversation view: what it holds after several turns, words shown as typed,
and a conversation appended turn by turn laid out as one drawn in one go."""

from __future__ import annotations

from typing import Any

from PySide6.QtCore import QUrl
from PySide6.QtGui import QTextCursor, QTextTable

from negtrainer.gui.replay import ReplayTranscript, TurnEntry
from negtrainer.gui.transcript import Entry, TranscriptView


def _turns() -> list[list[Entry]]:
    return [
        [Entry("them", "Coffee first?", ["Revealed: timing"], "good")],
        [
            Entry("me", "Tell me about the launch.", ["Open question", "trust +3"], "good"),
            Entry("them", "It slips if deliveries are late."),
        ],
        [
            Entry("me", "What if we ship weekly?", ["Propose"]),
            Entry("note", "Offer turned down.", ["worth 40 to them; far from enough"]),
        ],
        [
            Entry("me", "Then monthly, with a bonus."),
            Entry("them", "That works for us."),
            Entry("ending", "A deal you can both live with", [], "good"),
        ],
    ]


def _view(qtbot: Any, cls: type[TranscriptView] = TranscriptView) -> TranscriptView:
    view = cls()
    qtbot.addWidget(view)
    view.resize(420, 500)
    view.set_speaker("Dana")
    return view


def _lines(view: TranscriptView) -> list[str]:
    return [line for line in view.toPlainText().splitlines() if line.strip()]


def test_the_conversation_after_several_turns_reads_speaker_then_line_in_order(qtbot):
    view = _view(qtbot)
    for turn in _turns():
        view.add(turn)
    assert _lines(view) == [
        "Dana",
        "Coffee first?",
        "You",
        "Tell me about the launch.",
        "Dana",
        "It slips if deliveries are late.",
        "You",
        "What if we ship weekly?",
        "Offer turned down.",
        "You",
        "Then monthly, with a bonus.",
        "Dana",
        "That works for us.",
        "— A deal you can both live with —",
    ]


def test_coach_mode_adds_each_lines_notes_under_it_and_takes_them_away_again(qtbot):
    view = _view(qtbot)
    for turn in _turns():
        view.add(turn)
    view.set_coach(True)
    lines = _lines(view)
    assert lines[lines.index("Tell me about the launch.") + 1] == "Open question · trust +3"
    assert lines[lines.index("Offer turned down.") + 1] == "worth 40 to them; far from enough"
    view.set_coach(False)
    assert "Open question · trust +3" not in view.toPlainText()


def test_markup_in_scenario_and_learner_words_shows_as_typed(qtbot):
    view = _view(qtbot)
    view.set_speaker("Dana <i>Reyes</i>")
    view.add([Entry("them", "Price is <b>x</b> & more"), Entry("me", "<a href='speak:0'>y</a>")])
    text = view.toPlainText()
    assert "Dana <i>Reyes</i>" in text
    assert "Price is <b>x</b> & more" in text
    assert "<a href='speak:0'>y</a>" in text
    # Nothing was read as rich text: no bold, italic or link came of it.
    block = view.document().begin()
    while block.isValid():
        it = block.begin()
        while not it.atEnd():
            fmt = it.fragment().charFormat()
            assert not fmt.isAnchor() and not fmt.fontItalic() and fmt.fontWeight() <= 600
            it += 1
        block = block.next()


def test_a_conversation_added_turn_by_turn_is_laid_out_as_one_drawn_at_once(qtbot):
    turns = _turns() + [[Entry("note", "Heard as: fine.")], [Entry("note", "Saved.")]]
    one_by_one = _view(qtbot)
    one_by_one.set_coach(True)
    for turn in turns:
        one_by_one.add(turn)
    at_once = _view(qtbot)
    at_once.set_coach(True)
    at_once.add([e for turn in turns for e in turn])
    assert one_by_one.toHtml() == at_once.toHtml()
    one_by_one.rebuild()
    assert one_by_one.toHtml() == at_once.toHtml()
    # Two notes in a row stay two paragraphs (appended HTML once ran them together).
    assert "Heard as: fine." in _lines(at_once) and "Saved." in _lines(at_once)


def test_the_speak_link_on_a_counterpart_line_asks_for_that_line(qtbot):
    view = _view(qtbot)
    view.set_speak_links(True)
    for turn in _turns():
        view.add(turn)
    asked: list[int] = []
    view.speak_requested.connect(asked.append)
    hrefs: list[str] = []
    cursor = QTextCursor(view.document())
    while not cursor.atEnd():
        fmt = cursor.charFormat()
        if fmt.isAnchor() and fmt.anchorHref() not in hrefs:
            hrefs.append(fmt.anchorHref())
        cursor.movePosition(QTextCursor.MoveOperation.NextCharacter)
    them = [n for n, e in enumerate(view.entries) if e.kind == "them"]
    assert hrefs == [f"speak:{n}" for n in them]
    view.anchorClicked.emit(QUrl(hrefs[1]))
    assert asked == [them[1]]


def test_the_replay_puts_each_turns_caption_beside_the_learners_line(qtbot):
    view = _view(qtbot, ReplayTranscript)
    view.add(
        [
            Entry("them", "Coffee first?"),
            TurnEntry("me", "Tell me <b>more</b>.", caption=["Turn 1 · Open question", "trust 57"]),
        ]
    )
    tables = [
        frame
        for frame in view.document().rootFrame().childFrames()
        if isinstance(frame, QTextTable)
    ]
    row = tables[-1]
    caption = row.cellAt(0, 0)
    said = row.cellAt(0, 1)

    def text(cell: Any) -> str:
        cursor = cell.firstCursorPosition()
        cursor.setPosition(cell.lastCursorPosition().position(), QTextCursor.MoveMode.KeepAnchor)
        return cursor.selectedText()

    assert text(caption) == "Turn 1 · Open question\u2028trust 57"
    assert text(said) == "You\u2028Tell me <b>more</b>."
