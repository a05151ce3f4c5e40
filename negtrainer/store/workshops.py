"""Workshops in the database: the SQL only (the rules live in negtrainer.workshop).

A workshop is kept as one JSON document; sessions played for it are tagged
with the exercise and participant; results files already collected are
remembered by their SHA-256, so collecting one twice changes nothing.
"""

from __future__ import annotations

import json
from collections.abc import Sequence
from dataclasses import dataclass
from typing import TYPE_CHECKING, Any

from negtrainer.store import exchange, rows
from negtrainer.store.errors import StoreError
from negtrainer.store.models import ImportReport

if TYPE_CHECKING:
    from negtrainer.store.store import Store


@dataclass(frozen=True)
class WorkshopRow:
    id: str
    name: str
    doc: dict[str, Any]
    created_at: str
    updated_at: str


@dataclass(frozen=True)
class TaggedSession:
    session_id: str
    exercise_id: str
    participant: str
    status: str
    updated_at: str
    summary: dict[str, Any] | None  # None when missing or older than the session


@dataclass(frozen=True)
class Tag:
    session_id: str
    exercise_id: str
    participant: str


def _row(r: Sequence[Any]) -> WorkshopRow:
    return WorkshopRow(r[0], r[1], json.loads(r[2]), r[3], r[4])


def save(
    store: Store, workshop_id: str, name: str, doc: dict[str, Any], scenarios: Sequence[Any] = ()
) -> None:
    """Insert or replace a workshop, with the scenario snapshots its exercises use."""
    at = rows.now()
    with store._write("save the workshop") as c:
        for sc in scenarios:
            store._put_scenario(c, sc)
        c.execute(
            "INSERT INTO workshops (id, name, doc, created_at, updated_at) VALUES (?, ?, ?, ?, ?) "
            "ON CONFLICT(id) DO UPDATE SET name = excluded.name, doc = excluded.doc, "
            "updated_at = excluded.updated_at",
            (workshop_id, name, rows.dumps(doc), at, at),
        )


def listing(store: Store) -> list[WorkshopRow]:
    with store._read("list the workshops") as c:
        return [
            _row(r)
            for r in c.execute(
                "SELECT id, name, doc, created_at, updated_at FROM workshops "
                "ORDER BY created_at DESC, id"
            )
        ]


def get(store: Store, workshop_id: str) -> WorkshopRow | None:
    with store._read("read the workshop") as c:
        r = c.execute(
            "SELECT id, name, doc, created_at, updated_at FROM workshops WHERE id = ?",
            (workshop_id,),
        ).fetchone()
    return None if r is None else _row(r)


def delete(store: Store, workshop_id: str) -> None:
    """Forget the workshop; its sessions stay in the database as ordinary sessions."""
    with store._write("delete the workshop") as c:
        c.execute("DELETE FROM workshop_sessions WHERE workshop_id = ?", (workshop_id,))
        c.execute("DELETE FROM workshop_files WHERE workshop_id = ?", (workshop_id,))
        c.execute("DELETE FROM workshops WHERE id = ?", (workshop_id,))


def tag(store: Store, workshop_id: str, tag: Tag) -> None:
    with store._write("tag the session for the workshop") as c:
        _tag(c, workshop_id, tag)


def _tag(c: Any, workshop_id: str, t: Tag) -> bool:
    cur = c.execute(
        "INSERT OR IGNORE INTO workshop_sessions (session_id, workshop_id, exercise_id, "
        "participant) VALUES (?, ?, ?, ?)",
        (t.session_id, workshop_id, t.exercise_id, t.participant),
    )
    return cur.rowcount > 0


def sessions(
    store: Store, workshop_id: str, exercise_id: str | None = None, finished_only: bool = False
) -> list[TaggedSession]:
    sql = (
        "SELECT w.session_id, w.exercise_id, w.participant, s.status, s.updated_at, "
        "w.summary, w.summary_of FROM workshop_sessions w JOIN sessions s "
        "ON s.id = w.session_id WHERE w.workshop_id = ?"
    )
    args: list[Any] = [workshop_id]
    if exercise_id is not None:
        sql += " AND w.exercise_id = ?"
        args.append(exercise_id)
    if finished_only:
        sql += " AND s.status = 'finished'"
    sql += " ORDER BY s.started_at, s.id"
    from pydantic_core import from_json  # reads a room's summaries in a third less time

    with store._read("read the workshop's sessions") as c:
        found = c.execute(sql, args).fetchall()
    # Sessions that played alike have one summary text: it is read once, and they share
    # the data (which nobody changes). A room collected from repeated plays had 34
    # texts among 3,000 sessions; a room of all-different plays reads each once, as before.
    read: dict[str, Any] = {}
    out = []
    for r in found:
        summary = None
        if r[5] is not None and r[6] == r[4]:
            summary = read.get(r[5])
            if summary is None:
                summary = read[r[5]] = from_json(r[5])
        out.append(TaggedSession(r[0], r[1], r[2], r[3], r[4], summary))
    return out


def save_summaries(store: Store, summaries: dict[str, tuple[str, dict[str, Any]]]) -> None:
    """``{session_id: (updated_at it describes, summary)}``."""
    if not summaries:
        return
    with store._write("save the workshop summaries") as c:
        c.executemany(
            "UPDATE workshop_sessions SET summary = ?, summary_of = ? WHERE session_id = ?",
            [(rows.dumps(s), at, sid) for sid, (at, s) in summaries.items()],
        )


def collected(store: Store, workshop_id: str, sha256: str) -> str | None:
    """When this file was collected for the workshop, if it was."""
    with store._read() as c:
        r = c.execute(
            "SELECT collected_at FROM workshop_files WHERE workshop_id = ? AND sha256 = ?",
            (workshop_id, sha256),
        ).fetchone()
    return None if r is None else r[0]


def write_collected(
    store: Store,
    workshop_id: str,
    sha256: str,
    name: str,
    ready: Sequence[exchange.Checked],
    tags: Sequence[Tag],
    summaries: dict[str, dict[str, Any] | str],
    report: ImportReport,
) -> None:
    """One results file in one transaction (a savepoint within ``Store.batch``): sessions,
    tags, summaries (as data, or as ``rows.Encoded`` JSON text), the file's mark."""
    with store._write("collect the results file") as c:
        if c.execute("SELECT 1 FROM workshops WHERE id = ?", (workshop_id,)).fetchone() is None:
            raise StoreError("The workshop is not in this database; join or create it first.")
        exchange.write_checked(store, c, ready, report)
        stamp = {item.meta["id"]: item.meta["updated_at"] for item in ready}
        # Each tag with its summary in one row write; a session tagged before keeps its
        # tag, and its summary if it has one.
        c.executemany(
            "INSERT INTO workshop_sessions (session_id, workshop_id, exercise_id, "
            "participant, summary, summary_of) VALUES (?, ?, ?, ?, ?, ?) "
            "ON CONFLICT(session_id) DO UPDATE SET summary = excluded.summary, "
            "summary_of = excluded.summary_of "
            "WHERE summary IS NULL AND excluded.summary IS NOT NULL",
            [_tag_row(workshop_id, t, summaries, stamp) for t in tags],
        )
        c.execute(
            "INSERT OR IGNORE INTO workshop_files (workshop_id, sha256, name, "
            "collected_at, sessions) VALUES (?, ?, ?, ?, ?)",
            (workshop_id, sha256, name[:200], rows.now(), len(ready)),
        )


def _tag_row(
    workshop_id: str, t: Tag, summaries: dict[str, Any], stamp: dict[str, str]
) -> tuple[Any, ...]:
    s = summaries.get(t.session_id)
    if s is None or t.session_id not in stamp:
        return (t.session_id, workshop_id, t.exercise_id, t.participant, None, None)
    return (
        t.session_id,
        workshop_id,
        t.exercise_id,
        t.participant,
        rows.dumps(s),
        stamp[t.session_id],
    )


# -- expert paths, kept for collecting ------------------------------------------------------


def expert_paths(
    store: Store, keys: Sequence[tuple[str, str]], engine_version: int
) -> dict[tuple[str, str], dict[str, Any] | None]:
    """The expert paths kept for ``(content_hash, variant)`` keys by this engine version:
    the path, or None where the search found none; keys never searched are left out (as
    is a damaged row: it is searched again)."""
    out: dict[tuple[str, str], dict[str, Any] | None] = {}
    with store._read("read the expert paths") as c:
        for h, variant in keys:
            r = c.execute(
                "SELECT path FROM expert_paths WHERE content_hash = ? AND variant = ? "
                "AND engine_version = ?",
                (h, variant, engine_version),
            ).fetchone()
            if r is None:
                continue
            try:
                path = json.loads(r[0]) if r[0] is not None else None
            except ValueError:
                continue
            # A path of another shape (a damaged row) is searched again, never used.
            if path is None or (
                isinstance(path, dict)
                and path.get("variant") == variant
                and isinstance(path.get("inputs"), list)
                and all(isinstance(i, dict) for i in path["inputs"])
            ):
                out[(h, variant)] = path
    return out


def save_expert_paths(
    store: Store,
    found: dict[tuple[str, str], dict[str, Any] | None],
    engine_version: int,
) -> None:
    if not found:
        return
    at = rows.now()
    with store._write("keep the expert paths") as c:
        c.executemany(
            "INSERT OR REPLACE INTO expert_paths (content_hash, variant, engine_version, "
            "path, searched_at) VALUES (?, ?, ?, ?, ?)",
            [
                (h, v, engine_version, None if p is None else rows.dumps(p), at)
                for (h, v), p in found.items()
            ],
        )
