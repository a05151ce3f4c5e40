"""Scripted sessions of the sample scenario (packaging-renewal) for the GUI tests.

``PATH`` and ``DEAL`` are the choices and the offer that play it to a deal in the
window; the functions make finished sessions and store them turn by turn, as the
GUI's recorder does, so the views have something to show.
"""

from __future__ import annotations

from datetime import UTC, datetime, timedelta
from pathlib import Path
from typing import Any

from negtrainer.engine.analysis import expert_path
from negtrainer.engine.session import Session

# The format 1 fixture the window tests drive by id (see conftest.FIXED_LIBRARY).
SCENARIO = Path(__file__).resolve().parents[1] / "fixtures" / "v1" / "packaging-renewal.yaml"
PATH = [
    "small_talk_drive",
    "thank_rush_order",
    "ask_builders",
    "label_nervous",
    "ask_year",
    "ask_payment",
    "ask_future",
    "promise_forecast",
    "keep_forecast",
    "summarise",
]
DEAL = {"price": "€0.38", "volume": "2.8M trays", "payment": "30 days", "term": "3 years"}
COMPETITIVE = ("ultimatum", "threat", "bare_refusal", "leading_question", "argument")


def expert_session(scenario: Any, learner: str = "") -> Session:
    """The analysis's best path: a deal with every interest uncovered."""
    variant = next(iter(scenario.spec.counterpart.variants))
    path = expert_path(scenario, variant)
    assert path is not None and path["ending"], "the sample scenario has an expert path"
    return Session.replay(scenario, 0, variant, path["inputs"], learner)


def pushy_session(scenario: Any, seed: int = 2, learner: str = "") -> Session:
    """Pressure from the first turn: the counterpart walks out."""
    s = Session.start(scenario, seed=seed, learner=learner)
    while not s.ended:
        ok = [c for c in s.choices if c.available]
        ok.sort(key=lambda c: COMPETITIVE.index(c.move) if c.move in COMPETITIVE else 99)
        s.choose(ok[0].id)
    return s


def record(
    store: Any,
    session: Session,
    learner: str = "Ana",
    upto: int | None = None,
    days_ago: float | None = None,
) -> str:
    """Store a session turn by turn, as the GUI's recorder does (begun ``days_ago``
    days back when given); return its id."""
    sc = session.scenario
    live = Session.start(sc, session.state.seed, session.state.variant, learner)
    if days_ago is None:
        sid = store.begin(sc, live, learner=learner)
    else:
        when = datetime.now(UTC) - timedelta(days=days_ago)
        sid = store.begin(
            sc, live, learner=learner, started_at=when.isoformat(timespec="microseconds")
        )
    for item in session.inputs[:upto]:
        live.apply(item)
        store.record_turn(sid, live)
    return sid
