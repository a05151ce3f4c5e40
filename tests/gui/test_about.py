"""Help > About: version, where the data is, licence and credits, as plain text."""

from __future__ import annotations

from PySide6.QtCore import Qt

from negtrainer import __version__


def test_help_about_shows_the_version_data_folder_licence_and_credits(window, qtbot, tmp_db):
    assert [a.text() for a in window.menuBar().actions()] == ["&Help"]
    window.about_action.trigger()
    dlg = window.about_dialog
    qtbot.waitUntil(dlg.isVisible)
    text = dlg.text()
    assert f"negtrainer {__version__}" in text
    assert f"Data folder: {dlg.folder}" in text
    assert str(tmp_db) in text, "the database in use, not only the default folder"
    for library in ("PySide6-Essentials", "pyttsx3", "sqlite-utils", "python-avatars"):
        assert library in text
    assert "version unknown" not in text, "every library's version is read from its metadata"
    assert "Pablo Stanley" in text
    assert any("MIT licence" in w.text() for w in dlg.findChildren(type(dlg.title)))
    close = next(b for b in dlg.findChildren(type(dlg.open_folder)) if b.text() == "Close")
    qtbot.mouseClick(close, Qt.MouseButton.LeftButton)
    qtbot.waitUntil(lambda: not dlg.isVisible())


def test_the_about_box_shows_paths_as_plain_text(qtbot, tmp_path):
    from negtrainer.gui.about import AboutDialog

    odd = tmp_path / "<b>bold</b>"
    dlg = AboutDialog(None, odd)
    qtbot.addWidget(dlg)
    assert dlg.where.textFormat() == Qt.TextFormat.PlainText
    assert "<b>bold</b>" in dlg.where.text()
