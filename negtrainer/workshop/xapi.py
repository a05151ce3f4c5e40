"""The collected sessions as xAPI 1.0.3 statements, one file per workshop.

An organisation loads them into the learning record store (LRS) it already
runs (docs/xapi.md says how); negtrainer itself never sends anything anywhere.
Statement ids are derived from the session ids, so sending a file twice stores
nothing twice (an LRS refuses a second statement with the same id).

Activity and extension ids are URNs (``urn:negtrainer:…``): absolute IRIs, as
xAPI requires, that claim no web address we do not own.
"""

from __future__ import annotations

import uuid
from datetime import datetime
from pathlib import Path
from typing import Any

from negtrainer.store import exchange
from negtrainer.store import workshops as ws
from negtrainer.workshop import service
from negtrainer.workshop.model import Workshop, WorkshopError

VERSION = "1.0.3"
NAMESPACE = uuid.UUID("6b1c7a1e-3c1d-5b7e-9a51-6e6567747261")  # negtrainer's own
VERB_COMPLETED = {
    "id": "http://adlnet.gov/expapi/verbs/completed",
    "display": {"en-US": "completed"},
}
SIMULATION = "http://adlnet.gov/expapi/activities/simulation"
MEETING = "http://adlnet.gov/expapi/activities/meeting"
EXT = "urn:negtrainer:xapi:extension:"
LANG = "en-US"


def _iso_duration(start: str, end: str) -> str | None:
    try:
        seconds = (datetime.fromisoformat(end) - datetime.fromisoformat(start)).total_seconds()
    except (TypeError, ValueError):
        return None
    return f"PT{max(0.0, seconds):.2f}S"


def statement(
    w: Workshop, tag: ws.TaggedSession, info: Any, summary: dict[str, Any], anonymous: bool
) -> dict[str, Any]:
    """One finished session as one statement."""
    ex = w.exercise(tag.exercise_id)
    who = w.shown_name(tag.participant, anonymous)
    # The account names the participant inside this workshop only: no e-mail, no
    # identity that means anything outside the room.
    # An anonymised export shares no key or statement id with a named one, so the two
    # cannot be joined to put names back to pseudonyms.
    anon = "anonymous:" if anonymous else ""
    basis = who if anonymous else tag.participant
    key = uuid.uuid5(NAMESPACE, f"{anon}{w.id}:{basis.casefold()}").hex
    ending = summary.get("ending") or {}
    kind = ending.get("kind")
    result: dict[str, Any] = {"completion": True, "success": kind in ("deal", "agreement")}
    if summary.get("quality") is not None:
        result["score"] = {"scaled": round(max(0.0, min(1.0, float(summary["quality"]))), 4)}
    duration = _iso_duration(info.started_at, info.ended_at or info.updated_at)
    if duration:
        result["duration"] = duration
    trust = summary.get("trust") or []
    result["extensions"] = {
        EXT + "outcome": summary.get("outcome", ""),
        EXT + "ending": ending.get("id") or "",
        EXT + "trust-start": trust[0] if trust else None,
        EXT + "trust-end": trust[-1] if trust else None,
        EXT + "interests-revealed": summary.get("revealed", 0),
        EXT + "measures": {k: m.get("rating", "") for k, m in summary.get("measures", {}).items()},
    }
    actor = {
        "objectType": "Agent",
        "name": who,
        "account": {"homePage": f"urn:negtrainer:workshop:{w.id}", "name": key},
    }
    return {
        "id": str(uuid.uuid5(NAMESPACE, f"{anon}session:{tag.session_id}")),
        "actor": actor,
        "verb": VERB_COMPLETED,
        "object": {
            "objectType": "Activity",
            "id": f"urn:negtrainer:scenario:{info.scenario_id}",
            "definition": {
                "name": {LANG: info.scenario_title},
                "description": {LANG: f"Negotiation role-play: {ex.title}"},
                "type": SIMULATION,
            },
        },
        "result": result,
        "context": {
            "registration": str(uuid.uuid5(NAMESPACE, f"registration:{w.id}")),
            "platform": "negtrainer",
            "language": LANG,
            "contextActivities": {
                "parent": [
                    {
                        "objectType": "Activity",
                        "id": f"urn:negtrainer:workshop:{w.id}",
                        "definition": {"name": {LANG: w.name}, "type": MEETING},
                    }
                ]
            },
            "extensions": {
                EXT + "exercise": ex.id,
                EXT + "variant": info.variant,
                EXT + "scenario-version": info.scenario_version,
            },
        },
        "timestamp": info.ended_at or info.updated_at,
        "version": VERSION,
    }


def statements(store: Any, w: Workshop, anonymous: bool = False) -> list[dict[str, Any]]:
    service.views(store, w)  # brings every summary up to date
    out = []
    for tag in ws.sessions(store, w.id, finished_only=True):
        if tag.summary is None:
            continue  # a session this version cannot replay: left out, as in the room's view
        out.append(statement(w, tag, store.get(tag.session_id), tag.summary, anonymous))
    return out


def export(store: Any, w: Workshop, path: Path, anonymous: bool = False) -> int:
    found = statements(store, w, anonymous)
    if not found:
        raise WorkshopError(f"No finished sessions in workshop {w.name!r} yet: nothing to export.")
    exchange.write_doc(found, path)  # type: ignore[arg-type]
    return len(found)
