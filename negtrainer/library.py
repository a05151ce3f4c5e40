"""Finding scenarios: the built-in ones and the user's own folder.

The user's folder is ``<user data dir>/scenarios`` (platformdirs), or the
folder named by ``NEGTRAINER_SCENARIOS``. Both front-ends list the same.
"""

from __future__ import annotations

import os
from dataclasses import dataclass, field
from pathlib import Path

from negtrainer.engine.diagnostics import Diagnostic
from negtrainer.engine.loader import try_load
from negtrainer.engine.scenario import LoadedScenario
from negtrainer.paths import builtin_scenarios_dir

SUFFIXES = (".yaml", ".yml")


def user_scenarios_dir() -> Path:
    env = os.environ.get("NEGTRAINER_SCENARIOS", "").strip()
    if env:
        return Path(env).expanduser()
    import platformdirs

    return Path(platformdirs.user_data_dir("negtrainer", appauthor=False)) / "scenarios"


@dataclass
class Entry:
    """One scenario file: loaded, or with the diagnostics that stopped it."""

    path: Path
    builtin: bool
    scenario: LoadedScenario | None
    diagnostics: list[Diagnostic] = field(default_factory=list)

    @property
    def ok(self) -> bool:
        return self.scenario is not None

    @property
    def id(self) -> str:
        return self.scenario.id if self.scenario else self.path.stem


def scenario_files(folder: Path) -> list[Path]:
    try:
        return sorted(p for p in folder.iterdir() if p.suffix in SUFFIXES and p.is_file())
    except OSError:
        return []


def discover(include_user: bool = True) -> list[Entry]:
    entries = [Entry(p, True, *try_load(p)) for p in scenario_files(builtin_scenarios_dir())]
    if include_user:
        entries += [Entry(p, False, *try_load(p)) for p in scenario_files(user_scenarios_dir())]
    return entries


class NotFound(LookupError):
    pass


def resolve(name: str) -> Path:
    """A scenario path from a built-in or user id, or a path to a file."""
    p = Path(name)
    if p.suffix in SUFFIXES or os.sep in name or p.exists():
        if not p.exists():
            raise NotFound(f"no scenario file {name}")
        return p
    for folder in (builtin_scenarios_dir(), user_scenarios_dir()):
        for candidate in scenario_files(folder):
            if candidate.stem == name:
                return candidate
    ids = [f.stem for f in scenario_files(builtin_scenarios_dir())]
    raise NotFound(f"no scenario {name!r}; built-in ones: {', '.join(ids)}")
