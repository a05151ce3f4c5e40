"""The room's debrief: one small summary per session, and what an exercise adds up to.

This module is the one seam between workshops and the engine's debrief
(``Session.debrief()``): when the debrief changes shape, only ``summarise``
changes. Summaries are plain JSON, kept in the database beside each session
so the presenter view never replays a session to draw a chart.
"""

from __future__ import annotations

from collections import Counter
from dataclasses import dataclass, field
from typing import Any

from negtrainer.engine.skills import SKILLS
from negtrainer.workshop.model import Exercise

SUMMARY_VERSION = 2
# The order outcomes are shown in, best first.
OUTCOMES = (
    "Good deal",
    "Fair deal",
    "Poor deal",
    "Caved",
    "Deal",
    "Agreement",
    "Impasse",
    "Walk-out",
    "Stopped",
    "Unfinished",
)
_KIND_RANK = {"deal": 3, "agreement": 3, "impasse": 1, "walkout": 0}


def summarise(
    session: Any, finished: bool = True, scores: dict[str, Any] | None = None
) -> dict[str, Any]:
    """What the room's debrief needs of one session (the engine's debrief, condensed).

    ``scores`` is the debrief as the store keeps it (``Debrief.to_json()``), when
    already at hand: collecting a file computes it once, not twice.
    """
    st = session.state
    ending = session.ending
    d = scores if scores is not None else session.debrief().to_json()
    value = d.get("value") or {}
    outcome = d.get("outcome") if isinstance(d.get("outcome"), dict) else {}
    # The engine's judgement of what was agreed (0-100): caving and ignored needs score
    # low however much joint value the deal created.
    quality = value.get("created_share") if value.get("deal") else None
    claimed = value.get("claimed_share") if value.get("deal") else None
    verdict = outcome.get("verdict") if isinstance(outcome.get("verdict"), str) else None
    if verdict != "caved" and outcome.get("ignored_needs"):
        verdict = "thin"  # a deal that ignores a need they told you about is not a good deal
    choices = []
    for rec in st.log:
        item = rec.get("input", {})
        what = item.get("choice") or ("offer" if "offer" in item else "accept")
        choices.append([rec.get("node", ""), what])
    interests = d.get("interests") or []
    return {
        "v": SUMMARY_VERSION,
        "ending": None
        if ending is None
        else {"id": ending.id, "kind": ending.kind, "title": ending.title},
        "outcome": outcome_label(
            None if ending is None else ending.kind, quality, finished, verdict
        ),
        "quality": quality,
        "claimed": claimed,
        "deal": value.get("deal"),
        "trust": [round(float(t), 1) for t in d.get("trust_curve") or []],
        "choices": choices,
        "measures": {
            m["key"]: {
                "label": m.get("label", m["key"]),
                "display": m.get("display", ""),
                "rating": m.get("rating", ""),
            }
            for m in d.get("metrics") or []
        },
        "revealed": sum(1 for i in interests if i.get("revealed_turn") is not None),
        "interests": len(interests),
        "turns": d.get("turns", st.turn),
    }


def outcome_label(
    kind: str | None, quality: float | None, finished: bool = True, verdict: str | None = None
) -> str:
    if kind in ("deal", "agreement") and verdict == "caved":
        return "Caved"  # below the learner's walk-away: never counted as a good deal
    if kind in ("deal", "agreement") and verdict == "thin":
        return "Poor deal"
    if kind in ("deal", "agreement"):
        if quality is None:
            return "Deal" if kind == "deal" else "Agreement"
        return "Good deal" if quality >= 0.85 else "Fair deal" if quality >= 0.65 else "Poor deal"
    if kind == "impasse":
        return "Impasse"
    if kind == "walkout":
        return "Walk-out"
    return "Stopped" if finished else "Unfinished"


def rank(summary: dict[str, Any]) -> float:
    """Higher is better play: the ending, then the deal's quality, then trust at the end."""
    kind = (summary.get("ending") or {}).get("kind")
    trust = summary.get("trust") or [0.0]
    good = sum(1 for m in summary.get("measures", {}).values() if m.get("rating") == "good")
    return (
        _KIND_RANK.get(kind or "", -1) * 10
        + 5 * float(summary.get("quality") or 0.0)
        + trust[-1] / 25
        + good / 10
    )


@dataclass
class Played:
    session_id: str
    participant: str
    team: str | None
    summary: dict[str, Any]


@dataclass
class DecisionPoint:
    node: str
    prompt: str  # what the counterpart says there, shortened
    counts: list[tuple[str, int]]  # choice text, how many of the room chose it

    @property
    def total(self) -> int:
        return sum(n for _, n in self.counts)


@dataclass
class ExerciseView:
    """Everything the presenter view and the report show for one exercise."""

    exercise: Exercise
    title: str
    played: list[Played]
    outcomes: list[tuple[str, int]]
    decisions: list[DecisionPoint]
    best: Played | None
    worst: Played | None
    lessons: list[tuple[str, str]]  # title, lesson from the article
    measures: list[tuple[str, str]] = field(default_factory=list)  # key, label
    choice_text: dict[str, str] = field(default_factory=dict)  # choice id -> its words


def shorten(text: str, n: int = 80) -> str:
    text = " ".join(str(text).split())
    return text if len(text) <= n else text[: n - 1].rstrip() + "…"


def _alike(played: list[Played]) -> list[tuple[dict[str, Any], int]]:
    """Each summary once, with how many sessions share it (sessions that played alike
    share one), in the order first played."""
    alike: dict[int, tuple[dict[str, Any], int]] = {}
    for p in played:
        found = alike.get(id(p.summary))
        alike[id(p.summary)] = (p.summary, 1 if found is None else found[1] + 1)
    return list(alike.values())


def exercise_view(exercise: Exercise, scenario: Any, played: list[Played]) -> ExerciseView:
    counts = Counter(p.summary.get("outcome", "Unfinished") for p in played)
    outcomes = [(o, counts[o]) for o in OUTCOMES if counts[o]]
    alike = _alike(played)
    decisions = _decisions(scenario, alike)
    ranks = {id(summary): rank(summary) for summary, _n in alike}
    ranked = sorted(played, key=lambda p: ranks[id(p.summary)])
    finished = [p for p in ranked if p.summary.get("outcome") != "Unfinished"]
    best = finished[-1] if finished else None
    worst = finished[0] if len(finished) > 1 else None
    lessons = []
    skills = scenario.spec.skills if scenario is not None else []
    for key in skills:
        skill = SKILLS.get(key)
        if skill is not None:
            lessons.append((skill.title, skill.lesson))
    measures: dict[str, str] = {}
    for summary, _n in alike:
        for key, m in summary.get("measures", {}).items():
            if key not in measures:
                measures[key] = str(m.get("label", key))
    title = scenario.title if scenario is not None else exercise.title
    texts: dict[str, str] = {}
    for node_id in scenario.spec.nodes if scenario is not None else {}:
        texts.update(_choice_labels(scenario, node_id))
    return ExerciseView(
        exercise,
        title,
        played,
        outcomes,
        decisions,
        best,
        worst,
        lessons,
        list(measures.items()),
        texts,
    )


def _decisions(scenario: Any, alike: list[tuple[dict[str, Any], int]]) -> list[DecisionPoint]:
    # One count of (node, choice) over the room, then split by node: each node's choices
    # keep the order the room first made them in, as most_common breaks ties by it. Each
    # shared summary (see _alike) is counted once, times its sessions.
    pairs: Counter[tuple[Any, ...]] = Counter()
    for summary, n in alike:
        for c in summary.get("choices", ()):
            pairs[tuple(c)] += n
    per_node: dict[str, Counter[str]] = {}
    for (node, what), n in pairs.items():
        counter = per_node.get(node)
        if counter is None:  # not setdefault: a new Counter for every choice adds up
            counter = per_node[node] = Counter()
        counter[what] = n
    out = []
    nodes = scenario.spec.nodes if scenario is not None else {}
    order = list(nodes) + [n for n in per_node if n not in nodes]
    for node_id in order:
        counter = per_node.get(node_id)
        if not counter:
            continue
        node = nodes.get(node_id)
        prompt = shorten(_general(node.say[0].text)) if node is not None and node.say else node_id
        labels = _choice_labels(scenario, node_id)
        counts = [(labels.get(what, _input_label(what)), n) for what, n in counter.most_common()]
        out.append(DecisionPoint(node_id, prompt, counts))
    return out


def _choice_labels(scenario: Any, node_id: str) -> dict[str, str]:
    if scenario is None or node_id not in scenario.spec.nodes:
        return {}
    ids = scenario.choice_ids.get(node_id, [])
    choices = scenario.spec.nodes[node_id].choices
    return {cid: shorten(_general(ch.text), 70) for cid, ch in zip(ids, choices)}


# In play, "{heard}" is filled with what that learner had heard; out of any one
# session (the room's counts, a best session's steps) it stands for all of them.
HEARD = "[what they had told you]"


def _general(text: str) -> str:
    return str(text).replace("{heard}", HEARD)


def _input_label(what: str) -> str:
    return {"offer": "Made an offer", "accept": "Accepted their offer"}.get(what, what)
