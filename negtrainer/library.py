"""Finding scenarios: the built-in ones and the user's own folder.

The user's folder is ``<user data dir>/scenarios`` (platformdirs), or the
folder named by ``NEGTRAINER_SCENARIOS``. Both front-ends list the same.
"""

from __future__ import annotations

import logging
import os
from dataclasses import dataclass, field
from pathlib import Path

from negtrainer.engine.diagnostics import Diagnostic, diag
from negtrainer.engine.loader import try_load
from negtrainer.engine.scenario import LoadedScenario
from negtrainer.paths import builtin_scenarios_dir

SUFFIXES = (".yaml", ".yml")
log = logging.getLogger(__name__)


def user_scenarios_dir() -> Path:
    env = os.environ.get("NEGTRAINER_SCENARIOS", "").strip()
    if env:
        return Path(env).expanduser()
    import platformdirs

    return Path(platformdirs.user_data_dir("negtrainer", appauthor=False)) / "scenarios"


@dataclass
class Entry:
    """One scenario file as a library shows it: loaded, or with why not."""

    path: Path
    builtin: bool
    scenario: LoadedScenario | None
    diagnostics: list[Diagnostic] = field(default_factory=list)

    @property
    def ok(self) -> bool:
        return self.scenario is not None

    @property
    def id(self) -> str:
        return self.scenario.id if self.scenario is not None else f"file:{self.path}"

    @property
    def title(self) -> str:
        return self.scenario.title if self.scenario is not None else self.path.name

    @property
    def errors(self) -> list[Diagnostic]:
        return [d for d in self.diagnostics if d.severity == "error"]

    @property
    def error_text(self) -> str:
        """The problems, one per line, as ``file:line: message`` (empty when it loaded)."""
        if self.ok:
            return ""
        shown = self.errors or self.diagnostics
        return "\n".join(_diag_line(d) for d in shown[:5]) + (
            f"\n… and {len(shown) - 5} more" if len(shown) > 5 else ""
        )

    @property
    def fix(self) -> str:
        shown = self.errors or self.diagnostics
        return shown[0].to_json().get("fix", "") if shown else ""


def _diag_line(d: Diagnostic) -> str:
    where = Path(d.file).name if d.file else "<scenario>"
    if d.line:
        where += f":{d.line}"
    return f"{where}: {d.message}"


def scenario_files(folder: Path) -> list[Path]:
    try:
        return sorted(p for p in folder.iterdir() if p.suffix.lower() in SUFFIXES and p.is_file())
    except OSError:
        return []  # a missing user folder is normal


def scenario_dirs() -> list[tuple[Path, bool]]:
    """(folder, built in?) in the order libraries list them."""
    return [(builtin_scenarios_dir(), True), (user_scenarios_dir(), False)]


def load_folders(dirs: list[tuple[Path, bool]] | None = None) -> list[Entry]:
    """Every scenario file in the folders, loaded or with its problems.

    Slow-ish (YAML and validation): a GUI calls it off its main thread. A file
    that fails is kept, with its diagnostics, so it can be shown. When two files
    share an id the first one wins and the second is shown as a problem.
    """
    out: list[Entry] = []
    seen: dict[str, Path] = {}
    for folder, builtin in dirs if dirs is not None else scenario_dirs():
        for path in scenario_files(folder):
            try:
                scenario, diags = try_load(path)
            except Exception as exc:
                log.exception("loading %s", path)
                scenario, diags = None, [diag("NT001", f"could not be loaded: {exc}", str(path))]
            if scenario is not None and scenario.id in seen:
                diags = [
                    diag(
                        "NT219",
                        f"another file already uses the id {scenario.id!r} "
                        f"({seen[scenario.id].name}); rename one",
                        str(path),
                        1,
                    )
                ]
                scenario = None
            if scenario is not None:
                seen[scenario.id] = path
            out.append(Entry(path, builtin, scenario, list(diags)))
    return out


def discover(include_user: bool = True) -> list[Entry]:
    dirs = scenario_dirs() if include_user else scenario_dirs()[:1]
    return load_folders(dirs)


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
    # A file need not be named after its id: look inside (as `list` shows the ids).
    entries = discover()
    for e in entries:
        if e.scenario is not None and e.scenario.id == name:
            return e.path
    ids = [e.scenario.id for e in entries if e.scenario is not None]
    raise NotFound(f"no scenario {name!r}; the library has: {', '.join(ids)}")
