"""A session as a document: transcript, notes and debrief, to HTML and PDF.

Everything down to ``report_html`` is plain Python (no Qt), so the command line
and tests without a display can build the same document the GUI shows. Only
``write_pdf`` needs Qt, and imports it when called.

The HTML keeps to the subset Qt's rich text understands (tables, inline colour,
simple CSS), so one builder serves the browser file and the printed PDF alike.
"""

from __future__ import annotations

import html
import os
from dataclasses import dataclass, field
from datetime import datetime
from pathlib import Path
from typing import Any

from negtrainer.engine.scoring import Debrief, explain_turn
from negtrainer.engine.scoring import debrief as make_debrief

RATING_TEXT = {"good": "Good", "fair": "Fair", "poor": "Poor", "n/a": "Not rated"}
# Symbols that carry the rating without colour (print, colour-blind readers).
RATING_MARK = {"good": "✔", "fair": "◐", "poor": "✘", "n/a": "–"}
# Light backgrounds with dark text: readable on screen, on paper and in grey.
RATING_COLOURS = {
    "good": ("#1E6B34", "#DFF3E4"),
    "fair": ("#7A5200", "#FFF1CC"),
    "poor": ("#A1261B", "#FBE0DD"),
    "n/a": ("#4A4F57", "#ECEEF1"),
}
ENDING_KINDS = {
    "deal": "Deal",
    "agreement": "Agreement",
    "impasse": "Impasse",
    "walkout": "Walk-out",
}
ENDING_MEANING = {
    "deal": "Both sides agreed terms. What matters now is how much value the deal created "
    "and how much of it you kept, and the relationship you leave behind.",
    "agreement": "Both sides agreed. Look at what it cost and what it built.",
    "impasse": "No agreement. Nobody walked out, but the talks ended before either side "
    "found terms worth saying yes to.",
    "walkout": "The other side ended the talks. The relationship broke before a deal was "
    "possible; look for the turns where trust fell.",
}


def move_label(name: str) -> str:
    return name.replace("_", " ").capitalize()


def rating_of_score(score: int | None) -> str:
    """A building-block score read as a rating, with the same words as the metrics."""
    if score is None:
        return "n/a"
    return "good" if score >= 70 else "fair" if score >= 40 else "poor"


@dataclass
class TranscriptTurn:
    """One exchange: what the learner said and how the counterpart answered."""

    turn: int  # 0 is the counterpart's opening, before the learner said anything
    said: str
    move: str
    lines: list[dict[str, Any]]
    trust_before: float
    trust_after: float
    why: str
    revealed: list[str] = field(default_factory=list)  # interest labels
    hinted: list[str] = field(default_factory=list)
    note: str = ""
    typed: str = ""  # the learner's own words, when they typed the line (issue 16)
    thought: str = ""  # what the counterpart privately made of it (author's, or from the state)

    @property
    def delta(self) -> float:
        return self.trust_after - self.trust_before


def opening_lines(session: Any) -> list[dict[str, Any]]:
    """What the counterpart said before the first turn (the log starts after it)."""
    from negtrainer.engine.session import Session

    st = session.state
    return Session.start(session.scenario, st.seed, st.variant, st.learner).lines


def transcript(session: Any, notes: dict[int, str] | None = None) -> list[TranscriptTurn]:
    notes = notes or {}
    st = session.state
    labels = {iid: it.label for iid, it in session.scenario.spec.interests.items()}
    out = [
        TranscriptTurn(
            0,
            "",
            "",
            opening_lines(session),
            st.trust_start,
            st.trust_start,
            "The counterpart opens.",
            note=notes.get(0, ""),
        )
    ]
    from negtrainer.engine.outcome import thought_for

    sc = session.scenario
    for rec in st.log:
        cid = (rec.get("input") or {}).get("choice")
        authored = rec.get("thought")
        if authored is None and cid in sc.choice_by_id:
            authored = sc.choice(*sc.choice_by_id[cid]).thought
        out.append(
            TranscriptTurn(
                rec["turn"],
                rec["said"],
                rec["move"],
                list(rec.get("lines", [])),
                float(rec.get("trust_before", 0.0)),
                float(rec.get("trust_after", 0.0)),
                explain_turn(rec),
                [labels.get(i, i) for i in rec.get("revealed", [])],
                [labels.get(i, i) for i in rec.get("hinted", [])],
                notes.get(rec["turn"], ""),
                str((rec.get("input") or {}).get("typed") or ""),
                thought_for(rec, authored),
            )
        )
    return out


def expert_moves(expert: dict[str, Any] | None) -> list[dict[str, Any]]:
    """The expert path's moves as dicts with ``turn``, ``move``, ``said``, ``why``.

    ``negtrainer.engine.analysis.expert_path`` gives parallel ``moves`` (move
    names) and ``said`` lists; a ``key_moves`` list of dicts, if the analysis
    grows one, wins.
    """
    if not expert:
        return []
    if expert.get("key_moves"):
        return [
            {
                "turn": k.get("turn", i),
                "move": k.get("move", ""),
                "said": k.get("said", ""),
                "why": k.get("why", ""),
            }
            for i, k in enumerate(expert["key_moves"], 1)
            if isinstance(k, dict)
        ]
    moves = list(expert.get("moves") or [])
    said = list(expert.get("said") or [])
    said += [""] * (len(moves) - len(said))
    return [
        {"turn": i, "move": m, "said": s, "why": ""}
        for i, (m, s) in enumerate(zip(moves, said, strict=False), 1)
    ]


_EXPERT_CACHE: dict[tuple[str, str], dict[str, Any] | None] = {}


def expert_for(scenario: Any, variant: str) -> dict[str, Any] | None:
    """The expert path through ``scenario`` for this counterpart variant (cached).

    A search of a quarter second or so: call it off the GUI thread. Never
    raises: a debrief without an expert path is still a debrief.
    """
    key = (scenario.content_hash, variant)
    if key not in _EXPERT_CACHE:
        try:
            from negtrainer.engine.analysis import expert_path

            _EXPERT_CACHE[key] = expert_path(scenario, variant)
        except Exception:  # noqa: BLE001 - the analysis must never cost the debrief
            _EXPERT_CACHE[key] = None
    return _EXPERT_CACHE[key]


@dataclass(frozen=True)
class PathRow:
    turn: int
    you_move: str
    you_said: str
    expert_move: str
    expert_said: str


def _path_summary(
    ending: str | None, joint: float | None, trust: float, found: int, total: int
) -> str:
    parts = [ENDING_KINDS.get(ending or "", ending or "not finished").lower()]
    if joint is not None:
        parts.append(f"joint value {joint:.0f}")
    parts.append(f"trust {trust:.0f} at the end")
    if total:
        parts.append(f"{found} of {total} interests uncovered")
    return ", ".join(parts)


def path_comparison(report: SessionReport) -> tuple[str, str | None, list[PathRow]]:
    """The learner's path and the expert's, turn by turn, with a one-line summary each."""
    d = report.debrief
    session = report.session
    total = len(session.scenario.spec.interests)
    kind = d.ending.get("kind") if d.ending else None
    joint = d.value.get("joint") if d.value and d.value.get("deal") else None
    you = _path_summary(kind, joint, d.end_trust, len(session.state.revealed), total)
    ex = d.expert
    if not ex:
        return you, None, []
    endings = session.scenario.spec.endings
    ex_kind = endings[ex["ending"]].kind if ex.get("ending") in endings else ex.get("ending")
    expert = _path_summary(
        ex_kind,
        ex.get("joint"),
        float(ex.get("end_trust") or 0),
        len(ex.get("interests") or []),
        total,
    )
    mine = session.state.log
    theirs = expert_moves(ex)
    rows = []
    for i in range(max(len(mine), len(theirs))):
        a = mine[i] if i < len(mine) else None
        b = theirs[i] if i < len(theirs) else None
        rows.append(
            PathRow(
                i + 1,
                move_label(a["move"]) if a else "",
                a["said"] if a else "",
                move_label(b["move"]) if b else "",
                b["said"] if b else "",
            )
        )
    return you, expert, rows


def path_differences(report: SessionReport) -> tuple[list[str], list[str]]:
    """Kinds of move the expert used and the learner did not, and the other way round."""
    ex = report.debrief.expert
    if not ex:
        return [], []
    mine = [r["move"] for r in report.session.state.log]
    theirs = [m["move"] for m in expert_moves(ex)]
    only_expert = [move_label(m) for m in dict.fromkeys(theirs) if m and m not in mine]
    only_you = [move_label(m) for m in dict.fromkeys(mine) if m not in theirs]
    return only_expert, only_you


# Most telling first: what the article teaches before the finer listening ratios.
METRIC_ORDER = (
    "interests",
    "value_created",
    "trust",
    "competitive",
    "open_questions",
    "first_offer",
    "reflection_ratio",
    "rapport",
    "complex_reflections",
    "value_claimed",
)
SUMMARY_LIMIT = 6


def strengths_and_weaknesses(
    d: Debrief, limit: int = SUMMARY_LIMIT
) -> tuple[list[tuple[str, str]], list[tuple[str, str]]]:
    """What went well and what to work on, as (rating, sentence with its reason).

    Most telling first, at most ``limit`` each. What to work on is the poor
    measures and then, if room is left, the fair ones: there is always a next step.
    """
    order = {k: i for i, k in enumerate(METRIC_ORDER)}
    items: list[tuple[int, str, str]] = []
    for m in d.metrics:
        items.append(
            (order.get(m.key, len(order)), m.rating, f"{m.label}: {m.display}. {m.explanation}")
        )
    for b in d.blocks:
        if b.score is not None:
            items.append(
                (
                    len(order) + 1,
                    rating_of_score(b.score),
                    f"{b.label} ({b.score}/100): {b.explanation}",
                )
            )
    items.sort(key=lambda x: x[0])
    good = [(r, t) for _, r, t in items if r == "good"][:limit]
    work = (
        [(r, t) for _, r, t in items if r == "poor"] + [(r, t) for _, r, t in items if r == "fair"]
    )[:limit]
    return good, work


@dataclass
class SessionReport:
    """Everything a debrief, a replay or an export shows about one stored session."""

    session_id: str
    session: Any  # negtrainer.engine.session.Session, at its last turn
    debrief: Debrief
    notes: dict[int, str] = field(default_factory=dict)
    learner: str = ""
    started: str = ""  # ISO time
    meta: dict[str, Any] = field(default_factory=dict)

    @classmethod
    def of(
        cls,
        session_id: str,
        session: Any,
        notes: dict[int, str] | None = None,
        learner: str = "",
        started: str = "",
        meta: dict[str, Any] | None = None,
        expert: dict[str, Any] | None = None,
    ) -> SessionReport:
        return cls(
            session_id,
            session,
            make_debrief(session, expert=expert),
            dict(notes or {}),
            learner or session.state.learner,
            started,
            dict(meta or {}),
        )

    @property
    def title(self) -> str:
        return self.session.scenario.title

    @property
    def finished(self) -> bool:
        return self.session.ended

    @property
    def counterpart(self) -> str:
        cp = self.session.scenario.spec.counterpart
        return f"{cp.name}, {cp.role}"

    def transcript(self) -> list[TranscriptTurn]:
        return transcript(self.session, self.notes)


def notes_by_turn(notes: list[Any]) -> dict[int, str]:
    """The store keeps any number of notes per turn; a document shows them together."""
    out: dict[int, list[str]] = {}
    for n in sorted(notes, key=lambda n: (n.turn, n.id)):
        out.setdefault(n.turn, []).append(n.text)
    return {turn: "\n\n".join(texts) for turn, texts in out.items()}


def report_from_stored(stored: Any, *, with_expert: bool = True) -> SessionReport:
    """A report from ``Store.load(id)`` (a StoredSession); runs off the GUI thread."""
    info = stored.info
    session = stored.session_at(len(stored.turns) - 1)
    expert = expert_for(stored.scenario, info.variant) if with_expert else None
    meta = {
        k: getattr(info, k)
        for k in (
            "status",
            "ended_at",
            "parent_id",
            "parent_turn",
            "variant",
            "seed",
            "scenario_id",
        )
    }
    return SessionReport.of(
        info.id,
        session,
        notes_by_turn(stored.notes),
        learner=info.learner or "",
        started=info.started_at,
        meta=meta,
        expert=expert,
    )


def load_report(store: Any, session_id: str, *, with_expert: bool = True) -> SessionReport:
    return report_from_stored(store.load(session_id), with_expert=with_expert)


# -- HTML -----------------------------------------------------------------------------

_CSS = """
body { font-family: sans-serif; color: #1F2328; }
h1 { font-size: 20pt; margin-bottom: 2px; }
h2 { font-size: 14pt; margin-top: 18px; border-bottom: 1px solid #C9CED6; }
.meta { color: #4A4F57; }
.ending { padding: 8px; }
table { border-collapse: collapse; }
th { text-align: left; background: #ECEEF1; }
td, th { padding: 4px 6px; vertical-align: top; }
.small { font-size: 9pt; color: #4A4F57; }
.them { color: #1C4E80; }
.note { background: #FFF8D6; }
"""


def _e(text: Any) -> str:
    return html.escape(str(text), quote=True)


def _badge(rating: str) -> str:
    fg, bg = RATING_COLOURS.get(rating, RATING_COLOURS["n/a"])
    return (
        f'<span style="color:{fg}; background-color:{bg}; font-weight:bold">'
        f"&nbsp;{RATING_MARK.get(rating, '')} {_e(RATING_TEXT.get(rating, rating))}&nbsp;"
        f"</span>"
    )


def _turns(turns: list[int]) -> str:
    return ", ".join(str(t) for t in sorted(set(turns))) or "—"


def when_text(iso: str) -> str:
    try:
        return datetime.fromisoformat(iso).astimezone().strftime("%d %b %Y, %H:%M")
    except (TypeError, ValueError):
        return iso


def _table(title: str, headers: list[str], rows: list[list[str]]) -> str:
    """A headed full-width table; the cells are HTML already escaped."""
    head = "".join(f"<th>{h}</th>" for h in headers)
    body = "".join("<tr>" + "".join(f"<td>{cell}</td>" for cell in row) + "</tr>" for row in rows)
    return (
        f"<h2>{title}</h2><table width='100%' border='1' cellspacing='0' cellpadding='4'>"
        f"<tr>{head}</tr>{body}</table>"
    )


def debrief_html(report: SessionReport) -> str:
    """The handout (document model), then the details the window also shows."""
    from negtrainer.document import handout, to_html

    d = report.debrief
    parts: list[str] = [to_html(handout(d, report.learner, when_text(report.started)))]
    if d.ending:
        kind = d.ending.get("kind", "")
        parts.append(
            f"<h2>Ending: {_e(ENDING_KINDS.get(kind, kind))} — {_e(d.ending.get('title', ''))}"
            f"</h2><p>{_e(d.ending.get('text', ''))}</p>"
            f'<p class="small">{_e(ENDING_MEANING.get(kind, ""))}</p>'
        )
    else:
        parts.append(
            f"<h2>Not finished</h2><p>The session stopped after turn {d.turns}. "
            "The debrief below covers the turns played so far.</p>"
        )
    good, work = strengths_and_weaknesses(d)
    parts.append("<h2>What went well</h2>")
    parts.append(_rated_list(good) if good else "<p>Nothing reached the good mark this time.</p>")
    parts.append("<h2>What to work on</h2>")
    parts.append(_rated_list(work) if work else "<p>Every measure reached the good mark.</p>")

    if d.moments:
        parts.append("<h2>The moments that mattered</h2>")
        parts.append(
            "".join(
                f"<p><b>Turn {m.turn}</b> (trust {round(m.trust_delta):+d}): “{_e(m.said)}”<br/>"
                f"<span class='small'>{_e(m.why)}</span></p>"
                for m in d.moments
            )
        )

    parts.append(
        _table(
            "Measures",
            ["Measure", "Yours", "Reference", "Rating", "Turns"],
            [
                [
                    f"<b>{_e(m.label)}</b><br/><span class='small'>{_e(m.explanation)}</span>",
                    _e(m.display),
                    _e(m.reference),
                    _badge(m.rating),
                    _turns(m.turns),
                ]
                for m in d.metrics
            ],
        )
    )
    parts.append(
        _table(
            "The four building blocks of trust",
            ["Block", "Score", "Rating", "Why", "Turns"],
            [
                [
                    f"<b>{_e(b.label)}</b>",
                    "—" if b.score is None else f"{b.score}/100",
                    _badge(rating_of_score(b.score)),
                    _e(b.explanation),
                    _turns(b.turns),
                ]
                for b in d.blocks
            ],
        )
    )

    curve = d.trust_curve
    parts.append(
        f"<h2>Trust over the turns</h2><p>{curve[0]:.0f} at the start, "
        f"{curve[-1]:.0f} at the end, lowest {min(curve):.0f}, highest "
        f"{max(curve):.0f}.</p><p class='small'>" + " → ".join(f"{v:.0f}" for v in curve) + "</p>"
    )

    if d.interests:
        rows = "".join(
            f"<tr><td>{_e(i.label)}</td><td>"
            + (
                f"uncovered at turn {i.revealed_turn}"
                if i.revealed_turn is not None
                else "hinted at turn " + str(i.hinted_turn) + ", never uncovered"
                if i.hinted_turn is not None
                else "never came up"
            )
            + "</td></tr>"
            for i in d.interests
        )
        found = sum(1 for i in d.interests if i.revealed_turn is not None)
        parts.append(
            f"<h2>Hidden interests: {found} of {len(d.interests)} uncovered</h2>"
            f"<table border='1' cellspacing='0' cellpadding='4'>{rows}</table>"
        )

    v = d.value
    if v is not None:
        parts.append("<h2>Value</h2>")
        best = ", ".join(f"{k}: {x}" for k, x in v["best_terms"].items())
        if v.get("deal"):
            deal = ", ".join(f"{k}: {x}" for k, x in v["deal"].items())
            parts.append(
                f"<p>Your deal ({_e(deal)}) is worth <b>{v['you']:.0f}</b> to you and "
                f"<b>{v['them']:.0f}</b> to them: joint value <b>{v['joint']:.0f}</b> of "
                f"{v['best_joint']:.0f} possible ({v['created_share']:.0%}). You claimed "
                f"{v['claimed_share']:.0%} of the most your side could get "
                f"({v['max_you']:.0f}).</p>"
            )
        else:
            parts.append(
                f"<p>No deal, so no value was created. The best deal for both sides "
                f"was worth {v['best_joint']:.0f} in joint value.</p>"
            )
        parts.append(f"<p class='small'>The best possible deal for both: {_e(best)}.</p>")

    you, expert, rows = path_comparison(report)
    parts.append("<h2>Your path beside an expert's</h2>")
    if expert is None:
        parts.append(
            f"<p>You: {_e(you)}</p><p><b>Expert path not computed</b> for this "
            "scenario, so there is nothing to compare with yet.</p>"
        )
    else:
        parts.append(f"<p>You: {_e(you)}<br/>Expert: {_e(expert)}</p>")
        only_expert, only_you = path_differences(report)
        if only_expert:
            parts.append(f"<p>The expert also used: {_e(', '.join(only_expert))}.</p>")
        if only_you:
            parts.append(f"<p>You used, and the expert did not: {_e(', '.join(only_you))}.</p>")
        cells = "".join(
            f"<tr><td>{r.turn}</td><td><b>{_e(r.you_move)}</b><br/>"
            f"<span class='small'>{_e(r.you_said)}</span></td><td><b>{_e(r.expert_move)}</b>"
            f"<br/><span class='small'>{_e(r.expert_said)}</span></td></tr>"
            for r in rows
        )
        parts.append(
            "<table width='100%' border='1' cellspacing='0' cellpadding='4'><tr>"
            "<th>Turn</th><th width='48%'>You</th><th width='48%'>Expert</th></tr>"
            f"{cells}</table>"
        )

    if d.lessons:
        from negtrainer.engine.skills import ARTICLE

        parts.append(f"<h2>Lessons from {_e(ARTICLE)}</h2>")
        parts.append(
            "".join(
                f"<p><b>{_e(le.title)}</b><br/>{_e(le.lesson)}"
                + (f"<br/><i>In this session:</i> {_e(le.here)}" if le.here else "")
                + "</p>"
                for le in d.lessons
            )
        )
    parts.append("<h2>Common mistakes spotted</h2>")
    parts.append(_list(d.mistakes) if d.mistakes else "<p>None of the common mistakes.</p>")
    return "\n".join(parts)


def _rated_list(items: list[tuple[str, str]]) -> str:
    return "<ul>" + "".join(f"<li>{_badge(r)} {_e(t)}</li>" for r, t in items) + "</ul>"


def _list(items: list[str]) -> str:
    return "<ul>" + "".join(f"<li>{_e(i)}</li>" for i in items) + "</ul>"


def transcript_html(report: SessionReport) -> str:
    name = report.session.scenario.spec.counterpart.name
    rows = []
    for t in report.transcript():
        who_you = (
            (
                f"<tr><td><b>{t.turn}</b></td><td><b>You</b><br/><span class='small'>"
                f"{_e(move_label(t.move))}</span></td><td>{_e(t.said)}</td>"
                f"<td>{t.trust_after:.0f} ({t.delta:+.0f})</td></tr>"
            )
            if t.turn
            else ""
        )
        rows.append(who_you)
        for ln in t.lines:
            tag = {
                "reveal": " <i>(reveals an interest)</i>",
                "hint": " <i>(a hint)</i>",
                "ending": "",
            }.get(ln.get("source", ""), "")
            rows.append(
                f"<tr><td></td><td class='them'><b>{_e(name)}</b></td>"
                f"<td class='them'>{_e(ln['text'])}{tag}</td><td></td></tr>"
            )
        if t.turn:
            rows.append(f"<tr><td></td><td></td><td class='small'>{_e(t.why)}</td><td></td></tr>")
        if t.note:
            rows.append(
                f"<tr><td></td><td class='note'><b>Note</b></td>"
                f"<td class='note'>{_e(t.note)}</td><td></td></tr>"
            )
    return (
        "<h2 style='page-break-before: always'>Transcript</h2>"
        "<table width='100%' cellspacing='0' cellpadding='4'>"
        "<tr><th>Turn</th><th>Who</th><th>What was said</th><th>Trust</th></tr>"
        + "".join(rows)
        + "</table>"
    )


def report_html(report: SessionReport) -> str:
    """The whole document: heading, debrief, transcript with notes."""
    d = report.debrief
    meta = [
        f"Learner: {_e(report.learner or 'Guest')}",
        f"Counterpart: {_e(report.counterpart)}",
        f"{d.turns} turns",
    ]
    if report.started:
        meta.insert(1, _e(when_text(report.started)))
    return (
        "<!DOCTYPE html><html><head><meta charset='utf-8'/>"
        f"<title>{_e(report.title)} — session report</title><style>{_CSS}</style></head><body>"
        f"<h1>{_e(report.title)}</h1><p class='meta'>{' · '.join(meta)}</p>"
        f"{debrief_html(report)}{transcript_html(report)}"
        f"<p class='small'>Exported by negtrainer on {datetime.now():%d %b %Y}.</p>"
        "</body></html>"
    )


def write_html(report: SessionReport, path: str | Path) -> Path:
    from negtrainer.store import private

    path = Path(path)
    # Owner-only: a report holds names, notes and the confidential briefs.
    with os.fdopen(private.open_new(path), "w", encoding="utf-8") as f:
        f.write(report_html(report))
    return path


def write_handout(report: SessionReport, path: str | Path) -> Path:
    """The debrief as a two-page A4 handout (needs a QGuiApplication; no window)."""
    from negtrainer.document import handout
    from negtrainer.gui.handout import write_handout as draw
    from negtrainer.store import private

    path = Path(path)
    os.close(private.open_new(path))  # created owner-only; the writer keeps the mode
    draw(handout(report.debrief, report.learner, when_text(report.started)), path)
    if not path.exists() or path.stat().st_size == 0:
        raise OSError(f"Could not write {path}.")
    return path


def write_pdf(report: SessionReport, path: str | Path) -> Path:
    """Print the same document to PDF (needs a QGuiApplication; no window)."""
    from PySide6.QtGui import QTextDocument

    from negtrainer.gui.pdfwriter import a4_writer
    from negtrainer.store import private

    path = Path(path)
    os.close(private.open_new(path))  # created owner-only; the writer keeps the mode
    writer = a4_writer(str(path), f"{report.title} — session report", (15, 15, 15, 15))
    doc = QTextDocument()
    doc.setDefaultStyleSheet(_CSS)
    doc.setHtml(report_html(report))
    doc.print_(writer)
    if not path.exists() or path.stat().st_size == 0:
        raise OSError(f"Could not write {path}.")
    return path
