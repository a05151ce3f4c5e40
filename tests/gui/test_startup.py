"""Starting the program: the window first, then the rest; a damaged database ends
in a dialog, never a traceback."""

from __future__ import annotations

import sys

from clirun import ROOT, run
from PySide6.QtCore import Qt


def test_the_window_shows_before_the_library_is_loaded(launch, qtbot):
    window = launch(wait=False)
    assert window.isVisible()
    assert window.services is None, "nothing heavy before the first paint"
    qtbot.waitUntil(lambda: bool(window.ready), timeout=15000)
    assert window.current == "library"
    assert window.library.model.rowCount() > 0
    assert window.services.store is not None


def test_importing_the_app_loads_no_engine_store_or_yaml():
    code = (
        "import sys, negtrainer.gui.app; "
        "print(sorted(m for m in ('negtrainer.engine.loader', 'negtrainer.store.store', "
        "'pydantic', 'yaml', 'sqlite_utils', 'PySide6.QtCharts') if m in sys.modules))"
    )
    out = run(
        [sys.executable, "-c", code],
        timeout=60,
        env={"QT_QPA_PLATFORM": "offscreen", "PATH": "/usr/bin:/bin", "PYTHONPATH": str(ROOT)},
    )
    assert out.returncode == 0, out.stderr
    assert out.stdout.strip() == "[]"


def test_a_damaged_database_at_start_offers_to_move_it_aside(launch, tmp_path, qtbot):
    bad = tmp_path / "damaged.db"
    bad.write_bytes(b"not a database at all " * 200)
    window = launch(bad, wait=False)
    qtbot.waitUntil(lambda: getattr(window, "damaged_dialog", None) is not None, timeout=15000)
    dialog = window.damaged_dialog
    assert dialog.isVisible()
    assert str(bad) in dialog.message.text()
    assert set(dialog.buttons) == {"quit", "move_aside"}
    qtbot.mouseClick(dialog.buttons["move_aside"], Qt.MouseButton.LeftButton)
    qtbot.waitUntil(lambda: bool(window.ready), timeout=15000)
    assert window.services.store is not None
    kept = list(tmp_path.glob("damaged.db.damaged-*"))
    assert kept and kept[0].read_bytes().startswith(b"not a database"), "nothing was lost"


def test_quitting_at_the_damaged_database_dialog_closes_the_window(launch, tmp_path, qtbot):
    bad = tmp_path / "damaged.db"
    bad.write_bytes(b"garbage" * 500)
    window = launch(bad, wait=False)
    qtbot.waitUntil(lambda: getattr(window, "damaged_dialog", None) is not None, timeout=15000)
    qtbot.mouseClick(window.damaged_dialog.buttons["quit"], Qt.MouseButton.LeftButton)
    qtbot.waitUntil(lambda: not window.isVisible())
    assert bad.read_bytes().startswith(b"garbage"), "the file is left as it was"


def test_views_not_built_yet_show_a_placeholder_not_a_crash(window, monkeypatch):
    from negtrainer.gui import mainwindow

    monkeypatch.setitem(
        mainwindow.EXTERNAL_VIEWS, "replay", ("negtrainer.gui.no_such_module", "ReplayView")
    )
    window.pages.pop("replay", None)
    page = window.view("replay")
    assert page.property("placeholder") is True


def test_the_rail_and_ctrl_digits_switch_pages(window, qtbot):
    qtbot.keyClick(window, Qt.Key.Key_5, Qt.KeyboardModifier.ControlModifier)
    qtbot.waitUntil(lambda: window.current == "settings")
    qtbot.mouseClick(window.rail_buttons["library"], Qt.MouseButton.LeftButton)
    assert window.current == "library"
    assert not window.rail_buttons["play"].isEnabled(), "no session yet"
    for button in window.rail_buttons.values():
        assert button.accessibleName()
