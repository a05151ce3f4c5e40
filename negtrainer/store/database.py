"""Opening a database file: recognising damage, WAL, busy timeout, migrations.

A damaged file is never deleted. It is reported, or (when asked) moved aside
to ``<name>.damaged-YYYYmmdd-HHMMSS`` together with its -wal and -shm files.
"""

from __future__ import annotations

import os
import sqlite3
import time
from datetime import datetime
from pathlib import Path

from sqlite_utils import Database

from negtrainer.store.errors import NewerDatabase
from negtrainer.store.schema import EXPECTED, MIGRATION_NAMES, MIGRATION_SET, migrations

# Long enough for the GUI and the CLI to take turns writing; short enough that a
# program that really hangs on to the database gets reported.
BUSY_TIMEOUT_MS = 10_000
SQLITE_MAGIC = b"SQLite format 3\x00"
SIDE_FILES = ("-wal", "-shm", "-journal")


class Damaged(Exception):
    """Internal: the file cannot be used; the message says why, for a person."""


def is_corruption(err: sqlite3.Error) -> bool:
    name = getattr(err, "sqlite_errorname", "") or ""
    return (
        name.startswith(("SQLITE_CORRUPT", "SQLITE_NOTADB"))
        or "not a database" in str(err)
        or "malformed" in str(err)
    )


def header_problem(path: Path) -> str | None:
    """Why the file's first page shows it is no usable SQLite database, or None.

    Cheap checks only (a full integrity check would read every page): the magic
    string, a sane page size, and a file as long as its header says it is.
    """
    try:
        size = path.stat().st_size
    except FileNotFoundError:
        return None
    if size == 0:
        return None  # SQLite treats an empty file as a new database
    try:
        with open(path, "rb") as f:
            head = f.read(100)
    except OSError:
        return None  # a folder, or no permission: SQLite itself says so, clearly mapped

    if len(head) < 100 or not head.startswith(SQLITE_MAGIC):
        return "it is not an SQLite database file"
    page_size = int.from_bytes(head[16:18], "big")
    page_size = 65536 if page_size == 1 else page_size
    if page_size < 512 or page_size & (page_size - 1):
        return "its header is damaged"
    if size % page_size:
        return "the file is cut short (it does not end on a whole page)"
    pages = int.from_bytes(head[28:32], "big")
    header_valid = head[24:28] == head[92:96]
    wal = Path(str(path) + "-wal")
    # While a WAL file holds unfinished checkpoints the main file may
    # legitimately be shorter than its header says; SQLite repairs that itself.
    wal_pending = wal.exists() and wal.stat().st_size > 0
    if pages and header_valid and not wal_pending and size < pages * page_size:
        return f"the file is cut short ({size} bytes of {pages * page_size})"
    return None


def move_aside(path: Path) -> Path:
    """Rename a damaged database (and its side files) out of the way; return where."""
    stamp = datetime.now().strftime("%Y%m%d-%H%M%S")
    target = path.with_name(f"{path.name}.damaged-{stamp}")
    n = 1
    while target.exists():
        target = path.with_name(f"{path.name}.damaged-{stamp}-{n}")
        n += 1
    os.replace(path, target)
    for suffix in SIDE_FILES:
        side = Path(str(path) + suffix)
        if side.exists():
            os.replace(side, Path(str(target) + suffix))
    return target


def connect(path: Path | None) -> sqlite3.Connection:
    # check_same_thread=False: the GUI runs store calls on worker threads; the
    # Store serialises them with a lock.
    target = ":memory:" if path is None else str(path)
    return sqlite3.connect(target, timeout=BUSY_TIMEOUT_MS / 1000, check_same_thread=False)


def prepare(conn: sqlite3.Connection, memory: bool) -> Database:
    """Pragmas, WAL and migrations; raises Damaged or NewerDatabase."""
    db = Database(conn, execute_plugins=False)
    db.execute(f"PRAGMA busy_timeout = {BUSY_TIMEOUT_MS}")
    db.execute("PRAGMA foreign_keys = ON")
    if not memory:
        _enable_wal(db)
    migrate(db)
    return db


def _enable_wal(db: Database) -> None:
    # Switching a fresh database to WAL needs an exclusive lock, and SQLite
    # answers "database is locked" at once rather than calling the busy
    # handler when another program is opening it at the same moment: retry.
    deadline = time.monotonic() + BUSY_TIMEOUT_MS / 1000
    while True:
        try:
            db.enable_wal()
            return
        except sqlite3.OperationalError as e:
            busy = (getattr(e, "sqlite_errorname", "") or "").startswith(
                "SQLITE_BUSY"
            ) or "locked" in str(e)
            if not busy or time.monotonic() > deadline:
                raise
            time.sleep(0.01)


def migrate(db: Database) -> None:
    conn = db.conn
    # IMMEDIATE: two programs opening a fresh database at once must not both
    # try to create the tables; the second waits, then finds them there.
    conn.execute("BEGIN IMMEDIATE")
    try:
        tables = {
            r[0]
            for r in conn.execute(
                "SELECT name FROM sqlite_master WHERE type = 'table' AND name NOT LIKE 'sqlite_%'"
            )
        }
        if tables:
            if migrations.migrations_table not in tables:
                raise Damaged(
                    "it is not a negtrainer session database (it holds other tables: "
                    f"{', '.join(sorted(tables)[:5])})"
                )
            applied = [m.name for m in migrations.applied(db)]
            if not applied and tables - {migrations.migrations_table}:
                raise Damaged("it is not a negtrainer session database")
            unknown = [name for name in applied if name not in MIGRATION_NAMES]
            if unknown:
                raise NewerDatabase(
                    "The session database was upgraded by a newer version of negtrainer "
                    f"(it has changes this version does not know: {', '.join(unknown)}). "
                    "Update negtrainer, or open a different database with --db."
                )
        migrations.apply(db)
        check_schema(conn)
        conn.execute("COMMIT")
    except BaseException:
        if conn.in_transaction:
            conn.execute("ROLLBACK")
        raise


def check_readonly(db: Database) -> None:
    """What ``migrate`` checks, without writing: raises Damaged or NewerDatabase."""
    tables = {
        r[0]
        for r in db.conn.execute(
            "SELECT name FROM sqlite_master WHERE type = 'table' AND name NOT LIKE 'sqlite_%'"
        )
    }
    if migrations.migrations_table not in tables:
        raise Damaged("it is not a negtrainer session database")
    applied = set(applied_migrations(db))
    unknown = applied - set(MIGRATION_NAMES)
    if unknown:
        raise NewerDatabase(
            "The session database was upgraded by a newer version of "
            "negtrainer; update negtrainer to read it."
        )
    if set(MIGRATION_NAMES) - applied:
        raise Damaged(
            "it was made by an older negtrainer and cannot be brought up to date "
            "while it is read-only; copy it to a folder you can write to and open "
            "the copy with --db"
        )
    check_schema(db.conn)


def check_schema(conn: sqlite3.Connection) -> None:
    for table, wanted in EXPECTED.items():
        have = {r[1] for r in conn.execute(f"PRAGMA table_info({table})")}
        if not have:
            raise Damaged(f"its table '{table}' is missing")
        missing = wanted - have
        if missing:
            raise Damaged(f"its table '{table}' lacks the column(s) {', '.join(sorted(missing))}")


def applied_migrations(db: Database) -> list[str]:
    return [m.name for m in migrations.applied(db)]


__all__ = [
    "MIGRATION_SET",
    "Damaged",
    "connect",
    "header_problem",
    "is_corruption",
    "move_aside",
    "prepare",
]
