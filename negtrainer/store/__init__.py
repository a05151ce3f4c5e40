"""The session store: the only code that touches SQLite (see docs/store.md)."""

from typing import TYPE_CHECKING, Any

from negtrainer.store.errors import (
    AmbiguousId,
    BatchLost,
    DamagedDatabase,
    ImportFileError,
    NewerDatabase,
    SessionNotFound,
    StoreError,
)
from negtrainer.store.location import default_db_path
from negtrainer.store.models import (
    Backup,
    ImportReport,
    Learner,
    Note,
    SessionInfo,
    StoredSession,
    StoredTurn,
)

if TYPE_CHECKING:
    from negtrainer.store.recorder import Recorder
    from negtrainer.store.store import Store


def __getattr__(name: str) -> Any:
    # Store and Recorder bring in SQLite's helpers (sqlite-utils): imported when first
    # asked for, not by everything that only reads files (workers checking results).
    where = {"Store": "negtrainer.store.store", "Recorder": "negtrainer.store.recorder"}
    if name not in where:
        raise AttributeError(f"module {__name__!r} has no attribute {name!r}")
    import importlib

    found = getattr(importlib.import_module(where[name]), name)
    globals()[name] = found
    return found


__all__ = [
    "AmbiguousId",
    "Backup",
    "BatchLost",
    "DamagedDatabase",
    "ImportFileError",
    "ImportReport",
    "Learner",
    "NewerDatabase",
    "Note",
    "Recorder",
    "SessionInfo",
    "SessionNotFound",
    "Store",
    "StoreError",
    "StoredSession",
    "StoredTurn",
    "default_db_path",
]
