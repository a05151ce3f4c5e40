"""Files that hold names, notes and confidential briefs: readable by their owner only.

The database, its backups, exports and rescue files are created 0600 and the
folders made for them 0700, whatever the umask. Existing files and folders are
left as their owner set them (a shared workshop folder stays shared).
"""

from __future__ import annotations

import os
from pathlib import Path

FILE_MODE = 0o600
DIR_MODE = 0o700


def make_dir(folder: Path) -> None:
    """Create ``folder`` (and missing parents) for the owner only; an existing one is kept."""
    missing = []
    p = folder
    while not p.exists() and p != p.parent:
        missing.append(p)
        p = p.parent
    for d in reversed(missing):
        try:
            d.mkdir(mode=DIR_MODE)
        except FileExistsError:
            pass
    folder.mkdir(parents=True, exist_ok=True)  # a file in the way fails here, as it should


def touch(path: Path) -> None:
    """Create an empty file for the owner only, unless it exists."""
    try:
        fd = os.open(path, os.O_WRONLY | os.O_CREAT | os.O_EXCL, FILE_MODE)
    except FileExistsError:
        return
    os.close(fd)


def open_new(path: Path) -> int:
    """A file descriptor to write ``path`` afresh (truncated), created owner-only."""
    fd = os.open(path, os.O_WRONLY | os.O_CREAT | os.O_TRUNC, FILE_MODE)
    try:
        os.fchmod(fd, FILE_MODE)  # a leftover file of the same name keeps no wider mode
    except (AttributeError, OSError):
        pass
    return fd
