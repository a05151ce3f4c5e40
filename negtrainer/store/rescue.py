"""Rescue files: a session that could not be stored, written where it can be found.

When the database cannot be opened or written (a read-only folder, a full disk,
a path that is a folder), the session is written as a sessions file that
``negtrainer sessions import`` reads back: from a terminal beside the database, else
in the user's data folder, else in the current folder; else (and from a window) in the
user's documents folder, then home, then the temporary folder.
"""

from __future__ import annotations

import os
import tempfile
from pathlib import Path

from negtrainer.engine.session import Session
from negtrainer.store import exchange, private
from negtrainer.store.errors import StoreError
from negtrainer.store.location import data_dir, default_db_path


def folders(here: bool = True) -> list[Path]:
    """Where to try, in order: from a terminal (``here``) the database's folder, the data
    folder and the current folder; then Documents, home, the temporary folder."""
    home = Path.home()
    out = [default_db_path().parent, data_dir(), Path.cwd()] if here else []
    for name in ("Documents", "documents"):
        if (home / name).is_dir():
            out.append(home / name)
    return list(dict.fromkeys([*out, home, Path(tempfile.gettempdir())]))


def write(
    session: Session,
    session_id: str,
    learner: str | None,
    started_at: str,
    times: dict[int, str] | None = None,
    here: bool = True,
) -> Path:
    """Write the session to the first folder that takes it; return the file's path."""
    doc = exchange.live_session_doc(session, session_id, learner, started_at, times or {})
    full = exchange.file_doc([doc], {session.scenario.content_hash: session.scenario})
    name = f"negtrainer-unsaved-{session_id[:8]}.json"
    problems = []
    for folder in folders(here):
        if folder == data_dir() and not folder.exists():
            try:
                private.make_dir(folder)  # the documented place: made as for the database
            except OSError as e:
                problems.append(f"{folder}: {e.strerror or e}")
                continue
        if not folder.is_dir():
            continue  # a folder named with --db that does not exist is not made here
        if not os.access(folder, os.W_OK):
            problems.append(f"{folder}: not writable")
            continue
        try:
            exchange.write_doc(full, folder / name)
            return folder / name
        except StoreError as e:
            problems.append(str(e))
    raise StoreError("Could not write the session to any folder: " + "; ".join(problems[:4]))
