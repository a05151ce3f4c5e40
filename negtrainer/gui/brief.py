"""The brief: what the learner reads before playing, and Start.

Public situation, the learner's confidential instructions, who they will meet
(face, name, role), the skills practised, and the counterpart's variant: by
default drawn from the session's seed ("Surprise me"), or picked. A scenario
that failed to load shows its problems here instead, each with its fix.

Signals: ``start_requested(scenario_id, variant or "")``, ``back()``.
"""

from __future__ import annotations

from functools import partial
from pathlib import Path
from typing import Any

from PySide6.QtCore import Qt, Signal
from PySide6.QtWidgets import (
    QComboBox,
    QFrame,
    QHBoxLayout,
    QLabel,
    QPushButton,
    QSizePolicy,
    QVBoxLayout,
    QWidget,
)

from negtrainer.gui import theme, widgets
from negtrainer.gui.avatar import AvatarWidget
from negtrainer.gui.models.library_model import skill_label

# A brief is for reading and quoting: every label can be selected to copy.
_label = partial(widgets.label, wrap=False, select=True)


class BriefView(QWidget):
    start_requested = Signal(str, str)
    back = Signal()

    def __init__(self, services: Any, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.services = services
        self.setObjectName("Page")
        self.entry: Any = None

        lay = widgets.scroll_page(self, (32, 18, 32, 24), 14)

        top = QHBoxLayout()
        self.back_button = QPushButton("Library")
        self.back_button.setProperty("kind", "flat")
        theme.set_icon(self.back_button, "back", "link")
        self.back_button.setAccessibleName("Back to the library")
        self.back_button.setShortcut("Alt+Left")
        self.back_button.clicked.connect(self.back.emit)
        top.addWidget(self.back_button)
        top.addStretch(1)
        lay.addLayout(top)

        self.eyebrow = _label("", "eyebrow")
        self.title = _label("", "h1", wrap=True)
        self.summary = _label("", "lead", wrap=True)
        lay.addWidget(self.eyebrow)
        lay.addWidget(self.title)
        lay.addWidget(self.summary)

        self.columns = QWidget()
        columns = QHBoxLayout(self.columns)
        columns.setContentsMargins(0, 8, 0, 0)
        columns.setSpacing(28)
        lay.addWidget(self.columns, 1)

        # Left: the learner's side.
        left = QVBoxLayout()
        left.setSpacing(12)
        columns.addLayout(left, 3)
        self.role = _label("", "h3", wrap=True)
        left.addWidget(_label("YOUR ROLE", "eyebrow"))
        left.addWidget(self.role)
        left.addSpacing(6)
        left.addWidget(_label("THE SITUATION", "eyebrow"))
        self.public = _label("", wrap=True)
        left.addWidget(self.public)

        self.secret_box = QFrame()
        self.secret_box.setProperty("role", "confidential")
        sb = QVBoxLayout(self.secret_box)
        sb.setContentsMargins(16, 12, 16, 14)
        head = QHBoxLayout()
        lock = QLabel()
        theme.set_icon(lock, "lock", "confidential_border")
        head.addWidget(lock)
        head.addWidget(_label("FOR YOUR EYES ONLY", "eyebrow"))
        head.addStretch(1)
        sb.addLayout(head)
        self.confidential = _label("", wrap=True)
        self.confidential.setAccessibleName("Your confidential instructions")
        sb.addWidget(self.confidential)
        left.addSpacing(6)
        left.addWidget(self.secret_box)

        left.addSpacing(6)
        left.addWidget(_label("WHAT TO AIM FOR", "eyebrow"))
        self.skills = _label("", wrap=True)
        self.skills.setTextFormat(Qt.TextFormat.RichText)
        left.addWidget(self.skills)
        left.addStretch(1)

        # Right: who they meet, and Start.
        self.card = QFrame()
        self.card.setProperty("role", "card")
        self.card.setSizePolicy(QSizePolicy.Policy.Preferred, QSizePolicy.Policy.Maximum)
        right = QVBoxLayout(self.card)
        right.setContentsMargins(20, 18, 20, 20)
        right.setSpacing(8)
        right.addWidget(_label("YOU WILL MEET", "eyebrow"))
        self.avatar = AvatarWidget()
        self.avatar.setMinimumSize(150, 150)
        self.avatar.setMaximumHeight(190)
        right.addWidget(self.avatar)
        self.cp_name = _label("", "h2")
        self.cp_name.setAlignment(Qt.AlignmentFlag.AlignHCenter)
        self.cp_role = _label("", "muted", wrap=True)
        self.cp_role.setAlignment(Qt.AlignmentFlag.AlignHCenter)
        right.addWidget(self.cp_name)
        right.addWidget(self.cp_role)
        self.cp_public = _label("", wrap=True)
        right.addWidget(self.cp_public)
        sep = QFrame()
        sep.setProperty("role", "separator")
        right.addSpacing(6)
        right.addWidget(sep)
        right.addSpacing(6)
        self.variant_label = _label("How they will be today", "small")
        right.addWidget(self.variant_label)
        self.variant = QComboBox()
        self.variant.setAccessibleName("Counterpart's mood today")
        self.variant.currentIndexChanged.connect(self._variant_changed)
        self.variant_label.setBuddy(self.variant)
        right.addWidget(self.variant)
        self.variant_note = _label("", "small", wrap=True)
        right.addWidget(self.variant_note)
        right.addSpacing(6)
        self.start_button = QPushButton("Start the conversation")
        self.start_button.setProperty("kind", "primary")
        theme.set_icon(self.start_button, "resume", "on_accent")
        self.start_button.setMinimumHeight(44)
        self.start_button.setAccessibleName("Start the conversation")
        self.start_button.setShortcut("Ctrl+Return")
        self.start_button.setToolTip("Start (Ctrl+Enter)")
        self.start_button.clicked.connect(self._start)
        right.addWidget(self.start_button)
        self.card.setMinimumWidth(300)
        self.card.setMaximumWidth(420)
        side = QVBoxLayout()
        side.addWidget(self.card)
        side.addStretch(1)
        columns.addLayout(side, 2)

        # A scenario that cannot be loaded: its problems instead of all the above.
        self.problems = QFrame()
        self.problems.setProperty("role", "banner-bad")
        pb = QVBoxLayout(self.problems)
        pb.setContentsMargins(18, 14, 18, 16)
        pb.addWidget(_label("THIS SCENARIO CANNOT BE LOADED", "eyebrow"))
        self.problem_text = _label("", wrap=True)
        self.problem_text.setTextFormat(Qt.TextFormat.RichText)
        pb.addWidget(self.problem_text)
        lay.addWidget(self.problems)
        # Takes the spare height only when the columns are hidden (a broken file).
        lay.addStretch(0)

    # -- showing ------------------------------------------------------------------------
    def show_entry(self, entry: Any) -> None:
        self.entry = entry
        if not entry.ok:
            self._show_problems(entry)
            return
        self._set_normal(True)
        spec = entry.scenario.spec
        cp = spec.counterpart
        self.eyebrow.setText(f"{spec.difficulty.upper()}  ·  ABOUT {spec.minutes} MINUTES")
        self.title.setText(spec.title)
        self.summary.setText(spec.summary)
        self.role.setText(spec.learner.role)
        self.public.setText(spec.learner.public_brief)
        self.confidential.setText(spec.learner.confidential_brief)
        from negtrainer.engine.skills import SKILLS

        # The situation and the objectives, not the rubric: how to listen is for coach
        # mode and the debrief to teach, not a checklist to tick before playing.
        items = [f"<p style='margin:0 0 6px 0'>• {_esc(ob.text)}</p>" for ob in spec.objectives]
        titles = [SKILLS[k].title if k in SKILLS else skill_label(k) for k in spec.skills]
        items.append(f"<p style='margin:6px 0 0 0'><i>Skills: {_esc(', '.join(titles))}</i></p>")
        self.skills.setText("".join(items))
        self.avatar.set_look(cp.look)
        self.avatar.set_person(cp.name)
        self.avatar.set_mood("neutral")
        self.cp_name.setText(cp.name)
        self.cp_role.setText(cp.role)
        self.cp_public.setText(cp.public_brief)
        self.variant.blockSignals(True)
        self.variant.clear()
        self.variant.addItem("Surprise me (drawn at random)", "")
        for vid, var in cp.variants.items():
            label = vid.replace("_", " ").capitalize()
            self.variant.addItem(label, vid)
            self.variant.setItemData(
                self.variant.count() - 1,
                widgets.tip(var.description or ""),
                Qt.ItemDataRole.ToolTipRole,
            )
        self.variant.setCurrentIndex(0)
        self.variant.blockSignals(False)
        self._variant_changed(0)
        self.variant.setVisible(len(cp.variants) > 1)
        self.variant_label.setVisible(len(cp.variants) > 1)
        self.start_button.setFocus()

    def _show_problems(self, entry: Any) -> None:
        self._set_normal(False)
        self.eyebrow.setText("YOUR SCENARIOS" if not entry.builtin else "BUILT IN")
        self.title.setText(entry.path.name)
        self.summary.setText(str(entry.path))
        rows = []
        for d in (entry.errors or entry.diagnostics)[:20]:
            where = Path(d.file).name if d.file else "<scenario>"
            if d.line:
                where += f":{d.line}"
            fix = d.to_json().get("fix", "")
            rows.append(
                f"<p><code>{_esc(where)}</code> — {_esc(d.message)}"
                + (f"<br><i>Fix: {_esc(fix)}</i>" if fix else "")
                + "</p>"
            )
        self.problem_text.setText("".join(rows) or "The file could not be read.")
        self.back_button.setFocus()

    def _set_normal(self, normal: bool) -> None:
        self.columns.setVisible(normal)
        self.problems.setVisible(not normal)

    def _variant_changed(self, index: int) -> None:
        if self.entry is None or not self.entry.ok:
            return
        vid = self.variant.itemData(index)
        if not vid:
            self.variant_note.setText("Like a real meeting, you will not know in advance.")
        else:
            var = self.entry.scenario.spec.counterpart.variants[vid]
            self.variant_note.setText(var.description or "")

    def _start(self) -> None:
        if self.entry is not None and self.entry.ok:
            self.start_button.setEnabled(False)
            self.start_requested.emit(self.entry.id, self.variant.currentData() or "")

    def set_starting(self, starting: bool) -> None:
        self.start_button.setEnabled(not starting)
        self.start_button.setText("Starting…" if starting else "Start the conversation")


def _esc(text: str) -> str:
    return text.replace("&", "&amp;").replace("<", "&lt;").replace(">", "&gt;")
