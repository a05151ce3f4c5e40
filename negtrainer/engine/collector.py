"""Python's cycle collector run less often while heavy work runs.

A search or a room being collected makes and drops many small containers that never
form cycles; at the default thresholds the collector's passes over them were a sixth
of the work and found nothing to free. Inside ``fewer_collections`` the thresholds are
at least those asked for; when the last holder leaves (in any thread) the process's
own thresholds come back.
"""

from __future__ import annotations

import gc
import threading
from collections.abc import Iterator
from contextlib import contextmanager

_lock = threading.Lock()
_depth = 0
_saved: tuple[int, ...] = ()


@contextmanager
def fewer_collections(*at_least: int) -> Iterator[None]:
    """While inside, each generation's threshold is at least ``at_least`` (nested and
    concurrent holders only raise it; the outermost puts it back)."""
    global _depth, _saved
    with _lock:
        now = gc.get_threshold()
        if _depth == 0:
            _saved = now
        gc.set_threshold(*(max(a, b) for a, b in zip(now, at_least)), *now[len(at_least) :])
        _depth += 1
    try:
        yield
    finally:
        with _lock:
            _depth -= 1
            if _depth == 0:
                gc.set_threshold(*_saved)
