"""`negtrainer upgrade`: a format 1 scenario rewritten as format 2, comments kept.

Only what format 2 requires changes: the format number, and the counterpart's
reservation (a floor that trust lowered) becomes a walk-away (a floor that
nothing lowers), set where the old floor stood at trust 75 so the scenario
plays much as before. Everything format 2 adds (needs, tactics, line pools,
events, objectives) is the author's to write; the report says what.
"""

from __future__ import annotations

import re

from negtrainer.engine.loader import load_text

ADDS = (
    "needs on interests (requirements on terms a deal must meet)",
    "learner.walkaway and learner.target",
    "a tactic, warming and cooling per variant",
    "risk: on options that look risky to the counterpart",
    "alts: line pools, events, objectives, good: endings and deal routes",
)


def upgrade_text(text: str, file: str = "<scenario>") -> tuple[str | None, list[str]]:
    """(new text, notes) or (None, problems)."""
    scenario, diags = load_text(text, file)
    if scenario is None:
        return None, [d.format() for d in diags if d.severity == "error"]
    spec = scenario.spec
    if spec.format >= 2:
        return None, [f"{file}: already format {spec.format}"]
    out, n = re.subn(r"(?m)^format:\s*1\s*$", "format: 2", text, count=1)
    if not n:
        return None, [f"{file}: no top-level 'format: 1' line to change"]
    notes = ["format: 1 -> 2"]
    neg = spec.negotiation
    if neg is not None and neg.reservation is not None:
        walk = round(neg.reservation - neg.trust_effect * 25, 2)
        out, n = re.subn(
            r"(?m)^(\s+)reservation:\s*[-0-9.]+.*$",
            lambda m: (
                f"{m.group(1)}walkaway: {walk:g}  # was reservation: "
                f"{neg.reservation:g} (at trust 50)"
            ),
            out,
            count=1,
        )
        if n:
            notes.append(f"negotiation.reservation {neg.reservation:g} -> walkaway {walk:g}")
    check, diags = load_text(out, file)
    if check is None:
        return None, [d.format() for d in diags if d.severity == "error"]
    notes.append("now add what format 2 offers: " + "; ".join(ADDS))
    return out, notes
