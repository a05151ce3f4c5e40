"""``negtrainer sessions …``: plain functions the CLI calls, one per action.

Each writes to ``out`` and returns an exit code: 0 done, 1 a user error (with
a message saying what to do; never a traceback). Session ids may be given as
any unique prefix, as git does.
"""

from __future__ import annotations

import dataclasses
import json
from collections.abc import Callable, Sequence
from datetime import datetime
from pathlib import Path
from typing import Any, TextIO

from negtrainer.store import exchange
from negtrainer.store.errors import StoreError
from negtrainer.store.models import SessionInfo, StoredSession
from negtrainer.store.store import Store

OK, FAIL = 0, 1
LIST_LIMIT = 50


def _say(out: TextIO, text: str = "") -> None:
    out.write(text + "\n")


def _fail(out: TextIO, err: BaseException) -> int:
    msg = (
        str(err)
        if isinstance(err, StoreError)
        else f"A file could not be read or written: {getattr(err, 'strerror', None) or err}."
    )
    _say(out, f"negtrainer: {msg}")
    return FAIL


def _local(ts: str | None) -> str:
    if not ts:
        return ""
    try:
        return datetime.fromisoformat(ts).astimezone().strftime("%Y-%m-%d %H:%M")
    except ValueError:
        return ts


def _result(info: SessionInfo) -> str:
    if info.ending_kind:
        return f"{info.ending_kind} ({info.ending_id})"
    return "stopped" if info.finished else "unfinished"


def cmd_sessions_list(
    store: Store, learner: str | None, scenario: str | None, json_out: bool, out: TextIO
) -> int:
    try:
        total = store.count_sessions(learner, scenario)
        found = store.list_sessions(learner, scenario, limit=total if json_out else LIST_LIMIT)
    except StoreError as e:
        return _fail(out, e)
    if json_out:
        _say(
            out,
            json.dumps(
                {"total": total, "sessions": [dataclasses.asdict(i) for i in found]},
                ensure_ascii=False,
                indent=2,
            ),
        )
        return OK
    if not found:
        _say(
            out,
            "No sessions recorded yet."
            if learner is None and scenario is None
            else "No sessions match.",
        )
        return OK
    rows = [("ID", "STARTED", "LEARNER", "SCENARIO", "TURNS", "RESULT")]
    for i in found:
        branch = f" (branch of {i.parent_id[:8]})" if i.parent_id else ""
        rows.append(
            (
                i.id[:8],
                _local(i.started_at),
                i.learner or "-",
                i.scenario_id,
                str(i.turn_count),
                _result(i) + branch,
            )
        )
    widths = [max(len(r[k]) for r in rows) for k in range(5)]
    for r in rows:
        _say(out, "  ".join(c.ljust(w) for c, w in zip(r, widths)) + "  " + r[5])
    if total > len(found):
        _say(out, f"({len(found)} newest of {total} shown; --json lists them all)")
    return OK


def _state_line(state: dict[str, Any], record: dict[str, Any] | None) -> str:
    deltas = (record or {}).get("deltas") or {}
    parts = []
    for name, value in (state.get("vars") or {}).items():
        d = deltas.get(name)
        parts.append(f"{name} {value:g}" + (f" ({d:+g})" if d else ""))
    mood = (record or {}).get("mood")
    if mood:
        parts.append(f"mood {mood}")
    return "  ".join(parts)


def transcript(stored: StoredSession) -> str:
    """A session as text: what each side said, and the counterpart's state after each turn."""
    info, spec = stored.info, stored.scenario.spec
    them = spec.counterpart.name
    lines = [
        f"Session {info.id}",
        (
            f"Scenario: {info.scenario_title} ({info.scenario_id}, version "
            f"{info.scenario_version}); seed {info.seed}, variant {info.variant}"
        ),
        f"Learner: {info.learner or '-'}; started {_local(info.started_at)}",
    ]
    if info.parent_id:
        lines.append(f"Branched from {info.parent_id[:8]} at turn {info.parent_turn}")
    from negtrainer.engine import ENGINE_VERSION

    if info.engine_version < ENGINE_VERSION:
        lines.append(
            f"Recorded by an older engine (counterpart model {info.engine_version}); "
            "what was stored is shown as it was."
        )
    if info.ending_id and info.ending_id in spec.endings:
        lines.append(f"Result: {spec.endings[info.ending_id].title} ({info.ending_kind})")
    else:
        lines.append(f"Result: {_result(info)}")
    for t in stored.turns:
        head = "Turn 0 (opening)" if t.index == 0 else f"Turn {t.index} [{t.move}]"
        lines += ["", head + ("  (inherited)" if t.inherited else "")]
        if t.said:
            lines.append(f"  You: {t.said}")
        for ln in t.lines:
            who = "" if ln.get("source") == "ending" else f"{them}: "
            lines.append(f"  {who}{ln.get('text', '')}")
        rec = t.record or {}
        offer = rec.get("offer")
        if offer:
            verdict = (
                "accepted"
                if offer.get("accepted")
                else ("countered" if offer.get("counter") else "rejected")
            )
            lines.append(
                f"  offer {verdict}: value to you {offer.get('you')}, to them {offer.get('them')}"
            )
        lines.append(f"  state: {_state_line(t.state, t.record)}")
        for key, label in (("revealed", "revealed"), ("hinted", "hinted")):
            if rec.get(key):
                lines.append(f"  {label}: {', '.join(rec[key])}")
        for n in stored.notes_at(t.index):
            lines.append(f"  note: {n.text}")
    return "\n".join(lines)


def cmd_sessions_show(store: Store, session_id: str, json_out: bool, out: TextIO) -> int:
    try:
        stored = store.load(store.resolve_id(session_id))
    except StoreError as e:
        return _fail(out, e)
    if json_out:
        doc = exchange.session_doc(stored)
        doc["scenario_title"] = stored.info.scenario_title
        _say(out, json.dumps(doc, ensure_ascii=False, indent=2))
    else:
        _say(out, transcript(stored))
    return OK


def cmd_sessions_export(
    store: Store, ids: Sequence[str], path: str | Path, out: TextIO, force: bool = False
) -> int:
    try:
        full = [store.resolve_id(i) for i in ids]
        report = store.export(full, path, force=force)
    except (StoreError, OSError) as e:
        return _fail(out, e)
    _say(out, report.summary())
    return FAIL if report.unreadable else OK


def cmd_sessions_import(store: Store, paths: Sequence[str | Path], out: TextIO) -> int:
    code = OK
    for p in paths:
        try:
            report = store.import_file(p)
        except StoreError as e:
            code = _fail(out, e)
            continue
        _say(out, report.summary() + ".")
    return code


def cmd_sessions_delete(
    store: Store, session_id: str, yes: bool, input_fn: Callable[[str], str], out: TextIO
) -> int:
    try:
        info = store.get(store.resolve_id(session_id))
    except StoreError as e:
        return _fail(out, e)
    what = (
        f"session {info.id[:8]} ({info.scenario_id}, {info.learner or 'no learner'}, "
        f"{info.turn_count} turns, started {_local(info.started_at)})"
    )
    if not yes:
        try:
            answer = input_fn(f"Delete {what}? This cannot be undone. [y/N] ")
        except EOFError:
            answer = ""
        if answer.strip().lower() not in ("y", "yes"):
            _say(out, "Nothing deleted.")
            return FAIL
    try:
        store.delete(info.id)
    except StoreError as e:
        return _fail(out, e)
    _say(out, f"Deleted {what}.")
    return OK


def cmd_sessions_restore(store_path: str | Path, backup: str | Path | None, out: TextIO) -> int:
    """Restore a backup (a path, a name from the list, or "latest"); without one, list them."""
    from negtrainer.store import backups

    db = Path(store_path).expanduser()
    if backup is None:
        found = backups.listing(db)
        if not found:
            _say(out, f"There are no backups of {db} yet.")
            return OK
        _say(out, f"Backups of {db}, newest first:")
        for b in found:
            _say(out, f"  {b.path.name}  {b.created:%Y-%m-%d %H:%M}  {b.size // 1024} KiB")
        _say(out, "Restore one with: negtrainer sessions restore NAME (or 'latest').")
        return OK
    try:
        previous = Store.restore_file(db, backup)
    except (StoreError, OSError) as e:
        return _fail(out, e)
    _say(out, f"Restored {Path(backup).name} into {db}.")
    if previous is not None:
        _say(out, f"The database as it was before is kept at {previous}.")
    return OK


def cmd_sessions_backup(store: Store, out: TextIO) -> int:
    try:
        path = store.backup()
    except StoreError as e:
        return _fail(out, e)
    _say(out, f"Backup written: {path}")
    return OK


def cmd_learners(
    store: Store,
    action: str | None,
    which: str | None,
    new_name: str | None,
    yes: bool,
    input_fn: Callable[[str], str],
    out: TextIO,
) -> int:
    """List the learners; rename one; or remove one (their sessions are kept)."""
    try:
        if action in (None, "list"):
            found = store.learners()
            if not found:
                _say(out, "No learners yet.")
            for learner in found:
                _say(out, f"  #{learner.id:<4} {learner.name}")
            return OK
        if not which:
            _say(out, "negtrainer: name the learner (or give #ID from 'negtrainer learners').")
            return FAIL
        if action == "rename":
            if not new_name:
                _say(out, "negtrainer: give the new name too.")
                return FAIL
            old = store.find_learner(which)
            learner = store.rename_learner(which, new_name)
            _say(out, f"Renamed learner #{learner.id} from {old.name} to {learner.name}.")
            return OK
        learner = store.find_learner(which)
        if not yes:
            try:
                answer = input_fn(
                    f"Remove learner #{learner.id} {learner.name}? Their sessions "
                    "are kept, with no learner. [y/N] "
                )
            except EOFError:
                answer = ""
            if answer.strip().lower() not in ("y", "yes"):
                _say(out, "Nothing removed.")
                return FAIL
        learner, n = store.remove_learner(which)
        _say(
            out,
            f"Removed learner #{learner.id} {learner.name}; {n} session(s) kept without a learner.",
        )
        return OK
    except StoreError as e:
        return _fail(out, e)
