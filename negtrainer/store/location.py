"""Where the session database lives unless the user says otherwise."""

from __future__ import annotations

import os
from pathlib import Path

import platformdirs

ENV_VAR = "NEGTRAINER_DB"
FILE_NAME = "negtrainer.db"


def data_dir() -> Path:
    """The user's data folder (made when the first session is saved)."""
    return Path(platformdirs.user_data_dir("negtrainer", appauthor=False))


def default_db_path() -> Path:
    """``$NEGTRAINER_DB`` if set, else ``negtrainer.db`` in the user's data folder.

    The command line's ``--db PATH`` wins over both; the CLI passes it to
    ``Store.open`` directly.
    """
    env = os.environ.get(ENV_VAR, "").strip()
    if env:
        return Path(env).expanduser()
    return data_dir() / FILE_NAME
