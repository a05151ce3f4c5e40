"""Typed shapes of what the engine hands out as JSON-ready dicts.

They stay dicts (the store, ``--json`` and the JSONL protocol write them as they are);
these types give their keys one home that mypy checks.
"""

from __future__ import annotations

from typing import Any, TypedDict

from negtrainer.engine.diagnostics import Diagnostic


class DealValue(TypedDict, total=False):
    """The debrief's ``value``: the deal against the best there was (keys from ``you`` on
    only when a deal was made)."""

    best_joint: float
    best_terms: dict[str, str]
    max_you: float
    deal: dict[str, str] | None
    you: float
    them: float
    joint: float
    created_share: float
    claimed_share: float
    deal_turn: int | None


class ExpertPath(TypedDict):
    """The best path the analysis found for one variant, as a debrief shows it."""

    variant: str
    seed: int
    ending: str | None
    inputs: list[dict[str, Any]]
    said: list[str]
    moves: list[str]
    joint: float | None
    end_trust: float
    interests: list[str]
    deal: dict[str, str] | None


class Coverage(TypedDict):
    states: int
    cap: int
    complete: bool
    nodes: str  # "reached/total"
    endings: str
    interests: str


class Analysis(TypedDict):
    """:func:`negtrainer.engine.analysis.analyse`: what ``negtrainer check --json`` prints
    (without ``_findings``, the same findings as objects)."""

    id: str
    title: str
    file: str
    counts: dict[str, int]
    explored_states: int
    bounded: bool
    coverage: Coverage
    expert_by_variant: dict[str, ExpertPath | None]
    good_endings: list[str]
    acceptable_deals: list[dict[str, Any]]
    best_deal_ties: list[dict[str, str]]
    endings_reachable: list[str]
    interests_revealable: list[str]
    best_joint_possible: float | None
    expert_path: ExpertPath | None
    strategies: dict[str, Any]
    findings: list[dict[str, Any]]
    _findings: list[Diagnostic]
