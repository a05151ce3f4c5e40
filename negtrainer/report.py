"""Plain-text renderings of a debrief and a check report, for the terminal."""

from __future__ import annotations

import textwrap
from typing import Any

from negtrainer.engine.scoring import Debrief, objective_line
from negtrainer.engine.takeaways import heading as takeaways_heading

RATING = {"good": "good", "fair": "fair", "poor": "needs work", "n/a": "-"}


def wrap(text: str, indent: str = "  ", width: int = 78) -> str:
    return textwrap.fill(text, width=width, initial_indent=indent, subsequent_indent=indent)


def debrief_text(d: Debrief) -> str:
    out: list[str] = []

    def heading(title: str) -> None:
        out.extend(("", title))

    out.append("=" * 60)
    out.append(f"DEBRIEF: {d.title}")
    out.append("=" * 60)
    if d.ending:
        out.append(f"Ending: {d.ending['title']} ({d.ending['kind']})")
        out.append(wrap(d.ending["text"]))
    else:
        out.append("Not finished yet.")
    o = d.outcome
    if o:
        heading("What you agreed")
        out.append(wrap(o["verdict_text"]))
        if o.get("improvement"):
            out.append(wrap(o["improvement"]))
        for a in o.get("interests", []):
            if a["revealed_turn"] is not None:
                said = f"answered by {a['answered_by']}" if a["answered_by"] else a["note"]
                out.append(wrap(f"- {a['label']}: {said}"))
    if d.takeaways:
        heading(takeaways_heading(len(d.takeaways)))
        for t in d.takeaways:
            out.append(
                f"  {t['rank']}. Turn {t['turn']}"
                + (f' — they had said: "{_short(t["cue"], 80)}"' if t["cue"] else "")
            )
            said = "You wrote" if t.get("typed") else "You said"
            out.append(wrap(f'{said}: "{_short(t["you_said"], 100)}"', "      "))
            out.append(wrap(t["why"], "      "))
            if t.get("better"):
                out.append(
                    wrap(
                        f'Try instead: "{_short(t["better"], 110)}" — it would have '
                        f"done this: {t['better_why']}.",
                        "      ",
                    )
                )
            out.append(wrap(f"Ask yourself: {t['question']}", "      "))
    if d.objectives:
        heading("Objectives")
        for ob in d.objectives:
            out.append("  " + objective_line(ob, ("[x] ", "[ ] ", "[-] ")))
    heading("How you did")
    for m in d.metrics:
        out.append(f"  {m.label:<44} {m.display:<28} [{RATING.get(m.rating, m.rating)}]")
        out.append(
            f"      reference: {m.reference}"
            + (f"; turns {', '.join(map(str, m.turns))}" if m.turns else "")
        )
    heading("The four building blocks of trust")
    for b in d.blocks:
        score = "n/a" if b.score is None else f"{b.score}/100"
        out.append(f"  {b.label:<36} {score}")
        out.append(
            wrap(
                b.explanation + (f" (turns {', '.join(map(str, b.turns))})" if b.turns else ""),
                "      ",
            )
        )
    out.append("")
    curve = " ".join(f"{t:.0f}" for t in d.trust_curve)
    out.append(f"Trust, turn by turn: {curve}")
    heading("Hidden interests")
    for i in d.interests:
        if i.revealed_turn:
            out.append(f"  + {i.label} (uncovered at turn {i.revealed_turn})")
        elif i.hinted_turn:
            out.append(f"  ~ {i.label} (hinted at turn {i.hinted_turn}, never uncovered)")
        else:
            out.append(f"  - {i.label} (never came up)")
    if d.value and d.value.get("deal"):
        v = d.value
        heading(f"The deal: {', '.join(f'{k} {o}' for k, o in v['deal'].items())}")
        out.append(
            f"  Joint value {v['joint']:.0f} of {v['best_joint']:.0f} possible; "
            f"yours {v['you']:.0f}, theirs {v['them']:.0f}."
        )
        out.append(f"  Best possible: {', '.join(f'{k} {o}' for k, o in v['best_terms'].items())}")
    if d.moments:
        heading("Moments that mattered")
        for mo in d.moments:
            out.append(f'  Turn {mo.turn}: "{_short(mo.said)}"')
            out.append(wrap(mo.why, "      "))
    if d.mistakes:
        heading("Watch out for")
        for m in d.mistakes:
            out.append(wrap("- " + m))
    if d.expert:
        heading("An expert path through this scenario")
        for i, said in enumerate(d.expert.get("said", [])[:14], 1):
            out.append(
                f"  {i:>2}. [{d.expert['moves'][i - 1].replace('_', ' ')}] {_short(said, 70)}"
            )
    side = d.other_side
    if side:
        heading(f"The other side: {side['name']}'s confidential brief")
        out.append(wrap(side["brief"]))
        if side.get("walkaway") is not None:
            out.append(f"  Their walk-away: {side['walkaway']:.0f} points.")
        for issue in side.get("issues", []):
            values = ", ".join(f"{o} {v:g}" for o, v in zip(issue["options"], issue["them"]))
            out.append(wrap(f"{issue['label']}: {values}", "      "))
            for iid, alt in issue.get("them_if_revealed", {}).items():
                vals = ", ".join(f"{o} {v:g}" for o, v in zip(issue["options"], alt))
                out.append(wrap(f"  once you knew '{iid}': {vals}", "      "))
    heading("What this session teaches")
    for lesson in d.lessons:
        out.append(f"  {lesson.title}")
        out.append(wrap(lesson.lesson, "      "))
        if lesson.here:
            out.append(wrap("Here: " + lesson.here, "      "))
    return "\n".join(out)


def _short(text: str, n: int = 90) -> str:
    return text if len(text) <= n else text[: n - 1] + "…"


def check_text(report: dict[str, Any]) -> str:
    c = report["counts"]
    out = [
        f"{report['id']}: {report['title']}",
        f"  {c['nodes']} nodes, {c['lines']} lines, {c['choices']} choices, "
        f"{c['interests']} interests, {c['issues']} issues, {c['endings']} endings, "
        f"{c['variants']} variants; {report['explored_states']} states explored"
        + (" (bounded)" if report["bounded"] else ""),
    ]
    out.append(f"  endings reachable: {', '.join(report['endings_reachable']) or 'none'}")
    exp = report.get("expert_path")
    if exp:
        joint = f", joint value {exp['joint']:.0f}" if exp.get("joint") is not None else ""
        best = report.get("best_joint_possible")
        best_s = f" of {best:.0f} possible" if best is not None and joint else ""
        out.append(
            f"  best outcome: {exp['ending']}{joint}{best_s}, trust {exp['end_trust']:.0f}, "
            f"interests {len(exp['interests'])} ({len(exp['inputs'])} turns, "
            f"variant {exp['variant']})"
        )
    cov = report.get("coverage")
    if cov:
        out.append(
            f"  coverage: {cov['states']} states (cap {cov['cap']}"
            f"{', complete' if cov['complete'] else ', partial'}); nodes {cov['nodes']}, "
            f"endings {cov['endings']}, interests {cov['interests']}"
        )
    for v, e in (report.get("expert_by_variant") or {}).items():
        if e:
            out.append(
                f"  expert ({v}): {e['ending']}, trust {e['end_trust']:.0f}, "
                f"{len(e['interests'])} interests, {len(e['inputs'])} turns"
            )
    good = report.get("good_endings")
    if good is not None:
        out.append(f"  good endings: {', '.join(good) or 'none marked'}")
    for name, r in report["strategies"].items():
        share = r["mean_joint_share"]
        out.append(
            f"  {name:<10} interests {r['mean_interests']:.1f}  end trust "
            f"{r['mean_end_trust']:.0f} ({r['mean_trust_change']:+.0f})  joint "
            f"{r['mean_joint']:.0f}"
            + (f" ({share:.0%})" if share is not None else "")
            + f"  yours {r['mean_you']:.0f}  endings {r['endings']}"
        )
        if "good_share" in r:
            per = "  ".join(f"{v} {x['good_share']:.0%}" for v, x in r["by_variant"].items())
            out.append(
                f"  {'':<10} good ending {r['good_share']:.0%} ({per}); deals below "
                f"your walk-away {r['deals_below_walkaway']}, breaking a revealed need "
                f"{r['deals_breaking_revealed_needs']}"
            )
    rows = report.get("acceptable_deals") or []
    if rows:
        out.append(
            "  deals they accept (all interests known): "
            + "; ".join(
                f"trust {r['trust']}: {r['first_round']} at first, "
                f"{r['last_round']} at the last round"
                for r in rows
            )
        )
    if report.get("best_deal_ties"):
        out.append(f"  warning: {len(report['best_deal_ties'])} deals tie for the best joint value")
    return "\n".join(out)
