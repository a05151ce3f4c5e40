"""Rescue files: a session that could not be stored, written where it can be found.

When the database cannot be opened or written (a read-only folder, a full disk,
a path that is a folder), the session is written as a sessions file that
``negtrainer sessions import`` reads back, in the current folder or else the
user's documents folder (then home, then the temporary folder).
"""

from __future__ import annotations

import os
import tempfile
from pathlib import Path

from negtrainer.engine.session import Session
from negtrainer.store import exchange
from negtrainer.store.errors import StoreError


def folders(here: bool = True) -> list[Path]:
    """Where to try, in order: the current folder (``here``: a terminal's), Documents,
    home, the temporary folder."""
    home = Path.home()
    out = [Path.cwd()] if here else []
    for name in ("Documents", "documents"):
        if (home / name).is_dir():
            out.append(home / name)
    return [*out, home, Path(tempfile.gettempdir())]


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
        if not os.access(folder, os.W_OK):
            problems.append(f"{folder}: not writable")
            continue
        try:
            exchange.write_doc(full, folder / name)
            return folder / name
        except StoreError as e:
            problems.append(str(e))
    raise StoreError("Could not write the session to any folder: " + "; ".join(problems[:4]))
