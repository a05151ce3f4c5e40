"""Past sessions as a table: the history's model, one row per stored session.

Rows are the store's :class:`negtrainer.store.models.SessionInfo` records, read
off the GUI thread; the figures come from the debrief the store saved with each
finished session (``SessionInfo.scores``), so listing never re-scores anything.
``SortRole`` gives raw values (ISO dates, numbers) for the sort proxy.
"""

from __future__ import annotations

import math
from datetime import datetime
from typing import Any

from PySide6.QtCore import QModelIndex, Qt
from PySide6.QtGui import QFont

from negtrainer.gui.export import ENDING_KINDS
from negtrainer.gui.models.table import Index, ListTableModel

# "◐" is Fair among the ratings; no agreement gets its own mark.
OUTCOME_MARK = {"deal": "✔", "agreement": "✔", "impasse": "○", "walkout": "✘"}


def local_time(iso: str) -> datetime | None:
    try:
        return datetime.fromisoformat(iso).astimezone()
    except (TypeError, ValueError):
        return None


def _number(value: Any) -> float | None:
    """A stored figure, or None for anything that is not a plain finite number."""
    if isinstance(value, bool) or not isinstance(value, (int, float)):
        return None
    return float(value) if math.isfinite(value) else None


def _dict(value: Any) -> dict[str, Any]:
    return value if isinstance(value, dict) else {}


def _metric(scores: dict[str, Any] | None, key: str) -> float | None:
    metrics = _dict(scores).get("metrics")
    for m in metrics if isinstance(metrics, list) else []:
        if isinstance(m, dict) and m.get("key") == key:
            return _number(m.get("value"))
    return None


def open_share(info: Any) -> float | None:
    """Share of open questions, 0–1, or None when none were asked or it is unscored."""
    return _metric(info.scores, "open_questions")


def end_trust(info: Any) -> float | None:
    return _number(_dict(info.scores).get("end_trust"))


def joint_share(info: Any) -> float | None:
    """Joint value against the best possible, 0–1; None without a deal."""
    value = _dict(_dict(info.scores).get("value"))
    return _number(value.get("created_share")) if value.get("deal") else None


def outcome_quality(info: Any) -> float | None:
    """What was achieved, 0–1 (the engine's outcome quality); None when unscored."""
    scores = info.scores if isinstance(info.scores, dict) else {}
    q = scores.get("quality")
    return q / 100 if isinstance(q, (int, float)) and not isinstance(q, bool) else None


def verdict(info: Any) -> str:
    scores = info.scores if isinstance(info.scores, dict) else {}
    outcome = scores.get("outcome")
    v = outcome.get("verdict") if isinstance(outcome, dict) else None
    return v if isinstance(v, str) else ""


def outcome_text(info: Any) -> str:
    if info.status == "unfinished":
        return "▶ Unfinished: resume"
    if not info.ending_kind:
        return "■ Stopped before an ending"
    title = ((info.scores or {}).get("ending") or {}).get("title") or (
        info.ending_id or ""
    ).replace("_", " ").capitalize()
    if verdict(info) == "caved":
        # A deal below the learner's walk-away is never shown as a success.
        return f"⚠ {title} (below your walk-away)"
    return f"{OUTCOME_MARK.get(info.ending_kind, '•')} {title}"


class HistoryModel(ListTableModel):
    (
        COL_STARTED,
        COL_LEARNER,
        COL_SCENARIO,
        COL_OUTCOME,
        COL_TURNS,
        COL_TRUST,
        COL_OPEN,
        COL_JOINT,
    ) = range(8)
    HEADERS = (
        "Started",
        "Learner",
        "Scenario",
        "Outcome",
        "Turns",
        "End trust",
        "Open questions",
        "Outcome score",
    )

    SessionIdRole = Qt.ItemDataRole.UserRole + 1  # str
    InfoRole = Qt.ItemDataRole.UserRole + 2  # the SessionInfo
    SortRole = Qt.ItemDataRole.UserRole + 3  # raw value to sort by
    FinishedRole = Qt.ItemDataRole.UserRole + 4  # bool
    ResumableRole = Qt.ItemDataRole.UserRole + 5  # bool: unfinished, can be resumed
    EndingKindRole = Qt.ItemDataRole.UserRole + 6  # deal | impasse | walkout | "" (none)
    LearnerRole = Qt.ItemDataRole.UserRole + 7  # str ("" when no name)
    ScenarioRole = Qt.ItemDataRole.UserRole + 8  # scenario id
    StartedRole = Qt.ItemDataRole.UserRole + 9  # datetime (local) or None

    def set_sessions(self, infos: list[Any]) -> None:
        self._reset(infos)

    def add_sessions(self, infos: list[Any]) -> None:
        """Append an older page (ids already shown are skipped)."""
        have = {i.id for i in self._rows}
        new = [i for i in infos if i.id not in have]
        if not new:
            return
        self.beginInsertRows(QModelIndex(), len(self._rows), len(self._rows) + len(new) - 1)
        self._rows.extend(new)
        self.endInsertRows()

    def sessions(self) -> list[Any]:
        return list(self._rows)

    def info(self, row: int) -> Any:
        return self._rows[row]

    def row_of(self, session_id: str) -> int:
        return next((r for r, i in enumerate(self._rows) if i.id == session_id), -1)

    # -- Qt -------------------------------------------------------------------------------
    def _header(self, section: int, role: int) -> Any:
        if role == Qt.ItemDataRole.ToolTipRole:
            return {
                self.COL_TRUST: "The counterpart's trust when the session ended (0–100)",
                self.COL_OPEN: "Share of your questions that were open questions",
                self.COL_JOINT: "What the outcome was worth (0–100): your side of the "
                "deal, the value created, the needs it met; caving and "
                "ignored needs score low",
            }.get(section)
        return None

    def data(self, index: Index, role: int = Qt.ItemDataRole.DisplayRole) -> Any:
        info = self._item(index)
        if info is None:
            return None
        col = index.column()
        if role == self.SessionIdRole:
            return info.id
        if role == self.InfoRole:
            return info
        if role == self.FinishedRole:
            return info.status == "finished"
        if role == self.ResumableRole:
            return info.status == "unfinished"
        if role == self.EndingKindRole:
            return info.ending_kind or ""
        if role == self.LearnerRole:
            return info.learner or ""
        if role == self.ScenarioRole:
            return info.scenario_id
        if role == self.StartedRole:
            return local_time(info.started_at)
        if role == self.SortRole:
            return self._sort_value(info, col)
        if role in (Qt.ItemDataRole.DisplayRole, Qt.ItemDataRole.AccessibleTextRole):
            return self._display(info, col)
        if role == Qt.ItemDataRole.ToolTipRole:
            return self._tooltip(info, col)
        if (
            role == Qt.ItemDataRole.FontRole
            and col == self.COL_OUTCOME
            and info.status == "unfinished"
        ):
            font = QFont()
            font.setBold(True)
            return font
        if role == Qt.ItemDataRole.TextAlignmentRole and col in (
            self.COL_TURNS,
            self.COL_TRUST,
            self.COL_OPEN,
            self.COL_JOINT,
        ):
            return int(Qt.AlignmentFlag.AlignRight | Qt.AlignmentFlag.AlignVCenter)
        return None

    def _display(self, info: Any, col: int) -> str:
        if col == self.COL_STARTED:
            when = local_time(info.started_at)
            return when.strftime("%d %b %Y, %H:%M") if when else info.started_at
        if col == self.COL_LEARNER:
            return info.learner or "—"
        if col == self.COL_SCENARIO:
            return info.scenario_title + (" · branch" if info.parent_id else "")
        if col == self.COL_OUTCOME:
            return outcome_text(info)
        if col == self.COL_TURNS:
            return str(info.turn_count)
        if col == self.COL_TRUST:
            v = end_trust(info)
            return "" if v is None else f"{v:.0f}"
        if col == self.COL_OPEN:
            v = open_share(info)
            if v is None:
                return "" if info.scores is None else "none asked"
            return f"{v:.0%}"
        if col == self.COL_JOINT:
            v = outcome_quality(info)
            if v is None:
                return ""
            return f"{v * 100:.0f}"
        return ""

    def _sort_value(self, info: Any, col: int) -> Any:
        if col == self.COL_STARTED:
            return info.started_at
        if col == self.COL_TURNS:
            return info.turn_count
        figure = {
            self.COL_TRUST: end_trust,
            self.COL_OPEN: open_share,
            self.COL_JOINT: outcome_quality,
        }.get(col)
        if figure is not None:
            value = figure(info)
            return -1.0 if value is None else float(value)  # unscored sorts first
        if col == self.COL_OUTCOME:
            # Ranked by what was achieved, not by whether a deal was signed.
            if info.status == "unfinished":
                return -2.0
            q = outcome_quality(info)
            return -1.0 if q is None else q
        return self._display(info, col).lower()

    def _tooltip(self, info: Any, col: int) -> str | None:
        if col == self.COL_OUTCOME:
            if info.status == "unfinished":
                return "Not finished: double-click or press Enter to carry on playing."
            kind = ENDING_KINDS.get(info.ending_kind or "", "No ending")
            return f"{kind}. Double-click or press Enter for the debrief."
        if col == self.COL_SCENARIO and info.parent_id:
            return f"Branched from session {info.parent_id[:8]} at turn {info.parent_turn}"
        return None
