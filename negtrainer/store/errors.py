"""Errors a user can cause or meet, each with a message that says what to do.

Every message is written for the person at the keyboard: what happened, and
what they can do about it. Front-ends print ``str(error)``; no traceback.
"""

from __future__ import annotations

import errno
import shutil
import sqlite3
from pathlib import Path

# Below this much free space, a write that fails with a bare I/O error failed
# because the disk is full (SQLite reports ENOSPC on the WAL as SQLITE_IOERR).
LOW_SPACE = 1024 * 1024


class StoreError(Exception):
    """Something went wrong with the session database; ``str(e)`` says what to do."""

    @property
    def message(self) -> str:
        return str(self)


class DamagedDatabase(StoreError):
    """The database file is not a readable negtrainer database. It is never deleted."""

    def __init__(self, path: Path | str, reason: str):
        self.path = Path(path)
        self.reason = reason
        super().__init__(
            f"The session database {self.path} cannot be used: {reason}. Nothing has been "
            "deleted. Restore a backup (negtrainer sessions restore), or start a fresh "
            "database: the damaged file is then kept beside it as "
            f"{self.path.name}.damaged-<date>."
        )


class SessionNotFound(StoreError):
    """No session has this id (or no session's id starts with this prefix)."""


class AmbiguousId(StoreError):
    """More than one session's id starts with this prefix."""


class ImportFileError(StoreError):
    """A sessions file cannot be imported; nothing was written."""


class BatchLost(StoreError):
    """A batch's transaction was undone whole (a full disk, a commit that failed):
    nothing written in it since its last commit is kept; what was stored before is."""


class NewerDatabase(StoreError):
    """The database was upgraded by a newer negtrainer than this one."""


def disk_full(err: OSError | None = None, path: Path | str | None = None) -> bool:
    """Whether an error means the disk is full: by its errno, or (for SQLite's
    generic I/O errors, which carry none) by the space left where ``path`` is."""
    if err is not None and getattr(err, "errno", None) in (errno.ENOSPC, errno.EDQUOT):
        return True
    if path is None:
        return False
    folder = Path(path).parent
    try:
        return shutil.disk_usage(folder).free < LOW_SPACE
    except OSError:
        return False


# (error names, words in the message, why) in the order they are tried; the
# disk-full case comes first in from_sqlite as it also looks at the disk.
_SQLITE_REASONS: tuple[tuple[tuple[str, ...], str, str], ...] = (
    (
        ("SQLITE_READONLY",),
        "readonly",
        (
            "the session database{where} is read-only. Check that you may write to the "
            "folder, or choose another place with --db or NEGTRAINER_DB"
        ),
    ),
    (
        ("SQLITE_BUSY", "SQLITE_LOCKED"),
        "locked",
        (
            "the session database{where} is busy in another program that has not let go "
            "of it. Close other copies of negtrainer and try again"
        ),
    ),
    (
        ("SQLITE_CANTOPEN",),
        "unable to open",
        (
            "the session database{where} cannot be opened or created. Check that the "
            "folder exists and that you may write to it, or choose another place with "
            "--db or NEGTRAINER_DB"
        ),
    ),
    (
        ("SQLITE_CORRUPT", "SQLITE_NOTADB"),
        "malformed",
        (
            "the session database{where} is damaged. Restore a backup with "
            "'negtrainer sessions restore', or export what you can and start a fresh one"
        ),
    ),
    (
        ("SQLITE_IOERR",),
        "I/O error",
        (
            "the disk reported an error while using the session database{where}. "
            "Check the disk or USB stick, then try again"
        ),
    ),
)


def from_sqlite(err: sqlite3.Error, doing: str, path: Path | str | None) -> StoreError:
    """Translate an SQLite failure into a StoreError a user can act on.

    ``doing`` is a phrase such as "save this turn"; it completes
    "Could not <doing>".
    """
    name = getattr(err, "sqlite_errorname", "") or ""
    text = str(err)
    where = f" ({path})" if path else ""
    io_error = name.startswith("SQLITE_IOERR") or "I/O error" in text
    if (
        name.startswith("SQLITE_FULL")
        or "disk is full" in text
        or (io_error and disk_full(None, path))
    ):
        why = (
            f"the disk holding the session database{where} is full. Free some space; "
            "the session continues and can be saved or exported once there is room"
        )
    else:
        why = next(
            (
                reason.format(where=where)
                for names, words, reason in _SQLITE_REASONS
                if name.startswith(names) or words in text
            ),
            f"the session database{where} reported: {text}",
        )
    out = StoreError(f"Could not {doing}: {why}.")
    out.__cause__ = err
    return out
