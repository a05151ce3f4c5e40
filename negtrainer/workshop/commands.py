"""``negtrainer workshop …``: one plain function per action, as the CLI calls them.

Each writes to ``out`` and returns an exit code: 0 done, 1 something a user
can fix (the message says what), 2 a workshop, exercise or participant that is
not there, or a deletion not confirmed; never a traceback.
"""

from __future__ import annotations

import re
from collections.abc import Callable, Iterable
from pathlib import Path
from typing import Any, TextIO

from negtrainer.store import ImportFileError, StoreError
from negtrainer.store import workshops as ws
from negtrainer.workshop import files, service
from negtrainer.workshop.model import NotFound, Workshop, WorkshopError

OK, FAIL, BAD_INPUT = 0, 1, 2
_CONTROL = re.compile(r"[\x00-\x08\x0b-\x1f\x7f\x80-\x9f]")


def clean(text: Any) -> str:
    """Text from files and databases, safe to print to a terminal."""
    return _CONTROL.sub("", str(text))


def _say(out: TextIO, text: str = "") -> None:
    out.write(clean(text) + "\n")


def guarded(fn: Callable[..., int]) -> Callable[..., int]:
    """User-caused failures end as one message and exit status 1."""

    def run(*args: Any, out: TextIO, **kw: Any) -> int:
        try:
            return fn(*args, out=out, **kw)
        except NotFound as e:
            _say(out, f"negtrainer workshop: {e}")
            return BAD_INPUT
        except (WorkshopError, StoreError, ImportFileError) as e:
            _say(out, f"negtrainer workshop: {e}")
            return FAIL
        except OSError as e:
            _say(
                out, f"negtrainer workshop: a file could not be read or written: {e.strerror or e}."
            )
            return FAIL

    return run


@guarded
def new(store: Any, name: str, participants: Iterable[str], *, out: TextIO) -> int:
    w = service.create(store, name, _names(participants))
    _say(
        out,
        f"workshop {w.name!r} created ({w.id[:8]}), {len(w.participants)} "
        "participant(s). Add an exercise: negtrainer workshop add-exercise "
        f"{_quote(w.name)} SCENARIO",
    )
    return OK


def _names(values: Iterable[str]) -> list[str]:
    out: list[str] = []
    for v in values:
        out.extend(n.strip() for n in v.split(",") if n.strip())
    return out


def _quote(name: str) -> str:
    return f'"{name}"' if " " in name else name


@guarded
def add_participant(
    store: Any, ref: str, names: Iterable[str], team: str | None, *, out: TextIO
) -> int:
    w = service.find(store, ref)
    given = _names(names)
    if not given:
        _say(out, "negtrainer workshop: no participant's name given; nothing changed.")
        return BAD_INPUT
    for n in given:
        w = w.with_participant(n, team=team)
    service.save(store, w)
    _say(out, f"{w.name}: {len(w.participants)} participant(s)")
    return OK


@guarded
def rename(store: Any, ref: str, name: str, *, out: TextIO) -> int:
    w = service.find(store, ref)
    new = service.rename(store, w, name)
    if new.name == w.name:
        _say(out, f"The workshop is already called {w.name!r}; nothing changed.")
        return OK
    _say(
        out,
        f"renamed {w.name!r} to {new.name!r}. Laptops that joined it keep the old name "
        "until they join its file again; their results are still collected into it.",
    )
    return OK


@guarded
def delete(
    store: Any, ref: str, yes: bool, *, out: TextIO, ask: Callable[[str], bool] | None = None
) -> int:
    """``ask`` puts the question to a person at a terminal; without it, --yes is needed."""
    w = service.find(store, ref)
    n = len(ws.sessions(store, w.id))
    what = (
        f"Delete workshop {w.name!r}? Its {n} session(s) stay in the database as "
        "ordinary sessions, no longer part of a workshop."
    )
    if not yes:
        if ask is None:
            _say(out, f"negtrainer workshop: {what} Nothing was deleted: add --yes to confirm.")
            return BAD_INPUT
        if not ask(clean(what) + " [y/N] "):
            _say(out, "Nothing was deleted.")
            return OK
    service.delete(store, w)
    _say(
        out,
        f"deleted workshop {w.name!r}; its {n} session(s) are still in the database "
        "(negtrainer sessions list).",
    )
    return OK


@guarded
def remove_participant(store: Any, ref: str, name: str, *, out: TextIO) -> int:
    w = service.find(store, ref)
    w, who, played = service.remove_participant(store, w, name)
    kept = (
        f" The {played} session(s) they played stay in the workshop's results under their name."
        if played
        else ""
    )
    _say(out, f"{w.name}: removed {who}; {len(w.participants)} participant(s) left.{kept}")
    return OK


@guarded
def add_exercise(
    store: Any,
    ref: str,
    scenario: str,
    variant: str,
    minutes: int | None,
    questions: list[str] | None,
    *,
    out: TextIO,
) -> int:
    w = service.find(store, ref)
    sc = service.load_scenario(scenario)
    w = service.add_exercise(
        store, w, sc, variant=variant, minutes=minutes, questions=questions or None
    )
    ex = w.exercises[-1]
    _say(
        out,
        f"{w.name}: exercise {ex.id} is {sc.title} ({_variant(ex)}, {ex.minutes} min, "
        f"{len(ex.questions)} debrief question(s))",
    )
    return OK


def _variant(ex: Any) -> str:
    return (
        f"everyone meets the {ex.variant} counterpart"
        if ex.fixed
        else "counterpart drawn per participant"
    )


@guarded
def listing(store: Any, *, out: TextIO) -> int:
    every = service.all_workshops(store)
    if not every:
        _say(
            out, "No workshops yet. Create one: negtrainer workshop new NAME --participant Ana,Ben"
        )
    for w in every:
        _say(
            out,
            f"{w.id[:8]}  {w.name:<30} {len(w.exercises)} exercise(s), "
            f"{len(w.participants)} participant(s)",
        )
    return OK


@guarded
def show(store: Any, ref: str, anonymous: bool, *, out: TextIO) -> int:
    w = service.find(store, ref)
    _say(out, f"{w.name}  ({w.id})")
    _say(
        out,
        "Participants: "
        + (
            ", ".join(
                (p.pseudonym if anonymous else p.name) + (f" [{p.team}]" if p.team else "")
                for p in w.participants
            )
            or "none yet"
        ),
    )
    views = {v.exercise.id: v for v in service.views(store, w, anonymous)}
    for ex in w.exercises:
        v = views[ex.id]
        _say(out, f"\n{ex.id}: {ex.title} — {_variant(ex)}, {ex.minutes} min")
        for q in ex.questions:
            _say(out, f"   ? {q}")
        _say(
            out,
            f"   {len(v.played)} finished session(s): "
            + (", ".join(f"{o} {n}" for o, n in v.outcomes) or "none yet"),
        )
        for p in v.played:
            trust = p.summary.get("trust") or [0]
            _say(
                out,
                f"   {p.participant:<20} {p.summary.get('outcome', ''):<11} trust "
                f"{trust[0]:.0f} → {trust[-1]:.0f}",
            )
    return OK


@guarded
def export(store: Any, ref: str, output: str, anonymous: bool, *, out: TextIO) -> int:
    w = service.find(store, ref)
    path = files.export_workshop(store, w, Path(output), anonymous)
    _say(out, f"wrote {path}: give it to each laptop (negtrainer workshop join {path.name})")
    return OK


@guarded
def join(store: Any, path: str, *, out: TextIO) -> int:
    w = files.join(store, Path(path))
    _say(
        out,
        f"joined {w.name!r}: {len(w.exercises)} exercise(s). Play one: negtrainer "
        f"workshop play {_quote(w.name)} {w.exercises[0].id if w.exercises else 'e1'} "
        "--participant NAME",
    )
    return OK


@guarded
def results(store: Any, ref: str, output: str, anonymous: bool, *, out: TextIO) -> int:
    w = service.find(store, ref)
    n = files.export_results(store, w, Path(output), anonymous)
    _say(out, f"wrote {output}: {n} session(s). Hand it to the facilitator.")
    return OK


@guarded
def collect(store: Any, ref: str, paths: list[str], *, out: TextIO) -> int:
    w = service.find(store, ref)
    found = files.collect(store, w, [Path(p) for p in paths])
    for c in found:
        _say(out, c.line())
    taken = sum(len(c.added) for c in found)
    refused = sum(c.status == "refused" for c in found)
    _say(
        out,
        f"{taken} new session(s) from {len(found)} file(s)"
        + (f"; {refused} file(s) refused" if refused else ""),
    )
    return FAIL if refused else OK


def start_play(store: Any, ref: str, exercise: str, participant: str) -> service.Started:
    w = service.find(store, ref)
    return service.start(store, w, exercise, participant)


@guarded
def xapi(store: Any, ref: str, output: str, anonymous: bool, *, out: TextIO) -> int:
    from negtrainer.workshop import xapi as x

    w = service.find(store, ref)
    n = x.export(store, w, Path(output), anonymous)
    _say(
        out,
        f"wrote {output}: {n} xAPI statement(s). See docs/xapi.md to send them to your "
        "learning record store.",
    )
    return OK


def find(store: Any, ref: str) -> Workshop:
    return service.find(store, ref)
