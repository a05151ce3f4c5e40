"""Rolling backups, as Anki keeps them: whole-database copies made while in use.

Copies are made with SQLite's online backup API through the store's own
connection, so they are consistent even while another program is writing.
They live in ``backups/`` beside the database, named
``<stem>-YYYYmmdd-HHMMSS[-label].db``, each a single self-contained file; the
newest ``KEEP`` are kept.
"""

from __future__ import annotations

import logging
import os
import re
import sqlite3
from datetime import datetime
from pathlib import Path
from typing import TYPE_CHECKING

from negtrainer.store import database, private
from negtrainer.store.errors import DamagedDatabase, NewerDatabase, StoreError, from_sqlite
from negtrainer.store.models import Backup
from negtrainer.store.schema import MIGRATION_NAMES, MIGRATION_SET

if TYPE_CHECKING:
    from negtrainer.store.store import Store

log = logging.getLogger(__name__)

KEEP = 10
FOLDER = "backups"
_STAMP = re.compile(r"-(\d{8}-\d{6})(?:-[A-Za-z0-9-]*)?\.db$")


def folder_for(db_path: Path) -> Path:
    return db_path.parent / FOLDER


def _folder(db_path: Path) -> Path:
    folder = folder_for(db_path)
    if folder.exists() and not folder.is_dir():
        raise StoreError(
            f"Could not make a backup: {folder} is a file, not a folder. Move or "
            "rename that file so backups can be kept there."
        )
    return folder


def listing(db_path: Path | None) -> list[Backup]:
    """Backups of this database, newest first."""
    if db_path is None:
        return []
    folder = folder_for(db_path)
    if not folder.is_dir():
        return []
    found: list[tuple[datetime, int, Backup]] = []
    for p in folder.glob(f"{db_path.stem}-*.db"):
        try:
            st = p.stat()
        except OSError:
            continue
        m = _STAMP.search(p.name)
        try:
            created = datetime.strptime(m.group(1), "%Y%m%d-%H%M%S") if m else None
        except ValueError:
            created = None
        found.append(
            (
                created or datetime.fromtimestamp(st.st_mtime),
                st.st_mtime_ns,
                Backup(p, created or datetime.fromtimestamp(st.st_mtime), st.st_size),
            )
        )
    # Several backups in one second share a stamp; their files' times order them.
    found.sort(key=lambda x: (x[0], x[1]), reverse=True)
    return [b for _, _, b in found]


def _copy(store: Store, path: Path) -> sqlite3.Connection:
    """Copy the live database, pages as they are, into a new private file at ``path``;
    return the copy, open."""
    private.make_dir(path.parent)
    private.touch(path)
    dest = sqlite3.connect(path)
    try:
        store.conn.backup(dest)
    except BaseException:
        dest.close()
        raise
    return dest


def make(store: Store, label: str = "") -> Path:
    if store.path is None:
        raise StoreError("A database kept in memory has no backups.")
    folder = _folder(store.path)
    stamp = datetime.now().strftime("%Y%m%d-%H%M%S")
    suffix = f"-{label}" if label else ""
    target = folder / f"{store.path.stem}-{stamp}{suffix}.db"
    n = 2
    while target.exists():
        target = folder / f"{store.path.stem}-{stamp}{suffix}-{n}.db"
        n += 1
    partial = target.with_name(target.name + ".partial")
    try:
        dest = _copy(store, partial)
        try:
            # A backup is one self-contained file, whatever mode the live one uses.
            dest.execute("PRAGMA journal_mode = DELETE")
            # The backup API copies pages without reading them: a damaged page in
            # the live database would make a damaged backup that rotates a good
            # one away. Keep only copies that pass.
            check = [r[0] for r in dest.execute("PRAGMA quick_check")]
        finally:
            dest.close()
        if check != ["ok"]:
            _discard(partial)
            lines = [ln for ln in "\n".join(check).splitlines() if not ln.startswith("***")]
            raise database.Damaged(
                f"it fails SQLite's integrity check ({(lines or check)[0][:200]}), so no "
                "backup was made and the earlier backups are kept"
            )
        os.replace(partial, target)
    except database.Damaged:
        raise
    except sqlite3.Error as e:
        _discard(partial)
        if database.is_corruption(e):
            raise database.Damaged(f"SQLite reports: {e}") from None
        raise from_sqlite(e, "make a backup", folder) from e
    except OSError as e:
        _discard(partial)
        raise StoreError(
            f"Could not make a backup in {folder}: {e.strerror or e}. Check that "
            "the folder can be written to and the disk is not full."
        ) from e
    prune(store.path)
    return target


def _discard(partial: Path) -> None:
    # Cleaning up must never hide the error that made the backup fail.
    try:
        partial.unlink(missing_ok=True)
    except OSError:
        log.warning("could not remove the unfinished backup %s", partial)


def prune(db_path: Path) -> None:
    """Keep the newest ``KEEP``; called only after a copy that passed its check was added,
    so the newest good backup is never the one removed."""
    for old in listing(db_path)[KEEP:]:
        try:
            old.path.unlink()
        except OSError:
            log.warning("could not remove old backup %s", old.path)


def make_if_due(store: Store, hours: float) -> Path | None:
    """A backup if the newest is older than ``hours`` and there is something to keep."""
    if store.path is None:
        return None
    newest = listing(store.path)[:1]
    if newest and (datetime.now() - newest[0].created).total_seconds() < hours * 3600:
        return None
    if store.conn.execute("SELECT count(*) FROM sessions").fetchone()[0] == 0:
        return None
    try:
        return make(store)
    except StoreError as e:  # the database itself is fine; say so in the log and go on
        log.warning("no backup made: %s", e)
        return None


def resolve(db_path: Path | None, backup: str | Path) -> Path:
    """A backup given as a path, a file name in ``backups/``, or "latest"."""
    if str(backup) == "latest":
        found = listing(db_path)
        if not found:
            raise StoreError("There are no backups of this database yet.")
        return found[0].path
    p = Path(backup).expanduser()
    if p.is_file():
        return p
    if db_path is not None and (folder_for(db_path) / p.name).is_file():
        return folder_for(db_path) / p.name
    raise StoreError(f"There is no backup {backup}. List them with 'negtrainer sessions backups'.")


def _open_backup(p: Path) -> sqlite3.Connection:
    """A read-only connection to a backup that is known to be a good negtrainer database."""
    problem = database.header_problem(p)
    if problem:
        raise StoreError(f"The backup {p.name} cannot be used: {problem}.")
    # immutable: never write, lock or create side files next to a backup.
    conn = sqlite3.connect(p.resolve().as_uri() + "?mode=ro&immutable=1", uri=True)
    try:
        names = [
            r[0]
            for r in conn.execute(
                "SELECT name FROM _sqlite_migrations WHERE migration_set = ?", (MIGRATION_SET,)
            )
        ]
        if not names:
            raise StoreError(f"The backup {p.name} is not a negtrainer session database.")
        if any(n not in MIGRATION_NAMES for n in names):
            raise NewerDatabase(
                f"The backup {p.name} was made by a newer negtrainer; update "
                "negtrainer to restore it."
            )
        check = [r[0] for r in conn.execute("PRAGMA quick_check")]
        if check != ["ok"]:
            raise StoreError(f"The backup {p.name} is damaged ({check[0]}); choose another.")
    except sqlite3.Error as e:
        conn.close()
        raise StoreError(f"The backup {p.name} cannot be used: {e}.") from e
    except BaseException:
        conn.close()
        raise
    return conn


def restore_into(store: Store, backup: Path) -> Path:
    """Back up the current database, then copy ``backup`` over it, in place.

    The copy goes through the live connection (backup API), so other programs
    with the database open see the restored content rather than a swapped
    file they still hold open.
    """
    if store.path is None:
        raise StoreError("A database kept in memory cannot be restored from a backup.")
    p = resolve(store.path, backup)
    src = _open_backup(p)
    try:
        try:
            safety = make(store, "before-restore")
        except database.Damaged:
            safety = _keep_damaged(store)
        try:
            src.backup(store.conn)
        except sqlite3.Error as e:
            raise from_sqlite(e, "restore the backup", store.path) from e
    finally:
        src.close()
    database.migrate(store.db)  # an older backup is brought up to date
    store._scenarios.clear()
    return safety


def _keep_damaged(store: Store) -> Path:
    """A copy of a database that fails its check, kept aside (never listed or pruned)."""
    assert store.path is not None
    folder = _folder(store.path)
    stamp = datetime.now().strftime("%Y%m%d-%H%M%S")
    target = folder / f"{store.path.stem}-{stamp}.damaged"
    try:
        _copy(store, target).close()
    except (sqlite3.Error, OSError) as e:
        raise StoreError(
            f"Could not keep a copy of the damaged database in {folder} before "
            f"restoring: {e}. Nothing was changed."
        ) from e
    return target


def restore_file(db_path: Path, backup: str | Path) -> Path | None:
    """Restore ``backup`` as the database at ``db_path``, even if that one is damaged.

    Returns where the previous database now is: a fresh backup of it, or (if it
    was damaged) the damaged file moved aside; None if there was none.
    """
    from negtrainer.store.store import Store

    p = resolve(db_path, backup)
    if not db_path.exists():
        _copy_fresh(p, db_path)
        Store.open(db_path, backup_every_hours=None).close()
        return None
    try:
        store = Store.open(db_path, backup_every_hours=None)
    except DamagedDatabase:
        _open_backup(p).close()  # check the backup before moving anything
        moved = database.move_aside(db_path)
        _copy_fresh(p, db_path)
        Store.open(db_path, backup_every_hours=None).close()
        return moved
    with store:
        return store.restore(p)


def _copy_fresh(backup: Path, db_path: Path) -> None:
    src = _open_backup(backup)
    try:
        private.make_dir(db_path.parent)
        private.touch(db_path)
        dest = sqlite3.connect(db_path)
        try:
            src.backup(dest)
        finally:
            dest.close()
    except sqlite3.Error as e:
        raise from_sqlite(e, "restore the backup", db_path) from e
    finally:
        src.close()
