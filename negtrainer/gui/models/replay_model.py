"""The turns of one session as a table: the replay's turn list.

Row 0 is the counterpart's opening; row *n* is turn *n*. The model holds
:class:`negtrainer.gui.export.TranscriptTurn` records, already computed off the
GUI thread, so nothing here touches the store.
"""

from __future__ import annotations

from typing import Any

from PySide6.QtCore import Qt

from negtrainer.gui.export import TranscriptTurn, move_label
from negtrainer.gui.models.table import Index, ListTableModel


class ReplayModel(ListTableModel):
    COL_TURN, COL_MOVE, COL_SAID, COL_TRUST, COL_CHANGE, COL_NOTE = range(6)
    HEADERS = ("Turn", "Move", "You said", "Trust", "±", "Note")

    TurnRole = Qt.ItemDataRole.UserRole + 1  # int turn number
    RecordRole = Qt.ItemDataRole.UserRole + 2  # the TranscriptTurn
    TrustRole = Qt.ItemDataRole.UserRole + 3  # float trust after the turn
    DeltaRole = Qt.ItemDataRole.UserRole + 4  # float change in trust
    NoteRole = Qt.ItemDataRole.UserRole + 5  # str note ("" when none)
    RevealedRole = Qt.ItemDataRole.UserRole + 6  # list[str] interests revealed this turn

    _rows: list[TranscriptTurn]

    # -- filling --------------------------------------------------------------------------
    def set_turns(self, turns: list[TranscriptTurn]) -> None:
        self._reset(turns)

    def turn_at(self, row: int) -> TranscriptTurn:
        return self._rows[row]

    def row_of(self, turn: int) -> int:
        for row, t in enumerate(self._rows):
            if t.turn == turn:
                return row
        return -1

    def last_turn(self) -> int:
        return self._rows[-1].turn if self._rows else 0

    def set_note(self, turn: int, text: str) -> None:
        row = self.row_of(turn)
        if row < 0:
            return
        self._rows[row].note = text
        idx = self.index(row, self.COL_NOTE)
        self.dataChanged.emit(idx, idx)

    def notes(self) -> dict[int, str]:
        return {t.turn: t.note for t in self._rows if t.note}

    # -- Qt -------------------------------------------------------------------------------
    def _header(self, section: int, role: int) -> Any:
        if role in (Qt.ItemDataRole.ToolTipRole, Qt.ItemDataRole.AccessibleTextRole):
            return {self.COL_CHANGE: "Change in trust", self.COL_NOTE: "Has a note"}.get(
                section, self.HEADERS[section]
            )
        return None

    def data(self, index: Index, role: int = Qt.ItemDataRole.DisplayRole) -> Any:
        t = self._item(index)
        if t is None:
            return None
        col = index.column()
        if role == self.TurnRole:
            return t.turn
        if role == self.RecordRole:
            return t
        if role == self.TrustRole:
            return t.trust_after
        if role == self.DeltaRole:
            return t.delta
        if role == self.NoteRole:
            return t.note
        if role == self.RevealedRole:
            return list(t.revealed)
        if role == Qt.ItemDataRole.DisplayRole:
            return self._display(t, col)
        if role == Qt.ItemDataRole.ToolTipRole:
            if col == self.COL_NOTE:
                return t.note or None
            if col == self.COL_SAID:
                return t.said or None
            return t.why
        if role == Qt.ItemDataRole.AccessibleTextRole:
            return self._accessible(t, col)
        if role == Qt.ItemDataRole.TextAlignmentRole and col in (
            self.COL_TURN,
            self.COL_TRUST,
            self.COL_CHANGE,
        ):
            return int(Qt.AlignmentFlag.AlignRight | Qt.AlignmentFlag.AlignVCenter)
        return None

    def _display(self, t: TranscriptTurn, col: int) -> str:
        if col == self.COL_TURN:
            return str(t.turn) if t.turn else "Start"
        if col == self.COL_MOVE:
            return move_label(t.move) if t.move else "Opening"
        if col == self.COL_SAID:
            extra = " ★" if t.revealed else ""
            return (t.said or "(they open)") + extra
        if col == self.COL_TRUST:
            return f"{t.trust_after:.0f}"
        if col == self.COL_CHANGE:
            return f"{t.delta:+.0f}" if t.turn and round(t.delta) else ""
        if col == self.COL_NOTE:
            return "✎" if t.note else ""
        return ""

    def _accessible(self, t: TranscriptTurn, col: int) -> str:
        if col == self.COL_CHANGE:
            return f"trust {'up' if t.delta >= 0 else 'down'} {abs(t.delta):.0f}"
        if col == self.COL_NOTE:
            return f"note: {t.note}" if t.note else "no note"
        if col == self.COL_SAID and t.revealed:
            return f"{t.said} (revealed {', '.join(t.revealed)})"
        return self._display(t, col)
