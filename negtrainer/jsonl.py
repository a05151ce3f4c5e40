"""The machine interface: one JSON object per step out, one input per line in.

``negtrainer play SCENARIO --jsonl`` lets bots, research agents and tests drive
the trainer without importing it. The protocol is documented in
docs/jsonl-protocol.md. Hidden state (trust, revealed interests, move types)
is left out unless ``--coach`` is given, exactly as the window hides it.
"""

from __future__ import annotations

import json
import sys
from collections.abc import Iterable
from typing import Any, TextIO

from negtrainer.engine import jsonread
from negtrainer.engine.session import ChoiceUnavailable, Session

PROTOCOL = 1
MAX_LINE = 100_000  # bytes of one input line; longer lines are refused, not read into memory
MAX_DEPTH = 10  # an input object nests 3 deep at most ({"offer": {issue: option}})
ACTIONS = frozenset({"choice", "offer", "accept", "say", "quit"})  # one per input object


def snapshot(
    session: Session, coach: bool = False, step: Any = None, error: str | None = None
) -> dict[str, Any]:
    """What a front-end sees now, as plain JSON data."""
    sc = session.scenario
    out: dict[str, Any] = {
        "protocol": PROTOCOL,
        "scenario": sc.id,
        "turn": session.state.turn,
        "lines": [{"id": ln["id"], "text": ln["text"]} for ln in session.lines],
        "choices": [
            {
                "number": n,
                "id": c.id,
                "text": c.text,
                "available": c.available,
                **({} if c.available else {"why_not": c.reason}),
                **({"move": c.move} if coach else {}),
            }
            for n, c in enumerate(session.choices, 1)
        ],
        "can_offer": session.can_offer,
        "issues": [
            {
                "id": i.id,
                "label": i.label,
                "options": [
                    {"label": o.label, "you": o.you, "available": o.available} for o in i.options
                ],
            }
            for i in session.issues
        ]
        if session.can_offer
        else [],
        "counter": session.counter_offer,
        "ending": None,
    }
    if step is not None:
        out["you_said"] = step.said
        if step.offer is not None:
            out["offer"] = {"terms": step.offer.terms, "accepted": step.offer.accepted}
    end = session.ending
    if end is not None:
        out["ending"] = {"id": end.id, "kind": end.kind, "title": end.title}
        if session.state.deal is not None:
            out["deal"] = sc.terms_dict(tuple(session.state.deal))
    if session.state.counter is not None and session.below_walkaway():
        out["counter_below_your_walkaway"] = True
    if coach:
        st = session.state
        out["coach"] = {
            "trust": st.vars.get("trust"),
            "vars": dict(st.vars),
            "mood": st.mood,
            "revealed": sorted(st.revealed),
            "hinted": sorted(st.hinted),
        }
        if step is not None:
            out["coach"]["move"] = step.move
            out["coach"]["why"] = step.why
    if error is not None:
        out["error"] = error
    return out


def parse(line: str) -> dict[str, Any] | None:
    """One input: a JSON object ({"choice": id|number}, {"offer": {...}}, {"accept": true},
    {"say": words, "as"?: ...}, {"quit": true}) or the terminal's words (a number, a
    choice id, accept, quit)."""
    text = line.strip()
    if text.startswith("{"):
        try:
            data = jsonread.loads(text, MAX_DEPTH)
        except jsonread.JsonProblem as e:
            raise ValueError(f"the input {e}") from None
        if not isinstance(data, dict):
            raise ValueError("an input object is expected")
        if len(ACTIONS & data.keys()) > 1:
            raise ValueError(
                f"one of {', '.join(sorted(ACTIONS))} per line, not "
                + " and ".join(sorted(ACTIONS & data.keys()))
            )
        if data.get("quit"):
            return None
        if data.get("accept"):
            return {"accept": "counter"}
        if "choice" in data:
            choice = data["choice"]
            if isinstance(choice, bool) or not isinstance(choice, (int, str)):
                raise ValueError("a choice is an id (text) or a number as shown")
            from negtrainer.terminal import typed_number

            n = typed_number(choice.strip()) if isinstance(choice, str) else None
            if n is not None:
                # Choice ids start with a letter (the loader's id rule), so digits
                # can only mean the position shown, as the number 3 does.
                return {"choice": n}
            return {"choice": choice}
        if "offer" in data and isinstance(data["offer"], dict):
            return {"offer": data["offer"]}
        if "say" in data:
            said, as_ = data["say"], data.get("as")
            if not isinstance(said, str) or not said.strip():
                raise ValueError("say needs the words, as text")
            if as_ is not None and not isinstance(as_, str):
                raise ValueError('"as" is a choice id, "offer" or "own"')
            return {"say": said, "as": as_}
        raise ValueError("say one of: choice, offer, accept, say, quit")
    return {"words": text}


class Unsure(ValueError):
    """Own words the program will not play without being told what they meant;
    ``heard`` says what it made of them."""

    def __init__(self, message: str, heard: dict[str, Any]):
        super().__init__(message)
        self.heard = heard


def hear(session: Session, text: str, as_: str | None) -> tuple[dict[str, Any], dict[str, Any]]:
    """The engine input for words said in one's own words, and what they were heard
    as, the way the terminal reads them; raises Unsure where the terminal would ask,
    and ValueError for words it cannot read."""
    from negtrainer.understand import bridge

    u = bridge.understand_in(session, text)
    if u.verdict == "rephrase":
        raise ValueError(f"{bridge.not_understood(u)}: say it another way")
    r = bridge.read_line(session, u)
    if (as_ == "offer" and not session.can_offer) or (as_ is None and r.kind == "closed"):
        raise ValueError(bridge.OFFERS_CLOSED)
    terms = bridge.offer_terms(session, u)
    if as_ == "own":
        return bridge.own_words_input(u), {"typed": u.text, "as": "own", "move": u.move}
    if as_ == "offer":
        if terms is None:
            raise ValueError(f"{u.text!r} does not say every term of an offer")
        return {"offer": terms, "typed": u.text}, {"typed": u.text, "as": "offer", "offer": terms}
    if as_ is not None:
        named = [c.id for c in u.candidates]
        if u.choice is not None and u.choice not in named:
            named.insert(0, u.choice)
        if as_ not in named:
            raise ValueError(
                f"{as_!r} is not what {u.text!r} could mean here"
                + (f" (it could mean {', '.join(named)})" if named else "")
            )
        return bridge.own_words_input(u, as_), {"typed": u.text, "as": "choice", "choice": as_}
    if r.kind == "offer" and r.terms is not None:
        raise Unsure(
            'heard as an offer: to put it on the table, send the same "say" with "as": "offer"',
            {"typed": u.text, "as": "offer", "offer": r.terms},
        )
    if r.kind == "offer":
        raise Unsure(
            f"heard as an offer that says nothing about {', '.join(u.missing)}: "
            "say those too, or send an offer",
            {
                "typed": u.text,
                "as": "offer",
                "offer": dict(u.offer or {}),
                "missing": list(u.missing),
            },
        )
    assert r.item is not None
    if r.kind == "unsure":
        raise Unsure(
            'not sure which choice that is: send the same "say" with "as": one of the '
            'candidates\' ids, or "own" to say it as a move of your own',
            {
                "typed": u.text,
                "as": "unsure",
                "candidates": [{"id": c.id, "text": c.text} for c in u.candidates],
                "move": u.move,
            },
        )
    if r.kind == "play":
        return r.item, {"typed": u.text, "as": "choice", "choice": r.item["choice"]}
    return r.item, {"typed": u.text, "as": "own", "move": u.move}


def run(
    session: Session,
    lines: Iterable[str],
    out: TextIO = sys.stdout,
    coach: bool = False,
    driver: Any = None,
) -> int:
    from negtrainer.terminal import BadInput, parse_input

    drive = driver or session

    def emit(obj: dict[str, Any]) -> None:
        line = json.dumps(obj, ensure_ascii=False)
        try:
            out.write(line + "\n")
        except UnicodeEncodeError:  # text the output cannot carry (a lone surrogate): escape it
            out.write(json.dumps(obj) + "\n")
        out.flush()

    emit(snapshot(session, coach))
    for raw in lines:
        if session.ended:
            break
        if not raw.strip():
            continue
        if len(raw) > MAX_LINE:
            emit(snapshot(session, coach, error="input line too long"))
            continue
        try:
            item = parse(raw)
            if item is not None and "words" in item:
                item = parse_input(item["words"], session)
                if item is not None and not ({"choice", "offer", "accept"} & set(item)):
                    raise ValueError(
                        "not a choice id, a number, an offer, accept or quit "
                        "(choices are listed in the last object)"
                    )
            if item is None:
                return 0
            heard = None
            if "say" in item:
                item, heard = hear(session, item["say"], item["as"])
            if isinstance(item.get("choice"), int) and not isinstance(item["choice"], bool):
                shown = session.choices
                n = item["choice"]
                if not 1 <= n <= len(shown):
                    raise BadInput(f"choose a number from 1 to {len(shown)}")
                item = {"choice": shown[n - 1].id}
            step = drive.apply(item)
        except Unsure as e:
            emit({**snapshot(session, coach, error=str(e)), "heard": e.heard})
            continue
        except (ValueError, BadInput, ChoiceUnavailable) as e:
            emit(snapshot(session, coach, error=str(e)))
            continue
        out_obj = snapshot(session, coach, step)
        if heard is not None:
            out_obj["heard"] = heard
        emit(out_obj)
    return 0
