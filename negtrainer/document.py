"""One document model for the debrief: the window's handout, the HTML export and the PDF.

``handout(debrief, ...)`` builds a short list of blocks (headings, paragraphs,
bullet lists, tables, the trust curve) from the engine's debrief, outcome first,
as a coach would hand it out: what was agreed, three takeaways, the trust
chart, the measures, the other side's brief. Renderers turn the same blocks into
plain text (``to_text``), escaped HTML (``to_html``) or PDF pages
(``negtrainer.gui.handout``), so the three never say different things.

Pure Python: no Qt, nothing of the store.
"""

from __future__ import annotations

import html
import textwrap
from dataclasses import dataclass, field
from typing import Any

from negtrainer.engine.scoring import objective_line
from negtrainer.engine.takeaways import heading as takeaways_heading

RATING_WORD = {"good": "Good", "fair": "Fair", "poor": "Work on it", "n/a": "—"}
RATING_MARK = {"good": "✔", "fair": "◐", "poor": "✘", "n/a": "·"}


@dataclass
class Heading:
    text: str
    level: int = 2


@dataclass
class Para:
    text: str
    role: str = ""  # "" | small | verdict | quote


def deal_terms(deal: dict[str, Any]) -> str:
    """Agreed terms by issue id, for an outcome kept before it carried ``deal_text``."""
    return "; ".join(f"{k} {v}" for k, v in deal.items())


def takeaway_paras(t: dict[str, Any]) -> list[Para]:
    """One of the debrief's takeaways as the handout and the window's card both tell it:
    the turn, what they had said, what you said, why it mattered, what to try instead."""
    out = [Para(f"{t['rank']}. Turn {t['turn']}", "strong")]
    if t["cue"]:
        out.append(Para(f"They had said: “{t['cue']}”", "quote"))
    said = "You wrote" if t.get("typed") else "You said"
    out.append(Para(f"{said}: “{t['you_said']}”", "quote"))
    out.append(Para(t["why"]))
    if t.get("better"):
        out.append(
            Para(f"Try instead: “{t['better']}” — it would have done this: {t['better_why']}.")
        )
    return out


@dataclass
class Bullets:
    items: list[str]


@dataclass
class Table:
    headers: list[str]
    rows: list[list[str]]
    widths: list[float]  # shares of the page width, summing to 1
    ratings: list[str] = field(default_factory=list)  # per row, for colour and symbol


@dataclass
class Chart:
    title: str
    values: list[float]
    marks: list[tuple[int, str]] = field(default_factory=list)  # (turn, label)


@dataclass
class PageBreak:
    pass


Block = Heading | Para | Bullets | Table | Chart | PageBreak


@dataclass
class Document:
    title: str
    subtitle: str
    blocks: list[Block]


def handout(d: Any, learner: str = "", when: str = "") -> Document:
    """The two-page handout: outcome and takeaways first, then measures and the other side."""
    blocks: list[Block] = []
    ending = d.ending or {}
    sub = " · ".join(x for x in (learner or "Guest", when, ending.get("title", "")) if x)
    o = d.outcome
    blocks.append(Heading("What you agreed"))
    if o:
        blocks.append(Para(o["verdict_text"], "verdict"))
        if o.get("deal"):
            blocks.append(Para("Terms: " + (o.get("deal_text") or deal_terms(o["deal"])), "small"))
        if o.get("improvement"):
            blocks.append(Para(o["improvement"]))
        answered = []
        for a in o.get("interests", []):
            if a["revealed_turn"] is None:
                answered.append(f"{a['label']}: never uncovered")
            elif a["answered_by"]:
                answered.append(f"{a['label']}: answered by {a['answered_by']}")
            else:
                answered.append(f"{a['label']}: {a['note'] or 'not answered'}")
        if answered:
            blocks.append(Bullets(answered))
    else:
        blocks.append(Para(ending.get("text", "The session has not ended."), "verdict"))
    if d.objectives:
        blocks.append(Bullets([objective_line(ob) for ob in d.objectives]))
    if d.takeaways:
        blocks.append(Heading(takeaways_heading(len(d.takeaways))))
        for t in d.takeaways:
            blocks.extend(takeaway_paras(t))
            blocks.append(Para(f"Ask yourself: {t['question']}", "small"))
    marks = sorted((i.revealed_turn, i.label) for i in d.interests if i.revealed_turn)
    blocks.append(Chart("Trust, turn by turn", list(d.trust_curve), marks))
    blocks.append(PageBreak())
    blocks.append(Heading("How you did, against the expert path here"))
    rows, ratings = [], []
    for m in d.metrics:
        rows.append(
            [
                m.label,
                m.display,
                m.reference,
                f"{RATING_MARK.get(m.rating, '')} {RATING_WORD.get(m.rating, m.rating)}",
            ]
        )
        ratings.append(m.rating)
    blocks.append(
        Table(["Measure", "You", "Reference", "Rating"], rows, [0.30, 0.30, 0.26, 0.14], ratings)
    )
    blocks.append(Heading("The four building blocks of trust", 3))
    blocks.append(
        Table(
            ["Block", "Score", "Why"],
            [
                [b.label, "—" if b.score is None else f"{b.score}/100", b.explanation]
                for b in d.blocks
            ],
            [0.28, 0.12, 0.60],
        )
    )
    if d.mistakes:
        blocks.append(Heading("Watch out for", 3))
        blocks.append(Bullets(list(d.mistakes)))
    side = d.other_side
    if side:
        blocks.append(Heading(f"The other side: {side['name']}, {side['role']}", 3))
        blocks.append(Para(side["brief"]))
        if side.get("walkaway") is not None:
            blocks.append(
                Para(
                    f"Their walk-away: {side['walkaway']:.0f} points. They would "
                    "never sign for less, whatever the trust.",
                    "small",
                )
            )
        rows = []
        for issue in side.get("issues", []):
            values = ", ".join(f"{op} {v:g}" for op, v in zip(issue["options"], issue["them"]))
            for iid, alt in issue.get("them_if_revealed", {}).items():
                values += f"; once '{iid}' was known: " + ", ".join(
                    f"{op} {v:g}" for op, v in zip(issue["options"], alt)
                )
            rows.append([issue["label"], values])
        if rows:
            blocks.append(
                Table(["Issue", "What each option was worth to them"], rows, [0.25, 0.75])
            )
    return Document(f"Debrief: {d.title}", sub, blocks)


# -- renderers without Qt --------------------------------------------------------------
def to_text(doc: Document, width: int = 78) -> str:
    out = [doc.title, doc.subtitle, ""]
    for b in doc.blocks:
        if isinstance(b, Heading):
            out += ["", b.text, "-" * min(width, len(b.text))]
        elif isinstance(b, Para):
            indent = "    " if b.role in ("quote", "small") else "  "
            out.append(
                textwrap.fill(b.text, width, initial_indent=indent, subsequent_indent=indent)
            )
        elif isinstance(b, Bullets):
            out += [
                textwrap.fill(i, width, initial_indent="  - ", subsequent_indent="    ")
                for i in b.items
            ]
        elif isinstance(b, Table):
            for row in b.rows:
                out.append(
                    textwrap.fill(
                        " | ".join(row), width, initial_indent="  ", subsequent_indent="      "
                    )
                )
        elif isinstance(b, Chart):
            out.append(f"  {b.title}: " + " ".join(f"{v:.0f}" for v in b.values))
    return "\n".join(out)


def to_html(doc: Document, chart_svg: str = "") -> str:
    """Escaped HTML (every text from a file or a user is data, never markup)."""
    e = html.escape
    parts = [f"<h1>{e(doc.title)}</h1>", f"<p class='sub'>{e(doc.subtitle)}</p>"]
    for b in doc.blocks:
        if isinstance(b, Heading):
            parts.append(f"<h{b.level}>{e(b.text)}</h{b.level}>")
        elif isinstance(b, Para):
            parts.append(f"<p class='{e(b.role)}'>{e(b.text)}</p>")
        elif isinstance(b, Bullets):
            parts.append("<ul>" + "".join(f"<li>{e(i)}</li>" for i in b.items) + "</ul>")
        elif isinstance(b, Table):
            head = "".join(f"<th>{e(h)}</th>" for h in b.headers)
            body = "".join(
                f"<tr class='{e(b.ratings[k]) if k < len(b.ratings) else ''}'>"
                + "".join(f"<td>{e(c)}</td>" for c in row)
                + "</tr>"
                for k, row in enumerate(b.rows)
            )
            parts.append(f"<table><thead><tr>{head}</tr></thead><tbody>{body}</tbody></table>")
        elif isinstance(b, Chart):
            parts.append(
                f"<h3>{e(b.title)}</h3>"
                + (chart_svg or "<p>" + e(" ".join(f"{v:.0f}" for v in b.values)) + "</p>")
            )
        elif isinstance(b, PageBreak):
            parts.append("<div style='page-break-after: always'></div>")
    return "\n".join(parts)
