"""The one A4 portrait PDF writer every printable, handout and report is drawn on."""

from __future__ import annotations

from PySide6.QtCore import QMarginsF
from PySide6.QtGui import QPageLayout, QPageSize, QPdfWriter


def a4_writer(
    path: str, title: str, margins_mm: tuple[float, float, float, float], dpi: int | None = None
) -> QPdfWriter:
    """A writer for ``path`` with A4 portrait pages; margins are left, top, right, bottom."""
    writer = QPdfWriter(path)
    if dpi is not None:
        writer.setResolution(dpi)
    writer.setTitle(title)
    writer.setCreator("negtrainer")
    writer.setPageLayout(
        QPageLayout(
            QPageSize(QPageSize.PageSizeId.A4),
            QPageLayout.Orientation.Portrait,
            QMarginsF(*margins_mm),
            QPageLayout.Unit.Millimeter,
        )
    )
    return writer
