"""The conversation as it happens: the counterpart's lines on the left, the
learner's on the right, notes (an offer turned down, the ending) in between.

A read-only QTextBrowser: selectable, copyable, read by screen readers, and its
text scales with the application font. New lines are appended (cheap); a
theme or coach-mode change redraws everything.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from functools import cache
from typing import Any

from PySide6.QtCore import QRect, Qt, QTimer, QUrl, Signal
from PySide6.QtGui import (
    QColor,
    QPainter,
    QTextBlockFormat,
    QTextCharFormat,
    QTextCursor,
    QTextFormat,
    QTextFrameFormat,
    QTextLength,
    QTextTable,
    QTextTableCellFormat,
    QTextTableFormat,
)
from PySide6.QtWidgets import QTextBrowser, QWidget

from negtrainer.gui import theme


@dataclass
class Entry:
    kind: str  # "them" | "me" | "note" | "ending"
    text: str
    coach: list[str] = field(default_factory=list)  # shown only in coach mode
    tone: str = ""  # "good" | "bad" | "" : colours a coach note or an ending


class TranscriptView(QTextBrowser):
    """``speak_requested(index)``: the "Speak" link of ``entries[index]`` was
    followed (shown on the counterpart's lines after ``set_speak_links(True)``)."""

    speak_requested = Signal(int)

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setObjectName("Transcript")
        self.setOpenLinks(False)
        self.speak_links = False
        self.anchorClicked.connect(self._anchor)
        self.setAccessibleName("Conversation")
        self.setAccessibleDescription("What you and the counterpart have said, newest last.")
        self.entries: list[Entry] = []
        self.speaker = "Counterpart"
        self.coach = False
        self.document().setDocumentMargin(12)
        # The viewport fills its own background (paintEvent), so Qt scrolls it by
        # moving what is drawn and paints only what comes into view.
        self.viewport().setAttribute(Qt.WidgetAttribute.WA_OpaquePaintEvent)

    def paintEvent(self, event: Any) -> None:
        painter = QPainter(self.viewport())
        painter.fillRect(event.rect(), theme.color("transcript_bg"))
        painter.end()
        super().paintEvent(event)

    def loadResource(self, kind: int, name: Any) -> Any:
        # Everything shown is ours or escaped data; nothing is ever fetched (a
        # hostile <img src="/dev/zero"> once aborted the window).
        return None

    # -- content --------------------------------------------------------------------
    def set_speaker(self, name: str) -> None:
        self.speaker = name

    def set_coach(self, on: bool) -> None:
        if on != self.coach:
            self.coach = on
            self.rebuild()

    def set_speak_links(self, on: bool) -> None:
        if on != self.speak_links:
            self.speak_links = on
            self.rebuild()

    def _anchor(self, url: QUrl) -> None:
        if url.scheme() == "speak" and url.path().isdigit():
            index = int(url.path())
            if 0 <= index < len(self.entries):
                self.speak_requested.emit(index)

    def clear_entries(self) -> None:
        self.entries = []
        self.clear()

    def add(self, entries: list[Entry]) -> None:
        if not entries:
            return
        first = len(self.entries)
        self.entries.extend(entries)
        doc = self.document()
        layout = doc.documentLayout()
        changed_from = int(layout.blockBoundingRect(doc.lastBlock()).top())
        # Qt asks to repaint the whole conversation for lines added at its end; only
        # the part from the old last line down has changed, so say that instead.
        layout.blockSignals(True)
        try:
            self._insert(entries, first)
        finally:
            layout.blockSignals(False)
        size = layout.documentSize()
        layout.documentSizeChanged.emit(size)  # the scroll bar's range
        top = changed_from - self.verticalScrollBar().value()
        view = self.viewport()
        view.update(QRect(0, top, view.width(), int(size.height()) - changed_from + 1))
        self.scroll_to_end()

    def rebuild(self) -> None:
        self.clear()
        self._insert(self.entries, 0)
        self.scroll_to_end()

    def scroll_to_end(self) -> None:
        bar = self.verticalScrollBar()
        bar.setValue(bar.maximum())
        # The layout may grow once more after the event loop turns (not if the view is
        # gone by then: the bar is the timer's context).
        QTimer.singleShot(0, bar, lambda: bar.setValue(bar.maximum()))

    def plain_text(self) -> str:
        """What a reader hears: speaker and line, one per paragraph."""
        out = []
        for e in self.entries:
            who = {"them": self.speaker, "me": "You"}.get(e.kind)
            out.append(f"{who}: {e.text}" if who else e.text)
        return "\n".join(out)

    # -- drawing ----------------------------------------------------------------------
    # Built with a text cursor, never from HTML: every word is inserted as plain text
    # (scenario and learner words need no escaping), and parsing HTML was a quarter
    # of a turn. The blocks, tables and formats are those Qt's HTML import made of
    # the markup used before, so the conversation looks as it did.
    def _insert(self, entries: list[Entry], first: int) -> None:
        cursor = QTextCursor(self.document())
        cursor.movePosition(QTextCursor.MoveOperation.End)
        c = theme.colors()
        # One change for the layout to follow, not one per piece of text.
        cursor.beginEditBlock()
        try:
            for n, e in enumerate(entries):
                before = self.entries[first + n - 1].kind if first + n else ""
                self._entry(cursor, e, first + n, before, c)
                cursor.movePosition(QTextCursor.MoveOperation.End)
        finally:
            cursor.endEditBlock()

    def _entry(self, cursor: QTextCursor, e: Entry, index: int, before: str, c: dict) -> None:
        """Append ``e`` (``before``: the kind of the entry above it, "" for none)."""
        if e.kind == "them":
            cell = bubble(cursor, (84, 16), 0, c["them_bubble"], c["them_border"]).cellAt(0, 0)
            cell = cell.firstCursorPosition()
            cell.insertText(self.speaker, chars(c["muted"], small=True, weight=600))
            if self.speak_links and index >= 0:
                cell.insertText("\u00a0" * 3, _PLAIN)
                link = QTextCharFormat(chars(c["link"], small=True))
                link.setFontUnderline(False)
                link.setFontOverline(False)
                link.setFontStrikeOut(False)
                link.setAnchor(True)
                link.setAnchorHref(f"speak:{index}")
                cell.insertText("▶\u00a0Speak", link)
            self._bubble_text(cell, e, c)
        elif e.kind == "me":
            row = bubble(cursor, (16, 84), 1, c["me_bubble"], c["me_border"])
            cell = row.cellAt(0, 1).firstCursorPosition()
            cell.insertText("You", chars(c["accent_text"], small=True, weight=600))
            self._bubble_text(cell, e, c)
        elif e.kind == "ending":
            colour = {"good": c["success"], "bad": c["danger"]}.get(e.tone, c["text"])
            ending = chars(colour, weight=700)
            _paragraph(cursor, before, 16, 8, ending)
            cursor.insertText(f"— {e.text} —", ending)
        else:
            note = chars(c["aside_text"], small=True)
            _paragraph(cursor, before, 10, 2, note)
            cursor.insertText(e.text, note)
            if self.coach and e.coach:
                cursor.insertText(LINE_BREAK, note)
                cursor.insertText(" · ".join(e.coach), self._coach_chars(e, c))

    def _bubble_text(self, cell: QTextCursor, e: Entry, c: dict) -> None:
        """The line itself under the speaker's name, then what coach mode adds."""
        cell.insertText(LINE_BREAK, _PLAIN)
        cell.insertText(e.text, chars(c["text"]))
        if self.coach and e.coach:
            cell.insertText(LINE_BREAK, _PLAIN)
            cell.insertText(" · ".join(e.coach), self._coach_chars(e, c))

    def _coach_chars(self, e: Entry, c: dict) -> QTextCharFormat:
        return chars({"good": c["success"], "bad": c["danger"]}.get(e.tone, c["muted"]), small=True)


LINE_BREAK = "\u2028"  # a line break inside a paragraph, as <br> makes


@cache
def chars(colour: str, small: bool = False, weight: int = 0) -> QTextCharFormat:
    """A character format: colour, "small" (as HTML's font-size:small), weight. Shared:
    change a copy (``QTextCharFormat(chars(...))``), never the one returned."""
    chars = QTextCharFormat()
    chars.setForeground(QColor(colour))
    if small:
        chars.setProperty(QTextFormat.Property.FontSizeAdjustment, -1)
    if weight:
        chars.setProperty(QTextFormat.Property.FontWeight, weight)
    return chars


@cache
def _row_format(widths: tuple[int, ...]) -> QTextTableFormat:
    row = QTextTableFormat()
    row.setWidth(QTextLength(QTextLength.Type.PercentageLength, 100))
    row.setColumnWidthConstraints(
        [QTextLength(QTextLength.Type.PercentageLength, w) for w in widths]
    )
    row.setBorder(0)
    row.setBorderCollapse(False)
    row.setCellSpacing(0)
    row.setCellPadding(0)
    row.setTopMargin(10)
    row.setBottomMargin(2)
    row.setLeftMargin(0)
    row.setRightMargin(0)
    return row


@cache
def _bubble_format(background: str, border: str) -> QTextTableCellFormat:
    cell = QTextTableCellFormat()
    cell.setBackground(QColor(background))
    cell.setBorder(1)
    cell.setBorderStyle(QTextFrameFormat.BorderStyle.BorderStyle_Solid)
    cell.setBorderBrush(QColor(border))
    cell.setTopPadding(9)
    cell.setBottomPadding(9)
    cell.setLeftPadding(13)
    cell.setRightPadding(13)
    return cell


_LEFT = QTextBlockFormat()
_LEFT.setAlignment(Qt.AlignmentFlag.AlignLeft)
_PLAIN = QTextCharFormat()


def bubble(
    cursor: QTextCursor,
    widths: tuple[int, ...],
    column: int,
    background: str,
    border: str,
) -> QTextTable:
    """Append a full-width row of cells sized ``widths`` (per cent) whose ``column`` is
    a framed bubble, and return it.
    A table needs a block above and below it: the block ``cursor`` is in, and a new
    empty one, where ``cursor`` is left."""
    row = cursor.insertTable(1, len(widths), _row_format(widths))
    for k in range(len(widths)):
        cell = row.cellAt(0, k)
        if k == column:
            cell.setFormat(_bubble_format(background, border))
        cell.firstCursorPosition().setBlockFormat(_LEFT)
    cursor.movePosition(QTextCursor.MoveOperation.End)
    cursor.setBlockCharFormat(_PLAIN)
    return row


def _paragraph(cursor: QTextCursor, before: str, top: int, bottom: int, chars: Any) -> None:
    """Start a centred paragraph at the end: in the empty line a table leaves under it
    when the counterpart's line is above, in a new one otherwise."""
    block = QTextBlockFormat()
    block.setAlignment(Qt.AlignmentFlag.AlignHCenter)
    block.setTopMargin(top)
    block.setBottomMargin(bottom)
    if before in ("", "them"):
        cursor.setBlockFormat(block)
        cursor.setBlockCharFormat(chars)
    else:
        cursor.insertBlock(block, chars)


def entries_for_lines(
    lines: list[dict[str, Any]],
    interest_labels: dict[str, str],
) -> list[Entry]:
    """The counterpart's lines of one turn, with what coach mode adds to them."""
    out = []
    for ln in lines:
        coach: list[str] = []
        tone = ""
        src = ln.get("source")
        interest = ln.get("interest")
        if src == "reveal" and interest:
            coach.append(f"Revealed: {interest_labels.get(interest, interest)}")
            tone = "good"
        elif src == "hint" and interest:
            coach.append("A hint: trust is not yet high enough for them to say more")
        if ln.get("emotional"):
            coach.append("A feeling is on the table: listening now earns more trust")
        out.append(Entry("them", str(ln.get("text", "")), coach, tone))
    return out
