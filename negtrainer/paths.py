"""Where built-in data lives, from a source checkout or an installed wheel."""

from __future__ import annotations

import os
from importlib import resources
from pathlib import Path

_SOURCE_ROOT = Path(__file__).resolve().parent.parent


def builtin_scenarios_dir() -> Path:
    """The folder of built-in scenarios (``scenarios/`` in a checkout).

    ``NEGTRAINER_BUILTIN_SCENARIOS`` names another folder to use instead: a
    facilitator's own set on a shared laptop, or a test's fixed scenarios.
    """
    override = os.environ.get("NEGTRAINER_BUILTIN_SCENARIOS")
    if override and Path(override).is_dir():
        return Path(override)
    local = _SOURCE_ROOT / "scenarios"
    if (local / "schema.json").exists():
        return local
    installed = Path(__file__).resolve().parent / "builtin_scenarios"
    if installed.is_dir():  # a wheel or a frozen bundle
        return installed
    return Path(str(resources.files("negtrainer.builtin_scenarios")))


def assets_dir() -> Path:
    local = _SOURCE_ROOT / "assets"
    if local.is_dir() and (_SOURCE_ROOT / "pyproject.toml").exists():
        return local
    installed = Path(__file__).resolve().parent / "assets"
    if installed.is_dir():
        return installed
    return Path(str(resources.files("negtrainer.assets")))
