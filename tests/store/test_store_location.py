"""Where the database lives by default."""

from pathlib import Path

import platformdirs

from negtrainer.store import default_db_path


def test_the_database_lives_in_the_users_data_folder_by_default(monkeypatch):
    monkeypatch.delenv("NEGTRAINER_DB", raising=False)
    path = default_db_path()
    assert path.name == "negtrainer.db"
    assert path.parent == Path(platformdirs.user_data_dir("negtrainer", appauthor=False))


def test_the_environment_variable_overrides_the_default(monkeypatch, tmp_path):
    monkeypatch.setenv("NEGTRAINER_DB", str(tmp_path / "class.db"))
    assert default_db_path() == tmp_path / "class.db"
    monkeypatch.setenv("NEGTRAINER_DB", "~/somewhere.db")
    assert default_db_path() == Path.home() / "somewhere.db"
