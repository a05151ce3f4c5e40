"""Many write transactions as savepoints of one (``Store.batch``).

Collecting a room writes a hundred files: a transaction each wrote the same
index and table pages again and again (a 70 MB write-ahead log for 21 MB of
data, all copied at the checkpoint). As savepoints of one transaction, each file
is still taken whole or not at all, and each page is written to the log once.
"""

from __future__ import annotations

import logging
import sqlite3
import time
from collections.abc import Iterator
from contextlib import contextmanager
from typing import TYPE_CHECKING

from negtrainer.store.errors import BatchLost, StoreError, from_sqlite

if TYPE_CHECKING:
    from negtrainer.store.store import Store

log = logging.getLogger(__name__)

_PART = "batch_part"


class Batch:
    """The open batch of a store; made by ``Store.batch``, used under the store's lock."""

    def __init__(self, store: Store, doing: str, log_pages: int, commit_seconds: float):
        self.store = store
        self.doing = doing
        self.commit_seconds = commit_seconds
        self.commits = 0
        self.parts = 0  # writes since the last commit
        self.lost: BatchLost | None = None
        self.open = False  # in its transaction (between a commit and the next write: not)
        self._log_pages = log_pages
        self._pages: int | None = None  # the autocheckpoint to put back (WAL only)
        self._temp: int | None = None  # the temp_store to put back
        self._opened = 0.0
        self._depth = 0

    # -- the transaction --------------------------------------------------------------
    def begin(self) -> None:
        conn = self.store.conn
        try:
            if conn.execute("PRAGMA journal_mode").fetchone()[0] == "wal":
                self._pages = int(conn.execute("PRAGMA wal_autocheckpoint").fetchone()[0])
                # Each checkpoint waits for the disk: one at the end, not one per 4 MB.
                conn.execute(f"PRAGMA wal_autocheckpoint = {self._log_pages}")
            self._temp = int(conn.execute("PRAGMA temp_store").fetchone()[0])
            # Each part keeps the pages it changes, to undo it alone, in a journal of its
            # own: in memory (a file's worth), not written out to a temporary file.
            conn.execute("PRAGMA temp_store = MEMORY")
        except sqlite3.Error as e:
            self._settle()
            raise from_sqlite(e, self.doing, self.store.path) from e
        try:
            self._begin(self.doing)
        except StoreError:
            self._settle()
            raise

    def _begin(self, doing: str) -> None:
        try:
            self.store.conn.execute("BEGIN IMMEDIATE")
        except sqlite3.Error as e:
            raise from_sqlite(e, doing, self.store.path) from e
        self.open = True
        self._opened = time.monotonic()

    def commit_if_due(self) -> bool:
        """Commit what is written so far if the batch's transaction has been open long
        enough: True if it did. The next write opens a new one; until then another
        program may write."""
        if not self.open or self._depth or time.monotonic() - self._opened < self.commit_seconds:
            return False
        self.commit()
        return True

    def commit(self) -> None:
        self.check()
        if not self.open:
            return
        try:
            self.store.conn.execute("COMMIT")
        except sqlite3.Error as e:
            self.store._rollback()
            raise self._lose(e) from e
        self.open = False
        self.commits += 1
        self.parts = 0

    def end(self) -> None:
        """Commit, then catch the disk up (the log synced, copied into the database)."""
        try:
            self.commit()
        finally:
            self._settle()

    def abandon(self) -> None:
        self.store._rollback()
        self.open = False
        self._settle()

    def _settle(self) -> None:
        conn = self.store.conn
        try:
            if self._temp is not None:
                conn.execute(f"PRAGMA temp_store = {self._temp}")
            if self._pages is not None:
                conn.execute(f"PRAGMA wal_autocheckpoint = {self._pages}")
                # Copies the log into the database, and syncs it, once for the batch.
                self.store.checkpoint_soon()
        except sqlite3.Error:
            log.exception("could not checkpoint after a batch of writes")

    # -- its parts --------------------------------------------------------------------
    def check(self) -> None:
        """Raise BatchLost if the batch's transaction is gone."""
        if self.lost is None and self.open and not self.store.conn.in_transaction:
            self.lost = BatchLost(
                f"Could not {self.doing}: the session database ended its transaction "
                "early, and nothing written in it was kept."
            )
        if self.lost is not None:
            raise self.lost

    @contextmanager
    def part(self, doing: str) -> Iterator[sqlite3.Connection]:
        """One write of the batch, kept whole or undone alone (a savepoint)."""
        self.check()
        if not self.open:
            self._begin(doing)
        conn = self.store.conn
        try:
            conn.execute(f"SAVEPOINT {_PART}")
        except sqlite3.Error as e:
            raise from_sqlite(e, doing, self.store.path) from e
        self._depth += 1
        self.parts += 1
        try:
            yield conn
            conn.execute(f"RELEASE {_PART}")
        except BaseException as e:
            self._undo(e)
            if isinstance(e, sqlite3.Error):
                raise from_sqlite(e, doing, self.store.path) from e
            raise
        finally:
            self._depth -= 1

    def _undo(self, cause: BaseException) -> None:
        conn = self.store.conn
        if conn.in_transaction:
            try:
                conn.execute(f"ROLLBACK TO {_PART}")
                conn.execute(f"RELEASE {_PART}")
                return
            except sqlite3.Error:
                log.exception("could not undo a part of a batch; the batch is undone")
                self.store._rollback()
        # SQLite undoes the whole transaction after some failures (a full disk, an I/O
        # error): the parts written in it before this one are gone too.
        raise self._lose(cause) from cause

    def _lose(self, cause: BaseException) -> BatchLost:
        why = (
            str(from_sqlite(cause, self.doing, self.store.path))
            if isinstance(cause, sqlite3.Error)
            else f"Could not {self.doing}."
        )
        self.open = False
        self.lost = BatchLost(why)
        return self.lost
