"""Starting the desktop program: a window first, then everything else.

``main()`` shows the main window (Qt and the theme only) and, once it has
painted, builds the pages, opens the session database and loads the
scenarios off the GUI thread. A database that cannot be used ends in a dialog
(move it aside and start fresh, or quit), never a traceback.
"""

from __future__ import annotations

import sys
from collections.abc import Callable, Sequence
from pathlib import Path
from typing import Any

from PySide6.QtCore import QSettings, QTimer
from PySide6.QtWidgets import QApplication

from negtrainer.gui import theme
from negtrainer.gui.mainwindow import MainWindow
from negtrainer.gui.workers import guard_singleton_refcounts

# How long one Python thread may keep the interpreter while another waits for it. The
# store's thread commits a turn while the window shows it; at Python's default of 5 ms
# the window could wait that long at each hand-over, several times in one turn.
SWITCH_INTERVAL = 0.001


def create_app(argv: Sequence[str] | None = None) -> QApplication:
    guard_singleton_refcounts()
    sys.setswitchinterval(SWITCH_INTERVAL)
    app = QApplication.instance()
    if isinstance(app, QApplication):
        return app
    QApplication.setOrganizationName("negtrainer")
    QApplication.setApplicationName("negtrainer")
    QApplication.setApplicationDisplayName("negtrainer")
    QApplication.setDesktopFileName("negtrainer")
    return QApplication(list(argv) if argv is not None else sys.argv[:1])


def launch(
    app: QApplication,
    db_path: Path | str | None = None,
    *,
    settings: Any = None,
    speaker_factory: Callable[..., Any] | None = None,
    on_ready: Callable[[MainWindow], None] | None = None,
) -> MainWindow:
    """Show the main window now; load the rest once it has painted.

    ``on_ready(window)`` runs when the database is open and the scenarios are
    loaded (tests and benchmarks wait for it).
    """
    # The look and the window's place, read straight from the settings file:
    # the services module (and what it imports) waits until after the first paint.
    if settings is not None:
        look = (settings.theme, settings.text_size, settings.get("window/geometry"))
    else:
        raw = QSettings(
            QSettings.Format.IniFormat, QSettings.Scope.UserScope, "negtrainer", "negtrainer"
        )
        look = (
            raw.value("theme", theme.DEFAULT_THEME),
            raw.value("text_size", theme.DEFAULT_TEXT_SIZE),
            raw.value("window/geometry"),
        )
    theme.apply(app, theme.normalize_theme(look[0]), theme.normalize_text_size(look[1]))
    app.setWindowIcon(theme.app_icon())
    window = MainWindow()
    window.restore_geometry(look[2])
    started = {"done": False}

    def load() -> None:
        if not started["done"]:
            started["done"] = True
            window.build_chrome()
            _load(window, db_path, settings, speaker_factory, on_ready)

    # Load after the first paint, so the window is up before anything heavy.
    window.first_paint.connect(lambda: QTimer.singleShot(0, load))
    QTimer.singleShot(500, load)  # a window that never paints (minimised) still loads
    window.show()
    return window


def _load(
    window: MainWindow,
    db_path: Path | str | None,
    settings: Any,
    speaker_factory: Callable[..., Any] | None,
    on_ready: Callable[[MainWindow], None] | None,
) -> None:
    from negtrainer.gui import services as sv

    settings = settings or sv.Settings()
    services = sv.Services(settings=settings, speaker_factory=speaker_factory, parent=window)
    window.attach(services)
    path = Path(db_path).expanduser() if db_path is not None else sv.default_db_path()
    pending = {"store": True, "scenarios": True}

    def ready_part(part: str) -> None:
        pending[part] = False
        if not any(pending.values()):
            window.library.refresh()
            window.settings_view.refresh()
            services.warm_up_voice()  # so the first line already has its voice
            if on_ready is not None:
                on_ready(window)

    def opened(store: Any) -> None:
        services.set_store(store, path)
        moved = sv.damaged_copy(store)
        if moved is not None:
            from negtrainer.gui.dialogs import show_info

            show_info(
                window,
                "A fresh database was started",
                f"The damaged database was kept as {moved}. Your new sessions are "
                "saved in a fresh database in the same folder.",
            )
        problem = getattr(store, "integrity_problem", None)
        if problem:
            from negtrainer.gui.dialogs import show_error

            show_error(
                window,
                "The session database is damaged",
                f"{path} fails its integrity check: {problem}. Export your sessions now "
                "(negtrainer sessions export -o rescue.json), then restore a backup in "
                "Settings.",
            )
        _pick_learner(services)
        window.set_status("Sessions are saved", f"Saving to {path} (Help › About shows it too)")
        ready_part("store")

    def open_failed(exc: BaseException) -> None:
        from negtrainer.gui import dialogs

        message = sv.user_message(exc)
        if sv.is_damaged(exc):
            dlg = dialogs.damaged_database(window, message)

            def answer(key: str) -> None:
                if key == "move_aside":
                    services.run_background(
                        lambda: sv.open_store(path, create_if_damaged=True), opened, open_failed
                    )
                else:
                    window.close()

            dlg.chosen.connect(answer)
            dlg.open()
            window.damaged_dialog = dlg  # type: ignore[attr-defined]
            return
        dlg = dialogs.store_unavailable(window, message)

        def answer2(key: str) -> None:
            if key == "memory":
                services.run_background(sv.memory_store, _in_memory, open_failed)
            else:
                window.close()

        def _in_memory(store: Any) -> None:
            services.set_store(store, None)
            window.set_status("Not saving: sessions are kept in memory only")
            ready_part("store")

        dlg.chosen.connect(answer2)
        dlg.open()
        window.store_dialog = dlg  # type: ignore[attr-defined]

    services.run_background(lambda: sv.open_store(path), opened, open_failed)
    services.load_scenarios(lambda _entries: ready_part("scenarios"))


def _pick_learner(services: Any) -> None:
    """Keep whoever was chosen last, Guest included: never switch learner silently.

    (Picking "the first learner" when the setting was Guest made a shared
    laptop open as someone else, with Guest's own sessions out of sight.)
    The rail shows who is practising; Settings changes it.
    """
    services.learner_changed.emit(services.learner)


def main(argv: Sequence[str] | None = None, db_path: Path | str | None = None) -> int:
    """Run the desktop program until its window closes; return the exit status."""
    import logging

    logging.basicConfig(level=logging.WARNING)
    app = create_app(argv)
    window = launch(app, db_path)
    window.setProperty("negtrainer_main", True)
    return int(app.exec())


if __name__ == "__main__":  # pragma: no cover
    raise SystemExit(main())
