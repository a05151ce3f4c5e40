"""The scenario library as a table: one row per scenario file, loaded or not.

Column 0 carries every role, so a card view (a QListView on column 0) and a
table can share the model. A file that failed to load stays a row, with its
error in :attr:`ErrorRole`.
"""

from __future__ import annotations

from typing import Any

from PySide6.QtCore import Qt

from negtrainer.gui.models.table import Index, ListTableModel

DIFFICULTY_ORDER = {"introductory": 0, "intermediate": 1, "advanced": 2}


def skill_label(key: str) -> str:
    """A short chip label for a skill key ("ask-before-offering" → "Ask before offering")."""
    text = key.replace("-", " ").replace("_", " ").strip()
    return text[:1].upper() + text[1:]


class LibraryModel(ListTableModel):
    COL_TITLE, COL_SKILLS, COL_DIFFICULTY, COL_MINUTES, COL_BEST, COL_SOURCE = range(6)
    HEADERS = ("Scenario", "Skills practised", "Difficulty", "Minutes", "Your best", "Source")

    EntryRole = Qt.ItemDataRole.UserRole + 1  # the ScenarioEntry
    IdRole = Qt.ItemDataRole.UserRole + 2  # str scenario id ("file:..." when broken)
    SummaryRole = Qt.ItemDataRole.UserRole + 3  # str
    SkillsRole = Qt.ItemDataRole.UserRole + 4  # list[str] short skill labels
    DifficultyRole = Qt.ItemDataRole.UserRole + 5  # str ("" when broken)
    MinutesRole = Qt.ItemDataRole.UserRole + 6  # int (0 when broken)
    BestRole = Qt.ItemDataRole.UserRole + 7  # str ("" when never finished)
    ErrorRole = Qt.ItemDataRole.UserRole + 8  # str "file:line: message" ("" when it loaded)
    FixRole = Qt.ItemDataRole.UserRole + 9  # str how to fix the first error
    BuiltinRole = Qt.ItemDataRole.UserRole + 10  # bool
    SearchRole = Qt.ItemDataRole.UserRole + 11  # str, what the filter box matches
    BestKindRole = Qt.ItemDataRole.UserRole + 12  # str ending kind of the best result
    UnfinishedRole = Qt.ItemDataRole.UserRole + 13  # int turns of an unfinished session, or 0

    def __init__(self, parent: Any = None) -> None:
        super().__init__(parent)
        self._best: dict[str, Any] = {}
        self._unfinished: dict[str, int] = {}

    # -- filling ------------------------------------------------------------------
    def set_entries(self, entries: list[Any]) -> None:
        # Scenarios that load come first, by difficulty then title; broken ones last.
        self._reset(
            sorted(
                entries,
                key=lambda e: (
                    not e.ok,
                    not e.builtin,
                    DIFFICULTY_ORDER.get(e.scenario.spec.difficulty, 9) if e.ok else 9,
                    e.title.lower(),
                ),
            )
        )

    def set_best(self, best: dict[str, Any]) -> None:
        self._best = dict(best)
        if self._rows:
            self.dataChanged.emit(
                self.index(0, 0), self.index(len(self._rows) - 1, self.columnCount() - 1)
            )

    def set_unfinished(self, turns: dict[str, int]) -> None:
        """Scenario id -> turns played in its newest unfinished session."""
        self._unfinished = dict(turns)
        if self._rows:
            self.dataChanged.emit(
                self.index(0, 0), self.index(len(self._rows) - 1, self.columnCount() - 1)
            )

    def entry(self, row: int) -> Any:
        return self._rows[row]

    def row_of(self, scenario_id: str) -> int:
        return next((i for i, e in enumerate(self._rows) if e.id == scenario_id), -1)

    # -- Qt ---------------------------------------------------------------------------
    def data(self, index: Index, role: int = Qt.ItemDataRole.DisplayRole) -> Any:
        e = self._item(index)
        if e is None:
            return None
        col = index.column()
        if role in (Qt.ItemDataRole.DisplayRole, Qt.ItemDataRole.AccessibleTextRole):
            return self._display(e, col) if role == Qt.ItemDataRole.DisplayRole else self._spoken(e)
        if role == Qt.ItemDataRole.ToolTipRole:
            if not e.ok:
                return f"{e.error_text}\nFix: {e.fix}" if e.fix else e.error_text
            return e.scenario.spec.summary
        if role == Qt.ItemDataRole.AccessibleDescriptionRole:
            return e.error_text if not e.ok else e.scenario.spec.summary
        if role == self.EntryRole:
            return e
        if role == self.IdRole:
            return e.id
        if role == self.SummaryRole:
            return e.scenario.spec.summary if e.ok else ""
        if role == self.SkillsRole:
            return [skill_label(s) for s in e.scenario.spec.skills] if e.ok else []
        if role == self.DifficultyRole:
            return e.scenario.spec.difficulty if e.ok else ""
        if role == self.MinutesRole:
            return int(e.scenario.spec.minutes) if e.ok else 0
        if role == self.BestRole:
            return self._best_text(e)
        if role == self.UnfinishedRole:
            return self._unfinished.get(e.id, 0)
        if role == self.BestKindRole:
            best = self._best.get(e.id)
            return best.ending_kind if best is not None else ""
        if role == self.ErrorRole:
            return e.error_text
        if role == self.FixRole:
            return e.fix
        if role == self.BuiltinRole:
            return bool(e.builtin)
        if role == self.SearchRole:
            if not e.ok:
                return f"{e.title} {e.error_text}".lower()
            spec = e.scenario.spec
            return " ".join(
                [spec.title, spec.summary, spec.difficulty, *[skill_label(s) for s in spec.skills]]
            ).lower()
        return None

    # -- text -------------------------------------------------------------------------
    def _display(self, e: Any, col: int) -> str:
        if col == self.COL_TITLE:
            return e.title
        if col == self.COL_SOURCE:
            return "Built in" if e.builtin else "Your scenarios"
        if not e.ok:
            return "Cannot be loaded" if col == self.COL_SKILLS else ""
        spec = e.scenario.spec
        if col == self.COL_SKILLS:
            return ", ".join(skill_label(s) for s in spec.skills)
        if col == self.COL_DIFFICULTY:
            return spec.difficulty.capitalize()
        if col == self.COL_MINUTES:
            return str(spec.minutes)
        if col == self.COL_BEST:
            return self._best_text(e)
        return ""

    def _best_text(self, e: Any) -> str:
        best = self._best.get(e.id)
        if best is None:
            return ""
        text = best.ending_title
        if best.detail:
            text += f" · {best.detail}"
        return text

    def _spoken(self, e: Any) -> str:
        if not e.ok:
            return f"{e.title}: cannot be loaded. {e.error_text}"
        spec = e.scenario.spec
        best = self._best_text(e)
        return (
            f"{spec.title}. {spec.difficulty}, about {spec.minutes} minutes. Practises "
            f"{', '.join(skill_label(s) for s in spec.skills)}. "
            + (f"Your best: {best}." if best else "Not finished yet.")
        )
