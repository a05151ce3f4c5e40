"""Reading a user's file with a bound that holds whatever the path turns out to be.

A size from ``stat`` says nothing about /dev/zero, a FIFO or a symlink to either: reading
those never ends. So only a regular file (after symlinks) is read, opened without blocking
(a FIFO swapped in after the check cannot hang the open), and at most ``limit + 1`` bytes
are read whatever ``stat`` said.
"""

from __future__ import annotations

import os
import stat
from pathlib import Path


class NotAFile(OSError):
    """The path is not a regular file (a device, a FIFO, a folder...)."""


class TooBig(OSError):
    """The file holds more than the limit."""


def read_regular(path: str | Path, limit: int) -> bytes:
    """The file's bytes; NotAFile, TooBig or another OSError otherwise."""
    if not stat.S_ISREG(os.stat(path).st_mode):
        raise NotAFile(f"{path} is not a regular file")
    fd = os.open(path, os.O_RDONLY | getattr(os, "O_NONBLOCK", 0))
    with os.fdopen(fd, "rb") as f:
        if not stat.S_ISREG(os.fstat(f.fileno()).st_mode):  # swapped after the check
            raise NotAFile(f"{path} is not a regular file")
        raw = f.read(limit + 1)
    if len(raw) > limit:
        raise TooBig(f"{path} is larger than {limit} bytes")
    return raw
