"""The main window: a navigation rail and one page at a time.

It shows before anything heavy is imported (only Qt and the theme): the pages
are built by :meth:`MainWindow.attach` once the services exist. The debrief,
history and replay views come from their own modules, imported when first
shown; a module that is not there yet gives a placeholder page that says so.
"""

from __future__ import annotations

import importlib
from typing import Any

# Only what the first paint needs. Touching ``Qt`` (the namespace) costs ~15 ms
# (PySide builds all its enums at once), so the splash avoids it and the rest
# is imported in build_chrome(), after the window is on screen.
from PySide6.QtCore import QByteArray, QSize, Signal
from PySide6.QtGui import QCloseEvent, QColor, QFont, QPainter, QPaintEvent
from PySide6.QtWidgets import QMainWindow, QWidget

from negtrainer.gui import theme
from negtrainer.gui.widgets import plain, tip

OPENING = "Opening the session…"  # on the status bar until the session is open
# page key -> (rail label, icon, module, class) for the views built elsewhere.
EXTERNAL_VIEWS: dict[str, tuple[str, str]] = {
    "debrief": ("negtrainer.gui.debrief", "DebriefView"),
    "history": ("negtrainer.gui.history", "HistoryView"),
    "replay": ("negtrainer.gui.replay", "ReplayView"),
    "workshop": ("negtrainer.gui.workshop", "WorkshopView"),
}
RAIL: list[tuple[str, str, str]] = [
    ("library", "Library", "library"),
    ("play", "Play", "play"),
    ("debrief", "Debrief", "debrief"),
    ("history", "History", "history"),
    ("settings", "Settings", "settings"),
    ("workshop", "Workshop", "person"),
]


def _message_page(title: str, text: str) -> QWidget:
    from PySide6.QtCore import Qt
    from PySide6.QtWidgets import QLabel, QVBoxLayout

    page = QWidget()
    page.setObjectName("Page")
    lay = QVBoxLayout(page)
    lay.addStretch(1)
    t = plain(QLabel(title))
    t.setProperty("role", "h2")
    t.setAlignment(Qt.AlignmentFlag.AlignCenter)
    body = plain(QLabel(text))
    body.setProperty("role", "muted")
    body.setWordWrap(True)
    body.setAlignment(Qt.AlignmentFlag.AlignCenter)
    lay.addWidget(t)
    lay.addWidget(body)
    lay.addStretch(2)
    return page


class MainWindow(QMainWindow):
    first_paint = Signal()
    page_changed = Signal(str)

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setWindowTitle("negtrainer")
        self.setWindowIcon(theme.app_icon())
        self.setMinimumSize(960, 640)
        self.resize(1280, 800)
        self.services: Any = None
        self.pages: dict[str, QWidget] = {}
        self.current = ""
        self._painted = False
        self.live_session_id = ""
        self.last_session_id = ""
        self.rail_buttons: dict[str, Any] = {}
        self._voice_message = ""
        self.setCentralWidget(_Splash(self))

    def build_chrome(self) -> None:
        """The rail, the pages' stack and the status bar (once, after the first paint)."""
        if self.rail_buttons:
            return
        from PySide6.QtCore import Qt
        from PySide6.QtGui import QKeySequence, QShortcut
        from PySide6.QtWidgets import (
            QButtonGroup,
            QFrame,
            QHBoxLayout,
            QLabel,
            QStackedWidget,
            QToolButton,
            QVBoxLayout,
        )

        root = QWidget()
        root.setObjectName("Page")
        self.setCentralWidget(root)
        lay = QHBoxLayout(root)
        lay.setContentsMargins(0, 0, 0, 0)
        lay.setSpacing(0)

        self.rail = QFrame()
        self.rail.setObjectName("Rail")
        rl = QVBoxLayout(self.rail)
        rl.setContentsMargins(0, 8, 0, 10)
        rl.setSpacing(2)
        brand = self._rail_brand = QLabel("negtrainer")
        brand.setObjectName("RailBrand")
        brand.setAlignment(Qt.AlignmentFlag.AlignHCenter)
        rl.addWidget(brand)
        rl.addSpacing(6)
        self.rail_group = QButtonGroup(self)
        self.rail_group.setExclusive(True)
        for n, (key, label, icon) in enumerate(RAIL, start=1):
            b = QToolButton()
            b.setText(label)
            b.setCheckable(True)
            b.setToolButtonStyle(Qt.ToolButtonStyle.ToolButtonTextUnderIcon)
            b.setAccessibleName(label)
            b.setToolTip(f"{label} (Ctrl+{n})")
            b.setFocusPolicy(Qt.FocusPolicy.TabFocus)
            b.setProperty("icon_name", icon)
            b.clicked.connect(lambda _=False, k=key: self.show_page(k))
            self.rail_group.addButton(b)
            rl.addWidget(b, 0, Qt.AlignmentFlag.AlignHCenter)
            self.rail_buttons[key] = b
            sc = QShortcut(QKeySequence(f"Ctrl+{n}"), self)
            sc.activated.connect(lambda k=key: self._rail_shortcut(k))
        rl.addStretch(1)
        self.learner_label = plain(QLabel(""))
        self.learner_label.setObjectName("RailLearner")
        self.learner_label.setAlignment(Qt.AlignmentFlag.AlignHCenter)
        self.learner_label.setWordWrap(True)
        rl.addWidget(self.learner_label)
        lay.addWidget(self.rail)

        self.stack = QStackedWidget()
        self.stack.setObjectName("Pages")
        lay.addWidget(self.stack, 1)
        self._loading = _message_page(
            "Opening your library…", "Reading scenarios and your saved sessions."
        )
        self.stack.addWidget(self._loading)
        self.rail_buttons["library"].setChecked(True)
        for key in ("play", "debrief"):
            self.rail_buttons[key].setEnabled(False)
        self._tint_rail()
        self.status = self.statusBar()
        self.status_label = plain(QLabel(""))
        self.status.addPermanentWidget(self.status_label)
        help_menu = self.menuBar().addMenu("&Help")
        self.about_action = help_menu.addAction("&About negtrainer")
        self.about_action.setMenuRole(self.about_action.MenuRole.AboutRole)  # macOS app menu
        self.about_action.triggered.connect(self.show_about)

    # -- the first paint (startup measures and deferred loading hang on it) ------------
    def paintEvent(self, event: QPaintEvent) -> None:
        super().paintEvent(event)
        if not self._painted:
            self._painted = True
            self.first_paint.emit()

    # -- building the pages ----------------------------------------------------------------
    def attach(self, services: Any) -> None:
        """Build the pages once the services exist (imports the engine and views)."""
        from negtrainer.gui.brief import BriefView
        from negtrainer.gui.library import LibraryView
        from negtrainer.gui.play import PlayView
        from negtrainer.gui.settings import SettingsView

        self.build_chrome()
        self.services = services
        self.library = LibraryView(services)
        self.brief = BriefView(services)
        self.play = PlayView(services)
        self.settings_view = SettingsView(services)
        for key, page in (
            ("library", self.library),
            ("brief", self.brief),
            ("play", self.play),
            ("settings", self.settings_view),
        ):
            self._add_page(key, page)
        self.library.open_brief.connect(self.open_brief)
        self.library.resume_requested.connect(self.resume)
        self.brief.back.connect(lambda: self.show_page("library"))
        self.brief.start_requested.connect(self.start)
        self.play.leave.connect(self._leave_play)
        self.play.open_debrief.connect(self.open_debrief)
        services.learner_changed.connect(self._show_learner)
        services.error.connect(self.show_error)
        services.settings.changed.connect(self._on_setting)
        services.voice_event.connect(self._on_voice_event)
        self._show_learner(services.learner)
        self.show_page("library")

    def _add_page(self, key: str, page: QWidget) -> None:
        self.pages[key] = page
        self.stack.addWidget(page)

    def view(self, key: str) -> QWidget:
        """The page for ``key``, building an external view on first use."""
        page = self.pages.get(key)
        if page is not None:
            return page
        module_name, cls_name = EXTERNAL_VIEWS[key]
        try:
            module = importlib.import_module(module_name)
            cls = getattr(module, cls_name)
            page = cls(self.services, None)
        except Exception as exc:  # not written yet, or broken: say so, keep going
            if not isinstance(exc, (ImportError, AttributeError)):
                import logging

                logging.getLogger(__name__).exception("building the %s view", key)
            label = {k: lab for k, lab, _i in RAIL}.get(key, key.capitalize())
            page = _message_page(
                f"{label} is not available yet",
                f"This part of negtrainer is still being built ({module_name}.{cls_name}: {exc}).",
            )
            page.setProperty("placeholder", True)
        else:
            self._wire_external(page)
        self._add_page(key, page)
        return page

    def _wire_external(self, page: QWidget) -> None:
        for signal, slot in (
            ("open_replay", self.open_replay),
            ("open_debrief", self.open_debrief),
            ("branch_started", self.resume),
            ("resume_requested", self.resume),
            ("session_started", self._play),
            ("round_changed", self.set_round),
        ):
            sig = getattr(page, signal, None)
            if sig is not None and hasattr(sig, "connect"):
                sig.connect(slot)

    # -- navigation ---------------------------------------------------------------------------
    def show_page(self, key: str) -> None:
        if self.services is None:
            return
        if key == "play" and not self.live_session_id:
            key = "library"
        if key == "debrief" and not self.last_session_id:
            key = "history"
        if key == "workshop" and getattr(self.pages.get("workshop"), "in_round", False):
            self.clear_for_next()
            self.pages["workshop"].show_handover()
        page = self.view(key)
        self.stack.setCurrentWidget(page)
        self.current = key
        rail_key = {"brief": "library", "replay": "history"}.get(key, key)
        if rail_key in self.rail_buttons:
            self.rail_buttons[rail_key].setChecked(True)
        if key == "history" and hasattr(page, "refresh"):
            page.refresh()
        if key == "library":
            self.library.focus_first()
        self.page_changed.emit(key)

    def _rail_shortcut(self, key: str) -> None:
        if self.rail_buttons[key].isEnabled():
            self.show_page(key)

    def open_brief(self, scenario_id: str) -> None:
        entry = self.services.scenario_entry(scenario_id)
        if entry is None:
            return
        self.brief.show_entry(entry)
        self.show_page("brief")

    def start(self, scenario_id: str, variant: str) -> None:
        scenario = self.services.scenario(scenario_id)
        if scenario is None:
            return
        self.brief.set_starting(True)

        def started(live: Any) -> None:
            self.brief.set_starting(False)
            self._play(live)

        def failed(exc: BaseException) -> None:
            from negtrainer.gui.services import user_message

            self.brief.set_starting(False)
            self.show_error("The session could not start", user_message(exc))

        self.services.start_session(scenario, started, failed, variant=variant or None)

    def resume(self, session_id: str) -> None:
        from negtrainer.gui.services import user_message

        self.status.showMessage(OPENING)

        def failed(exc: BaseException) -> None:
            self.status.clearMessage()
            self.show_error("The session could not be resumed", user_message(exc))

        self.services.resume_session(session_id, self._play, failed)

    def _play(self, live: Any) -> None:
        if self.status.currentMessage() == OPENING:
            self.status.clearMessage()  # it is open: the note must not outlive that
        self.live_session_id = live.id
        self.last_session_id = live.id
        self.rail_buttons["play"].setEnabled(True)
        self.rail_buttons["debrief"].setEnabled(True)
        self.show_page("play")
        self.play.play(live)

    def set_round(self, on: bool) -> None:
        """One laptop passed around: while a round runs, only the workshop's
        handover, play and debrief are reachable, so no one sees another's sessions."""
        for key, b in self.rail_buttons.items():
            if key not in ("workshop", "play", "debrief"):
                b.setEnabled(not on)
        self.play.set_round(on)
        self.clear_for_next()
        self.show_page("workshop")

    def clear_for_next(self) -> None:
        """A clean screen: the last player's session is no longer one click away, nor
        their name on the rail (the next player picks theirs; a round's end puts back
        the learner of the settings)."""
        self.live_session_id = ""
        self.last_session_id = ""
        in_round = getattr(self.pages.get("workshop"), "in_round", False)
        if in_round:
            self.learner_label.setText("Next player")
            self.learner_label.setToolTip(tip("A round is on: each player picks their own name"))
        elif self.services is not None:
            self._show_learner(self.services.learner)
        for key in ("play", "debrief"):
            self.rail_buttons[key].setEnabled(False)
        if "debrief" in self.pages:
            self.stack.removeWidget(self.pages["debrief"])
            self.pages.pop("debrief").deleteLater()

    def _leave_play(self) -> None:
        self.services.stop_speaking()
        live = self.play.live
        if live is not None and not live.session.ended:
            self.status.showMessage(
                "The session is kept: resume it from the library or the history.", 8000
            )
        self.show_page("library")

    def open_debrief(self, session_id: str) -> None:
        self.last_session_id = session_id
        self.rail_buttons["debrief"].setEnabled(True)
        page = self.view("debrief")
        if hasattr(page, "show_session"):
            page.show_session(session_id)
        self.show_page("debrief")

    def open_replay(self, session_id: str, turn: int = -1) -> None:
        page = self.view("replay")
        if turn >= 0 and hasattr(page, "show_turn"):
            page.show_turn(session_id, turn)
        elif hasattr(page, "show_session"):
            page.show_session(session_id)
        self.show_page("replay")

    # -- status and problems ---------------------------------------------------------------
    def _show_learner(self, name: str) -> None:
        self.learner_label.setText(name or "Guest")
        self.learner_label.setToolTip(tip(f"Practising: {name or 'Guest'} (change in Settings)"))

    def show_about(self) -> None:
        from negtrainer.gui.about import AboutDialog

        if self.services is not None:
            db = self.services.db_path  # None: kept in memory only
        else:  # opened before the database: it will be the default one
            from negtrainer.store.location import default_db_path

            db = default_db_path()
        self.about_dialog = AboutDialog(self, db)
        self.about_dialog.open()

    def set_status(self, text: str, detail: str = "") -> None:
        # Short on the bar; a long path goes in the tooltip, not across the window.
        self.status_label.setText(text)
        self.status_label.setToolTip(tip(detail) if detail else "")

    def _on_voice_event(self, kind: str, detail: str) -> None:
        # Voice turning itself off is worth a line, not a dialog: the session goes on.
        if kind == "failed":
            self._voice_message = f"{detail.rstrip('.')}. (Settings › Voice: Try again)"
            self.status.showMessage(self._voice_message)
        elif kind == "reset" and self.status.currentMessage() == self._voice_message:
            self.status.clearMessage()

    def show_error(self, title: str, message: str) -> None:
        from negtrainer.gui.dialogs import show_error

        show_error(self, title, message)

    def _on_setting(self, key: str) -> None:
        if key in ("theme", "text_size"):
            from PySide6.QtWidgets import QApplication

            s = self.services.settings
            app = QApplication.instance()
            if isinstance(app, QApplication):
                theme.apply(app, s.theme, s.text_size)
            self._tint_rail()

    def _tint_rail(self) -> None:

        for b in self.rail_buttons.values():
            b.setIcon(theme.icon(b.property("icon_name"), "rail_text", "rail_active_text"))
        self._fit_rail()

    def _fit_rail(self) -> None:
        """Icons over labels while they fit the window's height; at large text on a short
        screen, smaller icons, then icons alone (the label stays in the tooltip and the
        accessible name) rather than labels cut in half."""
        from PySide6.QtCore import Qt
        from PySide6.QtGui import QFontMetrics

        if not self.rail_buttons:
            return
        buttons = list(self.rail_buttons.values())
        em = buttons[0].fontMetrics().height()
        room = self.rail.height() if self.rail.isVisible() else self.height()
        layout = self.rail.layout()
        icons_only = False
        for scale, style in (
            (1.5, Qt.ToolButtonStyle.ToolButtonTextUnderIcon),
            (1.0, Qt.ToolButtonStyle.ToolButtonTextUnderIcon),
            (1.2, Qt.ToolButtonStyle.ToolButtonIconOnly),
        ):
            icons_only = style == Qt.ToolButtonStyle.ToolButtonIconOnly
            for b in buttons:
                b.setToolButtonStyle(style)
                b.setIconSize(QSize(int(em * scale), int(em * scale)))
            layout.invalidate()
            if layout.sizeHint().height() <= room:
                break
        # The checked button's label is bold: the widest label must fit whole at any size.
        bold = QFont(self.font())
        bold.setBold(True)
        fm = QFontMetrics(bold)
        if icons_only:
            width = max(
                max(b.sizeHint().width() for b in buttons) + fm.height(),
                self._rail_brand.sizeHint().width() + fm.height(),
            )
        else:
            widest = max(fm.horizontalAdvance(b.text()) for b in buttons)
            width = max(88, int(self.fontMetrics().height() * 5.8), widest + 2 * fm.height())
        self.rail.setFixedWidth(width)

    def resizeEvent(self, event: Any) -> None:
        super().resizeEvent(event)
        if event.oldSize().height() != event.size().height():
            self._fit_rail()

    # -- closing --------------------------------------------------------------------------------
    def closeEvent(self, event: QCloseEvent) -> None:
        if self.services is not None:
            self.services.settings.set("window/geometry", self.saveGeometry())
            self.services.close()
        super().closeEvent(event)

    def restore_geometry(self, data: Any) -> None:
        if isinstance(data, (QByteArray, bytes)) and data:
            self.restoreGeometry(QByteArray(data))


class _Splash(QWidget):
    """What the first paint shows: the rail's colour and a line of text.

    Painted by hand with the theme's colours, touching as little of Qt as
    possible, so the window is up as fast as a bare Qt program's.
    """

    def paintEvent(self, event: QPaintEvent) -> None:
        c = theme.colors()
        p = QPainter(self)
        p.fillRect(self.rect(), QColor(c["window"]))
        em = self.fontMetrics().height()
        rail = max(88, int(em * 5.8))
        p.fillRect(0, 0, rail, self.height(), QColor(c["rail"]))
        font = QFont(self.font())
        font.setBold(True)
        p.setFont(font)
        p.setPen(QColor(c["rail_text"]))
        brand = "negtrainer"
        p.drawText((rail - self.fontMetrics().horizontalAdvance(brand)) // 2, em + 8, brand)
        big = QFont(self.font())
        big.setPointSizeF(self.font().pointSizeF() * 1.45)
        big.setBold(True)
        p.setFont(big)
        p.setPen(QColor(c["text"]))
        text = "Opening your library…"
        x = rail + (self.width() - rail - p.fontMetrics().horizontalAdvance(text)) // 2
        p.drawText(x, self.height() // 3, text)
        p.end()
