"""What every model here shares: a read-only table over a list, one item per row.

A subclass names its columns in ``HEADERS`` (and may say more about them in
``_header``) and its roles as class constants,
fills ``_rows`` (through :meth:`_reset` when it replaces them all) and answers
``data`` for the item :meth:`_item` finds.
"""

from __future__ import annotations

import functools
import logging
from collections.abc import Callable, Iterable
from typing import Any

from PySide6.QtCore import QAbstractTableModel, QModelIndex, QPersistentModelIndex, Qt

from negtrainer.gui.widgets import tip

Index = QModelIndex | QPersistentModelIndex
log = logging.getLogger(__name__)


def _guarded(data: Callable[..., Any]) -> Callable[..., Any]:
    """``data`` that never raises and never returns a tooltip Qt would read as markup.

    Qt calls ``data`` from C++ (while sorting, painting): a Python exception
    there ends the program, at every start if the bad value is stored. A value
    the model cannot show is shown as nothing, and logged once.
    """
    reported: set[type] = set()

    @functools.wraps(data)
    def safe(self: Any, index: Index, role: int = Qt.ItemDataRole.DisplayRole) -> Any:
        try:
            value = data(self, index, role)
        except Exception:
            if type(self) not in reported:
                reported.add(type(self))
                log.exception("%s could not show a stored value", type(self).__name__)
            return None
        if role == Qt.ItemDataRole.ToolTipRole and isinstance(value, str):
            return tip(value)
        return value

    return safe


class ListTableModel(QAbstractTableModel):
    HEADERS: tuple[str, ...] = ()

    def __init_subclass__(cls, **kwargs: Any) -> None:
        super().__init_subclass__(**kwargs)
        if "data" in cls.__dict__:
            cls.data = _guarded(cls.__dict__["data"])  # type: ignore[method-assign]

    def __init__(self, parent: Any = None) -> None:
        super().__init__(parent)
        self._rows: list[Any] = []

    def _reset(self, rows: Iterable[Any]) -> None:
        self.beginResetModel()
        self._rows = list(rows)
        self.endResetModel()

    def _item(self, index: Index) -> Any:
        """The item shown in ``index``'s row, or None when there is none."""
        if not index.isValid() or not 0 <= index.row() < len(self._rows):
            return None
        return self._rows[index.row()]

    # -- Qt -------------------------------------------------------------------------------
    def rowCount(self, parent: Index = QModelIndex()) -> int:  # noqa: B008
        return 0 if parent.isValid() else len(self._rows)

    def columnCount(self, parent: Index = QModelIndex()) -> int:  # noqa: B008
        return 0 if parent.isValid() else len(self.HEADERS)

    def headerData(
        self, section: int, orientation: Qt.Orientation, role: int = Qt.ItemDataRole.DisplayRole
    ) -> Any:
        if orientation != Qt.Orientation.Horizontal or not 0 <= section < len(self.HEADERS):
            return None
        if role == Qt.ItemDataRole.DisplayRole:
            return self.HEADERS[section]
        return self._header(section, role)

    def _header(self, section: int, role: int) -> Any:
        """A column header's value in a role other than display (None: nothing)."""
        return None

    def flags(self, index: Index) -> Qt.ItemFlag:
        if not index.isValid():
            return Qt.ItemFlag.NoItemFlags
        # Every row stays selectable, a broken scenario's too: its error is read there.
        return Qt.ItemFlag.ItemIsEnabled | Qt.ItemFlag.ItemIsSelectable
