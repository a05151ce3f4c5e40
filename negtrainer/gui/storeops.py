"""Opening the session database for the window, the messages its failures give, and
the queries behind the library cards. Heavy imports stay inside the functions."""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path
from typing import Any

# Endings from best to worst: a deal beats an impasse beats a walk-out.
ENDING_RANK = {"deal": 3, "agreement": 3, "impasse": 1, "walkout": 0}


def default_db_path() -> Path:
    from negtrainer.store.location import default_db_path as where

    return where()


def open_store(path: Path, *, create_if_damaged: bool = False) -> Any:
    """Open the session database (slow: call it off the GUI thread).

    Raises the store's ``DamagedDatabase`` (see :func:`is_damaged`) or
    ``StoreError``; both carry a message for the user.
    """
    from negtrainer.store.store import Store

    return Store.open(path, create_if_damaged=create_if_damaged)


def memory_store() -> Any:
    """A database in memory: play on when the file cannot be used, keep nothing."""
    from negtrainer.store.store import Store

    return Store.memory()


def is_damaged(exc: BaseException) -> bool:
    from negtrainer.store.errors import DamagedDatabase

    return isinstance(exc, DamagedDatabase)


def _rescued(rec: Any, snapshot: Any = None) -> str:
    """Copy a session the database refuses to a file; say where (or why not)."""
    from negtrainer.store import StoreError

    try:
        path = rec.write_rescue(here=False, session=snapshot)
    except StoreError as e:
        return f" It could not be copied to a file either: {e}"
    return (
        f" A copy of the whole session is kept in {path}; if need be, import it "
        "later with: negtrainer sessions import."
    )


def damaged_copy(store: Any) -> Path | None:
    """Where opening moved a damaged database aside (None if it did not)."""
    return getattr(store, "damaged_copy", None)


@dataclass(frozen=True)
class BestResult:
    """A learner's best finished session of one scenario, for the library card."""

    scenario_id: str
    ending_title: str
    ending_kind: str
    detail: str
    sessions: int


def user_message(exc: BaseException) -> str:
    """What to tell a person about a failure: the store's own words, or a plain line."""
    from negtrainer.store.errors import StoreError

    if isinstance(exc, StoreError):
        return str(exc)
    if isinstance(exc, OSError):
        return f"A file could not be read or written: {exc.strerror or exc}."
    return f"{type(exc).__name__}: {exc}"


def _best_results(store: Any, learner: str | None) -> dict[str, BestResult]:
    rows = store.list_sessions(learner=learner, status="finished", limit=1000)
    best: dict[str, tuple[tuple, Any]] = {}
    counts: dict[str, int] = {}
    for info in rows:
        if info.ending_kind is None:
            continue  # stopped by the learner: no result to show
        sid = info.scenario_id
        counts[sid] = counts.get(sid, 0) + 1
        scores = info.scores if isinstance(info.scores, dict) else {}
        quality = scores.get("quality")
        # Ranked by what the outcome achieved; "a deal was signed" alone is not best.
        key = (
            quality if isinstance(quality, (int, float)) else -1,
            ENDING_RANK.get(info.ending_kind, 0),
            scores.get("end_trust") if isinstance(scores.get("end_trust"), (int, float)) else 0,
        )
        if sid not in best or key > best[sid][0]:
            best[sid] = (key, info)
    out = {}
    for sid, (_key, info) in best.items():
        scores = info.scores or {}
        title = (scores.get("ending") or {}).get("title") or (info.ending_id or "").replace(
            "_", " "
        ).capitalize()
        detail = ""
        if isinstance(scores.get("quality"), (int, float)):
            detail = f"score {scores['quality']:.0f}"
        outcome = scores.get("outcome") if isinstance(scores.get("outcome"), dict) else {}
        kind = info.ending_kind or ""
        if outcome.get("verdict") == "caved":
            kind, detail = "caved", "below your walk-away"
        elif outcome.get("ignored_needs"):
            kind, detail = "thin", "a need ignored"
        out[sid] = BestResult(sid, title, kind, detail, counts[sid])
    return out
