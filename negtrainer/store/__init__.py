"""The session store: the only code that touches SQLite (see docs/store.md)."""

from negtrainer.store.errors import (
    AmbiguousId,
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
from negtrainer.store.recorder import Recorder
from negtrainer.store.store import Store

__all__ = [
    "AmbiguousId",
    "Backup",
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
