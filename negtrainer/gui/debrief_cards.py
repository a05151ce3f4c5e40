"""The debrief's outcome-first cards: what was agreed, three takeaways, the other side.

Everything shown comes from the engine's debrief (``Debrief.outcome``,
``.takeaways``, ``.other_side``, ``.objectives``); texts from scenario files are
shown as plain text. A takeaway offers "Try it from here" (a branch just before
that turn, played at once) and a reflection question whose answer is kept with
the session's notes.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from PySide6.QtCore import Qt
from PySide6.QtWidgets import (
    QFrame,
    QGridLayout,
    QHBoxLayout,
    QLabel,
    QLineEdit,
    QPushButton,
    QVBoxLayout,
)

from negtrainer.document import deal_terms, takeaway_paras
from negtrainer.engine.scoring import objective_line
from negtrainer.engine.takeaways import heading as takeaways_heading
from negtrainer.gui.widgets import card, label

VERDICT = {
    "strong": ("good", "✔ A strong deal"),
    "fair": ("fair", "◐ A fair deal"),
    "thin": ("poor", "▽ A thin deal"),
    "caved": ("poor", "✘ Below your walk-away"),
    "no_deal": ("fair", "■ No deal"),
}

# The handout's paragraph roles as the window's label roles.
_LABEL_ROLE = {"strong": "h3", "quote": "small"}


def _plain(text: str, role: str = "", wrap: bool = True) -> QLabel:
    out = label(text, role, wrap=wrap) if role else label(text, wrap=wrap)
    out.setTextFormat(Qt.TextFormat.PlainText)
    return out


def outcome_card(d: Any) -> QFrame:
    frame, lay = card("What you agreed")
    frame.setObjectName("OutcomeCard")
    o = d.outcome
    if not o:
        lay.addWidget(_plain("The session has not ended yet.", "muted"))
        return frame
    rating, head = VERDICT.get(o["verdict"], ("fair", o["verdict"]))
    title = _plain(head, "h3")
    title.setProperty("rating", rating)
    title.setAccessibleName(f"Outcome: {head}")
    lay.addWidget(title)
    lay.addWidget(_plain(o["verdict_text"]))
    if o.get("deal"):
        lay.addWidget(_plain("Terms: " + (o.get("deal_text") or deal_terms(o["deal"])), "small"))
    if o.get("improvement"):
        lay.addWidget(_plain(o["improvement"]))
    for a in o.get("interests", []):
        if a["revealed_turn"] is None:
            line = f"• {a['label']}: never uncovered"
        elif a["answered_by"]:
            line = f"• {a['label']}: answered by {a['answered_by']}"
        else:
            line = f"• {a['label']}: {a['note'] or 'not answered'}"
        lay.addWidget(_plain(line, "small"))
    if d.objectives:
        lay.addWidget(_plain("Objectives", "eyebrow"))
        for ob in d.objectives:
            lay.addWidget(_plain(objective_line(ob), "small"))
    lay.addStretch(1)  # the card is as tall as the takeaways beside it: keep lines together
    return frame


def takeaways_card(
    d: Any,
    on_try: Callable[[int], None],
    on_answer: Callable[[int, str, str], None],
    answered: dict[int, str],
) -> QFrame:
    frame, lay = card(takeaways_heading(len(d.takeaways)))
    frame.setObjectName("TakeawaysCard")
    if not d.takeaways:
        lay.addWidget(
            _plain("Nothing stood out: this session went the way the expert path does.", "muted")
        )
    for t in d.takeaways:
        box = QFrame()
        box.setProperty("role", "inset")
        bl = QVBoxLayout(box)
        bl.setContentsMargins(10, 8, 10, 8)
        bl.setSpacing(4)
        for para in takeaway_paras(t):
            bl.addWidget(_plain(para.text, _LABEL_ROLE.get(para.role, "")))
        row = QHBoxLayout()
        q = _plain(t["question"], "small")
        row.addWidget(q, 1)
        bl.addLayout(row)
        answer = QLineEdit()
        answer.setPlaceholderText("Your answer (kept with this session's notes)")
        answer.setAccessibleName(f"Your answer to: {t['question']}")
        answer.setMaxLength(2000)
        if t["turn"] in answered:
            answer.setText(answered[t["turn"]])
        buttons = QHBoxLayout()
        save = QPushButton("Keep my answer")
        save.clicked.connect(
            lambda _=False, a=answer, tk=t: on_answer(tk["turn"], tk["question"], a.text())
        )
        answer.returnPressed.connect(
            lambda a=answer, tk=t: on_answer(tk["turn"], tk["question"], a.text())
        )
        try_it = QPushButton("Try it from here")
        try_it.setProperty("kind", "primary")
        try_it.setObjectName(f"TryFrom{t['turn']}")
        try_it.setAccessibleName(f"Try turn {t['turn']} again in a new branch")
        try_it.setToolTip("Start a branch just before this turn and play it differently")
        try_it.clicked.connect(lambda _=False, turn=t["turn"]: on_try(turn))
        bl.addWidget(answer)
        buttons.addWidget(save)
        buttons.addStretch(1)
        buttons.addWidget(try_it)
        bl.addLayout(buttons)
        lay.addWidget(box)
    lay.addStretch(1)  # as tall as the outcome beside it: the words stay at the top
    return frame


def other_side_card(d: Any) -> QFrame:
    side = d.other_side
    frame, lay = card("The other side")
    frame.setObjectName("OtherSideCard")
    if not side:
        lay.addWidget(_plain("Shown when the session has ended.", "muted"))
        return frame
    lay.addWidget(_plain(f"{side['name']} — {side['role']}: the confidential brief", "h3"))
    lay.addWidget(_plain(side["brief"]))
    if side.get("walkaway") is not None:
        lay.addWidget(
            _plain(
                f"Their walk-away: {side['walkaway']:.0f} points. They would "
                "never sign for less, whatever the trust."
            )
        )
    grid = QGridLayout()
    grid.setHorizontalSpacing(12)
    r = 0
    for issue in side.get("issues", []):
        grid.addWidget(_plain(issue["label"], "small", wrap=False), r, 0, Qt.AlignmentFlag.AlignTop)
        values = ", ".join(f"{o} {v:g}" for o, v in zip(issue["options"], issue["them"]))
        grid.addWidget(_plain(values, "small"), r, 1)
        r += 1
        for iid, alt in issue.get("them_if_revealed", {}).items():
            vals = ", ".join(f"{o} {v:g}" for o, v in zip(issue["options"], alt))
            grid.addWidget(_plain(f"once '{iid}' was known: {vals}", "small"), r, 1)
            r += 1
        if issue.get("risk"):
            risk = ", ".join(f"{o} −{v:g} for risk" for o, v in issue["risk"].items())
            grid.addWidget(_plain(f"looks risky: {risk} (trust discounts it)", "small"), r, 1)
            r += 1
    lay.addLayout(grid)
    return frame
