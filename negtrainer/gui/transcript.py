"""The conversation as it happens: the counterpart's lines on the left, the
learner's on the right, notes (an offer turned down, the ending) in between.

A read-only QTextBrowser: selectable, copyable, read by screen readers, and its
text scales with the application font. New lines are appended (cheap); a
theme or coach-mode change redraws everything.
"""

from __future__ import annotations

import html
from dataclasses import dataclass, field
from typing import Any

from PySide6.QtCore import QRect, Qt, QTimer, QUrl, Signal
from PySide6.QtGui import QPainter, QTextCursor
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
            cursor = QTextCursor(doc)
            cursor.movePosition(QTextCursor.MoveOperation.End)
            cursor.insertHtml("".join(self._html(e, first + n) for n, e in enumerate(entries)))
        finally:
            layout.blockSignals(False)
        size = layout.documentSize()
        layout.documentSizeChanged.emit(size)  # the scroll bar's range
        top = changed_from - self.verticalScrollBar().value()
        view = self.viewport()
        view.update(QRect(0, top, view.width(), int(size.height()) - changed_from + 1))
        self.scroll_to_end()

    def rebuild(self) -> None:
        self.setHtml("".join(self._html(e, n) for n, e in enumerate(self.entries)))
        self.scroll_to_end()

    def scroll_to_end(self) -> None:
        bar = self.verticalScrollBar()
        bar.setValue(bar.maximum())
        # The layout may grow once more after the event loop turns.
        QTimer.singleShot(0, lambda: bar.setValue(bar.maximum()))

    def plain_text(self) -> str:
        """What a reader hears: speaker and line, one per paragraph."""
        out = []
        for e in self.entries:
            who = {"them": self.speaker, "me": "You"}.get(e.kind)
            out.append(f"{who}: {e.text}" if who else e.text)
        return "\n".join(out)

    # -- drawing ----------------------------------------------------------------------
    def _html(self, e: Entry, index: int = -1) -> str:
        c = theme.colors()
        text = html.escape(e.text)
        coach = ""
        if self.coach and e.coach:
            colour = {"good": c["success"], "bad": c["danger"]}.get(e.tone, c["muted"])
            coach = (
                f"<br><span style='color:{colour}; font-size:small;'>"
                + " · ".join(html.escape(x) for x in e.coach)
                + "</span>"
            )
        if e.kind == "them":
            speak = ""
            if self.speak_links and index >= 0:
                speak = (
                    f"&nbsp;&nbsp;&nbsp;<a href='speak:{index}' style='color:{c['link']}; "
                    "font-size:small; text-decoration:none;'>▶&nbsp;Speak</a>"
                )
            return (
                "<table width='100%' cellspacing='0' cellpadding='0' "
                "style='margin-top:10px; margin-bottom:2px;'><tr>"
                f"<td width='84%' bgcolor='{c['them_bubble']}' "
                f"style='border: 1px solid {c['them_border']}; padding: 9px 13px;'>"
                f"<span style='color:{c['muted']}; font-size:small; font-weight:600;'>"
                f"{html.escape(self.speaker)}</span>{speak}<br>"
                f"<span style='color:{c['text']};'>{text}</span>{coach}</td>"
                "<td width='16%'></td></tr></table>"
            )
        if e.kind == "me":
            return (
                "<table width='100%' cellspacing='0' cellpadding='0' "
                "style='margin-top:10px; margin-bottom:2px;'><tr><td width='16%'></td>"
                f"<td width='84%' bgcolor='{c['me_bubble']}' "
                f"style='border: 1px solid {c['me_border']}; padding: 9px 13px;'>"
                f"<span style='color:{c['accent_text']}; font-size:small; font-weight:600;'>"
                f"You</span><br><span style='color:{c['text']};'>{text}</span>{coach}</td>"
                "</tr></table>"
            )
        if e.kind == "ending":
            colour = {"good": c["success"], "bad": c["danger"]}.get(e.tone, c["text"])
            return (
                f"<p align='center' style='margin-top:16px; margin-bottom:8px; "
                f"color:{colour}; font-weight:700;'>— {text} —</p>"
            )
        return (
            f"<p align='center' style='margin-top:10px; margin-bottom:2px; "
            f"color:{c['aside_text']}; font-size:small;'>{text}{coach}</p>"
        )


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
